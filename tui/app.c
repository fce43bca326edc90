/* app: the dashboard's state and event loop (one poll for keys, wake pipe, SIGWINCH, curl). */
#include "build-config.h"

#include "app.h"

#include <cJSON.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "dylib.h"
#include "export.h"
#include "term.h"
#include "text.h"

#define PASTE_BEGIN (KEY_MAX + 1)
#define PASTE_END   (KEY_MAX + 2)

/* ---- accessors for views (view.h) ---- */

const souk_config *app_config(struct app *a)
{
	return a->cfg;
}

dialog *app_dialog(struct app *a)
{
	return a->dlg;
}

match_ctx *app_match(struct app *a)
{
	return a->mctx;
}

const match_result *app_result(struct app *a)
{
	return a->have_result ? &a->res : NULL;
}

const char *app_catalog_path(struct app *a)
{
	return a->catalog;
}

int app_marked(struct app *a, const match_row **rows)
{
	if (rows)
		*rows = a->marks;
	return a->nmarks;
}

int app_is_marked(struct app *a, int64_t product_id)
{
	int i;

	for (i = 0; i < a->nmarks; i++)
		if (a->marks[i].product_id == product_id)
			return 1;
	return 0;
}

void app_set_mark(struct app *a, const match_row *row, int on)
{
	int i;

	for (i = 0; i < a->nmarks; i++)
		if (a->marks[i].product_id == row->product_id)
			break;
	if (on && i == a->nmarks) {
		if (a->nmarks == a->capmarks) {
			a->capmarks = a->capmarks ? a->capmarks * 2 : 16;
			a->marks = xrealloc(a->marks, sizeof *a->marks * (size_t)a->capmarks);
		}
		match_row_copy(&a->marks[a->nmarks++], row);
		a->unsaved = 1;
	} else if (!on && i < a->nmarks) {
		match_row_free(&a->marks[i]);
		memmove(&a->marks[i], &a->marks[i + 1],
		        sizeof *a->marks * (size_t)(a->nmarks - i - 1));
		a->nmarks--;
		a->unsaved = a->nmarks > 0;
	}
}

int app_marks_unsaved(struct app *a)
{
	return a->unsaved && a->nmarks > 0;
}

void app_marks_saved(struct app *a)
{
	a->unsaved = 0;
}

void app_get_sort(struct app *a, enum match_sort *sort, int *descending)
{
	static const struct {
		const char *name;
		enum match_sort s;
	} map[] = {{"Price", MATCH_SORT_PRICE},   {"MOQ", MATCH_SORT_MOQ},
	           {"Lead", MATCH_SORT_LEAD},     {"Rating", MATCH_SORT_RATING},
	           {"Landed", MATCH_SORT_LANDED}, {"Score", MATCH_SORT_SCORE}};
	const char *name = grid_column_name(a->sort_col);
	size_t i;

	/* the grid column is what the buyer chose; the SQL order follows it */
	*sort = MATCH_SORT_SCORE;
	*descending = a->sort_desc;
	for (i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcmp(name, map[i].name) == 0)
			*sort = map[i].s;
	if (*sort == MATCH_SORT_SCORE && strcmp(name, "Score") != 0)
		*descending = !a->sort_desc; /* rank 1 first is the best score first */
}

void app_get_sort_column(struct app *a, const char **name, int *descending)
{
	*name = grid_column_name(a->sort_col);
	*descending = a->sort_desc;
}

int app_set_sort_column(struct app *a, const char *name, int descending)
{
	int col = grid_column_lookup(name);

	if (col < 0)
		return -1;
	grid_sort_by(a, col, descending);
	return 0;
}

void app_set_sort(struct app *a, enum match_sort sort, int descending)
{
	static const char *const names[] = {"score", "price", "moq", "lead", "rating", "landed"};
	int col;

	if ((int)sort < 0 || (size_t)sort >= sizeof names / sizeof names[0])
		return;
	/* best score first is the grid's default look: rank 1 at the top */
	if (sort == MATCH_SORT_SCORE) {
		grid_sort_by(a, grid_column_lookup("rank"), !descending);
		return;
	}
	col = grid_column_lookup(names[sort]);
	if (col >= 0)
		grid_sort_by(a, col, descending);
}

char *app_transcript_json(struct app *a)
{
	cJSON *arr = cJSON_CreateArray();
	char *s, *out;
	int i;

	for (i = 0; i < a->nchat; i++) {
		cJSON *o;

		if (a->chat[i].role == CHAT_INFO || a->chat[i].role == CHAT_ERROR)
			continue;
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "role", a->chat[i].role == CHAT_USER ? "user" : "souk");
		cJSON_AddStringToObject(o, "text", a->chat[i].text);
		cJSON_AddItemToArray(arr, o);
	}
	s = cJSON_PrintUnformatted(arr);
	cJSON_Delete(arr);
	out = xstrdup(s ? s : "[]");
	cJSON_free(s);
	return out;
}

void app_message(struct app *a, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a->msg, sizeof a->msg, fmt, ap);
	va_end(ap);
}

static void free_extra(app *a);

void app_changed(app *a)
{
	/* the hook reads the dialog, which the worker owns while a job runs */
	if (a->dlg_busy) {
		a->changed_pending = 1;
		return;
	}
	a->changed_pending = 0;
	if (&view_shortlist != NULL && view_shortlist.session_changed)
		view_shortlist.session_changed(a);
}

void app_refine(struct app *a)
{
	if (!a->dlg_busy && a->dlg) {
		filter_free(&a->filter);
		filter_copy(&a->filter, dialog_filter(a->dlg));
	}
	free_extra(a);
	app_post_refine(a);
}

void app_chat_clear(struct app *a)
{
	chat_free(a);
	a->recount = 1; /* a session switched in place brings its own counts */
}

/* ---- the conversation, on the worker thread ---- */

struct dlg_op {
	enum worker_dialog_op op;
	char *line;
	filter_delta delta;
	int reset;
};

