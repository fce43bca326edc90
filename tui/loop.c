/* loop: the event loop (one poll for keys, wake pipe, SIGWINCH, curl), the frame, and key dispatch
 * through the binding table. */
#include <curl/curl.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "app.h"
#include "dylib.h"
#include "text.h"

/* ---- drawing ---- */

void loop_free_windows(app *a)
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
	loop_free_windows(a);
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

		s->v->draw(a, s->st, a->w_view, 1);
		wnoutrefresh(a->w_view);
	} else {
		if (a->w_side && a->dlg) {
			pane_sidebar.draw(a, a->sidebar, a->w_side, a->focus == FOCUS_SIDEBAR);
			wnoutrefresh(a->w_side);
		}
		if (a->w_div) {
			draw_divider(a, a->w_div);
			wnoutrefresh(a->w_div);
		}
		if (a->w_chat) {
			pane_chat.draw(a, a->chatp, a->w_chat, a->focus == FOCUS_CHAT);
			wnoutrefresh(a->w_chat);
		}
		if (a->w_grid) {
			pane_grid.draw(a, a->grid, a->w_grid, a->focus == FOCUS_GRID);
			wnoutrefresh(a->w_grid);
		}
	}
	status_draw(a, a->w_status);
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

/* ---- keys ---- */

static void ask_quit(app *a)
{
	if (app_marks_unsaved(a)) {
		a->pr.kind = PROMPT_QUIT;
		snprintf(a->pr.label, sizeof a->pr.label,
		         "%d marked offer%s not saved. Quit anyway? (y/n) ", a->nmarks,
		         a->nmarks == 1 ? " is" : "s are");
		return;
	}
	a->quit = 1;
}

static void open_compare(app *a)
{
	if (a->nmarks == 0) {
		app_message(a, "Mark two or more offers with Space first");
		return;
	}
	app_push_view(a, &view_compare);
}

/* What a pane's key asked for; the order matters: a closing view goes
 * before the one its key opens. */
void loop_act(app *a, unsigned bits)
{
	if (bits & PANE_CLOSE)
		app_pop_view(a);
	if (bits & PANE_REFINE)
		results_post(a);
	if (bits & PANE_CHANGED)
		app_changed(a);
	if (bits & PANE_SIMILAR)
		results_similar(a);
	if (bits & PANE_COMPARE)
		open_compare(a);
	if ((bits & PANE_DETAIL) && grid_current(a))
		app_push_view(a, &view_detail);
	if (bits & PANE_COLUMNS)
		app_push_view(a, &view_columns);
	if (bits & PANE_PICK)
		app_push_view(a, &view_picker);
	if (bits & PANE_FOCUS_CHAT)
		app_focus(a, FOCUS_CHAT);
	if (bits & PANE_FOCUS_GRID)
		app_focus(a, FOCUS_GRID);
	if (bits & PANE_QUIT)
		ask_quit(a);
}

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

/* Ctrl-C quits; with unsaved marks it asks once, twice forces. */
static void interrupt(app *a)
{
	if (a->ctrl_c || !app_marks_unsaved(a))
		a->quit = 1;
	a->ctrl_c = 1;
	ask_quit(a);
}

/* A key no view took: Esc and q close it, ? and F1 open the help. */
static void view_fallback(app *a, enum action act)
{
	if (act == ACT_TO_CHAT || act == ACT_QUIT)
		app_pop_view(a);
	else if (act == ACT_HELP && a->views[a->nviews - 1].v != &view_help)
		app_push_view(a, &view_help);
}

/* The dashboard's own keys, after the focused pane passed. */
static void global_key(app *a, enum action act)
{
	switch (act) {
	case ACT_FOCUS_NEXT:
		app_focus(a, a->focus + 1);
		break;
	case ACT_FOCUS_PREV:
		app_focus(a, a->focus - 1);
		break;
	case ACT_HELP:
		app_push_view(a, &view_help);
		break;
	case ACT_QUIT:
		ask_quit(a);
		break;
	case ACT_UNDO:
		app_dialog_undo(a);
		break;
	case ACT_TO_CHAT:
		app_focus(a, FOCUS_CHAT);
		break;
	case ACT_SHORTLIST:
		app_push_view(a, &view_shortlist);
		break;
	default:
		break;
	}
}

