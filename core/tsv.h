/* tsv: the one reader of souk's tab-separated asset files. */
#ifndef SOUK_TSV_H
#define SOUK_TSV_H

#include "util.h"

/* An asset file: one record a line, fields split on TAB, lines starting
 * with '#' are comments, blank lines are skipped, a trailing CR is
 * dropped. Fields point into the reader's own copy of the file and stay
 * valid until the next tsv_next or tsv_close. */
typedef struct tsv {
	const char *name; /* the path, for messages */
	char *data, *next;
	int lineno; /* of the current record, 1-based */
	char **f;   /* the current record's fields */
	int nf, capf;
	/* Called for each comment line (without the '#') when set, e.g. to
	 * find an "as of" date in a header. */
	void (*comment)(void *ctx, const char *text);
	void *ctx;
} tsv;

/* Reads path (at most 16 MB). -1 and e filled when it cannot be read. */
int tsv_open(tsv *t, const char *path, souk_err *e);
/* The same over text in memory (copied); name is used in messages. */
void tsv_open_text(tsv *t, const char *name, const char *text);
/* The next record: 1 with t->f and t->nf set, 0 at the end. */
int tsv_next(tsv *t);
void tsv_close(tsv *t);
/* Ends reading but keeps the text: the fields read so far point into the
 * returned buffer, which the caller frees (for tables that keep every
 * record, without a copy of each field). */
char *tsv_keep(tsv *t);

/* Fills e with "file:line: what" (SOUK_E_INVALID) for the current record;
 * returns -1 so a reader can `return tsv_fail(...)`. */
int tsv_fail(const tsv *t, souk_err *e, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Requires between min and max fields; else tsv_fail saying so. */
int tsv_want(const tsv *t, int min, int max, souk_err *e);

/* Splits s in place on sep into at most max parts, trimming spaces around
 * each and dropping empty ones; returns how many. For the '|'- or
 * ' '-separated lists inside a field. */
int tsv_split(char *s, char sep, char **out, int max);

#endif
