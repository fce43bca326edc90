/* view_compare: the marked offers side by side, one column each, the best value per row standing
 * out. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "catalog_info.h"
#include "offer.h"
#include "text.h"

/* The row's fields, in the order buyers compare them (offer_fields[]). */
static const char *const row_keys[] = {
        "supplier",   "country", "business_type",  "title",       "price",
        "next_break", "moq",     "lead_time_days", "landed_cost", "rating",
        "verified",   "years",   "certifications", "highlights",  "score",
};

typedef struct cmp_cell {
	char *text; /* sanitised */
	double v;   /* for the best value */
	int known;  /* v means something */
} cmp_cell;

typedef struct cmp_row {
	const char *label;
	enum offer_best best;
	cmp_cell *cells; /* one per marked offer */
} cmp_row;

typedef struct cmp_state {
	int left, top; /* first offer and first row shown */
	int n, nrows;
	cmp_row *rows;
} cmp_state;

static cmp_row *add_row(cmp_state *cs, const char *label, enum offer_best best)
{
	cmp_row *r;

	cs->rows = xrealloc(cs->rows, sizeof *cs->rows * (size_t)(cs->nrows + 1));
	r = &cs->rows[cs->nrows++];
	r->label = label;
	r->best = best;
	r->cells = xcalloc((size_t)cs->n + 1, sizeof *r->cells);
	return r;
}

static void set_cell(cmp_cell *c, char *raw, int known, double v)
{
	c->text = text_sanitize(raw ? raw : "", 0);
	c->known = known;
	c->v = v;
	free(raw);
}

/* The fields every row has: values as the grid formats them, money with
 * its currency. */
static void rows_from_offers(cmp_state *cs, const match_row *marks, const offer_ctx *c)
{
	size_t k;
	int i;

	for (k = 0; k < sizeof row_keys / sizeof row_keys[0]; k++) {
		const offer_field *f = offer_field_by_key(row_keys[k]);
		cmp_row *r;

		if (f == NULL)
			continue;
		r = add_row(cs, f->name, f->best);
		for (i = 0; i < cs->n; i++) {
			double v = 0;
			int known = offer_field_number(f, &marks[i], c, &v);
			char *t = offer_field_format(f, &marks[i], c);

			if (f->kind == OFK_MONEY && known) {
				char *m = xasprintf("%s %s", t, c->currency);

				free(t);
				t = m;
			}
			set_cell(&r->cells[i], t, known, v);
		}
	}
}

/* The fields of the detail view (offer_detail_fields[]) beyond the
 * description and the attributes, the supplier's record included, read
 * from the catalog; what it does not know is "not listed". */
static void rows_from_details(cmp_state *cs, struct app *a, const match_row *marks)
{
	offer_detail *d = xcalloc((size_t)cs->n + 1, sizeof *d);
	int64_t *ids = xcalloc((size_t)cs->n + 1, sizeof *ids);
	souk_err e;
	int i, k;

	for (i = 0; i < cs->n; i++)
		ids[i] = marks[i].product_id;
	if (app_match(a) == NULL || catalog_info_offers(app_match(a), ids, cs->n, d, &e) < 0)
		for (i = 0; i < cs->n; i++) {
			offer_detail_free(&d[i]);
			offer_detail_init(&d[i]); /* every field unknown */
		}
	for (k = 0; k < offer_detail_field_count; k++) {
		const offer_field *f = &offer_detail_fields[k];
		cmp_row *r;

		if (strcmp(f->key, "description") == 0 || strcmp(f->key, "attributes") == 0)
			continue;
		r = add_row(cs, f->name, f->best);
		for (i = 0; i < cs->n; i++) {
			double v = 0;
			int known = offer_detail_number(f, &d[i], &v);

			set_cell(&r->cells[i], detail_field_text(f, &d[i]), known, v);
		}
	}
	for (i = 0; i < cs->n; i++)
		offer_detail_free(&d[i]);
	free(d);
	free(ids);
}

