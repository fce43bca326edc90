/* match: filter -> ranked offers, facets, highlights, similar suppliers, relaxations. */
#include "match.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "money.h"
#include "text.h"

/* The year "years in business" counts to; the catalog has no clock. */
#define MATCH_YEAR_NOW 2026
/* Offers get their exact price at the quantity from the tier table; above
 * this many candidates the rest are ranked on the tier range instead, so a
 * query that matches half the catalog stays interactive. */
#define MATCH_EXACT_CAP 6000
#define MATCH_MAX_TIERS 32
#define CERT_BITS       64

/* ---- interned strings (categories, certifications, countries) ---- */

typedef struct intern {
	char **v;
	int n;
	int *slots; /* open addressing, -1 empty; size cap (a power of two) */
	int cap;
	int fold; /* compare and hash case-insensitively */
} intern;

static unsigned intern_hash(const char *s, size_t len, int fold)
{
	unsigned h = 2166136261u;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		h = (h ^ (fold ? (unsigned char)tolower(c) : c)) * 16777619u;
	}
	return h;
}

static int intern_eq(const char *a, const char *b, size_t len, int fold)
{
	if (strlen(a) != len)
		return 0;
	if (!fold)
		return memcmp(a, b, len) == 0;
	for (size_t i = 0; i < len; i++)
		if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[i]))
			return 0;
	return 1;
}

static void intern_grow(intern *t)
{
	int cap = t->cap ? t->cap * 2 : 64;
	t->slots = xrealloc(t->slots, sizeof(int) * (size_t)cap);
	for (int i = 0; i < cap; i++)
		t->slots[i] = -1;
	t->cap = cap;
	for (int k = 0; k < t->n; k++) {
		unsigned h = intern_hash(t->v[k], strlen(t->v[k]), t->fold) & (unsigned)(cap - 1);
		while (t->slots[h] >= 0)
			h = (h + 1) & (unsigned)(cap - 1);
		t->slots[h] = k;
	}
}

/* Index of s[0..len) in t, adding it when add and it is new; -1 if absent
 * (or when t already holds max entries). */
static int intern_get(intern *t, const char *s, size_t len, int add, int max)
{
	unsigned h;

	if (t->cap) {
		h = intern_hash(s, len, t->fold) & (unsigned)(t->cap - 1);
		while (t->slots[h] >= 0) {
			if (intern_eq(t->v[t->slots[h]], s, len, t->fold))
				return t->slots[h];
			h = (h + 1) & (unsigned)(t->cap - 1);
		}
	}
	if (!add || (max > 0 && t->n >= max))
		return -1;
	if ((t->n + 1) * 2 > t->cap)
		intern_grow(t);
	t->v = xrealloc(t->v, sizeof(char *) * (size_t)(t->n + 1));
	t->v[t->n] = xstrndup(s, len);
	h = intern_hash(s, len, t->fold) & (unsigned)(t->cap - 1);
	while (t->slots[h] >= 0)
		h = (h + 1) & (unsigned)(t->cap - 1);
	t->slots[h] = t->n;
	return t->n++;
}

static void intern_free(intern *t)
{
	for (int i = 0; i < t->n; i++)
		free(t->v[i]);
	free(t->v);
	free(t->slots);
	memset(t, 0, sizeof(*t));
}

/* ---- the context ---- */

typedef struct sup {
	int64_t id;
	char *name, *country, *city, *btype, *exports, *certs;
	int verified, reviews, year; /* year 0: unknown */
	double rating, resp, ontime; /* -1: unknown */
	uint64_t certmask;
	int country_idx;
} sup;

/* Large catalogs keep the columns the filters and the ranking read in
 * memory, loaded once at open: a refinement then costs the FTS lookup and
 * a pass over compact records instead of a B-tree seek per candidate. */
typedef struct ptier {
	int32_t min_qty;
	float price;
} ptier;

typedef struct prod {
	float lo, hi;         /* tier range in the offer's currency, -1 unknown */
	float weight, volume; /* per unit, -1 unknown */
	uint64_t certs;       /* the product's and its supplier's */
	int32_t sup, moq, cat, tier0;
	int16_t lead;
	uint8_t ntiers, incoterm, flags, cur;
} prod;

#define PROD_SAMPLES 1
#define PROD_CUSTOM  2

/* Per-query caches that survive between refinements (the same market or
 * supplier filters are common from one turn to the next). */
typedef struct sup_cache {
	char *key;
	unsigned char *ok;
} sup_cache;

struct match_ctx {
	sqlite3 *db;
	money_tables *money;
	sup *sups;
	int nsups;
	int *dense; /* supplier id -> index when ids are compact, else NULL */
	int64_t dense_max;
	intern certs, cats, countries;
	sup_cache filt, exports;
	sqlite3_stmt *tiers_st, *detail_st;
	prod *prods; /* NULL: small catalog, read through SQL */
	int nprods;
	int32_t *prod_dense; /* product id -> index */
	int64_t prod_dense_max;
	int64_t *prod_ids; /* sorted ids when they are not compact */
	ptier *tiers;
	long ntiers;
	intern curs; /* currency codes of the preloaded products */
	/* The last keyword search on a preloaded catalog: refinements that only
	 * change filters, and the relaxations tried when nothing matches, reuse
	 * its hits instead of searching again. */
	char *fts_key;
	int64_t *fts_ids;
	float *fts_rel; /* bm25, or -1/0 for keywords in the title or not */
	int fts_n;
	atomic_int stop;
};

static int db_error(match_ctx *m, souk_err *e, const char *what)
{
	int code = sqlite3_errcode(m->db);
	if (code == SQLITE_INTERRUPT || atomic_load(&m->stop))
		err_set(e, "query interrupted");
	else
		err_set(e, "catalog query failed (%s): %s", what, sqlite3_errmsg(m->db));
	return -1;
}

static char *col_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);
	return xstrdup(s ? (const char *)s : "");
}

static double col_num(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? -1 : sqlite3_column_double(st, i);
}

/* Bits of the certifications in a '|'- or ','-separated list. */
static uint64_t certs_mask(match_ctx *m, const char *s, int add)
{
	uint64_t mask = 0;

	if (!s)
		return 0;
	while (*s) {
		size_t n = strcspn(s, "|,");
		const char *a = s, *b = s + n;
		while (a < b && isspace((unsigned char)*a))
			a++;
		while (b > a && isspace((unsigned char)b[-1]))
			b--;
		if (b > a) {
			int bit = intern_get(&m->certs, a, (size_t)(b - a), add, CERT_BITS);
			if (bit >= 0)
				mask |= 1ull << bit;
		}
		s += n;
		if (*s)
			s++;
	}
	return mask;
}

static int load_suppliers(match_ctx *m, souk_err *e)
{
	sqlite3_stmt *st;
	int cap = 0;

	if (sqlite3_prepare_v2(m->db,
	                       "SELECT id, name, country, city, business_type, verified, "
	                       "year_established, rating, review_count, response_rate, "
	                       "on_time_rate, export_markets, certifications FROM suppliers "
	                       "ORDER BY id",
	                       -1, &st, NULL) != SQLITE_OK)
		return db_error(m, e, "suppliers");
	while (sqlite3_step(st) == SQLITE_ROW) {
		sup *s;
		if (m->nsups == cap) {
			cap = cap ? cap * 2 : 1024;
			m->sups = xrealloc(m->sups, sizeof(*m->sups) * (size_t)cap);
		}
		s = &m->sups[m->nsups++];
		s->id = sqlite3_column_int64(st, 0);
		s->name = col_dup(st, 1);
		s->country = col_dup(st, 2);
		for (char *p = s->country; *p; p++)
			*p = (char)toupper((unsigned char)*p);
		s->city = col_dup(st, 3);
		s->btype = text_lower(col_dup(st, 4));
		s->verified = sqlite3_column_int(st, 5) != 0;
		s->year = sqlite3_column_int(st, 6);
		s->rating = col_num(st, 7);
		s->reviews = sqlite3_column_int(st, 8);
		s->resp = col_num(st, 9);
		s->ontime = col_num(st, 10);
		s->exports = col_dup(st, 11);
		s->certs = col_dup(st, 12);
		s->certmask = certs_mask(m, s->certs, 1);
		s->country_idx = intern_get(&m->countries, s->country, strlen(s->country), 1, 0);
	}
	if (sqlite3_finalize(st) != SQLITE_OK)
		return db_error(m, e, "suppliers");
	/* Catalogs number suppliers 1..n; a direct index then beats a search. */
	if (m->nsups && m->sups[m->nsups - 1].id < 4 * (int64_t)m->nsups + 1024 &&
	    m->sups[0].id >= 0) {
		m->dense_max = m->sups[m->nsups - 1].id;
		m->dense = xmalloc(sizeof(int) * (size_t)(m->dense_max + 1));
		for (int64_t i = 0; i <= m->dense_max; i++)
			m->dense[i] = -1;
		for (int i = 0; i < m->nsups; i++)
			m->dense[m->sups[i].id] = i;
	}
	return 0;
}

