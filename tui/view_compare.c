/* view_compare: the marked offers side by side, one column each, the best value per row standing
 * out. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "text.h"

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
		return r->lead_days < 0
		               ? xstrdup("-")
		               : xasprintf("%d day%s", r->lead_days, r->lead_days == 1 ? "" : "s");
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

static void cmp_draw(struct app *a, void *st, WINDOW *w, int focused)
{
	cmp_state *cs = st;
	const match_row *rows;
	int n = app_marked(a, &rows), h, width, lw = 12, cw, fit, row, i;

	(void)focused;
	if (!app_draw_title(a, w,
	                    " Compare marked offers   (Left/Right scroll, Esc closes; best per "
	                    "row stands out)",
	                    &h, &width))
		return;
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
