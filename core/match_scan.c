/* match_scan: the candidates of a query: product and supplier filters, prices at the quantity. */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "match_int.h"
#include "money.h"
#include "ref.h"
#include "text.h"

typedef struct bind {
	int is_text;
	double d;
	const char *s;
} bind;

static void bind_text(bind *b, int *n, const char *s)
{
	b[*n].is_text = 1;
	b[*n].s = s;
	(*n)++;
}

static void bind_num(bind *b, int *n, double d)
{
	b[*n].is_text = 0;
	b[*n].d = d;
	(*n)++;
}

/* The candidate statement: FTS and the filters on product columns, in SQL
 * with bound parameters; the supplier-side filters run in C against the
 * supplier table loaded at open. */
static int cand_prepare(query *q, const strlist *cats, sqlite3_stmt **st, char **catlo,
                        char **cathi, souk_err *e)
{
	const souk_filter *f = q->f;
	strbuf sql, fts;
	bind b[16 + 64];
	int nb = 0, rc;

	sb_init(&sql);
	sb_init(&fts);
	sb_add(&sql, "SELECT p.id, p.supplier_id, p.moq, p.lead_time_days, p.price_lo, p.price_hi, "
	             "p.currency, p.incoterm, p.certs, p.category, p.weight_kg, p.volume_m3, ");
	if (match_fts_expr(q->m, &f->keywords, &fts)) {
		sb_add(&sql, MATCH_BM25_SQL " FROM products_fts "
		                            "JOIN products p ON p.id = products_fts.rowid "
		                            "WHERE products_fts MATCH ?");
		bind_text(b, &nb, fts.s);
	} else {
		sb_add(&sql, "0 FROM products p WHERE 1");
	}
	if (f->category && *f->category) {
		/* the path itself or anything under it; a range keeps the index */
		*catlo = xasprintf("%s/", f->category);
		*cathi = xasprintf("%s0", f->category);
		sb_add(&sql, " AND (p.category = ? OR (p.category > ? AND p.category < ?))");
		bind_text(b, &nb, f->category);
		bind_text(b, &nb, *catlo);
		bind_text(b, &nb, *cathi);
	}
	if (cats && cats->n) {
		sb_add(&sql, " AND p.category IN (");
		for (int i = 0; i < cats->n && i < 64; i++) {
			sb_add(&sql, i ? ",?" : "?");
			bind_text(b, &nb, cats->v[i]);
		}
		sb_addc(&sql, ')');
	}
	if (f->moq_max >= 0) {
		sb_add(&sql, " AND p.moq <= ?");
		bind_num(b, &nb, f->moq_max);
	}
	if (f->lead_time_max_days >= 0) {
		sb_add(&sql, " AND p.lead_time_days <= ?");
		bind_num(b, &nb, f->lead_time_max_days);
	}
	if (f->samples)
		sb_add(&sql, " AND p.samples <> 0");
	if (f->customization)
		sb_add(&sql, " AND p.customization <> ''");
	if (f->incoterm) {
		sb_add(&sql, " AND p.incoterm = ? COLLATE NOCASE");
		bind_text(b, &nb, f->incoterm);
	}
	rc = sqlite3_prepare_v2(q->m->db, sql.s, -1, st, NULL);
	for (int i = 0; rc == SQLITE_OK && i < nb; i++) {
		if (b[i].is_text)
			rc = sqlite3_bind_text(*st, i + 1, b[i].s, -1, SQLITE_TRANSIENT);
		else
			rc = sqlite3_bind_double(*st, i + 1, b[i].d);
	}
	sb_free(&sql);
	sb_free(&fts);
	if (rc != SQLITE_OK) {
		match_db_error(q->m, e, "prepare");
		sqlite3_finalize(*st);
		*st = NULL;
		return -1;
	}
	return 0;
}

static uint64_t market_bit(match_ctx *m, const char *code)
{
	int b = match_intern_get(&m->markets, code, strlen(code), 0, 0);

	return b >= 0 && b < MATCH_MARKET_BITS ? 1ull << b : 0;
}

