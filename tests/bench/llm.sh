# What souk adds to a turn through a model server, measured against the
# loopback server: a streamed chunk's delivery (target at most 5 ms) and the
# offline answer after a failure (target at most 100 ms).
# Prints "bench: NAME VALUE UNIT" lines; never fails on a figure.
set -u
: "${SOUK:?}" "${SOUK_ASSETS:?}" "${top_builddir:?}" "${top_srcdir:?}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/souk-bench.XXXXXX")
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM
export HOME="$tmp" XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config" SOUK_ASSETS

SLOW_CHUNKS=200 SLOW_GAP=0.005 python3 "$top_srcdir/tests/llm/server.py" "$tmp/port" &
pid=$!
i=0
while [ ! -s "$tmp/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
demo="$top_builddir/tests/demo-test.db"
[ -s "$demo" ] || "$SOUK" demo --products 30000 --seed 1 --out "$demo" >/dev/null
"$top_builddir/tests/bench/bench_llm" "http://127.0.0.1:$(cat "$tmp/port")/v1" "$demo" ||
	echo "bench: llm failed"
