/* app: the dashboard's state and its lifecycle (init, screen, open, start, free). */
#ifndef SOUK_APP_H
#define SOUK_APP_H

#include <curses.h>
#include <stdint.h>
#include <stdio.h>

#include "config.h"
#include "dialog.h"
#include "input.h"
#include "layout.h"
#include "match.h"
#include "money.h"
#include "list.h"
#include "pane.h"
#include "view.h"
#include "worker.h"

enum focus { FOCUS_CHAT, FOCUS_GRID, FOCUS_SIDEBAR, FOCUS_COUNT };

typedef struct chat_entry {
	enum chat_role role;
	char *text; /* sanitised, newlines kept */
} chat_entry;

/* A one-line prompt in the status line: sidebar edits, grid search, quit. */
enum prompt_kind { PROMPT_NONE, PROMPT_EDIT, PROMPT_SEARCH, PROMPT_QUIT };

typedef struct prompt {
	enum prompt_kind kind;
	char label[96];
	int field; /* enum filter_field for PROMPT_EDIT */
	input in;
} prompt;

#define APP_MAX_VIEWS   8
#define APP_ROWS_LIMIT  200 /* offers fetched per query: enough to scroll and sort */
#define APP_SIMILAR_NEW 10  /* offers S adds at most */

typedef struct view_slot {
	const struct pane *v;
	void *st;
} view_slot;

/* A dialog job waiting for the one on the worker (results.c). */
struct dlg_op {
	enum worker_dialog_op op;
	char *line;
	filter_delta delta;
	int reset;
};

typedef struct app_timing {
	double start;                      /* util_now() at entry */
	double first_frame_ms;             /* start to the first frame on screen */
	double first_rows_ms;              /* start to the first frame with offers */
	double dlg_t0;                     /* when the dialog job in flight was posted */
	double reply_sum_ms, reply_max_ms; /* post to reply, per dialog job */
	int nreplies;
	/* the model server's figures (chat_llm.c, --replay only): when what the
	 * next frame shows reached souk (a chunk) or failed (a fallback), and
	 * each one's time to the screen */
	double llm_from;
	int llm_from_fallback;
	double *llm_chunk_ms, *llm_fallback_ms;
	int nllm_chunk, nllm_fallback;
} app_timing;

struct app {
	const souk_config *cfg;
	char *catalog;       /* path */
	char *catalog_label; /* "demo · 30,000 offers" */
	long nproducts, nsuppliers;
	dialog *dlg;        /* lives on the worker thread: see worker_dialog */
	souk_filter filter; /* copy of the dialog's state, for drawing and queries */
	struct dlg_op *ops; /* dialog jobs waiting for the one in flight */
	int nops;
	int dlg_busy;          /* a dialog job is on the worker */
	int changed_pending;   /* session hook deferred until the dialog is idle */
	int dlg_op, dlg_reset; /* the job in flight */
	match_ctx *mctx;       /* main thread's connection: tiers, detail, money tables */
	worker *wk;

	/* results */
	match_result res;
	int have_result;
	unsigned want_gen; /* newest grid request posted */
	int busy;          /* a request is outstanding */
	double last_query_ms;
	match_row *extra; /* rows added by S (similar), shown after res.rows */
	int nextra;

	/* marks (copies) */
	match_row *marks;
	int nmarks, capmarks;
	int unsaved;

	/* the panes' own state (pane_grid.c, pane_sidebar.c, pane_chat.c):
	 * opened by app_init, closed by app_free */
	struct grid *grid;
	struct sidebar *sidebar;
	struct chat_pane *chatp;

	unsigned changed; /* fields the last turn or edit changed: highlighted */

	/* chat */
	chat_entry *chat;
	int nchat, capchat;
	int recount; /* a restored transcript's counts may be from another
	              * catalog: state today's with the next results */
	input in;
	const char **cmd_names; /* for Tab completion (command.c) */
	int ncmd_names;

	int focus;
	prompt pr;
	view_slot views[APP_MAX_VIEWS];
	int nviews;

	/* screen */
	layout lay;
	WINDOW *w_side, *w_div, *w_chat, *w_input, *w_grid, *w_status, *w_view, *w_msg;
	WINDOW *keys; /* a 1x1 pad only for reading keys (never refreshed) */
	int attrs[TH_COUNT];
	int utf8;
	char msg[256];
	int spin;

	int quit;
	int ctrl_c; /* Ctrl-C pressed once with unsaved marks */
	int wake[2], winch[2];
	const struct dylib_curl *curl; /* libcurl where a model server is configured, else NULL */
	void *multi;                   /* CURLM*, no transfers yet: ready for the model server */
	/* the model server (chat_llm.c): NULL when souk answers offline */
	struct llm *llm;
	dialog *llm_dlg;        /* the model's dialog, on this thread */
	int llm_busy;           /* a turn is in flight */
	int llm_entry;          /* the chat entry its reply streams into, or -1 */
	souk_filter llm_before; /* the filters when the turn began (Esc restores them) */
	int fresh;              /* --new */
	int replay;
	app_timing timing;
};

typedef struct app app;

/* pane_grid.c */
void grid_rebuild(app *a); /* rows from res + extra, sorted; cursor kept on its offer */
void grid_detach(app *a);  /* forget rows (remembering the cursor's offer) */
int grid_column_lookup(const char *name);
const char *grid_column_name(int col);
/* The catalog's order a column sorts by (enum match_sort), or -1 when the
 * grid sorts the fetched rows itself; and the first column of an order
 * ("rank" for the score). */
