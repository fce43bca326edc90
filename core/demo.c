/* demo: the deterministic demo catalog (catalog_build_demo), generated from assets/demo. */
#include "catalog.h"
#include "match.h"
#include "ref.h"
#include "vocab.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "demo_int.h"
#include "money.h"

/* ---- a small PRNG of our own: rand() differs between libcs, and the demo
 * catalog must be the same everywhere for a given seed ---- */

typedef struct rng {
	uint64_t s;
} rng;

static uint64_t rng_next(rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static double rng_unit(rng *r)
{
	return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

static int rng_below(rng *r, int n)
{
	return n <= 1 ? 0 : (int)(rng_next(r) % (uint64_t)n);
}

static int rng_range(rng *r, int lo, int hi)
{
	return hi <= lo ? lo : lo + rng_below(r, hi - lo + 1);
}

static int rng_chance(rng *r, double p)
{
	return rng_unit(r) < p;
}

/* Log-uniform: prices and quantities spread by ratio, not by difference. */
static double rng_logu(rng *r, double lo, double hi)
{
	if (lo <= 0 || hi <= lo)
		return lo;
	return lo * exp(rng_unit(r) * log(hi / lo));
}

/* ---- generation ---- */

#define MAX_SUP_CATS 3

typedef struct gen_sup {
	int country, ncats, manufacturer;
	int cats[MAX_SUP_CATS];
	char exports[160]; /* " US DE EU " */
	const char *currency;
} gen_sup;

typedef struct gen {
	rng r;
	demo_vocab *v;
	const money_tables *money; /* the ref's */
	gen_sup *sups;
	long nsups;
	sqlite3_stmt *ins_sup, *ins_prod, *ins_tier, *ins_cert;
	strbuf a, b, c, d, f; /* scratch strings reused across rows */
} gen;

static void sb_reset(strbuf *b)
{
	b->len = 0;
	sb_addn(b, "", 0); /* allocates on first use, terminates after */
}

static int pick_country(gen *g)
{
	double x = rng_unit(&g->r) * g->v->country_total;

	for (int i = 0; i < g->v->ncountries; i++) {
		x -= g->v->countries[i].share;
		if (x < 0)
			return i;
	}
	return 0;
}

static const char *pick(rng *r, const vocab *v)
{
	return v->n ? v->v[rng_below(r, v->n)] : "";
}

static group_words *group_of(demo_vocab *v, const char *group)
{
	for (int i = 0; i < v->ngroups; i++)
		if (strcmp(v->groups[i].group, group) == 0)
			return &v->groups[i];
	return &v->groups[0];
}

static void gen_exports(gen *g, gen_sup *s, strbuf *out)
{
	int eu = 0;

	sb_reset(out);
	sb_addc(out, ' ');
	for (int i = 0; i < g->v->nmarkets; i++) {
		const char *m = g->v->markets[i].name;
		if (strcmp(m, g->v->countries[s->country].code) == 0)
			continue;
		if (rng_chance(&g->r, g->v->markets[i].share)) {
			sb_printf(out, "%s ", m);
			eu |= ref_is_eu(g->v->ref, m);
		}
	}
	if (out->len == 1)
		sb_add(out, "US ");
	if (eu)
		sb_add(out, "EU ");
	snprintf(s->exports, sizeof s->exports, "%s", out->s);
}

/* "Shenzhen Huaxin Electronic Technology Co., Ltd." and its kin. */
static void gen_sup_name(gen *g, const gen_sup *s, const country *c, const char *city, strbuf *out)
{
	const char *b1 = pick(&g->r, &g->v->brand), *b2 = pick(&g->r, &g->v->brand);
	const char *word =
	        s->manufacturer ? pick(&g->r, &group_of(g->v, g->v->cats[s->cats[0]].group)->words)
	        : rng_chance(&g->r, 0.5) ? "Trading"
	                                 : "Import & Export";
	int prefix = strcmp(c->suffix, "PT") == 0;

	sb_reset(out);
	if (prefix)
		sb_add(out, "PT ");
	if (strcmp(c->code, "CN") == 0 || rng_chance(&g->r, 0.15))
		sb_printf(out, "%s ", city);
	sb_printf(out, "%s", b1);
	for (const char *p = b2; *p; p++)
		sb_addc(out, (char)(p == b2 && *p >= 'A' && *p <= 'Z' ? *p + 32 : *p));
	sb_printf(out, " %s", word);
	if (!prefix)
		sb_printf(out, " %s", c->suffix);
}

static int gen_supplier(gen *g, long id, souk_err *e)
{
	gen_sup *s = &g->sups[id - 1];
	demo_vocab *v = g->v;
	const country *c;
	const char *city;
	group_words *grp;
	int verified, reviews, years;
	sqlite3_stmt *st = g->ins_sup;

	s->country = pick_country(g);
	c = &v->countries[s->country];
	s->manufacturer = rng_chance(&g->r, 0.65);
	s->cats[0] = rng_below(&g->r, v->ncats);
	grp = group_of(v, v->cats[s->cats[0]].group);
	s->ncats = 1 + rng_below(&g->r, MAX_SUP_CATS);
	for (int i = 1; i < s->ncats; i++)
		s->cats[i] = grp->cats[rng_below(&g->r, grp->ncats)];
	/* Some offers come in the supplier's own currency. */
	s->currency = "USD";
	if (strcmp(c->currency, "USD") != 0 &&
	    rng_chance(&g->r, strcmp(c->code, "CN") == 0 ? 0.12 : 0.6))
		s->currency = c->currency;
	city = pick(&g->r, &c->cities);
	gen_sup_name(g, s, c, city, &g->a);
	gen_exports(g, s, &g->b);
	sb_reset(&g->c);
	for (int i = 0; i < v->nscerts; i++)
		if (rng_chance(&g->r, v->scerts[i].share * (s->manufacturer ? 1.0 : 0.35)))
			sb_printf(&g->c, "|%s", v->scerts[i].name);
	if (g->c.len)
		sb_addc(&g->c, '|');
	verified = rng_chance(&g->r, 0.4);
	reviews = (int)floor(exp(rng_unit(&g->r) * log(2500.0))) - 1;
	years = 1 + (int)floor(28 * pow(rng_unit(&g->r), 1.4));

	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, g->a.s, (int)g->a.len, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, c->code, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, city, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, s->manufacturer ? "manufacturer" : "trading", -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 6, verified);
	sqlite3_bind_int(st, 7, rng_chance(&g->r, verified ? 0.85 : 0.35));
	sqlite3_bind_int(st, 8, 2025 - years);
	if (reviews == 0 && rng_chance(&g->r, 0.6))
		sqlite3_bind_null(st, 9);
	else
		sqlite3_bind_double(
		        st, 9,
		        round(10 * (3.5 + 1.5 * pow(rng_unit(&g->r), verified ? 0.45 : 0.7))) / 10);
	sqlite3_bind_int(st, 10, reviews);
	sqlite3_bind_double(st, 11, round(100 * (0.7 + 0.3 * rng_unit(&g->r))) / 100);
	sqlite3_bind_double(st, 12, round(10 * rng_logu(&g->r, 0.5, 48)) / 10);
	sqlite3_bind_double(st, 13, round(100 * (0.8 + 0.2 * pow(rng_unit(&g->r), 0.5))) / 100);
	sqlite3_bind_double(st, 14, round(100 * (0.05 + 0.6 * rng_unit(&g->r))) / 100);
	sqlite3_bind_int(
	        st, 15,
	        (int)(s->manufacturer ? rng_logu(&g->r, 20, 3000) : rng_logu(&g->r, 3, 80)));
	sqlite3_bind_text(st, 16, g->b.s, (int)g->b.len, SQLITE_STATIC);
	sqlite3_bind_text(st, 17, g->c.s, (int)g->c.len, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		err_set(e, "cannot write a demo supplier: %s",
		        sqlite3_errmsg(sqlite3_db_handle(st)));
		return -1;
	}
	return 0;
}

static int exports_to(const gen_sup *s, const char *market)
{
	char pat[8];

	if (strcmp(market, "*") == 0)
		return 1;
	snprintf(pat, sizeof pat, " %s ", market);
	return strstr(s->exports, pat) != NULL;
}

/* Rounds to the nearest 1, 2, 3 or 5 times a power of ten: MOQs look like 300, not 287. */
static long nice_qty(double q)
{
	static const double steps[] = {1, 2, 3, 5, 10};
	double p = pow(10, floor(log10(q < 1 ? 1 : q)));
	double best = p;

	for (size_t i = 0; i < sizeof steps / sizeof *steps; i++)
		if (fabs(steps[i] * p - q) < fabs(best - q))
			best = steps[i] * p;
	return (long)best;
}

static double round_price(double p)
{
	return p >= 0.1 ? round(p * 100) / 100 : round(p * 1000) / 1000;
}

/* Renders a title or description template: {attr} slots take this
 * product's attribute values, {cert} its first certificate. */
static void render(const char *tpl, const cat *c, const int *choice, const char *cert, strbuf *out)
{
	const char *p = tpl;

	sb_reset(out);
	while (*p) {
		const char *close;
		if (*p != '{' || (close = strchr(p, '}')) == NULL) {
			sb_addc(out, *p++);
			continue;
		}
		size_t n = (size_t)(close - p - 1);
		if (n >= 4 && strncmp(p + 1, "cert", 4) == 0 && (n == 4 || p[5] == ':')) {
			if (cert) {
				sb_add(out, cert);
				if (n > 4)
					sb_addn(out, p + 6, n - 5);
			}
		} else {
			for (int i = 0; i < c->nattrs; i++)
				if (strlen(c->attrs[i].name) == n &&
				    strncmp(c->attrs[i].name, p + 1, n) == 0)
					sb_add(out, c->attrs[i].values.v[choice[i]]);
		}
		p = close + 1;
	}
	/* Empty slots leave doubled or trailing spaces behind. */
	size_t j = 0;
	for (size_t i = 0; i < out->len; i++)
		if (out->s[i] != ' ' || (j > 0 && out->s[j - 1] != ' '))
			out->s[j++] = out->s[i];
	while (j > 0 && out->s[j - 1] == ' ')
		j--;
	out->s[j] = '\0';
	out->len = j;
}

static void json_str(strbuf *b, const char *s)
{
	sb_addc(b, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			sb_addc(b, '\\');
		sb_addc(b, (char)(*s >= 'A' && *s <= 'Z' ? *s + 32 : *s));
	}
	sb_addc(b, '"');
}

static int step_done(sqlite3_stmt *st, const char *what, souk_err *e)
{
	if (sqlite3_step(st) == SQLITE_DONE)
		return 0;
	err_set(e, "cannot write a demo %s: %s", what, sqlite3_errmsg(sqlite3_db_handle(st)));
	return -1;
}

/* ---- products: drawn on a thread, written by the caller ----
 *
 * Drawing a product (its random fields, its rendered texts) costs about as
 * much as SQLite's insert of it, so a thread draws batches of products
 * while the caller writes the batch before. All draws stay on the one
 * thread in one order, so a seed's catalog is the same as ever. */

#define MAX_TIERS  5
#define BATCH_ROWS 2048

/* The texts of a drawn product, in its batch's arena. */
enum { T_TITLE, T_DESC, T_ATTRS, T_CUSTOM, T_CERTS, NTEXT };

typedef struct prow {
	long id, sid, moq;
	int lead, samples, ntiers; /* samples: offered, at sample_price */
	double sample_price, weight, volume, lo, hi;
	const char *category, *incoterm, *port, *currency; /* the vocabulary's */
	uint32_t off[NTEXT], len[NTEXT];
	long tier_qty[MAX_TIERS];
	double tier_price[MAX_TIERS];
} prow;

typedef struct batch {
	prow rows[BATCH_ROWS];
	int n;
	strbuf text;
} batch;

static void gen_tiers(gen *g, prow *w, double price, double rate)
{
	long q = w->moq;
	double p = price;

	w->ntiers = rng_range(&g->r, 3, MAX_TIERS);
	w->hi = round_price(price * rate);
	for (int t = 0; t < w->ntiers; t++) {
		w->lo = round_price(p * rate);
		w->tier_qty[t] = q;
		w->tier_price[t] = w->lo;
		/* The next break is 2 to 10 times larger and 4-12 % cheaper. */
		q = nice_qty((double)q * rng_logu(&g->r, 2.5, 8));
		p *= 1 - (0.04 + 0.08 * rng_unit(&g->r));
	}
}

/* Certificates: what the supplier's markets require, now and then more,
 * as "|A|B|" in g->d; the first one (for the title), NULL when none. */
static const char *gen_certs(gen *g, const gen_sup *s, const cat *c)
{
	const char *first = NULL;

	sb_reset(&g->d);
	for (int i = 0; i < c->ncerts; i++) {
		const cert_rule *r = &c->certs[i];
		char pat[48];
		snprintf(pat, sizeof pat, "|%s|", r->name);
		if (strstr(g->d.s, pat) ||
		    !rng_chance(&g->r, exports_to(s, r->market) ? r->p : 0.08))
			continue;
		if (g->d.len == 0)
			sb_addc(&g->d, '|');
		sb_add(&g->d, r->name);
		sb_addc(&g->d, '|');
		if (first == NULL)
			first = r->name;
	}
	return first;
}

static void row_text(prow *w, strbuf *text, int k, const strbuf *from)
{
	w->off[k] = (uint32_t)text->len;
	w->len[k] = (uint32_t)from->len;
	sb_addn(text, from->s, from->len);
}

/* Long: one product's fields drawn in a fixed order; the order of the
 * draws is what makes a seed's catalog the same. */
static void gen_product(gen *g, long id, prow *w, strbuf *text)
{
	long sid = id <= g->nsups ? id : 1 + rng_below(&g->r, (int)g->nsups);
	const gen_sup *s = &g->sups[sid - 1];
	const country *co = &g->v->countries[s->country];
	const cat *c = &g->v->cats[s->cats[rng_below(&g->r, s->ncats)]];
	int choice[16] = {0};
	const char *first_cert;
	double usd, rate, factor, x;

	w->id = id;
	w->sid = sid;
	w->category = c->path;
	w->currency = s->currency;
	for (int i = 0; i < c->nattrs && i < 16; i++)
		choice[i] = rng_below(&g->r, c->attrs[i].values.n);
	first_cert = gen_certs(g, s, c);
	render(pick(&g->r, &c->titles), c, choice, first_cert, &g->a);
	render(c->desc, c, choice, first_cert, &g->b);
	sb_reset(&g->f);
	sb_addc(&g->f, '{');
	for (int i = 0; i < c->nattrs && i < 16; i++) {
		if (i)
			sb_addc(&g->f, ',');
		json_str(&g->f, c->attrs[i].name);
		sb_addc(&g->f, ':');
		json_str(&g->f, c->attrs[i].values.v[choice[i]]);
	}
	sb_addc(&g->f, '}');
	sb_reset(&g->c);
	for (int i = 0; i < c->custom.n; i++)
		if (rng_chance(&g->r, s->manufacturer ? 0.7 : 0.35)) {
			if (g->c.len)
				sb_addc(&g->c, '|');
			sb_add(&g->c, c->custom.v[i]);
		}

	/* Western suppliers cost more, trading companies add a margin. */
	factor = strstr(" US DE IT PT JP GB PL KR ", co->code) ? 1.35 : 1.0;
	factor *= s->manufacturer ? 0.95 : 1.08;
	usd = rng_logu(&g->r, c->price_lo, c->price_hi) * factor;
	w->moq = nice_qty(rng_logu(&g->r, c->moq_lo, c->moq_hi));
	rate = money_rate(g->money, s->currency);
	if (rate <= 0)
		rate = 1;
	gen_tiers(g, w, usd, rate);
	sb_printf(&g->b, " MOQ %ld pcs.", w->moq);

	w->lead = rng_range(&g->r, c->lead_lo, c->lead_hi);
	w->samples = rng_chance(&g->r, 0.7);
	if (w->samples)
		w->sample_price =
		        rng_chance(&g->r, 0.25) ? 0 : round_price(w->hi * rng_logu(&g->r, 1.5, 4));
	x = rng_unit(&g->r);
	w->incoterm = x < 0.55 ? "FOB" : x < 0.75 ? "EXW" : x < 0.9 ? "CIF" : "DDP";
	w->port = pick(&g->r, &co->ports);
	w->weight = round(c->weight * rng_logu(&g->r, 0.8, 1.25) * 1000) / 1000;
	w->volume = c->volume * rng_logu(&g->r, 0.8, 1.25);
	row_text(w, text, T_TITLE, &g->a);
	row_text(w, text, T_DESC, &g->b);
	row_text(w, text, T_ATTRS, &g->f);
	row_text(w, text, T_CUSTOM, &g->c);
	row_text(w, text, T_CERTS, &g->d);
}

static void bind_text(sqlite3_stmt *st, int i, const prow *w, const char *text, int k)
{
	sqlite3_bind_text(st, i, text + w->off[k], (int)w->len[k], SQLITE_STATIC);
}

/* Writes one drawn product: its certificates, its tiers, its row. */
static int row_write(gen *g, const prow *w, const char *text, souk_err *e)
{
	sqlite3_stmt *st = g->ins_prod;
	const char *c = text + w->off[T_CERTS], *end = c + w->len[T_CERTS];

	while (c < end && c + 1 < end) { /* "|A|B|" */
		const char *bar = memchr(c + 1, '|', (size_t)(end - c - 1));
		if (!bar)
			break;
		sqlite3_reset(g->ins_cert);
		sqlite3_bind_int64(g->ins_cert, 1, w->id);
		sqlite3_bind_text(g->ins_cert, 2, c + 1, (int)(bar - c - 1), SQLITE_STATIC);
		if (step_done(g->ins_cert, "certificate", e) < 0)
			return -1;
		c = bar;
	}
	for (int t = 0; t < w->ntiers; t++) {
		sqlite3_reset(g->ins_tier);
		sqlite3_bind_int64(g->ins_tier, 1, w->id);
		sqlite3_bind_int64(g->ins_tier, 2, w->tier_qty[t]);
		sqlite3_bind_double(g->ins_tier, 3, w->tier_price[t]);
		if (step_done(g->ins_tier, "price tier", e) < 0)
			return -1;
	}
	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, w->id);
	sqlite3_bind_int64(st, 2, w->sid);
	bind_text(st, 3, w, text, T_TITLE);
	bind_text(st, 4, w, text, T_DESC);
	sqlite3_bind_text(st, 5, w->category, -1, SQLITE_STATIC);
	bind_text(st, 6, w, text, T_ATTRS);
	sqlite3_bind_int64(st, 7, w->moq);
	sqlite3_bind_text(st, 8, "pcs", -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 9, w->lead);
	sqlite3_bind_int(st, 10, w->samples);
	if (w->samples)
		sqlite3_bind_double(st, 11, w->sample_price);
	else
		sqlite3_bind_null(st, 11);
	bind_text(st, 12, w, text, T_CUSTOM);
	sqlite3_bind_text(st, 13, w->incoterm, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 14, w->port, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 15, w->currency, -1, SQLITE_STATIC);
	sqlite3_bind_double(st, 16, w->weight);
	sqlite3_bind_double(st, 17, w->volume);
	sqlite3_bind_double(st, 18, w->lo);
	sqlite3_bind_double(st, 19, w->hi);
	bind_text(st, 20, w, text, T_CERTS);
	return step_done(st, "product", e);
}

