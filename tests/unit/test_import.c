/* Unit tests for core/import: CSV edge cases, JSON shapes, normalising, rollback. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "catalog.h"
#include "import.h"
#include "json.h"
#include "test_assets.h"

typedef struct fixture {
	char *path;
	sqlite3 *db;
	import_opts o;
	import_stats st;
	souk_err e;
	char errors[4096]; /* the row reports, one per line */
	int nerrors;
	volatile sig_atomic_t cancel;
	int cancel_on_error;
	char warnings[1024];
} fixture;

static void on_warning(const char *what, void *arg)
{
	fixture *f = arg;
	size_t n = strlen(f->warnings);

	snprintf(f->warnings + n, sizeof f->warnings - n, "%s\n", what);
}

static void on_row_error(const char *where, const char *why, void *arg)
{
	fixture *f = arg;
	size_t n = strlen(f->errors);

	snprintf(f->errors + n, sizeof f->errors - n, "%s: %s\n", where, why);
	f->nerrors++;
	if (f->cancel_on_error)
		f->cancel = 1;
}

static void remove_db(const char *path)
{
	catalog_remove(path);
}

static int setup(void **state)
{
	fixture *f = xcalloc(1, sizeof *f);
	const char *dir = getenv("TMPDIR");
	const char *assets = getenv("SOUK_ASSETS");
	souk_err e;

	f->path =
	        xasprintf("%s/souk-test-import-%ld.db", dir && *dir ? dir : "/tmp", (long)getpid());
	remove_db(f->path);
	if (catalog_open(f->path, 0, &f->db, &e) < 0)
		return -1;
	f->o.name = "t.csv";
	f->o.assets = assets && *assets ? assets : "assets";
	f->o.row_error = on_row_error;
	f->o.warning = on_warning;
	f->o.arg = f;
	f->o.cancel = &f->cancel;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;

	catalog_close(f->db);
	remove_db(f->path);
	free(f->path);
	free(f);
	return 0;
}

static int run(fixture *f, const char *data)
{
	f->errors[0] = '\0';
	f->nerrors = 0;
	return import_buffer(f->db, data, strlen(data), &f->o, &f->st, &f->e);
}

