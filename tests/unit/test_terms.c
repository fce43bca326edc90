/* test_terms: the column index's keyword postings (core/match_terms.c) against FTS5 itself: the
 * same expression, the same hits, the same title hits, on random keywords of a demo catalog. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <unistd.h>
#include <cmocka.h>

#include "catalog.h"
#include "match_int.h"
#include "test_assets.h"

static char dir[] = "/tmp/souk-test-terms-XXXXXX";
static char db[256];

static unsigned rnd_state = 4242;
static unsigned rnd(unsigned n)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return (rnd_state >> 8) % n;
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

/* FTS5's rowids for an expression, as sorted records. */
static int32_t *fts_recs(match_ctx *m, sqlite3 *h, const char *expr, int *n)
{
	sqlite3_stmt *st;
	int32_t *v = malloc(sizeof(int32_t) * 4000);

	*n = 0;
	assert_int_equal(sqlite3_prepare_v2(h,
	                                    "SELECT rowid FROM products_fts WHERE products_fts "
	                                    "MATCH ?1",
	                                    -1, &st, NULL),
	                 SQLITE_OK);
	sqlite3_bind_text(st, 1, expr, -1, SQLITE_TRANSIENT);
	while (sqlite3_step(st) == SQLITE_ROW) {
		int r = match_prod_find(m, sqlite3_column_int64(st, 0));
		assert_true(r >= 0 && *n < 4000);
		v[(*n)++] = r;
	}
	sqlite3_finalize(st);
	for (int i = 1; i < *n; i++) /* insertion sort: a few thousand at most */
		for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
			int32_t t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
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
	int answered = 0, declined = 0, nonempty = 0, titled = 0, prefixes = 0;

	(void)state;
	assert_non_null(m);
	assert_non_null(m->terms); /* the demo build wrote the postings */
	assert_true(m->nterms > 50);
	assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	for (int run = 0; run < 600; run++) {
		strlist kw = {0};
		strbuf expr, want;
		int32_t *recs = NULL, *title = NULL;
		int n = 0, nt = 0, phrase = 0, rc;
		for (int k = 1 + (int)rnd(3); k-- > 0;) {
			const char *w = words[rnd(NWORDS)];
			strlist_add(&kw, w);
			phrase |= is_phrase(w);
		}
		sb_init(&expr);
		sb_init(&want);
		rc = match_terms_hits(m, &kw, 0, &expr, &recs, &n, &title, &nt);
		if (phrase) {
			assert_int_equal(rc, 0);
			declined++;
		} else {
			int fn, tn;
			int32_t *f, *t;
			char *te;
			assert_int_equal(rc, 1);
			answered++;
			expected_expr(h, &kw, &want);
			assert_string_equal(expr.s, want.s);
			prefixes += strchr(expr.s, '*') != NULL;
			f = fts_recs(m, h, expr.s, &fn);
			same_list(recs, n, f, fn);
			nonempty += n > 0;
			te = xasprintf("{title}: (%s)", expr.s);
			t = fts_recs(m, h, te, &tn);
			if (n > 0) {
				same_list(title, nt, t, tn);
				titled += nt > 0;
			}
			free(te);
			free(f);
			free(t);
		}
		free(recs);
		free(title);
		sb_free(&expr);
		sb_free(&want);
		strlist_clear(&kw);
	}
	/* every kind of case was met, not only empty answers */
	assert_true(answered > 200 && declined > 20);
	assert_true(nonempty > 50 && titled > 30 && prefixes > 50);
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
	int32_t *recs = NULL, *title = NULL;
	int n = 0, nt = 0;

	(void)state;
	assert_non_null(m);
	strlist_add(&kw, "--");
	sb_init(&expr);
	assert_int_equal(match_terms_hits(m, &kw, 0, &expr, &recs, &n, &title, &nt), 0);
	sb_free(&expr);
	strlist_clear(&kw);
	match_close(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_postings_equal_fts),
	        cmocka_unit_test(test_no_word),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