static void dlg_next(app *a)
{
	struct dlg_op op;

	if (a->dlg_busy || a->nops == 0)
		return;
	op = a->ops[0];
	memmove(a->ops, a->ops + 1, sizeof *a->ops * (size_t)(a->nops - 1));
	a->nops--;
	a->dlg_reset = op.reset;
	a->dlg_op = op.op;
	worker_dialog_post(a->wk, op.op, op.line, op.op == WD_EDIT ? &op.delta : NULL);
	free(op.line);
	a->dlg_busy = 1;
	a->timing.dlg_t0 = util_now();
}

static void dlg_queue(app *a, enum worker_dialog_op kind, const char *line, filter_delta *d)
{
	struct dlg_op *op;

	a->ops = xrealloc(a->ops, sizeof *a->ops * (size_t)(a->nops + 1));
	op = &a->ops[a->nops++];
	memset(op, 0, sizeof *op);
	op->op = kind;
	op->line = line ? xstrdup(line) : NULL;
	if (d) {
		op->delta = *d; /* moved */
		op->reset = d->reset;
	}
	dlg_next(a);
}

void app_dialog_turn(app *a, const char *line)
{
	dlg_queue(a, WD_TURN, line, NULL);
}

void app_dialog_edit(app *a, filter_delta *d)
{
	dlg_queue(a, WD_EDIT, NULL, d);
}

void app_dialog_undo(app *a)
{
	dlg_queue(a, WD_UNDO, NULL, NULL);
}

static void take_reply(app *a)
{
	worker_reply r;
	int was_busy = a->busy;

	if (!worker_take_reply(a->wk, &r))
		return;
	a->dlg_busy = 0;
	{
		double ms = (util_now() - a->timing.dlg_t0) * 1000.0;

		a->timing.reply_sum_ms += ms;
		if (ms > a->timing.reply_max_ms)
			a->timing.reply_max_ms = ms;
		a->timing.nreplies++;
	}
	filter_free(&a->filter);
	a->filter = r.filter;
	if (a->dlg_op == WD_UNDO && r.rc == 0) {
		app_message(a, "Nothing to undo");
	} else if (r.rc < 0) {
		app_chat_add(a, CHAT_ERROR, r.err.msg);
	} else {
		if (a->dlg_reset)
			free_extra(a);
		app_after_reply(a, &r.reply);
	}
	/* a grid query the job interrupted, or a reset to the same state,
	 * still needs an answer */
	if (!(r.rc >= 0 && r.reply.changed) && (was_busy || a->dlg_reset))
		app_post_refine(a);
	dialog_reply_free(&r.reply);
	if (a->changed_pending)
		app_changed(a);
	dlg_next(a);
}

