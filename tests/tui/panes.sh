#!/bin/sh
# The sidebar edits filters in place (number prompt, clear, undo, list
# picker with counts), the grid scrolls sideways with the supplier frozen,
# compares marked offers and adds similar ones; the chat wraps CJK; themes
# follow NO_COLOR and work without colour.
. "$top_srcdir/tests/cli/lib.sh"
. "$top_srcdir/tests/tui/lib.sh"

DB=$(demo_db)

tui_start 130 40 --db "$DB"
wait_for "Offers" "the grid appears"
type_text 'pickleball paddles under $8'
keys Enter
wait_for "8.00 USD" "the turn sets a price limit"

# sidebar: Tab twice from the chat; Price max is the fourth filter
keys Tab Tab
wait_for "Enter edits" "the sidebar has focus"
keys Down Down Down Enter
wait_for "Price max: 8.00" "Enter opens an in-place editor with the value"
keys C-u
type_text "6"
keys Enter
wait_for "6.00 USD" "the edited price limit is in force"
wait_gone "8.00 USD" "6.00 USD" "the old limit is gone"
keys DC
wait_gone "6.00 USD" " Price max  -" "Delete clears the filter"
keys u
wait_for "6.00 USD" "u undoes the clear"

# the certification picker lists the values in the results with counts
keys Down Down Down Down Down Down Down Down Down
keys Enter
wait_for "Pick:" "Enter on Certs opens the picker"
wait_for "USAPA" "the picker offers the certifications in the results"
line=$(screen | grep 'USAPA' | head -1)
case $line in
*[0-9]) ok ;;
*) fail "the picker shows a count beside USAPA: $line" ;;
esac
# the first value (the cursor's): its first letters, for the sidebar
picked=$(screen | grep '^ \[ \] ' | head -1 | sed 's/^ \[ \] //' | cut -c1-3)
keys Space Enter
wait_gone "Pick:" " Filters (Enter edits" "Enter applies the picker"
# the sidebar shows the new filter once the refinement comes back
wait_gone " Certs      -" " Certs      $picked" "a certification is now required"

# Market takes a country code; a country name gets a hint, not a filter
keys Up Up Up Enter
wait_for "Market:" "Enter on Market opens its editor"
keys C-u
type_text "germany"
keys Enter
wait_for "A market is a 2-letter country code" "a country name is refused with a hint"
keys Enter C-u
type_text "de"
keys Enter
wait_for "Market     DE" "a code is taken, in any case"
keys Down Down Down

# grid: mark two, compare, similar, sideways scroll
keys Tab
wait_for "Enter send" "Tab from the sidebar goes back to the chat"
keys Tab
keys Space Space
wait_for "2 marked" "two marks"
keys c
wait_for "Compare marked offers" "c compares"
wait_for "Landed" "the comparison has a row per attribute"
wait_for "Lead time" "lead time row"
keys Escape
wait_gone "Compare marked" " Offers " "Esc closes the comparison"
# every paddle within these filters is in the grid already: S says so
# rather than moving rows to the end and calling them added
keys S
wait_for "in the grid already" "S says the most similar offers are shown already"
assert_not_contains "$(screen)" "(+ similar)" "S adds no shown offer as a similar one"
keys Right Right Right
wait_gone " Ctry " "Supplier" "the grid scrolls sideways"
wait_for "Supplier" "the supplier column stays"
keys Left Left Left
wait_for " Ctry " "and back"

# search within the results
keys /
wait_for "Search offers:" "/ asks what to search"
type_text "zzzz-no-such-offer"
keys Enter
wait_for "No offer here mentions" "a search that finds nothing says so"

# the chat wraps wide characters by display width
keys Tab Tab
type_text "中文字符测试中文字符测试中文字符测试中文字符测试中文字符测试中文字符测试中文字符测试中文字符测试中文字符测试 end"
keys Enter
wait_for "> 中文字符测试" "a CJK line is shown"
wait_for "end" "its end is wrapped onto the screen"
keys Escape q y
wait_exit "quit" >/dev/null

# NO_COLOR: attributes only, no colours; colour otherwise
NO_COLOR=1 tui_start 100 30 --db "$DB"
wait_for "results" "NO_COLOR run"
wait_gone "searching" "sorted by" "NO_COLOR run shows offers"
esc=$(printf '\033')
s=$(tm capture-pane -e -p -t souk)
assert_not_contains "$s" "${esc}[36m" "NO_COLOR: no colour"
assert_not_contains "$s" "${esc}[46m" "NO_COLOR: no background colour"
if printf '%s' "$s" | grep -q "${esc}\[[0-9;]*1m"; then ok; else fail "NO_COLOR: bold still marks titles"; fi
tui_start 100 30 --db "$DB"
wait_for "results" "colour run"
wait_gone "searching" "sorted by" "colour run shows offers"
s=$(tm capture-pane -e -p -t souk)
assert_contains "$s" "${esc}[36m" "colour titles by default"

# a terminal without colour (vt100) still works
TUI_TERM=vt100 tui_start 80 24 --db "$DB"
wait_for "Offers" "monochrome terminal"
keys Tab q
status=$(wait_exit "quit on vt100")
assert_eq "$status" "0" "vt100 run exits cleanly"

finish