static void market_pat_init(match_ctx *m, market_pat *mp, const char *market)
{
	snprintf(mp->pat, sizeof(mp->pat), " %s ", market);
	mp->eu = util_strieq(market, "EU");
	mp->eu_member = !mp->eu && ref_is_eu(m->ref, market);
	mp->mask = market_bit(m, market);
	if (mp->eu || mp->eu_member)
		mp->mask |= market_bit(m, "EU");
	for (int i = 0; mp->eu && i < m->markets.n && i < MATCH_MARKET_BITS; i++)
		if (strlen(m->markets.v[i]) == 2 && ref_is_eu(m->ref, m->markets.v[i]))
			mp->mask |= 1ull << i;
}

static int exports_to(const match_ctx *m, const sup *s, const market_pat *mp)
{
	if (!(s->exmask & MATCH_MARKET_MORE))
		return (s->exmask & mp->mask) != 0;
	const char *exports = sup_str(m, s->exports);

	if (strstr(exports, mp->pat))
		return 1;
	if (mp->eu) {
		for (const char *p = exports; *p;) {
			while (*p == ' ')
				p++;
			size_t n = strcspn(p, " ");
			if (n == 2) {
				char c[3] = {p[0], p[1], 0};
				if (ref_is_eu(m->ref, c))
					return 1;
			}
			p += n;
		}
		return 0;
	}
	return mp->eu_member && strstr(exports, " EU ") != NULL;
}

static int country_passes(const souk_filter *f, const char *country)
{
	if (f->supplier_countries.n && !strlist_has(&f->supplier_countries, country))
		return 0;
	return !(f->exclude_countries.n && strlist_has(&f->exclude_countries, country));
}

/* The verdict of each interned country, so that a supplier's is read by
 * its country's number: comparing its country's string touched a page of
 * supplier strings for most suppliers (500,000 of them in a catalog of
 * 10,000,000 products). */
static unsigned char *country_verdicts(const match_ctx *m, const souk_filter *f)
{
	unsigned char *ok;

	if (!f->supplier_countries.n && !f->exclude_countries.n)
		return NULL;
	ok = xmalloc((size_t)m->countries.n + 1);
	for (int i = 0; i < m->countries.n; i++)
		ok[i] = country_passes(f, m->countries.v[i]) ? 2 : 1;
	return ok;
}

static int sup_passes(const query *q, const sup *s)
{
	const match_ctx *m = q->m;
	const souk_filter *f = q->f;

	if (q->country_ok) {
		/* the number is checked where it is read; a country not
		 * interned goes by its string */
		if (s->country_idx >= 0 && s->country_idx < m->countries.n
		            ? q->country_ok[s->country_idx] != 2
		            : !country_passes(f, sup_str(m, s->country)))
			return 0;
	}
	if (f->verified_only && !s->verified)
		return 0;
	if (f->min_rating >= 0 && (s->rating < 0 || s->rating + 1e-9 < f->min_rating))
		return 0;
	if (f->min_years >= 0 && (s->year <= 0 || m->year - s->year + 1e-9 < f->min_years))
		return 0;
	if (f->business_type && !util_strieq(sup_str(m, s->btype), f->business_type))
		return 0;
	return 1;
}

/* The supplier filters as one string: the cached verdicts are reused while
 * it stays the same. */
static char *sup_key(const souk_filter *f)
{
	strbuf b;

	sb_init(&b);
	for (int i = 0; i < f->supplier_countries.n; i++)
		sb_printf(&b, "%s,", f->supplier_countries.v[i]);
	sb_addc(&b, ';');
	for (int i = 0; i < f->exclude_countries.n; i++)
		sb_printf(&b, "%s,", f->exclude_countries.v[i]);
	sb_printf(&b, ";%d;%g;%g;%s", f->verified_only, f->min_rating, f->min_years,
	          f->business_type ? f->business_type : "");
	return sb_steal(&b);
}

