#!/bin/sh
# Dashboard speed, scripted with --replay (keys from a file, timings out):
# start to first frame on the demo catalog, and key-to-frame while queries
# run on the 1,000,000-product catalog when the query bench has built it.
set -u
: "${SOUK:?}" "${top_builddir:?}"
T=$(mktemp -d "${TMPDIR:-/tmp}/souk-bench-tui.XXXXXX")
trap 'rm -rf "$T"' EXIT INT TERM
export HOME="$T/home" XDG_DATA_HOME="$T/home/.local/share" XDG_CONFIG_HOME="$T/home/.config"
export LC_ALL=C.UTF-8 TERM=xterm-256color COLUMNS=160 LINES=48
mkdir -p "$HOME"

demo="$top_builddir/tests/demo-test.db"
if [ ! -s "$demo" ]; then
	mkdir -p "$top_builddir/tests"
	"$SOUK" demo --products 30000 --seed 1 --out "$demo" >/dev/null || exit 1
fi
big="$top_builddir/tests/bench-1m.db"

# replay DB SCRIPT: runs the dashboard headless (screen to /dev/null) and
# prints its "replay: ..." report
replay() {
	printf '%s' "$2" >"$T/keys"
	"$SOUK" --db "$1" --replay "$T/keys" </dev/null 2>"$T/report" >/dev/null || {
		echo "bench: tui replay failed: $(head -c 300 "$T/report")" >&2
		exit 1
	}
	cat "$T/report"
}

field() { # field REPORT LINE-NAME KEY
	printf '%s\n' "$1" | awk -v n="$2" -v k="$3" '$2 == n { for (i = 3; i < NF; i++) if ($i == k) print $(i + 1) }'
}

first=
for i in 1 2 3 4 5; do
	r=$(replay "$demo" "<wait>")
	first="$first $(printf '%s\n' "$r" | awk '$2 == "first_frame_ms" { print $3 }')"
	rows="$(printf '%s\n' "$r" | awk '$2 == "first_rows_ms" { print $3 }')"
done
med=$(printf '%s\n' $first | sort -n | sed -n 3p)
echo "bench: tui_first_frame_ms $med ms"
echo "bench: tui_first_rows_ms $rows ms"

# first rows on the big catalog: the dashboard's start with no filter
if [ -s "$big" ]; then
	r=$(replay "$big" "<wait>")
	echo "bench: tui_first_rows_1m_ms $(printf '%s\n' "$r" | awk '$2 == "first_rows_ms" { print $3 }') ms (1,000,000 products)"
	echo "bench: tui_first_frame_1m_ms $(printf '%s\n' "$r" | awk '$2 == "first_frame_ms" { print $3 }') ms"
fi

# a session: turns that start queries, each followed by typing and grid
# moves at typing speed while the worker is busy
keys=""
burst="<Tab><Down><pause><Down><pause><Down><pause><Space><pause><Down><pause><Up><pause><PgDn><pause><PgUp><pause><lt><pause>><pause><Tab><pause><Down><pause><Down><pause><Tab><pause>"
typing="c<pause>h<pause>e<pause>a<pause>p<pause>e<pause>r<pause><BS><pause><BS><pause><C-u><pause>"
for turn in "pickleball paddles under \$8" "yoga mats from India" "led strips for Germany with CE" \
	"tote bags moq below 500" "phone cases verified" "only verified suppliers" "cheaper"; do
	keys="$keys$turn<Enter>$burst$typing$burst"
done
db=$demo
name=demo
if [ -s "$big" ]; then
	db=$big
	name=1m
fi
r=$(replay "$db" "$keys<wait>")
p50=$(field "$r" keys_while_query p50_ms)
p99=$(field "$r" keys_while_query p99_ms)
n=$(printf '%s\n' "$r" | awk '$2 == "keys_while_query" { print $3 }')
echo "bench: tui_keystroke_ms $p50 ms (p50 of $n keys while a query ran, $name catalog)"
echo "bench: tui_keystroke_p99_ms $p99 ms"
echo "bench: tui_keystroke_all_p99_ms $(field "$r" keys p99_ms) ms"
echo "bench: tui_turn_ms $(field "$r" turns p50_ms) ms (Enter to frame; the dialog runs on the worker, $name)"
echo "bench: tui_reply_mean_ms $(printf '%s\n' "$r" | awk '$2 == "replies" { print $5 }') ms (Enter to souk's reply, $name)"
echo "bench: tui_reply_max_ms $(printf '%s\n' "$r" | awk '$2 == "replies" { print $7 }') ms"
