/* view_detail: the offer under the cursor in full: tiers, attributes, supplier, score, landed cost.
 */
#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "catalog_info.h"
#include "pager.h"
#include "text.h"

/* A detail field as the detail view and the comparison show it: the
 * table's formatter, and "not listed" for what the catalog does not know
 * (an unknown is not a "no" or a 0). */
char *detail_field_text(const offer_field *f, const offer_detail *d)
{
	char *s = offer_detail_format(f, d);

	if (*s)
		return s;
	free(s);
	return xstrdup("not listed");
}

/* The attributes object's string members, one line each. */
static void detail_attributes(pager *p, const char *json)
{
	cJSON *j = json ? cJSON_Parse(json) : NULL, *it;

	cJSON_ArrayForEach(it, j)
	{
		if (cJSON_IsString(it) && it->string)
			pager_addf(p, TH_NORMAL, 2, "%-16s %s", it->string, it->valuestring);
	}
	cJSON_Delete(j);
}

/* The fields of offer_detail_fields[] of one part (the product's own or
 * its supplier's record), one line each, in the table's order. */
static void detail_fields(pager *p, const offer_detail *d, int supplier)
{
	int i;

	for (i = 0; i < offer_detail_field_count; i++) {
		const offer_field *f = &offer_detail_fields[i];
		char *v;

		if (offer_detail_of_supplier(f) != supplier)
			continue;
		if (strcmp(f->key, "description") == 0) {
			pager_add(p, TH_TITLE, 0, f->name);
			if (*d->description)
				pager_add(p, TH_NORMAL, 2, d->description);
			continue;
		}
		if (strcmp(f->key, "attributes") == 0) {
			pager_add(p, TH_TITLE, 0, f->name);
			detail_attributes(p, d->attributes);
			continue;
		}
		v = detail_field_text(f, d);
		pager_addf(p, TH_NORMAL, 2, "%-16s %s", f->name, v);
		free(v);
	}
}

/* Price, freight and duty as the estimate adds them up (money_landed):
 * DDP is landed already, CIF includes freight, EXW/FOB pay both. */
static void detail_landed(struct app *a, pager *p, const match_row *r, const offer_detail *d)
{
	const souk_filter *f = &a->filter;
	const char *cur = a->res.currency, *inc = d->incoterm ? d->incoterm : "";
	const money_tables *money = a->mctx ? match_money(a->mctx) : NULL;
	double freight = -1, rate = -1, fusd;
	souk_err e;

	pager_add(p, TH_TITLE, 0, "Landed cost (estimate, per unit)");
	if (f->market == NULL) {
		pager_add(p, TH_DIM, 2,
		          "Say where the goods go (\"for the US\") or set Market to estimate it.");
		return;
	}
	pager_addf(p, TH_NORMAL, 2, "%-16s %10.2f %s", "unit price", r->price, cur);
	if (r->landed < 0) {
		pager_add(p, TH_DIM, 2, "not enough data (weight, volume or route) to estimate");
		return;
	}
	if (money) {
		rate = money_duty_rate(money, r->category ? r->category : "", f->market);
		fusd = money_freight_usd(money, r->country ? r->country : "", f->market,
		                         d->weight_kg, d->volume_m3);
		if (fusd >= 0 && money_convert(money, fusd, "USD", cur, &freight, &e) < 0)
			freight = -1;
	}
	if (util_strieq(inc, "DDP")) {
		pager_add(p, TH_DIM, 4, "DDP: the supplier's price includes freight and duty");
	} else if (freight >= 0 && !util_strieq(inc, "CIF")) {
		pager_addf(p, TH_NORMAL, 2, "%-16s %10.2f %s", "freight", freight, cur);
		pager_addf(p, TH_NORMAL, 2, "%-16s %10.2f %s", "duty",
		           r->landed - r->price - freight, cur);
	} else {
		pager_addf(p, TH_NORMAL, 2, "%-16s %10.2f %s",
		           util_strieq(inc, "CIF") ? "duty" : "freight + duty",
		           r->landed - r->price, cur);
	}
	if (rate >= 0 && !util_strieq(inc, "DDP"))
		pager_addf(p, TH_DIM, 4, "%s%sduty rate into %s about %.1f%%", inc[0] ? inc : "",
		           inc[0] ? " terms; " : "", f->market, rate * 100);
	pager_addf(p, TH_BEST, 2, "%-16s %10.2f %s", "landed", r->landed, cur);
}

static void split_lines(pager *p, const char *s, int role)
{
	char *t = xstrdup(s ? s : ""), *tok, *save = NULL;

	for (tok = strtok_r(t, ";", &save); tok; tok = strtok_r(NULL, ";", &save)) {
		while (*tok == ' ')
			tok++;
		if (*tok)
			pager_addf(p, role, 2, "- %s", tok);
	}
	free(t);
}

