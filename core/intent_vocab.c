/* intent_vocab: the interpreter's vocabularies (assets/intent), string map, singulars, keywords. */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intent_int.h"
#include "money.h"
#include "ref.h"
#include "tsv.h"
#include "text.h"

/* ---- words to numbers (core/map) ---- */

static void smap_put(smap *m, const char *key, int val)
{
	int added;
	long i;

	if (!m->m)
		m->m = map_new(MAP_CASE);
	i = map_add(m->m, key, &added);
	if (added)
		map_set_num(m->m, i, val);
}

int smap_get(const smap *m, const char *key)
{
	return m->m ? (int)map_get_num(m->m, key, -1) : -1;
}

static void smap_free(smap *m)
{
	map_free(m->m);
	m->m = NULL;
}

/* ---- vocabularies ---- */

typedef void (*line_fn)(intent_vocab *v, char **f, int nf);

/* Reads one asset file through the one asset reader (tsv), giving each
 * record of at least minf fields (at most 8 are passed) to fn. */
static int vocab_file(intent_vocab *v, const char *assets, const char *name, int minf, line_fn fn,
                      souk_err *e)
{
	char *path = xasprintf("%s/%s", assets, name);
	tsv t;

	if (tsv_open(&t, path, e) < 0) {
		free(path);
		return -1;
	}
	while (tsv_next(&t))
		if (t.nf >= minf)
			fn(v, t.f, t.nf < 8 ? t.nf : 8);
	tsv_close(&t);
	free(path);
	return 0;
}

static int count_words(const char *s)
{
	int n = 1;
	for (; *s; s++)
		n += *s == ' ';
	return n;
}

/* Dots are dropped from country names so "U.S.A." and "usa" meet. */
void intent_undot(const char *s, char *out, size_t n)
{
	size_t j = 0;
	for (; *s && j + 1 < n; s++)
		if (*s != '.')
			out[j++] = (char)tolower((unsigned char)*s);
	out[j] = 0;
}

/* Each name of a reference list (core/ref) read as val: lower case,
 * dots dropped when dots; an '=' before a certification's alias (it
 * counts only in capitals) sets val's low bit. */
static void put_ref_list(smap *m, const char *const *w, int n, int val, int *maxw, int dots)
{
	for (int i = 0; i < n; i++) {
		const char *a = w[i];
		char key[128];
		int v = val;
		if (*a == '=') {
			a++;
			v |= 1;
		}
		if (dots)
			intent_undot(a, key, sizeof(key));
		else
			snprintf(key, sizeof(key), "%s", a);
		text_lower(key);
		if (!*key)
			continue;
		smap_put(m, key, v);
		if (count_words(key) > *maxw)
			*maxw = count_words(key);
	}
}

static int country_slot(intent_vocab *v)
{
	int i = v->ncountries++;

	v->countries = xgrow(v->countries, i, sizeof(*v->countries));
	memset(&v->countries[i], 0, sizeof(v->countries[i]));
	return i;
}

/* A country: its names read as i * 2, its adjectives as i * 2 + 1. */
static void add_country(intent_vocab *v, const souk_ref *r, const ref_country *c)
{
	int i = country_slot(v);
	char *first = xstrdup(c->name);

	snprintf(v->countries[i].code, sizeof(v->countries[i].code), "%s", c->code);
	v->countries[i].eu = ref_is_eu(r, c->code);
	/* Display names: capitalise each word ("south korea" -> "South Korea"). */
	for (char *p = first; *p; p++)
		if (p == first || p[-1] == ' ')
			*p = (char)toupper((unsigned char)*p);
	if (strlen(first) <= 3)
		first = (free(first), xstrdup(c->code));
	v->countries[i].name = first;
	put_ref_list(&v->country, c->names, c->nnames, i * 2, &v->country_words, 1);
	put_ref_list(&v->country, c->adjectives, c->nadjectives, i * 2 + 1, &v->country_words, 1);
}

/* A region a buyer names (a grouping with a code of its own: "southeast
 * asia"): it stands for its member countries. */
