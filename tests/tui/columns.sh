#!/bin/sh
# The supplier's imported record as optional grid columns: hidden at
# first, shown and hidden with /columns (listed in /help, completed by
# Tab) or the column chooser (o), each value as the file gave it and "-"
# where it gave none (never 0), sorted with the unknowns last.
. "$top_srcdir/tests/cli/lib.sh"
. "$top_srcdir/tests/tui/lib.sh"

CSV="$T/list.csv"
cat >"$CSV" <<'CSV'
supplier,country,title,price,moq,trade_assurance,response_rate,response_hours,on_time_rate,reorder_rate,Est.
Alpha Kettle Co,VN,Qzvex Kettle One,2.50,100,yes,0.92,4,0.97,0.35,2009
Beta Kettle Co,TH,Qzvex Kettle Two,2.60,100,no,0.81,12,0.88,0.52,1996
Gamma Kettle Co,IN,Qzvex Kettle Three,2.70,100,,,,,,
CSV
"$SOUK" import "$CSV" --db "$T/imp.db" >"$T/import.out" 2>&1
check "the price list is imported" test -s "$T/imp.db"

# grid_line SUPPLIER: the screen line of that supplier's row
grid_line() {
	screen | grep -E "│.*$1" | head -1
}

tui_start 230 30 --db "$T/imp.db" --new
wait_for "3 results" "the imported offers are the catalog"
s=$(screen)
assert_contains "$s" "Price USD" "the grid's header is on screen"
for h in "Reorder" "On-time" "Assured" "Replies in" "Est."; do
	assert_not_contains "$s" "$h" "the $h column is hidden until asked for"
done

# 1. /columns is in the help and completed by Tab
type_text '/colu'
keys Tab
wait_for "> /columns" "Tab completes /columns"
keys C-u
type_text '/help'
keys Enter
wait_for "Everywhere" "/help opens the help"
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
	case $(screen) in *"[[-]COLUMN...]  show columns"*) break ;; esac
	keys NPage
	sleep 0.2
done
wait_for "[[-]COLUMN...]  show columns" "the help lists /columns"
keys Escape
wait_gone "Everywhere" " Offers " "Esc closes the help"

# 2. shown by name, values as imported, "-" where the file said nothing
# (other columns hidden by name first, to make room)
type_text '/columns -highlights -certs -break -landed'
keys Enter
wait_gone "Highlights" "Price USD" "/columns -highlights hides a standard column"
type_text '/columns assurance response replies on-time reorder established'
keys Enter
wait_for "Reorder" "/columns shows the reorder rate column"
s=$(screen)
for h in "Assured" "Response" "Replies in" "On-time" "Est."; do
	assert_contains "$s" "$h" "/columns shows the $h column"
done
a=$(grid_line "Alpha Kettle")
assert_contains "$a" "yes" "Alpha: trade assurance yes"
assert_contains "$a" "92%" "Alpha: response rate"
assert_contains "$a" "4 h" "Alpha: response time"
assert_contains "$a" "97%" "Alpha: on-time delivery"
assert_contains "$a" "35%" "Alpha: reorder rate"
assert_contains "$a" "2009" "Alpha: year established (header Est.)"
b=$(grid_line "Beta Kettle")
assert_contains "$b" " no " "Beta: trade assurance stated no"
assert_contains "$b" "1996" "Beta: year established"
g=$(grid_line "Gamma Kettle")
assert_contains "$g" "Qzvex Kettle Three" "Gamma's row is on screen"
# everything after the price: six unknowns read "-", none "0"
tail=${g#*2.70}
n=$(printf '%s' "$tail" | grep -oE '(^| )-( |$)' | wc -l)
[ "$n" -ge 6 ] && ok || fail "Gamma's unknown facts read '-' ($n found): $g"
assert_not_contains "$tail" "0%" "an unknown rate is never 0%"

# 3. sorted by a fact: best first, the unknown last either way
type_text '/sort reorder desc'
keys Enter
wait_for "sorted by Reorder" "/sort takes an optional column"
order=$(screen | grep -oE '(Alpha|Beta|Gamma) Kettle' | tr '\n' ' ')
assert_eq "$order" "Beta Kettle Alpha Kettle Gamma Kettle " "reorder rate, highest first, unknown last"
type_text '/sort reorder asc'
keys Enter
wait_for "sorted by Reorder ↑" "the other direction"
order=$(screen | grep -oE '(Alpha|Beta|Gamma) Kettle' | tr '\n' ' ')
assert_eq "$order" "Alpha Kettle Beta Kettle Gamma Kettle " "reorder rate, lowest first, unknown still last"
type_text '/sort rank'
keys Enter
wait_for "sorted by #" "back to the rank order"

# 4. hidden again with a '-'; a name that is no column changes nothing
type_text '/columns -reorder -established'
keys Enter
wait_gone "Reorder" "On-time" "/columns -reorder hides it, the others stay"
assert_not_contains "$(screen)" "Est." "/columns -established hides the year"
type_text '/columns reorder nosuchcolumn'
keys Enter
wait_for "No column nosuchcolumn" "an unknown column name is said"
assert_not_contains "$(screen)" "Reorder" "and nothing changed on the typo"

# 5. the chooser lists the optional columns, on or off
keys Tab o
wait_for "Columns: Space shows/hides" "o opens the column chooser"
s=$(screen)
assert_contains "$s" "[ ] Reorder" "the chooser lists the hidden reorder column"
assert_contains "$s" "[x] On-time" "and the shown on-time column"
keys Escape
wait_gone "Columns: Space shows/hides" " Offers " "Esc closes the chooser"

keys C-c C-c
status=$(wait_exit "quit")
assert_eq "$status" "0" "souk exits with status 0"
finish
