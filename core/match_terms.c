/* match_terms: the keyword postings of the column index: FTS5's own terms, the records holding
 * each and how often, so a keyword search and its bm25 read no SQL. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "map.h"
#include "match_int.h"
#include "sort.h"

/* A term of the dictionary: its bytes in SEC_TERMSTR, its postings in
 * SEC_POSTS (the ndocs records holding it, ascending, as LEB128 gaps) and
 * in SEC_TF its frequency in each of them, weighted by column as bm25
 * weighs it (LEB128, in the same order). */
typedef struct term_rec {
	uint32_t str, len;
	uint32_t ndocs, pad;
	uint64_t all, tf;
} term_rec;

static const uint8_t col_weight[] = {MATCH_BM25_WEIGHTS};

size_t match_terms_rec_size(void)
{
	return sizeof(term_rec);
}

/* ---- building ----
 *
 * Cutting every product's text into terms (31 million for a million
 * products) is most of an index build, so it runs on a thread of its own,
 * over a connection of its own, while the build loads the columns. It
 * records each term's products by id with the term's weighted frequency
 * in each, and every product's length as FTS5 counts it; once the records
 * are laid out (clustered by category), the lists are turned into
 * records, sorted and written. */

typedef struct posting_list {
	uint64_t *v; /* records, widened for the radix sort */
	size_t n;
} posting_list;

/* gap as LEB128 into out (10 bytes at most); how many bytes. */
static int gap_encode(unsigned char *out, uint64_t gap)
{
	int n = 0;

	while (gap >= 0x80) {
		out[n++] = (unsigned char)((gap & 0x7f) | 0x80);
		gap >>= 7;
	}
	out[n++] = (unsigned char)gap;
	return n;
}

static void put_gap(strbuf *out, uint64_t gap)
{
	unsigned char g[10];

	sb_addn(out, (const char *)g, (size_t)gap_encode(g, gap));
}

/* The gap at *p, read past; 0 when the bytes end inside it (a damaged
 * list: it stops there). */
static int get_gap(const unsigned char **p, const unsigned char *end, uint64_t *gap)
{
	int shift = 0;

	/* most gaps of a long list fit one byte: a third of a 10,000,000-
	 * product keyword query went to decoding them */
	if (*p < end && !(**p & 0x80)) {
		*gap = *(*p)++;
		return 1;
	}
	*gap = 0;
	while (*p < end && (**p & 0x80) && shift < 63) {
		*gap |= (uint64_t)(*(*p)++ & 0x7f) << shift;
		shift += 7;
	}
	if (*p == end)
		return 0;
	*gap |= (uint64_t) * (*p)++ << shift;
	return 1;
}

/* A sorted list as gaps. */
static void put_gaps(strbuf *out, const posting_list *l)
{
	int64_t prev = -1;

	for (size_t i = 0; i < l->n; i++) {
		put_gap(out, l->v[i] - (uint64_t)(prev + 1));
		prev = (int64_t)l->v[i];
	}
}

/* A term's products by id as they are read, ascending, as gaps in a chain
 * of small chunks (a million distinct terms cost a chunk each, where a
 * buffer each would cost a malloc), each gap followed by the term's
 * weighted frequency in that product. Chunk 0 is never used: 0 ends a
 * chain. */
#define CHUNK_BYTES 27

typedef struct chunk {
	uint32_t next;
	uint8_t used;
	unsigned char b[CHUNK_BYTES];
} chunk;

typedef struct id_chain {
	uint32_t head, tail, n;
	int64_t last;
} id_chain;

typedef struct term_lists {
	id_chain all;
	uint32_t w; /* the frequency in all.last, written when the product is done */
} term_lists;

struct terms_job {
	index_ident ident; /* of the catalog the build reads */
	sqlite3 *db;
	pthread_t thread;
	int started, rc;       /* rc 0: every product read */
	strbuf recs, str, ids; /* term_rec with all/title as offsets into ids */
	/* while reading: the terms met, their lists, the product and column */
	map *seen;
	term_lists *lists;
	size_t lists_cap;
	chunk *chunks;
	uint32_t nchunks, chunks_cap;
	int64_t doc;
	int col;
	uint32_t col_size; /* tokens of the column so far, as FTS5 counts them */
	/* every product's length in tokens, by id, and the catalog's totals */
	int64_t *doc_ids;
	uint16_t *doc_ntok;
	size_t ndoc, doc_cap;
	match_bm25_totals totals;
};

