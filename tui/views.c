/* views: the detail, compare, help, column and list-picker views drawn over the dashboard. */
#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "catalog_info.h"
#include "text.h"

/* ---- pager: scrolling lines, shared by detail and help ---- */

typedef struct pline {
	char *text; /* sanitised */
	int role;   /* enum theme_role */
	int indent;
} pline;

typedef struct pager {
	const char *title;
	pline *l;
	int n, cap, top;
} pager;

static void add(pager *p, int role, int indent, const char *s)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 64;
		p->l = xrealloc(p->l, sizeof *p->l * (size_t)p->cap);
	}
	p->l[p->n].text = text_sanitize(s ? s : "", 0);
	p->l[p->n].role = role;
	p->l[p->n].indent = indent;
	p->n++;
}

static void addf(pager *p, int role, int indent, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));
static void addf(pager *p, int role, int indent, const char *fmt, ...)
{
	va_list ap;
	strbuf b;

	sb_init(&b);
	va_start(ap, fmt);
	sb_vprintf(&b, fmt, ap);
	va_end(ap);
	add(p, role, indent, b.s ? b.s : "");
	sb_free(&b);
}

static void pager_close(struct app *a, void *st)
{
	pager *p = st;
	int i;

	(void)a;
	for (i = 0; i < p->n; i++)
		free(p->l[i].text);
	free(p->l);
	free(p);
}

static void pager_draw(struct app *a, void *st, WINDOW *w)
{
	pager *p = st;
	int h, width, i, y;

	getmaxyx(w, h, width);
	werase(w);
	if (h < 1 || width < 1)
		return;
	app_draw_text(a, w, 0, 0, width, p->title, app_attr(a, TH_TITLE));
	if (p->top > p->n - (h - 1))
		p->top = p->n - (h - 1);
	if (p->top < 0)
		p->top = 0;
	for (i = p->top, y = 1; i < p->n && y < h; i++, y++)
		app_draw_text(a, w, y, 1 + p->l[i].indent, width - 1 - p->l[i].indent, p->l[i].text,
		              app_attr(a, p->l[i].role));
}

static int pager_key(struct app *a, void *st, int key)
{
	pager *p = st;
	int page = a->lay.view.h - 2 > 1 ? a->lay.view.h - 2 : 1;

	switch (key) {
	case 'j':
	case VIEW_KEY(KEY_DOWN):
		p->top++;
		return VIEW_KEY_DONE;
	case 'k':
	case VIEW_KEY(KEY_UP):
		if (p->top > 0)
			p->top--;
		return VIEW_KEY_DONE;
	case ' ':
	case VIEW_KEY(KEY_NPAGE):
		p->top += page;
		return VIEW_KEY_DONE;
	case VIEW_KEY(KEY_PPAGE):
		p->top = p->top > page ? p->top - page : 0;
		return VIEW_KEY_DONE;
	case 'g':
	case VIEW_KEY(KEY_HOME):
		p->top = 0;
		return VIEW_KEY_DONE;
	case 'q':
	case VIEW_ESC:
	case '\r':
	case '\n':
	case VIEW_KEY(KEY_ENTER):
	case VIEW_KEY(KEY_BACKSPACE):
		return VIEW_KEY_CLOSE;
	default:
		return VIEW_KEY_PASS;
	}
}

/* ---- detail ---- */

/* The offer's own fields: description, attributes, shipping, samples. */
static void detail_product(pager *p, const offer_detail *d)
{
	int i;

	if (*d->description) {
		add(p, TH_TITLE, 0, "Product");
		add(p, TH_NORMAL, 2, d->description);
	}
	add(p, TH_TITLE, 0, "Attributes");
	for (i = 0; i < d->nattrs; i++)
		addf(p, TH_NORMAL, 2, "%-16s %s", d->attrs[i].key, d->attrs[i].value);
	if (d->weight_kg >= 0)
		addf(p, TH_NORMAL, 2, "%-16s %.3f kg", "weight", d->weight_kg);
	if (d->volume_m3 >= 0)
		addf(p, TH_NORMAL, 2, "%-16s %.4f m3", "volume", d->volume_m3);
	if (*d->incoterm)
		addf(p, TH_NORMAL, 2, "%-16s %s%s%s", "incoterm", d->incoterm, *d->port ? " " : "",
		     d->port);
	if (d->samples && d->sample_price >= 0 && *d->currency)
		addf(p, TH_NORMAL, 2, "%-16s yes (%.2f %s)", "samples", d->sample_price,
		     d->currency);
	else
		addf(p, TH_NORMAL, 2, "%-16s %s", "samples", d->samples ? "yes" : "no");
	if (*d->customization)
		addf(p, TH_NORMAL, 2, "%-16s %s", "customisation", d->customization);
}

