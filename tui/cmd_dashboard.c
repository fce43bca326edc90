/* cmd_dashboard: `souk [--db FILE] [--new] [--replay FILE]`: checks, catalog, then the app loop. */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app.h"
#include "catalog.h"
#include "cmd.h"
#include "dylib.h"
#include "text.h"

static void progress(double done, void *arg)
{
	(void)arg;
	if (isatty(STDERR_FILENO))
		fprintf(stderr, "\rsouk: building the demo catalog (first run only)... %3.0f%%",
		        done * 100);
}

/* The default catalog is built on first run; a --db FILE must exist. */
static int prepare_catalog(const souk_config *cfg, const char *path, int is_default, char **label,
                           long *products)
{
	struct stat st;
	sqlite3 *db = NULL;
	souk_err e;
	long sup = 0;
	char *name = NULL;

	if (stat(path, &st) != 0) {
		if (!is_default)
			return cmd_fail(1,
			                "no catalog at %s (check the path, or build one with souk "
			                "demo --out %s)",
			                path, path);
		if (config_ensure_data_dir(cfg, &e) < 0)
			return cmd_fail(1, "%s", e.msg);
		if (isatty(STDERR_FILENO))
			fprintf(stderr, "souk: building the demo catalog (first run only)...");
		if (catalog_build_demo(path, cfg->assets, CATALOG_DEMO_PRODUCTS, 1, progress, NULL,
		                       &e) < 0) {
			if (isatty(STDERR_FILENO))
				fputc('\n', stderr);
			return cmd_fail(1, "%s", e.msg);
		}
		if (isatty(STDERR_FILENO))
			fputc('\n', stderr);
	}
	if (catalog_open(path, 1, &db, &e) < 0)
		return cmd_fail(1, "%s", e.msg);
	if (catalog_counts(db, &sup, products, &e) < 0) {
		catalog_close(db);
		return cmd_fail(1, "%s", e.msg);
	}
	{
		sqlite3_stmt *s;

		if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'name'", -1, &s,
		                       NULL) == SQLITE_OK) {
			if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
				name = text_sanitize((const char *)sqlite3_column_text(s, 0), 0);
			sqlite3_finalize(s);
		}
	}
	catalog_close(db);
	{
		char *n = name ? name : xstrdup("catalog");
		char *t = text_truncate(n, 20);

		char num[32];

		*label = xasprintf("%s %s offers", t, app_fmt_count(*products, num, sizeof num));
		free(t);
		free(n);
	}
	return 0;
}

static int usage(const char *bad)
{
	return cmd_fail(2,
	                "unknown option '%s' (usage: souk [--db FILE] [--new] [--replay FILE]; see "
	                "souk --help)",
	                bad);
}

int cmd_dashboard(const souk_config *cfg, int argc, char **argv)
{
	const char *db = NULL, *replay = NULL;
	const dylib_curl *cu;
	int fresh = 0, i, rc;
	char *label = NULL, *script = NULL;
	long products = 0;
	app a;
	souk_err e;
	double start = util_now(); /* first frame is timed from here */

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
			db = argv[++i];
		else if (strncmp(argv[i], "--db=", 5) == 0)
			db = argv[i] + 5;
		else if (strcmp(argv[i], "--new") == 0)
			fresh = 1;
		else if (strcmp(argv[i], "--replay") == 0 && i + 1 < argc)
			replay = argv[++i];
		else
			return usage(argv[i]);
	}
	if (replay == NULL) {
		const char *term = getenv("TERM");

		if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
			return cmd_fail(1,
			                "the dashboard needs a terminal (for scripts and pipes use "
			                "souk query TEXT)");
		if (term == NULL || !*term || strcmp(term, "dumb") == 0)
			return cmd_fail(1,
			                "the dashboard needs a capable terminal, TERM is '%s' (set "
			                "TERM, or use souk query TEXT)",
			                term ? term : "");
	} else {
		size_t len;

		script = util_read_file(replay, 1 << 20, &len, &e);
		if (script == NULL)
			return cmd_fail(1, "%s", e.msg);
	}
	rc = prepare_catalog(cfg, db ? db : cfg->catalog, db == NULL, &label, &products);
	if (rc != 0) {
		free(script);
		return rc;
	}
	if ((cu = dylib_curl_get(&e)) == NULL) {
		free(label);
		free(script);
		return cmd_fail(1, "%s (the dashboard waits on libcurl)", e.msg);
	}
	cu->global_init(CURL_GLOBAL_DEFAULT);
	if (app_init(&a, cfg, db ? db : cfg->catalog, start, &e) < 0) {
		app_free(&a);
		free(label);
		free(script);
		cu->global_cleanup();
		return cmd_fail(1, "%s", e.msg);
	}
	a.catalog_label = label;
	a.nproducts = products;
	a.replay = replay != NULL;
	if (app_screen(&a, stdout, stdin) < 0) {
		app_free(&a);
		free(script);
		cu->global_cleanup();
		return cmd_fail(1,
		                "cannot start the terminal screen (check TERM, or use souk query "
		                "TEXT)");
	}
	app_draw_first(&a);
	if (app_open(&a, &e) < 0) {
		app_free(&a); /* restores the terminal before the message */
		free(script);
		cu->global_cleanup();
		return cmd_fail(1, "%s", e.msg);
	}
	app_start(&a, fresh);
	if (script)
		rc = app_replay(&a, script, stderr);
	else
		rc = app_loop(&a);
	app_free(&a);
	free(script);
	cu->global_cleanup();
	return rc;
}