static void chain_put(struct terms_job *j, id_chain *c, const unsigned char *b, int n)
{
	for (int i = 0; i < n; i++) {
		chunk *t = c->tail ? &j->chunks[c->tail] : NULL;
		if (!t || t->used == CHUNK_BYTES) {
			if (j->nchunks == j->chunks_cap) {
				j->chunks_cap = j->chunks_cap ? j->chunks_cap * 2 : 4096;
				j->chunks = xrealloc(j->chunks, sizeof *j->chunks * j->chunks_cap);
			}
			if (j->nchunks == 0)
				j->nchunks = 1; /* chunk 0 ends chains */
			uint32_t k = j->nchunks++;
			j->chunks[k].next = 0;
			j->chunks[k].used = 0;
			if (c->tail)
				j->chunks[c->tail].next = k;
			else
				c->head = k;
			c->tail = k;
			t = &j->chunks[k];
		}
		t->b[t->used++] = b[i];
	}
}

static void chain_varint(struct terms_job *j, id_chain *c, uint64_t v)
{
	unsigned char g[10];

	chain_put(j, c, g, gap_encode(g, v));
}

/* One occurrence of term l in the current product and column: a product
 * already on the list gets its frequency raised, a new one closes the
 * last's and is added. */
static void term_occurs(struct terms_job *j, term_lists *l)
{
	id_chain *c = &l->all;

	if (c->n && j->doc == c->last) {
		l->w += col_weight[j->col];
		return;
	}
	if (c->n)
		chain_varint(j, c, l->w);
	chain_varint(j, c, (uint64_t)j->doc - (uint64_t)(c->n ? c->last : -1) - 1);
	c->last = j->doc;
	c->n++;
	l->w = col_weight[j->col];
}

/* A product read: its length (bm25's, saturated to what prod.ntok holds). */
static void job_doc(struct terms_job *j, uint64_t ntok)
{
	if (j->ndoc == j->doc_cap) {
		j->doc_cap = j->doc_cap ? j->doc_cap * 2 : 65536;
		j->doc_ids = xrealloc(j->doc_ids, sizeof *j->doc_ids * j->doc_cap);
		j->doc_ntok = xrealloc(j->doc_ntok, sizeof *j->doc_ntok * j->doc_cap);
	}
	j->doc_ids[j->ndoc] = j->doc;
	j->doc_ntok[j->ndoc++] = (uint16_t)(ntok < UINT16_MAX ? ntok : UINT16_MAX);
	j->totals.rows++;
	j->totals.tokens += (int64_t)ntok;
}

static void chain_copy(const struct terms_job *j, const id_chain *c, strbuf *out)
{
	for (uint32_t k = c->head; k; k = j->chunks[k].next)
		sb_addn(out, (const char *)j->chunks[k].b, j->chunks[k].used);
}

/* The tokenizer's callback: one term of the current product and column,
 * recorded as FTS5 records it (colocated synonyms too), and counted in
 * the column's size as FTS5 counts it (a synonym shares its word's
 * position). */
static int job_token(void *arg, int flags, const char *s, int n, int start, int end)
{
	struct terms_job *j = arg;
	int added;
	long t;

	(void)start;
	(void)end;
	if (!(flags & FTS5_TOKEN_COLOCATED) || j->col_size == 0)
		j->col_size++;
	if (n <= 0)
		return SQLITE_OK;
	t = map_addn(j->seen, s, (size_t)(n < MATCH_FTS5_TOKEN_MAX ? n : MATCH_FTS5_TOKEN_MAX),
	             &added);
	if ((size_t)t >= j->lists_cap) {
		size_t cap = j->lists_cap ? j->lists_cap * 2 : 1024;
		j->lists = xrealloc(j->lists, sizeof *j->lists * cap);
		memset(j->lists + j->lists_cap, 0, sizeof *j->lists * (cap - j->lists_cap));
		j->lists_cap = cap;
	}
	term_occurs(j, &j->lists[t]);
	return SQLITE_OK;
}

