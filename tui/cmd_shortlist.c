/* cmd_shortlist: `souk shortlist list|show|export|import|rename|delete`: shortlists from the
 * command line. */
#include "cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "export.h"
#include "shortlist.h"
#include "text.h"
#include "userdb.h"

#define USAGE                                                                                      \
	"usage: souk shortlist list | show NAME [--db FILE] | export NAME --out FILE "             \
	"[--format csv|json|md|xlsx] [--force] [--db FILE] | import FILE.json [--name NAME] | "    \
	"rename OLD NEW "                                                                          \
	"| delete NAME"

static int usage_error(const char *what)
{
	return cmd_fail(2, "%s (%s)", what, USAGE);
}

static souk_userdb *open_userdb(const souk_config *cfg)
{
	souk_userdb *db;
	souk_err e;

	if (config_ensure_data_dir(cfg, &e) < 0 || userdb_open(cfg->userdb, &db, &e) < 0) {
		cmd_fail(1, "%s", e.msg);
		return NULL;
	}
	return db;
}

/* Prints data-derived text with control and escape bytes neutralised. */
static void put_clean(const char *s, FILE *out)
{
	char *c = text_sanitize(s ? s : "", 0);

	fputs(c, out);
	free(c);
}

static void put_padded(const char *s, int width)
{
	char *c = text_sanitize(s, 0), *p = text_pad(c, width, 0);

	fputs(p, stdout);
	free(p);
	free(c);
}

static int do_list(souk_userdb *db)
{
	shortlist_info *v;
	char when[32], *cur;
	souk_err e;
	int n, i, w = 4;

	if (shortlist_list(db, &v, &n, &e) < 0)
		return cmd_fail(1, "%s", e.msg);
	if (n == 0) {
		puts("No shortlists yet (mark offers in the dashboard with Space, or souk "
		     "shortlist "
		     "import FILE.json).");
		free(v);
		return 0;
	}
	cur = shortlist_current(db);
	for (i = 0; i < n; i++) {
		int tw = text_width(v[i].name);

		if (tw > w)
			w = tw < 40 ? tw : 40;
	}
	fputs("  ", stdout);
	put_padded("NAME", w);
	puts("  OFFERS  UPDATED");
	for (i = 0; i < n; i++) {
		util_fmt_time(v[i].updated, when, sizeof when);
		fputs(util_strieq(v[i].name, cur) ? "* " : "  ", stdout);
		put_padded(v[i].name, w);
		printf("  %6d  %s\n", v[i].nitems, when);
	}
	free(cur);
	shortlist_infos_free(v, n);
	return 0;
}

static void show_item(const shortlist_item *it)
{
	const match_row *r = &it->row;
	char when[32];

	printf("%2d. ", it->position + 1);
	put_clean(r->supplier, stdout);
	fputs(" \xe2\x80\x94 ", stdout);
	put_clean(r->title, stdout);
	fputs("\n    ", stdout);
	if (r->price >= 0)
		printf("%.2f %s", r->price, it->currency);
	if (r->moq >= 0) {
		printf(" \xc2\xb7 MOQ %ld ", r->moq);
		put_clean(r->moq_unit, stdout);
	}
	if (r->lead_days >= 0)
		printf(" \xc2\xb7 %d day%s", r->lead_days, r->lead_days == 1 ? "" : "s");
	if (r->country) {
		fputs(" \xc2\xb7 ", stdout);
		put_clean(r->country, stdout);
	}
	util_fmt_time(it->added, when, sizeof when);
	printf(" \xc2\xb7 %s \xc2\xb7 added %s\n", shortlist_status_name(it->status), when);
	if (it->note[0]) {
		fputs("    note: ", stdout);
		put_clean(it->note, stdout);
		fputc('\n', stdout);
	}
	if (it->changes) {
		fputs("    since added: ", stdout);
		put_clean(it->changes, stdout);
		fputc('\n', stdout);
	}
}

static int do_show(const souk_config *cfg, souk_userdb *db, int argc, char **argv)
{
	const char *name = NULL, *catpath = cfg->catalog;
	shortlist_item *items;
	char *stored;
	souk_err e;
	int n, i;

	for (i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
			catpath = argv[++i];
		else if (argv[i][0] == '-' && argv[i][1])
			return usage_error("unknown option for show");
		else if (name == NULL)
			name = argv[i];
		else
			return usage_error("show takes one shortlist name");
	}
	if (name == NULL)
		return usage_error("show needs a shortlist name");
	if (shortlist_load(db, name, &items, &n, &e) < 0)
		return cmd_fail(1, "%s", e.msg);
	/* no catalog, or another kind of file, just shows less */
	(void)shortlist_compare_path(catpath, items, n, &e);
	/* the list's own name, not the case it was typed in */
	stored = shortlist_name(db, name);
	put_clean(stored ? stored : name, stdout);
	free(stored);
	printf(": %d offer%s\n", n, n == 1 ? "" : "s");
	for (i = 0; i < n; i++)
		show_item(&items[i]);
	shortlist_items_free(items, n);
	return 0;
}