static void add_region(intent_vocab *v, const ref_country *c)
{
	int i = country_slot(v);

	snprintf(v->countries[i].code, sizeof(v->countries[i].code), "%s", c->code);
	for (int k = 0; k < c->nmembers; k++)
		strlist_add(&v->countries[i].members, c->members[k]);
	v->countries[i].name = xstrdup(c->name);
	put_ref_list(&v->country, c->names, c->nnames, i * 2 + 1, &v->country_words, 1);
}

/* Countries and regions from the reference data: a two-letter code is a
 * country (the EU among them, as a market), a longer one a region. */
static void add_places(intent_vocab *v, const souk_ref *r)
{
	for (int i = 0; i < ref_country_count(r); i++) {
		const ref_country *c = ref_country_at(r, i);
		size_t n = strlen(c->code);
		if (n == 2)
			add_country(v, r, c);
		else if (c->nmembers && n < sizeof(v->countries[0].code))
			add_region(v, c);
	}
}

/* Certifications: aliases read as i * 2 (+1 for an alias that counts
 * only in capitals), the canonical name as i * 2. */
static void add_certs(intent_vocab *v, const souk_ref *r)
{
	for (int i = 0; i < ref_cert_count(r); i++) {
		const ref_cert *c = ref_cert_at(r, i);
		char canon[64];
		v->certs = xgrow(v->certs, v->ncerts, sizeof(*v->certs));
		v->certs[v->ncerts++] = xstrdup(c->name);
		snprintf(canon, sizeof(canon), "%s", c->name);
		text_lower(canon);
		put_ref_list(&v->cert, c->aliases, c->naliases, i * 2, &v->cert_words, 0);
		smap_put(&v->cert, canon, i * 2);
	}
}

static void line_stop(intent_vocab *v, char **f, int nf)
{
	char *save = NULL;
	for (char *w = strtok_r(f[0], " ", &save); w; w = strtok_r(NULL, " ", &save))
		smap_put(&v->stop, w, 1);
}

static void line_number(intent_vocab *v, char **f, int nf)
{
	int i = v->nnum++;
	v->numval = xgrow(v->numval, v->nnum - 1, sizeof(double));
	v->numscale = xgrow(v->numscale, v->nnum - 1, sizeof(int));
	v->numval[i] = strtod(f[1], NULL);
	v->numscale[i] = nf > 2 && !strcmp(f[2], "scale");
	smap_put(&v->numw, f[0], i);
}

static void line_unit(intent_vocab *v, char **f, int nf)
{
	static const char *const kinds[] = {"qty", "time", "years", "star", "thousand", "spec"};
	int i = v->nunits++;
	v->ukind = xgrow(v->ukind, v->nunits - 1, sizeof(int));
	v->ufactor = xgrow(v->ufactor, v->nunits - 1, sizeof(double));
	v->ukind[i] = U_SPEC;
	for (int k = 0; k < 6; k++)
		if (!strcmp(f[1], kinds[k]))
			v->ukind[i] = k;
	v->ufactor[i] = nf > 2 ? strtod(f[2], NULL) : 1;
	smap_put(&v->units, f[0], i);
}

static void add_currency(intent_vocab *v, const char *word, const char *codes, double scale,
                         int flags)
{
	if (smap_get(&v->cur, word) >= 0)
		return;
	int i = v->ncur++;
	v->curcode = xgrow(v->curcode, v->ncur - 1, sizeof(*v->curcode));
	v->curscale = xgrow(v->curscale, v->ncur - 1, sizeof(double));
	v->curflags = xgrow(v->curflags, v->ncur - 1, sizeof(int));
	memset(v->curcode[i], 0, sizeof(*v->curcode));
	for (int k = 0; k < 4 && *codes; k++) {
		snprintf(v->curcode[i][k], 4, "%.*s", (int)strcspn(codes, "|"), codes);
		codes += strcspn(codes, "|");
		codes += *codes == '|';
	}
	v->curscale[i] = scale;
	v->curflags[i] = flags;
	smap_put(&v->cur, word, i);
}

static void line_currency(intent_vocab *v, char **f, int nf)
{
	add_currency(v, f[0], f[1], nf > 2 ? strtod(f[2], NULL) : 1,
	             nf > 3 && !strcmp(f[3], "comma") ? CUR_COMMA : 0);
}