/* Price, freight and duty as the estimate adds them up (money_landed):
 * DDP is landed already, CIF includes freight, EXW/FOB pay both. */
static void detail_landed(struct app *a, pager *p, const match_row *r, const offer_detail *d)
{
	const souk_filter *f = &a->filter;
	const char *cur = a->res.currency, *inc = d->incoterm ? d->incoterm : "";
	money_tables *money = a->mctx ? match_money(a->mctx) : NULL;
	double freight = -1, rate = -1, fusd;
	souk_err e;

	add(p, TH_TITLE, 0, "Landed cost (estimate, per unit)");
	if (f->market == NULL) {
		add(p, TH_DIM, 2,
		    "Say where the goods go (\"for the US\") or set Market to estimate it.");
		return;
	}
	addf(p, TH_NORMAL, 2, "%-16s %10.2f %s", "unit price", r->price, cur);
	if (r->landed < 0) {
		add(p, TH_DIM, 2, "not enough data (weight, volume or route) to estimate");
		return;
	}
	if (money) {
		rate = money_duty_rate(money, r->category ? r->category : "", f->market);
		fusd = money_freight_usd(money, r->country ? r->country : "", f->market,
		                         d->weight_kg, d->volume_m3);
		if (fusd >= 0 && money_convert(money, fusd, "USD", cur, &freight, &e) < 0)
			freight = -1;
	}
	if (util_strieq(inc, "DDP")) {
		add(p, TH_DIM, 4, "DDP: the supplier's price includes freight and duty");
	} else if (freight >= 0 && !util_strieq(inc, "CIF")) {
		addf(p, TH_NORMAL, 2, "%-16s %10.2f %s", "freight", freight, cur);
		addf(p, TH_NORMAL, 2, "%-16s %10.2f %s", "duty", r->landed - r->price - freight,
		     cur);
	} else {
		addf(p, TH_NORMAL, 2, "%-16s %10.2f %s",
		     util_strieq(inc, "CIF") ? "duty" : "freight + duty", r->landed - r->price,
		     cur);
	}
	if (rate >= 0 && !util_strieq(inc, "DDP"))
		addf(p, TH_DIM, 4, "%s%sduty rate into %s about %.1f%%", inc[0] ? inc : "",
		     inc[0] ? " terms; " : "", f->market, rate * 100);
	addf(p, TH_BEST, 2, "%-16s %10.2f %s", "landed", r->landed, cur);
}

static void split_lines(pager *p, const char *s, int role)
{
	char *t = xstrdup(s ? s : ""), *tok, *save = NULL;

	for (tok = strtok_r(t, ";", &save); tok; tok = strtok_r(NULL, ";", &save)) {
		while (*tok == ' ')
			tok++;
		if (*tok)
			addf(p, role, 2, "- %s", tok);
	}
	free(t);
}

/* Appends part to a ", "-separated list, skipping what is unknown. */
static void join_known(strbuf *b, const char *part)
{
	if (part == NULL || *part == '\0')
		return;
	if (b->len)
		sb_add(b, ", ");
	sb_add(b, part);
}

/* "Xiamen, CN, manufacturer, 12 years in business", leaving out what the
 * catalog does not know (imports often lack the city or the year). */
static void detail_supplier_facts(pager *p, const match_row *r)
{
	strbuf b;
	char years[48] = "";

	if (r->years == 0)
		snprintf(years, sizeof years, "under a year in business");
	else if (r->years > 0)
		snprintf(years, sizeof years, "%d year%s in business", r->years,
		         r->years == 1 ? "" : "s");
	sb_init(&b);
	join_known(&b, r->city);
	join_known(&b, r->country);
	join_known(&b, r->business_type);
	join_known(&b, years);
	if (b.len)
		add(p, TH_NORMAL, 2, b.s);
	sb_free(&b);
}

