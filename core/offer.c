/* offer: every field of an offer described once (offer_fields[]) and its one JSON form. */
#include "offer.h"

#include <cJSON.h>
#include <ctype.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "money.h"
#include "ref.h"
#include "text.h"

#define ROWF(m) offsetof(match_row, m)

/* The order is the JSON form's; a field without a title is not a column
 * (price_at_quantity repeats price for scripts written against the first
 * `souk query` output). */
const offer_field offer_fields[] = {
        {"rank", "#", "Rank", "rank", NULL, OFK_RANK, 0, NULL, 3, OFFER_BEST_NONE},
        {"product_id", "Id", "Product id", "product id", NULL, OFK_ID, ROWF(product_id), NULL, 8,
         OFFER_BEST_NONE},
        {"supplier_id", NULL, "Supplier id", NULL, NULL, OFK_ID, ROWF(supplier_id), NULL, 8,
         OFFER_BEST_NONE},
        {"supplier", "Supplier", "Supplier", "supplier", NULL, OFK_TEXT, ROWF(supplier), NULL, 22,
         OFFER_BEST_NONE},
        {"country", "Ctry", "Country", "country", NULL, OFK_TEXT, ROWF(country), NULL, 4,
         OFFER_BEST_NONE},
        {"city", "City", "City", "city", NULL, OFK_TEXT, ROWF(city), NULL, 12, OFFER_BEST_NONE},
        {"business_type", "Type", "Business type", "business type", NULL, OFK_TEXT,
         ROWF(business_type), NULL, 12, OFFER_BEST_NONE},
        {"title", "Product", "Product", "product", "product", OFK_TEXT, ROWF(title), NULL, 28,
         OFFER_BEST_NONE},
        {"category", "Category", "Category", "category", NULL, OFK_TEXT, ROWF(category), NULL, 20,
         OFFER_BEST_NONE},
        {"price", "Price", "Unit price", "price", NULL, OFK_MONEY, ROWF(price), NULL, 10,
         OFFER_BEST_LOWER},
        {"currency", "Cur", "Currency", "currency", NULL, OFK_CURRENCY, 0, NULL, 3,
         OFFER_BEST_NONE},
        {"quantity", "Qty", "Quantity", "quantity", NULL, OFK_QUANTITY, 0, NULL, 7,
         OFFER_BEST_NONE},
        {"price_at_quantity", NULL, NULL, NULL, NULL, OFK_MONEY, ROWF(price), NULL, 10,
         OFFER_BEST_LOWER},
        {"price_orig", "Orig price", "Price in the offer's currency", "original price",
         "price_original", OFK_MONEY, ROWF(price_orig), NULL, 10, OFFER_BEST_NONE},
        {"currency_orig", "Orig cur", "Offer's currency", "original currency", "currency_original",
         OFK_CODE, ROWF(currency_orig), NULL, 3, OFFER_BEST_NONE},
        {"next_break", "Next break", "Next break", "next tier break", NULL, OFK_BREAK, 0, NULL, 14,
         OFFER_BEST_NONE},
        {"moq", "MOQ", "MOQ", "moq", NULL, OFK_COUNT, ROWF(moq), NULL, 7, OFFER_BEST_LOWER},
        {"moq_unit", "Unit", "MOQ unit", "moq unit", NULL, OFK_TEXT, ROWF(moq_unit), NULL, 6,
         OFFER_BEST_NONE},
        {"lead_time_days", "Lead", "Lead time", "lead time days", "lead_days", OFK_DAYS,
         ROWF(lead_days), NULL, 5, OFFER_BEST_LOWER},
        {"landed_cost", "Landed", "Landed", "landed cost", "landed", OFK_MONEY, ROWF(landed), NULL,
         8, OFFER_BEST_LOWER},
        {"rating", "Rating", "Rating", "rating", NULL, OFK_RATING, ROWF(rating), NULL, 10,
         OFFER_BEST_HIGHER},
        {"reviews", "Reviews", "Reviews", "reviews", NULL, OFK_REVIEWS, ROWF(reviews), NULL, 7,
         OFFER_BEST_HIGHER},
        {"verified", "Ver", "Verified", "verified", NULL, OFK_BOOL, ROWF(verified), NULL, 3,
         OFFER_BEST_HIGHER},
        {"years", "Years", "Years", "years", NULL, OFK_YEARS, ROWF(years), NULL, 5,
         OFFER_BEST_HIGHER},
        {"certifications", "Certs", "Certifications", "certifications", "certs", OFK_LIST,
         ROWF(certs), ", ", 14, OFFER_BEST_NONE},
        {"highlights", "Highlights", "Highlights", "highlights", NULL, OFK_LIST, ROWF(highlights),
         "; ", 26, OFFER_BEST_NONE},
        {"score", "Score", "Score", "score", NULL, OFK_SCORE, ROWF(score), NULL, 5,
         OFFER_BEST_HIGHER},
        {"reasons", "Why", "Why", "reasons", NULL, OFK_LIST, ROWF(reasons), "; ", 40,
         OFFER_BEST_NONE},
        {"similar_to", "Similar to", "Similar to", "similar to", NULL, OFK_TEXT, ROWF(similar_to),
         NULL, 20, OFFER_BEST_NONE},
        {"note", "Note", "Note", "note", NULL, OFK_NOTE, 0, NULL, 20, OFFER_BEST_NONE},
        {"status", "Status", "Status", "status", NULL, OFK_STATUS, 0, NULL, 12, OFFER_BEST_NONE},
};

