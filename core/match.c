/* match: filter -> ranked offers: the context, results and one run from scan to rows. */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "match_int.h"
#include "vocab.h"
#include "money.h"
#include "ref.h"
#include "text.h"

int match_db_error(match_ctx *m, souk_err *e, const char *what)
{
	int code = sqlite3_errcode(m->db);
	if (code == SQLITE_INTERRUPT || atomic_load(&m->stop))
		err_set(e, "query interrupted");
	else
		err_set(e, "catalog query failed (%s): %s", what, sqlite3_errmsg(m->db));
	return -1;
}

char *match_col_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);
	return xstrdup(s ? (const char *)s : "");
}

double match_col_num(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? -1 : sqlite3_column_double(st, i);
}

/* Bits of the certifications in a '|'- or ','-separated list. */
uint64_t match_certs_mask(match_ctx *m, const char *s, int add)
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
			int bit = match_intern_get(&m->certs, a, (size_t)(b - a), add, CERT_BITS);
			if (bit >= 0)
				mask |= 1ull << bit;
		}
		s += n;
		if (*s)
			s++;
	}
	return mask;
}

void match_cache_free(sup_cache *c)
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
	match_index_detach(m); /* also the caches and interned names */
	match_terms_cancel(m);
	match_tok_close(m);
	sqlite3_finalize(m->tiers_st);
	sqlite3_finalize(m->detail_st);
	sqlite3_close(m->db);
	match_names_free(m);
	free(m);
}

static const char detail_sql[] =
        "SELECT title, category, moq_unit, certs, lead_time_days, weight_kg, volume_m3, "
        "incoterm, currency, moq, price_lo FROM products WHERE id = ?1";

match_ctx *match_open(const char *catalog, const souk_ref *ref, souk_err *e)
{
	return match_open_ex(catalog, ref, -1, e);
}

match_ctx *match_open_ex(const char *catalog, const souk_ref *ref, int preload, souk_err *e)
{
	match_ctx *m = xcalloc(1, sizeof(*m));

	m->certs.fold = 1;
	m->countries.fold = 1;
	atomic_init(&m->stop, 0);
	m->year = util_year_now();
	m->ref = ref;
	m->money = ref_money(ref);
	match_names_load(m);
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
	/* A memory map saves a system call per page read, most of the cost of
	 * a fresh `souk query`. */
	sqlite3_exec(m->db, "PRAGMA mmap_size=268435456", NULL, NULL, NULL);
	/* preload -1 and 1: the column index (core/index.h); 0: rows through
	 * SQL, the reference the index is tested against */
	if (preload != 0) {
		if (match_index_attach(m, catalog, e) < 0) {
			match_close(m);
			return NULL;
		}
		return m;
	}
	if (match_load_suppliers(m, e) < 0) {
		match_close(m);
		return NULL;
	}
	return m;
}

typedef struct terms_iter {
	const match_ctx *m;
	uint32_t i;
} terms_iter;

static int terms_next(void *arg, const char **term, size_t *len, long *docs)
{
	terms_iter *it = arg;
	uint32_t n;

	while (it->i < it->m->nterms)
		if ((*term = match_terms_term(it->m, it->i++, len, &n)) != NULL) {
			*docs = (long)n;
			return 1;
		}
	return 0;
}

int match_build_caches(const char *catalog, const souk_ref *ref, souk_err *e)
{
	match_ctx *m = match_open(catalog, ref, e);
	souk_err ve;

	if (!m)
		return -1;
	/* The vocabulary is the postings' dictionary: from the index when it
	 * has one, else from FTS5. Without it, it is built on first use. */
	if (m->terms) {
		terms_iter it = {m, 0};
		vocab_save_terms(m->db, terms_next, &it);
	} else {
		vocab_free(vocab_open(m->db, &ve));
	}
	match_close(m);
	return 0;
}

sqlite3 *match_db(match_ctx *m)
{
	return m->db;
}

const souk_ref *match_ref(const match_ctx *m)
{
	return m->ref;
}

const struct money_tables *match_money(match_ctx *m)
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
	r->price_p10 = r->price_p90 = -1;
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
	counts_free(r->categories, r->ncategories);
	free(r->relax);
	strlist_clear(&r->unused);
	match_result_init(r);
}

