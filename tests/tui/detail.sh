#!/bin/sh
# The detail view of an imported offer: customisation as a list, not raw
# pipes; samples the price list does not mention are "not listed", never
# "no"; the supplier's imported record (trade assurance, response rate,
# on-time delivery, reorder rate) is shown; the comparison has a row for
# each of them and shows long titles whole on a wide terminal.
. "$top_srcdir/tests/cli/lib.sh"
. "$top_srcdir/tests/tui/lib.sh"

CSV="$T/list.csv"
cat >"$CSV" <<'CSV'
supplier,country,title,price,moq,customization,trade_assurance,response_rate,on_time_rate,reorder_rate
Zyxqua Works Ltd,VN,Zyxqua Widget Blue With A Long Title For Wide Screens,2.50,100,logo|odm|color,yes,0.92,0.97,0.35
CSV
"$SOUK" import "$CSV" --db "$T/imp.db" >"$T/import.out" 2>&1
check "the price list is imported" test -s "$T/imp.db"

tui_start 120 40 --db "$T/imp.db" --new
wait_for "1 result" "the imported offer is the catalog"
keys Tab
wait_for "Tab focus" "the grid has focus"
keys Enter
wait_for "Offer details" "Enter opens the detail view"
s=$(screen)
assert_contains "$s" "logo, odm, color" "customisation reads as a list"
assert_not_contains "$s" "logo|odm" "no raw pipes"
assert_contains "$s" "not listed" "samples the file does not mention are not listed"
if printf '%s\n' "$s" | grep -qE 'samples +no *$'; then fail "samples the file does not mention are never a plain no"; else ok; fi
assert_contains "$s" "trade assurance" "trade assurance is shown"
assert_contains "$s" "answers 92% of enquiries" "the response rate is shown"
assert_contains "$s" "97% on-time delivery" "on-time delivery is shown"
assert_contains "$s" "35% reorder rate" "the reorder rate is shown"
keys Escape
wait_gone "Offer details" " Offers " "Esc closes the detail view"

# the comparison: every field of the detail view has a row, and a wide
# terminal shows the whole title
keys Space
wait_for "1 marked" "the offer is marked"
keys c
wait_for "Compare marked offers" "c compares"
s=$(screen)
for row in "Business type" "Samples" "Custom" "Incoterm" "Trade assurance" "On-time delivery" "Reorder rate"; do
	assert_contains "$s" "$row" "the comparison has a $row row"
done
assert_contains "$s" "logo, odm, color" "customisation in the comparison, as a list"
assert_contains "$s" "Zyxqua Widget Blue With A Long Title For Wide Screens" "the whole title at 120 columns"
keys Escape
wait_gone "Compare marked offers" " Offers " "Esc closes the comparison"

keys C-c C-c
status=$(wait_exit "quit")
assert_eq "$status" "0" "souk exits with status 0"
finish