/* Verdicts per supplier are decided when a candidate of the supplier
 * first needs one and kept in the context while the filters that decide
 * them stay the same: a query reads the suppliers of its hits only, not
 * all of them (50,000 records, 4 MB, in a million-product catalog). */
static unsigned char *sup_cache_use(sup_cache *c, char *key, int nsups)
{
	if (c->key && strcmp(c->key, key) == 0) {
		free(key);
		return c->ok;
	}
	match_cache_free(c);
	c->key = key;
	c->ok = xcalloc((size_t)nsups + 1, 1);
	return c->ok;
}

/* NULL when no supplier filter is set: every supplier passes. */
static unsigned char *sup_verdicts(match_ctx *m, const souk_filter *f)
{
	if (!f->supplier_countries.n && !f->exclude_countries.n && !f->verified_only &&
	    f->min_rating < 0 && f->min_years < 0 && !f->business_type)
		return NULL;
	return sup_cache_use(&m->filt, sup_key(f), m->nsups);
}

static int sup_ok(query *q, int s)
{
	unsigned char *v = q->sup_ok;

	if (!v)
		return 1;
	if (!v[s])
		v[s] = sup_passes(q, &q->m->sups[s]) ? 2 : 1;
	return v[s] == 2;
}

static int sup_exports(query *q, int s)
{
	unsigned char *v = q->sup_exp;

	if (!v[s])
		v[s] = exports_to(q->m, &q->m->sups[s], &q->mp) ? 2 : 1;
	return v[s] == 2;
}

/* The certifications that show a product is sold legally in the market
 * (assets/certifications.tsv, through ref): an offer carrying one of them
 * serves that market even when the supplier does not list it among its
 * export markets. */
static uint64_t market_cert_mask(match_ctx *m, const char *market)
{
	const souk_ref *r = m->ref;
	uint64_t mask = 0;

	for (int i = 0; market && i < ref_cert_count(r); i++) {
		const ref_cert *c = ref_cert_at(r, i);
		if (ref_cert_serves(r, c->name, market))
			mask |= match_certs_mask(m, c->name, 1);
	}
	return mask;
}

/* Offer currency -> buyer currency, remembering the last code (most
 * catalogs price nearly everything in one currency). */
double match_cur_factor(query *q, const char *code)
{
	double r;

	if (!code)
		code = "USD";
	if (strcmp(code, q->cur_code) == 0)
		return q->cur_factor;
	r = money_rate(q->m->money, code);
	snprintf(q->cur_code, sizeof(q->cur_code), "%s", code);
	q->cur_factor = r > 0 ? q->buyer_rate / r : -1;
	return q->cur_factor;
}

int match_incoterm_index(const char *s)
{
	for (int i = 1; s && i < 5; i++)
		if (util_strieq(s, match_incoterms[i]))
			return i;
	return 0;
}

int match_query_setup(query *q, match_ctx *m, const souk_filter *f, souk_err *e)
{
	memset(q, 0, sizeof(*q));
	q->m = m;
	q->f = f;
	q->buyer_rate = money_rate(m->money, f->currency[0] ? f->currency : "USD");
	if (q->buyer_rate <= 0) {
		err_set(e,
		        "unknown currency \"%s\" (use an ISO code from fx.tsv, such as USD or EUR)",
		        f->currency);
		return -1;
	}
	q->sup_ok = sup_verdicts(m, f);
	q->country_ok = country_verdicts(m, f);
	if (f->market) {
		market_pat_init(m, &q->mp, f->market);
		q->sup_exp = sup_cache_use(&m->exports, xstrdup(f->market), m->nsups);
	}
	for (int i = 0; i < f->certifications.n; i++) {
		const char *c = f->certifications.v[i];
		uint64_t bits = match_certs_mask(m, c, 1);
		if (!bits)
			q->req_missing = 1;
		else if (!strchr(c, '|'))
			q->req |= bits;
		else if (q->nreq_any < MATCH_ANY_MAX)
			q->req_any[q->nreq_any++] = bits; /* any one of them */
	}
	q->mcerts = market_cert_mask(m, f->market);
	return 0;
}