/* Every currency the FX table converts is also read by its code. */
static void add_fx(intent_vocab *v, const money_tables *t)
{
	for (int i = 0; i < money_fx_count(t); i++) {
		const char *code = money_fx_code(t, i);
		char low[4];
		v->fx = xgrow(v->fx, v->nfx, sizeof(*v->fx));
		snprintf(v->fx[v->nfx++], 4, "%s", code);
		snprintf(low, sizeof(low), "%s", code);
		text_lower(low);
		int known = smap_get(&v->cur, low);
		add_currency(v, low, code, 1, CUR_CODE | (known >= 0 ? v->curflags[known] : 0));
	}
}

/* The currency of a country: the FX table's code that begins with its ISO
 * code ("CA" -> "CAD"), or NULL. */
const char *intent_country_currency(const intent_vocab *v, const char *cc)
{
	for (int i = 0; cc && i < v->nfx; i++)
		if (!strncmp(v->fx[i], cc, 2))
			return v->fx[i];
	return NULL;
}

static void line_plural(intent_vocab *v, char **f, int nf)
{
	int i = v->nplural++;
	v->plural_to = xgrow(v->plural_to, v->nplural - 1, sizeof(char *));
	v->plural_to[i] = xstrdup(f[1]);
	smap_put(&v->plural, f[0], i);
}

static void line_wclass(intent_vocab *v, char **f, int nf)
{
	static const char *const names[] = {"",      "buyer", "person", "model",
	                                    "grade", "pack",  "part"};
	(void)nf;
	for (int k = 1; k < (int)(sizeof(names) / sizeof(*names)); k++)
		if (!strcmp(f[1], names[k]))
			smap_put(&v->wclass, f[0], k);
}

static void line_typo(intent_vocab *v, char **f, int nf)
{
	(void)nf;
	char *save = NULL;
	for (char *w = strtok_r(f[0], " ", &save); w; w = strtok_r(NULL, " ", &save))
		strlist_add(&v->typo, w);
}

static void line_compound(intent_vocab *v, char **f, int nf)
{
	(void)nf;
	smap_put(&v->compound, f[0], 1);
	if (count_words(f[0]) > v->compound_words)
		v->compound_words = count_words(f[0]);
}

static void line_superlative(intent_vocab *v, char **f, int nf)
{
	static const char *const names[INTENT_BEST_COUNT] = {"price", "lead", "rating", "moq",
	                                                     "landed"};
	(void)nf;
	for (int k = 0; k < INTENT_BEST_COUNT; k++)
		if (!strcmp(f[1], names[k])) {
			smap_put(&v->superlative, f[0], k);
			if (count_words(f[0]) > v->superlative_words)
				v->superlative_words = count_words(f[0]);
		}
}

/* The files of the vocabulary, read in this order: a line with fewer than
 * minf fields is passed over. */
static const struct {
	const char *name;
	int minf;
	line_fn fn;
} vocab_files[] = {
        {"intent/stopwords.txt", 1, line_stop},
        {"intent/numbers.tsv", 2, line_number},
        {"intent/units.tsv", 2, line_unit},
        {"intent/currency.tsv", 2, line_currency},
        {"intent/plurals.tsv", 2, line_plural},
        {"intent/wordclass.tsv", 2, line_wclass},
        {"intent/compounds.tsv", 1, line_compound},
        {"intent/typo_targets.txt", 1, line_typo},
        {"intent/superlatives.tsv", 2, line_superlative},
};

intent_vocab *intent_vocab_load(const souk_ref *r, souk_err *e)
{
	intent_vocab *v = xcalloc(1, sizeof(*v));
	const char *assets = ref_assets(r);

	add_places(v, r);
	add_certs(v, r);
	for (size_t k = 0; k < sizeof(vocab_files) / sizeof(*vocab_files); k++) {
		if (vocab_file(v, assets, vocab_files[k].name, vocab_files[k].minf,
		               vocab_files[k].fn, e) < 0) {
			intent_vocab_free(v);
			return NULL;
		}
	}
	add_fx(v, ref_money(r));
	if ((v->places = gazetteer_load(assets, e)) == NULL) {
		intent_vocab_free(v);
		return NULL;
	}
	if (!v->ncountries || !v->ncerts) {
		err_set(e,
		        "the vocabularies under %s are empty (reinstall souk or set SOUK_ASSETS)",
		        assets);
		intent_vocab_free(v);
		return NULL;
	}
	return v;
}