static void *cmp_open(struct app *a)
{
	cmp_state *cs = xcalloc(1, sizeof *cs);
	const match_row *marks;
	const match_result *res = app_result(a);
	offer_ctx c;

	cs->n = app_marked(a, &marks);
	offer_ctx_init(&c);
	c.currency = res ? res->currency : "USD";
	c.ref = a->cfg->ref;
	rows_from_offers(cs, marks, &c);
	rows_from_details(cs, a, marks);
	return cs;
}

static void cmp_close(struct app *a, void *st)
{
	cmp_state *cs = st;
	int r, i;

	(void)a;
	for (r = 0; r < cs->nrows; r++) {
		for (i = 0; i < cs->n; i++)
			free(cs->rows[r].cells[i].text);
		free(cs->rows[r].cells);
	}
	free(cs->rows);
	free(cs);
}

/* The best value of a row, or -1 when the row has no order or no two
 * offers to tell apart. */
static int best_of(const cmp_state *cs, const cmp_row *r, double *bv)
{
	int i, found = 0;

	if (r->best == OFFER_BEST_NONE || cs->n < 2)
		return -1;
	for (i = 0; i < cs->n; i++) {
		const cmp_cell *c = &r->cells[i];

		if (!c->known)
			continue;
		if (!found || (r->best == OFFER_BEST_LOWER ? c->v < *bv : c->v > *bv))
			*bv = c->v;
		found = 1;
	}
	return found ? 0 : -1;
}

static void draw_row(struct app *a, const cmp_state *cs, const cmp_row *r, WINDOW *w, int y, int lw,
                     int cw, int fit)
{
	double bv = 0;
	int has_best = best_of(cs, r, &bv) == 0, i;

	app_draw_text(a, w, y, 0, lw, r->label, app_attr(a, TH_HEADER));
	for (i = cs->left; i < cs->n && i < cs->left + fit; i++) {
		const cmp_cell *c = &r->cells[i];
		int best = has_best && c->known && c->v == bv;

		app_draw_text(a, w, y, lw + 1 + (i - cs->left) * (cw + 1), cw, c->text,
		              app_attr(a, best ? TH_BEST : TH_NORMAL));
	}
}

static void cmp_draw(struct app *a, void *st, WINDOW *w, int focused)
{
	cmp_state *cs = st;
	int h, width, lw = 17, cw, fit, row;

	(void)focused;
	if (!app_draw_title(a, w,
	                    " Compare marked offers   (arrows scroll, Esc closes; best per row "
	                    "stands out)",
	                    &h, &width))
		return;
	if (cs->n == 0) {
		app_draw_text(a, w, 2, 1, width - 1, "Mark offers with Space in the grid first.",
		              app_attr(a, TH_NORMAL));
		return;
	}
	/* wide terminals give each offer more room, titles first to gain */
	cw = (width - lw) / cs->n - 1;
	cw = cw > 60 ? 60 : cw < 14 ? 14 : cw;
	fit = (width - lw) / (cw + 1);
	if (fit < 1)
		fit = 1;
	if (cs->left > cs->n - fit)
		cs->left = cs->n - fit > 0 ? cs->n - fit : 0;
	if (cs->top > cs->nrows - (h - 1))
		cs->top = cs->nrows - (h - 1) > 0 ? cs->nrows - (h - 1) : 0;
	for (row = cs->top; row < cs->nrows && row - cs->top + 1 < h; row++)
		draw_row(a, cs, &cs->rows[row], w, row - cs->top + 1, lw, cw, fit);
}

static unsigned cmp_key(struct app *a, void *st, int key, enum action act)
{
	cmp_state *cs = st;

	(void)a;
	(void)key;
	switch (act) {
	case ACT_RIGHT:
		cs->left++;
		return PANE_DONE;
	case ACT_LEFT:
		if (cs->left > 0)
			cs->left--;
		return PANE_DONE;
	case ACT_DOWN:
		cs->top++;
		return PANE_DONE;
	case ACT_UP:
		if (cs->top > 0)
			cs->top--;
		return PANE_DONE;
	case ACT_CLOSE:
		return PANE_CLOSE;
	default:
		return PANE_PASS;
	}
}

const struct pane view_compare = {
        .name = "compare",
        .ctx = KC_COMPARE,
        .help = "marked offers side by side",
        .open = cmp_open,
        .close = cmp_close,
        .draw = cmp_draw,
        .key = cmp_key,
};
