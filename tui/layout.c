/* layout: where each pane goes for a terminal size (pure arithmetic, unit-tested). */
#include "layout.h"

#include <string.h>

static int clamp(int v, int lo, int hi)
{
	if (v < lo)
		return lo;
	if (v > hi)
		return hi;
	return v;
}

static rect mkrect(int y, int x, int h, int w)
{
	rect r;

	r.y = y;
	r.x = x;
	r.h = h > 0 ? h : 0;
	r.w = w > 0 ? w : 0;
	if (r.h == 0 || r.w == 0)
		r.h = r.w = 0;
	return r;
}

int layout_empty(const rect *r)
{
	return r->h <= 0 || r->w <= 0;
}

/* The sidebar gets a quarter of the width, enough for "Price max  8.00 USD"
 * and a histogram, never more than it can use. */
static int sidebar_width(int cols)
{
	return clamp(cols / 4, 24, 36);
}

/* The chat gets about a third of the height: enough for a reply and the
 * question, while the grid keeps most rows. */
static int chat_height(int body)
{
	int h = body / 3;

	if (body >= 20)
		h = clamp(h, 7, 14);
	return clamp(h, 2, body - 3);
}

void layout_compute(layout *l, int rows, int cols, int sidebar_focused)
{
	int body, right_x, right_w, ch, side;

	memset(l, 0, sizeof *l);
	l->rows = rows;
	l->cols = cols;
	if (rows < LAYOUT_MIN_ROWS || cols < LAYOUT_MIN_COLS) {
		l->too_small = 1;
		l->msg = mkrect(0, 0, rows, cols);
		return;
	}
	body = rows - 1;
	l->status = mkrect(rows - 1, 0, 1, cols);
	l->view = mkrect(0, 0, body, cols);
	side = cols >= LAYOUT_SIDEBAR_MIN_COLS;
	if (side) {
		int sw = sidebar_width(cols);

		l->sidebar = mkrect(0, 0, body, sw);
		l->divider = mkrect(0, sw, body, 1);
		right_x = sw + 1;
		right_w = cols - sw - 1;
	} else {
		right_x = 0;
		right_w = cols;
	}
	ch = chat_height(body);
	/* chat scrollback, then the input line */
	l->chat = mkrect(0, right_x, ch - 1, right_w);
	l->input = mkrect(ch - 1, right_x, 1, right_w);
	if (!side && sidebar_focused) {
		l->sidebar = mkrect(ch, 0, body - ch, cols);
		l->grid = mkrect(0, 0, 0, 0);
	} else {
		l->grid = mkrect(ch, right_x, body - ch, right_w);
	}
}
