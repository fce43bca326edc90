/* Unit tests for the reference data: tsv (the asset reader), map (the string map), ref and
 * util_year_now, and the gazetteer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "gazetteer.h"
#include "util.h"
#include "map.h"
#include "ref.h"
#include "tsv.h"

static const char *assets_dir(void)
{
	const char *a = getenv("SOUK_ASSETS");

	return a && *a ? a : "assets";
}

static void test_tsv_records(void **state)
{
	tsv t;
	char *parts[8];
	char list[] = " a | b ||c ";

	(void)state;
	tsv_open_text(&t, "x.tsv", "# a comment\n\nA\tB\r\n  \n#x\nC\t\tD\n");
	assert_int_equal(tsv_next(&t), 1);
	assert_int_equal(t.lineno, 3);
	assert_int_equal(t.nf, 2);
	assert_string_equal(t.f[1], "B"); /* the CR is gone */
	assert_int_equal(tsv_next(&t), 1);
	assert_int_equal(t.lineno, 6);
	assert_int_equal(t.nf, 3);
	assert_string_equal(t.f[1], "");
	assert_string_equal(t.f[2], "D");
	assert_int_equal(tsv_next(&t), 0);
	tsv_close(&t);
	assert_int_equal(tsv_split(list, '|', parts, 8), 3);
	assert_string_equal(parts[0], "a");
	assert_string_equal(parts[2], "c");
}

static void test_tsv_errors(void **state)
{
	tsv t;
	souk_err e = {0};

	(void)state;
	tsv_open_text(&t, "assets/x.tsv", "#h\nA\tB\nC\n");
	assert_int_equal(tsv_next(&t), 1);
	assert_int_equal(tsv_want(&t, 2, 2, &e), 0);
	assert_int_equal(tsv_next(&t), 1);
	assert_int_equal(tsv_want(&t, 2, 2, &e), -1);
	assert_string_equal(e.msg, "assets/x.tsv:3: expected 2 tab-separated fields, found 1");
	assert_int_equal(e.code, SOUK_E_INVALID);
	tsv_close(&t);
	assert_int_equal(tsv_open(&t, "/nonexistent/souk.tsv", &e), -1);
	assert_int_equal(e.code, SOUK_E_NOTFOUND);
}

static void test_map_many(void **state)
{
	map *m = map_new(MAP_CASE);
	char key[32], *huge;
	const char *first[100];
	int added;
	long at;

	(void)state;
	for (int i = 0; i < 20000; i++) {
		snprintf(key, sizeof key, "k%d", i);
		assert_int_equal(map_add(m, key, &added), i);
		assert_true(added);
		map_set_num(m, i, (int64_t)i * 3);
		if (i < 100)
			first[i] = map_key(m, i);
	}
	assert_int_equal(map_count(m), 20000);
	/* the copies of the keys did not move while the map grew */
	for (int i = 0; i < 100; i++) {
		snprintf(key, sizeof key, "k%d", i);
		assert_ptr_equal(map_key(m, i), first[i]);
		assert_string_equal(first[i], key);
	}
	/* a key longer than the chunks the copies go to */
	huge = xmalloc(200000);
	memset(huge, 'x', 199999);
	huge[199999] = '\0';
	at = map_add(m, huge, &added);
	assert_true(added);
	assert_string_equal(map_key(m, at), huge);
	assert_int_equal(map_find(m, huge), at);
	huge[100] = 'y';
	assert_int_equal(map_find(m, huge), -1);
	free(huge);
	assert_int_equal(map_find(m, "k19999"), 19999);
	for (int i = 0; i < 20000; i += 7) {
		snprintf(key, sizeof key, "k%d", i);
		assert_int_equal(map_get_num(m, key, -1), (int64_t)i * 3);
		assert_string_equal(map_key(m, i), key);
	}
	assert_int_equal(map_add(m, "k5", &added), 5);
	assert_false(added);
	assert_int_equal(map_get_num(m, "K5", -1), -1); /* case matters */
	assert_int_equal(map_find(m, "k"), -1);
	/* a key given by length need not end in NUL */
	assert_int_equal(map_findn(m, "k12xyz", 3), 12);
	map_free(m);
}

static void test_map_nocase(void **state)
{
	map *m = map_new(MAP_NOCASE);
	int x = 1;

	(void)state;
	map_put(m, "RoHS", &x);
	map_put_num(m, "Germany", 4);
	assert_ptr_equal(map_get(m, "rohs"), &x);
	assert_ptr_equal(map_get(m, "ROHS"), &x);
	assert_null(map_get(m, "rohs2"));
	assert_string_equal(map_key(m, map_find(m, "ROHS")), "RoHS"); /* as first added */
	map_put_num(m, "GERMANY", 5);
	assert_int_equal(map_count(m), 2);
	assert_int_equal(map_get_num(m, "germany", 0), 5);
	map_free(m);
}

