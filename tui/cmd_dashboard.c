/* cmd_dashboard: `souk [--db FILE] [--new] [--replay FILE]`: checks, catalog, then the app loop. */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app.h"
#include "catalog.h"
#include "catalog_info.h"
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
	catalog_meta meta;
	souk_err e;

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
	if (catalog_info_meta(path, &meta, &e) < 0)
		return cmd_fail(1, "%s", e.msg);
	*products = meta.products;
	{
		char *n = text_sanitize(meta.name, 0);
		char *t = text_truncate(n, 20);
		char num[32];

		*label = xasprintf("%s %s offer%s", t, app_fmt_count(*products, num, sizeof num),
		                   *products == 1 ? "" : "s");
		free(t);
		free(n);
	}
	catalog_meta_free(&meta);
	return 0;
}

static int usage(const char *bad)
{
	return cmd_fail(2,
	                "unknown option '%s' (usage: souk [--db FILE] [--new] [--replay FILE]; see "
	                "souk --help)",
	                bad);
}

/* --db FILE, --new, --replay FILE; else the index of the first argument
 * that is none of them. */
static int parse_args(int argc, char **argv, const char **db, int *fresh, const char **replay)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
			*db = argv[++i];
		else if (strncmp(argv[i], "--db=", 5) == 0)
			*db = argv[i] + 5;
		else if (strcmp(argv[i], "--new") == 0)
			*fresh = 1;
		else if (strcmp(argv[i], "--replay") == 0 && i + 1 < argc)
			*replay = argv[++i];
		else
			return i;
	}
	return 0;
}

int cmd_dashboard(const souk_config *cfg, int argc, char **argv)
{
	const char *db = NULL, *replay = NULL;
	const dylib_curl *cu;
	int fresh = 0, rc, i;
	char *label = NULL, *script = NULL;
	long products = 0;
	app a;
	souk_err e;
	double start = util_now(); /* first frame is timed from here */

	if ((i = parse_args(argc, argv, &db, &fresh, &replay)) > 0)
		return usage(argv[i]);
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
	/* libcurl is needed only for a model server; without one the
	 * dashboard neither loads it nor needs it installed */
	cu = cfg->llm_url != NULL ? dylib_curl_get(&e) : NULL;
	if (cu != NULL)
		cu->global_init(CURL_GLOBAL_DEFAULT);
	if (app_init(&a, cfg, db ? db : cfg->catalog, start, &e) < 0) {
		app_free(&a);
		free(label);
		free(script);
		if (cu != NULL)
			cu->global_cleanup();
		return cmd_fail(1, "%s", e.msg);
	}
	a.catalog_label = label;
	a.nproducts = products;
	a.replay = replay != NULL;
	if (app_screen(&a, stdout, stdin) < 0) {
		app_free(&a);
		free(script);
		if (cu != NULL)
			cu->global_cleanup();
		return cmd_fail(1,
		                "cannot start the terminal screen (check TERM, or use souk query "
		                "TEXT)");
	}
	app_draw_first(&a);
	if (app_open(&a, &e) < 0) {
		app_free(&a); /* restores the terminal before the message */
		free(script);
		if (cu != NULL)
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
	if (cu != NULL)
		cu->global_cleanup();
	return rc;
}
