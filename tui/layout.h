/* layout: where each pane goes for a terminal size (pure arithmetic, unit-tested). */
#ifndef SOUK_LAYOUT_H
#define SOUK_LAYOUT_H

typedef struct rect {
	int y, x, h, w;
} rect;

/* Smallest size that gets the dashboard; below it, a short message. */
#define LAYOUT_MIN_COLS 30
#define LAYOUT_MIN_ROWS 8
/* Below this width the sidebar is not shown beside the grid; it takes the
 * grid's place while it has focus. */
#define LAYOUT_SIDEBAR_MIN_COLS 72

typedef struct layout {
	int rows, cols;
	int too_small; /* draw only a message in `msg` */
	rect msg;      /* the whole screen when too small */
	rect sidebar;  /* w == 0 when hidden */
	rect divider;  /* one column between sidebar and the right side; w == 0 when hidden */
	rect chat;     /* scrollback */
	rect input;    /* the chat input line (one row, below the scrollback) */
	rect grid;     /* title row, header row, then offers */
	rect status;   /* the last row */
	rect view;     /* full area above the status line, for overlays */
} layout;

/* sidebar_focused matters only on narrow screens, where the sidebar then
 * replaces the grid. Every rect lies inside rows x cols; none overlap. */
void layout_compute(layout *l, int rows, int cols, int sidebar_focused);

/* 1 if r has no area. */
int layout_empty(const rect *r);

#endif