void match_query_free(query *q)
{
	free(q->cur_factors);
	free(q->cat_ok);
	free(q->country_ok);
	free(q->named);
	free(q->named_done);
	free(q->c);
	free(q->prices);
	free(q->moqs);
	free(q->leads);
	free(q->prices_below);
	free(q->moqs_below);
	free(q->leads_below);
	free(q->cert_counts);
	free(q->country_counts);
	free(q->cat_counts);
}

int match_tiers_load(match_ctx *m, int64_t id, money_tier *t)
{
	int n = 0;

	sqlite3_reset(m->tiers_st);
	sqlite3_bind_int64(m->tiers_st, 1, id);
	while (n < MATCH_MAX_TIERS && sqlite3_step(m->tiers_st) == SQLITE_ROW) {
		t[n].min_qty = (long)sqlite3_column_int64(m->tiers_st, 0);
		t[n].price = sqlite3_column_double(m->tiers_st, 1);
		n++;
	}
	sqlite3_reset(m->tiers_st);
	money_tiers_sort(t, n);
	return n;
}

/* A candidate's tiers, sorted: from the columns when it came from them. */
int match_cand_tiers(query *q, const cand *c, money_tier *t)
{
	const prod *p;
	int n = 0;

	if (c->pidx < 0)
		return match_tiers_load(q->m, c->id, t);
	p = &q->m->prods[c->pidx];
	for (int i = 0; i < p->ntiers && i < MATCH_MAX_TIERS; i++, n++) {
		t[n].min_qty = q->m->tiers[p->tier0 + i].min_qty;
		t[n].price = q->m->tiers[p->tier0 + i].price;
	}
	return n;
}

double match_cand_qty(const query *q, const cand *c)
{
	return c->at_moq ? c->moq : q->f->quantity;
}

/* The exact price at the buyer's quantity (or the MOQ above it) from the
 * tier table. */
void match_cand_price(query *q, cand *c)
{
	double qty = match_cand_qty(q, c);
	money_tier t[MATCH_MAX_TIERS];
	int n;

	c->exact = 1;
	if (c->factor < 0) {
		c->price = -1;
		return;
	}
	if (c->pidx >= 0) {
		const prod *p = &q->m->prods[c->pidx];
		const ptier *pt = q->m->tiers + p->tier0;
		int at = 0;
		if (p->ntiers == 0) {
			c->price = c->lo;
			return;
		}
		/* stored in key order: the largest min_qty <= quantity, else the first */
		for (int i = 1; i < p->ntiers && qty >= 0; i++)
			if (pt[i].min_qty <= qty)
				at = i;
		c->price = pt[at].price * c->factor;
		return;
	}
	n = match_tiers_load(q->m, c->id, t);
	if (n == 0) {
		c->price = c->lo; /* no tiers: the denormalised price is all there is */
		return;
	}
	c->price = t[money_tier_at(t, n, qty)].price * c->factor;
}

static int price_passes(const souk_filter *f, double price)
{
	if (f->price_max >= 0 && (price < 0 || price > f->price_max * (1 + 1e-9)))
		return 0;
	if (f->price_min >= 0 && (price < 0 || price < f->price_min * (1 - 1e-9)))
		return 0;
	return 1;
}

/* The checks both row sources share: supplier, certifications, market and
 * the price range. c->sup, certs, factor and the native lo/hi are set. */
