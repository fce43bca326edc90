/* view_shortlist: the `L` view (review, reorder, annotate, decide, remove, switch and rename lists)
 * and the session hooks. */
#include "build-config.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "catalog_info.h"
#include "input.h"
#include "session.h"
#include "shortlist.h"
#include "text.h"
#include "userdb.h"
#include "view.h"

/* Optional dashboard calls, weak so this view links against a dashboard
 * without them: app_chat_clear empties the chat pane so /sessions N can
 * swap the conversation in place (without it, switching takes a restart);
 * app_refine is in view.h but may not be defined yet. */
void app_chat_clear(struct app *a) __attribute__((weak));
void app_refine(struct app *a) __attribute__((weak));

enum sl_mode { M_BROWSE, M_NOTE, M_RENAME, M_NEW, M_EXPORT, M_CONFIRM };

typedef struct sl_view {
	sqlite3 *db;
	char *list;
	shortlist_item *items;
	int n, cur, top;
	enum sl_mode mode;
	input in;
	char msg[sizeof(souk_err)];
} sl_view;

static sqlite3 *open_db(struct app *a, souk_err *e)
{
	const souk_config *cfg = app_config(a);
	sqlite3 *db;

	if (config_ensure_data_dir(cfg, e) < 0 || userdb_open(cfg->userdb, &db, e) < 0)
		return NULL;
	return db;
}

/* ---- the list ---- */

static void reload(struct app *a, sl_view *v)
{
	match_ctx *m = app_match(a);
	souk_err e;

	shortlist_items_free(v->items, v->n);
	v->items = NULL;
	v->n = 0;
	free(v->list);
	v->list = shortlist_current(v->db);
	if (!shortlist_exists(v->db, v->list)) {
		/* nothing marked into it yet: an empty list, not an error */
	} else if (shortlist_load(v->db, v->list, &v->items, &v->n, &e) < 0) {
		snprintf(v->msg, sizeof v->msg, "%s", e.msg);
	} else if (m != NULL) {
		catalog_info_compare(m, v->items, v->n, &e);
	}
	if (v->cur >= v->n)
		v->cur = v->n - 1;
	if (v->cur < 0)
		v->cur = 0;
}

static void *sl_open(struct app *a)
{
	sl_view *v = xcalloc(1, sizeof *v);
	souk_err e;

	input_init(&v->in);
	if ((v->db = open_db(a, &e)) == NULL) {
		app_message(a, "%s", e.msg);
		v->list = xstrdup(SHORTLIST_DEFAULT);
		return v;
	}
	reload(a, v);
	return v;
}

static void sl_close(struct app *a, void *st)
{
	sl_view *v = st;

	(void)a;
	shortlist_items_free(v->items, v->n);
	free(v->list);
	input_free(&v->in);
	userdb_close(v->db);
	free(v);
}

/* Draws s (raw data) at y, x, clipped to width columns. */
static void put(WINDOW *w, int y, int x, int width, const char *s, int attr)
{
	char *clean, *cell;

	if (width <= 0)
		return;
	clean = text_sanitize(s ? s : "", 0);
	cell = text_pad(clean, width, 0);
	wattrset(w, attr);
	mvwaddstr(w, y, x, cell);
	free(cell);
	free(clean);
}

static const char *status_short(int st)
{
	static const char *const s[SL_STATUS_COUNT] = {"shortlisted", "ask supplier",
	                                               "sample ordered", "rejected"};

	return st >= 0 && st < SL_STATUS_COUNT ? s[st] : "";
}

