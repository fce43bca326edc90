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
        FF_KEYWORDS,  FF_CATEGORY,           FF_QUANTITY,          FF_PRICE_MAX,
        FF_PRICE_MIN, FF_CURRENCY,           FF_MOQ_MAX,           FF_LEAD_TIME,
        FF_MARKET,    FF_SUPPLIER_COUNTRIES, FF_EXCLUDE_COUNTRIES, FF_CERTIFICATIONS,
        FF_VERIFIED,  FF_MIN_RATING,         FF_MIN_YEARS,         FF_CUSTOMIZATION,
        FF_SAMPLES,   FF_BUSINESS_TYPE,      FF_INCOTERM,
};
#define NITEMS ((int)(sizeof order / sizeof order[0]))

/* The sidebar's own state (app.h keeps only a pointer to it). */
struct sidebar {
	list l;           /* the cursor over order[] */
	int picker_field; /* the list filter the picker edits */
};

static const char *label(int f)
{
	switch (f) {
	case FF_KEYWORDS:
		return "Keywords";
	case FF_CATEGORY:
		return "Category";
	case FF_QUANTITY:
		return "Quantity";
	case FF_PRICE_MIN:
		return "Price min";
	case FF_PRICE_MAX:
		return "Price max";
	case FF_CURRENCY:
		return "Currency";
	case FF_MOQ_MAX:
		return "MOQ max";
	case FF_LEAD_TIME:
		return "Lead max";
	case FF_MARKET:
		return "Market";
	case FF_SUPPLIER_COUNTRIES:
		return "From";
	case FF_EXCLUDE_COUNTRIES:
		return "Not from";
	case FF_CERTIFICATIONS:
		return "Certs";
	case FF_VERIFIED:
		return "Verified";
	case FF_MIN_RATING:
		return "Rating min";
	case FF_MIN_YEARS:
		return "Years min";
	case FF_CUSTOMIZATION:
		return "Custom";
	case FF_SAMPLES:
		return "Samples";
	case FF_BUSINESS_TYPE:
		return "Type";
	case FF_INCOTERM:
		return "Incoterm";
	default:
		return "?";
	}
}

static int is_list(int f)
{
	return f == FF_KEYWORDS || f == FF_SUPPLIER_COUNTRIES || f == FF_EXCLUDE_COUNTRIES ||
	       f == FF_CERTIFICATIONS;
}

static int is_toggle(int f)
{
	return f == FF_VERIFIED || f == FF_CUSTOMIZATION || f == FF_SAMPLES;
}

/* The field's value in words, "" when unset. */
static char *value_text(const souk_filter *cf, int field)
{
	souk_filter *f = (souk_filter *)cf; /* the accessors take non-const; nothing is written */
	double *d = filter_number_field(f, field);
	strlist *l = filter_list_field(f, field);
	char **s = filter_string_field(f, field);

	if (d) {
		if (*d < 0)
			return xstrdup("");
		if (field == FF_PRICE_MIN || field == FF_PRICE_MAX)
			return xasprintf("%.2f %s", *d, f->currency);
		if (field == FF_LEAD_TIME)
			return xasprintf("%.0f day%s", *d, *d == 1 ? "" : "s");
		if (field == FF_MIN_RATING)
			return xasprintf("%.1f", *d);
		return xasprintf("%.0f", *d);
	}
	if (l) {
		strbuf b;
		int i;

		sb_init(&b);
		sb_add(&b, "");
		for (i = 0; i < l->n; i++) {
			if (i)
				sb_add(&b, field == FF_KEYWORDS ? " " : ", ");
			sb_add(&b, l->v[i]);
		}
		return sb_steal(&b);
	}
	if (s)
		return xstrdup(*s ? *s : "");
	if (field == FF_CURRENCY)
		return xstrdup(f->currency);
	if (field == FF_VERIFIED)
		return xstrdup(f->verified_only ? "only" : "");
	if (field == FF_CUSTOMIZATION)
		return xstrdup(f->customization ? "needed" : "");
	if (field == FF_SAMPLES)
		return xstrdup(f->samples ? "needed" : "");
	return xstrdup("");
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
	const souk_filter *cur = &a->filter;
	filter_delta d;

	filter_delta_init(&d);
	d.set = 1u << field;
	if (field == FF_VERIFIED)
		d.f.verified_only = !cur->verified_only;
	else if (field == FF_CUSTOMIZATION)
		d.f.customization = !cur->customization;
	else
		d.f.samples = !cur->samples;
	apply_delta(a, &d);
	filter_delta_free(&d);
}

