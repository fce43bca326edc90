/* ref: the reference data (countries, groupings, certifications, taxonomy, money tables), loaded
 * once. */
#include "ref.h"

#include "map.h"
#include "tsv.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The most items a '|'- or ' '-separated list in one field may hold. */
#define REF_LIST_MAX 64

struct souk_ref {
	char *assets;
	void **keep; /* file copies and lists the tables point into */
	int nkeep;
	ref_country *countries;
	int ncountries;
	map *by_code; /* code -> country index */
	map *by_word; /* name or adjective -> index * 2 + is_adjective */
	ref_cert *certs;
	int ncerts;
	map *cert_word; /* canonical name or alias -> index * 2 + capitals_only */
	ref_category *tax;
	int ntax;
	map *tax_path; /* path -> index */
	ref_market_rule *rules;
	int nrules;
	ref_currency *curs;
	int ncurs;
	map *cur_by_code; /* ISO code -> index into curs */
	map *cur_word;    /* currency word -> index into cur_code */
	char (*cur_code)[4];
	double *cur_scale;
	int ncur;
	money_tables *money;
};

static void *keep(souk_ref *r, void *p)
{
	r->keep = xgrow(r->keep, r->nkeep, sizeof(*r->keep));
	r->keep[r->nkeep++] = p;
	return p;
}

/* The fields of t's records stay valid for the ref's life. */
static void keep_file(souk_ref *r, tsv *t)
{
	keep(r, t->data);
	t->data = NULL;
}

/* A list field split on sep, lower-cased when lower; *n gets the count. */
static const char *const *keep_list(souk_ref *r, char *s, char sep, int lower, int *n)
{
	char *part[REF_LIST_MAX];
	const char **out;

	*n = tsv_split(s, sep, part, REF_LIST_MAX);
	out = keep(r, xcalloc((size_t)*n + 1, sizeof(*out)));
	for (int i = 0; i < *n; i++) {
		if (lower)
			for (char *p = part[i]; *p; p++)
				*p = (char)tolower((unsigned char)*p);
		out[i] = part[i];
	}
	return out;
}

static int open_asset(souk_ref *r, tsv *t, const char *name, souk_err *e)
{
	char *path = keep(r, xasprintf("%s/%s", r->assets, name));

	return tsv_open(t, path, e);
}

/* Each name and adjective of country i goes into by_word; a word two
 * rows claim is an error, so a lookup is never a guess. */
static int index_words(souk_ref *r, const tsv *t, int i, souk_err *e)
{
	const ref_country *c = &r->countries[i];

	for (int adj = 0; adj < 2; adj++) {
		const char *const *w = adj ? c->adjectives : c->names;
		int n = adj ? c->nadjectives : c->nnames;
		for (int k = 0; k < n; k++) {
			int added;
			long at = map_add(r->by_word, w[k], &added);
			if (!added && map_num(r->by_word, at) / 2 != i)
				return tsv_fail(t, e, "\"%s\" already names %s", w[k],
				                r->countries[map_num(r->by_word, at) / 2].code);
			map_set_num(r->by_word, at, i * 2 + adj);
		}
	}
	return 0;
}

/* An alpha-3 code finds its country too. */
static int add_code3(souk_ref *r, const tsv *t, ref_country *c, const char *code3, souk_err *e)
{
	int added;
	long at;

	c->code3 = code3;
	if (!*code3)
		return 0;
	if (strlen(code3) != 3)
		return tsv_fail(t, e, "\"%s\" is not an ISO alpha-3 code", code3);
	at = map_add(r->by_code, code3, &added);
	if (!added)
		return tsv_fail(t, e, "%s is listed twice", code3);
	map_set_num(r->by_code, at, c - r->countries);
	return 0;
}

/* countries.tsv: code, names[, adjectives[, alpha-3]]; groupings.tsv:
 * code, names, adjectives, members (a grouping countries.tsv already
 * names, like EU, only adds its members). */
