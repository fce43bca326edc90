/* Unit tests for core/catalog: schema, migration guard, FTS sync, demo catalog. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <cmocka.h>

#include "catalog.h"

static char *tmp_path(const char *name)
{
	const char *dir = getenv("TMPDIR");

	return xasprintf("%s/souk-test-catalog-%ld-%s", dir && *dir ? dir : "/tmp", (long)getpid(),
	                 name);
}

static void remove_db(const char *path)
{
	catalog_remove(path);
}

static long query_long(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	long n = -1;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static void exec_ok(sqlite3 *db, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);

	if (rc != SQLITE_OK)
		fail_msg("%s: %s", sql, msg ? msg : "?");
}

static void test_schema_created(void **state)
{
	char *path = tmp_path("schema.db");
	sqlite3 *db;
	souk_err e;
	long s = -1, p = -1;
	sqlite3_stmt *st;

	(void)state;
	remove_db(path);
	assert_int_equal(catalog_open(path, 0, &db, &e), 0);
	assert_int_equal(query_long(db, "SELECT value FROM meta WHERE key='schema_version'"),
	                 CATALOG_SCHEMA_VERSION);
	assert_int_equal(catalog_counts(db, &s, &p, &e), 0);
	assert_int_equal(s, 0);
	assert_int_equal(p, 0);
	assert_int_equal(catalog_category_count(db), 0);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
	sqlite3_finalize(st);
	/* a new catalog's pages are 16 KB (imports write a tenth faster) */
	assert_int_equal(query_long(db, "PRAGMA page_size"), 16384);
	/* Every table and trigger of doc/HACKING.md is there. */
	assert_int_equal(query_long(db,
	                            "SELECT count(*) FROM sqlite_master WHERE name IN "
	                            "('meta','categories','suppliers','products','price_tiers',"
	                            "'product_certs','products_fts','products_ai','products_ad',"
	                            "'products_au','products_supplier','products_category')"),
	                 12);
	catalog_close(db);
	/* Reopening keeps the schema and does not fail on existing tables. */
	assert_int_equal(catalog_open(path, 1, &db, &e), 0);
	assert_int_equal(catalog_counts(db, &s, &p, &e), 0);
	catalog_close(db);
	remove_db(path);
	free(path);
}

static void test_fts_sync(void **state)
{
	char *path = tmp_path("fts.db");
	sqlite3 *db;
	souk_err e;

	(void)state;
	remove_db(path);
	assert_int_equal(catalog_open(path, 0, &db, &e), 0);
	exec_ok(db, "INSERT INTO suppliers(id, name, country) VALUES (1, 'Acme', 'CN')");
	exec_ok(db, "INSERT INTO products(id, supplier_id, title, category) VALUES "
	            "(1, 1, 'Carbon Fiber Pickleball Paddle', 'sports/pickleball/paddles'),"
	            "(2, 1, 'Eco TPE Yoga Mat 6mm', 'sports/yoga/mats')");
	assert_int_equal(query_long(db, "SELECT count(*) FROM products_fts WHERE products_fts "
	                                "MATCH 'paddles'"),
	                 1); /* porter: plural finds singular */
	assert_int_equal(
	        query_long(db, "SELECT rowid FROM products_fts WHERE products_fts MATCH 'yo*'"), 2);
	/* Prefixes need no prefix index: "mats" asks for the stem mat*, and a
	 * word's first letters find it. */
	assert_int_equal(query_long(db, "SELECT rowid FROM products_fts WHERE products_fts "
	                                "MATCH '\"mats\"*'"),
	                 2);
	assert_int_equal(query_long(db, "SELECT rowid FROM products_fts WHERE products_fts "
	                                "MATCH '\"pickl\"* \"paddles\"*'"),
	                 1);
	/* Update: the old words leave the index, the new ones arrive. */
	exec_ok(db, "UPDATE products SET title='Cork Yoga Block' WHERE id=2");
	assert_int_equal(
	        query_long(db, "SELECT count(*) FROM products_fts WHERE products_fts MATCH 'tpe'"),
	        0);
	assert_int_equal(
	        query_long(db, "SELECT count(*) FROM products_fts WHERE products_fts MATCH 'cork'"),
	        1);
	/* Non-indexed updates leave the index alone and consistent. */
	exec_ok(db, "UPDATE products SET moq=500 WHERE id=1");
	/* Delete: the index forgets the row. */
	exec_ok(db, "DELETE FROM products WHERE id=1");
	assert_int_equal(query_long(db, "SELECT count(*) FROM products_fts WHERE products_fts "
	                                "MATCH 'pickleball'"),
	                 0);
	/* The integrity check fails if a 'delete' ever passed wrong old values. */
	exec_ok(db, "INSERT INTO products_fts(products_fts, rank) VALUES ('integrity-check', 1)");
	/* Deleting a supplier cascades to its products and the index. */
	exec_ok(db, "DELETE FROM suppliers WHERE id=1");
	assert_int_equal(query_long(db, "SELECT count(*) FROM products"), 0);
	assert_int_equal(
	        query_long(db, "SELECT count(*) FROM products_fts WHERE products_fts MATCH 'cork'"),
	        0);
	exec_ok(db, "INSERT INTO products_fts(products_fts, rank) VALUES ('integrity-check', 1)");
	catalog_close(db);
	remove_db(path);
	free(path);
}

