/* test_terms: the column index's keyword search (core/match_terms.c, core/match_phrase.c) against
 * FTS5 itself: the same expression, the same hits, the same bm25, on random keywords of a demo
 * catalog. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "catalog.h"
#include "import.h"
#include "match_int.h"
#include "test_assets.h"
#include "vocab.h"

static char dir[] = "/tmp/souk-test-terms-XXXXXX";
static char db[256];

static unsigned rnd_state = 4242;
static unsigned rnd(unsigned n)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return (rnd_state >> 8) % n;
}

/* FTS5 is the judge of how text is cut into terms: offers whose text a
 * tokenizer might read two ways (accents and case, other scripts, emoji,
 * punctuation inside words, numbers with units, markup, and a word longer
 * than FTS5 keeps) go into the catalog beside the demo's. */
#define LONG_WORD 40000

static void import_odd_text(void)
{
	static const char *const rows[] = {
	        "\"Café Crème Brûlée Mug\",\"ÆRØ Ærø straße STRASSE ǅemal "
	        "İstanbul\",home/kitchen/mugs",
	        "\"日本語 タオル Towel\",\"中文 한국어 ελληνικά кириллица\",home/bath/towels",
	        "\"Emoji 😀 Cup 🍵\",\"d'été A-B_C x.y 16mm 1.5L 2x 3,000pcs\",home/kitchen/mugs",
	        "\"<b>Bold</b> &amp; Tote\",\"tab\there new\nline\",apparel/bags/cotton-tote-bags",
	};
	strbuf csv;
	sqlite3 *h;
	souk_err e;
	import_opts o = {.format = IMPORT_CSV, .name = "odd.csv", .ref = test_ref()};
	import_stats st;
	size_t n = sizeof rows / sizeof *rows;

	sb_init(&csv);
	sb_add(&csv, "Product Name,Description,Category,Unit Price (USD),MOQ,Supplier,Country\n");
	for (size_t i = 0; i < n; i++)
		sb_printf(&csv, "%s,3.10,100,Odd Text Co,Vietnam\n", rows[i]);
	sb_add(&csv, "Long Word Vase,");
	for (int i = 0; i < LONG_WORD; i++)
		sb_addc(&csv, "abcdefghij"[i % 10]);
	sb_add(&csv, ",home/decor/vases,2.00,50,Odd Text Co,Vietnam\n");
	assert_int_equal(catalog_open(db, 0, &h, &e), 0);
	if (import_buffer(h, csv.s, csv.len, &o, &st, &e) < 0)
		fail_msg("%s", e.msg);
	catalog_close(h);
	assert_int_equal(st.imported, (long)n + 1);
	sb_free(&csv);
}

static int setup(void **state)
{
	souk_err e;

	(void)state;
	if (!mkdtemp(dir))
		return -1;
	snprintf(db, sizeof db, "%s/cat.db", dir);
	if (catalog_build_demo(db, test_assets(), 3000, 11, NULL, NULL, &e) < 0)
		fail_msg("%s", e.msg);
	import_odd_text();
	return 0;
}

static int teardown(void **state)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	(void)state;
	while (d && (de = readdir(d))) {
		char p[512];
		snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			unlink(p);
	}
	if (d)
		closedir(d);
	rmdir(dir);
	test_ref_free();
	return 0;
}

/* Whole words, words of other forms (porter: "mats", "bottles"),
 * fragments read as prefixes ("pickle", "cott"), short words never
 * prefixes ("mat", "led"), case and accents, words no product has, and
 * keywords of two words (phrases: the postings must decline them). */
static const char *const words[] = {
        "yoga",  "Mats",   "mat",   "pickle", "cott",   "wirel",   "bottles", "steel",
        "LED",   "mug",    "bag",   "box",    "xyzzy",  "t-shirt", "café",    "baby",
        "toys",  "bamboo", "dog",   "paddle", "Cotton", "organic", "ceramic", "yog",
        "leash", "qu",     "phone", "case",   "glass",  "wood",    "silic",   "kraft"};
#define NWORDS (sizeof words / sizeof *words)

static int is_phrase(const char *s)
{
	return strpbrk(s, " -") != NULL;
}

/* FTS5's rowids for an expression, as sorted records, with FTS5's own
 * bm25 of each (as souk reads it: a float) into *rel. */
