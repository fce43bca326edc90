/* pane_grid: the comparison grid of offers: columns, sorting, marks, search and horizontal scroll.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "catalog_info.h"
#include "offer.h"
#include "list.h"
#include "text.h"

enum grid_col {
	GC_MARK,
	GC_RANK,
	GC_SUPPLIER,
	GC_COUNTRY,
	GC_PRODUCT,
	GC_PRICE,
	GC_NEXT,
	GC_MOQ,
	GC_LEAD,
	GC_LANDED,
	GC_RATING,
	GC_VERIFIED,
	GC_CERTS,
	GC_HIGHLIGHTS,
	GC_SCORE,
	/* the supplier's record, shown when the buyer turns them on */
	GC_ASSURED,
	GC_RESPONSE,
	GC_REPLIES,
	GC_ONTIME,
	GC_REORDER,
	GC_ESTABLISHED,
	GC_COUNT
};

/* The grid's own state (app.h keeps only a pointer to it). */
struct grid {
	list l;                 /* the cursor over rows */
	const match_row **rows; /* in display order: points into the result and
	                         * the similar offers, so grid_detach before
	                         * either is freed */
	int64_t keep_id;        /* offer under the cursor while detached */
	int cur_chosen;         /* the buyer moved the cursor: it follows its offer */
	int sort_col, sort_desc;
	unsigned hidden; /* bit per column */
	int hscroll;
	char *search;
	/* the catalog's detail of each row, by product id (sorted), while a
	 * column that needs it is shown or sorted by; NULL otherwise */
	offer_detail *facts;
	int64_t *fact_ids;
	int nfacts;
};

/* A grid column: an offer field (offer_fields[], or offer_detail_fields[]
 * for what the row does not carry: header, width, alignment, which value
 * is best, how a value reads) and what is the grid's own: the /sort and
 * /columns name, whether it stays when scrolling sideways, whether its
 * best value stands out, the catalog's order for it, whether it is read
 * from the offer's detail and shown only when the buyer turns it on. */
struct column {
	const char *key;   /* offer_fields[] key; NULL for the mark */
	const char *alias; /* the /sort name */
	int frozen;        /* stays when scrolling sideways */
	int show_best;     /* the best value stands out (not for yes/no columns) */
	int sql;           /* enum match_sort, or -1: sorted on the rows fetched */
	int detail;        /* key is an offer_detail_fields[] key; hidden at first */
};

static const struct column cols[GC_COUNT] = {
        [GC_MARK] = {NULL, "mark", 1, 0, -1},
        [GC_RANK] = {"rank", "rank", 1, 0, MATCH_SORT_SCORE},
        [GC_SUPPLIER] = {"supplier", "supplier", 1, 0, -1},
        [GC_COUNTRY] = {"country", "country", 0, 0, -1},
        [GC_PRODUCT] = {"title", "product", 0, 0, -1},
        [GC_PRICE] = {"price", "price", 0, 1, MATCH_SORT_PRICE},
        [GC_NEXT] = {"next_break", "break", 0, 0, -1},
        [GC_MOQ] = {"moq", "moq", 0, 1, MATCH_SORT_MOQ},
        [GC_LEAD] = {"lead_time_days", "lead", 0, 1, MATCH_SORT_LEAD},
        [GC_LANDED] = {"landed_cost", "landed", 0, 1, MATCH_SORT_LANDED},
        [GC_RATING] = {"rating", "rating", 0, 1, MATCH_SORT_RATING},
        [GC_VERIFIED] = {"verified", "verified", 0, 0, -1},
        [GC_CERTS] = {"certifications", "certifications", 0, 0, -1},
        [GC_HIGHLIGHTS] = {"highlights", "highlights", 0, 0, -1},
        [GC_SCORE] = {"score", "score", 0, 1, MATCH_SORT_SCORE},
        [GC_ASSURED] = {"trade_assurance", "assurance", 0, 0, -1, 1},
        [GC_RESPONSE] = {"response_rate", "response", 0, 1, -1, 1},
        [GC_REPLIES] = {"response_hours", "replies", 0, 1, -1, 1},
        [GC_ONTIME] = {"on_time_rate", "ontime", 0, 1, -1, 1},
        [GC_REORDER] = {"reorder_rate", "reorder", 0, 1, -1, 1},
        [GC_ESTABLISHED] = {"year_established", "established", 0, 1, -1, 1},
};