static int sup_find(const match_ctx *m, int64_t id)
{
	int lo = 0, hi = m->nsups - 1;

	if (m->dense)
		return id >= 0 && id <= m->dense_max ? m->dense[id] : -1;
	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		if (m->sups[mid].id == id)
			return mid;
		if (m->sups[mid].id < id)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

static int incoterm_index(const char *s);

/* Catalogs at least this big are preloaded (see struct prod); below it a
 * one-shot `souk query` is faster reading just the rows it needs. */
#define MATCH_PRELOAD_MIN 100000

static int prod_find(const match_ctx *m, int64_t id)
{
	int lo = 0, hi = m->nprods - 1;

	if (m->prod_dense)
		return id >= 0 && id <= m->prod_dense_max ? m->prod_dense[id] : -1;
	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		if (m->prod_ids[mid] == id)
			return mid;
		if (m->prod_ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

static void prod_index(match_ctx *m, int64_t *ids)
{
	if (m->nprods && ids[m->nprods - 1] < 2 * (int64_t)m->nprods + 1024 && ids[0] >= 0) {
		m->prod_dense_max = ids[m->nprods - 1];
		m->prod_dense = xmalloc(sizeof(int32_t) * (size_t)(m->prod_dense_max + 1));
		for (int64_t i = 0; i <= m->prod_dense_max; i++)
			m->prod_dense[i] = -1;
		for (int i = 0; i < m->nprods; i++)
			m->prod_dense[ids[i]] = i;
		free(ids);
	} else {
		m->prod_ids = ids;
	}
}

static int load_tiers(match_ctx *m, souk_err *e)
{
	sqlite3_stmt *st;
	long cap = (long)m->nprods * 4 + 16;
	int at = -1;
	int64_t last = -1;

	if (sqlite3_prepare_v2(m->db, "SELECT product_id, min_qty, price FROM price_tiers", -1, &st,
	                       NULL) != SQLITE_OK)
		return db_error(m, e, "price tiers");
	m->tiers = xmalloc(sizeof(*m->tiers) * (size_t)cap);
	while (sqlite3_step(st) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		if (id != last) {
			at = prod_find(m, id);
			last = id;
			/* tiers arrive grouped by product (the primary key) */
			if (at >= 0 && m->prods[at].ntiers == 0)
				m->prods[at].tier0 = (int32_t)m->ntiers;
			else
				at = -1;
		}
		if (at < 0 || m->prods[at].ntiers >= MATCH_MAX_TIERS)
			continue;
		if (m->ntiers == cap) {
			cap *= 2;
			m->tiers = xrealloc(m->tiers, sizeof(*m->tiers) * (size_t)cap);
		}
		m->tiers[m->ntiers].min_qty = (int32_t)sqlite3_column_int64(st, 1);
		m->tiers[m->ntiers].price = (float)sqlite3_column_double(st, 2);
		m->ntiers++;
		m->prods[at].ntiers++;
	}
	if (sqlite3_finalize(st) != SQLITE_OK)
		return db_error(m, e, "price tiers");
	return 0;
}

static int load_products(match_ctx *m, souk_err *e)
{
	sqlite3_stmt *st;
	int cap = 0;
	int64_t *ids = NULL;

	if (sqlite3_prepare_v2(
	            m->db,
	            "SELECT id, supplier_id, moq, lead_time_days, price_lo, price_hi, "
	            "currency, incoterm, certs, category, weight_kg, volume_m3, samples, "
	            "customization <> '' FROM products ORDER BY id",
	            -1, &st, NULL) != SQLITE_OK)
		return db_error(m, e, "products");
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *cat = (const char *)sqlite3_column_text(st, 9);
		const char *cur = (const char *)sqlite3_column_text(st, 6);
		int ci;
		prod *p;
		if (m->nprods == cap) {
			cap = cap ? cap * 2 : 65536;
			m->prods = xrealloc(m->prods, sizeof(*m->prods) * (size_t)cap);
			ids = xrealloc(ids, sizeof(*ids) * (size_t)cap);
		}
		p = &m->prods[m->nprods];
		memset(p, 0, sizeof(*p));
		ids[m->nprods] = sqlite3_column_int64(st, 0);
		p->sup = sup_find(m, sqlite3_column_int64(st, 1));
		p->moq = sqlite3_column_int(st, 2);
		p->lead = sqlite3_column_type(st, 3) == SQLITE_NULL
		                  ? -1
		                  : (int16_t)fmin(sqlite3_column_int(st, 3), 32767);
		p->lo = (float)col_num(st, 4);
		p->hi = (float)col_num(st, 5);
		ci = intern_get(&m->curs, cur ? cur : "USD", cur ? strlen(cur) : 3, 1, 255);
		p->cur = (uint8_t)(ci < 0 ? 255 : ci);
		p->incoterm = (uint8_t)incoterm_index((const char *)sqlite3_column_text(st, 7));
		p->certs = certs_mask(m, (const char *)sqlite3_column_text(st, 8), 1) |
		           (p->sup >= 0 ? m->sups[p->sup].certmask : 0);
		p->cat = intern_get(&m->cats, cat ? cat : "", cat ? strlen(cat) : 0, 1, 0);
		p->weight = (float)col_num(st, 10);
		p->volume = (float)col_num(st, 11);
		p->flags = (uint8_t)((sqlite3_column_int(st, 12) ? PROD_SAMPLES : 0) |
		                     (sqlite3_column_int(st, 13) ? PROD_CUSTOM : 0));
		m->nprods++;
	}
	if (sqlite3_finalize(st) != SQLITE_OK) {
		free(ids);
		return db_error(m, e, "products");
	}
	prod_index(m, ids);
	return load_tiers(m, e);
}

/* The largest product id: a cheap stand-in for the count. */
static int64_t products_size(match_ctx *m)
{
	sqlite3_stmt *st;
	int64_t n = 0;

	if (sqlite3_prepare_v2(m->db, "SELECT max(id) FROM products", -1, &st, NULL) != SQLITE_OK)
		return 0;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static void cache_free(sup_cache *c)
{
	free(c->key);
	free(c->ok);
	c->key = NULL;
	c->ok = NULL;
}

void match_close(match_ctx *m)
{
	if (!m)
		return;
	for (int i = 0; i < m->nsups; i++) {
		sup *s = &m->sups[i];
		free(s->name);
		free(s->country);
		free(s->city);
		free(s->btype);
		free(s->exports);
		free(s->certs);
	}
	free(m->sups);
	free(m->dense);
	intern_free(&m->certs);
	intern_free(&m->cats);
	intern_free(&m->countries);
	intern_free(&m->curs);
	free(m->prods);
	free(m->prod_dense);
	free(m->prod_ids);
	free(m->tiers);
	free(m->fts_key);
	free(m->fts_ids);
	free(m->fts_rel);
	cache_free(&m->filt);
	cache_free(&m->exports);
	sqlite3_finalize(m->tiers_st);
	sqlite3_finalize(m->detail_st);
	sqlite3_close(m->db);
	money_free(m->money);
	free(m);
}

static const char detail_sql[] =
        "SELECT title, category, moq_unit, certs, lead_time_days, weight_kg, volume_m3, "
        "incoterm, currency, moq, price_lo FROM products WHERE id = ?1";

match_ctx *match_open(const char *catalog, const char *assets, souk_err *e)
{
	return match_open_ex(catalog, assets, -1, e);
}

match_ctx *match_open_ex(const char *catalog, const char *assets, int preload, souk_err *e)
{
	match_ctx *m = xcalloc(1, sizeof(*m));

	m->certs.fold = 1;
	m->countries.fold = 1;
	atomic_init(&m->stop, 0);
	m->money = money_load(assets, e);
	if (!m->money) {
		match_close(m);
		return NULL;
	}
	if (sqlite3_open_v2(catalog, &m->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) !=
	    SQLITE_OK) {
		err_set(e,
		        "cannot open catalog %s: %s (check the path, or build one with souk demo)",
		        catalog, m->db ? sqlite3_errmsg(m->db) : "out of memory");
		match_close(m);
		return NULL;
	}
	sqlite3_busy_timeout(m->db, 5000);
	/* The page cache keeps the FTS doclists of consecutive refinements in
	 * memory; still well inside the RSS budget. */
	sqlite3_exec(m->db, "PRAGMA cache_size=-16000", NULL, NULL, NULL);
	if (sqlite3_prepare_v2(m->db,
	                       "SELECT min_qty, price FROM price_tiers WHERE product_id = ?1 "
	                       "ORDER BY min_qty",
	                       -1, &m->tiers_st, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(m->db, detail_sql, -1, &m->detail_st, NULL) != SQLITE_OK) {
		err_set(e,
		        "%s is not a souk catalog (%s; pass a catalog built by souk demo or "
		        "import)",
		        catalog, sqlite3_errmsg(m->db));
		match_close(m);
		return NULL;
	}
	if (preload > 0 || (preload < 0 && products_size(m) >= MATCH_PRELOAD_MIN)) {
		if (load_suppliers(m, e) < 0 || load_products(m, e) < 0) {
			match_close(m);
			return NULL;
		}
		return m;
	}
	/* Small catalogs are read row by row; a memory map saves a system
	 * call per page, most of the cost of a fresh `souk query`. (Large ones
	 * would count every mapped page they touch as resident.) */
	sqlite3_exec(m->db, "PRAGMA mmap_size=268435456", NULL, NULL, NULL);
	if (load_suppliers(m, e) < 0) {
		match_close(m);
		return NULL;
	}
	return m;
}

sqlite3 *match_db(match_ctx *m)
{
	return m->db;
}

struct money_tables *match_money(match_ctx *m)
{
	return m->money;
}

void match_interrupt(match_ctx *m)
{
	atomic_store(&m->stop, 1);
	sqlite3_interrupt(m->db);
}

void match_opts_init(match_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->limit = 50;
	o->sort = MATCH_SORT_SCORE;
	o->descending = 1;
	o->facets = 1;
}

void match_result_init(match_result *r)
{
	memset(r, 0, sizeof(*r));
	strcpy(r->currency, "USD");
}

void match_row_free(match_row *row)
{
	free(row->supplier);
	free(row->country);
	free(row->city);
	free(row->business_type);
	free(row->title);
	free(row->category);
	free(row->certs);
	free(row->moq_unit);
	free(row->reasons);
	free(row->highlights);
	free(row->similar_to);
	memset(row, 0, sizeof(*row));
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

void match_row_copy(match_row *dst, const match_row *src)
{
	*dst = *src;
	dst->supplier = dup_or_null(src->supplier);
	dst->country = dup_or_null(src->country);
	dst->city = dup_or_null(src->city);
	dst->business_type = dup_or_null(src->business_type);
	dst->title = dup_or_null(src->title);
	dst->category = dup_or_null(src->category);
	dst->certs = dup_or_null(src->certs);
	dst->moq_unit = dup_or_null(src->moq_unit);
	dst->reasons = dup_or_null(src->reasons);
	dst->highlights = dup_or_null(src->highlights);
	dst->similar_to = dup_or_null(src->similar_to);
}

static void counts_free(match_count *c, int n)
{
	for (int i = 0; i < n; i++)
		free(c[i].value);
	free(c);
}

void match_result_free(match_result *r)
{
	for (int i = 0; i < r->nrows; i++)
		match_row_free(&r->rows[i]);
	free(r->rows);
	counts_free(r->countries, r->ncountries);
	counts_free(r->certs, r->ncerts);
	counts_free(r->business_types, r->nbusiness_types);
	free(r->relax);
	match_result_init(r);
}

/* ---- one query ---- */

/* Certifications that show a product is sold legally in a market: an offer
 * carrying one of them counts as serving that market even when the
 * supplier does not list it among its export markets. */
static const struct {
	const char *market, *certs;
} market_certs[] = {
        {"US", "FCC|UL|ETL|CPSIA|CPSC|ASTM F963|FDA|Prop 65|USAPA|ANSI"},
        {"EU", "CE|RoHS|REACH|EN71|LFGB|WEEE|GS|ERP"},
        {"GB", "UKCA|CE"},
        {"AU", "SAA"},
        {"JP", "PSE"},
        {"KR", "KC"},
        {"CN", "CCC"},
};

static const char *const incoterms[] = {"", "EXW", "FOB", "CIF", "DDP"};

typedef struct cand {
	int64_t id;
	double price;  /* at the quantity in the buyer's currency, -1 unknown */
	double factor; /* offer currency -> buyer currency, -1 unknown currency */
	double lo, hi; /* the tier range in the buyer's currency, -1 unknown */
	double key;    /* the sort key */
	double landed;
	float bm25, score, weight, volume;
	uint64_t certs;                /* the product's and the supplier's */
	int sup, moq, lead, cat, pidx; /* pidx: index in m->prods, -1 */
	unsigned char incoterm, exact, mkt, need;
} cand;

typedef struct query {
	match_ctx *m;
	const souk_filter *f;
	double buyer_rate;
	const unsigned char *sup_ok, *sup_exp;
	uint64_t req, mcerts;
	int req_missing; /* a required certification souk cannot track */
	int count_only;
	cand *c;
	int n, cap;
	char cur_code[8];
	double cur_factor;
	double *cur_factors;   /* per m->curs entry (preloaded catalogs) */
	unsigned char *cat_ok; /* per m->cats entry, when a category is asked for */
	long nsup;
	/* statistics over the result set, for scores, reasons and highlights */
	double *prices, *moqs, *leads;
	int nprices, nmoqs, nleads;
	double bm_lo, bm_hi;
	long *cert_counts, *country_counts;
	long n_manufacturer, n_trading;
	double min_price, max_rating;
	long min_moq, min_lead;
	int n_min_moq, n_min_lead, n_min_price, n_max_rating;
} query;

/* A run starts clean: an interrupt aimed at the previous run may have
 * landed after it finished, and SQLite would then stop the next statement;
 * a throwaway statement takes that hit instead. */
static void run_begin(match_ctx *m)
{
	if (atomic_exchange(&m->stop, 0))
		sqlite3_exec(m->db, "SELECT 1", NULL, NULL, NULL);
}

static int stopped(match_ctx *m, souk_err *e)
{
	if (!atomic_load(&m->stop))
		return 0;
	err_set(e, "query interrupted");
	return 1;
}

/* The FTS5 expression for the keywords: each one quoted (so user text can
 * never be FTS syntax) and marked as a prefix, all of them required. The
 * porter tokenizer inside makes "paddles" find "paddle". Words of three
 * letters or fewer match whole: as prefixes "mat" would find "material" and
 * "cap" "capacity", which a buyer never meant. */
static int fts_expr(const strlist *kw, strbuf *out)
{
	int terms = 0;

	for (int i = 0; i < kw->n; i++) {
		const char *s = kw->v[i];
		int word = 0;
		for (const char *p = s; *p; p++)
			if (isalnum((unsigned char)*p) || (unsigned char)*p >= 0x80)
				word = 1;
		if (!word)
			continue; /* punctuation alone tokenises to nothing */
		if (terms++)
			sb_addc(out, ' ');
		sb_addc(out, '"');
		for (const char *p = s; *p; p++) {
			if (*p == '"')
				sb_addc(out, '"');
			sb_addc(out, *p);
		}
		sb_add(out, strlen(s) > 3 ? "\"*" : "\"");
	}
	return terms;
}

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
	if (fts_expr(&f->keywords, &fts)) {
		sb_add(&sql, "bm25(products_fts, 10.0, 1.0, 5.0, 2.0) FROM products_fts "
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
		db_error(q->m, e, "prepare");
		sqlite3_finalize(*st);
		*st = NULL;
		return -1;
	}
	return 0;
}

static int exports_to(const sup *s, const char *market)
{
	char pat[8];

	if (!market)
		return 0;
	snprintf(pat, sizeof(pat), " %s ", market);
	if (strstr(s->exports, pat))
		return 1;
	if (util_strieq(market, "EU")) {
		/* any member state counts as the EU */
		for (const char *p = s->exports; *p;) {
			while (*p == ' ')
				p++;
			size_t n = strcspn(p, " ");
			if (n == 2) {
				char c[3] = {p[0], p[1], 0};
				if (money_region(c))
					return 1;
			}
			p += n;
		}
		return 0;
	}
	return money_region(market) && strstr(s->exports, " EU ") != NULL;
}

static int sup_passes(const souk_filter *f, const sup *s)
{
	if (f->supplier_countries.n && !strlist_has(&f->supplier_countries, s->country))
		return 0;
	if (f->exclude_countries.n && strlist_has(&f->exclude_countries, s->country))
		return 0;
	if (f->verified_only && !s->verified)
		return 0;
	if (f->min_rating >= 0 && (s->rating < 0 || s->rating + 1e-9 < f->min_rating))
		return 0;
	if (f->min_years >= 0 && (s->year <= 0 || MATCH_YEAR_NOW - s->year + 1e-9 < f->min_years))
		return 0;
	if (f->business_type && !util_strieq(s->btype, f->business_type))
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

static const unsigned char *sup_verdicts(match_ctx *m, const souk_filter *f)
{
	char *key = sup_key(f);

	if (m->filt.key && strcmp(m->filt.key, key) == 0) {
		free(key);
		return m->filt.ok;
	}
	cache_free(&m->filt);
	m->filt.key = key;
	m->filt.ok = xmalloc((size_t)m->nsups + 1);
	for (int i = 0; i < m->nsups; i++)
		m->filt.ok[i] = (unsigned char)sup_passes(f, &m->sups[i]);
	return m->filt.ok;
}

static const unsigned char *sup_exporters(match_ctx *m, const char *market)
{
	if (m->exports.key && strcmp(m->exports.key, market) == 0)
		return m->exports.ok;
	cache_free(&m->exports);
	m->exports.key = xstrdup(market);
	m->exports.ok = xmalloc((size_t)m->nsups + 1);
	for (int i = 0; i < m->nsups; i++)
		m->exports.ok[i] = (unsigned char)exports_to(&m->sups[i], market);
	return m->exports.ok;
}

static uint64_t market_cert_mask(match_ctx *m, const char *market)
{
	const char *key = market && money_region(market) ? "EU" : market;

	for (size_t i = 0; key && i < sizeof(market_certs) / sizeof(*market_certs); i++)
		if (util_strieq(market_certs[i].market, key))
			return certs_mask(m, market_certs[i].certs, 1);
	return 0;
}

/* Offer currency -> buyer currency, remembering the last code (most
 * catalogs price nearly everything in one currency). */
static double cur_factor(query *q, const char *code)
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

static int incoterm_index(const char *s)
{
	for (int i = 1; s && i < 5; i++)
		if (util_strieq(s, incoterms[i]))
			return i;
	return 0;
}

static int query_setup(query *q, match_ctx *m, const souk_filter *f, souk_err *e)
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
	if (f->market)
		q->sup_exp = sup_exporters(m, f->market);
	for (int i = 0; i < f->certifications.n; i++) {
		uint64_t bit = certs_mask(m, f->certifications.v[i], 1);
		if (!bit)
			q->req_missing = 1;
		q->req |= bit;
	}
	q->mcerts = market_cert_mask(m, f->market);
	return 0;
}

static void query_free(query *q)
{
	free(q->cur_factors);
	free(q->cat_ok);
	free(q->c);
	free(q->prices);
	free(q->moqs);
	free(q->leads);
	free(q->cert_counts);
	free(q->country_counts);
}

static int tiers_load(match_ctx *m, int64_t id, money_tier *t)
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

/* The exact price at the buyer's quantity from the tier table. */
static void cand_price(query *q, cand *c)
{
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
		for (int i = 1; i < p->ntiers && q->f->quantity >= 0; i++)
			if (pt[i].min_qty <= q->f->quantity)
				at = i;
		c->price = pt[at].price * c->factor;
		return;
	}
	n = tiers_load(q->m, c->id, t);
	if (n == 0) {
		c->price = c->lo; /* no tiers: the denormalised price is all there is */
		return;
	}
	c->price = t[money_tier_at(t, n, q->f->quantity)].price * c->factor;
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

	if (c->sup < 0 || !q->sup_ok[c->sup])
		return 0;
	if (q->req_missing || (c->certs & q->req) != q->req)
		return 0;
	c->mkt = 0;
	if (f->market) {
		c->mkt = q->sup_exp[c->sup] ? 2 : (c->certs & q->mcerts) ? 1 : 0;
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

	c->sup = sup_find(m, sqlite3_column_int64(st, 1));
	if (c->sup < 0 || !q->sup_ok[c->sup])
		return 0; /* before parsing anything else */
	c->certs = certs_mask(m, (const char *)sqlite3_column_text(st, 8), 1) |
	           m->sups[c->sup].certmask;
	c->factor = cur_factor(q, (const char *)sqlite3_column_text(st, 6));
	c->lo = col_num(st, 4);
	c->hi = col_num(st, 5);
	if (!cand_check(q, c))
		return 0;
	c->pidx = -1;
	c->id = sqlite3_column_int64(st, 0);
	c->moq = sqlite3_column_int(st, 2);
	c->lead = sqlite3_column_type(st, 3) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 3);
	c->incoterm = (unsigned char)incoterm_index((const char *)sqlite3_column_text(st, 7));
	cat = (const char *)sqlite3_column_text(st, 9);
	c->cat = q->count_only ? -1
	                       : intern_get(&m->cats, cat ? cat : "", cat ? strlen(cat) : 0, 1, 0);
	c->weight = (float)col_num(st, 10);
	c->volume = (float)col_num(st, 11);
	c->bm25 = (float)sqlite3_column_double(st, 12);
	return 1;
}

/* A candidate from the preloaded records: the product filters run here. */
static int cand_take_mem(query *q, int i, double bm25, int incoterm, cand *c)
{
	const souk_filter *f = q->f;
	const prod *p = &q->m->prods[i];

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
	c->id = q->m->prod_dense ? 0 : q->m->prod_ids[i];
	c->moq = p->moq;
	c->lead = p->lead;
	c->incoterm = p->incoterm;
	c->cat = p->cat;
	c->weight = p->weight;
	c->volume = p->volume;
	c->bm25 = (float)bm25;
	return 1;
}

static cand *cand_slot(query *q)
{
	if (q->n == q->cap) {
		q->cap = q->cap ? q->cap * 2 : 1024;
		q->c = xrealloc(q->c, sizeof(*q->c) * (size_t)q->cap);
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

/* bm25 costs a lookup per hit; above this many hits the relevance is
 * whether every keyword is in the title, which is what bm25's title weight
 * mostly decides anyway (all hits contain every keyword). */
#define MATCH_BM25_MAX 2500

static int fts_collect(match_ctx *m, const char *sql, const char *expr, int64_t **ids, float **rel,
                       int *n, souk_err *e)
{
	sqlite3_stmt *st;
	int cap = 1024, rc;

	*n = 0;
	*ids = xmalloc(sizeof(int64_t) * (size_t)cap);
	if (rel)
		*rel = xmalloc(sizeof(float) * (size_t)cap);
	if (sqlite3_prepare_v2(m->db, sql, -1, &st, NULL) != SQLITE_OK)
		return db_error(m, e, "search");
	sqlite3_bind_text(st, 1, expr, -1, SQLITE_TRANSIENT);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap *= 2;
			*ids = xrealloc(*ids, sizeof(int64_t) * (size_t)cap);
			if (rel)
				*rel = xrealloc(*rel, sizeof(float) * (size_t)cap);
		}
		(*ids)[*n] = sqlite3_column_int64(st, 0);
		if (rel)
			(*rel)[*n] = (float)sqlite3_column_double(st, 1);
		(*n)++;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(m, e, "search");
}

static int fts_hits(match_ctx *m, const char *expr, souk_err *e)
{
	int64_t *ids = NULL, *tids = NULL;
	float *rel = NULL;
	int n = 0, tn = 0;
	char *title;

	if (m->fts_key && strcmp(m->fts_key, expr) == 0)
		return 0;
	free(m->fts_key);
	free(m->fts_ids);
	free(m->fts_rel);
	m->fts_key = NULL;
	m->fts_ids = NULL;
	m->fts_rel = NULL;
	m->fts_n = 0;
	if (fts_collect(m, "SELECT rowid FROM products_fts WHERE products_fts MATCH ?1", expr, &ids,
	                NULL, &n, e) < 0) {
		free(ids);
		return -1;
	}
	if (n <= MATCH_BM25_MAX) {
		free(ids);
		if (fts_collect(m,
		                "SELECT rowid, bm25(products_fts, 10.0, 1.0, 5.0, 2.0) FROM "
		                "products_fts WHERE products_fts MATCH ?1",
		                expr, &ids, &rel, &n, e) < 0) {
			free(ids);
			free(rel);
			return -1;
		}
	} else {
		/* both lists come in rowid order: merge */
		title = xasprintf("{title}: (%s)", expr);
		if (fts_collect(m, "SELECT rowid FROM products_fts WHERE products_fts MATCH ?1",
		                title, &tids, NULL, &tn, e) < 0) {
			free(title);
			free(ids);
			free(tids);
			return -1;
		}
		free(title);
		rel = xmalloc(sizeof(float) * (size_t)(n + 1));
		for (int i = 0, j = 0; i < n; i++) {
			while (j < tn && tids[j] < ids[i])
				j++;
			rel[i] = j < tn && tids[j] == ids[i] ? -1.0f : 0.0f;
		}
		free(tids);
	}
	m->fts_key = xstrdup(expr);
	m->fts_ids = ids;
	m->fts_rel = rel;
	m->fts_n = n;
	return 0;
}

static int scan_mem(query *q, const strlist *cats, souk_err *e)
{
	match_ctx *m = q->m;
	int incoterm = incoterm_index(q->f->incoterm);
	strbuf fts;
	int rc = 0;

	q->cur_factors = xcalloc((size_t)m->curs.n + 1, sizeof(double));
	for (int i = 0; i < m->curs.n; i++) {
		double r = money_rate(m->money, m->curs.v[i]);
		q->cur_factors[i] = r > 0 ? q->buyer_rate / r : -1;
	}
	cat_bitmap(q, cats);
	sb_init(&fts);
	if (fts_expr(&q->f->keywords, &fts)) {
		rc = fts_hits(m, fts.s, e);
		for (int k = 0; rc == 0 && k < m->fts_n; k++) {
			int i = prod_find(m, m->fts_ids[k]);
			cand *c = cand_slot(q);
			if (i >= 0 && cand_take_mem(q, i, m->fts_rel[k], incoterm, c)) {
				c->id = m->fts_ids[k];
				q->n++;
			}
		}
	} else {
		for (int i = 0; i < m->nprods; i++) {
			cand *c = cand_slot(q);
			if (cand_take_mem(q, i, 0, incoterm, c)) {
				if (m->prod_dense)
					c->id = -1; /* filled below: the dense map is id -> index */
				q->n++;
			}
			if ((i & 65535) == 0 && stopped(m, e)) {
				rc = -1;
				break;
			}
		}
		if (m->prod_dense && rc == 0) {
			/* invert the dense map once for the rows that passed */
			int32_t *back = xmalloc(sizeof(int32_t) * (size_t)(m->nprods + 1));
			for (int64_t id = 0; id <= m->prod_dense_max; id++)
				if (m->prod_dense[id] >= 0)
					back[m->prod_dense[id]] = (int32_t)id;
			for (int k = 0; k < q->n; k++)
				q->c[k].id = back[q->c[k].pidx];
			free(back);
		}
	}
	sb_free(&fts);
	return rc;
}

static int query_scan(query *q, const strlist *cats, souk_err *e)
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
			db_error(q->m, e, "search");
			sqlite3_finalize(st);
			return -1;
		}
		sqlite3_finalize(st);
	}
	if (stopped(q->m, e))
		return -1;
	/* the rows the range could not decide */
	for (int i = 0; i < q->n; i++) {
		cand *c = &q->c[i];
		if (c->need) {
			cand_price(q, c);
			if (!price_passes(q->f, c->price))
				continue;
		}
		q->c[k++] = *c;
		if ((i & 1023) == 0 && stopped(q->m, e))
			return -1;
	}
	q->n = k;
	return 0;
}

/* Exact prices for the whole result set when it is small enough; above
 * the cap the tier range stands in (the first tier is the range's top when
 * no quantity is known, and the rows shown get exact prices anyway). */
static int query_prices(query *q, souk_err *e)
{
	/* preloaded tiers are cheap: always exact there */
	int exact = q->n <= MATCH_EXACT_CAP || q->m->prods;

	for (int i = 0; i < q->n; i++) {
		cand *c = &q->c[i];
		if (c->exact)
			continue;
		if (exact)
			cand_price(q, c);
		else
			c->price = q->f->quantity < 0 ? c->hi : (c->lo + c->hi) / 2;
		if ((i & 1023) == 0 && stopped(q->m, e))
			return -1;
	}
	return 0;
}

static int dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Share of the sorted values strictly below x (0 = the lowest). */
static double pct_below(const double *v, int n, double x)
{
	int lo = 0, hi = n;

	if (n <= 1)
		return 0;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (v[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (double)lo / (double)(n - 1);
}

static void query_stats(query *q)
{
	match_ctx *m = q->m;
	unsigned char *seen = xcalloc((size_t)m->nsups + 1, 1);

	q->prices = xmalloc(sizeof(double) * (size_t)(q->n + 1));
	q->moqs = xmalloc(sizeof(double) * (size_t)(q->n + 1));
	q->leads = xmalloc(sizeof(double) * (size_t)(q->n + 1));
	q->cert_counts = xcalloc(CERT_BITS, sizeof(long));
	q->country_counts = xcalloc((size_t)m->countries.n + 1, sizeof(long));
	q->bm_lo = q->bm_hi = q->n ? q->c[0].bm25 : 0;
	q->min_price = -1;
	q->min_moq = q->min_lead = -1;
	q->max_rating = -1;
	for (int i = 0; i < q->n; i++) {
		const cand *c = &q->c[i];
		const sup *s = &m->sups[c->sup];
		if (c->price >= 0)
			q->prices[q->nprices++] = c->price;
		q->moqs[q->nmoqs++] = c->moq;
		if (c->lead >= 0)
			q->leads[q->nleads++] = c->lead;
		q->bm_lo = fmin(q->bm_lo, c->bm25);
		q->bm_hi = fmax(q->bm_hi, c->bm25);
		for (int b = 0; b < CERT_BITS; b++)
			if (c->certs & (1ull << b))
				q->cert_counts[b]++;
		if (s->country_idx >= 0)
			q->country_counts[s->country_idx]++;
		if (strcmp(s->btype, "trading") == 0)
			q->n_trading++;
		else
			q->n_manufacturer++;
		if (!seen[c->sup]) {
			seen[c->sup] = 1;
			q->nsup++;
		}
		if (s->reviews >= 10 && s->rating > q->max_rating) {
			q->max_rating = s->rating;
			q->n_max_rating = 0;
		}
		if (s->reviews >= 10 && s->rating == q->max_rating)
			q->n_max_rating++;
	}
	free(seen);
	qsort(q->prices, (size_t)q->nprices, sizeof(double), dbl_cmp);
	qsort(q->moqs, (size_t)q->nmoqs, sizeof(double), dbl_cmp);
	qsort(q->leads, (size_t)q->nleads, sizeof(double), dbl_cmp);
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
static double sup_trust(const sup *s)
{
	double t = s->verified ? 0.25 : 0;

	if (s->rating >= 0) {
		double r = (s->rating * s->reviews + 4.0 * 20) / (s->reviews + 20.0);
		t += 0.35 * fmin(fmax((r - 3.0) / 2.0, 0), 1);
	}
	if (s->year > 0)
		t += 0.15 * fmin(fmax(MATCH_YEAR_NOW - s->year, 0), 15) / 15.0;
	if (s->resp >= 0)
		t += 0.10 * fmin(s->resp, 1);
	if (s->ontime >= 0)
		t += 0.15 * fmin(s->ontime, 1);
	return t;
}

static int popcount64(uint64_t x)
{
	int n = 0;
	for (; x; x &= x - 1)
		n++;
	return n;
}

/* One score, 0..100: relevance 25, price at the quantity 20, MOQ fit 10,
 * lead time 10, supplier trust 20, the buyer's market 8, certifications 7. */
static void query_score(query *q)
{
	const souk_filter *f = q->f;

	for (int i = 0; i < q->n; i++) {
		cand *c = &q->c[i];
		const sup *s = &q->m->sups[c->sup];
		double rel = 1, price = 0.5, moq, lead = 0.3, mkt = 0.5, certs;
		if (q->bm_hi > q->bm_lo) /* bm25 is negative: lower is better */
			rel = (q->bm_hi - c->bm25) / (q->bm_hi - q->bm_lo);
		if (c->price >= 0)
			price = 1 - pct_below(q->prices, q->nprices, c->price);
		if (f->quantity >= 0)
			moq = c->moq <= f->quantity ? 1 : f->quantity / fmax(c->moq, 1);
		else
			moq = 1 - pct_below(q->moqs, q->nmoqs, c->moq);
		if (c->lead >= 0)
			lead = 1 - pct_below(q->leads, q->nleads, c->lead);
		if (f->market)
			mkt = c->mkt == 2 ? 1 : 0.4;
		if (q->req)
			certs = 1;
		else if (f->market && q->mcerts)
			certs = (c->certs & q->mcerts) ? 1 : 0;
		else
			certs = fmin(popcount64(c->certs), 3) / 3.0;
		c->score = (float)(25 * rel + 20 * price + 10 * moq + 10 * lead +
		                   20 * sup_trust(s) + 8 * mkt + 7 * certs);
	}
}

static void query_landed(query *q, cand *c)
{
	match_ctx *m = q->m;
	const sup *s = &m->sups[c->sup];
	money_landed_in in = {
	        .price = c->price,
	        .currency = q->f->currency,
	        .incoterm = c->incoterm ? incoterms[c->incoterm] : NULL,
	        .origin = s->country,
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

/* Six points off for each better-placed offer of the same supplier, so the
 * first page puts suppliers side by side instead of one supplier's range.
 * The adjusted score is the one shown, so the order stays by score. */
static void query_diversify(query *q, int upto)
{
	int *seen = xcalloc((size_t)q->m->nsups + 1, sizeof(int));

	for (int i = 0; i < upto && i < q->n; i++) {
		int best = i;
		double bs = -1e9;
		for (int j = i; j < q->n; j++) {
			if (q->c[j].score <= bs)
				break; /* sorted by raw score: nothing further can win */
			double s = q->c[j].score - 6.0 * seen[q->c[j].sup];
			if (s > bs) {
				bs = s;
				best = j;
			}
		}
		if (best != i) {
			cand pick = q->c[best];
			memmove(q->c + i + 1, q->c + i, sizeof(cand) * (size_t)(best - i));
			q->c[i] = pick;
		}
		q->c[i].score = (float)fmax(bs, 0);
		seen[q->c[i].sup]++;
	}
	free(seen);
}

static void query_sort(query *q, const match_opts *o)
{
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
			query_landed(q, c);
			c->key = c->landed;
			break;
		default:
			c->key = c->score;
			break;
		}
	}
	if (q->n > 1)
		qsort(q->c, (size_t)q->n, sizeof(*q->c),
		      o->descending ? cand_cmp_desc : cand_cmp_asc);
	if (o->sort == MATCH_SORT_SCORE && o->descending)
		query_diversify(q,
		                (o->offset > 0 ? o->offset : 0) + (o->limit > 0 ? o->limit : 50));
}

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

static void reason_add(strbuf *b, int *n, int max, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));
static void reason_add(strbuf *b, int *n, int max, const char *fmt, ...)
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
	if (r->price >= 0 && q->nprices >= 3) {
		double pct = pct_below(q->prices, q->nprices, r->price);
		if (r->price <= q->min_price * (1 + 1e-9))
			reason_add(&b, &n, 4, "lowest price %s", qty);
		else if (pct <= 0.10)
			reason_add(&b, &n, 4, "cheapest 10%% %s", qty);
		else if (pct <= 0.25)
			reason_add(&b, &n, 4, "cheapest 25%% %s", qty);
	}
	if (f->market && c->mkt == 2)
		reason_add(&b, &n, 4, "exports to %s", f->market);
	else if (f->market && c->mkt == 1) {
		uint64_t has = c->certs & q->mcerts;
		for (int i = 0; i < CERT_BITS; i++)
			if (has & (1ull << i)) {
				reason_add(&b, &n, 4, "has %s for %s", q->m->certs.v[i], f->market);
				break;
			}
	}
	if (s->rating >= 4.5 && s->reviews > 0)
		reason_add(&b, &n, 4, "%.1f from %d review%s", s->rating, s->reviews,
		           s->reviews == 1 ? "" : "s");
	if (f->certifications.n) {
		strbuf certs;
		sb_init(&certs);
		for (int i = 0; i < f->certifications.n; i++)
			sb_printf(&certs, "%s%s", i ? ", " : "", f->certifications.v[i]);
		reason_add(&b, &n, 4, "has %s", certs.s);
		sb_free(&certs);
	}
	if (f->quantity >= 0 && c->moq <= f->quantity)
		reason_add(&b, &n, 4, "MOQ %d fits %.0f pcs", c->moq, f->quantity);
	else if (f->quantity < 0 && q->nmoqs >= 3 && pct_below(q->moqs, q->nmoqs, c->moq) <= 0.2)
		reason_add(&b, &n, 4, "low MOQ (%d %s)", c->moq, r->moq_unit ? r->moq_unit : "pcs");
	if (c->lead >= 0 && q->nleads >= 3 && pct_below(q->leads, q->nleads, c->lead) <= 0.2)
		reason_add(&b, &n, 4, "ships in %d day%s", c->lead, c->lead == 1 ? "" : "s");
	if (s->verified)
		reason_add(&b, &n, 4, "verified supplier");
	if (r->years >= 10)
		reason_add(&b, &n, 4, "%d years in business", r->years);
	if (n == 0 && s->rating >= 0 && s->reviews > 0)
		reason_add(&b, &n, 4, "%.1f from %d review%s", s->rating, s->reviews,
		           s->reviews == 1 ? "" : "s");
	if (n == 0)
		reason_add(&b, &n, 4, "matches your filters");
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

	if (r->price >= 0 && q->nprices >= 3)
		ap = share_above(q->prices, q->nprices, r->price * (1 + 1e-9));
	if (q->nmoqs >= 3)
		am = share_above(q->moqs, q->nmoqs, c->moq);
	if (c->lead >= 0 && q->nleads >= 3)
		al = share_above(q->leads, q->nleads, c->lead);
	if (ap >= am && ap >= al && ap >= 0.5)
		reason_add(b, n, 3, "cheaper than %.0f%% of the %d matches", floor(ap * 100), q->n);
	else if (am >= al && am >= 0.5)
		reason_add(b, n, 3, "MOQ lower than %.0f%% of the %d matches", floor(am * 100),
		           q->n);
	else if (al >= 0.5)
		reason_add(b, n, 3, "ships faster than %.0f%% of the %d matches", floor(al * 100),
		           q->n);
}

static char *row_highlights(const query *q, const cand *c, const match_row *r)
{
	const sup *s = &q->m->sups[c->sup];
	strbuf b;
	int n = 0;

	sb_init(&b);
	if (q->n < 2)
		return sb_steal(&b); /* nothing to stand apart from */
	if (r->price >= 0 && q->n_min_price <= 2 && r->price <= q->min_price * (1 + 1e-9))
		reason_add(&b, &n, 3, "lowest price");
	if (q->n_min_moq <= 3 && c->moq == q->min_moq)
		reason_add(&b, &n, 3, "lowest MOQ");
	if (c->lead >= 0 && q->n_min_lead <= 3 && c->lead == q->min_lead)
		reason_add(&b, &n, 3, "fastest lead time");
	for (int i = 0; i < CERT_BITS && i < q->m->certs.n; i++)
		if ((c->certs & (1ull << i)) && q->cert_counts[i] == 1)
			reason_add(&b, &n, 3, "only one with %s", q->m->certs.v[i]);
	if (s->country_idx >= 0 && q->country_counts[s->country_idx] == 1)
		reason_add(&b, &n, 3, "only offer from %s", s->country);
	if (strcmp(s->btype, "trading") == 0 && q->n_trading == 1)
		reason_add(&b, &n, 3, "only trading company");
	else if (strcmp(s->btype, "trading") != 0 && q->n_manufacturer == 1)
		reason_add(&b, &n, 3, "only manufacturer");
	if (s->reviews >= 10 && s->rating == q->max_rating && q->n_max_rating <= 3)
		reason_add(&b, &n, 3, "top rated (%.1f)", s->rating);
	if (n == 0)
		highlight_standing(q, c, r, &b, &n);
	return sb_steal(&b);
}

/* Fills the display fields of a row from the product's own record and its
 * tiers (the exact price at the quantity and the next break). */
static int row_fill(query *q, cand *c, match_row *r, souk_err *e)
{
	match_ctx *m = q->m;
	const sup *s = &m->sups[c->sup];
	sqlite3_stmt *st = m->detail_st;
	money_tier t[MATCH_MAX_TIERS];
	strbuf certs;
	strlist seen = {0};
	int nt;

	memset(r, 0, sizeof(*r));
	r->product_id = c->id;
	r->supplier_id = s->id;
	r->supplier = xstrdup(s->name);
	r->country = xstrdup(s->country);
	r->city = xstrdup(s->city);
	r->business_type = xstrdup(s->btype);
	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, c->id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return db_error(m, e, "product details");
	}
	r->title = col_dup(st, 0);
	r->category = col_dup(st, 1);
	r->moq_unit = col_dup(st, 2);
	sb_init(&certs);
	certs_join(&certs, (const char *)sqlite3_column_text(st, 3), &seen);
	certs_join(&certs, s->certs, &seen);
	strlist_clear(&seen);
	r->certs = sb_steal(&certs);
	snprintf(r->currency_orig, sizeof(r->currency_orig), "%s",
	         sqlite3_column_text(st, 8) ? (const char *)sqlite3_column_text(st, 8) : "USD");
	r->price_orig = col_num(st, 10);
	sqlite3_reset(st);

	r->next_break_qty = -1;
	r->next_break_price = -1;
	nt = tiers_load(m, c->id, t);
	if (nt > 0) {
		int at = money_tier_at(t, nt, q->f->quantity);
		int nb = money_next_break(t, nt, q->f->quantity);
		r->price_orig = t[at].price;
		if (nb >= 0) {
			r->next_break_qty = t[nb].min_qty;
			r->next_break_price = c->factor >= 0 ? t[nb].price * c->factor : -1;
		}
	}
	r->price = c->factor >= 0 && r->price_orig >= 0 ? r->price_orig * c->factor : -1;
	c->price = r->price;
	c->exact = 1;
	query_landed(q, c);
	r->landed = c->landed;
	r->moq = c->moq;
	r->lead_days = c->lead;
	r->rating = s->rating;
	r->reviews = s->reviews;
	r->verified = s->verified;
	r->years = s->year > 0 ? MATCH_YEAR_NOW - s->year : -1;
	r->score = c->score;
	r->reasons = row_reasons(q, c, r);
	r->highlights = row_highlights(q, c, r);
	return 0;
}

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

static void query_facets(query *q, match_result *out)
{
	long bt[2] = {q->n_manufacturer, q->n_trading};
	char *btn[2] = {"manufacturer", "trading"};

	out->countries = counts_make(q->country_counts, q->m->countries.v, q->m->countries.n,
	                             &out->ncountries);
	out->certs =
	        counts_make(q->cert_counts, q->m->certs.v,
	                    q->m->certs.n < CERT_BITS ? q->m->certs.n : CERT_BITS, &out->ncerts);
	out->business_types = counts_make(bt, btn, 2, &out->nbusiness_types);
	hist_fill(&out->price_hist, q->prices, q->nprices);
	hist_fill(&out->moq_hist, q->moqs, q->nmoqs);
	hist_fill(&out->lead_hist, q->leads, q->nleads);
}

/* ---- the whole run ---- */

static long count_matches(match_ctx *m, const souk_filter *f, souk_err *e)
{
	query q;
	long n;

	if (query_setup(&q, m, f, e) < 0)
		return -1;
	q.count_only = 1;
	if (query_scan(&q, NULL, e) < 0) {
		query_free(&q);
		return -1;
	}
	n = q.n;
	query_free(&q);
	return n;
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
		          xasprintf("drop the %s requirement", f->certifications.v[i]));
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
		          xasprintf("drop the lead-time limit of %g days", f->lead_time_max_days));
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
		          xasprintf("drop the minimum of %g years in business", f->min_years));
	if (f->customization)
		relax_add(t, &n, f, FF_CUSTOMIZATION, NULL,
		          xstrdup("drop the customization requirement"));
	if (f->samples)
		relax_add(t, &n, f, FF_SAMPLES, NULL, xstrdup("drop the samples requirement"));
	if (f->business_type)
		relax_add(t, &n, f, FF_BUSINESS_TYPE, NULL,
		          xstrdup("include manufacturers and trading companies"));
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
static char *relax_best(match_ctx *m, const souk_filter *f, souk_err *e)
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
static void page_highlights(query *q, const cand *c, match_row *rows, int n)
{
	double minp = -1;
	long minmoq = -1, minlead = -1;
	int np = 0, nm = 0, nl = 0;
	long certs[CERT_BITS] = {0};
	char buf[96];

	if (n < 3)
		return;
	for (int i = 0; i < n; i++) {
		if (rows[i].price >= 0 && (minp < 0 || rows[i].price < minp - 1e-9)) {
			minp = rows[i].price;
			np = 0;
		}
		if (rows[i].price >= 0 && fabs(rows[i].price - minp) <= 1e-9)
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
		if (np == 1 && r->price >= 0 && fabs(r->price - minp) <= 1e-9) {
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
		for (int b = 0; b < CERT_BITS && b < q->m->certs.n; b++)
			if (certs[b] == 1 && ((c[i].certs >> b) & 1)) {
				snprintf(buf, sizeof(buf), "only one shown with %s",
				         q->m->certs.v[b]);
				if (!r->highlights || !strstr(r->highlights, "only one with"))
					highlight_add(r, buf);
			}
	}
}

static int query_rows(query *q, const match_opts *o, match_result *out, souk_err *e)
{
	int from = o->offset > 0 ? o->offset : 0;
	int limit = o->limit > 0 ? o->limit : 50;
	int n = q->n - from;

	if (n > limit)
		n = limit;
	if (n <= 0)
		return 0;
	out->rows = xcalloc((size_t)n, sizeof(*out->rows));
	for (int i = 0; i < n; i++) {
		if (row_fill(q, &q->c[from + i], &out->rows[i], e) < 0)
			return -1;
		out->nrows++;
	}
	page_highlights(q, q->c + from, out->rows, n);
	return 0;
}

int match_run(match_ctx *m, const souk_filter *f, const match_opts *o, match_result *out,
              souk_err *e)
{
	match_opts defaults;
	query q;
	int rc = -1;

	if (!o) {
		match_opts_init(&defaults);
		o = &defaults;
	}
	run_begin(m);
	match_result_init(out);
	snprintf(out->currency, sizeof(out->currency), "%s", f->currency[0] ? f->currency : "USD");
	if (query_setup(&q, m, f, e) < 0)
		return -1;
	if (query_scan(&q, NULL, e) < 0 || query_prices(&q, e) < 0)
		goto done;
	query_stats(&q);
	query_score(&q);
	query_sort(&q, o);
	if (query_rows(&q, o, out, e) < 0)
		goto done;
	out->total = q.n;
	out->suppliers = q.nsup;
	if (o->facets)
		query_facets(&q, out);
	if (q.n == 0 && !filter_is_empty(f))
		out->relax = relax_best(m, f, e);
	rc = stopped(m, e) ? -1 : 0;
done:
	query_free(&q);
	if (rc < 0)
		match_result_free(out);
	return rc;
}

/* ---- tiers of one product ---- */

int match_tiers(match_ctx *m, int64_t product_id, const char *currency, match_tier **tiers, int *n,
                souk_err *e)
{
	money_tier t[MATCH_MAX_TIERS];
	char cur[8] = "USD";
	double rb = money_rate(m->money, currency ? currency : "USD"), rp;
	int nt;

	*tiers = NULL;
	*n = 0;
	if (rb <= 0) {
		err_set(e, "unknown currency \"%s\"", currency ? currency : "");
		return -1;
	}
	sqlite3_reset(m->detail_st);
	sqlite3_bind_int64(m->detail_st, 1, product_id);
	if (sqlite3_step(m->detail_st) != SQLITE_ROW) {
		sqlite3_reset(m->detail_st);
		err_set(e, "no product %lld in the catalog", (long long)product_id);
		return -1;
	}
	if (sqlite3_column_text(m->detail_st, 8))
		snprintf(cur, sizeof(cur), "%s",
		         (const char *)sqlite3_column_text(m->detail_st, 8));
	sqlite3_reset(m->detail_st);
	rp = money_rate(m->money, cur);
	if (rp <= 0) {
		err_set(e, "product %lld is priced in an unknown currency \"%s\"",
		        (long long)product_id, cur);
		return -1;
	}
	nt = tiers_load(m, product_id, t);
	*tiers = xcalloc((size_t)nt + 1, sizeof(**tiers));
	for (int i = 0; i < nt; i++) {
		(*tiers)[i].min_qty = t[i].min_qty;
		(*tiers)[i].price = t[i].price / rp * rb;
	}
	*n = nt;
	return 0;
}

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
		return db_error(q->m, e, "similar");
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		err_set(e, "no product %lld in the catalog", (long long)id);
		return -1;
	}
	const char *cat = (const char *)sqlite3_column_text(st, 1);
	cand c = {.id = id, .pidx = q->m->prods ? prod_find(q->m, id) : -1};
	s->id = id;
	s->sup = sup_find(q->m, sqlite3_column_int64(st, 0));
	s->cat = intern_get(&q->m->cats, cat ? cat : "", cat ? strlen(cat) : 0, 1, 0);
	strlist_add(cats, cat ? cat : "");
	s->certs = certs_mask(q->m, (const char *)sqlite3_column_text(st, 2), 1) |
	           (s->sup >= 0 ? q->m->sups[s->sup].certmask : 0);
	c.factor = cur_factor(q, (const char *)sqlite3_column_text(st, 5));
	c.lo = col_num(st, 3) * c.factor;
	sqlite3_finalize(st);
	cand_price(q, &c);
	s->price = c.price;
	return 0;
}

