/* filter: the buyer's filter state, deltas, undo history and JSON form. */
#include "filter.h"

#include "ref.h"

#include <cJSON.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "text.h"

/* Undo keeps this many steps; older ones fall off the bottom. */
#define FILTER_HISTORY_MAX 200

#define FOFF(m) offsetof(souk_filter, m)

static const char *const business_types[] = {"manufacturer", "trading", NULL};
static const char *const business_type_words[] = {"manufacturers only", "trading companies", NULL};
static const char *const incoterms[] = {"EXW", "FOB", "CIF", "DDP", NULL};

/* key, label, kind, member, max, sidebar's "on", reply words, reply when
 * cleared, choices, their words, the sidebar's list separator. */
const filter_field_def filter_fields[FF_COUNT] = {
        [FF_KEYWORDS] = {"keywords", "Keywords", FK_LIST, FOFF(keywords), 0, NULL, "%s",
                         "no product terms", NULL, NULL, " "},
        [FF_CATEGORY] = {"category", "Category", FK_TEXT, FOFF(category), 0, NULL, "in %s", NULL,
                         NULL, NULL, NULL},
        [FF_QUANTITY] = {"quantity", "Quantity", FK_COUNT, FOFF(quantity), 1e12, NULL, "%s units",
                         "no quantity", NULL, NULL, NULL},
        [FF_PRICE_MIN] = {"price_min", "Price min", FK_MONEY, FOFF(price_min), 0, NULL,
                          "at least %s/unit", "no price limit", NULL, NULL, NULL},
        [FF_PRICE_MAX] = {"price_max", "Price max", FK_MONEY, FOFF(price_max), 0, NULL,
                          "at most %s/unit", "no price limit", NULL, NULL, NULL},
        [FF_CURRENCY] = {"currency", "Currency", FK_CURRENCY, FOFF(currency), 0, NULL, NULL, NULL,
                         NULL, NULL, NULL},
        [FF_MOQ_MAX] = {"moq_max", "MOQ max", FK_COUNT, FOFF(moq_max), 0, NULL, "MOQ at most %s",
                        "no MOQ limit", NULL, NULL, NULL},
        [FF_LEAD_TIME] = {"lead_time_max_days", "Lead max", FK_DAYS, FOFF(lead_time_max_days), 0,
                          NULL, "lead time at most %s days", "no lead-time limit", NULL, NULL,
                          NULL},
        [FF_MARKET] = {"market", "Market", FK_TEXT, FOFF(market), 0, NULL, "%s market", "no market",
                       NULL, NULL, NULL},
        [FF_SUPPLIER_COUNTRIES] = {"supplier_countries", "From", FK_LIST, FOFF(supplier_countries),
                                   0, NULL, "from %s", "any supplier country", NULL, NULL, ", "},
        [FF_EXCLUDE_COUNTRIES] = {"exclude_countries", "Not from", FK_LIST, FOFF(exclude_countries),
                                  0, NULL, "not from %s", "no countries excluded", NULL, NULL,
                                  ", "},
        [FF_CERTIFICATIONS] = {"certifications", "Certs", FK_LIST, FOFF(certifications), 0, NULL,
                               "%s", "no certifications required", NULL, NULL, ", "},
        [FF_VERIFIED] = {"verified_only", "Verified", FK_BOOL, FOFF(verified_only), 0, "only",
                         "verified suppliers", "unverified suppliers too", NULL, NULL, NULL},
        [FF_MIN_RATING] = {"min_rating", "Rating min", FK_RATING, FOFF(min_rating), 5, NULL,
                           "rated %s+", "any rating", NULL, NULL, NULL},
        [FF_MIN_YEARS] = {"min_years", "Years min", FK_COUNT, FOFF(min_years), 0, NULL,
                          "%s+ years in business", "any age of business", NULL, NULL, NULL},
        [FF_CUSTOMIZATION] = {"customization", "Custom", FK_BOOL, FOFF(customization), 0, "needed",
                              "customization", "no customization needed", NULL, NULL, NULL},
        [FF_SAMPLES] = {"samples", "Samples", FK_BOOL, FOFF(samples), 0, "needed",
                        "samples available", "samples not needed", NULL, NULL, NULL},
        [FF_BUSINESS_TYPE] = {"business_type", "Type", FK_TEXT, FOFF(business_type), 0, NULL, "%s",
                              "manufacturers and trading companies", business_types,
                              business_type_words, NULL},
        [FF_INCOTERM] = {"incoterm", "Incoterm", FK_TEXT, FOFF(incoterm), 0, NULL, "%s",
                         "any incoterm", incoterms, NULL, NULL},
        [FF_INCLUDE_LARGER_MOQ] = {"include_larger_moq", "Larger MOQ", FK_BOOL,
                                   FOFF(include_larger_moq), 0, "shown",
                                   "offers that need a larger order too",
                                   "only offers orderable at your quantity", NULL, NULL, NULL},
};