const int offer_field_count = (int)(sizeof offer_fields / sizeof offer_fields[0]);

const offer_field *offer_field_by_key(const char *key)
{
	int i;

	for (i = 0; key && i < offer_field_count; i++)
		if (!strcmp(offer_fields[i].key, key))
			return &offer_fields[i];
	for (i = 0; key && i < offer_field_count; i++)
		if (offer_fields[i].old_key && !strcmp(offer_fields[i].old_key, key))
			return &offer_fields[i];
	return NULL;
}

const offer_field *offer_field_by_title(const char *title)
{
	int i;

	for (i = 0; title && i < offer_field_count; i++) {
		const offer_field *f = &offer_fields[i];

		if ((f->title && util_strieq(f->title, title)) ||
		    (f->name && util_strieq(f->name, title)))
			return f;
	}
	return NULL;
}

void offer_ctx_init(offer_ctx *c)
{
	memset(c, 0, sizeof *c);
	c->quantity = -1;
}

#define DETF(m) offsetof(offer_detail, m)

/* key, title (the grid's optional column), name (the detail view's and
 * the comparison's label); kind says how it reads. The supplier's record
 * comes last, from offsetof(offer_detail, supplier) on. */
const offer_field offer_detail_fields[] = {
        {"description", "Description", "Product", NULL, NULL, OFK_TEXT, DETF(description), NULL, 40,
         OFFER_BEST_NONE},
        {"attributes", "Attributes", "Attributes", NULL, NULL, OFK_TEXT, DETF(attributes), NULL, 40,
         OFFER_BEST_NONE},
        {"weight_kg", "Weight", "Weight", NULL, NULL, OFK_MEASURE, DETF(weight_kg), " kg", 10,
         OFFER_BEST_LOWER},
        {"volume_m3", "Volume", "Volume", NULL, NULL, OFK_MEASURE, DETF(volume_m3), " m3", 10,
         OFFER_BEST_LOWER},
        {"incoterm", "Incoterm", "Incoterm", NULL, NULL, OFK_TEXT, DETF(incoterm), NULL, 12,
         OFFER_BEST_NONE},
        {"samples", "Samples", "Samples", NULL, NULL, OFK_FLAG, DETF(samples), NULL, 16,
         OFFER_BEST_HIGHER},
        {"customization", "Custom", "Customisation", NULL, NULL, OFK_LIST, DETF(customization), "|",
         20, OFFER_BEST_NONE},
        {"trade_assurance", "Assured", "Trade assurance", NULL, NULL, OFK_FLAG,
         DETF(supplier.trade_assurance), NULL, 7, OFFER_BEST_HIGHER},
        {"response_rate", "Response", "Response rate", NULL, NULL, OFK_SHARE,
         DETF(supplier.response_rate), NULL, 8, OFFER_BEST_HIGHER},
        {"response_hours", "Replies in", "Response time", NULL, NULL, OFK_HOURS,
         DETF(supplier.response_hours), NULL, 10, OFFER_BEST_LOWER},
        {"on_time_rate", "On-time", "On-time delivery", NULL, NULL, OFK_SHARE,
         DETF(supplier.on_time_rate), NULL, 7, OFFER_BEST_HIGHER},
        {"reorder_rate", "Reorder", "Reorder rate", NULL, NULL, OFK_SHARE,
         DETF(supplier.reorder_rate), NULL, 7, OFFER_BEST_HIGHER},
        {"year_established", "Est.", "Established", NULL, NULL, OFK_YEAR,
         DETF(supplier.year_established), NULL, 5, OFFER_BEST_LOWER},
};

