/* term: terminal setup and restore on every exit path, and the signal self-pipe. */
#ifndef SOUK_TERM_H
#define SOUK_TERM_H

/* Saves the terminal state and installs handlers: SIGWINCH, SIGTERM,
 * SIGHUP and SIGINT write their number to fd (the main loop reads it);
 * fatal signals (SEGV, BUS, FPE, ILL, ABRT) restore the terminal and then
 * die as they would have. */
int term_signals(int fd);
/* While curses owns the screen, whatever a library prints to stderr (say
 * libxlsxwriter on a full disk) would land across the dashboard: fd 2 goes
 * to the log at path (or /dev/null when it cannot be opened) until
 * term_stderr_restore, term_restore or a fatal signal puts it back. */
int term_stderr_to(const char *path);
/* fd 2 back as it was (idempotent); says where the log is if it grew. */
void term_stderr_restore(void);
/* Leaves curses mode and puts the terminal back as it was, stderr
 * included (idempotent). */
void term_restore(void);
/* Bracketed paste on: a paste arrives between two markers. */
void term_paste_mode(int on);

#endif
