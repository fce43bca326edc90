/* dialog_ask: what the dialog asks and advises: the next question, certifications, overviews. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dialog_int.h"
#include "intent.h"
#include "money.h"

/* Price at a share (0..1) of a histogram's mass. */
double dialog_hist_quantile(const match_hist *h, double q)
{
	long total = 0;
	for (int i = 0; i < MATCH_HIST_BINS; i++)
		total += h->counts[i];
	if (!total)
		return -1;
	long want = (long)ceil(q * (double)total), acc = 0;
	double w = (h->hi - h->lo) / MATCH_HIST_BINS;
	for (int i = 0; i < MATCH_HIST_BINS; i++) {
		acc += h->counts[i];
		if (acc >= want)
			return h->lo + w * (i + 1);
	}
	return h->hi;
}

/* ---- the next question ---- */

/* Do the usual certifications differ between markets for this category? */
static int certs_differ_by_market(const dialog *d, const char *cat)
{
	const ref_market_rule *first = NULL;
	if (!cat)
		return 0;
	for (int i = 0; i < ref_market_rule_count(d->ref); i++) {
		const ref_market_rule *r = ref_market_rule_at(d->ref, i);
		size_t pl = strlen(r->prefix);
		if (strncmp(cat, r->prefix, pl) || (cat[pl] && cat[pl] != '/'))
			continue;
		if (!first)
			first = r;
		else if (strcmp(first->market, r->market))
			return 1;
	}
	return 0;
}

/* The category named by its path, or NULL. */
static const category *category_at(const dialog *d, const char *path)
{
	for (int i = 0; i < d->ncats; i++)
		if (!strcmp(d->cats[i].path, path))
			return &d->cats[i];
	return NULL;
}

/* The category most of the results are in (at least half of them), or
 * NULL: advice follows what was found, not a word that resembles a
 * category ("phone cases" are no electronics). */
static const char *results_category(const match_result *res)
{
	if (!res || res->total <= 0 || res->ncategories == 0)
		return NULL;
	if (res->categories[0].count * 2 < res->total)
		return NULL;
	return res->categories[0].value;
}

/* "LED strips for Germany usually need CE and RoHS. Require them?" */
static char *cert_offer(dialog *d, const match_result *res)
{
	const char *name = NULL;
	const char *found = results_category(res);
	char *cat;
	if (found) {
		const category *c = category_at(d, found);
		cat = xstrdup(found);
		name = c ? c->name : NULL;
	} else {
		cat = dialog_state_category(d, &name);
	}
	const ref_market_rule *r = ref_market_certs(d->ref, cat, d->f.market);
	char *q = NULL;
	if (r) {
		char key[128];
		snprintf(key, sizeof(key), "%s %s", r->prefix, d->f.market);
		strlist missing = {0};
		for (int i = 0; i < r->ncerts; i++)
			if (!strlist_has(&d->f.certifications, r->certs[i]))
				strlist_add(&missing, r->certs[i]);
		if (missing.n && !strlist_has(&d->offered, key)) {
			strlist_add(&d->offered, key);
			strbuf b;
			sb_init(&b);
			if (name) {
				sb_add(&b, name);
			} else if (cat) {
				/* a branch ("toys"): its name reads better than "toy" */
				const char *seg = strrchr(cat, '/');
				char *nm = xstrdup(seg ? seg + 1 : cat);
				for (char *c = nm; *c; c++)
					if (*c == '-')
						*c = ' ';
				nm[0] = (char)toupper((unsigned char)nm[0]);
				sb_add(&b, nm);
				free(nm);
			} else {
				dialog_add_list(&b, &d->f.keywords, " ");
			}
			sb_printf(&b, " for %s usually need ",
			          !strcmp(d->f.market, "EU")   ? "the EU"
			          : !strcmp(d->f.market, "US") ? "the US"
			          : !strcmp(d->f.market, "GB")
			                  ? "the UK"
			                  : intent_country_name(d->v, d->f.market));
			for (int i = 0; i < missing.n; i++) {
				if (i)
					sb_add(&b, i == missing.n - 1 ? " and " : ", ");
				sb_add(&b, missing.v[i]);
			}
			if (*r->why)
				sb_printf(&b, " (%s)", r->why);
			sb_add(&b, missing.n == 1 ? ". Require it?" : ". Require them?");
			q = sb_steal(&b);
			strlist_copy(&d->offer, &missing);
			d->pending = Q_CERTS;
		}
		strlist_clear(&missing);
	}
	free(cat);
	return q;
}