void intent_vocab_free(intent_vocab *v)
{
	if (!v)
		return;
	smap_free(&v->stop);
	smap_free(&v->numw);
	smap_free(&v->units);
	smap_free(&v->cur);
	smap_free(&v->plural);
	smap_free(&v->country);
	smap_free(&v->cert);
	smap_free(&v->wclass);
	smap_free(&v->compound);
	smap_free(&v->superlative);
	strlist_clear(&v->typo);
	gazetteer_free(v->places);
	free(v->numval);
	free(v->numscale);
	free(v->ukind);
	free(v->ufactor);
	free(v->curcode);
	free(v->curscale);
	free(v->curflags);
	free(v->fx);
	for (int i = 0; i < v->nplural; i++)
		free(v->plural_to[i]);
	free(v->plural_to);
	for (int i = 0; i < v->ncountries; i++) {
		free(v->countries[i].name);
		strlist_clear(&v->countries[i].members);
	}
	free(v->countries);
	for (int i = 0; i < v->ncerts; i++)
		free(v->certs[i]);
	free(v->certs);
	free(v);
}

const char *intent_country_name(const intent_vocab *v, const char *code)
{
	for (int i = 0; v && code && i < v->ncountries; i++)
		if (util_strieq(v->countries[i].code, code))
			return v->countries[i].name;
	return code;
}

const char *intent_country_code(const intent_vocab *v, const char *name)
{
	char key[128];
	intent_undot(name, key, sizeof(key));
	int i = smap_get(&v->country, key);
	return i < 0 ? NULL : v->countries[i / 2].code;
}

const char *intent_cert_canonical(const intent_vocab *v, const char *alias)
{
	char key[128];
	snprintf(key, sizeof(key), "%s", alias);
	text_lower(key);
	int i = smap_get(&v->cert, key);
	return i < 0 ? NULL : v->certs[i / 2];
}

static int has_digit(const char *s)
{
	for (; *s; s++)
		if (isdigit((unsigned char)*s))
			return 1;
	return 0;
}

int intent_ends(const char *s, size_t n, const char *suf)
{
	size_t k = strlen(suf);
	return n >= k && !memcmp(s + n - k, suf, k);
}

/* Singular of one word (no hyphen): the table first, then English rules. */
static void singular_word(const intent_vocab *v, char *w)
{
	size_t n = strlen(w);
	int i = smap_get(&v->plural, w);
	if (i >= 0) {
		snprintf(w, WORD_MAX, "%s", v->plural_to[i]);
		return;
	}
	if (n <= 3 || has_digit(w) || w[n - 1] != 's')
		return;
	if (intent_ends(w, n, "ss") || intent_ends(w, n, "us") || intent_ends(w, n, "is") ||
	    intent_ends(w, n, "'s"))
		return;
	if (intent_ends(w, n, "ies") && n > 4) {
		/* "scrunchies", "cookies", "veggies", "selfies", "movies" keep -ie;
		 * "batteries", "supplies", "puppies" take -y */
		char c = w[n - 4];
		if (intent_ends(w, n, "chies") || c == 'k' || c == 'g' || c == 'f' || c == 'v' ||
		    (c == 's' && w[n - 5] != 's'))
			w[n - 1] = 0;
		else
			strcpy(w + n - 3, "y");
	} else if (intent_ends(w, n, "sses") || intent_ends(w, n, "shes") ||
	           intent_ends(w, n, "ches") || intent_ends(w, n, "xes") ||
	           intent_ends(w, n, "zzes")) {
		w[n - 2] = 0;
	} else {
		w[n - 1] = 0;
	}
}

void intent_singular(const intent_vocab *v, const char *word, char *out, size_t n)
{
	char w[WORD_MAX];
	snprintf(w, sizeof(w), "%s", word);
	text_lower(w);
	char *dash = strrchr(w, '-');
	singular_word(v, dash ? dash + 1 : w);
	snprintf(out, n, "%s", w);
}

/* ---- keywords ---- */

/* How much each sentence reads as the request: a number in it (a quantity,
 * a price) counts 2, a verb of buying or selling 1. A long message keeps
 * the keywords of its request before those of its story (at most
 * MAX_KEYWORDS of them are kept). */
