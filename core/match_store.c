/* match_store: match's columns in the column index: what is written, how a context attaches, the
 * default order. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "match_int.h"
#include "sort.h"

/* Rows of the unfiltered result kept in the index: the dashboard loads
 * 200, so a few pages of scrolling stay on the fast path. */
#define DFLT_ROWS 1000

typedef struct meta_rec {
	int64_t layout; /* record sizes: a build with other records rebuilds */
	int64_t nsups, nprods, ntiers, dense_max, sup_dense_max;
	uint64_t money_sum; /* the FX rates and year the default order was ranked with */
} meta_rec;

typedef struct match_dflt {
	char currency[8];
	int64_t total, suppliers;
	int32_t nrows, nfacets;
	match_hist price, moq, lead;
} match_dflt;

static uint32_t str_put(strbuf *b, const char *s)
{
	uint32_t off = (uint32_t)b->len;

	sb_addn(b, s ? s : "", strlen(s ? s : "") + 1);
	return off;
}

/* A row of the unfiltered result as shown (quantity unknown, the
 * currency of match_dflt), so serving it reads nothing from SQL. */
enum {
	DS_SUPPLIER,
	DS_COUNTRY,
	DS_CITY,
	DS_BTYPE,
	DS_TITLE,
	DS_CATEGORY,
	DS_CERTS,
	DS_UNIT,
	DS_REASONS,
	DS_HIGHLIGHTS,
	DS_N
};

typedef struct dflt_row {
	int64_t id, supplier_id, next_break_qty, moq;
	uint64_t certs; /* the candidate's mask, for the per-page highlights */
	double price, price_orig, next_break_price, landed, rating, score;
	int32_t lead_days, reviews, verified, years;
	char currency_orig[8];
	uint32_t s[DS_N]; /* offsets into MATCH_SEC_DFLT_STR */
} dflt_row;

static void row_put(dflt_row *d, const match_row *r, strbuf *s)
{
	const char *str[DS_N] = {r->supplier, r->country,   r->city,  r->business_type,
	                         r->title,    r->category,  r->certs, r->moq_unit,
	                         r->reasons,  r->highlights};

	memset(d, 0, sizeof *d);
	*d = (dflt_row){.id = r->product_id,
	                .supplier_id = r->supplier_id,
	                .next_break_qty = r->next_break_qty,
	                .moq = r->moq,
	                .price = r->price,
	                .price_orig = r->price_orig,
	                .next_break_price = r->next_break_price,
	                .landed = r->landed,
	                .rating = r->rating,
	                .score = r->score,
	                .lead_days = r->lead_days,
	                .reviews = r->reviews,
	                .verified = r->verified,
	                .years = r->years};
	memcpy(d->currency_orig, r->currency_orig, sizeof r->currency_orig);
	for (int i = 0; i < DS_N; i++)
		d->s[i] = str_put(s, str[i]);
}

/* A stored row back; -1 when an offset lies outside the strings. */
static int row_get(const match_ctx *m, const dflt_row *d, match_row *r)
{
	char **str[DS_N] = {&r->supplier, &r->country,   &r->city,  &r->business_type,
	                    &r->title,    &r->category,  &r->certs, &r->moq_unit,
	                    &r->reasons,  &r->highlights};

	memset(r, 0, sizeof *r);
	for (int i = 0; i < DS_N; i++)
		if (d->s[i] >= m->dflt_str_len)
			return -1;
	for (int i = 0; i < DS_N; i++)
		*str[i] = xstrdup(m->dflt_str + d->s[i]);
	r->product_id = d->id;
	r->supplier_id = d->supplier_id;
	r->next_break_qty = (long)d->next_break_qty;
	r->moq = (long)d->moq;
	r->price = d->price;
	r->price_orig = d->price_orig;
	r->next_break_price = d->next_break_price;
	r->landed = d->landed;
	r->rating = d->rating;
	r->score = d->score;
	r->lead_days = d->lead_days;
	r->reviews = d->reviews;
	r->verified = d->verified;
	r->years = d->years;
	memcpy(r->currency_orig, d->currency_orig, sizeof r->currency_orig);
	r->currency_orig[sizeof r->currency_orig - 1] = 0;
	return 0;
}

