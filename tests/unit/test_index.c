/* Unit tests for the column index (core/index, core/match_store): the same
 * answers as the SQL path on random filters, and every way the file can be
 * missing, stale, truncated, corrupt, of another version or unwritable,
 * including a writer killed mid-write, detected and handled. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "catalog.h"
#include "filter.h"
#include "import.h"
#include "index.h"
#include "match_int.h"
#include "test_assets.h"
#include "test_smaps.h"

static char dir[] = "/tmp/souk-test-index-XXXXXX";
static char db[256], idx[256];
static const char *assets;

static unsigned rnd_state = 777;
static unsigned rnd(unsigned n)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return (rnd_state >> 8) % n;
}

static void rm_dir(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d))) {
		char p[512];
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(p, sizeof p, "%s/%s", path, de->d_name);
		chmod(p, 0700);
		rm_dir(p);
		unlink(p);
		rmdir(p);
	}
	closedir(d);
}

static int setup(void **state)
{
	souk_err e;

	(void)state;
	assets = getenv("SOUK_ASSETS");
	if (!assets)
		assets = "assets";
	if (!mkdtemp(dir))
		return -1;
	snprintf(db, sizeof db, "%s/cat.db", dir);
	snprintf(idx, sizeof idx, "%s/cat.db.idx", dir);
	if (catalog_build_demo(db, assets, 3000, 5, NULL, NULL, &e) < 0)
		fail_msg("%s", e.msg);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	rm_dir(dir);
	rmdir(dir);
	return 0;
}

static off_t file_size(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? st.st_size : -1;
}

/* ---- the differential check ---- */

static const char *const words[] = {"yoga",   "mat",  "paddle", "led",    "mug", "bag",
                                    "cotton", "baby", "steel",  "bottle", "box", "xyzzy"};
/* Keywords FTS5 reads as phrases (several words, one a prefix): the
 * index answers them through FTS5, and ranks them from the products'
 * text, which must give FTS5's own bm25. */
static const char *const phrases[] = {"t-shirt",  "usb-c",     "non-slip", "yoga mat",
                                      "bpa-free", "led strip", "non-sli",  "stainless steel"};
static const char *const ctry[] = {"CN", "IN", "VN", "TR", "US", "PK", "BD", "DE"};
static const char *const certs[] = {"CE", "RoHS", "FCC", "BSCI", "ISO 9001", "OEKO-TEX", "LFGB"};
static const char *const markets[] = {"US", "DE", "EU", "GB", "JP", "AU"};
static const char *const curs[] = {"USD", "EUR", "GBP", "CNY"};
static const char *const incos[] = {"EXW", "FOB", "CIF", "DDP"};
static const char *const cats[] = {"sports", "sports/yoga/mats", "toys", "toys/baby/teethers",
                                   "home",   "no/such/category"};

static void random_filter(souk_filter *f)
{
	filter_init(f);
	for (int k = (int)rnd(3); k-- > 0;)
		strlist_add(&f->keywords, words[rnd(12)]);
	if (rnd(4) == 0)
		strlist_add(&f->keywords, phrases[rnd(8)]);
	/* limits between two cents, never on one: the index keeps the
	 * catalog's doubles, but an exact tie is not what this tests */
	if (rnd(4) == 0)
		f->category = xstrdup(cats[rnd(6)]);
	if (rnd(3) == 0)
		f->price_max = 1 + rnd(2000) / 100.0 + 0.005;
	if (rnd(6) == 0)
		f->price_min = rnd(500) / 100.0 + 0.005;
	if (rnd(3) == 0)
		f->quantity = 50 + rnd(3000);
	if (rnd(4) == 0)
		f->moq_max = 50 + rnd(2000);
	if (rnd(5) == 0)
		f->lead_time_max_days = 5 + rnd(40);
	if (rnd(4) == 0)
		f->market = xstrdup(markets[rnd(6)]);
	if (rnd(5) == 0)
		strlist_add(&f->supplier_countries, ctry[rnd(8)]);
	if (rnd(6) == 0)
		strlist_add(&f->exclude_countries, ctry[rnd(8)]);
	if (rnd(5) == 0)
		strlist_add(&f->certifications, certs[rnd(7)]);
	f->verified_only = rnd(5) == 0;
	if (rnd(6) == 0)
		f->min_rating = 3.5 + rnd(15) / 10.0;
	if (rnd(6) == 0)
		f->min_years = rnd(15);
	f->customization = rnd(7) == 0;
	f->samples = rnd(7) == 0;
	f->include_larger_moq = rnd(3) == 0;
	if (rnd(8) == 0)
		f->business_type = xstrdup(rnd(2) ? "trading" : "manufacturer");
	if (rnd(8) == 0)
		f->incoterm = xstrdup(incos[rnd(4)]);
	if (rnd(4) == 0)
		memcpy(f->currency, curs[rnd(4)], 4);
}

