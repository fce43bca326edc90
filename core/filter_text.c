/* filter_text: a filter field as words: the sidebar's value and parser, and how a reply says it. */
#include "filter.h"

#include <cJSON.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ref.h"
#include "text.h"

static void *member(const souk_filter *f, const filter_field_def *d)
{
	return (char *)f + d->off;
}

/* ---- the sidebar's value ---- */

void filter_item_words(strbuf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '|')
			sb_add(b, " or ");
		else
			sb_addc(b, *s);
	}
}

static char *list_join(const strlist *l, const char *sep)
{
	strbuf b;

	sb_init(&b);
	sb_add(&b, "");
	for (int i = 0; i < l->n; i++) {
		if (i)
			sb_add(&b, sep);
		filter_item_words(&b, l->v[i]);
	}
	return sb_steal(&b);
}

char *filter_field_format(const souk_filter *f, int field)
{
	const filter_field_def *d = filter_field_def_of(field);
	double v;

	if (d == NULL)
		return xstrdup("");
	switch (d->kind) {
	case FK_LIST:
		return list_join(member(f, d), d->list_sep);
	case FK_TEXT: {
		const char *s = *(char **)member(f, d);
		return xstrdup(s ? s : "");
	}
	case FK_CURRENCY:
		return xstrdup(f->currency);
	case FK_BOOL:
		return xstrdup(*(int *)member(f, d) ? d->on : "");
	default:
		break;
	}
	v = *(double *)member(f, d);
	if (v < 0)
		return xstrdup("");
	if (d->kind == FK_MONEY)
		return xasprintf("%.2f %s", v, f->currency);
	if (d->kind == FK_DAYS)
		return xasprintf("%.0f day%s", v, v == 1 ? "" : "s");
	if (d->kind == FK_RATING)
		return xasprintf("%.1f", v);
	return xasprintf("%.0f", v);
}

/* ---- parsing typed text ---- */

