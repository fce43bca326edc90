#!/bin/sh
# The dashboard's turns through the loopback model server
# (tests/llm/server.py): the reply streams into the chat while the grid
# refines to the filters the model set, Esc cancels a turn in flight, and
# a failing server gives the one line saying why and the offline answer.
. "$top_srcdir/tests/cli/lib.sh"
. "$top_srcdir/tests/tui/lib.sh"

need_demo_db
SERVER_PID=
stop_all() {
	tmux -S "$TMUX_SOCK" kill-server 2>/dev/null
	[ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null
	wait 2>/dev/null
	rm -rf "$T" 2>/dev/null || { sleep 0.3; rm -rf "$T"; }
}
trap stop_all EXIT INT TERM

# every request must carry the key (the server answers 401 otherwise); at
# the end no file souk wrote, no screen and no process line may hold it
KEY="sk-souk-tui-secret-$$"
export LOOPBACK_KEY="$KEY" SOUK_LLM_KEY="$KEY"

# a server on a free port the kernel picks; it writes the port when ready
SLOW_CHUNKS=200 SLOW_GAP=0.1 python3 "$top_srcdir/tests/llm/server.py" "$T/port" --log "$T/server.log" &
SERVER_PID=$!
i=0
while [ ! -s "$T/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ -s "$T/port" ] || { fail "the loopback server did not start"; finish; }
export SOUK_LLM_URL="http://127.0.0.1:$(cat "$T/port")/v1"
export SOUK_LLM_IDLE_TIMEOUT=5

# with_model MODEL: a fresh dashboard whose turns go to that scenario (the
# tmux server takes its environment when it starts)
with_model() {
	tm kill-server 2>/dev/null
	export SOUK_LLM_MODEL="$1"
	tui_start 140 40 --db "$DB" --new
	wait_for "30,000 results" "$1: the dashboard is up"
	wait_for "llm: $1" "$1: the status line names the engine and the model"
}

# (a) the reply streams in and the grid refines to the model's filters
with_model tools
type_text "yoga mats under 8 dollars from vietnam"
keys Enter
wait_gone "30,000 results" "Price max" "tools: the grid refines to the model's filters"
s=$(screen)
assert_contains "$s" "yoga mat" "tools: the sidebar shows the model's keywords"
assert_contains "$s" "VN" "tools: and its supplier country"
wait_for "I found 13 offers from 6 suppliers for that." \
	"tools: the model's reply, quoting souk's count, streamed into the chat"
s=$(screen)
assert_contains "$s" "13 results" "tools: the grid has the offers the model's filters find"
assert_not_contains "$s" "Answered offline" "tools: the model answered, not the fallback"
check "tools: the turn reached the server" grep -q "tools" "$T/server.log"
type_text "/export $T/export.json"
keys Enter
wait_file "$T/export.json" "tools: /export writes the offers"
assert_not_contains "$(screen)" "$KEY" "tools: the key is not on screen"
keys Tab u
wait_for "30,000 results" "tools: u takes back the filters the model set"

# (a2) the grid refines as soon as the model's update_filters applies,
# while the rest of the reply is still on its way
with_model tools-slow
type_text "yoga mats under 8 dollars from vietnam"
keys Enter
wait_gone "30,000 results" "Price max" "tools-slow: the grid refines to the model's filters"
wait_for "w2 " "tools-slow: the reply is streaming"
assert_not_contains "$(screen)" "wEND" "tools-slow: the grid refined before the reply finished"
# typing never waits on the network: the input answers mid-stream
type_text "typed mid-stream"
wait_for "> typed mid-stream" "tools-slow: the input answers while the reply streams"
assert_not_contains "$(screen)" "wEND" "tools-slow: the reply was still coming then"
wait_for "wEND" "tools-slow: the reply finishes" 40

# (a3) compare_offers with marked true: the offers the buyer marked
with_model compare-marked
keys Tab g Space Space
wait_for "2 marked" "compare-marked: two marks"
keys Tab Tab
type_text "compare the ones I marked"
keys Enter
wait_for "Marked: 2 offers from " "compare-marked: the model compared the two marked offers"
line=$(screen | grep -o 'Marked: 2 offers from [A-Z][A-Z] and [A-Z][A-Z]\.' | head -n 1)
assert_contains "$line" "Marked: 2" "compare-marked: with each one's supplier country"
assert_not_contains "$(screen)" "The tool said" "compare-marked: the tool had the marks"

# (b) Esc cancels a slow stream: its words stop, the chat says so, typing works
with_model slow
type_text "yoga mats"
keys Enter
wait_for "w3 " "slow: the reply streams in"
keys Escape
wait_for "Cancelled" "slow: Esc cancels the turn"
assert_not_contains "$(screen)" "w199" "slow: the stream stopped"
type_text "still typing"
wait_for "> still typing" "slow: the input answers after the cancel"

# (c) a failing server: the one line saying why, then the offline answer
with_model err-object
type_text "yoga mats under 8 dollars"
keys Enter
wait_for "Answered offline" "err-object: the chat says why the turn was answered offline"
assert_contains "$(screen)" "maximum context length" "err-object: in one line with the server's own reason"
wait_gone "30,000 results" "results" "err-object: the offline answer refines the grid"
assert_contains "$(screen)" "Price max" "err-object: the sidebar shows the offline filters"
keys Tab q
wait_exit "err-object: q" >/dev/null

# --engine offline: the buyer's choice over llm_url; nothing goes to the server
tm kill-server 2>/dev/null
export SOUK_LLM_MODEL=tools
before=$(wc -l <"$T/server.log")
tui_start 140 40 --db "$DB" --new --engine offline
wait_for "30,000 results" "--engine offline: the dashboard is up"
s=$(screen)
assert_contains "$s" "offline" "--engine offline: the status line says offline"
assert_not_contains "$s" "llm: tools" "--engine offline: and names no model"
type_text "yoga mats under 8 dollars"
keys Enter
wait_gone "30,000 results" "Price max" "--engine offline: the offline engine answers"
assert_eq "$(wc -l <"$T/server.log")" "$before" "--engine offline: nothing was sent to the server"
keys Tab q
wait_exit "--engine offline: q" >/dev/null

# key hygiene: the user DB (sessions, transcripts), the log, the history,
# the export and every process's command line are free of the key
check "the server saw the key in the Authorization header" grep -q "bearer=yes" "$T/server.log"
leaks=$(grep -rl "$KEY" "$HOME" "$T/export.json" 2>/dev/null)
assert_eq "$leaks" "" "no file souk wrote holds the key"
check "souk wrote its user DB (the search covered it)" [ -s "$XDG_DATA_HOME/souk/souk.db" ]
check "souk wrote its log (the search covered it)" [ -e "$XDG_DATA_HOME/souk/souk.log" ]
check "the user DB holds the transcript (the search covered it)" \
	grep -rqa "yoga mats under 8 dollars from vietnam" "$XDG_DATA_HOME/souk"
ps -eo args >"$T/ps.txt"
check "ps listed processes" [ -s "$T/ps.txt" ]
assert_eq "$(grep -c "$KEY" "$T/ps.txt")" "0" "no process's command line holds the key"

finish
