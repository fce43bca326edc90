#!/bin/sh
# The terminal around the dashboard: while curses draws, what a library
# prints to stderr goes to souk.log instead of across the screen, and
# stderr is back for the user on a normal exit and after a fatal signal;
# an 8-colour terminal (TERM=xterm) and monochrome ones (vt100, NO_COLOR)
# start and draw.
. "$top_srcdir/tests/cli/lib.sh"
. "$top_srcdir/tests/tui/lib.sh"

need_demo_db
esc=$(printf '\033')
LOG="$XDG_DATA_HOME/souk/souk.log"

# raw_start NOFILE ARGS...: souk with its stderr on the pane's terminal, as
# a user runs it (tui_start sends it to a file), under `ulimit -n NOFILE`
# unless NOFILE is "-"; its pid goes to $T/pid, then as tui_start.
raw_start() {
	limit=$1
	shift
	tm kill-session -t souk 2>/dev/null
	rm -f "$T/exit" "$T/stty" "$T/pid"
	cat >"$T/raw.sh" <<'RUN'
#!/bin/sh
dir=$1 limit=$2
shift 2
[ "$limit" = - ] || ulimit -n "$limit"
sh -c 'echo $$ >"$0/pid"; exec "$@"' "$dir" "$@"
echo $? >"$dir/exit.tmp"
mv "$dir/exit.tmp" "$dir/exit"
stty -a >"$dir/stty" 2>&1
exec sleep 600
RUN
	chmod +x "$T/raw.sh"
	tm -f /dev/null new-session -d -s souk -x 120 -y 35 \
		env HOME="$HOME" XDG_DATA_HOME="$XDG_DATA_HOME" XDG_CONFIG_HOME="$XDG_CONFIG_HOME" \
		SOUK_ASSETS="${SOUK_ASSETS:-}" LC_ALL=C.UTF-8 TERM=xterm-256color \
		"$T/raw.sh" "$T" "$limit" "$SOUK" "$@"
	wait_file "$T/pid" "souk started"
}

# fail_xlsx: a query, then an XLSX save that runs out of file descriptors
# inside libxlsxwriter, which reports it on stderr
fail_xlsx() {
	wait_for "30,000 results" "the dashboard is up with one descriptor to spare"
	turn 'yoga mats'
	wait_for "Offers 200 of" "the grid fills"
	type_text "/save $T/x.xlsx"
	keys Enter
	wait_for "Could not save" "the save fails for want of descriptors"
	# curses redraws over most of a stray message: look for any piece
	s=$(screen | tr -d '\n')
	assert_not_contains "$s" "[ERROR]" "the library's message is not drawn over the dashboard"
	assert_not_contains "$s" "System error" "nothing of it on screen"
	assert_not_contains "$s" ".part-" "not even its file name"
	assert_contains "$(cat "$LOG" 2>/dev/null)" "workbook_close" "it is in souk.log"
}

if [ -d /proc/self/fd ]; then
	# 1. while curses runs, fd 2 is the log; a quiet run says nothing of it
	raw_start - --db "$DB" --new
	wait_for "30,000 results" "the dashboard is up"
	pid=$(cat "$T/pid")
	assert_eq "$(readlink "/proc/$pid/fd/2")" "$LOG" "stderr points at souk.log while curses draws"
	turn 'yoga mats'
	wait_for "Offers 200 of" "the grid fills"
	nfd=$(ls "/proc/$pid/fd" | wc -l)
	type_text '/quit'
	keys Enter
	status=$(wait_exit "/quit")
	assert_eq "$status" "0" "souk exits with status 0"
	assert_not_contains "$(screen)" "souk.log" "nothing to report after a quiet run"

	if grep -q 'define HAVE_XLSXWRITER 1' "$top_builddir/build-config.h" 2>/dev/null; then
		# 2. a library error goes to the log; after a normal exit stderr
		# is back and says where the message went
		: >"$LOG"
		# /save holds the user DB (two descriptors, for the notes) and
		# makes its scratch file before libxlsxwriter needs its own
		raw_start $((nfd + 4)) --db "$DB" --new
		fail_xlsx
		type_text '/quit'
		keys Enter
		status=$(wait_exit "/quit")
		assert_eq "$status" "0" "souk exits with status 0"
		wait_for "libraries reported problems" "stderr is back after a normal exit"
		assert_contains "$(screen | tr -d '\n')" "souk.log" "it names the log"
		check_tty_sane "after the normal exit"

		# 3. the same after a fatal signal
		: >"$LOG"
		raw_start $((nfd + 4)) --db "$DB" --new
		fail_xlsx
		kill -SEGV "$(cat "$T/pid")"
		status=$(wait_exit "SIGSEGV")
		assert_eq "$status" "139" "souk dies of the signal"
		wait_for "libraries reported problems" "stderr is back after a fatal signal"
		check_tty_sane "after SIGSEGV"
	else
		echo "terminal.sh: built without libxlsxwriter, library-error checks skipped"
	fi
else
	echo "terminal.sh: no /proc, stderr checks skipped"
fi

# 4. an 8-colour terminal: the eight ANSI colours, nothing from 256
TUI_TERM=xterm tui_start 100 30 --db "$DB" --new
wait_for "30,000 results" "TERM=xterm starts"
wait_for "Supplier" "and draws the grid"
s=$(tm capture-pane -e -p -t souk)
assert_contains "$s" "${esc}[36m" "titles in cyan on 8 colours"
assert_contains "$s" "${esc}[46m" "the grid header on a cyan background"
assert_not_contains "$s" "38;5;" "no 256-colour foregrounds"
assert_not_contains "$s" "48;5;" "no 256-colour backgrounds"
keys Tab q
status=$(wait_exit "quit on xterm")
assert_eq "$status" "0" "the xterm run exits cleanly"

# 5. monochrome terminals: attributes only, the cursor row in reverse video
for how in vt100 NO_COLOR; do
	if [ "$how" = vt100 ]; then
		TUI_TERM=vt100 tui_start 80 24 --db "$DB" --new
	else
		NO_COLOR=1 tui_start 80 24 --db "$DB" --new
	fi
	wait_for "30,000 results" "$how starts"
	wait_for "Supplier" "$how draws the grid"
	keys Tab
	wait_for "Tab focus" "$how: the grid has focus"
	s=$(tm capture-pane -e -p -t souk)
	if printf '%s' "$s" | grep -qE "${esc}\[[0-9;]*[34][0-7]m"; then
		fail "$how: no colour"
	else
		ok
	fi
	if printf '%s\n' "$s" | grep -E "${esc}\[[0-9;]*7m(${esc}\[[0-9;]*m)* +1 [^ ]" >/dev/null; then
		ok
	else
		fail "$how: the cursor row in reverse video"
	fi
	if printf '%s' "$s" | grep -qE "${esc}\[[0-9;]*1m"; then ok; else fail "$how: bold for titles and best values"; fi
	keys q
	status=$(wait_exit "quit on $how")
	assert_eq "$status" "0" "the $how run exits cleanly"
	check_tty_sane "after $how"
done

finish