static char *trimmed(const char *s)
{
	size_t n;

	while (isspace((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	return xstrndup(s, n);
}

/* "yes", "on", "only", ... -> 1; "no", "off" -> 0; else -1. */
static int parse_yes_no(const filter_field_def *d, const char *s)
{
	static const char *const yes[] = {"yes", "y", "on", "true", "1"};
	static const char *const no[] = {"no", "n", "off", "false", "0"};

	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
		if (util_strieq(s, yes[i]))
			return 1;
		if (util_strieq(s, no[i]))
			return 0;
	}
	return d->on && util_strieq(s, d->on) ? 1 : -1;
}

/* A country as a buyer types it: a code in any case ("vn", "VNM") or a
 * name or adjective ("Viet Nam", "Chinese") from assets/countries.tsv
 * through ref. NULL when souk does not know it. */
static const char *typed_country(const souk_ref *r, const char *s)
{
	const ref_country *c = NULL;
	size_t n = strlen(s);

	if (r == NULL)
		return NULL;
	if ((n == 2 || n == 3) && util_is_alpha_code(s, n))
		c = ref_country_by_code(r, s);
	if (c == NULL)
		c = ref_country_lookup(r, s, NULL);
	return c ? c->code : NULL;
}

/* A certification by its name or an alias ("oeko tex", "Oeko-Tex");
 * an alias that counts only in capitals counts only so typed. */
static const char *typed_cert(const souk_ref *r, const char *s)
{
	const ref_cert *c;
	int caps = 0;

	if (r == NULL || (c = ref_cert_lookup(r, s, &caps)) == NULL)
		return NULL;
	for (const char *p = s; caps && *p; p++)
		if (islower((unsigned char)*p))
			return NULL;
	return c->name;
}

/* The form the filter keeps of what was typed: codes for places, the
 * canonical spelling of a certification; else the text as typed, which
 * the JSON form then checks. */
static const char *typed_item(const souk_ref *r, int field, const char *s)
{
	const char *v = NULL;

	if (field == FF_SUPPLIER_COUNTRIES || field == FF_EXCLUDE_COUNTRIES || field == FF_MARKET)
		v = typed_country(r, s);
	else if (field == FF_CERTIFICATIONS)
		v = typed_cert(r, s);
	return v ? v : s;
}

/* A typed list item as the filter keeps it: "LFGB or FDA" (or "LFGB|FDA")
 * is a certification group, any one of which will do. */
static char *typed_list_item(const souk_ref *r, int field, const char *s)
{
	strbuf b;
	char *copy, *p, *part;

	if (field != FF_CERTIFICATIONS)
		return xstrdup(typed_item(r, field, s));
	sb_init(&b);
	sb_add(&b, "");
	copy = xstrdup(s);
	for (p = copy; p; p = part) {
		char *cut = strstr(p, " or "), *bar = strchr(p, '|');
		if (bar && (!cut || bar < cut))
			cut = bar;
		part = NULL;
		if (cut) {
			part = cut + (*cut == '|' ? 1 : 4);
			*cut = 0;
		}
		char *item = trimmed(p);
		if (*item)
			sb_printf(&b, "%s%s", b.len ? "|" : "", typed_item(r, field, item));
		free(item);
	}
	free(copy);
	return sb_steal(&b);
}

/* Typed text as the field's JSON value, or NULL with e set; cur gets the
 * currency a price was typed with, if any. */
static cJSON *text_value(const souk_ref *r, const filter_field_def *d, char *t, char cur[4],
                         souk_err *e)
{
	int field = (int)(d - filter_fields);

	char *end, *tok, *save = NULL;
	const char *seps = d->list_sep && d->list_sep[0] == ' ' ? " ," : ",";
	cJSON *a;
	double v;
	int yn;

	switch (d->kind) {
	case FK_LIST:
		a = cJSON_CreateArray();
		for (tok = strtok_r(t, seps, &save); tok; tok = strtok_r(NULL, seps, &save)) {
			char *item = trimmed(tok);
			char *kept = typed_list_item(r, field, item);

			if (*kept)
				cJSON_AddItemToArray(a, cJSON_CreateString(kept));
			free(kept);
			free(item);
		}
		return a;
	case FK_TEXT:
	case FK_CURRENCY:
		return cJSON_CreateString(typed_item(r, field, t));
	case FK_BOOL:
		if ((yn = parse_yes_no(d, t)) < 0) {
			err_set(e, "%s is yes or no, not \"%s\"", d->label, t);
			return NULL;
		}
		return cJSON_CreateBool(yn);
	default:
		break;
	}
	v = strtod(t, &end);
	while (*end == ' ')
		end++;
	/* "30 days" and "8.00 EUR" are how the sidebar shows them: they may
	 * come back so, and a price's currency is the filter's currency */
	if (d->kind == FK_MONEY && util_is_alpha_code(end, 3)) {
		for (int i = 0; i < 3; i++)
			cur[i] = (char)toupper((unsigned char)end[i]);
		cur[3] = '\0';
		end += 3;
	}
	if (end == t || !isfinite(v) ||
	    (*end && !(d->kind == FK_DAYS && util_strieq(end, "days")))) {
		err_set(e, "%s needs a number, not \"%s\"", d->label, t);
		return NULL;
	}
	return cJSON_CreateNumber(v);
}

/* The bytes a field takes in souk_filter. */
static size_t member_size(enum filter_kind k)
{
	switch (k) {
	case FK_LIST:
		return sizeof(strlist);
	case FK_TEXT:
		return sizeof(char *);
	case FK_CURRENCY:
		return 4;
	case FK_BOOL:
		return sizeof(int);
	default:
		return sizeof(double);
	}
}

/* The JSON form checks and normalises the value (codes, choices, ranges):
 * typed text goes through it, so both accept the same values. */
int filter_field_parse(int field, const char *text, const souk_ref *ref, filter_delta *d,
                       souk_err *e)
{
	const filter_field_def *def = filter_field_def_of(field);
	char *t = trimmed(text ? text : "");
	cJSON *obj, *v;
	souk_filter one;
	unsigned char swap[sizeof(strlist) > sizeof(double) ? sizeof(strlist) : sizeof(double)];
	char cur[4] = "";
	size_t n;

	if (def == NULL) {
		free(t);
		err_set(e, "no such filter field");
		return -1;
	}
	filter_init(&one);
	if (*t) {
		if ((v = text_value(ref, def, t, cur, e)) == NULL) {
			free(t);
			return -1;
		}
		obj = cJSON_CreateObject();
		cJSON_AddItemToObject(obj, def->key, v);
		if (filter_from_cjson(obj, ref, &one, e) < 0) {
			cJSON_Delete(obj);
			free(t);
			return -1;
		}
		cJSON_Delete(obj);
	}
	free(t);
	/* the parsed value moves into d; d's old value leaves with `one` */
	n = member_size(def->kind);
	memcpy(swap, member(&d->f, def), n);
	memcpy(member(&d->f, def), member(&one, def), n);
	memcpy(member(&one, def), swap, n);
	filter_free(&one);
	d->set |= 1u << field;
	if (cur[0]) {
		memcpy(d->f.currency, cur, 4);
		d->set |= 1u << FF_CURRENCY;
	}
	return 0;
}

/* ---- how a reply says it ---- */

static const char *currency_symbol(const char *code)
{
	static const struct {
		const char *code, *sym;
	} syms[] = {{"USD", "$"}, {"EUR", "€"}, {"GBP", "£"}, {"CNY", "¥"}};

	for (size_t i = 0; i < sizeof syms / sizeof syms[0]; i++)
		if (!strcmp(code, syms[i].code))
			return syms[i].sym;
	return NULL;
}

void filter_add_money(strbuf *b, const char *cur, double v)
{
	const char *sym = currency_symbol(cur);
	char num[64];

	if ((v < 1 && v > 0) || fabs(v - round(v)) >= 0.005)
		snprintf(num, sizeof num, "%.2f", v);
	else
		snprintf(num, sizeof num, "%.0f", v);
	if (sym)
		sb_printf(b, "%s%s", sym, num);
	else
		sb_printf(b, "%s %s", num, cur);
}

void filter_add_count(strbuf *b, double v)
{
	char num[64];
	size_t n;

	snprintf(num, sizeof num, "%.0f", v);
	n = strlen(num);
	for (size_t i = 0; i < n; i++) {
		sb_addc(b, num[i]);
		if (n - i - 1 > 0 && (n - i - 1) % 3 == 0)
			sb_addc(b, ',');
	}
}

static const char *place(const filter_words *w, int field, const char *code)
{
	const char *name = w && w->place ? w->place(w->ctx, field, code) : NULL;

	return name ? name : code;
}

/* "CE, RoHS"; countries by name, the last after "or": "Vietnam or India". */
static void add_list(strbuf *b, const filter_field_def *d, int field, const strlist *l,
                     const filter_words *w)
{
	int places = field == FF_SUPPLIER_COUNTRIES || field == FF_EXCLUDE_COUNTRIES;

	for (int i = 0; i < l->n; i++) {
		char *s = text_sanitize(places ? place(w, field, l->v[i]) : l->v[i], 0);

		if (i)
			sb_add(b, places && i == l->n - 1 ? " or " : d->list_sep);
		filter_item_words(b, s);
		free(s);
	}
}

/* "$2-$8/unit", "at most $8/unit", "at least $2/unit" */
static char *describe_price(const souk_filter *f)
{
	strbuf b;

	if (f->price_min < 0 && f->price_max < 0)
		return NULL;
	sb_init(&b);
	if (f->price_min >= 0 && f->price_max >= 0) {
		filter_add_money(&b, f->currency, f->price_min);
		sb_add(&b, "-");
		filter_add_money(&b, f->currency, f->price_max);
		sb_add(&b, "/unit");
		return sb_steal(&b);
	}
	sb_add(&b, f->price_max >= 0 ? "at most " : "at least ");
	filter_add_money(&b, f->currency, f->price_max >= 0 ? f->price_max : f->price_min);
	sb_add(&b, "/unit");
	return sb_steal(&b);
}

/* The value in words, without the field's phrase; 0 when unset. */
static int describe_value(const souk_filter *f, int field, const filter_words *w, strbuf *v)
{
	const filter_field_def *d = &filter_fields[field];
	const char *s;
	char *clean;
	double x;

	switch (d->kind) {
	case FK_LIST:
		if (((strlist *)member(f, d))->n == 0)
			return 0;
		add_list(v, d, field, member(f, d), w);
		return 1;
	case FK_TEXT:
		if ((s = *(char **)member(f, d)) == NULL)
			return 0;
		for (int i = 0; d->choices && d->choice_words && d->choices[i]; i++)
			if (util_strieq(d->choices[i], s))
				s = d->choice_words[i];
		clean = text_sanitize(field == FF_MARKET ? place(w, field, s) : s, 0);
		sb_add(v, clean);
		free(clean);
		return 1;
	case FK_BOOL:
		return *(int *)member(f, d) != 0;
	case FK_CURRENCY:
		return 0;
	default:
		break;
	}
	if ((x = *(double *)member(f, d)) < 0)
		return 0;
	if (d->kind == FK_COUNT)
		filter_add_count(v, x);
	else if (d->kind == FK_DAYS)
		sb_printf(v, "%.0f", x);
	else
		sb_printf(v, "%g", x);
	return 1;
}

char *filter_field_describe(const souk_filter *f, int field, const filter_words *w)
{
	const filter_field_def *d = filter_field_def_of(field);
	const char *p;
	strbuf v, out;

	if (d == NULL || d->words == NULL)
		return NULL;
	if (field == FF_PRICE_MIN || field == FF_PRICE_MAX)
		return describe_price(f);
	sb_init(&v);
	sb_add(&v, "");
	if (!describe_value(f, field, w, &v)) {
		sb_free(&v);
		return NULL;
	}
	sb_init(&out);
	/* the words are the table's own, with at most one %s */
	if ((p = strstr(d->words, "%s")) != NULL)
		sb_printf(&out, "%.*s%s%s", (int)(p - d->words), d->words, v.s, p + 2);
	else
		sb_add(&out, d->words);
	sb_free(&v);
	return sb_steal(&out);
}

const char *filter_field_cleared(int field)
{
	const filter_field_def *d = filter_field_def_of(field);

	return d ? d->cleared : NULL;
}