static void draw_row(struct app *a, sl_view *v, WINDOW *w, int y, int width, int i)
{
	const shortlist_item *it = &v->items[i];
	int attr = app_attr(a, i == v->cur                             ? TH_CURSOR
	                       : it->status == SL_REJECTED || it->gone ? TH_DIM
	                                                               : TH_NORMAL);
	int wsup = width >= 100 ? 24 : 16, wprod = width >= 100 ? 30 : 20, x = 0;
	char buf[160];

	snprintf(buf, sizeof buf, "%3d %s", i + 1, it->changes ? "*" : " ");
	put(w, y, x, 6, buf, attr);
	x += 6;
	put(w, y, x, 15, status_short(it->status), attr);
	x += 15;
	put(w, y, x, wsup, it->row.supplier, attr);
	x += wsup + 1;
	put(w, y, x - 1, 1, " ", attr);
	put(w, y, x, wprod, it->row.title, attr);
	x += wprod + 1;
	put(w, y, x - 1, 1, " ", attr);
	if (it->row.price >= 0)
		snprintf(buf, sizeof buf, "%9.2f %-3s %6ld ", it->row.price, it->currency,
		         it->row.moq);
	else
		snprintf(buf, sizeof buf, "%9s %-3s %6ld ", "", "", it->row.moq);
	put(w, y, x, 21, buf, attr);
	x += 21;
	put(w, y, x, width - x, it->note, attr);
}

static const char *mode_label(enum sl_mode m)
{
	switch (m) {
	case M_NOTE:
		return "Note: ";
	case M_RENAME:
		return "Rename list to: ";
	case M_NEW:
		return "New list: ";
	case M_EXPORT:
		return "Export to (.csv .json .md .xlsx; end with ! to replace): ";
	case M_CONFIRM:
		return "Remove this offer from the list? (y/n) ";
	default:
		return "";
	}
}

static void draw_footer(struct app *a, sl_view *v, WINDOW *w, int h, int width)
{
	const char *label = mode_label(v->mode);
	size_t first;
	int col, lw;

	if (v->mode == M_BROWSE) {
		put(w, h - 1, 0, width,
		    v->msg[0] ? v->msg
		              : "j/k move  J/K reorder  n note  s/1-4 status  d remove  [ ] lists  "
		                "N new  R rename  e export  Esc close",
		    app_attr(a, v->msg[0] ? TH_STATUS : TH_DIM));
		return;
	}
	lw = text_width(label);
	put(w, h - 1, 0, width, label, app_attr(a, TH_QUESTION));
	if (v->mode == M_CONFIRM || width - lw < 2)
		return;
	input_view(&v->in, width - lw - 1, &first, &col);
	put(w, h - 1, lw, width - lw, v->in.line.s ? v->in.line.s + first : "",
	    app_attr(a, TH_NORMAL));
	wmove(w, h - 1, lw + col);
}

/* The selected item's full note and what changed since it was added. */
static void draw_detail(struct app *a, sl_view *v, WINDOW *w, int y, int width)
{
	const shortlist_item *it = &v->items[v->cur];
	char buf[400], when[32];

	util_fmt_time(it->added, when, sizeof when);
	if (it->changes)
		snprintf(buf, sizeof buf, "Added %s. Since added: %s", when, it->changes);
	else
		snprintf(buf, sizeof buf, "Added %s, unchanged since", when);
	put(w, y++, 1, width - 1, buf, app_attr(a, it->changes ? TH_QUESTION : TH_DIM));
	if (it->row.reasons && it->row.reasons[0])
		put(w, y, 1, width - 1, it->row.reasons, app_attr(a, TH_DIM));
}

static void sl_draw(struct app *a, void *st, WINDOW *w)
{
	sl_view *v = st;
	int h, width, rows, i, y;
	char title[200];

	getmaxyx(w, h, width);
	werase(w);
	if (h < 3 || width < 20)
		return;
	snprintf(title, sizeof title, "Shortlist: %.80s (%d offer%s)", v->list ? v->list : "", v->n,
	         v->n == 1 ? "" : "s");
	put(w, 0, 0, width, title, app_attr(a, TH_TITLE));
	put(w, 1, 0, width,
	    width >= 100
	            ? "  #   Status         Supplier                 Product                    "
	              "         Price     MOQ  Note"
	            : "  #   Status         Supplier         Product                  Price     "
	              "MOQ  Note",
	    app_attr(a, TH_HEADER));
	rows = h - 3 - (h > 8 ? 2 : 0); /* list, then two lines of detail when there is room */
	if (v->n == 0) {
		put(w, 2, 1, width - 1,
		    "Nothing here yet: mark offers in the grid with Space and they land on this "
		    "list.",
		    app_attr(a, TH_DIM));
	}
	if (v->cur < v->top)
		v->top = v->cur;
	if (rows > 0 && v->cur >= v->top + rows)
		v->top = v->cur - rows + 1;
	for (i = v->top, y = 2; i < v->n && y < 2 + rows; i++, y++)
		draw_row(a, v, w, y, width, i);
	if (h > 8 && v->n > 0)
		draw_detail(a, v, w, h - 3, width);
	draw_footer(a, v, w, h, width);
}

