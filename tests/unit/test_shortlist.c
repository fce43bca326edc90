/* Unit tests for core/shortlist and core/userdb: lists, items, order, notes, snapshots, changes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <stdio.h>
#include <unistd.h>

#include <cJSON.h>

#include "catalog.h"
#include "shortlist.h"
#include "userdb.h"
#include "test_assets.h"

static char dir[64];
static char *dbpath;

static int setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/souk-test-shortlist-XXXXXX");
	assert_non_null(mkdtemp(dir));
	dbpath = xasprintf("%s/souk.db", dir);
	return 0;
}

static int teardown(void **state)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);

	(void)state;
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(dbpath);
	return 0;
}

/* A fresh user DB per test. */
static sqlite3 *fresh_db(void)
{
	char *wal = xasprintf("%s-wal", dbpath), *shm = xasprintf("%s-shm", dbpath);
	sqlite3 *db;
	souk_err e;

	unlink(dbpath);
	unlink(wal);
	unlink(shm);
	free(wal);
	free(shm);
	assert_int_equal(userdb_open(dbpath, &db, &e), 0);
	return db;
}

static match_row make_row(int64_t id, const char *supplier, double price)
{
	match_row r;

	memset(&r, 0, sizeof r);
	r.product_id = id;
	r.supplier_id = id + 100;
	r.supplier = (char *)supplier;
	r.country = (char *)"CN";
	r.title = (char *)"Carbon paddle";
	r.certs = (char *)"CE";
	r.moq_unit = (char *)"pcs";
	r.price = price;
	r.price_orig = price * 7;
	strcpy(r.currency_orig, "CNY");
	r.next_break_qty = -1;
	r.moq = 300;
	r.lead_days = 30;
	r.landed = -1;
	r.rating = 4.8;
	r.reviews = 12;
	r.verified = 1;
	r.years = 6;
	r.score = 88;
	return r;
}

static void add_three(sqlite3 *db, const char *list)
{
	match_row a = make_row(1, "\xe6\xb7\xb1\xe5\x9c\xb3 Sports", 7.5);
	match_row b = make_row(2, "Paddle \"Pro\", Ltd \xf0\x9f\x8f\x93", 6.25);
	match_row c = make_row(3, "Third Co", 9);
	souk_err e;

	assert_int_equal(shortlist_add(db, list, &a, NULL, &e), 1);
	assert_int_equal(shortlist_add(db, list, &b, NULL, &e), 1);
	assert_int_equal(shortlist_add(db, list, &c, NULL, &e), 1);
}

static void expect_order(sqlite3 *db, const char *list, const int64_t *ids, int n)
{
	shortlist_item *items;
	souk_err e;
	int got, i;

	assert_int_equal(shortlist_load(db, list, &items, &got, &e), 0);
	assert_int_equal(got, n);
	for (i = 0; i < n; i++) {
		assert_int_equal(items[i].product_id, ids[i]);
		assert_int_equal(items[i].position, i);
	}
	shortlist_items_free(items, got);
}

static void test_schema_and_reopen(void **state)
{
	sqlite3 *db = fresh_db(), *again;
	sqlite3_stmt *st;
	souk_err e;
	FILE *f;
	char *junk;

	(void)state;
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), USERDB_SCHEMA_VERSION);
	sqlite3_finalize(st);
	add_three(db, "paddles");
	userdb_close(db);
	/* reopening migrates nothing and keeps the data */
	assert_int_equal(userdb_open(dbpath, &again, &e), 0);
	assert_true(shortlist_exists(again, "paddles"));
	/* a database from a newer souk is refused, not damaged */
	assert_int_equal(sqlite3_exec(again, "PRAGMA user_version = 99", NULL, NULL, NULL),
	                 SQLITE_OK);
	userdb_close(again);
	assert_int_equal(userdb_open(dbpath, &again, &e), -1);
	assert_null(again);
	assert_non_null(strstr(e.msg, "newer souk"));
	/* a file that is not a database says so */
	junk = xasprintf("%s/junk.db", dir);
	f = fopen(junk, "w");
	fputs("this is not sqlite, just some text that is long enough to look like a header....",
	      f);
	fclose(f);
	assert_int_equal(userdb_open(junk, &again, &e), -1);
	assert_non_null(strstr(e.msg, "not a souk user database"));
	free(junk);
}

