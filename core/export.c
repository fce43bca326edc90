/* export: writes offers to CSV, JSON, Markdown or XLSX (export_xlsx.c) files, atomically. */
#include "build-config.h"

#include "export.h"

#include <cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "export_int.h"
#include "offer.h"
#include "text.h"

int export_format_parse(const char *name, export_format *out, souk_err *e)
{
	static const struct {
		const char *name;
		export_format fmt;
	} names[] = {
	        {"csv", EXPORT_CSV},     {"json", EXPORT_JSON}, {"md", EXPORT_MD},
	        {"markdown", EXPORT_MD}, {"xlsx", EXPORT_XLSX},
	};
	size_t i;

	for (i = 0; name && i < sizeof names / sizeof names[0]; i++) {
		if (util_strieq(name, names[i].name)) {
			*out = names[i].fmt;
			return 0;
		}
	}
	err_set(e, "unknown export format '%s' (use csv, json, md or xlsx)", name ? name : "");
	return -1;
}

int export_format_from_path(const char *path, export_format *out, souk_err *e)
{
	const char *slash = strrchr(path, '/');
	const char *dot = strrchr(slash ? slash + 1 : path, '.');

	if (dot == NULL || dot[1] == '\0') {
		err_set(e,
		        "cannot tell the format of '%s' from its name (end it in .csv, .json, "
		        ".md or .xlsx, or give --format)",
		        path);
		return -1;
	}
	if (export_format_parse(dot + 1, out, e) < 0) {
		err_set(e, "unknown file extension '%s' (use .csv, .json, .md or .xlsx)", dot);
		return -1;
	}
	return 0;
}

/* ---- the columns every tabular format shares ---- */

/* The CSV and XLSX columns by JSON key (core/offer.c describes each);
 * their headers are the fields' labels, which scripts read. */
static const char *const sheet_keys[] = {
        "rank",        "supplier",   "country", "title",    "price",
        "currency",    "next_break", "moq",     "moq_unit", "lead_time_days",
        "landed_cost", "rating",     "reviews", "verified", "certifications",
        "highlights",  "score",      "note",    "status",   "product_id",
};

_Static_assert(sizeof sheet_keys / sizeof sheet_keys[0] == SHEET_COLS,
               "SHEET_COLS (export_int.h) counts sheet_keys");

const offer_field *export_sheet_col(int c)
{
	return offer_field_by_key(sheet_keys[c]);
}

const char *export_doc_currency(const export_doc *d)
{
	if (d->filter && isupper((unsigned char)d->filter->currency[0]))
		return d->filter->currency;
	return "USD";
}

/* What row i is shown with: its rank, the document's currency and
 * quantity, the shortlist's note and status. */
void export_row_ctx(const export_doc *d, int i, offer_ctx *c)
{
	offer_ctx_init(c);
	c->rank = d->rank0 + i + 1;
	c->currency = export_doc_currency(d);
	c->quantity = d->filter ? d->filter->quantity : -1;
	c->note = d->notes ? d->notes[i] : NULL;
	c->status = d->statuses ? d->statuses[i] : NULL;
}

/* A cell as raw text (not yet escaped for any format). */
char *export_cell_text(const export_doc *d, int i, const offer_field *f)
{
	offer_ctx c;

	export_row_ctx(d, i, &c);
	return offer_field_text(f, &d->rows[i], &c);
}

const char *export_nz(const char *s)
{
	return s ? s : "";
}

void export_fmt_money(char *buf, size_t len, double v)
{
	match_row r;
	offer_ctx c;
	char *t;

	memset(&r, 0, sizeof r);
	r.price = v;
	offer_ctx_init(&c);
	t = offer_field_text(offer_field_by_key("price"), &r, &c);
	snprintf(buf, len, "%s", t);
	free(t);
}

/* ---- CSV ---- */

/* A spreadsheet runs a text cell that starts with one of these as a
 * formula; supplier data is hostile, so such cells get a leading quote
 * (OWASP's advice for CSV injection). Numbers are never text cells here. */
static int csv_formula_start(const char *s)
{
	return s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' ||
	       s[0] == '\r';
}

