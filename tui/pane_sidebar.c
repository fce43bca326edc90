/* pane_sidebar: every filter with its value, edited in place; facet counts and the price histogram.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "list.h"
#include "text.h"

/* The order buyers think in: what, how many, how much, then who. */
static const int order[] = {
        FF_KEYWORDS,       FF_CATEGORY,           FF_QUANTITY,
        FF_PRICE_MAX,      FF_PRICE_MIN,          FF_CURRENCY,
        FF_MOQ_MAX,        FF_INCLUDE_LARGER_MOQ, FF_LEAD_TIME,
        FF_MARKET,         FF_SUPPLIER_COUNTRIES, FF_EXCLUDE_COUNTRIES,
        FF_CERTIFICATIONS, FF_VERIFIED,           FF_MIN_RATING,
        FF_MIN_YEARS,      FF_CUSTOMIZATION,      FF_SAMPLES,
        FF_BUSINESS_TYPE,  FF_INCOTERM,
};
#define NITEMS ((int)(sizeof order / sizeof order[0]))

/* The sidebar's own state (app.h keeps only a pointer to it). */
struct sidebar {
	list l;           /* the cursor over order[] */
	int picker_field; /* the list filter the picker edits */
};

static const char *label(int f)
{
	return filter_fields[f].label;
}

/* The field's value in words (filter_fields[]), "" when unset. Offers
 * set aside for an MOQ above the quantity are counted beside the toggle
 * that brings them back, so the buyer sees there is something to show. */
static char *value_text(const app *a, int field)
{
	char num[32];

	if (field == FF_INCLUDE_LARGER_MOQ && !a->filter.include_larger_moq && a->have_result &&
	    a->res.set_aside_moq > 0)
		return xasprintf("%s set aside",
		                 app_fmt_count(a->res.set_aside_moq, num, sizeof num));
	return filter_field_format(&a->filter, field);
}

/* The dialog takes the delta (on the worker thread); d is left empty so
 * the caller's filter_delta_free stays harmless. */
static void apply_delta(app *a, filter_delta *d)
{
	app_dialog_edit(a, d);
	filter_delta_init(d);
}

static void clear_field(app *a, int field)
{
	filter_delta d;

	filter_delta_init(&d);
	d.set = 1u << field;
	if (field == FF_CURRENCY)
		snprintf(d.f.currency, sizeof d.f.currency, "USD");
	apply_delta(a, &d);
	filter_delta_free(&d);
}

static void toggle(app *a, int field)
{
	filter_delta d;

	filter_delta_init(&d);
	d.set = 1u << field;
	*filter_bool_field(&d.f, field) = !*filter_bool_field(&a->filter, field);
	apply_delta(a, &d);
	filter_delta_free(&d);
}

/* A field with few values (business type, incoterm): Enter steps
 * through its choices, then back to unset. */
static void cycle(app *a, int field)
{
	const char *const *vals = filter_fields[field].choices;
	const char *cur = *filter_string_field(&a->filter, field);
	filter_delta d;
	int i = 0;

	if (cur)
		for (i = 0; vals[i] && !util_strieq(vals[i], cur); i++)
			;
	i = cur ? i + 1 : 0;
	filter_delta_init(&d);
	d.set = 1u << field;
	if (vals[i])
		*filter_string_field(&d.f, field) = xstrdup(vals[i]);
	apply_delta(a, &d);
	filter_delta_free(&d);
}

/* The market is a code; a country's name belongs in the chat, where the
 * gazetteer reads it: say so rather than set a market nobody has. */
static int market_ok(app *a, const char *text)
{
	size_t n = 0;

	while (isspace((unsigned char)*text))
		text++;
	while (isalpha((unsigned char)text[n]))
		n++;
	if (*text == '\0' || (n == 2 && text[n + strspn(text + n, " \t")] == '\0'))
		return 1;
	app_message(a, "A market is a 2-letter country code such as US or DE, or EU; or say it in "
	               "the chat (\"for Germany\")");
	return 0;
}