static void test_statuses_and_names(void **state)
{
	souk_err e;

	(void)state;
	assert_int_equal(shortlist_status_parse("ask supplier"), SL_ASK_SUPPLIER);
	assert_int_equal(shortlist_status_parse("sample-ordered"), SL_SAMPLE_ORDERED);
	assert_int_equal(shortlist_status_parse("REJECTED"), SL_REJECTED);
	assert_int_equal(shortlist_status_parse("maybe"), -1);
	assert_string_equal(shortlist_status_name(SL_SAMPLE_ORDERED), "sample ordered");
	assert_int_equal(shortlist_name_check("Q3 paddles \xe7\x90\x83", &e), 0);
	assert_int_equal(shortlist_name_check("", &e), -1);
	assert_int_equal(shortlist_name_check(" lead", &e), -1);
	assert_int_equal(shortlist_name_check("esc\x1b[31m", &e), -1);
	assert_int_equal(shortlist_name_check("bad\xff", &e), -1);
	assert_int_equal(
	        shortlist_name_check("0123456789012345678901234567890123456789012345678901234567890"
	                             "12345678901234567890",
	                             &e),
	        -1);
}

static void test_items(void **state)
{
	sqlite3 *db = fresh_db();
	match_row dup = make_row(2, "changed name", 1);
	shortlist_item *items;
	shortlist_info *lists;
	souk_err e;
	int n;

	(void)state;
	add_three(db, "paddles");
	/* adding again keeps the first snapshot and the order */
	assert_int_equal(shortlist_add(db, "paddles", &dup, NULL, &e), 0);
	expect_order(db, "paddles", (int64_t[]){1, 2, 3}, 3);
	assert_int_equal(shortlist_load(db, "paddles", &items, &n, &e), 0);
	assert_string_equal(items[1].row.supplier, "Paddle \"Pro\", Ltd \xf0\x9f\x8f\x93");
	assert_int_equal(items[1].status, SL_SHORTLISTED);
	assert_string_equal(items[1].note, "");
	assert_true(items[1].added > 0);
	shortlist_items_free(items, n);

	/* reorder: last to first, then first to the end, then to the middle */
	assert_int_equal(shortlist_move(db, "paddles", 3, 0, &e), 0);
	expect_order(db, "paddles", (int64_t[]){3, 1, 2}, 3);
	assert_int_equal(shortlist_move(db, "paddles", 3, 99, &e), 0);
	expect_order(db, "paddles", (int64_t[]){1, 2, 3}, 3);
	assert_int_equal(shortlist_move(db, "paddles", 1, 1, &e), 0);
	expect_order(db, "paddles", (int64_t[]){2, 1, 3}, 3);
	assert_int_equal(shortlist_move(db, "paddles", 3, 1, &e), 0);
	expect_order(db, "paddles", (int64_t[]){2, 3, 1}, 3);
	assert_int_equal(shortlist_move(db, "paddles", 42, 0, &e), -1);

	/* annotate and decide */
	assert_int_equal(
	        shortlist_annotate(db, "paddles", 3, "asked for, \"samples\"\n\xe2\x9c\x93", &e),
	        0);
	assert_int_equal(shortlist_set_status(db, "paddles", 3, SL_SAMPLE_ORDERED, &e), 0);
	assert_int_equal(shortlist_set_status(db, "paddles", 3, 17, &e), -1);
	assert_int_equal(shortlist_annotate(db, "paddles", 42, "x", &e), -1);
	assert_int_equal(shortlist_load(db, "paddles", &items, &n, &e), 0);
	assert_string_equal(items[1].note, "asked for, \"samples\"\n\xe2\x9c\x93");
	assert_int_equal(items[1].status, SL_SAMPLE_ORDERED);
	assert_int_equal(items[0].status, SL_SHORTLISTED);
	shortlist_items_free(items, n);

	/* remove keeps positions contiguous */
	assert_int_equal(shortlist_remove(db, "paddles", 3, &e), 1);
	assert_int_equal(shortlist_remove(db, "paddles", 3, &e), 0);
	expect_order(db, "paddles", (int64_t[]){2, 1}, 2);

	assert_int_equal(shortlist_load(db, "nope", &items, &n, &e), -1);
	assert_non_null(strstr(e.msg, "no shortlist named 'nope'"));

	add_three(db, "other");
	assert_int_equal(shortlist_list(db, &lists, &n, &e), 0);
	assert_int_equal(n, 2);
	assert_true((strcmp(lists[0].name, "paddles") == 0 && lists[0].nitems == 2) ||
	            (strcmp(lists[1].name, "paddles") == 0 && lists[1].nitems == 2));
	shortlist_infos_free(lists, n);
	assert_int_equal(shortlist_delete(db, "other", &e), 0);
	assert_false(shortlist_exists(db, "other"));
	userdb_close(db);
}

