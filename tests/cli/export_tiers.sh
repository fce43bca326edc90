#!/bin/sh
# With a catalog at hand, JSON and XLSX exports carry every price tier, and
# `show` says which offers the catalog no longer has.
. "$top_srcdir/tests/cli/lib.sh"

cd "$T" || exit 1
"$SOUK" demo --products 500 --seed 3 --out cat.db >/dev/null 2>&1 || fail "demo catalog"

cat >in.json <<'JSON'
{"title": "pack", "offers": [
 {"product_id": 1, "supplier": "someone", "product": "first", "price": 1.5, "moq": 50},
 {"product_id": 2, "supplier": "someone else", "product": "second", "price": 2.5, "moq": 200},
 {"product_id": 987654, "supplier": "vanished", "product": "gone", "price": 3, "moq": 1}
]}
JSON
"$SOUK" shortlist import in.json >/dev/null || fail "import"

check "JSON export with the catalog" "$SOUK" shortlist export pack --db cat.db --out t.json
json=$(tr -d ' \t\n' <t.json)
assert_contains "$json" '"tiers":[{"min_qty":' "JSON: offers carry their tiers"
assert_contains "$json" '"product_id":987654' "JSON: the vanished offer is still exported"
assert_contains "$json" '"tiers":[]' "JSON: no tiers for an offer the catalog lacks"
check "JSON export without a catalog" "$SOUK" shortlist export pack --db "$T/none.db" --out n.json
assert_not_contains "$(cat n.json)" '"tiers"' "JSON: no tiers without a catalog"

if "$SOUK" shortlist export pack --db cat.db --out t.xlsx 2>err; then
	tiers=$(unzip -p t.xlsx xl/worksheets/sheet2.xml | grep -o '<row ' | wc -l)
	[ "$tiers" -ge 4 ] && ok || fail "XLSX: the tiers sheet lists every tier (got $((tiers - 1)) rows)"
else
	assert_contains "$(cat err)" "without XLSX support" "XLSX without libxlsxwriter says so"
fi

out=$("$SOUK" shortlist show pack --db cat.db)
assert_contains "$out" "since added: no longer in the catalog" "show: a vanished offer is flagged"

finish