/* "1,234,567": counts buyers read at a glance. */
char *app_fmt_count(long n, char *buf, size_t len)
{
	char raw[32];
	int i, digits;
	size_t o = 0;

	snprintf(raw, sizeof raw, "%ld", n < 0 ? -n : n);
	digits = (int)strlen(raw);
	if (n < 0 && o + 1 < len)
		buf[o++] = '-';
	for (i = 0; i < digits && o + 2 < len; i++) {
		if (i > 0 && (digits - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = raw[i];
	}
	buf[o] = '\0';
	return buf;
}

/* ---- views ---- */

void app_push_view(struct app *a, const struct view *v)
{
	if (v == NULL || a->nviews == APP_MAX_VIEWS)
		return;
	a->views[a->nviews].v = v;
	a->views[a->nviews].st = NULL;
	a->nviews++;
	/* open may push or message; the slot exists first */
	if (v->open)
		a->views[a->nviews - 1].st = v->open(a);
}

void app_pop_view(app *a)
{
	view_slot *s;

	if (a->nviews == 0)
		return;
	s = &a->views[--a->nviews];
	if (s->v->close)
		s->v->close(a, s->st);
}

void app_focus(app *a, int focus)
{
	a->focus = (focus % FOCUS_COUNT + FOCUS_COUNT) % FOCUS_COUNT;
}

/* ---- drawing ---- */

void app_draw_text(app *a, WINDOW *w, int y, int x, int width, const char *s, int attr)
{
	int used;
	size_t n;

	(void)a;
	if (width <= 0 || s == NULL)
		return;
	n = text_fit(s, width, &used);
	wattrset(w, attr);
	mvwaddnstr(w, y, x, s, (int)n);
	wattrset(w, A_NORMAL);
}

static void del_windows(app *a)
{
	WINDOW **ws[] = {&a->w_side, &a->w_div,    &a->w_chat, &a->w_input,
	                 &a->w_grid, &a->w_status, &a->w_view, &a->w_msg};
	size_t i;

	for (i = 0; i < sizeof ws / sizeof ws[0]; i++) {
		if (*ws[i])
			delwin(*ws[i]);
		*ws[i] = NULL;
	}
}

static WINDOW *mkwin(const rect *r)
{
	WINDOW *w;

	if (layout_empty(r))
		return NULL;
	w = newwin(r->h, r->w, r->y, r->x);
	if (w)
		leaveok(w, TRUE);
	return w;
}

/* Windows follow the layout; rebuilt only when it changes. */
static void make_windows(app *a)
{
	layout l;

	layout_compute(&l, LINES, COLS, a->focus == FOCUS_SIDEBAR);
	if (a->w_status && memcmp(&l, &a->lay, sizeof l) == 0)
		return;
	if (!a->w_msg && l.too_small && a->lay.too_small && memcmp(&l, &a->lay, sizeof l) == 0)
		return;
	del_windows(a);
	a->lay = l;
	if (l.too_small) {
		a->w_msg = mkwin(&l.msg);
		return;
	}
	a->w_side = mkwin(&l.sidebar);
	a->w_div = mkwin(&l.divider);
	a->w_chat = mkwin(&l.chat);
	a->w_input = mkwin(&l.input);
	if (a->w_input)
		leaveok(a->w_input, FALSE);
	a->w_grid = mkwin(&l.grid);
	a->w_status = mkwin(&l.status);
	a->w_view = mkwin(&l.view);
	clearok(curscr, TRUE); /* a new size: repaint everything once */
}

static const char *spinner(app *a)
{
	static const char *const u[] = {"\xe2\xa0\x8b", "\xe2\xa0\x99", "\xe2\xa0\xb9",
	                                "\xe2\xa0\xb8", "\xe2\xa0\xbc", "\xe2\xa0\xb4",
	                                "\xe2\xa0\xa6", "\xe2\xa0\xa7"};
	static const char *const s[] = {"|", "/", "-", "\\"};

	return a->utf8 ? u[a->spin % 8] : s[a->spin % 4];
}

static void draw_status(app *a, WINDOW *w)
{
	int h, width;
	char left[256], right[128], num[32];
	/* the model-server backend is not built yet: say what really answers */
	const char *engine = "engine: offline";

	getmaxyx(w, h, width);
	(void)h;
	wbkgdset(w, (chtype)app_attr(a, TH_STATUS));
	werase(w);
	if (a->pr.kind != PROMPT_NONE) {
		size_t first;
		int col, lw = text_width(a->pr.label);

		app_draw_text(a, w, 0, 0, width, a->pr.label, app_attr(a, TH_STATUS) | A_BOLD);
		if (a->pr.kind != PROMPT_QUIT) {
			input_view(&a->pr.in, width - lw - 1, &first, &col);
			app_draw_text(a, w, 0, lw, width - lw, a->pr.in.line.s + first,
			              app_attr(a, TH_STATUS));
			wmove(w, 0, lw + col < width ? lw + col : width - 1);
		}
		return;
	}
	snprintf(left, sizeof left, " %s | %s%s results | %d marked%s | %s %s", a->catalog_label,
	         a->have_result ? "" : "~",
	         app_fmt_count(a->have_result ? a->res.total : 0L, num, sizeof num), a->nmarks,
	         app_marks_unsaved(a) ? "*" : "", engine,
	         a->busy || a->dlg_busy ? spinner(a) : " ");
	if (a->nviews > 0)
		snprintf(right, sizeof right, "%s | Esc back  ? help ",
		         a->views[a->nviews - 1].v->name);
	else if (a->focus == FOCUS_CHAT)
		snprintf(right, sizeof right, "Enter send  Tab grid  F1 help ");
	else
		snprintf(right, sizeof right, "Tab focus  ? help  q quit ");
	if (a->msg[0]) {
		char *m = text_sanitize(a->msg, 0);

		snprintf(right, sizeof right, "%s ", m);
		free(m);
	}
	app_draw_text(a, w, 0, 0, width, left, app_attr(a, TH_STATUS));
	{
		int rw = text_width(right), lw = text_width(left);

		if (rw > width - lw - 1)
			rw = width - lw - 1;
		if (a->msg[0] && rw < text_width(right)) {
			/* a message matters more than the counts */
			app_draw_text(a, w, 0, 0, width, right, app_attr(a, TH_STATUS) | A_BOLD);
		} else if (rw > 0) {
			app_draw_text(a, w, 0, width - rw, rw, right,
			              app_attr(a, TH_STATUS) | (a->msg[0] ? A_BOLD : 0));
		}
	}
}

static void draw_divider(app *a, WINDOW *w)
{
	int h, width, y;

	getmaxyx(w, h, width);
	(void)width;
	werase(w);
	wattrset(w, app_attr(a, TH_BORDER));
	/* a UTF-8 line: ACS drawing characters are unreliable inside tmux and
	 * some UTF-8 terminals */
	for (y = 0; y < h; y++)
		mvwaddstr(w, y, 0, a->utf8 ? "\xe2\x94\x82" : "|");
}

static void draw_too_small(app *a)
{
	int h, width;
	const char *msg = "souk: enlarge the window";
	char *t;

	if (!a->w_msg)
		return;
	getmaxyx(a->w_msg, h, width);
	werase(a->w_msg);
	t = text_truncate(msg, width);
	app_draw_text(a, a->w_msg, h / 2, 0, width, t, A_BOLD);
	free(t);
	wnoutrefresh(a->w_msg);
}

static void draw_frame(app *a)
{
	make_windows(a);
	if (a->lay.too_small) {
		draw_too_small(a);
		doupdate();
		return;
	}
	if (a->nviews > 0) {
		view_slot *s = &a->views[a->nviews - 1];

		s->v->draw(a, s->st, a->w_view);
		wnoutrefresh(a->w_view);
	} else {
		if (a->w_side && a->dlg) {
			sidebar_draw(a, a->w_side, a->focus == FOCUS_SIDEBAR);
			wnoutrefresh(a->w_side);
		}
		if (a->w_div) {
			draw_divider(a, a->w_div);
			wnoutrefresh(a->w_div);
		}
		if (a->w_chat) {
			chat_draw(a, a->w_chat);
			wnoutrefresh(a->w_chat);
		}
		if (a->w_grid) {
			grid_draw(a, a->w_grid, a->focus == FOCUS_GRID);
			wnoutrefresh(a->w_grid);
		}
	}
	draw_status(a, a->w_status);
	/* the window refreshed last places the cursor */
	if (a->pr.kind == PROMPT_EDIT || a->pr.kind == PROMPT_SEARCH) {
		if (a->nviews == 0 && a->w_input) {
			chat_input_draw(a, a->w_input, 0);
			wnoutrefresh(a->w_input);
		}
		leaveok(a->w_status, FALSE);
		curs_set(1);
		wnoutrefresh(a->w_status);
	} else {
		leaveok(a->w_status, TRUE);
		wnoutrefresh(a->w_status);
		if (a->nviews == 0 && a->w_input) {
			chat_input_draw(a, a->w_input, a->focus == FOCUS_CHAT);
			wnoutrefresh(a->w_input);
			curs_set(a->focus == FOCUS_CHAT ? 1 : 0);
		} else {
			curs_set(0);
		}
	}
	doupdate();
}

/* ---- refining ---- */

void app_post_refine(app *a)
{
	match_opts o;

	match_opts_init(&o);
	o.limit = APP_ROWS_LIMIT;
	o.facets = 1;
	app_get_sort(a, &o.sort, &o.descending);
	a->want_gen = worker_post(a->wk, WORKER_RUN, &a->filter, &o, NULL, 0);
	a->busy = 1;
}

static void free_extra(app *a)
{
	int i;

	if (a->nextra == 0)
		return;
	grid_detach(a);

	for (i = 0; i < a->nextra; i++)
		match_row_free(&a->extra[i]);
	free(a->extra);
	a->extra = NULL;
	a->nextra = 0;
	grid_rebuild(a);
}

static void similar_for(app *a, const int64_t *ids, int n)
{
	match_opts o;

	if (n == 0) {
		app_message(a, "Mark offers with Space, or put the cursor on one, then press S");
		return;
	}
	match_opts_init(&o);
	/* the nearest offers are often in the grid already: ask for enough
	 * to still find APP_SIMILAR_NEW that are not */
	o.limit = APP_SIMILAR_NEW + a->nrows;
	a->want_gen = worker_post(a->wk, WORKER_SIMILAR, &a->filter, &o, ids, n);
	a->busy = 1;
	app_message(a, "Looking for offers similar to %d offer%s...", n, n == 1 ? "" : "s");
}

void app_similar(app *a)
{
	int64_t *ids;
	int n = 0, i;
	const match_row *cur = grid_current(a);

	if (a->busy) {
		app_message(a, "Still refining: press S again once the grid has settled");
		return;
	}
	ids = xcalloc((size_t)a->nmarks + 1, sizeof *ids);
	for (i = 0; i < a->nmarks; i++)
		ids[n++] = a->marks[i].product_id;
	if (n == 0 && cur)
		ids[n++] = cur->product_id;
	similar_for(a, ids, n);
	free(ids);
}

void app_open_compare(app *a)
{
	if (a->nmarks == 0) {
		app_message(a, "Mark two or more offers with Space first");
		return;
	}
	app_push_view(a, &view_compare);
}

void app_after_reply(app *a, const dialog_reply *r)
{
	if (r->text && *r->text)
		app_chat_add(a, CHAT_SOUK, r->text);
	if (r->question && *r->question)
		app_chat_add(a, CHAT_QUESTION, r->question);
	a->changed = r->changed;
	if (r->changed) {
		free_extra(a);
		app_post_refine(a);
	}
	if (r->similar_to_row > 0) {
		if (r->similar_to_row <= a->nrows) {
			int64_t id = a->rows[r->similar_to_row - 1]->product_id;

			if (!r->changed)
				similar_for(a, &id, 1);
		} else {
			app_message(a, "There is no row %d in the grid", r->similar_to_row);
		}
	}
	app_changed(a);
}

/* "105 products from 62 suppliers", worded as the dialog words it, so a
 * restored line that already says it can be recognised. */
static char *count_words(const app *a)
{
	char n1[32], n2[32];

	return xasprintf("%s product%s from %s supplier%s",
	                 app_fmt_count(a->res.total, n1, sizeof n1), a->res.total == 1 ? "" : "s",
	                 app_fmt_count(a->res.suppliers, n2, sizeof n2),
	                 a->res.suppliers == 1 ? "" : "s");
}

/* A resumed transcript replays the counts of the catalog it was made on,
 * perhaps another one: after the first results, one line gives today's
 * count, unless the last count in the chat already says the same. */
static void recount(app *a)
{
	char *now = count_words(a), *line;
	int i;

	a->recount = 0;
	for (i = a->nchat - 1; i >= 0; i--) {
		if (a->chat[i].role == CHAT_USER)
			break; /* a turn with no count after it */
		if (a->chat[i].role == CHAT_SOUK && strstr(a->chat[i].text, " from ") &&
		    strstr(a->chat[i].text, " supplier"))
			break;
	}
	if (i < 0 || a->chat[i].role != CHAT_SOUK || strstr(a->chat[i].text, now) == NULL) {
		line = xasprintf("On this catalog now: %s.", now);
		app_chat_add(a, CHAT_SOUK, line);
		free(line);
	}
	free(now);
}

/* 1 when the offer is in the grid already, as a result or a similar one. */
static int is_shown(const app *a, int64_t id)
{
	int i;

	for (i = 0; a->have_result && i < a->res.nrows; i++)
		if (a->res.rows[i].product_id == id)
			return 1;
	for (i = 0; i < a->nextra; i++)
		if (a->extra[i].product_id == id)
			return 1;
	return 0;
}

/* Nothing new to add: the cursor goes to the closest offer instead,
 * which answers "what is most like this?" all the same. */
static void show_closest(app *a, int64_t id)
{
	int i;

	for (i = 0; i < a->nrows; i++)
		if (a->rows[i]->product_id == id) {
			a->cur = i;
			app_message(a,
			            "The offers most like these are in the grid already: the "
			            "cursor is on the closest, row %d",
			            i + 1);
			return;
		}
	app_message(a, "The offers most like these are in the grid already");
}

/* Similar offers join one labelled group at the end of the grid. Only
 * offers not shown yet count: moving a row the buyer already sees to the
 * end and calling it added would be a lie. */
static void take_similar(app *a, const match_result *sim)
{
	int i, added = 0;

	grid_detach(a);
	a->extra = xrealloc(a->extra, sizeof *a->extra * (size_t)(a->nextra + APP_SIMILAR_NEW + 1));
	for (i = 0; i < sim->nrows && added < APP_SIMILAR_NEW; i++) {
		if (is_shown(a, sim->rows[i].product_id))
			continue;
		match_row_copy(&a->extra[a->nextra++], &sim->rows[i]);
		added++;
	}
	grid_rebuild(a);
	if (added > 0) {
		a->cur = a->nrows - added;
		app_message(
		        a,
		        "%d similar offer%s added at the end of the grid (labelled \"similar to\")",
		        added, added == 1 ? "" : "s");
	} else if (sim->nrows > 0) {
		show_closest(a, sim->rows[0].product_id);
	} else {
		app_message(a, "No similar offers found");
	}
	app_changed(a);
}

static void take_results(app *a)
{
	worker_done d;
	char buf[64];

	while (read(a->wake[0], buf, sizeof buf) > 0)
		;
	take_reply(a);
	if (!worker_take(a->wk, &d))
		return;
	if (d.gen != a->want_gen) {
		match_result_free(&d.result);
		return;
	}
	a->busy = 0;
	a->last_query_ms = d.ms;
	if (d.failed) {
		app_chat_add(a, CHAT_ERROR, d.err.msg);
		match_result_free(&d.result);
		return;
	}
	if (d.kind == WORKER_SIMILAR) {
		take_similar(a, &d.result);
		match_result_free(&d.result);
		return;
	}
	grid_detach(a);
	if (a->have_result)
		match_result_free(&a->res);
	a->res = d.result;
	a->have_result = 1;
	grid_rebuild(a);
	if (a->recount)
		recount(a);
	if (a->res.total == 0 && a->res.relax)
		app_message(a, "No offers: %s", a->res.relax);
}

/* ---- commands ---- */

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

	if (!marked && a->have_result && n < a->res.total)
		m = xasprintf("Saved %d of %s offers (the rows loaded) to %s", n,
		              app_fmt_count(a->res.total, num, sizeof num), path);
	else
		m = xasprintf("Saved %d offer%s to %s", n, n == 1 ? "" : "s", path);
	app_chat_add(a, CHAT_INFO, m);
	app_message(a, "%s", m);
	free(m);
}

int app_save(app *a, const char *typed, int force, int all)
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
		n = a->nrows;
		tmp = xcalloc((size_t)n + 1, sizeof *tmp);
		for (i = 0; i < n; i++)
			tmp[i] = *a->rows[i];
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
	rc = export_write(path, fmt, &doc, force, &e);
	if (rc < 0) {
		char *m = errno == EEXIST && !force
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

static void ask_quit(app *a)
{
	if (app_marks_unsaved(a)) {
		a->pr.kind = PROMPT_QUIT;
		snprintf(a->pr.label, sizeof a->pr.label,
		         "%d marked offers are not saved. Quit anyway? (y/n) ", a->nmarks);
		return;
	}
	a->quit = 1;
}

static void cmd_reset(app *a)
{
	filter_delta d;

	filter_delta_init(&d);
	d.reset = 1;
	app_dialog_edit(a, &d);
}

static void cmd_undo(app *a)
{
	app_dialog_undo(a);
}

static void run_command(app *a, char *line)
{
	char *name = line + 1, *args = name;

	while (*args && *args != ' ')
		args++;
	if (*args)
		*args++ = '\0';
	while (*args == ' ')
		args++;
	{
		char *end = args + strlen(args);

		while (end > args && end[-1] == ' ')
			*--end = '\0';
	}
	if (strcmp(name, "save") == 0 || strcmp(name, "save!") == 0)
		app_save(a, args, name[4] == '!', 0);
	else if (strcmp(name, "export") == 0 || strcmp(name, "export!") == 0)
		app_save(a, args, name[6] == '!', 1);
	else if (strcmp(name, "sort") == 0) {
		char *dir = strchr(args, ' ');
		int col, desc = a->sort_desc;

		if (dir) {
			*dir++ = '\0';
			desc = strncmp(dir, "desc", 4) == 0 || strcmp(dir, "down") == 0;
		}
		col = grid_column_lookup(args);
		if (col < 0)
			app_chat_add(a, CHAT_ERROR,
			             "Sort by what? /sort price, moq, lead, landed, "
			             "rating, score, supplier, country, product");
		else
			grid_sort_by(a, col, dir ? desc : (col == a->sort_col ? a->sort_desc : 0));
	} else if (strcmp(name, "reset") == 0)
		cmd_reset(a);
	else if (strcmp(name, "undo") == 0)
		cmd_undo(a);
	else if (strcmp(name, "compare") == 0)
		app_open_compare(a);
	else if (strcmp(name, "similar") == 0)
		app_similar(a);
	else if (strcmp(name, "help") == 0)
		app_push_view(a, &view_help);
	else if (strcmp(name, "quit") == 0 || strcmp(name, "q") == 0)
		ask_quit(a);
	else if (a->dlg_busy && &view_shortlist != NULL && view_shortlist.command)
		app_message(a, "One moment: souk is still answering; then /%s again", name);
	else if (&view_shortlist != NULL && view_shortlist.command &&
	         view_shortlist.command(a, name, args))
		;
	else {
		char *m = xasprintf("Unknown command /%s (/help lists them)", name);

		app_chat_add(a, CHAT_ERROR, m);
		free(m);
	}
}

static void submit(app *a)
{
	char *line = input_take(&a->in), *p = line;

	while (*p == ' ')
		p++;
	if (*p == '\0') {
		free(line);
		return;
	}
	if (*p == '/') {
		run_command(a, p);
		free(line);
		return;
	}
	app_chat_add(a, CHAT_USER, p);
	app_dialog_turn(a, p);
	free(line);
}

/* ---- keys ---- */

static void prompt_key(app *a, int key)
{
	prompt *p = &a->pr;

	if (p->kind == PROMPT_QUIT) {
		if (key == 'y' || key == 'Y' || key == 'q' || key == VIEW_CTRL('c'))
			a->quit = 1;
		p->kind = PROMPT_NONE;
		return;
	}
	if (key == VIEW_ESC || key == VIEW_CTRL('c') || key == VIEW_CTRL('g')) {
		p->kind = PROMPT_NONE;
		return;
	}
	if (input_key(&p->in, key) == INPUT_SUBMIT) {
		char *text = input_take(&p->in);
		enum prompt_kind k = p->kind;

		p->kind = PROMPT_NONE;
		if (k == PROMPT_EDIT)
			sidebar_edit_done(a, p->field, text);
		else if (k == PROMPT_SEARCH)
			grid_search(a, text);
		free(text);
	}
}

static int chat_key(app *a, int key)
{
	int r;

	switch (key) {
	case VIEW_KEY(KEY_PPAGE):
		a->chat_scroll += a->lay.chat.h > 2 ? a->lay.chat.h - 1 : 1;
		return 1;
	case VIEW_KEY(KEY_NPAGE):
		a->chat_scroll -= a->lay.chat.h > 2 ? a->lay.chat.h - 1 : 1;
		if (a->chat_scroll < 0)
			a->chat_scroll = 0;
		return 1;
	case '\t':
		if (input_complete(&a->in, commands_table, commands_count) > 0)
			return 1;
		return 0;
	case VIEW_KEY(PASTE_BEGIN):
		a->in.pasting = 1;
		return 1;
	case VIEW_KEY(PASTE_END):
		a->in.pasting = 0;
		return 1;
	case VIEW_ESC:
		if (a->in.line.len > 0)
			input_set(&a->in, "");
		else
			app_focus(a, FOCUS_GRID);
		return 1;
	default:
		break;
	}
	r = input_key(&a->in, key);
	if (r == INPUT_SUBMIT) {
		submit(a);
		return 1;
	}
	return r == INPUT_CHANGED;
}

static int hotkey_view(app *a, int key)
{
	if (&view_shortlist != NULL && view_shortlist.hotkey && key == view_shortlist.hotkey) {
		app_push_view(a, &view_shortlist);
		return 1;
	}
	return 0;
}

static void handle_key(app *a, int key)
{
	a->msg[0] = '\0';
	if (key == VIEW_KEY(KEY_RESIZE))
		return;
	if (a->pr.kind != PROMPT_NONE) {
		prompt_key(a, key);
		return;
	}
	if (key == VIEW_CTRL('c')) {
		/* Ctrl-C quits; with unsaved marks it asks once, twice forces */
		if (a->ctrl_c || !app_marks_unsaved(a))
			a->quit = 1;
		a->ctrl_c = 1;
		ask_quit(a);
		return;
	}
	a->ctrl_c = 0;
	if (a->nviews > 0) {
		view_slot *s = &a->views[a->nviews - 1];
		int r = s->v->key ? s->v->key(a, s->st, key) : VIEW_KEY_PASS;

		if (r == VIEW_KEY_CLOSE) {
			app_pop_view(a);
			return;
		}
		if (r == VIEW_KEY_DONE)
			return;
		if (key == VIEW_ESC || key == 'q') {
			app_pop_view(a);
			return;
		}
		if ((key == '?' || key == VIEW_KEY(KEY_F(1))) && s->v != &view_help)
			app_push_view(a, &view_help);
		return;
	}
	if (key == VIEW_KEY(KEY_F(1))) {
		app_push_view(a, &view_help);
		return;
	}
	if (key == VIEW_KEY(KEY_BTAB)) {
		app_focus(a, a->focus - 1);
		return;
	}
	if (a->focus == FOCUS_CHAT) {
		if (chat_key(a, key))
			return;
		if (key == '\t')
			app_focus(a, a->focus + 1);
		return;
	}
	if (key == '\t') {
		app_focus(a, a->focus + 1);
		return;
	}
	if (a->focus == FOCUS_GRID ? grid_key(a, key) : sidebar_key(a, key))
		return;
	switch (key) {
	case '?':
		app_push_view(a, &view_help);
		break;
	case 'q':
		ask_quit(a);
		break;
	case 'u':
		cmd_undo(a);
		break;
	case VIEW_ESC:
		app_focus(a, FOCUS_CHAT);
		break;
	case ':':
	case 'i':
		app_focus(a, FOCUS_CHAT);
		break;
	default:
		hotkey_view(a, key);
		break;
	}
}

static int read_key(app *a, int *key)
{
	wint_t wc;
	int r = wget_wch(a->keys, &wc);

	if (r == ERR)
		return 0;
	*key = r == KEY_CODE_YES ? VIEW_KEY((int)wc) : (int)wc;
	return 1;
}

/* ---- the loop ---- */

static void on_resize(app *a)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
		resize_term(ws.ws_row, ws.ws_col);
}

static void read_signals(app *a)
{
	unsigned char buf[32];
	ssize_t n, i;

	while ((n = read(a->winch[0], buf, sizeof buf)) > 0)
		for (i = 0; i < n; i++) {
			if (buf[i] == SIGWINCH)
				on_resize(a);
			else
				a->quit = 1; /* TERM, HUP, INT, QUIT: leave cleanly */
		}
}

static void note_frame(app *a)
{
	double ms = (util_now() - a->timing.start) * 1000.0;

	if (a->timing.first_frame_ms == 0)
		a->timing.first_frame_ms = ms;
	if (a->timing.first_rows_ms == 0 && a->have_result)
		a->timing.first_rows_ms = ms;
}

int app_loop(app *a)
{
	CURLM *multi = a->multi;

	while (!a->quit) {
		struct curl_waitfd fds[3];
		int n = 0, key, nkeys = 0;

		draw_frame(a);
		note_frame(a);
		memset(fds, 0, sizeof fds);
		fds[0].fd = STDIN_FILENO;
		fds[0].events = CURL_WAIT_POLLIN;
		fds[1].fd = a->wake[0];
		fds[1].events = CURL_WAIT_POLLIN;
		fds[2].fd = a->winch[0];
		fds[2].events = CURL_WAIT_POLLIN;
		if (a->curl->multi_poll(multi, fds, 3, a->busy || a->dlg_busy ? 100 : 1000, &n) !=
		    CURLM_OK) {
			usleep(10000);
			continue;
		}
		if (fds[2].revents)
			read_signals(a);
		if (fds[1].revents)
			take_results(a);
		if (fds[0].revents)
			while (!a->quit && nkeys < 4096 && read_key(a, &key)) {
				handle_key(a, key);
				nkeys++;
			}
		if (a->busy || a->dlg_busy)
			a->spin++;
	}
	return 0;
}

/* ---- replay: keystrokes from a file, timings out ---- */

static int replay_token(const char **pp, int *key, int *wait)
{
	static const struct {
		const char *name;
		int key;
	} names[] = {
	        {"Enter", '\r'},
	        {"Tab", '\t'},
	        {"BTab", VIEW_KEY(KEY_BTAB)},
	        {"Up", VIEW_KEY(KEY_UP)},
	        {"Down", VIEW_KEY(KEY_DOWN)},
	        {"Left", VIEW_KEY(KEY_LEFT)},
	        {"Right", VIEW_KEY(KEY_RIGHT)},
	        {"PgUp", VIEW_KEY(KEY_PPAGE)},
	        {"PgDn", VIEW_KEY(KEY_NPAGE)},
	        {"Home", VIEW_KEY(KEY_HOME)},
	        {"End", VIEW_KEY(KEY_END)},
	        {"Space", ' '},
	        {"Esc", VIEW_ESC},
	        {"BS", VIEW_KEY(KEY_BACKSPACE)},
	        {"Del", VIEW_KEY(KEY_DC)},
	        {"F1", VIEW_KEY(KEY_F(1))},
	        {"lt", '<'},
	};
	const char *p = *pp;
	uint32_t cp;
	size_t i;

	*wait = 0;
	while (*p == '\n' || *p == '\r')
		p++;
	if (*p == '\0')
		return 0;
	if (*p == '<') {
		const char *end = strchr(p, '>');

		if (end) {
			size_t len = (size_t)(end - p - 1);

			if (len == 4 && strncmp(p + 1, "wait", 4) == 0) {
				*wait = 1;
				*pp = end + 1;
				return 1;
			}
			if (len == 5 && strncmp(p + 1, "pause", 5) == 0) {
				*wait = 2;
				*pp = end + 1;
				return 1;
			}
			if (len == 3 && p[1] == 'C' && p[2] == '-') {
				*key = VIEW_CTRL(p[3]);
				*pp = end + 1;
				return 1;
			}
			for (i = 0; i < sizeof names / sizeof names[0]; i++)
				if (strlen(names[i].name) == len &&
				    strncmp(p + 1, names[i].name, len) == 0) {
					*key = names[i].key;
					*pp = end + 1;
					return 1;
				}
		}
	}
	*pp = p + text_decode(p, strlen(p), &cp);
	*key = (int)cp;
	return 1;
}

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return a < b ? -1 : a > b;
}

