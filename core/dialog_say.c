/* dialog_say: the reply in words: a filter field, the whole state, what changed, unused words. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dialog_int.h"
#include "intent.h"
#include "text.h"

/* ---- words for the reply ---- */

static const char *cur_symbol(const char *code)
{
	if (!strcmp(code, "USD"))
		return "$";
	if (!strcmp(code, "EUR"))
		return "€";
	if (!strcmp(code, "GBP"))
		return "£";
	if (!strcmp(code, "CNY"))
		return "¥";
	return NULL;
}

void dialog_add_money(strbuf *b, const char *cur, double v)
{
	const char *sym = cur_symbol(cur);
	char num[64];
	if (v < 1 && v > 0)
		snprintf(num, sizeof(num), "%.2f", v);
	else if (fabs(v - round(v)) < 0.005)
		snprintf(num, sizeof(num), "%.0f", v);
	else
		snprintf(num, sizeof(num), "%.2f", v);
	if (sym)
		sb_printf(b, "%s%s", sym, num);
	else
		sb_printf(b, "%s %s", num, cur);
}

void dialog_add_count(strbuf *b, double v)
{
	char num[64];
	snprintf(num, sizeof(num), "%.0f", v);
	size_t n = strlen(num);
	for (size_t i = 0; i < n; i++) {
		sb_addc(b, num[i]);
		if (n - i - 1 > 0 && (n - i - 1) % 3 == 0)
			sb_addc(b, ',');
	}
}

static void add_countries(strbuf *b, const dialog *d, const strlist *l, const char *conj)
{
	for (int i = 0; i < l->n; i++) {
		if (i)
			sb_add(b, i == l->n - 1 ? conj : ", ");
		sb_add(b, intent_country_name(d->v, l->v[i]));
	}
}

void dialog_add_list(strbuf *b, const strlist *l, const char *sep)
{
	for (int i = 0; i < l->n; i++) {
		if (i)
			sb_add(b, sep);
		char *s = text_sanitize(l->v[i], 0);
		sb_add(b, s);
		free(s);
	}
}

void dialog_sep(strbuf *b)
{
	if (b->len)
		sb_add(b, ", ");
}

/* One field in words, or nothing when it is unset. */
static void describe_field(const dialog *d, const souk_filter *f, int field, strbuf *b)
{
	switch (field) {
	case FF_KEYWORDS:
		if (f->keywords.n) {
			dialog_sep(b);
			dialog_add_list(b, &f->keywords, " ");
		}
		break;
	case FF_MARKET:
		if (f->market) {
			dialog_sep(b);
			sb_printf(b, "%s market",
			          !strcmp(f->market, "EU") || !strcmp(f->market, "US") ||
			                          !strcmp(f->market, "GB")
			                  ? (strcmp(f->market, "GB") ? f->market : "UK")
			                  : intent_country_name(d->v, f->market));
		}
		break;
	case FF_QUANTITY:
		if (f->quantity >= 0) {
			dialog_sep(b);
			dialog_add_count(b, f->quantity);
			sb_add(b, " units");
		}
		break;
	case FF_PRICE_MAX:
		if (f->price_min >= 0 && f->price_max >= 0) {
			dialog_sep(b);
			dialog_add_money(b, f->currency, f->price_min);
			sb_add(b, "-");
			dialog_add_money(b, f->currency, f->price_max);
			sb_add(b, "/unit");
		} else if (f->price_max >= 0) {
			dialog_sep(b);
			sb_add(b, "at most ");
			dialog_add_money(b, f->currency, f->price_max);
			sb_add(b, "/unit");
		} else if (f->price_min >= 0) {
			dialog_sep(b);
			sb_add(b, "at least ");
			dialog_add_money(b, f->currency, f->price_min);
			sb_add(b, "/unit");
		}
		break;
	case FF_MOQ_MAX:
		if (f->moq_max >= 0) {
			dialog_sep(b);
			sb_add(b, "MOQ at most ");
			dialog_add_count(b, f->moq_max);
		}
		break;
	case FF_LEAD_TIME:
		if (f->lead_time_max_days >= 0) {
			dialog_sep(b);
			sb_printf(b, "lead time at most %.0f days", f->lead_time_max_days);
		}
		break;
	case FF_SUPPLIER_COUNTRIES:
		if (f->supplier_countries.n) {
			dialog_sep(b);
			sb_add(b, "from ");
			add_countries(b, d, &f->supplier_countries, " or ");
		}
		break;
	case FF_EXCLUDE_COUNTRIES:
		if (f->exclude_countries.n) {
			dialog_sep(b);
			sb_add(b, "not from ");
			add_countries(b, d, &f->exclude_countries, " or ");
		}
		break;
	case FF_CERTIFICATIONS:
		if (f->certifications.n) {
			dialog_sep(b);
			dialog_add_list(b, &f->certifications, ", ");
		}
		break;
	case FF_VERIFIED:
		if (f->verified_only) {
			dialog_sep(b);
			sb_add(b, "verified suppliers");
		}
		break;
	case FF_MIN_RATING:
		if (f->min_rating >= 0) {
			dialog_sep(b);
			sb_printf(b, "rated %g+", f->min_rating);
		}
		break;
	case FF_MIN_YEARS:
		if (f->min_years >= 0) {
			dialog_sep(b);
			sb_printf(b, "%g+ years in business", f->min_years);
		}
		break;
	case FF_CUSTOMIZATION:
		if (f->customization) {
			dialog_sep(b);
			sb_add(b, "customization");
		}
		break;
	case FF_SAMPLES:
		if (f->samples) {
			dialog_sep(b);
			sb_add(b, "samples available");
		}
		break;
	case FF_BUSINESS_TYPE:
		if (f->business_type) {
			dialog_sep(b);
			sb_add(b, !strcmp(f->business_type, "trading") ? "trading companies"
			                                               : "manufacturers only");
		}
		break;
	case FF_INCOTERM:
		if (f->incoterm) {
			dialog_sep(b);
			sb_add(b, f->incoterm);
		}
		break;
	default:
		break;
	}
}

