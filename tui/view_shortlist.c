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
#include "list.h"
#include "session.h"
#include "shortlist.h"
#include "text.h"
#include "userdb.h"
#include "app.h"
#include "persist.h"

enum sl_mode { M_BROWSE, M_NOTE, M_RENAME, M_NEW, M_EXPORT, M_CONFIRM };

typedef struct sl_view {
	souk_userdb *db;
	char *list;
	shortlist_item *items;
	list l; /* over items */
	enum sl_mode mode;
	input in;
	char msg[sizeof(souk_err)];
} sl_view;

/* ---- the list ---- */

static void reload(struct app *a, sl_view *v)
{
	match_ctx *m = app_match(a);
	souk_err e;

	shortlist_items_free(v->items, v->l.n);
	v->items = NULL;
	v->l.n = 0;
	free(v->list);
	v->list = shortlist_current(v->db);
	if (!shortlist_exists(v->db, v->list)) {
		/* nothing marked into it yet: an empty list, not an error */
	} else if (shortlist_load(v->db, v->list, &v->items, &v->l.n, &e) < 0) {
		snprintf(v->msg, sizeof v->msg, "%s", e.msg);
	} else if (m != NULL) {
		catalog_info_compare(m, v->items, v->l.n, &e);
	}
	list_set_count(&v->l, v->l.n);
}