static void test_current_switch_rename(void **state)
{
	sqlite3 *db = fresh_db();
	souk_err e;
	char *cur;

	(void)state;
	cur = shortlist_current(db);
	assert_string_equal(cur, SHORTLIST_DEFAULT);
	free(cur);
	assert_int_equal(shortlist_switch(db, "Q3 paddles", &e), 0);
	assert_true(shortlist_exists(db, "Q3 paddles"));
	cur = shortlist_current(db);
	assert_string_equal(cur, "Q3 paddles");
	free(cur);
	add_three(db, "Q3 paddles");
	assert_int_equal(shortlist_ensure(db, "taken", &e), 1);
	assert_int_equal(shortlist_rename(db, "Q3 paddles", "TAKEN", &e), -1);
	assert_non_null(strstr(e.msg, "already exists"));
	assert_int_equal(shortlist_rename(db, "Q3 paddles", "final \xe2\x9c\x93", &e), 0);
	cur = shortlist_current(db);
	assert_string_equal(cur, "final \xe2\x9c\x93"); /* the current list follows its rename */
	free(cur);
	expect_order(db, "final \xe2\x9c\x93", (int64_t[]){1, 2, 3}, 3);
	assert_int_equal(shortlist_switch(db, "bad\x07", &e), -1);
	/* deleting the current list makes the most recent other list current */
	assert_int_equal(shortlist_delete(db, "FINAL \xe2\x9c\x93", &e), 0);
	cur = shortlist_current(db);
	assert_string_equal(cur, "taken");
	free(cur);
	assert_int_equal(shortlist_delete(db, "taken", &e), 0);
	cur = shortlist_current(db);
	assert_string_equal(cur, SHORTLIST_DEFAULT);
	free(cur);
	assert_false(shortlist_exists(db, SHORTLIST_DEFAULT)); /* not recreated by the delete */
	userdb_close(db);
}

static void test_snapshot_round_trip(void **state)
{
	match_row r = make_row(77, "\xe4\xbd\xb3\xe5\x93\x81 \"Q\", \xf0\x9f\x8f\x93", 0.0045), b;
	souk_filter f;
	char cur[4], *js;
	double qty;
	souk_err e;

	(void)state;
	filter_init(&f);
	f.quantity = 500;
	strcpy(f.currency, "EUR");
	r.next_break_qty = 1000;
	r.next_break_price = 0.004;
	r.highlights = (char *)"lightest; USAPA approved";
	js = shortlist_row_to_json(&r, &f);
	assert_int_equal(shortlist_row_from_json(js, &b, &qty, cur, &e), 0);
	assert_int_equal(b.product_id, 77);
	assert_int_equal(b.supplier_id, 177);
	assert_string_equal(b.supplier, r.supplier);
	assert_string_equal(b.highlights, r.highlights);
	assert_null(b.city);
	assert_true(b.price == r.price);
	assert_true(b.next_break_price == r.next_break_price);
	assert_int_equal(b.next_break_qty, 1000);
	assert_int_equal(b.moq, 300);
	assert_string_equal(b.currency_orig, "CNY");
	assert_int_equal(b.verified, 1);
	assert_true(qty == 500);
	assert_string_equal(cur, "EUR");
	match_row_free(&b);
	free(js);
	filter_free(&f);
	/* hostile snapshots: wrong types and huge numbers do not crash */
	assert_int_equal(
	        shortlist_row_from_json("{\"moq\": 1e300, \"supplier\": 5, \"product_id\": "
	                                "-3, \"currency_orig\": \"\\u001b[31m\"}",
	                                &b, &qty, cur, &e),
	        0);
	assert_null(b.supplier);
	assert_int_equal(b.product_id, 0);
	assert_true(b.moq > 0);
	assert_string_equal(b.currency_orig, "");
	match_row_free(&b);
	assert_int_equal(shortlist_row_from_json("[1,2]", &b, NULL, NULL, &e), -1);
}

