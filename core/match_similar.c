/* match_similar: offers most similar to a selection. */
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

/* ---- similar offers ---- */

typedef struct source {
	int64_t id;
	int sup, cat;
	double price;
	uint64_t certs;
} source;

static int source_load(query *q, int64_t id, source *s, strlist *cats, souk_err *e)
{
	sqlite3_stmt *st;
	int rc;

	rc = sqlite3_prepare_v2(q->m->db,
	                        "SELECT supplier_id, category, certs, price_lo, price_hi, currency "
	                        "FROM products WHERE id = ?1",
	                        -1, &st, NULL);
	if (rc != SQLITE_OK)
		return match_db_error(q->m, e, "similar");
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		err_set(e, "no product %lld in the catalog", (long long)id);
		return -1;
	}
	const char *cat = (const char *)sqlite3_column_text(st, 1);
	cand c = {.id = id, .pidx = q->m->prods ? match_prod_find(q->m, id) : -1};
	s->id = id;
	s->sup = match_sup_find(q->m, sqlite3_column_int64(st, 0));
	s->cat = match_intern_get(&q->m->cats, cat ? cat : "", cat ? strlen(cat) : 0, 1, 0);
	strlist_add(cats, cat ? cat : "");
	s->certs = match_certs_mask(q->m, (const char *)sqlite3_column_text(st, 2), 1) |
	           (s->sup >= 0 ? q->m->sups[s->sup].certmask : 0);
	c.factor = match_cur_factor(q, (const char *)sqlite3_column_text(st, 5));
	c.lo = match_col_num(st, 3) * c.factor;
	sqlite3_finalize(st);
	match_cand_price(q, &c);
	s->price = c.price;
	return 0;
}

static double jaccard(uint64_t a, uint64_t b)
{
	int u = match_popcount64(a | b);
	return u ? (double)match_popcount64(a & b) / u : 0;
}

/* Similarity 0..1 to one source: category 0.4, price band 0.25, country
 * 0.1, certifications 0.15, business type 0.1. */
static double similarity(const query *q, const cand *c, const source *s)
{
	const sup *a = &q->m->sups[c->sup];
	double sim = 0;

	if (c->cat == s->cat)
		sim += 0.4;
	if (c->price > 0 && s->price > 0)
		sim += 0.25 * fmax(0, 1 - fabs(log(c->price / s->price)) / log(3));
	if (s->sup >= 0) {
		const sup *b = &q->m->sups[s->sup];
		if (a->country_idx == b->country_idx)
			sim += 0.1;
		if (a->btype == b->btype ||
		    strcmp(sup_str(q->m, a->btype), sup_str(q->m, b->btype)) == 0)
			sim += 0.1;
	}
	sim += 0.15 * jaccard(c->certs, s->certs);
	return sim;
}

static char *similar_reason(const query *q, const cand *c, const source *s)
{
	const sup *a = &q->m->sups[c->sup];
	strbuf b;
	int n = 0;

	sb_init(&b);
	if (c->cat == s->cat)
		match_reason_add(&b, &n, 5, "same category");
	if (c->price > 0 && s->price > 0) {
		double d = (c->price - s->price) / s->price * 100;
		if (fabs(d) < 0.5)
			match_reason_add(&b, &n, 5, "same price");
		else
			match_reason_add(&b, &n, 5, "%.0f%% %s", fabs(d),
			                 d < 0 ? "cheaper" : "dearer");
	}
	if (s->sup >= 0) {
		const sup *o = &q->m->sups[s->sup];
		if (a->country_idx == o->country_idx)
			match_reason_add(&b, &n, 5, "also in %s", sup_str(q->m, a->country));
		if (strcmp(sup_str(q->m, a->btype), sup_str(q->m, o->btype)) == 0)
			match_reason_add(&b, &n, 5, "also a %s",
			                 a->trading ? "trading company" : "manufacturer");
	}
	uint64_t shared = c->certs & s->certs;
	if (shared) {
		strbuf cs;
		sb_init(&cs);
		int ord[CERT_BITS], no = match_cert_order(q->m, ord);
		for (int k = 0, i; k < no && (i = ord[k], 1); k++)
			if (shared & (1ull << i))
				sb_printf(&cs, "%s%s", cs.len ? ", " : "", q->m->certs.v[i]);
		match_reason_add(&b, &n, 5, "shares %s", cs.s);
		sb_free(&cs);
	}
	if (n == 0)
		match_reason_add(&b, &n, 5, "closest offer found");
	return sb_steal(&b);
}

/* sim[i]: how close candidate i is to the nearest source (from[i]), -1
 * for the sources and their suppliers' other offers. */