/* The columns hidden until the buyer turns them on. */
static unsigned optional_columns(void)
{
	unsigned m = 0;
	int i;

	for (i = 0; i < GC_COUNT; i++)
		if (cols[i].detail)
			m |= 1u << i;
	return m;
}

static const offer_field *field_of(int col)
{
	if (cols[col].key == NULL)
		return NULL;
	return cols[col].detail ? offer_detail_field_by_key(cols[col].key)
	                        : offer_field_by_key(cols[col].key);
}

static const char *col_title(int col)
{
	const offer_field *f = field_of(col);

	return f && f->title ? f->title : "";
}

static int col_width(int col)
{
	const offer_field *f = field_of(col);

	return f ? f->width : 1;
}

/* Numbers are right-aligned; yes/no is a mark, left. */
static int col_right(int col)
{
	const offer_field *f = field_of(col);

	if (f && cols[col].detail)
		return f->kind != OFK_FLAG;
	return f && f->kind != OFK_BOOL && offer_field_numeric(f);
}

int grid_column_count(void)
{
	return GC_COUNT;
}

const char *grid_column_name(int col)
{
	if (col < 0 || col >= GC_COUNT)
		return "";
	return col == GC_MARK ? "Mark" : col_title(col);
}

int grid_column_sql(int col)
{
	return col < 0 || col >= GC_COUNT ? -1 : cols[col].sql;
}

int grid_column_of_sort(enum match_sort sort)
{
	for (int i = 0; i < GC_COUNT; i++)
		if (cols[i].sql == (int)sort)
			return i;
	return -1;
}

int grid_column_lookup(const char *name)
{
	int i;

	for (i = 0; i < GC_COUNT; i++)
		if ((i != GC_MARK && util_strieq(name, col_title(i))) ||
		    util_strieq(name, cols[i].alias) ||
		    (field_of(i) && util_strieq(name, field_of(i)->name)))
			return i;
	return -1;
}

/* ---- the offers' details, for the columns that need them ---- */

static void facts_free(struct grid *g)
{
	int i;

	for (i = 0; i < g->nfacts; i++)
		offer_detail_free(&g->facts[i]);
	free(g->facts);
	free(g->fact_ids);
	g->facts = NULL;
	g->fact_ids = NULL;
	g->nfacts = 0;
}

/* A detail column is shown or sorted by. */
static int facts_needed(const app *a)
{
	const struct grid *g = a->grid;

	return (optional_columns() & ~g->hidden) != 0 || cols[g->sort_col].detail;
}

static int cmp_id(const void *pa, const void *pb)
{
	int64_t x = *(const int64_t *)pa, y = *(const int64_t *)pb;

	return x < y ? -1 : x > y;
}

/* Reads the detail of every row the grid may show, in one statement:
 * a few hundred rows at most (the loaded page and the similar offers). */
static void facts_load(app *a)
{
	struct grid *g = a->grid;
	int i, n = 0, total = (a->have_result ? a->res.nrows : 0) + a->nextra;
	souk_err e;

	facts_free(g);
	if (a->mctx == NULL || total == 0)
		return;
	g->fact_ids = xcalloc((size_t)total, sizeof *g->fact_ids);
	for (i = 0; a->have_result && i < a->res.nrows; i++)
		g->fact_ids[n++] = a->res.rows[i].product_id;
	for (i = 0; i < a->nextra; i++)
		g->fact_ids[n++] = a->extra[i].product_id;
	qsort(g->fact_ids, (size_t)n, sizeof *g->fact_ids, cmp_id);
	g->facts = xcalloc((size_t)n, sizeof *g->facts);
	g->nfacts = n;
	if (catalog_info_offers(a->mctx, g->fact_ids, n, g->facts, &e) < 0)
		app_message(a, "%s", e.msg); /* the cells read "-" */
}