static void same_counts(const match_count *a, int na, const match_count *b, int nb)
{
	assert_int_equal(na, nb);
	for (int i = 0; i < na; i++) {
		assert_string_equal(a[i].value, b[i].value);
		assert_int_equal(a[i].count, b[i].count);
	}
}

static void same_hist(const match_hist *a, const match_hist *b)
{
	assert_true(a->lo == b->lo && a->hi == b->hi);
	assert_memory_equal(a->counts, b->counts, sizeof a->counts);
}

static void same_result(const match_result *a, const match_result *b)
{
	assert_int_equal(a->total, b->total);
	assert_int_equal(a->suppliers, b->suppliers);
	assert_int_equal(a->nrows, b->nrows);
	for (int i = 0; i < a->nrows; i++) {
		if (a->rows[i].score != b->rows[i].score)
			print_message("row %d: %lld %g / %lld %g\n", i,
			              (long long)a->rows[i].product_id, a->rows[i].score,
			              (long long)b->rows[i].product_id, b->rows[i].score);
		assert_int_equal(a->rows[i].product_id, b->rows[i].product_id);
		assert_true(a->rows[i].score == b->rows[i].score);
		assert_true(a->rows[i].price == b->rows[i].price);
		assert_string_equal(a->rows[i].reasons, b->rows[i].reasons);
		/* what a row shows of the product: from the index's row
		 * strings on one side, from the catalog on the other */
		assert_string_equal(a->rows[i].title, b->rows[i].title);
		assert_string_equal(a->rows[i].category, b->rows[i].category);
		assert_string_equal(a->rows[i].moq_unit, b->rows[i].moq_unit);
		assert_string_equal(a->rows[i].certs, b->rows[i].certs);
		assert_string_equal(a->rows[i].currency_orig, b->rows[i].currency_orig);
		assert_true(a->rows[i].price_orig == b->rows[i].price_orig);
		assert_string_equal(a->rows[i].highlights, b->rows[i].highlights);
	}
	same_counts(a->countries, a->ncountries, b->countries, b->ncountries);
	same_counts(a->certs, a->ncerts, b->certs, b->ncerts);
	same_counts(a->business_types, a->nbusiness_types, b->business_types, b->nbusiness_types);
	same_hist(&a->price_hist, &b->price_hist);
	same_hist(&a->moq_hist, &b->moq_hist);
	same_hist(&a->lead_hist, &b->lead_hist);
	assert_true((a->relax == NULL) == (b->relax == NULL));
	if (a->relax)
		assert_string_equal(a->relax, b->relax);
}

/* Runs f (with o) on both contexts and compares; returns the total. */
static long compare(match_ctx *sql, match_ctx *ix, const souk_filter *f, const match_opts *o)
{
	match_result a, b;
	souk_err e;
	long total;

	if (getenv("TEST_VERBOSE")) {
		char *j = filter_to_json(f);
		print_message("%s\n", j);
		free(j);
	}
	if (match_run(sql, f, o, &a, &e) < 0)
		fail_msg("sql: %s", e.msg);
	if (match_run(ix, f, o, &b, &e) < 0)
		fail_msg("index: %s", e.msg);
	same_result(&a, &b);
	total = a.total;
	match_result_free(&a);
	match_result_free(&b);
	return total;
}

static long compare_default(match_ctx *sql, match_ctx *ix)
{
	souk_filter f;
	match_opts o;
	long n;

	filter_init(&f);
	match_opts_init(&o);
	n = compare(sql, ix, &f, &o);
	filter_free(&f);
	return n;
}