/* ---- actions ---- */

static void report(sl_view *v, int rc, const souk_err *e, const char *done)
{
	snprintf(v->msg, sizeof v->msg, "%s", rc < 0 ? e->msg : done);
}

static void move_item(struct app *a, sl_view *v, int delta)
{
	int to = v->cur + delta;
	souk_err e;

	if (v->n == 0 || to < 0 || to >= v->n)
		return;
	if (shortlist_move(v->db, v->list, v->items[v->cur].product_id, to, &e) < 0) {
		report(v, -1, &e, NULL);
		return;
	}
	v->cur = to;
	reload(a, v);
}

static void set_status(struct app *a, sl_view *v, int status)
{
	souk_err e;
	int rc;

	if (v->n == 0)
		return;
	rc = shortlist_set_status(v->db, v->list, v->items[v->cur].product_id, status, &e);
	report(v, rc, &e, "");
	reload(a, v);
}

static void remove_item(struct app *a, sl_view *v)
{
	match_row row;
	souk_err e;
	int rc;

	if (v->n == 0)
		return;
	/* Unmark it too, or the next save would see a mark without its item. */
	match_row_copy(&row, &v->items[v->cur].row);
	rc = shortlist_remove(v->db, v->list, row.product_id, &e);
	if (rc >= 0 && app_is_marked(a, row.product_id))
		app_set_mark(a, &row, 0);
	match_row_free(&row);
	report(v, rc, &e, "Removed.");
	reload(a, v);
}

static void switch_list(struct app *a, sl_view *v, int step)
{
	shortlist_info *lists;
	souk_err e;
	int n, i, at = 0;

	if (shortlist_list(v->db, &lists, &n, &e) < 0) {
		report(v, -1, &e, NULL);
		return;
	}
	if (n == 0) {
		free(lists);
		return;
	}
	for (i = 0; i < n; i++)
		if (util_strieq(lists[i].name, v->list))
			at = i;
	at = (at + step + n) % n;
	if (shortlist_switch(v->db, lists[at].name, &e) < 0)
		report(v, -1, &e, NULL);
	else
		snprintf(v->msg, sizeof v->msg, "Marks now go to %.200s (%d of %d lists)",
		         lists[at].name, at + 1, n);
	shortlist_infos_free(lists, n);
	v->cur = 0;
	reload(a, v);
}

static void export_list(struct app *a, sl_view *v, const char *arg)
{
	char *path = xstrdup(arg);
	size_t len = strlen(path);
	int force = len > 0 && path[len - 1] == '!';
	export_format fmt;
	souk_err e;
	int rc;

	if (force)
		path[--len] = '\0';
	rc = export_format_from_path(path, &fmt, &e);
	if (rc == 0)
		rc = shortlist_export(v->db, v->list, path, fmt, force, app_match(a), &e);
	if (rc < 0 && strstr(e.msg, "already exists"))
		snprintf(v->msg, sizeof v->msg,
		         "%.200s exists: export again with ! at the end to "
		         "replace it",
		         path);
	else
		report(v, rc, &e, "Exported.");
	free(path);
}