/* When the results span sub-categories of their own (each at least a
 * sixth of them), one price range says little: "Most offers are $8-$30
 * for pickleball paddles, $1-$4 for pickleball balls." The middle 80% of
 * each, at most three. 0 when one range will do. */
static int price_by_category(dialog *d, const match_result *res, strbuf *b)
{
	int n = 0;
	strbuf s;

	if (res->ncategories < 2 || res->categories[1].count * 6 < res->total)
		return 0;
	sb_init(&s);
	for (int i = 0; i < res->ncategories && i < 3; i++) {
		const match_count *c = &res->categories[i];
		const category *cat = category_at(d, c->value);
		match_result r;
		souk_filter f;
		if (c->count * 6 < res->total || !cat)
			break;
		filter_copy(&f, &d->f);
		free(f.category);
		f.category = xstrdup(c->value);
		if (dialog_run_match(d, &f, &r) == 0) {
			if (r.price_p10 > 0 && r.price_p90 >= r.price_p10) {
				sb_add(&s, n++ ? ", " : " Most offers are ");
				filter_add_money(&s, r.currency, r.price_p10);
				sb_add(&s, "-");
				filter_add_money(&s, r.currency, r.price_p90);
				char *nm = xstrdup(cat->name);
				nm[0] = (char)tolower((unsigned char)nm[0]);
				sb_printf(&s, " for %s", nm);
				free(nm);
			}
			match_result_free(&r);
		}
		filter_free(&f);
	}
	if (n >= 2) {
		sb_add(&s, ".");
		sb_add(b, s.s);
	}
	sb_free(&s);
	return n >= 2;
}

char *dialog_next_question(dialog *d, const match_result *res, int have_res)
{
	const souk_filter *f = &d->f;
	d->pending = Q_NONE;
	strlist_clear(&d->offer);
	if (!f->keywords.n && !f->category) {
		if (d->asked & (1u << Q_PRODUCT))
			return NULL;
		d->asked |= 1u << Q_PRODUCT;
		d->pending = Q_PRODUCT;
		return xstrdup("What product are you looking for?");
	}
	/* no certification to offer when nothing matches: it could only
	 * narrow an empty result */
	if (f->market && !(have_res && res->total == 0)) {
		char *q = cert_offer(d, have_res ? res : NULL);
		if (q)
			return q;
	}
	/* few results, or everything said: nothing more to ask */
	if (have_res && res->total <= 10)
		return NULL;
	if (f->market && f->quantity >= 0 && (f->price_max >= 0 || f->price_min >= 0))
		return NULL;
	char *cat = dialog_state_category(d, NULL);
	int differ = certs_differ_by_market(d, cat);
	free(cat);
	double lo = -1, hi = -1;
	if (have_res) {
		lo = res->price_p10;
		hi = res->price_p90;
	}
	enum question order[3];
	int n = 0;
	if (differ)
		order[n++] = Q_MARKET;
	order[n++] = Q_QUANTITY;
	/* budget first when prices spread widely */
	if (lo > 0 && hi / lo >= 3) {
		order[n] = order[n - 1];
		order[n - 1] = Q_BUDGET;
		n++;
	} else {
		order[n++] = Q_BUDGET;
	}
	if (!differ && n < 3)
		order[n++] = Q_MARKET;
	for (int i = 0; i < n; i++) {
		enum question q = order[i];
		if (d->asked & (1u << q))
			continue;
		if ((q == Q_MARKET && f->market) || (q == Q_QUANTITY && f->quantity >= 0) ||
		    (q == Q_BUDGET && (f->price_max >= 0 || f->price_min >= 0)))
			continue;
		d->asked |= 1u << q;
		d->pending = q;
		strbuf b;
		sb_init(&b);
		if (q == Q_MARKET) {
			sb_add(&b, "Which market will you sell in (for example the US, the EU or "
			           "the UK)?");
			if (differ)
				sb_add(&b, " The certifications you need depend on it.");
		} else if (q == Q_QUANTITY) {
			sb_add(&b, "How many units do you need? Unit prices drop at higher tiers.");
		} else {
			sb_add(&b, "What is your target price per unit?");
			d->budget_hint = hi > 0 ? hi : -1;
			if (lo > 0 && hi > lo && !price_by_category(d, res, &b)) {
				sb_add(&b, " Most offers are between ");
				filter_add_money(&b, res->currency, lo);
				sb_add(&b, " and ");
				filter_add_money(&b, res->currency, hi);
				sb_add(&b, ".");
			}
		}
		return sb_steal(&b);
	}
	return NULL;
}

