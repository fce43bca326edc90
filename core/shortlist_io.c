/* shortlist_io: a shortlist's offers in and out: snapshots, exports, imports of an export. */
#include "shortlist.h"

#include <cJSON.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json.h"
#include "offer.h"
#include "text.h"
#include "userdb.h"

/* ---- snapshots ---- */

/* Snapshots are data, not reports: the values exactly as the row had them,
 * so what changed since is measured against what the buyer saw. */
char *shortlist_row_to_json(const match_row *r, const souk_filter *f)
{
	offer_ctx c;

	offer_ctx_init(&c);
	c.exact = 1;
	if (f) {
		c.currency = f->currency;
		c.quantity = f->quantity;
	}
	return offer_to_json(r, &c);
}

int shortlist_row_from_json(const char *json, match_row *r, double *quantity, char currency[4],
                            souk_err *e)
{
	offer_extra x;

	if (offer_from_json(json, r, &x, e) < 0)
		return -1;
	if (quantity)
		*quantity = x.quantity;
	if (currency)
		memcpy(currency, x.currency, 4);
	return 0;
}

/* ---- export ---- */

/* A list as an export document; the doc points into items. */
typedef struct list_doc {
	export_doc doc;
	shortlist_item *items;
	int n;
	match_row *rows;
	const char **notes, **statuses;
	souk_filter f;
	char *title, *transcript;
} list_doc;

/* The filter and conversation recorded with the list (empty when it
 * predates them or they do not parse: an export never fails on them). */
static void list_doc_context(sqlite3 *db, const char *name, list_doc *ld)
{
	sqlite3_stmt *st = NULL;
	souk_err ignore;

	filter_init(&ld->f);
	if (sqlite3_prepare_v2(db, "SELECT filter, transcript FROM shortlists WHERE name = ?1", -1,
	                       &st, NULL) != SQLITE_OK) {
		sqlite3_finalize(st);
		return;
	}
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		souk_filter f;
		const char *fj = (const char *)sqlite3_column_text(st, 0);
		const char *tj = (const char *)sqlite3_column_text(st, 1);

		if (fj != NULL && filter_from_json(fj, NULL, &f, &ignore) == 0) {
			filter_free(&ld->f);
			ld->f = f;
		}
		if (tj != NULL && strcmp(tj, "[]") != 0)
			ld->transcript = xstrdup(tj);
	}
	sqlite3_finalize(st);
}

/* "pickleball paddle (shortlist paddles)": the query first, as a heading. */
static char *list_doc_title(const char *name, const souk_filter *f)
{
	strbuf b;
	int i;

	if (f->keywords.n == 0)
		return xasprintf("Shortlist %s", name);
	sb_init(&b);
	for (i = 0; i < f->keywords.n; i++) {
		if (i)
			sb_addc(&b, ' ');
		sb_add(&b, f->keywords.v[i]);
	}
	sb_printf(&b, " (shortlist %s)", name);
	return sb_steal(&b);
}

static int list_doc_load(sqlite3 *db, const char *name, list_doc *ld, souk_err *e)
{
	int i;

	memset(ld, 0, sizeof *ld);
	if (shortlist_load(db, name, &ld->items, &ld->n, e) < 0)
		return -1;
	ld->rows = xcalloc((size_t)ld->n, sizeof *ld->rows);
	ld->notes = xcalloc((size_t)ld->n, sizeof *ld->notes);
	ld->statuses = xcalloc((size_t)ld->n, sizeof *ld->statuses);
	for (i = 0; i < ld->n; i++) {
		ld->rows[i] = ld->items[i].row; /* shallow: items own the strings */
		ld->notes[i] = ld->items[i].note;
		ld->statuses[i] = shortlist_status_name(ld->items[i].status);
	}
	list_doc_context(db, name, ld);
	/* Prices were taken in the first item's currency and quantity. */
	if (ld->n > 0) {
		memcpy(ld->f.currency, ld->items[0].currency, sizeof ld->f.currency);
		ld->f.quantity = ld->items[0].quantity;
	}
	{
		char *stored = shortlist_name(db, name);

		ld->title = list_doc_title(stored ? stored : name, &ld->f);
		free(stored);
	}
	ld->doc.title = ld->title;
	ld->doc.transcript_json = ld->transcript;
	ld->doc.filter = &ld->f;
	ld->doc.rows = ld->rows;
	ld->doc.nrows = ld->n;
	ld->doc.notes = ld->notes;
	ld->doc.statuses = ld->statuses;
	return 0;
}