static void csv_field(strbuf *b, const char *raw, int is_text)
{
	char *s = text_sanitize(raw, 1);
	const char *p;
	int quote = strpbrk(s, ",\"\r\n") != NULL || (s[0] == ' ');

	if (is_text && csv_formula_start(s)) {
		sb_addc(b, '"');
		sb_addc(b, '\'');
		quote = 2;
	} else if (quote) {
		sb_addc(b, '"');
	}
	for (p = s; *p; p++) {
		if (*p == '"')
			sb_addc(b, '"');
		/* Inside a quoted field RFC 4180 wants CRLF line breaks too. */
		if (*p == '\n' && quote)
			sb_addc(b, '\r');
		sb_addc(b, *p);
	}
	if (quote)
		sb_addc(b, '"');
	free(s);
}

/* Excel reads a CSV without a byte-order mark in the system's ANSI code
 * page, which garbles CJK names and accents; with the UTF-8 BOM it reads
 * UTF-8. LibreOffice, Python (utf-8-sig) and souk's importer skip it. */
static const char csv_bom[] = "\xef\xbb\xbf";

static void csv_head(strbuf *b)
{
	int c;

	sb_add(b, csv_bom);
	for (c = 0; c < SHEET_COLS; c++) {
		if (c)
			sb_addc(b, ',');
		csv_field(b, export_sheet_col(c)->label, 0);
	}
	sb_add(b, "\r\n");
}

static void csv_rows(strbuf *b, const export_doc *d)
{
	int i, c;

	for (i = 0; i < d->nrows; i++) {
		for (c = 0; c < SHEET_COLS; c++) {
			char *t = export_cell_text(d, i, export_sheet_col(c));

			if (c)
				sb_addc(b, ',');
			csv_field(b, t, !offer_field_numeric(export_sheet_col(c)));
			free(t);
		}
		sb_add(b, "\r\n");
	}
}

/* ---- Markdown ---- */

/* Escapes what would break the table (pipes, newlines) or be read as
 * markup or raw HTML by a renderer (data is hostile). */
static void md_text(strbuf *b, const char *raw)
{
	char *s = text_sanitize(raw, 0);
	const char *p;

	for (p = s; *p; p++) {
		if (strchr("\\|<>`*_[]", *p))
			sb_addc(b, '\\');
		sb_addc(b, *p);
	}
	free(s);
}

static int any_set(const char *const *v, int n)
{
	int i;

	for (i = 0; v && i < n; i++)
		if (v[i] && v[i][0])
			return 1;
	return 0;
}

static void md_price(strbuf *b, const export_doc *d, int i)
{
	const match_row *r = &d->rows[i];
	char buf[64];

	if (r->price < 0)
		return;
	export_fmt_money(buf, sizeof buf, r->price);
	sb_printf(b, "%s %s", buf, export_doc_currency(d));
	if (r->next_break_qty >= 0) {
		export_fmt_money(buf, sizeof buf, r->next_break_price);
		sb_printf(b, " (%s at %ld+)", buf, r->next_break_qty);
	}
}

/* Price with its next break, MOQ with its unit, lead time in days and
 * rating with its reviews: a pasted table is read, not computed on. */
static void md_cell(strbuf *b, const export_doc *d, int i, const offer_field *f)
{
	char *t = export_cell_text(d, i, f);

	sb_addc(b, ' ');
	if (!strcmp(f->key, "price")) {
		md_price(b, d, i);
	} else if (!strcmp(f->key, "moq")) {
		md_text(b, t);
		if (t[0] && d->rows[i].moq_unit) {
			sb_addc(b, ' ');
			md_text(b, d->rows[i].moq_unit);
		}
	} else if (f->kind == OFK_DAYS) {
		sb_printf(b, "%s%s", t, t[0] ? " days" : "");
	} else if (f->kind == OFK_RATING) {
		if (t[0])
			sb_printf(b, "%s (%d)", t, d->rows[i].reviews);
	} else {
		md_text(b, t);
	}
	free(t);
	sb_add(b, " |");
}

/* "Filters: market US; price max 8; moq max 500." from the filter state,
 * so a pasted table says what was asked; keywords are in the heading. */