/* A catalog with the HACKING.md tables the comparison reads. */
static sqlite3 *tiny_catalog(void)
{
	sqlite3 *cat;

	assert_int_equal(sqlite3_open(":memory:", &cat), SQLITE_OK);
	assert_int_equal(
	        sqlite3_exec(cat,
	                     "CREATE TABLE suppliers(id INTEGER PRIMARY KEY, name TEXT NOT NULL);"
	                     "CREATE TABLE products(id INTEGER PRIMARY KEY, supplier_id INTEGER, "
	                     "title TEXT, moq INTEGER, lead_time_days INTEGER, currency TEXT);"
	                     "CREATE TABLE price_tiers(product_id INTEGER, min_qty INTEGER, price "
	                     "REAL, PRIMARY KEY(product_id, min_qty));"
	                     /* 1: unchanged; 2: cheaper at 500 and lower MOQ; 3: gone;
	                      * 4: the id now names another supplier's offer */
	                     "INSERT INTO suppliers VALUES (101, 'A'), (102, 'B'), (104, 'Other');"
	                     "INSERT INTO products VALUES (1, 101, 'p', 300, 30, 'CNY'),"
	                     " (2, 102, 'p', 100, 30, 'CNY'), (4, 104, 'p', 300, 30, 'CNY');"
	                     "INSERT INTO price_tiers VALUES (1, 100, 60), (1, 500, 52.5),"
	                     " (2, 100, 45), (2, 500, 40), (2, 1000, 30), (4, 1, 1);",
	                     NULL, NULL, NULL),
	        SQLITE_OK);
	return cat;
}

static void test_compare(void **state)
{
	sqlite3 *db = fresh_db(), *cat = tiny_catalog();
	match_row rows[4] = {make_row(1, "A", 7.5), make_row(2, "B", 6.25), make_row(3, "C", 9),
	                     make_row(4, "D", 1)};
	shortlist_item *items;
	souk_filter f;
	souk_err e;
	int n, i;

	(void)state;
	filter_init(&f);
	f.quantity = 500;
	for (i = 0; i < 4; i++)
		assert_int_equal(shortlist_add(db, "x", &rows[i], &f, &e), 1);
	assert_int_equal(shortlist_load(db, "x", &items, &n, &e), 0);
	assert_int_equal(shortlist_compare(cat, items, n, &e), 0);
	/* 1: 52.5 CNY at 500 = 7.5 * 7: unchanged */
	assert_null(items[0].changes);
	assert_int_equal(items[0].gone, 0);
	assert_non_null(items[1].changes);
	assert_non_null(strstr(items[1].changes, "MOQ 300 \xe2\x86\x92 100"));
	assert_non_null(strstr(items[1].changes, "price 43.75 \xe2\x86\x92 40.00 CNY"));
	assert_int_equal(items[2].gone, 1);
	assert_int_equal(items[3].gone, 1);
	shortlist_items_free(items, n);
	filter_free(&f);
	sqlite3_close(cat);
	userdb_close(db);
}

static void test_export(void **state)
{
	sqlite3 *db = fresh_db();
	char *path = xasprintf("%s/out.csv", dir), *csv;
	souk_err e;

	(void)state;
	add_three(db, "paddles");
	assert_int_equal(shortlist_annotate(db, "paddles", 2, "call Tuesday", &e), 0);
	assert_int_equal(shortlist_set_status(db, "paddles", 2, SL_ASK_SUPPLIER, &e), 0);
	assert_int_equal(shortlist_export(db, "paddles", path, EXPORT_CSV, 0, NULL, &e), 0);
	csv = util_read_file(path, 1 << 20, NULL, &e);
	assert_non_null(csv);
	assert_non_null(strstr(csv, "\"Paddle \"\"Pro\"\", Ltd \xf0\x9f\x8f\x93\""));
	assert_non_null(strstr(csv, "call Tuesday,ask supplier"));
	assert_non_null(strstr(csv, ",shortlisted,"));
	free(csv);
	assert_int_equal(shortlist_export(db, "paddles", path, EXPORT_CSV, 0, NULL, &e), -1);
	assert_non_null(strstr(e.msg, "already exists"));
	assert_int_equal(shortlist_export(db, "missing", path, EXPORT_MD, 1, NULL, &e), -1);
	assert_non_null(strstr(e.msg, "no shortlist named"));
	unlink(path);
	free(path);
	userdb_close(db);
}

