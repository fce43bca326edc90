#!/bin/sh
# libcurl is a runtime option: where it cannot be loaded (SOUK_LIBCURL names
# a library that is not there), every offline command and the dashboard
# work, the dashboard does not even load it, and URL import says plainly
# that it is missing.
. "$top_srcdir/tests/cli/lib.sh"
. "$top_srcdir/tests/tui/lib.sh"

DB=$(demo_db)
export SOUK_LIBCURL="$T/no-such-libcurl.so"

out=$("$SOUK" query --db "$DB" --limit 3 --format csv "tote bags" 2>"$T/err")
check "souk query works without libcurl" [ "$(printf '%s\n' "$out" | wc -l)" -eq 4 ]
assert_status 1 "URL import without libcurl" "$SOUK" import "http://127.0.0.1:9/offers.csv" --db "$T/x.db"
assert_contains "$(cat "$T/err")" "libcurl is not installed" "URL import says libcurl is missing"
check "the failed URL import created no catalog" [ ! -e "$T/x.db" ]

tui_start 100 30 --db "$DB"
wait_for "Offers" "the dashboard starts without libcurl"
wait_gone "searching" "sorted by" "the first results arrive"
type_text "tote bags under 2 dollars"
keys Enter
wait_for "tote" "a turn is answered"
pid=$(pgrep -f "^$SOUK --db $DB" | head -1)
check "found the dashboard's process" [ -n "$pid" ]
if [ -n "$pid" ]; then
	check "the dashboard's process maps no libcurl" [ "$(grep -c libcurl "/proc/$pid/maps")" -eq 0 ]
fi
keys Tab q
status=$(wait_exit "q")
assert_eq "$status" "0" "souk exits cleanly"
finish
