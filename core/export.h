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
	const char *title;          /* the query in words, for headings */
	const souk_filter *filter;  /* may be NULL */
	const match_row *rows;
	int nrows;
	const char *const *notes;    /* per row or NULL */
	const char *const *statuses; /* per row or NULL ("shortlisted", "ask supplier", ...) */
	const char *transcript_json; /* JSON array of {"role","text"} or NULL */
	match_ctx *tiers_from;       /* when non-NULL, XLSX/JSON include every price tier */
} export_doc;

/* Writes doc to path in fmt with util_write_atomic: an existing file is
 * replaced only when force. XLSX without libxlsxwriter is a clear error. */
int export_write(const char *path, export_format fmt, const export_doc *doc, int force,
		 souk_err *e);

/* The same bytes export_write would write (not XLSX), for tests and pipes. */
char *export_render(export_format fmt, const export_doc *doc, souk_err *e);

#endif
