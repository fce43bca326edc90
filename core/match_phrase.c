/* match_phrase: a search with phrases (a keyword FTS5 cuts into several words needs positions):
 * each phrase's hits from FTS5, each word's from the postings, and bm25 for the candidates that
 * pass the filters, from their own text, as FTS5 computes it. */
#include <stdlib.h>
#include <string.h>

#include "match_int.h"
#include "sort.h"

/* A keyword as FTS5 reads it: its terms in order, the last one a prefix
 * when the expression says so, and how many rows hold the phrase (-1
 * until known). */
typedef struct phrase {
	strbuf piece; /* its part of the FTS5 expression */
	strbuf bytes; /* the terms, each NUL-terminated */
	uint32_t *at; /* offset of each term in bytes */
	int n, prefix;
	int64_t nhit;
} phrase;

struct match_phrases {
	phrase p[MATCH_TERMS_MAX];
	int np;
	double idf[MATCH_TERMS_MAX]; /* each phrase's, from its count */
	char *expr;                  /* the whole expression, for the title rule */
	/* per hit (in the search's order), each phrase's weighted count in it,
	 * read from its text once: a buyer refines the same search again and
	 * again, and most candidates come back (NULL: none read; a hit not
	 * read yet starts with NOT_READ) */
	uint32_t *freq;
	int nhits;
	/* records holding every keyword in the title, ascending (title_n -1:
	 * not asked yet) */
	int32_t *title;
	int title_n;
};

#define NOT_READ UINT32_MAX

/* FTS5's product ids as records, ascending (ids the columns lack are left
 * out); how many into *nrec. */
static int32_t *recs_sorted(match_ctx *m, const int64_t *ids, int n, int *nrec)
{
	uint64_t *key = xmalloc(sizeof *key * ((size_t)n + 1));
	int32_t *recs;
	size_t k = 0;

	for (int i = 0; i < n; i++) {
		int r = match_prod_find(m, ids[i]);
		if (r >= 0)
			key[k++] = (uint64_t)r;
	}
	sort_pairs(key, NULL, k);
	recs = xmalloc(sizeof *recs * (k + 1));
	for (size_t i = 0; i < k; i++)
		recs[i] = (int32_t)key[i];
	*nrec = (int)k;
	free(key);
	return recs;
}

/* FTS5's hits of one phrase: the first list of the search (*acc NULL), or
 * kept from *acc (ascending records, *nacc of them) through bitmaps, so
 * nothing is sorted: where product ids are compact, only the hits among
 * acc's ids are looked up as records (a common phrase has ten times the
 * hits of the search). The phrase's count (FTS5's rows) into *nhit; 0, or
 * -1 on an error. */
static int phrase_hits(match_ctx *m, const char *piece, int32_t **acc, int *nacc, int64_t *nhit,
                       souk_err *e)
{
	int64_t *found, max = m->prod_dense ? m->prod_dense_max : -1;
	uint64_t *recs, *ids = NULL;
	int nfound, k = 0;

	if (match_fts_ids(m, piece, &found, &nfound, e) < 0)
		return -1;
	*nhit = nfound;
	if (!*acc) {
		*acc = recs_sorted(m, found, nfound, nacc);
		free(found);
		return 0;
	}
	if (max >= 0) {
		ids = xcalloc_hot((size_t)max / 64 + 1, sizeof *ids);
		for (int i = 0; i < *nacc; i++)
			if (m->prod_ids[(*acc)[i]] >= 0 && m->prod_ids[(*acc)[i]] <= max)
				match_bit_set(ids, (size_t)m->prod_ids[(*acc)[i]]);
	}
	recs = xcalloc_hot((size_t)m->nprods / 64 + 1, sizeof *recs);
	for (int i = 0; i < nfound; i++) {
		int r;
		if (ids &&
		    (found[i] < 0 || found[i] > max || !match_bit_get(ids, (size_t)found[i])))
			continue;
		if ((r = match_prod_find(m, found[i])) >= 0)
			match_bit_set(recs, (size_t)r);
	}
	for (int i = 0; i < *nacc; i++)
		if (match_bit_get(recs, (size_t)(*acc)[i]))
			(*acc)[k++] = (*acc)[i];
	*nacc = k;
	free(recs);
	free(ids);
	free(found);
	return 0;
}

/* The keyword as FTS5 reads it: its part of the expression, its terms
 * (the last a prefix when the expression says so). 0; 1 when it has no
 * terms (bytes the tokenizer drops: the search is left to FTS5 whole);
 * -1 when the tokenizer fails. */