static double jaccard(uint64_t a, uint64_t b)
{
	int u = popcount64(a | b);
	return u ? (double)popcount64(a & b) / u : 0;
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
		if (strcmp(a->btype, b->btype) == 0)
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
		reason_add(&b, &n, 5, "same category");
	if (c->price > 0 && s->price > 0) {
		double d = (c->price - s->price) / s->price * 100;
		if (fabs(d) < 0.5)
			reason_add(&b, &n, 5, "same price");
		else
			reason_add(&b, &n, 5, "%.0f%% %s", fabs(d), d < 0 ? "cheaper" : "dearer");
	}
	if (s->sup >= 0) {
		const sup *o = &q->m->sups[s->sup];
		if (a->country_idx == o->country_idx)
			reason_add(&b, &n, 5, "also in %s", a->country);
		if (strcmp(a->btype, o->btype) == 0)
			reason_add(&b, &n, 5, "also a %s",
			           strcmp(a->btype, "trading") == 0 ? "trading company"
			                                            : "manufacturer");
	}
	uint64_t shared = c->certs & s->certs;
	if (shared) {
		strbuf cs;
		sb_init(&cs);
		for (int i = 0; i < CERT_BITS && i < q->m->certs.n; i++)
			if (shared & (1ull << i))
				sb_printf(&cs, "%s%s", cs.len ? ", " : "", q->m->certs.v[i]);
		reason_add(&b, &n, 5, "shares %s", cs.s);
		sb_free(&cs);
	}
	if (n == 0)
		reason_add(&b, &n, 5, "closest offer found");
	return sb_steal(&b);
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

	if (query_setup(&q, m, f, e) < 0)
		goto out;
	for (int i = 0; i < n; i++)
		if (source_load(&q, ids[i], &src[i], &cats, e) < 0)
			goto out;
	if (query_scan(&q, &cats, e) < 0)
		goto out;
	sim = xcalloc((size_t)q.n + 1, sizeof(*sim));
	from = xcalloc((size_t)q.n + 1, sizeof(*from));
	for (int i = 0; i < q.n; i++) {
		cand *c = &q.c[i];
		int skip = 0;
		for (int j = 0; j < n; j++)
			if (c->id == src[j].id || c->sup == src[j].sup)
				skip = 1;
		sim[i] = -1;
		if (skip)
			continue;
		c->price = q.f->quantity < 0 ? c->hi : (c->lo + c->hi) / 2;
		for (int j = 0; j < n; j++) {
			float s = (float)similarity(&q, c, &src[j]);
			if (s > sim[i]) {
				sim[i] = s;
				from[i] = j;
			}
		}
	}
	/* the k best, one offer per supplier */
	best = xcalloc((size_t)k + 1, sizeof(*best));
	while (nbest < k) {
		int pick = -1;
		for (int i = 0; i < q.n; i++) {
			if (sim[i] < 0)
				continue;
			if (pick < 0 || sim[i] > sim[pick] ||
			    (sim[i] == sim[pick] && q.c[i].id < q.c[pick].id))
				pick = i;
		}
		if (pick < 0)
			break;
		best[nbest++] = pick;
		for (int i = 0; i < q.n; i++)
			if (q.c[i].sup == q.c[pick].sup)
				sim[i] = -1;
	}
	query_stats(&q);
	out->rows = xcalloc((size_t)nbest + 1, sizeof(*out->rows));
	for (int i = 0; i < nbest; i++) {
		cand *c = &q.c[best[i]];
		const source *s = &src[from[best[i]]];
		match_row *r = &out->rows[i];
		float score;
		cand_price(&q, c);
		score = (float)(100 * similarity(&q, c, s));
		c->score = score;
		if (row_fill(&q, c, r, e) < 0)
			goto out;
		out->nrows++;
		free(r->reasons);
		r->reasons = similar_reason(&q, c, s);
		r->similar_to = xasprintf("similar to %s",
		                          s->sup >= 0 ? m->sups[s->sup].name : "the selection");
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
	query_free(&q);
	return rc;
}

int match_similar(match_ctx *m, const souk_filter *f, const int64_t *product_ids, int n, int k,
                  match_result *out, souk_err *e)
{
	souk_filter loose;
	int rc;

	run_begin(m);
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
