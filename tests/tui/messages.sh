#!/bin/sh
# What the dashboard shows at 80x24: the product, its price and the MOQ
# on screen; a status message over the counts clears its line (no tail of
# an earlier text); counts of one are singular; the shortlist view's
# export names the file and the format.
. "$top_srcdir/tests/cli/lib.sh"
. "$top_srcdir/tests/tui/lib.sh"

need_demo_db

# status_line: the last line of the screen
status_line() {
	screen | tail -1
}

# 1. at 80 columns a message is drawn over the counts: the line holds the
# message and nothing of the counts after it
tui_start 80 24 --db "$DB" --new
wait_for "30,000 results" "the dashboard is up at 80x24"
# the columns a buyer decides on come first at the size terminals open with
header=$(screen | grep '#↑' | head -1)
assert_contains "$header" "Product" "80x24: the product column is on screen"
assert_contains "$header" "Price USD" "80x24: the price at the quantity is on screen"
assert_contains "$header" "MOQ" "80x24: the MOQ is on screen"
assert_contains "$header" "Supplier" "80x24: the supplier stays, narrower"
keys Tab
wait_for "Tab focus" "the grid has focus"
keys u
wait_for "Nothing to undo" "u with nothing to undo says so"
line=$(status_line)
assert_contains "$line" "Nothing to undo" "the status line holds the message"
assert_contains "$line" "0 marked | offline" "a message that fits leaves the counts whole"
# one too long to share the line takes all of it
keys /
type_text "nothingmentionsthisword"
keys Enter
wait_for "No offer here mentions" "a search with no match says so"
line=$(status_line)
assert_contains "$line" "nothingmentionsthisword" "the status line holds the message"
assert_not_contains "$line" "offline" "no tail of the counts after the message"
assert_not_contains "$line" "marked" "no marks count left half-covered"

# 2. one marked offer: singular in the quit question
keys Space
wait_for "1 marked" "one mark"
keys q
wait_for "Quit anyway?" "q asks with a mark unsaved"
assert_contains "$(status_line)" "1 marked offer is not saved" "one offer, singular"
keys n
wait_gone "Quit anyway?" "1 marked" "n keeps souk open"
wait_for "1 marked" "still there with its mark"

# 3. the shortlist view's export names the file and the format
keys L
wait_for "Shortlist: shortlist (1 offer)" "L opens the shortlist"
keys e
wait_for "Export to" "e asks where"
type_text "$T/one.json"
keys Enter
wait_file "$T/one.json" "the export is written"
wait_for "Exported 1 offer to" "the view says how many went out"
assert_contains "$(screen | tr -d '\n')" "one.json" "it names the file"
assert_contains "$(screen)" "JSON" "and the format"

keys Escape
wait_gone "Shortlist:" " Offers " "Esc closes the shortlist"

# 4. a lead time of one day is "1 day" in the sidebar
keys Tab
wait_for "Enter edits" "the sidebar has focus"
keys Down Down Down Down Down Down Down Down Enter
wait_for "Lead max:" "Enter on Lead max opens its editor"
keys C-u
type_text "1"
keys Enter
wait_for "Lead max   1 day" "one day, singular"
side=$(screen | grep "Lead max" | head -1 | sed 's/│.*//')
assert_not_contains "$side" "days" "the sidebar never says 1 days"

keys C-c C-c
status=$(wait_exit "quit")
assert_eq "$status" "0" "souk exits with status 0"
finish