/* Two batches pass between the drawing thread and the writer: full[k]
 * says batch k waits to be written. */
typedef struct draw_pipe {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	batch b[2];
	int full[2];
	int stop; /* the writer failed: draw no more */
	gen *g;
	long next, last; /* the next product to draw, the last one */
} draw_pipe;

static void draw_batch(draw_pipe *p, batch *b)
{
	b->n = 0;
	b->text.len = 0;
	for (; p->next <= p->last && b->n < BATCH_ROWS; p->next++)
		gen_product(p->g, p->next, &b->rows[b->n++], &b->text);
}

static void *draw_run(void *arg)
{
	draw_pipe *p = arg;

	for (int k = 0; p->next <= p->last; k ^= 1) {
		int stop;
		pthread_mutex_lock(&p->mu);
		while (p->full[k] && !p->stop)
			pthread_cond_wait(&p->cv, &p->mu);
		stop = p->stop;
		pthread_mutex_unlock(&p->mu);
		if (stop)
			break;
		draw_batch(p, &p->b[k]);
		pthread_mutex_lock(&p->mu);
		p->full[k] = 1;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
	}
	return NULL;
}

static void pipe_set(draw_pipe *p, int k, int full, int stop)
{
	pthread_mutex_lock(&p->mu);
	p->full[k] = full;
	p->stop |= stop;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

/* Products 1..n, drawn on a thread (here, when none can start) and
 * written here in order. */
static int gen_products(gen *g, long n, long total, void (*progress)(double, void *), void *arg,
                        souk_err *e)
{
	draw_pipe *p = xcalloc(1, sizeof *p);
	pthread_t th;
	int threaded, rc = 0;
	long written = 0;

	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	p->g = g;
	p->next = 1;
	p->last = n;
	threaded = pthread_create(&th, NULL, draw_run, p) == 0;
	for (int k = 0; rc == 0 && written < n; k ^= 1) {
		batch *b = &p->b[k];
		if (!threaded) {
			draw_batch(p, b);
		} else {
			pthread_mutex_lock(&p->mu);
			while (!p->full[k])
				pthread_cond_wait(&p->cv, &p->mu);
			pthread_mutex_unlock(&p->mu);
		}
		for (int i = 0; i < b->n && rc == 0; i++)
			rc = row_write(g, &b->rows[i], b->text.s, e);
		written += b->n;
		if (threaded)
			pipe_set(p, k, 0, rc < 0);
		if (progress)
			progress(0.9 * (double)(g->nsups + written) / (double)total, arg);
	}
	if (threaded)
		pthread_join(th, NULL);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv);
	sb_free(&p->b[0].text);
	sb_free(&p->b[1].text);
	free(p);
	return rc;
}