static void test_open_errors(void **state)
{
	char *path = tmp_path("notadb.db");
	sqlite3 *db = (sqlite3 *)1;
	souk_err e;
	FILE *f;

	(void)state;
	/* A read-only open of a missing file fails and says what to do. */
	remove_db(path);
	assert_int_equal(catalog_open(path, 1, &db, &e), -1);
	assert_null(db);
	assert_non_null(strstr(e.msg, "souk demo"));
	assert_int_not_equal(access(path, F_OK), 0);
	/* A text file is not a catalog. */
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("name,country\nAcme,CN\nthis is not sqlite at all, just text padding to be sure\n",
	      f);
	fclose(f);
	assert_int_equal(catalog_open(path, 0, &db, &e), -1);
	assert_non_null(strstr(e.msg, "not a souk catalog"));
	remove_db(path);
	free(path);
}

static void test_newer_schema_refused(void **state)
{
	char *path = tmp_path("newer.db");
	sqlite3 *db;
	souk_err e;

	(void)state;
	remove_db(path);
	assert_int_equal(catalog_open(path, 0, &db, &e), 0);
	exec_ok(db, "UPDATE meta SET value='99' WHERE key='schema_version'");
	catalog_close(db);
	assert_int_equal(catalog_open(path, 0, &db, &e), -1);
	assert_non_null(strstr(e.msg, "newer"));
	remove_db(path);
	free(path);
}

/* A catalog of schema version 1 as souk wrote it: samples and trade
 * assurance NOT NULL DEFAULT 0 (the other tables do not matter here). */
static void make_v1(const char *path)
{
	sqlite3 *db;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	exec_ok(db, "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;"
	            "INSERT INTO meta VALUES ('schema_version', '1');"
	            "CREATE TABLE suppliers( id INTEGER PRIMARY KEY, name TEXT NOT NULL,"
	            " country TEXT NOT NULL, city TEXT,"
	            " business_type TEXT NOT NULL DEFAULT 'manufacturer',"
	            " verified INTEGER NOT NULL DEFAULT 0,"
	            " trade_assurance INTEGER NOT NULL DEFAULT 0,"
	            " year_established INTEGER, rating REAL);"
	            "CREATE TABLE products( id INTEGER PRIMARY KEY,"
	            " supplier_id INTEGER NOT NULL REFERENCES suppliers(id) ON DELETE CASCADE,"
	            " title TEXT NOT NULL, lead_time_days INTEGER,"
	            " samples INTEGER NOT NULL DEFAULT 0,"
	            " sample_price REAL);"
	            "INSERT INTO suppliers(id, name, country, trade_assurance) VALUES (1, 'A', "
	            "'CN', 1);"
	            "INSERT INTO products(id, supplier_id, title, samples) VALUES (7, 1, 'cup', 1),"
	            " (8, 1, 'mug', 0);");
	sqlite3_close(db);
}

