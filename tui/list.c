/* list: one cursor over n rows: moving, paging, keeping it in sight, searching (tmux mode-tree
 * style). */
#include "list.h"

static void clamp(list *l)
{
	if (l->cur >= l->n)
		l->cur = l->n - 1;
	if (l->cur < 0)
		l->cur = 0;
}

void list_set_count(list *l, int n)
{
	l->n = n < 0 ? 0 : n;
	clamp(l);
}

int list_move(list *l, enum action act)
{
	int page = l->page > 1 ? l->page : 1;

	switch (act) {
	case ACT_DOWN:
		if (l->cur < l->n - 1)
			l->cur++;
		break;
	case ACT_UP:
		if (l->cur > 0)
			l->cur--;
		break;
	case ACT_PAGE_DOWN:
		l->cur += page;
		break;
	case ACT_PAGE_UP:
		l->cur -= page;
		break;
	case ACT_TOP:
		l->cur = 0;
		break;
	case ACT_BOTTOM:
		l->cur = l->n - 1;
		break;
	default:
		return 0;
	}
	clamp(l);
	return 1;
}

void list_scroll(list *l, int rows)
{
	if (rows < 1)
		return;
	if (l->cur < l->top)
		l->top = l->cur;
	if (l->cur >= l->top + rows)
		l->top = l->cur - rows + 1;
	/* a shorter list (a refinement, a resize) shows its end, not a gap */
	if (l->top > 0 && l->top + rows > l->n)
		l->top = l->n - rows > 0 ? l->n - rows : 0;
}

int list_search(const list *l, int (*match)(int row, void *ctx), void *ctx)
{
	int i;

	for (i = 1; i <= l->n; i++) {
		int k = (l->cur + i) % l->n;

		if (match(k, ctx))
			return k;
	}
	return -1;
}