static const struct pane *const focus_panes[FOCUS_COUNT] = {
        [FOCUS_CHAT] = &pane_chat,
        [FOCUS_GRID] = &pane_grid,
        [FOCUS_SIDEBAR] = &pane_sidebar,
};

void loop_key(app *a, int key)
{
	const struct pane *p;
	void *st = NULL;
	enum action act;
	unsigned r;

	a->msg[0] = '\0';
	if (key == VIEW_KEY(KEY_RESIZE))
		return;
	if (a->pr.kind != PROMPT_NONE) {
		prompt_key(a, key);
		return;
	}
	if (bindings_find(KC_ALL, key) == ACT_INTERRUPT) {
		interrupt(a);
		return;
	}
	a->ctrl_c = 0;
	if (a->nviews > 0) {
		p = a->views[a->nviews - 1].v;
		st = a->views[a->nviews - 1].st;
	} else {
		p = focus_panes[a->focus];
		st = a->focus == FOCUS_GRID      ? (void *)a->grid
		     : a->focus == FOCUS_SIDEBAR ? (void *)a->sidebar
		                                 : (void *)a->chatp;
	}
	act = bindings_find(p->ctx, key);
	r = p->key ? p->key(a, st, key, act) : PANE_PASS;
	if (r != PANE_PASS) {
		loop_act(a, r);
		return;
	}
	act = bindings_find(KC_ALL, key);
	if (a->nviews > 0)
		view_fallback(a, act);
	/* in the chat, only keys the line editor does not take are global
	 * (Tab, Shift-Tab, F1): the others are typed */
	else if (a->focus != FOCUS_CHAT || VIEW_IS_FN(key) || key == '\t')
		global_key(a, act);
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
	chat_llm_frame(a);
}

void loop_draw(app *a)
{
	draw_frame(a);
	note_frame(a);
}

/* Waits for any of fds, or for libcurl's own sockets when it runs a
 * transfer: curl_multi_poll where libcurl is loaded, poll() where it is
 * not. 0 when something may be ready, -1 on an error. */
int loop_wait(app *a, struct curl_waitfd *fds, unsigned n, int timeout_ms)
{
	struct pollfd p[8];
	int ready;

	if (a->llm_busy) { /* a model turn: its transfer and these fds in one wait */
		chat_llm_wait(a, fds, n, timeout_ms < 100 ? timeout_ms : 100);
		return 0;
	}
	if (a->multi != NULL)
		return a->curl->multi_poll(a->multi, fds, n, timeout_ms, &ready) == CURLM_OK ? 0
		                                                                             : -1;
	for (unsigned i = 0; i < n && i < 8; i++) {
		p[i].fd = fds[i].fd;
		p[i].events = POLLIN;
		p[i].revents = 0;
	}
	if (poll(p, n < 8 ? n : 8, timeout_ms) < 0)
		return errno == EINTR ? 0 : -1;
	for (unsigned i = 0; i < n && i < 8; i++)
		fds[i].revents = p[i].revents & (POLLIN | POLLHUP | POLLERR) ? CURL_WAIT_POLLIN : 0;
	return 0;
}

int app_loop(app *a)
{
	while (!a->quit) {
		struct curl_waitfd fds[3];
		int key, nkeys = 0;

		loop_draw(a);
		memset(fds, 0, sizeof fds);
		fds[0].fd = STDIN_FILENO;
		fds[0].events = CURL_WAIT_POLLIN;
		fds[1].fd = a->wake[0];
		fds[1].events = CURL_WAIT_POLLIN;
		fds[2].fd = a->winch[0];
		fds[2].events = CURL_WAIT_POLLIN;
		if (loop_wait(a, fds, 3, a->busy || a->dlg_busy ? 100 : 1000) < 0) {
			usleep(10000);
			continue;
		}
		if (fds[2].revents)
			read_signals(a);
		if (fds[1].revents)
			results_take(a);
		if (fds[0].revents)
			while (!a->quit && nkeys < 4096 && read_key(a, &key)) {
				loop_key(a, key);
				nkeys++;
			}
		if (a->busy || a->dlg_busy || a->llm_busy)
			a->spin++;
	}
	return 0;
}
