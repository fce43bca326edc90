/* import: CSV (RFC 4180) and JSON offers into the catalog, from a file or a URL, all or nothing. */
#ifndef SOUK_IMPORT_H
#define SOUK_IMPORT_H

#include <signal.h>
#include <sqlite3.h>
#include <stddef.h>

#include "util.h"

#define IMPORT_MAX_FILE  (2LL * 1024 * 1024 * 1024) /* bytes in one file or download */
#define IMPORT_MAX_FIELD (64 * 1024)                /* bytes in one CSV field or JSON value */

typedef enum import_format { IMPORT_AUTO, IMPORT_CSV, IMPORT_JSON } import_format;

typedef struct import_opts {
	import_format format;
	int strict;         /* the first bad row fails the whole file */
	const char *name;   /* the file name or URL, for row reports and meta.name */
	const char *assets; /* taxonomy and FX table; NULL skips category and currency checks */
	/* The reference data (countries, certifications, currencies): the
	 * caller's, or NULL to load it here from assets; one of the two is
	 * required. */
	const struct souk_ref *ref;
	/* Polled now and then; non-zero stops the import and rolls it back. */
	volatile sig_atomic_t *cancel;
	/* Each rejected row: where is "NAME:LINE" (CSV) or "NAME: offer N" (JSON). */
	void (*row_error)(const char *where, const char *why, void *arg);
	/* What the import leaves out without rejecting a row (columns beyond
	 * the limits); may be NULL. */
	void (*warning)(const char *what, void *arg);
	/* Share done (0..1) for a progress line; may be NULL. */
	void (*progress)(const char *what, double done, void *arg);
	void *arg;
} import_opts;

typedef struct import_stats {
	long rows;          /* data rows read */
	long imported;      /* offers written */
	long rejected;      /* rows refused (reported through row_error) */
	long new_suppliers; /* suppliers not in the catalog before */
	long updated;       /* offers that replaced the same supplier's same title */
} import_stats;

/* Imports data (the whole file) into db in one transaction: on -1 the
 * catalog is exactly as before. Rows with errors are reported and skipped
 * unless strict. */
int import_buffer(sqlite3 *db, const char *data, size_t len, const import_opts *o, import_stats *st,
                  souk_err *e);

/* Same for a file (mapped, at most IMPORT_MAX_FILE bytes; binary files refused). */
int import_file(sqlite3 *db, const char *path, const import_opts *o, import_stats *st, souk_err *e);

/* import_file into the catalog file at catalog, opened read-write here
 * and closed again (a new file is created): -1 with e set when either
 * fails, and the catalog is then as it was. */
int import_path(const char *catalog, const char *path, const import_opts *o, import_stats *st,
                souk_err *e);

/* 1 for http:// and https:// addresses. */
int import_is_url(const char *s);

/* Downloads url (http/https only, TLS verified, 10 s connect timeout, stalls
 * time out, at most 5 redirects and IMPORT_MAX_FILE bytes) into a new temp
 * file whose path is returned in *path (the caller unlinks and frees it). */
int import_fetch(const char *url, const import_opts *o, char **path, souk_err *e);

/* ISO 3166-1 alpha-2 for a country code or English name ("Viet Nam", "CHN",
 * "uk"), or NULL. */
const char *import_country(const struct souk_ref *ref, const char *s);

/* ISO 4217 for a code, symbol or common name ("$", "rmb", "euro"), or NULL. */
const char *import_currency(const struct souk_ref *ref, const char *s);

/* The canonical name of a certification ("oeko tex" -> "OEKO-TEX"), or NULL
 * when it is not one of doc/HACKING.md's canonical names. */
const char *import_cert(const struct souk_ref *ref, const char *s);

#endif