static int phrase_make(match_ctx *m, const char *kw, phrase *p, match_toks *t)
{
	int flags = FTS5_TOKENIZE_QUERY;

	sb_init(&p->piece);
	sb_init(&p->bytes);
	p->prefix = match_fts_piece(m, kw, &p->piece);
	if (p->prefix)
		flags |= FTS5_TOKENIZE_PREFIX;
	if (!match_tok_cut(m, kw, (int)strlen(kw), flags, t))
		return -1;
	if (t->n == 0)
		return 1;
	sb_addn(&p->bytes, t->bytes.s, t->bytes.len);
	p->at = xmalloc(sizeof *p->at * ((size_t)t->n + 1));
	memcpy(p->at, t->at, sizeof *p->at * (size_t)t->n);
	p->n = t->n;
	return 0;
}

/* a = a AND b, both ascending. */
static int and_lists(int32_t *a, int na, const int32_t *b, int nb)
{
	int i = 0, j = 0, k = 0;

	while (i < na && j < nb) {
		if (a[i] < b[j])
			i++;
		else if (a[i] > b[j])
			j++;
		else {
			a[k++] = a[i++];
			j++;
		}
	}
	return k;
}

/* The words' records from the postings, ANDed into *acc (NULL: none
 * yet); the phrases are left with nhit -1. */
static void words_and(match_ctx *m, const strlist *kw, struct match_phrases *ph, int32_t **acc,
                      int *nacc)
{
	for (int i = 0, k = 0; i < kw->n; i++) {
		int32_t *r = NULL;
		if (!match_has_word(kw->v[i]))
			continue;
		ph->p[k].nhit = match_terms_keyword(m, kw->v[i], &r);
		if (ph->p[k++].nhit < 0)
			continue;
		if (!*acc) {
			*acc = r;
			*nacc = (int)ph->p[k - 1].nhit;
		} else {
			*nacc = and_lists(*acc, *nacc, r, (int)ph->p[k - 1].nhit);
			free(r);
		}
	}
}

int match_phrases_search(match_ctx *m, const strlist *kw, int32_t **recs, int *n,
                         struct match_phrases **out, souk_err *e)
{
	struct match_phrases *ph;
	strbuf expr;
	match_toks t = {0};
	int32_t *acc = NULL;
	int nacc = 0, rc = 0;

	*out = NULL;
	if (!m->terms || m->bm25.rows <= 0 || kw->n > MATCH_TERMS_MAX || !match_tok_ready(m))
		return 0;
	ph = xcalloc(1, sizeof *ph);
	ph->title_n = -1;
	for (int i = 0; rc == 0 && i < kw->n; i++)
		if (match_has_word(kw->v[i]))
			rc = phrase_make(m, kw->v[i], &ph->p[ph->np++], &t);
	match_tok_free(&t);
	if (rc == 1) {
		match_phrases_free(ph);
		return 0;
	}
	if (rc == 0)
		words_and(m, kw, ph, &acc, &nacc);
	/* then each phrase from FTS5: kept from the words' hits, or as the
	 * first list */
	for (int k = 0; rc == 0 && k < ph->np; k++) {
		phrase *p = &ph->p[k];
		if (p->nhit >= 0)
			continue;
		if (acc && nacc == 0)
			p->nhit = 0; /* no hits: nothing to rank */
		else
			rc = phrase_hits(m, p->piece.s, &acc, &nacc, &p->nhit, e);
	}
	if (rc < 0) {
		free(acc);
		match_phrases_free(ph);
		return -1;
	}
	/* the expression the pieces make, match_fts_expr's, for the title rule */
	sb_init(&expr);
	for (int k = 0; k < ph->np; k++) {
		ph->idf[k] = match_bm25_idf(m->bm25.rows, ph->p[k].nhit);
		sb_printf(&expr, "%s%s", k ? " " : "", ph->p[k].piece.s);
	}
	ph->expr = sb_steal(&expr);
	*recs = acc ? acc : xmalloc(sizeof *acc);
	*n = nacc;
	*out = ph;
	return 1;
}

void match_phrases_free(struct match_phrases *ph)
{
	if (!ph)
		return;
	for (int i = 0; i < ph->np; i++) {
		sb_free(&ph->p[i].piece);
		sb_free(&ph->p[i].bytes);
		free(ph->p[i].at);
	}
	free(ph->expr);
	free(ph->title);
	free(ph->freq);
	free(ph);
}

/* Whether the text's term k is the phrase's term i. */
static int term_is(const match_toks *t, int k, const phrase *p, int i)
{
	const char *want = p->bytes.s + p->at[i];
	size_t wn = strlen(want);

	if (p->prefix && i == p->n - 1)
		return t->len[k] >= wn && memcmp(t->bytes.s + t->at[k], want, wn) == 0;
	return t->len[k] == wn && memcmp(t->bytes.s + t->at[k], want, wn) == 0;
}

/* How many times the phrase occurs in the text (FTS5 counts each
 * position it starts at). */