static int32_t *fts_recs(match_ctx *m, sqlite3 *h, const char *expr, int *n, float **rel)
{
	sqlite3_stmt *st;
	int32_t *v = malloc(sizeof(int32_t) * 4000);
	float *b = malloc(sizeof(float) * 4000);

	*n = 0;
	assert_int_equal(sqlite3_prepare_v2(h,
	                                    "SELECT rowid, " MATCH_BM25_SQL " FROM products_fts "
	                                    "WHERE products_fts MATCH ?1",
	                                    -1, &st, NULL),
	                 SQLITE_OK);
	sqlite3_bind_text(st, 1, expr, -1, SQLITE_TRANSIENT);
	while (sqlite3_step(st) == SQLITE_ROW) {
		int r = match_prod_find(m, sqlite3_column_int64(st, 0));
		assert_true(r >= 0 && *n < 4000);
		b[*n] = (float)sqlite3_column_double(st, 1);
		v[(*n)++] = r;
	}
	sqlite3_finalize(st);
	for (int i = 1; i < *n; i++) /* insertion sort: a few thousand at most */
		for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
			int32_t t = v[j];
			float x = b[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
			b[j] = b[j - 1];
			b[j - 1] = x;
		}
	*rel = b;
	return v;
}

static int fts_any(sqlite3 *h, const char *expr)
{
	sqlite3_stmt *st;
	int rc;

	sqlite3_prepare_v2(h, "SELECT 1 FROM products_fts WHERE products_fts MATCH ?1 LIMIT 1", -1,
	                   &st, NULL);
	sqlite3_bind_text(st, 1, expr, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return rc;
}

/* The expression the FTS path builds, written out here from its rule. */
static void expected_expr(sqlite3 *h, const strlist *kw, strbuf *out)
{
	for (int i = 0; i < kw->n; i++) {
		strbuf q;
		sb_init(&q);
		match_fts_quote(kw->v[i], &q);
		if (out->len)
			sb_addc(out, ' ');
		sb_add(out, q.s);
		if (strlen(kw->v[i]) > 3 && !fts_any(h, q.s))
			sb_addc(out, '*');
		sb_free(&q);
	}
}

static int cmp_int32(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
	return (x > y) - (x < y);
}

static void same_list(const int32_t *a, int na, const int32_t *b, int nb)
{
	assert_int_equal(na, nb);
	for (int i = 0; i < na; i++)
		assert_int_equal(a[i], b[i]);
}

static void test_postings_equal_fts(void **state)
{
	souk_err e;
	match_ctx *m = match_open_ex(db, test_ref(), 1, &e);
	sqlite3 *h;
	int answered = 0, declined = 0, nonempty = 0, ranked = 0, prefixes = 0;

	(void)state;
	assert_non_null(m);
	assert_non_null(m->terms); /* the demo build wrote the postings */
	assert_true(m->nterms > 50);
	assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	for (int run = 0; run < 600; run++) {
		strlist kw = {0};
		strbuf expr, want;
		int32_t *recs = NULL;
		match_kwfreq *fq = NULL;
		int n = 0, phrase = 0, rc;
		for (int k = 1 + (int)rnd(3); k-- > 0;) {
			const char *w = words[rnd(NWORDS)];
			strlist_add(&kw, w);
			phrase |= is_phrase(w);
		}
		sb_init(&expr);
		sb_init(&want);
		rc = match_terms_hits(m, &kw, &expr, &recs, &n, &fq);
		if (phrase) {
			assert_int_equal(rc, 0);
			declined++;
		} else {
			int fn;
			int32_t *f;
			float *rel;
			assert_int_equal(rc, 1);
			answered++;
			expected_expr(h, &kw, &want);
			assert_string_equal(expr.s, want.s);
			prefixes += strchr(expr.s, '*') != NULL;
			f = fts_recs(m, h, expr.s, &fn, &rel);
			same_list(recs, n, f, fn);
			nonempty += n > 0;
			/* the relevance FTS5 would give each hit, to the bit */
			for (int i = 0; i < n; i++) {
				float mine = (float)match_terms_bm25(m, fq, i, recs[i]);
				if (mine != rel[i])
					print_message("%s: record %d: %.9g, FTS5 %.9g\n", expr.s,
					              recs[i], mine, rel[i]);
				assert_true(mine == rel[i]);
				assert_true(mine < 0);
			}
			ranked += n > 1 && rel[0] != rel[n - 1];
			free(f);
			free(rel);
		}
		free(recs);
		match_kwfreq_free(fq);
		sb_free(&expr);
		sb_free(&want);
		strlist_clear(&kw);
	}
	/* every kind of case was met, not only empty answers */
	assert_true(answered > 200 && declined > 20);
	assert_true(nonempty > 50 && ranked > 30 && prefixes > 50);
	sqlite3_close(h);
	match_close(m);
}

/* Keywords FTS5 reads as phrases (several words; a fragment as a prefix
 * phrase) beside single words. */
static const char *const phrases[] = {"t-shirt",    "usb-c",     "non-slip", "yoga mat",
                                      "bpa-free",   "led strip", "non-sli",  "stainless steel",
                                      "café crème", "d'été",     "x.y 16mm", "water bottles"};
#define NPHRASES (sizeof phrases / sizeof *phrases)

/* The candidates of a query that are the search's hits, the first n of
 * them again and again when n is more than there are. */
static void hits_as_query(match_ctx *m, query *q, int n)
{
	memset(q, 0, sizeof *q);
	q->m = m;
	q->n = n;
	q->c = calloc((size_t)n + 1, sizeof *q->c);
	for (int i = 0; i < n; i++) {
		int r = m->fts_recs[i % m->fts_n];
		q->c[i].pidx = r;
		q->c[i].id = m->prod_ids[r];
	}
}

/* A search FTS5 answers is ranked after the filters from the candidates'
 * own text: the same bm25 as FTS5's bm25() for every hit, and above
 * MATCH_PHRASE_READ_MAX candidates, whether every keyword is in the title as
 * FTS5 finds it there. */
static void test_phrases_rank_as_fts5(void **state)
{
	souk_err e;
	match_ctx *m = match_open_ex(db, test_ref(), 1, &e);
	sqlite3 *h;
	int ranked = 0, titled = 0, prefixes = 0;

	(void)state;
	assert_non_null(m);
	assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	for (int run = 0; run < 200; run++) {
		strlist kw = {0};
		strbuf want;
		query q;
		int fn, tn;
		int32_t *f, *t, *sorted;
		float *rel, *trel;
		char *te;
		strlist_add(&kw, phrases[rnd(NPHRASES)]);
		for (int k = (int)rnd(3); k-- > 0;)
			strlist_add(&kw, rnd(2) ? words[rnd(NWORDS)] : phrases[rnd(NPHRASES)]);
		assert_int_equal(match_fts_hits(m, &kw, &e), 0);
		assert_non_null(m->fts_phr);
		assert_null(m->fts_rel);
		sb_init(&want);
		expected_expr(h, &kw, &want);
		prefixes += strchr(want.s, '*') != NULL;
		f = fts_recs(m, h, want.s, &fn, &rel);
		sorted = malloc(sizeof *sorted * ((size_t)m->fts_n + 1));
		memcpy(sorted, m->fts_recs, sizeof *sorted * (size_t)m->fts_n);
		qsort(sorted, (size_t)m->fts_n, sizeof *sorted, cmp_int32);
		same_list(sorted, m->fts_n, f, fn); /* FTS5's hits, in its rowid order */
		free(sorted);
		/* every hit, ranked from its text */
		hits_as_query(m, &q, m->fts_n);
		assert_int_equal(match_phrases_rank(&q, &e), 0);
		for (int i = 0; i < q.n; i++) {
			int32_t *at = bsearch(&q.c[i].pidx, f, (size_t)fn, sizeof *f, cmp_int32);
			float fts = rel[at - f];
			if (q.c[i].bm25 != fts)
				print_message("%s: record %d: %.9g, FTS5 %.9g\n", want.s,
				              q.c[i].pidx, q.c[i].bm25, fts);
			assert_true(q.c[i].bm25 == fts);
		}
		ranked += q.n > 1;
		free(q.c);
		/* too many to read: the title rule */
		if (m->fts_n > 0) {
			te = xasprintf("{title}: (%s)", want.s);
			t = fts_recs(m, h, te, &tn, &trel);
			hits_as_query(m, &q, MATCH_PHRASE_READ_MAX + 1);
			assert_int_equal(match_phrases_rank(&q, &e), 0);
			for (int i = 0; i < q.n; i++) {
				int in = bsearch(&q.c[i].pidx, t, (size_t)tn, sizeof *t,
				                 cmp_int32) != NULL;
				assert_true(q.c[i].bm25 == (in ? -1.0f : 0.0f));
				titled += in;
			}
			free(q.c);
			free(te);
			free(t);
			free(trel);
		}
		free(f);
		free(rel);
		sb_free(&want);
		strlist_clear(&kw);
	}
	assert_true(ranked > 50 && titled > 1000 && prefixes > 10);
	sqlite3_close(h);
	match_close(m);
}

/* Keywords of punctuation alone have no term: the postings leave them to
 * the FTS path (which searches nothing). */
static void test_no_word(void **state)
{
	souk_err e;
	match_ctx *m = match_open_ex(db, test_ref(), 1, &e);
	strlist kw = {0};
	strbuf expr;
	int32_t *recs = NULL;
	match_kwfreq *fq = NULL;
	int n = 0;

	(void)state;
	assert_non_null(m);
	strlist_add(&kw, "--");
	sb_init(&expr);
	assert_int_equal(match_terms_hits(m, &kw, &expr, &recs, &n, &fq), 0);
	assert_null(fq);
	sb_free(&expr);
	strlist_clear(&kw);
	match_close(m);
}

/* FTS5's records (from fts5vocab) of term t so far, with the term's
 * instances in each weighted by column, against the index's. */
typedef struct vocab_hit {
	int32_t r;
	uint32_t w;
} vocab_hit;

typedef struct vocab_list {
	vocab_hit *v;
	size_t n, cap;
} vocab_list;

/* fts5vocab gives a term's instances by product, then column and
 * position: a product's repeats come together. */
static void vlist_add(vocab_list *l, int32_t r, uint32_t w)
{
	if (l->n && l->v[l->n - 1].r == r) {
		l->v[l->n - 1].w += w;
		return;
	}
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = realloc(l->v, sizeof *l->v * l->cap);
	}
	l->v[l->n++] = (vocab_hit){r, w};
}