void sidebar_edit_done(app *a, int field, const char *text)
{
	filter_delta d;
	souk_err e;

	if (field == FF_MARKET && !market_ok(a, text))
		return;
	filter_delta_init(&d);
	if (filter_field_parse(field, text, a->cfg->ref, &d, &e) < 0)
		app_message(a, "%s", e.msg);
	else
		apply_delta(a, &d);
	filter_delta_free(&d);
}

static unsigned start_edit(app *a, int field)
{
	char *v, *prompt_label;

	if (filter_fields[field].kind == FK_BOOL) {
		toggle(a, field);
		return PANE_DONE;
	}
	if (filter_fields[field].choices) {
		cycle(a, field);
		return PANE_DONE;
	}
	/* lists of catalog values have a picker; keywords are typed */
	if (filter_fields[field].kind == FK_LIST && field != FF_KEYWORDS) {
		a->sidebar->picker_field = field;
		return PANE_PICK;
	}
	v = value_text(a, field);
	/* numbers are edited bare: "8.00 USD" -> "8.00" */
	if (filter_number_field(&a->filter, field)) {
		char *sp = strchr(v, ' ');

		if (sp)
			*sp = '\0';
	}
	prompt_label = xasprintf("%s: ", label(field));
	app_prompt(a, PROMPT_EDIT, field, prompt_label, v);
	free(prompt_label);
	free(v);
	return PANE_DONE;
}

static unsigned sidebar_key(app *a, void *st, int key, enum action act)
{
	struct sidebar *sb = st;

	(void)key;
	if (list_move(&sb->l, act))
		return PANE_DONE;
	switch (act) {
	case ACT_EDIT:
		return start_edit(a, order[sb->l.cur]);
	case ACT_CLEAR:
		clear_field(a, order[sb->l.cur]);
		return PANE_DONE;
	default:
		return PANE_PASS;
	}
}

/* The facet list "CN 1,204  VN 310 ..." in as many lines as fit. */
static int draw_counts(app *a, WINDOW *w, int y, int h, int width, const char *title,
                       const match_count *c, int n)
{
	int i, x = 1, lines = 0;

	if (n <= 0 || y >= h)
		return y;
	app_draw_text(a, w, y++, 1, width - 1, title, app_attr(a, TH_TITLE));
	for (i = 0; i < n && y < h && lines < 3; i++) {
		char *v = text_sanitize(c[i].value ? c[i].value : "", 0);
		char *s = xasprintf("%s %ld", v, c[i].count);
		int sw = text_width(s);

		if (x + sw >= width && x > 1) {
			y++;
			lines++;
			x = 1;
			if (y >= h || lines >= 3) {
				free(s);
				free(v);
				break;
			}
		}
		app_draw_text(a, w, y, x, width - x, s, app_attr(a, TH_NORMAL));
		x += sw + 2;
		free(s);
		free(v);
	}
	return y + 1;
}

static void draw_hist(app *a, WINDOW *w, int y, int h, int width)
{
	static const char *const bars[] = {" ",
	                                   "\xe2\x96\x81",
	                                   "\xe2\x96\x82",
	                                   "\xe2\x96\x83",
	                                   "\xe2\x96\x84",
	                                   "\xe2\x96\x85",
	                                   "\xe2\x96\x86",
	                                   "\xe2\x96\x87",
	                                   "\xe2\x96\x88"};
	static const char *const ascii[] = {" ", ".", ".", ":", ":", "|", "|", "#", "#"};
	const match_hist *hg = &a->res.price_hist;
	const souk_filter *f = &a->filter;
	long max = 0;
	int i;
	char *t;

	if (y + 3 > h || !a->have_result || a->res.total == 0 || hg->hi <= hg->lo)
		return;
	t = xasprintf("Price (%s)", a->res.currency);
	app_draw_text(a, w, y++, 1, width - 1, t, app_attr(a, TH_TITLE));
	free(t);
	for (i = 0; i < MATCH_HIST_BINS; i++)
		if (hg->counts[i] > max)
			max = hg->counts[i];
	wmove(w, y, 1);
	for (i = 0; i < MATCH_HIST_BINS && 1 + 2 * i + 1 < width; i++) {
		int lvl = max > 0 ? (int)((hg->counts[i] * 8 + max - 1) / max) : 0;
		const char *b = (a->utf8 ? bars : ascii)[lvl];

		wattrset(w, app_attr(a, TH_BAR));
		waddstr(w, b);
		waddstr(w, b);
	}
	y++;
	/* the price limit, marked under the bin it falls in */
	if (f->price_max >= 0) {
		double pos = (f->price_max - hg->lo) / (hg->hi - hg->lo);
		int col = 1 + (int)(pos * MATCH_HIST_BINS * 2);

		if (col < 1)
			col = 1;
		if (col > 2 * MATCH_HIST_BINS)
			col = 2 * MATCH_HIST_BINS;
		if (col < width)
			app_draw_text(a, w, y, col, width - col,
			              a->utf8 ? "\xe2\x96\xb2 max" : "^ max",
			              app_attr(a, TH_QUESTION));
	}
	y++;
	if (y < h) {
		t = xasprintf("%.2f .. %.2f", hg->lo, hg->hi);
		app_draw_text(a, w, y, 1, width - 1, t, app_attr(a, TH_DIM));
		free(t);
	}
}