const int offer_detail_field_count =
        (int)(sizeof offer_detail_fields / sizeof offer_detail_fields[0]);

const offer_field *offer_detail_field_by_key(const char *key)
{
	int i;

	for (i = 0; key && i < offer_detail_field_count; i++)
		if (!strcmp(offer_detail_fields[i].key, key))
			return &offer_detail_fields[i];
	return NULL;
}

int offer_detail_of_supplier(const offer_field *f)
{
	return f >= offer_detail_fields && f < offer_detail_fields + offer_detail_field_count &&
	       f->off >= DETF(supplier);
}

/* ---- values ---- */

#define AT(r, f, T)    ((const T *)(const void *)((const char *)(r) + (f)->off))
#define AT_RW(r, f, T) ((T *)(void *)((char *)(r) + (f)->off))

static const char *ctx_currency(const offer_ctx *c)
{
	return c && c->currency && isupper((unsigned char)c->currency[0]) ? c->currency : "USD";
}

static int rating_known(const match_row *r)
{
	return r->rating > 0 || r->reviews > 0;
}

int offer_field_numeric(const offer_field *f)
{
	switch (f->kind) {
	case OFK_ID:
	case OFK_MONEY:
	case OFK_COUNT:
	case OFK_DAYS:
	case OFK_YEARS:
	case OFK_REVIEWS:
	case OFK_RATING:
	case OFK_SCORE:
	case OFK_RANK:
	case OFK_QUANTITY:
		return 1;
	default:
		return 0;
	}
}

int offer_field_number(const offer_field *f, const match_row *r, const offer_ctx *c, double *v)
{
	switch (f->kind) {
	case OFK_ID:
		*v = (double)*AT(r, f, int64_t);
		return 1;
	case OFK_MONEY:
		*v = *AT(r, f, double);
		return *v >= 0;
	case OFK_COUNT:
		*v = (double)*AT(r, f, long);
		return *v >= 0;
	case OFK_DAYS:
	case OFK_YEARS:
	case OFK_REVIEWS:
		*v = *AT(r, f, int);
		return *v >= 0;
	case OFK_RATING:
		*v = r->rating;
		return rating_known(r);
	case OFK_SCORE:
		*v = r->score;
		return 1;
	case OFK_BOOL:
		*v = *AT(r, f, int) != 0;
		return 1;
	case OFK_RANK:
		*v = c ? c->rank : 0;
		return *v > 0;
	case OFK_QUANTITY:
		*v = c ? c->quantity : -1;
		return *v >= 0;
	default:
		return 0;
	}
}

double offer_money_round(double v)
{
	return fabs(v) >= 1 ? round(v * 100) / 100 : round(v * 10000) / 10000;
}

/* "7.5", "0.0042": to the cent, or four decimals below one unit. */
static void money_plain(char *buf, size_t len, double v)
{
	size_t n;
	char *dot;

	snprintf(buf, len, "%.4f", offer_money_round(v));
	dot = strchr(buf, '.');
	if (dot == NULL)
		return;
	n = strlen(buf);
	while (n > (size_t)(dot - buf) + 3 && buf[n - 1] == '0')
		buf[--n] = '\0';
}

