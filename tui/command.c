/* command: the chat's slash commands as records {name, alias, usage, help, exec}: parsing, help,
 * Tab completion. */
#include "build-config.h"

#include "command.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "export.h"
#include "shortlist.h"
#include "persist.h"
#include "text.h"

/* ---- /save and /export ---- */

static char *doc_title(app *a)
{
	const souk_filter *f = &a->filter;
	strbuf b;
	int i;

	sb_init(&b);
	sb_add(&b, "souk shortlist");
	for (i = 0; i < f->keywords.n; i++) {
		sb_add(&b, i ? " " : ": ");
		sb_add(&b, f->keywords.v[i]);
	}
	return sb_steal(&b);
}

#ifdef HAVE_XLSXWRITER
#define SAVE_EXTS ".csv, .json, .md or .xlsx"
#else
#define SAVE_EXTS ".csv, .json or .md"
#endif

/* "~/x.csv" and "~user/x.csv" as a shell would read them: the chat has no
 * shell in front of it. Anything else is returned as typed. */
static char *expand_home(const char *path)
{
	const char *rest = path + 1, *home = NULL;
	struct passwd *pw = NULL;
	char *user;

	if (path[0] != '~')
		return xstrdup(path);
	while (*rest && *rest != '/')
		rest++;
	if (rest == path + 1) {
		home = getenv("HOME");
		if (home == NULL || *home == '\0')
			pw = getpwuid(getuid());
	} else {
		user = xstrndup(path + 1, (size_t)(rest - path - 1));
		pw = getpwnam(user);
		free(user);
	}
	if (pw)
		home = pw->pw_dir;
	if (home == NULL)
		return xstrdup(path); /* no such user: let the write say so */
	return xasprintf("%s%s", home, rest);
}

/* The format from the extension. The core's message for a name without
 * one suggests --format, which exists only on the command line. */
static int save_format(app *a, const char *path, export_format *fmt)
{
	const char *slash = strrchr(path, '/');
	const char *dot = strrchr(slash ? slash + 1 : path, '.');
	souk_err e;
	char *m;

	if (dot == NULL || dot[1] == '\0') {
		m = xasprintf("Cannot tell the format of %s from its name: end it in " SAVE_EXTS,
		              path);
		app_chat_add(a, CHAT_ERROR, m);
		free(m);
		return -1;
	}
	if (export_format_from_path(path, fmt, &e) < 0) {
		app_chat_add(a, CHAT_ERROR, e.msg);
		return -1;
	}
	return 0;
}

/* "Saved 2 offers to PATH"; when the grid holds only the rows loaded
 * (APP_ROWS_LIMIT) of a larger result, the count says so. */
static void say_saved(app *a, int n, int marked, const char *path)
{
	char num[32], *m;

	if (!marked && a->have_result && n == a->res.total && n > APP_ROWS_LIMIT)
		m = xasprintf("Saved every match, %s offers, to %s",
		              app_fmt_count(n, num, sizeof num), path);
	else if (!marked && a->have_result && n < a->res.total)
		m = xasprintf("Saved %d of %s offers (the rows loaded) to %s", n,
		              app_fmt_count(a->res.total, num, sizeof num), path);
	else
		m = xasprintf("Saved %d offer%s to %s", n, n == 1 ? "" : "s", path);
	app_chat_add(a, CHAT_INFO, m);
	app_message(a, "%s", m);
	free(m);
}

/* /export is every match, not the rows loaded: written page by page
 * from the catalog, the status line counting as it goes. */
static void export_progress_cb(long done, long total, void *arg)
{
	app *a = arg;
	char d[32], t[32];

	app_message(a, "Exporting %s of %s offers...", app_fmt_count(done, d, sizeof d),
	            app_fmt_count(total, t, sizeof t));
	loop_draw(a);
}

static int export_all(app *a, const char *path, export_format fmt, const export_doc *doc, int force,
                      long *written, souk_err *e)
{
	export_all_opts o;
	match_opts mo;

	match_opts_init(&mo);
	app_get_sort(a, &mo.sort, &mo.descending);
	memset(&o, 0, sizeof o);
	o.userdb = a->cfg->userdb;
	o.sort = &mo;
	o.progress = export_progress_cb;
	o.progress_arg = a;
	return shortlist_export_all(a->mctx, &a->filter, doc, path, fmt, force, &o, written, e);
}