static int country_row(souk_ref *r, tsv *t, int group, souk_err *e)
{
	int added;
	long at;
	ref_country *c;

	if (tsv_want(t, group ? 4 : 2, 4, e) < 0)
		return -1;
	if (strlen(t->f[0]) < 2 || strlen(t->f[0]) > 7)
		return tsv_fail(t, e, "\"%s\" is not a country or grouping code", t->f[0]);
	at = map_add(r->by_code, t->f[0], &added);
	if (added) {
		r->countries = xgrow(r->countries, r->ncountries, sizeof(*r->countries));
		map_set_num(r->by_code, at, r->ncountries);
		c = memset(&r->countries[r->ncountries++], 0, sizeof(*c));
		c->code = map_key(r->by_code, at);
		c->code3 = "";
	} else if (!group) {
		return tsv_fail(t, e, "%s is listed twice", t->f[0]);
	}
	c = &r->countries[map_num(r->by_code, at)];
	if (!c->nnames) {
		c->names = keep_list(r, t->f[1], '|', 1, &c->nnames);
		c->name = c->nnames ? c->names[0] : c->code;
	}
	if (t->nf > 2 && !c->nadjectives)
		c->adjectives = keep_list(r, t->f[2], '|', 1, &c->nadjectives);
	if (group) {
		c->members = keep_list(r, t->f[3], ' ', 0, &c->nmembers);
		if (c->nmembers == 0)
			return tsv_fail(t, e, "grouping %s has no members", c->code);
	} else if (t->nf > 3 && add_code3(r, t, c, t->f[3], e) < 0) {
		return -1;
	}
	return index_words(r, t, (int)map_num(r->by_code, at), e);
}

static int countries_row(souk_ref *r, tsv *t, souk_err *e)
{
	return country_row(r, t, 0, e);
}

static int groupings_row(souk_ref *r, tsv *t, souk_err *e)
{
	return country_row(r, t, 1, e);
}

/* Every member of a grouping must be a known country; each country then
 * lists the groupings it belongs to. */
static int link_groups(souk_ref *r, souk_err *e)
{
	for (int g = 0; g < r->ncountries; g++) {
		const ref_country *gr = &r->countries[g];
		for (int k = 0; k < gr->nmembers; k++) {
			long at = map_find(r->by_code, gr->members[k]);
			if (at < 0) {
				err_setc(e, SOUK_E_INVALID,
				         "%s/groupings.tsv: %s lists %s, which countries.tsv does "
				         "not know",
				         r->assets, gr->code, gr->members[k]);
				return -1;
			}
			ref_country *c = &r->countries[map_num(r->by_code, at)];
			const char **gs = keep(r, xcalloc((size_t)c->ngroups + 2, sizeof(*gs)));
			if (c->ngroups)
				memcpy(gs, c->groups, sizeof(*gs) * (size_t)c->ngroups);
			gs[c->ngroups++] = gr->code;
			c->groups = gs;
		}
	}
	return 0;
}

static int cert_row(souk_ref *r, tsv *t, souk_err *e)
{
	ref_cert *c;
	int added;
	long at;

	if (tsv_want(t, 2, 4, e) < 0)
		return -1;
	r->certs = xgrow(r->certs, r->ncerts, sizeof(*r->certs));
	c = &r->certs[r->ncerts];
	c->name = t->f[0];
	c->kind = t->nf > 2 ? t->f[2] : "";
	c->aliases = keep_list(r, t->f[1], '|', 1, &c->naliases);
	c->markets = keep_list(r, t->nf > 3 ? t->f[3] : NULL, ' ', 0, &c->nmarkets);
	for (int k = 0; k < c->nmarkets; k++)
		if (!ref_country_by_code(r, c->markets[k]))
			return tsv_fail(t, e, "unknown market %s", c->markets[k]);
	at = map_add(r->cert_word, c->name, &added);
	if (!added)
		return tsv_fail(t, e, "%s is listed twice", c->name);
	map_set_num(r->cert_word, at, r->ncerts * 2);
	for (int k = 0; k < c->naliases; k++) {
		const char *a = c->aliases[k];
		int caps = a[0] == '=';
		at = map_add(r->cert_word, a + caps, &added);
		if (!added && map_num(r->cert_word, at) / 2 != r->ncerts)
			return tsv_fail(t, e, "alias \"%s\" already names %s", a + caps,
			                r->certs[map_num(r->cert_word, at) / 2].name);
		/* "=reach" also marks the canonical "REACH" written in lower case */
		if (added || caps)
			map_set_num(r->cert_word, at, r->ncerts * 2 + caps);
	}
	r->ncerts++;
	return 0;
}

