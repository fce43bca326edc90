/* match_score: statistics over a result set, scores, sorting and supplier diversity. */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "match_int.h"
#include "money.h"
#include "sort.h"
#include "text.h"

/* How many of the n sorted values are below x: a binary search without
 * branches (the step is a conditional move): when every candidate asked
 * three times, a mispredicted branch per step made this a tenth of a
 * large query. */
static int count_below(const double *v, int n, double x)
{
	const double *b = v;
	int len = n;

	if (n <= 0)
		return 0;
	while (len > 1) {
		int half = len / 2;
		b = b[half] < x ? b + half : b;
		len -= half;
	}
	return (int)(b - v) + (*b < x);
}

/* The share of n values below one of them, from how many are below it
 * (0 = the lowest): every percentile here is this division. */
static double pct_ranked(long below, int n)
{
	return n <= 1 ? 0 : (double)below / (double)(n - 1);
}

/* Share of the sorted values strictly below x (0 = the lowest). */
double match_pct_below(const double *v, int n, double x)
{
	return pct_ranked(count_below(v, n, x), n);
}

/* The same for many x over one large array: every PCT_STEP-th value is
 * copied out, a search reads that small copy (it stays in the cache) and
 * then one block of the array. Over the 300,000 prices of a large query a
 * plain search missed the cache at most of its 18 steps. */
#define PCT_STEP 64

void match_pct_init(match_pct *p, const double *v, int n)
{
	p->v = v;
	p->n = n;
	p->ns = n > 0 ? (n - 1) / PCT_STEP + 1 : 0;
	p->s = xmalloc(sizeof(double) * ((size_t)p->ns + 1));
	for (int j = 0; j < p->ns; j++)
		p->s[j] = v[(size_t)j * PCT_STEP];
}

void match_pct_free(match_pct *p)
{
	free(p->s);
	p->s = NULL;
}

/* k samples lie below x: the values below x end after sample k - 1 and
 * at sample k at the latest. */
double match_pct_of(const match_pct *p, double x)
{
	int k, lo, hi;

	if (p->n <= 1)
		return 0;
	k = count_below(p->s, p->ns, x);
	lo = k > 0 ? (k - 1) * PCT_STEP + 1 : 0;
	hi = k < p->ns ? k * PCT_STEP : p->n;
	return pct_ranked(lo + count_below(p->v + lo, hi - lo, x), p->n);
}