static void test_differential(void **state)
{
	souk_err e;
	match_ctx *sql, *ix;
	int nonempty = 0, runs = 400;

	(void)state;
	assert_true(file_size(idx) > 0); /* written by the demo build */
	sql = match_open_ex(db, test_ref(), 0, &e);
	ix = match_open_ex(db, test_ref(), 1, &e);
	assert_non_null(sql);
	assert_non_null(ix);
	for (int i = 0; i < runs; i++) {
		souk_filter f;
		match_opts o;
		random_filter(&f);
		match_opts_init(&o);
		o.sort = (enum match_sort)rnd(6);
		o.descending = o.sort == MATCH_SORT_SCORE ? rnd(4) != 0 : (int)rnd(2);
		o.offset = rnd(4) == 0 ? (int)rnd(120) : 0;
		o.limit = 10 + (int)rnd(60);
		nonempty += compare(sql, ix, &f, &o) > 0;
		filter_free(&f);
	}
	/* the unfiltered query, served from the stored order, and its pages */
	assert_int_equal(compare_default(sql, ix), 3000);
	{
		souk_filter f;
		match_opts o;
		filter_init(&f);
		match_opts_init(&o);
		o.offset = 950;
		o.limit = 100; /* past the stored rows: computed */
		compare(sql, ix, &f, &o);
		o.offset = 200;
		o.limit = 200;
		compare(sql, ix, &f, &o);
		filter_free(&f);
	}
	/* the check saw real results, not only empty ones */
	assert_true(nonempty > runs / 4);
	match_close(sql);
	match_close(ix);
}

/* Opens the index context, compares it with SQL on a few filters and
 * checks the file is back in order. */
static void check_rebuilt(void)
{
	souk_err e;
	match_ctx *sql = match_open_ex(db, test_ref(), 0, &e);
	match_ctx *ix = match_open_ex(db, test_ref(), 1, &e);
	souk_filter f;
	match_opts o;
	char head[8];
	FILE *fp;

	assert_non_null(sql);
	assert_non_null(ix);
	compare_default(sql, ix);
	filter_init(&f);
	strlist_add(&f.keywords, "mat");
	f.price_max = 9.995;
	match_opts_init(&o);
	compare(sql, ix, &f, &o);
	filter_free(&f);
	match_close(sql);
	match_close(ix);
	fp = fopen(idx, "rb");
	assert_non_null(fp);
	assert_int_equal(fread(head, 1, 8, fp), 8);
	fclose(fp);
	assert_memory_equal(head, INDEX_MAGIC, 8);
}

static void poke(off_t at, const void *bytes, size_t n)
{
	int fd = open(idx, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, bytes, n, at), (ssize_t)n);
	close(fd);
}

static void test_truncated(void **state)
{
	off_t full = file_size(idx);

	(void)state;
	assert_int_equal(truncate(idx, full / 2), 0);
	check_rebuilt();
	assert_int_equal(file_size(idx), full);
	assert_int_equal(truncate(idx, 10), 0);
	check_rebuilt();
	assert_int_equal(file_size(idx), full);
	assert_int_equal(truncate(idx, 0), 0);
	check_rebuilt();
	assert_int_equal(file_size(idx), full);
}

static void test_corrupt(void **state)
{
	off_t full = file_size(idx);
	const uint32_t version = INDEX_VERSION + 1;
	const char junk[16] = "\xde\xad\xbe\xef\xde\xad\xbe\xef\xde\xad\xbe\xef\x01\x02\x03";
	souk_err e;

	(void)state;
	poke(8, &version, sizeof version); /* a wrong version */
	check_rebuilt();
	poke(0, "NOTANIDX", 8); /* no magic */
	check_rebuilt();
	/* bytes all over the file: the header, the checked sections, the
	 * columns (BULK, bounds-checked where read: no crash, no stray read) */
	for (int i = 0; i < 150; i++) {
		off_t at = (off_t)rnd((unsigned)(full - 16));
		match_ctx *ix;
		match_result r;
		souk_filter f;
		poke(at, junk, sizeof junk);
		ix = match_open_ex(db, test_ref(), 1, &e);
		assert_non_null(ix);
		filter_init(&f);
		strlist_add(&f.keywords, words[i % 11]);
		assert_int_equal(match_run(ix, &f, NULL, &r, &e), 0);
		match_result_free(&r);
		filter_free(&f);
		match_close(ix);
	}
	unlink(idx); /* whatever the bytes left, a missing file is rebuilt */
	check_rebuilt();
}

