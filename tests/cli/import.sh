#!/bin/sh
# souk import: files and URLs, CSV and JSON, row reports, --strict, and a
# catalog left exactly as it was after any failure.
. "$top_srcdir/tests/cli/lib.sh"

samples="$top_srcdir/assets/samples"
have_sqlite3=0
command -v sqlite3 >/dev/null 2>&1 && have_sqlite3=1

count() { # count DB TABLE
	sqlite3 "$1" "SELECT count(*) FROM $2"
}

# A snapshot of the catalog's content, to prove failures change nothing.
snapshot() {
	if [ "$have_sqlite3" = 1 ]; then
		sqlite3 "$1" "SELECT * FROM products; SELECT * FROM suppliers; SELECT * FROM price_tiers;" | cksum
	else
		echo no-sqlite3
	fi
}

db="$T/c.db"
assert_status 0 "import the sample CSV" "$SOUK" import "$samples/suppliers.csv" --db "$db"
assert_contains "$(cat "$T/out")" "imported 10 of 10 rows" "CSV summary"
assert_contains "$(cat "$T/out")" "0 rejected" "CSV summary counts rejections"
# the column index and the vocabulary cache come with the rows: the
# first query reads the index as written, and does not write it again
check "the import wrote the column index" test -s "$db.idx"
check "and the vocabulary cache" test -s "$db.vocab"
idx_before=$(cksum <"$db.idx")
ls -l --time-style=+%s.%N "$db.idx" >"$T/idx.ls"
assert_status 0 "a query after the import" "$SOUK" query --db "$db" --filters '{}' --format json
ls -l --time-style=+%s.%N "$db.idx" >"$T/idx.ls2"
assert_eq "$(cksum <"$db.idx")" "$idx_before" "the query did not rebuild the index"
check "nor rewrote the file" cmp -s "$T/idx.ls" "$T/idx.ls2"
assert_status 0 "import the sample JSON" "$SOUK" import "$samples/offers.json" --db "$db" --format json
assert_contains "$(cat "$T/out")" "imported 3 of 3 rows" "JSON summary"
check "the second import wrote an index of its own" test "$(cksum <"$db.idx")" != "$idx_before"
if [ "$have_sqlite3" = 1 ]; then
	assert_eq "$(count "$db" products)" 13 "products after both samples"
	assert_eq "$(count "$db" suppliers)" 11 "suppliers after both samples"
	assert_eq "$(sqlite3 "$db" "SELECT count(*) FROM products_fts WHERE products_fts MATCH 'pickleball'")" 3 \
		"imported rows are searchable"
	assert_eq "$(sqlite3 "$db" "PRAGMA journal_mode")" wal "the catalog stays in WAL mode"
	# Importing the same file again updates its offers and adds no supplier.
	"$SOUK" import "$samples/suppliers.csv" --db "$db" >"$T/out" 2>&1
	assert_contains "$(cat "$T/out")" "(0 new suppliers, 10 offers updated)" "suppliers and offers are deduplicated"
	assert_eq "$(count "$db" suppliers)" 11 "no duplicate suppliers"
else
	echo "import.sh: sqlite3 shell not found, skipping content checks"
fi
before=$(snapshot "$db")

# Default catalog: created empty (not a demo) in the data directory.
assert_status 0 "import into the default catalog" "$SOUK" import "$samples/offers.json"
check "default catalog created" test -s "$XDG_DATA_HOME/souk/catalog.db"
[ "$have_sqlite3" = 1 ] && assert_eq "$(count "$XDG_DATA_HOME/souk/catalog.db" products)" 3 \
	"the default catalog holds only the import"

# A malformed row is reported with file and line; the rest goes in.
printf 'title,supplier,country,price\nGood,Acme,CN,1\n"Two\nlines",Acme,CN,oops\nAlso good,Acme,CN,2\n' >"$T/bad.csv"
assert_status 0 "bad rows are skipped" "$SOUK" import "$T/bad.csv" --db "$T/b.db"
assert_contains "$(cat "$T/err")" "souk: $T/bad.csv:3: price 'oops' is not a positive number" \
	"row error names file and line"
