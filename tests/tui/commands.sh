#!/bin/sh
# Chat commands and what they answer: completion and help of the shortlist
# and session commands, /save's messages (rows loaded, extensions, ~), the
# detail view of offers the catalog knows little about, /export of every
# match, and sessions that belong to their catalog.
. "$top_srcdir/tests/cli/lib.sh"
. "$top_srcdir/tests/tui/lib.sh"

need_demo_db

tui_start 120 40 --db "$DB" --new
wait_for "30,000 results" "the dashboard is up"

# 1. Tab completes the shortlist and session commands and /export!;
# focus stays
type_text '/ses'
keys Tab
wait_for "> /sessions" "/ses Tab completes /sessions"
keys C-u
type_text '/sh'
keys Tab
wait_for "> /shortlist" "/sh Tab completes to /shortlist"
assert_contains "$(screen)" "Enter send" "Tab completed instead of moving the focus"
keys C-u
type_text '/export!'
keys Tab
type_text 'x'
wait_for "> /export! x" "/export! completes like the other commands"
assert_contains "$(screen)" "Enter send" "and Tab stayed in the chat"
keys C-u

# 2. help, generated from the binding table and the command records,
# lists them, and every key the grid takes
type_text '/help'
keys Enter
wait_for "Everywhere" "/help opens the help"
s=$(screen)
assert_contains "$s" "PgDn / Ctrl-F" "help lists Ctrl-F beside PgDn"
assert_contains "$s" "PgUp / Ctrl-B" "help lists Ctrl-B beside PgUp"
assert_contains "$s" "Esc / i / :" "help lists : for the chat"
keys NPage
wait_for "/sessions" "help lists /sessions"
s=$(screen)
assert_contains "$s" "/shortlists " "help lists /shortlists"
assert_contains "$s" "/shortlist  " "help lists /shortlist"
keys Escape
wait_gone "Everywhere" " Offers " "Esc closes the help"

# 3. /save without an extension names the extensions that work
type_text "/save $T/sv/a"
keys Enter
wait_for "end it in .csv" "a path without an extension gets the list of extensions"
assert_not_contains "$(screen)" "--format" "no advice about a command-line option"

# 4. nothing marked: the rows loaded, said as such; ~ is the home directory
turn 'yoga mats'
wait_for "Offers 200 of " "more offers than the grid loads"
total=$(screen | grep -oE 'Offers 200 of [0-9,]+' | head -1 | sed 's/.* of //')
type_text '/save ~/mats.csv'
keys Enter
wait_file "$HOME/mats.csv" "/save ~/mats.csv writes into the home directory"
wait_for "Saved 200 of $total offers (the rows loaded)" \
	"the confirmation says only the loaded rows went out"
lines=$(wc -l <"$HOME/mats.csv" | tr -d ' ')
assert_eq "$lines" "201" "the CSV has a header and the 200 rows"
check "no file named ~ in the working directory" test ! -e "$(pwd)/~"
# /export: every match, not the rows loaded
type_text "/export $T/all.csv"
keys Enter
wait_file "$T/all.csv" "/export writes a file"
wait_for "Saved every match, $total offers" "/export says every match went out"
assert_eq "$(grep -c '^[0-9][0-9]*,' "$T/all.csv")" "$(echo "$total" | tr -d ,)" \
	"the CSV has every match"

# 5. marked offers: the plain count
keys Tab g Space Space
wait_for "2 marked" "two marks"
keys Tab Tab
type_text "/save $T/two.json"
keys Enter
wait_file "$T/two.json" "/save writes the marked offers"
wait_for "Saved 2 offers to $T/two.json" "marks are counted plainly"
type_text '/ses'
keys Tab Enter
wait_for "Sessions (/sessions N switches):" "the completed /sessions lists the sessions"