static int cmp_rec(const void *a, const void *b)
{
	int32_t x = ((const vocab_hit *)a)->r, y = ((const vocab_hit *)b)->r;
	return (x > y) - (x < y);
}

/* How many of the term's records hold it more than once or outside the
 * title: the weights were checked on lists that could differ. */
static int vlist_check(match_ctx *m, uint32_t t, vocab_list *l)
{
	int32_t *recs;
	uint32_t *w;
	size_t n = match_terms_records(m, t, &recs, &w);
	int varied = 0;

	qsort(l->v, l->n, sizeof *l->v, cmp_rec);
	assert_int_equal(n, l->n);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(recs[i], l->v[i].r);
		assert_int_equal(w[i], l->v[i].w);
		varied += w[i] != 10;
	}
	free(recs);
	free(w);
	l->n = 0;
	return varied;
}

static uint32_t col_weight(const char *col)
{
	static const char *const cols[] = {"title", "description", "category", "attributes"};
	static const uint32_t w[] = {MATCH_BM25_WEIGHTS};

	for (int i = 0; i < 4; i++)
		if (strcmp(col, cols[i]) == 0)
			return w[i];
	fail_msg("column %s", col);
	return 0;
}

/* The whole dictionary and every list against FTS5's own: each term of
 * fts5vocab, in its order, and the products holding it with the term's
 * frequency in each, weighted by column as bm25 weighs it. */