static const char sql_sup[] =
        "INSERT INTO suppliers(id, name, country, city, business_type, verified, "
        "trade_assurance, year_established, rating, review_count, response_rate, "
        "response_hours, on_time_rate, reorder_rate, staff, export_markets, certifications) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)";
static const char sql_prod[] =
        "INSERT INTO products(id, supplier_id, title, description, category, attributes, moq, "
        "moq_unit, lead_time_days, samples, sample_price, customization, incoterm, port, "
        "currency, weight_kg, volume_m3, price_lo, price_hi, certs) VALUES (?1, ?2, ?3, ?4, ?5, "
        "?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)";

static int db_err(sqlite3 *db, souk_err *e)
{
	err_set(e, "cannot build the demo catalog: %s", sqlite3_errmsg(db));
	return -1;
}

static int exec(sqlite3 *db, const char *sql, souk_err *e)
{
	return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : db_err(db, e);
}

static int write_meta(sqlite3 *db, gen *g, unsigned seed, souk_err *e)
{
	sqlite3_stmt *st;
	char built[32], num[32];
	time_t now = time(NULL);
	struct tm tm;
	const char *kv[][2] = {{"name", "demo"},
	                       {"built_at", built},
	                       {"fx_date", money_fx_date(g->money)},
	                       {"demo_seed", num},
	                       {NULL, NULL}};

	gmtime_r(&now, &tm);
	strftime(built, sizeof built, "%Y-%m-%dT%H:%M:%SZ", &tm);
	snprintf(num, sizeof num, "%u", seed);
	if (sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", -1, &st,
	                       NULL) != SQLITE_OK)
		return db_err(db, e);
	for (int i = 0; kv[i][0]; i++) {
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, kv[i][0], -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, kv[i][1] ? kv[i][1] : "", -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE) {
			sqlite3_finalize(st);
			return db_err(db, e);
		}
	}
	sqlite3_finalize(st);
	return 0;
}

