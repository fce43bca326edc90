/* cmd_import: `souk import FILE|URL [--db FILE] [--format csv|json] [--strict]`. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "catalog.h"
#include "cmd.h"
#include "import.h"
#include "text.h"

static const char import_usage[] =
        "usage: souk import FILE|URL [--db FILE] [--format csv|json] [--strict]";

/* Rejected rows shown before the rest are only counted. */
#define SHOWN_ROW_ERRORS 100

/* The one piece of state a signal handler may touch. */
static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
	(void)sig;
	interrupted = 1;
}

typedef struct report {
	long shown, hidden;
	int tty, progress_shown;
} report;

static void end_progress(report *r)
{
	if (r->progress_shown) {
		fputs("\r\033[K", stderr);
		r->progress_shown = 0;
	}
}

static void on_row_error(const char *where, const char *why, void *arg)
{
	report *r = arg;
	char *w;

	if (r->shown >= SHOWN_ROW_ERRORS) {
		r->hidden++;
		return;
	}
	end_progress(r);
	w = text_sanitize(where, 0);
	fprintf(stderr, "souk: %s: %s\n", w, why);
	free(w);
	r->shown++;
}

static void on_warning(const char *what, void *arg)
{
	end_progress(arg);
	fprintf(stderr, "souk: warning: %s\n", what);
}

static void on_progress(const char *what, double done, void *arg)
{
	report *r = arg;

	if (!r->tty)
		return;
	if (done < 0)
		fprintf(stderr, "\rsouk: %s...", what);
	else
		fprintf(stderr, "\rsouk: %s %3d%%", what, (int)(done * 100 + 0.5));
	fflush(stderr);
	r->progress_shown = 1;
}

static int parse_args(int argc, char **argv, const char **src, const char **db, import_opts *o)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--strict") == 0)
			o->strict = 1;
		else if (strcmp(a, "--db") == 0 && i + 1 < argc)
			*db = argv[++i];
		else if (strcmp(a, "--format") == 0 && i + 1 < argc) {
			const char *f = argv[++i];
			if (strcmp(f, "csv") == 0)
				o->format = IMPORT_CSV;
			else if (strcmp(f, "json") == 0)
				o->format = IMPORT_JSON;
			else
				return cmd_fail(2, "--format is csv or json, not '%s'", f);
		} else if (a[0] == '-' && a[1] != '\0')
			return cmd_fail(2, "unexpected option '%s' (%s)", a, import_usage);
		else if (*src != NULL)
			return cmd_fail(2, "one file or URL at a time (%s)", import_usage);
		else
			*src = a;
	}
	if (*src == NULL)
		return cmd_fail(2, "which file or URL? (%s)", import_usage);
	return 0;
}

/* The side files of a catalog ("-wal", "-shm", "-journal"): which existed
 * before the import opened it. */
static const char *const side[] = {"-wal", "-shm", "-journal"};

static void side_files_seen(const char *db, int existed[3])
{
	for (int i = 0; i < 3; i++) {
		char *p = xasprintf("%s%s", db, side[i]);
		existed[i] = access(p, F_OK) == 0;
		free(p);
	}
}

/* After a failed import (the catalog closed): the side files it made
 * hold nothing (no write was committed), yet SQLite leaves them when the
 * disk is full. A write-ahead log is only removed when empty. */
static void side_files_clean(const char *db, const int existed[3])
{
	for (int i = 0; i < 3; i++) {
		char *p = xasprintf("%s%s", db, side[i]);
		struct stat sb;
		if (!existed[i] && stat(p, &sb) == 0 && (i != 0 || sb.st_size == 0))
			unlink(p);
		free(p);
	}
}

/* " (the disk is full)" when the catalog's file system has almost no room
 * left, which SQLite reports only as an I/O error; else "". */
static const char *disk_full(const char *db)
{
	char *dir = xstrdup(db), *slash = strrchr(dir, '/');
	struct statvfs vfs;
	int full;

	if (slash)
		*(slash == dir ? slash + 1 : slash) = '\0';
	else
		strcpy(dir, ".");
	full = statvfs(dir, &vfs) == 0 && (double)vfs.f_bavail * (double)vfs.f_frsize < 1048576.0;
	free(dir);
	return full ? " (the disk holding the catalog is full)" : "";
}

static int run_import(const souk_config *cfg, const char *src, const char *dbpath, import_opts *o,
                      report *r)
{
	import_stats st;
	souk_err e;
	char *download = NULL;
	int existed = access(dbpath, F_OK) == 0, rc, sides[3];

	if (import_is_url(src) && import_fetch(src, o, &download, &e) < 0) {
		end_progress(r);
		return cmd_fail(1, "%s", e.msg);
	}
	end_progress(r);
	side_files_seen(dbpath, sides);
	rc = import_path(dbpath, download ? download : src, o, &st, &e);
	end_progress(r);
	if (download)
		unlink(download);
	free(download);
	/* a catalog this import created is only kept when something went in */
	if ((rc < 0 || st.imported == 0) && !existed)
		catalog_remove(dbpath);
	else if (rc < 0 || st.imported == 0)
		side_files_clean(dbpath, sides);
	if (r->hidden)
		fprintf(stderr, "souk: ... and %ld more rejected row%s\n", r->hidden,
		        r->hidden == 1 ? "" : "s");
	if (rc < 0 && interrupted)
		return cmd_fail(1, "import interrupted; the catalog is unchanged");
	if (rc < 0)
		return cmd_fail(1, "%s%s; the catalog is unchanged", e.msg, disk_full(dbpath));
	printf("imported %ld of %ld row%s from %s (%ld new supplier%s", st.imported, st.rows,
	       st.rows == 1 ? "" : "s", o->name, st.new_suppliers,
	       st.new_suppliers == 1 ? "" : "s");
	if (st.updated > 0)
		printf(", %ld offer%s updated", st.updated, st.updated == 1 ? "" : "s");
	printf("), %ld rejected\n", st.rejected);
	(void)cfg;
	if (st.imported == 0)
		return cmd_fail(1, "no valid rows in %s (see the errors above)", o->name);
	return 0;
}

int cmd_import(const souk_config *cfg, int argc, char **argv)
{
	const char *src = NULL, *dbpath = NULL;
	char *shown;
	import_opts o;
	report r = {0, 0, isatty(2), 0};
	struct sigaction sa, old;
	souk_err e;
	int rc;

	memset(&o, 0, sizeof o);
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			puts(import_usage);
			return 0;
		}
	if ((rc = parse_args(argc, argv, &src, &dbpath, &o)) != 0)
		return rc;
	if (dbpath == NULL) {
		if (config_ensure_data_dir(cfg, &e) < 0)
			return cmd_fail(1, "%s", e.msg);
		dbpath = cfg->catalog;
	}
	/* the name is echoed in every message: made safe once */
	o.name = shown = text_sanitize(src, 0);
	o.assets = cfg->assets;
	o.ref = cfg->ref;
	o.cancel = &interrupted;
	o.row_error = on_row_error;
	o.warning = on_warning;
	o.progress = on_progress;
	o.arg = &r;
	/* Ctrl-C rolls the import back instead of killing it half-way. */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sigint;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old);
	rc = run_import(cfg, src, dbpath, &o, &r);
	sigaction(SIGINT, &old, NULL);
	free(shown);
	return rc;
}