static const int summary_order[] = {
        FF_KEYWORDS,       FF_MARKET,    FF_QUANTITY,           FF_PRICE_MAX,
        FF_MOQ_MAX,        FF_LEAD_TIME, FF_SUPPLIER_COUNTRIES, FF_EXCLUDE_COUNTRIES,
        FF_CERTIFICATIONS, FF_VERIFIED,  FF_MIN_RATING,         FF_MIN_YEARS,
        FF_CUSTOMIZATION,  FF_SAMPLES,   FF_BUSINESS_TYPE,      FF_INCOTERM,
};

void dialog_describe_state(const dialog *d, strbuf *b)
{
	strbuf s;
	sb_init(&s);
	for (size_t i = 0; i < sizeof(summary_order) / sizeof(*summary_order); i++)
		describe_field(d, &d->f, summary_order[i], &s);
	sb_add(b, s.len ? s.s : "no filters");
	sb_free(&s);
}

/* What a cleared field is called: "no price limit", "any country". */
static const char *cleared_name(int field)
{
	switch (field) {
	case FF_QUANTITY:
		return "no quantity";
	case FF_PRICE_MIN:
	case FF_PRICE_MAX:
		return "no price limit";
	case FF_MOQ_MAX:
		return "no MOQ limit";
	case FF_LEAD_TIME:
		return "no lead-time limit";
	case FF_MARKET:
		return "no market";
	case FF_SUPPLIER_COUNTRIES:
		return "any supplier country";
	case FF_EXCLUDE_COUNTRIES:
		return "no countries excluded";
	case FF_CERTIFICATIONS:
		return "no certifications required";
	case FF_VERIFIED:
		return "unverified suppliers too";
	case FF_MIN_RATING:
		return "any rating";
	case FF_MIN_YEARS:
		return "any age of business";
	case FF_CUSTOMIZATION:
		return "no customization needed";
	case FF_SAMPLES:
		return "samples not needed";
	case FF_BUSINESS_TYPE:
		return "manufacturers and trading companies";
	case FF_INCOTERM:
		return "any incoterm";
	case FF_KEYWORDS:
		return "no product terms";
	default:
		return NULL;
	}
}

void dialog_describe_changes(const dialog *d, unsigned changed, strbuf *b)
{
	strbuf s;
	sb_init(&s);
	if (changed & (1u << FF_PRICE_MIN))
		changed |= 1u << FF_PRICE_MAX;
	for (size_t i = 0; i < sizeof(summary_order) / sizeof(*summary_order); i++) {
		int fld = summary_order[i];
		if (!(changed & (1u << fld)))
			continue;
		size_t before = s.len;
		describe_field(d, &d->f, fld, &s);
		if (s.len == before && cleared_name(fld)) {
			dialog_sep(&s);
			sb_add(&s, cleared_name(fld));
		}
	}
	if (s.len) {
		sb_add(b, "Changed: ");
		sb_add(b, s.s);
		sb_add(b, ". ");
	}
	sb_free(&s);
}

/* "Not used: before, avail." */
void dialog_unused_words(const dialog *d, strbuf *b)
{
	int n = 0;
	for (int i = 0; d->cv && i < d->f.keywords.n; i++) {
		if (vocab_docs(d->cv, d->f.keywords.v[i]))
			continue;
		char *w = text_sanitize(d->f.keywords.v[i], 0);
		sb_add(b, n++ ? ", " : "Not used (the catalog never says them): ");
		sb_add(b, w);
		free(w);
	}
	if (n)
		sb_add(b, ". ");
}