assert_contains "$(cat "$T/out")" "imported 2 of 3 rows" "summary after a bad row"
assert_contains "$(cat "$T/out")" "1 rejected" "rejected count"

# --strict: the first bad row fails the whole file, nothing changes.
assert_status 1 "--strict fails on a bad row" "$SOUK" import "$T/bad.csv" --db "$db" --strict
assert_contains "$(cat "$T/err")" "bad.csv:3:" "--strict names the row"
assert_contains "$(cat "$T/err")" "catalog is unchanged" "--strict says nothing changed"
assert_eq "$(snapshot "$db")" "$before" "--strict left the catalog as it was"

# Errors: exit 1, a clear message, the catalog untouched, no new file.
assert_status 1 "missing file" "$SOUK" import "$T/nope.csv" --db "$T/new.db"
assert_contains "$(cat "$T/err")" "souk: cannot open $T/nope.csv" "missing file message"
check "no catalog created for a failed import" test ! -e "$T/new.db"
printf '[{"title": "x", "price": }]' >"$T/bad.json"
assert_status 1 "invalid JSON" "$SOUK" import "$T/bad.json" --db "$db"
assert_contains "$(cat "$T/err")" "bad.json:1: invalid JSON: " "invalid JSON message"
assert_status 1 "CSV read as JSON" "$SOUK" import "$T/bad.csv" --db "$db" --format json
head -c 4096 "$SOUK" >"$T/binary.csv"
assert_status 1 "binary file" "$SOUK" import "$T/binary.csv" --db "$db"
assert_contains "$(cat "$T/err")" "binary" "binary file message"
: >"$T/empty.csv"
assert_status 1 "empty file" "$SOUK" import "$T/empty.csv" --db "$db"
printf 'name,price\nMug,1\n' >"$T/nohead.csv"
assert_status 1 "header without supplier columns" "$SOUK" import "$T/nohead.csv" --db "$db"
assert_contains "$(cat "$T/err")" "the header needs" "header message"
printf 'title,supplier,country,price\nX,Acme,Narnia\033[31m,1\n' >"$T/allbad.csv"
assert_status 1 "no valid rows" "$SOUK" import "$T/allbad.csv" --db "$db"
assert_not_contains "$(cat "$T/err")" "$(printf '\033')" "escape bytes from data are not echoed"
assert_status 1 "no valid rows into a new catalog" "$SOUK" import "$T/allbad.csv" --db "$T/new.db"
check "a catalog the import created is not left behind empty" [ ! -e "$T/new.db" ]
# a re-imported offer replaces the one in the catalog and keeps its id
printf 'title,supplier,country,price,moq\nSteel Mug,Acme,CN,2.50,100\nGlass Jar,Acme,CN,1.10,200\n' >"$T/v1.csv"
printf 'title,supplier,country,price,moq\nsteel mug,Acme,CN,2.20,100\nGlass Jar,Acme,CN,1.10,200\nBamboo Lid,Acme,CN,0.40,500\n' >"$T/v2.csv"
assert_status 0 "a first price list" "$SOUK" import "$T/v1.csv" --db "$T/re.db"
assert_status 0 "the same list again, one price changed, one offer more" "$SOUK" import "$T/v2.csv" --db "$T/re.db"
assert_contains "$(cat "$T/out")" "2 offers updated" "the summary counts the updated offers"
if command -v sqlite3 >/dev/null 2>&1; then
	assert_eq "$(sqlite3 "$T/re.db" 'SELECT count(*) FROM products')" "3" "no offer is in the catalog twice"
	assert_eq "$(sqlite3 "$T/re.db" "SELECT id || ':' || price FROM products p JOIN price_tiers t ON t.product_id = p.id WHERE lower(title) = 'steel mug'")" "1:2.2" "the mug keeps its id and has the new price"
	assert_eq "$(sqlite3 "$T/re.db" "INSERT INTO products_fts(products_fts) VALUES ('integrity-check'); SELECT count(*) FROM products_fts")" "3" "the search index is in step"