static long q_long(fixture *f, const char *sql)
{
	sqlite3_stmt *st;
	long n = -1;

	assert_int_equal(sqlite3_prepare_v2(f->db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* The first column of the first row, as a new string ("" for NULL). */
static char *q_text(fixture *f, const char *sql)
{
	sqlite3_stmt *st;
	char *s = NULL;

	if (sqlite3_prepare_v2(f->db, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(f->db));
	if (sqlite3_step(st) == SQLITE_ROW)
		s = xstrdup(sqlite3_column_text(st, 0) ? (const char *)sqlite3_column_text(st, 0)
		                                       : "");
	sqlite3_finalize(st);
	assert_non_null(s);
	return s;
}

static void assert_q_text(fixture *f, const char *sql, const char *want)
{
	char *got = q_text(f, sql);

	assert_string_equal(got, want);
	free(got);
}

/* Runs an import of the formatted CSV, which must succeed. */
static void run_printf(fixture *f, const char *fmt, ...)
{
	va_list ap;
	strbuf b;

	sb_init(&b);
	va_start(ap, fmt);
	sb_vprintf(&b, fmt, ap);
	va_end(ap);
	assert_int_equal(run(f, b.s), 0);
	sb_free(&b);
}

static void test_csv_rfc4180(void **state)
{
	fixture *f = *state;

	/* BOM, CRLF, quoted commas, doubled quotes, an embedded newline. */
	assert_int_equal(run(f, "\xef\xbb\xbftitle,supplier,country,price\r\n"
	                        "\"Paddle, 16mm \"\"Pro\"\"\",Acme,CN,12.5\r\n"
	                        "\"Two\nlines\",Acme,CN,3\r\n"
	                        "Plain,\"Beta, Inc.\",US,1\r\n"),
	                 0);
	assert_int_equal(f->st.imported, 3);
	assert_int_equal(f->st.rejected, 0);
	assert_int_equal(f->st.new_suppliers, 2);
	assert_q_text(f, "SELECT title FROM products WHERE id=1", "Paddle, 16mm \"Pro\"");
	/* Control characters from data never reach the catalog. */
	assert_q_text(f, "SELECT title FROM products WHERE id=2", "Two lines");
	assert_q_text(f, "SELECT name FROM suppliers WHERE country='US'", "Beta, Inc.");
	assert_q_text(f, "SELECT value FROM meta WHERE key='name'", "t.csv");
}

static void test_csv_row_errors(void **state)
{
	fixture *f = *state;

	assert_int_equal(run(f, "title,supplier,country,price\n"
	                        "Good,Acme,CN,1\n"
	                        "\"Multi\nline\",Acme,CN,nope\n" /* line 3: bad price */
	                        "Bad utf8 \xff,Acme,CN,1\n"      /* line 5 */
	                        "Extra,Acme,CN,1,surplus\n"      /* line 6 */
	                        "\"Stray\"x,Acme,CN,1\n"         /* line 7 */
	                        "Nowhere,Acme,Narnia,1\n"        /* line 8 */
	                        "No price,Acme,CN,\n"            /* line 9 */
	                        "Good too,Acme,CN,2\n"),
	                 0);
	assert_int_equal(f->st.rows, 8);
	assert_int_equal(f->st.imported, 2);
	assert_int_equal(f->st.rejected, 6);
	assert_non_null(strstr(f->errors, "t.csv:3: price 'nope'"));
	assert_non_null(strstr(f->errors, "t.csv:5: field 1 is not valid UTF-8"));
	assert_non_null(strstr(f->errors, "t.csv:6: 5 fields, but the header has 4"));
	assert_non_null(strstr(f->errors, "t.csv:7: text after the closing quote"));
	assert_non_null(strstr(f->errors, "t.csv:8: country 'Narnia'"));
	assert_non_null(strstr(f->errors, "t.csv:9: no price"));
	assert_int_equal(q_long(f, "SELECT count(*) FROM products"), 2);
	/* A rejected row leaves no supplier behind. */
	assert_int_equal(q_long(f, "SELECT count(*) FROM suppliers"), 1);
}

static void test_csv_unterminated_quote(void **state)
{
	fixture *f = *state;

	assert_int_equal(run(f, "title,supplier,country,price\nGood,Acme,CN,1\n\"Open,Acme,CN,1\n"),
	                 0);
	assert_int_equal(f->st.imported, 1);
	assert_non_null(strstr(f->errors, "t.csv:3: a quoted field never ends"));
}

static void test_flexible_headers(void **state)
{
	fixture *f = *state;

	/* Semicolons, decimal commas, header names as spreadsheets write them. */
	assert_int_equal(run(f,
	                     "Product Name;Unit Price (EUR);Min. Order;Company;Country;Lead time "
	                     "(days);Certifications;Price 1000+;Color;Category\n"
	                     "Yoga Mat;3,20;500 pieces;Ningbo Lotus;China;15-20 days;oeko tex, "
	                     "Reach;2,90;Purple;Yoga mats\n"),
	                 0);
	assert_int_equal(f->st.imported, 1);
	assert_q_text(f, "SELECT currency FROM products", "EUR");
	assert_int_equal(q_long(f, "SELECT moq FROM products"), 500);
	assert_q_text(f, "SELECT moq_unit FROM products", "pcs");
	assert_int_equal(q_long(f, "SELECT lead_time_days FROM products"), 20);
	assert_q_text(f, "SELECT certs FROM products", "|OEKO-TEX|REACH|");
	assert_q_text(f, "SELECT category FROM products", "sports/yoga/mats");
	assert_q_text(f, "SELECT attributes FROM products", "{\"color\":\"Purple\"}");
	assert_q_text(f, "SELECT country FROM suppliers", "CN");
	assert_q_text(f,
	              "SELECT group_concat(min_qty || '=' || price, ' ') FROM (SELECT * FROM "
	              "price_tiers ORDER BY min_qty)",
	              "500=3.2 1000=2.9");
	assert_int_equal(q_long(f, "SELECT price_lo * 10 FROM products"), 29);
	assert_int_equal(q_long(f, "SELECT count(*) FROM product_certs"), 2);
}

static void test_tiers_column(void **state)
{
	fixture *f = *state;

	assert_int_equal(run(f, "title,supplier,country,tiers,moq\n"
	                        "Mug,Acme,CN,\"100:2.5;500:2.1;1000:1.9\",100\n"
	                        "Cup,Acme,CN,\"100:x\",100\n"),
	                 0);
	assert_int_equal(f->st.imported, 1);
	assert_int_equal(q_long(f, "SELECT count(*) FROM price_tiers"), 3);
	assert_int_equal(q_long(f, "SELECT round(price_hi * 10) FROM products"), 25);
	assert_non_null(strstr(f->errors, "t.csv:3: price 'x'"));
}

/* A row's optional columns never inherit the previous row's values. */
static void test_optional_columns_reset(void **state)
{
	fixture *f = *state;

	assert_int_equal(run(f, "title,supplier,country,price,lead_time,incoterm,port,weight,"
	                        "sample_price\nA,Acme,CN,1,2 weeks,FOB Ningbo,Ningbo,0.5,3\n"
	                        "B,Acme,CN,1,,,,,\n"),
	                 0);
	assert_q_text(f, "SELECT lead_time_days || incoterm || port FROM products WHERE title='A'",
	              "14FOBNingbo");
	assert_int_equal(q_long(f, "SELECT count(*) FROM products WHERE title='B' AND "
	                           "lead_time_days IS NULL AND incoterm IS NULL AND port IS NULL "
	                           "AND weight_kg IS NULL AND sample_price IS NULL"),
	                 1);
}

/* What a file does not state stays unknown: no samples column, or an
 * empty cell, is NULL ("not listed"), never 0 ("no"); the same for trade
 * assurance. A sample price says samples are offered. */
static void test_unknown_stays_unknown(void **state)
{
	fixture *f = *state;

	assert_int_equal(run(f, "title,supplier,country,price\nMug,Acme,CN,1\n"), 0);
	assert_int_equal(q_long(f, "SELECT count(*) FROM products WHERE samples IS NULL"), 1);
	assert_int_equal(q_long(f, "SELECT count(*) FROM suppliers WHERE trade_assurance IS NULL"),
	                 1);
	assert_int_equal(run(f,
	                     "title,supplier,country,price,samples,trade assurance,sample price\n"
	                     "Cup,Bolt,VN,1,no,no,\n"
	                     "Jar,Cask,IN,1,,yes,\n"
	                     "Pot,Dell,TH,1,,,2.5\n"
	                     "Pan,Eddy,ID,1,yes,,\n"),
	                 0);
	assert_int_equal(q_long(f, "SELECT samples FROM products WHERE title = 'Cup'"), 0);
	assert_int_equal(q_long(f, "SELECT samples IS NULL FROM products WHERE title = 'Jar'"), 1);
	assert_int_equal(q_long(f, "SELECT samples FROM products WHERE title = 'Pot'"), 1);
	assert_int_equal(q_long(f, "SELECT samples FROM products WHERE title = 'Pan'"), 1);
	assert_int_equal(q_long(f, "SELECT trade_assurance FROM suppliers WHERE name = 'Bolt'"), 0);
	assert_int_equal(q_long(f, "SELECT trade_assurance FROM suppliers WHERE name = 'Cask'"), 1);
	assert_int_equal(
	        q_long(f, "SELECT trade_assurance IS NULL FROM suppliers WHERE name = 'Dell'"), 1);
}

/* "Est." (and "Est", "Year est.") is the founding year, not an attribute. */
static void test_established_header(void **state)
{
	fixture *f = *state;

	assert_int_equal(run(f, "title,supplier,country,price,Est.,Colour\n"
	                        "Mug,Acme,CN,1,2009,red\n"),
	                 0);
	assert_int_equal(q_long(f, "SELECT year_established FROM suppliers"), 2009);
	assert_q_text(f, "SELECT attributes FROM products", "{\"colour\":\"red\"}");
	assert_int_equal(run(f, "title,supplier,country,price,Year est.\nCup,Bolt,VN,1,1998\n"), 0);
	assert_int_equal(q_long(f, "SELECT year_established FROM suppliers WHERE name = 'Bolt'"),
	                 1998);
	/* a year that cannot be one is a rejected row, as for "founded" */
	assert_int_equal(run(f, "title,supplier,country,price,EST\nJar,Cask,IN,1,12\n"), 0);
	assert_non_null(strstr(f->errors, "year established"));
}

static void test_missing_columns(void **state)
{
	fixture *f = *state;

	assert_int_equal(run(f, "title,price\nMug,1\n"), -1);
	assert_non_null(strstr(f->e.msg, "t.csv:1: the header needs"));
	assert_int_equal(run(f, "title,supplier,country,price\n"), -1);
	assert_non_null(strstr(f->e.msg, "no rows"));
	assert_int_equal(q_long(f, "SELECT count(*) FROM products"), 0);
}

static void test_strict_rolls_back(void **state)
{
	fixture *f = *state;

	assert_int_equal(run(f, "title,supplier,country,price\nFirst,Acme,CN,1\n"), 0);
	f->o.strict = 1;
	assert_int_equal(run(f, "title,supplier,country,price\nA,Beta,VN,1\nB,Gamma,VN,1\n"
	                        "C,Beta,VN,oops\nD,Beta,VN,1\n"),
	                 -1);
	assert_non_null(strstr(f->e.msg, "t.csv:4: price 'oops'"));
	assert_non_null(strstr(f->e.msg, "--strict"));
	/* The two good rows before the bad one are gone too. */
	assert_int_equal(q_long(f, "SELECT count(*) FROM products"), 1);
	assert_int_equal(q_long(f, "SELECT count(*) FROM suppliers"), 1);
	assert_int_equal(q_long(f, "SELECT count(*) FROM products_fts WHERE products_fts MATCH "
	                           "'first'"),
	                 1);
	f->o.strict = 0;
}

/* A catalog failure half-way (a full disk, here a trigger that refuses
 * one row) rolls the whole import back. */
static void test_failure_midway_rolls_back(void **state)
{
	fixture *f = *state;
	strbuf b;

	assert_int_equal(run(f, "title,supplier,country,price\nKeep,Acme,CN,1\n"), 0);
	assert_int_equal(
	        sqlite3_exec(f->db,
	                     "CREATE TRIGGER boom BEFORE INSERT ON products WHEN "
	                     "new.title='BOOM' BEGIN SELECT RAISE(ABORT, 'disk full'); END",
	                     NULL, NULL, NULL),
	        SQLITE_OK);
	sb_init(&b);
	sb_add(&b, "title,supplier,country,price\n");
	for (int i = 0; i < 3000; i++)
		sb_printf(&b, "Row %d,Supplier %d,CN,1.5\n", i, i % 40);
	sb_add(&b, "BOOM,Acme,CN,1\nAfter,Acme,CN,1\n");
	assert_int_equal(run(f, b.s), -1);
	sb_free(&b);
	assert_non_null(strstr(f->e.msg, "disk full"));
	assert_int_equal(q_long(f, "SELECT count(*) FROM products"), 1);
	assert_int_equal(q_long(f, "SELECT count(*) FROM suppliers"), 1);
	assert_int_equal(q_long(f, "SELECT count(*) FROM price_tiers"), 1);
	/* The FTS trigger set aside during the import is back. */
	assert_int_equal(q_long(f, "SELECT count(*) FROM sqlite_master WHERE name='products_ai'"),
	                 1);
	assert_int_equal(q_long(f, "SELECT count(*) FROM products_fts WHERE products_fts MATCH "
	                           "'row'"),
	                 0);
}

/* A refusal in the middle of a product's tiers (written in one statement;
 * here a tier left behind by a product deleted without its tiers) rolls
 * the whole import back too. */
static void test_refused_tier_rolls_back(void **state)
{
	fixture *f = *state;

	assert_int_equal(run(f, "title,supplier,country,price\nKeep,Acme,CN,1\n"), 0);
	assert_int_equal(sqlite3_exec(f->db,
	                              "PRAGMA foreign_keys=OFF;"
	                              "INSERT INTO price_tiers VALUES (3, 1000, 9);"
	                              "PRAGMA foreign_keys=ON",
	                              NULL, NULL, NULL),
	                 SQLITE_OK);
	assert_int_equal(run(f, "title,supplier,country,price,tiers\nA,Beta,VN,1,\n"
	                        "B,Beta,VN,2,500:1.5;1000:1.4;2000:1.3\nC,Beta,VN,1,\n"),
	                 -1);
	assert_non_null(strstr(f->e.msg, "t.csv:3: the catalog refused a write"));
	assert_int_equal(q_long(f, "SELECT count(*) FROM products"), 1);
	assert_int_equal(q_long(f, "SELECT count(*) FROM suppliers"), 1);
	assert_int_equal(q_long(f, "SELECT count(*) FROM price_tiers"), 2);
	assert_int_equal(q_long(f, "SELECT price FROM price_tiers WHERE product_id=3"), 9);
}

static void test_cancel_rolls_back(void **state)
{
	fixture *f = *state;

	f->cancel_on_error = 1;
	assert_int_equal(run(f, "title,supplier,country,price\nA,Acme,CN,1\nB,Acme,CN,bad\n"
	                        "C,Acme,CN,1\n"),
	                 -1);
	assert_non_null(strstr(f->e.msg, "interrupted"));
	assert_int_equal(q_long(f, "SELECT count(*) FROM products"), 0);
	f->cancel_on_error = 0;
	f->cancel = 0;
}

static void test_fts_and_dedup(void **state)
{
	fixture *f = *state;

	assert_int_equal(
	        run(f, "title,supplier,country,price\nCarbon Pickleball Paddle,Acme,CN,9\n"), 0);
	/* Same supplier (any case, country by name): no new supplier row. */
	assert_int_equal(run(f, "title,supplier,country,price\nYoga Mats Deluxe,ACME,China,3\n"
	                        "Yoga Strap,Acme,VN,1\n"),
	                 0);
	assert_int_equal(f->st.new_suppliers, 1);
	assert_int_equal(q_long(f, "SELECT count(*) FROM suppliers"), 2);
	assert_int_equal(q_long(f, "SELECT count(*) FROM products_fts WHERE products_fts MATCH "
	                           "'paddles'"),
	                 1);
	assert_int_equal(q_long(f, "SELECT count(*) FROM products_fts WHERE products_fts MATCH "
	                           "'yoga'"),
	                 2);
	assert_int_equal(sqlite3_exec(f->db,
	                              "INSERT INTO products_fts(products_fts, rank) VALUES "
	                              "('integrity-check', 1)",
	                              NULL, NULL, NULL),
	                 SQLITE_OK);
	/* The indexes set aside for the first (bulk) import are back, and so
	 * is the FTS merge setting. */
	assert_int_equal(q_long(f, "SELECT count(*) FROM sqlite_master WHERE name IN "
	                           "('products_supplier', 'products_category', 'products_ai')"),
	                 3);
	assert_int_equal(q_long(f, "SELECT count(*) FROM products_fts_config WHERE k='automerge' "
	                           "AND v<>4"),
	                 0);
	/* The per-row trigger works again after an import. */
	assert_int_equal(
	        sqlite3_exec(f->db, "INSERT INTO products(supplier_id, title) VALUES (1, 'Zebra')",
	                     NULL, NULL, NULL),
	        SQLITE_OK);
	assert_int_equal(q_long(f, "SELECT count(*) FROM products_fts WHERE products_fts MATCH "
	                           "'zebra'"),
	                 1);
	/* The first import named the catalog; later ones keep the name. */
	assert_q_text(f, "SELECT value FROM meta WHERE key='name'", "t.csv");
}

/* The reference checks are off while an import runs (it writes only
 * references it made itself): the references hold, and the checks are on
 * again afterwards, after a failed import too. */
static void test_references_hold(void **state)
{
	fixture *f = *state;

	assert_int_equal(run(f, "title,supplier,country,price,tiers,certifications\n"
	                        "A,Acme,CN,1,500:0.9,CE\n"),
	                 0);
	assert_int_equal(run(f, "title,supplier,country,price,tiers,certifications\n"
	                        "B,Acme,CN,2,500:1.8;1000:1.7,CE;FCC\nC,Beta,VN,1,,\n"
	                        "D,Beta,VN,bad,,\nE,Acme,China,3,,RoHS\n"),
	                 0);
	assert_int_equal(f->st.imported, 3);
	assert_int_equal(q_long(f, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
	assert_int_equal(q_long(f, "PRAGMA foreign_keys"), 1);
	f->o.strict = 1;
	assert_int_equal(run(f, "title,supplier,country,price\nF,Acme,CN,1\nG,Acme,CN,x\n"), -1);
	f->o.strict = 0;
	assert_int_equal(q_long(f, "PRAGMA foreign_keys"), 1);
	/* So removing a supplier still takes its offers with it. */
	assert_int_equal(
	        sqlite3_exec(f->db, "DELETE FROM suppliers WHERE name='Acme'", NULL, NULL, NULL),
	        SQLITE_OK);
	assert_int_equal(q_long(f, "SELECT count(*) FROM products"), 1);
	assert_int_equal(q_long(f, "SELECT count(*) FROM price_tiers"), 1);
	assert_int_equal(q_long(f, "SELECT count(*) FROM product_certs"), 0);
}

/* An import bigger than the catalog rebuilds the product indexes at the
 * end; they are back and agree with the table, and a failed one leaves
 * them as they were. */
static void test_big_import_rebuilds_indexes(void **state)
{
	fixture *f = *state;
	strbuf b;

	assert_int_equal(run(f, "title,supplier,country,price,category\nOld,Acme,CN,1,toys\n"), 0);
	sb_init(&b);
	sb_add(&b, "title,supplier,country,price,category\n");
	for (int i = 0; i < 400; i++)
		sb_printf(&b, "Row %d,Supplier %d,VN,1.5,cat %d\n", i, i % 7, i % 5);
	assert_int_equal(run(f, b.s), 0);
	assert_int_equal(f->st.imported, 400);
	assert_int_equal(q_long(f, "SELECT count(*) FROM sqlite_master WHERE name IN "
	                           "('products_supplier', 'products_category', 'products_ai')"),
	                 3);
	assert_q_text(f, "PRAGMA integrity_check", "ok");
	assert_int_equal(q_long(f, "SELECT count(*) FROM products INDEXED BY products_category "
	                           "WHERE category='cat 3'"),
	                 80);
	f->o.strict = 1;
	sb_add(&b, "Bad,Acme,CN,x,toys\n");
	assert_int_equal(run(f, b.s), -1);
	f->o.strict = 0;
	sb_free(&b);
	assert_int_equal(q_long(f, "SELECT count(*) FROM products"), 401);
	assert_int_equal(q_long(f, "SELECT count(*) FROM sqlite_master WHERE name IN "
	                           "('products_supplier', 'products_category', 'products_ai')"),
	                 3);
	assert_q_text(f, "PRAGMA integrity_check", "ok");
}

/* Catalogs made before the FTS index lost its prefix indexes take
 * imports as before. */
static void test_import_into_prefix_index(void **state)
{
	fixture *f = *state;

	assert_int_equal(sqlite3_exec(f->db,
	                              "DROP TABLE products_fts;"
	                              "CREATE VIRTUAL TABLE products_fts USING fts5("
	                              " title, description, category, attributes,"
	                              " content='products', content_rowid='id',"
	                              " tokenize='porter unicode61 remove_diacritics 2',"
	                              " prefix='2 3')",
	                              NULL, NULL, NULL),
	                 SQLITE_OK);
	assert_int_equal(run(f, "title,supplier,country,price\nYoga Mats,Acme,CN,1\n"), 0);
	assert_int_equal(run(f, "title,supplier,country,price\nPickleball Paddle,Acme,CN,2\n"), 0);
	assert_int_equal(q_long(f, "SELECT count(*) FROM products_fts WHERE products_fts MATCH "
	                           "'\"mats\"* OR \"pa\"*'"),
	                 2);
	assert_int_equal(sqlite3_exec(f->db,
	                              "INSERT INTO products_fts(products_fts, rank) VALUES "
	                              "('integrity-check', 1)",
	                              NULL, NULL, NULL),
	                 SQLITE_OK);
}

/* Supplier names of any length are matched ignoring case, within an
 * import and against the catalog. */
static void test_long_supplier_names(void **state)
{
	fixture *f = *state;
	const char *name = "Shenzhen Example Sporting Goods Manufacturing Company Limited";

	run_printf(f, "title,supplier,country,price\nA,%s,CN,1\nB,%s,CN,1\nC,Short Co,CN,1\n", name,
	           "SHENZHEN EXAMPLE SPORTING GOODS MANUFACTURING COMPANY LIMITED");
	assert_int_equal(f->st.imported, 3);
	assert_int_equal(f->st.new_suppliers, 2);
	run_printf(f, "title,supplier,country,price\nD,%s,China,1\nE,short co,CN,1\n", name);
	assert_int_equal(f->st.imported, 2);
	assert_int_equal(f->st.new_suppliers, 0);
	assert_int_equal(q_long(f, "SELECT count(*) FROM suppliers"), 2);
}

static void test_json_shapes(void **state)
{
	fixture *f = *state;

	f->o.name = "t.json";
	assert_int_equal(run(f,
	                     "[{\"title\": \"LED Strip 5m\", \"price_usd\": 4.5, \"moq\": 100,"
	                     " \"certifications\": [\"ce\", \"RoHS\"], \"samples\": true,"
	                     " \"tiers\": [{\"min_qty\": 500, \"price\": 4.1}],"
	                     " \"attributes\": {\"length\": \"5m\"},"
	                     " \"supplier\": {\"name\": \"Bright\", \"country\": \"Taiwan\", "
	                     "\"rating\": 4.9,"
	                     " \"reviews\": 120, \"type\": \"trading company\", \"export_markets\":"
	                     " [\"US\", \"Germany\"]}},"
	                     " {\"title\": \"No supplier\", \"price\": 1}, 42]"),
	                 0);
	assert_int_equal(f->st.imported, 1);
	assert_int_equal(f->st.rejected, 2);
	assert_non_null(strstr(f->errors, "t.json: offer 2: no supplier name"));
	assert_non_null(strstr(f->errors, "t.json: offer 3: not a JSON object"));
	assert_q_text(f, "SELECT certs FROM products", "|CE|RoHS|");
	assert_q_text(f, "SELECT country || ' ' || business_type || ' ' || rating FROM suppliers",
	              "TW trading 4.9");
	assert_q_text(f, "SELECT export_markets FROM suppliers", " US DE EU ");
	assert_int_equal(q_long(f, "SELECT count(*) FROM price_tiers"), 2);
	assert_int_equal(q_long(f, "SELECT samples FROM products"), 1);

	assert_int_equal(run(f,
	                     "{\"suppliers\": [{\"id\": 3, \"name\": \"Tote Co\", \"country\":"
	                     " \"BD\"}], \"products\": [{\"supplier_id\": 3, \"title\": \"Tote\","
	                     " \"price\": \"EUR 1.10\"}, {\"supplier_id\": 4, \"title\": \"X\","
	                     " \"price\": 1}]}"),
	                 0);
	assert_int_equal(f->st.imported, 1);
	assert_non_null(strstr(f->errors, "supplier id '4'"));
	assert_q_text(f, "SELECT currency FROM products WHERE title='Tote'", "EUR");

	assert_int_equal(run(f, "[{\"title\": \"x\",\n\"price\": }]"), -1);
	assert_non_null(strstr(f->e.msg, "t.json:2: invalid JSON: a value is not"));
	assert_int_equal(run(f, "{\"nothing\": 1}"), -1);
	assert_non_null(strstr(f->e.msg, "expected an array"));
	f->o.name = "t.csv";
}

/* With a reader holding the catalog open (the dashboard), the import
 * stays in WAL mode and the reader keeps its snapshot until it is done. */
static void test_import_beside_reader(void **state)
{
	fixture *f = *state;
	sqlite3 *reader;
	sqlite3_stmt *st;
	souk_err e;

	assert_int_equal(run(f, "title,supplier,country,price\nOne,Acme,CN,1\n"), 0);
	assert_int_equal(catalog_open(f->path, 1, &reader, &e), 0);
	assert_int_equal(sqlite3_prepare_v2(reader, "SELECT count(*) FROM products", -1, &st, NULL),
	                 SQLITE_OK);
	assert_int_equal(sqlite3_exec(reader, "BEGIN", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 1);
	sqlite3_reset(st);
	assert_int_equal(run(f, "title,supplier,country,price\nTwo,Acme,CN,1\n"), 0);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 1); /* still its snapshot */
	sqlite3_reset(st);
	sqlite3_exec(reader, "COMMIT", NULL, NULL, NULL);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 2);
	sqlite3_finalize(st);
	catalog_close(reader);
	assert_q_text(f, "PRAGMA journal_mode", "wal");
}

static void test_normalisers(void **state)
{
	(void)state;
	assert_string_equal(import_country(test_ref(), "Viet Nam"), "VN");
	assert_string_equal(import_country(test_ref(), " chn "), "CN");
	assert_string_equal(import_country(test_ref(), "United Kingdom"), "GB");
	assert_string_equal(import_country(test_ref(), "uk"), "GB");
	assert_string_equal(import_country(test_ref(), "T\xc3\xbcrkiye"), "TR");
	assert_null(import_country(test_ref(), "Atlantis"));
	assert_string_equal(import_currency(test_ref(), "rmb"), "CNY");
	assert_string_equal(import_currency(test_ref(), "\xe2\x82\xac"), "EUR");
	assert_string_equal(import_currency(test_ref(), "usd"), "USD");
	assert_null(import_currency(test_ref(), "bitcoin"));
	assert_string_equal(import_cert(test_ref(), "oeko tex"), "OEKO-TEX");
	assert_string_equal(import_cert(test_ref(), "iso9001"), "ISO 9001");
	assert_string_equal(import_cert(test_ref(), "EN-71"), "EN71");
	assert_string_equal(import_cert(test_ref(), "prop65"), "Prop 65");
	assert_null(import_cert(test_ref(), "made up"));
}

static void test_file_checks(void **state)
{
	fixture *f = *state;
	const char *dir = getenv("TMPDIR");
	char *p = xasprintf("%s/souk-test-import-%ld.bin", dir && *dir ? dir : "/tmp",
	                    (long)getpid());
	FILE *fp = fopen(p, "wb");

	assert_non_null(fp);
	fwrite("title,supplier\0\0\x01\x02", 1, 18, fp);
	fclose(fp);
	assert_int_equal(import_file(f->db, p, &f->o, &f->st, &f->e), -1);
	assert_non_null(strstr(f->e.msg, "binary"));
	fp = fopen(p, "wb");
	fclose(fp);
	assert_int_equal(import_file(f->db, p, &f->o, &f->st, &f->e), -1);
	assert_non_null(strstr(f->e.msg, "empty"));
	unlink(p);
	assert_int_equal(import_file(f->db, p, &f->o, &f->st, &f->e), -1);
	assert_non_null(strstr(f->e.msg, "cannot open"));
	free(p);
	assert_int_equal(q_long(f, "SELECT count(*) FROM products"), 0);
}

/* The whole input is one JSON value; what cJSON alone lets through is refused. */
static void test_json_strict(void **state)
{
	static const char *const bad[] = {"[1][2]", "[1] <html>proxy error</html>", "[-01]", "[1.]",
	                                  "[2.e3]", "[01]", "[\"a\tb\"]", "[\"a\nb\"]",
	                                  "[\"\\uqqqq\"]", "[\"\\ud800\"]", "[\"\\udc00x\"]",
	                                  "[\"\\u0000\"]", "[\"\\x\"]", "{\"a\":1,}", "[1,]", "",
	                                  "  ", "[tru]", "{\"a\" 1}", "[1 2]", "\xef\xbb\xbf[1]",
	                                  /* names that never end (found by fuzz_import_json) */
	                                  "{\"abc", "{\"a\":1,\"bcd",
	                                  /* a name given twice, however it is written */
	                                  "{\"a\":1,\"a\":2}", "{\"a\":1,\"\\u0061\":2}",
	                                  "{\"\":1,\"\":2}", "[{\"x\":{\"k\":1,\"j\":2,\"k\":1}}]",
	                                  "{\"\\ud83d\\ude00\":1,\"\xf0\x9f\x98\x80\":2}"};
	static const char *const good[] = {
	        "[1]",
	        " [ -0.5e+3 , 1E2, 0, \"\\ud83d\\ude00\\u00e9\\n\" ] \n",
	        "{}",
	        "true",
	        "\"x\"",
	        "{\"a\":{\"b\":[null,false]}}",
	        "{\"a\":{\"k\":1},\"b\":{\"k\":1},\"A\":2,\"a\\n\":3,\"\":4}"};
	souk_err e;
	cJSON *j;
	size_t cut;
	long line = 0;

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		j = json_parse_strict(bad[i], strlen(bad[i]), &e);
		if (j != NULL)
			fail_msg("accepted: %s", bad[i]);
		assert_non_null(strstr(e.msg, "line 1: "));
	}
	for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
		j = json_parse_strict(good[i], strlen(good[i]), &e);
		if (j == NULL)
			fail_msg("refused: %s: %s", good[i], e.msg);
		cJSON_Delete(j);
	}
	/* the member is named, the line counted */
	assert_null(json_parse_strict("{\"a\":1,\n\"price_max\":01}", 24, &e));
	assert_string_equal(e.msg, "line 2: a number has a leading zero (in \"price_max\")");
	{
		const char *t = "{\"b\":1,\n\"c\":2,\n\"b\":3}";
		assert_null(json_parse_strict(t, strlen(t), &e));
	}
	assert_string_equal(e.msg, "line 3: a member name is given twice (in \"b\")");
	/* deep nesting is refused before cJSON recurses */
	{
		char deep[2 * JSON_MAX_DEPTH + 4];
		memset(deep, '[', JSON_MAX_DEPTH + 1);
		memset(deep + JSON_MAX_DEPTH + 1, ']', JSON_MAX_DEPTH + 1);
		assert_null(json_parse_strict(deep, 2 * JSON_MAX_DEPTH + 2, &e));
	}
	/* over-long strings are cut without a copy of them */
	{
		const char *t = "[\"abcdef\", \"ab\\u00e9\", \"x\"]";
		j = json_parse_capped(t, strlen(t), 4, &cut, &line, &e);
	}
	assert_non_null(j);
	assert_int_equal(cut, 1); /* "ab\u00e9" decodes to 4 bytes: kept */
	assert_string_equal(cJSON_GetArrayItem(j, 0)->valuestring, JSON_TOO_LONG);
	assert_string_equal(cJSON_GetArrayItem(j, 1)->valuestring, "ab\xc3\xa9");
	assert_string_equal(cJSON_GetArrayItem(j, 2)->valuestring, "x");
	cJSON_Delete(j);
}

/* JSON values get the check CSV fields get: UTF-8, 64 KB, one row report. */
static void test_json_value_check(void **state)
{
	fixture *f = *state;
	strbuf b;

	f->o.name = "t.json";
	assert_int_equal(run(f, "[{\"title\": \"a\xff\xfe\", \"supplier\": \"S\", \"country\": "
	                        "\"CN\", \"price\": 1},"
	                        "{\"title\": \"b\xc0\xaf\", \"supplier\": \"S\", \"country\": "
	                        "\"CN\", \"price\": 1},"
	                        "{\"title\": \"ok\", \"supplier\": \"S\", \"country\": \"CN\", "
	                        "\"price\": 1, \"x\\u00e9\": \"\\u202eevil\\u009b\"}]"),
	                 0);
	assert_int_equal(f->st.imported, 1);
	assert_int_equal(f->st.rejected, 2);
	assert_non_null(strstr(f->errors, "t.json: offer 1: \"title\" is not valid UTF-8"));
	assert_non_null(strstr(f->errors, "t.json: offer 2: \"title\" is not valid UTF-8"));
	/* bidi and C1 controls are not stored */
	assert_q_text(f, "SELECT attributes FROM products", "{\"x\":\"evil\"}");

	sb_init(&b);
	sb_add(&b, "[{\"title\": \"");
	for (int i = 0; i < 70000; i++)
		sb_addc(&b, 'x');
	sb_add(&b, "\", \"supplier\": \"S\", \"country\": \"CN\", \"price\": 1},"
	           "{\"title\": \"short\", \"supplier\": \"S\", \"country\": \"CN\", "
	           "\"price\": 1}]");
	assert_int_equal(run(f, b.s), 0);
	sb_free(&b);
	assert_int_equal(f->st.imported, 1);
	assert_non_null(strstr(f->errors, "offer 1: \"title\" is longer than 64 KB"));
	f->o.name = "t.csv";
}

/* Numbers in exponent form are numbers; out of range is a rejected row. */
static void test_exponents(void **state)
{
	fixture *f = *state;

	assert_int_equal(run(f, "title,supplier,country,price,moq\n"
	                        "A,S,CN,1.5,1E+03\n"
	                        "B,S,CN,5e2,5e2 pcs\n"
	                        "C,S,CN,2,1e30\n"
	                        "D,S,CN,2,2 each\n"
	                        "G,S,CN,2,1000000000\n"
	                        "H,S,CN,2,1000000001\n"
	                        "I,S,CN,2,9999999999\n"),
	                 0);
	assert_int_equal(f->st.imported, 4);
	assert_int_equal(q_long(f, "SELECT moq FROM products WHERE title='G'"), 1000000000);
	assert_non_null(strstr(f->errors,
	                       "t.csv:7: MOQ '1000000001' is not a whole number from 1 to "
	                       "1000000000"));
	assert_non_null(strstr(f->errors, "t.csv:8: MOQ '9999999999'"));
	assert_int_equal(q_long(f, "SELECT moq FROM products WHERE title='A'"), 1000);
	assert_q_text(f, "SELECT moq_unit FROM products WHERE title='A'", "pcs");
	assert_int_equal(q_long(f, "SELECT moq FROM products WHERE title='B'"), 500);
	assert_int_equal(q_long(f, "SELECT price_lo FROM products WHERE title='B'"), 500);
	assert_int_equal(q_long(f, "SELECT moq FROM products WHERE title='D'"), 2);
	assert_non_null(strstr(f->errors, "t.csv:4: MOQ '1e30'"));
	f->o.name = "t.json";
	assert_int_equal(run(f, "[{\"title\": \"E\", \"supplier\": \"S\", \"country\": \"CN\", "
	                        "\"price\": 1, \"moq\": 1e30},"
	                        "{\"title\": \"F\", \"supplier\": \"S\", \"country\": \"CN\", "
	                        "\"price\": 2.5e0, \"moq\": 2e2}]"),
	                 0);
	assert_int_equal(f->st.imported, 1);
	assert_non_null(strstr(f->errors, "offer 1: MOQ"));
	assert_int_equal(q_long(f, "SELECT moq FROM products WHERE title='F'"), 200);
	f->o.name = "t.csv";
}

/* A negative or zero price, or a price that rises with quantity, is a
 * rejected row, even where tiers already price the MOQ. */
static void test_bad_prices(void **state)
{
	fixture *f = *state;

	assert_int_equal(run(f, "title,supplier,country,price,tiers\n"
	                        "A,S,CN,-1,100:2;500:1.5\n"
	                        "B,S,CN,0,\n"
	                        "C,S,CN,,100:2;500:3\n"
	                        "D,S,CN,,100:2;500:-1\n"
	                        "E,S,CN,2,100:2;500:2\n"),
	                 0);
	assert_int_equal(f->st.imported, 1);
	assert_non_null(strstr(f->errors, "t.csv:2: price '-1' is not a positive number"));
	assert_non_null(strstr(f->errors, "t.csv:3: price '0' is not a positive number"));
	assert_non_null(strstr(f->errors, "t.csv:4: the price rises with quantity"));
	assert_non_null(strstr(f->errors, "t.csv:5: price '-1'"));
}

/* An attributes cell holding a JSON object is held to the strict JSON of
 * a file: trailing text or a leading zero rejects the row. */
static void test_attrs_json_strict(void **state)
{
	fixture *f = *state;

	assert_int_equal(run(f, "title,supplier,country,price,attributes\n"
	                        "A,S,CN,1,\"{\"\"material\"\": \"\"cork\"\"}\"\n"
	                        "B,S,CN,1,\"{\"\"material\"\": \"\"cork\"\"} and more\"\n"
	                        "C,S,CN,1,\"{\"\"size\"\": 01}\"\n"),
	                 0);
	assert_int_equal(f->st.imported, 1);
	assert_q_text(f, "SELECT attributes FROM products WHERE title='A'",
	              "{\"material\":\"cork\"}");
	assert_non_null(strstr(f->errors, "t.csv:3: attributes are not a JSON object: line 1: text "
	                                  "follows the JSON value"));
	assert_non_null(strstr(f->errors, "t.csv:4: attributes are not a JSON object: line 1: a "
	                                  "number has a leading zero"));
}

/* Columns beyond the limits are named in a warning, the rest kept. */
static void test_attrs_beyond_limit(void **state)
{
	fixture *f = *state;
	strbuf b;

	sb_init(&b);
	sb_add(&b, "title,supplier,country,price");
	for (int i = 0; i < 300; i++)
		sb_printf(&b, ",c%d", i);
	sb_add(&b, "\nA,S,CN,1");
	for (int i = 0; i < 300; i++)
		sb_printf(&b, ",v%d", i);
	sb_addc(&b, '\n');
	f->warnings[0] = '\0';
	assert_int_equal(run(f, b.s), 0);
	sb_free(&b);
	assert_int_equal(f->st.imported, 1);
	assert_non_null(strstr(f->warnings, "t.csv:1: 44 columns are not kept"));
	assert_non_null(strstr(f->warnings, "c256, c257, c258, c259, c260 and 39 more"));
	assert_int_equal(q_long(f, "SELECT count(*) FROM products, json_each(products.attributes)"),
	                 256);
}

static void test_fetch_refused(void **state)
{
	fixture *f = *state;
	char *path = (char *)1;

	assert_int_equal(import_fetch("http://127.0.0.1:1/x.csv", &f->o, &path, &f->e), -1);
	assert_null(path);
	assert_non_null(strstr(f->e.msg, "cannot download"));
	assert_int_equal(import_fetch("ftp://example.com/x.csv", &f->o, &path, &f->e), -1);
	assert_int_equal(import_is_url("HTTPS://x"), 1);
	assert_int_equal(import_is_url("/tmp/http://x"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_csv_rfc4180, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_csv_row_errors, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_csv_unterminated_quote, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_flexible_headers, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_tiers_column, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_optional_columns_reset, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_missing_columns, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_unknown_stays_unknown, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_established_header, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_strict_rolls_back, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_failure_midway_rolls_back, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_refused_tier_rolls_back, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_cancel_rolls_back, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_fts_and_dedup, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_references_hold, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_big_import_rebuilds_indexes, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_import_into_prefix_index, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_long_supplier_names, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_json_shapes, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_import_beside_reader, setup, teardown),
	        cmocka_unit_test(test_normalisers),
	        cmocka_unit_test_setup_teardown(test_file_checks, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_fetch_refused, setup, teardown),
	        cmocka_unit_test(test_json_strict),
	        cmocka_unit_test_setup_teardown(test_json_value_check, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_exponents, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_bad_prices, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_attrs_beyond_limit, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_attrs_json_strict, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
