/* cmd_query: `souk query`, ranked offers for a filter as a table, CSV, JSON or Markdown. */
#include <cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "catalog.h"
#include "cmd.h"
#include "cmd_llm.h"
#include "dialog.h"
#include "export.h"
#include "filter.h"
#include "match.h"
#include "money.h"
#include "offer.h"
#include "shortlist.h"
#include "text.h"

static const char query_usage[] =
        "usage: souk query [--db FILE] [--filters JSON | TEXT...] [--limit N] "
        "[--format table|csv|json|md] [--engine offline|llm]\n"
        "       --limit 0 writes every match (--format csv or md), page by page";

#define QUERY_DEFAULT_LIMIT 20
#define QUERY_MAX_LIMIT     1000

enum query_format { FMT_TABLE, FMT_CSV, FMT_JSON, FMT_MD };

typedef struct query_args {
	const char *db, *filters, *format, *engine;
	long limit;
	char **text;
	int ntext;
} query_args;

/* ---- the filter ---- */

/* TEXT -> filter through the conversation engine, as one turn: "paddles
 * for the US under $8" gives keywords, market and a price limit, the same
 * filter `souk interpret` shows. The config's currency and market are the
 * state the turn starts from. */
static char *query_line(char **text, int n)
{
	strbuf line;

	sb_init(&line);
	for (int i = 0; i < n; i++) {
		if (i)
			sb_addc(&line, ' ');
		sb_add(&line, text[i]);
	}
	return sb_steal(&line);
}

static int query_filter_from_text(const souk_config *cfg, char **text, int n, souk_filter *f,
                                  souk_err *e)
{
	dialog_reply r;
	dialog *d;
	char *line;
	int rc;

	if ((d = cmd_dialog_new(cfg, NULL, e)) == NULL)
		return -1;
	line = query_line(text, n);
	memset(&r, 0, sizeof r);
	rc = dialog_turn(d, line, &r, e);
	if (rc == 0)
		filter_copy(f, dialog_filter(d));
	dialog_reply_free(&r);
	free(line);
	dialog_free(d);
	return rc;
}

/* ---- arguments ---- */

static int parse_args(int argc, char **argv, query_args *a)
{
	memset(a, 0, sizeof(*a));
	a->limit = QUERY_DEFAULT_LIMIT;
	a->format = "table";
	a->text = xcalloc((size_t)argc + 1, sizeof(char *));
	for (int i = 1; i < argc; i++) {
		const char *s = argv[i];
		if (strcmp(s, "--") == 0) {
			while (++i < argc)
				a->text[a->ntext++] = argv[i];
			break;
		}
		if (s[0] != '-' || s[1] == 0) {
			a->text[a->ntext++] = argv[i];
			continue;
		}
		int k = cmd_engine_option(argc, argv, &i, &a->engine);
		if (k < 0)
			return 2;
		if (k > 0)
			continue;
		if (strcmp(s, "--db") && strcmp(s, "--filters") && strcmp(s, "--limit") &&
		    strcmp(s, "--format"))
			return cmd_fail(2, "unknown option '%s' (%s)", s, query_usage);
		if (i + 1 >= argc)
			return cmd_fail(2, "%s needs a value (%s)", s, query_usage);
		const char *v = argv[++i];
		if (strcmp(s, "--db") == 0) {
			a->db = v;
		} else if (strcmp(s, "--filters") == 0) {
			a->filters = v;
		} else if (strcmp(s, "--format") == 0) {
			a->format = v;
		} else {
			char *end;
			errno = 0;
			a->limit = strtol(v, &end, 10);
			if (errno || end == v || *end || a->limit < 0 || a->limit > QUERY_MAX_LIMIT)
				return cmd_fail(
				        2,
				        "--limit wants a number from 1 to %d, or 0 for every "
				        "match, not '%s'",
				        QUERY_MAX_LIMIT, v);
		}
	}
	if (a->filters && a->ntext)
		return cmd_fail(2, "give either --filters JSON or search words, not both (%s)",
		                query_usage);
	return 0;
}

