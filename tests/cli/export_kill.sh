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

# The targets exist from the start: every round checks a real file.
cp ref-A.csv out.csv
cp ref-A.md out.md

# How long one export takes, so the kills land across the whole write.
t0=$(date +%s%N)
"$SOUK" shortlist export B --out "timing.csv" || fail "timing export"
t1=$(date +%s%N)
ms=$(((t1 - t0) / 1000000))
[ "$ms" -gt 0 ] || ms=1

# A kill lands mid-write when the writer's temp file is left behind: it
# was made and never renamed. Odd rounds kill at a moment spread over the
# whole export; even rounds wait for the temp file to appear and kill then,
# so some kills land inside the write however slow the build (sanitizers)
# makes the rest. Rounds go on until several have, so the test proves it
# tested what it claims.
kills=0 midway=0 i=0
while [ $i -lt 120 ] && [ $midway -lt 4 ]; do
	i=$((i + 1))
	f=csv
	[ $((i % 3)) -eq 0 ] && f=md
	list=A
	[ $((i % 2)) -eq 0 ] && list=B
	rm -f out.$f.tmp-* # what earlier kills left: each round counts its own
	"$SOUK" shortlist export $list --out "out.$f" --force 2>/dev/null &
	pid=$!
	if [ $((i % 2)) -eq 0 ]; then
		# the shell's own glob, no process per look, while the export runs
		while kill -0 $pid 2>/dev/null; do
			set -- out.$f.tmp-*
			[ -e "$1" ] && break
		done
	else
		# a different moment of the export each round: 0 to 1.2 times its length
		delay=$((ms * (i * 37 % 13) / 10))
		sleep "$((delay / 1000)).$(printf '%03d' $((delay % 1000)))"
	fi
	kill -9 $pid 2>/dev/null && kills=$((kills + 1))
	wait $pid 2>/dev/null
	set -- out.$f.tmp-*
	[ -e "$1" ] && midway=$((midway + 1))
	if cmp -s "out.$f" "ref-A.$f" || cmp -s "out.$f" "ref-B.$f"; then ok; else
		fail "out.$f after kill -9 (round $i) is neither the old nor the new export"
	fi
done
printf 'killed %d of %d exports, %d of them mid-write (one export: %d ms)\n' "$kills" "$i" "$midway" "$ms"
check "some exports were killed mid-write ($midway)" test "$midway" -gt 0

finish
