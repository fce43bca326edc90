# Terminal tests: drive the dashboard inside a private tmux server and read
# the screen with capture-pane. Source after tests/cli/lib.sh.
# Waits are on screen content (polling), never fixed sleeps.

if ! command -v tmux >/dev/null 2>&1; then
	echo "tmux not installed: terminal tests skipped"
	exit 77
fi

TMUX_SOCK="$T/tmux.sock"
unset TMUX
# tui_cleanup: stops the tmux server, then waits (up to 5 s) for every souk
# it ran to finish saving its session and history, which it does on the
# hangup, before the directory goes: else a late write leaves it behind.
tui_cleanup() {
	tmux -S "$TMUX_SOCK" kill-server 2>/dev/null
	for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25; do
		left=0
		for e in /proc/[0-9]*/environ; do
			grep -qzx "HOME=$T/home" "$e" 2>/dev/null && left=1 && break
		done
		[ "$left" -eq 0 ] && break
		sleep 0.2
	done
	rm -rf "$T" 2>/dev/null || { sleep 0.3; rm -rf "$T"; }
}
trap tui_cleanup EXIT INT TERM

tm() {
	tmux -S "$TMUX_SOCK" "$@"
}

# tui_start COLS ROWS ARGS...: runs souk in a new detached session; when it
# exits, its status and `stty -a` of the pane's terminal go to $T/exit and
# $T/stty, then the pane stays open.
tui_start() {
	cols=$1
	rows=$2
	shift 2
	tm kill-session -t souk 2>/dev/null
	rm -f "$T/exit" "$T/stty"
	cat >"$T/run.sh" <<RUN
#!/bin/sh
"$SOUK" "\$@" 2>"$T/stderr"
echo \$? >"$T/exit.tmp"; mv "$T/exit.tmp" "$T/exit"
stty -a >"$T/stty" 2>&1
exec sleep 600
RUN
	chmod +x "$T/run.sh"
	tm -f /dev/null new-session -d -s souk -x "$cols" -y "$rows" \
		env HOME="$HOME" XDG_DATA_HOME="$XDG_DATA_HOME" XDG_CONFIG_HOME="$XDG_CONFIG_HOME" \
		SOUK_ASSETS="${SOUK_ASSETS:-}" LC_ALL=C.UTF-8 TERM="${TUI_TERM:-xterm-256color}" \
		${NO_COLOR+NO_COLOR="$NO_COLOR"} "$T/run.sh" "$@"
}

screen() {
	tm capture-pane -p -t souk
}

# keys KEY...: tmux send-keys names (Enter, Tab, Space, Escape, Up, ...)
keys() {
	tm send-keys -t souk "$@"
}

# type_text TEXT: literal text
type_text() {
	tm send-keys -t souk -l "$1"
}

# wait_for TEXT DESCRIPTION [SECONDS]: polls the screen until TEXT shows.
# A screen that never comes ends the test: later steps depend on it.
wait_for() {
	limit=${3:-20}
	end=$(($(date +%s) + limit))
	while :; do
		case $(screen) in
		*"$1"*)
			ok
			return 0
			;;
		esac
		if [ "$(date +%s)" -ge "$end" ]; then
			fail "$2: '$1' not on screen after ${limit}s; screen was:
$(screen)
stderr: $(cat "$T/stderr" 2>/dev/null | head -c 400)"
			finish
		fi
		sleep 0.1
	done
}

# wait_gone TEXT WANT DESCRIPTION [SECONDS]: polls until one screen both
# lacks TEXT and shows WANT. A wait for something to go away alone passes
# on any other screen at all (a changed layout, an error, a crash), so
# every one names what the screen must show instead.
wait_gone() {
	limit=${4:-20}
	end=$(($(date +%s) + limit))
	while :; do
		s=$(screen)
		case $s in
		*"$1"*) ;;
		*"$2"*)
			ok
			return 0
			;;
		esac
		if [ "$(date +%s)" -ge "$end" ]; then
			fail "$3: '$1' still on screen or '$2' not there after ${limit}s:
$s"
			finish
		fi
		sleep 0.1
	done
}

# turn TEXT: sends a chat line (a request or a /command) and waits for
# the grid's answer: the status line's "N results" must change, since the
# chat's reply comes before the grid's rows (choose turns that change it).
turn() {
	was=$(screen | grep -oE '\| [0-9,]+ results' | head -1)
	type_text "$1"
	keys Enter
	wait_gone "${was:-no such count}" "sorted by" "the grid answers '$1'"
}

# wait_exit DESCRIPTION: waits for souk to exit; prints its status.
wait_exit() {
	end=$(($(date +%s) + 20))
	while [ ! -s "$T/exit" ] || [ ! -s "$T/stty" ]; do
		if [ "$(date +%s)" -ge "$end" ]; then
			fail "$1: souk did not exit; screen was:
$(screen)"
			echo none
			return 1
		fi
		sleep 0.1
	done
	cat "$T/exit"
}

# wait_file PATH DESCRIPTION
wait_file() {
	end=$(($(date +%s) + 20))
	while [ ! -s "$1" ]; do
		if [ "$(date +%s)" -ge "$end" ]; then
			fail "$2: $1 was not written; screen was:
$(screen)"
			return 1
		fi
		sleep 0.1
	done
	ok
}

# The pane's terminal after souk left: canonical mode and echo back on.
check_tty_sane() {
	s=$(cat "$T/stty" 2>/dev/null)
	assert_contains "$s" " icanon" "$1: terminal back in canonical mode"
	assert_not_contains "$s" "-icanon" "$1: terminal back in canonical mode"
	assert_not_contains "$s" "-echo " "$1: echo restored"
}
