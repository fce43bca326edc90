/* money: currencies and FX, price at quantity from tiers, landed-cost estimates. */
#include "money.h"

#include "ref.h"
#include "tsv.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct fx_rate {
	char code[4];
	double per_usd;
} fx_rate;

typedef struct freight_rate {
	char origin[8], market[8]; /* "*" matches any */
	double per_kg, per_m3;     /* USD */
} freight_rate;

typedef struct duty_rate {
	char *prefix; /* category path prefix, "*" for any */
	char market[8];
	double rate;
} duty_rate;

struct money_tables {
	char fx_date[16], duty_date[16];
	fx_rate *fx;
	int nfx;
	freight_rate *freight;
	int nfreight;
	duty_rate *duty;
	int nduty;
	const souk_ref *ref; /* for EU membership; NULL until attached */
};

void money_attach_ref(money_tables *t, const souk_ref *r)
{
	t->ref = r;
}

/* EU membership is reference data (assets/groupings.tsv through ref). */
const char *money_region(const money_tables *t, const char *country)
{
	return t->ref && country && ref_is_eu(t->ref, country) ? "EU" : NULL;
}

/* ---- reading the TSV files ---- */

/* Finds "as of YYYY-MM-DD" in a header comment. */
static void header_date(const char *line, char *date, size_t len)
{
	const char *p = strstr(line, "as of ");

	if (!p || date[0])
		return;
	p += 6;
	size_t n = 0;
	while (n < 10 && (isdigit((unsigned char)p[n]) || p[n] == '-'))
		n++;
	if (n == 10 && n < len) {
		memcpy(date, p, n);
		date[n] = 0;
	}
}

static int parse_rate(const char *s, double *out)
{
	char *end;

	errno = 0;
	double v = strtod(s, &end);
	while (*end == ' ' || *end == '\r')
		end++;
	if (errno || end == s || *end || isnan(v) || isinf(v) || v < 0)
		return -1;
	*out = v;
	return 0;
}

static int copy_code(char *dst, size_t len, const char *src)
{
	size_t n = strlen(src);

	while (n > 0 && (src[n - 1] == '\r' || src[n - 1] == ' '))
		n--;
	if (n == 0 || n >= len)
		return -1;
	for (size_t i = 0; i < n; i++)
		dst[i] = (char)toupper((unsigned char)src[i]);
	dst[n] = 0;
	return 0;
}

typedef int (*row_fn)(money_tables *t, char **fields, int n);

/* Comments may carry the table's "as of" date. */
static void date_comment(void *ctx, const char *text)
{
	header_date(text, ctx, 16);
}

/* Reads path record by record: comments give the date, records go to fn.
 * A bad row is an error naming the file and line, so a broken rate table
 * is noticed rather than silently priced at zero. */
static int load_table(money_tables *t, const char *path, char *date, row_fn fn, int nfields,
                      souk_err *e)
{
	tsv in;
	int rc = 0;

	if (tsv_open(&in, path, e) < 0)
		return -1;
	if (date) {
		in.comment = date_comment;
		in.ctx = date;
	}
	while (rc == 0 && tsv_next(&in))
		if (in.nf != nfields || fn(t, in.f, nfields) < 0)
			rc = tsv_fail(
			        &in, e,
			        "expected %d tab-separated fields (see the comment at the top "
			        "of the file)",
			        nfields);
	tsv_close(&in);
	return rc;
}

int money_fx_count(const money_tables *t)
{
	return t->nfx;
}

const char *money_fx_code(const money_tables *t, int i)
{
	return t->fx[i].code;
}

static int fx_row(money_tables *t, char **f, int n)
{
	fx_rate r;

	(void)n;
	if (copy_code(r.code, sizeof(r.code), f[0]) < 0 || strlen(r.code) != 3 ||
	    parse_rate(f[1], &r.per_usd) < 0 || r.per_usd <= 0)
		return -1;
	t->fx = xgrow(t->fx, t->nfx, sizeof(*t->fx));
	t->fx[t->nfx++] = r;
	return 0;
}

