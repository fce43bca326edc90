# The interpreter's fuzz harness over its seed corpus (no libFuzzer needed).
set -u
bin="$top_builddir/tests/fuzz/fuzz_intent_main"
"$bin" "$top_srcdir"/tests/fuzz/corpus-intent/*
rc=$?
echo "fuzz_intent over the seed corpus: exit $rc"
exit $rc