void match_query_stats(query *q)
{
	match_ctx *m = q->m;
	/* a bit per supplier: a few pages, where a byte each touched dozens */
	uint64_t *seen = xcalloc((size_t)m->nsups / 64 + 1, sizeof *seen);

	q->prices = xmalloc_hot(sizeof(double) * (size_t)(q->n + 1));
	q->moqs = xmalloc_hot(sizeof(double) * (size_t)(q->n + 1));
	q->leads = xmalloc_hot(sizeof(double) * (size_t)(q->n + 1));
	q->cert_counts = xcalloc(CERT_BITS, sizeof(long));
	q->country_counts = xcalloc((size_t)m->countries.n + 1, sizeof(long));
	q->ncat_counts = m->cats.n;
	q->cat_counts = xcalloc((size_t)m->cats.n + 1, sizeof(long));
	q->bm_lo = q->bm_hi = q->n ? q->c[0].bm25 : 0;
	q->min_price = -1;
	q->min_moq = q->min_lead = -1;
	q->max_rating = -1;
	for (int i = 0; i < q->n; i++) {
		cand *c = &q->c[i];
		const sup_hot *s = &m->suphot[c->sup];
		/* kept for the score: read here, where the supplier's compact
		 * record is read anyway (in a large catalog it costs a miss a
		 * candidate, and a second pass would pay it again) */
		c->trust = s->trust;
		if (c->price >= 0 && !c->at_moq) /* prices at the quantity only */
			q->prices[q->nprices++] = c->price;
		q->moqs[q->nmoqs++] = c->moq;
		if (c->lead >= 0)
			q->leads[q->nleads++] = c->lead;
		q->bm_lo = fmin(q->bm_lo, c->bm25);
		q->bm_hi = fmax(q->bm_hi, c->bm25);
		for (uint64_t b = c->certs; b; b &= b - 1) /* each set bit */
			q->cert_counts[__builtin_ctzll(b)]++;
		if (s->country_idx >= 0 && s->country_idx < m->countries.n)
			q->country_counts[s->country_idx]++;
		if (c->cat >= 0 && c->cat < q->ncat_counts)
			q->cat_counts[c->cat]++;
		if (s->trading)
			q->n_trading++;
		else
			q->n_manufacturer++;
		if (!match_bit_get(seen, (size_t)c->sup)) {
			match_bit_set(seen, (size_t)c->sup);
			q->nsup++;
		}
		if (s->reviewed && s->rating > q->max_rating) {
			q->max_rating = s->rating;
			q->n_max_rating = 0;
		}
		if (s->reviewed && s->rating == q->max_rating)
			q->n_max_rating++;
	}
	free(seen);
	q->prices_below = xmalloc_hot(sizeof(uint32_t) * (size_t)(q->nprices + 1));
	q->moqs_below = xmalloc_hot(sizeof(uint32_t) * (size_t)(q->nmoqs + 1));
	q->leads_below = xmalloc_hot(sizeof(uint32_t) * (size_t)(q->nleads + 1));
	sort_doubles_below(q->prices, (size_t)q->nprices, q->prices_below);
	sort_doubles_below(q->moqs, (size_t)q->nmoqs, q->moqs_below);
	sort_doubles_below(q->leads, (size_t)q->nleads, q->leads_below);
	if (q->nprices) {
		q->min_price = q->prices[0];
		while (q->n_min_price < q->nprices && q->prices[q->n_min_price] == q->min_price)
			q->n_min_price++;
	}
	if (q->nmoqs) {
		q->min_moq = (long)q->moqs[0];
		while (q->n_min_moq < q->nmoqs && q->moqs[q->n_min_moq] == q->moqs[0])
			q->n_min_moq++;
	}
	if (q->nleads) {
		q->min_lead = (long)q->leads[0];
		while (q->n_min_lead < q->nleads && q->leads[q->n_min_lead] == q->leads[0])
			q->n_min_lead++;
	}
}

/* Supplier trust, 0..1: verification, a rating pulled towards 4.0 until
 * it has reviews behind it, years, responsiveness and delivery record. */
double match_sup_trust(const match_ctx *m, const sup *s)
{
	double t = s->verified ? 0.25 : 0;

	if (s->rating >= 0) {
		double r = (s->rating * s->reviews + 4.0 * 20) / (s->reviews + 20.0);
		t += 0.35 * fmin(fmax((r - 3.0) / 2.0, 0), 1);
	}
	if (s->year > 0)
		t += 0.15 * fmin(fmax(m->year - s->year, 0), 15) / 15.0;
	if (s->resp >= 0)
		t += 0.10 * fmin(s->resp, 1);
	if (s->ontime >= 0)
		t += 0.15 * fmin(s->ontime, 1);
	return t;
}

int match_popcount64(uint64_t x)
{
	int n = 0;
	for (; x; x &= x - 1)
		n++;
	return n;
}

/* One score, 0..100: relevance 25, price at the quantity 20, MOQ fit 10,
 * lead time 10, supplier trust 20, the buyer's market 8, certifications 7.
 * With keywords relevance weighs 35 (the rest in proportion) and is 60%
 * whether the words name the offer's category, 40% bm25 (title 10,
 * category 5, attributes 2, description 1). */