static int freight_row(money_tables *t, char **f, int n)
{
	freight_rate r;

	(void)n;
	if (copy_code(r.origin, sizeof(r.origin), f[0]) < 0 ||
	    copy_code(r.market, sizeof(r.market), f[1]) < 0 || parse_rate(f[2], &r.per_kg) < 0 ||
	    parse_rate(f[3], &r.per_m3) < 0)
		return -1;
	t->freight = xrealloc(t->freight, sizeof(*t->freight) * (size_t)(t->nfreight + 1));
	t->freight[t->nfreight++] = r;
	return 0;
}

static int duty_row(money_tables *t, char **f, int n)
{
	duty_rate r;

	(void)n;
	if (!f[0][0] || copy_code(r.market, sizeof(r.market), f[1]) < 0 ||
	    parse_rate(f[2], &r.rate) < 0 || r.rate > 5)
		return -1;
	r.prefix = xstrdup(f[0]);
	t->duty = xrealloc(t->duty, sizeof(*t->duty) * (size_t)(t->nduty + 1));
	t->duty[t->nduty++] = r;
	return 0;
}

money_tables *money_load_files(const char *fx, const char *freight, const char *duty, souk_err *e)
{
	money_tables *t = xcalloc(1, sizeof(*t));

	if (load_table(t, fx, t->fx_date, fx_row, 2, e) < 0 ||
	    load_table(t, freight, NULL, freight_row, 4, e) < 0 ||
	    load_table(t, duty, t->duty_date, duty_row, 3, e) < 0) {
		money_free(t);
		return NULL;
	}
	if (money_rate(t, "USD") != 1) {
		err_set(e, "%s: USD must be listed with rate 1 (rates are units per 1 USD)", fx);
		money_free(t);
		return NULL;
	}
	return t;
}

money_tables *money_load(const char *assets, souk_err *e)
{
	char *fx = xasprintf("%s/fx.tsv", assets);
	char *fr = xasprintf("%s/freight.tsv", assets);
	char *du = xasprintf("%s/duty.tsv", assets);
	money_tables *t = money_load_files(fx, fr, du, e);

	free(fx);
	free(fr);
	free(du);
	return t;
}

void money_free(money_tables *t)
{
	if (!t)
		return;
	for (int i = 0; i < t->nduty; i++)
		free(t->duty[i].prefix);
	free(t->duty);
	free(t->freight);
	free(t->fx);
	free(t);
}

const char *money_fx_date(const money_tables *t)
{
	return t->fx_date;
}

const char *money_duty_date(const money_tables *t)
{
	return t->duty_date;
}

/* ---- FX ---- */

double money_rate(const money_tables *t, const char *code)
{
	if (!code)
		return -1;
	for (int i = 0; i < t->nfx; i++)
		if (util_strieq(t->fx[i].code, code))
			return t->fx[i].per_usd;
	return -1;
}

int money_known_currency(const money_tables *t, const char *code)
{
	return money_rate(t, code) > 0;
}

int money_convert(const money_tables *t, double amount, const char *from, const char *to,
                  double *out, souk_err *e)
{
	double rf = money_rate(t, from), rt = money_rate(t, to);

	if (rf <= 0 || rt <= 0) {
		err_set(e, "unknown currency \"%s\" (souk knows the codes in fx.tsv)",
		        rf <= 0 ? (from ? from : "") : to);
		return -1;
	}
	*out = util_strieq(from, to) ? amount : amount / rf * rt;
	return 0;
}

/* ---- tiers ---- */

static int tier_cmp(const void *a, const void *b)
{
	const money_tier *x = a, *y = b;
	return (x->min_qty > y->min_qty) - (x->min_qty < y->min_qty);
}

void money_tiers_sort(money_tier *tiers, int n)
{
	if (n > 1)
		qsort(tiers, (size_t)n, sizeof(*tiers), tier_cmp);
}