const char *const match_incoterms[] = {"", "EXW", "FOB", "CIF", "DDP"};

/* A run starts clean: an interrupt aimed at the previous run may have
 * landed after it finished, and SQLite would then stop the next statement;
 * a throwaway statement takes that hit instead. */
void match_run_begin(match_ctx *m)
{
	if (atomic_exchange(&m->stop, 0))
		sqlite3_exec(m->db, "SELECT 1", NULL, NULL, NULL);
}

int match_stopped(match_ctx *m, souk_err *e)
{
	if (!atomic_load(&m->stop))
		return 0;
	err_set(e, "query interrupted");
	return 1;
}

static int run(match_ctx *m, const souk_filter *f, const match_opts *o, match_result *out,
               souk_err *e)
{
	query q;
	int rc;

	snprintf(out->currency, sizeof(out->currency), "%s", f->currency[0] ? f->currency : "USD");
	rc = match_default_serve(m, f, o, out, e);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	rc = -1;
	if (match_query_setup(&q, m, f, e) < 0)
		return -1;
	if (match_query_scan(&q, NULL, e) < 0 || match_query_prices(&q, e) < 0)
		goto done;
	match_query_stats(&q);
	match_names_score(&q);
	match_query_score(&q);
	match_query_sort(&q, o);
	if (match_query_rows(&q, o, out, e) < 0)
		goto done;
	out->total = q.n;
	out->suppliers = q.nsup;
	out->set_aside_moq = q.set_aside;
	if (o->facets)
		match_query_facets(&q, out);
	if (q.n == 0 && !filter_is_empty(f))
		out->relax = match_relax_best(m, f, e);
	rc = match_stopped(m, e) ? -1 : 0;
done:
	match_query_free(&q);
	return rc;
}

/* A word no product has never empties the result: when nothing matched,
 * the words of the keywords that the catalog lacks are dropped and the run
 * repeated. Only at zero results, so a normal run pays nothing for it
 * (every word of a non-empty result's keywords is in the catalog). */
static int run_known(match_ctx *m, const souk_filter *f, const match_opts *o, match_result *out,
                     souk_err *e)
{
	souk_filter g;
	strlist unused = {0};
	strbuf kept;
	int rc = 0;

	filter_copy(&g, f);
	strlist_clear(&g.keywords);
	for (int i = 0; rc == 0 && i < f->keywords.n; i++) {
		sb_init(&kept);
		rc = match_keyword_split(m, f->keywords.v[i], &kept, &unused, e);
		if (rc == 0 && kept.len)
			strlist_add(&g.keywords, kept.s);
		sb_free(&kept);
	}
	if (rc == 0 && unused.n > 0) {
		match_result_free(out);
		rc = run(m, &g, o, out, e);
		out->unused = unused;
		unused = (strlist){0};
	}
	filter_free(&g);
	strlist_clear(&unused);
	return rc;
}

int match_run(match_ctx *m, const souk_filter *f, const match_opts *o, match_result *out,
              souk_err *e)
{
	match_opts defaults;
	int rc;

	if (!o) {
		match_opts_init(&defaults);
		o = &defaults;
	}
	match_run_begin(m);
	match_result_init(out);
	/* one read transaction: one lock instead of one per statement */
	sqlite3_exec(m->db, "BEGIN", NULL, NULL, NULL);
	m->idle = m->last_run == 0 || util_now() - m->last_run > MATCH_IDLE_S;
	rc = run(m, f, o, out, e);
	if (rc == 0 && out->total == 0 && f->keywords.n > 0)
		rc = run_known(m, f, o, out, e);
	sqlite3_exec(m->db, "COMMIT", NULL, NULL, NULL);
	m->last_run = util_now();
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
	nt = match_tiers_load(m, product_id, t);
	*tiers = xcalloc((size_t)nt + 1, sizeof(**tiers));
	for (int i = 0; i < nt; i++) {
		(*tiers)[i].min_qty = t[i].min_qty;
		(*tiers)[i].price = t[i].price / rp * rb;
	}
	*n = nt;
	return 0;
}
