/* Unit tests for tui/layout: every size from 1x1 up gives sane, non-overlapping panes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "layout.h"

static int inside(const rect *r, int rows, int cols)
{
	if (layout_empty(r))
		return 1;
	return r->y >= 0 && r->x >= 0 && r->y + r->h <= rows && r->x + r->w <= cols;
}

static int overlap(const rect *a, const rect *b)
{
	if (layout_empty(a) || layout_empty(b))
		return 0;
	return a->x < b->x + b->w && b->x < a->x + a->w && a->y < b->y + b->h && b->y < a->y + a->h;
}

static void check_size(int rows, int cols, int focus)
{
	layout l;
	const rect *panes[6];
	int i, j, area = 0;

	layout_compute(&l, rows, cols, focus);
	if (l.too_small) {
		assert_true(rows < LAYOUT_MIN_ROWS || cols < LAYOUT_MIN_COLS);
		assert_int_equal(l.msg.h, rows);
		assert_int_equal(l.msg.w, cols);
		return;
	}
	panes[0] = &l.sidebar;
	panes[1] = &l.divider;
	panes[2] = &l.chat;
	panes[3] = &l.input;
	panes[4] = &l.grid;
	panes[5] = &l.status;
	for (i = 0; i < 6; i++) {
		assert_true(inside(panes[i], rows, cols));
		for (j = i + 1; j < 6; j++)
			assert_false(overlap(panes[i], panes[j]));
		if (!layout_empty(panes[i]))
			area += panes[i]->h * panes[i]->w;
	}
	assert_int_equal(l.status.y, rows - 1);
	assert_int_equal(l.status.w, cols);
	assert_int_equal(l.input.h, 1);
	assert_true(l.chat.h >= 1);
	/* the chat input is always reachable; the grid or the sidebar fills the rest */
	assert_false(layout_empty(&l.input));
	if (focus || cols >= LAYOUT_SIDEBAR_MIN_COLS)
		assert_false(layout_empty(&l.sidebar));
	if (!focus || cols >= LAYOUT_SIDEBAR_MIN_COLS)
		assert_true(l.grid.h >= 3);
	/* nothing left uncovered on the screen */
	assert_int_equal(area, rows * cols);
}

static void test_all_sizes(void **state)
{
	int r, c;

	(void)state;
	for (r = 1; r <= 70; r++)
		for (c = 1; c <= 260; c += (c < 100 ? 1 : 7)) {
			check_size(r, c, 0);
			check_size(r, c, 1);
		}
}

static void test_standard_80x24(void **state)
{
	layout l;

	(void)state;
	layout_compute(&l, 24, 80, 0);
	assert_false(l.too_small);
	/* sidebar on the left, chat top right, grid bottom right */
	assert_int_equal(l.sidebar.x, 0);
	assert_int_equal(l.sidebar.y, 0);
	assert_true(l.chat.x > l.sidebar.x + l.sidebar.w - 1);
	assert_int_equal(l.chat.y, 0);
	assert_true(l.grid.y > l.chat.y);
	assert_int_equal(l.grid.x, l.chat.x);
	assert_int_equal(l.grid.y + l.grid.h, 23);
	assert_true(l.grid.h > l.chat.h); /* the grid gets most rows */
	assert_true(l.sidebar.w >= 24);
}

static void test_tiny(void **state)
{
	layout l;

	(void)state;
	layout_compute(&l, 1, 1, 0);
	assert_true(l.too_small);
	layout_compute(&l, 5, 20, 0);
	assert_true(l.too_small);
	layout_compute(&l, 0, 0, 0);
	assert_true(l.too_small);
	assert_true(layout_empty(&l.msg));
}

static void test_narrow_sidebar_takes_grid(void **state)
{
	layout l;

	(void)state;
	layout_compute(&l, 24, 50, 0);
	assert_true(layout_empty(&l.sidebar));
	assert_int_equal(l.grid.w, 50);
	layout_compute(&l, 24, 50, 1);
	assert_true(layout_empty(&l.grid));
	assert_int_equal(l.sidebar.w, 50);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_all_sizes),
	        cmocka_unit_test(test_standard_80x24),
	        cmocka_unit_test(test_tiny),
	        cmocka_unit_test(test_narrow_sidebar_takes_grid),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