/* The row's detail, NULL when not loaded. */
static const offer_detail *facts_of(const app *a, const match_row *r)
{
	const struct grid *g = a->grid;
	const int64_t *k;

	if (g->nfacts == 0)
		return NULL;
	k = bsearch(&r->product_id, g->fact_ids, (size_t)g->nfacts, sizeof *k, cmp_id);
	return k ? &g->facts[k - g->fact_ids] : NULL;
}

/* A detail column's value as a number: 1 known. */
static int fact_number(const app *a, const match_row *r, int col, double *v)
{
	const offer_detail *d = facts_of(a, r);

	*v = 0;
	return d && offer_detail_number(field_of(col), d, v);
}

static double num(const match_row *r, int col)
{
	switch (col) {
	case GC_RANK:
		return -r->score; /* rank 1 is the best score */
	case GC_SCORE:
		return r->score;
	case GC_PRICE:
		return r->price;
	case GC_NEXT:
		return r->next_break_qty < 0 ? 1e18 : (double)r->next_break_qty;
	case GC_MOQ:
		return (double)r->moq;
	case GC_LEAD:
		return r->lead_days < 0 ? 1e9 : r->lead_days;
	case GC_LANDED:
		return r->landed < 0 ? 1e18 : r->landed;
	case GC_RATING:
		return r->rating;
	case GC_VERIFIED:
		return r->verified;
	default:
		return 0;
	}
}

static const char *str(const match_row *r, int col)
{
	const char *s = NULL;

	switch (col) {
	case GC_SUPPLIER:
		s = r->supplier;
		break;
	case GC_COUNTRY:
		s = r->country;
		break;
	case GC_PRODUCT:
		s = r->title;
		break;
	case GC_CERTS:
		s = r->certs;
		break;
	case GC_HIGHLIGHTS:
		s = r->highlights;
		break;
	default:
		break;
	}
	return s ? s : "";
}

static int is_text_col(int col)
{
	return col == GC_SUPPLIER || col == GC_COUNTRY || col == GC_PRODUCT || col == GC_CERTS ||
	       col == GC_HIGHLIGHTS;
}

/* A similar offer's product cell leads with what it is similar to: the
 * product column is on screen at any width, the highlights column is
 * not. The supplier's name is cut short so the title still shows. */
static char *similar_product(const match_row *r)
{
	static const char lead[] = "similar to ";
	const char *who = r->similar_to;
	char *name, *cut, *title, *out;

	if (strncmp(who, lead, sizeof lead - 1) == 0)
		who += sizeof lead - 1;
	name = text_sanitize(who, 0);
	cut = text_truncate(name, 10);
	title = text_sanitize(r->title ? r->title : "", 0);
	out = xasprintf("%s%s: %s", lead, cut, title);
	free(title);
	free(cut);
	free(name);
	return out;
}

/* The mark beside a price taken at the offer's MOQ, above the buyer's
 * quantity (shown only when the filter brings such offers back); the
 * title line says what it means. */
#define GRID_AT_MOQ "@MOQ"

/* The cell as offer_fields[] formats it; the mark, the rank (the row's
 * place here), the verified tick and a similar offer's product are the
 * grid's own. */
char *grid_cell(const app *a, const match_row *r, int col, int rank)
{
	const offer_field *f = field_of(col);
	offer_ctx c;
	char *raw, *out;

	switch (col) {
	case GC_MARK:
		if (app_is_marked((struct app *)a, r->product_id))
			return xstrdup(a->utf8 ? "\xe2\x97\x8f" : "*"); /* ● */
		return xstrdup(r->similar_to ? (a->utf8 ? "\xe2\x89\x88" : "~") : " ");
	case GC_RANK:
		return xasprintf("%d", rank);
	case GC_VERIFIED:
		return xstrdup(r->verified ? (a->utf8 ? "\xe2\x9c\x93" : "yes") : "");
	case GC_PRODUCT:
		if (r->similar_to)
			return similar_product(r);
		break;
	default:
		break;
	}
	if (cols[col].detail) {
		const offer_detail *d = facts_of(a, r);

		raw = d ? offer_detail_format(f, d) : xstrdup("");
		if (*raw == '\0') { /* unknown: "-", as the other columns say it */
			free(raw);
			raw = xstrdup("-");
		}
		out = text_sanitize(raw, 0);
		free(raw);
		return out;
	}
	offer_ctx_init(&c);
	c.currency = a->have_result ? a->res.currency : NULL;
	c.rank = rank;
	c.ref = a->cfg->ref;
	raw = offer_field_format(f, r, &c);
	if (r->at_moq && col == GC_PRICE) { /* not a price at the buyer's quantity */
		out = xasprintf("%s" GRID_AT_MOQ, raw);
		free(raw);
		raw = out;
	}
	out = text_sanitize(raw, 0);
	free(raw);
	return out;
}

