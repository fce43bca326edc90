/* match_explain: the rows shown: details, reasons and highlights. */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "match_int.h"
#include "money.h"
#include "text.h"

/* ---- rows: details, reasons, highlights ---- */

/* "|CE|RoHS|" and " ISO 9001|BSCI " as one "CE, RoHS, ISO 9001, BSCI". */
static void certs_join(strbuf *out, const char *list, strlist *seen)
{
	while (list && *list) {
		size_t n = strcspn(list, "|,");
		const char *a = list, *b = list + n;
		while (a < b && isspace((unsigned char)*a))
			a++;
		while (b > a && isspace((unsigned char)b[-1]))
			b--;
		if (b > a) {
			char *c = xstrndup(a, (size_t)(b - a));
			if (!strlist_has(seen, c)) {
				strlist_add(seen, c);
				if (out->len)
					sb_add(out, ", ");
				sb_add(out, c);
			}
			free(c);
		}
		list += n;
		if (*list)
			list++;
	}
}

void match_reason_add(strbuf *b, int *n, int max, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));
void match_reason_add(strbuf *b, int *n, int max, const char *fmt, ...)
{
	va_list ap;

	if (*n >= max)
		return;
	if (b->len)
		sb_add(b, "; ");
	va_start(ap, fmt);
	sb_vprintf(b, fmt, ap);
	va_end(ap);
	(*n)++;
}

static void qty_words(const souk_filter *f, char *buf, size_t len)
{
	if (f->quantity >= 0)
		snprintf(buf, len, "at %.0f pcs", f->quantity);
	else
		snprintf(buf, len, "at the MOQ");
}

static char *row_reasons(const query *q, const cand *c, const match_row *r)
{
	const souk_filter *f = q->f;
	const sup *s = &q->m->sups[c->sup];
	strbuf b;
	int n = 0;
	char qty[48];

	sb_init(&b);
	qty_words(f, qty, sizeof(qty));
	if (c->at_moq) /* no claim about a price at a quantity it cannot be ordered at */
		match_reason_add(&b, &n, 4, "priced at its MOQ of %d, above your %.0f pcs", c->moq,
		                 f->quantity);
	else if (r->price >= 0 && q->nprices >= 3) {
		double pct = match_pct_below(q->prices, q->nprices, r->price);
		if (r->price <= q->min_price * (1 + 1e-9))
			match_reason_add(&b, &n, 4, "lowest price %s", qty);
		else if (pct <= 0.10)
			match_reason_add(&b, &n, 4, "cheapest 10%% %s", qty);
		else if (pct <= 0.25)
			match_reason_add(&b, &n, 4, "cheapest 25%% %s", qty);
	}
	if (f->market && c->mkt == 2)
		match_reason_add(&b, &n, 4, "exports to %s", f->market);
	else if (f->market && c->mkt == 1) {
		uint64_t has = c->certs & q->mcerts;
		int ord[CERT_BITS], no = match_cert_order(q->m, ord);
		for (int k = 0, i; k < no && (i = ord[k], 1); k++)
			if (has & (1ull << i)) {
				match_reason_add(&b, &n, 4, "has %s for %s", q->m->certs.v[i],
				                 f->market);
				break;
			}
	}
	if (s->rating >= 4.5 && s->reviews > 0)
		match_reason_add(&b, &n, 4, "%.1f from %d review%s", s->rating, s->reviews,
		                 s->reviews == 1 ? "" : "s");
	if (f->certifications.n) {
		strbuf certs;
		sb_init(&certs);
		for (int i = 0; i < f->certifications.n; i++)
			sb_printf(&certs, "%s%s", i ? ", " : "", f->certifications.v[i]);
		match_reason_add(&b, &n, 4, "has %s", certs.s);
		sb_free(&certs);
	}
	if (f->quantity >= 0 && c->moq <= f->quantity)
		match_reason_add(&b, &n, 4, "MOQ %d fits %.0f pcs", c->moq, f->quantity);
	else if (f->quantity < 0 && q->nmoqs >= 3 &&
	         match_pct_below(q->moqs, q->nmoqs, c->moq) <= 0.2)
		match_reason_add(&b, &n, 4, "low MOQ (%d %s)", c->moq,
		                 r->moq_unit ? r->moq_unit : "pcs");
	if (c->lead >= 0 && q->nleads >= 3 && match_pct_below(q->leads, q->nleads, c->lead) <= 0.2)
		match_reason_add(&b, &n, 4, "ships in %d days", c->lead);
	if (s->verified)
		match_reason_add(&b, &n, 4, "verified supplier");
	if (r->years >= 10)
		match_reason_add(&b, &n, 4, "%d years in business", r->years);
	if (n == 0 && s->rating >= 0 && s->reviews > 0)
		match_reason_add(&b, &n, 4, "%.1f from %d review%s", s->rating, s->reviews,
		                 s->reviews == 1 ? "" : "s");
	if (n == 0)
		match_reason_add(&b, &n, 4, "matches your filters");
	return sb_steal(&b);
}

