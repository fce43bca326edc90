/* dialog: the conversation: applies turns and edits, undo, replies and the next question. */
#include "dialog.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "intent.h"
#include "money.h"
#include "text.h"

/* The questions the dialog can ask; each is asked at most once. */
enum question {
	Q_NONE,
	Q_PRODUCT,
	Q_MARKET,
	Q_QUANTITY,
	Q_BUDGET,
	Q_CERTS, /* the market-knowledge offer: yes / no */
};

typedef struct market_rule {
	char *prefix; /* category path prefix */
	char market[3];
	strlist certs;
	char *why;
} market_rule;

typedef struct category {
	char *path, *name;
	strlist terms; /* each term's words, singular, space-separated */
} category;

struct dialog {
	match_ctx *m;
	intent_vocab *v;
	souk_vocab *cv; /* the catalog's vocabulary, or NULL */
	souk_filter f;
	filter_history h;
	enum question pending;
	unsigned asked; /* 1u << enum question */
	int last_country_field;
	int last_number_field; /* the number field the last turn changed */
	unsigned last_number_fields; /* all of them */
	double budget_hint;    /* the upper price quoted with the budget question */
	strlist offer;         /* certifications offered, awaiting yes or no */
	strlist offered;       /* "prefix market" pairs already offered */
	market_rule *rules;
	int nrules;
	category *cats;
	int ncats;
};

/* ---- assets ---- */

static char *next_field(char **p)
{
	char *s = *p;
	if (!s)
		return NULL;
	char *tab = strchr(s, '\t');
	if (tab) {
		*tab = 0;
		*p = tab + 1;
	} else {
		*p = NULL;
	}
	return s;
}

static void split_into(strlist *l, const char *s, char sep, const intent_vocab *v, int singular)
{
	char *c = xstrdup(s), *save = NULL;
	char seps[2] = {sep, 0};
	for (char *t = strtok_r(c, seps, &save); t; t = strtok_r(NULL, seps, &save)) {
		while (*t == ' ')
			t++;
		if (!*t)
			continue;
		if (!singular) {
			strlist_add(l, t);
			continue;
		}
		/* a term: each word singular, so "pickleball paddles" meets "paddle" */
		strbuf b;
		sb_init(&b);
		char *ws = NULL;
		for (char *w = strtok_r(t, " ", &ws); w; w = strtok_r(NULL, " ", &ws)) {
			char one[64];
			intent_singular(v, w, one, sizeof(one));
			if (b.len)
				sb_addc(&b, ' ');
			sb_add(&b, one);
		}
		strlist_add(l, b.s ? b.s : "");
		sb_free(&b);
	}
	free(c);
}

static int load_rules(dialog *d, const char *assets, souk_err *e)
{
	char *path = xasprintf("%s/market_certs.tsv", assets);
	size_t len;
	char *buf = util_read_file(path, 1 << 20, &len, e);
	free(path);
	if (!buf)
		return -1;
	char *save = NULL;
	for (char *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (*line == '#')
			continue;
		char *p = line;
		char *prefix = next_field(&p), *market = next_field(&p), *certs = next_field(&p);
		char *why = next_field(&p);
		if (!prefix || !market || !certs || strlen(market) != 2)
			continue;
		d->rules = xrealloc(d->rules, sizeof(*d->rules) * (size_t)(d->nrules + 1));
		market_rule *r = &d->rules[d->nrules++];
		memset(r, 0, sizeof(*r));
		r->prefix = xstrdup(prefix);
		memcpy(r->market, market, 3);
		split_into(&r->certs, certs, '|', d->v, 0);
		r->why = why && *why && *why != '\r' ? xstrdup(why) : NULL;
		if (r->why && r->why[strlen(r->why) - 1] == '\r')
			r->why[strlen(r->why) - 1] = 0;
	}
	free(buf);
	return 0;
}