void match_query_score(query *q)
{
	const souk_filter *f = q->f;
	match_pct prices;
	/* the candidates come in the order match_query_stats collected their
	 * values in: the next value of each array is theirs */
	int kp = 0, km = 0, kl = 0;

	/* a price at the MOQ is not among the prices at the quantity: its
	 * share is searched */
	match_pct_init(&prices, q->prices, q->nprices);
	for (int i = 0; i < q->n; i++) {
		cand *c = &q->c[i];
		double rel = 1, price = 0.5, moq, lead = 0.3, mkt = 0.5, certs, wrel = 25;
		if (q->bm_hi > q->bm_lo) /* bm25 is negative: lower is better */
			rel = (q->bm_hi - c->bm25) / (q->bm_hi - q->bm_lo);
		if (q->named && c->cat >= 0 && c->cat < q->m->cats.n) {
			/* a category the words name outranks one they only touch
			 * (in its path or a description): relevance counts more */
			rel = 0.4 * rel + 0.6 * q->named[c->cat];
			wrel = 35;
		}
		if (c->price >= 0 && !c->at_moq)
			price = 1 - pct_ranked(q->prices_below[kp++], q->nprices);
		else if (c->price >= 0)
			price = 1 - match_pct_of(&prices, c->price);
		if (f->quantity >= 0)
			moq = c->moq <= f->quantity ? 1 : f->quantity / fmax(c->moq, 1);
		else
			moq = 1 - pct_ranked(q->moqs_below[km], q->nmoqs);
		km++;
		if (c->lead >= 0)
			lead = 1 - pct_ranked(q->leads_below[kl++], q->nleads);
		if (f->market)
			mkt = c->mkt == 2 ? 1 : 0.4;
		if (q->req || q->nreq_any)
			certs = 1;
		else if (f->market && q->mcerts)
			certs = (c->certs & q->mcerts) ? 1 : 0;
		else
			certs = fmin(match_popcount64(c->certs), 3) / 3.0;
		c->score = (float)(wrel * rel + (100 - wrel) / 75 *
		                                        (20 * price + 10 * moq + 10 * lead +
		                                         20 * c->trust + 8 * mkt + 7 * certs));
	}
	match_pct_free(&prices);
}

void match_query_landed(query *q, cand *c)
{
	match_ctx *m = q->m;
	const sup *s = &m->sups[c->sup];
	money_landed_in in = {
	        .price = c->price,
	        .currency = q->f->currency,
	        .incoterm = c->incoterm ? match_incoterms[c->incoterm] : NULL,
	        .origin = sup_str(m, s->country),
	        .market = q->f->market,
	        .category = c->cat >= 0 ? m->cats.v[c->cat] : NULL,
	        .weight_kg = c->weight,
	        .volume_m3 = c->volume,
	};
	c->landed = money_landed(m->money, &in);
}

/* ---- sorting ---- */

static int cand_tiebreak(const cand *x, const cand *y)
{
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return (x->id > y->id) - (x->id < y->id);
}

/* Unknown keys (< 0 where a key cannot be negative) sort last both ways. */
static int cand_cmp_asc(const void *a, const void *b)
{
	const cand *x = a, *y = b;
	if ((x->key < 0) != (y->key < 0))
		return x->key < 0 ? 1 : -1;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return cand_tiebreak(x, y);
}

static int cand_cmp_desc(const void *a, const void *b)
{
	const cand *x = a, *y = b;
	if ((x->key < 0) != (y->key < 0))
		return x->key < 0 ? 1 : -1;
	if (x->key != y->key)
		return x->key > y->key ? -1 : 1;
	return cand_tiebreak(x, y);
}

/* Rows picked per supplier while diversifying: an open-addressing table
 * as large as the page needs, not an array over every supplier (200 KB
 * of fresh pages in a million-product catalog). */
typedef struct picks {
	int *sup, *n;
	unsigned mask;
} picks;

static void picks_init(picks *p, int upto)
{
	unsigned size = 16;

	while (size < 2u * (unsigned)upto + 2)
		size *= 2;
	p->mask = size - 1;
	p->sup = xmalloc(sizeof(int) * size);
	p->n = xcalloc(size, sizeof(int));
	for (unsigned i = 0; i < size; i++)
		p->sup[i] = -1;
}

/* Supplier s's slot: its own, or the empty one where it would go. */
static unsigned picks_slot(const picks *p, int s)
{
	unsigned i = ((unsigned)s * 2654435761u) & p->mask;

	while (p->sup[i] != -1 && p->sup[i] != s)
		i = (i + 1) & p->mask;
	return i;
}