typedef struct dflt_facet {
	int64_t count;
	uint32_t value, list; /* list: 0 countries, 1 certs, 2 business types */
} dflt_facet;

static int64_t layout(void)
{
	return (int64_t)(sizeof(prod) | sizeof(ptier) << 8 | sizeof(sup) << 16 |
	                 sizeof(dflt_row) << 24 | sizeof(match_dflt) << 32 |
	                 (uint64_t)sizeof(meta_rec) << 40 | (uint64_t)match_terms_rec_size() << 48 |
	                 (uint64_t)sizeof(sup_hot) << 56);
}

/* The FX rates of the catalog's currencies and the year: what the default
 * order's ranking depends on besides the catalog. */
static uint64_t money_sum(match_ctx *m)
{
	uint64_t h = index_hash("year", 4, (uint64_t)m->year);

	for (int i = 0; i < m->curs.n; i++) {
		double r = money_rate(m->money, m->curs.v[i]);
		h = index_hash(&r, sizeof r, h);
	}
	return h;
}

static void add_list(index_builder *b, uint32_t id, const intern *t)
{
	strbuf s;

	sb_init(&s);
	for (int i = 0; i < t->n; i++)
		str_put(&s, t->v[i]);
	index_builder_add(b, id, 0, s.s, s.len);
	sb_free(&s);
}

static void add_sups(index_builder *b, const match_ctx *m)
{
	/* BULK: a query reads a few suppliers' records; checking them all at
	 * open would read megabytes (sup_str and the users of country_idx
	 * check what they read) */
	index_builder_ref(b, MATCH_SEC_STR, INDEX_BULK, m->sstr, m->sstr_len);
	index_builder_ref(b, MATCH_SEC_SUPS, INDEX_BULK, m->sups, sizeof(sup) * (size_t)m->nsups);
	index_builder_ref(b, MATCH_SEC_SUPHOT, INDEX_BULK, m->suphot,
	                  sizeof(sup_hot) * (size_t)m->nsups);
}

static void add_facets(dflt_facet **v, int *n, strbuf *s, const match_count *c, int nc,
                       uint32_t list)
{
	*v = xrealloc(*v, sizeof **v * (size_t)(*n + nc + 1));
	for (int i = 0; i < nc; i++)
		(*v)[(*n)++] = (dflt_facet){
		        .count = c[i].count, .value = str_put(s, c[i].value), .list = list};
}

/* The unfiltered query run once over the freshly loaded columns: its
 * first DFLT_ROWS rows with their reasons and highlights (before the
 * per-page ones), its totals and facets. */
static int add_default(index_builder *b, match_ctx *m, souk_err *e)
{
	souk_filter f;
	match_opts o;
	match_result facets;
	match_dflt h;
	dflt_row *rows = NULL;
	dflt_facet *fv = NULL;
	strbuf s, sec;
	query q;
	int nf = 0, rc = -1;

	filter_init(&f);
	match_opts_init(&o);
	o.limit = DFLT_ROWS;
	match_result_init(&facets);
	sb_init(&s);
	sb_init(&sec);
	memset(&h, 0, sizeof h);
	if (match_query_setup(&q, m, &f, e) < 0)
		goto out;
	if (match_query_scan(&q, NULL, e) < 0 || match_query_prices(&q, e) < 0)
		goto out_q;
	match_query_stats(&q);
	match_query_score(&q);
	match_query_sort(&q, &o);
	h.nrows = q.n < DFLT_ROWS ? q.n : DFLT_ROWS;
	rows = xcalloc((size_t)h.nrows + 1, sizeof *rows);
	for (int i = 0; i < h.nrows; i++) {
		match_row r;
		int got = match_row_fill(&q, &q.c[i], &r, e);
		if (got > 0) /* built from the catalog itself: every product is there */
			err_set(e, "the catalog changed while its index was being built");
		if (got != 0)
			goto out_q;
		row_put(&rows[i], &r, &s);
		rows[i].certs = q.c[i].certs;
		match_row_free(&r);
	}
	match_query_facets(&q, &facets);
	add_facets(&fv, &nf, &s, facets.countries, facets.ncountries, 0);
	add_facets(&fv, &nf, &s, facets.certs, facets.ncerts, 1);
	add_facets(&fv, &nf, &s, facets.business_types, facets.nbusiness_types, 2);
	snprintf(h.currency, sizeof h.currency, "%s", f.currency);
	h.total = q.n;
	h.suppliers = q.nsup;
	h.nfacets = nf;
	h.price = facets.price_hist;
	h.moq = facets.moq_hist;
	h.lead = facets.lead_hist;
	sb_addn(&sec, (const char *)&h, sizeof h);
	sb_addn(&sec, (const char *)rows, sizeof *rows * (size_t)h.nrows);
	sb_addn(&sec, (const char *)fv, sizeof *fv * (size_t)nf);
	index_builder_add(b, MATCH_SEC_DFLT, INDEX_LAZY, sec.s, sec.len);
	index_builder_add(b, MATCH_SEC_DFLT_STR, INDEX_LAZY, s.s, s.len);
	rc = 0;
out_q:
	match_query_free(&q);
out:
	filter_free(&f);
	match_result_free(&facets);
	free(rows);
	free(fv);
	sb_free(&s);
	sb_free(&sec);
	return rc;
}

