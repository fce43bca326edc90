#!/bin/sh
# The grid's cursor is the buyer's: a refinement leaves it on the offer the
# buyer put it on; an offer the buyer never chose does not drag it down
# the grid; when the chosen offer is gone, the cursor is back at the top.
. "$top_srcdir/tests/cli/lib.sh"
. "$top_srcdir/tests/tui/lib.sh"

need_demo_db

# grid_line N: the plain screen line of the grid row ranked N
grid_line() {
	screen | grep -E "│[^│]{1,3} +$1 " | head -1
}

# mark_under_cursor: Space on the grid marks the row under the cursor
mark_under_cursor() {
	keys Space
	wait_for "1 marked" "Space marks the offer under the cursor"
}

tui_start 120 35 --db "$DB" --new
wait_for "30,000 results" "the unfiltered grid is up"

# 1. the buyer never moved the cursor: after a refinement it is on row 1,
# not on whichever row the first offer of the last answer went to
turn 'pickleball paddles'
wait_for "Offers " "paddles"
turn 'for the US'
wait_for "Market     US" "the market is set"
keys Tab
wait_for "Tab focus" "the grid has focus"
mark_under_cursor
assert_contains "$(grid_line 1)" "●" "the untouched cursor is on the top row after a refinement"
assert_not_contains "$(grid_line 2)" "●" "and on no other row"
keys k Space
wait_for "0 marked" "the mark is taken back"

# 2. the offer the buyer chose is gone: the cursor goes to the top
keys g j j j
keys Tab Tab
turn '/reset'
wait_for "30,000 results" "/reset"
turn 'yoga mats'
wait_for "Offers 200 of " "a new search"
keys Tab
wait_for "Tab focus" "the grid has focus"
mark_under_cursor
assert_contains "$(grid_line 1)" "●" "the chosen offer is gone: the cursor is on the top row"
assert_not_contains "$(grid_line 4)" "●" "not on the row where the old offer was"

keys C-c C-c
status=$(wait_exit "quit")
assert_eq "$status" "0" "souk exits with status 0"
finish