static void *detail_open(struct app *a)
{
	const match_row *r = grid_current(a);
	pager *p = xcalloc(1, sizeof *p);
	match_tier *tiers = NULL;
	offer_detail d;
	int n = 0, i;
	souk_err e;

	memset(&d, 0, sizeof d);
	d.weight_kg = d.volume_m3 = -1;
	p->title = " Offer details   (Esc closes, arrows scroll)";
	if (r == NULL)
		return p;
	add(p, TH_TITLE, 0, r->title);
	{
		char *cat = a->mctx ? catalog_info_category(a->mctx, r->category) : NULL;

		if (cat)
			addf(p, TH_DIM, 2, "Category: %s", cat);
		free(cat);
	}
	if (r->similar_to)
		add(p, TH_QUESTION, 2, r->similar_to);
	add(p, TH_TITLE, 0, "Price");
	addf(p, TH_NORMAL, 2, "%.2f %s per unit at your quantity (%.2f %s as offered)", r->price,
	     a->res.currency, r->price_orig, r->currency_orig);
	{
		const char *unit = r->moq_unit && *r->moq_unit ? r->moq_unit : NULL;

		if (r->lead_days >= 0)
			addf(p, TH_NORMAL, 2, "MOQ %ld%s%s, lead time %d days", r->moq,
			     unit ? " " : "", unit ? unit : "", r->lead_days);
		else
			addf(p, TH_NORMAL, 2, "MOQ %ld%s%s, lead time unknown", r->moq,
			     unit ? " " : "", unit ? unit : "");
	}
	if (a->mctx && match_tiers(a->mctx, r->product_id, a->res.currency, &tiers, &n, &e) == 0) {
		for (i = 0; i < n; i++)
			addf(p, TH_NORMAL, 4, "from %6ld  %10.2f %s", tiers[i].min_qty,
			     tiers[i].price, a->res.currency);
		free(tiers);
	}
	add(p, TH_TITLE, 0, "Supplier");
	addf(p, TH_NORMAL, 2, "%s", r->supplier);
	detail_supplier_facts(p, r);
	if (r->rating > 0)
		addf(p, TH_NORMAL, 2, "rated %.1f from %d reviews%s", r->rating, r->reviews,
		     r->verified ? ", verified" : "");
	else
		addf(p, TH_NORMAL, 2, "no ratings yet%s", r->verified ? ", verified" : "");
	if (r->certs && *r->certs)
		addf(p, TH_NORMAL, 2, "certifications: %s", r->certs);
	if (a->mctx && catalog_info_offer(a->mctx, r->product_id, &d, &e) == 0)
		detail_product(p, &d);
	addf(p, TH_TITLE, 0, "Why it scores %.0f", r->score);
	split_lines(p, r->reasons, TH_NORMAL);
	if (r->highlights && *r->highlights) {
		add(p, TH_TITLE, 0, "Stands out");
		split_lines(p, r->highlights, TH_BEST);
	}
	detail_landed(a, p, r, &d);
	offer_detail_free(&d);
	return p;
}

const struct view view_detail = {
        .name = "detail",
        .help = "details of the offer under the cursor",
        .open = detail_open,
        .close = pager_close,
        .draw = pager_draw,
        .key = pager_key,
};

/* ---- help ---- */

static const char *ctx_name(enum key_ctx c)
{
	switch (c) {
	case KC_ALL:
		return "Everywhere";
	case KC_GRID:
		return "Grid";
	case KC_CHAT:
		return "Chat input";
	case KC_SIDEBAR:
		return "Filter sidebar";
	default:
		return "Views";
	}
}

static void *help_open(struct app *a)
{
	pager *p = xcalloc(1, sizeof *p);
	int i, last = -1;

	p->title = " Help   (Esc closes)";
	for (i = 0; i < keys_count; i++) {
		if ((int)keys_table[i].ctx != last) {
			add(p, TH_TITLE, 0, ctx_name(keys_table[i].ctx));
			last = (int)keys_table[i].ctx;
		}
		addf(p, TH_NORMAL, 2, "%-26s %s", keys_table[i].keys, keys_table[i].what);
	}
	if (&view_shortlist != NULL && view_shortlist.hotkey)
		addf(p, TH_NORMAL, 2, "%-26c %s", view_shortlist.hotkey,
		     view_shortlist.help ? view_shortlist.help : "shortlist");
	add(p, TH_TITLE, 0, "Commands (type in the chat)");
	for (i = 0; i < commands_count; i++)
		addf(p, TH_NORMAL, 2, "%-12s %s", commands_table[i], commands_help[i]);
	add(p, TH_TITLE, 0, "Talking to souk");
	add(p, TH_NORMAL, 2,
	    "Say what you need: \"pickleball paddles for the US under $8, MOQ below 500\".");
	add(p, TH_NORMAL, 2,
	    "Refine with more turns: \"only verified\", \"cheaper\", \"more like #3\".");
	(void)a;
	return p;
}