static void similar_score(query *q, const source *src, int n, float *sim, int *from)
{
	for (int i = 0; i < q->n; i++) {
		cand *c = &q->c[i];
		int skip = 0;
		for (int j = 0; j < n; j++)
			if (c->id == src[j].id || c->sup == src[j].sup)
				skip = 1;
		sim[i] = -1;
		if (skip)
			continue;
		c->price = q->f->quantity < 0 ? c->hi : (c->lo + c->hi) / 2;
		for (int j = 0; j < n; j++) {
			float s = (float)similarity(q, c, &src[j]);
			if (s > sim[i]) {
				sim[i] = s;
				from[i] = j;
			}
		}
	}
}

/* The k closest into best, one offer per supplier (ties: the lower id);
 * returns how many. Spends sim. */
static int similar_pick(const query *q, float *sim, int k, int *best)
{
	int nbest = 0;

	while (nbest < k) {
		int pick = -1;
		for (int i = 0; i < q->n; i++) {
			if (sim[i] < 0)
				continue;
			if (pick < 0 || sim[i] > sim[pick] ||
			    (sim[i] == sim[pick] && q->c[i].id < q->c[pick].id))
				pick = i;
		}
		if (pick < 0)
			break;
		best[nbest++] = pick;
		for (int i = 0; i < q->n; i++)
			if (q->c[i].sup == q->c[pick].sup)
				sim[i] = -1;
	}
	return nbest;
}

static int similar_pass(match_ctx *m, const souk_filter *f, const int64_t *ids, int n, int k,
                        match_result *out, souk_err *e)
{
	query q;
	source *src = xcalloc((size_t)n + 1, sizeof(*src));
	strlist cats = {0};
	int *best = NULL, rc = -1, nbest = 0;
	float *sim = NULL;
	int *from = NULL;

	if (match_query_setup(&q, m, f, e) < 0)
		goto out;
	for (int i = 0; i < n; i++)
		if (source_load(&q, ids[i], &src[i], &cats, e) < 0)
			goto out;
	if (match_query_scan(&q, &cats, e) < 0)
		goto out;
	sim = xcalloc((size_t)q.n + 1, sizeof(*sim));
	from = xcalloc((size_t)q.n + 1, sizeof(*from));
	similar_score(&q, src, n, sim, from);
	best = xcalloc((size_t)k + 1, sizeof(*best));
	nbest = similar_pick(&q, sim, k, best);
	match_query_stats(&q);
	out->rows = xcalloc((size_t)nbest + 1, sizeof(*out->rows));
	for (int i = 0; i < nbest; i++) {
		cand *c = &q.c[best[i]];
		const source *s = &src[from[best[i]]];
		match_row *r = &out->rows[out->nrows];
		float score;
		match_cand_price(&q, c);
		score = (float)(100 * similarity(&q, c, s));
		c->score = score;
		int got = match_row_fill(&q, c, r, e);
		if (got < 0)
			goto out;
		if (got > 0) /* not in the catalog (a damaged index): left out */
			continue;
		out->nrows++;
		free(r->reasons);
		r->reasons = similar_reason(&q, c, s);
		r->similar_to =
		        xasprintf("similar to %s",
		                  s->sup >= 0 ? sup_str(m, m->sups[s->sup].name) : "the selection");
	}
	out->total = nbest;
	out->suppliers = nbest;
	rc = 0;
out:
	free(best);
	free(sim);
	free(from);
	free(src);
	strlist_clear(&cats);
	match_query_free(&q);
	return rc;
}

int match_similar(match_ctx *m, const souk_filter *f, const int64_t *product_ids, int n, int k,
                  match_result *out, souk_err *e)
{
	souk_filter loose;
	int rc;

	match_run_begin(m);
	match_result_init(out);
	snprintf(out->currency, sizeof(out->currency), "%s", f->currency[0] ? f->currency : "USD");
	if (n <= 0 || k <= 0)
		return 0;
	/* Similar means the same kind of product, not the same words: the
	 * keywords and the category give way to the selection's categories,
	 * while the buyer's other limits still hold. */
	filter_copy(&loose, f);
	filter_clear_field(&loose, FF_KEYWORDS);
	filter_clear_field(&loose, FF_CATEGORY);
	rc = similar_pass(m, &loose, product_ids, n, k, out, e);
	if (rc == 0 && out->nrows == 0) {
		/* nothing within the limits: say what exists at all */
		souk_filter bare;
		filter_init(&bare);
		memcpy(bare.currency, f->currency, sizeof(bare.currency));
		bare.quantity = f->quantity;
		match_result_free(out);
		match_result_init(out);
		snprintf(out->currency, sizeof(out->currency), "%s", bare.currency);
		rc = similar_pass(m, &bare, product_ids, n, k, out, e);
		filter_free(&bare);
	}
	filter_free(&loose);
	if (rc < 0)
		match_result_free(out);
	return rc;
}
