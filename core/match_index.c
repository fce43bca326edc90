/* match_index: the columns a refinement reads, loaded from SQL, written to and attached from the
 * column index. */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "map.h"
#include "match_int.h"
#include "money.h"
#include "text.h"

/* Index of s[0..len) in t, adding it when add and it is new; -1 if absent
 * (or when t already holds max entries). */
int match_intern_get(intern *t, const char *s, size_t len, int add, int max)
{
	long i;
	int added;

	if (t->map == NULL)
		t->map = map_new(t->fold ? MAP_NOCASE : MAP_CASE);
	if ((i = map_findn(t->map, s, len)) >= 0)
		return (int)i;
	if (!add || (max > 0 && t->n >= max))
		return -1;
	i = map_addn(t->map, s, len, &added);
	t->v = xgrow(t->v, t->n, sizeof(char *));
	t->v[t->n] = (char *)map_key(t->map, i); /* owned by the map */
	return t->n++;
}

uint64_t match_exports_mask(match_ctx *m, const char *list)
{
	uint64_t mask = 0;

	for (const char *p = list; *p;) {
		while (*p == ' ')
			p++;
		size_t n = strcspn(p, " ");
		if (n) {
			int b = match_intern_get(&m->markets, p, n, 1, MATCH_MARKET_BITS);
			mask |= b >= 0 ? 1ull << b : MATCH_MARKET_MORE;
		}
		p += n;
	}
	return mask;
}

void match_intern_free(intern *t)
{
	map_free(t->map);
	free(t->v);
	memset(t, 0, sizeof(*t));
}

/* Appends column i to the supplier strings, upper-cased (case 1) or
 * lower-cased (-1), and returns its offset. */
static uint32_t sstr_put(match_ctx *m, sqlite3_stmt *st, int i, int fold)
{
	const char *v = (const char *)sqlite3_column_text(st, i);
	uint32_t off = (uint32_t)m->sstr_buf.len;

	for (v = v ? v : ""; *v; v++)
		sb_addc(&m->sstr_buf, (char)(fold > 0   ? toupper((unsigned char)*v)
		                             : fold < 0 ? tolower((unsigned char)*v)
		                                        : *v));
	sb_addn(&m->sstr_buf, "", 1);
	return off;
}

/* Bits are numbered as certifications were first seen, which differs
 * between the SQL path and the index: anything listed goes by name. */
int match_cert_order(match_ctx *m, int *order)
{
	int n = m->certs.n < CERT_BITS ? m->certs.n : CERT_BITS;
	int *o = m->cert_order;

	/* sorted once per set of names (every row of a page asks) */
	if (m->cert_order_n != n) {
		for (int i = 0; i < n; i++)
			o[i] = i;
		for (int i = 1; i < n; i++) /* insertion sort: at most 64 names */
			for (int j = i; j > 0 && strcmp(m->certs.v[o[j - 1]], m->certs.v[o[j]]) > 0;
			     j--) {
				int t = o[j];
				o[j] = o[j - 1];
				o[j - 1] = t;
			}
		m->cert_order_n = n;
	}
	memcpy(order, o, sizeof(int) * (size_t)n);
	return n;
}

int match_load_suppliers(match_ctx *m, souk_err *e)
{
	sqlite3_stmt *st;
	int cap = 0;

	if (sqlite3_prepare_v2(m->db,
	                       "SELECT id, name, country, city, business_type, verified, "
	                       "year_established, rating, review_count, response_rate, "
	                       "on_time_rate, export_markets, certifications FROM suppliers "
	                       "ORDER BY id",
	                       -1, &st, NULL) != SQLITE_OK)
		return match_db_error(m, e, "suppliers");
	while (sqlite3_step(st) == SQLITE_ROW) {
		sup *s;
		if (m->nsups == cap) {
			cap = cap ? cap * 2 : 1024;
			m->sups = xrealloc(m->sups, sizeof(*m->sups) * (size_t)cap);
		}
		s = &m->sups[m->nsups++];
		s->id = sqlite3_column_int64(st, 0);
		s->name = sstr_put(m, st, 1, 0);
		s->country = sstr_put(m, st, 2, 1);
		s->city = sstr_put(m, st, 3, 0);
		s->btype = sstr_put(m, st, 4, -1);
		s->verified = sqlite3_column_int(st, 5) != 0;
		s->year = sqlite3_column_int(st, 6);
		s->rating = match_col_num(st, 7);
		s->reviews = sqlite3_column_int(st, 8);
		s->resp = match_col_num(st, 9);
		s->ontime = match_col_num(st, 10);
		s->exports = sstr_put(m, st, 11, 0);
		s->certs = sstr_put(m, st, 12, 0);
		m->sstr = m->sstr_buf.s;
		m->sstr_len = m->sstr_buf.len;
		s->certmask = match_certs_mask(m, sup_str(m, s->certs), 1);
		s->exmask = match_exports_mask(m, sup_str(m, s->exports));
		s->trading =
		        strcmp(sup_str(m, s->btype), "trading") == 0; /* folded to lower case */
		s->country_idx = match_intern_get(&m->countries, sup_str(m, s->country),
		                                  strlen(sup_str(m, s->country)), 1, 0);
	}
	m->sstr = m->sstr_buf.s;
	m->sstr_len = m->sstr_buf.len;
	if (sqlite3_finalize(st) != SQLITE_OK)
		return match_db_error(m, e, "suppliers");
	match_sup_dense(m);
	match_sup_hot_fill(m);
	return 0;
}