static void test_countries(void **state)
{
	souk_err e = {0};
	souk_ref *r = ref_load(assets_dir(), &e);
	const ref_country *c;
	int adj = -1, n;

	(void)state;
	assert_non_null(r);
	c = ref_country_lookup(r, "Germany", &adj);
	assert_non_null(c);
	assert_string_equal(c->code, "DE");
	assert_int_equal(adj, 0);
	c = ref_country_lookup(r, "vietnamese", &adj);
	assert_string_equal(c->code, "VN");
	assert_int_equal(adj, 1);
	assert_string_equal(ref_country_lookup(r, "FR", NULL)->code, "FR");
	assert_null(ref_country_lookup(r, "fr", NULL)); /* a code only in capitals */
	assert_null(ref_country_lookup(r, "in", NULL));
	assert_string_equal(ref_country_by_code(r, "jp")->name, "japan");
	assert_null(ref_country_by_code(r, "ZZ"));
	assert_string_equal(ref_country_by_code(r, "deu")->code, "DE");
	assert_string_equal(ref_country_by_code(r, "VN")->code3, "VNM");
	assert_string_equal(ref_country_by_code(r, "EU")->code3, "");
	assert_true(ref_is_eu(r, "DE"));
	assert_true(ref_is_eu(r, "se"));
	assert_false(ref_is_eu(r, "GB"));
	assert_false(ref_is_eu(r, "NO"));
	assert_true(ref_in_group(r, "NO", "EEA"));
	assert_true(ref_in_group(r, "VN", "SEA"));
	assert_non_null(ref_group_members(r, "EU", &n));
	assert_int_equal(n, 27);
	assert_null(ref_group_members(r, "DE", &n));
	assert_int_equal(n, 0);
	c = ref_country_lookup(r, "asean", NULL);
	assert_string_equal(c->code, "SEA");
	assert_int_equal(c->nmembers, 10);
	ref_free(r);
}

static void test_certs_taxonomy(void **state)
{
	souk_err e = {0};
	souk_ref *r = ref_load(assets_dir(), &e);
	const ref_cert *c;
	const ref_market_rule *m;
	int caps = -1;

	(void)state;
	assert_non_null(r);
	assert_string_equal(ref_cert_canonical(r, "rohs"), "RoHS");
	assert_string_equal(ref_cert_canonical(r, "oeko tex standard 100"), "OEKO-TEX");
	assert_null(ref_cert_canonical(r, "made up"));
	c = ref_cert_lookup(r, "reach", &caps);
	assert_string_equal(c->name, "REACH");
	assert_int_equal(caps, 1);
	assert_string_equal(ref_cert_lookup(r, "gots", &caps)->kind, "textile");
	assert_int_equal(caps, 0);
	assert_true(ref_cert_serves(r, "ce", "DE"));
	assert_true(ref_cert_serves(r, "CE", "GB"));
	assert_false(ref_cert_serves(r, "CE", "US"));
	assert_true(ref_cert_serves(r, "fcc id", "US"));
	assert_false(ref_cert_serves(r, "GOTS", "US"));
	assert_string_equal(ref_taxonomy_find(r, "sports/yoga/mats")->name, "Yoga mats");
	assert_null(ref_taxonomy_find(r, "sports/yoga"));
	assert_true(ref_taxonomy_count(r) > 40);
	m = ref_market_certs(r, "electronics/power/power-banks", "US");
	assert_non_null(m);
	assert_string_equal(m->prefix, "electronics/power/power-banks");
	/* Germany has no rows of its own: the EU's apply */
	m = ref_market_certs(r, "electronics/audio", "DE");
	assert_non_null(m);
	assert_string_equal(m->market, "EU");
	assert_non_null(ref_money(r));
	assert_true(money_rate(ref_money(r), "EUR") > 0);
	double scale = 0;
	assert_string_equal(ref_currency_word(r, "eurocents", &scale), "EUR");
	assert_float_equal(scale, 0.01, 1e-9);
	/* a word several currencies share gives the first; one whose currency
	 * only the conversation knows ("cents": the buyer's) gives none */
	assert_string_equal(ref_currency_word(r, "kr", &scale), "SEK");
	assert_null(ref_currency_word(r, "cents", &scale));
	assert_int_equal(ref_currency_by_code(r, "jpy")->decimals, 0);
	assert_string_equal(ref_currency_by_code(r, "EUR")->name, "euro");
	assert_null(ref_currency_by_code(r, "XYZ"));
	/* the money tables it loads ask it which countries are in the EU */
	assert_int_equal(ref_currency_by_code(r, "VND")->decimals, 0);
	assert_int_equal(ref_currency_by_code(r, "GBP")->decimals, 2);
	assert_string_equal(money_region(ref_money(r), "AT"), "EU");
	assert_null(money_region(ref_money(r), "CH"));
	ref_free(r);
}

/* A copy of the assets with one file replaced by text. */
static char *assets_with(const char *file, const char *text)
{
	char *dir = xstrdup("/tmp/souk-test-ref-XXXXXX");
	char *cmd, *path;
	souk_err e;

	assert_non_null(mkdtemp(dir));
	cmd = xasprintf("cp -R '%s'/. '%s'/", assets_dir(), dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	path = xasprintf("%s/%s", dir, file);
	unlink(path);
	assert_int_equal(util_write_atomic(path, text, strlen(text), 0, &e), 0);
	free(path);
	return dir;
}

static void remove_dir(char *dir)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);

	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(dir);
}

