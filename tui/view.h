/* view: the contract between the dashboard and its full-screen views (tmux window_mode style). */
#ifndef SOUK_VIEW_H
#define SOUK_VIEW_H

#include <curses.h>
#include <stdint.h>

#include "config.h"
#include "dialog.h"
#include "match.h"

struct app;

/* Keys reach views as ints: a Unicode code point for a character, or
 * VIEW_KEY(KEY_xxx) for an ncurses function key (above U+10FFFF so the two
 * never collide). Ctrl-X is the code point 0x18 as usual. */
#define VIEW_KEY(k)   (0x200000 + (k))
#define VIEW_IS_FN(k) ((k) >= 0x200000)
#define VIEW_CTRL(c)  ((c)&0x1f)
#define VIEW_ESC      27

enum view_key_result {
	VIEW_KEY_PASS,  /* not mine: the dashboard handles it (q, ?, Tab...) */
	VIEW_KEY_DONE,  /* handled; redraw */
	VIEW_KEY_CLOSE, /* handled; close this view */
};

/* Colour roles; app_attr gives the curses attribute for the current theme
 * (colour, 8-colour or monochrome, NO_COLOR respected). */
enum theme_role {
	TH_NORMAL,
	TH_DIM,
	TH_TITLE,  /* pane titles, headings */
	TH_HEADER, /* grid header */
	TH_CURSOR, /* the row under the cursor in the focused pane */
	TH_CURSOR_UNFOCUSED,
	TH_MARK,     /* marked rows */
	TH_BEST,     /* best value in a column */
	TH_STATUS,   /* status line */
	TH_USER,     /* the buyer's lines in the chat */
	TH_SOUK,     /* souk's replies */
	TH_QUESTION, /* the engine's question */
	TH_ERROR,
	TH_BORDER,
	TH_BAR, /* histogram bars */
	TH_COUNT
};

enum chat_role { CHAT_USER, CHAT_SOUK, CHAT_QUESTION, CHAT_INFO, CHAT_ERROR };

/* A view fills the whole area above the status line while it is open;
 * views stack (detail over grid, help over anything). Every callback but
 * draw may be NULL. State is private to the view: open returns it, the
 * dashboard hands it back to every other call and to close. */
struct view {
	const char *name; /* shown in the status line: "detail", "shortlist" */
	int hotkey;       /* key that opens it from the grid, 0 for none (e.g. 'L') */
	const char *help; /* one line for the help overlay, next to the key */

	void *(*open)(struct app *a);
	void (*close)(struct app *a, void *st);
	/* w covers the view's area; draw with wnoutrefresh-able calls only
	 * (the dashboard does the single doupdate per frame). */
	void (*draw)(struct app *a, void *st, WINDOW *w);
	int (*key)(struct app *a, void *st, int key); /* enum view_key_result */
	void (*resize)(struct app *a, void *st, int rows, int cols);

	/* A chat command "/NAME ARGS" the dashboard does not know; return 1
	 * when handled (e.g. "/shortlist NAME"). args is "" when absent. */
	int (*command)(struct app *a, const char *name, const char *args);

	/* Session hooks, for the view that persists the session:
	 * session_start runs once the dashboard is up (restore state with
	 * dialog_set_filter + app_chat_add + app_set_mark + app_refine);
	 * session_changed after each turn, sidebar edit, undo, mark and sort
	 * change; session_end before the dashboard exits normally. */
	void (*session_start)(struct app *a, int fresh); /* fresh: --new was given */
	void (*session_changed)(struct app *a);
	void (*session_end)(struct app *a);
};

/* Views other areas link in. Weak: the dashboard checks the address and
 * works without them (tui/view_shortlist.c defines it). */
extern const struct view view_shortlist __attribute__((weak));

/* Opens v on top of the current view. */
void app_push_view(struct app *a, const struct view *v);

/* What views may read and change. Rows are raw data: sanitise (text.h)
 * before drawing. */
const souk_config *app_config(struct app *a);
dialog *app_dialog(struct app *a);
match_ctx *app_match(struct app *a); /* main thread's own connection, may be NULL */
const match_result *app_result(struct app *a);
const char *app_catalog_path(struct app *a);

/* Marks are copies, so they survive result changes. */
int app_marked(struct app *a, const match_row **rows); /* count; rows owned by app */
int app_is_marked(struct app *a, int64_t product_id);
void app_set_mark(struct app *a, const match_row *row, int on);
int app_marks_unsaved(struct app *a);
void app_marks_saved(struct app *a);

void app_get_sort(struct app *a, enum match_sort *sort, int *descending);
void app_set_sort(struct app *a, enum match_sort sort, int descending);
/* The grid column the offers are sorted by ("Supplier") and its direction. */
void app_get_sort_column(struct app *a, const char **name, int *descending);
/* Sorts by the named grid column; -1 when there is no such column. */
int app_set_sort_column(struct app *a, const char *name, int descending);

/* The chat transcript as a JSON array of {"role": "user"|"souk", "text"}
 * (caller frees); and adding a line back when a session is restored. */
char *app_transcript_json(struct app *a);
void app_chat_add(struct app *a, enum chat_role role, const char *text);

/* Posts dialog_filter(app_dialog(a)) to the match worker (call it after
 * dialog_set_filter). The dialog runs on the worker thread: touch it only
 * from the hooks and commands above, which the dashboard calls while no
 * turn is in flight. */
void app_refine(struct app *a);
/* Empties the chat pane (a session switched in place). */
void app_chat_clear(struct app *a);
/* A one-line message in the status line until the next key. */
void app_message(struct app *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int app_attr(struct app *a, enum theme_role role);

#endif
