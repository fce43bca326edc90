/* app: the dashboard's state and its lifecycle (init, screen, open, start, free). */
#include "build-config.h"

#include "app.h"

#include <cJSON.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "command.h"
#include "dylib.h"
#include "persist.h"
#include "term.h"
#include "text.h"

/* ---- accessors for panes and views (pane.h) ---- */

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
	int col, desc, sql;

	/* the grid column is what the buyer chose; the SQL order follows it */
	grid_sort(a, &col, &desc);
	sql = grid_column_sql(col);
	*sort = sql >= 0 ? (enum match_sort)sql : MATCH_SORT_SCORE;
	*descending = desc;
	/* rank 1 first is the best score first; other columns keep the score */
	if (*sort == MATCH_SORT_SCORE && col != grid_column_lookup("score"))
		*descending = !desc;
}

void app_get_sort_column(struct app *a, const char **name, int *descending)
{
	int col;

	grid_sort(a, &col, descending);
	*name = grid_column_name(col);
}

int app_set_sort_column(struct app *a, const char *name, int descending)
{
	int col = grid_column_lookup(name);

	if (col < 0)
		return -1;
	grid_sort_by(a, col, descending); /* a restore: the start or the switch queries */
	return 0;
}

void app_set_sort(struct app *a, enum match_sort sort, int descending)
{
	int col = grid_column_of_sort(sort);

	/* best score first is the grid's default look: rank 1 at the top */
	if (col >= 0)
		grid_sort_by(a, col, sort == MATCH_SORT_SCORE ? !descending : descending);
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

void app_changed(app *a)
{
	/* the hook reads the dialog, which the worker owns while a job runs */
	if (a->dlg_busy) {
		a->changed_pending = 1;
		return;
	}
	a->changed_pending = 0;
	persist_record(a);
}

void app_refine(struct app *a)
{
	if (!a->dlg_busy && a->dlg) {
		filter_free(&a->filter);
		filter_copy(&a->filter, dialog_filter(a->dlg));
	}
	results_clear_similar(a);
	results_post(a);
}

void app_chat_clear(struct app *a)
{
	chat_free(a);
	a->recount = 1; /* a session switched in place brings its own counts */
}

/* ---- views ---- */

void app_push_view(struct app *a, const struct pane *v)
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

void app_prompt(app *a, enum prompt_kind kind, int field, const char *label, const char *initial)
{
	a->pr.kind = kind;
	a->pr.field = field;
	snprintf(a->pr.label, sizeof a->pr.label, "%s", label);
	input_set(&a->pr.in, initial ? initial : "");
}

void app_focus(app *a, int focus)
{
	a->focus = (focus % FOCUS_COUNT + FOCUS_COUNT) % FOCUS_COUNT;
}

int app_draw_title(app *a, WINDOW *w, const char *title, int *h, int *width)
{
	getmaxyx(w, *h, *width);
	werase(w);
	if (*h < 1 || *width < 1)
		return 0;
	app_draw_text(a, w, 0, 0, *width, title, app_attr(a, TH_TITLE));
	return 1;
}

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
	a->llm_entry = -1;
	filter_init(&a->llm_before);
	a->grid = pane_grid.open(a);
	a->sidebar = pane_sidebar.open(a);
	a->chatp = pane_chat.open(a);
	input_init(&a->in);
	input_init(&a->pr.in);
	if (nonblock_pipe(a->wake) < 0 || nonblock_pipe(a->winch) < 0) {
		err_set(e, "cannot create a pipe: %s", strerror(errno));
		return -1;
	}
	/* libcurl only where a model server is configured: the loop waits with
	 * poll() otherwise, so the dashboard starts without it (and without
	 * loading its libraries) and works where it is not installed. */
	if (cfg->llm_url != NULL) {
		souk_err ce;
		if ((a->curl = dylib_curl_get(&ce)) != NULL &&
		    (a->multi = a->curl->multi_init()) == NULL)
			a->curl = NULL;
	}
	a->cmd_names = command_names(&a->ncmd_names);
	if (cfg->history)
		input_history_load(&a->in, cfg->history);
	return 0;
}

/* The catalog: the worker opens its connection on its own thread while
 * this one opens the main thread's (a 1M catalog takes seconds each). */
int app_open(app *a, souk_err *e)
{
	a->wk = worker_start(a->catalog, a->cfg->ref, a->wake[1], e);
	if (a->wk == NULL)
		return -1;
	a->mctx = match_open(a->catalog, a->cfg->ref, e);
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
	loop_draw(a);
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
	persist_start(a, fresh);
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
	chat_llm_open(a);
	results_post(a);
}

void app_free(app *a)
{
	souk_err e;
	int i;

	chat_llm_cancel(a); /* the filters go back to what the session last recorded */
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
			results_take(a);
		}
	}
	if (a->dlg && !a->dlg_busy)
		persist_record(a);
	while (a->nviews > 0)
		app_pop_view(a);
	if (a->keys) {
		term_restore();
		delwin(a->keys);
	}
	term_stderr_restore(); /* even when curses never fully started */
	loop_free_windows(a);
	if (a->cfg && a->cfg->history && a->in.nhist > 0 && config_ensure_data_dir(a->cfg, &e) == 0)
		input_history_save(&a->in, a->cfg->history, &e);
	if (a->wk)
		worker_stop(a->wk);
	if (a->multi)
		a->curl->multi_cleanup(a->multi);
	results_clear_similar(a);
	grid_detach(a); /* the rows point into the result */
	if (a->have_result)
		match_result_free(&a->res);
	a->have_result = 0;
	for (i = 0; i < a->nmarks; i++)
		match_row_free(&a->marks[i]);
	free(a->marks);
	chat_free(a);
	input_free(&a->in);
	input_free(&a->pr.in);
	free(a->cmd_names);
	a->dlg = NULL; /* the worker's: freed by worker_stop */
	free(a->ops);
	filter_free(&a->filter);
	chat_llm_free(a); /* before the connection its dialog reads */
	if (a->mctx)
		match_close(a->mctx);
	for (i = 0; i < 2; i++) {
		if (a->wake[i] >= 0)
			close(a->wake[i]);
		if (a->winch[i] >= 0)
			close(a->winch[i]);
	}
	pane_grid.close(a, a->grid);
	pane_sidebar.close(a, a->sidebar);
	pane_chat.close(a, a->chatp);
	free(a->catalog);
	free(a->catalog_label);
}