/* "7.50", "1250", "0.0042": as a buyer reads prices in that currency. */
static void money_screen(char *buf, size_t len, double v, const offer_ctx *c)
{
	const ref_currency *cur =
	        c && c->ref ? ref_currency_by_code(c->ref, ctx_currency(c)) : NULL;

	if (v < 0)
		snprintf(buf, len, "-");
	else if (v >= 1000 || (cur && cur->decimals == 0))
		snprintf(buf, len, "%.0f", v);
	else if (v >= 0.1)
		snprintf(buf, len, "%.2f", v);
	else
		snprintf(buf, len, "%.4f", v);
}

/* The text of the kinds that are not numbers, NULL for the others. */
static char *text_value(const offer_field *f, const match_row *r, const offer_ctx *c)
{
	const char *s = NULL;

	switch (f->kind) {
	case OFK_TEXT:
	case OFK_LIST:
		s = *AT(r, f, char *);
		break;
	case OFK_CODE:
		s = AT(r, f, char);
		break;
	case OFK_CURRENCY:
		s = ctx_currency(c);
		break;
	case OFK_NOTE:
		s = c ? c->note : NULL;
		break;
	case OFK_STATUS:
		s = c ? c->status : NULL;
		break;
	default:
		return NULL;
	}
	return xstrdup(s ? s : "");
}

char *offer_field_text(const offer_field *f, const match_row *r, const offer_ctx *c)
{
	char buf[64];
	char *t = text_value(f, r, c);
	double v;

	if (t)
		return t;
	if (f->kind == OFK_BREAK) {
		if (r->next_break_qty < 0)
			return xstrdup("");
		money_plain(buf, sizeof buf, r->next_break_price);
		return xasprintf("%ld+ @ %s", r->next_break_qty, buf);
	}
	if (f->kind == OFK_BOOL)
		return xstrdup(*AT(r, f, int) ? "yes" : "no");
	if (!offer_field_number(f, r, c, &v))
		return xstrdup("");
	if (f->kind == OFK_MONEY) {
		money_plain(buf, sizeof buf, v);
		return xstrdup(buf);
	}
	if (f->kind == OFK_RATING)
		return xasprintf("%.1f", v);
	return xasprintf("%.0f", round(v));
}

char *offer_field_format(const offer_field *f, const match_row *r, const offer_ctx *c)
{
	char buf[64];
	double v;

	switch (f->kind) {
	case OFK_MONEY:
		money_screen(buf, sizeof buf, *AT(r, f, double), c);
		return xstrdup(buf);
	case OFK_BREAK:
		if (r->next_break_qty < 0)
			return xstrdup("-");
		money_screen(buf, sizeof buf, r->next_break_price, c);
		return xasprintf("%ld+ @ %s", r->next_break_qty, buf);
	case OFK_DAYS:
		return *AT(r, f, int) >= 0 ? xasprintf("%dd", *AT(r, f, int)) : xstrdup("-");
	case OFK_COUNT:
	case OFK_YEARS:
	case OFK_RATING:
	case OFK_QUANTITY:
		if (!offer_field_number(f, r, c, &v))
			return xstrdup("-");
		break;
	default:
		break;
	}
	return offer_field_text(f, r, c);
}

int offer_field_better(const offer_field *f, const match_row *a, const match_row *b,
                       const offer_ctx *c)
{
	double va, vb;
	int ka = offer_field_number(f, a, c, &va), kb = offer_field_number(f, b, c, &vb);

	if (f->best == OFFER_BEST_NONE || (!ka && !kb))
		return 0;
	if (!ka || !kb)
		return ka ? -1 : 1;
	if (va == vb)
		return 0;
	return (va < vb) == (f->best == OFFER_BEST_LOWER) ? -1 : 1;
}

/* ---- the JSON form ---- */

static void put_text(cJSON *o, const char *key, const char *raw, int exact)
{
	char *s;

	if (raw == NULL) {
		cJSON_AddNullToObject(o, key);
		return;
	}
	if (exact) {
		cJSON_AddStringToObject(o, key, raw);
		return;
	}
	/* cJSON escapes controls but passes invalid UTF-8 through, which
	 * would make the whole file unreadable to strict parsers. */
	s = text_sanitize(raw, 1);
	cJSON_AddStringToObject(o, key, s);
	free(s);
}