/* Share of the sorted values strictly above x. */
static double share_above(const double *v, int n, double x)
{
	int lo = 0, hi = n;

	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (v[mid] <= x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return n > 0 ? (double)(n - lo) / (double)n : 0;
}

/* No attribute is unique to the row: name the one where it stands best
 * against the result set, when it beats at least half of it ("cheaper
 * than 84% of the 552 matches"). */
static void highlight_standing(const query *q, const cand *c, const match_row *r, strbuf *b, int *n)
{
	double ap = 0, am = 0, al = 0;

	if (r->price >= 0 && q->nprices >= 3 && !r->at_moq)
		ap = share_above(q->prices, q->nprices, r->price * (1 + 1e-9));
	if (q->nmoqs >= 3)
		am = share_above(q->moqs, q->nmoqs, c->moq);
	if (c->lead >= 0 && q->nleads >= 3)
		al = share_above(q->leads, q->nleads, c->lead);
	if (ap >= am && ap >= al && ap >= 0.5)
		match_reason_add(b, n, 3, "cheaper than %.0f%% of the %d matches", floor(ap * 100),
		                 q->n);
	else if (am >= al && am >= 0.5)
		match_reason_add(b, n, 3, "MOQ lower than %.0f%% of the %d matches",
		                 floor(am * 100), q->n);
	else if (al >= 0.5)
		match_reason_add(b, n, 3, "ships faster than %.0f%% of the %d matches",
		                 floor(al * 100), q->n);
}

static char *row_highlights(const query *q, const cand *c, const match_row *r)
{
	const sup *s = &q->m->sups[c->sup];
	strbuf b;
	int n = 0;

	sb_init(&b);
	if (q->n < 2)
		return sb_steal(&b); /* nothing to stand apart from */
	if (r->price >= 0 && !r->at_moq && q->n_min_price <= 2 &&
	    r->price <= q->min_price * (1 + 1e-9))
		match_reason_add(&b, &n, 3, "lowest price");
	if (q->n_min_moq <= 3 && c->moq == q->min_moq)
		match_reason_add(&b, &n, 3, "lowest MOQ");
	if (c->lead >= 0 && q->n_min_lead <= 3 && c->lead == q->min_lead)
		match_reason_add(&b, &n, 3, "fastest lead time");
	int ord[CERT_BITS], no = match_cert_order(q->m, ord);
	for (int k = 0, i; k < no && (i = ord[k], 1); k++)
		if ((c->certs & (1ull << i)) && q->cert_counts[i] == 1)
			match_reason_add(&b, &n, 3, "only one with %s", q->m->certs.v[i]);
	if (s->country_idx >= 0 && s->country_idx < q->m->countries.n &&
	    q->country_counts[s->country_idx] == 1)
		match_reason_add(&b, &n, 3, "only offer from %s", sup_str(q->m, s->country));
	if (s->trading && q->n_trading == 1)
		match_reason_add(&b, &n, 3, "only trading company");
	else if (!s->trading && q->n_manufacturer == 1)
		match_reason_add(&b, &n, 3, "only manufacturer");
	if (s->reviews >= 10 && s->rating == q->max_rating && q->n_max_rating <= 3)
		match_reason_add(&b, &n, 3, "top rated (%.1f)", s->rating);
	if (n == 0)
		highlight_standing(q, c, r, &b, &n);
	return sb_steal(&b);
}

/* What a row shows of the product and its supplier, from the index's row
 * strings and columns or from the catalog's row (the same values:
 * tests/unit/test_index.c compares them). */
static void row_product(const match_ctx *m, const cand *c, match_row *r, const char *title,
                        const char *category, const char *unit, const char *own_certs,
                        const char *currency, double price)
{
	const sup *s = &m->sups[c->sup];
	strbuf certs;
	strlist seen = {0};

	r->product_id = c->id;
	r->supplier_id = s->id;
	r->supplier = xstrdup(sup_str(m, s->name));
	r->country = xstrdup(sup_str(m, s->country));
	r->city = xstrdup(sup_str(m, s->city));
	r->business_type = xstrdup(sup_str(m, s->btype));
	r->title = xstrdup(title ? title : "");
	r->category = xstrdup(category ? category : "");
	r->moq_unit = xstrdup(unit ? unit : "");
	sb_init(&certs);
	certs_join(&certs, own_certs, &seen);
	certs_join(&certs, sup_str(m, s->certs), &seen);
	strlist_clear(&seen);
	r->certs = sb_steal(&certs);
	snprintf(r->currency_orig, sizeof(r->currency_orig), "%s", currency ? currency : "USD");
	r->price_orig = price;
}

static const char *col_text(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

/* Fills the display fields of a row from the product's own record and its
 * tiers (the exact price at the quantity and the next break). 1 (r empty)
 * when the catalog has no such product: a column index that names one is
 * damaged, and the row is left out rather than the query failing. */
int match_row_fill(query *q, cand *c, match_row *r, souk_err *e)
{
	match_ctx *m = q->m;
	const sup *s = &m->sups[c->sup];
	sqlite3_stmt *st = m->detail_st;
	money_tier t[MATCH_MAX_TIERS];
	const char *rs[3];
	int nt, rc;

	memset(r, 0, sizeof(*r));
	if (match_row_strings(m, c->pidx, rs)) {
		const prod *p = &m->prods[c->pidx];
		row_product(m, c, r, rs[0],
		            c->cat >= 0 && c->cat < m->cats.n ? m->cats.v[c->cat] : "", rs[1],
		            rs[2], p->cur < m->curs.n ? m->curs.v[p->cur] : "USD", p->lo);
	} else {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, c->id);
		if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
			sqlite3_reset(st);
			return rc == SQLITE_DONE ? 1 : match_db_error(m, e, "product details");
		}
		row_product(m, c, r, col_text(st, 0), col_text(st, 1), col_text(st, 2),
		            col_text(st, 3), col_text(st, 8), match_col_num(st, 10));
		sqlite3_reset(st);
	}
	r->next_break_qty = -1;
	r->next_break_price = -1;
	nt = match_cand_tiers(q, c, t);
	if (nt > 0) {
		int at = money_tier_at(t, nt, match_cand_qty(q, c));
		int nb = money_next_break(t, nt, match_cand_qty(q, c));
		r->price_orig = t[at].price;
		if (nb >= 0) {
			r->next_break_qty = t[nb].min_qty;
			r->next_break_price = c->factor >= 0 ? t[nb].price * c->factor : -1;
		}
	}
	r->price = c->factor >= 0 && r->price_orig >= 0 ? r->price_orig * c->factor : -1;
	c->price = r->price;
	c->exact = 1;
	match_query_landed(q, c);
	r->landed = c->landed;
	r->moq = c->moq;
	r->lead_days = c->lead;
	r->rating = s->rating;
	r->reviews = s->reviews;
	r->verified = s->verified;
	r->years = s->year > 0 ? m->year - s->year : -1;
	r->score = c->score;
	r->at_moq = c->at_moq;
	r->reasons = row_reasons(q, c, r);
	r->highlights = row_highlights(q, c, r);
	return 0;
}