static double pct(const double *v, int n, double p)
{
	int i = (int)(p * (n - 1) + 0.5);

	return n ? v[i] : 0;
}

/* Waits for the worker's answer (<wait> in the script), or 10 ms like a
 * typist between keys (<pause>), taking results as the loop would. */
static void replay_wait(app *a, int pause)
{
	double until = util_now() + (pause ? 0.010 : 60);

	while ((pause || a->busy || a->dlg_busy || a->nops) && util_now() < until) {
		struct curl_waitfd fd;
		int n, left = (int)((until - util_now()) * 1000) + 1;

		memset(&fd, 0, sizeof fd);
		fd.fd = a->wake[0];
		fd.events = CURL_WAIT_POLLIN;
		a->curl->multi_poll(a->multi, &fd, 1, left < 100 ? left : 100, &n);
		if (fd.revents) {
			take_results(a);
			draw_frame(a);
			note_frame(a);
		}
	}
	draw_frame(a);
	note_frame(a);
}

static void add_ms(double **v, int *n, double ms)
{
	*v = xrealloc(*v, sizeof **v * (size_t)(*n + 1));
	(*v)[(*n)++] = ms;
}

static void report_line(FILE *f, const char *what, double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	fprintf(f, "replay: %s %d p50_ms %.3f p99_ms %.3f max_ms %.3f\n", what, n, pct(v, n, 0.5),
	        pct(v, n, 0.99), n ? v[n - 1] : 0.0);
}