/* Enter in an editing mode. */
static void submit(struct app *a, sl_view *v)
{
	char *text = input_take(&v->in);
	souk_err e;
	int rc = 0;

	switch (v->mode) {
	case M_NOTE:
		if (v->n > 0)
			rc = shortlist_annotate(v->db, v->list, v->items[v->cur].product_id, text,
			                        &e);
		report(v, rc, &e, "Note saved.");
		break;
	case M_RENAME:
		rc = shortlist_exists(v->db, v->list) ? shortlist_rename(v->db, v->list, text, &e)
		                                      : shortlist_switch(v->db, text, &e);
		report(v, rc, &e, "Renamed.");
		break;
	case M_NEW:
		rc = shortlist_switch(v->db, text, &e);
		report(v, rc, &e, "New list: marks now go here.");
		v->cur = 0;
		break;
	case M_EXPORT:
		export_list(a, v, text);
		break;
	default:
		break;
	}
	free(text);
	v->mode = M_BROWSE;
	reload(a, v);
}

static void edit(sl_view *v, enum sl_mode mode, const char *initial)
{
	v->mode = mode;
	input_set(&v->in, initial ? initial : "");
	v->msg[0] = '\0';
}

static int edit_key(struct app *a, sl_view *v, int key)
{
	if (key == VIEW_ESC) {
		input_set(&v->in, "");
		v->mode = M_BROWSE;
		return VIEW_KEY_DONE;
	}
	if (v->mode == M_CONFIRM) {
		v->mode = M_BROWSE;
		if (key == 'y' || key == 'Y')
			remove_item(a, v);
		return VIEW_KEY_DONE;
	}
	if (input_key(&v->in, key) == INPUT_SUBMIT)
		submit(a, v);
	return VIEW_KEY_DONE;
}

static int sl_key(struct app *a, void *st, int key)
{
	sl_view *v = st;
	int page = 10;

	if (v->db == NULL)
		return key == 'q' || key == VIEW_ESC ? VIEW_KEY_CLOSE : VIEW_KEY_PASS;
	if (v->mode != M_BROWSE)
		return edit_key(a, v, key);
	v->msg[0] = '\0';
	switch (key) {
	case 'j':
	case VIEW_KEY(KEY_DOWN):
		if (v->cur + 1 < v->n)
			v->cur++;
		return VIEW_KEY_DONE;
	case 'k':
	case VIEW_KEY(KEY_UP):
		if (v->cur > 0)
			v->cur--;
		return VIEW_KEY_DONE;
	case VIEW_KEY(KEY_NPAGE):
		v->cur = v->cur + page < v->n ? v->cur + page : v->n - 1;
		return VIEW_KEY_DONE;
	case VIEW_KEY(KEY_PPAGE):
		v->cur = v->cur > page ? v->cur - page : 0;
		return VIEW_KEY_DONE;
	case 'g':
	case VIEW_KEY(KEY_HOME):
		v->cur = 0;
		return VIEW_KEY_DONE;
	case 'G':
	case VIEW_KEY(KEY_END):
		v->cur = v->n > 0 ? v->n - 1 : 0;
		return VIEW_KEY_DONE;
	case 'J':
	case VIEW_KEY(KEY_SF):
		move_item(a, v, 1);
		return VIEW_KEY_DONE;
	case 'K':
	case VIEW_KEY(KEY_SR):
		move_item(a, v, -1);
		return VIEW_KEY_DONE;
	case 'n':
	case '\r':
	case '\n':
	case VIEW_KEY(KEY_ENTER):
		if (v->n > 0)
			edit(v, M_NOTE, v->items[v->cur].note);
		return VIEW_KEY_DONE;
	case 's':
		if (v->n > 0)
			set_status(a, v, (v->items[v->cur].status + 1) % SL_STATUS_COUNT);
		return VIEW_KEY_DONE;
	case '1':
	case '2':
	case '3':
	case '4':
		set_status(a, v, key - '1');
		return VIEW_KEY_DONE;
	case 'd':
	case VIEW_KEY(KEY_DC):
		if (v->n > 0)
			edit(v, M_CONFIRM, NULL);
		return VIEW_KEY_DONE;
	case '[':
		switch_list(a, v, -1);
		return VIEW_KEY_DONE;
	case ']':
		switch_list(a, v, 1);
		return VIEW_KEY_DONE;
	case 'N':
		edit(v, M_NEW, NULL);
		return VIEW_KEY_DONE;
	case 'R':
		edit(v, M_RENAME, v->list);
		return VIEW_KEY_DONE;
	case 'e':
		edit(v, M_EXPORT, NULL);
		return VIEW_KEY_DONE;
	case 'q':
	case VIEW_ESC:
		return VIEW_KEY_CLOSE;
	default:
		return VIEW_KEY_PASS;
	}
}