static void md_filters(strbuf *b, const souk_filter *f)
{
	cJSON *o = filter_to_cjson(f), *it, *v;
	int n = 0;

	cJSON_ArrayForEach(it, o)
	{
		const char *k = it->string;

		if (!strcmp(k, "keywords") || !strcmp(k, "currency") || !strcmp(k, "quantity") ||
		    cJSON_IsNull(it) || cJSON_IsFalse(it) ||
		    (cJSON_IsArray(it) && cJSON_GetArraySize(it) == 0))
			continue;
		sb_add(b, n++ ? "; " : "Filters: ");
		for (; *k; k++)
			sb_addc(b, *k == '_' ? ' ' : *k);
		sb_addc(b, ' ');
		if (cJSON_IsNumber(it))
			sb_printf(b, "%g", it->valuedouble);
		else if (cJSON_IsString(it))
			md_text(b, it->valuestring);
		else if (cJSON_IsTrue(it))
			sb_add(b, "yes");
		else if (cJSON_IsArray(it)) {
			int i = 0;

			cJSON_ArrayForEach(v, it)
			{
				if (i++)
					sb_add(b, ", ");
				if (cJSON_IsString(v))
					md_text(b, v->valuestring);
			}
		}
	}
	if (n)
		sb_add(b, ".\n\n");
	cJSON_Delete(o);
}

/* The Markdown columns by JSON key; headers are the fields' names. */
static const char *const md_keys[] = {
        "rank",           "supplier",    "country", "title",    "price",          "moq",
        "lead_time_days", "landed_cost", "rating",  "verified", "certifications", "highlights",
        "note",           "status",
};

#define MD_COLS ((int)(sizeof md_keys / sizeof md_keys[0]))

/* Which optional Markdown columns a document has: notes and statuses
 * only when some row has one (or the document asks for them up front). */
typedef struct md_opt {
	int note, status;
} md_opt;

static md_opt md_opts(const export_doc *d)
{
	md_opt o;

	o.note = d->note_columns || any_set(d->notes, d->nrows);
	o.status = d->note_columns || any_set(d->statuses, d->nrows);
	return o;
}

/* The column k, or NULL when the document leaves it out. */
static const offer_field *md_col(md_opt o, int k)
{
	const offer_field *f = offer_field_by_key(md_keys[k]);

	if ((f->kind == OFK_NOTE && !o.note) || (f->kind == OFK_STATUS && !o.status))
		return NULL;
	return f;
}

/* The heading, the filters, the count and the table's head. */
static void md_begin(strbuf *b, const export_doc *d, long total, md_opt o)
{
	const offer_field *f;
	int k;

	sb_add(b, "# ");
	md_text(b, d->title && d->title[0] ? d->title : "Offers");
	sb_add(b, "\n\n");
	if (d->filter)
		md_filters(b, d->filter);
	sb_printf(b, "%ld offer%s, prices per unit in %s", total, total == 1 ? "" : "s",
	          export_doc_currency(d));
	if (d->filter && d->filter->quantity > 0)
		sb_printf(b, " at %.0f units", d->filter->quantity);
	sb_add(b, ".\n\n|");
	for (k = 0; k < MD_COLS; k++)
		if ((f = md_col(o, k)) != NULL)
			sb_printf(b, " %s |", f->kind == OFK_RANK ? f->title : f->name);
	sb_add(b, "\n|");
	for (k = 0; k < MD_COLS; k++)
		if ((f = md_col(o, k)) != NULL)
			sb_printf(b, " %s |", offer_field_numeric(f) ? "--:" : "---");
	sb_addc(b, '\n');
}

static void md_rows(strbuf *b, const export_doc *d, md_opt o)
{
	const offer_field *f;
	int i, k;

	for (i = 0; i < d->nrows; i++) {
		sb_addc(b, '|');
		for (k = 0; k < MD_COLS; k++)
			if ((f = md_col(o, k)) != NULL)
				md_cell(b, d, i, f);
		sb_addc(b, '\n');
	}
}

/* ---- JSON ---- */

/* Every tier of a product in the buyer's currency; a product missing from
 * the current catalog (a shortlist outlives catalogs) just has none. */
int export_row_tiers(const export_doc *d, int i, match_tier **tiers)
{
	int n = 0;
	souk_err e;

	*tiers = NULL;
	if (d->tiers_from == NULL)
		return 0;
	if (match_tiers(d->tiers_from, d->rows[i].product_id, export_doc_currency(d), tiers, &n,
	                &e) < 0) {
		free(*tiers);
		*tiers = NULL;
		return 0;
	}
	return n;
}