/* ---- string lists ---- */

int strlist_has(const strlist *l, const char *s)
{
	for (int i = 0; i < l->n; i++)
		if (util_strieq(l->v[i], s))
			return 1;
	return 0;
}

void strlist_add(strlist *l, const char *s)
{
	if (!s || strlist_has(l, s))
		return;
	l->v = xrealloc(l->v, sizeof(*l->v) * (size_t)(l->n + 1));
	l->v[l->n++] = xstrdup(s);
}

int strlist_remove(strlist *l, const char *s)
{
	for (int i = 0; i < l->n; i++) {
		if (!util_strieq(l->v[i], s))
			continue;
		free(l->v[i]);
		memmove(l->v + i, l->v + i + 1, sizeof(*l->v) * (size_t)(l->n - i - 1));
		l->n--;
		return 1;
	}
	return 0;
}

void strlist_clear(strlist *l)
{
	for (int i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

void strlist_copy(strlist *dst, const strlist *src)
{
	dst->v = NULL;
	dst->n = 0;
	for (int i = 0; i < src->n; i++)
		strlist_add(dst, src->v[i]);
}

/* Same members regardless of order (lists are sets to the matcher). */
static int strlist_same(const strlist *a, const strlist *b)
{
	if (a->n != b->n)
		return 0;
	for (int i = 0; i < a->n; i++)
		if (!strlist_has(b, a->v[i]))
			return 0;
	return 1;
}

/* ---- field names ---- */

const char *filter_field_name(enum filter_field f)
{
	if ((int)f < 0 || f >= FF_COUNT)
		return "?";
	return filter_fields[f].key;
}

const filter_field_def *filter_field_def_of(int field)
{
	return field >= 0 && field < FF_COUNT ? &filter_fields[field] : NULL;
}

int filter_field_lookup(const char *name)
{
	if (!name)
		return -1;
	for (int i = 0; i < FF_COUNT; i++)
		if (strcmp(filter_fields[i].key, name) == 0)
			return i;
	return -1;
}

static int field_is_list(int field)
{
	return field >= 0 && field < FF_COUNT && filter_fields[field].kind == FK_LIST;
}

static int kind_is_number(enum filter_kind k)
{
	return k == FK_COUNT || k == FK_MONEY || k == FK_DAYS || k == FK_RATING;
}

/* The member of f a field describes, when the field is of kind k. */
static void *field_at(souk_filter *f, int field, int (*want)(enum filter_kind))
{
	if (field < 0 || field >= FF_COUNT || !want(filter_fields[field].kind))
		return NULL;
	return (char *)f + filter_fields[field].off;
}

static int kind_is_list(enum filter_kind k)
{
	return k == FK_LIST;
}

static int kind_is_bool(enum filter_kind k)
{
	return k == FK_BOOL;
}

static int kind_is_text(enum filter_kind k)
{
	return k == FK_TEXT;
}

strlist *filter_list_field(souk_filter *f, int field)
{
	return field_at(f, field, kind_is_list);
}

double *filter_number_field(souk_filter *f, int field)
{
	return field_at(f, field, kind_is_number);
}

double filter_number(const souk_filter *f, int field)
{
	const double *v = filter_number_field((souk_filter *)f, field); /* read only */

	return v ? *v : -1;
}

int *filter_bool_field(souk_filter *f, int field)
{
	return field_at(f, field, kind_is_bool);
}

char **filter_string_field(souk_filter *f, int field)
{
	return field_at(f, field, kind_is_text);
}

/* ---- normalising values ---- */

static char *trim_copy(const char *s)
{
	while (*s && isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	return xstrndup(s, n);
}

static char *upper_copy(const char *s)
{
	char *c = trim_copy(s);
	for (char *p = c; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	return c;
}

/* The canonical spelling of a certification (assets/certifications.tsv
 * through ref), or the trimmed input when souk does not know it (imports
 * may carry others) or ref is NULL. Only canonical names count, not
 * aliases: "iso" in a filter stays "ISO". */
static char *cert_canonical(const souk_ref *ref, const char *s)
{
	char *t = trim_copy(s);
	const ref_cert *c = ref ? ref_cert_lookup(ref, t, NULL) : NULL;

	if (c && util_strieq(c->name, t)) {
		free(t);
		return xstrdup(c->name);
	}
	return t;
}

/* One required certification, or a group any one of which will do, as
 * the filter keeps it: "LFGB|FDA" (canonical names, blanks dropped, a
 * group of one is that certification). */
static char *cert_group_canonical(const souk_ref *ref, const char *s)
{
	strbuf b;
	char *copy = xstrdup(s), *save = NULL;

	sb_init(&b);
	sb_add(&b, "");
	for (char *p = strtok_r(copy, "|", &save); p; p = strtok_r(NULL, "|", &save)) {
		char *c = cert_canonical(ref, p);
		if (*c)
			sb_printf(&b, "%s%s", b.len ? "|" : "", c);
		free(c);
	}
	free(copy);
	return sb_steal(&b);
}

/* A list item in the form the list keeps, or NULL when it is blank.
 * Certifications are spelled canonically when text is parsed (JSON with
 * a ref, the sidebar's editor, the interpreter); here their groups are
 * only tidied. */
static char *list_item_normal(int field, const char *s)
{
	char *v;

	if (field == FF_KEYWORDS)
		v = text_lower(trim_copy(s));
	else if (field == FF_CERTIFICATIONS)
		v = cert_group_canonical(NULL, s);
	else
		v = upper_copy(s);
	if (!*v) {
		free(v);
		return NULL;
	}
	return v;
}

static void list_add_normal(strlist *l, int field, const char *s)
{
	char *v = list_item_normal(field, s);
	if (v)
		strlist_add(l, v);
	free(v);
}

/* Takes one name out of every certification group that holds it: "drop
 * LFGB" leaves "LFGB|FDA" as "FDA". */
static void group_del(strlist *l, const char *name)
{
	for (int i = 0; i < l->n; i++) {
		if (!strchr(l->v[i], '|'))
			continue;
		strbuf b;
		char *copy = xstrdup(l->v[i]), *save = NULL;
		sb_init(&b);
		sb_add(&b, "");
		for (char *p = strtok_r(copy, "|", &save); p; p = strtok_r(NULL, "|", &save))
			if (!util_strieq(p, name))
				sb_printf(&b, "%s%s", b.len ? "|" : "", p);
		free(copy);
		if (strcmp(b.s, l->v[i]) != 0) {
			free(l->v[i]);
			l->v[i] = sb_steal(&b);
		}
		sb_free(&b);
	}
}

static void list_del_normal(strlist *l, int field, const char *s)
{
	char *v = list_item_normal(field, s);
	if (v) {
		strlist_remove(l, v);
		if (field == FF_CERTIFICATIONS && !strchr(v, '|'))
			group_del(l, v);
	}
	free(v);
}

/* ---- whole filters ---- */

void filter_init(souk_filter *f)
{
	memset(f, 0, sizeof(*f));
	for (int i = 0; i < FF_COUNT; i++)
		if (filter_number_field(f, i))
			*filter_number_field(f, i) = -1;
	strcpy(f->currency, "USD");
}

void filter_free(souk_filter *f)
{
	for (int i = 0; i < FF_COUNT; i++) {
		if (filter_list_field(f, i))
			strlist_clear(filter_list_field(f, i));
		else if (filter_string_field(f, i))
			free(*filter_string_field(f, i));
	}
	filter_init(f);
}

void filter_copy(souk_filter *dst, const souk_filter *src)
{
	souk_filter *s = (souk_filter *)src; /* the accessors take non-const; src is only read */

	*dst = *src;
	for (int i = 0; i < FF_COUNT; i++) {
		if (filter_list_field(dst, i)) {
			strlist_copy(filter_list_field(dst, i), filter_list_field(s, i));
		} else if (filter_string_field(dst, i)) {
			const char *v = *filter_string_field(s, i);
			*filter_string_field(dst, i) = v ? xstrdup(v) : NULL;
		}
	}
}

static int str_same(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return util_strieq(a, b);
}

/* Numbers below 0 all mean "unset". */
static int num_same(double a, double b)
{
	if (a < 0 || b < 0)
		return (a < 0) == (b < 0);
	return a == b;
}

static int field_equal(const souk_filter *a, const souk_filter *b, int field)
{
	souk_filter *ma = (souk_filter *)a, *mb = (souk_filter *)b;

	if (field_is_list(field))
		return strlist_same(filter_list_field(ma, field), filter_list_field(mb, field));
	if (filter_number_field(ma, field))
		return num_same(*filter_number_field(ma, field), *filter_number_field(mb, field));
	if (filter_bool_field(ma, field))
		return !*filter_bool_field(ma, field) == !*filter_bool_field(mb, field);
	if (filter_string_field(ma, field))
		return str_same(*filter_string_field(ma, field), *filter_string_field(mb, field));
	return util_strieq(a->currency, b->currency); /* FF_CURRENCY */
}

int filter_equal(const souk_filter *a, const souk_filter *b)
{
	for (int i = 0; i < FF_COUNT; i++)
		if (!field_equal(a, b, i))
			return 0;
	return 1;
}

/* The currency is how prices are shown, not a constraint on the offers, so
 * a state with only a currency still counts as empty. */
int filter_is_empty(const souk_filter *f)
{
	souk_filter empty;

	filter_init(&empty);
	for (int i = 0; i < FF_COUNT; i++)
		if (i != FF_CURRENCY && !field_equal(f, &empty, i))
			return 0;
	return 1;
}

void filter_clear_field(souk_filter *f, enum filter_field field)
{
	if (field_is_list((int)field)) {
		strlist_clear(filter_list_field(f, (int)field));
	} else if (filter_number_field(f, (int)field)) {
		*filter_number_field(f, (int)field) = -1;
	} else if (filter_bool_field(f, (int)field)) {
		*filter_bool_field(f, (int)field) = 0;
	} else if (filter_string_field(f, (int)field)) {
		char **s = filter_string_field(f, (int)field);
		free(*s);
		*s = NULL;
	} else if (field == FF_CURRENCY) {
		strcpy(f->currency, "USD");
	}
}

/* Replaces one field of dst by the (normalised) value in src. */
static void field_set(souk_filter *dst, const souk_filter *src, int field)
{
	souk_filter *s = (souk_filter *)src;

	filter_clear_field(dst, (enum filter_field)field);
	if (field_is_list(field)) {
		strlist *from = filter_list_field(s, field), *to = filter_list_field(dst, field);
		for (int i = 0; i < from->n; i++)
			list_add_normal(to, field, from->v[i]);
	} else if (filter_number_field(s, field)) {
		double v = *filter_number_field(s, field);
		*filter_number_field(dst, field) = (v < 0 || isnan(v)) ? -1 : v;
	} else if (filter_bool_field(s, field)) {
		*filter_bool_field(dst, field) = *filter_bool_field(s, field) ? 1 : 0;
	} else if (filter_string_field(s, field)) {
		const char *v = *filter_string_field(s, field);
		if (!v)
			return;
		if (field == FF_MARKET || field == FF_INCOTERM)
			*filter_string_field(dst, field) = upper_copy(v);
		else if (field == FF_BUSINESS_TYPE)
			*filter_string_field(dst, field) = text_lower(trim_copy(v));
		else
			*filter_string_field(dst, field) = trim_copy(v);
	} else if (field == FF_CURRENCY && util_is_alpha_code(src->currency, 3)) {
		for (int i = 0; i < 3; i++)
			dst->currency[i] = (char)toupper((unsigned char)src->currency[i]);
		dst->currency[3] = 0;
	}
}

/* ---- deltas ---- */

void filter_delta_init(filter_delta *d)
{
	memset(d, 0, sizeof(*d));
	filter_init(&d->f);
}

void filter_delta_free(filter_delta *d)
{
	filter_free(&d->f);
	for (int i = 0; i < FF_COUNT; i++) {
		strlist_clear(&d->add[i]);
		strlist_clear(&d->del[i]);
	}
	filter_delta_init(d);
}

int filter_delta_is_empty(const filter_delta *d)
{
	if (d->reset || d->set)
		return 0;
	for (int i = 0; i < FF_COUNT; i++)
		if (d->add[i].n || d->del[i].n)
			return 0;
	return 1;
}

unsigned filter_apply(souk_filter *state, const filter_delta *d)
{
	souk_filter before;
	unsigned changed = 0;

	filter_copy(&before, state);
	if (d->reset) {
		filter_free(state);
		filter_init(state);
	}
	for (int i = 0; i < FF_COUNT; i++)
		if (d->set & (1u << i))
			field_set(state, &d->f, i);
	for (int i = 0; i < FF_COUNT; i++) {
		strlist *l = filter_list_field(state, i);
		if (!l)
			continue;
		for (int j = 0; j < d->add[i].n; j++)
			list_add_normal(l, i, d->add[i].v[j]);
		for (int j = 0; j < d->del[i].n; j++)
			list_del_normal(l, i, d->del[i].v[j]);
	}
	for (int i = 0; i < FF_COUNT; i++)
		if (!field_equal(&before, state, i))
			changed |= 1u << i;
	filter_free(&before);
	return changed;
}

/* ---- JSON ---- */

static cJSON *list_to_cjson(const strlist *l)
{
	cJSON *a = cJSON_CreateArray();
	for (int i = 0; i < l->n; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(l->v[i]));
	return a;
}

static void add_number(cJSON *o, const char *k, double v)
{
	if (v < 0 || isnan(v))
		cJSON_AddNullToObject(o, k);
	else
		cJSON_AddNumberToObject(o, k, v);
}

static void add_string(cJSON *o, const char *k, const char *v)
{
	if (v)
		cJSON_AddStringToObject(o, k, v);
	else
		cJSON_AddNullToObject(o, k);
}

struct cJSON *filter_to_cjson(const souk_filter *f)
{
	souk_filter *m = (souk_filter *)f; /* the accessors take non-const; f is only read */
	cJSON *o = cJSON_CreateObject();

	for (int i = 0; i < FF_COUNT; i++) {
		const char *k = filter_fields[i].key;

		if (filter_list_field(m, i))
			cJSON_AddItemToObject(o, k, list_to_cjson(filter_list_field(m, i)));
		else if (filter_number_field(m, i))
			add_number(o, k, *filter_number_field(m, i));
		else if (filter_bool_field(m, i))
			cJSON_AddBoolToObject(o, k, *filter_bool_field(m, i) != 0);
		else if (filter_string_field(m, i))
			add_string(o, k, *filter_string_field(m, i));
		else
			cJSON_AddStringToObject(o, k, f->currency[0] ? f->currency : "USD");
	}
	return o;
}

char *filter_to_json(const souk_filter *f)
{
	cJSON *o = filter_to_cjson(f);
	char *s = cJSON_PrintUnformatted(o);
	char *r = xstrdup(s ? s : "{}");

	cJSON_free(s);
	cJSON_Delete(o);
	return r;
}

/* The value as it appears in the input, for error messages, kept short and
 * printable because it comes from the user. */
static void value_text(const cJSON *v, char *buf, size_t len)
{
	char *raw = cJSON_PrintUnformatted(v);
	char *safe = text_sanitize(raw ? raw : "?", 0);
	char *cut = text_truncate(safe, 40);

	snprintf(buf, len, "%s", cut);
	free(cut);
	free(safe);
	cJSON_free(raw);
}

static int bad_value(souk_err *e, const char *key, const cJSON *v, const char *why)
{
	char val[160];

	value_text(v, val, sizeof(val));
	err_set(e, "filter \"%s\": %s is not valid (%s)", key, val, why);
	return -1;
}

static int parse_number(const cJSON *v, const char *key, int field, souk_filter *out, souk_err *e)
{
	double d;

	if (cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsNumber(v))
		return bad_value(e, key, v, "expected a number or null");
	d = v->valuedouble;
	if (isnan(d) || isinf(d) || d < 0)
		return bad_value(e, key, v, "expected a number of 0 or more");
	if (filter_fields[field].kind == FK_RATING && d > filter_fields[field].max)
		return bad_value(e, key, v, "ratings go from 0 to 5");
	if (filter_fields[field].max > 0 && d > filter_fields[field].max) {
		char *why = xasprintf("%s is too large", key);
		int rc = bad_value(e, key, v, why);

		free(why);
		return rc;
	}
	*filter_number_field(out, field) = d;
	return 0;
}

static int parse_bool(const cJSON *v, const char *key, int field, souk_filter *out, souk_err *e)
{
	if (cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsBool(v))
		return bad_value(e, key, v, "expected true, false or null");
	*filter_bool_field(out, field) = cJSON_IsTrue(v) ? 1 : 0;
	return 0;
}

static int check_list_item(const cJSON *item, const char *key, int field, souk_err *e)
{
	const char *s;

	if (!cJSON_IsString(item))
		return bad_value(e, key, item, "expected a string");
	s = item->valuestring;
	if (!text_valid_utf8(s, strlen(s)))
		return bad_value(e, key, item, "not valid UTF-8");
	if (field == FF_SUPPLIER_COUNTRIES || field == FF_EXCLUDE_COUNTRIES) {
		char *c = upper_copy(s);
		int ok = util_is_alpha_code(c, 2);
		free(c);
		if (!ok)
			return bad_value(e, key, item, "expected a two-letter ISO country code");
	}
	if (strlen(s) > 200)
		return bad_value(e, key, item, "too long");
	return 0;
}

static int parse_list(const cJSON *v, const char *key, int field, souk_filter *out, souk_err *e)
{
	const cJSON *item;

	if (cJSON_IsNull(v))
		return 0;
	if (cJSON_IsString(v)) { /* a lone string is a one-item list */
		if (check_list_item(v, key, field, e) < 0)
			return -1;
		list_add_normal(filter_list_field(out, field), field, v->valuestring);
		return 0;
	}
	if (!cJSON_IsArray(v))
		return bad_value(e, key, v, "expected an array of strings");
	cJSON_ArrayForEach(item, v)
	{
		if (check_list_item(item, key, field, e) < 0)
			return -1;
		list_add_normal(filter_list_field(out, field), field, item->valuestring);
	}
	return 0;
}

/* The index of s among the field's choices (any case), -1 if not one. */
static int choice_index(int field, const char *s)
{
	const char *const *c = filter_fields[field].choices;

	for (int i = 0; c && c[i]; i++)
		if (util_strieq(c[i], s))
			return i;
	return -1;
}

/* "expected EXW, FOB, CIF, DDP or null" */
static char *choices_text(int field)
{
	const char *const *c = filter_fields[field].choices;
	strbuf b;

	sb_init(&b);
	sb_add(&b, "expected ");
	for (int i = 0; c[i]; i++)
		sb_printf(&b, "%s\"%s\"", i ? ", " : "", c[i]);
	sb_add(&b, " or null");
	return sb_steal(&b);
}

static int check_string(const cJSON *v, const char *key, int field, const char *s, souk_err *e)
{
	if (!text_valid_utf8(s, strlen(s)))
		return bad_value(e, key, v, "not valid UTF-8");
	if (strlen(s) > 200)
		return bad_value(e, key, v, "too long");
	if (field == FF_MARKET) {
		char *c = upper_copy(s);
		int ok = util_is_alpha_code(c, 2);
		free(c);
		if (!ok)
			return bad_value(e, key, v, "expected a two-letter ISO country code or EU");
	}
	if (filter_fields[field].choices && choice_index(field, s) < 0) {
		char *want = choices_text(field);
		int rc = bad_value(e, key, v, want);

		free(want);
		return rc;
	}
	return 0;
}

static int parse_string(const cJSON *v, const char *key, int field, souk_filter *out, souk_err *e)
{
	souk_filter one;

	if (cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsString(v))
		return bad_value(e, key, v, "expected a string or null");
	if (check_string(v, key, field, v->valuestring, e) < 0)
		return -1;
	/* field_set does the normalising (case, trimming) in one place. */
	filter_init(&one);
	*filter_string_field(&one, field) = v->valuestring;
	field_set(out, &one, field);
	if (field == FF_CATEGORY && out->category && !*out->category)
		filter_clear_field(out, FF_CATEGORY);
	return 0;
}

static int parse_currency(const cJSON *v, const char *key, souk_filter *out, souk_err *e)
{
	if (cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsString(v) || !util_is_alpha_code(v->valuestring, 3))
		return bad_value(e, key, v,
		                 "expected a three-letter ISO 4217 code such as \"USD\"");
	for (int i = 0; i < 3; i++)
		out->currency[i] = (char)toupper((unsigned char)v->valuestring[i]);
	out->currency[3] = 0;
	return 0;
}

static int parse_member(const cJSON *v, souk_filter *out, souk_err *e)
{
	const char *key = v->string ? v->string : "";
	int field = filter_field_lookup(key);

	if (field < 0) {
		char *safe = text_sanitize(key, 0);
		char *cut = text_truncate(safe, 40);
		strbuf known;

		sb_init(&known);
		for (int i = 0; i < FF_COUNT; i++)
			sb_printf(&known, "%s%s", i ? ", " : "", filter_fields[i].key);
		err_set(e, "unknown filter \"%s\" (known: %s)", cut, known.s);
		sb_free(&known);
		free(cut);
		free(safe);
		return -1;
	}
	if (field_is_list(field))
		return parse_list(v, key, field, out, e);
	if (filter_number_field(out, field))
		return parse_number(v, key, field, out, e);
	if (filter_bool_field(out, field))
		return parse_bool(v, key, field, out, e);
	if (filter_string_field(out, field))
		return parse_string(v, key, field, out, e);
	return parse_currency(v, key, out, e);
}

/* Certification names as the reference data spells them ("rohs" ->
 * "RoHS"). */
static void certs_canonical(souk_filter *f, const souk_ref *ref)
{
	for (int i = 0; ref && i < f->certifications.n; i++) {
		char *c = cert_group_canonical(ref, f->certifications.v[i]);
		free(f->certifications.v[i]);
		f->certifications.v[i] = c;
	}
}

int filter_from_cjson(const struct cJSON *obj, const souk_ref *ref, souk_filter *out, souk_err *e)
{
	const cJSON *v;

	filter_init(out);
	if (!cJSON_IsObject(obj)) {
		err_set(e,
		        "filters must be a JSON object such as {\"keywords\":[\"yoga\",\"mat\"]}");
		return -1;
	}
	cJSON_ArrayForEach(v, obj)
	{
		if (parse_member(v, out, e) < 0) {
			filter_free(out);
			return -1;
		}
	}
	certs_canonical(out, ref);
	return 0;
}

int filter_from_json(const char *json, const souk_ref *ref, souk_filter *out, souk_err *e)
{
	cJSON *o;
	int rc;
	souk_err je;

	filter_init(out);
	if (!json) {
		err_set(e, "no filter JSON given");
		return -1;
	}
	/* strict: the whole text one value, no leading zeros, no bad escapes */
	if ((o = json_parse_strict(json, strlen(json), &je)) == NULL) {
		err_set(e, "filters are not valid JSON: %s", je.msg);
		return -1;
	}
	rc = filter_from_cjson(o, ref, out, e);
	cJSON_Delete(o);
	return rc;
}

/* ---- undo history ---- */

void filter_history_init(filter_history *h)
{
	memset(h, 0, sizeof(*h));
}

void filter_history_free(filter_history *h)
{
	for (int i = 0; i < h->n; i++)
		filter_free(&h->states[i]);
	free(h->states);
	filter_history_init(h);
}

void filter_history_push(filter_history *h, const souk_filter *before)
{
	if (h->n == FILTER_HISTORY_MAX) {
		filter_free(&h->states[0]);
		memmove(h->states, h->states + 1, sizeof(*h->states) * (size_t)(h->n - 1));
		h->n--;
	}
	if (h->n == h->cap) {
		h->cap = h->cap ? h->cap * 2 : 16;
		h->states = xrealloc(h->states, sizeof(*h->states) * (size_t)h->cap);
	}
	filter_copy(&h->states[h->n++], before);
}

int filter_history_undo(filter_history *h, souk_filter *cur)
{
	if (h->n == 0)
		return 0;
	filter_free(cur);
	*cur = h->states[--h->n];
	return 1;
}