/* The taxonomy is optional: without it there are no overviews by name. */
static void load_taxonomy(dialog *d, const char *assets)
{
	char *path = xasprintf("%s/taxonomy.tsv", assets);
	size_t len;
	souk_err e;
	char *buf = util_read_file(path, 1 << 20, &len, &e);
	free(path);
	if (!buf)
		return;
	char *save = NULL;
	int first = 1;
	for (char *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (*line == '#' || first) {
			first = 0;
			continue;
		}
		char *p = line;
		char *cpath = next_field(&p), *name = next_field(&p), *terms = next_field(&p);
		if (!cpath || !name)
			continue;
		d->cats = xrealloc(d->cats, sizeof(*d->cats) * (size_t)(d->ncats + 1));
		category *c = &d->cats[d->ncats++];
		memset(c, 0, sizeof(*c));
		c->path = xstrdup(cpath);
		c->name = xstrdup(name);
		char lname[256];
		snprintf(lname, sizeof(lname), "%s", name);
		text_lower(lname);
		for (char *q = lname; *q; q++)
			if (*q == '-')
				*q = ' ';
		split_into(&c->terms, lname, ',', d->v, 1);
		if (terms)
			split_into(&c->terms, terms, ',', d->v, 1);
	}
	free(buf);
}

dialog *dialog_new(match_ctx *m, const char *assets, souk_err *e)
{
	dialog *d = xcalloc(1, sizeof(*d));
	d->m = m;
	filter_init(&d->f);
	filter_history_init(&d->h);
	d->last_country_field = FF_COUNT;
	d->last_number_field = FF_COUNT;
	d->budget_hint = -1;
	d->v = intent_vocab_load(assets, e);
	if (!d->v || load_rules(d, assets, e) < 0) {
		dialog_free(d);
		return NULL;
	}
	load_taxonomy(d, assets);
	if (m) {
		souk_err ve;
		d->cv = vocab_open(match_db(m), &ve); /* without it every word is a keyword */
	}
	return d;
}

void dialog_free(dialog *d)
{
	if (!d)
		return;
	intent_vocab_free(d->v);
	vocab_free(d->cv);
	filter_free(&d->f);
	filter_history_free(&d->h);
	strlist_clear(&d->offer);
	strlist_clear(&d->offered);
	for (int i = 0; i < d->nrules; i++) {
		free(d->rules[i].prefix);
		free(d->rules[i].why);
		strlist_clear(&d->rules[i].certs);
	}
	free(d->rules);
	for (int i = 0; i < d->ncats; i++) {
		free(d->cats[i].path);
		free(d->cats[i].name);
		strlist_clear(&d->cats[i].terms);
	}
	free(d->cats);
	free(d);
}

void dialog_reply_free(dialog_reply *r)
{
	if (!r)
		return;
	free(r->text);
	free(r->question);
	memset(r, 0, sizeof(*r));
}

const souk_filter *dialog_filter(const dialog *d)
{
	return &d->f;
}

void dialog_set_filter(dialog *d, const souk_filter *f)
{
	filter_free(&d->f);
	filter_copy(&d->f, f);
	filter_history_free(&d->h);
	filter_history_init(&d->h);
	d->pending = Q_NONE;
	strlist_clear(&d->offer);
}

void dialog_adopt_filter(dialog *d, const souk_filter *f)
{
	if (filter_equal(&d->f, f))
		return;
	filter_history_push(&d->h, &d->f);
	filter_free(&d->f);
	filter_copy(&d->f, f);
	d->pending = Q_NONE;
	strlist_clear(&d->offer);
}

/* ---- categories from keywords ---- */

/* The category whose longest term is all among the keywords; its score
 * is the number of words matched (0: none). */
static const category *category_of(const dialog *d, const strlist *kw, int *score)
{
	const category *best = NULL;
	int bs = 0;
	for (int i = 0; i < d->ncats; i++) {
		const category *c = &d->cats[i];
		for (int t = 0; t < c->terms.n; t++) {
			char *term = xstrdup(c->terms.v[t]), *save = NULL;
			int words = 0, all = 1;
			for (char *w = strtok_r(term, " ", &save); w;
			     w = strtok_r(NULL, " ", &save)) {
				words++;
				if (!strlist_has(kw, w))
					all = 0;
			}
			free(term);
			if (all && words > bs) {
				bs = words;
				best = c;
			}
		}
	}
	*score = bs;
	return best;
}