/* Keys from the script, each timed from handling to the frame on screen.
 * Enter in the chat (a whole turn) is timed apart from the other keys. */
int app_replay(app *a, const char *script, FILE *report)
{
	const char *p = script;
	int key, wait, nk = 0, nb = 0, nt = 0;
	double *keys = NULL, *busy = NULL, *turns = NULL;

	draw_frame(a);
	note_frame(a);
	while (!a->quit && replay_token(&p, &key, &wait)) {
		double t0, ms;
		int was_busy, turn;

		if (wait) {
			replay_wait(a, wait == 2);
			continue;
		}
		t0 = util_now();
		was_busy = a->busy || a->dlg_busy;
		turn = a->focus == FOCUS_CHAT && a->nviews == 0 && a->pr.kind == PROMPT_NONE &&
		       (key == '\r' || key == '\n');
		handle_key(a, key);
		take_results(a);
		draw_frame(a);
		note_frame(a);
		ms = (util_now() - t0) * 1000.0;
		if (turn) {
			add_ms(&turns, &nt, ms);
			continue;
		}
		add_ms(&keys, &nk, ms);
		if (was_busy)
			add_ms(&busy, &nb, ms);
	}
	replay_wait(a, 0);
	/* the report is often stderr: out of the log first */
	term_stderr_restore();
	fprintf(report, "replay: first_frame_ms %.1f\n", a->timing.first_frame_ms);
	fprintf(report, "replay: first_rows_ms %.1f\n", a->timing.first_rows_ms);
	report_line(report, "keys", keys, nk);
	report_line(report, "keys_while_query", busy, nb);
	report_line(report, "turns", turns, nt);
	fprintf(report, "replay: replies %d mean_ms %.1f max_ms %.1f\n", a->timing.nreplies,
	        a->timing.nreplies ? a->timing.reply_sum_ms / a->timing.nreplies : 0.0,
	        a->timing.reply_max_ms);
	fprintf(report, "replay: results %ld marked %d last_query_ms %.1f\n",
	        a->have_result ? a->res.total : 0L, a->nmarks, a->last_query_ms);
	fflush(report);
	free(keys);
	free(busy);
	free(turns);
	return 0;
}