/* The stored default order is checked when the unfiltered query first
 * reads it, not at every open (INDEX_LAZY): damaged, the index is still
 * opened as it is, and that query is computed from the columns. */
static void test_default_damaged(void **state)
{
	const char junk[16] = "\xde\xad\xbe\xef\xde\xad\xbe\xef\xde\xad\xbe\xef\x01\x02\x03";
	souk_err e;
	match_ctx *sql, *ix;
	uint64_t off[2], len[2];
	struct stat before, after;

	(void)state;
	sql = match_open_ex(db, test_ref(), 0, &e);
	ix = match_open_ex(db, test_ref(), 1, &e);
	assert_non_null(sql);
	assert_non_null(ix);
	compare_default(sql, ix);
	assert_int_equal(ix->dflt_state, 1); /* served from the stored order */
	assert_int_equal(index_section_at(ix->idx, MATCH_SEC_DFLT, &off[0], &len[0]), 0);
	assert_int_equal(index_section_at(ix->idx, MATCH_SEC_DFLT_STR, &off[1], &len[1]), 0);
	match_close(ix);
	assert_true(len[0] > 64 && len[1] > 64);
	assert_int_equal(stat(idx, &before), 0);
	for (int k = 0; k < 2; k++) {
		poke((off_t)(off[k] + len[k] / 2), junk, sizeof junk);
		ix = match_open_ex(db, test_ref(), 1, &e);
		assert_non_null(ix);
		compare_default(sql, ix); /* the same answer, from the columns */
		assert_int_equal(ix->dflt_state, -1);
		match_close(ix);
	}
	assert_int_equal(stat(idx, &after), 0);
	assert_true(before.st_ino == after.st_ino); /* opened, not rebuilt */
	match_close(sql);
	unlink(idx);
	check_rebuilt();
}

static void test_stale_after_import(void **state)
{
	static const char csv[] =
	        "Product Name,Category,Unit Price (USD),MOQ,Supplier,Country\n"
	        "Zanzibar Quokka Yoga Mat,sports/yoga/mats,3.10,100,Stale Test Co,Vietnam\n";
	sqlite3 *h;
	souk_err e;
	import_opts o = {
	        .format = IMPORT_CSV, .name = "stale.csv", .assets = NULL, .ref = test_ref()};
	import_stats st;
	struct stat before, after;
	match_ctx *ix;
	match_result r;
	souk_filter f;

	(void)state;
	assert_int_equal(stat(idx, &before), 0);
	assert_int_equal(catalog_open(db, 0, &h, &e), 0);
	if (import_buffer(h, csv, sizeof csv - 1, &o, &st, &e) < 0)
		fail_msg("%s", e.msg);
	catalog_close(h);
	assert_int_equal(st.imported, 1);
	ix = match_open_ex(db, test_ref(), 1, &e);
	assert_non_null(ix);
	filter_init(&f);
	strlist_add(&f.keywords, "quokka");
	assert_int_equal(match_run(ix, &f, NULL, &r, &e), 0);
	assert_int_equal(r.total, 1); /* the new offer is in the columns */
	match_result_free(&r);
	filter_free(&f);
	match_close(ix);
	assert_int_equal(stat(idx, &after), 0);
	assert_true(after.st_ino != before.st_ino); /* a new file took its place */
	check_rebuilt();
}

/* The index cannot be written next to the catalog: the context keeps the
 * columns in memory and answers the same. As root a read-only directory
 * does not stop writes, so a directory sits where the file would go. */
