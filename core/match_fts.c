/* match_fts: the keyword search: the hits of a query's keywords, from the index's postings or FTS5,
 * remembered per context. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "match_int.h"

void match_fts_quote(const char *s, strbuf *out)
{
	sb_addc(out, '"');
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			sb_addc(out, '"');
		sb_addc(out, *p);
	}
	sb_addc(out, '"');
}

/* A byte of a word as the tokenizer sees it (UTF-8 letters included). */
static int word_byte(char c)
{
	return isalnum((unsigned char)c) || (unsigned char)c >= 0x80;
}

int match_has_word(const char *s)
{
	for (const char *p = s; *p; p++)
		if (word_byte(*p))
			return 1;
	return 0; /* punctuation alone tokenises to nothing */
}

/* Whether some product has the keyword, as a whole word (its porter
 * stem: "paddles" is "paddl") or, with prefix, as the start of one; -1
 * when the catalog cannot say. */
static int fts_has(match_ctx *m, const char *kw, int prefix)
{
	strbuf q;
	sqlite3_stmt *st;
	int rc;

	sb_init(&q);
	match_fts_quote(kw, &q);
	if (prefix)
		sb_addc(&q, '*');
	rc = sqlite3_prepare_v2(m->db,
	                        "SELECT 1 FROM products_fts WHERE products_fts MATCH ?1 LIMIT 1",
	                        -1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, q.s, -1, SQLITE_TRANSIENT);
		rc = sqlite3_step(st);
		sqlite3_finalize(st);
	}
	sb_free(&q);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* The FTS5 expression for the keywords, all of them required. The porter
 * tokenizer makes "paddles" find "paddle". A keyword the catalog has as a
 * word is matched as that word; a fragment it does not have ("pickle" of
 * "pickleball") as a prefix. A prefix costs FTS5 a merge of every term it
 * starts (ten times the time of one term on a million products) and finds
 * what the buyer did not mean ("cotton" in "cottonwood"). Short words
 * are never prefixes (MATCH_PREFIX_MIN). */
int match_fts_piece(match_ctx *m, const char *kw, strbuf *out)
{
	match_fts_quote(kw, out);
	if (strlen(kw) >= MATCH_PREFIX_MIN && fts_has(m, kw, 0) == 0) {
		sb_addc(out, '*');
		return 1;
	}
	return 0;
}

int match_fts_expr(match_ctx *m, const strlist *kw, strbuf *out)
{
	int terms = 0;

	for (int i = 0; i < kw->n; i++) {
		const char *s = kw->v[i];
		if (!match_has_word(s))
			continue;
		if (terms++)
			sb_addc(out, ' ');
		match_fts_piece(m, s, out);
	}
	return terms;
}

/* Whether any product has this one word, read as the search reads it
 * (porter stem, prefix for long words): 1, 0, or -1 on a database error. */
static int word_known(match_ctx *m, const char *word, size_t len, souk_err *e)
{
	char *w = xstrndup(word, len);
	/* as the search reads it: the whole word, else (long words only) a
	 * prefix, which costs FTS5 a merge and so comes second */
	int rc = fts_has(m, w, 0);

	if (rc == 0 && len >= MATCH_PREFIX_MIN)
		rc = fts_has(m, w, 1);
	free(w);
	return rc < 0 ? match_db_error(m, e, "search") : rc;
}

/* Splits a keyword into the words some product has (into known, joined by
 * spaces, so a phrase keeps its order) and the words none has (added to
 * unknown). 0, or -1 on a database error. */
int match_keyword_split(match_ctx *m, const char *kw, strbuf *known, strlist *unknown, souk_err *e)
{
	const char *p = kw;

	while (*p) {
		size_t n = 0;
		while (*p && !word_byte(*p))
			p++;
		while (p[n] && word_byte(p[n]))
			n++;
		if (n == 0)
			break;
		int rc = word_known(m, p, n, e);
		if (rc < 0)
			return -1;
		if (rc) {
			if (known->len)
				sb_addc(known, ' ');
			sb_addn(known, p, n);
		} else {
			char *w = xstrndup(p, n);
			strlist_add(unknown, w);
			free(w);
		}
		p += n;
	}
	return 0;
}

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
		return match_db_error(m, e, "search");
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
	return rc == SQLITE_DONE ? 0 : match_db_error(m, e, "search");
}

static const char fts_ids_sql[] = "SELECT rowid FROM products_fts WHERE products_fts MATCH ?1";

int match_fts_ids(match_ctx *m, const char *expr, int64_t **ids, int *n, souk_err *e)
{
	return fts_collect(m, fts_ids_sql, expr, ids, NULL, n, e);
}
static const char fts_bm25_sql[] = "SELECT rowid, " MATCH_BM25_SQL " FROM "
                                   "products_fts WHERE products_fts MATCH ?1";

/* The hits of an FTS5 expression with their relevance: bm25 for at most
 * MATCH_BM25_MAX hits, else whether every keyword is in the title. */