static int write_categories(sqlite3 *db, demo_vocab *v, souk_err *e)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO categories(path, name) VALUES (?, ?)", -1,
	                       &st, NULL) != SQLITE_OK)
		return db_err(db, e);
	for (int i = 0; i < v->tax_path.n; i++) {
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, v->tax_path.v[i], -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, v->tax_name.v[i], -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE) {
			sqlite3_finalize(st);
			return db_err(db, e);
		}
	}
	sqlite3_finalize(st);
	return 0;
}

/* The insert trigger would update the FTS index row by row and the two
 * product indexes would take random inserts: one FTS 'rebuild' and one
 * sorted index build at the end are about twice as fast, so they are set
 * aside during the bulk load and restored verbatim. */
static const char *const bulk_objects[] = {"products_ai", "products_supplier", "products_category"};
#define NBULK (sizeof bulk_objects / sizeof *bulk_objects)

static int bulk_suspend(sqlite3 *db, char **saved)
{
	for (size_t i = 0; i < NBULK; i++)
		if ((saved[i] = catalog_schema_suspend(db, bulk_objects[i])) == NULL)
			return -1;
	return 0;
}

/* Indexes first, the trigger last: the rebuild must not run it. */
static int bulk_restore(sqlite3 *db, char **saved, souk_err *e)
{
	for (size_t i = NBULK; i-- > 1;)
		if (exec(db, saved[i], e) < 0)
			return -1;
	if (exec(db,
	         "INSERT INTO products_fts(products_fts, rank) VALUES ('automerge', 0);"
	         "INSERT INTO products_fts(products_fts) VALUES ('rebuild');"
	         "INSERT INTO products_fts(products_fts, rank) VALUES ('automerge', 4)",
	         e) < 0)
		return -1;
	return exec(db, saved[0], e);
}

