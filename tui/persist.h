/* persist: the dashboard's session in the user DB: restore at start, record after each change,
 * and the /sessions, /shortlists and /shortlist commands. */
#ifndef SOUK_PERSIST_H
#define SOUK_PERSIST_H

#include "userdb.h"
#include "util.h"

struct app;
struct command;

/* Once the dashboard is up: resumes the last session unless fresh (--new). */
void persist_start(struct app *a, int fresh);
/* After every turn, edit, mark and sort change, and at exit: one
 * transaction saving the session and keeping the shortlist in step. */
void persist_record(struct app *a);
/* The user DB for one change (the shortlist view keeps it while open). */
souk_userdb *persist_open_db(struct app *a, souk_err *e);

/* The commands (tui/command.c): pane_result bits. */
unsigned persist_cmd_sessions(struct app *a, const struct command *c, const char *args);
unsigned persist_cmd_shortlists(struct app *a, const struct command *c, const char *args);
unsigned persist_cmd_shortlist(struct app *a, const struct command *c, const char *args);

#endif
