# souk query: formats, filters honoured, hostile input and every error path.
. "$top_srcdir/tests/cli/lib.sh"

db=$(demo_db)
if [ ! -s "$db" ]; then
	fail "the demo catalog could not be built (souk demo)"
	finish
fi

# field NAME: the values of "NAME" on the rows of a cJSON-formatted answer
# (three tabs deep), one per line.
field() {
	awk -v k="\"$1\":" 'index($0, "\t\t\t" k) == 1 && substr($0, 4 + length(k), 1) == "\t" {
		v = substr($0, 5 + length(k)); sub(/,$/, "", v); print v }'
}

# json: ranked rows with reasons, price at quantity and the totals
"$SOUK" query --db "$db" pickleball paddles --format json --limit 5 >"$T/q.json"
check "query json exits 0" [ $? -eq 0 ]
out=$(cat "$T/q.json")
assert_eq "$(field rank <"$T/q.json" | tr '\n' ' ')" "1 2 3 4 5 " "--limit 5 gives five ranked rows"
assert_contains "$out" '"total":' "json has the total"
assert_contains "$out" '"suppliers":' "json has the supplier count"
assert_contains "$out" '"currency":	"USD"' "json has the currency"
assert_contains "$out" '"keywords":	["pickleball", "paddle"]' "json echoes the filters"
# TEXT goes through the conversation engine: the same filter as souk interpret
"$SOUK" query --db "$db" --format json --limit 50 pickleball paddles for the US under \$8, MOQ below 500 >"$T/t.json"
tout=$(cat "$T/t.json")
assert_contains "$tout" '"market":	"US"' "TEXT: the market is understood"
assert_contains "$tout" '"price_max":	8' "TEXT: the price limit is understood"
assert_contains "$tout" '"moq_max":	500' "TEXT: the MOQ limit is understood"
assert_not_contains "$tout" '"under"' "TEXT: filter words are not keywords"
check "TEXT: some rows" [ -n "$(field price_at_quantity <"$T/t.json")" ]
bad=$(field price_at_quantity <"$T/t.json" | awk '$1 + 0 > 8 { n++ } END { print n + 0 }')
assert_eq "$bad" "0" "TEXT: every row honours the price limit"

for k in product_id supplier country title category price currency price_at_quantity next_break \
	moq lead_time_days landed_cost rating reviews verified certifications score reasons highlights; do
	assert_eq "$(field "$k" <"$T/q.json" | wc -l)" 5 "every row has $k"
done
assert_eq "$(field reasons <"$T/q.json" | grep -c '^\[\]$')" 0 "every row has reasons"
assert_eq "$(field title <"$T/q.json" | grep -ci pickleball)" 5 "rows match the keywords"
field score <"$T/q.json" | awk 'NR > 1 && $1 > prev { exit 1 } { prev = $1 }' ||
	fail "rows sorted by score"
ok
assert_contains "$out" '"facets":' "json has facets"
assert_contains "$out" '"fx_rates_as_of":	"20' "json dates the FX rates"
assert_contains "$out" '"business_types":' "facets by business type"

# --filters: every returned row honours price_max and moq_max
"$SOUK" query --db "$db" --filters '{"keywords":["yoga","mat"],"price_max":5,"moq_max":500}' \
	--format json --limit 200 >"$T/q.json"
n=$(field rank <"$T/q.json" | wc -l)
check "cheap yoga mats exist in the demo ($n)" [ "$n" -gt 0 ]
assert_eq "$(field price <"$T/q.json" | awk '$1 > 5' | wc -l)" 0 "no row above price_max"
assert_eq "$(field moq <"$T/q.json" | awk '$1 > 500' | wc -l)" 0 "no row above moq_max"
assert_eq "$(field title <"$T/q.json" | grep -ci yoga)" "$n" "every row is about yoga"

# quantity and currency: prices at 5,000 pcs in EUR, never above the first tier
"$SOUK" query --db "$db" --filters '{"keywords":["mug"],"currency":"EUR"}' --format json \
	--limit 5 >"$T/a.json"
"$SOUK" query --db "$db" --filters '{"keywords":["mug"],"currency":"EUR","quantity":5000}' \
	--format json --limit 5 >"$T/b.json"
assert_contains "$(cat "$T/b.json")" '"quantity":	5000' "rows say the quantity"
assert_eq "$(field currency <"$T/b.json" | sort -u)" '"EUR"' "prices in EUR"