const struct view view_help = {
        .name = "help",
        .help = "keys and commands",
        .open = help_open,
        .close = pager_close,
        .draw = pager_draw,
        .key = pager_key,
};

/* ---- compare: one column per marked offer, one row per attribute ---- */

enum cmp_row {
	CR_SUPPLIER,
	CR_COUNTRY,
	CR_PRODUCT,
	CR_PRICE,
	CR_NEXT,
	CR_MOQ,
	CR_LEAD,
	CR_LANDED,
	CR_RATING,
	CR_VERIFIED,
	CR_YEARS,
	CR_CERTS,
	CR_HIGHLIGHTS,
	CR_SCORE,
	CR_COUNT
};

static const char *const cmp_names[CR_COUNT] = {
        "Supplier", "Country", "Product",  "Price", "Next break", "MOQ",        "Lead time",
        "Landed",   "Rating",  "Verified", "Years", "Certs",      "Highlights", "Score",
};

typedef struct cmp_state {
	int left; /* first offer shown */
} cmp_state;

static double cmp_num(const match_row *r, int row, int *dir)
{
	*dir = 0;
	switch (row) {
	case CR_PRICE:
		*dir = -1;
		return r->price;
	case CR_MOQ:
		*dir = -1;
		return (double)r->moq;
	case CR_LEAD:
		*dir = r->lead_days >= 0 ? -1 : 0;
		return r->lead_days;
	case CR_LANDED:
		*dir = r->landed >= 0 ? -1 : 0;
		return r->landed;
	case CR_RATING:
		*dir = r->rating > 0 ? 1 : 0;
		return r->rating;
	case CR_YEARS:
		*dir = r->years >= 0 ? 1 : 0;
		return r->years;
	case CR_SCORE:
		*dir = 1;
		return r->score;
	default:
		return 0;
	}
}

static char *cmp_cell(struct app *a, const match_row *r, int row)
{
	switch (row) {
	case CR_SUPPLIER:
		return text_sanitize(r->supplier ? r->supplier : "", 0);
	case CR_COUNTRY:
		return text_sanitize(r->country ? r->country : "", 0);
	case CR_PRODUCT:
		return text_sanitize(r->title ? r->title : "", 0);
	case CR_PRICE:
		return xasprintf("%.2f %s", r->price, a->res.currency);
	case CR_NEXT:
		return r->next_break_qty < 0
		               ? xstrdup("-")
		               : xasprintf("%.2f from %ld", r->next_break_price, r->next_break_qty);
	case CR_MOQ:
		return xasprintf("%ld", r->moq);
	case CR_LEAD:
		return r->lead_days < 0 ? xstrdup("-") : xasprintf("%d days", r->lead_days);
	case CR_LANDED:
		return r->landed < 0 ? xstrdup("-") : xasprintf("%.2f", r->landed);
	case CR_RATING:
		return r->rating <= 0 ? xstrdup("-")
		                      : xasprintf("%.1f (%d)", r->rating, r->reviews);
	case CR_VERIFIED:
		return xstrdup(r->verified ? "yes" : "no");
	case CR_YEARS:
		return r->years < 0 ? xstrdup("-") : xasprintf("%d", r->years);
	case CR_CERTS:
		return text_sanitize(r->certs ? r->certs : "", 0);
	case CR_HIGHLIGHTS:
		return text_sanitize(r->highlights ? r->highlights : "", 0);
	default:
		return xasprintf("%.0f", r->score);
	}
}

static void *cmp_open(struct app *a)
{
	(void)a;
	return xcalloc(1, sizeof(cmp_state));
}

static void cmp_close(struct app *a, void *st)
{
	(void)a;
	free(st);
}