/* Appends to a row's highlights while it has fewer than three. */
static void highlight_add(match_row *r, const char *text)
{
	int n = 0;

	if (!r->highlights)
		r->highlights = xstrdup("");
	if (*r->highlights)
		for (const char *p = r->highlights, *q; (q = strstr(p, "; ")); p = q + 2)
			n++;
	n += *r->highlights != 0;
	if (n >= 3 || strstr(r->highlights, text))
		return;
	char *joined = xasprintf("%s%s%s", r->highlights, *r->highlights ? "; " : "", text);
	free(r->highlights);
	r->highlights = joined;
}

/* In a big result set few rows are the very lowest of anything; among the
 * rows shown side by side, what sets each one apart is still worth a word. */
void match_page_highlights(query *q, const cand *c, match_row *rows, int n)
{
	double minp = -1;
	long minmoq = -1, minlead = -1;
	int np = 0, nm = 0, nl = 0;
	long certs[CERT_BITS] = {0};
	char buf[96];

	if (n < 3)
		return;
	for (int i = 0; i < n; i++) {
		/* a price at the MOQ is not a price at the quantity: not compared */
		int priced = rows[i].price >= 0 && !rows[i].at_moq;
		if (priced && (minp < 0 || rows[i].price < minp - 1e-9)) {
			minp = rows[i].price;
			np = 0;
		}
		if (priced && fabs(rows[i].price - minp) <= 1e-9)
			np++;
		if (minmoq < 0 || rows[i].moq < minmoq) {
			minmoq = rows[i].moq;
			nm = 0;
		}
		nm += rows[i].moq == minmoq;
		if (rows[i].lead_days >= 0 && (minlead < 0 || rows[i].lead_days < minlead)) {
			minlead = rows[i].lead_days;
			nl = 0;
		}
		nl += rows[i].lead_days >= 0 && rows[i].lead_days == minlead;
		for (int b = 0; b < CERT_BITS; b++)
			certs[b] += (c[i].certs >> b) & 1;
	}
	for (int i = 0; i < n; i++) {
		match_row *r = &rows[i];
		if (np == 1 && r->price >= 0 && !r->at_moq && fabs(r->price - minp) <= 1e-9) {
			snprintf(buf, sizeof(buf), "lowest price of the %d shown", n);
			if (!r->highlights || !strstr(r->highlights, "lowest price"))
				highlight_add(r, buf);
		}
		if (nm == 1 && r->moq == minmoq) {
			snprintf(buf, sizeof(buf), "lowest MOQ of the %d shown", n);
			if (!r->highlights || !strstr(r->highlights, "lowest MOQ"))
				highlight_add(r, buf);
		}
		if (nl == 1 && r->lead_days == minlead) {
			snprintf(buf, sizeof(buf), "fastest of the %d shown", n);
			if (!r->highlights || !strstr(r->highlights, "fastest"))
				highlight_add(r, buf);
		}
		int ord[CERT_BITS], no = match_cert_order(q->m, ord);
		for (int k = 0, b; k < no && (b = ord[k], 1); k++)
			if (certs[b] == 1 && ((c[i].certs >> b) & 1)) {
				snprintf(buf, sizeof(buf), "only one shown with %s",
				         q->m->certs.v[b]);
				if (!r->highlights || !strstr(r->highlights, "only one with"))
					highlight_add(r, buf);
			}
	}
}

int match_query_rows(query *q, const match_opts *o, match_result *out, souk_err *e)
{
	int from = o->offset > 0 ? o->offset : 0;
	int limit = o->limit > 0 ? o->limit : 50;
	int n = q->n - from;

	if (n > limit)
		n = limit;
	if (n <= 0)
		return 0;
	out->rows = xcalloc((size_t)n, sizeof(*out->rows));
	if (q->m->idle)
		match_rows_willneed(q->m, q->c + from, n);
	for (int i = from; i < q->n && out->nrows < n; i++) {
		if (i >= q->nsorted)
			match_query_sort_rest(q, o);
		int rc = match_row_fill(q, &q->c[i], &out->rows[out->nrows], e);
		if (rc < 0)
			return -1;
		if (rc > 0) { /* not in the catalog: the next candidate moves up */
			memmove(&q->c[i], &q->c[i + 1], sizeof(*q->c) * (size_t)(q->n - i - 1));
			q->n--;
			q->nsorted--;
			i--;
			continue;
		}
		out->nrows++;
	}
	match_page_highlights(q, q->c + from, out->rows, out->nrows);
	return 0;
}