static void test_dictionary_is_fts5s(void **state)
{
	souk_err e;
	match_ctx *m = match_open_ex(db, test_ref(), 1, &e);
	vocab_list all = {0};
	sqlite3 *h;
	sqlite3_stmt *st;
	uint32_t t = 0;
	size_t len, longest = 0;
	uint32_t nd;
	const char *s = NULL;
	int odd = 0, varied = 0;

	(void)state;
	assert_non_null(m);
	assert_non_null(m->terms);
	assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h,
	                              "CREATE VIRTUAL TABLE temp.v USING "
	                              "fts5vocab(main, products_fts, instance)",
	                              NULL, NULL, NULL),
	                 SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, "SELECT term, doc, col FROM temp.v", -1, &st, NULL),
	                 SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *term = (const char *)sqlite3_column_text(st, 0);
		size_t n = (size_t)sqlite3_column_bytes(st, 0);
		int32_t r = match_prod_find(m, sqlite3_column_int64(st, 1));
		if (!s || len != n || memcmp(s, term, n) != 0) {
			if (s) {
				assert_int_equal(nd, all.n);
				varied += vlist_check(m, t, &all);
				t++;
			}
			assert_true(t < m->nterms);
			s = match_terms_term(m, t, &len, &nd);
			assert_non_null(s);
			assert_int_equal(len, n);
			assert_memory_equal(s, term, n);
			odd += (unsigned char)term[0] >= 0x80;
			longest = n > longest ? n : longest;
		}
		assert_true(r >= 0);
		vlist_add(&all, r, col_weight((const char *)sqlite3_column_text(st, 2)));
	}
	assert_non_null(s);
	assert_int_equal(nd, all.n);
	varied += vlist_check(m, t, &all);
	assert_true(varied > 1000);
	assert_int_equal(t + 1, m->nterms); /* and no term FTS5 lacks */
	/* the odd offers were read: terms of other scripts, and FTS5's cut of
	 * the long word (it keeps 32,768 bytes) */
	assert_true(odd >= 8);
	assert_int_equal(longest, 32768);
	sqlite3_finalize(st);
	sqlite3_close(h);
	free(all.v);
	match_close(m);
}