static void *sl_open(struct app *a)
{
	sl_view *v = xcalloc(1, sizeof *v);
	souk_err e;

	input_init(&v->in);
	if ((v->db = persist_open_db(a, &e)) == NULL) {
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
	shortlist_items_free(v->items, v->l.n);
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
	int attr = app_attr(a, i == v->l.cur                           ? TH_CURSOR
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
	const shortlist_item *it = &v->items[v->l.cur];
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

static void sl_draw(struct app *a, void *st, WINDOW *w, int focused)
{
	sl_view *v = st;
	int h, width, rows, i, y;
	char title[200];

	(void)focused;
	getmaxyx(w, h, width);
	werase(w);
	if (h < 3 || width < 20)
		return;
	snprintf(title, sizeof title, "Shortlist: %.80s (%d offer%s)", v->list ? v->list : "",
	         v->l.n, v->l.n == 1 ? "" : "s");
	put(w, 0, 0, width, title, app_attr(a, TH_TITLE));
	put(w, 1, 0, width,
	    width >= 100
	            ? "  #   Status         Supplier                 Product                    "
	              "         Price     MOQ  Note"
	            : "  #   Status         Supplier         Product                  Price     "
	              "MOQ  Note",
	    app_attr(a, TH_HEADER));
	rows = h - 3 - (h > 8 ? 2 : 0); /* list, then two lines of detail when there is room */
	if (v->l.n == 0) {
		put(w, 2, 1, width - 1,
		    "Nothing here yet: mark offers in the grid with Space and they land on this "
		    "list.",
		    app_attr(a, TH_DIM));
	}
	list_scroll(&v->l, rows);
	for (i = v->l.top, y = 2; i < v->l.n && y < 2 + rows; i++, y++)
		draw_row(a, v, w, y, width, i);
	if (h > 8 && v->l.n > 0)
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
	int to = v->l.cur + delta;
	souk_err e;

	if (v->l.n == 0 || to < 0 || to >= v->l.n)
		return;
	if (shortlist_move(v->db, v->list, v->items[v->l.cur].product_id, to, &e) < 0) {
		report(v, -1, &e, NULL);
		return;
	}
	v->l.cur = to;
	reload(a, v);
}

static void set_status(struct app *a, sl_view *v, int status)
{
	souk_err e;
	int rc;

	if (v->l.n == 0)
		return;
	rc = shortlist_set_status(v->db, v->list, v->items[v->l.cur].product_id, status, &e);
	report(v, rc, &e, "");
	reload(a, v);
}

static void remove_item(struct app *a, sl_view *v)
{
	match_row row;
	souk_err e;
	int rc;

	if (v->l.n == 0)
		return;
	/* Unmark it too, or the next save would see a mark without its item. */
	match_row_copy(&row, &v->items[v->l.cur].row);
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
		snprintf(v->msg, sizeof v->msg, "Marks now go to %.200s (%d of %d list%s)",
		         lists[at].name, at + 1, n, n == 1 ? "" : "s");
	shortlist_infos_free(lists, n);
	v->l.cur = 0;
	reload(a, v);
}

/* "Exported 3 offers to /tmp/list.csv (CSV)": what went where, in what. */
static void say_exported(sl_view *v, const char *path, export_format fmt)
{
	static const char *const names[] = {
	        [EXPORT_CSV] = "CSV",
	        [EXPORT_JSON] = "JSON",
	        [EXPORT_MD] = "Markdown",
	        [EXPORT_XLSX] = "XLSX",
	};

	snprintf(v->msg, sizeof v->msg, "Exported %d offer%s to %.200s (%s)", v->l.n,
	         v->l.n == 1 ? "" : "s", path, names[fmt]);
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
	if (rc < 0 && e.code == SOUK_E_EXISTS)
		snprintf(v->msg, sizeof v->msg,
		         "%.200s exists: export again with ! at the end to "
		         "replace it",
		         path);
	else if (rc < 0)
		report(v, rc, &e, NULL);
	else
		say_exported(v, path, fmt);
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
		if (v->l.n > 0)
			rc = shortlist_annotate(v->db, v->list, v->items[v->l.cur].product_id, text,
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
		v->l.cur = 0;
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

static unsigned edit_key(struct app *a, sl_view *v, int key)
{
	if (key == VIEW_ESC) {
		input_set(&v->in, "");
		v->mode = M_BROWSE;
		return PANE_DONE;
	}
	if (v->mode == M_CONFIRM) {
		v->mode = M_BROWSE;
		if (key == 'y' || key == 'Y')
			remove_item(a, v);
		return PANE_DONE;
	}
	if (input_key(&v->in, key) == INPUT_SUBMIT)
		submit(a, v);
	return PANE_DONE;
}

/* An action on the item under the cursor, the list, or the view. */
static unsigned browse(struct app *a, sl_view *v, int key, enum action act)
{
	const shortlist_item *it = v->l.n > 0 ? &v->items[v->l.cur] : NULL;

	switch (act) {
	case ACT_MOVE_DOWN:
	case ACT_MOVE_UP:
		move_item(a, v, act == ACT_MOVE_DOWN ? 1 : -1);
		break;
	case ACT_NOTE:
		if (it)
			edit(v, M_NOTE, it->note);
		break;
	case ACT_STATUS_NEXT:
		if (it)
			set_status(a, v, (it->status + 1) % SL_STATUS_COUNT);
		break;
	case ACT_STATUS_SET:
		set_status(a, v, key - '1');
		break;
	case ACT_REMOVE:
		if (it)
			edit(v, M_CONFIRM, NULL);
		break;
	case ACT_LIST_PREV:
	case ACT_LIST_NEXT:
		switch_list(a, v, act == ACT_LIST_NEXT ? 1 : -1);
		break;
	case ACT_LIST_NEW:
		edit(v, M_NEW, NULL);
		break;
	case ACT_RENAME:
		edit(v, M_RENAME, v->list);
		break;
	case ACT_EXPORT:
		edit(v, M_EXPORT, NULL);
		break;
	case ACT_CLOSE:
		return PANE_CLOSE;
	default:
		return PANE_PASS;
	}
	return PANE_DONE;
}

static unsigned sl_key(struct app *a, void *st, int key, enum action act)
{
	sl_view *v = st;

	if (v->db == NULL)
		return act == ACT_CLOSE ? PANE_CLOSE : PANE_PASS;
	if (v->mode != M_BROWSE)
		return edit_key(a, v, key);
	v->msg[0] = '\0';
	v->l.page = 10;
	if (list_move(&v->l, act))
		return PANE_DONE;
	return browse(a, v, key, act);
}

const struct pane view_shortlist = {
        .name = "shortlist",
        .ctx = KC_SHORTLIST,
        .help = "shortlist: reorder (J/K), notes (n), status (s, 1-4), remove (d), lists ([ ] N R)",
        .open = sl_open,
        .close = sl_close,
        .draw = sl_draw,
        .key = sl_key,
};