/* Rows picked from supplier s so far. */
static int picks_count(const picks *p, int s)
{
	unsigned i = picks_slot(p, s);

	return p->sup[i] == -1 ? 0 : p->n[i];
}

static void picks_add(picks *p, int s)
{
	unsigned i = picks_slot(p, s);

	p->sup[i] = s;
	p->n[i]++;
}

/* Six points off for each better-placed offer of the same supplier, so the
 * first page puts suppliers side by side instead of one supplier's range.
 * The adjusted score is the one shown, so the order stays by score. Reads
 * the sorted front only (q->nsorted): -1, with q->c as it was, when a row
 * could come from past it. */
static int query_diversify(query *q, int upto)
{
	picks seen;
	cand *before = NULL;
	int rc = 0, lim = q->nsorted;

	if (lim < q->n) { /* the front as it was, should the rest be needed */
		before = xmalloc(sizeof(cand) * (size_t)lim);
		memcpy(before, q->c, sizeof(cand) * (size_t)lim);
	}
	picks_init(&seen, upto < q->n ? upto : q->n);
	for (int i = 0; i < upto && i < q->n && rc == 0; i++) {
		int best = i, j;
		double bs = -1e9;
		for (j = i; j < lim; j++) {
			if (q->c[j].score <= bs)
				break; /* sorted by raw score: nothing further can win */
			double s = q->c[j].score - 6.0 * picks_count(&seen, q->c[j].sup);
			if (s > bs) {
				bs = s;
				best = j;
			}
		}
		if (j == lim && lim < q->n) {
			rc = -1; /* an unsorted row might still win */
			break;
		}
		if (best != i) {
			cand pick = q->c[best];
			memmove(q->c + i + 1, q->c + i, sizeof(cand) * (size_t)(best - i));
			q->c[i] = pick;
		}
		q->c[i].score = (float)fmax(bs, 0);
		picks_add(&seen, q->c[i].sup);
	}
	if (rc < 0)
		memcpy(q->c, before, sizeof(cand) * (size_t)lim);
	free(before);
	free(seen.sup);
	free(seen.n);
	return rc;
}

/* The two keys of the order: the tie-break (score down, id up), and the
 * key asked for (unknown last both ways). */
static uint64_t key_tiebreak(const cand *c)
{
	return (uint64_t)~sort_key_float(c->score) << 32 | (uint64_t)c->id;
}

static uint64_t key_asked(const cand *c, int descending)
{
	uint64_t d = sort_key_double(c->key);

	return c->key < 0 ? UINT64_MAX : descending ? ~d : d;
}

static int by_score(const match_opts *o)
{
	return o->sort == MATCH_SORT_SCORE && o->descending;
}

/* Moves q->c[from + idx[i]] to from + i, cycle by cycle: a second array
 * of candidates would be megabytes of fresh pages to fault in. */
static void cands_permute(query *q, int from, uint32_t *idx, size_t n)
{
	cand *c = q->c + from;

	for (size_t i = 0; i < n; i++) {
		if (idx[i] == i)
			continue;
		cand tmp = c[i];
		size_t j = i;
		for (;;) {
			size_t k = idx[j];
			idx[j] = (uint32_t)j;
			if (k == i) {
				c[j] = tmp;
				break;
			}
			c[j] = c[k];
			j = k;
		}
	}
}

/* The order cand_cmp_asc / cand_cmp_desc give to q->c[from, to), by two
 * stable radix passes (the tie-break first, then the key asked for),
 * linear where qsort's comparisons of 100-byte candidates took a fifth of
 * a large query. */
static void query_radix_sort(query *q, const match_opts *o, int from, int to)
{
	size_t n = (size_t)(to - from);
	uint64_t *key = xmalloc_hot(n * sizeof *key);
	uint32_t *idx = xmalloc_hot(n * sizeof *idx);

	for (size_t i = 0; i < n; i++) {
		key[i] = key_tiebreak(&q->c[from + (int)i]);
		idx[i] = (uint32_t)i;
	}
	sort_pairs(key, idx, n);
	/* by the score going down, the tie-break is the whole order */
	if (!by_score(o)) {
		for (size_t i = 0; i < n; i++)
			key[i] = key_asked(&q->c[from + (int)idx[i]], o->descending);
		sort_pairs(key, idx, n);
	}
	cands_permute(q, from, idx, n);
	free(key);
	free(idx);
}