fi
assert_status 0 "search after the re-import" "$SOUK" query --db "$T/re.db" --filters '{"keywords":["mug"]}' --format csv
assert_eq "$(grep -ci 'mug' "$T/out")" "1" "the search finds the mug once"

# a tier written as a range starts at its lower end
printf 'title,supplier,country,tiers\nMug,Acme,CN,"100-499: 2.50; 500-999: 2.20; 1000+: 2.00"\n' >"$T/ranges.csv"
assert_status 0 "tiers as ranges" "$SOUK" import "$T/ranges.csv" --db "$T/ranges.db"
if command -v sqlite3 >/dev/null 2>&1; then
	assert_eq "$(sqlite3 "$T/ranges.db" 'SELECT group_concat(min_qty) FROM (SELECT min_qty FROM price_tiers ORDER BY min_qty)')" "100,500,1000" "each tier from the lower end of its range"
	assert_eq "$(sqlite3 "$T/ranges.db" 'SELECT moq FROM products')" "100" "the MOQ is the first tier"
fi
assert_status 1 "unreachable URL" "$SOUK" import http://127.0.0.1:1/offers.csv --db "$db"
assert_contains "$(cat "$T/err")" "souk: cannot download http://127.0.0.1:1/offers.csv" "URL message"
assert_eq "$(snapshot "$db")" "$before" "failed imports left the catalog as it was"

# Usage errors: exit 2.
assert_status 2 "no file" "$SOUK" import
assert_status 2 "bad format" "$SOUK" import x.csv --format xml
assert_status 2 "unknown option" "$SOUK" import x.csv --frobnicate
assert_status 2 "two files" "$SOUK" import a.csv b.csv

# A real HTTP import from a loopback server, when python3 is around.
if command -v python3 >/dev/null 2>&1; then
	port=$((20000 + $$ % 20000))
	python3 -m http.server "$port" --bind 127.0.0.1 --directory "$samples" >/dev/null 2>&1 &
	server=$!
	i=0
	while [ $i -lt 50 ] && ! python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null; do
		sleep 0.1
		i=$((i + 1))
	done
	assert_status 0 "import over HTTP" "$SOUK" import "http://127.0.0.1:$port/suppliers.csv" --db "$T/h.db"
	assert_contains "$(cat "$T/out")" "imported 10 of 10 rows" "HTTP import summary"
	assert_status 1 "HTTP 404" "$SOUK" import "http://127.0.0.1:$port/missing.csv" --db "$T/h.db"
	assert_contains "$(cat "$T/err")" "HTTP 404" "404 message"
	kill "$server" 2>/dev/null
	wait "$server" 2>/dev/null
else
	echo "import.sh: python3 not found, skipping the HTTP import check"
fi

# Ctrl-C during a large import rolls it back (if it lands before the end).
awk 'BEGIN { print "title,supplier,country,price"; for (i = 0; i < 300000; i++) printf "Item %d,Supplier %d,CN,%d.5\n", i, i % 500, i % 9 + 1 }' >"$T/big.csv"
"$SOUK" import "$T/big.csv" --db "$db" >/dev/null 2>"$T/err" &
pid=$!
sleep 0.3
kill -INT "$pid" 2>/dev/null
wait "$pid"
status=$?
if [ "$status" != 0 ]; then
	assert_eq "$(snapshot "$db")" "$before" "an interrupted import left the catalog as it was"
	[ "$status" = 1 ] && assert_contains "$(cat "$T/err")" "interrupted" "interrupt message"
else
	echo "import.sh: the import finished before Ctrl-C arrived, nothing to check"
fi