/* Whether a path segment of n bytes is the keyword, in the keyword's
 * singular form ("toys" is "toy"). */
static int segment_is(const dialog *d, const char *seg, size_t n, const char *kw)
{
	char w[64], one[64];
	if (n >= sizeof(w))
		return 0;
	memcpy(w, seg, n);
	w[n] = 0;
	if (!strcasecmp(w, kw))
		return 1;
	intent_singular(d->v, w, one, sizeof(one));
	return !strcmp(one, kw);
}

/* A path segment named by a keyword ("pickleball" -> "sports/pickleball",
 * "toy" -> "toys"). */
static char *category_prefix(const dialog *d, const strlist *kw)
{
	for (int k = 0; k < kw->n; k++) {
		for (int i = 0; i < d->ncats; i++) {
			const char *p = d->cats[i].path;
			const char *slash = strchr(p, '/');
			const char *seg = slash ? slash + 1 : p;
			const char *end = strchr(seg, '/');
			size_t n = end ? (size_t)(end - seg) : strlen(seg);
			if (segment_is(d, seg, n, kw->v[k]))
				return xstrndup(p, (size_t)(seg - p) + n);
			if (slash && segment_is(d, p, (size_t)(slash - p), kw->v[k]))
				return xstrndup(p, (size_t)(slash - p));
		}
	}
	return NULL;
}

/* The category the state is about, as a path (leaf or prefix), or NULL. */
static char *state_category(const dialog *d, const char **name)
{
	int score;
	const category *c = category_of(d, &d->f.keywords, &score);
	if (name)
		*name = c ? c->name : NULL;
	if (c)
		return xstrdup(c->path);
	return category_prefix(d, &d->f.keywords);
}

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

static void add_money(strbuf *b, const char *cur, double v)
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

static void add_count(strbuf *b, double v)
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

static void add_list(strbuf *b, const strlist *l, const char *sep)
{
	for (int i = 0; i < l->n; i++) {
		if (i)
			sb_add(b, sep);
		char *s = text_sanitize(l->v[i], 0);
		sb_add(b, s);
		free(s);
	}
}