/* ---- setup and teardown ---- */

static int nonblock_pipe(int fds[2])
{
	if (pipe(fds) < 0)
		return -1;
	fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK);
	fcntl(fds[1], F_SETFL, fcntl(fds[1], F_GETFL) | O_NONBLOCK);
	fcntl(fds[0], F_SETFD, FD_CLOEXEC);
	fcntl(fds[1], F_SETFD, FD_CLOEXEC);
	return 0;
}

int app_init(app *a, const souk_config *cfg, const char *catalog, double start, souk_err *e)
{
	memset(a, 0, sizeof *a);
	a->timing.start = start;
	a->cfg = cfg;
	a->catalog = xstrdup(catalog);
	a->wake[0] = a->wake[1] = a->winch[0] = a->winch[1] = -1;
	a->sort_col = grid_column_lookup("rank");
	a->keep_id = -1;
	a->sort_desc = 0;
	input_init(&a->in);
	input_init(&a->pr.in);
	if (nonblock_pipe(a->wake) < 0 || nonblock_pipe(a->winch) < 0) {
		err_set(e, "cannot create a pipe: %s", strerror(errno));
		return -1;
	}
	if ((a->curl = dylib_curl_get(e)) == NULL)
		return -1;
	a->multi = a->curl->multi_init();
	if (a->multi == NULL) {
		err_set(e, "cannot start libcurl");
		return -1;
	}
	if (cfg->history)
		input_history_load(&a->in, cfg->history);
	return 0;
}