/* --out -: to standard output, CSV unless told otherwise. */
static int export_stdout(souk_userdb *db, const char *name, const char *fmtname)
{
	export_format fmt = EXPORT_CSV;
	souk_err e;
	char *data;
	int rc = 0, skip;

	if (fmtname && export_format_parse(fmtname, &fmt, &e) < 0)
		return cmd_fail(2, "%s", e.msg);
	if (fmt == EXPORT_XLSX)
		return cmd_fail(2, "XLSX cannot go to standard output (give --out FILE.xlsx)");
	if ((data = shortlist_render(db, name, fmt, &e)) == NULL)
		return cmd_fail(1, "%s", e.msg);
	/* the BOM is for spreadsheets opening a file; in a pipe it only gets
	 * in the way (souk query --format csv leaves it out too) */
	skip = strncmp(data, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
	/* a terminal gets nothing that could drive it (C1 controls, U+202E
	 * kept in a transcript); a file or pipe gets the data as given */
	if (isatty(STDOUT_FILENO)) {
		char *safe = text_sanitize(data + skip, 1);
		free(data);
		data = safe;
		skip = 0;
	}
	if (fputs(data + skip, stdout) == EOF || fflush(stdout) == EOF)
		rc = cmd_fail(1, "cannot write to standard output");
	free(data);
	return rc;
}

/* JSON and XLSX list every price tier when the catalog has the offers. */
static match_ctx *tiers_source(const souk_config *cfg, const char *catpath, export_format fmt)
{
	souk_err e;

	if ((fmt != EXPORT_JSON && fmt != EXPORT_XLSX) || catpath == NULL ||
	    access(catpath, R_OK) != 0)
		return NULL;
	return match_open(catpath, cfg->ref, &e);
}

static int do_export(const souk_config *cfg, souk_userdb *db, int argc, char **argv)
{
	const char *name = NULL, *out = NULL, *fmtname = NULL, *catpath = cfg->catalog;
	match_ctx *m;
	int rc;
	export_format fmt;
	int i, force = 0;
	souk_err e;

	for (i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
			out = argv[++i];
		else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc)
			fmtname = argv[++i];
		else if (strcmp(argv[i], "--force") == 0)
			force = 1;
		else if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
			catpath = argv[++i];
		else if (argv[i][0] == '-' && argv[i][1])
			return usage_error("unknown option for export");
		else if (name == NULL)
			name = argv[i];
		else
			return usage_error("export takes one shortlist name");
	}
	if (name == NULL || out == NULL)
		return usage_error("export needs a shortlist name and --out FILE");
	if (strcmp(out, "-") == 0)
		return export_stdout(db, name, fmtname);
	if (fmtname ? export_format_parse(fmtname, &fmt, &e) < 0
	            : export_format_from_path(out, &fmt, &e) < 0)
		return cmd_fail(2, "%s", e.msg);
	m = tiers_source(cfg, catpath, fmt);
	rc = shortlist_export(db, name, out, fmt, force, m, &e);
	match_close(m);
	return rc < 0 ? cmd_fail(1, "%s", e.msg) : 0;
}

static int do_import(souk_userdb *db, int argc, char **argv)
{
	const char *file = NULL, *name = NULL;
	souk_err e;
	char *json;
	int i, added;

	for (i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--name") == 0 && i + 1 < argc)
			name = argv[++i];
		else if (argv[i][0] == '-' && argv[i][1])
			return usage_error("unknown option for import");
		else if (file == NULL)
			file = argv[i];
		else
			return usage_error("import takes one file");
	}
	if (file == NULL)
		return usage_error("import needs a souk JSON export");
	json = util_read_file(file, (size_t)64 << 20, NULL, &e);
	if (json == NULL)
		return cmd_fail(1, "%s", e.msg);
	if (shortlist_import_json(db, name, json, &added, &e) < 0) {
		free(json);
		return cmd_fail(1, "%s: %s", file, e.msg);
	}
	free(json);
	printf("%d offer%s added\n", added, added == 1 ? "" : "s");
	return 0;
}

int cmd_shortlist(const souk_config *cfg, int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : NULL;
	souk_userdb *db;
	souk_err e;
	int rc;

	if (sub == NULL)
		return usage_error("which shortlist command?");
	if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0) {
		puts(USAGE + strlen("usage: "));
		return 0;
	}
	if (strcmp(sub, "list") && strcmp(sub, "show") && strcmp(sub, "export") &&
	    strcmp(sub, "import") && strcmp(sub, "rename") && strcmp(sub, "delete"))
		return usage_error("unknown shortlist command");
	if ((strcmp(sub, "rename") == 0 && argc != 4) ||
	    (strcmp(sub, "delete") == 0 && argc != 3) || (strcmp(sub, "list") == 0 && argc != 2))
		return usage_error("wrong number of arguments");
	if ((db = open_userdb(cfg)) == NULL)
		return 1;
	if (strcmp(sub, "list") == 0)
		rc = do_list(db);
	else if (strcmp(sub, "show") == 0)
		rc = do_show(cfg, db, argc, argv);
	else if (strcmp(sub, "export") == 0)
		rc = do_export(cfg, db, argc, argv);
	else if (strcmp(sub, "import") == 0)
		rc = do_import(db, argc, argv);
	else if (strcmp(sub, "rename") == 0)
		rc = shortlist_rename(db, argv[2], argv[3], &e) < 0 ? cmd_fail(1, "%s", e.msg) : 0;
	else
		rc = shortlist_delete(db, argv[2], &e) < 0 ? cmd_fail(1, "%s", e.msg) : 0;
	userdb_close(db);
	return rc;
}