static int format_parse(const char *s, enum query_format *f)
{
	static const char *const names[] = {"table", "csv", "json", "md"};
	for (int i = 0; i < 4; i++)
		if (strcmp(s, names[i]) == 0) {
			*f = (enum query_format)i;
			return 0;
		}
	if (strcmp(s, "markdown") == 0) {
		*f = FMT_MD;
		return 0;
	}
	return -1;
}

/* ---- the catalog ---- */

static match_ctx *open_catalog(const souk_config *cfg, const char *db, souk_err *e)
{
	struct stat st;

	if (db) {
		if (stat(db, &st) != 0) {
			err_set(e, "no catalog at %s (build one with: souk demo --out %s)", db, db);
			return NULL;
		}
	} else if (stat(cfg->catalog, &st) != 0) {
		/* first run: the demo catalog goes where the dashboard expects it */
		if (config_ensure_data_dir(cfg, e) < 0 ||
		    catalog_ensure_demo(cfg->catalog, cfg->assets, e) < 0)
			return NULL;
	}
	return match_open(db ? db : cfg->catalog, cfg->ref, e);
}

/* ---- output helpers ---- */

static char *clean(const char *s)
{
	return text_sanitize(s ? s : "", 0);
}

static char *query_title(const souk_filter *f)
{
	strbuf b;

	sb_init(&b);
	for (int i = 0; i < f->keywords.n; i++)
		sb_printf(&b, "%s%s", i ? " " : "", f->keywords.v[i]);
	if (!b.len)
		sb_add(&b, "All offers");
	return sb_steal(&b);
}

/* ---- JSON ---- */

static void json_str(cJSON *o, const char *k, const char *v)
{
	if (!v) {
		cJSON_AddNullToObject(o, k);
		return;
	}
	char *s = clean(v);
	cJSON_AddStringToObject(o, k, s);
	free(s);
}

/* Money to 4 decimals: enough for any currency, and no 5.7182619477115573. */
static void json_money(cJSON *o, const char *k, double v, int known)
{
	if (known)
		cJSON_AddNumberToObject(o, k, round(v * 10000) / 10000);
	else
		cJSON_AddNullToObject(o, k);
}

/* A row in the offer JSON form (core/offer.h), as exports write it. */
static cJSON *json_row(const match_row *r, int rank, const match_result *res, const souk_filter *f)
{
	offer_ctx c;

	offer_ctx_init(&c);
	c.rank = rank;
	c.currency = res->currency;
	c.quantity = f->quantity;
	return offer_to_cjson(r, &c);
}

static cJSON *json_counts(const match_count *c, int n)
{
	cJSON *a = cJSON_CreateArray();
	for (int i = 0; i < n; i++) {
		cJSON *o = cJSON_CreateObject();
		json_str(o, "value", c[i].value);
		cJSON_AddNumberToObject(o, "count", (double)c[i].count);
		cJSON_AddItemToArray(a, o);
	}
	return a;
}

static cJSON *json_hist(const match_hist *h)
{
	cJSON *o = cJSON_CreateObject(), *c = cJSON_CreateArray();
	json_money(o, "lo", h->lo, 1);
	json_money(o, "hi", h->hi, 1);
	for (int i = 0; i < MATCH_HIST_BINS; i++)
		cJSON_AddItemToArray(c, cJSON_CreateNumber((double)h->counts[i]));
	cJSON_AddItemToObject(o, "counts", c);
	return o;
}