static void test_unwritable(void **state)
{
	char ro[300], rodb[320], roidx[320];
	souk_err e;
	match_ctx *sql, *ix;
	FILE *in, *out;
	char buf[65536];
	size_t n;

	(void)state;
	snprintf(ro, sizeof ro, "%s/ro", dir);
	snprintf(rodb, sizeof rodb, "%s/cat.db", ro);
	snprintf(roidx, sizeof roidx, "%s/cat.db.idx", ro);
	assert_int_equal(mkdir(ro, 0700), 0);
	in = fopen(db, "rb");
	out = fopen(rodb, "wb");
	assert_non_null(in);
	assert_non_null(out);
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		assert_int_equal(fwrite(buf, 1, n, out), n);
	fclose(in);
	fclose(out);
	if (geteuid() == 0)
		assert_int_equal(mkdir(roidx, 0700), 0);
	assert_int_equal(chmod(ro, 0555), 0);
	sql = match_open_ex(rodb, test_ref(), 0, &e);
	ix = match_open_ex(rodb, test_ref(), 1, &e);
	assert_non_null(sql);
	if (!ix)
		fail_msg("%s", e.msg);
	compare_default(sql, ix);
	for (int i = 0; i < 30; i++) {
		souk_filter f;
		random_filter(&f);
		compare(sql, ix, &f, NULL);
		filter_free(&f);
	}
	match_close(sql);
	match_close(ix);
	{
		struct stat st;
		/* nothing was written: the directory in the way is still one */
		assert_true(geteuid() != 0 || (stat(roidx, &st) == 0 && S_ISDIR(st.st_mode)));
		assert_true(geteuid() == 0 || stat(roidx, &st) != 0);
	}
	chmod(ro, 0700);
}

/* Temp files an interrupted index write left behind. */
static int leftovers(int remove)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	while (d && (de = readdir(d)))
		if (strncmp(de->d_name, "cat.db.idx.tmp-", 15) == 0) {
			char p[512];
			n++;
			snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
			if (remove)
				unlink(p);
		}
	if (d)
		closedir(d);
	return n;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A child builds the index; it is killed at a random moment of the later
 * part of the build, or (at_write) a random moment after its temporary
 * file appeared: the write is a few milliseconds at the end of the build,
 * which random moments alone seldom hit (under a sanitizer, hundreds of
 * tries). 1 when the kill landed while the file was being written. */
static int kill_one(double span, int at_write)
{
	pid_t pid;
	int status, mid, reaped = 0;

	unlink(idx);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		souk_err e;
		match_ctx *m = match_open_ex(db, test_ref(), 1, &e);
		match_close(m);
		_exit(m ? 0 : 1);
	}
	if (at_write) {
		double until = now() + 4 * span + 1;
		while (!leftovers(0) && now() < until && !reaped) {
			reaped = waitpid(pid, &status, WNOHANG) == pid;
			usleep(100);
		}
		usleep((useconds_t)rnd(400));
	} else {
		usleep((useconds_t)(span * 1e6 * (0.5 + rnd(1000) / 1000.0 * 0.7)));
	}
	if (!reaped) { /* a finished child is not signalled: its pid may be reused */
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	}
	mid = leftovers(1) > 0;
	return mid;
}

static void test_kill_mid_write(void **state)
{
	double t0, span;
	int mid = 0, tries = 0;
	pid_t pid;
	int status;

	(void)state;
	/* how long a whole build takes here */
	unlink(idx);
	t0 = now();
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		souk_err e;
		match_ctx *m = match_open_ex(db, test_ref(), 1, &e);
		match_close(m);
		_exit(m ? 0 : 1);
	}
	waitpid(pid, &status, 0);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	span = now() - t0;
	/* kills at random moments of the later part of the build, and right
	 * after the write began, until enough of them landed while the file
	 * was being written */
	while (mid < 3 && tries < 400) {
		mid += kill_one(span, tries % 2);
		tries++;
		if (tries % 20 == 0)
			check_rebuilt(); /* whatever the kill left, the catalog works */
	}
	print_message("index writes killed mid-way: %d of %d kills\n", mid, tries);
	assert_true(mid > 0);
	check_rebuilt();
	assert_int_equal(leftovers(0), 0);
}

/* "baby toys": the demo's bibs and teethers both sit under toys/baby, but
 * only teethers are called toys (taxonomy: "teething toy"); they rank
 * first, on either path. */