static int tax_row(souk_ref *r, tsv *t, souk_err *e)
{
	ref_category *c;
	int added;

	/* the file's first line names its columns */
	if (t->lineno == 1 && strcmp(t->f[0], "path") == 0)
		return 0;
	if (tsv_want(t, 3, 3, e) < 0)
		return -1;
	map_add(r->tax_path, t->f[0], &added);
	if (!added)
		return tsv_fail(t, e, "%s is listed twice", t->f[0]);
	map_put_num(r->tax_path, t->f[0], r->ntax);
	r->tax = xgrow(r->tax, r->ntax, sizeof(*r->tax));
	c = &r->tax[r->ntax++];
	c->path = t->f[0];
	c->name = t->f[1];
	c->terms = keep_list(r, t->f[2], ',', 0, &c->nterms);
	return 0;
}

static int rule_row(souk_ref *r, tsv *t, souk_err *e)
{
	ref_market_rule *m;

	if (tsv_want(t, 3, 4, e) < 0)
		return -1;
	if (!ref_country_by_code(r, t->f[1]))
		return tsv_fail(t, e, "unknown market %s", t->f[1]);
	r->rules = xgrow(r->rules, r->nrules, sizeof(*r->rules));
	m = &r->rules[r->nrules++];
	m->prefix = t->f[0];
	m->market = t->f[1];
	m->certs = keep_list(r, t->f[2], '|', 0, &m->ncerts);
	m->why = t->nf > 3 ? t->f[3] : "";
	for (int k = 0; k < m->ncerts; k++)
		if (!ref_cert_canonical(r, m->certs[k]))
			return tsv_fail(t, e, "%s is not in certifications.tsv", m->certs[k]);
	return 0;
}

static int currency_row(souk_ref *r, tsv *t, souk_err *e)
{
	ref_currency *c;
	int added;
	long at;

	if (tsv_want(t, 3, 3, e) < 0)
		return -1;
	if (strlen(t->f[0]) != 3 || strlen(t->f[1]) != 1 || t->f[1][0] < '0' || t->f[1][0] > '4')
		return tsv_fail(t, e,
		                "expected an ISO 4217 code, its minor-unit digits and a name");
	at = map_add(r->cur_by_code, t->f[0], &added);
	if (!added)
		return tsv_fail(t, e, "%s is listed twice", t->f[0]);
	map_set_num(r->cur_by_code, at, r->ncurs);
	r->curs = xgrow(r->curs, r->ncurs, sizeof(*r->curs));
	c = &r->curs[r->ncurs++];
	c->code = t->f[0];
	c->decimals = t->f[1][0] - '0';
	c->name = t->f[2];
	return 0;
}

/* A currency word: "dollars" USD 1, "kr" SEK|NOK|DKK|ISK 1 (a word several
 * currencies share: the first here; the interpreter picks by market), "cents"
 * * 0.01 (the buyer's own currency, which only the conversation knows: not
 * kept here). A fourth column says how amounts are written. */
static int cur_row(souk_ref *r, tsv *t, souk_err *e)
{
	char *end, code[4];
	double scale;
	int added;
	long at;

	if (tsv_want(t, 3, 4, e) < 0)
		return -1;
	scale = strtod(t->f[2], &end);
	if (end == t->f[2] || *end || scale <= 0)
		return tsv_fail(t, e, "expected a word, ISO 4217 codes and a scale");
	if (strcmp(t->f[1], "*") == 0)
		return 0;
	for (const char *p = t->f[1]; *p;) {
		size_t n = strcspn(p, "|");
		snprintf(code, sizeof code, "%.*s", (int)(n < 3 ? n : 3), p);
		if (n != 3 || !ref_currency_by_code(r, code))
			return tsv_fail(t, e, "%.*s is not in currencies.tsv", (int)n, p);
		p += n + (p[n] == '|');
	}
	at = map_add(r->cur_word, t->f[0], &added);
	if (!added)
		return tsv_fail(t, e, "\"%s\" is listed twice", t->f[0]);
	r->cur_code = xgrow(r->cur_code, r->ncur, sizeof(*r->cur_code));
	r->cur_scale = xgrow(r->cur_scale, r->ncur, sizeof(*r->cur_scale));
	memcpy(r->cur_code[r->ncur], t->f[1], 3);
	r->cur_code[r->ncur][3] = '\0';
	r->cur_scale[r->ncur] = scale;
	map_set_num(r->cur_word, at, r->ncur++);
	return 0;
}

