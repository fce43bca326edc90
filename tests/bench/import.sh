#!/bin/sh
# Benchmarks of the data area: CSV import speed (FTS indexing included), into
# an empty catalog and into the 30,000-product demo, and demo catalog build
# times. Prints "bench: NAME VALUE UNIT"; never fails on a figure.
set -u
: "${SOUK:?SOUK must point at the built souk binary}"
ROWS=${BENCH_IMPORT_ROWS:-1000000}
DEMO_BIG=${BENCH_DEMO_PRODUCTS:-1000000}
T=$(mktemp -d "${TMPDIR:-/tmp}/souk-bench.XXXXXX")
trap 'rm -rf "$T"' EXIT INT TERM

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

# One offer per row, 50,000 suppliers, three price tiers, certifications.
awk -v n="$ROWS" 'BEGIN {
	srand(42)
	split("CN IN VN TR PK BD TW TH ID MY MX US DE IT PT KR JP", cc, " ")
	split("Carbon Fiber Pickleball Paddle 16mm|Eco TPE Yoga Mat 6mm Non-Slip|USB-C Charger 65W GaN|Cotton Tote Bag 12oz|Silicone Baby Bib BPA Free|Stainless Steel Water Bottle 750ml|LED Strip Lights 5m RGB|Dog Leash Reflective Nylon", titles, "|")
	split("sports/pickleball/paddles|sports/yoga/mats|electronics/power/usb-c-chargers|apparel/bags/cotton-tote-bags|toys/baby/silicone-bibs|home/kitchen/stainless-bottles|electronics/lighting/led-strips|pets/walking/dog-leashes", cats, "|")
	split("CE;RoHS|FCC|OEKO-TEX|CPSIA;EN71|FDA;LFGB|USAPA||BSCI", certs, "|")
	print "title,description,category,supplier,country,price,tiers,moq,lead_time,certifications,incoterm"
	for (i = 1; i <= n; i++) {
		t = int(rand() * 8) + 1; s = int(rand() * 50000); p = 1 + rand() * 20
		printf "\"%s %d\",Model %d in stock,%s,Supplier %d Co. Ltd,%s,%.2f,\"500:%.2f;1000:%.2f\",%d,%d,\"%s\",FOB\n",
			titles[t], i, i, cats[t], s, cc[s % 17 + 1], p, p * 0.93, p * 0.88,
			100 * (1 + int(rand() * 5)), 10 + int(rand() * 30), certs[int(rand() * 8) + 1]
	}
}' >"$T/offers.csv"

a=$(now)
if "$SOUK" import "$T/offers.csv" --db "$T/import.db" >/dev/null 2>"$T/err"; then
	b=$(now)
	awk -v n="$ROWS" -v a="$a" -v b="$b" 'BEGIN { printf "bench: import_rows_per_s %d rows/s\n", n / (b - a) }'
	echo "bench: import_${ROWS}_rows_s $(elapsed "$a" "$b") s"
else
	echo "bench: import failed: $(head -c 300 "$T/err")" >&2
fi
rm -f "$T"/import.db*

a=$(now)
"$SOUK" demo --products 30000 --out "$T/demo30k.db" >/dev/null
b=$(now)
echo "bench: demo_30k_build_s $(elapsed "$a" "$b") s"

# The usual first import: into the demo catalog a first run builds.
a=$(now)
if "$SOUK" import "$T/offers.csv" --db "$T/demo30k.db" >/dev/null 2>"$T/err"; then
	b=$(now)
	awk -v n="$ROWS" -v a="$a" -v b="$b" 'BEGIN { printf "bench: import_into_demo_rows_per_s %d rows/s\n", n / (b - a) }'
else
	echo "bench: import into the demo failed: $(head -c 300 "$T/err")" >&2
fi
rm -f "$T/offers.csv" "$T"/demo30k.db*

a=$(now)
"$SOUK" demo --products "$DEMO_BIG" --out "$T/demo1m.db" >/dev/null
b=$(now)
if [ "$DEMO_BIG" = 1000000 ]; then
	echo "bench: demo_1m_build_s $(elapsed "$a" "$b") s"
else
	echo "bench: demo_${DEMO_BIG}_build_s $(elapsed "$a" "$b") s"
fi