static int cmp_line(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The lines of a text, sorted (s is cut in place). */
static char **sorted_lines(char *s, size_t *n)
{
	char **v = NULL, *save = NULL;

	*n = 0;
	for (char *l = strtok_r(s, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		v = realloc(v, sizeof *v * (*n + 1));
		v[(*n)++] = l;
	}
	qsort(v, *n, sizeof *v, cmp_line);
	return v;
}

/* The vocabulary cache a build writes comes from the index's dictionary:
 * it must say what FTS5's own vocabulary says, term for term, and
 * vocab_open must take it as current. */
static void test_vocab_cache_is_fts5s(void **state)
{
	souk_err e;
	sqlite3 *h;
	sqlite3_stmt *st;
	strbuf want;
	char *path = xasprintf("%s.vocab", db), *got;
	size_t len, ng, nw;
	char **gl, **wl;
	souk_vocab *v;
	struct stat before, after;

	(void)state;
	unlink(path);
	assert_int_equal(match_build_caches(db, test_ref(), &e), 0);
	got = util_read_file(path, 64u << 20, &len, &e);
	assert_non_null(got);
	assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h,
	                              "CREATE VIRTUAL TABLE temp.r USING "
	                              "fts5vocab(main, products_fts, row)",
	                              NULL, NULL, NULL),
	                 SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, "SELECT term, doc FROM temp.r", -1, &st, NULL),
	                 SQLITE_OK);
	sb_init(&want);
	while (sqlite3_step(st) == SQLITE_ROW)
		sb_printf(&want, "%s\t%lld\n", (const char *)sqlite3_column_text(st, 0),
		          (long long)sqlite3_column_int64(st, 1));
	sqlite3_finalize(st);
	assert_non_null(strchr(got, '\n'));
	gl = sorted_lines(strchr(got, '\n') + 1, &ng); /* past the stamp line */
	wl = sorted_lines(want.s, &nw);
	assert_true(nw > 100);
	assert_int_equal(ng, nw);
	for (size_t i = 0; i < nw; i++)
		assert_string_equal(gl[i], wl[i]);
	assert_int_equal(stat(path, &before), 0);
	v = vocab_open(h, &e); /* reads the cache, stamped as current */
	assert_non_null(v);
	assert_int_equal(stat(path, &after), 0);
	assert_true(before.st_ino == after.st_ino); /* not read again and rewritten */
	assert_int_equal(vocab_terms(v), (long)nw);
	assert_true(vocab_docs(v, "Mugs") > 0);
	vocab_free(v);
	free(gl);
	free(wl);
	free(got);
	free(path);
	sb_free(&want);
	sqlite3_close(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_postings_equal_fts),
	        cmocka_unit_test(test_phrases_rank_as_fts5),
	        cmocka_unit_test(test_no_word),
	        cmocka_unit_test(test_dictionary_is_fts5s),
	        cmocka_unit_test(test_vocab_cache_is_fts5s),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