static int cand_check(query *q, cand *c)
{
	const souk_filter *f = q->f;

	if (c->sup < 0 || !sup_ok(q, c->sup))
		return 0;
	if (q->req_missing || (c->certs & q->req) != q->req)
		return 0;
	for (int k = 0; k < q->nreq_any; k++)
		if (!(c->certs & q->req_any[k]))
			return 0;
	c->mkt = 0;
	if (f->market) {
		c->mkt = sup_exports(q, c->sup) ? 2 : (c->certs & q->mcerts) ? 1 : 0;
		if (!c->mkt)
			return 0;
	}
	if (c->factor < 0) {
		c->lo = c->hi = -1;
	} else {
		if (c->lo >= 0)
			c->lo *= c->factor;
		if (c->hi >= 0)
			c->hi *= c->factor;
		if (c->hi < 0)
			c->hi = c->lo;
		if (c->lo < 0)
			c->lo = c->hi;
	}
	/* The price at any quantity lies inside the tier range: decide from the
	 * range when it can, and mark the rows that straddle a limit. */
	c->need = 0;
	if (f->price_max >= 0 || f->price_min >= 0) {
		if (c->lo < 0)
			return 0;
		if (f->price_max >= 0 && c->lo > f->price_max * (1 + 1e-9))
			return 0;
		if (f->price_min >= 0 && c->hi < f->price_min * (1 - 1e-9))
			return 0;
		c->need = !price_passes(f, c->lo) || !price_passes(f, c->hi);
	}
	c->price = -1;
	c->exact = 0;
	c->landed = -1;
	c->score = 0;
	return 1;
}

/* A candidate from an SQL row (the product filters already ran in SQL). */
static int cand_take_sql(query *q, sqlite3_stmt *st, cand *c)
{
	match_ctx *m = q->m;
	const char *cat;

	c->sup = match_sup_find(m, sqlite3_column_int64(st, 1));
	if (c->sup < 0 || !sup_ok(q, c->sup))
		return 0; /* before parsing anything else */
	c->certs = match_certs_mask(m, (const char *)sqlite3_column_text(st, 8), 1) |
	           m->sups[c->sup].certmask;
	c->factor = match_cur_factor(q, (const char *)sqlite3_column_text(st, 6));
	c->lo = match_col_num(st, 4);
	c->hi = match_col_num(st, 5);
	if (!cand_check(q, c))
		return 0;
	c->pidx = -1;
	c->id = sqlite3_column_int64(st, 0);
	c->moq = sqlite3_column_int(st, 2);
	c->at_moq = q->f->quantity >= 0 && c->moq > q->f->quantity;
	c->lead = sqlite3_column_type(st, 3) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 3);
	c->incoterm = (unsigned char)match_incoterm_index((const char *)sqlite3_column_text(st, 7));
	cat = (const char *)sqlite3_column_text(st, 9);
	c->cat = q->count_only
	                 ? -1
	                 : match_intern_get(&m->cats, cat ? cat : "", cat ? strlen(cat) : 0, 1, 0);
	c->weight = (float)match_col_num(st, 10);
	c->volume = (float)match_col_num(st, 11);
	c->bm25 = (float)sqlite3_column_double(st, 12);
	return 1;
}

/* A candidate from the preloaded records: the product filters run here. */
static int cand_take_mem(query *q, int i, double bm25, int incoterm, cand *c)
{
	const souk_filter *f = q->f;
	const prod *p = &q->m->prods[i];

	/* the index's columns are checked where they are read */
	if (p->sup < 0 || p->sup >= q->m->nsups || p->cat >= q->m->cats.n || p->tier0 < 0 ||
	    p->tier0 + (long)p->ntiers > q->m->ntiers || p->incoterm > 4)
		return 0;
	if ((q->cat_ok && (p->cat < 0 || !q->cat_ok[p->cat])) ||
	    (f->moq_max >= 0 && p->moq > f->moq_max) ||
	    (f->lead_time_max_days >= 0 && (p->lead < 0 || p->lead > f->lead_time_max_days)) ||
	    (f->samples && !(p->flags & PROD_SAMPLES)) ||
	    (f->customization && !(p->flags & PROD_CUSTOM)) ||
	    (f->incoterm && p->incoterm != incoterm))
		return 0;
	c->sup = p->sup;
	c->certs = p->certs;
	c->factor = p->cur < q->m->curs.n ? q->cur_factors[p->cur] : -1;
	c->lo = p->lo;
	c->hi = p->hi;
	if (!cand_check(q, c))
		return 0;
	c->pidx = i;
	c->id = q->m->prod_ids[i];
	c->moq = p->moq;
	c->at_moq = q->f->quantity >= 0 && c->moq > q->f->quantity;
	c->lead = p->lead;
	c->incoterm = p->incoterm;
	c->cat = p->cat;
	c->weight = p->weight;
	c->volume = p->volume;
	c->bm25 = (float)bm25;
	return 1;
}

