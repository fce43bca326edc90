/* Unit tests for tui/worker: results come back through the wake pipe,
 * superseded requests never come out, dialog jobs run in order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "catalog.h"
#include "worker.h"
#include "test_assets.h"

static char dbpath[] = "/tmp/souk-test-worker.XXXXXX";
static const char *assets;
static int wake[2];

static int setup(void **state)
{
	souk_err e;
	int fd;

	(void)state;
	assets = getenv("SOUK_ASSETS");
	if (!assets)
		assets = "assets";
	fd = mkstemp(dbpath);
	if (fd < 0)
		return -1;
	close(fd);
	unlink(dbpath);
	if (catalog_build_demo(dbpath, assets, 3000, 3, NULL, NULL, &e) < 0) {
		fprintf(stderr, "%s\n", e.msg);
		return -1;
	}
	return pipe(wake);
}

static int teardown(void **state)
{
	(void)state;
	catalog_remove(dbpath);
	close(wake[0]);
	close(wake[1]);
	return 0;
}

/* Waits for a wake byte (at most 20 s) and drains the pipe. */
static int wait_wake(void)
{
	struct pollfd p = {wake[0], POLLIN, 0};
	char buf[64];

	if (poll(&p, 1, 20000) != 1)
		return 0;
	if (read(wake[0], buf, sizeof buf) <= 0)
		return 0;
	return 1;
}

static void test_run_and_supersede(void **state)
{
	souk_err e;
	worker *w = worker_start(dbpath, test_ref(), wake[1], &e);
	souk_filter a, b;
	match_opts o;
	worker_done d;
	unsigned g1, g2;
	int i, got = 0;

	(void)state;
	assert_non_null(w);
	assert_int_equal(worker_wait_ready(w, &e), 0);
	filter_init(&a);
	filter_init(&b);
	strlist_add(&b.keywords, "yoga");
	match_opts_init(&o);
	o.limit = 20;
	/* the first request is overtaken at once: only the second answers */
	g1 = worker_post(w, WORKER_RUN, &a, &o, NULL, 0);
	g2 = worker_post(w, WORKER_RUN, &b, &o, NULL, 0);
	assert_true(g2 > g1);
	for (i = 0; i < 10 && !got; i++) {
		assert_true(wait_wake());
		got = worker_take(w, &d);
	}
	assert_true(got);
	assert_int_equal(d.gen, g2);
	assert_false(d.failed);
	assert_true(d.result.nrows > 0);
	assert_true(d.result.total < 3000); /* the yoga filter, not the empty one */
	match_result_free(&d.result);
	assert_false(worker_take(w, &d)); /* nothing more */
	assert_false(worker_busy(w));
	filter_free(&a);
	filter_free(&b);
	worker_stop(w);
}

static void test_dialog_jobs(void **state)
{
	souk_err e;
	worker *w = worker_start(dbpath, test_ref(), wake[1], &e);
	worker_reply r;
	filter_delta d;

	(void)state;
	assert_non_null(w);
	assert_int_equal(worker_wait_ready(w, &e), 0);
	assert_non_null(worker_dialog(w));
	worker_dialog_post(w, WD_TURN, "yoga mats under $5", NULL);
	assert_true(wait_wake());
	assert_true(worker_take_reply(w, &r));
	assert_int_equal(r.rc, 0);
	assert_non_null(r.reply.text);
	assert_true(r.filter.price_max == 5);
	assert_true(strlist_has(&r.filter.keywords, "yoga mat") ||
	            strlist_has(&r.filter.keywords, "yoga"));
	dialog_reply_free(&r.reply);
	filter_free(&r.filter);

	/* an edit, then undo back to it */
	filter_delta_init(&d);
	d.set = 1u << FF_PRICE_MAX;
	d.f.price_max = 3;
	worker_dialog_post(w, WD_EDIT, NULL, &d); /* takes d */
	assert_true(wait_wake());
	assert_true(worker_take_reply(w, &r));
	assert_true(r.filter.price_max == 3);
	dialog_reply_free(&r.reply);
	filter_free(&r.filter);
	worker_dialog_post(w, WD_UNDO, NULL, NULL);
	assert_true(wait_wake());
	assert_true(worker_take_reply(w, &r));
	assert_int_equal(r.rc, 1);
	assert_true(r.filter.price_max == 5);
	dialog_reply_free(&r.reply);
	filter_free(&r.filter);
	worker_stop(w);
}

static void test_bad_catalog(void **state)
{
	souk_err e;
	worker *w = worker_start("/nonexistent/souk.db", test_ref(), wake[1], &e);

	(void)state;
	assert_non_null(w);
	assert_int_equal(worker_wait_ready(w, &e), -1);
	assert_true(strlen(e.msg) > 0);
	worker_stop(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_run_and_supersede),
	        cmocka_unit_test(test_dialog_jobs),
	        cmocka_unit_test(test_bad_catalog),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
