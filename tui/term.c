/* term: terminal setup and restore on every exit path, and the signal self-pipe. */
#include "term.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

/* Signal handlers can only reach file-scope state: these are the
 * dashboard's only globals, written before the handlers need them. */
static int sig_fd = -1;
static struct termios saved_tty;
static volatile sig_atomic_t have_tty;

/* While fd 2 points at the log: fd 2 as it was before, the log itself,
 * its size when the dashboard began, and the note printed when it grew
 * (written beforehand: a signal handler cannot format). */
static volatile sig_atomic_t saved_stderr = -1;
static int log_fd = -1;
static off_t log_start;
static char log_note[4200];
static size_t log_note_len;

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

/* 1 when something wrote to the log since the dashboard began. */
static int log_grew(void)
{
	struct stat st;

	return log_fd >= 0 && fstat(log_fd, &st) == 0 && st.st_size > log_start;
}

/* Async-signal-safe: fd 2 back where it was, and a pointer to the log
 * when a library wrote to it, so its messages are not lost. */
static void stderr_back(void)
{
	int fd = saved_stderr;

	if (fd < 0)
		return;
	saved_stderr = -1;
	dup2(fd, STDERR_FILENO);
	close(fd);
	if (log_grew() && write(STDERR_FILENO, log_note, log_note_len) < 0) {
		/* stderr is gone: nothing more to tell */
	}
	if (log_fd >= 0)
		close(log_fd);
	log_fd = -1;
}

static void on_fatal(int sig)
{
	/* only async-signal-safe calls here */
	if (have_tty)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_tty);
	if (write(STDOUT_FILENO, reset_seq, sizeof reset_seq - 1) < 0) {
		/* nothing more can be done */
	}
	stderr_back();
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

int term_stderr_to(const char *path)
{
	struct stat st;
	int fd, keep;

	if (saved_stderr >= 0)
		return 0;
	fd = path ? open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600) : -1;
	if (fd < 0) {
		path = "/dev/null";
		fd = open(path, O_WRONLY | O_CLOEXEC);
	}
	if (fd < 0)
		return -1;
	keep = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
	if (keep < 0) {
		close(fd);
		return -1;
	}
	fflush(stderr);
	log_start = fstat(fd, &st) == 0 ? st.st_size : 0;
	snprintf(log_note, sizeof log_note,
	         "souk: libraries reported problems while the dashboard ran: see %s\n", path);
	log_note_len = strlen(log_note);
	if (dup2(fd, STDERR_FILENO) < 0) {
		close(fd);
		close(keep);
		return -1;
	}
	/* the log stays open only to tell, at the end, whether it grew */
	log_fd = fd;
	saved_stderr = keep;
	return 0;
}

void term_stderr_restore(void)
{
	fflush(stderr);
	stderr_back();
}

void term_restore(void)
{
	if (!isendwin()) {
		term_paste_mode(0);
		endwin();
	}
	if (have_tty)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_tty);
	term_stderr_restore();
}
