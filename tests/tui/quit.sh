#!/bin/sh
# Leaving the dashboard: q asks when marks are unsaved, Ctrl-C and SIGTERM
# leave the terminal sane, and without a terminal souk points to `souk query`.
. "$top_srcdir/tests/cli/lib.sh"
. "$top_srcdir/tests/tui/lib.sh"

DB=$(demo_db)

# not a terminal, or TERM=dumb: a clear error naming souk query
assert_status 1 "no terminal" "$SOUK" --db "$DB" </dev/null
assert_contains "$(cat "$T/err")" "souk query" "the error points to souk query"
TUI_TERM=dumb tui_start 80 24 --db "$DB"
status=$(wait_exit "TERM=dumb")
assert_eq "$status" "1" "TERM=dumb is refused"
assert_contains "$(cat "$T/stderr")" "souk query" "the TERM=dumb error points to souk query"
tm kill-session -t souk
assert_status 2 "bad option" "$SOUK" --bogus

# q with unsaved marks asks first; n stays, y leaves
tui_start 100 30 --db "$DB"
wait_for "Offers" "the grid appears"
wait_gone "searching" "sorted by" "the first results arrive"
keys Tab Space
wait_for "1 marked" "one mark"
keys q
wait_for "not saved" "q asks when marks are unsaved"
keys n
wait_gone "not saved" " Offers " "n keeps souk open"
wait_for "Offers" "still running"
keys q
wait_for "not saved" "asks again"
keys y
status=$(wait_exit "y quits")
assert_eq "$status" "0" "exit status after y"
check_tty_sane "after q, y"

# Ctrl-C twice with unsaved marks, history kept across runs
tui_start 100 30 --db "$DB" --new # a fresh session: no marks carried over
wait_for "Offers" "the grid appears again"
type_text "/sort moq"
keys Enter
wait_for "sorted by MOQ" "the command was run"
keys Tab Space
wait_for "1 marked" "one mark in the fresh session"
keys C-c
wait_for "not saved" "Ctrl-C asks once"
keys C-c
status=$(wait_exit "Ctrl-C twice quits")
assert_eq "$status" "0" "exit status after Ctrl-C"
check_tty_sane "after Ctrl-C"
check "history is kept" grep -q "/sort moq" "$XDG_DATA_HOME/souk/history"

# the next run recalls it with Up
tui_start 100 30 --db "$DB"
wait_for "Offers" "third run"
keys Up
wait_for "> /sort moq" "Up recalls the last run's line"

# a bracketed paste of several lines becomes one line to edit, not turns
keys C-u
tm set-buffer -b p "$(printf 'first pasted line\nsecond pasted line')"
tm paste-buffer -p -d -b p -t souk
wait_for "> first pasted line second pasted line" "a pasted two-line text joins into one line"
assert_not_contains "$(screen)" "> second pasted line" "the paste did not send a turn"

# SIGTERM: a clean exit
tm kill-session -t souk 2>/dev/null
tui_start 100 30 --db "$DB"
wait_for "Offers" "fourth run"
pkill_pid=$(tm list-panes -t souk -F '#{pane_pid}')
child=$(pgrep -P "$pkill_pid" -f "$SOUK" | head -1)
[ -n "$child" ] && kill -TERM "$child"
status=$(wait_exit "SIGTERM")
assert_eq "$status" "0" "SIGTERM leaves cleanly"
check_tty_sane "after SIGTERM"

# a fatal signal restores the terminal too
tui_start 100 30 --db "$DB"
wait_for "Offers" "fifth run"
pkill_pid=$(tm list-panes -t souk -F '#{pane_pid}')
child=$(pgrep -P "$pkill_pid" -f "$SOUK" | head -1)
[ -n "$child" ] && kill -SEGV "$child"
status=$(wait_exit "SIGSEGV")
assert_eq "$status" "139" "a fatal signal still kills"
check_tty_sane "after SIGSEGV"

finish