/* Version 2 lets samples and trade assurance be unknown (NULL): a writer
 * migrates a version 1 catalog in place, keeping every row and value, and
 * a reader opens a version 1 catalog as it is. */
static void test_migrate_v2(void **state)
{
	char *path = tmp_path("v1.db");
	sqlite3 *db, *other;
	souk_err e;
	long page;

	(void)state;
	remove_db(path);
	make_v1(path);
	assert_int_equal(catalog_open(path, 1, &db, &e), 0);
	assert_int_equal(query_long(db, "SELECT value FROM meta WHERE key='schema_version'"), 1);
	page = query_long(db, "PRAGMA page_size");
	assert_true(page != 16384); /* the test means something */
	catalog_close(db);
	assert_int_equal(catalog_open(path, 0, &db, &e), 0);
	assert_int_equal(query_long(db, "SELECT value FROM meta WHERE key='schema_version'"), 2);
	/* an existing catalog keeps its page size */
	assert_int_equal(query_long(db, "PRAGMA page_size"), page);
	assert_int_equal(query_long(db, "SELECT samples FROM products WHERE id = 7"), 1);
	assert_int_equal(query_long(db, "SELECT samples FROM products WHERE id = 8"), 0);
	assert_int_equal(query_long(db, "SELECT trade_assurance FROM suppliers"), 1);
	/* the same connection and a new one both take an unknown now */
	exec_ok(db, "INSERT INTO products(id, supplier_id, title, samples) VALUES (9, 1, 'jar', "
	            "NULL)");
	assert_int_equal(sqlite3_open(path, &other), SQLITE_OK);
	exec_ok(other, "INSERT INTO suppliers(id, name, country, trade_assurance) VALUES (2, 'B', "
	               "'VN', NULL)");
	assert_int_equal(query_long(other, "SELECT count(*) FROM products WHERE samples IS NULL"),
	                 1);
	assert_int_equal(query_long(other, "SELECT count(*) FROM products"), 3);
	sqlite3_close(other);
	assert_int_equal(
	        query_long(db, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check "
	                       "<> 'ok'"),
	        0);
	catalog_close(db);
	/* opened again, nothing is left to migrate and the schema is the new one */
	assert_int_equal(catalog_open(path, 0, &db, &e), 0);
	assert_int_equal(query_long(db, "SELECT instr(sql, 'samples INTEGER NOT NULL') FROM "
	                                "sqlite_master WHERE name = 'products'"),
	                 0);
	catalog_close(db);
	remove_db(path);
	free(path);
}

/* A new catalog takes unknown samples and trade assurance. */
static void test_unknown_allowed(void **state)
{
	char *path = tmp_path("unknown.db");
	sqlite3 *db;
	souk_err e;

	(void)state;
	remove_db(path);
	assert_int_equal(catalog_open(path, 0, &db, &e), 0);
	exec_ok(db, "INSERT INTO suppliers(id, name, country) VALUES (1, 'A', 'CN');"
	            "INSERT INTO products(id, supplier_id, title) VALUES (1, 1, 'cup')");
	assert_int_equal(query_long(db, "SELECT count(*) FROM products WHERE samples IS NULL"), 1);
	assert_int_equal(
	        query_long(db, "SELECT count(*) FROM suppliers WHERE trade_assurance IS NULL"), 1);
	catalog_close(db);
	remove_db(path);
	free(path);
}

static const char *assets_dir(void)
{
	const char *a = getenv("SOUK_ASSETS");

	return a && *a ? a : "assets";
}

