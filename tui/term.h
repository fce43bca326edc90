/* term: terminal setup and restore on every exit path, and the signal self-pipe. */
#ifndef SOUK_TERM_H
#define SOUK_TERM_H

/* Saves the terminal state and installs handlers: SIGWINCH, SIGTERM,
 * SIGHUP and SIGINT write their number to fd (the main loop reads it);
 * fatal signals (SEGV, BUS, FPE, ILL, ABRT) restore the terminal and then
 * die as they would have. */
int term_signals(int fd);
/* Leaves curses mode and puts the terminal back as it was (idempotent). */
void term_restore(void);
/* Bracketed paste on: a paste arrives between two markers. */
void term_paste_mode(int on);

#endif