typedef int (*ref_row_fn)(souk_ref *r, tsv *t, souk_err *e);

/* One table, as described once: its file and its row reader. */
static const struct {
	const char *file;
	ref_row_fn row;
} ref_tables[] = {
        {"countries.tsv", countries_row}, {"groupings.tsv", groupings_row},
        {"certifications.tsv", cert_row}, {"taxonomy.tsv", tax_row},
        {"market_certs.tsv", rule_row},   {"currencies.tsv", currency_row},
        {"intent/currency.tsv", cur_row},
};

static int load_table(souk_ref *r, const char *file, ref_row_fn row, souk_err *e)
{
	tsv t;

	if (open_asset(r, &t, file, e) < 0)
		return -1;
	while (tsv_next(&t)) {
		if (row(r, &t, e) < 0) {
			keep_file(r, &t); /* rows read so far point into it */
			tsv_close(&t);
			return -1;
		}
	}
	keep_file(r, &t);
	tsv_close(&t);
	return 0;
}

souk_ref *ref_load(const char *assets, souk_err *e)
{
	souk_ref *r = xcalloc(1, sizeof(*r));

	r->assets = xstrdup(assets);
	r->by_code = map_new(MAP_NOCASE);
	r->by_word = map_new(MAP_NOCASE);
	r->cert_word = map_new(MAP_NOCASE);
	r->tax_path = map_new(MAP_NOCASE);
	r->cur_word = map_new(MAP_NOCASE);
	r->cur_by_code = map_new(MAP_NOCASE);
	for (size_t i = 0; i < sizeof(ref_tables) / sizeof(*ref_tables); i++) {
		if (load_table(r, ref_tables[i].file, ref_tables[i].row, e) < 0)
			goto fail;
		/* market rules name groupings and their members */
		if (ref_tables[i].row == groupings_row && link_groups(r, e) < 0)
			goto fail;
	}
	r->money = money_load(assets, e);
	if (r->money)
		money_attach_ref(r->money, r);
	if (r->money == NULL)
		goto fail;
	return r;
fail:
	ref_free(r);
	return NULL;
}

void ref_free(souk_ref *r)
{
	if (r == NULL)
		return;
	money_free(r->money);
	map_free(r->by_code);
	map_free(r->by_word);
	map_free(r->cert_word);
	map_free(r->tax_path);
	map_free(r->cur_word);
	map_free(r->cur_by_code);
	free(r->curs);
	free(r->countries);
	free(r->certs);
	free(r->tax);
	free(r->rules);
	free(r->cur_code);
	free(r->cur_scale);
	for (int i = 0; i < r->nkeep; i++)
		free(r->keep[i]);
	free(r->keep);
	free(r->assets);
	free(r);
}

const char *ref_assets(const souk_ref *r)
{
	return r->assets;
}

/* ---- countries and groupings ---- */

int ref_country_count(const souk_ref *r)
{
	return r->ncountries;
}

const ref_country *ref_country_at(const souk_ref *r, int i)
{
	return &r->countries[i];
}

const ref_country *ref_country_by_code(const souk_ref *r, const char *code)
{
	long at = r && code ? map_find(r->by_code, code) : -1;

	return at < 0 ? NULL : &r->countries[map_num(r->by_code, at)];
}

const ref_country *ref_country_lookupn(const souk_ref *r, const char *s, size_t len,
                                       int *is_adjective)
{
	long at = map_findn(r->by_word, s, len);

	if (at >= 0) {
		if (is_adjective)
			*is_adjective = (int)(map_num(r->by_word, at) & 1);
		return &r->countries[map_num(r->by_word, at) / 2];
	}
	for (size_t i = 0; i < len; i++)
		if (!isupper((unsigned char)s[i]))
			return NULL;
	at = map_findn(r->by_code, s, len);
	if (at < 0)
		return NULL;
	if (is_adjective)
		*is_adjective = 0;
	return &r->countries[map_num(r->by_code, at)];
}

