/* list: one cursor over n rows: moving, paging, keeping it in sight, searching (tmux mode-tree
 * style). */
#ifndef SOUK_LIST_H
#define SOUK_LIST_H

#include "bindings.h"

/* The grid, the shortlist view and the pickers each keep one; what a row
 * is (an offer, an item, a value with its count and check) is theirs. */
typedef struct list {
	int n;    /* rows */
	int cur;  /* the row under the cursor: 0..n-1, 0 when empty */
	int top;  /* the first row drawn */
	int page; /* how far a page moves (the owner sets it from its height) */
} list;

/* Sets the number of rows and keeps the cursor among them. */
void list_set_count(list *l, int n);
/* Moves the cursor for ACT_DOWN, ACT_UP, ACT_PAGE_DOWN, ACT_PAGE_UP, ACT_TOP and
 * ACT_BOTTOM; 1 when act was one of them, else 0 and nothing moves. */
int list_move(list *l, enum action act);
/* Scrolls so that the cursor is among the rows rows drawn from top. */
void list_scroll(list *l, int rows);
/* The first row after the cursor, wrapping round to it, for which
 * match(row, ctx) holds; -1 when none does. */
int list_search(const list *l, int (*match)(int row, void *ctx), void *ctx);

#endif
