/* vocab: the catalog's own vocabulary (the terms of its FTS index), to tell product words from the rest. */
#include "vocab.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "text.h"

struct vocab {
	char **term; /* open addressing; NULL: empty slot */
	long *docs;
	size_t cap, n;
};

/* ---- the porter stemmer (M. F. Porter, 1980), as FTS5's porter tokenizer
 * applies it, so that a buyer's word meets the catalog's terms ---- */

typedef struct stem {
	char *b; /* the word, changed in place */
	int k;   /* index of its last letter */
	int j;   /* end of the stem a rule is testing */
} stem;

static int cons(const stem *z, int i)
{
	switch (z->b[i]) {
	case 'a':
	case 'e':
	case 'i':
	case 'o':
	case 'u':
		return 0;
	case 'y':
		return i == 0 ? 1 : !cons(z, i - 1);
	default:
		return 1;
	}
}

/* m(): the number of vowel-consonant sequences in b[0..j]. */
static int measure(const stem *z)
{
	int n = 0, i = 0;
	for (;; i++) {
		if (i > z->j)
			return n;
		if (!cons(z, i))
			break;
	}
	i++;
	for (;;) {
		for (;; i++) {
			if (i > z->j)
				return n;
			if (cons(z, i))
				break;
		}
		i++;
		n++;
		for (;; i++) {
			if (i > z->j)
				return n;
			if (!cons(z, i))
				break;
		}
		i++;
	}
}

static int vowel_in_stem(const stem *z)
{
	for (int i = 0; i <= z->j; i++)
		if (!cons(z, i))
			return 1;
	return 0;
}

static int double_cons(const stem *z, int i)
{
	return i >= 1 && z->b[i] == z->b[i - 1] && cons(z, i);
}

/* cvc(i): consonant-vowel-consonant ending at i, the last not w, x or y. */
static int cvc(const stem *z, int i)
{
	if (i < 2 || !cons(z, i) || cons(z, i - 1) || !cons(z, i - 2))
		return 0;
	char c = z->b[i];
	return c != 'w' && c != 'x' && c != 'y';
}

static int ends_with(stem *z, const char *s)
{
	int l = (int)strlen(s);
	if (l > z->k + 1 || memcmp(z->b + z->k - l + 1, s, (size_t)l))
		return 0;
	z->j = z->k - l;
	return 1;
}

static void set_to(stem *z, const char *s)
{
	int l = (int)strlen(s);
	memcpy(z->b + z->j + 1, s, (size_t)l);
	z->k = z->j + l;
}

static void replace_if_m(stem *z, const char *s)
{
	if (measure(z) > 0)
		set_to(z, s);
}

/* plurals and -ed, -ing */
static void step1ab(stem *z)
{
	if (z->b[z->k] == 's') {
		if (ends_with(z, "sses"))
			z->k -= 2;
		else if (ends_with(z, "ies"))
			set_to(z, "i");
		else if (z->k >= 1 && z->b[z->k - 1] != 's')
			z->k--;
	}
	if (ends_with(z, "eed")) {
		if (measure(z) > 0)
			z->k--;
	} else if ((ends_with(z, "ed") || ends_with(z, "ing")) && vowel_in_stem(z)) {
		z->k = z->j;
		if (ends_with(z, "at"))
			set_to(z, "ate");
		else if (ends_with(z, "bl"))
			set_to(z, "ble");
		else if (ends_with(z, "iz"))
			set_to(z, "ize");
		else if (double_cons(z, z->k)) {
			char c = z->b[z->k];
			if (c != 'l' && c != 's' && c != 'z')
				z->k--;
		} else {
			z->j = z->k;
			if (measure(z) == 1 && cvc(z, z->k))
				set_to(z, "e");
		}
	}
}

static void step1c(stem *z)
{
	if (ends_with(z, "y") && vowel_in_stem(z))
		z->b[z->k] = 'i';
}

typedef struct suffix_rule {
	const char *from, *to;
} suffix_rule;

static void apply_rules(stem *z, const suffix_rule *r, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (ends_with(z, r[i].from)) {
			replace_if_m(z, r[i].to);
			return;
		}
	}
}

static void step2(stem *z)
{
	static const suffix_rule r[] = {
	        {"ational", "ate"}, {"tional", "tion"}, {"enci", "ence"},  {"anci", "ance"},
	        {"izer", "ize"},    {"bli", "ble"},     {"alli", "al"},    {"entli", "ent"},
	        {"eli", "e"},       {"ousli", "ous"},   {"ization", "ize"}, {"ation", "ate"},
	        {"ator", "ate"},    {"alism", "al"},    {"iveness", "ive"}, {"fulness", "ful"},
	        {"ousness", "ous"}, {"aliti", "al"},    {"iviti", "ive"},  {"biliti", "ble"},
	        {"logi", "log"},
	};
	apply_rules(z, r, sizeof(r) / sizeof(*r));
}