static void list_doc_free(list_doc *ld)
{
	filter_free(&ld->f);
	free(ld->title);
	free(ld->transcript);
	free(ld->rows);
	free(ld->notes);
	free(ld->statuses);
	shortlist_items_free(ld->items, ld->n);
}

int shortlist_export(sqlite3 *db, const char *name, const char *path, export_format fmt, int force,
                     match_ctx *tiers_from, souk_err *e)
{
	list_doc ld;
	int rc;

	if (list_doc_load(db, name, &ld, e) < 0)
		return -1;
	ld.doc.tiers_from = tiers_from;
	rc = export_write(path, fmt, &ld.doc, force, e);
	list_doc_free(&ld);
	return rc;
}

char *shortlist_render(sqlite3 *db, const char *name, export_format fmt, souk_err *e)
{
	list_doc ld;
	char *s;

	if (list_doc_load(db, name, &ld, e) < 0)
		return NULL;
	s = export_render(fmt, &ld.doc, e);
	list_doc_free(&ld);
	return s;
}

/* ---- exports of offers that are not a list (the grid, all matches) ---- */

/* The current list's items, for the notes and statuses of offers exported
 * from elsewhere: what the buyer wrote on an offer goes wherever it goes.
 * The user DB stays open in a read transaction until the file is written,
 * so a file is one state of the list even while another souk edits it. */
typedef struct list_notes {
	sqlite3 *db;
	shortlist_item *items;
	int n;
} list_notes;

/* Keeps errno: callers tell "exists" from other failures by it. */
static void list_notes_free(list_notes *ln)
{
	int saved = errno;

	shortlist_items_free(ln->items, ln->n);
	if (ln->db) {
		sqlite3_exec(ln->db, "COMMIT", NULL, NULL, NULL);
		userdb_close(ln->db);
	}
	memset(ln, 0, sizeof *ln);
	errno = saved;
}