static void test_names_outrank(void **state)
{
	souk_err e;
	match_ctx *ctx[2];
	souk_filter f;
	match_opts o;

	(void)state;
	ctx[0] = match_open_ex(db, test_ref(), 0, &e);
	ctx[1] = match_open_ex(db, test_ref(), 1, &e);
	filter_init(&f);
	strlist_add(&f.keywords, "baby");
	strlist_add(&f.keywords, "toys");
	match_opts_init(&o);
	o.limit = 20;
	for (int k = 0; k < 2; k++) {
		match_result r;
		int teethers = 0;
		assert_non_null(ctx[k]);
		assert_int_equal(match_run(ctx[k], &f, &o, &r, &e), 0);
		assert_true(r.nrows == 20);
		assert_string_equal(r.rows[0].category, "toys/baby/teethers");
		for (int i = 0; i < r.nrows; i++)
			teethers += strcmp(r.rows[i].category, "toys/baby/teethers") == 0;
		assert_true(teethers >= 18);
		assert_true(r.total > 40); /* the bibs matched too: they were outranked */
		match_result_free(&r);
		match_close(ctx[k]);
	}
	filter_free(&f);
}

/* ---- after a pause: the rows' reads started together ---- */

static void test_idle_readahead(void **state)
{
	souk_err e;
	souk_filter f;
	match_result a, b;
	match_ctx *ix;

	(void)state;
	ix = match_open_ex(db, test_ref(), 1, &e);
	assert_non_null(ix);
	filter_init(&f);
	strlist_add(&f.keywords, "yoga");
	/* the first run of a context follows a pause, the next one does not,
	 * and one after MATCH_IDLE_S does again, with the same answer */
	assert_true(ix->last_run == 0);
	assert_int_equal(match_run(ix, &f, NULL, &a, &e), 0);
	assert_int_equal(ix->idle, 1);
	match_result_free(&a);
	assert_int_equal(match_run(ix, &f, NULL, &a, &e), 0);
	assert_int_equal(ix->idle, 0);
	ix->last_run -= MATCH_IDLE_S + 1;
	assert_int_equal(match_run(ix, &f, NULL, &b, &e), 0);
	assert_int_equal(ix->idle, 1);
	assert_true(a.nrows > 0);
	same_result(&a, &b);
	match_result_free(&a);
	match_result_free(&b);
	/* out of the map, empty, or without one: nothing happens */
	index_willneed(ix->idx, NULL, 4096);
	index_willneed(ix->idx, ix->rowstr, 0);
	index_willneed(NULL, ix->rowstr, 4096);
	index_willneed(ix->idx, ix->rowstr, SIZE_MAX / 2);
	index_willneed(ix->idx, (const char *)ix->rowstr - (1 << 30), 4096);
	filter_free(&f);
	match_close(ix);
}

/* ---- the statistics' column of suppliers ---- */

/* Read back from the index, and as loaded through SQL, each supplier's
 * compact record says what its full record says. */
static void test_sup_hot(void **state)
{
	for (int preload = 0; preload <= 1; preload++) {
		souk_err e;
		match_ctx *m = match_open_ex(db, test_ref(), preload, &e);
		int rated = 0;

		(void)state;
		assert_non_null(m);
		assert_true(m->nsups > 10);
		for (int i = 0; i < m->nsups; i++) {
			const sup *s = &m->sups[i];
			const sup_hot *h = &m->suphot[i];
			assert_true(h->trust == match_sup_trust(m, s));
			assert_true(h->rating == s->rating);
			assert_int_equal(h->country_idx, s->country_idx);
			assert_int_equal(h->trading, s->trading != 0);
			assert_int_equal(h->reviewed, s->reviews >= 10);
			rated += h->reviewed;
		}
		/* both kinds of supplier are there to compare */
		assert_true(rated > 0 && rated < m->nsups);
		match_close(m);
	}
}

/* ---- huge pages for commands, not for the dashboard ---- */

