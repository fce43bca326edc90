/* Unit tests for core/session: save, resume, list, switch, marks, and resume after kill -9. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <cJSON.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "catalog.h"
#include "session.h"
#include "shortlist.h"
#include "userdb.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/souk-test-session-XXXXXX");
	assert_non_null(mkdtemp(dir));
	return 0;
}

static int teardown(void **state)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);

	(void)state;
	assert_int_equal(system(cmd), 0);
	free(cmd);
	return 0;
}

static sqlite3 *open_db(const char *name)
{
	char *path = xasprintf("%s/%s", dir, name);
	sqlite3 *db;
	souk_err e;

	assert_int_equal(userdb_open(path, &db, &e), 0);
	free(path);
	return db;
}

static void test_save_and_resume(void **state)
{
	sqlite3 *db = open_db("a.db");
	session_state s, back;
	souk_err e;

	(void)state;
	session_state_init(&s);
	assert_int_equal(session_load_last(db, &back, &e), 0); /* nothing yet */
	s.transcript_json =
	        xstrdup("[{\"role\":\"user\",\"text\":\"/help\"},"
	                "{\"role\":\"user\",\"text\":\"pickleball paddles \xe7\x90\x83\"},"
	                "{\"role\":\"souk\",\"text\":\"41 offers\"}]");
	s.filter_json = xstrdup("{\"keywords\":[\"pickleball\"]}");
	s.sort = MATCH_SORT_PRICE;
	s.descending = 1;
	assert_int_equal(session_save(db, &s, &e), 0);
	assert_true(s.id > 0);
	/* the title is the first thing asked, not a command */
	assert_string_equal(s.title, "pickleball paddles \xe7\x90\x83");
	userdb_close(db);

	db = open_db("a.db"); /* a restart */
	assert_int_equal(session_load_last(db, &back, &e), 1);
	assert_int_equal(back.id, s.id);
	assert_string_equal(back.transcript_json, s.transcript_json);
	assert_string_equal(back.filter_json, s.filter_json);
	assert_string_equal(back.marks_json, "[]");
	assert_int_equal(back.sort, MATCH_SORT_PRICE);
	assert_int_equal(back.descending, 1);
	session_state_free(&back);

	/* updating keeps the id */
	free(s.filter_json);
	s.filter_json = xstrdup("{\"keywords\":[\"pickleball\"],\"quantity\":500}");
	assert_int_equal(session_save(db, &s, &e), 0);
	assert_int_equal(session_load(db, s.id, &back, &e), 0);
	assert_string_equal(back.filter_json, s.filter_json);
	session_state_free(&back);
	assert_int_equal(session_load(db, 9999, &back, &e), -1);
	session_state_free(&s);
	userdb_close(db);
}

static void test_list_switch_delete(void **state)
{
	sqlite3 *db = open_db("b.db");
	session_state a, b, back, *list;
	souk_err e;
	int n;

	(void)state;
	session_state_init(&a);
	session_state_init(&b);
	a.transcript_json = xstrdup("[{\"role\":\"user\",\"text\":\"first idea\"}]");
	b.transcript_json = xstrdup("[{\"role\":\"user\",\"text\":\"second idea\"}]");
	assert_int_equal(session_save(db, &a, &e), 0);
	assert_int_equal(session_save(db, &b, &e), 0);
	assert_true(a.id != b.id);
	assert_int_equal(session_list(db, &list, &n, &e), 0);
	assert_int_equal(n, 2);
	assert_string_equal(list[0].title, "second idea"); /* latest first */
	assert_null(list[0].transcript_json);              /* a list is light */
	session_list_free(list, n);
	/* switching makes the older one the session to resume */
	assert_int_equal(session_set_current(db, a.id, &e), 0);
	assert_int_equal(session_load_last(db, &back, &e), 1);
	assert_int_equal(back.id, a.id);
	session_state_free(&back);
	/* deleting the current one falls back to the latest */
	assert_int_equal(session_delete(db, a.id, &e), 0);
	assert_int_equal(session_load_last(db, &back, &e), 1);
	assert_int_equal(back.id, b.id);
	session_state_free(&back);
	/* saving a session deleted meanwhile saves it afresh */
	assert_int_equal(session_save(db, &a, &e), 0);
	assert_true(a.id > b.id);
	session_state_free(&a);
	session_state_free(&b);
	userdb_close(db);
}