static int gen_all(gen *g, sqlite3 *db, long nproducts, unsigned seed,
                   void (*progress)(double, void *), void *arg, souk_err *e)
{
	long total = g->nsups + nproducts;
	char *saved[NBULK] = {NULL};
	int rc = -1;

	if (exec(db, "BEGIN", e) < 0)
		goto out;
	if (bulk_suspend(db, saved) < 0) {
		db_err(db, e);
		goto out;
	}
	if (sqlite3_prepare_v2(db, sql_sup, -1, &g->ins_sup, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, sql_prod, -1, &g->ins_prod, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO price_tiers VALUES (?, ?, ?)", -1, &g->ins_tier,
	                       NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO product_certs VALUES (?, ?)", -1, &g->ins_cert,
	                       NULL) != SQLITE_OK) {
		db_err(db, e);
		goto out;
	}
	for (long i = 1; i <= g->nsups; i++)
		if (gen_supplier(g, i, e) < 0)
			goto out;
	if (gen_products(g, nproducts, total, progress, arg, e) < 0)
		goto out;
	if (write_categories(db, g->v, e) < 0 || write_meta(db, g, seed, e) < 0 ||
	    catalog_touch(db, e) < 0)
		goto out;
	if (progress)
		progress(0.9, arg);
	if (bulk_restore(db, saved, e) < 0 || exec(db, "COMMIT", e) < 0)
		goto out;
	rc = 0;
out:
	sqlite3_finalize(g->ins_sup);
	sqlite3_finalize(g->ins_prod);
	sqlite3_finalize(g->ins_tier);
	sqlite3_finalize(g->ins_cert);
	g->ins_sup = g->ins_prod = g->ins_tier = g->ins_cert = NULL;
	for (size_t i = 0; i < NBULK; i++)
		free(saved[i]);
	return rc;
}

