#!/bin/sh
# The comparison grid end to end: the price-limit mark on the sidebar's
# histogram, the best value in a column highlighted, the cursor kept on its
# offer through a refinement, o/r sorting with the arrow in the header (on
# a narrow column too), hiding and showing a column, S and /similar with
# their "similar to" label on screen and back after a restart, and /sort,
# /compare, /export (every match) from
# the chat.
. "$top_srcdir/tests/cli/lib.sh"
. "$top_srcdir/tests/tui/lib.sh"

need_demo_db
esc=$(printf '\033')

# grid_line N: the plain screen line of the grid row ranked N
grid_line() {
	screen | grep -E "│[^│]{1,3} +$1 " | head -1
}

# detail_key FILE: the title and supplier of the offer under the cursor,
# read from the detail view (the grid must have focus)
detail_key() {
	keys Enter
	wait_for "Offer details" "Enter opens the detail view"
	screen | sed -n '2p;/^ Supplier/{n;p;}' | tr -s ' ' >"$1"
	keys Escape
	wait_gone "Offer details" " Offers " "Esc closes the detail view"
}

tui_start 120 35 --db "$DB" --new
wait_for "30,000 results" "the unfiltered grid is up"
assert_not_contains "$(screen)" "▲ max" "no price-limit mark without a price limit"

# 1. the histogram marks the price limit
turn 'pickleball paddles under $8'
wait_for "8.00 USD" "the turn sets a price limit"
wait_for "▲ max" "the price histogram marks the limit"
mark=$(screen | grep '▲ max' | head -1)
case ${mark%%│*} in
*"▲ max"*) ok ;;
*) fail "the limit mark is in the sidebar: $mark" ;;
esac

# 2. the best price is highlighted (green, bold) and only where it is best
type_text '/sort price'
keys Enter
wait_for "sorted by Price ↑" "/sort price from the chat"
wait_for "Price USD↑" "the header arrow shows the price order"
keys Tab g j
best=$(grid_line 1 | grep -oE ' [0-9]+\.[0-9]{2} ' | head -1 | tr -d ' ')
other=$(grid_line 9 | grep -oE ' [0-9]+\.[0-9]{2} ' | head -1 | tr -d ' ')
s=$(tm capture-pane -e -p -t souk)
if printf '%s' "$s" | grep -qE "${esc}\[[0-9;]*32m(${esc}\[[0-9;]*m)* *${best}"; then
	ok
else
	fail "the lowest price $best is drawn in the best-value colour"
fi
if [ "$other" != "$best" ] && printf '%s' "$s" | grep -qE "${esc}\[[0-9;]*32m(${esc}\[[0-9;]*m)* *${other}"; then
	fail "a higher price ($other) is not highlighted as the best"
else
	ok
fi

# 3. the cursor stays on its offer when a refinement keeps it: with the
# most expensive first, a higher limit puts new offers above it
keys Tab Tab
type_text '/sort price desc'
keys Enter
wait_for "Price USD↓" "/sort price desc"
keys Tab g j j
detail_key "$T/before"
before=$(cat "$T/before")
assert_contains "$before" "Pickleball" "the detail names the offer"
keys Tab Tab
turn 'under $9'
wait_for "9.00 USD" "the limit is raised"
wait_gone "8.00 USD" "9.00 USD" "the old limit is gone"
keys Tab
detail_key "$T/after"
assert_eq "$(cat "$T/after")" "$before" "the cursor is still on the same offer"
keys g j j
detail_key "$T/third"
third=$(cat "$T/third")
if [ "$third" != "$before" ]; then ok; else fail "the refinement moved offers above the cursor's one (test setup)"; fi

# 4. o chooses the sort column (from Price, one up: Product), keeping
# the direction; r reverses; the header carries the arrow
keys o
wait_for "Columns:" "o opens the column chooser"
keys Up Enter
wait_gone "Columns:" "sorted by Product" "Enter closes it"
wait_for "sorted by Product" "the chosen column sorts the grid"
wait_for "Product↓" "the header shows the arrow on Product"
assert_not_contains "$(screen)" "Price USD↓" "the price column lost the arrow"
keys r
wait_for "Product↑" "r reverses the sort"
wait_for "sorted by Product ↑" "the title says so too"

