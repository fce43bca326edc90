#!/bin/sh
# souk import on a nearly full disk: one clear message that says the catalog
# is unchanged, no -wal or -shm left behind, the catalog's rows as they were.
# The disk is a 512 KB tmpfs mounted for the test (root only; skipped where
# mounting is not permitted) and unmounted however the test ends.
. "$top_srcdir/tests/cli/lib.sh"

command -v sqlite3 >/dev/null 2>&1 || { echo "sqlite3 not installed"; exit 77; }
mnt="$T/disk"
mkdir -p "$mnt"
if ! mount -t tmpfs -o size=512k tmpfs "$mnt" 2>/dev/null; then
	echo "import_disk.sh: cannot mount a small tmpfs here (needs root), skipping"
	exit 77
fi
trap 'umount "$mnt" 2>/dev/null; rm -rf "$T"' EXIT
trap 'exit 1' INT TERM

db="$mnt/c.db"
"$SOUK" demo --products 300 --out "$db" >/dev/null 2>&1
check "a demo catalog on the small disk" test -s "$db"
awk 'BEGIN { print "title,supplier,country,price"; for (i = 0; i < 3000; i++) printf "Item %d,Supplier %d,CN,%d.5\n", i, i % 50, i % 9 + 1 }' >"$T/big.csv"
rows=$(sqlite3 "$db" "SELECT count(*) FROM products")

# fill leaves KB free; then import
fill_to() {
	rm -f "$mnt/fill"
	free=$(df -k "$mnt" | awk 'NR == 2 { print $4 }')
	dd if=/dev/zero of="$mnt/fill" bs=1k count=$((free - $1)) 2>/dev/null
}

# 20 KB free: not even the write-ahead log's index fits
fill_to 20
sum=$(sha256sum <"$db")
assert_status 1 "import with 20 KB free" "$SOUK" import "$T/big.csv" --db "$db"
assert_contains "$(cat "$T/err")" "the catalog is unchanged" "the message says the catalog is unchanged"
assert_contains "$(cat "$T/err")" "full" "and that the disk is full"
assert_eq "$(grep -c 'the catalog is unchanged' "$T/err")" 1 "said once"
assert_eq "$(wc -l <"$T/err")" 1 "one line"
check "no -wal left" test ! -e "$db-wal"
check "no -shm left" test ! -e "$db-shm"
check "no -journal left" test ! -e "$db-journal"
assert_eq "$(sha256sum <"$db")" "$sum" "the catalog is byte for byte the same"

# 120 KB free: the import starts writing and runs out of room
fill_to 120
assert_status 1 "import with 120 KB free" "$SOUK" import "$T/big.csv" --db "$db"
assert_contains "$(cat "$T/err")" "the catalog is unchanged" "the message says so"
assert_eq "$(grep -c 'the catalog is unchanged' "$T/err")" 1 "said once"
check "no -wal left" test ! -e "$db-wal"
check "no -shm left" test ! -e "$db-shm"
check "no -journal left" test ! -e "$db-journal"
rm -f "$mnt/fill"
assert_eq "$(sqlite3 "$db" "SELECT count(*) FROM products")" "$rows" "the rows are as they were"
assert_eq "$(sqlite3 "$db" "PRAGMA integrity_check")" ok "and the catalog is sound"
assert_eq "$(sqlite3 "$db" "PRAGMA journal_mode")" wal "and still in WAL mode"

# An XLSX export onto the full disk: souk's one message, none of
# libxlsxwriter's own "[ERROR]" lines.
if [ "${SOUK_HAVE_XLSX:-no}" = yes ]; then
	printf '{"title": "t", "offers": [{"product_id": 1, "supplier": "S", "product": "p", "price": 2, "moq": 10}]}' >"$T/list.json"
	"$SOUK" shortlist import "$T/list.json" --name full >/dev/null 2>&1
	fill_to 4
	assert_status 1 "an XLSX export onto a full disk fails" "$SOUK" shortlist export full --out "$mnt/x.xlsx"
	assert_contains "$(cat "$T/err")" "souk: cannot write" "souk says it"
	assert_not_contains "$(cat "$T/err")" "[ERROR]" "libxlsxwriter's own lines do not reach the user"
	check "no partial file" test ! -e "$mnt/x.xlsx"
	rm -f "$mnt/fill"
fi
finish