# 6. the detail view names the category
keys Tab g Enter
wait_for "Offer details" "Enter opens the detail view"
line=$(screen | grep 'Category: ' | head -1)
case $line in
*"Category: "*" ("*/*")") ok ;;
*) fail "the category line gives a name and its path: '$line'" ;;
esac
assert_contains "$(screen)" "years in business" "a demo supplier's years are known"
keys Escape
wait_gone "Offer details" " Offers " "Esc closes the detail view"
keys q
status=$(wait_exit "q quits")
assert_eq "$status" "0" "souk exits with status 0"

# 7. a session belongs to its catalog: another catalog starts its own
# session, and each catalog resumes its own
SMALL="$T/small.db"
"$SOUK" demo --products 3000 --seed 2 --out "$SMALL" >/dev/null 2>&1
check "a second, smaller catalog" test -s "$SMALL"
tui_start 120 40 --db "$SMALL"
wait_for "Tell me what you are sourcing" "another catalog starts a new session"
assert_not_contains "$(screen)" "Resumed your last session" "not the first catalog's session"
assert_not_contains "$(screen)" "yoga mats" "nor its conversation"
turn 'garden hose'
wait_for "> garden hose" "a turn on the second catalog"
keys Escape q
wait_exit "quit" >/dev/null
tui_start 120 40 --db "$SMALL"
wait_for "Resumed your last session" "the second catalog resumes its own session"
wait_for "garden hose" "with its conversation"
keys Escape q
wait_exit "quit" >/dev/null
tui_start 120 40 --db "$DB"
wait_for "Resumed your last session" "the first catalog resumes its session"
wait_for "yoga mats" "with its conversation"
assert_not_contains "$(screen)" "garden hose" "not the other catalog's"
keys Escape q
wait_exit "quit" >/dev/null

# 8. an imported offer without city, year or category: only what is known
printf 'title,supplier,country,price\nWidget Gizmo Pro,Acme Gizmo Works,CN,1.50\n' >"$T/imp.csv"
"$SOUK" import "$T/imp.csv" --db "$T/imp.db" >/dev/null 2>&1
check "a catalog from a bare CSV" test -s "$T/imp.db"
tui_start 120 40 --db "$T/imp.db" --new
wait_for "Widget Gizmo" "the imported offer is in the grid"
keys Tab Enter
wait_for "Offer details" "Enter opens the detail view"
s=$(screen)
assert_contains "$s" "Acme Gizmo Works" "the supplier is named"
assert_contains "$s" "   CN, manufacturer" "the known facts, and only those, joined"
assert_not_contains "$s" "years in business" "no years when the year is unknown"
assert_not_contains "$s" "-1" "no -1 for an unknown value"
assert_not_contains "$s" "Category:" "no category line without a category"
assert_not_contains "$s" "  #1" "no bare id in place of the category"
keys Escape q
status=$(wait_exit "quit")
assert_eq "$status" "0" "souk exits with status 0"
check_tty_sane "after the command tests"

# a sort by a column the catalog cannot order by comes back with the session
tui_start 120 34 --db "$DB" --new
wait_for "Offers" "a fresh session for the sort"
type_text "yoga mats"
keys Enter
wait_for "> yoga mats" "a turn to sort"
type_text "/sort supplier"
keys Enter
wait_for "Supplier↑" "/sort supplier puts the arrow on Supplier"
type_text "/quit"
keys Enter
wait_exit "quit after the sort" >/dev/null
tui_start 120 34 --db "$DB"
wait_for "Resumed your last session" "the sorted session is resumed"
wait_for "Supplier↑" "and it is still sorted by supplier"
tm kill-session -t souk 2>/dev/null

# the config file's currency prices a new conversation
mkdir -p "$XDG_CONFIG_HOME/souk"
printf 'currency = eur\n' >"$XDG_CONFIG_HOME/souk/config"
tui_start 120 34 --db "$DB" --new
wait_for "Price EUR" "a new session prices in the config's currency"
keys C-c
seen_quit=$(screen)
case $seen_quit in *"Quit anyway"*) keys y ;; esac
rm -f "$XDG_CONFIG_HOME/souk/config"

finish
