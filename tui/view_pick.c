/* view_pick: checklists over the dashboard: the column chooser and the list-filter pickers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "catalog_info.h"
#include "list.h"
#include "text.h"

typedef struct check_item {
	char *label;
	long count; /* -1: none */
	int on;
	int id;
} check_item;

typedef struct checklist {
	const char *title;
	check_item *it;
	list l;    /* over it */
	int field; /* the picker's filter field */
} checklist;

static void check_add(checklist *c, const char *label, long count, int on, int id)
{
	int i;

	for (i = 0; i < c->l.n; i++)
		if (util_strieq(c->it[i].label, label))
			return;
	c->it = xgrow(c->it, c->l.n, sizeof *c->it);
	c->it[c->l.n].label = text_sanitize(label, 0);
	c->it[c->l.n].count = count;
	c->it[c->l.n].on = on;
	c->it[c->l.n].id = id;
	c->l.n++;
}

static void check_close(struct app *a, void *st)
{
	checklist *c = st;
	int i;

	(void)a;
	for (i = 0; i < c->l.n; i++)
		free(c->it[i].label);
	free(c->it);
	free(c);
}

static void check_draw(struct app *a, void *st, WINDOW *w, int focused)
{
	checklist *c = st;
	int h, width, i, y;

	(void)focused;
	if (!app_draw_title(a, w, c->title, &h, &width))
		return;
	c->l.page = h - 1;
	list_scroll(&c->l, h - 1);
	for (i = c->l.top, y = 1; i < c->l.n && y < h; i++, y++) {
		char *s = c->it[i].count >= 0
		                  ? xasprintf("[%c] %-20s %6ld", c->it[i].on ? 'x' : ' ',
		                              c->it[i].label, c->it[i].count)
		                  : xasprintf("[%c] %s", c->it[i].on ? 'x' : ' ', c->it[i].label);

		app_draw_text(a, w, y, 1, width - 1, s,
		              app_attr(a, i == c->l.cur ? TH_CURSOR : TH_NORMAL));
		free(s);
	}
}

/* Moving and toggling, the same in every checklist. */
static int check_move(checklist *c, enum action act)
{
	if (act == ACT_TOGGLE) {
		if (c->l.n > 0)
			c->it[c->l.cur].on = !c->it[c->l.cur].on;
		return 1;
	}
	return list_move(&c->l, act);
}

static void *columns_open(struct app *a)
{
	checklist *c = xcalloc(1, sizeof *c);
	int i, col, desc;

	grid_sort(a, &col, &desc);
	c->title = " Columns: Space shows/hides, Enter sorts by it, r reverses, Esc closes";
	for (i = 1; i < grid_column_count(); i++) {
		check_add(c, grid_column_name(i), -1, !(grid_hidden(a) & (1u << i)), i);
		if (i == col)
			c->l.cur = c->l.n - 1;
	}
	return c;
}

static unsigned columns_key(struct app *a, void *st, int key, enum action act)
{
	checklist *c = st;
	unsigned hidden = 0;
	int i, col, desc;

	(void)key;
	if (check_move(c, act)) {
		for (i = 0; i < c->l.n; i++)
			if (!c->it[i].on)
				hidden |= 1u << c->it[i].id;
		grid_set_hidden(a, hidden);
		return PANE_DONE;
	}
	switch (act) {
	case ACT_APPLY:
		grid_sort(a, &col, &desc);
		return (c->l.n > 0 ? grid_sort_by(a, c->it[c->l.cur].id, desc) : 0) | PANE_CLOSE;
	case ACT_REVERSE:
		grid_sort(a, &col, &desc);
		return grid_sort_by(a, col, !desc) | PANE_DONE;
	case ACT_CLOSE:
		return PANE_CLOSE;
	default:
		return PANE_PASS;
	}
}

const struct pane view_columns = {
        .name = "columns",
        .ctx = KC_LIST,
        .help = "choose the sort column, show and hide columns",
        .open = columns_open,
        .close = check_close,
        .draw = check_draw,
        .key = columns_key,
};

static strlist *picker_list(souk_filter *f, int field)
{
	if (field == FF_SUPPLIER_COUNTRIES)
		return &f->supplier_countries;
	if (field == FF_EXCLUDE_COUNTRIES)
		return &f->exclude_countries;
	return &f->certifications;
}

static void *picker_open(struct app *a)
{
	checklist *c = xcalloc(1, sizeof *c);
	souk_filter *f = &a->filter;
	int field = sidebar_picker_field(a);
	strlist *cur = picker_list(f, field);
	const match_count *fc = field == FF_CERTIFICATIONS ? a->res.certs : a->res.countries;
	int nfc = !a->have_result              ? 0
	          : field == FF_CERTIFICATIONS ? a->res.ncerts
	                                       : a->res.ncountries;
	strlist all = {0};
	souk_err e;
	int i;

	c->field = field;
	c->title =
	        " Pick: Space toggles, Enter applies, Esc cancels (counts in the current results; "
	        "every value in the catalog)";
	/* what is chosen first, then what the results have, most first, then
	 * the rest of the catalog's values at 0: a buyer can pick a country
	 * the current results happen to lack */
	for (i = 0; i < cur->n; i++)
		check_add(c, cur->v[i], 0, 1, i);
	for (i = 0; i < nfc; i++) {
		int k;

		for (k = 0; k < c->l.n; k++)
			if (util_strieq(c->it[k].label, fc[i].value ? fc[i].value : ""))
				c->it[k].count = fc[i].count;
		if (fc[i].value)
			check_add(c, fc[i].value, fc[i].count, 0, i);
	}
	if (a->mctx &&
	    catalog_info_values(a->mctx,
	                        field == FF_CERTIFICATIONS ? CATALOG_CERTS : CATALOG_COUNTRIES,
	                        &all, &e) == 0)
		for (i = 0; i < all.n; i++)
			check_add(c, all.v[i], 0, 0, -1);
	strlist_clear(&all);
	return c;
}

static void picker_apply(struct app *a, checklist *c)
{
	filter_delta d;
	int i;

	filter_delta_init(&d);
	d.set = 1u << c->field;
	for (i = 0; i < c->l.n; i++)
		if (c->it[i].on)
			strlist_add(picker_list(&d.f, c->field), c->it[i].label);
	app_dialog_edit(a, &d); /* takes d */
}

static unsigned picker_key(struct app *a, void *st, int key, enum action act)
{
	checklist *c = st;

	(void)key;
	if (check_move(c, act))
		return PANE_DONE;
	switch (act) {
	case ACT_APPLY:
		picker_apply(a, c);
		return PANE_CLOSE;
	case ACT_CLOSE:
		return PANE_CLOSE;
	default:
		return PANE_PASS;
	}
}

const struct pane view_picker = {
        .name = "picker",
        .ctx = KC_LIST,
        .help = "pick values for a list filter",
        .open = picker_open,
        .close = check_close,
        .draw = check_draw,
        .key = picker_key,
};