static int save(app *a, const char *typed, int force, int all)
{
	export_format fmt;
	export_doc doc;
	souk_err e;
	match_row *tmp = NULL;
	char *title, *transcript, *path;
	int n, i, rc;

	if (typed == NULL || *typed == '\0') {
		app_chat_add(a, CHAT_ERROR,
		             "Say where: /save PATH (the extension picks " SAVE_EXTS ")");
		return -1;
	}
	path = expand_home(typed);
	if (save_format(a, path, &fmt) < 0) {
		free(path);
		return -1;
	}
	memset(&doc, 0, sizeof doc);
	if (!all && a->nmarks > 0) {
		doc.rows = a->marks;
		n = a->nmarks;
	} else {
		/* a shallow copy in display order: export reads, never frees */
		const match_row *const *rows;

		n = grid_rows(a, &rows);
		tmp = xcalloc((size_t)n + 1, sizeof *tmp);
		for (i = 0; i < n; i++)
			tmp[i] = *rows[i];
		doc.rows = tmp;
	}
	if (n == 0) {
		free(tmp);
		free(path);
		app_chat_add(a, CHAT_ERROR, "Nothing to save yet: ask for something first");
		return -1;
	}
	doc.nrows = n;
	title = doc_title(a);
	transcript = app_transcript_json(a);
	doc.title = title;
	doc.filter = &a->filter;
	doc.transcript_json = transcript;
	doc.tiers_from = a->mctx;
	if (all && a->have_result) {
		long written = 0;

		rc = export_all(a, path, fmt, &doc, force, &written, &e);
		n = (int)written;
	} else {
		/* the notes and statuses the buyer gave these offers go too */
		rc = shortlist_export_rows(a->cfg->userdb, path, fmt, &doc, force, &e);
	}
	if (rc < 0) {
		char *m = e.code == SOUK_E_EXISTS && !force
		                  ? xasprintf("%s exists: /%s! %s replaces it", path,
		                              all ? "export" : "save", typed)
		                  : xasprintf("Could not save: %s", e.msg);

		app_chat_add(a, CHAT_ERROR, m);
		free(m);
	} else {
		say_saved(a, n, doc.rows == a->marks, path);
		if (!all || a->nmarks == 0 || n >= a->nmarks)
			a->unsaved = 0;
	}
	free(title);
	free(transcript);
	free(tmp);
	free(path);
	return rc;
}

/* /save, /save!, /export and /export!: the name says which rows and
 * whether an existing file may be replaced. */
static unsigned cmd_save(app *a, const command *c, const char *args)
{
	size_t len = strlen(c->name);

	save(a, args, c->name[len - 1] == '!', strncmp(c->name, "/export", 7) == 0);
	return 0;
}

/* ---- the others ---- */

/* "/sort price", "/sort price desc" */
static unsigned cmd_sort(app *a, const command *c, const char *args)
{
	char *name = xstrdup(args), *dir = strchr(name, ' ');
	int col, desc, cur_col, cur_desc;
	unsigned r = 0;

	grid_sort(a, &cur_col, &cur_desc);
	desc = cur_desc;
	if (dir) {
		*dir++ = '\0';
		desc = strncmp(dir, "desc", 4) == 0 || strcmp(dir, "down") == 0;
	}
	col = grid_column_lookup(name);
	if (col < 0)
		app_chat_add(a, CHAT_ERROR,
		             "Sort by what? /sort price, moq, lead, landed, "
		             "rating, score, supplier, country, product");
	else
		r = grid_sort_by(a, col, dir ? desc : (col == cur_col ? cur_desc : 0));
	free(name);
	return r;
}

/* "/columns" opens the chooser; "/columns reorder on-time -certs" shows
 * the columns named and hides those with a '-' (names as /sort takes
 * them, or the column's header or name). */
static unsigned cmd_columns(app *a, const command *c, const char *args)
{
	char *names = xstrdup(args), *tok, *save = NULL;
	unsigned hidden = grid_hidden(a);
	strbuf bad;

	(void)c;
	if (*args == '\0') {
		free(names);
		return PANE_COLUMNS;
	}
	sb_init(&bad);
	for (tok = strtok_r(names, " ,", &save); tok; tok = strtok_r(NULL, " ,", &save)) {
		int hide = *tok == '-', col = grid_column_lookup(tok + (hide || *tok == '+'));

		if (col <= 0) {
			sb_printf(&bad, "%s%s", bad.len ? ", " : "", tok);
			continue;
		}
		hidden = hide ? hidden | 1u << col : hidden & ~(1u << col);
	}
	if (bad.len) { /* nothing changes on a typo: the buyer retypes the line */
		char *m = xasprintf("No column %s (o lists them: /columns reorder, -certs...)",
		                    bad.s);

		app_chat_add(a, CHAT_ERROR, m);
		free(m);
	} else {
		grid_set_hidden(a, hidden);
	}
	sb_free(&bad);
	free(names);
	return 0;
}

