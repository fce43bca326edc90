#!/bin/sh
# The detail view of an imported offer: customisation as a list, not raw
# pipes; samples the price list does not mention are "not listed", never
# "no", while a stated no stays "no"; the supplier's imported record
# (trade assurance, response rate and time, on-time delivery, reorder
# rate, year established, from a header "Est.") is shown, and what the
# file leaves out reads "not listed", never 0; the comparison has a row
# for each of them and shows long titles whole on a wide terminal.
. "$top_srcdir/tests/cli/lib.sh"
. "$top_srcdir/tests/tui/lib.sh"

CSV="$T/list.csv"
cat >"$CSV" <<'CSV'
supplier,country,title,price,moq,customization,trade_assurance,response_rate,response_hours,on_time_rate,reorder_rate,Est.
Zyxqua Works Ltd,VN,Zyxqua Widget Blue With A Long Title For Wide Screens,2.50,100,logo|odm|color,yes,0.92,4,0.97,0.35,2009
CSV
"$SOUK" import "$CSV" --db "$T/imp.db" >"$T/import.out" 2>&1
check "the price list is imported" test -s "$T/imp.db"
# a second supplier whose file says "no samples" and states no record
cat >"$T/more.csv" <<'CSV'
supplier,country,title,price,moq,samples
Qwopr Mills,TH,Zyxqua Widget Red,2.60,100,no
CSV
"$SOUK" import "$T/more.csv" --db "$T/imp.db" >>"$T/import.out" 2>&1
check "the second price list is imported" grep -q "Qwopr" "$T/more.csv"

tui_start 140 50 --db "$T/imp.db" --new
wait_for "2 results" "the imported offers are the catalog"
type_text "/sort product"
keys Enter
wait_for "sorted by Product" "sorted by product: Blue first"
keys Tab
wait_for "Tab focus" "the grid has focus"
keys Enter
wait_for "Offer details" "Enter opens the detail view"
s=$(screen)
assert_contains "$s" "Zyxqua Widget Blue" "the detail view is the blue widget's"
assert_contains "$s" "logo, odm, color" "customisation reads as a list"
assert_not_contains "$s" "logo|odm" "no raw pipes"
if printf '%s\n' "$s" | grep -qE 'Samples +not listed *$'; then ok; else fail "samples the file does not mention are not listed: $s"; fi
if printf '%s\n' "$s" | grep -qE 'Trade assurance +yes *$'; then ok; else fail "trade assurance is shown"; fi
if printf '%s\n' "$s" | grep -qE 'Response rate +92% *$'; then ok; else fail "the response rate is shown"; fi
if printf '%s\n' "$s" | grep -qE 'Response time +4 h *$'; then ok; else fail "the response time is shown"; fi
if printf '%s\n' "$s" | grep -qE 'On-time delivery +97% *$'; then ok; else fail "on-time delivery is shown"; fi
if printf '%s\n' "$s" | grep -qE 'Reorder rate +35% *$'; then ok; else fail "the reorder rate is shown"; fi
if printf '%s\n' "$s" | grep -qE 'Established +2009 *$'; then ok; else fail "the year established (header Est.) is shown"; fi
keys Escape
wait_gone "Offer details" " Offers " "Esc closes the detail view"

# the red widget: samples stated "no", the supplier's record not stated
keys Down Enter
wait_for "Offer details" "Enter opens the second offer's details"
s=$(screen)
assert_contains "$s" "Zyxqua Widget Red" "the detail view is the red widget's"
if printf '%s\n' "$s" | grep -qE 'Samples +no *$'; then ok; else fail "a stated no stays no: $s"; fi
for f in "Trade assurance" "Response rate" "Response time" "On-time delivery" "Reorder rate" "Established"; do
	if printf '%s\n' "$s" | grep -qE "$f +not listed *\$"; then ok; else fail "$f the file leaves out is not listed"; fi
done
if printf '%s\n' "$s" | grep -qE '(Trade assurance|Response rate|On-time delivery|Reorder rate|Established) +(0|0%|no) *$'; then
	fail "an unknown supplier fact never reads as 0 or no"
else ok; fi
keys Escape
wait_gone "Offer details" " Offers " "Esc closes the detail view"

# the comparison: every field of the detail view has a row, and a wide
# terminal shows the whole title
keys Up Space Space
wait_for "2 marked" "both offers are marked"
keys c
wait_for "Compare marked offers" "c compares"
s=$(screen)
for row in "Business type" "Samples" "Customisation" "Incoterm" "Trade assurance" "Response rate" "Response time" "On-time delivery" "Reorder rate" "Established"; do
	assert_contains "$s" "$row" "the comparison has a $row row"
done
assert_contains "$s" "logo, odm, color" "customisation in the comparison, as a list"
assert_contains "$s" "Zyxqua Widget Blue With A Long Title For Wide Screens" "the whole title at 140 columns, beside another offer"
if printf '%s\n' "$s" | grep -qE '^ *Samples +not listed +no *$'; then ok; else fail "the samples row: not listed, then no: $s"; fi
if printf '%s\n' "$s" | grep -qE '^ *Established +2009 +not listed *$'; then ok; else fail "the year established row"; fi
if printf '%s\n' "$s" | grep -qE '^ *Reorder rate +35% +not listed *$'; then ok; else fail "the reorder rate row"; fi
keys Escape
wait_gone "Compare marked offers" " Offers " "Esc closes the comparison"

keys C-c C-c
status=$(wait_exit "quit")
assert_eq "$status" "0" "souk exits with status 0"
finish
