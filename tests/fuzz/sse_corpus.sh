# The SSE parser's fuzz harness over its seed corpus (no libFuzzer needed),
# then, when configure found clang, a short libFuzzer run from that corpus
# with its dictionary. Longer runs: make fuzz (every harness).
set -u
bin="$top_builddir/tests/fuzz/fuzz_sse_main"
"$bin" "$top_srcdir"/tests/fuzz/corpus-sse/*
rc=$?
echo "fuzz_sse over the seed corpus ($(ls "$top_srcdir"/tests/fuzz/corpus-sse | wc -l) files): exit $rc"
[ $rc -eq 0 ] || exit $rc
fuzzer="$top_builddir/tests/fuzz/fuzz_sse"
if [ -x "$fuzzer" ]; then
	work=$(mktemp -d "${TMPDIR:-/tmp}/souk-fuzz.XXXXXX")
	trap 'rm -rf "$work"' EXIT INT TERM
	cp "$top_srcdir"/tests/fuzz/corpus-sse/* "$work/"
	(cd "$work" && "$fuzzer" -runs=20000 -max_len=4096 -seed=1 \
		-dict="$top_srcdir/tests/fuzz/sse.dict" . >log 2>&1)
	rc=$?
	tail -n 3 "$work/log"
	echo "libFuzzer run: exit $rc"
fi
exit $rc
