/* export: writes offers to CSV, JSON, Markdown or XLSX files, atomically. */
#ifndef SOUK_EXPORT_H
#define SOUK_EXPORT_H

#include "filter.h"
#include "match.h"
#include "util.h"

typedef enum export_format {
	EXPORT_CSV,
	EXPORT_JSON,
	EXPORT_MD,
	EXPORT_XLSX,
} export_format;

/* From a name ("csv", "json", "md", "markdown", "xlsx"). */
int export_format_parse(const char *name, export_format *out, souk_err *e);
/* From a path's extension; an unknown extension is an error naming it. */
int export_format_from_path(const char *path, export_format *out, souk_err *e);

typedef struct export_doc {
	const char *title;         /* the query in words, for headings */
	const souk_filter *filter; /* may be NULL */
	const match_row *rows;
	int nrows;
	const char *const *notes;    /* per row or NULL */
	const char *const *statuses; /* per row or NULL ("shortlisted", "ask supplier", ...) */
	const char *transcript_json; /* JSON array of {"role","text"} or NULL */
	match_ctx *tiers_from;       /* when non-NULL, XLSX/JSON include every price tier */
	int rank0;                   /* ranks start at rank0 + 1 (a later page of a stream) */
	int note_columns; /* Markdown: note and status columns even when no row here has one */
} export_doc;

/* Writes doc to path in fmt with util_write_atomic: an existing file is
 * replaced only when force. XLSX without libxlsxwriter is a clear error. */
int export_write(const char *path, export_format fmt, const export_doc *doc, int force,
                 souk_err *e);

/* The same bytes export_write would write (not XLSX), for tests and pipes. */
char *export_render(export_format fmt, const export_doc *doc, souk_err *e);

/* An export written page by page, for results too large to hold as rows:
 * open with the document's heading (its title, filter, transcript and
 * tiers_from, borrowed until close; its rows, if any, are not written)
 * and the number of rows to come, add pages (rows, notes, statuses and
 * rank0 of each page doc are read), then close, which writes path
 * atomically as export_write does. Nothing is written before close;
 * abort (or a failed add) leaves the old file as it was. */
typedef struct export_stream export_stream;

export_stream *export_stream_open(const char *path, export_format fmt, const export_doc *head,
                                  long total, int force, souk_err *e);
/* The same, the bytes going to sink page by page instead of to a file
 * (a pipe: souk query --limit 0); not XLSX. A sink returns -1 with e set
 * when it cannot take them. */
typedef int (*export_sink)(const char *data, size_t len, void *arg, souk_err *e);
export_stream *export_stream_to(export_format fmt, const export_doc *head, long total,
                                export_sink sink, void *arg, souk_err *e);
int export_stream_add(export_stream *s, const export_doc *page, souk_err *e);
int export_stream_close(export_stream *s, souk_err *e);
void export_stream_abort(export_stream *s);

/* Progress of a long export: done of total rows, now and then. */
typedef void (*export_progress)(long done, long total, void *arg);

#endif