/* Rows of table in the attached catalog x that are not in y. */
static long rows_missing(sqlite3 *db, const char *table, const char *x, const char *y)
{
	char *sql =
	        xasprintf("SELECT count(*) FROM (SELECT * FROM %s.%s EXCEPT SELECT * FROM %s.%s)",
	                  x, table, y, table);
	long n = query_long(db, sql);

	free(sql);
	return n;
}

static void test_demo_deterministic(void **state)
{
	static const char *tables[] = {"suppliers", "products", "price_tiers", "product_certs",
	                               "categories"};
	char *a = tmp_path("demo-a.db"), *b = tmp_path("demo-b.db"), *c = tmp_path("demo-c.db");
	char *sql;
	sqlite3 *db;
	souk_err e;
	long s, p, differ = 0;

	(void)state;
	assert_int_equal(catalog_build_demo(a, assets_dir(), 2000, 7, NULL, NULL, &e), 0);
	assert_int_equal(catalog_build_demo(b, assets_dir(), 2000, 7, NULL, NULL, &e), 0);
	assert_int_equal(catalog_build_demo(c, assets_dir(), 2000, 8, NULL, NULL, &e), 0);
	assert_int_equal(catalog_open(a, 1, &db, &e), 0);
	assert_int_equal(catalog_counts(db, &s, &p, &e), 0);
	assert_int_equal(p, 2000);
	assert_int_equal(s, 200);
	sql = xasprintf("ATTACH '%s' AS b; ATTACH '%s' AS c", b, c);
	exec_ok(db, sql);
	free(sql);
	for (size_t i = 0; i < sizeof tables / sizeof *tables; i++) {
		assert_int_equal(rows_missing(db, tables[i], "main", "b"), 0);
		assert_int_equal(rows_missing(db, tables[i], "b", "main"), 0);
		differ += rows_missing(db, "products", "main", "c");
	}
	assert_true(differ > 0); /* another seed, another catalog */
	catalog_close(db);
	remove_db(a);
	remove_db(b);
	remove_db(c);
	free(a);
	free(b);
	free(c);
}

static void test_demo_content(void **state)
{
	char *path = tmp_path("demo-content.db");
	sqlite3 *db;
	souk_err e;

	(void)state;
	assert_int_equal(catalog_build_demo(path, assets_dir(), 3000, 1, NULL, NULL, &e), 0);
	assert_int_equal(catalog_open(path, 1, &db, &e), 0);
	assert_true(catalog_category_count(db) >= 40);
	/* Every product has 3 to 5 tiers, the first at its MOQ, prices falling. */
	assert_int_equal(query_long(db, "SELECT count(*) FROM products p WHERE (SELECT count(*) "
	                                "FROM price_tiers t WHERE t.product_id=p.id) NOT BETWEEN 3 "
	                                "AND 5"),
	                 0);
	assert_int_equal(query_long(db, "SELECT count(*) FROM products p WHERE moq <> (SELECT "
	                                "min(min_qty) FROM price_tiers t WHERE t.product_id=p.id)"),
	                 0);
	assert_int_equal(query_long(db, "SELECT count(*) FROM price_tiers a JOIN price_tiers b "
	                                "ON a.product_id=b.product_id AND b.min_qty>a.min_qty "
	                                "WHERE b.price>a.price"),
	                 0);
	assert_int_equal(query_long(db, "SELECT count(*) FROM products WHERE price_lo>price_hi OR "
	                                "price_lo<=0"),
	                 0);
	/* The denormalised certs match product_certs. */
	assert_int_equal(query_long(db,
	                            "SELECT count(*) FROM product_certs c JOIN products p ON "
	                            "p.id=c.product_id WHERE instr(p.certs, '|'||c.cert||'|')=0"),
	                 0);
	/* Buyers' words find products; half-ish of suppliers are in China. */
	assert_true(query_long(db, "SELECT count(*) FROM products_fts WHERE products_fts MATCH "
	                           "'pickleball paddles'") > 0);
	assert_true(query_long(db, "SELECT count(*) FROM suppliers WHERE country='CN'") > 100);
	assert_true(query_long(db, "SELECT count(*) FROM suppliers WHERE country='CN'") < 200);
	assert_int_equal(query_long(db, "SELECT count(*) FROM suppliers WHERE rating<3.5 OR "
	                                "rating>5 OR country NOT GLOB '[A-Z][A-Z]'"),
	                 0);
	assert_int_equal(query_long(db, "SELECT count(*) FROM meta WHERE key='name' AND "
	                                "value='demo'"),
	                 1);
	/* The indexes and the trigger set aside for the bulk load are back. */
	assert_int_equal(query_long(db, "SELECT count(*) FROM sqlite_master WHERE name IN "
	                                "('products_supplier', 'products_category', "
	                                "'products_ai')"),
	                 3);
	catalog_close(db);
	/* The trigger came back after the bulk load: new rows are indexed. */
	assert_int_equal(catalog_open(path, 0, &db, &e), 0);
	exec_ok(db, "INSERT INTO products_fts(products_fts, rank) VALUES ('integrity-check', 1)");
	exec_ok(db, "INSERT INTO products(supplier_id, title) VALUES (1, 'Zanzibar gizmo')");
	assert_int_equal(query_long(db, "SELECT count(*) FROM products_fts WHERE products_fts "
	                                "MATCH 'zanzibar'"),
	                 1);
	catalog_close(db);
	remove_db(path);
	free(path);
}