/* The first rows only: the k first in the order (and any that tie with
 * the k-th on the key asked for) are selected (sort_pairs_top), moved to
 * the front and sorted there; the rest follow unsorted, for
 * match_query_sort_rest should a caller read past q->nsorted. */
static void query_top_sort(query *q, const match_opts *o, int k)
{
	size_t n = (size_t)q->n, m;
	uint64_t *key = xmalloc_hot(n * sizeof *key);
	uint32_t *idx = xmalloc_hot(n * sizeof *idx);
	uint64_t *in = xcalloc(n / 64 + 1, sizeof *in);
	cand *front;

	for (size_t i = 0; i < n; i++) {
		key[i] = by_score(o) ? key_tiebreak(&q->c[i]) : key_asked(&q->c[i], o->descending);
		idx[i] = (uint32_t)i;
	}
	m = sort_pairs_top(key, idx, n, (size_t)k);
	/* the front in its order; the rows it displaces go where its rows
	 * were */
	front = xmalloc(sizeof(cand) * m);
	for (size_t i = 0; i < m; i++) {
		front[i] = q->c[idx[i]];
		match_bit_set(in, idx[i]);
	}
	for (size_t p = 0, hole = m; p < m; p++) {
		if (match_bit_get(in, p))
			continue;
		while (!match_bit_get(in, hole))
			hole++;
		q->c[hole++] = q->c[p];
	}
	memcpy(q->c, front, sizeof(cand) * m);
	q->nsorted = (int)m;
	if (!by_score(o)) /* ordered by the key alone: the tie-break too */
		query_radix_sort(q, o, 0, (int)m);
	free(front);
	free(in);
	free(key);
	free(idx);
}

void match_query_sort_rest(query *q, const match_opts *o)
{
	/* every row past the front comes after all of it in the order */
	if (q->nsorted < q->n)
		query_radix_sort(q, o, q->nsorted, q->n);
	q->nsorted = q->n;
}

/* Rows sorted ahead of a page: room for diversity to reach down. */
#define TOP_SPAN 4

/* The radix passes pack an id in 32 bits. */
static int ids_fit(const query *q)
{
	for (int i = 0; i < q->n; i++)
		if (q->c[i].id < 0 || q->c[i].id > (int64_t)UINT32_MAX)
			return 0;
	return 1;
}

void match_query_sort(query *q, const match_opts *o)
{
	int upto = (o->offset > 0 ? o->offset : 0) + (o->limit > 0 ? o->limit : 50);

	for (int i = 0; i < q->n; i++) {
		cand *c = &q->c[i];
		switch (o->sort) {
		case MATCH_SORT_PRICE:
			c->key = c->price;
			break;
		case MATCH_SORT_MOQ:
			c->key = c->moq;
			break;
		case MATCH_SORT_LEAD:
			c->key = c->lead;
			break;
		case MATCH_SORT_RATING:
			c->key = q->m->sups[c->sup].rating;
			break;
		case MATCH_SORT_LANDED:
			match_query_landed(q, c);
			c->key = c->landed;
			break;
		default:
			c->key = c->score;
			break;
		}
	}
	q->nsorted = q->n;
	if (q->n > 1 && !ids_fit(q))
		qsort(q->c, (size_t)q->n, sizeof(*q->c),
		      o->descending ? cand_cmp_desc : cand_cmp_asc);
	else if (q->n > 1 && (long)upto * TOP_SPAN * 2 < q->n)
		query_top_sort(q, o, upto * TOP_SPAN);
	else if (q->n > 1)
		query_radix_sort(q, o, 0, q->n);
	if (by_score(o) && query_diversify(q, upto) < 0) {
		match_query_sort_rest(q, o);
		query_diversify(q, upto);
	}
}