/* The catalog: the worker opens its connection on its own thread while
 * this one opens the main thread's (a 1M catalog takes seconds each). */
int app_open(app *a, souk_err *e)
{
	a->wk = worker_start(a->catalog, a->cfg->assets, a->wake[1], e);
	if (a->wk == NULL)
		return -1;
	a->mctx = match_open(a->catalog, a->cfg->assets, e);
	if (a->mctx == NULL)
		return -1;
	if (worker_wait_ready(a->wk, e) < 0)
		return -1;
	a->dlg = worker_dialog(a->wk);
	filter_copy(&a->filter, dialog_filter(a->dlg));
	return 0;
}

/* A frame before the catalog is open, so the screen answers at once. */
void app_draw_first(app *a)
{
	app_chat_add(a, CHAT_INFO, "Opening the catalog...");
	draw_frame(a);
	note_frame(a);
	a->nchat = 0;
	free(a->chat[0].text);
}

/* From here on the screen is curses': a library's message on stderr
 * would be drawn across it, so fd 2 goes to souk.log in the data
 * directory until the terminal is restored. */
static void stderr_to_log(app *a)
{
	souk_err e;
	char *path = NULL;

	if (a->cfg->data_dir && config_ensure_data_dir(a->cfg, &e) == 0)
		path = xasprintf("%s/souk.log", a->cfg->data_dir);
	term_stderr_to(path);
	free(path);
}

