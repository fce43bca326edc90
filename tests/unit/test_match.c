/* Unit tests for core/match: every filter honoured (checked against the catalog
 * row by row), ranking, facets, hostile search text, relaxations, similar
 * offers and tiers, on a generated fixture catalog. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <sqlite3.h>

#include "catalog.h"
#include "filter.h"
#include "match_int.h"
#include "money.h"
#include "test_assets.h"

#define NSUP  30
#define NPROD 400

static char dbpath[] = "/tmp/souk-test-match-XXXXXX";
static const char *assets;
static match_ctx *ctx;
static money_tables *money;
static sqlite3 *db; /* the test's own connection, for checking rows */

static unsigned rnd_state = 12345;
static unsigned rnd(unsigned n)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return (rnd_state >> 8) % n;
}

static const char *countries[] = {"CN", "CN", "CN", "VN", "IN", "TR", "US", "DE", "PK"};
static const char *exports_opts[] = {" US ", " US DE GB ", " EU ", " FR ", "", " JP AU "};
static const char *sup_certs_opts[] = {"", "ISO 9001", "ISO 9001|BSCI", "BSCI", "SEDEX"};
static const char *prod_certs_opts[] = {"",      "|CE|",          "|CE|RoHS|",
                                        "|FCC|", "|FCC|CE|RoHS|", "|OEKO-TEX|"};
static const char *currencies[] = {"USD", "USD", "EUR", "CNY"};
static const char *incos[] = {"EXW", "FOB", "FOB", "CIF", "DDP", NULL};
static const struct {
	const char *title, *cat;
} kinds[] = {
        {"Yoga mat", "sports/yoga/mats"},
        {"Pickleball paddle", "sports/pickleball/paddles"},
        {"Ceramic mug", "home/kitchen/ceramic-mugs"},
        {"LED strip light", "electronics/lighting/led-strips"},
        {"Cotton t-shirt", "apparel/tops/t-shirts"},
};
static const char *adjs[] = {"eco",      "premium",     "carbon fiber",
                             "non-slip", "custom logo", "wholesale"};

static void exec(const char *sql)
{
	char *err = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
		fail_msg("%s: %s", sql, err);
}