/* Records in category order (then id): a search's hits mostly share a
 * few categories, so a query reads a few runs of pages instead of pages
 * all over the file, and only those count as resident. Needs the dense
 * id map (sparse ids are found by binary search in id order). */
static void cluster(match_ctx *m)
{
	/* by category, then record (id order): a radix sort of the pairs */
	uint64_t *key = xmalloc(sizeof *key * (size_t)m->nprods + 1);
	uint32_t *at = xmalloc(sizeof *at * (size_t)m->nprods + 1);
	prod *p = xmalloc(sizeof *p * (size_t)m->nprods + 1);
	ptier *t = xmalloc(sizeof *t * (size_t)m->ntiers + 1);
	int64_t *ids = xmalloc(sizeof *ids * (size_t)m->nprods + 1);
	uint32_t *ro = m->rowoff_buf ? xmalloc(sizeof *ro * (size_t)m->nprods + 1) : NULL;
	long nt = 0;

	for (int i = 0; i < m->nprods; i++) {
		key[i] = (uint64_t)(uint32_t)m->prods[i].cat << 32 | (uint32_t)i;
		at[i] = (uint32_t)i;
	}
	sort_pairs(key, at, (size_t)m->nprods);
	for (int i = 0; i < m->nprods; i++) {
		const prod *o = &m->prods[at[i]];
		p[i] = *o;
		p[i].tier0 = (int32_t)nt;
		memcpy(t + nt, m->tiers + o->tier0, sizeof *t * o->ntiers);
		nt += o->ntiers;
		ids[i] = m->prod_ids[at[i]];
		m->prod_dense[ids[i]] = i;
		if (ro)
			ro[i] = m->rowoff_buf[at[i]];
	}
	free(m->rowoff_buf);
	m->rowoff_buf = ro;
	free(m->prods);
	free(m->tiers);
	free(m->prod_ids);
	m->prods = p;
	m->tiers = t;
	m->prod_ids = ids;
	free(key);
	free(at);
}

/* Everything a refinement reads, from SQL into memory, then into b. The
 * big sections are the context's heap copies, referenced: they are freed
 * (match_index_detach) once b is published. */