/* ---- sessions ---- */

static void restore(struct app *a, const session_state *s)
{
	const match_row *old;
	match_row *marks;
	souk_filter f;
	souk_err e;
	cJSON *tr, *it;
	int n, i;

	tr = cJSON_Parse(s->transcript_json);
	cJSON_ArrayForEach(it, tr)
	{
		const cJSON *role = cJSON_GetObjectItemCaseSensitive(it, "role");
		const cJSON *text = cJSON_GetObjectItemCaseSensitive(it, "text");

		if (cJSON_IsString(text))
			app_chat_add(a,
			             cJSON_IsString(role) && strcmp(role->valuestring, "user") == 0
			                     ? CHAT_USER
			                     : CHAT_SOUK,
			             text->valuestring);
	}
	cJSON_Delete(tr);
	if (filter_from_json(s->filter_json, &f, &e) == 0) {
		dialog_set_filter(app_dialog(a), &f);
		filter_free(&f);
	}
	/* marks from a previous session replace the current ones */
	while ((n = app_marked(a, &old)) > 0)
		app_set_mark(a, &old[n - 1], 0);
	if (session_marks_from_json(s->marks_json, &marks, &n, &e) == 0) {
		for (i = 0; i < n; i++) {
			app_set_mark(a, &marks[i], 1);
			match_row_free(&marks[i]);
		}
		free(marks);
	}
	/* the grid column when it still exists, else the catalog order */
	if (!s->sort_column || !*s->sort_column ||
	    app_set_sort_column(a, s->sort_column, s->descending) < 0)
		app_set_sort(a, (enum match_sort)s->sort, s->descending);
	/* they are in the session and on the shortlist already */
	app_marks_saved(a);
}

static void sl_session_start(struct app *a, int fresh)
{
	session_state s;
	souk_err e;
	sqlite3 *db = open_db(a, &e);
	int rc;

	if (db == NULL) {
		app_chat_add(a, CHAT_ERROR, e.msg);
		return;
	}
	rc = session_begin(db, fresh, &s, &e);
	if (rc < 0) {
		app_chat_add(a, CHAT_ERROR, e.msg);
	} else if (rc == 1) {
		restore(a, &s);
		app_chat_add(a, CHAT_INFO,
		             "Resumed your last session (souk --new starts afresh; /sessions lists "
		             "them).");
	}
	session_state_free(&s);
	userdb_close(db);
}

/* After every turn, edit, mark and sort change: one cheap transaction. */
static void sl_session_changed(struct app *a)
{
	session_input in = {0};
	const match_row *marks;
	enum match_sort sort;
	int col_desc;
	char *tr;
	souk_err e;
	sqlite3 *db = open_db(a, &e);

	if (db == NULL) {
		app_message(a, "Session not saved: %s", e.msg);
		return;
	}
	tr = app_transcript_json(a);
	in.transcript_json = tr;
	in.filter = dialog_filter(app_dialog(a));
	in.nmarks = app_marked(a, &marks);
	in.marks = marks;
	app_get_sort(a, &sort, &in.descending);
	in.sort = (int)sort;
	app_get_sort_column(a, &in.sort_column, &col_desc);
	if (in.sort_column != NULL)
		in.descending = col_desc;
	if (session_record(db, &in, &e) < 0)
		app_message(a, "Session not saved: %s", e.msg);
	free(tr);
	userdb_close(db);
}