/* qsort has no context argument in C11: sort an index array with the
 * column captured in each element instead. */
typedef struct sort_item {
	const match_row *r;
	int col, desc, pos;
	const app *a; /* for a detail column's values */
} sort_item;

static int cmp_items(const void *pa, const void *pb)
{
	const sort_item *x = pa, *y = pb;
	int c;

	if (cols[x->col].detail) {
		double a, b;
		int ka = fact_number(x->a, x->r, x->col, &a),
		    kb = fact_number(y->a, y->r, y->col, &b);

		if (ka != kb) /* unknown values last, whichever the direction */
			return ka ? -1 : 1;
		c = a < b ? -1 : a > b;
	} else if (is_text_col(x->col)) {
		c = strcasecmp(str(x->r, x->col), str(y->r, y->col));
	} else {
		double a = num(x->r, x->col), b = num(y->r, y->col);

		c = a < b ? -1 : a > b;
	}
	if (x->desc)
		c = -c;
	return c ? c : x->pos - y->pos; /* stable */
}

const match_row *grid_current(app *a)
{
	if (a->grid->l.cur < 0 || a->grid->l.cur >= a->grid->l.n)
		return NULL;
	return a->grid->rows[a->grid->l.cur];
}

void grid_detach(app *a)
{
	const match_row *r = grid_current(a);

	if (r)
		a->grid->keep_id = r->product_id;
	a->grid->l.n = 0;
}

void grid_rebuild(app *a)
{
	int64_t keep = a->grid->keep_id;
	int i, n = 0, total = (a->have_result ? a->res.nrows : 0) + a->nextra;
	sort_item *items;

	if (grid_current(a))
		keep = grid_current(a)->product_id;
	/* new rows, new details: read again only while a column needs them */
	if (facts_needed(a))
		facts_load(a);
	else
		facts_free(a->grid);
	free(a->grid->rows);
	a->grid->rows = xcalloc((size_t)total + 1, sizeof *a->grid->rows);
	items = xcalloc((size_t)total + 1, sizeof *items);
	for (i = 0; a->have_result && i < a->res.nrows; i++) {
		int k, dup = 0;

		for (k = 0; k < a->nextra && !dup; k++)
			dup = a->extra[k].product_id == a->res.rows[i].product_id;
		if (dup)
			continue; /* shown in the similar group instead */
		items[n] =
		        (sort_item){&a->res.rows[i], a->grid->sort_col, a->grid->sort_desc, n, a};
		n++;
	}
	for (i = 0; i < a->nextra; i++, n++)
		items[n] = (sort_item){&a->extra[i], a->grid->sort_col, a->grid->sort_desc, n, a};
	/* the server's score order is the rank: only re-sort for other columns,
	 * and keep similar rows after the rows they were added to */
	if (!(a->grid->sort_col == GC_RANK && !a->grid->sort_desc) && a->grid->sort_col != GC_MARK)
		qsort(items, (size_t)(n - a->nextra), sizeof *items, cmp_items);
	for (i = 0; i < n; i++)
		a->grid->rows[i] = items[i].r;
	free(items);
	a->grid->l.n = n;
	/* the cursor stays on the offer the buyer put it on while that offer
	 * is there; one the buyer never chose (the top row of an earlier
	 * answer) does not drag it down the grid, and when the chosen offer
	 * is gone the cursor starts again at the top */
	for (i = 0; a->grid->cur_chosen && keep >= 0 && i < n; i++)
		if (a->grid->rows[i]->product_id == keep)
			break;
	if (a->grid->cur_chosen && keep >= 0 && i < n) {
		a->grid->l.cur = i;
	} else {
		a->grid->l.cur = 0;
		a->grid->cur_chosen = 0;
	}
}

