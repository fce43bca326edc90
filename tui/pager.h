/* pager: scrolling lines of text, the body of the detail and help views. */
#ifndef SOUK_PAGER_H
#define SOUK_PAGER_H

#include "pane.h"

typedef struct pline {
	char *text; /* sanitised */
	int role;   /* enum theme_role */
	int indent;
} pline;

typedef struct pager {
	const char *title;
	pline *l;
	int n, cap, top;
} pager;

/* A line of raw text (sanitised here) in a theme role, indented. */
void pager_add(pager *p, int role, int indent, const char *s);
void pager_addf(pager *p, int role, int indent, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));
/* The pane callbacks for a view whose state is a pager. */
void pager_close(struct app *a, void *st);
void pager_draw(struct app *a, void *st, WINDOW *w, int focused);
unsigned pager_key(struct app *a, void *st, int key, enum action act);

#endif