static int build(match_ctx *m, index_builder *b, souk_err *e)
{
	meta_rec meta;

	if (match_load_suppliers(m, e) < 0 || match_load_products(m, e) < 0)
		return -1;
	if (!m->prod_ids) { /* the dense map was built instead: list the ids too */
		int32_t *start = xcalloc((size_t)m->cats.n + 2, sizeof *start);
		m->prod_ids = xmalloc(sizeof(int64_t) * (size_t)m->nprods + 1);
		for (int64_t id = 0; id <= m->prod_dense_max; id++)
			if (m->prod_dense[id] >= 0)
				m->prod_ids[m->prod_dense[id]] = id;
		cluster(m);
		/* where each category's run of records begins: the records
		 * before it are those of the categories numbered lower */
		for (int i = 0; i < m->nprods; i++)
			start[m->prods[i].cat + 1]++;
		for (int c = 0; c < m->cats.n; c++)
			start[c + 1] += start[c];
		index_builder_take(b, MATCH_SEC_CATSTART, INDEX_BULK, start,
		                   sizeof *start * (size_t)(m->cats.n + 1));
	}
	memset(&meta, 0, sizeof meta);
	meta.layout = layout();
	meta.nsups = m->nsups;
	meta.nprods = m->nprods;
	meta.ntiers = m->ntiers;
	meta.dense_max = m->prod_dense ? m->prod_dense_max : -1;
	meta.sup_dense_max = m->dense ? m->dense_max : -1;
	if (m->dense)
		index_builder_ref(b, MATCH_SEC_SUPDENSE, INDEX_BULK, m->dense,
		                  sizeof(int) * (size_t)(m->dense_max + 1));
	meta.money_sum = money_sum(m);
	index_builder_add(b, MATCH_SEC_META, 0, &meta, sizeof meta);
	add_sups(b, m);
	add_list(b, MATCH_SEC_CERTS, &m->certs);
	add_list(b, MATCH_SEC_CATS, &m->cats);
	add_list(b, MATCH_SEC_COUNTRIES, &m->countries);
	add_list(b, MATCH_SEC_CURS, &m->curs);
	add_list(b, MATCH_SEC_MARKETS, &m->markets);
	index_builder_ref(b, MATCH_SEC_PRODS, INDEX_BULK, m->prods,
	                  sizeof(prod) * (size_t)m->nprods);
	index_builder_ref(b, MATCH_SEC_TIERS, INDEX_BULK, m->tiers,
	                  sizeof(ptier) * (size_t)m->ntiers);
	if (m->prod_dense)
		index_builder_ref(b, MATCH_SEC_DENSE, INDEX_BULK, m->prod_dense,
		                  sizeof(int32_t) * (size_t)(m->prod_dense_max + 1));
	index_builder_ref(b, MATCH_SEC_IDS, INDEX_BULK, m->prod_ids,
	                  sizeof(int64_t) * (size_t)m->nprods);
	if (m->rowoff_buf) {
		index_builder_ref(b, MATCH_SEC_ROWOFF, INDEX_BULK, m->rowoff_buf,
		                  sizeof(uint32_t) * (size_t)m->nprods);
		index_builder_ref(b, MATCH_SEC_ROWSTR, INDEX_BULK, m->rowstr_buf.s,
		                  m->rowstr_buf.len);
	}
	/* the default order first: it needs no postings, and the thread
	 * reading them is still at work */
	if (add_default(b, m, e) < 0)
		return -1;
	return match_terms_build(m, b);
}

/* A list section back into an intern table, in the same order. */
static int load_list(const index_map *x, uint32_t id, intern *t, int max)
{
	size_t len;
	const char *s = index_section(x, id, &len), *end = s + len;

	if (!s || (len && s[len - 1] != 0))
		return -1;
	while (s < end) {
		size_t n = strlen(s);
		if (match_intern_get(t, s, n, 1, max) != t->n - 1)
			return -1; /* a duplicate: the order would shift */
		s += n + 1;
	}
	return 0;
}

/* The supplier records are used in place: their strings are checked
 * where they are read (sup_str), their country index here. */