/* "CE, RoHS" or "a; b" -> ["CE", "RoHS"] */
static cJSON *list_split(const char *raw, char sep, int exact)
{
	cJSON *arr = cJSON_CreateArray();
	char *s, *p, *start;

	if (raw == NULL)
		return arr;
	s = exact ? xstrdup(raw) : text_sanitize(raw, 0);
	for (start = p = s;; p++) {
		if (*p == sep || *p == '\0') {
			char *a = start, *z = p, *item;

			while (a < z && *a == ' ')
				a++;
			while (z > a && z[-1] == ' ')
				z--;
			if (z > a) {
				item = xstrndup(a, (size_t)(z - a));
				cJSON_AddItemToArray(arr, cJSON_CreateString(item));
				free(item);
			}
			if (*p == '\0')
				break;
			start = p + 1;
		}
	}
	free(s);
	return arr;
}

static double put_money(double v, const offer_ctx *c)
{
	return c->exact ? v : offer_money_round(v);
}

static void put_break(cJSON *o, const match_row *r, const offer_ctx *c)
{
	cJSON *nb;

	if (r->next_break_qty < 0) {
		cJSON_AddNullToObject(o, "next_break");
		return;
	}
	nb = cJSON_AddObjectToObject(o, "next_break");
	cJSON_AddNumberToObject(nb, "min_qty", (double)r->next_break_qty);
	cJSON_AddNumberToObject(nb, "price", put_money(r->next_break_price, c));
}

static void put_field(cJSON *o, const offer_field *f, const match_row *r, const offer_ctx *c)
{
	double v;
	int known = offer_field_number(f, r, c, &v);

	switch (f->kind) {
	case OFK_TEXT:
		put_text(o, f->key, *AT(r, f, char *), c->exact);
		return;
	case OFK_CODE:
		put_text(o, f->key, *AT(r, f, char) ? AT(r, f, char) : NULL, c->exact);
		return;
	case OFK_LIST:
		cJSON_AddItemToObject(o, f->key,
		                      list_split(*AT(r, f, char *), f->sep[0], c->exact));
		return;
	case OFK_BREAK:
		put_break(o, r, c);
		return;
	case OFK_BOOL:
		cJSON_AddBoolToObject(o, f->key, v != 0);
		return;
	case OFK_RANK:
		if (known)
			cJSON_AddNumberToObject(o, f->key, v);
		return;
	case OFK_CURRENCY:
		cJSON_AddStringToObject(o, f->key, ctx_currency(c));
		return;
	case OFK_NOTE:
		put_text(o, f->key, c->note, c->exact);
		return;
	case OFK_STATUS:
		put_text(o, f->key, c->status, c->exact);
		return;
	case OFK_MONEY:
		v = put_money(v, c);
		break;
	case OFK_SCORE:
		v = c->exact ? v : round(v * 10) / 10;
		break;
	default:
		break;
	}
	if (known)
		cJSON_AddNumberToObject(o, f->key, v);
	else
		cJSON_AddNullToObject(o, f->key);
}

cJSON *offer_to_cjson(const match_row *r, const offer_ctx *c)
{
	cJSON *o = cJSON_CreateObject();
	offer_ctx dflt;
	int i;

	if (c == NULL) {
		offer_ctx_init(&dflt);
		c = &dflt;
	}
	for (i = 0; i < offer_field_count; i++)
		put_field(o, &offer_fields[i], r, c);
	return o;
}

char *offer_to_json(const match_row *r, const offer_ctx *c)
{
	cJSON *o = offer_to_cjson(r, c);
	char *s = cJSON_PrintUnformatted(o), *out = xstrdup(s ? s : "{}");

	cJSON_free(s);
	cJSON_Delete(o);
	return out;
}

/* ---- reading it back ---- */

static const cJSON *member(const cJSON *o, const offer_field *f)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, f->key);

	if (v == NULL && f->old_key)
		v = cJSON_GetObjectItemCaseSensitive(o, f->old_key);
	return v;
}

