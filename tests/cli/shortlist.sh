#!/bin/sh
# souk shortlist: import a JSON export, list, show, export to every format
# and read each back; refusals (overwrite, bad paths, bad formats).
. "$top_srcdir/tests/cli/lib.sh"

cd "$T" || exit 1

# A souk JSON export with international and hostile text.
cat >in.json <<'JSON'
{"souk_export": 1, "title": "paddles", "currency": "USD",
 "filters": {"keywords": ["pickleball", "paddle"], "quantity": 500, "currency": "USD"},
 "transcript": [{"role": "user", "text": "pickleball paddles"}],
 "offers": [
  {"product_id": 11, "supplier": "深圳市佳品 Sports Co., Ltd", "country": "CN", "product": "Carbon paddle 16mm",
   "price": 7.5, "price_orig": 52.5, "currency_orig": "CNY", "next_break": {"min_qty": 1000, "price": 6.8},
   "moq": 300, "moq_unit": "pcs", "lead_time_days": 25, "landed_cost": 9.1, "rating": 4.8, "reviews": 120,
   "verified": true, "certifications": ["CE", "USAPA"], "highlights": ["lightest", "raw carbon"],
   "score": 91, "note": "ask for \"samples\", two colours", "status": "ask supplier"},
  {"product_id": 12, "supplier": "Paddle \"Pro\" | Works 🏓", "country": "VN", "product": "Graphite, textured",
   "price": 6.25, "moq": 500, "moq_unit": "pcs", "lead_time_days": 30, "rating": 4.5, "reviews": 8,
   "verified": false, "certifications": [], "highlights": [], "score": 84, "note": null, "status": "shortlisted"},
  {"product_id": 13, "supplier": "=cmd|' /C calc'!A0", "country": "IN", "product": "Wood paddle\u001b[31m red",
   "price": 3.1, "moq": 1000, "moq_unit": "pcs", "lead_time_days": 40, "verified": false,
   "score": 60, "status": "rejected"}
 ]}
JSON

out=$("$SOUK" shortlist import in.json 2>&1)
assert_eq "$out" "3 offers added" "import of a JSON export"
out=$("$SOUK" shortlist list)
assert_contains "$out" "paddles" "list names the imported list"
assert_contains "$out" "3" "list counts its offers"

out=$("$SOUK" shortlist show paddles)
assert_contains "$out" "深圳市佳品 Sports Co., Ltd" "show: CJK supplier"
assert_contains "$out" "note: ask for \"samples\", two colours" "show: the note"
assert_contains "$out" "ask supplier" "show: the status"
assert_contains "$out" "ask supplier · added $(date +%Y-%m-%d)" "show: when each offer was added"
assert_not_contains "$out" "$(printf '\033')" "show: no escape bytes from data"
check "rename to mixed case" "$SOUK" shortlist rename paddles "Paddles UK"
out=$("$SOUK" shortlist show "paddles uk")
assert_eq "$(printf '%s\n' "$out" | head -1)" "Paddles UK: 3 offers" "show names the list as it was given, not as typed"
check "rename back" "$SOUK" shortlist rename "paddles uk" paddles

# Each format, and read back.
check "export csv" "$SOUK" shortlist export paddles --out list.csv
check "export json" "$SOUK" shortlist export paddles --out list.json
check "export md" "$SOUK" shortlist export paddles --out list.md
check "export with --format" "$SOUK" shortlist export paddles --out list.txt --format csv
cmp -s list.csv list.txt && ok || fail "--format csv gives the same bytes as .csv"

# CSV: BOM, CRLF records, header, one record per offer (no embedded CRLFs here
# but inside quoted notes), defused formula.
bom=$(head -c 3 list.csv | od -An -tx1 | tr -d ' \n')
assert_eq "$bom" "efbbbf" "CSV starts with the UTF-8 BOM"
records=$(awk 'BEGIN{RS="\r\n"; q=0; n=0} { c=gsub(/"/,"\""); q=(q+c)%2; if (q==0) n++ } END{print n}' list.csv)
assert_eq "$records" "4" "CSV: a header and three records"
head -1 list.csv | grep -q 'rank,supplier,country,product,price,currency,next tier break,moq' && ok ||
	fail "CSV header names the grid columns"
assert_contains "$(cat list.csv)" '"深圳市佳品 Sports Co., Ltd"' "CSV quotes a field with a comma"
assert_contains "$(cat list.csv)" '"Paddle ""Pro"" | Works 🏓"' "CSV doubles quotes"
assert_contains "$(cat list.csv)" "'=cmd|' /C calc'!A0" "CSV defuses a formula"
assert_contains "$(cat list.csv)" 'ask supplier' "CSV has the status"

# CSV read back by souk's own importer (it skips the BOM), then queried.
if "$SOUK" import list.csv --db rt.db >out 2>&1; then
	assert_contains "$(cat out)" "imported 3 of 3 rows" "souk import reads every CSV row"
	q=$("$SOUK" query --db rt.db --filters '{}' --format csv --limit 10 2>&1)
	assert_contains "$q" '"深圳市佳品 Sports Co., Ltd"' "CSV round trip: CJK supplier"
	assert_contains "$q" '"Paddle ""Pro"" | Works 🏓"' "CSV round trip: quotes and emoji"
	assert_contains "$q" ',7.50,USD,' "CSV round trip: the price"
	assert_contains "$q" 'Graphite, textured' "CSV round trip: a comma in a title"
else
	fail "souk import of the CSV export: $(cat out)"
fi

# JSON: re-import the export under a new name: the same list comes back.
out=$("$SOUK" shortlist import list.json --name again 2>&1)
assert_eq "$out" "3 offers added" "the JSON export imports"
"$SOUK" shortlist export again --out again.csv
cmp -s list.csv again.csv && ok || fail "JSON round trip: the re-imported list exports the same CSV"