/* The offer's JSON form (core/offer.h) and, with a catalog, its tiers. */
static cJSON *json_offer(const export_doc *d, int i)
{
	offer_ctx c;
	cJSON *o;

	export_row_ctx(d, i, &c);
	o = offer_to_cjson(&d->rows[i], &c);
	if (d->tiers_from) {
		match_tier *t;
		int k, n = export_row_tiers(d, i, &t);
		cJSON *arr = cJSON_AddArrayToObject(o, "tiers");

		for (k = 0; k < n; k++) {
			cJSON *to = cJSON_CreateObject();

			cJSON_AddNumberToObject(to, "min_qty", (double)t[k].min_qty);
			cJSON_AddNumberToObject(to, "price", t[k].price);
			cJSON_AddItemToArray(arr, to);
		}
		free(t);
	}
	return o;
}

/* Everything before the offers: the document's JSON form without them,
 * left open so offers can follow page by page. */
static int json_begin(strbuf *b, const export_doc *d, souk_err *e)
{
	cJSON *root = cJSON_CreateObject(), *tr = NULL;
	char stamp[32], *out;
	time_t now = time(NULL);
	struct tm tm;
	size_t len;

	if (d->transcript_json) {
		tr = cJSON_Parse(d->transcript_json);
		if (tr == NULL || !cJSON_IsArray(tr)) {
			cJSON_Delete(tr);
			cJSON_Delete(root);
			err_set(e,
			        "the conversation to export is not a JSON array (this is a bug)");
			return -1;
		}
	}
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
	cJSON_AddNumberToObject(root, "souk_export", 1); /* format version */
	cJSON_AddStringToObject(root, "exported_at", stamp);
	if (d->title) {
		char *t = text_sanitize(d->title, 1);

		cJSON_AddStringToObject(root, "title", t);
		free(t);
	} else {
		cJSON_AddNullToObject(root, "title");
	}
	cJSON_AddStringToObject(root, "currency", export_doc_currency(d));
	if (d->filter)
		cJSON_AddItemToObject(root, "filters", filter_to_cjson(d->filter));
	else
		cJSON_AddNullToObject(root, "filters");
	cJSON_AddItemToObject(root, "transcript", tr ? tr : cJSON_CreateArray());
	out = cJSON_Print(root);
	cJSON_Delete(root);
	len = out ? strlen(out) : 0;
	if (len < 2 || out[len - 1] != '}') {
		cJSON_free(out);
		err_set(e, "cannot build the JSON export (out of memory)");
		return -1;
	}
	/* reopen the object: drop its closing brace and the newline before it */
	while (len > 0 && (out[len - 1] == '}' || out[len - 1] == '\n'))
		out[--len] = '\0';
	sb_add(b, out);
	sb_add(b, ",\n\t\"offers\":\t[");
	cJSON_free(out);
	return 0;
}

/* Each offer one level in, indented as cJSON indents. */
static void json_rows(strbuf *b, const export_doc *d, long *written)
{
	int i;

	for (i = 0; i < d->nrows; i++) {
		cJSON *o = json_offer(d, i);
		char *s = cJSON_Print(o), *p;

		cJSON_Delete(o);
		sb_add(b, (*written)++ ? ", " : "");
		for (p = s; p && *p; p++) {
			sb_addc(b, *p);
			if (*p == '\n')
				sb_add(b, "\t\t");
		}
		cJSON_free(s);
	}
}

static void json_end(strbuf *b)
{
	sb_add(b, "]\n}\n");
}

/* ---- streams: every export is one ---- */

struct export_stream {
	char *path; /* NULL: rendered to memory */
	export_format fmt;
	int force;
	export_doc head;
	long total, written;
	md_opt md;
	strbuf out;
	xlsx_state x;
	export_sink sink; /* when set, bytes go here after each page */
	void *sink_arg;
};

static export_stream *stream_new(const char *path, export_format fmt, const export_doc *head,
                                 long total, int force, souk_err *e)
{
	export_stream *s = xcalloc(1, sizeof *s);
	int rc = 0;

	s->path = path ? xstrdup(path) : NULL;
	s->fmt = fmt;
	s->force = force;
	s->head = *head;
	s->total = total;
	s->md = md_opts(head);
	sb_init(&s->out);
	switch (fmt) {
	case EXPORT_CSV:
		csv_head(&s->out);
		break;
	case EXPORT_MD:
		md_begin(&s->out, head, total, s->md);
		break;
	case EXPORT_JSON:
		rc = json_begin(&s->out, head, e);
		break;
	case EXPORT_XLSX:
		rc = path ? export_xlsx_begin(&s->x, path, head, e) : -1;
		if (!path)
			err_set(e,
			        "XLSX is a binary format: write it to a file with --out FILE.xlsx");
		break;
	}
	if (rc < 0) {
		free(s->path);
		sb_free(&s->out);
		free(s);
		return NULL;
	}
	return s;
}