/* Appends part to a ", "-separated list, skipping what is unknown. */
static void join_known(strbuf *b, const char *part)
{
	if (part == NULL || *part == '\0')
		return;
	if (b->len)
		sb_add(b, ", ");
	sb_add(b, part);
}

/* "Xiamen, CN, manufacturer, 12 years in business", leaving out what the
 * catalog does not know (imports often lack the city or the year). */
static void detail_supplier_facts(pager *p, const match_row *r)
{
	strbuf b;
	char years[48] = "";

	if (r->years == 0)
		snprintf(years, sizeof years, "under a year in business");
	else if (r->years > 0)
		snprintf(years, sizeof years, "%d year%s in business", r->years,
		         r->years == 1 ? "" : "s");
	sb_init(&b);
	join_known(&b, r->city);
	join_known(&b, r->country);
	join_known(&b, r->business_type);
	join_known(&b, years);
	if (b.len)
		pager_add(p, TH_NORMAL, 2, b.s);
	sb_free(&b);
}

static void detail_price(struct app *a, pager *p, const match_row *r)
{
	const char *unit = r->moq_unit && *r->moq_unit ? r->moq_unit : NULL;
	match_tier *tiers = NULL;
	souk_err e;
	int n = 0, i;

	pager_add(p, TH_TITLE, 0, "Price");
	pager_addf(p, TH_NORMAL, 2, "%.2f %s per unit at your quantity (%.2f %s as offered)",
	           r->price, a->res.currency, r->price_orig, r->currency_orig);
	if (r->lead_days >= 0)
		pager_addf(p, TH_NORMAL, 2, "MOQ %ld%s%s, lead time %d day%s", r->moq,
		           unit ? " " : "", unit ? unit : "", r->lead_days,
		           r->lead_days == 1 ? "" : "s");
	else
		pager_addf(p, TH_NORMAL, 2, "MOQ %ld%s%s, lead time unknown", r->moq,
		           unit ? " " : "", unit ? unit : "");
	if (a->mctx && match_tiers(a->mctx, r->product_id, a->res.currency, &tiers, &n, &e) == 0) {
		for (i = 0; i < n; i++)
			pager_addf(p, TH_NORMAL, 4, "from %6ld  %10.2f %s", tiers[i].min_qty,
			           tiers[i].price, a->res.currency);
		free(tiers);
	}
}

static void detail_supplier(pager *p, const match_row *r, const offer_detail *d)
{
	pager_add(p, TH_TITLE, 0, "Supplier");
	pager_addf(p, TH_NORMAL, 2, "%s", r->supplier);
	detail_supplier_facts(p, r);
	if (r->rating > 0)
		pager_addf(p, TH_NORMAL, 2, "rated %.1f from %d review%s%s", r->rating, r->reviews,
		           r->reviews == 1 ? "" : "s", r->verified ? ", verified" : "");
	else
		pager_addf(p, TH_NORMAL, 2, "no ratings yet%s", r->verified ? ", verified" : "");
	if (r->certs && *r->certs)
		pager_addf(p, TH_NORMAL, 2, "certifications: %s", r->certs);
	if (d) /* the catalog's record of it, when it has the offer */
		detail_fields(p, d, 1);
}

static void *detail_open(struct app *a)
{
	const match_row *r = grid_current(a);
	pager *p = xcalloc(1, sizeof *p);
	offer_detail d;
	souk_err e;
	int have = 0;

	p->title = " Offer details   (Esc closes, arrows scroll)";
	if (r == NULL)
		return p;
	/* an offer the catalog cannot read still shows what the row knows */
	if (a->mctx)
		have = catalog_info_offer(a->mctx, r->product_id, &d, &e) == 0;
	else
		offer_detail_init(&d);
	pager_add(p, TH_TITLE, 0, r->title);
	{
		char *cat = a->mctx ? catalog_info_category(a->mctx, r->category) : NULL;

		if (cat)
			pager_addf(p, TH_DIM, 2, "Category: %s", cat);
		free(cat);
	}
	if (r->similar_to)
		pager_add(p, TH_QUESTION, 2, r->similar_to);
	detail_price(a, p, r);
	/* why it ranks where it does, on the first screen; then the records */
	pager_addf(p, TH_TITLE, 0, "Why it scores %.0f", r->score);
	split_lines(p, r->reasons, TH_NORMAL);
	if (r->highlights && *r->highlights) {
		pager_add(p, TH_TITLE, 0, "Stands out");
		split_lines(p, r->highlights, TH_BEST);
	}
	detail_supplier(p, r, have ? &d : NULL);
	if (have)
		detail_fields(p, &d, 0);
	detail_landed(a, p, r, &d);
	offer_detail_free(&d);
	return p;
}

const struct pane view_detail = {
        .name = "detail",
        .ctx = KC_PAGER,
        .help = "details of the offer under the cursor",
        .open = detail_open,
        .close = pager_close,
        .draw = pager_draw,
        .key = pager_key,
};