# Markdown: heading, escaped pipes, one table line per offer.
assert_eq "$(head -1 list.md)" "# pickleball paddle (shortlist paddles)" "Markdown heading is the query, then the list"
assert_contains "$(cat list.md)" "3 offers, prices per unit in USD at 500 units" "Markdown says the quantity"

# JSON keeps the search and the conversation the list came from
assert_contains "$(cat list.json)" '"keywords":	["pickleball", "paddle"]' "JSON export: the filters"
assert_contains "$(cat list.json)" '"text":	"pickleball paddles"' "JSON export: the conversation"
assert_contains "$(cat list.md)" 'Paddle "Pro" \| Works 🏓' "Markdown escapes pipes"
assert_eq "$(grep -c '^|' list.md)" "5" "Markdown: header, rule and three rows"
out=$("$SOUK" shortlist export paddles --out - --format md)
assert_eq "$out" "$(cat list.md)" "export to standard output"
"$SOUK" shortlist export paddles --out - >stdout.csv
assert_eq "$(head -c 4 stdout.csv)" "rank" "CSV on standard output has no byte-order mark"
assert_eq "$(tail -n +2 stdout.csv)" "$(tail -n +2 list.csv)" "and the same rows as the file"

# XLSX, when built with libxlsxwriter.
if "$SOUK" shortlist export paddles --out list.xlsx 2>err; then
	ok
	sheet=$(unzip -p list.xlsx xl/worksheets/sheet1.xml)
	assert_contains "$sheet" 'state="frozen"' "XLSX: header row frozen"
	assert_contains "$sheet" '<v>7.5</v>' "XLSX: price as a number"
	assert_contains "$(unzip -p list.xlsx xl/sharedStrings.xml)" "深圳市佳品" "XLSX: CJK text"
	assert_contains "$(unzip -p list.xlsx xl/workbook.xml)" 'Price tiers' "XLSX: tiers sheet"
	# libxlsxwriter is opened only for an XLSX export: where it cannot be
	# loaded, that export says so and leaves the old file as it was, and
	# every other command neither needs nor loads it.
	sum=$(cksum <list.xlsx)
	SOUK_LIBXLSXWRITER="$T/no-such-libxlsxwriter.so" "$SOUK" shortlist export paddles \
		--out list.xlsx --force 2>err
	check "XLSX export fails without libxlsxwriter" [ $? -eq 1 ]
	assert_contains "$(cat err)" "libxlsxwriter is not installed" "and says what is missing"
	assert_eq "$(cksum <list.xlsx)" "$sum" "the old XLSX file is untouched"
	check "no scratch file is left" [ -z "$(ls | grep 'part-')" ]
	check "CSV export works without libxlsxwriter" \
		env SOUK_LIBXLSXWRITER="$T/no-such-libxlsxwriter.so" "$SOUK" shortlist export paddles \
		--out nolib.csv
	LD_DEBUG=files "$SOUK" shortlist show paddles >/dev/null 2>ld.txt
	check "the loader trace was written" grep -q libsqlite3 ld.txt
	check "a command without XLSX loads no libxlsxwriter" [ "$(grep -c libxlsxwriter ld.txt)" -eq 0 ]
	LD_DEBUG=files "$SOUK" shortlist export paddles --out traced.xlsx >/dev/null 2>ld.txt
	check "an XLSX export does load it" grep -q libxlsxwriter ld.txt
else
	assert_contains "$(cat err)" "without XLSX support" "XLSX without libxlsxwriter says so"
fi

# Refusals: overwrite, bad paths, bad formats, missing lists.
sum=$(cksum <list.csv)
assert_status 1 "no overwrite without --force" "$SOUK" shortlist export paddles --out list.csv
assert_contains "$(cat "$T/err")" "already exists" "the refusal says why"
assert_eq "$(cksum <list.csv)" "$sum" "the old file is untouched"
check "--force replaces" "$SOUK" shortlist export again --out list.csv --force
assert_status 1 "missing directory" "$SOUK" shortlist export paddles --out "$T/nope/x.csv"
assert_contains "$(cat "$T/err")" "souk: cannot write" "missing directory: clear error"
assert_status 1 "path under a file" "$SOUK" shortlist export paddles --out "$T/list.csv/x.csv"
assert_status 2 "unknown extension" "$SOUK" shortlist export paddles --out x.pdf
assert_contains "$(cat "$T/err")" ".pdf" "unknown extension named"
assert_status 2 "unknown --format" "$SOUK" shortlist export paddles --out x.csv --format xls
assert_status 1 "missing list" "$SOUK" shortlist export nosuch --out y.csv
assert_contains "$(cat "$T/err")" "no shortlist named 'nosuch'" "missing list named"
[ ! -e y.csv ] && ok || fail "nothing written for a missing list"
assert_status 2 "no --out" "$SOUK" shortlist export paddles
assert_status 2 "unknown subcommand" "$SOUK" shortlist frobnicate
printf '{"offers": 3}' >bad.json
assert_status 1 "import of a non-export" "$SOUK" shortlist import bad.json

# Rename and delete.
check "rename" "$SOUK" shortlist rename again "Q3 final ✓"
assert_contains "$("$SOUK" shortlist list)" "Q3 final ✓" "renamed list listed"
assert_status 1 "rename onto an existing name" "$SOUK" shortlist rename "Q3 final ✓" paddles
check "delete" "$SOUK" shortlist delete "Q3 final ✓"
assert_not_contains "$("$SOUK" shortlist list)" "Q3 final" "deleted list gone"
[ -z "$(ls "$T" | grep -e '\.tmp-' -e '\.part-')" ] && ok || fail "no temp files left behind"

finish