/* Room for n candidates in one block, mapped at once: the searches that
 * know how many there can be size the array so (doubling it as it fills
 * measured half as fast again: copies, mremaps). */
static void cand_reserve(query *q, long n)
{
	if (q->cap < n + 1) {
		q->cap = (int)n + 1;
		q->c = xrealloc_hot(q->c, sizeof(*q->c) * (size_t)q->cap);
	}
}

/* The next candidate's slot. Past the room reserved the array doubles,
 * and the part it grew by is mapped at once: it is about to be written. */
static cand *cand_slot(query *q)
{
	if (q->n == q->cap) {
		int old = q->cap;
		q->cap = q->cap ? q->cap * 2 : 1024;
		q->c = xrealloc(q->c, sizeof(*q->c) * (size_t)q->cap);
		util_prefault(q->c + old, sizeof(*q->c) * (size_t)(q->cap - old));
	}
	return &q->c[q->n];
}

/* Which interned categories pass: the category itself and everything under
 * it, or exactly one of cats (similar offers). */
static void cat_bitmap(query *q, const strlist *cats)
{
	const intern *t = &q->m->cats;
	const char *want = q->f->category;
	size_t wl = want ? strlen(want) : 0;

	if (!(cats && cats->n) && !(want && *want))
		return;
	q->cat_ok = xcalloc((size_t)t->n + 1, 1);
	for (int i = 0; i < t->n; i++) {
		const char *c = t->v[i];
		if (cats && cats->n)
			q->cat_ok[i] = (unsigned char)strlist_has(cats, c);
		else
			q->cat_ok[i] =
			        strcmp(c, want) == 0 || (strncmp(c, want, wl) == 0 && c[wl] == '/');
	}
}

/* Offer currency -> buyer currency for every currency of the columns. */
static void cur_factors(query *q)
{
	match_ctx *m = q->m;

	if (q->cur_factors)
		return;
	q->cur_factors = xcalloc((size_t)m->curs.n + 1, sizeof(double));
	for (int i = 0; i < m->curs.n; i++) {
		double r = money_rate(m->money, m->curs.v[i]);
		q->cur_factors[i] = r > 0 ? q->buyer_rate / r : -1;
	}
}

int match_cand_at(query *q, int i, cand *c)
{
	cur_factors(q);
	return cand_take_mem(q, i, 0, 0, c);
}

/* Whether the scan reads category runs (a category filter on clustered
 * records) rather than every record. */
static int by_runs(const query *q)
{
	return q->cat_ok && q->m->cat_start;
}

/* The records [*from, *to) run c covers: every record when the scan does
 * not go by runs, nothing for a category not asked for or a damaged run
 * (checked where read). */
static void run_bounds(const query *q, int c, int *from, int *to)
{
	const match_ctx *m = q->m;

	*from = 0;
	*to = m->nprods;
	if (!by_runs(q))
		return;
	*from = m->cat_start[c];
	*to = m->cat_start[c + 1];
	if (!q->cat_ok[c] || *from < 0 || *to > m->nprods || *from > *to)
		*from = *to = 0;
}

/* Every record, or with a category filter on clustered records only the
 * runs of the categories asked for (a query then reads their pages only;
 * the candidates are sized once from the runs' records). */
static int scan_runs(query *q, int incoterm, souk_err *e)
{
	match_ctx *m = q->m;
	int nruns = by_runs(q) ? m->cat_start_n : 1;

	if (by_runs(q)) {
		long size = 0;
		for (int c = 0; c < nruns; c++) {
			int from, to;
			run_bounds(q, c, &from, &to);
			size += to - from;
		}
		cand_reserve(q, size);
	}
	for (int c = 0; c < nruns; c++) {
		int from, to;
		run_bounds(q, c, &from, &to);
		for (int i = from; i < to; i++) {
			if (cand_take_mem(q, i, 0, incoterm, cand_slot(q)))
				q->n++;
			if ((i & 65535) == 0 && match_stopped(m, e))
				return -1;
		}
	}
	return 0;
}