/* Suppliers: one per ten products up to the default size (3,000 for
 * 30,000), then one per twenty (50,000 for a million). */
static long demo_suppliers(long nproducts)
{
	long n = nproducts <= CATALOG_DEMO_PRODUCTS ? nproducts / 10 : nproducts / 20;

	if (nproducts > CATALOG_DEMO_PRODUCTS && n < CATALOG_DEMO_PRODUCTS / 10)
		n = CATALOG_DEMO_PRODUCTS / 10;
	return n < 1 ? 1 : n;
}

static int build_into(const char *tmp, gen *g, long nproducts, unsigned seed,
                      void (*progress)(double, void *), void *arg, souk_err *e)
{
	sqlite3 *db;
	int rc;

	if (catalog_open(tmp, 0, &db, e) < 0)
		return -1;
	/* A temp file nobody else sees: no journal, no fsync until the end.
	 * Helper threads for the sorts of the index builds at the end (see
	 * import_buffer). */
	rc = exec(db,
	          "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA foreign_keys=OFF;"
	          "PRAGMA cache_size=-65536; PRAGMA threads=2",
	          e);
	if (rc == 0)
		rc = gen_all(g, db, nproducts, seed, progress, arg, e);
	if (rc == 0)
		rc = exec(db, "PRAGMA synchronous=FULL; PRAGMA journal_mode=WAL", e);
	if (rc == 0 && sqlite3_close(db) != SQLITE_OK) {
		err_set(e, "cannot finish the demo catalog %s", tmp);
		return -1;
	}
	if (rc < 0)
		sqlite3_close(db);
	return rc;
}