typedef struct term_key {
	const char *s;
	long i;
} term_key;

/* Terms as C strings: the catalog's tokenizers (unicode61, porter) never
 * make a term holding a NUL byte, which separates words for them. */
static int term_order(const void *a, const void *b)
{
	return strcmp(((const term_key *)a)->s, ((const term_key *)b)->s);
}

/* The dictionary in byte order (the lookups binary-search it), each
 * term's list copied out of its chain (the last product's frequency
 * written first). */
static void job_layout(struct terms_job *j)
{
	long nt = map_count(j->seen);
	term_key *order = xmalloc(sizeof *order * (size_t)(nt ? nt : 1));

	for (long i = 0; i < nt; i++)
		order[i] = (term_key){map_key(j->seen, i), i};
	qsort(order, (size_t)nt, sizeof *order, term_order);
	for (long i = 0; i < nt; i++) {
		term_lists *l = &j->lists[order[i].i];
		const char *s = order[i].s;
		term_rec r = {
		        .str = (uint32_t)j->str.len, .len = (uint32_t)strlen(s), .ndocs = l->all.n};
		sb_addn(&j->str, s, r.len);
		if (l->all.n)
			chain_varint(j, &l->all, l->w);
		r.all = j->ids.len;
		chain_copy(j, &l->all, &j->ids);
		sb_addn(&j->recs, (const char *)&r, sizeof r);
	}
	free(order);
}

/* The chains, once laid out (or given up): their memory goes back before
 * the build's peak. */
static void job_drop_lists(struct terms_job *j)
{
	map_free(j->seen);
	free(j->lists);
	free(j->chunks);
	j->seen = NULL;
	j->lists = NULL;
	j->chunks = NULL;
	j->lists_cap = 0;
	j->nchunks = j->chunks_cap = 0;
}

/* Whether the connection reads the catalog the build identified. */
static int job_same_catalog(const struct terms_job *j)
{
	index_ident id;
	souk_err e;

	return match_catalog_ident(j->db, &id, &e) == 0 && id.generation == j->ident.generation &&
	       id.meta_hash == j->ident.meta_hash && id.max_product == j->ident.max_product &&
	       id.max_supplier == j->ident.max_supplier;
}

/* Every product's indexed columns, cut into terms by the catalog's own
 * tokenizer exactly as FTS5 cut them when it indexed the product (the
 * columns FTS5 reads from this external-content table, in its column
 * order, as text). Reading FTS5's 31 million instances back through
 * fts5vocab took 4.4 s for a million imported products; this takes 2.9 s.
 * 0 when every product was read from the catalog the build identified. */
