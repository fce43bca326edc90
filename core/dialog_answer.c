/* dialog_answer: questions about the current results ("which is cheapest?") answered in one line
 * that names the offer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dialog_answer.h"
#include "offer.h"
#include "text.h"

/* How far down the best-first order a row number is looked for: the grid
 * loads this many rows at first. */
#define ANSWER_ROWS 200

/* One line per enum intent_best, in its order. */
static const struct answer_def {
	const char *title; /* how the answer starts */
	enum match_sort sort;
	int descending;
	const char *field; /* the offer field the answer quotes */
	const char *none;  /* when no offer has a value for it */
} defs[INTENT_BEST_COUNT] = {
        {"Cheapest", MATCH_SORT_PRICE, 0, "price", "no offer has a price"},
        {"Ships fastest", MATCH_SORT_LEAD, 0, "lead_time_days", "no offer states a lead time"},
        {"Best rated", MATCH_SORT_RATING, 1, "rating", "no supplier has a rating yet"},
        {"Lowest MOQ", MATCH_SORT_MOQ, 0, "moq", "no offer states an MOQ"},
        {"Lowest landed cost", MATCH_SORT_LANDED, 0, "landed_cost",
         "landed costs need a market (say where you sell)"},
};

/* The 1-based place of the product in the best-first order, 0 when it is
 * not among the first ANSWER_ROWS. */
static int best_first_row(match_ctx *m, const souk_filter *f, int64_t id, souk_err *e)
{
	match_opts o;
	match_result r;
	int row = 0;

	match_opts_init(&o);
	o.limit = ANSWER_ROWS;
	if (match_run(m, f, &o, &r, e) < 0)
		return -1;
	for (int i = 0; i < r.nrows && !row; i++)
		if (r.rows[i].product_id == id)
			row = i + 1;
	match_result_free(&r);
	return row;
}

/* "0.40 USD a unit at 500 pcs", "ships in 8 days", "4.9 from 163 reviews". */
static void quote_value(const struct answer_def *d, const match_row *row, const souk_filter *f,
                        const char *currency, const souk_ref *ref, strbuf *out)
{
	const offer_field *of = offer_field_by_key(d->field);
	offer_ctx c;
	char *v;

	offer_ctx_init(&c);
	c.currency = currency;
	c.quantity = f->quantity;
	c.ref = ref;
	v = offer_field_format(of, row, &c);
	if (d->sort == MATCH_SORT_PRICE || d->sort == MATCH_SORT_LANDED) {
		sb_printf(out, "%s %s a unit", v, currency);
		if (row->at_moq)
			sb_printf(out, " at its MOQ of %ld", row->moq);
		else if (f->quantity > 0)
			sb_printf(out, " at %.0f pcs", f->quantity);
		if (d->sort == MATCH_SORT_LANDED)
			sb_add(out, " landed");
	} else if (d->sort == MATCH_SORT_LEAD) {
		sb_printf(out, "ships in %d day%s", row->lead_days, row->lead_days == 1 ? "" : "s");
	} else if (d->sort == MATCH_SORT_RATING) {
		sb_printf(out, "%s from %d review%s", v, row->reviews,
		          row->reviews == 1 ? "" : "s");
	} else {
		sb_printf(out, "MOQ %ld", row->moq);
	}
	free(v);
}

static int has_value(const struct answer_def *d, const match_row *row)
{
	switch (d->sort) {
	case MATCH_SORT_LEAD:
		return row->lead_days > 0;
	case MATCH_SORT_RATING:
		return row->rating > 0;
	case MATCH_SORT_LANDED:
		return row->landed >= 0;
	case MATCH_SORT_MOQ:
		return row->moq > 0;
	default:
		return row->price > 0;
	}
}

int dialog_answer_best(match_ctx *m, const souk_filter *f, int kind, strbuf *out, souk_err *e)
{
	const struct answer_def *d;
	match_opts o;
	match_result r;
	int row;

	if (kind < 0 || kind >= INTENT_BEST_COUNT)
		return 0;
	d = &defs[kind];
	match_opts_init(&o);
	o.limit = 1;
	o.sort = d->sort;
	o.descending = d->descending;
	if (match_run(m, f, &o, &r, e) < 0)
		return -1;
	if (r.nrows == 0) {
		sb_add(out, "Nothing matches now, so there is nothing to compare.");
		match_result_free(&r);
		return 0;
	}
	if (!has_value(d, &r.rows[0]) || (d->sort == MATCH_SORT_LANDED && !f->market)) {
		sb_printf(out, "%s: %s.", d->title, d->none);
		match_result_free(&r);
		return 0;
	}
	row = best_first_row(m, f, r.rows[0].product_id, e);
	if (row < 0) {
		match_result_free(&r);
		return -1;
	}
	char *title = text_sanitize(r.rows[0].title ? r.rows[0].title : "", 0);
	char *sup = text_sanitize(r.rows[0].supplier ? r.rows[0].supplier : "", 0);
	sb_printf(out, "%s: ", d->title);
	if (row > 0)
		sb_printf(out, "row %d, ", row);
	sb_printf(out, "%s from %s (%s), ", title, sup,
	          r.rows[0].country ? r.rows[0].country : "?");
	quote_value(d, &r.rows[0], f, r.currency, match_ref(m), out);
	sb_addc(out, '.');
	free(title);
	free(sup);
	match_result_free(&r);
	return 0;
}