unsigned grid_sort_by(app *a, int col, int desc)
{
	int old_sql = cols[a->grid->sort_col].sql;

	if (col < 0 || col >= GC_COUNT)
		return 0;
	a->grid->sort_col = col;
	a->grid->sort_desc = desc;
	grid_rebuild(a);
	/* a different SQL order fetches a different set of offers */
	if (cols[col].sql >= 0 || old_sql >= 0)
		return PANE_REFINE | PANE_CHANGED;
	return PANE_CHANGED;
}

void grid_set_hidden(app *a, unsigned hidden)
{
	a->grid->hidden = hidden & ~(1u << GC_SUPPLIER); /* the supplier always shows */
	if (facts_needed(a) && a->grid->nfacts == 0)
		grid_rebuild(a); /* reads the details the new columns show */
}

/* The order columns claim room in, and the least each takes: what a
 * buyer decides on first (the product, its price at the quantity, the
 * MOQ, who sells it), then the rest while it fits. */
static const struct claim {
	int col, min;
} claims[] = {
        {GC_MARK, 1},        {GC_RANK, 3},     {GC_PRODUCT, 20},    {GC_PRICE, 10},
        {GC_MOQ, 7},         {GC_SUPPLIER, 9}, {GC_NEXT, 14},       {GC_COUNTRY, 4},
        {GC_LEAD, 5},        {GC_LANDED, 8},   {GC_RATING, 10},     {GC_VERIFIED, 3},
        {GC_SCORE, 5},       {GC_CERTS, 14},   {GC_HIGHLIGHTS, 26}, {GC_ASSURED, 7},
        {GC_RESPONSE, 8},    {GC_REPLIES, 10}, {GC_ONTIME, 7},      {GC_REORDER, 7},
        {GC_ESTABLISHED, 5},
};

/* Room left over: the title back to its full width, then the supplier's
 * name, then the title again. */
static void plan_spare(int *w, int spare)
{
	int grow;

	grow = col_width(GC_PRODUCT) - w[GC_PRODUCT];
	grow = grow < spare ? grow : spare;
	if (w[GC_PRODUCT] > 0 && grow > 0) {
		w[GC_PRODUCT] += grow;
		spare -= grow;
	}
	grow = col_width(GC_SUPPLIER) - w[GC_SUPPLIER];
	grow = grow < spare ? grow : spare;
	if (w[GC_SUPPLIER] > 0 && grow > 0) {
		w[GC_SUPPLIER] += grow;
		spare -= grow;
	}
	if (w[GC_PRODUCT] > 0)
		w[GC_PRODUCT] += spare;
}

/* Which columns are drawn and how wide, given the window width: claimed
 * in the order above, drawn in the table's order. Sideways scrolling
 * skips the first unfrozen columns. */
static int plan(app *a, int width, int *vis, int *wid)
{
	int w[GC_COUNT] = {0}, skipped[GC_COUNT] = {0}, used = -1, skip = a->grid->hscroll, i,
	    n = 0;
	size_t k;

	for (i = 0; i < GC_COUNT; i++) {
		if (a->grid->hidden & (1u << i))
			skipped[i] = 1;
		else if (!cols[i].frozen && skip > 0) {
			skipped[i] = 1;
			skip--;
		}
	}
	for (k = 0; k < sizeof claims / sizeof claims[0]; k++) {
		int c = claims[k].col, mw = claims[k].min;

		if (skipped[c])
			continue;
		if (c != GC_PRODUCT && c != GC_SUPPLIER)
			mw = col_width(c);
		else if (used + 1 + mw > width && width - used - 1 >= 4)
			mw = width - used - 1; /* a narrow window: what is left */
		if (used + 1 + mw > width)
			continue;
		w[c] = mw;
		used += 1 + mw;
	}
	if (used < width)
		plan_spare(w, width - used);
	for (i = 0; i < GC_COUNT; i++)
		if (w[i] > 0) {
			vis[n] = i;
			wid[n++] = w[i];
		}
	return n;
}