/* The search a list came from travels with it into every export. */
static void test_context(void **state)
{
	sqlite3 *db = fresh_db();
	souk_filter f;
	char *md, *json;
	souk_err e;

	(void)state;
	add_three(db, "paddles");
	md = shortlist_render(db, "paddles", EXPORT_MD, &e);
	assert_non_null(md);
	assert_non_null(strstr(md, "# Shortlist paddles\n")); /* no search recorded yet */
	free(md);
	filter_init(&f);
	strlist_add(&f.keywords, "pickleball");
	strlist_add(&f.keywords, "paddle");
	f.market = xstrdup("US");
	f.moq_max = 500;
	assert_int_equal(
	        shortlist_set_context(db, "paddles", &f,
	                              "[{\"role\":\"user\",\"text\":\"paddles for the US\"}]", &e),
	        0);
	md = shortlist_render(db, "paddles", EXPORT_MD, &e);
	assert_non_null(strstr(md, "# pickleball paddle (shortlist paddles)\n"));
	assert_non_null(strstr(md, "Filters: moq max 500; market US."));
	free(md);
	json = shortlist_render(db, "paddles", EXPORT_JSON, &e);
	assert_non_null(strstr(json, "paddles for the US"));
	assert_non_null(strstr(json, "\"market\":\t\"US\""));
	free(json);
	/* a NULL part keeps what was recorded */
	assert_int_equal(shortlist_set_context(db, "paddles", NULL, NULL, &e), 0);
	json = shortlist_render(db, "paddles", EXPORT_JSON, &e);
	assert_non_null(strstr(json, "paddles for the US"));
	free(json);
	filter_free(&f);
	userdb_close(db);
}

/* A user database from before shortlists kept their search (schema 1)
 * is migrated in place, through every later step, and keeps its lists. */
static void test_migrate_from_1(void **state)
{
	sqlite3 *db = fresh_db(), *again;
	souk_err e;
	char *md;

	(void)state;
	add_three(db, "paddles");
	assert_int_equal(sqlite3_exec(db,
	                              "ALTER TABLE shortlists DROP COLUMN filter;"
	                              "ALTER TABLE shortlists DROP COLUMN transcript;"
	                              "ALTER TABLE sessions DROP COLUMN sort_column;"
	                              "DROP INDEX sessions_catalog;"
	                              "ALTER TABLE sessions DROP COLUMN catalog;"
	                              "ALTER TABLE sessions DROP COLUMN similar;"
	                              "PRAGMA user_version = 1;",
	                              NULL, NULL, NULL),
	                 SQLITE_OK);
	userdb_close(db);
	assert_int_equal(userdb_open(dbpath, &again, &e), 0);
	md = shortlist_render(again, "paddles", EXPORT_MD, &e);
	assert_non_null(md);
	assert_non_null(strstr(md, "3 offers"));
	free(md);
	userdb_close(again);
}

