/* pager: scrolling lines of text, the body of the detail and help views. */
#include "pager.h"

#include <stdarg.h>
#include <stdlib.h>

#include "app.h"
#include "text.h"

void pager_add(pager *p, int role, int indent, const char *s)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 64;
		p->l = xrealloc(p->l, sizeof *p->l * (size_t)p->cap);
	}
	p->l[p->n].text = text_sanitize(s ? s : "", 0);
	p->l[p->n].role = role;
	p->l[p->n].indent = indent;
	p->n++;
}

void pager_addf(pager *p, int role, int indent, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));
void pager_addf(pager *p, int role, int indent, const char *fmt, ...)
{
	va_list ap;
	strbuf b;

	sb_init(&b);
	va_start(ap, fmt);
	sb_vprintf(&b, fmt, ap);
	va_end(ap);
	pager_add(p, role, indent, b.s ? b.s : "");
	sb_free(&b);
}

void pager_close(struct app *a, void *st)
{
	pager *p = st;
	int i;

	(void)a;
	for (i = 0; i < p->n; i++)
		free(p->l[i].text);
	free(p->l);
	free(p);
}

void pager_draw(struct app *a, void *st, WINDOW *w, int focused)
{
	pager *p = st;
	int h, width, i, y;

	(void)focused;
	if (!app_draw_title(a, w, p->title, &h, &width))
		return;
	if (p->top > p->n - (h - 1))
		p->top = p->n - (h - 1);
	if (p->top < 0)
		p->top = 0;
	for (i = p->top, y = 1; i < p->n && y < h; i++, y++)
		app_draw_text(a, w, y, 1 + p->l[i].indent, width - 1 - p->l[i].indent, p->l[i].text,
		              app_attr(a, p->l[i].role));
}

unsigned pager_key(struct app *a, void *st, int key, enum action act)
{
	pager *p = st;
	int page = a->lay.view.h - 2 > 1 ? a->lay.view.h - 2 : 1;

	(void)key;
	switch (act) {
	case ACT_DOWN:
		p->top++;
		return PANE_DONE;
	case ACT_UP:
		if (p->top > 0)
			p->top--;
		return PANE_DONE;
	case ACT_PAGE_DOWN:
		p->top += page;
		return PANE_DONE;
	case ACT_PAGE_UP:
		p->top = p->top > page ? p->top - page : 0;
		return PANE_DONE;
	case ACT_TOP:
		p->top = 0;
		return PANE_DONE;
	case ACT_CLOSE:
		return PANE_CLOSE;
	default:
		return PANE_PASS;
	}
}
