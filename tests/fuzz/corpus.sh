# Every fuzz target of tests/fuzz (but the interpreter's, intent_corpus.sh)
# over its seed corpus through a plain main(), no libFuzzer needed; then,
# where configure found clang, a short libFuzzer run of each from that
# corpus (2,000 inputs or 8 seconds, ASan and UBSan) with its dictionary.
# Longer runs: make fuzz.
set -u
rc=0
work=$(mktemp -d "${TMPDIR:-/tmp}/souk-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 1' INT TERM
for t in import_csv import_json filter shortlist config; do
	corpus=corpus-$t
	n=$(ls "$top_srcdir/tests/fuzz/$corpus" | wc -l)
	if [ "$n" -eq 0 ]; then
		echo "fuzz_$t: the seed corpus $corpus is empty"
		rc=1
		continue
	fi
	"$top_builddir/tests/fuzz/fuzz_${t}_main" "$top_srcdir/tests/fuzz/$corpus"/*
	s=$?
	echo "fuzz_$t over its $n seeds: exit $s"
	[ $s -eq 0 ] || rc=$s
	fuzzer="$top_builddir/tests/fuzz/fuzz_$t"
	if [ -x "$fuzzer" ]; then
		mkdir -p "$work/$t"
		cp "$top_srcdir/tests/fuzz/$corpus"/* "$work/$t/"
		# a crash leaves its input in $work and libFuzzer exits non-zero
		(cd "$work" && "$fuzzer" -runs=2000 -max_total_time=8 -max_len=8192 -seed=1 \
			-dict="$top_srcdir/tests/fuzz/$t.dict" "$t" >"$t.log" 2>&1)
		s=$?
		tail -n 2 "$work/$t.log"
		echo "fuzz_$t libFuzzer run: exit $s"
		[ $s -eq 0 ] || rc=$s
	fi
done
exit $rc