static void sentence_weights(const parse *p, int *weight)
{
	static const char *const verbs[] = {
	        "buy",       "buying", "stock",    "stocking", "sell", "selling", "source",
	        "sourcing",  "order",  "ordering", "want",     "need", "looking", "import",
	        "importing", "carry",  "supply",   "purchase", "get",  "find",    NULL};
	int start = 0;

	for (int i = 0; i < p->n; i++) {
		if (!intent_sentence_end(p, i))
			continue;
		int w = 0, num = 0, verb = 0;
		for (int k = start; k <= i; k++) {
			num |= p->t[k].kind == T_NUM;
			verb |= intent_is_in(p, k, verbs);
		}
		w = 2 * num + verb;
		for (int k = start; k <= i; k++)
			weight[k] = w;
		start = i + 1;
	}
}

static int keyword_of(const parse *p, int i, char *w, size_t wn);

void intent_find_keywords(parse *p)
{
	int *weight = xcalloc((size_t)p->n + 1, sizeof *weight);
	strlist chosen = {0};
	char w[WORD_MAX];
	int most = 0;

	sentence_weights(p, weight);
	/* a word the catalog has outranks one it never uses (which would not
	 * constrain the search anyway) within the same kind of sentence */
	for (int i = 0; i < p->n; i++) {
		weight[i] *= 2;
		if (keyword_of(p, i, w, sizeof w) && p->ctx && p->ctx->catalog &&
		    vocab_docs(p->ctx->catalog, w) > 0)
			weight[i]++;
		most = weight[i] > most ? weight[i] : most;
	}
	/* which words: those of the most request-like sentences first */
	for (int lvl = most; lvl >= 0 && chosen.n < MAX_KEYWORDS; lvl--)
		for (int i = 0; i < p->n && chosen.n < MAX_KEYWORDS; i++)
			if (weight[i] == lvl && keyword_of(p, i, w, sizeof w))
				strlist_add(&chosen, w);
	/* in the order the buyer wrote them */
	for (int i = 0; i < p->n; i++)
		if (keyword_of(p, i, w, sizeof w) && strlist_has(&chosen, w))
			strlist_add(&p->r->delta.add[FF_KEYWORDS], w);
	strlist_clear(&chosen);
	free(weight);
}

/* Token i as a keyword, written into w: 1 when it is one. */
static int keyword_of(const parse *p, int i, char *w, size_t wn)
{
	const tok *t = &p->t[i];
	if (t->kind != T_WORD || t->used)
		return 0;
	snprintf(w, wn, "%s", t->w);
	size_t l = strlen(w);
	/* possessives: "men's" stays "men"; "kids'" is a plural */
	int possessive = 0;
	if (l > 2 && !strcmp(w + l - 2, "'s")) {
		w[l -= 2] = 0;
		possessive = 1;
	} else if (l > 1 && w[l - 1] == '\'') {
		w[--l] = 0;
	}
	while (l && (w[l - 1] == '-' || w[l - 1] == '.'))
		w[--l] = 0;
	if (l < 2)
		return 0;
	int digits_only = 1;
	for (size_t k = 0; k < l; k++)
		if (!isdigit((unsigned char)w[k]) && w[k] != '.' && w[k] != ',')
			digits_only = 0;
	if (digits_only)
		return 0;
	int head = (!strcmp(w, "maker") || !strcmp(w, "makers")) && i > 0 &&
	           p->t[i - 1].kind == T_WORD && !p->t[i - 1].used &&
	           smap_get(&p->v->stop, p->t[i - 1].w) < 0;
	if ((smap_get(&p->v->stop, w) >= 0 || smap_get(&p->v->stop, t->w) >= 0) && !head)
		return 0;
	int dummy_adj, dummy_len;
	int claim = l > 5 && !strcmp(w + l - 5, "-free");
	if (smap_get(&p->v->country, w) >= 0 || (smap_get(&p->v->cert, w) >= 0 && !claim) ||
	    intent_country_at(p, i, &dummy_adj, &dummy_len) >= 0)
		return 0;
	if (!possessive && !strchr(w, '\''))
		intent_singular(p->v, w, w, wn);
	return 1;
}
