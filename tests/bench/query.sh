# Query speed: refinement latency on a 1,000,000-product catalog, peak RSS of
# `souk query` there, and the wall time of `souk query` on the demo catalog.
# Prints "bench: NAME VALUE UNIT" lines; never fails on a figure.
set -u
: "${SOUK:?}" "${SOUK_ASSETS:?}" "${top_builddir:?}"

big="$top_builddir/tests/bench-1m.db"
demo="$top_builddir/tests/demo-test.db"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/souk-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
export HOME="$tmp" XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config"

now_ms() {
	# date +%s%N where it works, else whole seconds
	t=$(date +%s%N 2>/dev/null)
	case $t in
	*N) echo $(($(date +%s) * 1000)) ;;
	*) echo $((t / 1000000)) ;;
	esac
}

mkdir -p "$top_builddir/tests"
if [ ! -s "$big" ]; then
	echo "bench: building the 1,000,000-product catalog once (about a minute)" >&2
	t0=$(now_ms)
	"$SOUK" demo --products 1000000 --seed 7 --out "$big" >/dev/null || exit 1
	echo "bench: demo_1m_build_s $(( ($(now_ms) - t0) / 1000 )) s"
fi
if [ ! -s "$demo" ]; then
	"$SOUK" demo --products 30000 --seed 1 --out "$demo" >/dev/null || exit 1
fi

# Refinement latency in one process, as the dashboard's worker sees it.
"$top_builddir/tests/bench/bench_query" "$big" "$SOUK_ASSETS" 3 || exit 1

# Peak RSS of one `souk query` on the big catalog (a refinement query).
q='{"keywords":["yoga","mat"],"price_max":8,"moq_max":500,"market":"US","verified_only":true}'
if /usr/bin/time -f %M true 2>/dev/null; then
	/usr/bin/time -f %M -o "$tmp/rss" "$SOUK" query --db "$big" --filters "$q" --format json \
		>/dev/null || exit 1
	echo "bench: query_peak_rss_mb $(( $(tail -n 1 "$tmp/rss") / 1024 )) MB"
else
	echo "bench: query_peak_rss_mb unavailable (no GNU time)" >&2
fi

# Per `souk query` process on the big catalog, as a buyer's refinements
# arrive one command at a time: wall time (p50, max) and peak RSS over a
# mix of refinement queries, and the unfiltered query (the precomputed
# default order of the column index). bench_proc times each process from
# fork to exit (no shell or timer process in the figure) and runs each
# query three times: a query's figure is its median, so one hiccup of the
# machine is not read as souk's; the slowest single run is printed too.
proc="$top_builddir/tests/bench/bench_proc"
mix="$top_srcdir/tests/bench/query-mix.txt"
proc_figures() { # proc_figures DB NAME
	"$SOUK" query --db "$1" --filters '{}' --format json >/dev/null || return 1
	"$proc" "$mix" 3 "$SOUK" query --db "$1" --filters @ --format json --limit 50 \
		>"$tmp/proc" || return 1
	n=$(wc -l <"$tmp/proc")
	echo "bench: query_${2}_proc_p50_ms $(cut -d' ' -f1 "$tmp/proc" | sort -n | sed -n "$(((n + 1) / 2))p") ms (souk query per process, $n refinements, median of 3 runs each)"
	echo "bench: query_${2}_proc_max_ms $(cut -d' ' -f1 "$tmp/proc" | sort -n | tail -n 1) ms"
	echo "bench: query_${2}_proc_slowest_run_ms $(cut -d' ' -f3 "$tmp/proc" | sort -n | tail -n 1) ms"
	echo "bench: query_${2}_proc_peak_rss_mb $(($(cut -d' ' -f4 "$tmp/proc" | sort -n | tail -n 1) / 1024)) MB"
	echo '{}' >"$tmp/unfiltered"
	"$proc" "$tmp/unfiltered" 5 "$SOUK" query --db "$1" --filters @ --format json --limit 50 \
		>"$tmp/proc" || return 1
	echo "bench: query_${2}_unfiltered_ms $(cut -d' ' -f1 "$tmp/proc") ms (start over: the stored default order)"
	sz=$(wc -c <"$1.idx")
	np=$(sqlite3 "$1" 'SELECT count(*) FROM products' 2>/dev/null || echo 0)
	[ "$np" -gt 0 ] 2>/dev/null &&
		echo "bench: index_${2}_mb_per_million $((sz * 1000000 / np / 1048576)) MB (column index $1.idx)"
	# the same after the machine dropped the catalog and its index from
	# the page cache (as it does with files left alone for a minute here)
	"$proc" --cold "$1" --cold "$1.idx" "$mix" 1 "$SOUK" query --db "$1" --filters @ \
		--format json --limit 50 >"$tmp/proc" || return 1
	echo "bench: query_${2}_proc_cold_p50_ms $(cut -d' ' -f1 "$tmp/proc" | sort -n | sed -n "$(((n + 1) / 2))p") ms (catalog and index read back from disk)"
	# and back into the page cache for the figures that follow
	"$proc" "$mix" 1 "$SOUK" query --db "$1" --filters @ --format json --limit 50 >/dev/null ||
		return 1
	return 0
}
proc_figures "$big" 1m || exit 1
echo "bench: query_10m skipped (run make bench-10m: a 10,000,000-product catalog takes minutes and 9 GB)"

# The same per process on the 30,000-product demo catalog.
"$SOUK" query --db "$demo" yoga mat >/dev/null || exit 1
"$proc" "$mix" 3 "$SOUK" query --db "$demo" --filters @ --format json --limit 50 >"$tmp/proc" ||
	exit 1
n=$(wc -l <"$tmp/proc")
echo "bench: query_demo_proc_p50_ms $(cut -d' ' -f1 "$tmp/proc" | sort -n | sed -n "$(((n + 1) / 2))p") ms (30,000 products, $n refinements)"
echo "bench: query_demo_proc_max_ms $(cut -d' ' -f1 "$tmp/proc" | sort -n | tail -n 1) ms"

# `souk --version`: process start and dynamic linking alone, the floor
# under the figures above.
echo version >"$tmp/one"
"$proc" "$tmp/one" 15 "$SOUK" --version >"$tmp/proc" || exit 1
echo "bench: query_startup_floor_ms $(cut -d' ' -f1 "$tmp/proc") ms (souk --version)"