static int job_scan(struct terms_job *j)
{
	fts5_tokenizer api;
	Fts5Tokenizer *tok = NULL;
	sqlite3_stmt *st = NULL;
	int rc = SQLITE_ERROR;

	if (sqlite3_exec(j->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		return -1;
	/* a writer between the build's reads and these: no postings */
	if (!job_same_catalog(j) || !match_tok_make(j->db, &api, &tok) ||
	    sqlite3_prepare_v2(j->db,
	                       "SELECT id, title, description, category, attributes FROM products "
	                       "ORDER BY id",
	                       -1, &st, NULL) != SQLITE_OK)
		goto out;
	j->seen = map_new(MAP_CASE);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		uint64_t ntok = 0;
		j->doc = sqlite3_column_int64(st, 0);
		for (j->col = 0; j->col < 4 && rc == SQLITE_ROW; j->col++) {
			const char *s = (const char *)sqlite3_column_text(st, j->col + 1);
			int n = sqlite3_column_bytes(st, j->col + 1);
			j->col_size = 0;
			if (s && api.xTokenize(tok, j, FTS5_TOKENIZE_DOCUMENT, s, n, job_token) !=
			                 SQLITE_OK)
				rc = SQLITE_ERROR;
			ntok += j->col_size;
		}
		if (rc != SQLITE_ROW)
			break; /* the tokenizer failed: no postings */
		job_doc(j, ntok);
	}
	if (rc == SQLITE_DONE)
		job_layout(j);
	job_drop_lists(j);
out:
	sqlite3_finalize(st);
	if (tok)
		api.xDelete(tok);
	return rc == SQLITE_DONE ? 0 : -1;
}

static void *job_run(void *arg)
{
	struct terms_job *j = arg;

	j->rc = job_scan(j);
	return NULL;
}

void match_terms_start(match_ctx *m, const char *catalog, const index_ident *ident)
{
	struct terms_job *j = xcalloc(1, sizeof *j);

	j->ident = *ident;
	j->rc = -1;
	m->terms_job = j;
	/* a catalog without the FTS table gets no postings: searches go to
	 * FTS5, which reports it */
	if (sqlite3_open_v2(catalog, &j->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) !=
	    SQLITE_OK)
		return;
	sqlite3_busy_timeout(j->db, 5000);
	j->started = pthread_create(&j->thread, NULL, job_run, j) == 0;
	if (!j->started)
		j->rc = job_scan(j); /* no thread: read here */
}

static void job_free(struct terms_job *j)
{
	sqlite3_close(j->db);
	sb_free(&j->recs);
	sb_free(&j->str);
	sb_free(&j->ids);
	job_drop_lists(j);
	free(j->doc_ids);
	free(j->doc_ntok);
	free(j);
}

void match_terms_cancel(match_ctx *m)
{
	struct terms_job *j = m->terms_job;

	if (!j)
		return;
	if (j->started) {
		sqlite3_interrupt(j->db);
		pthread_join(j->thread, NULL);
	}
	job_free(j);
	m->terms_job = NULL;
}

/* A term's products, by id, as records into l with its frequency in
 * each into w, sorted by record (ids the columns lack are left out). */
static void ids_to_records(const match_ctx *m, const struct terms_job *j, uint64_t off, uint32_t n,
                           posting_list *l, uint32_t *w)
{
	const unsigned char *p = (const unsigned char *)j->ids.s + off;
	const unsigned char *end = (const unsigned char *)j->ids.s + j->ids.len;
	uint64_t id = (uint64_t)-1;

	l->n = 0;
	for (uint32_t i = 0; i < n; i++) {
		uint64_t gap, f;
		int r;
		if (!get_gap(&p, end, &gap) || !get_gap(&p, end, &f))
			break;
		id += gap + 1;
		if ((r = match_prod_find(m, (int64_t)id)) >= 0) {
			w[l->n] = (uint32_t)f;
			l->v[l->n++] = (uint64_t)r;
		}
	}
	sort_pairs(l->v, w, l->n);
}

/* Every product's length into its record, for bm25. */
static void put_lengths(match_ctx *m, const struct terms_job *j)
{
	for (size_t i = 0; i < j->ndoc; i++) {
		int r = match_prod_find(m, j->doc_ids[i]);
		if (r >= 0)
			m->prods[r].ntok = j->doc_ntok[i];
	}
}

int match_terms_build(match_ctx *m, index_builder *b)
{
	struct terms_job *j = m->terms_job;
	strbuf recs, posts, tf;
	posting_list l = {0};
	uint32_t *w;
	size_t nt, n;

	if (!j)
		return 0;
	if (j->started)
		pthread_join(j->thread, NULL);
	j->started = 0;
	if (j->rc != 0) {
		match_terms_cancel(m);
		return 0;
	}
	sb_init(&recs);
	sb_init(&posts);
	sb_init(&tf);
	l.v = xmalloc(sizeof(uint64_t) * ((size_t)m->nprods + 1));
	w = xmalloc(sizeof(uint32_t) * ((size_t)m->nprods + 1));
	nt = j->recs.len / sizeof(term_rec);
	for (size_t i = 0; i < nt; i++) {
		term_rec r;
		memcpy(&r, j->recs.s + i * sizeof r, sizeof r);
		ids_to_records(m, j, r.all, r.ndocs, &l, w);
		r.ndocs = (uint32_t)l.n;
		r.all = posts.len;
		put_gaps(&posts, &l);
		r.tf = tf.len;
		for (size_t k = 0; k < l.n; k++)
			put_gap(&tf, w[k]);
		sb_addn(&recs, (const char *)&r, sizeof r);
	}
	free(l.v);
	free(w);
	put_lengths(m, j);
	n = recs.len;
	index_builder_take(b, MATCH_SEC_TERMS, INDEX_BULK, sb_steal(&recs), n);
	n = j->str.len;
	index_builder_take(b, MATCH_SEC_TERMSTR, INDEX_BULK, sb_steal(&j->str), n);
	n = posts.len;
	index_builder_take(b, MATCH_SEC_POSTS, INDEX_BULK, sb_steal(&posts), n);
	n = tf.len;
	index_builder_take(b, MATCH_SEC_TF, INDEX_BULK, sb_steal(&tf), n);
	index_builder_add(b, MATCH_SEC_BM25, 0, &j->totals, sizeof j->totals);
	match_terms_cancel(m);
	return 0;
}

/* ---- the keywords' terms ---- */

/* The one term FTS5 makes of s (prefix: as the start of a term) into t;
 * 0 when it makes none or several (a phrase, which the postings cannot
 * check), or one of 256 bytes or more (left to FTS5, as it always was). */
static int one_term(match_ctx *m, const char *s, int prefix, match_toks *t)
{
	int flags = FTS5_TOKENIZE_QUERY | (prefix ? FTS5_TOKENIZE_PREFIX : 0);

	return match_tok_cut(m, s, (int)strlen(s), flags, t) && t->n == 1 && t->len[0] > 0 &&
	       t->len[0] < 256;
}

/* ---- reading ---- */

static const term_rec *term_at(const match_ctx *m, uint32_t i, const char **s)
{
	const term_rec *r = &m->terms[i];

	if ((uint64_t)r->str + r->len > m->termstr_len)
		return NULL; /* a damaged record: treated as absent */
	*s = m->termstr + r->str;
	return r;
}

static int term_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	int c = memcmp(a, b, an < bn ? an : bn);
	return c ? c : (an > bn) - (an < bn);
}

