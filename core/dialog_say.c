/* dialog_say: the reply in words: a filter field, the whole state, what changed, unused words. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dialog_int.h"
#include "intent.h"
#include "text.h"

/* ---- words for the reply ---- */

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

/* Place names for the table's words: the market as buyers say it ("UK",
 * "the EU" stays "EU"), supplier countries by name. */
static const char *place_name(void *ctx, int field, const char *code)
{
	const dialog *d = ctx;

	if (field == FF_MARKET && (!strcmp(code, "EU") || !strcmp(code, "US")))
		return code;
	if (field == FF_MARKET && !strcmp(code, "GB"))
		return "UK";
	return intent_country_name(d->v, code);
}

/* One field in words (filter_fields[] says how), or nothing when unset. */
static void describe_field(const dialog *d, const souk_filter *f, int field, strbuf *b)
{
	filter_words w = {place_name, (void *)d};
	char *s = filter_field_describe(f, field, &w);

	if (s && *s) {
		dialog_sep(b);
		sb_add(b, s);
	}
	free(s);
}

static const int summary_order[] = {
        FF_KEYWORDS,
        FF_MARKET,
        FF_QUANTITY,
        FF_PRICE_MAX,
        FF_MOQ_MAX,
        FF_LEAD_TIME,
        FF_SUPPLIER_COUNTRIES,
        FF_EXCLUDE_COUNTRIES,
        FF_CERTIFICATIONS,
        FF_VERIFIED,
        FF_MIN_RATING,
        FF_MIN_YEARS,
        FF_CUSTOMIZATION,
        FF_SAMPLES,
        FF_BUSINESS_TYPE,
        FF_INCOTERM,
        FF_INCLUDE_LARGER_MOQ,
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
		if (s.len == before && filter_field_cleared(fld)) {
			dialog_sep(&s);
			sb_add(&s, filter_field_cleared(fld));
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