# table: fits the width (display columns, CJK counted double), no escapes
out=$(COLUMNS=80 "$SOUK" query --db "$db" yoga mat --limit 8)
widest=$(printf '%s\n' "$out" | wc -L)
check "table fits 80 columns (widest $widest)" [ "$widest" -le 80 ]
assert_contains "$out" "offers from" "table summary line"
assert_not_contains "$out" "$(printf '\033')" "no escape bytes reach the terminal"
out=$(COLUMNS=70 "$SOUK" query --db "$db" --filters '{"keywords":["mug"],"market":"DE","quantity":500}' --limit 5)
widest=$(printf '%s\n' "$out" | wc -L)
check "table with a market fits 70 columns (widest $widest)" [ "$widest" -le 70 ]
assert_contains "$out" "is an estimate" "landed cost labelled an estimate"
out=$(COLUMNS=200 "$SOUK" query --db "$db" yoga mat --limit 3)
widest=$(printf '%s\n' "$out" | wc -L)
check "table fits 200 columns (widest $widest)" [ "$widest" -le 200 ]
assert_contains "$out" "Why" "wide table has the reasons column"
out=$("$SOUK" query --db "$db" yoga mat --limit 3 | wc -L)
check "not a terminal: 100 columns ($out)" [ "$out" -le 100 ]

# csv (RFC 4180: CRLF, a header) and markdown
"$SOUK" query --db "$db" yoga mat --format csv --limit 3 >"$T/q.csv"
assert_eq "$(head -c 5 "$T/q.csv")" "rank," "csv header first"
assert_eq "$(grep -c "$(printf '\r')\$" "$T/q.csv")" 4 "csv: header + 3 rows, CRLF"
out=$("$SOUK" query --db "$db" yoga mat --format md --limit 3)
assert_contains "$out" "| Supplier |" "markdown table header"

# nothing matches: say so, and suggest the relaxation
out=$("$SOUK" query --db "$db" --filters '{"keywords":["yoga","mat"],"price_max":0.001}' --format json)
assert_contains "$out" '"total":	0' "nothing matches"
assert_contains "$out" '"relax":	"drop the price limit of 0.001 USD:' "relaxation suggested"
out=$("$SOUK" query --db "$db" --filters '{"keywords":["yoga","mat"],"price_max":0.001}')
assert_contains "$out" "No offers match. Try: drop the price limit" "table says nothing matched"

# hostile search text is words, never syntax
for evil in '"' 'NEAR(yoga mat)' "'; DROP TABLE products; --" '*' 'yoga AND' '-x' '^a' '(' ; do
	assert_status 0 "query with [$evil]" "$SOUK" query --db "$db" -- "$evil"
done
out=$("$SOUK" query --db "$db" --format json --limit 1)
assert_contains "$out" '"total":	30000,' "the catalog is intact"

# errors: usage (2) and failures (1), each saying what went wrong
assert_status 2 "bad json" "$SOUK" query --db "$db" --filters '{"price_max":'
assert_contains "$(cat "$T/err")" "souk: filters are not valid JSON" "bad json message"
assert_status 2 "bad field" "$SOUK" query --db "$db" --filters '{"colour":"red"}'
assert_contains "$(cat "$T/err")" "colour" "unknown field named"
assert_status 2 "bad value" "$SOUK" query --db "$db" --filters '{"moq_max":-3}'
assert_contains "$(cat "$T/err")" "moq_max" "field named"
assert_status 2 "bad format" "$SOUK" query --db "$db" --format xml yoga
assert_status 2 "bad limit" "$SOUK" query --db "$db" --limit 0 yoga
assert_status 2 "bad limit text" "$SOUK" query --db "$db" --limit ten yoga
assert_status 2 "unknown option" "$SOUK" query --db "$db" --frobnicate
assert_status 2 "filters and text" "$SOUK" query --db "$db" --filters '{}' yoga
assert_status 2 "missing value" "$SOUK" query --db "$db" --limit
assert_status 1 "missing catalog" "$SOUK" query --db "$T/nope.db" yoga
assert_contains "$(cat "$T/err")" "souk: no catalog at" "missing catalog message"
printf 'not a database' >"$T/bad.db"
assert_status 1 "not a catalog" "$SOUK" query --db "$T/bad.db" yoga
assert_contains "$(cat "$T/err")" "souk:" "bad catalog message"
assert_status 1 "unknown currency" "$SOUK" query --db "$db" --filters '{"currency":"XYZ"}'
assert_status 0 "help" "$SOUK" query --help

# every row says what sets it apart in the result set
"$SOUK" query --db "$db" pickleball paddles --format json --limit 30 >"$T/h.json"
assert_eq "$(grep -c '"highlights":	\[\]' "$T/h.json")" "0" "every row has a highlight"
assert_contains "$(cat "$T/h.json")" "% of the " "highlights measured against the result set"

# the table dates the FX rates it converted with; yen have no decimals
out=$("$SOUK" query --db "$db" --filters '{"keywords":["yoga"],"currency":"JPY"}' --limit 3)
assert_contains "$out" "unit prices in JPY (FX of 20" "the table dates the FX rates"
check "yen prices are whole" [ -z "$(printf '%s\n' "$out" | awk 'NR > 2 && $1 ~ /^[0-9]+$/' | grep -E ' [0-9]+\.[0-9]{2} +[0-9]+ +[0-9]+d')" ]
out=$("$SOUK" query --db "$db" --filters '{"keywords":["yoga"],"price_max":0.001}')
assert_eq "$(printf '%s\n' "$out" | grep -c 'No offers match')" "1" "an empty result says so once"
assert_eq "$(printf '%s\n' "$out" | wc -l)" "1" "on one line, with the hint"