int catalog_build_demo(const char *path, const char *assets, long nproducts, unsigned seed,
                       void (*progress)(double done, void *arg), void *arg, souk_err *e)
{
	demo_vocab v;
	gen g;
	char *tmp;
	int rc;

	if (nproducts < 1 || nproducts > 100000000L) {
		err_set(e, "demo size %ld is out of range (1 to 100,000,000 products)", nproducts);
		return -1;
	}
	if (demo_vocab_load(&v, assets, e) < 0)
		return -1;
	memset(&g, 0, sizeof g);
	g.v = &v;
	g.r.s = 0x5eed000000000000ull ^ seed;
	g.money = ref_money(v.ref);
	g.nsups = demo_suppliers(nproducts);
	g.sups = xcalloc((size_t)g.nsups, sizeof *g.sups);
	tmp = xasprintf("%s.tmp-%ld", path, (long)getpid());
	catalog_remove(tmp);
	rc = build_into(tmp, &g, nproducts, seed, progress, arg, e);
	if (rc == 0) {
		/* A WAL left by the old file would be replayed into the new one. */
		char *w = xasprintf("%s-wal", path), *s = xasprintf("%s-shm", path);
		unlink(w);
		unlink(s);
		free(w);
		free(s);
		if (rename(tmp, path) != 0) {
			err_set(e, "cannot write %s (check the directory exists and is writable)",
			        path);
			rc = -1;
		}
	}
	if (rc < 0)
		catalog_remove(tmp);
	if (rc == 0)
		rc = match_build_caches(path, v.ref, e);
	if (rc == 0 && progress)
		progress(1.0, arg);
	free(tmp);
	free(g.sups);
	sb_free(&g.a);
	sb_free(&g.b);
	sb_free(&g.c);
	sb_free(&g.d);
	sb_free(&g.f);
	demo_vocab_free_lists(&v);
	return rc;
}