static int get_num(const cJSON *v, double *out)
{
	if (cJSON_IsBool(v)) {
		*out = cJSON_IsTrue(v);
		return 1;
	}
	if (cJSON_IsNumber(v) && isfinite(v->valuedouble)) {
		*out = v->valuedouble;
		return 1;
	}
	return 0;
}

/* Clamped before converting: a hostile or corrupt file must not make a
 * double-to-integer conversion undefined. */
static long clamp_long(double v)
{
	return v > 2e9 ? 2000000000L : v < -2e9 ? -2000000000L : (long)v;
}

static char *join_list(const cJSON *v, const char *sep)
{
	const cJSON *it;
	strbuf b;

	if (cJSON_IsString(v)) /* snapshots before the one form kept a string */
		return xstrdup(v->valuestring);
	if (!cJSON_IsArray(v))
		return NULL;
	sb_init(&b);
	sb_add(&b, "");
	cJSON_ArrayForEach(it, v)
	{
		if (!cJSON_IsString(it))
			continue;
		if (b.len)
			sb_add(&b, sep);
		sb_add(&b, it->valuestring);
	}
	return sb_steal(&b);
}

static void copy_code(char *dst, const char *src)
{
	size_t i;

	for (i = 0; src && i < 3 && isalpha((unsigned char)src[i]); i++)
		dst[i] = (char)toupper((unsigned char)src[i]);
	dst[i] = '\0';
}

/* next_break as an object, or the flat pair snapshots used to keep. */
static void get_break(const cJSON *o, match_row *r)
{
	const cJSON *nb = cJSON_GetObjectItemCaseSensitive(o, "next_break");
	double q, p;

	if (!cJSON_IsObject(nb))
		nb = o;
	if (get_num(cJSON_GetObjectItemCaseSensitive(nb, nb == o ? "next_break_qty" : "min_qty"),
	            &q) &&
	    get_num(cJSON_GetObjectItemCaseSensitive(nb, nb == o ? "next_break_price" : "price"),
	            &p) &&
	    q >= 0) {
		r->next_break_qty = clamp_long(q);
		r->next_break_price = p;
	}
}

static void get_extra(const cJSON *v, const offer_field *f, offer_extra *x)
{
	double d;

	if (x == NULL)
		return;
	if (f->kind == OFK_RANK && get_num(v, &d) && d > 0 && d < 1e9)
		x->rank = (int)d;
	else if (f->kind == OFK_QUANTITY && get_num(v, &d))
		x->quantity = d;
	else if (f->kind == OFK_CURRENCY && cJSON_IsString(v) &&
	         isalpha((unsigned char)v->valuestring[0]))
		copy_code(x->currency, v->valuestring);
}

static void get_field(const cJSON *o, const offer_field *f, match_row *r, offer_extra *x)
{
	const cJSON *v = member(o, f);
	double d;

	if (f->kind == OFK_BREAK) {
		get_break(o, r);
		return;
	}
	if (v == NULL)
		return;
	if (f->kind >= OFK_RANK) {
		get_extra(v, f, x);
		return;
	}
	if (f->kind == OFK_TEXT && cJSON_IsString(v)) {
		free(*AT_RW(r, f, char *));
		*AT_RW(r, f, char *) = xstrdup(v->valuestring);
	} else if (f->kind == OFK_LIST) {
		free(*AT_RW(r, f, char *));
		*AT_RW(r, f, char *) = join_list(v, f->sep);
	} else if (f->kind == OFK_CODE && cJSON_IsString(v)) {
		copy_code(AT_RW(r, f, char), v->valuestring);
	} else if (!get_num(v, &d)) {
		return;
	} else if (f->kind == OFK_ID) {
		*AT_RW(r, f, int64_t) = d >= 0 && d < 9e15 ? (int64_t)d : 0;
	} else if (f->kind == OFK_MONEY || f->kind == OFK_RATING || f->kind == OFK_SCORE) {
		*AT_RW(r, f, double) = d;
	} else if (f->kind == OFK_COUNT) {
		*AT_RW(r, f, long) = clamp_long(d);
	} else if (f->kind == OFK_DAYS || f->kind == OFK_YEARS || f->kind == OFK_REVIEWS) {
		*AT_RW(r, f, int) = (int)clamp_long(d);
	} else if (f->kind == OFK_BOOL) {
		*AT_RW(r, f, int) = d != 0;
	}
}