/* ---- explore: a category overview ---- */

/* "$1.20-$3.40 at 100 pcs": the middle 80% of the prices. */
static void add_price_range(strbuf *b, const match_result *r, const char *at)
{
	filter_add_money(b, r->currency, dialog_hist_quantile(&r->price_hist, 0.1));
	sb_add(b, "-");
	filter_add_money(b, r->currency, dialog_hist_quantile(&r->price_hist, 0.9));
	sb_add(b, at);
}

static void overview_leaf(dialog *d, const category *c, strbuf *b)
{
	souk_filter f;
	filter_init(&f);
	f.category = xstrdup(c->path);
	f.quantity = 100;
	match_result r100, r1k;
	int ok = dialog_run_match(d, &f, &r100) == 0;
	f.quantity = 1000;
	int ok2 = ok && dialog_run_match(d, &f, &r1k) == 0;
	sb_printf(b, "\n- %s", c->name);
	if (ok) {
		sb_add(b, ": ");
		filter_add_count(b, (double)r100.total);
		sb_add(b, " products from ");
		filter_add_count(b, (double)r100.suppliers);
		sb_add(b, " suppliers");
		if (r100.total > 0) {
			sb_add(b, "; ");
			add_price_range(b, &r100, " at 100 pcs");
			if (ok2 && r1k.total > 0) {
				sb_add(b, ", ");
				add_price_range(b, &r1k, " at 1,000");
			}
			double moq = dialog_hist_quantile(&r100.moq_hist, 0.5);
			if (moq > 0) {
				sb_add(b, "; typical MOQ ");
				filter_add_count(b, moq);
			}
		}
	}
	if (ok)
		match_result_free(&r100);
	if (ok2)
		match_result_free(&r1k);
	filter_free(&f);
}

void dialog_overview(dialog *d, strbuf *b)
{
	int score;
	const category *leaf = dialog_category_of(d, &d->f.keywords, &score);
	char *prefix = dialog_category_prefix(d, &d->f.keywords);
	if (!prefix && leaf) {
		const char *slash = strrchr(leaf->path, '/');
		prefix = slash ? xstrndup(leaf->path, (size_t)(slash - leaf->path))
		               : xstrdup(leaf->path);
	}
	if (!prefix) {
		sb_add(b, "I do not know that category yet, so there is no overview; "
		          "I will search the catalog by these words instead.");
		return;
	}
	size_t pl = strlen(prefix);
	int n = 0;
	sb_add(b, "Overview of ");
	for (int i = 0; i < d->ncats; i++)
		if (!strncmp(d->cats[i].path, prefix, pl) && d->cats[i].path[pl] == '/')
			n++;
	const char *title = strrchr(prefix, '/');
	sb_add(b, title ? title + 1 : prefix);
	sb_printf(b, " (%d sub-categor%s):", n, n == 1 ? "y" : "ies");
	for (int i = 0; i < d->ncats; i++)
		if (!strncmp(d->cats[i].path, prefix, pl) &&
		    (d->cats[i].path[pl] == '/' || !d->cats[i].path[pl]))
			overview_leaf(d, &d->cats[i], b);
	if (d->m) {
		souk_filter f;
		filter_init(&f);
		f.category = xstrdup(prefix);
		match_result r;
		if (dialog_run_match(d, &f, &r) == 0) {
			if (r.ncountries) {
				sb_add(b, "\nLeading supplier countries: ");
				for (int i = 0; i < r.ncountries && i < 4; i++) {
					if (i)
						sb_add(b, ", ");
					sb_printf(b, "%s (%ld%%)",
					          intent_country_name(d->v, r.countries[i].value),
					          r.total ? r.countries[i].count * 100 / r.total
					                  : 0);
				}
				sb_add(b, ".");
			}
			match_result_free(&r);
		}
		filter_free(&f);
	} else {
		sb_add(b, "\n(No catalog is open, so there are no counts or prices.)");
	}
	free(prefix);
}
