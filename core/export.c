/* export: writes offers to CSV, JSON, Markdown or XLSX files, atomically. */
#include "build-config.h"

#include "export.h"

#include <cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifdef HAVE_XLSXWRITER
#include <xlsxwriter.h>
#endif

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

enum col_kind { COL_TEXT, COL_INT, COL_MONEY, COL_DEC1 };

enum col_id {
	C_RANK,
	C_SUPPLIER,
	C_COUNTRY,
	C_PRODUCT,
	C_PRICE,
	C_CURRENCY,
	C_NEXT_BREAK,
	C_MOQ,
	C_MOQ_UNIT,
	C_LEAD,
	C_LANDED,
	C_RATING,
	C_REVIEWS,
	C_VERIFIED,
	C_CERTS,
	C_HIGHLIGHTS,
	C_SCORE,
	C_NOTE,
	C_STATUS,
	C_PRODUCT_ID,
	C_COUNT
};

static const struct col {
	const char *name;
	enum col_kind kind;
} cols[C_COUNT] = {
        [C_RANK] = {"rank", COL_INT},
        [C_SUPPLIER] = {"supplier", COL_TEXT},
        [C_COUNTRY] = {"country", COL_TEXT},
        [C_PRODUCT] = {"product", COL_TEXT},
        [C_PRICE] = {"price", COL_MONEY},
        [C_CURRENCY] = {"currency", COL_TEXT},
        [C_NEXT_BREAK] = {"next tier break", COL_TEXT},
        [C_MOQ] = {"moq", COL_INT},
        [C_MOQ_UNIT] = {"moq unit", COL_TEXT},
        [C_LEAD] = {"lead time days", COL_INT},
        [C_LANDED] = {"landed cost", COL_MONEY},
        [C_RATING] = {"rating", COL_DEC1},
        [C_REVIEWS] = {"reviews", COL_INT},
        [C_VERIFIED] = {"verified", COL_TEXT},
        [C_CERTS] = {"certifications", COL_TEXT},
        [C_HIGHLIGHTS] = {"highlights", COL_TEXT},
        [C_SCORE] = {"score", COL_INT},
        [C_NOTE] = {"note", COL_TEXT},
        [C_STATUS] = {"status", COL_TEXT},
        [C_PRODUCT_ID] = {"product id", COL_INT},
};

static const char *nz(const char *s)
{
	return s ? s : "";
}

static const char *doc_currency(const export_doc *d)
{
	if (d->filter && isupper((unsigned char)d->filter->currency[0]))
		return d->filter->currency;
	return "USD";
}

/* Small prices (fasteners, buttons) need more than two decimals. */
/* Cents from one unit up; below it up to four decimals, since sub-cent
 * prices (straws, labels) are real and must not round to zero. */
static double money_round(double v)
{
	return fabs(v) >= 1 ? round(v * 100) / 100 : round(v * 10000) / 10000;
}

static void fmt_money(char *buf, size_t len, double v)
{
	size_t n;
	char *dot;

	snprintf(buf, len, "%.4f", money_round(v));
	dot = strchr(buf, '.');
	if (dot == NULL)
		return;
	n = strlen(buf);
	while (n > (size_t)(dot - buf) + 3 && buf[n - 1] == '0')
		buf[--n] = '\0';
}

static int rating_known(const match_row *r)
{
	return r->rating > 0 || r->reviews > 0;
}

/* A cell as a number: 1 when the column is numeric and the value known. */
static int cell_number(const export_doc *d, int i, int c, double *v)
{
	const match_row *r = &d->rows[i];

	switch (c) {
	case C_RANK:
		*v = i + 1;
		return 1;
	case C_PRICE:
		*v = r->price;
		return r->price >= 0;
	case C_MOQ:
		*v = (double)r->moq;
		return r->moq >= 0;
	case C_LEAD:
		*v = r->lead_days;
		return r->lead_days >= 0;
	case C_LANDED:
		*v = r->landed;
		return r->landed >= 0;
	case C_RATING:
		*v = r->rating;
		return rating_known(r);
	case C_REVIEWS:
		*v = r->reviews;
		return r->reviews >= 0;
	case C_SCORE:
		*v = round(r->score);
		return 1;
	case C_PRODUCT_ID:
		*v = (double)r->product_id;
		return 1;
	}
	return 0;
}