# An import that writes no row leaves the catalog byte for byte as it was:
# meta, the search index's bookkeeping, even the header's change counter.
if command -v sha256sum >/dev/null 2>&1; then
	ndb="$T/nothing.db"
	"$SOUK" demo --products 50 --out "$ndb" >/dev/null 2>&1
	before_sum=$(sha256sum <"$ndb")
	echo '[false]' >"$T/false.json"
	assert_status 1 "a JSON import with no valid row fails" "$SOUK" import "$T/false.json" --db "$ndb"
	assert_eq "$(sha256sum <"$ndb")" "$before_sum" "no row written: the catalog is byte for byte the same (JSON)"
	printf 'title,supplier,country,price\nA,S,XX,1\nB,S,CN,-2\n' >"$T/allbad.csv"
	assert_status 1 "a CSV import with every row rejected fails" "$SOUK" import "$T/allbad.csv" --db "$ndb"
	assert_eq "$(sha256sum <"$ndb")" "$before_sum" "no row written: the catalog is byte for byte the same (CSV)"
	assert_status 0 "souk demo may still replace it" "$SOUK" demo --products 50 --out "$ndb"
	before_sum=$(sha256sum <"$ndb")
	printf '[{"title":"A","supplier":"S","country":"CN","price":1}][{"title":"B"}]' >"$T/two.json"
	assert_status 1 "trailing data after the JSON value is refused" "$SOUK" import "$T/two.json" --db "$ndb"
	assert_contains "$(cat "$T/err")" "two.json:1: invalid JSON: text follows the JSON value" "trailing data named"
	printf '[{"title":"A","supplier":"S","country":"CN","price":1}]\n<html>proxy error</html>\n' >"$T/proxy.json"
	assert_status 1 "an array followed by an HTML page is refused" "$SOUK" import "$T/proxy.json" --db "$ndb"
	assert_contains "$(cat "$T/err")" "proxy.json:2: invalid JSON: text follows the JSON value" "the line of the trailing text"
	assert_eq "$(sha256sum <"$ndb")" "$before_sum" "refused JSON: the catalog is byte for byte the same"
fi

# A file name is echoed sanitised: its escapes cannot retitle the terminal.
esc=$(printf 'x\033]0;pwned\007y.csv')
printf 'title,supplier,country,price\nA,S,XX,1\n' >"$T/$esc"
"$SOUK" import "$T/$esc" --db "$T/esc.db" >"$T/out" 2>"$T/err"
assert_not_contains "$(cat "$T/out" "$T/err")" "$(printf '\033')" "no escape byte from a file name reaches the terminal"
assert_contains "$(cat "$T/err")" "no valid rows in" "the message is still there"
"$SOUK" import "$T/nonexistent$esc" --db "$T/esc.db" >"$T/out" 2>"$T/err"
assert_not_contains "$(cat "$T/err")" "$(printf '\033')" "cannot open: no escape byte"
assert_contains "$(cat "$T/err")" "cannot open" "the message is still there"
# every other message that names a file: --strict, the header, invalid
# JSON, a catalog that cannot be opened, query's missing catalog
db_ok="$T/esc-ok.db"
printf 'title,supplier,country,price\nA,S,CN,1\n' >"$T/ok.csv"
"$SOUK" import "$T/ok.csv" --db "$db_ok" >/dev/null 2>&1
printf 'name,price\nA,1\n' >"$T/h$esc"
printf '[1,]' >"$T/j$esc.json"
# no_escape WANT DESCRIPTION COMMAND...: the message is there, without
# the name's escape or the title it would set
no_escape() {
	want=$1
	desc=$2
	shift 2
	"$@" >"$T/out" 2>"$T/err"
	assert_contains "$(cat "$T/err")" "$want" "$desc: the message is there"
	assert_not_contains "$(cat "$T/out" "$T/err")" "$(printf '\033')" "$desc: no escape byte from the name"
	assert_not_contains "$(cat "$T/out" "$T/err")" "pwned" "$desc: nor the title it would set"
}
no_escape "--strict rejects" "--strict" "$SOUK" import "$T/$esc" --db "$db_ok" --strict
no_escape "the header needs" "header" "$SOUK" import "$T/h$esc" --db "$db_ok"
no_escape "invalid JSON" "invalid JSON" "$SOUK" import "$T/j$esc.json" --db "$db_ok"
no_escape "cannot open" "catalog" "$SOUK" import "$T/ok.csv" --db "$T/nodir$esc/c.db"
no_escape "no catalog at" "query --db" "$SOUK" query --filters '{}' --db "$T/none$esc.db"

finish
