/* session: the dashboard's conversation, filters, marks and sort, saved continuously in the user
 * DB. */
#ifndef SOUK_SESSION_H
#define SOUK_SESSION_H

#include "userdb.h"
#include <stdint.h>

#include "filter.h"
#include "match.h"
#include "util.h"

typedef struct session_state {
	int64_t id;            /* 0: not saved yet */
	char *title;           /* the first thing the buyer asked, for /sessions */
	char *transcript_json; /* JSON array of {"role", "text"} */
	char *filter_json;     /* the filter state (ARCHITECTURE.md schema) */
	char *marks_json;      /* JSON array of row snapshots (shortlist_row_to_json) */
	int sort;              /* enum match_sort */
	int descending;
	char *sort_column;  /* the grid column sorted by ("Supplier"), or "" */
	char *similar_json; /* rows "similar" added to the grid, as marks_json */
	char *catalog;      /* session_catalog_id of the catalog it was made on, "" unknown */
	long long created, updated;
} session_state;

void session_state_init(session_state *s);
void session_state_free(session_state *s);

/* Saves s in one transaction (cheap: WAL, synchronous=NORMAL, no fsync):
 * inserts when s->id is 0 and sets it, else updates that session. The
 * title comes from the transcript's first user line. The saved session
 * becomes the one `souk` resumes. */
int session_save(souk_userdb *db, session_state *s, souk_err *e);

/* The session to resume: the current one, else the last updated. 1 when
 * found, 0 when there is none, -1 on error. */
int session_load_last(souk_userdb *db, session_state *out, souk_err *e);

/* Who a catalog is, for telling sessions apart: its absolute path and,
 * when the catalog records one, the time it was built ("PATH@STAMP"), so
 * a demo rebuilt at the same path is another catalog while imports into
 * it (which keep product ids) are not. Reading the stamp failing is not
 * an error: the path alone is kept. Never NULL. */
char *session_catalog_id(const char *catalog_path);
int session_load(souk_userdb *db, int64_t id, session_state *out, souk_err *e);
/* Makes id the session `souk` resumes next. */
int session_set_current(souk_userdb *db, int64_t id, souk_err *e);

/* Sessions, most recently updated first (title, times and id only). */
int session_list(souk_userdb *db, session_state **out, int *n, souk_err *e);
void session_list_free(session_state *v, int n);
int session_delete(souk_userdb *db, int64_t id, souk_err *e);

/* What the dashboard hands over after each turn, edit, mark or sort. */
typedef struct session_input {
	const char *transcript_json; /* JSON array of {"role", "text"} */
	const souk_filter *filter;
	const match_row *marks;
	int nmarks;
	int sort, descending;
	const char *sort_column;  /* the grid column, may be NULL */
	const match_row *similar; /* rows "similar" added, restored with the session */
	int nsimilar;
	const char *catalog; /* path of the catalog searched; NULL: not recorded */
} session_input;

/* Saves the dashboard's state into the current session (starting one when
 * there is none) and keeps the current shortlist in step with the marks:
 * rows marked since the last call are added, rows unmarked are removed
 * (unless annotated or given a status: the buyer's words are kept).
 * One transaction. */
int session_record(souk_userdb *db, const session_input *in, souk_err *e);

/* At start: fresh (--new) forgets the current session so the next record
 * starts a new one, and returns 0; else loads the session to resume (1),
 * or 0 when there is none. */
int session_begin(souk_userdb *db, int fresh, session_state *out, souk_err *e);
/* The same for the catalog at catalog_path (NULL: any catalog, as
 * session_begin): only a session made on that catalog is resumed (the
 * current one when it is, else that catalog's last updated); with none,
 * the next session_record starts a new one. Sessions of other catalogs
 * stay in session_list. */
int session_begin_for(souk_userdb *db, const char *catalog_path, int fresh, session_state *out,
                      souk_err *e);

/* Marks <-> snapshot array. f (may be NULL) records quantity and currency. */
char *session_marks_to_json(const match_row *rows, int n, const souk_filter *f);
/* Free each row with match_row_free, then free(rows). */
int session_marks_from_json(const char *json, match_row **rows, int *n, souk_err *e);

#endif