static int load_sups(match_ctx *m, const meta_rec *meta)
{
	size_t slen, rlen, hlen, dlen;
	const char *str = index_section(m->idx, MATCH_SEC_STR, &slen);
	const sup *r = index_section(m->idx, MATCH_SEC_SUPS, &rlen);
	const sup_hot *h = index_section(m->idx, MATCH_SEC_SUPHOT, &hlen);

	if (!str || rlen != sizeof *r * (size_t)meta->nsups ||
	    hlen != sizeof *h * (size_t)meta->nsups || (slen && str[slen - 1]))
		return -1;
	m->sups = (sup *)(r ? r : (const sup *)"");
	m->suphot = (sup_hot *)(h ? h : (const sup_hot *)"");
	m->nsups = (int)meta->nsups;
	m->sstr = str;
	m->sstr_len = slen;
	/* the id map as built (its entries are checked where they are read) */
	m->dense = (int *)index_section(m->idx, MATCH_SEC_SUPDENSE, &dlen);
	m->dense_max = meta->sup_dense_max;
	if (m->dense && dlen != sizeof(int) * (size_t)(meta->sup_dense_max + 1))
		return -1;
	return 0;
}

/* Points the context's columns into the index; -1 when a section does
 * not have the size the meta record promises. */
static int attach(match_ctx *m)
{
	size_t len, plen, tlen, ilen, dlen;
	const meta_rec *meta = index_section(m->idx, MATCH_SEC_META, &len);

	if (!meta || len != sizeof *meta || meta->layout != layout() || meta->nprods < 0 ||
	    meta->nprods > INT32_MAX || meta->nsups < 0 || meta->nsups > INT32_MAX)
		return -1;
	m->borrowed = 1;
	if (load_list(m->idx, MATCH_SEC_CERTS, &m->certs, CERT_BITS) < 0 ||
	    load_list(m->idx, MATCH_SEC_CATS, &m->cats, 0) < 0 ||
	    load_list(m->idx, MATCH_SEC_COUNTRIES, &m->countries, 0) < 0 ||
	    load_list(m->idx, MATCH_SEC_CURS, &m->curs, 255) < 0 ||
	    load_list(m->idx, MATCH_SEC_MARKETS, &m->markets, MATCH_MARKET_BITS) < 0 ||
	    load_sups(m, meta) < 0)
		return -1;
	m->prods = (prod *)index_section(m->idx, MATCH_SEC_PRODS, &plen);
	m->tiers = (ptier *)index_section(m->idx, MATCH_SEC_TIERS, &tlen);
	m->prod_ids = (int64_t *)index_section(m->idx, MATCH_SEC_IDS, &ilen);
	m->prod_dense = (int32_t *)index_section(m->idx, MATCH_SEC_DENSE, &dlen);
	m->nprods = (int)meta->nprods;
	m->ntiers = (long)meta->ntiers;
	m->prod_dense_max = meta->dense_max;
	if (plen != sizeof(prod) * (size_t)meta->nprods ||
	    tlen != sizeof(ptier) * (size_t)meta->ntiers ||
	    ilen != sizeof(int64_t) * (size_t)meta->nprods ||
	    (m->prod_dense && dlen != sizeof(int32_t) * (size_t)(meta->dense_max + 1)))
		return -1;
	if (!m->prods)
		m->prods = (prod *)""; /* an empty catalog still reads from the index */
	m->cat_start = index_section(m->idx, MATCH_SEC_CATSTART, &len);
	m->cat_start_n = m->cats.n;
	if (m->cat_start && len != sizeof(int32_t) * (size_t)(m->cats.n + 1))
		return -1;
	/* the default order is left to dflt_load: checked when first served */
	m->money_sum = meta->money_sum;
	if (match_terms_attach(m) < 0)
		return -1;
	m->rowoff = index_section(m->idx, MATCH_SEC_ROWOFF, &len);
	m->rowstr = index_section(m->idx, MATCH_SEC_ROWSTR, &m->rowstr_len);
	if (m->rowoff && len != sizeof(uint32_t) * (size_t)meta->nprods)
		return -1;
	/* ranked with other FX rates or in another year: build it again
	 * rather than serve the unfiltered query the slow way until then */
	if (m->money_sum != money_sum(m))
		return -1;
	return 0;
}