static void sep(strbuf *b)
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
			sep(b);
			add_list(b, &f->keywords, " ");
		}
		break;
	case FF_MARKET:
		if (f->market) {
			sep(b);
			sb_printf(b, "%s market",
			          !strcmp(f->market, "EU") || !strcmp(f->market, "US") ||
			                          !strcmp(f->market, "GB")
			                  ? (strcmp(f->market, "GB") ? f->market : "UK")
			                  : intent_country_name(d->v, f->market));
		}
		break;
	case FF_QUANTITY:
		if (f->quantity >= 0) {
			sep(b);
			add_count(b, f->quantity);
			sb_add(b, " units");
		}
		break;
	case FF_PRICE_MAX:
		if (f->price_min >= 0 && f->price_max >= 0) {
			sep(b);
			add_money(b, f->currency, f->price_min);
			sb_add(b, "-");
			add_money(b, f->currency, f->price_max);
			sb_add(b, "/unit");
		} else if (f->price_max >= 0) {
			sep(b);
			sb_add(b, "at most ");
			add_money(b, f->currency, f->price_max);
			sb_add(b, "/unit");
		} else if (f->price_min >= 0) {
			sep(b);
			sb_add(b, "at least ");
			add_money(b, f->currency, f->price_min);
			sb_add(b, "/unit");
		}
		break;
	case FF_MOQ_MAX:
		if (f->moq_max >= 0) {
			sep(b);
			sb_add(b, "MOQ at most ");
			add_count(b, f->moq_max);
		}
		break;
	case FF_LEAD_TIME:
		if (f->lead_time_max_days >= 0) {
			sep(b);
			sb_printf(b, "lead time at most %.0f days", f->lead_time_max_days);
		}
		break;
	case FF_SUPPLIER_COUNTRIES:
		if (f->supplier_countries.n) {
			sep(b);
			sb_add(b, "from ");
			add_countries(b, d, &f->supplier_countries, " or ");
		}
		break;
	case FF_EXCLUDE_COUNTRIES:
		if (f->exclude_countries.n) {
			sep(b);
			sb_add(b, "not from ");
			add_countries(b, d, &f->exclude_countries, " or ");
		}
		break;
	case FF_CERTIFICATIONS:
		if (f->certifications.n) {
			sep(b);
			add_list(b, &f->certifications, ", ");
		}
		break;
	case FF_VERIFIED:
		if (f->verified_only) {
			sep(b);
			sb_add(b, "verified suppliers");
		}
		break;
	case FF_MIN_RATING:
		if (f->min_rating >= 0) {
			sep(b);
			sb_printf(b, "rated %g+", f->min_rating);
		}
		break;
	case FF_MIN_YEARS:
		if (f->min_years >= 0) {
			sep(b);
			sb_printf(b, "%g+ years in business", f->min_years);
		}
		break;
	case FF_CUSTOMIZATION:
		if (f->customization) {
			sep(b);
			sb_add(b, "customization");
		}
		break;
	case FF_SAMPLES:
		if (f->samples) {
			sep(b);
			sb_add(b, "samples available");
		}
		break;
	case FF_BUSINESS_TYPE:
		if (f->business_type) {
			sep(b);
			sb_add(b, !strcmp(f->business_type, "trading") ? "trading companies"
			                                               : "manufacturers only");
		}
		break;
	case FF_INCOTERM:
		if (f->incoterm) {
			sep(b);
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

static void describe_state(const dialog *d, strbuf *b)
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

static void describe_changes(const dialog *d, unsigned changed, strbuf *b)
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
			sep(&s);
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

/* ---- results ---- */

/* Keywords the catalog never uses do not constrain the search: they would
 * only empty it (the reply names them, see unused_words). */
static int run_match(dialog *d, const souk_filter *f, match_result *res)
{
	if (!d->m)
		return -1;
	match_opts o;
	match_opts_init(&o);
	o.limit = 1;
	o.facets = 1;
	match_result_init(res);
	souk_err e;
	souk_filter g;
	filter_copy(&g, f);
	for (int i = 0; d->cv && i < f->keywords.n; i++)
		if (!vocab_docs(d->cv, f->keywords.v[i]))
			strlist_remove(&g.keywords, f->keywords.v[i]);
	int rc = match_run(d->m, &g, &o, res, &e);
	filter_free(&g);
	if (rc < 0) {
		match_result_free(res);
		return -1;
	}
	return 0;
}

/* "Not used: before, avail." */
static void unused_words(const dialog *d, strbuf *b)
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

/* Price at a share (0..1) of a histogram's mass. */
static double hist_quantile(const match_hist *h, double q)
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

static const market_rule *rule_for(const dialog *d, const char *cat, const char *market)
{
	const market_rule *best = NULL;
	size_t bl = 0;
	if (!cat || !market)
		return NULL;
	const char *region = money_region(market);
	for (int pass = 0; pass < 2 && !best; pass++) {
		const char *mk = pass == 0 ? market : region;
		if (!mk)
			continue;
		for (int i = 0; i < d->nrules; i++) {
			const market_rule *r = &d->rules[i];
			size_t pl = strlen(r->prefix);
			if (strcasecmp(r->market, mk) || strncmp(cat, r->prefix, pl) ||
			    (cat[pl] && cat[pl] != '/'))
				continue;
			if (pl > bl) {
				best = r;
				bl = pl;
			}
		}
	}
	return best;
}

/* Do the usual certifications differ between markets for this category? */
static int certs_differ_by_market(const dialog *d, const char *cat)
{
	const market_rule *first = NULL;
	if (!cat)
		return 0;
	for (int i = 0; i < d->nrules; i++) {
		const market_rule *r = &d->rules[i];
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

/* "LED strips for Germany usually need CE and RoHS. Require them?" */
static char *cert_offer(dialog *d)
{
	const char *name = NULL;
	char *cat = state_category(d, &name);
	const market_rule *r = rule_for(d, cat, d->f.market);
	char *q = NULL;
	if (r) {
		char key[128];
		snprintf(key, sizeof(key), "%s %s", r->prefix, d->f.market);
		strlist missing = {0};
		for (int i = 0; i < r->certs.n; i++)
			if (!strlist_has(&d->f.certifications, r->certs.v[i]))
				strlist_add(&missing, r->certs.v[i]);
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
				add_list(&b, &d->f.keywords, " ");
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
			if (r->why)
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

static char *next_question(dialog *d, const match_result *res, int have_res)
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
	if (f->market) {
		char *q = cert_offer(d);
		if (q)
			return q;
	}
	/* few results, or everything said: nothing more to ask */
	if (have_res && res->total <= 10)
		return NULL;
	if (f->market && f->quantity >= 0 && (f->price_max >= 0 || f->price_min >= 0))
		return NULL;
	char *cat = state_category(d, NULL);
	int differ = certs_differ_by_market(d, cat);
	free(cat);
	double lo = -1, hi = -1;
	if (have_res) {
		lo = hist_quantile(&res->price_hist, 0.1);
		hi = hist_quantile(&res->price_hist, 0.9);
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
			if (lo > 0 && hi > lo) {
				sb_add(&b, " Most offers are between ");
				add_money(&b, have_res ? res->currency : "USD", lo);
				sb_add(&b, " and ");
				add_money(&b, have_res ? res->currency : "USD", hi);
				sb_add(&b, ".");
			}
		}
		return sb_steal(&b);
	}
	return NULL;
}

/* ---- explore: a category overview ---- */

static void overview_leaf(dialog *d, const category *c, strbuf *b)
{
	souk_filter f;
	filter_init(&f);
	f.category = xstrdup(c->path);
	f.quantity = 100;
	match_result r100, r1k;
	int ok = run_match(d, &f, &r100) == 0;
	f.quantity = 1000;
	int ok2 = ok && run_match(d, &f, &r1k) == 0;
	sb_printf(b, "\n- %s", c->name);
	if (ok) {
		sb_add(b, ": ");
		add_count(b, (double)r100.total);
		sb_add(b, " products from ");
		add_count(b, (double)r100.suppliers);
		sb_add(b, " suppliers");
		if (r100.total > 0) {
			sb_add(b, "; ");
			add_money(b, r100.currency, hist_quantile(&r100.price_hist, 0.1));
			sb_add(b, "-");
			add_money(b, r100.currency, hist_quantile(&r100.price_hist, 0.9));
			sb_add(b, " at 100 pcs");
			if (ok2 && r1k.total > 0) {
				sb_add(b, ", ");
				add_money(b, r1k.currency, hist_quantile(&r1k.price_hist, 0.1));
				sb_add(b, "-");
				add_money(b, r1k.currency, hist_quantile(&r1k.price_hist, 0.9));
				sb_add(b, " at 1,000");
			}
			double moq = hist_quantile(&r100.moq_hist, 0.5);
			if (moq > 0) {
				sb_add(b, "; typical MOQ ");
				add_count(b, moq);
			}
		}
	}
	if (ok)
		match_result_free(&r100);
	if (ok2)
		match_result_free(&r1k);
	filter_free(&f);
}

static void overview(dialog *d, strbuf *b)
{
	int score;
	const category *leaf = category_of(d, &d->f.keywords, &score);
	char *prefix = category_prefix(d, &d->f.keywords);
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
		if (run_match(d, &f, &r) == 0) {
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

/* ---- turns ---- */

static enum intent_expect expect_of(enum question q)
{
	switch (q) {
	case Q_MARKET:
		return INTENT_EXPECT_MARKET;
	case Q_QUANTITY:
		return INTENT_EXPECT_QUANTITY;
	case Q_BUDGET:
		return INTENT_EXPECT_BUDGET;
	default:
		return INTENT_EXPECT_NONE;
	}
}

/* Whether the state names a whole branch ("pickleball", "yoga") and category
 * c lies inside it, so that "paddles" after "explore pickleball" narrows to
 * pickleball paddles while "yoga blocks" after "yoga mats" moves on. */
static int within_state(const dialog *d, const category *c)
{
	if (d->f.keywords.n != 1)
		return 0;
	char *path = category_prefix(d, &d->f.keywords);
	size_t n = path ? strlen(path) : 0;
	int in = path && !strncmp(c->path, path, n) && (c->path[n] == '/' || !c->path[n]);
	free(path);
	return in;
}

/* New product words replace the old ones when they name another category;
 * otherwise they refine ("in bamboo", "TPE", "paddles" within pickleball). */
static void keywords_merge(dialog *d, filter_delta *delta, int explore)
{
	strlist *add = &delta->add[FF_KEYWORDS];
	if (!add->n || !d->f.keywords.n || delta->reset)
		return;
	int sn, so;
	const category *cn = category_of(d, add, &sn);
	const category *co = category_of(d, &d->f.keywords, &so);
	if (explore || (cn && cn != co && !within_state(d, cn))) {
		strlist_copy(&delta->f.keywords, add);
		strlist_clear(add);
		delta->set |= 1u << FF_KEYWORDS;
	}
}

/* A step down in price: under the current cheapest share of the results. */
static void cheaper(dialog *d, filter_delta *delta, strbuf *b)
{
	double now = d->f.price_max, target = -1;
	match_result r;
	if (run_match(d, &d->f, &r) == 0) {
		double q = hist_quantile(&r.price_hist, 0.4);
		if (q > 0 && strcmp(r.currency, d->f.currency) == 0)
			target = q;
		match_result_free(&r);
	}
	if (now > 0 && (target < 0 || target >= now))
		target = now * 0.8;
	if (target <= 0) {
		sb_add(b, "Cheaper than what? Tell me a price per unit, e.g. \"under $5\". ");
		return;
	}
	target = target >= 10 ? round(target) : round(target * 100) / 100;
	delta->f.price_max = target;
	delta->set |= 1u << FF_PRICE_MAX;
	if (d->f.price_min >= target) {
		delta->f.price_min = -1;
		delta->set |= 1u << FF_PRICE_MIN;
	}
}

/* Keeps min <= max after a merge: the bound said last wins. */
static unsigned fix_price_order(dialog *d, const filter_delta *delta)
{
	souk_filter *f = &d->f;
	if (f->price_min < 0 || f->price_max < 0 || f->price_min <= f->price_max)
		return 0;
	if (delta->set & (1u << FF_PRICE_MAX)) {
		f->price_min = -1;
		return 1u << FF_PRICE_MIN;
	}
	f->price_max = -1;
	return 1u << FF_PRICE_MAX;
}

static void finish(dialog *d, strbuf *text, dialog_reply *out, int explore)
{
	match_result res;
	int have = run_match(d, &d->f, &res) == 0;
	if (explore) {
		overview(d, text);
		sb_add(text, "\n");
	}
	unused_words(d, text);
	sb_add(text, "Now: ");
	describe_state(d, text);
	if (have) {
		sb_add(text, ": ");
		add_count(text, (double)res.total);
		sb_add(text, res.total == 1 ? " product from " : " products from ");
		add_count(text, (double)res.suppliers);
		sb_add(text, res.suppliers == 1 ? " supplier." : " suppliers.");
		if (res.total == 0 && res.relax) {
			char *s = text_sanitize(res.relax, 0);
			sb_printf(text, " Nothing matches; to widen it: %s.", s);
			free(s);
		} else if (res.total == 0) {
			sb_add(text, " Nothing matches; try fewer product words or fewer filters.");
		}
	} else {
		sb_add(text, ".");
	}
	out->question = next_question(d, &res, have);
	if (have)
		match_result_free(&res);
	out->text = sb_steal(text);
}

int dialog_turn(dialog *d, const char *line, dialog_reply *out, souk_err *e)
{
	memset(out, 0, sizeof(*out));
	if (!line)
		line = "";
	while (isspace((unsigned char)*line))
		line++;
	if (*line == '/') {
		if (!strncmp(line, "/undo", 5) && (!line[5] || isspace((unsigned char)line[5])))
			return dialog_undo(d, out), 0;
		if (!strncmp(line, "/reset", 6) && (!line[6] || isspace((unsigned char)line[6])))
			line = "start over";
		else {
			out->is_command = 1;
			return 0;
		}
	}
	strbuf text;
	sb_init(&text);
	if (!*line) {
		sb_add(&text, "Tell me what you are looking for: a product, and if you like a "
		              "quantity, a budget, a market or supplier countries.");
		out->text = sb_steal(&text);
		return 0;
	}

	intent_ctx ctx;
	intent_ctx_init(&ctx);
	ctx.expect = expect_of(d->pending);
	/* the market was asked for earlier and is still open: a bare country fills it */
	if (d->pending == Q_NONE && (d->asked & (1u << Q_MARKET)) && !d->f.market)
		ctx.expect = INTENT_EXPECT_MARKET;
	ctx.last_country_field = d->last_country_field;
	ctx.have_suppliers = d->f.supplier_countries.n > 0;
	ctx.last_number_field = d->last_number_field;
	ctx.last_number_fields = d->last_number_fields;
	ctx.state = &d->f;
	ctx.catalog = d->cv;
	if (d->pending == Q_BUDGET)
		ctx.budget_hint = d->budget_hint;
	intent_result ir;
	intent_result_init(&ir);
	intent_parse(d->v, line, &ctx, &ir);

	if ((ir.intents & INTENT_UNDO) && filter_delta_is_empty(&ir.delta)) {
		intent_result_free(&ir);
		dialog_undo(d, out);
		return 0;
	}
	if (ir.intents & INTENT_HELP && filter_delta_is_empty(&ir.delta)) {
		intent_result_free(&ir);
		out->text = xstrdup(
		        "Say what you need in plain words, e.g. \"pickleball paddles for the US "
		        "under "
		        "$8, MOQ below 500\". Then refine: \"make it 3000 units\", \"also "
		        "Vietnam\", "
		        "\"drop CE\", \"forget the price limit\", \"cheaper\", \"more like #3\", "
		        "\"start over\". /undo takes back the last change.");
		return 0;
	}
	if ((ir.intents & (INTENT_YES | INTENT_NO)) && d->pending == Q_CERTS && d->offer.n) {
		if (ir.intents & INTENT_YES)
			for (int i = 0; i < d->offer.n; i++)
				strlist_add(&ir.delta.add[FF_CERTIFICATIONS], d->offer.v[i]);
		else
			sb_add(&text, "Fine, no certification filter for now. ");
	} else if ((ir.intents & (INTENT_YES | INTENT_NO)) && filter_delta_is_empty(&ir.delta)) {
		sb_add(&text, "Noted. ");
	}
	keywords_merge(d, &ir.delta, (ir.intents & INTENT_EXPLORE) != 0);
	if (ir.intents & INTENT_CHEAPER)
		cheaper(d, &ir.delta, &text);
	if (ir.intents & INTENT_SIMILAR) {
		out->similar_to_row = ir.similar_row;
		sb_printf(&text, "Looking for offers like row %d. ", ir.similar_row);
	}

	souk_filter before;
	filter_copy(&before, &d->f);
	int was_empty = filter_is_empty(&d->f);
	unsigned changed = filter_apply(&d->f, &ir.delta);
	changed |= fix_price_order(d, &ir.delta);
	if (changed)
		filter_history_push(&d->h, &before);
	filter_free(&before);
	out->changed = changed;
	static const int numeric[] = {FF_QUANTITY,  FF_PRICE_MAX,  FF_PRICE_MIN, FF_MOQ_MAX,
	                              FF_LEAD_TIME, FF_MIN_RATING, FF_MIN_YEARS};
	unsigned nums = 0;
	for (size_t k = 0; k < sizeof(numeric) / sizeof(*numeric); k++)
		if (ir.delta.set & (1u << numeric[k]) && !(ir.intents & INTENT_CHEAPER)) {
			if (!nums)
				d->last_number_field = numeric[k];
			nums |= 1u << numeric[k];
		}
	if (nums)
		d->last_number_fields = nums;
	if (ir.country_field != FF_COUNT)
		d->last_country_field = ir.country_field;
	if (ir.intents & INTENT_RESET) {
		d->asked = 0;
		strlist_clear(&d->offered);
		d->last_country_field = ir.country_field;
		sb_add(&text, "Starting over. ");
	}
	if (!ir.understood && !ir.notes.len) {
		sb_add(&text, "I did not find a product or a filter in that. ");
	} else if (changed && !was_empty && !(ir.intents & INTENT_RESET)) {
		describe_changes(d, changed, &text);
	} else if (!changed && !(ir.intents & (INTENT_SIMILAR | INTENT_YES | INTENT_NO)) &&
	           ir.understood && !(ir.intents & INTENT_EXPLORE)) {
		sb_add(&text, "Nothing changed. ");
	}
	if (ir.notes.len) {
		sb_add(&text, ir.notes.s);
		sb_add(&text, " ");
	}
	int explore = (ir.intents & INTENT_EXPLORE) != 0;
	/* a bare category as the first words also gets the overview */
	if (!explore && was_empty && ir.understood && d->f.keywords.n && d->f.keywords.n <= 2 &&
	    changed == (1u << FF_KEYWORDS)) {
		char *pre = category_prefix(d, &d->f.keywords);
		int sc;
		explore = pre != NULL && category_of(d, &d->f.keywords, &sc) == NULL;
		free(pre);
	}
	finish(d, &text, out, explore);
	intent_result_free(&ir);
	(void)e;
	return 0;
}

int dialog_edit(dialog *d, const filter_delta *delta, dialog_reply *out, souk_err *e)
{
	memset(out, 0, sizeof(*out));
	souk_filter before;
	filter_copy(&before, &d->f);
	unsigned changed = filter_apply(&d->f, delta);
	changed |= fix_price_order(d, delta);
	if (changed)
		filter_history_push(&d->h, &before);
	filter_free(&before);
	out->changed = changed;
	strbuf text;
	sb_init(&text);
	if (changed)
		describe_changes(d, changed, &text);
	match_result res;
	int have = run_match(d, &d->f, &res) == 0;
	sb_add(&text, "Now: ");
	describe_state(d, &text);
	if (have) {
		sb_add(&text, ": ");
		add_count(&text, (double)res.total);
		sb_add(&text, " products from ");
		add_count(&text, (double)res.suppliers);
		sb_add(&text, " suppliers.");
		match_result_free(&res);
	} else {
		sb_add(&text, ".");
	}
	out->text = sb_steal(&text);
	(void)e;
	return 0;
}

int dialog_undo(dialog *d, dialog_reply *out)
{
	memset(out, 0, sizeof(*out));
	souk_filter before;
	filter_copy(&before, &d->f);
	if (!filter_history_undo(&d->h, &d->f)) {
		filter_free(&before);
		out->text = xstrdup("Nothing to undo.");
		return 0;
	}
	filter_delta probe;
	filter_delta_init(&probe);
	for (int k = 0; k < FF_COUNT; k++)
		probe.set |= 1u << k;
	filter_free(&probe.f);
	filter_copy(&probe.f, &d->f);
	out->changed = filter_apply(&before, &probe);
	filter_delta_free(&probe);
	filter_free(&before);
	d->pending = Q_NONE;
	strbuf text;
	sb_init(&text);
	sb_add(&text, "Undone. Now: ");
	describe_state(d, &text);
	match_result res;
	if (run_match(d, &d->f, &res) == 0) {
		sb_add(&text, ": ");
		add_count(&text, (double)res.total);
		sb_add(&text, " products from ");
		add_count(&text, (double)res.suppliers);
		sb_add(&text, " suppliers.");
		match_result_free(&res);
	} else {
		sb_add(&text, ".");
	}
	out->text = sb_steal(&text);
	return 1;
}