static void sidebar_draw(app *a, void *st, WINDOW *w, int focused)
{
	struct sidebar *sb = st;
	int h, width, i, y = 1, lw = 11, shown = 0;

	getmaxyx(w, h, width);
	werase(w);
	if (h < 1 || width < 1)
		return;
	app_draw_text(a, w, 0, 0, width,
	              focused ? " Filters (Enter edits, Del clears)" : " Filters",
	              app_attr(a, TH_TITLE));
	/* on short screens the list scrolls */
	list_scroll(&sb->l, h - 1);
	/* unfocused, only the filters in force are listed, leaving room for
	 * the facets; focused, every filter is there to be edited */
	for (i = focused ? sb->l.top : 0; i < NITEMS && y < h; i++) {
		int field = order[i], attr = app_attr(a, TH_NORMAL);
		char *v = value_text(a, field), *sv = text_sanitize(v, 0);
		char *line;

		if (!focused && (!*sv || (field == FF_CURRENCY && strcmp(sv, "USD") == 0))) {
			free(sv);
			free(v);
			continue;
		}
		line = xasprintf(" %-*s %s", lw - 1, label(field), *sv ? sv : "-");
		if (focused && i == sb->l.cur)
			attr = app_attr(a, TH_CURSOR);
		else if (!*sv)
			attr = app_attr(a, TH_DIM);
		else if (a->changed & (1u << field))
			attr = app_attr(a, TH_BEST);
		wmove(w, y, 0);
		wattrset(w, attr);
		for (int k = 0; k < width; k++)
			waddch(w, ' ');
		app_draw_text(a, w, y, 0, width, line, attr);
		free(line);
		free(sv);
		free(v);
		y++;
		shown++;
	}
	if (!focused && shown == 0 && y < h)
		app_draw_text(a, w, y++, 1, width - 1, "none yet: say what you need",
		              app_attr(a, TH_DIM));
	if (!a->have_result || y + 2 >= h)
		return;
	y++;
	y = draw_counts(a, w, y, h, width, "Countries", a->res.countries, a->res.ncountries);
	y = draw_counts(a, w, y, h, width, "Certifications", a->res.certs, a->res.ncerts);
	draw_hist(a, w, y, h, width);
}

static void *sidebar_open(app *a)
{
	struct sidebar *sb = xcalloc(1, sizeof *sb);

	(void)a;
	list_set_count(&sb->l, NITEMS);
	return sb;
}

static void sidebar_close(app *a, void *st)
{
	(void)a;
	free(st);
}

int sidebar_picker_field(app *a)
{
	return a->sidebar->picker_field;
}

const struct pane pane_sidebar = {
        .name = "sidebar",
        .ctx = KC_SIDEBAR,
        .open = sidebar_open,
        .close = sidebar_close,
        .draw = sidebar_draw,
        .key = sidebar_key,
};