/* Every number unknown (-1) where the row has a way to say so. */
static void row_unknown(match_row *r)
{
	memset(r, 0, sizeof *r);
	r->price = r->price_orig = r->landed = -1;
	r->next_break_qty = -1;
	r->next_break_price = -1;
	r->moq = -1;
	r->lead_days = r->years = -1;
}

void offer_from_cjson(const cJSON *o, match_row *r, offer_extra *x)
{
	int i;

	row_unknown(r);
	if (x) {
		x->rank = 0;
		x->quantity = -1;
		strcpy(x->currency, "USD");
	}
	for (i = 0; cJSON_IsObject(o) && i < offer_field_count; i++)
		get_field(o, &offer_fields[i], r, x);
}

int offer_from_json(const char *json, match_row *r, offer_extra *x, souk_err *e)
{
	cJSON *o = cJSON_Parse(json ? json : "");

	if (!cJSON_IsObject(o)) {
		cJSON_Delete(o);
		row_unknown(r);
		err_set(e, "a saved offer is not valid JSON (the user database may be damaged)");
		return -1;
	}
	offer_from_cjson(o, r, x);
	cJSON_Delete(o);
	return 0;
}

/* ---- the detail of one offer ---- */

static char *col_text(sqlite3_stmt *st, int i, const char *dflt)
{
	const char *s = (const char *)sqlite3_column_text(st, i);

	return s ? xstrdup(s) : dflt ? xstrdup(dflt) : NULL;
}

static double col_num(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? -1 : sqlite3_column_double(st, i);
}

/* NULL (the data did not say) is -1; catalogs before schema 2 had no NULL
 * here and say 0. */
static int col_flag(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? -1 : sqlite3_column_int(st, i) != 0;
}

void offer_detail_init(offer_detail *d)
{
	memset(d, 0, sizeof *d);
	d->description = xstrdup("");
	d->attributes = xstrdup("{}");
	d->customization = xstrdup("");
	d->weight_kg = d->volume_m3 = d->sample_price = -1;
	d->samples = -1;
	d->supplier.trade_assurance = d->supplier.year_established = -1;
	d->supplier.response_rate = d->supplier.response_hours = -1;
	d->supplier.on_time_rate = d->supplier.reorder_rate = -1;
}

static const char detail_sql[] =
        "SELECT p.description, p.attributes, p.customization, p.incoterm, p.port, "
        "p.weight_kg, p.volume_m3, p.samples, p.sample_price, p.currency, "
        "s.trade_assurance, s.response_rate, s.response_hours, s.on_time_rate, "
        "s.reorder_rate, s.year_established FROM products p "
        "LEFT JOIN suppliers s ON s.id = p.supplier_id WHERE p.id = ?1";

static void detail_read(sqlite3_stmt *st, offer_detail *d)
{
	char *cur;

	offer_detail_free(d);
	d->description = col_text(st, 0, "");
	d->attributes = col_text(st, 1, "{}");
	d->customization = col_text(st, 2, "");
	d->incoterm = col_text(st, 3, NULL);
	d->port = col_text(st, 4, NULL);
	d->weight_kg = col_num(st, 5);
	d->volume_m3 = col_num(st, 6);
	d->samples = col_flag(st, 7);
	d->sample_price = col_num(st, 8);
	cur = col_text(st, 9, "");
	copy_code(d->currency, cur);
	free(cur);
	d->supplier.trade_assurance = col_flag(st, 10);
	d->supplier.response_rate = col_num(st, 11);
	d->supplier.response_hours = col_num(st, 12);
	d->supplier.on_time_rate = col_num(st, 13);
	d->supplier.reorder_rate = col_num(st, 14);
	d->supplier.year_established =
	        sqlite3_column_type(st, 15) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 15);
}