static int scan_mem(query *q, const strlist *cats, souk_err *e)
{
	match_ctx *m = q->m;
	int incoterm = match_incoterm_index(q->f->incoterm);
	int rc = 0;

	cur_factors(q);
	cat_bitmap(q, cats);
	if (match_keywords_have_word(&q->f->keywords)) {
		rc = match_fts_hits(m, &q->f->keywords, e);
		if (rc == 0)
			cand_reserve(q, m->fts_n); /* at most a candidate per hit */
		for (int k = 0; rc == 0 && k < m->fts_n; k++) {
			int i = m->fts_recs[k];
			cand *c = cand_slot(q);
			if (i < 0 || i >= m->nprods ||
			    !cand_take_mem(q, i, m->fts_rel ? m->fts_rel[k] : 0, incoterm, c))
				continue;
			/* bm25 only for the hits that pass the filters */
			if (m->fts_freq && !q->count_only)
				c->bm25 = (float)match_terms_bm25(m, m->fts_freq, k, i);
			q->n++;
		}
	} else {
		rc = scan_runs(q, incoterm, e);
	}
	return rc;
}

/* bm25 of a search FTS5 answered, for the candidates that passed every
 * filter. */
static int rank_phrases(query *q, souk_err *e)
{
	if (!q->m->prods || !match_keywords_have_word(&q->f->keywords))
		return 0; /* read through SQL, with FTS5's bm25; or no search */
	return match_phrases_rank(q, e);
}

int match_query_scan(query *q, const strlist *cats, souk_err *e)
{
	sqlite3_stmt *st = NULL;
	char *catlo = NULL, *cathi = NULL;
	int rc, k = 0;

	if (q->m->prods) {
		if (scan_mem(q, cats, e) < 0)
			return -1;
	} else {
		if (cand_prepare(q, cats, &st, &catlo, &cathi, e) < 0) {
			free(catlo);
			free(cathi);
			return -1;
		}
		while ((rc = sqlite3_step(st)) == SQLITE_ROW)
			if (cand_take_sql(q, st, cand_slot(q)))
				q->n++;
		free(catlo);
		free(cathi);
		if (rc != SQLITE_DONE) {
			match_db_error(q->m, e, "search");
			sqlite3_finalize(st);
			return -1;
		}
		sqlite3_finalize(st);
	}
	if (match_stopped(q->m, e))
		return -1;
	/* the rows the range could not decide; then the offers that cannot be
	 * ordered at the buyer's quantity */
	for (int i = 0; i < q->n; i++) {
		cand *c = &q->c[i];
		if (c->need) {
			match_cand_price(q, c);
			if (!price_passes(q->f, c->price))
				continue;
		}
		if (c->at_moq && !q->f->include_larger_moq) {
			q->set_aside++;
			continue;
		}
		if (k != i) /* a candidate is 100 bytes: most stay where they are */
			q->c[k] = *c;
		k++;
		if ((i & 1023) == 0 && match_stopped(q->m, e))
			return -1;
	}
	q->n = k;
	return rank_phrases(q, e);
}

/* Exact prices for the whole result set when it is small enough; above
 * the cap the tier range stands in (the first tier is the range's top when
 * no quantity is known, and the rows shown get exact prices anyway). */
int match_query_prices(query *q, souk_err *e)
{
	/* preloaded tiers are cheap: always exact there */
	int exact = q->n <= MATCH_EXACT_CAP || q->m->prods;

	for (int i = 0; i < q->n; i++) {
		cand *c = &q->c[i];
		if (c->exact)
			continue;
		if (exact)
			match_cand_price(q, c);
		else
			c->price = q->f->quantity < 0 ? c->hi : (c->lo + c->hi) / 2;
		if ((i & 1023) == 0 && match_stopped(q->m, e))
			return -1;
	}
	return 0;
}