/* No offer shown is better in this column (the field's own direction;
 * unknown values are never best). */
static int is_best(app *a, const match_row *r, int col)
{
	const offer_field *f = field_of(col);
	double v, w;
	offer_ctx c;
	int i;

	if (!cols[col].show_best || f == NULL || a->grid->l.n < 2)
		return 0;
	if (cols[col].detail) {
		if (!fact_number(a, r, col, &v))
			return 0;
		for (i = 0; i < a->grid->l.n; i++)
			if (fact_number(a, a->grid->rows[i], col, &w) &&
			    (f->best == OFFER_BEST_LOWER ? w < v : w > v))
				return 0;
		return 1;
	}
	offer_ctx_init(&c);
	if (!offer_field_number(f, r, &c, &v) || (r->at_moq && f->kind == OFK_MONEY))
		return 0;
	for (i = 0; i < a->grid->l.n; i++)
		if (!(a->grid->rows[i]->at_moq && f->kind == OFK_MONEY) &&
		    offer_field_better(f, a->grid->rows[i], r, &c) < 0)
			return 0;
	return 1;
}

static const char *sort_arrow(const app *a)
{
	if (a->grid->sort_desc)
		return a->utf8 ? "\xe2\x86\x93" : "v"; /* ↓ */
	return a->utf8 ? "\xe2\x86\x91" : "^";         /* ↑ */
}

/* Some row shown is priced at an MOQ above the buyer's quantity. */
static int any_at_moq(const app *a)
{
	int i;

	for (i = 0; i < a->grid->l.n; i++)
		if (a->grid->rows[i]->at_moq)
			return 1;
	return 0;
}

static void draw_title(app *a, WINDOW *w, int width)
{
	char buf[320], n1[32], n2[32], legend[96] = "";
	const char *arrow = sort_arrow(a);

	if (a->have_result && any_at_moq(a))
		snprintf(legend, sizeof legend,
		         "; " GRID_AT_MOQ ": MOQ above your %.0f, priced at it",
		         a->filter.quantity);
	if (!a->have_result)
		snprintf(buf, sizeof buf, " Offers: searching...");
	else
		snprintf(buf, sizeof buf,
		         " Offers %d of %s from %s supplier%s, sorted by %s %s%s%s", a->res.nrows,
		         app_fmt_count(a->res.total, n1, sizeof n1),
		         app_fmt_count(a->res.suppliers, n2, sizeof n2),
		         a->res.suppliers == 1 ? "" : "s", grid_column_name(a->grid->sort_col),
		         arrow, a->nextra ? " (+ similar)" : "", legend);
	app_draw_text(a, w, 0, 0, width, buf, app_attr(a, TH_TITLE));
}

/* A header cell of exactly width columns. The sort column keeps its
 * arrow whatever the width ("Ct…↑"): the name gives way, since the
 * arrow is the only sign of the order. */
static char *header_cell(const app *a, int c, int width)
{
	char name[64], *cut, *label, *cell;
	const char *arrow = sort_arrow(a);
	int aw = text_width(arrow);

	if (c == GC_PRICE)
		snprintf(name, sizeof name, "Price %s", a->have_result ? a->res.currency : "");
	else
		snprintf(name, sizeof name, "%s", col_title(c));
	if (c != a->grid->sort_col || width <= aw)
		return text_pad(c == a->grid->sort_col ? arrow : name, width, col_right(c));
	cut = text_truncate(name, width - aw);
	label = xasprintf("%s%s", cut, arrow);
	cell = text_pad(label, width, col_right(c));
	free(label);
	free(cut);
	return cell;
}

static void draw_header(app *a, WINDOW *w, int width, const int *vis, const int *wid, int n)
{
	int i, x = 0;

	wmove(w, 1, 0);
	wattrset(w, app_attr(a, TH_HEADER));
	for (i = 0; i < width; i++)
		waddch(w, ' ');
	for (i = 0; i < n; i++) {
		char *cell = header_cell(a, vis[i], wid[i]);

		app_draw_text(a, w, 1, x, wid[i], cell, app_attr(a, TH_HEADER));
		free(cell);
		x += wid[i] + 1;
	}
}

