#!/bin/sh
# souk demo: builds catalogs of any size, refuses bad arguments, never clobbers an import.
. "$top_srcdir/tests/cli/lib.sh"

out=$("$SOUK" demo --products 500 --seed 3 --out "$T/a.db" 2>&1)
check "demo builds a small catalog" test -s "$T/a.db"
assert_contains "$out" "500 products" "demo reports its size"
assert_contains "$out" "50 suppliers" "demo scales suppliers with products"
check "the new catalog is one file (no -wal left beside it)" [ ! -e "$T/a.db-wal" ]
check "the new catalog is one file (no -shm left beside it)" [ ! -e "$T/a.db-shm" ]
check "no temp file left" sh -c "! ls '$T'/a.db.tmp* 2>/dev/null"

# Same seed, same bytes of content (the build time aside): compare two builds.
"$SOUK" demo --products 500 --seed 3 --out "$T/b.db" >/dev/null 2>&1
"$SOUK" demo --products 500 --seed 4 --out "$T/c.db" >/dev/null 2>&1
if command -v sqlite3 >/dev/null 2>&1; then
	da=$(sqlite3 "$T/a.db" "SELECT title, price_lo FROM products ORDER BY id" | cksum)
	db=$(sqlite3 "$T/b.db" "SELECT title, price_lo FROM products ORDER BY id" | cksum)
	dc=$(sqlite3 "$T/c.db" "SELECT title, price_lo FROM products ORDER BY id" | cksum)
	assert_eq "$da" "$db" "same seed gives the same catalog"
	check "another seed gives another catalog" test "$da" != "$dc"
else
	echo "demo.sh: sqlite3 shell not found, skipping the content comparison"
fi

# Usage errors: exit 2 and a message that says what to do.
assert_status 2 "non-numeric --products" "$SOUK" demo --products many --out "$T/x.db"
assert_contains "$(cat "$T/err")" "souk: --products wants a number" "--products message"
assert_status 2 "zero products" "$SOUK" demo --products 0 --out "$T/x.db"
assert_status 2 "bad seed" "$SOUK" demo --seed -1 --out "$T/x.db"
assert_status 2 "unknown option" "$SOUK" demo --frobnicate
assert_status 2 "option without value" "$SOUK" demo --out
check "nothing written on usage errors" test ! -e "$T/x.db"

# Runtime errors: exit 1, nothing half-written.
assert_status 1 "unwritable target" "$SOUK" demo --products 10 --out "$T/no/such/dir/x.db"
assert_contains "$(cat "$T/err")" "souk: " "error is prefixed"
printf 'name,country\nAcme,CN\n' >"$T/mine.db"
assert_status 1 "refuses to replace a file that is not a demo catalog" \
	"$SOUK" demo --products 10 --out "$T/mine.db"
assert_contains "$(cat "$T/err")" "--force" "says how to replace it"
assert_eq "$(cat "$T/mine.db")" "$(printf 'name,country\nAcme,CN')" "the file is untouched"
assert_status 0 "--force replaces it" "$SOUK" demo --products 10 --out "$T/mine.db" --force
assert_status 0 "a demo catalog may be rebuilt in place" "$SOUK" demo --products 20 --out "$T/mine.db"
assert_contains "$(cat "$T/out")" "20 products" "rebuilt size"

# Imported rows turn a demo catalog into the user's own: no silent rebuild.
"$SOUK" demo --products 20 --out "$T/mixed.db" >/dev/null 2>&1
"$SOUK" import "$top_srcdir/assets/samples/offers.json" --db "$T/mixed.db" >/dev/null 2>&1
assert_status 1 "a demo with imports is not replaced" "$SOUK" demo --products 20 --out "$T/mixed.db"
assert_contains "$(cat "$T/err")" "--force" "says how to replace it"

# Without --out the user's default catalog is built (in an isolated HOME here).
assert_status 0 "default target" "$SOUK" demo --products 30
check "default catalog in the data directory" test -s "$XDG_DATA_HOME/souk/catalog.db"

# The shared 30,000-product catalog used by the other tests.
db=$(demo_db)
check "shared demo catalog builds" test -s "$db"

finish