static void test_marks(void **state)
{
	match_row rows[2], *back;
	souk_filter f;
	souk_err e;
	char *js;
	int n;

	(void)state;
	memset(rows, 0, sizeof rows);
	rows[0].product_id = 5;
	rows[0].supplier = (char *)"\xe6\xb7\xb1\xe5\x9c\xb3 \"Co\"";
	rows[0].price = 7.25;
	rows[1].product_id = 9;
	rows[1].title = (char *)"emoji \xf0\x9f\x8f\x93";
	filter_init(&f);
	js = session_marks_to_json(rows, 2, &f);
	assert_int_equal(session_marks_from_json(js, &back, &n, &e), 0);
	assert_int_equal(n, 2);
	assert_int_equal(back[0].product_id, 5);
	assert_string_equal(back[0].supplier, rows[0].supplier);
	assert_true(back[0].price == 7.25);
	assert_string_equal(back[1].title, rows[1].title);
	match_row_free(&back[0]);
	match_row_free(&back[1]);
	free(back);
	free(js);
	filter_free(&f);
	/* entries without a product are dropped; junk is an error */
	assert_int_equal(session_marks_from_json("[{\"title\":\"x\"}, 3]", &back, &n, &e), 0);
	assert_int_equal(n, 0);
	free(back);
	assert_int_equal(session_marks_from_json("{", &back, &n, &e), -1);
}

/* A child saves a session after every "turn" and reports each save on a
 * pipe; it is killed with SIGKILL mid-stream. Every acknowledged save must
 * be there afterwards, whole: transcript and filter from the same turn. */
static void test_resume_after_kill9(void **state)
{
	int fds[2], status;
	long acked = 0, k;
	pid_t pid;
	sqlite3 *db;
	session_state back;
	souk_err e;
	cJSON *tr, *f;
	char *path = xasprintf("%s/k.db", dir);

	(void)state;
	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		session_state s;

		close(fds[0]);
		if (userdb_open(path, &db, &e) < 0)
			_exit(2);
		session_state_init(&s);
		for (k = 1;; k++) {
			free(s.transcript_json);
			free(s.filter_json);
			s.transcript_json =
			        xasprintf("[{\"role\":\"user\",\"text\":\"turn %ld\"}]", k);
			s.filter_json = xasprintf("{\"quantity\":%ld}", k);
			if (session_save(db, &s, &e) < 0)
				_exit(3);
			if (write(fds[1], &k, sizeof k) != sizeof k)
				_exit(4);
		}
	}
	close(fds[1]);
	while (acked < 300 && read(fds[0], &k, sizeof k) == sizeof k)
		acked = k;
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	close(fds[0]);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(acked, 300);

	assert_int_equal(userdb_open(path, &db, &e), 0);
	assert_int_equal(session_load_last(db, &back, &e), 1);
	tr = cJSON_Parse(back.transcript_json);
	f = cJSON_Parse(back.filter_json);
	assert_non_null(tr);
	assert_non_null(f);
	k = (long)cJSON_GetObjectItem(f, "quantity")->valuedouble;
	assert_true(k >= acked);
	{
		char want[32];

		snprintf(want, sizeof want, "turn %ld", k);
		assert_string_equal(
		        cJSON_GetObjectItem(cJSON_GetArrayItem(tr, 0), "text")->valuestring, want);
	}
	cJSON_Delete(tr);
	cJSON_Delete(f);
	session_state_free(&back);
	userdb_close(db);
	free(path);
}

static void expect_list(sqlite3 *db, const char *name, const int64_t *ids, int n)
{
	shortlist_item *items;
	souk_err e;
	int got, i;

	assert_int_equal(shortlist_load(db, name, &items, &got, &e), 0);
	assert_int_equal(got, n);
	for (i = 0; i < n; i++)
		assert_int_equal(items[i].product_id, ids[i]);
	shortlist_items_free(items, got);
}

/* The dashboard's per-change call: marks flow into the current shortlist,
 * --new starts a second session, resuming gives the last state back. */
