/* shortlist: named shortlists in the user DB: items, notes, statuses, snapshots, export. */
#ifndef SOUK_SHORTLIST_H
#define SOUK_SHORTLIST_H

#include <stdint.h>

#include "export.h"
#include "filter.h"
#include "match.h"
#include "userdb.h"
#include "util.h"

/* The decision on an item; stored by name so the DB stays readable. */
enum shortlist_status {
	SL_SHORTLISTED,
	SL_ASK_SUPPLIER,
	SL_SAMPLE_ORDERED,
	SL_REJECTED,
	SL_STATUS_COUNT
};

const char *shortlist_status_name(int status); /* "ask supplier" */
int shortlist_status_parse(const char *name);  /* -1 when unknown; '-' and '_' match ' ' */

/* The list new marks go to until /shortlist NAME picks another. */
#define SHORTLIST_DEFAULT "shortlist"

typedef struct shortlist_info {
	char *name;
	long long created, updated; /* seconds since the epoch */
	int nitems;
} shortlist_info;

typedef struct shortlist_item {
	int64_t product_id;
	int position; /* 0-based, contiguous */
	char *note;   /* never NULL */
	int status;   /* enum shortlist_status */
	long long added;
	match_row row;    /* the offer as it was when added */
	double quantity;  /* the order quantity its price was for, -1 unknown */
	char currency[4]; /* the currency of row.price */
	/* Filled by shortlist_compare: */
	int gone;      /* the catalog no longer has this offer */
	char *changes; /* "price 7.50 → 6.90 CNY; MOQ 500 → 300", NULL if unchanged */
} shortlist_item;

/* A name that can be a shortlist: 1..80 bytes of printable UTF-8. */
int shortlist_name_check(const char *name, souk_err *e);

/* The current list's name (never NULL; SHORTLIST_DEFAULT when unset). */
char *shortlist_current(souk_userdb *db);
/* Makes name the current list, creating it when missing. */
int shortlist_switch(souk_userdb *db, const char *name, souk_err *e);
/* Creates the list when missing; 1 if created, 0 if it existed. */
int shortlist_ensure(souk_userdb *db, const char *name, souk_err *e);
int shortlist_exists(souk_userdb *db, const char *name);
/* The list's name as it was given ("bottles UK"), whatever the case
 * name is typed in ("bottles uk"): names match without case. NULL when
 * there is no such list. */
char *shortlist_name(souk_userdb *db, const char *name);
/* Fails when to is taken by another list; follows the current list. */
int shortlist_rename(souk_userdb *db, const char *from, const char *to, souk_err *e);
int shortlist_delete(souk_userdb *db, const char *name, souk_err *e);

/* All lists, most recently changed first. */
int shortlist_list(souk_userdb *db, shortlist_info **out, int *n, souk_err *e);
void shortlist_infos_free(shortlist_info *v, int n);

/* Items in order. A missing list is an error naming it. */
int shortlist_load(souk_userdb *db, const char *name, shortlist_item **items, int *n, souk_err *e);
void shortlist_items_free(shortlist_item *v, int n);

/* Appends a snapshot of row (f, may be NULL, gives its quantity and
 * currency); creates the list when missing. 1 added, 0 already there. */
int shortlist_add(souk_userdb *db, const char *name, const match_row *row, const souk_filter *f,
                  souk_err *e);
/* Records the search the list's latest items came from (f and the
 * conversation as a JSON array of {"role","text"}, either may be NULL):
 * exports show it as their query and transcript. */
int shortlist_set_context(souk_userdb *db, const char *name, const souk_filter *f,
                          const char *transcript_json, souk_err *e);
/* 1 removed, 0 was not there. */
int shortlist_remove(souk_userdb *db, const char *name, int64_t product_id, souk_err *e);
/* Removes the item only while it has no note and the default status, so
 * unmarking in the grid never throws away the buyer's own words. 1
 * removed, 0 kept or not there. */
int shortlist_remove_untouched(souk_userdb *db, const char *name, int64_t product_id, souk_err *e);
/* Moves the item to position to (0-based, clamped). */
int shortlist_move(souk_userdb *db, const char *name, int64_t product_id, int to, souk_err *e);
int shortlist_annotate(souk_userdb *db, const char *name, int64_t product_id, const char *note,
                       souk_err *e);
int shortlist_set_status(souk_userdb *db, const char *name, int64_t product_id, int status,
                         souk_err *e);

/* What changed since each item was added, against the catalog DB (any
 * catalog with the HACKING.md schema; match_db() of a match_ctx will do). */
int shortlist_compare(sqlite3 *catalog, shortlist_item *items, int n, souk_err *e);
/* The same against the catalog file at path, opened read-only here and
 * never created: -1 (items untouched) when there is none or it is not a
 * catalog. */
int shortlist_compare_path(const char *path, shortlist_item *items, int n, souk_err *e);

/* Writes the list to path (export_write: atomic, no overwrite without
 * force). tiers_from, when non-NULL, adds every price tier. */
int shortlist_export(souk_userdb *db, const char *name, const char *path, export_format fmt,
                     int force, match_ctx *tiers_from, souk_err *e);

/* The bytes shortlist_export would write (not XLSX), for pipes. */
char *shortlist_render(souk_userdb *db, const char *name, export_format fmt, souk_err *e);

/* export_write for offers that are not a list (the dashboard's /save):
 * a row on the current shortlist of the user DB at userdb (NULL or no
 * such file: none) is written with its note and status there, as that
 * list's own export writes them; notes and statuses doc already has win. */
int shortlist_export_rows(const char *userdb, const char *path, export_format fmt,
                          const export_doc *doc, int force, souk_err *e);

/* How shortlist_export_all writes. */
typedef struct export_all_opts {
	const char *userdb;     /* notes and statuses from its current list; NULL: none */
	const match_opts *sort; /* the order (its limit and offset are ignored); NULL: best first */
	export_progress progress; /* after each page, when non-NULL */
	void *progress_arg;
	export_sink sink; /* with no path, the bytes go here page by page */
	void *sink_arg;
} export_all_opts;

/* Every match of f, not only the rows a grid loaded (the dashboard's
 * /export, souk query --limit 0): page by page through match_run's
 * offset, each row with its note and status as shortlist_export_rows,
 * under the heading of head (its rows are ignored), written atomically
 * to path (NULL: to o->sink). *written gets the rows written. */
int shortlist_export_all(match_ctx *m, const souk_filter *f, const export_doc *head,
                         const char *path, export_format fmt, int force, const export_all_opts *o,
                         long *written, souk_err *e);

/* Re-opens a souk JSON export (export_write's JSON) as the list name
 * (NULL: the export's title), appending its offers with their notes and
 * statuses. *added gets the number of offers added. */
int shortlist_import_json(souk_userdb *db, const char *name, const char *json, int *added,
                          souk_err *e);

/* The snapshot form of a row (JSON object), and back (free the row with
 * match_row_free); sessions keep their marks this way too. f may be NULL. */
char *shortlist_row_to_json(const match_row *r, const souk_filter *f);
int shortlist_row_from_json(const char *json, match_row *r, double *quantity, char currency[4],
                            souk_err *e);

#endif