static void draw_row(app *a, WINDOW *w, int y, int idx, int width, const int *vis, const int *wid,
                     int n, int focused)
{
	const match_row *r = a->grid->rows[idx];
	int i, x = 0, base = app_attr(a, TH_NORMAL);

	if (idx == a->grid->l.cur)
		base = app_attr(a, focused ? TH_CURSOR : TH_CURSOR_UNFOCUSED);
	else if (app_is_marked(a, r->product_id))
		base = app_attr(a, TH_MARK);
	wmove(w, y, 0);
	wattrset(w, base);
	for (i = 0; i < width; i++)
		waddch(w, ' ');
	for (i = 0; i < n; i++) {
		int c = vis[i], attr = base;
		char *txt = grid_cell(a, r, c, idx + 1);
		char *cell = text_pad(txt, wid[i], col_right(c));

		if (idx != a->grid->l.cur && is_best(a, r, c))
			attr = app_attr(a, TH_BEST);
		else if (idx != a->grid->l.cur && r->at_moq && (c == GC_PRICE || c == GC_MOQ))
			attr = app_attr(a, TH_QUESTION); /* the MOQ and its price stand apart */
		app_draw_text(a, w, y, x, wid[i], cell, attr);
		free(cell);
		free(txt);
		x += wid[i] + 1;
	}
}

static void grid_draw(app *a, void *st, WINDOW *w, int focused)
{
	int h, width, vis[GC_COUNT], wid[GC_COUNT], n, body, i;

	(void)st;
	getmaxyx(w, h, width);
	werase(w);
	if (h < 1 || width < 1)
		return;
	draw_title(a, w, width);
	if (h < 2)
		return;
	n = plan(a, width, vis, wid);
	draw_header(a, w, width, vis, wid, n);
	body = h - 2;
	if (body <= 0)
		return;
	if (a->have_result && a->grid->l.n == 0) {
		app_draw_text(a, w, 2, 1, width - 1, "No offers match these filters.",
		              app_attr(a, TH_NORMAL));
		if (a->res.relax && body > 1) {
			char *s = text_sanitize(a->res.relax, 0);
			char *t = xasprintf("Try: %s", s);

			app_draw_text(a, w, 3, 1, width - 1, t, app_attr(a, TH_QUESTION));
			free(t);
			free(s);
		}
		return;
	}
	list_scroll(&a->grid->l, body);
	for (i = 0; i < body && a->grid->l.top + i < a->grid->l.n; i++)
		draw_row(a, w, 2 + i, a->grid->l.top + i, width, vis, wid, n, focused);
}

static int visible_scrollable(app *a)
{
	int i, n = 0;

	for (i = 0; i < GC_COUNT; i++)
		if (!cols[i].frozen && !(a->grid->hidden & (1u << i)))
			n++;
	return n;
}

static int next_visible_col(app *a, int from, int dir)
{
	int c = from;

	for (;;) {
		c += dir;
		if (c < 0 || c >= GC_COUNT)
			return from;
		if (c != GC_MARK && !(a->grid->hidden & (1u << c)))
			return c;
	}
}

static int contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle), i;

	if (n == 0)
		return 1;
	for (; *hay; hay++) {
		for (i = 0; i < n && hay[i]; i++)
			if (tolower((unsigned char)hay[i]) != tolower((unsigned char)needle[i]))
				break;
		if (i == n)
			return 1;
	}
	return 0;
}

/* A row that mentions the search text in its supplier, product, country
 * or certifications. */
static int row_mentions(int row, void *ctx)
{
	const struct grid *g = ctx;
	const match_row *r = g->rows[row];

	return contains_ci(str(r, GC_SUPPLIER), g->search) ||
	       contains_ci(str(r, GC_PRODUCT), g->search) ||
	       contains_ci(str(r, GC_COUNTRY), g->search) ||
	       contains_ci(str(r, GC_CERTS), g->search);
}