static void test_record_and_marks_to_shortlist(void **state)
{
	sqlite3 *db = open_db("r.db");
	match_row rows[4];
	session_input in = {0};
	session_state back, *list;
	shortlist_item *items;
	souk_filter f;
	souk_err e;
	int i, n;
	int64_t first;

	(void)state;
	memset(rows, 0, sizeof rows);
	for (i = 0; i < 4; i++) {
		rows[i].product_id = i + 1;
		rows[i].supplier = (char *)"S";
		rows[i].price = 2 + i;
	}
	filter_init(&f);
	f.quantity = 500;
	assert_int_equal(session_begin(db, 0, &back, &e), 0); /* nothing to resume */
	in.transcript_json = "[{\"role\":\"user\",\"text\":\"paddles\"}]";
	in.filter = &f;
	in.marks = rows;
	in.nmarks = 2; /* 1, 2 */
	in.sort = MATCH_SORT_LEAD;
	assert_int_equal(session_record(db, &in, &e), 0);
	expect_list(db, SHORTLIST_DEFAULT, (int64_t[]){1, 2}, 2);
	assert_int_equal(shortlist_annotate(db, SHORTLIST_DEFAULT, 2, "call them", &e), 0);

	in.marks = rows + 1; /* 2, 3: 1 unmarked, 3 marked */
	assert_int_equal(session_record(db, &in, &e), 0);
	expect_list(db, SHORTLIST_DEFAULT, (int64_t[]){2, 3}, 2);
	/* unmarking an annotated offer keeps it on the list */
	in.nmarks = 1; /* 2 only: 3 unmarked (untouched, goes), then 2 unmarked (noted, stays) */
	assert_int_equal(session_record(db, &in, &e), 0);
	expect_list(db, SHORTLIST_DEFAULT, (int64_t[]){2}, 1);
	in.nmarks = 0;
	assert_int_equal(session_record(db, &in, &e), 0);
	expect_list(db, SHORTLIST_DEFAULT, (int64_t[]){2}, 1);
	in.nmarks = 2; /* 2, 3 again */
	assert_int_equal(session_record(db, &in, &e), 0);
	expect_list(db, SHORTLIST_DEFAULT, (int64_t[]){2, 3}, 2);
	assert_int_equal(shortlist_load(db, SHORTLIST_DEFAULT, &items, &n, &e), 0);
	assert_string_equal(items[0].note, "call them"); /* a note survives later records */
	assert_true(items[1].quantity == 500);
	shortlist_items_free(items, n);

	/* another list: only new marks go there */
	assert_int_equal(shortlist_switch(db, "other", &e), 0);
	in.nmarks = 3; /* 2, 3, 4 */
	assert_int_equal(session_record(db, &in, &e), 0);
	expect_list(db, "other", (int64_t[]){4}, 1);
	expect_list(db, SHORTLIST_DEFAULT, (int64_t[]){2, 3}, 2);
	userdb_close(db);

	db = open_db("r.db"); /* restart: resume */
	assert_int_equal(session_begin(db, 0, &back, &e), 1);
	first = back.id;
	assert_int_equal(back.sort, MATCH_SORT_LEAD);
	assert_string_equal(back.title, "paddles");
	{
		match_row *m;
		int nm;

		assert_int_equal(session_marks_from_json(back.marks_json, &m, &nm, &e), 0);
		assert_int_equal(nm, 3);
		assert_int_equal(m[2].product_id, 4);
		for (i = 0; i < nm; i++)
			match_row_free(&m[i]);
		free(m);
	}
	session_state_free(&back);

	/* --new: a second session; the lists are untouched */
	assert_int_equal(session_begin(db, 1, &back, &e), 0);
	in.transcript_json = "[{\"role\":\"user\",\"text\":\"yoga mats\"}]";
	in.nmarks = 0;
	assert_int_equal(session_record(db, &in, &e), 0);
	assert_int_equal(session_list(db, &list, &n, &e), 0);
	assert_int_equal(n, 2);
	assert_true(list[0].id != first);
	assert_string_equal(list[0].title, "yoga mats");
	session_list_free(list, n);
	expect_list(db, "other", (int64_t[]){4}, 1);
	filter_free(&f);
	userdb_close(db);
}

