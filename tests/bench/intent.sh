# Interpreter speed: one turn (target: at most 1 ms), a dialog turn without a
# catalog, and `souk interpret` end to end: the first run (which builds the
# demo catalog), the runs after it, and the overview on the demo catalog.
# Prints "bench: NAME VALUE UNIT" lines; never fails on a figure.
set -u
: "${SOUK:?}" "${SOUK_ASSETS:?}" "${top_builddir:?}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/souk-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
export HOME="$tmp" XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config"


now_ms() {
	t=$(date +%s%N 2>/dev/null)
	case $t in
	*N) echo $(($(date +%s) * 1000)) ;;
	*) echo $((t / 1000000)) ;;
	esac
}
demo="$top_builddir/tests/demo-test.db"
[ -s "$demo" ] || "$SOUK" demo --products 30000 --seed 1 --out "$demo" >/dev/null
"$top_builddir/tests/bench/bench_intent" 2000 "$demo" || echo "bench: intent_turn_us failed"
# the first run in a new home builds the demo catalog: that is the
# first-run figure; the second is every run after it
t0=$(now_ms)
"$SOUK" interpret --json "pickleball paddles for the US market under \$8, MOQ below 500" >/dev/null
t1=$(now_ms)
echo "bench: interpret_cli_first_run_ms $((t1 - t0)) ms"
t0=$(now_ms)
"$SOUK" interpret --json "pickleball paddles for the US market under \$8, MOQ below 500" >/dev/null
t1=$(now_ms)
echo "bench: interpret_cli_ms $((t1 - t0)) ms"
if [ -s "$demo" ]; then
	t0=$(now_ms)
	"$SOUK" interpret --db "$demo" "I want to explore the idea of pickleball" >/dev/null
	t1=$(now_ms)
	echo "bench: interpret_overview_demo_ms $((t1 - t0)) ms"
fi