/* The first term not below key. */
static uint32_t term_lower(const match_ctx *m, const char *key, size_t n)
{
	uint32_t lo = 0, hi = m->nterms;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		const char *s;
		const term_rec *r = term_at(m, mid, &s);
		if (r && term_cmp(s, r->len, key, n) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* A term's list as it is read: gap by gap, with its frequencies beside,
 * so a long list is never copied out (its pages are read once and nothing
 * is written). Records past the catalog or the section's end stop it: a
 * damaged list misses hits but never reads outside the file (a damaged
 * frequency list reads as 0). */
typedef struct pcursor {
	const unsigned char *p, *end, *tp, *tend;
	uint32_t left;
	int32_t nprods;
	int64_t at; /* the current record, -1 before the first */
} pcursor;

static int64_t pcursor_end(pcursor *c)
{
	c->left = 0;
	return -1;
}

/* The next record and the term's weighted frequency in it, or -1 at the
 * end. */
static int64_t pcursor_next(pcursor *c, uint32_t *w)
{
	uint64_t gap, f;

	if (c->left == 0 || !get_gap(&c->p, c->end, &gap))
		return pcursor_end(c);
	/* a gap past the catalog ends the list (before the sum can overflow) */
	if (gap >= (uint64_t)c->nprods || c->at + (int64_t)gap + 1 >= c->nprods)
		return pcursor_end(c);
	c->at += (int64_t)gap + 1;
	c->left--;
	*w = get_gap(&c->tp, c->tend, &f) && f <= UINT32_MAX ? (uint32_t)f : 0;
	return c->at;
}

static uint32_t term_count(const match_ctx *m, uint32_t i)
{
	uint32_t c = m->terms[i].ndocs;
	return c < (uint32_t)m->nprods ? c : (uint32_t)m->nprods;
}

static void cursor_of(const match_ctx *m, uint32_t i, pcursor *c)
{
	const term_rec *r = &m->terms[i];

	c->p = m->posts + (r->all < m->posts_len ? r->all : m->posts_len);
	c->end = m->posts + m->posts_len;
	c->tp = m->tf + (r->tf < m->tf_len ? r->tf : m->tf_len);
	c->tend = m->tf + m->tf_len;
	c->left = term_count(m, i);
	c->nprods = m->nprods;
	c->at = -1;
}

/* Records ascending. */
typedef struct plist {
	int32_t *v;
	size_t n;
} plist;

/* The records of the terms [from, to) into out, and the terms' weighted
 * frequency in each into *w: one term's list, or for a prefix the union
 * of its terms' lists (with their frequencies summed, as FTS5 counts every
 * instance of a prefix phrase). */
static void plist_of(const match_ctx *m, uint32_t from, uint32_t to, plist *out, uint32_t **w)
{
	size_t total = 0;
	int64_t r;
	uint32_t f;

	for (uint32_t i = from; i < to; i++)
		total += term_count(m, i);
	out->v = xmalloc_hot(sizeof(int32_t) * (total + 1));
	*w = xmalloc_hot(sizeof(uint32_t) * (total + 1));
	out->n = 0;
	for (uint32_t i = from; i < to; i++) {
		pcursor c;
		cursor_of(m, i, &c);
		while ((r = pcursor_next(&c, &f)) >= 0) {
			(*w)[out->n] = f;
			out->v[out->n++] = (int32_t)r;
		}
	}
	if (to - from > 1) { /* a prefix: the union of its terms' lists */
		uint64_t *key = xmalloc_hot(sizeof(uint64_t) * (out->n + 1));
		size_t k = 0;
		for (size_t i = 0; i < out->n; i++)
			key[i] = (uint64_t)out->v[i];
		sort_pairs(key, *w, out->n);
		for (size_t i = 0; i < out->n; i++) {
			if (k && out->v[k - 1] == (int32_t)key[i]) {
				(*w)[k - 1] += (*w)[i];
				continue;
			}
			out->v[k] = (int32_t)key[i];
			(*w)[k++] = (*w)[i];
		}
		out->n = k;
		free(key);
	}
}

/* a = a AND (the union of the terms [from, to)): each term's list is
 * walked beside a, marking what it holds and adding its frequency to
 * keyword kw's column of f (a->n rows of nk). */
static void plist_and(const match_ctx *m, plist *a, uint32_t from, uint32_t to, uint32_t *f, int nk,
                      int kw)
{
	unsigned char *hit = xcalloc_hot(a->n + 1, 1); /* read whole below */
	size_t k = 0;

	for (uint32_t t = from; t < to; t++) {
		pcursor c;
		int64_t r;
		uint32_t w = 0;
		size_t i = 0;
		cursor_of(m, t, &c);
		r = pcursor_next(&c, &w);
		while (i < a->n && r >= 0) {
			if (a->v[i] < r)
				i++;
			else if (a->v[i] > r)
				r = pcursor_next(&c, &w);
			else {
				hit[i] = 1;
				f[i * (size_t)nk + (size_t)kw] += w;
				i++;
				r = pcursor_next(&c, &w);
			}
		}
	}
	for (size_t i = 0; i < a->n; i++)
		if (hit[i]) {
			a->v[k] = a->v[i];
			if (k != i)
				memcpy(f + k * (size_t)nk, f + i * (size_t)nk,
				       sizeof *f * (size_t)nk);
			k++;
		}
	a->n = k;
	free(hit);
}

/* The records holding every keyword, and each keyword's frequency in
 * them (*f, record-major): the shortest list is copied out and the others
 * are walked beside it. */
static void keywords_and(const match_ctx *m, int nk, const uint32_t *from, const uint32_t *to,
                         plist *out, uint32_t **f)
{
	int first = 0;
	uint64_t best = UINT64_MAX;
	uint32_t *w;

	for (int k = 0; k < nk; k++) {
		uint64_t c = 0;
		for (uint32_t i = from[k]; i < to[k]; i++)
			c += term_count(m, i);
		if (c < best) {
			best = c;
			first = k;
		}
	}
	plist_of(m, from[first], to[first], out, &w);
	if (nk == 1) {
		*f = w;
		return;
	}
	*f = xcalloc_hot(out->n * (size_t)nk + 1, sizeof **f);
	for (size_t i = 0; i < out->n; i++)
		(*f)[i * (size_t)nk + (size_t)first] = w[i];
	free(w);
	for (int k = 0; k < nk && out->n > 0; k++)
		if (k != first)
			plist_and(m, out, from[k], to[k], *f, nk, k);
}

/* How many records hold one of the terms [from, to): a keyword's count
 * for its idf (a prefix's union is counted, which is rare). */
static int64_t range_docs(const match_ctx *m, uint32_t from, uint32_t to)
{
	plist l;
	uint32_t *w;

	if (to - from <= 1)
		return to > from ? term_count(m, from) : 0;
	plist_of(m, from, to, &l, &w);
	free(l.v);
	free(w);
	return (int64_t)l.n;
}

double match_bm25_idf(int64_t rows, int64_t nhit)
{
	/* fts5_aux.c: a phrase in more than half the rows gets a small
	 * positive floor, not a negative */
	double idf = log((rows - nhit + 0.5) / (nhit + 0.5));

	return idf <= 0.0 ? 1e-6 : idf;
}

/* keyword_range's work, with o to cut the keyword into. */
static int keyword_terms(match_ctx *m, const char *kw, strbuf *expr, match_toks *o, uint32_t *from,
                         uint32_t *to)
{
	const char *term;
	size_t tlen;

	if (!one_term(m, kw, 0, o))
		return 0;
	term = o->bytes.s;
	tlen = o->len[0];
	*from = term_lower(m, term, tlen);
	*to = *from;
	if (*from < m->nterms) {
		const char *s;
		const term_rec *r = term_at(m, *from, &s);
		if (!r)
			return 0;
		if (term_cmp(s, r->len, term, tlen) == 0) {
			*to = *from + 1;
			match_fts_quote(kw, expr);
			return 1;
		}
	}
	match_fts_quote(kw, expr);
	if (strlen(kw) < MATCH_PREFIX_MIN)
		return 1; /* never a prefix: matches nothing */
	sb_addc(expr, '*');
	if (!one_term(m, kw, 1, o))
		return 0;
	term = o->bytes.s;
	tlen = o->len[0];
	*from = *to = term_lower(m, term, tlen);
	while (*to < m->nterms) {
		const char *s;
		const term_rec *r = term_at(m, *to, &s);
		if (!r || r->len < tlen || memcmp(s, term, tlen) != 0)
			break;
		(*to)++;
	}
	return 1;
}

/* One keyword's terms as the FTS expression reads it: the whole word when
 * the catalog has it, else (MATCH_PREFIX_MIN bytes or more) every term it
 * begins. [*from, *to) in the dictionary; 0 when the postings cannot say. */
static int keyword_range(match_ctx *m, const char *kw, strbuf *expr, uint32_t *from, uint32_t *to)
{
	match_toks o = {0};
	int ok = keyword_terms(m, kw, expr, &o, from, to);

	match_tok_free(&o);
	return ok;
}

int match_terms_hits(match_ctx *m, const strlist *kw, strbuf *expr, int32_t **recs, int *n,
                     match_kwfreq **freq)
{
	uint32_t from[MATCH_TERMS_MAX], to[MATCH_TERMS_MAX];
	int nk = 0;
	plist acc;
	match_kwfreq *fq;

	if (!m->terms || kw->n > MATCH_TERMS_MAX || !match_tok_ready(m))
		return 0;
	for (int i = 0; i < kw->n; i++) {
		if (!match_has_word(kw->v[i]))
			continue;
		if (nk)
			sb_addc(expr, ' ');
		if (!keyword_range(m, kw->v[i], expr, &from[nk], &to[nk]))
			return 0;
		nk++;
	}
	if (nk == 0)
		return 0;
	fq = xcalloc(1, sizeof *fq);
	fq->nk = nk;
	keywords_and(m, nk, from, to, &acc, &fq->f);
	/* the phrases in the expression's order: bm25 sums them in it */
	for (int k = 0; k < nk; k++)
		fq->idf[k] = match_bm25_idf(m->bm25.rows, range_docs(m, from[k], to[k]));
	*recs = acc.v;
	*n = (int)acc.n;
	*freq = fq;
	return 1;
}

int64_t match_terms_keyword(match_ctx *m, const char *kw, int32_t **recs)
{
	uint32_t from, to;
	strbuf expr;
	plist l;
	uint32_t *w;
	int ok;

	if (!m->terms || !match_tok_ready(m))
		return -1;
	sb_init(&expr);
	ok = keyword_range(m, kw, &expr, &from, &to);
	sb_free(&expr);
	if (!ok)
		return -1;
	plist_of(m, from, to, &l, &w);
	free(w);
	*recs = l.v;
	return (int64_t)l.n;
}

double match_bm25(const match_ctx *m, const double *idf, const uint32_t *f, int n, int ntok)
{
	/* fts5_aux.c's constants, and its expression term for term: the same
	 * doubles, so the same float as FTS5's bm25() */
	const double k1 = 1.2, b = 0.75;
	double D = ntok, avgdl, score = 0.0;

	if (m->bm25.rows <= 0)
		return 0;
	avgdl = (double)m->bm25.tokens / (double)m->bm25.rows;
	for (int k = 0; k < n; k++) {
		double fr = f[k];
		score += idf[k] * ((fr * (k1 + 1.0)) / (fr + k1 * (1 - b + b * D / avgdl)));
	}
	return -1.0 * score;
}

double match_terms_bm25(const match_ctx *m, const match_kwfreq *fq, int hit, int rec)
{
	return match_bm25(m, fq->idf, fq->f + (size_t)hit * (size_t)fq->nk, fq->nk,
	                  m->prods[rec].ntok);
}

void match_kwfreq_free(match_kwfreq *fq)
{
	if (fq)
		free(fq->f);
	free(fq);
}

int match_terms_attach(match_ctx *m)
{
	size_t tl, sl, pl, fl, bl;
	const void *t = index_section(m->idx, MATCH_SEC_TERMS, &tl);
	const char *s = index_section(m->idx, MATCH_SEC_TERMSTR, &sl);
	const unsigned char *p = index_section(m->idx, MATCH_SEC_POSTS, &pl);
	const unsigned char *f = index_section(m->idx, MATCH_SEC_TF, &fl);
	const match_bm25_totals *bt = index_section(m->idx, MATCH_SEC_BM25, &bl);

	m->terms = NULL;
	m->nterms = 0;
	if (!t && !s && !p && !f && !bt)
		return 0; /* none written (no FTS table): searches use FTS5 */
	if (tl % sizeof(term_rec) || tl / sizeof(term_rec) > UINT32_MAX || !bt ||
	    bl != sizeof *bt || bt->rows < 0 || bt->tokens < 0)
		return -1;
	m->terms = t ? t : (const void *)"";
	m->nterms = (uint32_t)(tl / sizeof(term_rec));
	m->termstr = s ? s : "";
	m->termstr_len = sl;
	m->posts = p ? p : (const unsigned char *)"";
	m->posts_len = pl;
	m->tf = f ? f : (const unsigned char *)"";
	m->tf_len = fl;
	m->bm25 = *bt;
	return 0;
}

const char *match_terms_term(const match_ctx *m, uint32_t i, size_t *len, uint32_t *ndocs)
{
	const char *s;
	const term_rec *r = i < m->nterms ? term_at(m, i, &s) : NULL;

	if (!r)
		return NULL;
	*len = r->len;
	*ndocs = term_count(m, i);
	return s;
}

size_t match_terms_records(const match_ctx *m, uint32_t i, int32_t **recs, uint32_t **w)
{
	plist l;

	if (i >= m->nterms) {
		*recs = NULL;
		*w = NULL;
		return 0;
	}
	plist_of(m, i, i + 1, &l, w);
	*recs = l.v;
	return l.n;
}