int money_tier_at(const money_tier *tiers, int n, double quantity)
{
	int at = 0;

	if (n <= 0)
		return -1;
	if (quantity < 0)
		return 0;
	for (int i = 1; i < n; i++)
		if ((double)tiers[i].min_qty <= quantity)
			at = i;
	return at;
}

int money_next_break(const money_tier *tiers, int n, double quantity)
{
	int at = money_tier_at(tiers, n, quantity);

	if (at < 0)
		return -1;
	/* Below the first tier the first tier applies, so the next break is
	 * still the second one. */
	for (int i = at + 1; i < n; i++)
		if ((double)tiers[i].min_qty > quantity && tiers[i].min_qty > tiers[at].min_qty)
			return i;
	return -1;
}

/* ---- landed cost ---- */

static int code_matches(const char *pattern, const char *code, const char *region)
{
	if (strcmp(pattern, "*") == 0)
		return 1;
	if (!code)
		return 0;
	return util_strieq(pattern, code) || (region && util_strieq(pattern, region));
}

/* How exactly a row fits: the country itself beats its region beats "*". */
static int code_rank(const char *pattern, const char *code)
{
	if (strcmp(pattern, "*") == 0)
		return 0;
	return code && util_strieq(pattern, code) ? 2 : 1;
}

double money_freight_usd(const money_tables *t, const char *origin, const char *market,
                         double weight_kg, double volume_m3)
{
	const freight_rate *best = NULL;
	int best_rank = -1;
	const char *oreg = money_region(t, origin), *mreg = money_region(t, market);

	if (weight_kg < 0 && volume_m3 < 0)
		return -1;
	for (int i = 0; i < t->nfreight; i++) {
		const freight_rate *r = &t->freight[i];
		if (!code_matches(r->origin, origin, oreg) ||
		    !code_matches(r->market, market, mreg))
			continue;
		/* the market side weighs more: routes are priced by lane */
		int rank = code_rank(r->market, market) * 3 + code_rank(r->origin, origin);
		if (rank > best_rank) {
			best = r;
			best_rank = rank;
		}
	}
	if (!best)
		return -1;
	return fmax(weight_kg > 0 ? weight_kg * best->per_kg : 0,
	            volume_m3 > 0 ? volume_m3 * best->per_m3 : 0);
}

static int prefix_matches(const char *prefix, const char *category)
{
	size_t n = strlen(prefix);

	if (strcmp(prefix, "*") == 0)
		return 1;
	if (!category || strlen(category) < n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (tolower((unsigned char)prefix[i]) != tolower((unsigned char)category[i]))
			return 0;
	return 1;
}

double money_duty_rate(const money_tables *t, const char *category, const char *market)
{
	const duty_rate *best = NULL;
	long best_rank = -1;
	const char *mreg = money_region(t, market);

	for (int i = 0; i < t->nduty; i++) {
		const duty_rate *r = &t->duty[i];
		if (!code_matches(r->market, market, mreg) || !prefix_matches(r->prefix, category))
			continue;
		long plen = strcmp(r->prefix, "*") == 0 ? 0 : (long)strlen(r->prefix) + 1;
		long rank = plen * 4 + code_rank(r->market, market);
		if (rank > best_rank) {
			best = r;
			best_rank = rank;
		}
	}
	return best ? best->rate : 0;
}

double money_landed(const money_tables *t, const money_landed_in *in)
{
	const char *inc = in->incoterm && *in->incoterm ? in->incoterm : "FOB";
	double freight = 0, duty;

	if (!in->market || !*in->market || in->price < 0)
		return -1;
	if (util_strieq(inc, "DDP"))
		return in->price;
	duty = in->price * money_duty_rate(t, in->category, in->market);
	if (!util_strieq(inc, "CIF")) {
		double usd =
		        money_freight_usd(t, in->origin, in->market, in->weight_kg, in->volume_m3);
		double rate = money_rate(t, in->currency);
		if (usd < 0 || rate <= 0)
			return -1;
		freight = usd * rate;
	}
	return in->price + freight + duty;
}