/* Re-opening a JSON export: all or nothing, statuses checked, hostile input refused. */
static void test_import_json(void **state)
{
	sqlite3 *db = fresh_db();
	shortlist_item *items;
	souk_err e;
	int added, n;

	(void)state;
	assert_int_equal(shortlist_import_json(
	                         db, NULL,
	                         "{\"title\": \"from file\", \"filters\": {\"quantity\": 300, "
	                         "\"currency\": \"EUR\"}, \"offers\": [{\"product_id\": 7, "
	                         "\"supplier\": \"\u6df1\u5733 A\", \"certifications\": [\"CE\", "
	                         "\"RoHS\"], \"next_break\": {\"min_qty\": 1000, \"price\": 2}, "
	                         "\"note\": \"n1\", \"status\": \"sample ordered\"}, "
	                         "{\"product_id\": 8, \"supplier\": \"B\"}]}",
	                         &added, &e),
	                 0);
	assert_int_equal(added, 2);
	assert_int_equal(shortlist_load(db, "from file", &items, &n, &e), 0);
	assert_int_equal(n, 2);
	assert_string_equal(items[0].row.supplier, "\xe6\xb7\xb1\xe5\x9c\xb3 A");
	assert_string_equal(items[0].row.certs, "CE, RoHS");
	assert_int_equal(items[0].row.next_break_qty, 1000);
	assert_string_equal(items[0].note, "n1");
	assert_int_equal(items[0].status, SL_SAMPLE_ORDERED);
	assert_int_equal(items[1].status, SL_SHORTLISTED);
	assert_true(items[0].quantity == 300);
	assert_string_equal(items[0].currency, "EUR");
	shortlist_items_free(items, n);

	/* a bad offer in the middle: nothing of that file is kept */
	assert_int_equal(
	        shortlist_import_json(db, "half",
	                              "{\"offers\": [{\"product_id\": 1}, {\"product_id\": "
	                              "2, \"status\": \"maybe\"}]}",
	                              &added, &e),
	        -1);
	assert_non_null(strstr(e.msg, "unknown status 'maybe'"));
	assert_int_equal(added, 0);
	assert_false(shortlist_exists(db, "half"));
	assert_int_equal(shortlist_import_json(db, "x", "{\"offers\": [{\"supplier\": \"no id\"}]}",
	                                       &added, &e),
	                 -1);
	assert_non_null(strstr(e.msg, "product_id"));
	assert_int_equal(shortlist_import_json(db, "x", "[1, 2]", &added, &e), -1);
	assert_int_equal(shortlist_import_json(db, "x", "{\"offers\": {}}", &added, &e), -1);
	assert_int_equal(shortlist_import_json(db, "x", "not json", &added, &e), -1);
	/* a byte-order mark before it is skipped, as souk import does */
	assert_int_equal(shortlist_import_json(db, "with bom",
	                                       "\xef\xbb\xbf{\"offers\": [{\"product_id\": 9}]}",
	                                       &added, &e),
	                 0);
	assert_int_equal(added, 1);
	/* the whole input is one JSON value: an export followed by a proxy's
	 * page, or by a second export, is refused */
	assert_int_equal(shortlist_import_json(
	                         db, "x", "{\"offers\": [{\"product_id\": 1}]}\n<html>error</html>",
	                         &added, &e),
	                 -1);
	assert_non_null(strstr(e.msg, "line 2: text follows the JSON value"));
	assert_int_equal(
	        shortlist_import_json(db, "x", "{\"offers\": []}{\"offers\": []}", &added, &e), -1);
	assert_int_equal(shortlist_import_json(db, "x",
	                                       "{\"offers\": [], \"filters\": {\"bogus\": 1}}",
	                                       &added, &e),
	                 -1);
	assert_int_equal(shortlist_import_json(db, "bad\x1b", "{\"offers\": []}", &added, &e), -1);
	assert_false(shortlist_exists(db, "x"));
	userdb_close(db);
}

/* An export written before the one offer form ("product", "price_orig",
 * no "title") imports, and exporting it again writes the one form. */
