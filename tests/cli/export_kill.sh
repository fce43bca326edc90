#!/bin/sh
# kill -9 during an export: the target is always the old file or the new
# one, whole, never a partial file.
. "$top_srcdir/tests/cli/lib.sh"

cd "$T" || exit 1

# Two big lists whose exports differ, so "old" and "new" can be told apart.
big_json() {
	awk -v n="$1" -v tag="$2" 'BEGIN {
		printf "{\"title\": \"%s\", \"offers\": [", tag
		for (i = 1; i <= n; i++)
			printf "%s{\"product_id\": %d, \"supplier\": \"%s 供应商 %d, \\\"Ltd\\\" 🏓\", \"product\": \"paddle %d\", \"price\": %d.25, \"moq\": %d, \"note\": \"line one\\nline two, %s\", \"status\": \"shortlisted\"}", (i > 1 ? "," : ""), i, tag, i, i, i % 50, i * 10, tag
		print "]}"
	}'
}
big_json 8000 A >a.json
big_json 8000 B >b.json
"$SOUK" shortlist import a.json >/dev/null || fail "import A"
"$SOUK" shortlist import b.json >/dev/null || fail "import B"
for f in csv md; do
	"$SOUK" shortlist export A --out "ref-A.$f" || fail "reference export A.$f"
	"$SOUK" shortlist export B --out "ref-B.$f" || fail "reference export B.$f"
done
cmp -s ref-A.csv ref-B.csv && fail "the two exports must differ"

kills=0
i=0
while [ $i -lt 24 ]; do
	i=$((i + 1))
	f=csv
	[ $((i % 3)) -eq 0 ] && f=md
	list=A
	[ $((i % 2)) -eq 0 ] && list=B
	"$SOUK" shortlist export $list --out "out.$f" --force 2>/dev/null &
	pid=$!
	# a different moment in the write each time: 0 to ~90 ms
	sleep "0.0$((i * 37 % 10))"
	kill -9 $pid 2>/dev/null && kills=$((kills + 1))
	wait $pid 2>/dev/null
	if [ -e "out.$f" ]; then
		if cmp -s "out.$f" "ref-A.$f" || cmp -s "out.$f" "ref-B.$f"; then ok; else
			fail "out.$f after kill -9 (round $i) is neither the old nor the new export"
		fi
	else
		ok # killed before the first export ever finished
	fi
done
printf 'killed %d of %d exports mid-way\n' "$kills" "$i"
# Temp files of killed writers may remain (nothing can clean up after
# SIGKILL); they never carry the target's name.
for t in out.csv.tmp-* out.md.tmp-*; do
	[ -e "$t" ] || continue
	case $t in out.csv | out.md) fail "temp named like the target" ;; *) ok ;; esac
done

finish