int match_index_attach(match_ctx *m, const char *catalog, souk_err *e)
{
	index_ident id;
	index_builder b;
	index_map *built;
	souk_err why;
	int rc;

	if (match_catalog_ident(m->db, &id, e) < 0)
		return -1;
	m->idx = index_acquire(catalog, &id, &why);
	if (m->idx && attach(m) == 0)
		return 0;
	match_index_detach(m);
	/* missing, stale or corrupt: built again from the catalog, its reads
	 * in one transaction (one snapshot, the identity's generation) */
	index_builder_init(&b);
	sqlite3_exec(m->db, "BEGIN", NULL, NULL, NULL);
	match_terms_start(m, catalog, &id);
	rc = build(m, &b, e);
	sqlite3_exec(m->db, "COMMIT", NULL, NULL, NULL);
	if (rc < 0) {
		match_terms_cancel(m);
		index_builder_free(&b);
		match_index_detach(m);
		return -1;
	}
	built = index_publish(&b, catalog, &id, e);
	match_index_detach(m); /* the heap copies the sections were */
	m->idx = built;
	if (attach(m) < 0) {
		match_index_detach(m);
		err_set(e, "the column index of %s could not be read back", catalog);
		return -1;
	}
	return 0;
}

void match_index_detach(match_ctx *m)
{
	if (!m->borrowed) {
		free(m->sups);
		free(m->suphot);
		free(m->prods);
		free(m->tiers);
		free(m->prod_ids);
		free(m->prod_dense);
		free(m->dense);
	}
	free(m->rowoff_buf);
	m->rowoff_buf = NULL;
	sb_free(&m->rowstr_buf);
	m->rowoff = NULL;
	m->rowstr = NULL;
	m->rowstr_len = 0;
	sb_free(&m->sstr_buf);
	m->sstr = NULL;
	m->sstr_len = 0;
	match_intern_free(&m->certs);
	m->cert_order_n = -1;
	match_intern_free(&m->cats);
	match_intern_free(&m->countries);
	match_intern_free(&m->curs);
	match_intern_free(&m->markets);
	m->certs.fold = m->countries.fold = 1;
	match_cache_free(&m->filt); /* verdicts are by supplier index */
	match_cache_free(&m->exports);
	match_fts_cache_clear(m); /* hits are record numbers of this index */
	m->terms = NULL;
	m->nterms = 0;
	index_release(m->idx);
	m->idx = NULL;
	m->sups = NULL;
	m->suphot = NULL;
	m->dense = NULL;
	m->prods = NULL;
	m->tiers = NULL;
	m->prod_ids = NULL;
	m->prod_dense = NULL;
	m->nsups = m->nprods = 0;
	m->ntiers = 0;
	m->borrowed = 0;
	m->cat_start = NULL;
	m->dflt = NULL;
	m->dflt_str = NULL;
	m->dflt_len = m->dflt_str_len = 0;
	m->dflt_state = 0;
}

/* One row of numbers: a failed or empty statement leaves 0. */
static int64_t one_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	int64_t n = 0;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* The catalog's identity as the index records it: its meta (generation,
 * built_at, imported_at, ...) hashed, and the largest ids. */
int match_catalog_ident(sqlite3 *db, index_ident *id, souk_err *e)
{
	sqlite3_stmt *st;
	uint64_t h = 0;
	int rc;

	memset(id, 0, sizeof *id);
	if (sqlite3_prepare_v2(db, "SELECT key, value FROM meta ORDER BY key", -1, &st, NULL) !=
	    SQLITE_OK) {
		err_set(e, "not a souk catalog: %s", sqlite3_errmsg(db));
		return -1;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *k = (const char *)sqlite3_column_text(st, 0);
		const char *v = (const char *)sqlite3_column_text(st, 1);
		h = index_hash(k ? k : "", k ? strlen(k) + 1 : 1, h);
		h = index_hash(v ? v : "", v ? strlen(v) + 1 : 1, h);
		if (k && v && strcmp(k, "generation") == 0)
			id->generation = strtoll(v, NULL, 10);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		err_set(e, "cannot read the catalog: %s", sqlite3_errmsg(db));
		return -1;
	}
	id->meta_hash = h;
	id->max_product = one_int(db, "SELECT max(id) FROM products");
	id->max_supplier = one_int(db, "SELECT max(id) FROM suppliers");
	return 0;
}