# 5. a narrow column keeps its arrow: the name gives way
keys Tab Tab
type_text '/sort country'
keys Enter
wait_for "sorted by Ctry" "/sort country"
wait_for "Ct…↑" "the country header keeps its arrow"
type_text '/sort nonsense'
keys Enter
wait_for "Sort by what?" "/sort with an unknown column says which work"

# 6. hide a column and show it again (the chooser lists #, Supplier,
# Ctry, Product, Price, Next break...)
keys Tab
keys C
wait_for "Columns:" "C opens the column chooser"
keys Up Up Up Up Up Up Up Up Up Up Up Up Up Up
keys Down Down Down Down Down
wait_for "[x] Next break" "Next break is shown"
keys Space
wait_for "[ ] Next break" "Space unticks it"
keys Escape
wait_gone "Columns:" " Offers " "Esc closes the chooser"
wait_gone "Next break" "Supplier" "the column is hidden"
wait_for "Supplier" "the other columns stay"
keys C
wait_for "Columns:" "C again"
keys Up Up Up Up Up Up Up Up Up Up Up Up Up Up
keys Down Down Down Down Down Space Escape
wait_gone "Columns:" " Offers " "Esc closes the chooser"
wait_for "Next break" "the column is back"

# 7. S adds offers like the marked one, labelled where it can be seen
keys Tab Tab
turn '/reset'
wait_for "30,000 results" "/reset"
turn 'kevlar pickleball paddles'
wait_for "Kevlar" "kevlar paddles"
keys Tab g Space
wait_for "1 marked" "one mark"
keys S
wait_for "similar offers added" "S says how many it added"
wait_for "(+ similar)" "the grid title says similar offers follow"
wait_for "similar to " "the label shows on screen at 120 columns"
n=$(screen | grep -c '≈')
if [ "$n" -ge 1 ] && [ "$n" -le 10 ]; then ok; else fail "S adds at most ten offers: $n rows marked ≈"; fi

# 8. /compare and /similar from the chat
keys Tab Tab
type_text '/compare'
keys Enter
wait_for "Compare marked offers" "/compare opens the comparison"
keys Escape
wait_gone "Compare marked offers" " Offers " "Esc closes it"
turn '/reset'
wait_for "30,000 results" "/reset"
wait_gone "(+ similar)" "30,000 results" "a new request drops the similar group"
turn 'carbon pickleball paddles'
wait_for "Carbon" "carbon paddles"
type_text '/similar'
keys Enter
wait_for "similar offers added" "/similar from the chat"
wait_for "similar to " "/similar labels its offers"

# 9. /export writes every match, not only the rows loaded, and says so
turn '/reset'
wait_for "30,000 results" "/reset"
turn 'yoga mats'
wait_for "Offers 200 of " "more offers than the grid loads"
total=$(screen | grep -oE 'Offers 200 of [0-9,]+' | head -1 | sed 's/.* of //')
type_text "/export $T/all.csv"
keys Enter
wait_file "$T/all.csv" "/export writes the file"
wait_for "Saved every match, $total offers" "/export says every match went out"
records=$(grep -c '^[0-9][0-9]*,' "$T/all.csv")
assert_eq "$records" "$(echo "$total" | tr -d ,)" "the CSV has a record for every match"

# 10. rows "similar" added come back with the session, marks and all
keys Escape q y
wait_exit "quit" >/dev/null
tui_start 120 35 --db "$DB" --new
wait_for "30,000 results" "a new session"
turn 'kevlar pickleball paddles'
wait_for "Kevlar" "kevlar paddles"
keys Tab g Space
wait_for "1 marked" "one mark"
keys S
wait_for "similar offers added" "S adds similar offers, the cursor on the first"
keys Space
wait_for "2 marked" "a similar offer marked too"
keys G
shown=$(screen | grep -c '≈')
check "similar rows at the end of the grid ($shown)" [ "$shown" -ge 1 ]
keys q y
wait_exit "quit" >/dev/null
tui_start 120 35 --db "$DB"
wait_for "Resumed your last session" "the session resumes"
wait_for "(+ similar)" "the similar group is back"
wait_for "2 marked" "with both marks"
keys Tab G
wait_for "similar to " "the similar rows, labelled, at the end of the grid"
assert_eq "$(screen | grep -c '≈')" "$shown" "every similar row the grid showed"
keys Escape

keys Escape q y
status=$(wait_exit "quit")
assert_eq "$status" "0" "souk exits with status 0"
check_tty_sane "after the grid tests"

finish
