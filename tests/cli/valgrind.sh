#!/bin/sh
# The command-line paths under valgrind: no leaks and no memory errors in
# query, interpret, import (file, JSON, bad file, dead URL) and shortlist
# import, show and export to every format. Skipped in the sanitizer build,
# where AddressSanitizer does this job and valgrind cannot run.
. "$top_srcdir/tests/cli/lib.sh"

if [ "${SOUK_SANITIZERS:-no}" = yes ]; then
	echo "sanitizer build: valgrind cannot run ASan binaries; ASan checks leaks here"
	exit 77
fi
if ! command -v valgrind >/dev/null 2>&1; then
	echo "valgrind not installed (./bootstrap check installs it)"
	exit 77
fi

DB=$(demo_db)
samples="$top_srcdir/assets/samples"
cd "$T" || exit 1

# vg DESCRIPTION EXPECTED-STATUS ARGS...: runs souk under valgrind; a leak
# or a memory error makes valgrind exit 99.
vg() {
	desc=$1
	want=$2
	shift 2
	valgrind -q --leak-check=full --show-leak-kinds=definite,indirect \
		--errors-for-leak-kinds=definite,indirect --error-exitcode=99 \
		"$SOUK" "$@" >"$T/vg.out" 2>"$T/vg.err"
	got=$?
	if [ "$got" -eq "$want" ]; then
		ok
	else
		fail "$desc: status $got, wanted $want; valgrind said:
$(grep '^==' "$T/vg.err" | head -30)"
	fi
}

vg "query as json" 0 query --db "$DB" pickleball paddles --limit 5 --format json
vg "query with filters as a table" 0 query --db "$DB" --filters '{"keywords":["yoga","mat"],"price_max":5,"moq_max":500}'
vg "query that matches nothing" 0 query --db "$DB" --filters '{"keywords":["zzzz"],"price_max":0.01}'
vg "query with bad filters" 2 query --db "$DB" --filters '{"price_max":"cheap"}'
vg "interpret over several turns" 0 interpret --db "$DB" --json "I want to explore the idea of pickleball" \
	"paddles for the US under \$8, MOQ below 500" "make it 1000 pieces" "not from China after all" "cheaper" "undo"
vg "interpret hostile input" 0 interpret "$(printf 'mugs \377 under $5 \033[31m')" "under \$5 and over \$10" "-3 dollars"
vg "import a CSV" 0 import "$samples/suppliers.csv" --db "$T/imp.db"
vg "import JSON" 0 import "$samples/offers.json" --db "$T/imp.db"
printf 'title,price\n"unterminated,1\n' >bad.csv
vg "import a malformed CSV strictly" 1 import bad.csv --strict --db "$T/imp.db"
vg "import from a dead address" 1 import http://127.0.0.1:1/offers.csv --db "$T/imp.db"

cat >in.json <<'JSON'
{"souk_export": 1, "title": "paddles", "currency": "USD",
 "filters": {"keywords": ["pickleball", "paddle"], "quantity": 500, "currency": "USD"},
 "transcript": [{"role": "user", "text": "pickleball paddles"}],
 "offers": [
  {"product_id": 11, "supplier": "深圳市佳品 Sports", "country": "CN", "product": "Carbon paddle",
   "price": 7.5, "moq": 300, "lead_time_days": 25, "verified": true, "certifications": ["CE"],
   "score": 91, "note": "call \"Tue\"", "status": "ask supplier"},
  {"product_id": 12, "supplier": "Paddle Works", "country": "VN", "product": "Graphite",
   "price": 6.25, "moq": 500, "lead_time_days": 30, "score": 84, "status": "shortlisted"}
 ]}
JSON
vg "shortlist import" 0 shortlist import in.json
vg "shortlist list" 0 shortlist list
vg "shortlist show" 0 shortlist show paddles --db "$DB"
fmts="csv json md"
[ "${SOUK_HAVE_XLSX:-no}" = yes ] && fmts="$fmts xlsx"
for fmt in $fmts; do
	vg "shortlist export $fmt" 0 shortlist export paddles --out "out.$fmt" --db "$DB"
done
vg "export refuses to overwrite" 1 shortlist export paddles --out out.csv --db "$DB"
finish