static void test_huge_advice(void **state)
{
	test_mapping mp;
	souk_err e;
	match_ctx *ix;

	(void)state;
	/* the dashboard's default: the kernel's own choice */
	ix = match_open_ex(db, test_ref(), 1, &e);
	assert_non_null(ix);
	assert_true(test_mapping_of(ix->prods, &mp));
	assert_true(strstr(mp.flags, " rd") != NULL); /* the mapping was found */
	assert_null(strstr(mp.flags, " hg"));
	match_close(ix);
	/* a command's: advised, where the kernel has huge pages at all */
	index_map_huge(1);
	ix = match_open_ex(db, test_ref(), 1, &e);
	index_map_huge(0);
	assert_non_null(ix);
	assert_true(test_mapping_of(ix->prods, &mp));
	assert_true(strstr(mp.flags, " rd") != NULL);
	if (access("/sys/kernel/mm/transparent_hugepage/enabled", F_OK) == 0)
		assert_non_null(strstr(mp.flags, " hg"));
	match_close(ix);
}

/* ---- the first rows alone (top-k selection) ---- */

/* A query run as match_run runs it, sorted with o. */
static void run_sorted(match_ctx *m, const souk_filter *f, const match_opts *o, query *q)
{
	souk_err e;

	if (match_query_setup(q, m, f, &e) < 0 || match_query_scan(q, NULL, &e) < 0 ||
	    match_query_prices(q, &e) < 0)
		fail_msg("%s", e.msg);
	match_query_stats(q);
	match_names_score(q);
	match_query_score(q);
	match_query_sort(q, o);
}

/* A page's rows, with only the rows ahead of it selected and sorted, are
 * the rows the whole order has there: every sort, both ways, pages past
 * the first, and supplier diversity reaching past the selection. */
static void test_top_rows(void **state)
{
	static const enum match_sort sorts[] = {MATCH_SORT_SCORE,  MATCH_SORT_PRICE,
	                                        MATCH_SORT_MOQ,    MATCH_SORT_LEAD,
	                                        MATCH_SORT_RATING, MATCH_SORT_LANDED};
	souk_err e;
	match_ctx *ix = match_open_ex(db, test_ref(), 1, &e);
	long top = 0, rest = 0;

	(void)state;
	assert_non_null(ix);
	for (int t = 0; t < 300; t++) {
		souk_filter f;
		match_opts o, all;
		query a, b;
		int upto;
		if (t % 2)
			random_filter(&f);
		else {
			filter_init(&f);
			if (rnd(2))
				strlist_add(&f.keywords, words[rnd(12)]);
			if (rnd(3) == 0) /* few suppliers: diversity reaches far */
				strlist_add(&f.supplier_countries, ctry[rnd(8)]);
		}
		match_opts_init(&o);
		o.limit = 3 + (int)rnd(8);
		o.offset = rnd(3) ? 0 : (int)rnd(20);
		o.sort = sorts[rnd(6)];
		o.descending = o.sort == MATCH_SORT_SCORE ? rnd(5) != 0 : (int)rnd(2);
		all = o;
		all.offset = 0;
		all.limit = 1 << 30;
		upto = o.offset + o.limit;
		run_sorted(ix, &f, &o, &a);
		run_sorted(ix, &f, &all, &b);
		assert_int_equal(a.n, b.n);
		assert_int_equal(b.nsorted, b.n);
		assert_true(a.nsorted >= (upto < a.n ? upto : a.n));
		if (a.n > 8 * upto) {
			top++;
			rest += a.nsorted == a.n; /* diversity needed the rest */
		}
		for (int i = 0; i < upto && i < a.n; i++) {
			assert_int_equal(a.c[i].id, b.c[i].id);
			assert_true(a.c[i].score == b.c[i].score);
		}
		match_query_free(&a);
		match_query_free(&b);
		filter_free(&f);
	}
	print_message("top-k: %ld of 300 selected, %ld of them sorted whole for diversity\n", top,
	              rest);
	assert_true(top >= 50);
	assert_true(rest > 0 && rest < top);
	match_close(ix);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_differential),    cmocka_unit_test(test_truncated),
	        cmocka_unit_test(test_corrupt),         cmocka_unit_test(test_stale_after_import),
	        cmocka_unit_test(test_default_damaged), cmocka_unit_test(test_unwritable),
	        cmocka_unit_test(test_kill_mid_write),  cmocka_unit_test(test_names_outrank),
	        cmocka_unit_test(test_top_rows),        cmocka_unit_test(test_idle_readahead),
	        cmocka_unit_test(test_huge_advice),     cmocka_unit_test(test_sup_hot),
	};
	return cmocka_run_group_tests_name("column index", tests, setup, teardown);
}