void match_sup_hot_fill(match_ctx *m)
{
	free(m->suphot);
	m->suphot = xcalloc((size_t)m->nsups + 1, sizeof *m->suphot);
	for (int i = 0; i < m->nsups; i++) {
		const sup *s = &m->sups[i];
		m->suphot[i] = (sup_hot){.trust = match_sup_trust(m, s),
		                         .rating = s->rating,
		                         .country_idx = s->country_idx,
		                         .trading = s->trading != 0,
		                         .reviewed = s->reviews >= 10};
	}
}

void match_sup_dense(match_ctx *m)
{
	/* Catalogs number suppliers 1..n; a direct index then beats a search. */
	if (m->nsups && m->sups[m->nsups - 1].id < 4 * (int64_t)m->nsups + 1024 &&
	    m->sups[0].id >= 0) {
		m->dense_max = m->sups[m->nsups - 1].id;
		m->dense = xmalloc(sizeof(int) * (size_t)(m->dense_max + 1));
		for (int64_t i = 0; i <= m->dense_max; i++)
			m->dense[i] = -1;
		for (int i = 0; i < m->nsups; i++) /* ids from the index are checked */
			if (m->sups[i].id >= 0 && m->sups[i].id <= m->dense_max)
				m->dense[m->sups[i].id] = i;
	}
}

/* The position of id among n records of stride bytes sorted by the int64_t
 * id each starts with, or -1: suppliers and product ids both. */