int grid_column_sql(int col);
int grid_column_of_sort(enum match_sort sort);
int grid_column_count(void);
/* The cell text for column col of row r (rank is 1-based), sanitised. */
char *grid_cell(const app *a, const match_row *r, int col, int rank);
/* Sorts the rows by col; returns the pane_result bits for the loop
 * (PANE_REFINE when the SQL order changes, PANE_CHANGED). */
unsigned grid_sort_by(app *a, int col, int desc);
void grid_search(app *a, const char *text);
void grid_set_hidden(app *a, unsigned hidden); /* bit per column; the supplier stays */
const match_row *grid_current(app *a);
/* The rows in display order (owned by the grid); their count. */
int grid_rows(app *a, const match_row *const **rows);
void grid_put_cursor(app *a, int row); /* as if the buyer had moved it there */
void grid_sort(app *a, int *col, int *desc);
unsigned grid_hidden(app *a);

/* pane_sidebar.c: applies a prompt's text to the field being edited. */
void sidebar_edit_done(app *a, int field, const char *text);
int sidebar_picker_field(app *a); /* the list filter the picker edits */

/* pane_chat.c */
void chat_input_draw(app *a, WINDOW *w, int focused);
void chat_free(app *a);

/* view_detail.c: a detail field (core/offer.h) as the views show it */
struct offer_field;
struct offer_detail;
char *detail_field_text(const struct offer_field *f, const struct offer_detail *d);

/* theme.c */
void theme_init(app *a);

/* results.c: the worker's traffic. The conversation runs on the worker
 * thread in order; replies come back through the wake pipe.
 * app_dialog_edit takes ownership of d. */
void app_dialog_turn(app *a, const char *line);
void app_dialog_edit(app *a, filter_delta *d);
void app_dialog_undo(app *a);
void app_dialog_next(app *a);       /* posts the next queued job (held during a model turn) */
void results_post(app *a);          /* the grid's query for a->filter */
void results_take(app *a);          /* whatever the worker has finished */
void results_similar(app *a);       /* S: offers similar to the marks or the cursor */
void results_clear_similar(app *a); /* drops the offers S added */

/* chat_llm.c: turns through the model server when the engine is llm.
 * The turn runs on this thread's loop; dialog jobs wait for it. */
struct curl_waitfd;
void chat_llm_open(app *a); /* after app_open; says in the chat why not */
void chat_llm_free(app *a);
int chat_llm_turn(app *a, const char *line); /* 0: no model server, answer offline */
int chat_llm_cancel(app *a);                 /* 1 when a turn was in flight */
void chat_llm_wait(app *a, struct curl_waitfd *fds, unsigned n, int timeout_ms);
const char *chat_llm_engine(app *a, char *buf, size_t len); /* "llm: MODEL", "offline" */
void chat_llm_frame(app *a); /* a frame is on screen: times what it shows */

/* status.c */
void status_draw(app *a, WINDOW *w);
char *app_fmt_count(long n, char *buf, size_t len); /* "30,000" */

/* loop.c */
void loop_draw(app *a);               /* one frame, one doupdate */
void loop_key(app *a, int key);       /* one key, through the bindings */
void loop_act(app *a, unsigned bits); /* what a pane's enum pane_result asks */
void loop_free_windows(app *a);
/* waits on fds (and libcurl's sockets where it is loaded); loop.c */
struct curl_waitfd;
int loop_wait(app *a, struct curl_waitfd *fds, unsigned n, int timeout_ms);

/* app.c */
void app_focus(app *a, int focus);
/* Opens the status line's prompt: label, then initial text to edit. */
void app_prompt(app *a, enum prompt_kind kind, int field, const char *label, const char *initial);
void app_pop_view(app *a);
void app_draw_text(app *a, WINDOW *w, int y, int x, int width, const char *s, int attr);
/* A view's frame: clears w, draws the title on its first line and gives
 * its size; 0 when there is no room to draw anything. */
int app_draw_title(app *a, WINDOW *w, const char *title, int *h, int *width);
void app_changed(app *a); /* records the session once the dialog is idle */
/* Posts dialog_filter(app_dialog(a)) to the match worker after
 * dialog_set_filter (a session restored); the dialog runs on the worker
 * thread: touch it only while no turn is in flight. */
void app_refine(app *a);
void app_chat_clear(app *a); /* a session switched in place */
void app_get_sort(app *a, enum match_sort *sort, int *descending);
void app_set_sort(app *a, enum match_sort sort, int descending);
/* The grid column the offers are sorted by ("Supplier") and its direction. */
void app_get_sort_column(app *a, const char **name, int *descending);
/* Sorts by the named grid column; -1 when there is no such column. */
int app_set_sort_column(app *a, const char *name, int descending);

/* lifecycle, in order: init (pipes, history), screen (curses), draw_first,
 * open (catalog, dialog, worker), start (session, first query), loop
 * or replay, free (restores the terminal). */
int app_init(app *a, const souk_config *cfg, const char *catalog, double start, souk_err *e);
int app_screen(app *a, FILE *out, FILE *in);
void app_draw_first(app *a);
int app_open(app *a, souk_err *e);
void app_start(app *a, int fresh);
int app_loop(app *a);                                     /* loop.c */
int app_replay(app *a, const char *script, FILE *report); /* replay.c */
void app_free(app *a);

#endif