static void test_import_old_export(void **state)
{
	sqlite3 *db = fresh_db();
	shortlist_item *items;
	souk_err e;
	char *js;
	int added, n;

	(void)state;
	assert_int_equal(
	        shortlist_import_json(
	                db, "old",
	                "{\"souk_export\": 1, \"offers\": [{\"rank\": 1, \"product_id\": 9, "
	                "\"supplier\": \"S\", \"product\": \"Old paddle\", \"price\": 7.5, "
	                "\"price_orig\": 52.5, \"currency_orig\": \"CNY\", "
	                "\"lead_time_days\": 25, \"landed_cost\": 9.1, "
	                "\"reasons\": \"cheap; fast\"}]}",
	                &added, &e),
	        0);
	assert_int_equal(added, 1);
	assert_int_equal(shortlist_load(db, "old", &items, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_string_equal(items[0].row.title, "Old paddle");
	assert_true(items[0].row.price_orig == 52.5);
	assert_int_equal(items[0].row.lead_days, 25);
	assert_true(items[0].row.landed == 9.1);
	assert_string_equal(items[0].row.reasons, "cheap; fast");
	shortlist_items_free(items, n);
	js = shortlist_render(db, "old", EXPORT_JSON, &e);
	assert_non_null(js);
	assert_non_null(strstr(js, "\"title\":\t\"Old paddle\""));
	assert_null(strstr(js, "\"product\":"));
	free(js);
	userdb_close(db);
}

/* Offers exported from the grid carry the notes and statuses the current
 * list has for them, in every format, as the list's own export does. */
static void test_export_rows_notes(void **state)
{
	sqlite3 *db = fresh_db();
	match_row rows[4] = {make_row(1, "A", 7.5), make_row(2, "B", 6.25), make_row(3, "C", 9),
	                     make_row(9, "Not listed", 3)};
	export_doc d;
	char *path = xasprintf("%s/grid.csv", dir), *mdpath = xasprintf("%s/grid.md", dir);
	char *jpath = xasprintf("%s/grid.json", dir), *s;
	cJSON *root, *o;
	souk_err e;

	(void)state;
	add_three(db, "other");
	add_three(db, SHORTLIST_DEFAULT);
	assert_int_equal(shortlist_annotate(db, SHORTLIST_DEFAULT, 2, "call Tuesday", &e), 0);
	assert_int_equal(shortlist_set_status(db, SHORTLIST_DEFAULT, 2, SL_ASK_SUPPLIER, &e), 0);
	assert_int_equal(shortlist_annotate(db, "other", 3, "not this list's", &e), 0);
	userdb_close(db);
	memset(&d, 0, sizeof d);
	d.rows = rows + 1; /* 2, 3, 9 */
	d.nrows = 3;
	assert_int_equal(shortlist_export_rows(dbpath, path, EXPORT_CSV, &d, 0, &e), 0);
	s = util_read_file(path, 1 << 20, NULL, &e);
	assert_non_null(strstr(s, "call Tuesday,ask supplier,2\r\n"));
	assert_non_null(strstr(s, ",shortlisted,3\r\n")); /* on the list, no note */
	assert_non_null(strstr(s, ",,,9\r\n"));           /* not on the list */
	assert_null(strstr(s, "not this list's"));
	free(s);
	assert_int_equal(shortlist_export_rows(dbpath, jpath, EXPORT_JSON, &d, 0, &e), 0);
	s = util_read_file(jpath, 1 << 20, NULL, &e);
	root = cJSON_Parse(s);
	assert_non_null(root);
	o = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "offers"), 0);
	assert_string_equal(cJSON_GetObjectItem(o, "note")->valuestring, "call Tuesday");
	assert_string_equal(cJSON_GetObjectItem(o, "status")->valuestring, "ask supplier");
	cJSON_Delete(root);
	free(s);
	assert_int_equal(shortlist_export_rows(dbpath, mdpath, EXPORT_MD, &d, 0, &e), 0);
	s = util_read_file(mdpath, 1 << 20, NULL, &e);
	assert_non_null(strstr(s, "| Note | Status |"));
	assert_non_null(strstr(s, "| call Tuesday | ask supplier |"));
	free(s);
	/* no user DB at all: the rows, without notes */
	assert_int_equal(shortlist_export_rows("/nonexistent/souk.db", path, EXPORT_CSV, &d, 1, &e),
	                 0);
	unlink(path);
	unlink(jpath);
	unlink(mdpath);
	free(path);
	free(jpath);
	free(mdpath);
}

static void count_progress(long done, long total, void *arg)
{
	long *calls = arg;

	assert_true(done <= total);
	calls[0]++;
	calls[1] = done;
}

/* All matches, not the rows a grid loaded: page after page of match_run,
 * each offer once, in rank order, notes and statuses from the list. */