static void search_next(app *a)
{
	struct grid *g = a->grid;
	int k;

	if (g->search == NULL || g->l.n == 0)
		return;
	k = list_search(&g->l, row_mentions, g);
	if (k < 0) {
		app_message(a, "No offer here mentions \"%s\"", g->search);
		return;
	}
	g->l.cur = k;
	g->cur_chosen = 1;
}

void grid_search(app *a, const char *text)
{
	free(a->grid->search);
	a->grid->search = xstrdup(text);
	a->grid->l.cur = a->grid->l.cur > 0 ? a->grid->l.cur - 1 : a->grid->l.n - 1;
	search_next(a);
}

static int page(app *a)
{
	int p = a->lay.grid.h - 3;

	return p > 1 ? p : 1;
}

/* Keys that move the cursor or the columns. */
static int grid_move(app *a, enum action act)
{
	struct grid *g = a->grid;

	g->l.page = page(a);
	if (list_move(&g->l, act)) {
		g->cur_chosen = 1;
		return 1;
	}
	if (act == ACT_RIGHT && g->hscroll < visible_scrollable(a) - 1)
		g->hscroll++;
	else if (act == ACT_LEFT && g->hscroll > 0)
		g->hscroll--;
	return act == ACT_RIGHT || act == ACT_LEFT;
}

static unsigned mark(app *a)
{
	const match_row *r = grid_current(a);

	if (r == NULL)
		return PANE_DONE;
	app_set_mark(a, r, !app_is_marked(a, r->product_id));
	a->grid->cur_chosen = 1;
	if (a->grid->l.cur < a->grid->l.n - 1)
		a->grid->l.cur++;
	return PANE_DONE | PANE_CHANGED;
}

static unsigned grid_key(app *a, void *st, int key, enum action act)
{
	(void)st;
	(void)key;
	if (grid_move(a, act))
		return PANE_DONE;
	switch (act) {
	case ACT_MARK:
		return mark(a);
	case ACT_DETAIL:
		return PANE_DETAIL;
	case ACT_COMPARE:
		return PANE_COMPARE;
	case ACT_SIMILAR:
		return PANE_SIMILAR;
	case ACT_SORT_PREV:
	case ACT_SORT_NEXT:
		return grid_sort_by(a,
		                    next_visible_col(a, a->grid->sort_col,
		                                     act == ACT_SORT_NEXT ? 1 : -1),
		                    a->grid->sort_desc) |
		       PANE_DONE;
	case ACT_REVERSE:
		return grid_sort_by(a, a->grid->sort_col, !a->grid->sort_desc) | PANE_DONE;
	case ACT_COLUMNS:
		return PANE_COLUMNS;
	case ACT_SEARCH:
		app_prompt(a, PROMPT_SEARCH, 0, "Search offers: ", a->grid->search);
		return PANE_DONE;
	case ACT_SEARCH_NEXT:
		search_next(a);
		return PANE_DONE;
	default:
		return PANE_PASS;
	}
}

static void *grid_open(app *a);
static void grid_close(app *a, void *st);

const struct pane pane_grid = {
        .name = "grid",
        .ctx = KC_GRID,
        .open = grid_open,
        .close = grid_close,
        .draw = grid_draw,
        .key = grid_key,
};

static void *grid_open(app *a)
{
	struct grid *g = xcalloc(1, sizeof *g);

	(void)a;
	g->sort_col = GC_RANK;
	g->keep_id = -1;
	g->hidden = optional_columns();
	return g;
}

static void grid_close(app *a, void *st)
{
	struct grid *g = st;

	(void)a;
	facts_free(g);
	free(g->rows);
	free(g->search);
	free(g);
}

int grid_rows(app *a, const match_row *const **rows)
{
	if (rows)
		*rows = a->grid->rows;
	return a->grid->l.n;
}

void grid_put_cursor(app *a, int row)
{
	if (row < 0 || row >= a->grid->l.n)
		return;
	a->grid->l.cur = row;
	a->grid->cur_chosen = 1;
}

void grid_sort(app *a, int *col, int *desc)
{
	*col = a->grid->sort_col;
	*desc = a->grid->sort_desc;
}

unsigned grid_hidden(app *a)
{
	return a->grid->hidden;
}