const ref_country *ref_country_lookup(const souk_ref *r, const char *s, int *is_adjective)
{
	return ref_country_lookupn(r, s, strlen(s), is_adjective);
}

int ref_in_group(const souk_ref *r, const char *code, const char *group)
{
	const ref_country *c = ref_country_by_code(r, code);

	for (int i = 0; c && group && i < c->ngroups; i++)
		if (util_strieq(c->groups[i], group))
			return 1;
	return 0;
}

int ref_is_eu(const souk_ref *r, const char *code)
{
	return ref_in_group(r, code, "EU");
}

const char *const *ref_group_members(const souk_ref *r, const char *group, int *n)
{
	const ref_country *g = ref_country_by_code(r, group);

	*n = g ? g->nmembers : 0;
	return g && g->nmembers ? g->members : NULL;
}

/* ---- certifications ---- */

int ref_cert_count(const souk_ref *r)
{
	return r->ncerts;
}

const ref_cert *ref_cert_at(const souk_ref *r, int i)
{
	return &r->certs[i];
}

const ref_cert *ref_cert_lookup(const souk_ref *r, const char *s, int *capitals_only)
{
	long at = r && s ? map_find(r->cert_word, s) : -1;

	if (at < 0)
		return NULL;
	if (capitals_only)
		*capitals_only = (int)(map_num(r->cert_word, at) & 1);
	return &r->certs[map_num(r->cert_word, at) / 2];
}

const char *ref_cert_canonical(const souk_ref *r, const char *s)
{
	const ref_cert *c = ref_cert_lookup(r, s, NULL);

	return c ? c->name : NULL;
}

int ref_cert_serves(const souk_ref *r, const char *cert, const char *market)
{
	const ref_cert *c = ref_cert_lookup(r, cert, NULL);

	for (int k = 0; c && market && k < c->nmarkets; k++)
		if (util_strieq(c->markets[k], market) || ref_in_group(r, market, c->markets[k]))
			return 1;
	return 0;
}

/* ---- taxonomy ---- */

int ref_taxonomy_count(const souk_ref *r)
{
	return r->ntax;
}

const ref_category *ref_taxonomy_at(const souk_ref *r, int i)
{
	return &r->tax[i];
}

const ref_category *ref_taxonomy_find(const souk_ref *r, const char *path)
{
	long at = map_find(r->tax_path, path);

	return at < 0 ? NULL : &r->tax[map_num(r->tax_path, at)];
}

/* ---- market certification rules ---- */

int ref_market_rule_count(const souk_ref *r)
{
	return r->nrules;
}

const ref_market_rule *ref_market_rule_at(const souk_ref *r, int i)
{
	return &r->rules[i];
}

const ref_market_rule *ref_market_certs(const souk_ref *r, const char *category, const char *market)
{
	const ref_market_rule *best = NULL;
	size_t best_rank = 0;

	if (!category || !market)
		return NULL;
	for (int i = 0; i < r->nrules; i++) {
		const ref_market_rule *m = &r->rules[i];
		size_t n = strlen(m->prefix), rank;
		int exact = util_strieq(m->market, market);
		if (!exact && !ref_in_group(r, market, m->market))
			continue;
		if (strncasecmp(category, m->prefix, n) != 0 ||
		    (category[n] != 0 && category[n] != '/'))
			continue;
		rank = (n + 1) * 2 + (size_t)exact;
		if (rank > best_rank) {
			best = m;
			best_rank = rank;
		}
	}
	return best;
}

/* ---- money ---- */

const money_tables *ref_money(const souk_ref *r)
{
	return r->money;
}

const ref_currency *ref_currency_by_code(const souk_ref *r, const char *code)
{
	long at = r && code ? map_find(r->cur_by_code, code) : -1;

	return at < 0 ? NULL : &r->curs[map_num(r->cur_by_code, at)];
}

const char *ref_currency_word(const souk_ref *r, const char *word, double *scale)
{
	long at = map_find(r->cur_word, word);

	if (at < 0)
		return NULL;
	if (scale)
		*scale = r->cur_scale[map_num(r->cur_word, at)];
	return r->cur_code[map_num(r->cur_word, at)];
}
