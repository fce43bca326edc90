#!/bin/sh
# The issue's "done when": a first run (no catalog yet) builds the demo and
# opens the dashboard; a buyer goes from "I want to explore the idea of
# pickleball" to a saved CSV of three marked paddle offers, keyboard only.
. "$top_srcdir/tests/cli/lib.sh"
. "$top_srcdir/tests/tui/lib.sh"

tui_start 120 36
wait_for "results" "the dashboard opens on a freshly built demo catalog" 60
check "the demo catalog was built in the data directory" test -s "$XDG_DATA_HOME/souk/catalog.db"

type_text "I want to explore the idea of pickleball"
keys Enter
# the overview answers it (the echoed turn may already have scrolled up
# the chat pane by the time the screen is read, so it is not waited for)
wait_for "Pickleball paddles" "the overview lists the sub-categories"
wait_for "? " "souk asks the next question"
type_text "paddles for the US under \$8"
keys Enter
wait_for "8.00 USD" "the price limit is set"
wait_for "Market     US" "the market is set"
wait_for "Paddle" "paddles fill the grid"
keys Tab Space Space Space
wait_for "3 marked" "three offers marked"
keys Tab Tab
type_text "/save $T/paddles.csv"
keys Enter
wait_file "$T/paddles.csv" "the shortlist is saved"
wait_for "Saved 3 offers" "souk confirms"
assert_eq "$(grep -c -i 'paddle' "$T/paddles.csv")" "3" "three paddle offers in the CSV"
keys Escape q
status=$(wait_exit "quit")
assert_eq "$status" "0" "clean exit"
check_tty_sane "after the session"

finish
