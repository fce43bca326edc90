#!/bin/sh
# The dashboard end to end through tmux: a request fills the grid and the
# sidebar, a second turn refines, marks are saved to CSV, sorting, detail
# and help views, resizing down to 20x5 and back, and a clean quit.
. "$top_srcdir/tests/cli/lib.sh"
. "$top_srcdir/tests/tui/lib.sh"

need_demo_db

tui_start 120 35 --db "$DB"
wait_for "Offers" "the grid appears"
wait_for "Supplier" "the grid header names the columns"
wait_for "Tell me what you are sourcing" "the chat greets"

# 1. a request fills the grid and shows its filters in the sidebar
type_text 'pickleball paddles under $8'
keys Enter
wait_for "> pickleball paddles under \$8" "the buyer's line is in the chat"
wait_for "Price max" "the sidebar shows the price limit"
wait_for "8.00 USD" "the sidebar shows its value"
wait_for "Pickleball" "the grid fills with paddles"
before=$(screen | grep -o 'Offers [0-9]* of [0-9]*' | head -1)

# 2. a second turn refines
type_text 'only verified suppliers'
keys Enter
wait_for "Verified" "the sidebar shows the verified filter"
wait_gone "$before" "Verified" "the offers changed after the second turn"

# 3. mark two rows from the grid and save them
keys Tab
keys Space
keys Space
wait_for "2 marked" "the status line counts two marks"
keys Tab Tab
type_text "/save $T/two.csv"
keys Enter
wait_file "$T/two.csv" "/save writes the CSV"
wait_for "Saved 2 offers" "the chat confirms the save"
rows=$(grep -c -i 'pickleball' "$T/two.csv")
assert_eq "$rows" "2" "the CSV holds the two marked paddle offers"
lines=$(wc -l <"$T/two.csv" | tr -d ' ')
assert_eq "$lines" "3" "the CSV has a header and two rows"
# saving again never overwrites silently
type_text "/save $T/two.csv"
keys Enter
wait_for "/save! " "an existing file needs /save!"

# 4. sort by price, then reverse
type_text "/sort price"
keys Enter
wait_for "sorted by Price" "the grid sorts by price"
wait_for "Price USD↑" "the header shows the sort arrow"
keys Tab
keys r
wait_for "Price USD↓" "r reverses the sort"

# 5. detail view and help open and close
keys Enter
wait_for "Offer details" "Enter opens the detail view"
wait_for "Why it scores" "the detail view explains the score"
keys Escape
wait_gone "Offer details" " Offers " "Esc closes the detail view"
keys '?'
wait_for "Everywhere" "? opens the help from the key table"
keys NPage
wait_for "/save" "the help scrolls to the commands"
keys Escape
wait_gone "Everywhere" " Offers " "Esc closes the help"

# 6. resize, shrink to 20x5 and back
tm resize-window -t souk -x 90 -y 28
wait_for "Supplier" "the grid survives a resize to 90x28"
tm resize-window -t souk -x 20 -y 5
wait_for "enlarge" "20x5 shows a short message"
tm resize-window -t souk -x 8 -y 3
wait_for "souk: e" "8x3 shows as much of the message as fits"
tm resize-window -t souk -x 1 -y 1
wait_for "…" "1x1 shows a single ellipsis"
tm resize-window -t souk -x 120 -y 35
wait_for "Supplier" "the dashboard comes back at 120x35"
wait_for "marked" "the status line comes back"

# 7. quit: marks are saved, so q leaves at once; the terminal is sane
keys q
status=$(wait_exit "q quits")
assert_eq "$status" "0" "souk exits with status 0"
check_tty_sane "after q"

finish