static void cmp_draw(struct app *a, void *st, WINDOW *w)
{
	cmp_state *cs = st;
	const match_row *rows;
	int n = app_marked(a, &rows), h, width, lw = 12, cw, fit, row, i;

	getmaxyx(w, h, width);
	werase(w);
	if (h < 1 || width < 1)
		return;
	app_draw_text(
	        a, w, 0, 0, width,
	        " Compare marked offers   (Left/Right scroll, Esc closes; best per row stands out)",
	        app_attr(a, TH_TITLE));
	if (n == 0) {
		app_draw_text(a, w, 2, 1, width - 1, "Mark offers with Space in the grid first.",
		              app_attr(a, TH_NORMAL));
		return;
	}
	cw = (width - lw) / n;
	if (cw > 30)
		cw = 30;
	if (cw < 14)
		cw = 14;
	fit = (width - lw) / (cw + 1);
	if (fit < 1)
		fit = 1;
	if (cs->left > n - fit)
		cs->left = n - fit > 0 ? n - fit : 0;
	for (row = 0; row < CR_COUNT && row + 1 < h; row++) {
		int dir, best = -1;
		double bv = 0;

		app_draw_text(a, w, row + 1, 0, lw, cmp_names[row], app_attr(a, TH_HEADER));
		for (i = 0; i < n; i++) {
			double v = cmp_num(&rows[i], row, &dir);

			if (dir != 0 && (best < 0 || (dir < 0 ? v < bv : v > bv))) {
				best = i;
				bv = v;
			}
		}
		for (i = cs->left; i < n && i < cs->left + fit; i++) {
			char *c = cmp_cell(a, &rows[i], row);
			int x = lw + 1 + (i - cs->left) * (cw + 1), dir2;
			int isbest =
			        n > 1 && best >= 0 && cmp_num(&rows[i], row, &dir2) == bv && dir2;

			app_draw_text(a, w, row + 1, x, cw, c,
			              app_attr(a, isbest ? TH_BEST : TH_NORMAL));
			free(c);
		}
	}
}

static int cmp_key(struct app *a, void *st, int key)
{
	cmp_state *cs = st;

	(void)a;
	switch (key) {
	case 'l':
	case VIEW_KEY(KEY_RIGHT):
		cs->left++;
		return VIEW_KEY_DONE;
	case 'h':
	case VIEW_KEY(KEY_LEFT):
		if (cs->left > 0)
			cs->left--;
		return VIEW_KEY_DONE;
	case 'q':
	case VIEW_ESC:
	case 'c':
	case '\r':
	case '\n':
		return VIEW_KEY_CLOSE;
	default:
		return VIEW_KEY_PASS;
	}
}

const struct view view_compare = {
        .name = "compare",
        .help = "marked offers side by side",
        .open = cmp_open,
        .close = cmp_close,
        .draw = cmp_draw,
        .key = cmp_key,
};

/* ---- checklists: the column chooser and the list-filter picker ---- */

typedef struct check_item {
	char *label;
	long count; /* -1: none */
	int on;
	int id;
} check_item;

typedef struct checklist {
	const char *title;
	check_item *it;
	int n, cur, top;
	int field; /* the picker's filter field */
} checklist;

static void check_add(checklist *c, const char *label, long count, int on, int id)
{
	int i;

	for (i = 0; i < c->n; i++)
		if (util_strieq(c->it[i].label, label))
			return;
	c->it = xrealloc(c->it, sizeof *c->it * (size_t)(c->n + 1));
	c->it[c->n].label = text_sanitize(label, 0);
	c->it[c->n].count = count;
	c->it[c->n].on = on;
	c->it[c->n].id = id;
	c->n++;
}

static void check_close(struct app *a, void *st)
{
	checklist *c = st;
	int i;

	(void)a;
	for (i = 0; i < c->n; i++)
		free(c->it[i].label);
	free(c->it);
	free(c);
}

static void check_draw(struct app *a, void *st, WINDOW *w)
{
	checklist *c = st;
	int h, width, i, y;

	getmaxyx(w, h, width);
	werase(w);
	if (h < 1 || width < 1)
		return;
	app_draw_text(a, w, 0, 0, width, c->title, app_attr(a, TH_TITLE));
	if (c->cur < c->top)
		c->top = c->cur;
	if (h > 1 && c->cur >= c->top + h - 1)
		c->top = c->cur - (h - 2);
	for (i = c->top, y = 1; i < c->n && y < h; i++, y++) {
		char *s = c->it[i].count >= 0
		                  ? xasprintf("[%c] %-20s %6ld", c->it[i].on ? 'x' : ' ',
		                              c->it[i].label, c->it[i].count)
		                  : xasprintf("[%c] %s", c->it[i].on ? 'x' : ' ', c->it[i].label);

		app_draw_text(a, w, y, 1, width - 1, s,
		              app_attr(a, i == c->cur ? TH_CURSOR : TH_NORMAL));
		free(s);
	}
}