static void build_fixture(void)
{
	sqlite3_stmt *s, *p, *t, *c;
	souk_err e;
	int fd = mkstemp(dbpath);

	assert_true(fd >= 0);
	close(fd);
	unlink(dbpath);
	if (catalog_open(dbpath, 0, &db, &e) < 0)
		fail_msg("%s", e.msg);
	exec("BEGIN");
	assert_int_equal(
	        sqlite3_prepare_v2(db,
	                           "INSERT INTO suppliers(id, name, country, city, "
	                           "business_type, verified, year_established, rating, "
	                           "review_count, response_rate, on_time_rate, export_markets, "
	                           "certifications) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
	                           -1, &s, NULL),
	        SQLITE_OK);
	for (int i = 1; i <= NSUP; i++) {
		char name[64];
		if (i == 5)
			snprintf(name, sizeof(name),
			         "\xe6\xb7\xb1\xe5\x9c\xb3 Sports Co"); /* 深圳 */
		else if (i == 6)
			snprintf(name, sizeof(name), "Evil\x1b[31m Red Co");
		else
			snprintf(name, sizeof(name), "Supplier %02d Ltd", i);
		sqlite3_bind_int(s, 1, i);
		sqlite3_bind_text(s, 2, name, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 3, countries[rnd(9)], -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 4, "Somewhere", -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 5, rnd(3) ? "manufacturer" : "trading", -1, SQLITE_STATIC);
		sqlite3_bind_int(s, 6, rnd(2));
		if (rnd(6))
			sqlite3_bind_int(s, 7, 1995 + (int)rnd(30));
		else
			sqlite3_bind_null(s, 7);
		if (rnd(8))
			sqlite3_bind_double(s, 8, 3.0 + rnd(21) / 10.0);
		else
			sqlite3_bind_null(s, 8);
		sqlite3_bind_int(s, 9, (int)rnd(400));
		sqlite3_bind_double(s, 10, 0.5 + rnd(50) / 100.0);
		sqlite3_bind_double(s, 11, 0.6 + rnd(40) / 100.0);
		sqlite3_bind_text(s, 12, exports_opts[rnd(6)], -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 13, sup_certs_opts[rnd(5)], -1, SQLITE_STATIC);
		assert_int_equal(sqlite3_step(s), SQLITE_DONE);
		sqlite3_reset(s);
	}
	sqlite3_finalize(s);
	assert_int_equal(
	        sqlite3_prepare_v2(db,
	                           "INSERT INTO products(id, supplier_id, title, description, "
	                           "category, moq, lead_time_days, samples, customization, "
	                           "incoterm, currency, weight_kg, volume_m3, price_lo, "
	                           "price_hi, certs) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	                           -1, &p, NULL),
	        SQLITE_OK);
	assert_int_equal(
	        sqlite3_prepare_v2(db, "INSERT INTO price_tiers VALUES (?,?,?)", -1, &t, NULL),
	        SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO product_certs VALUES (?,?)",
	                                    -1, &c, NULL),
	                 SQLITE_OK);
	for (int i = 1; i <= NPROD; i++) {
		static const int moqs[] = {1, 50, 100, 300, 500, 1000, 2000};
		int k = (int)rnd(5), moq = moqs[rnd(7)], ntiers = 1 + (int)rnd(4);
		double base = 1 + rnd(2000) / 100.0, lo = base, hi = base;
		const char *cert = prod_certs_opts[rnd(6)];
		char title[128], desc[128];
		snprintf(title, sizeof(title), "%s %s %d", adjs[rnd(6)], kinds[k].title, i);
		snprintf(desc, sizeof(desc), "A %s for buyers, model %d", kinds[k].title, i);
		sqlite3_bind_int(p, 1, i);
		sqlite3_bind_int(p, 2, 1 + (int)rnd(NSUP));
		sqlite3_bind_text(p, 3, title, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(p, 4, desc, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(p, 5, kinds[k].cat, -1, SQLITE_STATIC);
		sqlite3_bind_int(p, 6, moq);
		if (rnd(7))
			sqlite3_bind_int(p, 7, 5 + (int)rnd(56));
		else
			sqlite3_bind_null(p, 7);
		sqlite3_bind_int(p, 8, rnd(2));
		sqlite3_bind_text(p, 9, rnd(3) ? "" : "logo|oem", -1, SQLITE_STATIC);
		const char *inc = incos[rnd(6)];
		if (inc)
			sqlite3_bind_text(p, 10, inc, -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(p, 10);
		sqlite3_bind_text(p, 11, currencies[rnd(4)], -1, SQLITE_STATIC);
		sqlite3_bind_double(p, 12, 0.1 + rnd(100) / 50.0);
		sqlite3_bind_double(p, 13, 0.0005 + rnd(100) / 10000.0);
		lo = base * (1 - 0.08 * (ntiers - 1));
		sqlite3_bind_double(p, 14, lo);
		sqlite3_bind_double(p, 15, hi);
		sqlite3_bind_text(p, 16, cert, -1, SQLITE_STATIC);
		assert_int_equal(sqlite3_step(p), SQLITE_DONE);
		sqlite3_reset(p);
		for (int j = 0; j < ntiers; j++) {
			sqlite3_bind_int(t, 1, i);
			sqlite3_bind_int(t, 2, moq * (j == 0 ? 1 : 5 * j));
			sqlite3_bind_double(t, 3, base * (1 - 0.08 * j));
			assert_int_equal(sqlite3_step(t), SQLITE_DONE);
			sqlite3_reset(t);
		}
		for (const char *q = cert; *q;) {
			size_t n = strcspn(q, "|");
			if (n) {
				sqlite3_bind_int(c, 1, i);
				sqlite3_bind_text(c, 2, q, (int)n, SQLITE_TRANSIENT);
				assert_int_equal(sqlite3_step(c), SQLITE_DONE);
				sqlite3_reset(c);
			}
			q += n;
			if (*q)
				q++;
		}
	}
	sqlite3_finalize(p);
	sqlite3_finalize(t);
	sqlite3_finalize(c);
	exec("COMMIT");
}

static int setup_with(int preload)
{
	souk_err e;

	assets = getenv("SOUK_ASSETS");
	if (!assets)
		assets = "assets";
	build_fixture();
	money = money_load(assets, &e);
	if (!money)
		fail_msg("%s", e.msg);
	ctx = match_open_ex(dbpath, test_ref(), preload, &e);
	if (!ctx)
		fail_msg("%s", e.msg);
	return 0;
}

/* Every test runs twice: rows read through SQL, and preloaded in memory. */
static int setup_sql(void **state)
{
	(void)state;
	return setup_with(0);
}

static int setup_mem(void **state)
{
	(void)state;
	return setup_with(1);
}

static int teardown(void **state)
{
	(void)state;
	match_close(ctx);
	money_free(money);
	catalog_close(db);
	catalog_remove(dbpath);
	strcpy(dbpath, "/tmp/souk-test-match-XXXXXX");
	rnd_state = 12345;
	return 0;
}

/* ---- the oracle: does product id satisfy f? Read straight from the
 * catalog, written the plain way. ---- */

static int has_item(const char *list, const char *item)
{
	/* list items are separated by | or spaces */
	size_t n = strlen(item);
	for (const char *p = list; *p;) {
		size_t k = strcspn(p, "| ");
		if (k == n && strncasecmp(p, item, n) == 0)
			return 1;
		p += k;
		if (*p)
			p++;
	}
	return 0;
}

static const char *eu[] = {"DE", "FR", "IT", "ES", "NL", "PL", "AT", "BE", NULL};

static int is_eu(const char *c)
{
	for (int i = 0; eu[i]; i++)
		if (strcasecmp(eu[i], c) == 0)
			return 1;
	return 0;
}

static double oracle_price(int64_t id, const char *cur, double qty, const char *to)
{
	sqlite3_stmt *st;
	double price = -1, v;
	long best = -1;
	souk_err e;

	sqlite3_prepare_v2(db, "SELECT min_qty, price FROM price_tiers WHERE product_id=?", -1, &st,
	                   NULL);
	sqlite3_bind_int64(st, 1, id);
	/* the tier with the largest min_qty <= qty; else the smallest tier */
	long first = -1;
	double first_price = -1;
	while (sqlite3_step(st) == SQLITE_ROW) {
		long mq = sqlite3_column_int(st, 0);
		double pr = sqlite3_column_double(st, 1);
		if (first < 0 || mq < first) {
			first = mq;
			first_price = pr;
		}
		if (qty >= 0 && mq <= qty && mq > best) {
			best = mq;
			price = pr;
		}
	}
	sqlite3_finalize(st);
	if (price < 0)
		price = first_price;
	assert_int_equal(money_convert(money, price, cur, to, &v, &e), 0);
	return v;
}

static int oracle(const souk_filter *f, int64_t id, const int64_t *fts_ids, int nfts)
{
	sqlite3_stmt *st;
	int ok = 1;

	if (f->keywords.n) {
		int found = 0;
		for (int i = 0; i < nfts; i++)
			found |= fts_ids[i] == id;
		if (!found)
			return 0;
	}
	sqlite3_prepare_v2(
	        db,
	        "SELECT p.category, p.moq, p.lead_time_days, p.samples, p.customization, "
	        "p.incoterm, p.currency, p.certs, s.country, s.business_type, s.verified, "
	        "s.rating, s.year_established, s.export_markets, s.certifications "
	        "FROM products p JOIN suppliers s ON s.id = p.supplier_id WHERE p.id = ?",
	        -1, &st, NULL);
	sqlite3_bind_int64(st, 1, id);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	const char *cat = (const char *)sqlite3_column_text(st, 0);
	const char *pcerts = (const char *)sqlite3_column_text(st, 7);
	const char *country = (const char *)sqlite3_column_text(st, 8);
	const char *scerts = (const char *)sqlite3_column_text(st, 14);
	const char *exports = (const char *)sqlite3_column_text(st, 13);
	if (f->category && strcmp(cat, f->category) != 0 &&
	    !(strncmp(cat, f->category, strlen(f->category)) == 0 &&
	      cat[strlen(f->category)] == '/'))
		ok = 0;
	if (f->moq_max >= 0 && sqlite3_column_int(st, 1) > f->moq_max)
		ok = 0;
	if (f->lead_time_max_days >= 0 && (sqlite3_column_type(st, 2) == SQLITE_NULL ||
	                                   sqlite3_column_int(st, 2) > f->lead_time_max_days))
		ok = 0;
	if (f->samples && !sqlite3_column_int(st, 3))
		ok = 0;
	if (f->customization && !*(const char *)sqlite3_column_text(st, 4))
		ok = 0;
	if (f->incoterm && (sqlite3_column_type(st, 5) == SQLITE_NULL ||
	                    strcasecmp((const char *)sqlite3_column_text(st, 5), f->incoterm)))
		ok = 0;
	/* an offer whose MOQ is above the quantity cannot be ordered at it:
	 * set aside, or (include_larger_moq) priced at its MOQ */
	int moq = sqlite3_column_int(st, 1);
	if (f->quantity >= 0 && moq > f->quantity && !f->include_larger_moq)
		ok = 0;
	if (f->price_max >= 0 || f->price_min >= 0) {
		double pr = oracle_price(id, (const char *)sqlite3_column_text(st, 6),
		                         f->quantity >= 0 && moq > f->quantity ? moq : f->quantity,
		                         f->currency);
		if (f->price_max >= 0 && pr > f->price_max + 1e-9)
			ok = 0;
		if (f->price_min >= 0 && pr < f->price_min - 1e-9)
			ok = 0;
	}
	for (int i = 0; i < f->certifications.n; i++)
		if (!has_item(pcerts, f->certifications.v[i]) &&
		    !has_item(scerts, f->certifications.v[i]))
			ok = 0;
	if (f->market) {
		int exp = has_item(exports, f->market) ||
		          (is_eu(f->market) && has_item(exports, "EU"));
		int certs = 0;
		if (strcmp(f->market, "US") == 0)
			certs = has_item(pcerts, "FCC") || has_item(scerts, "FCC");
		if (is_eu(f->market) || strcmp(f->market, "EU") == 0)
			certs = has_item(pcerts, "CE") || has_item(pcerts, "RoHS");
		if (strcmp(f->market, "EU") == 0)
			for (int i = 0; eu[i]; i++)
				exp |= has_item(exports, eu[i]);
		if (!exp && !certs)
			ok = 0;
	}
	if (f->supplier_countries.n && !strlist_has(&f->supplier_countries, country))
		ok = 0;
	if (strlist_has(&f->exclude_countries, country))
		ok = 0;
	if (f->business_type &&
	    strcmp((const char *)sqlite3_column_text(st, 9), f->business_type) != 0)
		ok = 0;
	if (f->verified_only && !sqlite3_column_int(st, 10))
		ok = 0;
	if (f->min_rating >= 0 && (sqlite3_column_type(st, 11) == SQLITE_NULL ||
	                           sqlite3_column_double(st, 11) < f->min_rating - 1e-9))
		ok = 0;
	if (f->min_years >= 0 && (sqlite3_column_type(st, 12) == SQLITE_NULL ||
	                          util_year_now() - sqlite3_column_int(st, 12) < f->min_years))
		ok = 0;
	sqlite3_finalize(st);
	return ok;
}

/* The FTS hits for the keywords, from a hand-written expression. */
static int fts_hits(const char *expr, int64_t **ids)
{
	sqlite3_stmt *st;
	int n = 0;

	*ids = calloc(NPROD + 1, sizeof(**ids));
	if (!expr)
		return 0;
	assert_int_equal(sqlite3_prepare_v2(db,
	                                    "SELECT rowid FROM products_fts WHERE products_fts "
	                                    "MATCH ?",
	                                    -1, &st, NULL),
	                 SQLITE_OK);
	sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW)
		(*ids)[n++] = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static void check_filter(const char *json, const char *fts_expr, int sort, int expect_some)
{
	souk_filter f;
	souk_err e;
	match_opts o;
	match_result r;
	int64_t *hits;
	int nhits, expected = 0;
	long sum;

	if (filter_from_json(json, test_ref(), &f, &e) < 0)
		fail_msg("%s: %s", json, e.msg);
	match_opts_init(&o);
	o.limit = NPROD;
	o.sort = (enum match_sort)sort;
	o.descending = sort == MATCH_SORT_SCORE || sort == MATCH_SORT_RATING;
	if (match_run(ctx, &f, &o, &r, &e) < 0)
		fail_msg("%s: %s", json, e.msg);
	nhits = fts_hits(fts_expr, &hits);
	for (int64_t id = 1; id <= NPROD; id++)
		expected += oracle(&f, id, hits, nhits);
	if (r.total != expected)
		fail_msg("%s: %ld offers, the catalog says %d", json, r.total, expected);
	assert_int_equal(r.nrows, r.total);
	if (expect_some && r.total == 0)
		fail_msg("%s: the fixture should have matches", json);
	for (int i = 0; i < r.nrows; i++) {
		const match_row *row = &r.rows[i];
		if (!oracle(&f, row->product_id, hits, nhits))
			fail_msg("%s: product %lld does not honour the filters", json,
			         (long long)row->product_id);
		assert_true(row->score >= 0 && row->score <= 100);
		assert_non_null(row->reasons);
		assert_true(strlen(row->reasons) > 0);
		int semis = 0;
		for (const char *p = row->highlights; p && *p; p++)
			semis += *p == ';';
		assert_true(semis <= 2);
		if (f.price_max >= 0)
			assert_true(row->price <= f.price_max + 1e-9);
		if (i == 0)
			continue;
		const match_row *prev = &r.rows[i - 1];
		switch (sort) {
		case MATCH_SORT_SCORE:
			assert_true(prev->score >= row->score);
			break;
		case MATCH_SORT_PRICE:
			assert_true(row->price < 0 || prev->price <= row->price + 1e-9);
			break;
		case MATCH_SORT_MOQ:
			assert_true(prev->moq <= row->moq);
			break;
		case MATCH_SORT_LEAD:
			assert_true(row->lead_days < 0 || prev->lead_days <= row->lead_days);
			break;
		}
	}
	/* facets cover the whole result set */
	sum = 0;
	for (int i = 0; i < r.ncountries; i++)
		sum += r.countries[i].count;
	assert_int_equal(sum, r.total);
	sum = 0;
	for (int i = 0; i < r.nbusiness_types; i++)
		sum += r.business_types[i].count;
	assert_int_equal(sum, r.total);
	sum = 0;
	for (int i = 0; i < MATCH_HIST_BINS; i++)
		sum += r.moq_hist.counts[i];
	assert_int_equal(sum, r.total);
	assert_true(r.suppliers <= r.total && (r.total == 0 || r.suppliers > 0));
	free(hits);
	match_result_free(&r);
	filter_free(&f);
}

static void test_every_filter(void **state)
{
	(void)state;
	check_filter("{}", NULL, MATCH_SORT_SCORE, 1);
	check_filter("{\"keywords\":[\"yoga\"]}", "\"yoga\"*", MATCH_SORT_SCORE, 1);
	check_filter("{\"keywords\":[\"mats\"]}", "\"mats\"*", MATCH_SORT_SCORE, 1);
	check_filter("{\"keywords\":[\"yoga\",\"mat\"],\"price_max\":8}", "\"yoga\"* \"mat\"",
	             MATCH_SORT_PRICE, 1);
	check_filter("{\"price_max\":10,\"quantity\":500}", NULL, MATCH_SORT_PRICE, 1);
	check_filter("{\"price_max\":10,\"quantity\":500,\"include_larger_moq\":true}", NULL,
	             MATCH_SORT_PRICE, 1);
	check_filter("{\"price_min\":5,\"price_max\":9,\"currency\":\"EUR\",\"quantity\":1000}",
	             NULL, MATCH_SORT_SCORE, 1);
	check_filter("{\"price_max\":60,\"currency\":\"CNY\"}", NULL, MATCH_SORT_PRICE, 1);
	check_filter("{\"moq_max\":300}", NULL, MATCH_SORT_MOQ, 1);
	check_filter("{\"lead_time_max_days\":20}", NULL, MATCH_SORT_LEAD, 1);
	check_filter("{\"category\":\"sports\"}", NULL, MATCH_SORT_SCORE, 1);
	check_filter("{\"category\":\"sports/yoga/mats\"}", NULL, MATCH_SORT_SCORE, 1);
	check_filter("{\"category\":\"sports/yoga/ma\"}", NULL, MATCH_SORT_SCORE, 0);
	check_filter("{\"market\":\"US\"}", NULL, MATCH_SORT_SCORE, 1);
	check_filter("{\"market\":\"DE\"}", NULL, MATCH_SORT_SCORE, 1);
	check_filter("{\"market\":\"EU\"}", NULL, MATCH_SORT_SCORE, 1);
	check_filter("{\"supplier_countries\":[\"VN\",\"in\"]}", NULL, MATCH_SORT_SCORE, 1);
	check_filter("{\"exclude_countries\":[\"CN\"]}", NULL, MATCH_SORT_SCORE, 1);
	check_filter("{\"certifications\":[\"ce\",\"RoHS\"]}", NULL, MATCH_SORT_SCORE, 1);
	check_filter("{\"certifications\":[\"BSCI\",\"FCC\"]}", NULL, MATCH_SORT_SCORE, 1);
	check_filter("{\"certifications\":[\"GOTS\"]}", NULL, MATCH_SORT_SCORE, 0);
	check_filter("{\"verified_only\":true}", NULL, MATCH_SORT_RATING, 1);
	check_filter("{\"min_rating\":4.5}", NULL, MATCH_SORT_RATING, 1);
	check_filter("{\"min_years\":10}", NULL, MATCH_SORT_SCORE, 1);
	check_filter("{\"customization\":true}", NULL, MATCH_SORT_SCORE, 1);
	check_filter("{\"samples\":true}", NULL, MATCH_SORT_SCORE, 1);
	check_filter("{\"business_type\":\"trading\"}", NULL, MATCH_SORT_SCORE, 1);
	check_filter("{\"incoterm\":\"FOB\"}", NULL, MATCH_SORT_LANDED, 1);
	check_filter("{\"keywords\":[\"paddle\"],\"market\":\"US\",\"moq_max\":1000,"
	             "\"price_max\":15,\"quantity\":500,\"verified_only\":true}",
	             "\"paddle\"*", MATCH_SORT_SCORE, 0);
	check_filter("{\"keywords\":[\"mug\"],\"exclude_countries\":[\"CN\"],\"min_rating\":4,"
	             "\"samples\":true,\"lead_time_max_days\":40}",
	             "\"mug\"", MATCH_SORT_SCORE, 0);
}

static int run_json(const char *json, match_result *r)
{
	souk_filter f;
	souk_err e;
	int rc;

	if (filter_from_json(json, test_ref(), &f, &e) < 0)
		fail_msg("%s: %s", json, e.msg);
	rc = match_run(ctx, &f, NULL, r, &e);
	if (rc < 0)
		fail_msg("%s: %s", json, e.msg);
	filter_free(&f);
	return rc;
}

static void test_hostile_keywords(void **state)
{
	const char *evil[] = {
	        "\"",
	        "\"\"\"",
	        "NEAR(yoga mat)",
	        "yoga AND mat",
	        "yoga OR",
	        "*",
	        "mat*",
	        "-yoga",
	        "title:yoga",
	        "^yoga",
	        "'; DROP TABLE products; --",
	        "(",
	        ")",
	        "{title}: x",
	        "a\"b\"c",
	        "\xff\xfe",
	        "\xe4\xb8\xad\xe6\x96\x87",
	        "NOT",
	};
	match_result r;
	souk_filter f;
	souk_err e;
	long n;

	(void)state;
	for (size_t i = 0; i < sizeof(evil) / sizeof(*evil); i++) {
		filter_init(&f);
		strlist_add(&f.keywords, evil[i]);
		if (match_run(ctx, &f, NULL, &r, &e) < 0)
			fail_msg("keyword [%s]: %s", evil[i], e.msg);
		match_result_free(&r);
		filter_free(&f);
	}
	/* the catalog is intact */
	assert_int_equal(run_json("{}", &r), 0);
	n = r.total;
	match_result_free(&r);
	assert_int_equal(n, NPROD);
	/* operators are words, not syntax: "yoga OR" is the word yoga and the
	 * word "or", which no product has, so it is left out and named */
	assert_int_equal(run_json("{\"keywords\":[\"yoga\"]}", &r), 0);
	n = r.total;
	match_result_free(&r);
	filter_init(&f);
	strlist_add(&f.keywords, "yoga OR");
	assert_int_equal(match_run(ctx, &f, NULL, &r, &e), 0);
	assert_int_equal(r.total, n);
	assert_int_equal(r.unused.n, 1);
	assert_string_equal(r.unused.v[0], "OR");
	match_result_free(&r);
	filter_free(&f);
}

static void test_ranking_and_words(void **state)
{
	match_result r;

	(void)state;
	assert_int_equal(
	        run_json("{\"keywords\":[\"yoga\"],\"market\":\"US\",\"quantity\":500}", &r), 0);
	assert_true(r.nrows > 0 && r.nrows <= 50);
	assert_string_equal(r.currency, "USD");
	for (int i = 0; i < r.nrows; i++) {
		const match_row *row = &r.rows[i];
		assert_non_null(strstr(row->title, "Yoga"));
		if (strstr(row->reasons, "exports to US"))
			continue;
		/* not exporting there: it must carry a US certification instead */
		assert_non_null(strstr(row->reasons, "for US"));
	}
	/* the best-scored row of a price-heavy set is not the worst-priced */
	assert_true(r.rows[0].score >= r.rows[r.nrows - 1].score);
	match_result_free(&r);
}

static void test_tiers_and_prices(void **state)
{
	match_tier *t;
	int n;
	souk_err e;
	match_result r;

	(void)state;
	assert_int_equal(match_tiers(ctx, 7, "EUR", &t, &n, &e), 0);
	assert_true(n >= 1);
	for (int i = 1; i < n; i++)
		assert_true(t[i].min_qty > t[i - 1].min_qty);
	sqlite3_stmt *st;
	sqlite3_prepare_v2(db,
	                   "SELECT currency, (SELECT price FROM price_tiers WHERE product_id=7 "
	                   "ORDER BY min_qty LIMIT 1) FROM products WHERE id=7",
	                   -1, &st, NULL);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	double v;
	assert_int_equal(money_convert(money, sqlite3_column_double(st, 1),
	                               (const char *)sqlite3_column_text(st, 0), "EUR", &v, &e),
	                 0);
	sqlite3_finalize(st);
	assert_float_equal(t[0].price, v, 1e-9);
	free(t);
	assert_int_equal(match_tiers(ctx, 999999, "USD", &t, &n, &e), -1);
	assert_int_equal(match_tiers(ctx, 7, "XYZ", &t, &n, &e), -1);

	/* price at quantity and next break agree with the tiers */
	assert_int_equal(run_json("{\"quantity\":700,\"currency\":\"EUR\"}", &r), 0);
	for (int i = 0; i < r.nrows; i++) {
		const match_row *row = &r.rows[i];
		assert_int_equal(match_tiers(ctx, row->product_id, "EUR", &t, &n, &e), 0);
		int at = 0;
		for (int j = 0; j < n; j++)
			if (t[j].min_qty <= 700)
				at = j;
		assert_float_equal(row->price, t[at].price, 1e-6);
		if (row->next_break_qty >= 0) {
			assert_true(row->next_break_qty > 700);
			assert_true(at + 1 < n);
			assert_int_equal(row->next_break_qty, t[at + 1].min_qty);
		} else {
			assert_true(at + 1 == n || t[at + 1].min_qty <= 700);
		}
		free(t);
	}
	match_result_free(&r);
}

static void test_landed(void **state)
{
	match_result r;

	(void)state;
	assert_int_equal(run_json("{\"market\":\"US\"}", &r), 0);
	for (int i = 0; i < r.nrows; i++)
		if (r.rows[i].landed >= 0)
			assert_true(r.rows[i].landed >= r.rows[i].price - 1e-9);
	match_result_free(&r);
	assert_int_equal(run_json("{}", &r), 0); /* no market: no landed cost */
	for (int i = 0; i < r.nrows; i++)
		assert_true(r.rows[i].landed < 0);
	match_result_free(&r);
}

static void test_relax(void **state)
{
	match_result r, yoga;

	(void)state;
	assert_int_equal(run_json("{\"keywords\":[\"yoga\"],\"price_max\":0.0001}", &r), 0);
	assert_int_equal(r.total, 0);
	assert_non_null(r.relax);
	assert_int_equal(run_json("{\"keywords\":[\"yoga\"]}", &yoga), 0);
	char want[128];
	snprintf(want, sizeof(want), "drop the price limit of 0.0001 USD: %ld offers", yoga.total);
	assert_string_equal(r.relax, want);
	match_result_free(&r);
	/* two real words no product has together: dropping one is the hint */
	assert_int_equal(run_json("{\"keywords\":[\"yoga\",\"paddle\"]}", &r), 0);
	assert_int_equal(r.total, 0);
	assert_non_null(r.relax);
	assert_int_equal(r.unused.n, 0);
	match_result_free(&r);
	/* a word no product has never empties the result: it is left out and named */
	assert_int_equal(run_json("{\"keywords\":[\"zzzzqqq\",\"yoga\"]}", &r), 0);
	assert_int_equal(r.total, yoga.total);
	assert_null(r.relax);
	assert_int_equal(r.unused.n, 1);
	assert_string_equal(r.unused.v[0], "zzzzqqq");
	match_result_free(&r);
	/* a phrase keeps the words the catalog has */
	assert_int_equal(run_json("{\"keywords\":[\"yoga zzzzqqq\"]}", &r), 0);
	assert_int_equal(r.total, yoga.total);
	assert_int_equal(r.unused.n, 1);
	match_result_free(&r);
	/* only unknown words: nothing constrains, nothing to relax */
	assert_int_equal(run_json("{\"keywords\":[\"zzzzqqq\"]}", &r), 0);
	assert_int_equal(r.total, NPROD);
	assert_null(r.relax);
	match_result_free(&r);
	assert_int_equal(run_json("{}", &r), 0);
	assert_null(r.relax);
	match_result_free(&r);
	match_result_free(&yoga);
}

/* A group of certifications means any one of them: its offers are those
 * of each, less those counted twice, and every row holds one of them. */
static void test_cert_any(void **state)
{
	match_result r;
	long ce, fcc, both;

	(void)state;
	assert_int_equal(run_json("{\"certifications\":[\"CE\"]}", &r), 0);
	ce = r.total;
	match_result_free(&r);
	assert_int_equal(run_json("{\"certifications\":[\"FCC\"]}", &r), 0);
	fcc = r.total;
	match_result_free(&r);
	assert_int_equal(run_json("{\"certifications\":[\"FCC\",\"CE\"]}", &r), 0);
	both = r.total;
	match_result_free(&r);
	assert_true(ce > both && fcc > both && both > 0);
	assert_int_equal(run_json("{\"certifications\":[\"CE|FCC\"]}", &r), 0);
	assert_int_equal(r.total, ce + fcc - both);
	for (int i = 0; i < r.nrows; i++)
		assert_true(strstr(r.rows[i].certs, "CE") || strstr(r.rows[i].certs, "FCC"));
	match_result_free(&r);
	/* with a plain requirement beside it, both hold */
	assert_int_equal(run_json("{\"certifications\":[\"CE|FCC\",\"RoHS\"]}", &r), 0);
	for (int i = 0; i < r.nrows; i++)
		assert_non_null(strstr(r.rows[i].certs, "RoHS"));
	assert_true(r.total > 0);
	match_result_free(&r);
}

static void test_similar(void **state)
{
	match_result r;
	souk_filter f;
	souk_err e;
	int64_t ids[] = {11};
	sqlite3_stmt *st;
	int64_t src_sup;

	(void)state;
	sqlite3_prepare_v2(db, "SELECT supplier_id FROM products WHERE id=11", -1, &st, NULL);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	src_sup = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	filter_init(&f);
	assert_int_equal(match_similar(ctx, &f, ids, 1, 5, &r, &e), 0);
	assert_true(r.nrows > 0 && r.nrows <= 5);
	for (int i = 0; i < r.nrows; i++) {
		assert_true(r.rows[i].product_id != 11);
		assert_true(r.rows[i].supplier_id != src_sup);
		assert_non_null(r.rows[i].similar_to);
		assert_non_null(strstr(r.rows[i].similar_to, "similar to"));
		assert_true(strlen(r.rows[i].reasons) > 0);
		for (int j = 0; j < i; j++)
			assert_true(r.rows[j].supplier_id != r.rows[i].supplier_id);
	}
	match_result_free(&r);
	ids[0] = 424242;
	assert_int_equal(match_similar(ctx, &f, ids, 1, 5, &r, &e), -1);
	filter_free(&f);
}

static void test_open_errors(void **state)
{
	souk_err e;

	(void)state;
	assert_null(match_open("/nonexistent/souk.db", test_ref(), &e));
	assert_non_null(strstr(e.msg, "/nonexistent/souk.db"));
	assert_null(ref_load("/nonexistent-assets", &e));
	assert_null(match_open("/etc/hostname", test_ref(), &e));
}

static void test_unknown_currency(void **state)
{
	souk_filter f;
	souk_err e;
	match_result r;

	(void)state;
	filter_init(&f);
	memcpy(f.currency, "XYZ", 4);
	assert_int_equal(match_run(ctx, &f, NULL, &r, &e), -1);
	assert_non_null(strstr(e.msg, "XYZ"));
	filter_free(&f);
}

/* With a quantity, offers whose MOQ is above it are set aside and counted;
 * brought back, they are priced at their MOQ and claim no price at the
 * quantity. */
static void test_moq_set_aside(void **state)
{
	match_result r, all;
	long larger = 0, fits = 0;
	sqlite3_stmt *st;

	(void)state;
	assert_int_equal(sqlite3_prepare_v2(db,
	                                    "SELECT sum(moq > 300), sum(moq <= 300) FROM products",
	                                    -1, &st, NULL),
	                 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	larger = sqlite3_column_int(st, 0);
	fits = sqlite3_column_int(st, 1);
	sqlite3_finalize(st);
	assert_true(larger > 0 && fits > 0);
	assert_int_equal(run_json("{\"quantity\":300}", &r), 0);
	assert_int_equal(r.total, fits);
	assert_int_equal(r.set_aside_moq, larger);
	for (int i = 0; i < r.nrows; i++)
		assert_true(r.rows[i].moq <= 300 && !r.rows[i].at_moq);
	assert_int_equal(run_json("{\"quantity\":300,\"include_larger_moq\":true}", &all), 0);
	assert_int_equal(all.total, fits + larger);
	assert_int_equal(all.set_aside_moq, 0);
	match_result_free(&all);
	/* sorted by price: the MOQ-priced rows are there and say so */
	{
		souk_filter f;
		souk_err e;
		match_opts o;
		int seen = 0;
		assert_int_equal(filter_from_json("{\"quantity\":300,\"include_larger_moq\":true}",
		                                  test_ref(), &f, &e),
		                 0);
		match_opts_init(&o);
		o.sort = MATCH_SORT_MOQ;
		o.descending = 1;
		o.limit = 40;
		assert_int_equal(match_run(ctx, &f, &o, &all, &e), 0);
		for (int i = 0; i < all.nrows; i++) {
			const match_row *row = &all.rows[i];
			if (!row->at_moq)
				continue;
			seen++;
			assert_true(row->moq > 300);
			assert_non_null(strstr(row->reasons, "priced at its MOQ"));
			assert_null(strstr(row->reasons, "price at 300"));
			assert_null(strstr(row->reasons, "cheapest"));
			assert_null(strstr(row->highlights, "lowest price"));
			assert_null(strstr(row->highlights, "cheaper than"));
			sqlite3_prepare_v2(db, "SELECT currency FROM products WHERE id=?", -1, &st,
			                   NULL);
			sqlite3_bind_int64(st, 1, row->product_id);
			assert_int_equal(sqlite3_step(st), SQLITE_ROW);
			assert_true(fabs(row->price -
			                 oracle_price(row->product_id,
			                              (const char *)sqlite3_column_text(st, 0),
			                              row->moq, "USD")) < 1e-9);
			sqlite3_finalize(st);
		}
		assert_true(seen > 0);
		match_result_free(&all);
		filter_free(&f);
	}
	match_result_free(&r);
	/* nothing orderable at 1 piece: the hint says how to bring them back */
	assert_int_equal(run_json("{\"quantity\":1,\"moq_max\":100000}", &r), 0);
	if (r.total == 0) {
		assert_non_null(r.relax);
		assert_non_null(strstr(r.relax, "include offers that need more than 1 pcs"));
	}
	match_result_free(&r);
}

/* An interrupt that arrives after a run finished must not kill the next. */
static void test_stale_interrupt(void **state)
{
	match_result r;

	(void)state;
	match_interrupt(ctx);
	assert_int_equal(run_json("{\"keywords\":[\"yoga\"]}", &r), 0);
	assert_true(r.total > 0);
	match_result_free(&r);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* The sampled percentile search gives match_pct_below's value to the bit:
 * sizes around the sampling step, runs of equal values, and x below,
 * above, between and on the values. */
static void test_pct_sampled(void **state)
{
	unsigned seed = 77;
	int checked = 0;

	(void)state;
	for (int n = 0; n < 700; n += n < 140 ? 1 : 37) {
		double *v = malloc(sizeof(double) * ((size_t)n + 1));
		match_pct p;
		for (int i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			v[i] = (double)((seed >> 8) % (n % 3 == 0 ? 7u : 5000u)) /
			       4; /* duplicates */
		}
		qsort(v, (size_t)n, sizeof *v, cmp_double);
		match_pct_init(&p, v, n);
		for (int i = -1; i <= n; i++) {
			double xs[3];
			xs[0] = i < 0 ? -1 : i < n ? v[i] : 1e9;
			xs[1] = xs[0] + 0.125;
			xs[2] = xs[0] - 0.125;
			for (int k = 0; k < 3; k++) {
				assert_true(match_pct_of(&p, xs[k]) ==
				            match_pct_below(v, n, xs[k]));
				checked++;
			}
		}
		match_pct_free(&p);
		free(v);
	}
	assert_true(checked > 10000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_every_filter),
	        cmocka_unit_test(test_hostile_keywords),
	        cmocka_unit_test(test_ranking_and_words),
	        cmocka_unit_test(test_tiers_and_prices),
	        cmocka_unit_test(test_landed),
	        cmocka_unit_test(test_relax),
	        cmocka_unit_test(test_cert_any),
	        cmocka_unit_test(test_similar),
	        cmocka_unit_test(test_open_errors),
	        cmocka_unit_test(test_unknown_currency),
	        cmocka_unit_test(test_stale_interrupt),
	        cmocka_unit_test(test_moq_set_aside),
	        cmocka_unit_test(test_pct_sampled),
	};
	int failed = cmocka_run_group_tests_name("rows through SQL", tests, setup_sql, teardown);
	return failed + cmocka_run_group_tests_name("preloaded rows", tests, setup_mem, teardown);
}