# the config file's currency and market are where TEXT starts from
mkdir -p "$XDG_CONFIG_HOME/souk"
printf 'market = germany\n' >"$XDG_CONFIG_HOME/souk/config"
assert_status 1 "a market that is not a code" "$SOUK" query --db "$db" yoga mats
assert_contains "$(cat "$T/err")" "config:1: 'germany' is not an ISO 3166 code" "the config error names the line and value"
printf '# defaults\nmarket = de\ncurrency = eur\n' >"$XDG_CONFIG_HOME/souk/config"
assert_status 0 "codes in any case" "$SOUK" query --db "$db" yoga mats --limit 2
assert_contains "$(cat "$T/out")" "unit prices in EUR" "the config's currency"
assert_contains "$(cat "$T/out")" "Landed cost in DE" "the config's market"
rm -f "$XDG_CONFIG_HOME/souk/config"

# one JSON form of an offer: the rows of `souk query --format json` have the
# keys a JSON export writes, in the same order (a shortlist made from them
# and exported again), and "title", not the old "product"
"$SOUK" query --db "$db" --filters '{"keywords":["mug"],"quantity":500}' --format json --limit 2 >"$T/form.json"
# keys NAME: the keys of the offers in the array "NAME", in order
keys() {
	awk -v a="\t\"$1\":" 'index($0, a) == 1 { on = 1; next } /^\t"/ { on = 0 }
		on && index($0, "\t\t\t\"") == 1 { sub(/^\t\t\t"/, ""); sub(/".*/, ""); print }'
}
sed 's/^\t"rows":/\t"offers":/' "$T/form.json" >"$T/as_export.json"
assert_status 0 "query rows import as a shortlist" "$SOUK" shortlist import "$T/as_export.json" --name form
assert_status 0 "and export again" "$SOUK" shortlist export form --out "$T/form_export.json"
qkeys=$(keys rows <"$T/form.json" | tr '\n' ' ')
ekeys=$(keys offers <"$T/form_export.json" | grep -v '^tiers$' | tr '\n' ' ')
check "query rows have keys ($qkeys)" [ -n "$qkeys" ]
assert_eq "$ekeys" "$qkeys" "exports and souk query write the same keys"
assert_contains "$qkeys" " title " "the offer's name is \"title\""
assert_not_contains "$qkeys" " product " "no old \"product\" key"

# --limit 0: every match, not the first page: as many ranked records as
# the total, ranks 1..N, each product once, no byte-order mark on a pipe
total=$("$SOUK" query --db "$db" --format json --limit 1 bag | sed -n 's/^\t"total":\t\([0-9]*\),$/\1/p')
check "a total to compare with ($total)" [ "${total:-0}" -gt 1000 ]
"$SOUK" query --db "$db" --format csv --limit 0 bag >"$T/all.csv"
assert_eq "$(head -c 4 "$T/all.csv")" "rank" "--limit 0: the CSV header first, no byte-order mark"
assert_eq "$(grep -c '^[0-9][0-9]*,' "$T/all.csv")" "$total" "--limit 0 writes every match"
assert_eq "$(grep '^[0-9][0-9]*,' "$T/all.csv" | tail -1 | cut -d, -f1)" "$total" "ranked 1 to the total"
assert_eq "$(grep '^[0-9][0-9]*,' "$T/all.csv" | awk -F, '{ print $NF }' | sort | uniq -d | wc -l)" "0" "each product once"
"$SOUK" query --db "$db" --format md --limit 0 bag >"$T/all.md"
assert_contains "$(head -5 "$T/all.md")" "$total offers" "--limit 0 in Markdown says how many"
assert_status 2 "--limit 0 is for csv and md" "$SOUK" query --db "$db" --limit 0 mug
assert_contains "$(cat "$T/err")" "--format csv or md" "and says so"

# a word no offer has never empties the result: it is left out and named,
# in the table and in JSON, and the rows are those of the other words
known=$("$SOUK" query --db "$db" --format json --limit 1 tote bags | sed -n 's/^\t"total":\t\([0-9]*\),$/\1/p')
"$SOUK" query --db "$db" --format json --limit 1 tote bags samples before qzxv >"$T/u.json"
assert_contains "$(cat "$T/u.json")" '"unused":	["before", "qzxv"]' "JSON names the words left out"
"$SOUK" query --db "$db" --format json --limit 1 tote bags qzxv >"$T/u.json"
assert_eq "$(sed -n 's/^\t"total":\t\([0-9]*\),$/\1/p' "$T/u.json")" "$known" "an unknown word does not narrow the result"
out=$("$SOUK" query --db "$db" --limit 1 led strip lites)
assert_contains "$out" "Not used (no offer has them): lite." "the table says which word was left out"
assert_not_contains "$out" "No offers match" "and shows offers"

finish
