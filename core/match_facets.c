/* match_facets: facets, histograms and the relaxation hint when nothing matches. */
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

/* ---- facets ---- */

static int count_cmp(const void *a, const void *b)
{
	const match_count *x = a, *y = b;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->value, y->value);
}

static match_count *counts_make(const long *counts, char *const *names, int n, int *out_n)
{
	match_count *c = xcalloc((size_t)n + 1, sizeof(*c));
	int k = 0;

	for (int i = 0; i < n; i++)
		if (counts[i] > 0) {
			c[k].value = xstrdup(names[i]);
			c[k++].count = counts[i];
		}
	qsort(c, (size_t)k, sizeof(*c), count_cmp);
	*out_n = k;
	return c;
}

static void hist_fill(match_hist *h, const double *v, int n)
{
	memset(h, 0, sizeof(*h));
	if (n == 0)
		return;
	h->lo = v[0];
	h->hi = v[n - 1];
	for (int i = 0; i < n; i++) {
		int bin = 0;
		if (h->hi > h->lo)
			bin = (int)((v[i] - h->lo) / (h->hi - h->lo) * MATCH_HIST_BINS);
		if (bin >= MATCH_HIST_BINS)
			bin = MATCH_HIST_BINS - 1;
		h->counts[bin]++;
	}
}

void match_query_facets(query *q, match_result *out)
{
	long bt[2] = {q->n_manufacturer, q->n_trading};
	char *btn[2] = {"manufacturer", "trading"};

	out->countries = counts_make(q->country_counts, q->m->countries.v, q->m->countries.n,
	                             &out->ncountries);
	out->certs =
	        counts_make(q->cert_counts, q->m->certs.v,
	                    q->m->certs.n < CERT_BITS ? q->m->certs.n : CERT_BITS, &out->ncerts);
	out->business_types = counts_make(bt, btn, 2, &out->nbusiness_types);
	out->categories =
	        counts_make(q->cat_counts, q->m->cats.v, q->ncat_counts, &out->ncategories);
	if (q->nprices > 0) { /* q->prices is sorted */
		out->price_p10 = q->prices[(int)(0.1 * (q->nprices - 1) + 0.5)];
		out->price_p90 = q->prices[(int)(0.9 * (q->nprices - 1) + 0.5)];
	}
	hist_fill(&out->price_hist, q->prices, q->nprices);
	hist_fill(&out->moq_hist, q->moqs, q->nmoqs);
	hist_fill(&out->lead_hist, q->leads, q->nleads);
}

/* ---- the whole run ---- */

static long count_matches(match_ctx *m, const souk_filter *f, souk_err *e)
{
	query q;
	long n;

	if (match_query_setup(&q, m, f, e) < 0)
		return -1;
	q.count_only = 1;
	if (match_query_scan(&q, NULL, e) < 0) {
		match_query_free(&q);
		return -1;
	}
	n = q.n;
	match_query_free(&q);
	return n;
}

/* "drop the CE requirement", "drop the LFGB or FDA requirement" */
static char *relax_cert_words(const char *cert)
{
	strbuf b;

	sb_init(&b);
	sb_add(&b, "drop the ");
	filter_item_words(&b, cert);
	sb_add(&b, " requirement");
	return sb_steal(&b);
}

/* One relaxation to try: a copy of f with one thing taken away, and the
 * words that say what. */
typedef struct relax_try {
	souk_filter f;
	char *words;
} relax_try;

static void relax_add(relax_try *t, int *n, const souk_filter *f, int field, const char *item,
                      char *words)
{
	filter_copy(&t[*n].f, f);
	if (item)
		strlist_remove(field == FF_KEYWORDS ? &t[*n].f.keywords : &t[*n].f.certifications,
		               item);
	else
		filter_clear_field(&t[*n].f, (enum filter_field)field);
	t[*n].words = words;
	(*n)++;
}