static int phrase_count(const match_toks *t, const phrase *p)
{
	int count = 0;

	for (int k = 0; k + p->n <= t->n; k++) {
		int i = 0;
		while (i < p->n && term_is(t, k + i, p, i))
			i++;
		count += i == p->n;
	}
	return count;
}

/* Each phrase's weighted count in product id, from its four indexed
 * columns cut by the catalog's tokenizer, into f. */
static void read_text(match_ctx *m, const struct match_phrases *ph, sqlite3_stmt *st, int64_t id,
                      match_toks *t, uint32_t *f)
{
	static const uint32_t weight[] = {MATCH_BM25_WEIGHTS};

	memset(f, 0, sizeof *f * (size_t)ph->np);
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		for (int col = 0; col < 4; col++) {
			const char *s = (const char *)sqlite3_column_text(st, col);
			if (!s || !match_tok_cut(m, s, sqlite3_column_bytes(st, col),
			                         FTS5_TOKENIZE_DOCUMENT, t))
				continue;
			for (int k = 0; k < ph->np; k++)
				f[k] += weight[col] * (uint32_t)phrase_count(t, &ph->p[k]);
		}
	}
	sqlite3_reset(st);
}

static int rec_order(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
	return (x > y) - (x < y);
}

static int hit_of(const match_ctx *m, int32_t rec)
{
	const int32_t *at = bsearch(&rec, m->fts_recs, (size_t)m->fts_n, sizeof rec, rec_order);
	return at ? (int)(at - m->fts_recs) : -1;
}

/* Every candidate's bm25, its counts read from its text where they were
 * not read before, in id order (the table's own: the reads walk its
 * B-tree forward instead of seeking all over it). */
static int rank_by_text(query *q, struct match_phrases *ph, souk_err *e)
{
	match_ctx *m = q->m;
	sqlite3_stmt *st;
	match_toks t = {0};
	uint64_t *key;
	uint32_t *at;
	int rc = 0;

	if (!ph->freq || ph->nhits != m->fts_n) {
		free(ph->freq);
		ph->nhits = m->fts_n;
		ph->freq = xmalloc(sizeof *ph->freq * ((size_t)ph->nhits * (size_t)ph->np + 1));
		memset(ph->freq, 0xff, sizeof *ph->freq * (size_t)ph->nhits * (size_t)ph->np);
	}
	if (sqlite3_prepare_v2(m->db,
	                       "SELECT title, description, category, attributes FROM products "
	                       "WHERE id = ?1",
	                       -1, &st, NULL) != SQLITE_OK)
		return match_db_error(m, e, "search");
	key = xmalloc(sizeof *key * ((size_t)q->n + 1));
	at = xmalloc(sizeof *at * ((size_t)q->n + 1));
	for (int i = 0; i < q->n; i++) {
		key[i] = (uint64_t)q->c[i].id;
		at[i] = (uint32_t)i;
	}
	sort_pairs(key, at, (size_t)q->n);
	for (int i = 0; rc == 0 && i < q->n; i++) {
		cand *c = &q->c[at[i]];
		int h = hit_of(m, c->pidx);
		uint32_t own[MATCH_TERMS_MAX], *f = h >= 0 ? ph->freq + (size_t)h * ph->np : own;
		if (h < 0 || f[0] == NOT_READ)
			read_text(m, ph, st, c->id, &t, f);
		c->bm25 = (float)match_bm25(m, ph->idf, f, ph->np,
		                            c->pidx >= 0 ? m->prods[c->pidx].ntok : 0);
		if ((i & 255) == 0 && match_stopped(m, e))
			rc = -1;
	}
	sqlite3_finalize(st);
	match_tok_free(&t);
	free(key);
	free(at);
	return rc;
}

/* Too many candidates to read: relevance is whether every keyword is in
 * the title (FTS5's hits of the expression in the title, asked once per
 * search). */
static int rank_by_title(query *q, struct match_phrases *ph, souk_err *e)
{
	match_ctx *m = q->m;

	if (ph->title_n < 0) {
		char *expr = xasprintf("{title}: (%s)", ph->expr);
		int64_t *ids;
		int n, rc = match_fts_ids(m, expr, &ids, &n, e);
		free(expr);
		if (rc < 0)
			return -1;
		ph->title = recs_sorted(m, ids, n, &ph->title_n);
		free(ids);
	}
	for (int i = 0; i < q->n; i++) {
		int32_t r = q->c[i].pidx;
		q->c[i].bm25 = bsearch(&r, ph->title, (size_t)ph->title_n, sizeof r, rec_order)
		                       ? -1.0f
		                       : 0.0f;
	}
	return 0;
}

int match_phrases_rank(query *q, souk_err *e)
{
	struct match_phrases *ph = q->m->fts_phr;

	if (!ph || q->count_only)
		return 0;
	return q->n <= MATCH_PHRASE_READ_MAX ? rank_by_text(q, ph, e) : rank_by_title(q, ph, e);
}