static void test_malformed(void **state)
{
	souk_err e = {0};
	char *dir, *want;

	(void)state;
	dir = assets_with("countries.tsv", "# c\nDE\tgermany\tgerman\nFR\n");
	assert_null(ref_load(dir, &e));
	want = xasprintf("%s/countries.tsv:3: ", dir);
	assert_non_null(strstr(e.msg, want));
	assert_int_equal(e.code, SOUK_E_INVALID);
	free(want);
	remove_dir(dir);
	dir = assets_with("market_certs.tsv", "electronics\tUS\tFCC|NOPE\tx\n");
	assert_null(ref_load(dir, &e));
	assert_non_null(strstr(e.msg, "market_certs.tsv:1: NOPE is not in certifications.tsv"));
	remove_dir(dir);
	dir = assets_with("groupings.tsv", "EU\t\t\tDE XX\n");
	assert_null(ref_load(dir, &e));
	assert_non_null(strstr(e.msg, "EU lists XX"));
	remove_dir(dir);
}

static void test_gazetteer(void **state)
{
	souk_err e = {0};
	gazetteer *g;
	char *dir;

	(void)state;
	g = gazetteer_load(assets_dir(), &e);
	assert_non_null(g);
	/* the shipped files: every city of 100,000 people and more */
	assert_true(gazetteer_count(g) > 30000);
	assert_string_equal(gazetteer_find(g, "lyon", 4), "FR");
	assert_non_null(gazetteer_find(g, "ontario", 7));
	assert_string_equal(gazetteer_find(g, "ontario", 7), "CA");
	assert_non_null(gazetteer_find(g, "rio de janeiro", 14));
	assert_true(gazetteer_max_words(g) >= 3);
	/* a prefix of a name, or a name with more after it, is not the name */
	assert_null(gazetteer_find(g, "lyo", 3));
	assert_null(gazetteer_find(g, "lyonx", 5));
	assert_string_equal(gazetteer_find(g, "lyon and more", 4), "FR");
	gazetteer_free(g);

	/* a hand-edited file out of order is sorted; a region wins over a city */
	dir = assets_with("places/cities.tsv",
	                  "# c\nzed town\tZA\nalpha\tAL\nmid\tMX|US\nsame\tGB\n");
	char *path = xasprintf("%s/places/regions.tsv", dir);
	assert_int_equal(util_write_atomic(path, "same\tIE\n", 8, 1, &e), 0);
	free(path);
	g = gazetteer_load(dir, &e);
	assert_non_null(g);
	assert_int_equal(gazetteer_count(g), 5);
	assert_string_equal(gazetteer_find(g, "alpha", 5), "AL");
	assert_string_equal(gazetteer_find(g, "zed town", 8), "ZA");
	assert_string_equal(gazetteer_find(g, "mid", 3), "MX|US");
	assert_string_equal(gazetteer_find(g, "same", 4), "IE");
	assert_int_equal(gazetteer_max_words(g), 2);
	gazetteer_free(g);
	remove_dir(dir);

	/* a malformed line names its file and line */
	dir = assets_with("places/cities.tsv", "a\tFR\nb\n");
	assert_null(gazetteer_load(dir, &e));
	assert_non_null(strstr(e.msg, "places/cities.tsv:2: "));
	remove_dir(dir);
	dir = assets_with("places/regions.tsv", "");
	path = xasprintf("%s/places/regions.tsv", dir);
	unlink(path);
	free(path);
	assert_null(gazetteer_load(dir, &e));
	assert_non_null(strstr(e.msg, "regions.tsv"));
	remove_dir(dir);
}

static void test_year_now(void **state)
{
	(void)state;
	setenv("SOUK_TODAY", "2031-01-01", 1);
	assert_int_equal(util_year_now(), 2031);
	setenv("SOUK_TODAY", "garbage", 1);
	assert_true(util_year_now() >= 2026);
	unsetenv("SOUK_TODAY");
	assert_true(util_year_now() >= 2026);
}

static void test_err_codes(void **state)
{
	souk_err e = {0};
	char path[] = "/tmp/souk-test-ref-XXXXXX";
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(util_write_atomic(path, "x", 1, 0, &e), -1);
	assert_int_equal(e.code, SOUK_E_EXISTS);
	assert_int_equal(util_write_atomic("/nonexistent-souk/x", "x", 1, 1, &e), -1);
	assert_int_equal(e.code, SOUK_E_IO);
	unlink(path);
	err_set(&e, "plain");
	assert_int_equal(e.code, SOUK_E_FAIL);
	assert_int_equal(err_code_of_errno(ENOSPC), SOUK_E_NOSPACE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_tsv_records), cmocka_unit_test(test_tsv_errors),
	        cmocka_unit_test(test_map_many),    cmocka_unit_test(test_map_nocase),
	        cmocka_unit_test(test_countries),   cmocka_unit_test(test_certs_taxonomy),
	        cmocka_unit_test(test_malformed),   cmocka_unit_test(test_year_now),
	        cmocka_unit_test(test_err_codes),   cmocka_unit_test(test_gazetteer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