/* No user DB yet means no notes, not an error. */
static int list_notes_load(const char *userdb, list_notes *ln, souk_err *e)
{
	char *name;
	int rc = 0;

	memset(ln, 0, sizeof *ln);
	if (userdb == NULL || access(userdb, F_OK) != 0)
		return 0;
	if (userdb_open(userdb, &ln->db, e) < 0)
		return -1;
	if (sqlite3_exec(ln->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
		err_set(e, "user database: %s", sqlite3_errmsg(ln->db));
		list_notes_free(ln);
		return -1;
	}
	name = shortlist_current(ln->db);
	if (shortlist_exists(ln->db, name))
		rc = shortlist_load(ln->db, name, &ln->items, &ln->n, e);
	free(name);
	if (rc < 0)
		list_notes_free(ln);
	return rc;
}

/* A page of rows with the notes and statuses the list has for them; the
 * arrays point into ln and the caller's own arrays win. */
static void list_notes_page(const list_notes *ln, const export_doc *in, export_doc *out,
                            const char **notes, const char **statuses)
{
	int i, k;

	*out = *in;
	for (i = 0; i < in->nrows; i++) {
		notes[i] = in->notes ? in->notes[i] : NULL;
		statuses[i] = in->statuses ? in->statuses[i] : NULL;
		for (k = 0; k < ln->n; k++) {
			if (ln->items[k].product_id != in->rows[i].product_id)
				continue;
			if (notes[i] == NULL)
				notes[i] = ln->items[k].note;
			if (statuses[i] == NULL)
				statuses[i] = shortlist_status_name(ln->items[k].status);
			break;
		}
	}
	out->notes = notes;
	out->statuses = statuses;
}

int shortlist_export_rows(const char *userdb, const char *path, export_format fmt,
                          const export_doc *doc, int force, souk_err *e)
{
	const char **notes, **statuses;
	list_notes ln;
	export_doc page;
	int rc;

	if (list_notes_load(userdb, &ln, e) < 0)
		return -1;
	notes = xcalloc((size_t)doc->nrows + 1, sizeof *notes);
	statuses = xcalloc((size_t)doc->nrows + 1, sizeof *statuses);
	list_notes_page(&ln, doc, &page, notes, statuses);
	rc = export_write(path, fmt, &page, force, e);
	free(notes);
	free(statuses);
	list_notes_free(&ln);
	return rc;
}

/* Rows per match_run: big enough that re-running the query per page is
 * a small share of the work, small enough that a page is a few MB. */
#define EXPORT_PAGE 1000

/* A page of matches from row from on, in the order sort asks for. */
static int page_fetch(match_ctx *m, const souk_filter *f, const match_opts *sort, long from,
                      match_result *res, souk_err *e)
{
	match_opts o = *sort;

	o.limit = EXPORT_PAGE;
	o.offset = (int)from;
	o.facets = 0;
	return match_run(m, f, &o, res, e);
}

static int page_add(const list_notes *ln, const export_doc *head, export_stream *s, long from,
                    const match_result *res, souk_err *e)
{
	const char *notes[EXPORT_PAGE + 1], *statuses[EXPORT_PAGE + 1];
	export_doc in = *head, page;

	in.rows = res->rows;
	in.nrows = res->nrows < EXPORT_PAGE ? res->nrows : EXPORT_PAGE;
	in.notes = in.statuses = NULL;
	in.rank0 = (int)from;
	list_notes_page(ln, &in, &page, notes, statuses);
	return export_stream_add(s, &page, e);
}

/* The stream for path or, without one, for the sink. */
static export_stream *all_open(const char *path, export_format fmt, const export_doc *head,
                               long total, int force, const export_all_opts *o, souk_err *e)
{
	if (path == NULL)
		return export_stream_to(fmt, head, total, o->sink, o->sink_arg, e);
	return export_stream_open(path, fmt, head, total, force, e);
}

int shortlist_export_all(match_ctx *m, const souk_filter *f, const export_doc *head,
                         const char *path, export_format fmt, int force, const export_all_opts *o,
                         long *written, souk_err *e)
{
	match_opts best;
	const match_opts *sort = o->sort;
	export_stream *s = NULL;
	export_doc h = *head;
	match_result res;
	list_notes ln;
	long done = 0, total = 0;
	int rc = 0, n = 0;

	*written = 0;
	if (sort == NULL) {
		match_opts_init(&best);
		sort = &best;
	}
	if (list_notes_load(o->userdb, &ln, e) < 0)
		return -1;
	h.note_columns = ln.n > 0;
	h.rows = NULL;
	h.nrows = 0;
	do {
		if (page_fetch(m, f, sort, done, &res, e) < 0) {
			rc = -1;
		} else if (s == NULL && /* the first page tells how many there are */
		           (s = all_open(path, fmt, &h, total = res.total, force, o, e)) == NULL) {
			rc = -1;
		} else if (page_add(&ln, &h, s, done, &res, e) < 0) {
			rc = -1;
		} else {
			n = res.nrows;
			done += n;
			if (o->progress)
				o->progress(done, total, o->progress_arg);
		}
		match_result_free(&res);
	} while (rc == 0 && n > 0 && done < total);
	if (rc < 0) {
		export_stream_abort(s);
		list_notes_free(&ln);
		return -1;
	}
	*written = done;
	rc = export_stream_close(s, e);
	list_notes_free(&ln);
	return rc;
}

/* ---- import of a JSON export ---- */

/* One offer of the JSON form (core/offer.h), or of an export written
 * before it ("product" for the title), with its note and status. */
static int import_offer(sqlite3 *db, const char *name, const cJSON *o, const souk_filter *f,
                        souk_err *e)
{
	const cJSON *note = cJSON_GetObjectItemCaseSensitive(o, "note");
	const cJSON *status = cJSON_GetObjectItemCaseSensitive(o, "status");
	match_row r;
	int rc, st = -1;

	offer_from_cjson(o, &r, NULL);
	if (r.product_id <= 0) {
		match_row_free(&r);
		err_set(e, "an offer in the file has no product_id (is it a souk JSON export?)");
		return -1;
	}
	if (cJSON_IsString(status) && (st = shortlist_status_parse(status->valuestring)) < 0) {
		char *clean = text_sanitize(status->valuestring, 0);

		err_set(e, "offer %lld has an unknown status '%s'", (long long)r.product_id, clean);
		free(clean);
		match_row_free(&r);
		return -1;
	}
	rc = shortlist_add(db, name, &r, f, e);
	if (rc == 1 && cJSON_IsString(note) && note->valuestring[0])
		rc = shortlist_annotate(db, name, r.product_id, note->valuestring, e) < 0 ? -1 : 1;
	if (rc == 1 && st > 0)
		rc = shortlist_set_status(db, name, r.product_id, st, e) < 0 ? -1 : 1;
	match_row_free(&r);
	return rc;
}

int shortlist_import_json(sqlite3 *db, const char *name, const char *json, int *added, souk_err *e)
{
	/* a byte-order mark before the value is skipped, as souk import does */
	size_t bom = strncmp(json, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
	cJSON *root = json_parse_strict(json + bom, strlen(json + bom), e), *offers, *o;
	const cJSON *title, *filters, *transcript;
	char *tr;
	souk_filter f;
	int owned, rc, have_filter = 0;

	*added = 0;
	if (root == NULL)
		return -1; /* e says what is wrong with the JSON, and where */
	offers = cJSON_GetObjectItemCaseSensitive(root, "offers");
	if (!cJSON_IsObject(root) || !cJSON_IsArray(offers)) {
		cJSON_Delete(root);
		err_set(e, "not a souk JSON export (expected an object with an \"offers\" array)");
		return -1;
	}
	title = cJSON_GetObjectItemCaseSensitive(root, "title");
	if (name == NULL)
		name = cJSON_IsString(title) && title->valuestring[0] ? title->valuestring
		                                                      : SHORTLIST_DEFAULT;
	filters = cJSON_GetObjectItemCaseSensitive(root, "filters");
	if (cJSON_IsObject(filters)) {
		if (filter_from_cjson(filters, NULL, &f, e) < 0) {
			cJSON_Delete(root);
			return -1;
		}
		have_filter = 1;
	}
	if (shortlist_name_check(name, e) < 0 || userdb_begin(db, &owned, e) < 0)
		goto out_err;
	if (shortlist_ensure(db, name, e) < 0)
		goto fail;
	cJSON_ArrayForEach(o, offers)
	{
		if ((rc = import_offer(db, name, o, have_filter ? &f : NULL, e)) < 0)
			goto fail;
		*added += rc;
	}
	transcript = cJSON_GetObjectItemCaseSensitive(root, "transcript");
	tr = cJSON_IsArray(transcript) ? cJSON_PrintUnformatted(transcript) : NULL;
	rc = shortlist_set_context(db, name, have_filter ? &f : NULL, tr, e);
	free(tr);
	if (rc < 0)
		goto fail;
	if (userdb_commit(db, owned, e) < 0)
		goto out_err;
	if (have_filter)
		filter_free(&f);
	cJSON_Delete(root);
	return 0;
fail:
	userdb_rollback(db, owned);
out_err:
	*added = 0;
	if (have_filter)
		filter_free(&f);
	cJSON_Delete(root);
	return -1;
}
