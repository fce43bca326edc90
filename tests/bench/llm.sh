# What souk adds to a turn through a model server, measured against the
# loopback server: a streamed chunk's delivery (target at most 5 ms) and the
# offline answer after a failure (target at most 100 ms), first in core/llm
# (to the text callback), then in the dashboard (souk --replay: to the
# frame on screen).
# Prints "bench: NAME VALUE UNIT" lines; never fails on a figure.
set -u
: "${SOUK:?}" "${SOUK_ASSETS:?}" "${top_builddir:?}" "${top_srcdir:?}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/souk-bench.XXXXXX")
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM
export HOME="$tmp" XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config" SOUK_ASSETS
export LC_ALL=C.UTF-8 TERM=xterm-256color COLUMNS=160 LINES=48

SLOW_CHUNKS=200 SLOW_GAP=0.005 python3 "$top_srcdir/tests/llm/server.py" "$tmp/port" &
pid=$!
i=0
while [ ! -s "$tmp/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
demo="$top_builddir/tests/demo-test.db"
[ -s "$demo" ] || "$SOUK" demo --products 30000 --seed 1 --out "$demo" >/dev/null
"$top_builddir/tests/bench/bench_llm" "http://127.0.0.1:$(cat "$tmp/port")/v1" "$demo" ||
	echo "bench: llm failed"

# replay MODEL: one dashboard turn through the model, headless; its report
replay() {
	printf 'yoga mats<Enter><wait>' >"$tmp/keys"
	SOUK_LLM_URL="http://127.0.0.1:$(cat "$tmp/port")/v1" SOUK_LLM_MODEL=$1 \
		"$SOUK" --db "$demo" --new --replay "$tmp/keys" </dev/null 2>"$tmp/report" >/dev/null ||
		echo "bench: llm replay $1 failed: $(head -c 300 "$tmp/report")"
	cat "$tmp/report"
}
# field REPORT LINE-NAME KEY
field() {
	printf '%s\n' "$1" | awk -v n="$2" -v k="$3" '$2 == n { for (i = 3; i < NF; i++) if ($i == k) print $(i + 1) }'
}
r=$(replay slow)
n=$(printf '%s\n' "$r" | awk '$2 == "llm_chunks" { print $3 }')
echo "bench: llm_chunk_to_screen_p50_ms $(field "$r" llm_chunks p50_ms) ms (dashboard, ${n:-0} frames)"
echo "bench: llm_chunk_to_screen_p99_ms $(field "$r" llm_chunks p99_ms) ms (target 5)"
echo "bench: llm_chunk_to_screen_max_ms $(field "$r" llm_chunks max_ms) ms"
for m in err-string cut; do
	r=$(replay "$m")
	echo "bench: llm_fallback_to_screen_${m}_ms $(field "$r" llm_fallbacks max_ms) ms (target 100)"
done