/* Business type and incoterm have few values: Enter steps through them. */
static void cycle(app *a, int field)
{
	static const char *const types[] = {"manufacturer", "trading", NULL};
	static const char *const terms[] = {"EXW", "FOB", "CIF", "DDP", NULL};
	const char *const *vals = field == FF_BUSINESS_TYPE ? types : terms;
	const char *cur = field == FF_BUSINESS_TYPE ? a->filter.business_type : a->filter.incoterm;
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

void sidebar_edit_done(app *a, int field, const char *text)
{
	filter_delta d;
	double *n;
	char *t = xstrdup(text), *p, *end;

	/* trim */
	for (p = t + strlen(t); p > t && isspace((unsigned char)p[-1]); p--)
		p[-1] = '\0';
	for (p = t; isspace((unsigned char)*p); p++)
		;
	if (*p == '\0') {
		clear_field(a, field);
		free(t);
		return;
	}
	filter_delta_init(&d);
	d.set = 1u << field;
	if ((n = filter_number_field(&d.f, field)) != NULL) {
		double v = strtod(p, &end);

		while (*end == ' ')
			end++;
		if (end == p || (*end && field != FF_LEAD_TIME) || v < 0) {
			app_message(a, "%s needs a number, not \"%s\"", label(field), p);
			goto out;
		}
		if (field == FF_MIN_RATING && v > 5) {
			app_message(a, "Ratings go from 0 to 5");
			goto out;
		}
		*n = v;
	} else if (is_list(field)) {
		strlist *l = filter_list_field(&d.f, field);
		char *tok, *save = NULL;

		for (tok = strtok_r(p, field == FF_KEYWORDS ? " ," : ",", &save); tok;
		     tok = strtok_r(NULL, field == FF_KEYWORDS ? " ," : ",", &save)) {
			while (*tok == ' ')
				tok++;
			if (field == FF_KEYWORDS)
				text_lower(tok);
			else if (field != FF_CERTIFICATIONS)
				for (end = tok; *end; end++)
					*end = (char)toupper((unsigned char)*end);
			if (*tok)
				strlist_add(l, tok);
		}
	} else if (field == FF_CURRENCY) {
		if (strlen(p) != 3) {
			app_message(a, "A currency is a 3-letter code such as USD or EUR");
			goto out;
		}
		for (end = p; *end; end++)
			*end = (char)toupper((unsigned char)*end);
		memcpy(d.f.currency, p, 4);
	} else if (filter_string_field(&d.f, field)) {
		if (field == FF_MARKET) {
			for (end = p; *end && isalpha((unsigned char)*end); end++)
				*end = (char)toupper((unsigned char)*end);
			if (*end || end - p != 2) {
				app_message(a,
				            "A market is a 2-letter country code such as US or DE, "
				            "or EU; or say it in the chat (\"for Germany\")");
				goto out;
			}
		}
		*filter_string_field(&d.f, field) = xstrdup(p);
	}
	apply_delta(a, &d);
out:
	filter_delta_free(&d);
	free(t);
}

static unsigned start_edit(app *a, int field)
{
	char *v, *prompt_label;

	if (is_toggle(field)) {
		toggle(a, field);
		return PANE_DONE;
	}
	if (field == FF_BUSINESS_TYPE || field == FF_INCOTERM) {
		cycle(a, field);
		return PANE_DONE;
	}
	if (field == FF_SUPPLIER_COUNTRIES || field == FF_EXCLUDE_COUNTRIES ||
	    field == FF_CERTIFICATIONS) {
		a->sidebar->picker_field = field;
		return PANE_PICK;
	}
	v = value_text(&a->filter, field);
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
	const souk_filter *f = &a->filter;
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
		char *v = value_text(f, field), *sv = text_sanitize(v, 0);
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