/* A cell as raw text (not yet escaped for any format). */
static char *cell_text(const export_doc *d, int i, int c)
{
	const match_row *r = &d->rows[i];
	char buf[64], buf2[64];
	double v;

	switch (c) {
	case C_SUPPLIER:
		return xstrdup(nz(r->supplier));
	case C_COUNTRY:
		return xstrdup(nz(r->country));
	case C_PRODUCT:
		return xstrdup(nz(r->title));
	case C_CURRENCY:
		return xstrdup(doc_currency(d));
	case C_NEXT_BREAK:
		if (r->next_break_qty < 0)
			return xstrdup("");
		fmt_money(buf, sizeof buf, r->next_break_price);
		return xasprintf("%ld+ @ %s", r->next_break_qty, buf);
	case C_MOQ_UNIT:
		return xstrdup(nz(r->moq_unit));
	case C_VERIFIED:
		return xstrdup(r->verified ? "yes" : "no");
	case C_CERTS:
		return xstrdup(nz(r->certs));
	case C_HIGHLIGHTS:
		return xstrdup(nz(r->highlights));
	case C_NOTE:
		return xstrdup(d->notes && d->notes[i] ? d->notes[i] : "");
	case C_STATUS:
		return xstrdup(d->statuses && d->statuses[i] ? d->statuses[i] : "");
	}
	if (!cell_number(d, i, c, &v))
		return xstrdup("");
	if (cols[c].kind == COL_MONEY) {
		fmt_money(buf2, sizeof buf2, v);
		return xstrdup(buf2);
	}
	if (cols[c].kind == COL_DEC1)
		return xasprintf("%.1f", v);
	return xasprintf("%.0f", v);
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

static char *render_csv(const export_doc *d)
{
	strbuf b;
	int i, c;

	sb_init(&b);
	sb_add(&b, csv_bom);
	for (c = 0; c < C_COUNT; c++) {
		if (c)
			sb_addc(&b, ',');
		csv_field(&b, cols[c].name, 0);
	}
	sb_add(&b, "\r\n");
	for (i = 0; i < d->nrows; i++) {
		for (c = 0; c < C_COUNT; c++) {
			char *t = cell_text(d, i, c);

			if (c)
				sb_addc(&b, ',');
			csv_field(&b, t, cols[c].kind == COL_TEXT);
			free(t);
		}
		sb_add(&b, "\r\n");
	}
	return sb_steal(&b);
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
	fmt_money(buf, sizeof buf, r->price);
	sb_printf(b, "%s %s", buf, doc_currency(d));
	if (r->next_break_qty >= 0) {
		fmt_money(buf, sizeof buf, r->next_break_price);
		sb_printf(b, " (%s at %ld+)", buf, r->next_break_qty);
	}
}

static void md_cell(strbuf *b, const export_doc *d, int i, int c)
{
	char *t;

	sb_addc(b, ' ');
	if (c == C_PRICE) {
		md_price(b, d, i);
	} else if (c == C_MOQ) {
		t = cell_text(d, i, C_MOQ);
		md_text(b, t);
		if (t[0] && d->rows[i].moq_unit) {
			sb_addc(b, ' ');
			md_text(b, d->rows[i].moq_unit);
		}
		free(t);
	} else if (c == C_LEAD) {
		t = cell_text(d, i, C_LEAD);
		sb_printf(b, "%s%s", t, t[0] ? " days" : "");
		free(t);
	} else if (c == C_RATING) {
		t = cell_text(d, i, C_RATING);
		if (t[0])
			sb_printf(b, "%s (%d)", t, d->rows[i].reviews);
		free(t);
	} else {
		t = cell_text(d, i, c);
		md_text(b, t);
		free(t);
	}
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

static char *render_md(const export_doc *d)
{
	static const struct {
		int col;
		const char *head, *rule;
	} mdcols[] = {
	        {C_RANK, "#", "--:"},
	        {C_SUPPLIER, "Supplier", "---"},
	        {C_COUNTRY, "Country", "---"},
	        {C_PRODUCT, "Product", "---"},
	        {C_PRICE, "Unit price", "--:"},
	        {C_MOQ, "MOQ", "--:"},
	        {C_LEAD, "Lead time", "--:"},
	        {C_LANDED, "Landed", "--:"},
	        {C_RATING, "Rating", "--:"},
	        {C_VERIFIED, "Verified", "---"},
	        {C_CERTS, "Certifications", "---"},
	        {C_HIGHLIGHTS, "Highlights", "---"},
	        {C_NOTE, "Note", "---"},
	        {C_STATUS, "Status", "---"},
	};
	int show_note = any_set(d->notes, d->nrows), show_status = any_set(d->statuses, d->nrows);
	strbuf b;
	size_t k;
	int i;

	sb_init(&b);
	sb_add(&b, "# ");
	md_text(&b, d->title && d->title[0] ? d->title : "Offers");
	sb_add(&b, "\n\n");
	if (d->filter)
		md_filters(&b, d->filter);
	sb_printf(&b, "%d offer%s, prices per unit in %s", d->nrows, d->nrows == 1 ? "" : "s",
	          doc_currency(d));
	if (d->filter && d->filter->quantity > 0)
		sb_printf(&b, " at %.0f units", d->filter->quantity);
	sb_add(&b, ".\n\n|");
	for (k = 0; k < sizeof mdcols / sizeof mdcols[0]; k++) {
		if ((mdcols[k].col == C_NOTE && !show_note) ||
		    (mdcols[k].col == C_STATUS && !show_status))
			continue;
		sb_printf(&b, " %s |", mdcols[k].head);
	}
	sb_add(&b, "\n|");
	for (k = 0; k < sizeof mdcols / sizeof mdcols[0]; k++) {
		if ((mdcols[k].col == C_NOTE && !show_note) ||
		    (mdcols[k].col == C_STATUS && !show_status))
			continue;
		sb_printf(&b, " %s |", mdcols[k].rule);
	}
	sb_addc(&b, '\n');
	for (i = 0; i < d->nrows; i++) {
		sb_addc(&b, '|');
		for (k = 0; k < sizeof mdcols / sizeof mdcols[0]; k++) {
			if ((mdcols[k].col == C_NOTE && !show_note) ||
			    (mdcols[k].col == C_STATUS && !show_status))
				continue;
			md_cell(&b, d, i, mdcols[k].col);
		}
		sb_addc(&b, '\n');
	}
	return sb_steal(&b);
}

/* ---- JSON ---- */

static void json_str(cJSON *o, const char *key, const char *raw)
{
	char *s;

	if (raw == NULL) {
		cJSON_AddNullToObject(o, key);
		return;
	}
	/* cJSON escapes controls but passes invalid UTF-8 through, which
	 * would make the whole file unreadable to strict parsers. */
	s = text_sanitize(raw, 1);
	cJSON_AddStringToObject(o, key, s);
	free(s);
}

static void json_num(cJSON *o, const char *key, double v, int known)
{
	if (known)
		cJSON_AddNumberToObject(o, key, v);
	else
		cJSON_AddNullToObject(o, key);
}

/* "CE, RoHS" or "a; b" -> ["CE", "RoHS"] */
static cJSON *json_split(const char *raw, char sep)
{
	cJSON *arr = cJSON_CreateArray();
	char *s, *p, *start;

	if (raw == NULL)
		return arr;
	s = text_sanitize(raw, 0);
	for (start = p = s;; p++) {
		if (*p == sep || *p == '\0') {
			char *a = start, *z = p, *item;

			while (a < z && *a == ' ')
				a++;
			while (z > a && z[-1] == ' ')
				z--;
			if (z > a) {
				item = xstrndup(a, (size_t)(z - a));
				cJSON_AddItemToArray(arr, cJSON_CreateString(item));
				free(item);
			}
			if (*p == '\0')
				break;
			start = p + 1;
		}
	}
	free(s);
	return arr;
}

/* Every tier of a product in the buyer's currency; a product missing from
 * the current catalog (a shortlist outlives catalogs) just has none. */
static int row_tiers(const export_doc *d, int i, match_tier **tiers)
{
	int n = 0;
	souk_err e;

	*tiers = NULL;
	if (d->tiers_from == NULL)
		return 0;
	if (match_tiers(d->tiers_from, d->rows[i].product_id, doc_currency(d), tiers, &n, &e) < 0) {
		free(*tiers);
		*tiers = NULL;
		return 0;
	}
	return n;
}

static cJSON *json_offer(const export_doc *d, int i)
{
	const match_row *r = &d->rows[i];
	cJSON *o = cJSON_CreateObject(), *nb;

	cJSON_AddNumberToObject(o, "rank", i + 1);
	cJSON_AddNumberToObject(o, "product_id", (double)r->product_id);
	cJSON_AddNumberToObject(o, "supplier_id", (double)r->supplier_id);
	json_str(o, "supplier", r->supplier);
	json_str(o, "country", r->country);
	json_str(o, "city", r->city);
	json_str(o, "business_type", r->business_type);
	json_str(o, "product", r->title);
	json_str(o, "category", r->category);
	json_num(o, "price", money_round(r->price), r->price >= 0);
	cJSON_AddStringToObject(o, "currency", doc_currency(d));
	json_num(o, "price_orig", money_round(r->price_orig), r->price_orig >= 0);
	json_str(o, "currency_orig", r->currency_orig[0] ? r->currency_orig : NULL);
	if (r->next_break_qty >= 0) {
		nb = cJSON_AddObjectToObject(o, "next_break");
		cJSON_AddNumberToObject(nb, "min_qty", (double)r->next_break_qty);
		cJSON_AddNumberToObject(nb, "price", money_round(r->next_break_price));
	} else {
		cJSON_AddNullToObject(o, "next_break");
	}
	json_num(o, "moq", (double)r->moq, r->moq >= 0);
	json_str(o, "moq_unit", r->moq_unit);
	json_num(o, "lead_time_days", r->lead_days, r->lead_days >= 0);
	json_num(o, "landed_cost", money_round(r->landed), r->landed >= 0);
	json_num(o, "rating", r->rating, rating_known(r));
	cJSON_AddNumberToObject(o, "reviews", r->reviews);
	cJSON_AddBoolToObject(o, "verified", r->verified != 0);
	json_num(o, "years", r->years, r->years >= 0);
	cJSON_AddItemToObject(o, "certifications", json_split(r->certs, ','));
	cJSON_AddItemToObject(o, "highlights", json_split(r->highlights, ';'));
	cJSON_AddNumberToObject(o, "score", round(r->score * 10) / 10);
	cJSON_AddItemToObject(o, "reasons", json_split(r->reasons, ';'));
	json_str(o, "similar_to", r->similar_to);
	json_str(o, "note", d->notes ? d->notes[i] : NULL);
	json_str(o, "status", d->statuses ? d->statuses[i] : NULL);
	if (d->tiers_from) {
		match_tier *t;
		int k, n = row_tiers(d, i, &t);
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

static char *render_json(const export_doc *d, souk_err *e)
{
	cJSON *root = cJSON_CreateObject(), *offers, *tr = NULL;
	char stamp[32], *out, *withnl;
	time_t now = time(NULL);
	struct tm tm;
	int i;

	if (d->transcript_json) {
		tr = cJSON_Parse(d->transcript_json);
		if (tr == NULL || !cJSON_IsArray(tr)) {
			cJSON_Delete(tr);
			cJSON_Delete(root);
			err_set(e,
			        "the conversation to export is not a JSON array (this is a bug)");
			return NULL;
		}
	}
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
	cJSON_AddNumberToObject(root, "souk_export", 1); /* format version */
	cJSON_AddStringToObject(root, "exported_at", stamp);
	json_str(root, "title", d->title);
	cJSON_AddStringToObject(root, "currency", doc_currency(d));
	if (d->filter)
		cJSON_AddItemToObject(root, "filters", filter_to_cjson(d->filter));
	else
		cJSON_AddNullToObject(root, "filters");
	cJSON_AddItemToObject(root, "transcript", tr ? tr : cJSON_CreateArray());
	offers = cJSON_AddArrayToObject(root, "offers");
	for (i = 0; i < d->nrows; i++)
		cJSON_AddItemToArray(offers, json_offer(d, i));
	out = cJSON_Print(root);
	cJSON_Delete(root);
	if (out == NULL) {
		err_set(e, "cannot build the JSON export (out of memory)");
		return NULL;
	}
	withnl = xasprintf("%s\n", out);
	cJSON_free(out);
	return withnl;
}

char *export_render(export_format fmt, const export_doc *doc, souk_err *e)
{
	switch (fmt) {
	case EXPORT_CSV:
		return render_csv(doc);
	case EXPORT_JSON:
		return render_json(doc, e);
	case EXPORT_MD:
		return render_md(doc);
	case EXPORT_XLSX:
		err_set(e, "XLSX is a binary format: write it to a file with --out FILE.xlsx");
		return NULL;
	}
	err_set(e, "unknown export format");
	return NULL;
}

/* ---- XLSX ---- */

#ifdef HAVE_XLSXWRITER

#define XLSX_MAX_WIDTH 60

struct xlsx_fmts {
	lxw_format *header, *money, *integer, *dec1, *text;
};

/* The currency code goes into a number format: only letters may pass. */
static void money_format(char *buf, size_t len, const char *cur)
{
	char code[4] = "";
	int k;

	for (k = 0; k < 3 && isalpha((unsigned char)cur[k]); k++)
		code[k] = cur[k];
	code[k] = '\0';
	snprintf(buf, len, "#,##0.00##\\ \"%s\"", code);
}

static void xlsx_formats(lxw_workbook *wb, const export_doc *d, struct xlsx_fmts *f)
{
	char money[64];

	f->header = workbook_add_format(wb);
	format_set_bold(f->header);
	format_set_bg_color(f->header, 0x1F4E78);
	format_set_font_color(f->header, LXW_COLOR_WHITE);
	format_set_bottom(f->header, LXW_BORDER_THIN);
	format_set_text_wrap(f->header);
	format_set_align(f->header, LXW_ALIGN_VERTICAL_TOP);
	money_format(money, sizeof money, doc_currency(d));
	f->money = workbook_add_format(wb);
	format_set_num_format(f->money, money);
	f->integer = workbook_add_format(wb);
	format_set_num_format(f->integer, "#,##0");
	f->dec1 = workbook_add_format(wb);
	format_set_num_format(f->dec1, "0.0");
	f->text = workbook_add_format(wb);
	format_set_text_wrap(f->text);
	format_set_align(f->text, LXW_ALIGN_VERTICAL_TOP);
}

static lxw_format *xlsx_num_fmt(const struct xlsx_fmts *f, enum col_kind k)
{
	return k == COL_MONEY ? f->money : k == COL_DEC1 ? f->dec1 : f->integer;
}

static void widen(int *w, const char *s, int extra)
{
	int tw = text_width(s) + extra;

	if (tw > *w)
		*w = tw < XLSX_MAX_WIDTH ? tw : XLSX_MAX_WIDTH;
}

static void xlsx_offers(lxw_workbook *wb, const export_doc *d, const struct xlsx_fmts *f)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, "Offers");
	int width[C_COUNT], i, c;

	for (c = 0; c < C_COUNT; c++) {
		width[c] = 0;
		widen(&width[c], cols[c].name, 2);
		worksheet_write_string(ws, 0, (lxw_col_t)c, cols[c].name, f->header);
	}
	for (i = 0; i < d->nrows; i++) {
		for (c = 0; c < C_COUNT; c++) {
			lxw_row_t row = (lxw_row_t)i + 1;
			char *t = cell_text(d, i, c);
			double v;

			if (cols[c].kind != COL_TEXT && cell_number(d, i, c, &v)) {
				worksheet_write_number(ws, row, (lxw_col_t)c, v,
				                       xlsx_num_fmt(f, cols[c].kind));
				/* the currency suffix of money cells needs room */
				widen(&width[c], t, cols[c].kind == COL_MONEY ? 6 : 2);
			} else if (t[0]) {
				char *s = text_sanitize(t, 1);

				worksheet_write_string(ws, row, (lxw_col_t)c, s, f->text);
				widen(&width[c], s, 1);
				free(s);
			}
			free(t);
		}
	}
	for (c = 0; c < C_COUNT; c++)
		worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, width[c], NULL);
	worksheet_freeze_panes(ws, 1, 0);
	worksheet_autofilter(ws, 0, 0, (lxw_row_t)d->nrows, C_COUNT - 1);
}

/* One row per price tier; without a catalog to ask, the tier the row
 * itself knows about (its next break) is all there is. */
static void xlsx_tiers(lxw_workbook *wb, const export_doc *d, const struct xlsx_fmts *f)
{
	static const char *const head[] = {"rank",       "supplier", "product",
	                                   "product id", "min qty",  "unit price"};
	lxw_worksheet *ws = workbook_add_worksheet(wb, "Price tiers");
	int width[6], i, k, n;
	lxw_row_t row = 1;

	for (k = 0; k < 6; k++) {
		width[k] = 0;
		widen(&width[k], head[k], 2);
		worksheet_write_string(ws, 0, (lxw_col_t)k, head[k], f->header);
	}
	for (i = 0; i < d->nrows; i++) {
		const match_row *r = &d->rows[i];
		match_tier one, *t = NULL;
		char *sup = text_sanitize(nz(r->supplier), 0),
		     *title = text_sanitize(nz(r->title), 0);
		char num[64];

		n = row_tiers(d, i, &t);
		if (d->tiers_from == NULL && r->next_break_qty >= 0) {
			one.min_qty = r->next_break_qty;
			one.price = r->next_break_price;
			t = NULL;
			n = 1;
		}
		for (k = 0; k < n; k++, row++) {
			const match_tier *tk = t ? &t[k] : &one;

			worksheet_write_number(ws, row, 0, i + 1, f->integer);
			worksheet_write_string(ws, row, 1, sup, f->text);
			worksheet_write_string(ws, row, 2, title, f->text);
			worksheet_write_number(ws, row, 3, (double)r->product_id, f->integer);
			worksheet_write_number(ws, row, 4, (double)tk->min_qty, f->integer);
			worksheet_write_number(ws, row, 5, tk->price, f->money);
			fmt_money(num, sizeof num, tk->price);
			widen(&width[5], num, 6);
		}
		if (n > 0) {
			widen(&width[1], sup, 1);
			widen(&width[2], title, 1);
		}
		free(t);
		free(sup);
		free(title);
	}
	for (k = 0; k < 6; k++)
		worksheet_set_column(ws, (lxw_col_t)k, (lxw_col_t)k, width[k], NULL);
	worksheet_freeze_panes(ws, 1, 0);
}

/* libxlsxwriter insists on writing a named file itself, so it writes a
 * scratch file beside the target and util_write_atomic then commits the
 * bytes: one place in souk does temp + fsync + rename. */
static int write_xlsx(const char *path, const export_doc *d, int force, souk_err *e)
{
	char *scratch = xasprintf("%s.part-XXXXXX", path), *data;
	lxw_workbook_options opt = {0};
	struct xlsx_fmts f;
	lxw_workbook *wb;
	lxw_error rc;
	size_t len;
	int fd, ret;

	fd = mkstemp(scratch);
	if (fd < 0) {
		err_set(e, "cannot write %s: %s", path, strerror(errno));
		free(scratch);
		return -1;
	}
	close(fd);
	wb = workbook_new_opt(scratch, &opt);
	if (wb == NULL) {
		err_set(e, "cannot write %s: the XLSX writer could not start", path);
		unlink(scratch);
		free(scratch);
		return -1;
	}
	xlsx_formats(wb, d, &f);
	xlsx_offers(wb, d, &f);
	xlsx_tiers(wb, d, &f);
	rc = workbook_close(wb);
	if (rc != LXW_NO_ERROR) {
		err_set(e, "cannot write %s: %s (the old file, if any, is unchanged)", path,
		        lxw_strerror(rc));
		unlink(scratch);
		free(scratch);
		return -1;
	}
	data = util_read_file(scratch, (size_t)1 << 30, &len, e);
	unlink(scratch);
	free(scratch);
	if (data == NULL)
		return -1;
	ret = util_write_atomic(path, data, len, force, e);
	free(data);
	return ret;
}

#else

static int write_xlsx(const char *path, const export_doc *d, int force, souk_err *e)
{
	(void)d;
	(void)force;
	err_set(e,
	        "cannot write %s: this souk was built without XLSX support (install "
	        "libxlsxwriter and rebuild, or use .csv, which Excel opens)",
	        path);
	return -1;
}

#endif

int export_write(const char *path, export_format fmt, const export_doc *doc, int force, souk_err *e)
{
	char *data;
	int rc;

	if (path == NULL || path[0] == '\0') {
		err_set(e, "no file name to export to");
		return -1;
	}
	/* Say so before doing any work, and before XLSX's scratch file. */
	if (!force && access(path, F_OK) == 0) {
		err_set(e, "%s already exists (use --force or /save! to replace it)", path);
		errno = EEXIST;
		return -1;
	}
	if (fmt == EXPORT_XLSX)
		return write_xlsx(path, doc, force, e);
	data = export_render(fmt, doc, e);
	if (data == NULL)
		return -1;
	rc = util_write_atomic(path, data, strlen(data), force, e);
	free(data);
	return rc;
}