static char *render_json(const match_result *res, const souk_filter *f, match_ctx *m)
{
	cJSON *o = cJSON_CreateObject(), *rows, *fc;
	char *s, *out;
	strbuf b;

	cJSON_AddNumberToObject(o, "total", (double)res->total);
	cJSON_AddNumberToObject(o, "suppliers", (double)res->suppliers);
	cJSON_AddStringToObject(o, "currency", res->currency);
	cJSON_AddItemToObject(o, "filters", filter_to_cjson(f));
	rows = cJSON_AddArrayToObject(o, "rows");
	for (int i = 0; i < res->nrows; i++)
		cJSON_AddItemToArray(rows, json_row(&res->rows[i], i + 1, res, f));
	fc = cJSON_AddObjectToObject(o, "facets");
	cJSON_AddItemToObject(fc, "countries", json_counts(res->countries, res->ncountries));
	cJSON_AddItemToObject(fc, "certifications", json_counts(res->certs, res->ncerts));
	cJSON_AddItemToObject(fc, "business_types",
	                      json_counts(res->business_types, res->nbusiness_types));
	cJSON_AddItemToObject(fc, "price", json_hist(&res->price_hist));
	cJSON_AddItemToObject(fc, "moq", json_hist(&res->moq_hist));
	cJSON_AddItemToObject(fc, "lead_time_days", json_hist(&res->lead_hist));
	json_str(o, "relax", res->relax);
	if (res->unused.n) {
		cJSON *u = cJSON_AddArrayToObject(o, "unused");
		for (int i = 0; i < res->unused.n; i++)
			cJSON_AddItemToArray(u, cJSON_CreateString(res->unused.v[i]));
	}
	/* converted prices and landed costs are only as good as these tables */
	json_str(o, "fx_rates_as_of",
	         *money_fx_date(match_money(m)) ? money_fx_date(match_money(m)) : NULL);
	json_str(o, "duty_estimates_as_of",
	         *money_duty_date(match_money(m)) ? money_duty_date(match_money(m)) : NULL);
	s = cJSON_Print(o);
	/* a copy with the newline (not through printf: 50 KB took a
	 * millisecond there) */
	sb_init(&b);
	sb_add(&b, s ? s : "{}");
	sb_addc(&b, '\n');
	out = sb_steal(&b);
	cJSON_free(s);
	cJSON_Delete(o);
	return out;
}

/* ---- table ---- */