static int check_move(checklist *c, int key)
{
	switch (key) {
	case 'j':
	case VIEW_KEY(KEY_DOWN):
		if (c->cur < c->n - 1)
			c->cur++;
		return 1;
	case 'k':
	case VIEW_KEY(KEY_UP):
		if (c->cur > 0)
			c->cur--;
		return 1;
	case ' ':
		if (c->n > 0)
			c->it[c->cur].on = !c->it[c->cur].on;
		return 1;
	default:
		return 0;
	}
}

static void *columns_open(struct app *a)
{
	checklist *c = xcalloc(1, sizeof *c);
	int i;

	c->title = " Columns: Space shows/hides, Enter sorts by it, r reverses, Esc closes";
	for (i = 1; i < grid_column_count(); i++) {
		check_add(c, grid_column_name(i), -1, !(a->hidden & (1u << i)), i);
		if (i == a->sort_col)
			c->cur = c->n - 1;
	}
	return c;
}

static int columns_key(struct app *a, void *st, int key)
{
	checklist *c = st;
	int i;

	if (check_move(c, key)) {
		a->hidden = 0;
		for (i = 0; i < c->n; i++)
			if (!c->it[i].on && c->it[i].id != 2) /* the supplier always shows */
				a->hidden |= 1u << c->it[i].id;
		return VIEW_KEY_DONE;
	}
	switch (key) {
	case '\r':
	case '\n':
	case VIEW_KEY(KEY_ENTER):
		if (c->n > 0)
			grid_sort_by(a, c->it[c->cur].id, a->sort_desc);
		return VIEW_KEY_CLOSE;
	case 'r':
		grid_sort_by(a, a->sort_col, !a->sort_desc);
		return VIEW_KEY_DONE;
	case 'q':
	case VIEW_ESC:
		return VIEW_KEY_CLOSE;
	default:
		return VIEW_KEY_PASS;
	}
}

const struct view view_columns = {
        .name = "columns",
        .help = "choose the sort column, show and hide columns",
        .open = columns_open,
        .close = check_close,
        .draw = check_draw,
        .key = columns_key,
};

static strlist *picker_list(souk_filter *f, int field)
{
	if (field == FF_SUPPLIER_COUNTRIES)
		return &f->supplier_countries;
	if (field == FF_EXCLUDE_COUNTRIES)
		return &f->exclude_countries;
	return &f->certifications;
}

static void *picker_open(struct app *a)
{
	checklist *c = xcalloc(1, sizeof *c);
	souk_filter *f = &a->filter;
	strlist *cur = picker_list(f, a->picker_field);
	const match_count *fc =
	        a->picker_field == FF_CERTIFICATIONS ? a->res.certs : a->res.countries;
	int nfc = !a->have_result                        ? 0
	          : a->picker_field == FF_CERTIFICATIONS ? a->res.ncerts
	                                                 : a->res.ncountries;
	int i;

	c->field = a->picker_field;
	c->title =
	        " Pick: Space toggles, Enter applies, Esc cancels (counts in the current results)";
	for (i = 0; i < cur->n; i++)
		check_add(c, cur->v[i], -1, 1, i);
	for (i = 0; i < nfc; i++) {
		int k;

		for (k = 0; k < c->n; k++)
			if (util_strieq(c->it[k].label, fc[i].value ? fc[i].value : ""))
				c->it[k].count = fc[i].count;
		if (fc[i].value)
			check_add(c, fc[i].value, fc[i].count, 0, i);
	}
	return c;
}

static void picker_apply(struct app *a, checklist *c)
{
	filter_delta d;
	int i;

	filter_delta_init(&d);
	d.set = 1u << c->field;
	for (i = 0; i < c->n; i++)
		if (c->it[i].on)
			strlist_add(picker_list(&d.f, c->field), c->it[i].label);
	app_dialog_edit(a, &d); /* takes d */
}

static int picker_key(struct app *a, void *st, int key)
{
	checklist *c = st;

	if (check_move(c, key))
		return VIEW_KEY_DONE;
	switch (key) {
	case '\r':
	case '\n':
	case VIEW_KEY(KEY_ENTER):
		picker_apply(a, c);
		return VIEW_KEY_CLOSE;
	case 'q':
	case VIEW_ESC:
		return VIEW_KEY_CLOSE;
	default:
		return VIEW_KEY_PASS;
	}
}

const struct view view_picker = {
        .name = "picker",
        .help = "pick values for a list filter",
        .open = picker_open,
        .close = check_close,
        .draw = check_draw,
        .key = picker_key,
};