/* One product's detail from a prepared detail_sql: 1, 0 or -1. */
static int detail_step(sqlite3 *catalog, sqlite3_stmt *st, int64_t id, offer_detail *d, souk_err *e)
{
	int rc;

	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		detail_read(st, d);
	else if (rc != SQLITE_DONE)
		err_set(e, "cannot read the offer's details: %s", sqlite3_errmsg(catalog));
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int offer_detail_load_many(sqlite3 *catalog, const int64_t *ids, int n, offer_detail *d,
                           souk_err *e)
{
	sqlite3_stmt *st = NULL;
	int i, rc = 0;

	for (i = 0; i < n; i++)
		offer_detail_init(&d[i]);
	if (sqlite3_prepare_v2(catalog, detail_sql, -1, &st, NULL) != SQLITE_OK) {
		err_set(e, "cannot read the offer's details: %s", sqlite3_errmsg(catalog));
		sqlite3_finalize(st);
		return -1;
	}
	for (i = 0; i < n && rc >= 0; i++)
		rc = detail_step(catalog, st, ids[i], &d[i], e);
	sqlite3_finalize(st);
	return rc < 0 ? -1 : 0;
}

int offer_detail_load(sqlite3 *catalog, int64_t product_id, offer_detail *d, souk_err *e)
{
	sqlite3_stmt *st = NULL;
	int rc;

	offer_detail_init(d);
	if (sqlite3_prepare_v2(catalog, detail_sql, -1, &st, NULL) != SQLITE_OK) {
		err_set(e, "cannot read the offer's details: %s", sqlite3_errmsg(catalog));
		sqlite3_finalize(st);
		return -1;
	}
	rc = detail_step(catalog, st, product_id, d, e);
	sqlite3_finalize(st);
	return rc;
}

void offer_detail_free(offer_detail *d)
{
	free(d->description);
	free(d->attributes);
	free(d->customization);
	free(d->incoterm);
	free(d->port);
	d->description = d->attributes = d->customization = d->incoterm = d->port = NULL;
}

int offer_detail_number(const offer_field *f, const offer_detail *d, double *v)
{
	switch (f->kind) {
	case OFK_FLAG:
	case OFK_YEAR:
		*v = *AT(d, f, int);
		return *v >= 0;
	case OFK_MEASURE:
	case OFK_SHARE:
	case OFK_HOURS:
		*v = *AT(d, f, double);
		return *v >= 0;
	default:
		*v = 0;
		return 0;
	}
}

/* "logo|odm|color" as buyers read it: "logo, odm, color". */
static char *list_words(const char *s, char sep)
{
	strbuf b;

	sb_init(&b);
	sb_add(&b, "");
	for (; s && *s; s++) {
		if (*s != sep)
			sb_addn(&b, s, 1);
		else if (s[1] && s[1] != sep && b.len)
			sb_add(&b, ", ");
	}
	return sb_steal(&b);
}

/* "yes (2.50 USD)" when a sample has a price. */
static char *flag_text(const offer_field *f, const offer_detail *d, int v)
{
	if (v < 0)
		return xstrdup("");
	if (!v)
		return xstrdup("no");
	if (f->off == DETF(samples) && d->sample_price >= 0 && d->currency[0])
		return xasprintf("yes (%.2f %s)", d->sample_price, d->currency);
	return xstrdup("yes");
}

char *offer_detail_format(const offer_field *f, const offer_detail *d)
{
	const char *s;
	double v;

	if (f->kind == OFK_FLAG)
		return flag_text(f, d, *AT(d, f, int));
	if (f->kind == OFK_LIST)
		return list_words(*AT(d, f, char *), f->sep[0]);
	if (f->kind != OFK_TEXT) {
		if (!offer_detail_number(f, d, &v))
			return xstrdup("");
		if (f->kind == OFK_SHARE)
			return xasprintf("%.0f%%", v * 100);
		if (f->kind == OFK_HOURS)
			return xasprintf("%g h", round(v * 10) / 10);
		if (f->kind == OFK_YEAR)
			return xasprintf("%.0f", v);
		return xasprintf(f->off == DETF(weight_kg) ? "%.3f%s" : "%.4f%s", v, f->sep);
	}
	s = *AT(d, f, char *);
	if (f->off == DETF(incoterm) && s && d->port)
		return xasprintf("%s %s", s, d->port);
	return xstrdup(s ? s : "");
}
