/* term: terminal setup and restore on every exit path, and the signal self-pipe. */
#include "term.h"

#include <curses.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

/* Signal handlers can only reach file-scope state: these three are the
 * dashboard's only globals, written once before the handlers go in. */
static int sig_fd = -1;
static struct termios saved_tty;
static volatile sig_atomic_t have_tty;

/* Leaves the alternate screen, shows the cursor, resets attributes and
 * paste mode: enough for a shell prompt after a crash. */
static const char reset_seq[] = "\033[?2004l\033[0m\033[?25h\033[?1049l\r\n";

static void on_signal(int sig)
{
	int saved = errno;
	unsigned char c = (unsigned char)sig;

	if (sig_fd >= 0 && write(sig_fd, &c, 1) < 0) {
		/* pipe full: the loop is already awake */
	}
	errno = saved;
}

static void on_fatal(int sig)
{
	/* only async-signal-safe calls here */
	if (have_tty)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_tty);
	if (write(STDOUT_FILENO, reset_seq, sizeof reset_seq - 1) < 0) {
		/* nothing more can be done */
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

int term_signals(int fd)
{
	static const int soft[] = {SIGWINCH, SIGTERM, SIGHUP, SIGINT, SIGQUIT};
	static const int fatal[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
	struct sigaction sa;
	size_t i;

	sig_fd = fd;
	if (isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved_tty) == 0)
		have_tty = 1;
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	for (i = 0; i < sizeof soft / sizeof soft[0]; i++)
		if (sigaction(soft[i], &sa, NULL) < 0)
			return -1;
	sa.sa_handler = on_fatal;
	sa.sa_flags = SA_RESETHAND;
	for (i = 0; i < sizeof fatal / sizeof fatal[0]; i++)
		if (sigaction(fatal[i], &sa, NULL) < 0)
			return -1;
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

void term_paste_mode(int on)
{
	fputs(on ? "\033[?2004h" : "\033[?2004l", stdout);
	fflush(stdout);
}

void term_restore(void)
{
	if (!isendwin()) {
		term_paste_mode(0);
		endwin();
	}
	if (have_tty)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_tty);
}