static void step3(stem *z)
{
	static const suffix_rule r[] = {
	        {"icate", "ic"}, {"ative", ""}, {"alize", "al"}, {"iciti", "ic"},
	        {"ical", "ic"},  {"ful", ""},   {"ness", ""},
	};
	apply_rules(z, r, sizeof(r) / sizeof(*r));
}

static void step4(stem *z)
{
	static const char *const sufs[] = {"al",  "ance", "ence", "er",  "ic",  "able", "ible",
	                                   "ant", "ement", "ment", "ent", "ion", "ou",   "ism",
	                                   "ate", "iti",  "ous",  "ive", "ize", NULL};
	for (int i = 0; sufs[i]; i++) {
		if (!ends_with(z, sufs[i]))
			continue;
		if (!strcmp(sufs[i], "ion") && !(z->j >= 0 && (z->b[z->j] == 's' || z->b[z->j] == 't')))
			return;
		if (measure(z) > 1)
			z->k = z->j;
		return;
	}
}

static void step5(stem *z)
{
	z->j = z->k;
	if (z->b[z->k] == 'e') {
		int a = measure(z);
		if (a > 1 || (a == 1 && !cvc(z, z->k - 1)))
			z->k--;
	}
	z->j = z->k;
	if (z->b[z->k] == 'l' && double_cons(z, z->k) && measure(z) > 1)
		z->k--;
}

void vocab_stem(const char *word, char *out, size_t n)
{
	snprintf(out, n, "%s", word);
	size_t l = strlen(out);
	for (size_t i = 0; i < l; i++)
		if (!islower((unsigned char)out[i]))
			return; /* digits and other scripts are kept as written */
	if (l <= 2)
		return;
	stem z = {out, (int)l - 1, 0};
	step1ab(&z);
	if (z.k > 0) {
		step1c(&z);
		step2(&z);
		step3(&z);
		step4(&z);
		step5(&z);
	}
	out[z.k + 1] = 0;
}

/* ---- the term table ---- */

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static void put(souk_vocab *v, const char *term, long docs)
{
	if ((v->n + 1) * 2 > v->cap) {
		souk_vocab old = *v;
		v->cap = old.cap ? old.cap * 2 : 1024;
		v->term = xcalloc(v->cap, sizeof(*v->term));
		v->docs = xcalloc(v->cap, sizeof(*v->docs));
		v->n = 0;
		for (size_t i = 0; i < old.cap; i++)
			if (old.term[i]) {
				size_t k = hash_str(old.term[i]) & (v->cap - 1);
				while (v->term[k])
					k = (k + 1) & (v->cap - 1);
				v->term[k] = old.term[i];
				v->docs[k] = old.docs[i];
				v->n++;
			}
		free(old.term);
		free(old.docs);
	}
	size_t k = hash_str(term) & (v->cap - 1);
	while (v->term[k]) {
		if (!strcmp(v->term[k], term))
			return;
		k = (k + 1) & (v->cap - 1);
	}
	v->term[k] = xstrdup(term);
	v->docs[k] = docs;
	v->n++;
}

static long get(const souk_vocab *v, const char *term)
{
	if (!v->cap)
		return 0;
	size_t k = hash_str(term) & (v->cap - 1);
	while (v->term[k]) {
		if (!strcmp(v->term[k], term))
			return v->docs[k];
		k = (k + 1) & (v->cap - 1);
	}
	return 0;
}

/* ---- loading ---- */

/* The cache beside the catalog: its first line names the catalog's size
 * and modification time, then "term<TAB>docs" lines. */
static char *cache_path(sqlite3 *db)
{
	const char *file = sqlite3_db_filename(db, "main");
	return file && *file ? xasprintf("%s.vocab", file) : NULL;
}

static char *catalog_stamp(sqlite3 *db)
{
	const char *file = sqlite3_db_filename(db, "main");
	struct stat st;
	if (!file || !*file || stat(file, &st) < 0)
		return NULL;
	return xasprintf("souk-vocab 1 %lld %lld", (long long)st.st_size,
	                 (long long)st.st_mtime);
}

static int load_cache(souk_vocab *v, sqlite3 *db)
{
	char *path = cache_path(db), *stamp = catalog_stamp(db);
	size_t len;
	souk_err e;
	char *buf = path && stamp ? util_read_file(path, 256u << 20, &len, &e) : NULL;
	int ok = 0;
	size_t sl = stamp ? strlen(stamp) : 0;
	if (buf && len > sl && !memcmp(buf, stamp, sl) && buf[sl] == '\n') {
		char *save = NULL;
		for (char *line = strtok_r(buf + sl + 1, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save)) {
			char *tab = strchr(line, '\t');
			if (!tab)
				continue;
			*tab = 0;
			put(v, line, atol(tab + 1));
		}
		ok = 1;
	}
	free(buf);
	free(path);
	free(stamp);
	return ok;
}

