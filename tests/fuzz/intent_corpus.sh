# The interpreter's fuzz harness over its seed corpus (no libFuzzer needed),
# then, when configure found clang, a short libFuzzer run from that corpus:
# 5,000 generated inputs under ASan and UBSan, with its dictionary.
# Longer runs: make fuzz.
set -u
bin="$top_builddir/tests/fuzz/fuzz_intent_main"
"$bin" "$top_srcdir"/tests/fuzz/corpus-intent/*
rc=$?
echo "fuzz_intent over the seed corpus: exit $rc"
[ $rc -eq 0 ] || exit $rc
fuzzer="$top_builddir/tests/fuzz/fuzz_intent"
if [ -x "$fuzzer" ]; then
	work=$(mktemp -d "${TMPDIR:-/tmp}/souk-fuzz.XXXXXX")
	trap 'rm -rf "$work"' EXIT INT TERM
	cp "$top_srcdir"/tests/fuzz/corpus-intent/* "$work/"
	# a crash leaves its input in $work and libFuzzer exits non-zero
	(cd "$work" && "$fuzzer" -runs=5000 -max_len=4096 -seed=1 \
		-dict="$top_srcdir/tests/fuzz/intent.dict" . >log 2>&1)
	rc=$?
	tail -n 3 "$work/log"
	echo "libFuzzer run: exit $rc"
fi
exit $rc
