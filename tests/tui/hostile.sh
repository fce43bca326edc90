#!/bin/sh
# Hostile text in the chat line, in a real terminal: format characters
# with no width (joiners, tags) never shift the pane separator, and a
# large paste is cut to the line's limit with a note on the status line;
# the history keeps the cut line.
. "$top_srcdir/tests/cli/lib.sh"
. "$top_srcdir/tests/tui/lib.sh"

need_demo_db

# separator_rows: screen rows with the chat pane's separator at column 26
# (the sidebar is 25 wide at 100 columns), and rows with two of them
separator_rows() {
	screen >"$T/screen"
	grep -c -E '^.{25}│' "$T/screen"
}

tui_start 100 30 --db "$DB" --new
wait_for "30,000 results" "the dashboard is up at 100x30"
rows=$(separator_rows)
# a line of the big list of naughty strings: zero-width joiners, then a
# tag sequence (the subdivision flag's tags) around a request
zwj=$(printf '\342\200\215')
tags=$(printf '\363\240\201\247\363\240\201\242\363\240\201\245\363\240\201\256\363\240\201\247\363\240\201\277')
z="$zwj$zwj$zwj$zwj$zwj$zwj$zwj$zwj$zwj$zwj$zwj$zwj$zwj$zwj$zwj$zwj"
type_text "$z$tags yoga mats $tags$z"
keys Enter
wait_for "> yoga mats" "the turn is shown without its format characters"
wait_for "yoga mat: 496" "and answered as 'yoga mats'"
assert_eq "$(separator_rows)" "$rows" "every row keeps the separator in its column"
assert_eq "$(grep -c '│.*│' "$T/screen")" "0" "no row has a second separator"
assert_not_contains "$(cat "$T/screen")" "$zwj" "no joiner reaches the screen"
assert_not_contains "$(cat "$T/screen")" "$(printf '\363\240\201')" "no tag character reaches the screen"

# a 200 KB bracketed paste: the line takes 4 KB and the status line says
# how much was left out
head -c 200000 /dev/zero | tr '\0' 'a' >"$T/paste.txt"
tm load-buffer -b p "$T/paste.txt"
tm paste-buffer -p -d -b p -t souk
wait_for "195904 more bytes were left out" "the cut paste is noted" 60
keys C-u
wait_for "> yoga mats" "the cleared line is ready for the next turn"
# typed past the limit: the key that does not fit says so too
head -c 4096 /dev/zero | tr '\0' 'b' >"$T/typed.txt"
tm load-buffer -b t "$T/typed.txt"
tm paste-buffer -d -b t -t souk
type_text "c"
wait_for "1 more byte was left out" "a key past the limit is noted" 30
keys Enter
keys C-c
wait_exit "souk leaves" >/dev/null
hist="$XDG_DATA_HOME/souk/history"
wait_file "$hist" "the history is saved"
assert_eq "$(awk '{ if (length($0) > m) m = length($0) } END { print m }' "$hist")" "4096" \
	"the history keeps the line as cut: 4096 bytes"
finish