/* One "term<TAB>docs" line; a term the format cannot hold (a tab or a
 * newline, which no tokenizer souk uses makes) is left out. */
static void cache_line(strbuf *b, const char *term, size_t len, long docs)
{
	if (memchr(term, '\t', len) || memchr(term, '\n', len))
		return;
	sb_addn(b, term, len);
	sb_printf(b, "\t%ld\n", docs);
}

/* The cache's stamp into b; NULL when the catalog has no file to stamp. */
static char *cache_begin(sqlite3 *db, strbuf *b)
{
	char *path = cache_path(db), *stamp = catalog_stamp(db);

	sb_init(b);
	if (!path || !stamp) {
		free(path);
		free(stamp);
		return NULL;
	}
	sb_printf(b, "%s\n", stamp);
	free(stamp);
	return path;
}

static void cache_end(char *path, strbuf *b)
{
	souk_err e;

	/* a cache that cannot be written is only slower next time */
	if (path)
		(void)util_write_atomic(path, b->s, b->len, 1, &e);
	sb_free(b);
	free(path);
}

static void save_cache(const souk_vocab *v, sqlite3 *db)
{
	strbuf b;
	char *path = cache_begin(db, &b);

	for (size_t i = 0; path && i < v->cap; i++)
		if (v->term[i])
			cache_line(&b, v->term[i], strlen(v->term[i]), v->docs[i]);
	cache_end(path, &b);
}

void vocab_save_terms(sqlite3 *db, vocab_next_fn next, void *arg)
{
	strbuf b;
	char *path = cache_begin(db, &b);
	const char *term;
	size_t len;
	long docs;

	while (path && next(arg, &term, &len, &docs))
		cache_line(&b, term, len, docs);
	cache_end(path, &b);
}

static int load_index(souk_vocab *v, sqlite3 *db, souk_err *e)
{
	const char *mk = "CREATE VIRTUAL TABLE IF NOT EXISTS temp.souk_vocab "
	                 "USING fts5vocab(main, products_fts, 'row')";
	sqlite3_stmt *st = NULL;
	if (sqlite3_exec(db, mk, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT term, doc FROM temp.souk_vocab", -1, &st, NULL) !=
	            SQLITE_OK) {
		err_set(e, "the catalog has no search index: %s", sqlite3_errmsg(db));
		sqlite3_finalize(st);
		return -1;
	}
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);
		if (t)
			put(v, t, (long)sqlite3_column_int64(st, 1));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		err_set(e, "reading the catalog's vocabulary: %s", sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}

/* Catalogs of this many products or more keep their vocabulary in a cache
 * file. Reading the FTS index term by term cost 238 million instructions
 * on the 30,000-product demo, most of the dashboard's wait for its first
 * rows; the cache is read in a fraction of that, so every catalog but an
 * empty one keeps it. */
#define CACHE_FROM 1

static long product_count(sqlite3 *db)
{
	sqlite3_stmt *st;
	long n = 0;
	if (sqlite3_prepare_v2(db, "SELECT max(rowid) FROM products", -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			n = (long)sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	return n;
}

souk_vocab *vocab_open(sqlite3 *db, souk_err *e)
{
	souk_vocab *v = xcalloc(1, sizeof(*v));
	int big = product_count(db) >= CACHE_FROM;
	if (big && load_cache(v, db))
		return v;
	if (load_index(v, db, e) < 0) {
		vocab_free(v);
		return NULL;
	}
	if (big)
		save_cache(v, db);
	return v;
}

void vocab_free(souk_vocab *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->cap; i++)
		free(v->term[i]);
	free(v->term);
	free(v->docs);
	free(v);
}

long vocab_terms(const souk_vocab *v)
{
	return v ? (long)v->n : 0;
}

/* One token as unicode61 cuts it: letters and digits; ASCII is lowered and
 * stemmed, other scripts are looked up as written. */
static long token_docs(const souk_vocab *v, const char *s, size_t n)
{
	char w[64], st[64];
	if (!n || n >= sizeof(w))
		return 0;
	memcpy(w, s, n);
	w[n] = 0;
	text_lower(w);
	vocab_stem(w, st, sizeof(st));
	long d = get(v, st);
	return d ? d : get(v, w);
}

long vocab_docs(const souk_vocab *v, const char *word)
{
	if (!v || !word)
		return 0;
	long best = -1;
	const char *s = word;
	while (*s) {
		while (*s && !isalnum((unsigned char)*s) && (unsigned char)*s < 0x80)
			s++;
		const char *a = s;
		while (*s && (isalnum((unsigned char)*s) || (unsigned char)*s >= 0x80))
			s++;
		if (s > a) {
			long d = token_docs(v, a, (size_t)(s - a));
			if (best < 0 || d < best)
				best = d;
		}
	}
	return best < 0 ? 0 : best;
}