static int term_width(void)
{
	const char *c = getenv("COLUMNS");
	struct winsize ws;

	if (c && atoi(c) >= 20 && atoi(c) <= 1000)
		return atoi(c);
	if (isatty(1) && ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
		return ws.ws_col;
	return 100;
}

enum tcol {
	T_RANK,
	T_SUPPLIER,
	T_COUNTRY,
	T_PRODUCT,
	T_PRICE,
	T_MOQ,
	T_LEAD,
	T_LANDED,
	T_RATING,
	T_SCORE,
	T_WHY,
	T_NCOLS
};

/* The table's columns by offer field (core/offer.c): headers, alignment
 * and cell text come from there. */
static const char *const tkeys[T_NCOLS] = {
        [T_RANK] = "rank",           [T_SUPPLIER] = "supplier",  [T_COUNTRY] = "country",
        [T_PRODUCT] = "title",       [T_PRICE] = "price",        [T_MOQ] = "moq",
        [T_LEAD] = "lead_time_days", [T_LANDED] = "landed_cost", [T_RATING] = "rating",
        [T_SCORE] = "score",         [T_WHY] = "reasons",
};

static char *cell(const match_row *r, int rank, int col, const char *currency, const souk_ref *ref)
{
	offer_ctx c;
	char *raw, *out;

	/* the reasons column also says what sets the offer apart */
	if (col == T_WHY && r->highlights && *r->highlights) {
		char *both = xasprintf("%s | %s", r->reasons ? r->reasons : "", r->highlights);
		out = clean(both);
		free(both);
		return out;
	}
	offer_ctx_init(&c);
	c.rank = rank;
	c.currency = currency;
	c.ref = ref;
	raw = offer_field_format(offer_field_by_key(tkeys[col]), r, &c);
	out = clean(raw);
	free(raw);
	return out;
}

static void table_line(strbuf *b, char **cells, const int *w, const int *shown)
{
	int first = 1;
	size_t start = b->len;

	for (int c = 0; c < T_NCOLS; c++) {
		if (!shown[c])
			continue;
		char *p =
		        text_pad(cells[c], w[c], offer_field_numeric(offer_field_by_key(tkeys[c])));
		if (!first)
			sb_add(b, "  ");
		sb_add(b, p);
		free(p);
		first = 0;
	}
	while (b->len > start && b->s[b->len - 1] == ' ')
		b->s[--b->len] = 0;
	sb_addc(b, '\n');
}

/* One line of the heading, cut to the width (or cleaned of escapes). */
static void heading_line(strbuf *b, strbuf *line, int width)
{
	char *l = width > 0 ? text_truncate(line->s, width) : clean(line->s);

	sb_printf(b, "%s\n", l);
	free(l);
	sb_free(line);
	sb_init(line);
}

/* What the table is of: counts, currency, the FX date, the words left
 * out of the search and, with a market, the landed-cost caveat. */
static void render_heading(strbuf *b, const match_result *res, const souk_filter *f, int width,
                           match_ctx *m)
{
	const char *fx = money_fx_date(match_money(m)), *duty = money_duty_date(match_money(m));
	char qty[64] = "";
	strbuf head;

	if (f->quantity >= 0)
		snprintf(qty, sizeof(qty), " at %.0f pcs", f->quantity);
	sb_init(&head);
	/* prices are converted from the suppliers' currencies: say when the
	 * rates are from; an empty result says so below instead */
	sb_printf(&head, "%ld offer%s from %ld supplier%s; top %d; unit prices in %s%s (FX of %s)",
	          res->total, res->total == 1 ? "" : "s", res->suppliers,
	          res->suppliers == 1 ? "" : "s", res->nrows, res->currency, qty, *fx ? fx : "?");
	if (res->total > 0)
		heading_line(b, &head, width);
	sb_free(&head);
	sb_init(&head);
	if (res->unused.n) {
		/* they were left out of the search, not silently matched */
		sb_add(&head, "Not used (no offer has them):");
		for (int i = 0; i < res->unused.n; i++)
			sb_printf(&head, "%s %s", i ? "," : "", res->unused.v[i]);
		sb_addc(&head, '.');
		heading_line(b, &head, 0);
	}
	if (f->market && res->total > 0) {
		sb_printf(&head, "Landed cost in %s is an estimate (duty as of %s).", f->market,
		          *duty ? duty : "?");
		heading_line(b, &head, width);
	}
	sb_free(&head);
}

/* Which columns fit the width and how wide each is: narrow terminals lose
 * the extras, least useful first; the supplier gets up to a third of what
 * is left, the product the rest, the reasons (when they are a column)
 * whatever the two do not need. */
static void fit_columns(int *w, int *shown, int width)
{
	static const int drop_order[] = {T_LANDED, T_SCORE, T_LEAD, T_RATING, T_COUNTRY};
	int fixed, flex, ncols;

	for (size_t k = 0;; k++) {
		fixed = 0;
		ncols = 0;
		for (int c = 0; c < T_NCOLS; c++) {
			if (!shown[c])
				continue;
			ncols++;
			if (c != T_SUPPLIER && c != T_PRODUCT && c != T_WHY)
				fixed += w[c];
		}
		flex = width - fixed - 2 * (ncols - 1);
		if (flex >= (shown[T_WHY] ? 60 : 30) ||
		    k >= sizeof(drop_order) / sizeof(*drop_order))
			break;
		shown[drop_order[k]] = 0;
	}
	if (flex < 12)
		flex = 12;
	int ws = w[T_SUPPLIER], wp = w[T_PRODUCT];
	int y = shown[T_WHY] ? flex * 40 / 100 : 0;
	int room = flex - y;
	int sup_w = room / 3 < ws ? room / 3 : ws;
	int prod_w = room - sup_w < wp ? room - sup_w : wp;
	sup_w = room - prod_w < ws ? room - prod_w : ws; /* the product may leave some */
	if (shown[T_WHY])
		y = flex - sup_w - prod_w;
	w[T_SUPPLIER] = sup_w > 4 ? sup_w : 4;
	w[T_PRODUCT] = prod_w > 4 ? prod_w : 4;
	w[T_WHY] = y > 4 ? y : 4;
}

static char *render_table(const match_result *res, const souk_filter *f, int width, match_ctx *m)
{
	char ***cells;
	int w[T_NCOLS], shown[T_NCOLS], below;
	const char *heads[T_NCOLS];
	strbuf b;

	sb_init(&b);
	render_heading(&b, res, f, width, m);
	if (res->nrows == 0) {
		sb_add(&b, "No offers match.");
		if (res->relax) {
			char *r = clean(res->relax);
			sb_printf(&b, " Try: %s.", r);
			free(r);
		}
		sb_addc(&b, '\n');
		return sb_steal(&b);
	}
	for (int c = 0; c < T_NCOLS; c++) {
		heads[c] = offer_field_by_key(tkeys[c])->title;
		w[c] = text_width(heads[c]);
		shown[c] = c != T_LANDED || f->market;
	}
	/* Below this width the reasons get a line of their own under each row,
	 * which reads better than a column cut to a few words. */
	below = width < 150;
	if (below)
		shown[T_WHY] = 0;
	cells = xcalloc((size_t)res->nrows, sizeof(*cells));
	for (int i = 0; i < res->nrows; i++) {
		cells[i] = xcalloc(T_NCOLS, sizeof(char *));
		for (int c = 0; c < T_NCOLS; c++) {
			cells[i][c] = cell(&res->rows[i], i + 1, c, res->currency, match_ref(m));
			int cw = text_width(cells[i][c]);
			if (cw > w[c])
				w[c] = cw;
		}
	}
	fit_columns(w, shown, width);
	table_line(&b, (char **)heads, w, shown);
	for (int i = 0; i < res->nrows; i++) {
		table_line(&b, cells[i], w, shown);
		if (below && *cells[i][T_WHY]) {
			int indent = w[T_RANK] + 2;
			char *why = text_truncate(cells[i][T_WHY], width - indent);
			sb_printf(&b, "%*s%s\n", indent, "", why);
			free(why);
		}
		for (int c = 0; c < T_NCOLS; c++)
			free(cells[i][c]);
		free(cells[i]);
	}
	free(cells);
	return sb_steal(&b);
}

/* ---- main ---- */

static int write_out(const char *s)
{
	/* a terminal gets nothing that could drive it; a pipe, the data */
	char *safe = isatty(STDOUT_FILENO) ? text_sanitize(s, 1) : NULL;
	size_t n;
	int rc = 0;

	if (safe)
		s = safe;
	n = strlen(s);
	if (fwrite(s, 1, n, stdout) != n || fflush(stdout) != 0)
		rc = cmd_fail(1, "cannot write the results: %s", strerror(errno));
	free(safe);
	return rc;
}

static char *render(enum query_format fmt, const match_result *res, const souk_filter *f,
                    match_ctx *m, souk_err *e)
{
	export_doc doc;
	char *title, *s;

	switch (fmt) {
	case FMT_JSON:
		return render_json(res, f, m);
	case FMT_TABLE:
		return render_table(res, f, term_width(), m);
	default:
		break;
	}
	memset(&doc, 0, sizeof(doc));
	title = query_title(f);
	doc.title = title;
	doc.filter = f;
	doc.rows = res->rows;
	doc.nrows = res->nrows;
	s = export_render(fmt == FMT_CSV ? EXPORT_CSV : EXPORT_MD, &doc, e);
	free(title);
	/* The byte-order mark helps Excel open a file; on a pipe it only gets
	 * in the way of cut, awk and friends. */
	if (s && strncmp(s, "\xef\xbb\xbf", 3) == 0)
		memmove(s, s + 3, strlen(s + 3) + 1);
	return s;
}

/* Standard output as an export's sink; the byte-order mark helps Excel
 * open a file, on a pipe it only gets in the way of cut and awk. */
static int stdout_sink(const char *data, size_t len, void *arg, souk_err *e)
{
	int *started = arg;

	if (!*started && len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
		data += 3;
		len -= 3;
	}
	*started = 1;
	if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0) {
		err_set(e, "cannot write the results: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* --limit 0: every match, a page at a time, never all in memory. */
static int query_all(match_ctx *m, const souk_filter *f, enum query_format fmt)
{
	export_all_opts o;
	export_doc head;
	souk_err e;
	char *title = query_title(f);
	long written;
	int started = 0, rc;

	memset(&head, 0, sizeof head);
	head.title = title;
	head.filter = f;
	memset(&o, 0, sizeof o);
	o.sink = stdout_sink;
	o.sink_arg = &started;
	rc = shortlist_export_all(m, f, &head, NULL, fmt == FMT_CSV ? EXPORT_CSV : EXPORT_MD, 0, &o,
	                          &written, &e);
	free(title);
	return rc < 0 ? cmd_fail(1, "%s", e.msg) : 0;
}

/* The command line up to a filter state: -1 when the query goes on (f
 * set unless the model server reads the text), else the exit status
 * (a.text freed). */
static int query_start(const souk_config *cfg, int argc, char **argv, query_args *a,
                       enum query_format *fmt, int *eng, souk_filter *f)
{
	souk_err e;
	int rc;

	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			puts(query_usage);
			return 0;
		}
	if ((rc = parse_args(argc, argv, a)) != 0) {
		free(a->text);
		return rc;
	}
	rc = -1;
	if (format_parse(a->format, fmt) < 0)
		rc = cmd_fail(2, "unknown format '%s' (use table, csv, json or md)", a->format);
	else if (a->limit == 0 && *fmt != FMT_CSV && *fmt != FMT_MD)
		rc = cmd_fail(2, "--limit 0 (every match) writes --format csv or md");
	else if ((*eng = config_engine(cfg, a->filters ? "offline" : a->engine, &e)) < 0)
		rc = cmd_fail(2, "%s", e.msg);
	else if (a->filters && filter_from_json(a->filters, cfg->ref, f, &e) < 0)
		rc = cmd_fail(2, "%s (see \"Filter state JSON\" in souk(1))", e.msg);
	else if (!a->filters && *eng == CONFIG_ENGINE_OFFLINE &&
	         query_filter_from_text(cfg, a->text, a->ntext, f, &e) < 0)
		rc = cmd_fail(2, "%s", e.msg);
	if (rc >= 0)
		free(a->text);
	return rc;
}

int cmd_query(const souk_config *cfg, int argc, char **argv)
{
	query_args a;
	enum query_format fmt;
	souk_filter f;
	souk_err e;
	match_ctx *m = NULL;
	match_opts o;
	match_result res;
	char *out;
	int rc, eng = CONFIG_ENGINE_OFFLINE;

	fmt = FMT_TABLE;
	if ((rc = query_start(cfg, argc, argv, &a, &fmt, &eng, &f)) >= 0)
		return rc;
	m = open_catalog(cfg, a.db, &e);
	if (m && !a.filters && eng == CONFIG_ENGINE_LLM) {
		/* the model's tools count offers in the catalog */
		char *line = query_line(a.text, a.ntext);
		rc = cmd_llm_filter(cfg, m, line, &f, &e);
		free(line);
		if (rc < 0) {
			free(a.text);
			match_close(m);
			return cmd_fail(1, "%s", e.msg);
		}
	}
	free(a.text);
	if (!m) {
		if (a.filters || eng == CONFIG_ENGINE_OFFLINE)
			filter_free(&f);
		return cmd_fail(1, "%s", e.msg);
	}
	if (a.limit == 0) {
		rc = query_all(m, &f, fmt);
		match_close(m);
		filter_free(&f);
		return rc;
	}
	match_opts_init(&o);
	o.limit = (int)a.limit;
	if (match_run(m, &f, &o, &res, &e) < 0) {
		match_close(m);
		filter_free(&f);
		return cmd_fail(1, "%s", e.msg);
	}
	out = render(fmt, &res, &f, m, &e);
	rc = out ? write_out(out) : cmd_fail(1, "%s", e.msg);
	free(out);
	match_result_free(&res);
	match_close(m);
	filter_free(&f);
	return rc;
}
