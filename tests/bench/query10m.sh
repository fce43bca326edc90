# The 10,000,000-product figures (make bench-10m): the demo build with its
# column index, `souk query` per process over the refinement mix, peak
# RSS, the index's size, and the dashboard's first rows. Prints
# "bench: NAME VALUE UNIT" lines; never fails on a figure.
set -u
: "${SOUK:?}" "${top_builddir:?}" "${top_srcdir:?}"
big="$top_builddir/tests/bench-10m.db"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/souk-bench10m.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
export HOME="$tmp" XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config"
now_ms() { t=$(date +%s%N); echo $((t / 1000000)); }

if [ ! -s "$big" ] || [ ! -s "$big.idx" ]; then
	t0=$(now_ms)
	/usr/bin/time -f %M -o "$tmp/rss" "$SOUK" demo --products 10000000 --seed 7 --force \
		--out "$big" >/dev/null || exit 1
	echo "bench: demo_10m_build_s $(( ($(now_ms) - t0) / 1000 )) s (catalog and column index)"
	echo "bench: demo_10m_build_peak_rss_mb $(($(tail -n 1 "$tmp/rss") / 1024)) MB"
fi
# per process, timed from fork to exit as in query.sh (each query's
# median of 3 runs)
"$top_builddir/tests/bench/bench_proc" "$top_srcdir/tests/bench/query-mix.txt" 3 \
	"$SOUK" query --db "$big" --filters @ --format json --limit 50 >"$tmp/proc" || exit 1
n=$(wc -l <"$tmp/proc")
echo "bench: query_10m_proc_p50_ms $(cut -d' ' -f1 "$tmp/proc" | sort -n | sed -n "$(((n + 1) / 2))p") ms ($n refinements)"
echo "bench: query_10m_proc_max_ms $(cut -d' ' -f1 "$tmp/proc" | sort -n | tail -n 1) ms"
echo "bench: query_10m_proc_slowest_run_ms $(cut -d' ' -f3 "$tmp/proc" | sort -n | tail -n 1) ms"
echo "bench: query_10m_proc_peak_rss_mb $(($(cut -d' ' -f4 "$tmp/proc" | sort -n | tail -n 1) / 1024)) MB"
echo "bench: index_10m_mb_per_million $(($(wc -c <"$big.idx") / 10 / 1048576)) MB"
export LC_ALL=C.UTF-8 TERM=xterm-256color COLUMNS=160 LINES=48
printf '%s' '<wait>' >"$tmp/keys"
"$SOUK" --db "$big" --replay "$tmp/keys" </dev/null 2>"$tmp/report" >/dev/null &&
	echo "bench: tui_first_rows_10m_ms $(awk '$2 == "first_rows_ms" { print $3 }' "$tmp/report") ms"
# last: it leaves the catalog and its index out of the page cache
"$top_builddir/tests/bench/bench_proc" --cold "$big" --cold "$big.idx" \
	"$top_srcdir/tests/bench/query-mix.txt" 1 \
	"$SOUK" query --db "$big" --filters @ --format json --limit 50 >"$tmp/proc" || exit 1
echo "bench: query_10m_proc_cold_p50_ms $(cut -d' ' -f1 "$tmp/proc" | sort -n | sed -n "$(((n + 1) / 2))p") ms (catalog and index read back from disk)"
exit 0