static unsigned cmd_reset(app *a, const command *c, const char *args)
{
	filter_delta d;

	(void)args;
	filter_delta_init(&d);
	d.reset = 1;
	app_dialog_edit(a, &d);
	return 0;
}

static unsigned cmd_undo(app *a, const command *c, const char *args)
{
	(void)args;
	app_dialog_undo(a);
	return 0;
}

static unsigned cmd_compare(app *a, const command *c, const char *args)
{
	(void)a;
	(void)args;
	return PANE_COMPARE;
}

static unsigned cmd_similar(app *a, const command *c, const char *args)
{
	(void)a;
	(void)args;
	return PANE_SIMILAR;
}

static unsigned cmd_help(app *a, const command *c, const char *args)
{
	(void)args;
	app_push_view(a, &view_help);
	return 0;
}

static unsigned cmd_quit(app *a, const command *c, const char *args)
{
	(void)a;
	(void)args;
	return PANE_QUIT;
}

#ifdef HAVE_XLSXWRITER
#define EXTS ".csv .json .md .xlsx"
#else
#define EXTS ".csv .json .md"
#endif

/* Adding a command is one line here: help and Tab completion read it too.
 * Commands marked idle read or switch the session, which the dialog on
 * the worker thread must not be changing meanwhile. */
const command commands[] = {
        {"/save", NULL, "PATH", "marked offers (all when none) to " EXTS, 0, cmd_save},
        {"/save!", NULL, "PATH", "the same, replacing an existing file", 0, cmd_save},
        {"/export", NULL, "PATH", "every offer shown, whatever is marked", 0, cmd_save},
        {"/export!", NULL, "PATH", "the same, replacing an existing file", 0, cmd_save},
        {"/sort", NULL, "COLUMN", "price, moq, lead, landed, rating, score, supplier...", 0,
         cmd_sort},
        {"/columns", NULL, "[[-]COLUMN...]",
         "show columns (assurance, response, replies, on-time, reorder, established...), "
         "-COLUMN hides; alone, choose (o)",
         0, cmd_columns},
        {"/reset", NULL, "", "start over with no filters", 0, cmd_reset},
        {"/undo", NULL, "", "undo the last filter change", 0, cmd_undo},
        {"/compare", NULL, "", "compare the marked offers", 0, cmd_compare},
        {"/similar", NULL, "", "add offers similar to the marked ones", 0, cmd_similar},
        {"/shortlist", NULL, "[NAME]", "marks go to the shortlist NAME; alone, open it (L)", 1,
         persist_cmd_shortlist},
        {"/shortlists", NULL, "", "list the shortlists", 1, persist_cmd_shortlists},
        {"/sessions", NULL, "[N]", "list the saved sessions; N switches to one", 1,
         persist_cmd_sessions},
        {"/help", NULL, "", "this help", 0, cmd_help},
        {"/quit", "/q", "", "leave souk", 0, cmd_quit},
};
const int ncommands = (int)(sizeof commands / sizeof commands[0]);

static const command *find(const char *name)
{
	int i;

	for (i = 0; i < ncommands; i++)
		if (strcmp(name, commands[i].name) == 0 ||
		    (commands[i].alias && strcmp(name, commands[i].alias) == 0))
			return &commands[i];
	return NULL;
}

unsigned command_run(app *a, const char *line)
{
	char *name = xstrdup(line), *args = name, *end;
	const command *c;
	unsigned r = 0;

	while (*args && *args != ' ')
		args++;
	if (*args)
		*args++ = '\0';
	while (*args == ' ')
		args++;
	for (end = args + strlen(args); end > args && end[-1] == ' ';)
		*--end = '\0';
	c = find(name);
	if (c == NULL) {
		char *m = xasprintf("Unknown command %s (/help lists them)", name);

		app_chat_add(a, CHAT_ERROR, m);
		free(m);
	} else if (c->idle && a->dlg_busy) {
		app_message(a, "One moment: souk is still answering; then %s again", name);
	} else {
		r = c->exec(a, c, args);
	}
	free(name);
	return r;
}

const char **command_names(int *n)
{
	const char **names = xcalloc((size_t)ncommands + 1, sizeof *names);
	int i;

	for (i = 0; i < ncommands; i++)
		names[i] = commands[i].name;
	*n = ncommands;
	return names;
}
