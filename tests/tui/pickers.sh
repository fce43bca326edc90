#!/bin/sh
# The sidebar's list pickers (From, Not from, Certs) offer every value the
# catalog has, with the count in the current results beside each, 0
# included: a buyer can add a country the results happen to lack.
. "$top_srcdir/tests/cli/lib.sh"
. "$top_srcdir/tests/tui/lib.sh"

need_demo_db

tui_start 120 50 --db "$DB" --new
wait_for "30,000 results" "the dashboard is up"
turn 'pickleball paddles from Vietnam'
wait_for "From       VN" "the results come from Vietnam only"

# From is the eleventh filter
keys Tab Tab
wait_for "Enter edits" "the sidebar has focus"
keys Down Down Down Down Down Down Down Down Down Down Enter
wait_for "Pick:" "Enter on From opens the picker"
wait_for "[x] VN" "the country chosen is ticked"
zero=$(screen | grep -cE '^ \[ \] [A-Z]{2} +0 *$')
if [ "$zero" -ge 1 ]; then ok; else fail "countries with no offer in the results are listed at 0:
$(screen)"; fi
assert_contains "$(screen)" "[ ] CN" "China is there to pick, though no result is from it"
keys Escape
wait_gone "Pick:" " Filters (Enter edits" "Esc closes the picker"

# Certs: every certification of the catalog
keys Down Down Enter
wait_for "Pick:" "Enter on Certs opens the picker"
n=$(screen | grep -cE '^ \[[ x]\] ')
if [ "$n" -ge 10 ]; then ok; else fail "the certifications picker lists the catalog's certifications: $n"; fi
keys Escape
wait_gone "Pick:" " Filters (Enter edits" "Esc closes the picker"

keys C-c C-c
status=$(wait_exit "quit")
assert_eq "$status" "0" "souk exits with status 0"
finish