static int find_sorted_id(const void *base, size_t stride, int n, int64_t id)
{
	int lo = 0, hi = n - 1;

	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;
		int64_t at;
		memcpy(&at, (const char *)base + (size_t)mid * stride, sizeof at);
		if (at == id)
			return mid;
		if (at < id)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

int match_sup_find(const match_ctx *m, int64_t id)
{
	if (m->dense) {
		int at = id >= 0 && id <= m->dense_max ? m->dense[id] : -1;
		return at < m->nsups ? at : -1; /* the index is checked where it is read */
	}
	return find_sorted_id(m->sups, sizeof *m->sups, m->nsups, id);
}

int match_prod_find(const match_ctx *m, int64_t id)
{
	if (m->prod_dense) {
		int32_t at = id >= 0 && id <= m->prod_dense_max ? m->prod_dense[id] : -1;
		return at < m->nprods ? at : -1; /* the index is checked where it is read */
	}
	return find_sorted_id(m->prod_ids, sizeof *m->prod_ids, m->nprods, id);
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
		return match_db_error(m, e, "price tiers");
	m->tiers = xmalloc(sizeof(*m->tiers) * (size_t)cap);
	while (sqlite3_step(st) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		if (id != last) {
			at = match_prod_find(m, id);
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
		m->tiers[m->ntiers].pad = 0;
		m->tiers[m->ntiers].price = sqlite3_column_double(st, 2);
		m->ntiers++;
		m->prods[at].ntiers++;
	}
	if (sqlite3_finalize(st) != SQLITE_OK)
		return match_db_error(m, e, "price tiers");
	return 0;
}

static void row_string_add(strbuf *b, sqlite3_stmt *st, int col)
{
	const char *s = (const char *)sqlite3_column_text(st, col);

	/* text stops at a NUL anyway when it is read back */
	sb_addn(b, s ? s : "", strlen(s ? s : "") + 1);
}

/* The row strings of the product st is on, for record m->nprods. Past
 * 4 GB of them the offsets would not fit: rows are then read from SQL. */
static void row_strings_put(match_ctx *m, sqlite3_stmt *st)
{
	if (m->rowstr_buf.len > UINT32_MAX - 3 * 65536) {
		free(m->rowoff_buf);
		m->rowoff_buf = NULL;
	}
	if (!m->rowoff_buf)
		return;
	m->rowoff_buf[m->nprods] = (uint32_t)m->rowstr_buf.len;
	row_string_add(&m->rowstr_buf, st, 14);
	row_string_add(&m->rowstr_buf, st, 15);
	row_string_add(&m->rowstr_buf, st, 8);
}

/* A row's strings bytes: generous for the three short strings of most. */
#define ROW_STRINGS_GUESS 512

void match_rows_willneed(const match_ctx *m, const cand *c, int n)
{
	/* first what says where the strings are, then the strings: each
	 * round's reads are all under way before any is waited for */
	for (int k = 0; k < n; k++) {
		const sup *s = c[k].sup >= 0 && c[k].sup < m->nsups ? &m->sups[c[k].sup] : NULL;
		if (m->rowoff && c[k].pidx >= 0 && c[k].pidx < m->nprods)
			index_willneed(m->idx, &m->rowoff[c[k].pidx], sizeof *m->rowoff);
		if (s && s->name < m->sstr_len)
			index_willneed(m->idx, m->sstr + s->name, ROW_STRINGS_GUESS);
	}
	for (int k = 0; k < n && m->rowoff; k++)
		if (c[k].pidx >= 0 && c[k].pidx < m->nprods && m->rowoff[c[k].pidx] < m->rowstr_len)
			index_willneed(m->idx, m->rowstr + m->rowoff[c[k].pidx], ROW_STRINGS_GUESS);
}

int match_row_strings(const match_ctx *m, int i, const char *s[3])
{
	size_t at, left;

	if (!m->rowoff || i < 0 || i >= m->nprods || (at = m->rowoff[i]) >= m->rowstr_len)
		return 0;
	left = m->rowstr_len - at;
	for (int k = 0; k < 3; k++) {
		const char *end = memchr(m->rowstr + at, 0, left);
		if (!end)
			return 0; /* a damaged offset: the catalog answers */
		s[k] = m->rowstr + at;
		left -= (size_t)(end - s[k]) + 1;
		at += (size_t)(end - s[k]) + 1;
	}
	return 1;
}

int match_load_products(match_ctx *m, souk_err *e)
{
	sqlite3_stmt *st;
	int cap = 0;
	int64_t *ids = NULL;

	if (sqlite3_prepare_v2(
	            m->db,
	            "SELECT id, supplier_id, moq, lead_time_days, price_lo, price_hi, "
	            "currency, incoterm, certs, category, weight_kg, volume_m3, samples, "
	            "customization <> '', title, moq_unit FROM products ORDER BY id",
	            -1, &st, NULL) != SQLITE_OK)
		return match_db_error(m, e, "products");
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *cat = (const char *)sqlite3_column_text(st, 9);
		const char *cur = (const char *)sqlite3_column_text(st, 6);
		int ci;
		prod *p;
		if (m->nprods == cap) {
			cap = cap ? cap * 2 : 65536;
			m->prods = xrealloc(m->prods, sizeof(*m->prods) * (size_t)cap);
			if (m->rowoff_buf || m->nprods == 0) /* NULL later: given up */
				m->rowoff_buf =
				        xrealloc(m->rowoff_buf, sizeof(uint32_t) * (size_t)cap);
			ids = xrealloc(ids, sizeof(*ids) * (size_t)cap);
		}
		row_strings_put(m, st);
		p = &m->prods[m->nprods];
		memset(p, 0, sizeof(*p));
		ids[m->nprods] = sqlite3_column_int64(st, 0);
		p->sup = match_sup_find(m, sqlite3_column_int64(st, 1));
		p->moq = sqlite3_column_int(st, 2);
		p->lead = sqlite3_column_type(st, 3) == SQLITE_NULL
		                  ? -1
		                  : (int16_t)fmin(sqlite3_column_int(st, 3), 32767);
		p->lo = match_col_num(st, 4);
		p->hi = match_col_num(st, 5);
		ci = match_intern_get(&m->curs, cur ? cur : "USD", cur ? strlen(cur) : 3, 1, 255);
		p->cur = (uint8_t)(ci < 0 ? 255 : ci);
		p->incoterm =
		        (uint8_t)match_incoterm_index((const char *)sqlite3_column_text(st, 7));
		p->certs = match_certs_mask(m, (const char *)sqlite3_column_text(st, 8), 1) |
		           (p->sup >= 0 ? m->sups[p->sup].certmask : 0);
		p->cat = match_intern_get(&m->cats, cat ? cat : "", cat ? strlen(cat) : 0, 1, 0);
		p->weight = (float)match_col_num(st, 10);
		p->volume = (float)match_col_num(st, 11);
		p->flags = (uint8_t)((sqlite3_column_int(st, 12) ? PROD_SAMPLES : 0) |
		                     (sqlite3_column_int(st, 13) ? PROD_CUSTOM : 0));
		m->nprods++;
	}
	if (sqlite3_finalize(st) != SQLITE_OK) {
		free(ids);
		return match_db_error(m, e, "products");
	}
	prod_index(m, ids);
	return load_tiers(m, e);
}

/* The largest product id: a cheap stand-in for the count. */
int64_t match_products_size(match_ctx *m)
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