static void test_demo_errors(void **state)
{
	char *path = tmp_path("demo-bad.db");
	souk_err e;

	(void)state;
	assert_int_equal(catalog_build_demo(path, "/nonexistent-assets", 100, 1, NULL, NULL, &e),
	                 -1);
	assert_non_null(strstr(e.msg, "categories.txt"));
	assert_int_not_equal(access(path, F_OK), 0);
	assert_int_equal(catalog_build_demo(path, assets_dir(), 0, 1, NULL, NULL, &e), -1);
	assert_int_equal(
	        catalog_build_demo("/nonexistent-dir/x.db", assets_dir(), 10, 1, NULL, NULL, &e),
	        -1);
	free(path);
}

/* The disk fills while products are written (a file size limit, in a
 * child): the thread drawing them stops, the build says which write
 * failed, and neither the catalog nor its temporary file is left. The
 * limit is past SQLite's 64 MB page cache, so the failure comes from a
 * product, tier or certificate write, not from the commit. */
static void test_demo_disk_full(void **state)
{
	char *path = tmp_path("demo-full.db");
	pid_t pid;
	int status;

	(void)state;
	remove_db(path);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct rlimit rl = {.rlim_cur = 80u << 20, .rlim_max = 80u << 20};
		char *tmp = xasprintf("%s.tmp-%ld", path, (long)getpid());
		souk_err e;
		int rc;
		signal(SIGXFSZ, SIG_IGN);
		if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
			_exit(2);
		rc = catalog_build_demo(path, assets_dir(), 1000000, 7, NULL, NULL, &e);
		if (rc == 0)
			_exit(3);
		fprintf(stderr, "demo on a full disk: %s\n", e.msg);
		if (!strstr(e.msg, "cannot write a demo product") &&
		    !strstr(e.msg, "cannot write a demo price tier") &&
		    !strstr(e.msg, "cannot write a demo certificate"))
			_exit(4);
		_exit(access(path, F_OK) != 0 && access(tmp, F_OK) != 0 ? 0 : 5);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	remove_db(path);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_schema_created),
	        cmocka_unit_test(test_fts_sync),
	        cmocka_unit_test(test_open_errors),
	        cmocka_unit_test(test_newer_schema_refused),
	        cmocka_unit_test(test_migrate_v2),
	        cmocka_unit_test(test_unknown_allowed),
	        cmocka_unit_test(test_demo_deterministic),
	        cmocka_unit_test(test_demo_content),
	        cmocka_unit_test(test_demo_errors),
	        cmocka_unit_test(test_demo_disk_full),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