static int relax_list(const souk_filter *f, relax_try *t)
{
	int n = 0;

	for (int i = 0; i < f->certifications.n && n < 48; i++)
		relax_add(t, &n, f, FF_CERTIFICATIONS, f->certifications.v[i],
		          relax_cert_words(f->certifications.v[i]));
	if (f->category)
		relax_add(t, &n, f, FF_CATEGORY, NULL, xstrdup("search all categories"));
	if (f->price_max >= 0)
		relax_add(t, &n, f, FF_PRICE_MAX, NULL,
		          xasprintf("drop the price limit of %g %s", f->price_max, f->currency));
	if (f->price_min >= 0)
		relax_add(t, &n, f, FF_PRICE_MIN, NULL,
		          xasprintf("drop the minimum price of %g %s", f->price_min, f->currency));
	if (f->moq_max >= 0)
		relax_add(t, &n, f, FF_MOQ_MAX, NULL,
		          xasprintf("drop the MOQ limit of %g", f->moq_max));
	if (f->lead_time_max_days >= 0)
		relax_add(t, &n, f, FF_LEAD_TIME, NULL,
		          xasprintf("drop the lead time limit of %g days", f->lead_time_max_days));
	if (f->market)
		relax_add(t, &n, f, FF_MARKET, NULL, xasprintf("drop the market %s", f->market));
	if (f->supplier_countries.n)
		relax_add(t, &n, f, FF_SUPPLIER_COUNTRIES, NULL,
		          xstrdup("allow suppliers from any country"));
	if (f->exclude_countries.n)
		relax_add(t, &n, f, FF_EXCLUDE_COUNTRIES, NULL,
		          xstrdup("stop excluding countries"));
	if (f->verified_only)
		relax_add(t, &n, f, FF_VERIFIED, NULL, xstrdup("include unverified suppliers"));
	if (f->min_rating >= 0)
		relax_add(t, &n, f, FF_MIN_RATING, NULL,
		          xasprintf("drop the minimum rating of %g", f->min_rating));
	if (f->min_years >= 0)
		relax_add(t, &n, f, FF_MIN_YEARS, NULL,
		          xasprintf("drop the years in business minimum of %g", f->min_years));
	if (f->customization)
		relax_add(t, &n, f, FF_CUSTOMIZATION, NULL,
		          xstrdup("drop the customization requirement"));
	if (f->samples)
		relax_add(t, &n, f, FF_SAMPLES, NULL, xstrdup("drop the samples requirement"));
	if (f->business_type)
		relax_add(t, &n, f, FF_BUSINESS_TYPE, NULL,
		          xstrdup("include manufacturers and trading companies"));
	if (f->quantity >= 0 && !f->include_larger_moq) {
		relax_add(t, &n, f, FF_INCLUDE_LARGER_MOQ, NULL,
		          xasprintf("include larger MOQs (above your %g pcs)", f->quantity));
		t[n - 1].f.include_larger_moq = 1; /* this relaxation sets a field */
	}
	if (f->incoterm)
		relax_add(t, &n, f, FF_INCOTERM, NULL,
		          xasprintf("accept any incoterm, not only %s", f->incoterm));
	/* Keywords last: the other relaxations reuse the search's hits, and a
	 * different search would push them out of the cache. */
	/* dropping the only keyword would abandon the search, not relax it */
	for (int i = 0; i < f->keywords.n && f->keywords.n > 1 && n < 60; i++)
		relax_add(t, &n, f, FF_KEYWORDS, f->keywords.v[i],
		          xasprintf("drop the keyword \"%s\"", f->keywords.v[i]));
	return n;
}

/* When nothing matches: the one relaxation that brings back most offers. */
char *match_relax_best(match_ctx *m, const souk_filter *f, souk_err *e)
{
	relax_try t[64];
	int n = relax_list(f, t), best = -1;
	long best_count = 0;
	char *out = NULL;

	for (int i = 0; i < n; i++) {
		long c = best >= -1 ? count_matches(m, &t[i].f, e) : -1;
		if (c < 0) {
			best = -2; /* interrupted or failed: stop trying */
			continue;
		}
		if (c > best_count) {
			best_count = c;
			best = i;
		}
	}
	if (best >= 0)
		out = xasprintf("%s: %ld offer%s", t[best].words, best_count,
		                best_count == 1 ? "" : "s");
	for (int i = 0; i < n; i++) {
		filter_free(&t[i].f);
		free(t[i].words);
	}
	return out;
}
