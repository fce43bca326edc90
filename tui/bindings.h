/* bindings: the one key table {context, key, action, help}: dispatch, the help overlay, key hints.
 */
#ifndef SOUK_BINDINGS_H
#define SOUK_BINDINGS_H

#include <stddef.h>

#include "view.h"

/* Where a key is looked up: the focused pane's or the top view's context
 * first, then KC_ALL (the dashboard's own keys). */
enum key_ctx {
	KC_ALL,
	KC_CHAT,
	KC_GRID,
	KC_SIDEBAR,
	KC_PAGER,   /* detail and help */
	KC_COMPARE, /* the comparison */
	KC_LIST,    /* the column chooser and the list pickers */
	KC_SHORTLIST,
	KC_COUNT
};

enum action {
	ACT_NONE,
	/* the dashboard's own */
	ACT_INTERRUPT, /* Ctrl-C: quit, asking once when marks are unsaved */
	ACT_FOCUS_NEXT,
	ACT_FOCUS_PREV,
	ACT_HELP,
	ACT_QUIT,
	ACT_UNDO,
	ACT_TO_CHAT,
	ACT_SHORTLIST,
	ACT_CLOSE,
	/* moving in a list */
	ACT_DOWN,
	ACT_UP,
	ACT_PAGE_DOWN,
	ACT_PAGE_UP,
	ACT_TOP,
	ACT_BOTTOM,
	ACT_LEFT,
	ACT_RIGHT,
	/* the chat */
	ACT_SEND,
	ACT_COMPLETE,
	ACT_CLEAR_LINE,
	ACT_PASTE_BEGIN,
	ACT_PASTE_END,
	ACT_LINE_EDIT, /* help only: the line editor's own keys (tui/input.c) */
	/* the grid */
	ACT_MARK,
	ACT_DETAIL,
	ACT_COMPARE,
	ACT_SIMILAR,
	ACT_SORT_PREV,
	ACT_SORT_NEXT,
	ACT_REVERSE,
	ACT_COLUMNS,
	ACT_SEARCH,
	ACT_SEARCH_NEXT,
	/* the sidebar and the pickers */
	ACT_EDIT,
	ACT_CLEAR,
	ACT_TOGGLE,
	ACT_APPLY,
	/* the shortlist view */
	ACT_MOVE_DOWN,
	ACT_MOVE_UP,
	ACT_NOTE,
	ACT_STATUS_NEXT,
	ACT_STATUS_SET, /* '1'..'4': the key says which */
	ACT_REMOVE,
	ACT_LIST_PREV,
	ACT_LIST_NEXT,
	ACT_LIST_NEW,
	ACT_RENAME,
	ACT_EXPORT,
	ACT_COUNT
};

typedef struct binding {
	enum key_ctx ctx;
	int key; /* 0: help only, the key is dispatched elsewhere (label says which) */
	enum action action;
	/* Shown in the help overlay beside the keys of every row with the same
	 * context and action; NULL on the second and later rows. */
	const char *help;
	const char *label; /* for key 0 only: the keys as the help shows them */
} binding;

extern const binding bindings[];
extern const int nbindings;

/* The action key has in ctx, ACT_NONE when it has none. */
enum action bindings_find(enum key_ctx ctx, int key);
/* "Ctrl-F", "Shift-Tab", "Space", "q" into buf. */
const char *bindings_key_name(int key, char *buf, size_t len);
/* "j / Down": every key bound to act in ctx (caller frees). */
char *bindings_keys_for(enum key_ctx ctx, enum action act);
const char *bindings_ctx_name(enum key_ctx ctx);
/* The key a hint names for act in ctx ("Tab", "F1"): the first bound,
 * past printable keys when typing (they go into the line). */
const char *bindings_hint_key(enum key_ctx ctx, enum action act, int typing, char *buf, size_t len);

#endif