/* Curses on the terminal (or, for --replay without one, on out). */
int app_screen(app *a, FILE *out, FILE *in)
{
	const char *term = getenv("TERM");
	SCREEN *s;

	if (term_signals(a->winch[1]) < 0)
		return -1;
	if (term == NULL || !*term || strcmp(term, "dumb") == 0)
		term = "xterm-256color"; /* replay only: the caller checked a real terminal */
	s = newterm(term, out, in);
	if (s == NULL)
		return -1;
	set_term(s);
	stderr_to_log(a);
	raw();
	noecho();
	nonl();
	set_escdelay(25);
	a->keys = newpad(1, 1);
	keypad(a->keys, TRUE);
	nodelay(a->keys, TRUE);
	define_key("\033[200~", PASTE_BEGIN);
	define_key("\033[201~", PASTE_END);
	a->utf8 = MB_CUR_MAX > 1;
	theme_init(a);
	term_paste_mode(1);
	return 0;
}

/* 1 when the chat holds a conversation (a restored session's), not only
 * notes and errors. */
static int has_transcript(const app *a)
{
	int i;

	for (i = 0; i < a->nchat; i++)
		if (a->chat[i].role == CHAT_USER || a->chat[i].role == CHAT_SOUK)
			return 1;
	return 0;
}

void app_start(app *a, int fresh)
{
	a->fresh = fresh;
	if (&view_shortlist != NULL && view_shortlist.session_start)
		view_shortlist.session_start(a, fresh);
	a->recount = has_transcript(a);
	/* a new conversation prices in the buyer's currency from the config */
	if (a->nchat == 0 && a->cfg->currency && strlen(a->cfg->currency) == 3) {
		souk_filter f;

		filter_copy(&f, dialog_filter(a->dlg));
		memcpy(f.currency, a->cfg->currency, 4);
		dialog_set_filter(a->dlg, &f);
		filter_free(&f);
	}
	/* a restored session set the dialog's state */
	filter_free(&a->filter);
	filter_copy(&a->filter, dialog_filter(a->dlg));
	if (a->nchat == 0)
		app_chat_add(a, CHAT_SOUK,
		             "Hello. Tell me what you are sourcing, e.g. \"pickleball paddles for "
		             "the US under $8, MOQ below 500\". Tab moves to the grid and the "
		             "filters; F1 shows every key.");
	if (a->cfg->llm_url != NULL && *a->cfg->llm_url)
		app_chat_add(a, CHAT_SOUK,
		             "A model server is configured, but this souk has only the built-in "
		             "engine: it answers offline.");
	app_post_refine(a);
}

void app_free(app *a)
{
	souk_err e;
	int i;

	/* the last reply first: the session must not read a dialog in use */
	for (i = 0; i < a->nops; i++) {
		free(a->ops[i].line);
		if (a->ops[i].op == WD_EDIT)
			filter_delta_free(&a->ops[i].delta);
	}
	a->nops = 0;
	{
		double until = util_now() + 5;

		while (a->dlg_busy && util_now() < until) {
			struct pollfd pf = {a->wake[0], POLLIN, 0};

			poll(&pf, 1, 100);
			take_results(a);
		}
	}
	if (&view_shortlist != NULL && view_shortlist.session_end && a->dlg && !a->dlg_busy)
		view_shortlist.session_end(a);
	while (a->nviews > 0)
		app_pop_view(a);
	if (a->keys) {
		term_restore();
		delwin(a->keys);
	}
	term_stderr_restore(); /* even when curses never fully started */
	del_windows(a);
	if (a->cfg && a->cfg->history && a->in.nhist > 0 && config_ensure_data_dir(a->cfg, &e) == 0)
		input_history_save(&a->in, a->cfg->history, &e);
	if (a->wk)
		worker_stop(a->wk);
	if (a->multi)
		a->curl->multi_cleanup(a->multi);
	free_extra(a);
	a->nrows = 0;
	if (a->have_result)
		match_result_free(&a->res);
	a->have_result = 0;
	for (i = 0; i < a->nmarks; i++)
		match_row_free(&a->marks[i]);
	free(a->marks);
	free(a->rows);
	free(a->search);
	chat_free(a);
	input_free(&a->in);
	input_free(&a->pr.in);
	a->dlg = NULL; /* the worker's: freed by worker_stop */
	free(a->ops);
	filter_free(&a->filter);
	if (a->mctx)
		match_close(a->mctx);
	for (i = 0; i < 2; i++) {
		if (a->wake[i] >= 0)
			close(a->wake[i]);
		if (a->winch[i] >= 0)
			close(a->winch[i]);
	}
	free(a->catalog);
	free(a->catalog_label);
}
