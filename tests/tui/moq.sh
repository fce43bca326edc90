#!/bin/sh
# Offers whose MOQ is above the buyer's quantity: set aside, counted beside
# the sidebar's Larger MOQ toggle; Enter on it brings them back, and the
# grid marks each one's price as taken at its MOQ (@MOQ, with the legend
# in the title) while an orderable offer's price has no mark; Enter again
# sets them aside again.
. "$top_srcdir/tests/cli/lib.sh"
. "$top_srcdir/tests/tui/lib.sh"

CSV="$T/list.csv"
cat >"$CSV" <<'CSV'
supplier,country,title,price,moq
Alpha Kettle Co,VN,Qzvex Kettle One,2.50,100
Beta Kettle Co,TH,Qzvex Kettle Two,1.90,1000
Gamma Kettle Co,IN,Qzvex Kettle Three,1.70,2000
CSV
"$SOUK" import "$CSV" --db "$T/imp.db" >"$T/import.out" 2>&1
check "the price list is imported" test -s "$T/imp.db"

# grid_line SUPPLIER: the screen line of that supplier's row
grid_line() {
	screen | grep -E "│.*$1" | head -1
}

tui_start 150 30 --db "$T/imp.db" --new
wait_for "3 results" "the imported offers are the catalog"
assert_not_contains "$(screen)" "@MOQ" "no quantity, no price at an MOQ"

# the quantity, from the sidebar: Tab twice from the chat, the third filter
keys Tab Tab
wait_for "Enter edits" "the sidebar has focus"
keys Down Down Enter
wait_for "Quantity:" "Enter on Quantity opens its editor"
keys C-u
type_text "500"
keys Enter
wait_for "1 result" "with 500 pcs, the two larger MOQs are set aside"
wait_for "Larger MOQ 2 set aside" "the sidebar counts what was set aside, beside its toggle"
s=$(screen)
assert_contains "$s" "Qzvex Kettle One" "the orderable offer is shown"
assert_not_contains "$s" "Qzvex Kettle Two" "MOQ 1000 is set aside"
assert_not_contains "$s" "@MOQ" "no row is priced at its MOQ"

# Enter on Larger MOQ, from the keyboard, brings them back, marked
keys Down Down Down Down Down Enter
wait_for "3 results" "Enter on Larger MOQ shows the set-aside offers"
wait_for "Larger MOQ shown" "the toggle reads shown"
wait_for "@MOQ: MOQ above your 500, priced at it" "the title explains the mark"
b=$(grid_line "Qzvex Kettle Two")
assert_contains "$b" "1.90@MOQ" "MOQ 1000: its price is marked as the MOQ's"
g=$(grid_line "Qzvex Kettle Three")
assert_contains "$g" "1.70@MOQ" "MOQ 2000: its price is marked as the MOQ's"
a=$(grid_line "Qzvex Kettle One")
assert_contains "$a" "2.50" "the orderable offer keeps its price"
assert_not_contains "$a" "@MOQ" "and has no MOQ mark"

# Enter again sets them aside again
keys Enter
wait_for "1 result" "Enter again sets them aside"
wait_gone "@MOQ" "Larger MOQ 2 set aside" "no mark once they are set aside again"

keys C-c C-c
status=$(wait_exit "quit")
assert_eq "$status" "0" "souk exits with status 0"
finish