/* The stored facets as the result's lists. */
static void serve_facets(match_ctx *m, const dflt_facet *fv, int nf, match_result *out)
{
	match_count **lists[3] = {&out->countries, &out->certs, &out->business_types};
	int *counts[3] = {&out->ncountries, &out->ncerts, &out->nbusiness_types};

	for (int l = 0; l < 3; l++)
		*lists[l] = xcalloc((size_t)nf + 1, sizeof(match_count));
	for (int i = 0; i < nf; i++) {
		uint32_t l = fv[i].list;
		if (l > 2 || fv[i].value >= m->dflt_str_len)
			continue;
		(*lists[l])[*counts[l]].value = xstrdup(m->dflt_str + fv[i].value);
		(*lists[l])[(*counts[l])++].count = (long)fv[i].count;
	}
}

/* The stored default order, its sums checked on first use (INDEX_LAZY):
 * damaged, the unfiltered query is computed from the columns instead. */
static const match_dflt *dflt_load(match_ctx *m)
{
	if (m->dflt_state == 0 && m->idx) {
		m->dflt = index_section_checked(m->idx, MATCH_SEC_DFLT, &m->dflt_len);
		m->dflt_str = index_section_checked(m->idx, MATCH_SEC_DFLT_STR, &m->dflt_str_len);
		m->dflt_state = m->dflt && m->dflt_str ? 1 : -1;
	}
	return m->dflt_state > 0 ? m->dflt : NULL;
}

/* Whether the stored default order answers this query. */
static const match_dflt *dflt_usable(match_ctx *m, const souk_filter *f, const match_opts *o)
{
	const match_dflt *h;
	int from = o->offset > 0 ? o->offset : 0, limit = o->limit > 0 ? o->limit : 50;

	if (!filter_is_empty(f) || o->sort != MATCH_SORT_SCORE || !o->descending)
		return NULL;
	h = dflt_load(m);
	if (!h || m->dflt_len < sizeof *h || h->nrows < 0 || h->nfacets < 0)
		return NULL;
	if (m->dflt_len != sizeof *h + sizeof(dflt_row) * (size_t)h->nrows +
	                           sizeof(dflt_facet) * (size_t)h->nfacets ||
	    (m->dflt_str_len && m->dflt_str[m->dflt_str_len - 1]))
		return NULL;
	if (strcmp(h->currency, f->currency[0] ? f->currency : "USD") != 0 ||
	    money_sum(m) != m->money_sum)
		return NULL;
	if ((int64_t)from + limit > h->nrows && h->nrows < h->total)
		return NULL;
	return h;
}

int match_default_serve(match_ctx *m, const souk_filter *f, const match_opts *o, match_result *out,
                        souk_err *e)
{
	const match_dflt *h = dflt_usable(m, f, o);
	const dflt_row *rows;
	cand *c;
	query q;
	int from = o->offset > 0 ? o->offset : 0, n = o->limit > 0 ? o->limit : 50, rc = -1;

	if (!h)
		return 0;
	rows = (const dflt_row *)(h + 1);
	if (n > h->nrows - from)
		n = h->nrows - from > 0 ? h->nrows - from : 0;
	if (match_query_setup(&q, m, f, e) < 0)
		return -1;
	c = xcalloc((size_t)n + 1, sizeof *c);
	out->rows = xcalloc((size_t)n + 1, sizeof *out->rows);
	for (int i = 0; i < n; i++) {
		const dflt_row *d = &rows[from + i];
		c[i].certs = d->certs; /* all the per-page highlights read */
		if (row_get(m, d, &out->rows[i]) < 0) {
			err_set(e, "the column index does not match the catalog (run souk again)");
			goto out;
		}
		out->nrows++;
	}
	match_page_highlights(&q, c, out->rows, n);
	out->total = h->total;
	out->suppliers = h->suppliers;
	if (o->facets) {
		serve_facets(m, (const dflt_facet *)(rows + h->nrows), h->nfacets, out);
		out->price_hist = h->price;
		out->moq_hist = h->moq;
		out->lead_hist = h->lead;
	}
	rc = 1;
out:
	free(c);
	match_query_free(&q);
	return rc;
}