static void test_export_all(void **state)
{
	const char *assets = getenv("SOUK_ASSETS") ? getenv("SOUK_ASSETS") : "assets";
	char *cat = xasprintf("%s/cat.db", dir), *path = xasprintf("%s/all.csv", dir);
	char *jpath = xasprintf("%s/all.json", dir), *s, *line, *save = NULL;
	sqlite3 *db = fresh_db();
	match_ctx *m;
	match_opts o;
	match_result one;
	export_all_opts ao;
	export_doc head;
	souk_filter f;
	souk_err e;
	long calls[2] = {0, 0}, written, total, nlines = 0;
	int64_t noted;
	cJSON *root, *offers, *it;
	int i, seen_note = 0;

	(void)state;
	assert_int_equal(catalog_build_demo(cat, assets, 2500, 1, NULL, NULL, &e), 0);
	m = match_open(cat, test_ref(), &e);
	assert_non_null(m);
	filter_init(&f);
	match_opts_init(&o);
	o.offset = 1500; /* past the first page */
	o.limit = 1;
	assert_int_equal(match_run(m, &f, &o, &one, &e), 0);
	total = one.total;
	assert_true(total > 2000); /* more than two pages */
	noted = one.rows[0].product_id;
	assert_int_equal(shortlist_add(db, SHORTLIST_DEFAULT, &one.rows[0], &f, &e), 1);
	assert_int_equal(shortlist_annotate(db, SHORTLIST_DEFAULT, noted, "call Tuesday", &e), 0);
	match_result_free(&one);
	userdb_close(db);

	memset(&head, 0, sizeof head);
	head.title = "everything";
	head.filter = &f;
	match_opts_init(&o);
	memset(&ao, 0, sizeof ao);
	ao.userdb = dbpath;
	ao.sort = &o;
	ao.progress = count_progress;
	ao.progress_arg = calls;
	assert_int_equal(shortlist_export_all(m, &f, &head, path, EXPORT_CSV, 0, &ao, &written, &e),
	                 0);
	assert_int_equal(written, total);
	assert_true(calls[0] >= 3); /* a word after each page */
	assert_int_equal(calls[1], total);
	s = util_read_file(path, (size_t)1 << 28, NULL, &e);
	for (line = strtok_r(s, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char want[32];

		if (nlines > 0) { /* the rank is the first cell: 1, 2, 3... */
			snprintf(want, sizeof want, "%ld,", nlines);
			assert_memory_equal(line, want, strlen(want));
		}
		if (strstr(line, "call Tuesday,shortlisted,")) {
			assert_memory_equal(line, "1501,", 5);
			seen_note = 1;
		}
		nlines++;
	}
	assert_int_equal(nlines, total + 1);
	assert_true(seen_note);
	free(s);

	/* JSON: each product once */
	ao.progress = NULL;
	assert_int_equal(
	        shortlist_export_all(m, &f, &head, jpath, EXPORT_JSON, 0, &ao, &written, &e), 0);
	s = util_read_file(jpath, (size_t)1 << 28, NULL, &e);
	root = cJSON_Parse(s);
	assert_non_null(root);
	offers = cJSON_GetObjectItem(root, "offers");
	assert_int_equal(cJSON_GetArraySize(offers), total);
	{
		int64_t *ids = xcalloc((size_t)total, sizeof *ids);

		i = 0;
		cJSON_ArrayForEach(it, offers) ids[i++] =
		        (int64_t)cJSON_GetObjectItem(it, "product_id")->valuedouble;
		for (i = 1; i < total; i++)
			for (long k = 0; k < i; k++)
				assert_true(ids[k] != ids[i]);
		free(ids);
	}
	cJSON_Delete(root);
	free(s);
	/* an existing file is refused before any work */
	assert_int_equal(shortlist_export_all(m, &f, &head, path, EXPORT_CSV, 0, &ao, &written, &e),
	                 -1);
	assert_non_null(strstr(e.msg, "already exists"));
	filter_free(&f);
	match_close(m);
	catalog_remove(cat);
	unlink(path);
	unlink(jpath);
	free(cat);
	free(path);
	free(jpath);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_schema_and_reopen),
	        cmocka_unit_test(test_statuses_and_names),
	        cmocka_unit_test(test_items),
	        cmocka_unit_test(test_current_switch_rename),
	        cmocka_unit_test(test_snapshot_round_trip),
	        cmocka_unit_test(test_compare),
	        cmocka_unit_test(test_export),
	        cmocka_unit_test(test_context),
	        cmocka_unit_test(test_migrate_from_1),
	        cmocka_unit_test(test_import_json),
	        cmocka_unit_test(test_import_old_export),
	        cmocka_unit_test(test_export_rows_notes),
	        cmocka_unit_test(test_export_all),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