/* A real catalog file at dir/name; stamp, when non-NULL, is its built_at. */
static char *make_catalog(const char *name, const char *stamp)
{
	char *path = xasprintf("%s/%s", dir, name), *sql;
	sqlite3 *db;
	souk_err e;

	assert_int_equal(catalog_open(path, 0, &db, &e), 0);
	sql = stamp ? sqlite3_mprintf("INSERT OR REPLACE INTO meta VALUES ('built_at', %Q)", stamp)
	            : sqlite3_mprintf("DELETE FROM meta WHERE key = 'built_at'");
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_free(sql);
	catalog_close(db);
	return path;
}

static void record_on(sqlite3 *db, const char *catalog, const char *said, const match_row *similar,
                      int nsimilar)
{
	session_input in = {0};
	char *tr = xasprintf("[{\"role\":\"user\",\"text\":\"%s\"}]", said);
	souk_err e;

	in.transcript_json = tr;
	in.catalog = catalog;
	in.similar = similar;
	in.nsimilar = nsimilar;
	assert_int_equal(session_record(db, &in, &e), 0);
	free(tr);
}

/* Each catalog resumes its own last session; a rebuilt one starts afresh. */
static void test_sessions_per_catalog(void **state)
{
	char *a = make_catalog("a.souk", "2026-01-01T00:00:00Z"), *b = make_catalog("b.souk", NULL);
	char *rel, *ida, *idrel;
	sqlite3 *db = open_db("c.db");
	session_state back;
	match_row sim[2], *rows;
	souk_err e;
	int i, n;

	(void)state;
	memset(sim, 0, sizeof sim);
	for (i = 0; i < 2; i++) {
		sim[i].product_id = 10 + i;
		sim[i].supplier = (char *)"Near Co";
		sim[i].similar_to = (char *)"similar to Far Co";
	}
	assert_int_equal(session_begin_for(db, a, 0, &back, &e), 0);
	record_on(db, a, "paddles", sim, 2);
	/* b has no session yet: it must not resume a's */
	assert_int_equal(session_begin_for(db, b, 0, &back, &e), 0);
	record_on(db, b, "yoga mats", NULL, 0);
	userdb_close(db);

	db = open_db("c.db"); /* restart on a */
	assert_int_equal(session_begin_for(db, a, 0, &back, &e), 1);
	assert_string_equal(back.title, "paddles");
	/* the rows "similar" added come back with their label */
	assert_int_equal(session_marks_from_json(back.similar_json, &rows, &n, &e), 0);
	assert_int_equal(n, 2);
	assert_int_equal(rows[1].product_id, 11);
	assert_string_equal(rows[0].similar_to, "similar to Far Co");
	for (i = 0; i < n; i++)
		match_row_free(&rows[i]);
	free(rows);
	session_state_free(&back);
	assert_int_equal(session_begin_for(db, b, 0, &back, &e), 1);
	assert_string_equal(back.title, "yoga mats");
	assert_string_equal(back.similar_json, "[]");
	session_state_free(&back);

	/* the same catalog by a relative path is the same catalog */
	assert_int_equal(chdir(dir), 0);
	rel = xstrdup("./a.souk");
	ida = session_catalog_id(a);
	idrel = session_catalog_id(rel);
	assert_string_equal(ida, idrel);
	assert_non_null(strstr(ida, "@2026-01-01T00:00:00Z"));
	assert_int_equal(session_begin_for(db, rel, 0, &back, &e), 1);
	assert_string_equal(back.title, "paddles");
	session_state_free(&back);

	/* a demo rebuilt at the same path is another catalog */
	free(make_catalog("a.souk", "2026-02-02T00:00:00Z"));
	assert_int_equal(session_begin_for(db, a, 0, &back, &e), 0);
	session_state_free(&back);
	record_on(db, a, "bottles", NULL, 0);
	assert_int_equal(session_begin_for(db, a, 0, &back, &e), 1);
	assert_string_equal(back.title, "bottles");
	session_state_free(&back);
	free(ida);
	free(idrel);
	free(rel);
	free(a);
	free(b);
	userdb_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_save_and_resume),
	        cmocka_unit_test(test_list_switch_delete),
	        cmocka_unit_test(test_marks),
	        cmocka_unit_test(test_resume_after_kill9),
	        cmocka_unit_test(test_record_and_marks_to_shortlist),
	        cmocka_unit_test(test_sessions_per_catalog),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
