/* app: the dashboard's state and event loop (one poll for keys, wake pipe, SIGWINCH, curl). */
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
	const struct view *v;
	void *st;
} view_slot;

typedef struct app_timing {
	double start;                      /* util_now() at entry */
	double first_frame_ms;             /* start to the first frame on screen */
	double first_rows_ms;              /* start to the first frame with offers */
	double dlg_t0;                     /* when the dialog job in flight was posted */
	double reply_sum_ms, reply_max_ms; /* post to reply, per dialog job */
	int nreplies;
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
	const match_row **rows; /* what the grid shows, in display order: points
	                         * into res and extra, so grid_detach before
	                         * freeing either */
	int64_t keep_id;        /* offer under the cursor while detached */
	int nrows;

	/* marks (copies) */
	match_row *marks;
	int nmarks, capmarks;
	int unsaved;

	/* grid */
	int sort_col, sort_desc;
	unsigned hidden; /* bit per grid column */
	int cur, top, hscroll;
	char *search;

	/* sidebar */
	int side_cur, side_top;
	int picker_field;
	unsigned changed; /* fields the last turn or edit changed: highlighted */

	/* chat */
	chat_entry *chat;
	int nchat, capchat;
	int chat_scroll; /* lines scrolled up from the bottom */
	int recount;     /* a restored transcript's counts may be from another
	                  * catalog: state today's with the next results */
	input in;

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
	const struct dylib_curl *curl; /* libcurl, opened at start */
	void *multi;                   /* CURLM*, no transfers yet: ready for the model server */
	int fresh;                     /* --new */
	int replay;
	app_timing timing;
};

typedef struct app app;

/* grid.c */
void grid_draw(app *a, WINDOW *w, int focused);
int grid_key(app *a, int key); /* 1 if handled */
void grid_rebuild(app *a);     /* rows from res + extra, sorted; cursor kept on its offer */
void grid_detach(app *a);      /* forget rows (remembering the cursor's offer) */
int grid_column_lookup(const char *name);
const char *grid_column_name(int col);
int grid_column_count(void);
/* The cell text for column col of row r (rank is 1-based), sanitised. */
char *grid_cell(const app *a, const match_row *r, int col, int rank);
void grid_sort_by(app *a, int col, int desc);
void grid_search(app *a, const char *text);
const match_row *grid_current(app *a);

/* sidebar.c */
void sidebar_draw(app *a, WINDOW *w, int focused);
int sidebar_key(app *a, int key);
/* Applies a prompt's text to the field being edited. */
void sidebar_edit_done(app *a, int field, const char *text);

/* chat.c */
void chat_draw(app *a, WINDOW *w);
void chat_input_draw(app *a, WINDOW *w, int focused);
void chat_free(app *a);

/* views.c */
extern const struct view view_detail, view_compare, view_help, view_columns;
/* the list picker edits a->picker_field */
extern const struct view view_picker;

/* theme.c */
void theme_init(app *a);

/* keys.c: the key table the help view is generated from */
enum key_ctx { KC_ALL, KC_GRID, KC_CHAT, KC_SIDEBAR, KC_VIEW };
typedef struct keydef {
	enum key_ctx ctx;
	const char *keys;
	const char *what;
} keydef;
extern const keydef keys_table[];
extern const int keys_count;
extern const char *const commands_table[];
extern const char *const commands_help[];
extern const int commands_count;

/* app.c helpers used by the panes */
/* The conversation, run on the worker thread in order; replies come back
 * through the wake pipe. app_dialog_edit takes ownership of d. */
void app_dialog_turn(app *a, const char *line);
void app_dialog_edit(app *a, filter_delta *d);
void app_dialog_undo(app *a);
void app_post_refine(app *a);
void app_after_reply(app *a, const dialog_reply *r);
void app_focus(app *a, int focus);
void app_pop_view(app *a);
void app_draw_text(app *a, WINDOW *w, int y, int x, int width, const char *s, int attr);
void app_changed(app *a); /* session_changed hook */
int app_save(app *a, const char *path, int force, int all);
void app_similar(app *a);
void app_open_compare(app *a);
char *app_fmt_count(long n, char *buf, size_t len); /* "30,000" */

/* lifecycle, in order: init (pipes, history), screen (curses), draw_first,
 * open (catalog, dialog, worker), start (session hook, first query), loop
 * or replay, free (restores the terminal). */
int app_init(app *a, const souk_config *cfg, const char *catalog, double start, souk_err *e);
int app_screen(app *a, FILE *out, FILE *in);
void app_draw_first(app *a);
int app_open(app *a, souk_err *e);
void app_start(app *a, int fresh);
int app_loop(app *a);
int app_replay(app *a, const char *script, FILE *report);
void app_free(app *a);

#endif