static int fts_search(match_ctx *m, const char *expr, int64_t **ids, float **rel, int *n,
                      souk_err *e)
{
	int64_t *tids = NULL;
	int tn = 0;
	char *title;

	if (match_fts_ids(m, expr, ids, n, e) < 0)
		return -1;
	if (*n <= MATCH_BM25_MAX) {
		free(*ids);
		*ids = NULL;
		return fts_collect(m, fts_bm25_sql, expr, ids, rel, n, e);
	}
	/* both lists come in rowid order: merge */
	title = xasprintf("{title}: (%s)", expr);
	if (match_fts_ids(m, title, &tids, &tn, e) < 0) {
		free(title);
		free(tids);
		return -1;
	}
	free(title);
	*rel = xmalloc(sizeof(float) * (size_t)(*n + 1));
	for (int i = 0, j = 0; i < *n; i++) {
		while (j < tn && tids[j] < (*ids)[i])
			j++;
		(*rel)[i] = j < tn && tids[j] == (*ids)[i] ? -1.0f : 0.0f;
	}
	free(tids);
	return 0;
}

/* FTS5's product ids as records (with their relevance, when rel);
 * ids the columns lack are left out. */
static int32_t *ids_to_recs(match_ctx *m, const int64_t *ids, float *rel, int *n)
{
	int32_t *recs = xmalloc(sizeof(int32_t) * (size_t)(*n + 1));
	int k = 0;

	for (int i = 0; i < *n; i++) {
		int r = match_prod_find(m, ids[i]);
		if (r < 0)
			continue;
		if (rel)
			rel[k] = rel[i];
		recs[k++] = r;
	}
	*n = k;
	return recs;
}

/* The hits of the keywords: from the index's postings when they can
 * answer (with the frequencies bm25 is computed from for the candidates
 * that pass the filters), else from FTS5 (with the phrases bm25 is
 * computed from for the candidates, or where the index cannot, with
 * FTS5's relevance). */
static int kw_search(match_ctx *m, const strlist *kw, struct fts_entry *x, souk_err *e)
{
	strbuf expr;
	int64_t *ids = NULL;
	int rc;

	sb_init(&expr);
	rc = match_terms_hits(m, kw, &expr, &x->recs, &x->n, &x->freq);
	sb_free(&expr);
	if (rc == 1)
		return 0;
	rc = match_phrases_search(m, kw, &x->recs, &x->n, &x->phr, e);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	sb_init(&expr);
	match_fts_expr(m, kw, &expr);
	rc = fts_search(m, expr.s, &ids, &x->rel, &x->n, e);
	sb_free(&expr);
	if (rc == 0)
		x->recs = ids_to_recs(m, ids, x->rel, &x->n);
	free(ids);
	return rc;
}

static void entry_clear(struct fts_entry *x)
{
	free(x->key);
	free(x->recs);
	free(x->rel);
	match_kwfreq_free(x->freq);
	match_phrases_free(x->phr);
	memset(x, 0, sizeof *x);
}

/* No search running (its entry is about to go). */
static void running_clear(match_ctx *m)
{
	m->fts_recs = NULL;
	m->fts_rel = NULL;
	m->fts_freq = NULL;
	m->fts_phr = NULL;
	m->fts_n = 0;
}

void match_fts_cache_clear(match_ctx *m)
{
	for (int i = 0; i < MATCH_FTS_CACHE; i++)
		entry_clear(&m->fts[i]);
	running_clear(m);
}

int match_fts_hits(match_ctx *m, const strlist *kw, souk_err *e)
{
	struct fts_entry *slot = &m->fts[0];
	strbuf key;

	sb_init(&key);
	for (int i = 0; i < kw->n; i++)
		sb_printf(&key, "%s\x1f", kw->v[i]);
	for (int i = 0; i < MATCH_FTS_CACHE; i++) {
		struct fts_entry *x = &m->fts[i];
		if (x->key && strcmp(x->key, key.s) == 0) {
			x->used = ++m->fts_clock;
			slot = x;
			goto found;
		}
		if (x->used < slot->used)
			slot = x; /* the least recently used, or an empty one */
	}
	entry_clear(slot);
	running_clear(m);
	if (kw_search(m, kw, slot, e) < 0) {
		entry_clear(slot);
		sb_free(&key);
		return -1;
	}
	slot->key = sb_steal(&key);
	slot->used = ++m->fts_clock;
found:
	sb_free(&key);
	m->fts_recs = slot->recs;
	m->fts_rel = slot->rel;
	m->fts_freq = slot->freq;
	m->fts_phr = slot->phr;
	m->fts_n = slot->n;
	return 0;
}

int match_keywords_have_word(const strlist *kw)
{
	for (int i = 0; i < kw->n; i++)
		if (match_has_word(kw->v[i]))
			return 1;
	return 0;
}