static void list_sessions(struct app *a, sqlite3 *db)
{
	session_state *v;
	char when[32], *cur = userdb_get(db, "current_session");
	souk_err e;
	int n, i;

	if (session_list(db, &v, &n, &e) < 0) {
		app_chat_add(a, CHAT_ERROR, e.msg);
		free(cur);
		return;
	}
	app_chat_add(a, CHAT_INFO, n ? "Sessions (/sessions N switches):" : "No saved sessions.");
	for (i = 0; i < n && i < 20; i++) {
		char *line;

		util_fmt_time(v[i].updated, when, sizeof when);
		line = xasprintf("%s %lld  %s  %s", cur && atoll(cur) == v[i].id ? "*" : " ",
		                 (long long)v[i].id, when, v[i].title[0] ? v[i].title : "(empty)");
		app_chat_add(a, CHAT_INFO, line);
		free(line);
	}
	session_list_free(v, n);
	free(cur);
}

static void switch_session(struct app *a, sqlite3 *db, long long id)
{
	char *cur = userdb_get(db, "current_session");
	int same = cur && atoll(cur) == id;
	session_state s;
	souk_err e;

	free(cur);
	if (same) {
		app_chat_add(a, CHAT_INFO, "That is the session open now.");
		return;
	}
	sl_session_changed(a); /* keep what is on screen first */
	if (session_load(db, id, &s, &e) < 0) {
		app_chat_add(a, CHAT_ERROR, e.msg);
		return;
	}
	if (session_set_current(db, id, &e) < 0) {
		app_chat_add(a, CHAT_ERROR, e.msg);
	} else if (app_chat_clear && app_refine) {
		app_chat_clear(a);
		restore(a, &s);
		app_refine(a);
	} else {
		app_chat_add(a, CHAT_INFO,
		             "That session opens the next time souk starts (q quits).");
	}
	session_state_free(&s);
}

static void list_lists(struct app *a, sqlite3 *db)
{
	shortlist_info *v;
	char *cur = shortlist_current(db), *line;
	souk_err e;
	int n, i;

	if (shortlist_list(db, &v, &n, &e) < 0) {
		app_chat_add(a, CHAT_ERROR, e.msg);
		free(cur);
		return;
	}
	if (n == 0)
		app_chat_add(a, CHAT_INFO, "No shortlists yet: Space marks offers into one.");
	for (i = 0; i < n; i++) {
		line = xasprintf("%s %s (%d offer%s)", util_strieq(v[i].name, cur) ? "*" : " ",
		                 v[i].name, v[i].nitems, v[i].nitems == 1 ? "" : "s");
		app_chat_add(a, CHAT_INFO, line);
		free(line);
	}
	shortlist_infos_free(v, n);
	free(cur);
}

/* /shortlist [NAME], /shortlists, /sessions [N] */
static int sl_command(struct app *a, const char *name, const char *args)
{
	sqlite3 *db;
	souk_err e;
	char *line;

	if (strcmp(name, "shortlist") && strcmp(name, "shortlists") && strcmp(name, "sessions"))
		return 0;
	if ((db = open_db(a, &e)) == NULL) {
		app_chat_add(a, CHAT_ERROR, e.msg);
		return 1;
	}
	if (strcmp(name, "sessions") == 0) {
		if (args[0])
			switch_session(a, db, atoll(args));
		else
			list_sessions(a, db);
	} else if (strcmp(name, "shortlists") == 0) {
		list_lists(a, db);
	} else if (args[0] == '\0') {
		app_push_view(a, &view_shortlist);
	} else if (shortlist_switch(db, args, &e) < 0) {
		app_chat_add(a, CHAT_ERROR, e.msg);
	} else {
		line = xasprintf("Marks now go to the shortlist \"%s\" (L shows it).", args);
		app_chat_add(a, CHAT_INFO, line);
		free(line);
	}
	userdb_close(db);
	return 1;
}

const struct view view_shortlist = {
        .name = "shortlist",
        .hotkey = 'L',
        .help = "shortlist: reorder (J/K), notes (n), status (s, 1-4), remove (d), lists ([ ] N R)",
        .open = sl_open,
        .close = sl_close,
        .draw = sl_draw,
        .key = sl_key,
        .command = sl_command,
        .session_start = sl_session_start,
        .session_changed = sl_session_changed,
        .session_end = sl_session_changed,
};
