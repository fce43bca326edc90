#!/bin/sh
# The shortlist view and sessions: marks land on the shortlist; L reviews,
# annotates, decides and reorders; a restart (and a kill -9) resumes the
# session; --new starts afresh; the list exports from the command line.
. "$top_srcdir/tests/cli/lib.sh"
. "$top_srcdir/tests/tui/lib.sh"

DB=$(demo_db)

# seen GREP_PATTERN [SECONDS]: polls the screen; 0 when a line matches.
seen() {
	end=$(($(date +%s) + ${2:-5}))
	while [ "$(date +%s)" -lt "$end" ]; do
		screen | grep -q -e "$1" && return 0
		sleep 0.1
	done
	return 1
}

tui_start 120 34 --db "$DB"
wait_for "Offers" "the grid appears"
type_text "pickleball paddles"
keys Enter
wait_for "pickleball paddle:" "the turn is answered"
wait_for "Pickleball Paddle" "the grid shows paddles"
wait_gone "searching" "sorted by" "the results are in"
keys Tab Space Space
wait_for "2 marked" "two marks"
keys L
wait_for "Shortlist: shortlist (2 offers)" "L opens the shortlist with the marks on it"
first=$(screen | awk '/^  1   shortlisted/ {print $3; exit}')
keys n
wait_for "Note:" "n asks for a note"
type_text "call Tuesday, 深圳"
keys Enter
wait_for "call Tuesday, 深圳" "the note shows"
keys s
wait_for "ask supplier" "s moves the status on"
keys J
seen "^ *2 .*ask supplier" && ok || fail "J moves the item down: $(screen | head -5)"
keys Escape
wait_gone "Shortlist:" " Offers " "Esc closes the view"

# what the command line sees
out=$("$SOUK" shortlist show shortlist --db "$DB")
assert_contains "$out" "note: call Tuesday, 深圳" "the note is on the list"
assert_contains "$out" "ask supplier" "the status is on the list"
assert_contains "$(printf '%s\n' "$out" | sed -n 4p)" "$first" "the reordered item is second"

# quit and come back: the session is resumed
keys q
seen "Quit anyway" 2 && keys y
status=$(wait_exit "q quits")
assert_eq "$status" "0" "exit status"
tui_start 120 34 --db "$DB"
wait_for "Resumed your last session" "the session is resumed"
wait_for "> pickleball paddles" "the conversation is back"
wait_for "2 marked" "the marks are back"
wait_for "Keywords   pickleball" "the filters are back"

# a kill -9 loses nothing saved: mark a third offer, kill, restart
wait_for "Pickleball Paddle" "the resumed grid shows paddles"
wait_gone "searching" "sorted by" "the resumed results are in"
keys Tab Down Down Space
wait_for "3 marked" "a third mark"
# souk is the child of the pane's shell (tests/tui/lib.sh run.sh)
pane=$(tm display-message -p -t souk '#{pane_pid}')
pid=$(ps -o pid= --ppid "$pane" | head -1)
sleep 0.3 # let the mark's save commit: it is saved after the key, not before
kill -9 $pid 2>/dev/null || fail "could not kill souk (pane $pane, pid '$pid')"
tm kill-session -t souk 2>/dev/null
tui_start 120 34 --db "$DB"
wait_for "Resumed your last session" "resumed after kill -9"
wait_for "3 marked" "the third mark survived kill -9"
keys Tab L
wait_for "Shortlist: shortlist (3 offers)" "and it is on the shortlist"
keys Escape
wait_gone "Shortlist:" " Offers " "view closed"

# /shortlist NAME switches lists; /sessions lists sessions
keys Tab Tab
type_text "/shortlist Q3 picks"
keys Enter
wait_for 'Marks now go to the shortlist "Q3 picks"' "/shortlist switches"
type_text "/sessions"
keys Enter
wait_for "pickleball paddles" "/sessions lists the session"

# --new starts afresh and keeps the lists
tm kill-session -t souk 2>/dev/null
tui_start 120 34 --db "$DB" --new
wait_for "Offers" "a fresh start"
wait_for "0 marked" "no marks in a new session"
assert_not_contains "$(screen)" "Resumed" "--new does not resume"
assert_contains "$("$SOUK" shortlist list)" "Q3 picks" "the lists are kept"

# the list exports
check "export csv" "$SOUK" shortlist export shortlist --out "$T/list.csv"
assert_contains "$(cat "$T/list.csv")" "call Tuesday" "the exported note"
check "export json" "$SOUK" shortlist export shortlist --out "$T/list.json"
assert_contains "$(cat "$T/list.json")" '"pickleball", "paddle"' "the JSON export has the search the marks came from"
assert_contains "$(cat "$T/list.json")" '"text":	"pickleball paddles' "and the conversation"
check "export md" "$SOUK" shortlist export shortlist --out "$T/list.md"
assert_contains "$(head -1 "$T/list.md")" "# pickleball paddle" "the Markdown heading is the query"
type_text "/quit"
keys Enter
status=$(wait_exit "q quits the fresh session")
assert_eq "$status" "0" "exit status of the fresh session"

finish
