/* pane: the contract between the dashboard and its panes and views (tmux window_mode style). */
#ifndef SOUK_PANE_H
#define SOUK_PANE_H

#include <curses.h>
#include <stdint.h>

#include "bindings.h"
#include "config.h"
#include "dialog.h"
#include "match.h"

struct app;

/* What a key did, as bits the loop acts on (htop's HandlerResult): a pane
 * changes its own state and asks for the rest, so no pane calls back into
 * the dashboard's queries, sessions or view stack. */
enum pane_result {
	PANE_PASS = 0,              /* not mine: the dashboard's bindings get the key */
	PANE_DONE = 1u << 0,        /* handled; the frame is redrawn */
	PANE_CLOSE = 1u << 1,       /* close this view */
	PANE_QUIT = 1u << 2,        /* leave souk (asks when marks are unsaved) */
	PANE_REFINE = 1u << 3,      /* run the query again (the grid's SQL order changed) */
	PANE_CHANGED = 1u << 4,     /* record the session (a mark or the sort changed) */
	PANE_SIMILAR = 1u << 5,     /* add offers similar to the marked ones */
	PANE_COMPARE = 1u << 6,     /* open the comparison of the marked offers */
	PANE_DETAIL = 1u << 7,      /* open the detail view of the offer under the cursor */
	PANE_COLUMNS = 1u << 8,     /* open the column chooser */
	PANE_PICK = 1u << 9,        /* open the list picker for app's picker_field */
	PANE_FOCUS_CHAT = 1u << 10, /* back to the chat input */
	PANE_FOCUS_GRID = 1u << 11  /* on to the grid */
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

/* A pane (grid, sidebar, chat) or a view over them (detail, compare,
 * help, pickers, shortlist). State is private: open returns it and every
 * other call gets it back. Every callback but draw may be NULL.
 *
 * key gets the key and the action the binding table gives it in the
 * pane's context (ACT_NONE when it has none): panes that edit text use the
 * key, the others the action. It returns enum pane_result bits. */
struct pane {
	const char *name; /* shown in the status line: "detail", "shortlist" */
	enum key_ctx ctx; /* the bindings its keys are looked up in */
	const char *help; /* one line for the help overlay */

	void *(*open)(struct app *a);
	void (*close)(struct app *a, void *st);
	/* w covers the pane's area; draw with wnoutrefresh-able calls only
	 * (the dashboard does the single doupdate per frame). */
	void (*draw)(struct app *a, void *st, WINDOW *w, int focused);
	unsigned (*key)(struct app *a, void *st, int key, enum action act);
	void (*resize)(struct app *a, void *st, int rows, int cols);
};

extern const struct pane pane_grid, pane_sidebar, pane_chat;
extern const struct pane view_detail, view_compare, view_help, view_columns, view_picker,
        view_shortlist;

/* Opens v on top of the current view. */
void app_push_view(struct app *a, const struct pane *v);

/* What views may read and change. Rows are raw data: sanitise (text.h)
 * before drawing. */
const souk_config *app_config(struct app *a);
dialog *app_dialog(struct app *a);
match_ctx *app_match(struct app *a); /* main thread's own connection, may be NULL */
const match_result *app_result(struct app *a);
const char *app_catalog_path(struct app *a);

/* Marks are copies, so they survive result changes. */
int app_marked(struct app *a, const match_row **rows); /* count; rows owned by app */
/* The rows "similar" added to the grid (count; rows owned by app), and
 * putting them back when a session resumes. */
int app_similar_rows(struct app *a, const match_row **rows);
void app_restore_similar(struct app *a, const match_row *rows, int n);
int app_is_marked(struct app *a, int64_t product_id);
void app_set_mark(struct app *a, const match_row *row, int on);
int app_marks_unsaved(struct app *a);
void app_marks_saved(struct app *a);

/* The chat transcript as a JSON array of {"role": "user"|"souk", "text"}
 * (caller frees); and adding a line back when a session is restored. */
char *app_transcript_json(struct app *a);
void app_chat_add(struct app *a, enum chat_role role, const char *text);

/* A one-line message in the status line until the next key. */
void app_message(struct app *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int app_attr(struct app *a, enum theme_role role);

#endif