export_stream *export_stream_open(const char *path, export_format fmt, const export_doc *head,
                                  long total, int force, souk_err *e)
{
	if (path == NULL || path[0] == '\0') {
		err_set(e, "no file name to export to");
		return NULL;
	}
	/* Say so before doing any work, and before XLSX's scratch file. */
	if (!force && access(path, F_OK) == 0) {
		err_setc(e, SOUK_E_EXISTS,
		         "%s already exists (use --force or /save! to replace it)", path);
		errno = EEXIST;
		return NULL;
	}
	return stream_new(path, fmt, head, total, force, e);
}

/* Hands what is rendered so far to the sink, if there is one. */
static int stream_flush(export_stream *s, souk_err *e)
{
	int rc = 0;

	if (s->sink && s->out.len > 0) {
		rc = s->sink(s->out.s, s->out.len, s->sink_arg, e);
		sb_free(&s->out);
		sb_init(&s->out);
	}
	return rc;
}

export_stream *export_stream_to(export_format fmt, const export_doc *head, long total,
                                export_sink sink, void *arg, souk_err *e)
{
	export_stream *s;

	if (fmt == EXPORT_XLSX) {
		err_set(e, "XLSX is a binary format: write it to a file with --out FILE.xlsx");
		return NULL;
	}
	if ((s = stream_new(NULL, fmt, head, total, 0, e)) == NULL)
		return NULL;
	s->sink = sink;
	s->sink_arg = arg;
	if (stream_flush(s, e) < 0) {
		export_stream_abort(s);
		return NULL;
	}
	return s;
}

int export_stream_add(export_stream *s, const export_doc *page, souk_err *e)
{
	switch (s->fmt) {
	case EXPORT_CSV:
		csv_rows(&s->out, page);
		break;
	case EXPORT_MD:
		md_rows(&s->out, page, s->md);
		break;
	case EXPORT_JSON:
		json_rows(&s->out, page, &s->written);
		return stream_flush(s, e); /* json_rows counts */
	case EXPORT_XLSX:
		export_xlsx_add(&s->x, page);
		break;
	}
	s->written += page->nrows;
	return stream_flush(s, e);
}

void export_stream_abort(export_stream *s)
{
	if (s == NULL)
		return;
	if (s->fmt == EXPORT_XLSX)
		export_xlsx_abort(&s->x);
	sb_free(&s->out);
	free(s->path);
	free(s);
}

/* The text so far, closed; the stream is gone. */
static char *stream_take(export_stream *s)
{
	char *out;

	if (s->fmt == EXPORT_JSON)
		json_end(&s->out);
	out = sb_steal(&s->out);
	free(s->path);
	free(s);
	return out;
}

int export_stream_close(export_stream *s, souk_err *e)
{
	char *data, *path;
	int rc, saved;

	if (s->fmt == EXPORT_XLSX) {
		rc = export_xlsx_end(&s->x, s->path, s->written, s->force, e);
		saved = errno;
		sb_free(&s->out);
		free(s->path);
		free(s);
		errno = saved;
		return rc;
	}
	if (s->sink) {
		if (s->fmt == EXPORT_JSON)
			json_end(&s->out);
		rc = stream_flush(s, e);
		export_stream_abort(s); /* nothing left to write: just frees */
		return rc;
	}
	path = xstrdup(s->path);
	rc = s->force;
	data = stream_take(s);
	rc = util_write_atomic(path, data, strlen(data), rc, e);
	saved = errno;
	free(data);
	free(path);
	errno = saved;
	return rc;
}

char *export_render(export_format fmt, const export_doc *doc, souk_err *e)
{
	export_stream *s = stream_new(NULL, fmt, doc, doc->nrows, 0, e);

	if (s == NULL)
		return NULL;
	export_stream_add(s, doc, e);
	return stream_take(s);
}

int export_write(const char *path, export_format fmt, const export_doc *doc, int force, souk_err *e)
{
	export_stream *s = export_stream_open(path, fmt, doc, doc->nrows, force, e);

	if (s == NULL)
		return -1;
	export_stream_add(s, doc, e);
	return export_stream_close(s, e);
}
