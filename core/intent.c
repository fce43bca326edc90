/* intent: the offline interpreter: one turn of plain words -> a filter delta plus intents. */
#include "intent.h"

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "money.h"
#include "text.h"

#define MAX_TOKENS   600
#define WORD_MAX     48
#define MAX_KEYWORDS 12
#define WINDOW       5 /* how far back a cue word may stand from what it qualifies */

/* ---- a small open-addressing map from strings to ints ---- */

typedef struct smap {
	char **k;
	int *v;
	size_t cap, n;
} smap;

static uint32_t smap_hash(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static void smap_put(smap *m, const char *key, int val);

static void smap_grow(smap *m)
{
	smap old = *m;
	m->cap = old.cap ? old.cap * 2 : 64;
	m->k = xcalloc(m->cap, sizeof(*m->k));
	m->v = xcalloc(m->cap, sizeof(*m->v));
	m->n = 0;
	for (size_t i = 0; i < old.cap; i++) {
		if (old.k[i]) {
			smap_put(m, old.k[i], old.v[i]);
			free(old.k[i]);
		}
	}
	free(old.k);
	free(old.v);
}

/* The first value put for a key stays: vocabulary files list the
 * preferred reading first. */
static void smap_put(smap *m, const char *key, int val)
{
	if ((m->n + 1) * 2 > m->cap)
		smap_grow(m);
	size_t i = smap_hash(key) & (m->cap - 1);
	while (m->k[i]) {
		if (!strcmp(m->k[i], key))
			return;
		i = (i + 1) & (m->cap - 1);
	}
	m->k[i] = xstrdup(key);
	m->v[i] = val;
	m->n++;
}

static int smap_get(const smap *m, const char *key)
{
	if (!m->cap)
		return -1;
	size_t i = smap_hash(key) & (m->cap - 1);
	while (m->k[i]) {
		if (!strcmp(m->k[i], key))
			return m->v[i];
		i = (i + 1) & (m->cap - 1);
	}
	return -1;
}

static void smap_free(smap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->k[i]);
	free(m->k);
	free(m->v);
	memset(m, 0, sizeof(*m));
}

/* ---- vocabularies ---- */

enum unit_kind { U_QTY, U_TIME, U_YEARS, U_STAR, U_THOUSAND, U_SPEC };

/* assets/intent/wordclass.tsv */
enum word_class { WC_NONE, WC_BUYER, WC_PERSON, WC_MODEL, WC_GRADE, WC_PACK, WC_PART };

typedef struct country {
	char code[8];
	char *name;
	strlist members; /* a region's countries; empty for a country */
} country;

struct intent_vocab {
	smap stop;
	smap numw; /* value index */
	double *numval;
	int *numscale;
	int nnum;
	smap units;
	int *ukind;
	double *ufactor;
	int nunits;
	smap cur;
	char (*curcode)[4][4]; /* up to four readings, the usual one first; "*": the current */
	double *curscale;
	int *curflags; /* CUR_COMMA, CUR_CODE */
	int ncur;
	char (*fx)[4]; /* the codes of fx.tsv: a country's currency starts with its code */
	int nfx;
	smap plural;
	char **plural_to;
	int nplural;
	smap country; /* phrase -> index * 2 + is_adjective */
	country *countries;
	int ncountries, country_words;
	smap cert; /* alias -> index * 2 + needs_capitals */
	char **certs;
	int ncerts, cert_words;
	/* the gazetteer: region and city names -> index into place_codes, the
	 * ISO codes of the countries that have a place of that name, preferred
	 * first ("dublin" -> "IE US") */
	smap place;
	char **place_codes;
	int nplaces, place_words;
	smap wclass;   /* word -> enum word_class */
	smap compound; /* product phrases that hold a place or filter word */
	strlist typo;  /* words whose misspellings are read (typo_targets.txt) */
	int compound_words;
};

typedef void (*line_fn)(intent_vocab *v, char **f, int nf);

static int vocab_file(intent_vocab *v, const char *assets, const char *name, int minf, line_fn fn,
                      souk_err *e)
{
	char *path = xasprintf("%s/%s", assets, name);
	size_t len;
	char *buf = util_read_file(path, 1 << 20, &len, e);
	free(path);
	if (!buf)
		return -1;
	char *save = NULL;
	for (char *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *f[8];
		int nf = 0;
		size_t l = strlen(line);
		if (l && line[l - 1] == '\r')
			line[l - 1] = 0;
		if (line[0] == '#' || !line[0])
			continue;
		char *p = line;
		f[nf++] = p;
		while (nf < 8 && (p = strchr(p, '\t'))) {
			*p++ = 0;
			f[nf++] = p;
		}
		if (nf >= minf)
			fn(v, f, nf);
	}
	free(buf);
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
static void undot(const char *s, char *out, size_t n)
{
	size_t j = 0;
	for (; *s && j + 1 < n; s++)
		if (*s != '.')
			out[j++] = (char)tolower((unsigned char)*s);
	out[j] = 0;
}

static void put_list(smap *m, char *list, int val, int *maxw, int dots)
{
	char *save = NULL;
	for (char *a = strtok_r(list, "|", &save); a; a = strtok_r(NULL, "|", &save)) {
		char key[128];
		int v = val;
		if (*a == '=') {
			a++;
			v |= 1;
		}
		if (dots)
			undot(a, key, sizeof(key));
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

static void line_country(intent_vocab *v, char **f, int nf)
{
	if (strlen(f[0]) != 2)
		return;
	int i = v->ncountries++;
	v->countries = xgrow(v->countries, v->ncountries - 1, sizeof(*v->countries));
	memset(&v->countries[i], 0, sizeof(v->countries[i]));
	memcpy(v->countries[i].code, f[0], 2);
	v->countries[i].code[2] = 0;
	char *first = xstrdup(f[1]);
	char *bar = strchr(first, '|');
	if (bar)
		*bar = 0;
	/* Display names: capitalise each word ("south korea" -> "South Korea"). */
	for (char *p = first; *p; p++)
		if (p == first || p[-1] == ' ')
			*p = (char)toupper((unsigned char)*p);
	if (strlen(first) <= 3)
		text_lower(first), first = (free(first), xstrdup(f[0]));
	v->countries[i].name = first;
	put_list(&v->country, f[1], i * 2, &v->country_words, 1);
	if (nf > 2)
		put_list(&v->country, f[2], i * 2 + 1, &v->country_words, 1);
}

static void line_region(intent_vocab *v, char **f, int nf)
{
	if (nf < 3 || strlen(f[0]) >= 8)
		return;
	int i = v->ncountries++;
	v->countries = xgrow(v->countries, v->ncountries - 1, sizeof(*v->countries));
	memset(&v->countries[i], 0, sizeof(v->countries[i]));
	snprintf(v->countries[i].code, sizeof(v->countries[i].code), "%s", f[0]);
	char *save = NULL;
	for (char *c = strtok_r(f[2], " ", &save); c; c = strtok_r(NULL, " ", &save))
		strlist_add(&v->countries[i].members, c);
	char *bar = strchr(f[1], '|');
	v->countries[i].name = xstrndup(f[1], bar ? (size_t)(bar - f[1]) : strlen(f[1]));
	put_list(&v->country, f[1], i * 2 + 1, &v->country_words, 1);
}

static void line_cert(intent_vocab *v, char **f, int nf)
{
	int i = v->ncerts++;
	v->certs = xgrow(v->certs, v->ncerts - 1, sizeof(*v->certs));
	v->certs[i] = xstrdup(f[0]);
	char canon[64];
	snprintf(canon, sizeof(canon), "%s", f[0]);
	text_lower(canon);
	if (nf > 1)
		put_list(&v->cert, f[1], i * 2, &v->cert_words, 0);
	smap_put(&v->cert, canon, i * 2);
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

enum { CUR_COMMA = 1, CUR_CODE = 2 };

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

/* assets/fx.tsv: every currency it converts is also read by its code. */
static void line_fx(intent_vocab *v, char **f, int nf)
{
	(void)nf;
	if (strlen(f[0]) != 3)
		return;
	v->fx = xgrow(v->fx, v->nfx, sizeof(*v->fx));
	snprintf(v->fx[v->nfx++], 4, "%s", f[0]);
	char low[4];
	snprintf(low, sizeof(low), "%s", f[0]);
	text_lower(low);
	int known = smap_get(&v->cur, low);
	add_currency(v, low, f[0], 1, CUR_CODE | (known >= 0 ? v->curflags[known] : 0));
}

/* The currency of a country: the FX table's code that begins with its ISO
 * code ("CA" -> "CAD"), or NULL. */
static const char *country_currency(const intent_vocab *v, const char *cc)
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

static void line_place(intent_vocab *v, char **f, int nf)
{
	(void)nf;
	if (smap_get(&v->place, f[0]) >= 0)
		return; /* a region's name wins over a town of the same name */
	int i = v->nplaces++;
	v->place_codes = xgrow(v->place_codes, v->nplaces - 1, sizeof(char *));
	v->place_codes[i] = xstrdup(f[1]);
	smap_put(&v->place, f[0], i);
	if (count_words(f[0]) > v->place_words)
		v->place_words = count_words(f[0]);
}

static void line_wclass(intent_vocab *v, char **f, int nf)
{
	static const char *const names[] = {"", "buyer", "person", "model", "grade", "pack", "part"};
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

intent_vocab *intent_vocab_load(const char *assets, souk_err *e)
{
	intent_vocab *v = xcalloc(1, sizeof(*v));
	if (vocab_file(v, assets, "countries.tsv", 2, line_country, e) < 0 ||
	    vocab_file(v, assets, "certifications.tsv", 1, line_cert, e) < 0 ||
	    vocab_file(v, assets, "intent/stopwords.txt", 1, line_stop, e) < 0 ||
	    vocab_file(v, assets, "intent/numbers.tsv", 2, line_number, e) < 0 ||
	    vocab_file(v, assets, "intent/units.tsv", 2, line_unit, e) < 0 ||
	    vocab_file(v, assets, "intent/currency.tsv", 2, line_currency, e) < 0 ||
	    vocab_file(v, assets, "fx.tsv", 2, line_fx, e) < 0 ||
	    vocab_file(v, assets, "intent/plurals.tsv", 2, line_plural, e) < 0 ||
	    vocab_file(v, assets, "intent/regions.tsv", 3, line_region, e) < 0 ||
	    vocab_file(v, assets, "intent/wordclass.tsv", 2, line_wclass, e) < 0 ||
	    vocab_file(v, assets, "intent/compounds.tsv", 1, line_compound, e) < 0 ||
	    vocab_file(v, assets, "intent/typo_targets.txt", 1, line_typo, e) < 0 ||
	    vocab_file(v, assets, "places/regions.tsv", 2, line_place, e) < 0 ||
	    vocab_file(v, assets, "places/cities.tsv", 2, line_place, e) < 0) {
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
	smap_free(&v->place);
	smap_free(&v->wclass);
	smap_free(&v->compound);
	strlist_clear(&v->typo);
	for (int i = 0; i < v->nplaces; i++)
		free(v->place_codes[i]);
	free(v->place_codes);
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
	undot(name, key, sizeof(key));
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

static int ends(const char *s, size_t n, const char *suf)
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
	if (ends(w, n, "ss") || ends(w, n, "us") || ends(w, n, "is") || ends(w, n, "'s"))
		return;
	if (ends(w, n, "ies") && n > 4) {
		/* "scrunchies", "cookies", "veggies", "selfies", "movies" keep -ie;
		 * "batteries", "supplies", "puppies" take -y */
		char c = w[n - 4];
		if (ends(w, n, "chies") || c == 'k' || c == 'g' || c == 'f' || c == 'v' ||
		    (c == 's' && w[n - 5] != 's'))
			w[n - 1] = 0;
		else
			strcpy(w + n - 3, "y");
	} else if (ends(w, n, "sses") || ends(w, n, "shes") || ends(w, n, "ches") ||
	           ends(w, n, "xes") || ends(w, n, "zzes")) {
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

/* ---- tokens ---- */

enum tok_kind { T_WORD, T_NUM, T_SYM, T_PUNCT };

typedef struct tok {
	int kind;
	char w[WORD_MAX]; /* lower case as written (numbers: their digits) */
	int caps;         /* a word of 2+ letters written in capitals */
	int cap1;         /* written with a capital first letter ("Hamburg") */
	double num;
	int decimal, ordinal;
	int kilo;    /* "5k", "1.5K": thousands, which buyers use for counts, not unit prices */
	int dot3;    /* "5.000": a dot before three digits, thousands in a count */
	int tight;   /* a hyphen written with no space around it */
	int spelled; /* written in words ("fifty") */
	int folded;  /* made from words ("a dozen", "fifty") */
	int gone;    /* dropped by a pass that merged it into another token */
	int used;
	int country; /* a country mention read by find_countries */
	int clause;
} tok;

typedef struct parse {
	const intent_vocab *v;
	const intent_ctx *ctx;
	intent_result *r;
	tok *t;
	int n;
	/* what the turn said, gathered before it becomes a delta */
	double qty, pmin, pmax, moq, lead, rating, years;
	char cur[4];
	int verified, samples, custom, btype; /* -1 unsaid; btype 1 manufacturer 2 trading 3 any */
	const char *incoterm;
	char market[8];
	int market_weight; /* 2: where the buyer sells, 1: where the buyer is */
	double total;      /* a budget for the whole order, or -1 */
	unsigned clear;    /* fields to empty */
	strlist sup, exc, unexc, sup_del, cert_add, cert_del;
	int sup_additive, exc_replace, sup_said;
	int last_cfield, last_cend;
	int price_said;
	int cheaper_word;
} parse;

static int is_clause_break(const tok *prev, char c)
{
	static const char *const abbrev[] = {"min",  "max",  "qty", "approx", "no",  "nr",
	                                     "pcs",  "pc",   "vs",  "e.g",    "i.e", "ca",
	                                     "excl", "incl", "est", NULL};
	if (c == '.' && prev && prev->kind == T_WORD)
		for (int i = 0; abbrev[i]; i++)
			if (!strcmp(prev->w, abbrev[i]))
				return 0;
	/* "small MOQ (under 100)": what a parenthesis holds belongs to the
	 * words before it */
	return strchr(",;.!?[]", c) != NULL;
}

static tok *tok_push(parse *p, int kind)
{
	if (p->n >= MAX_TOKENS)
		return NULL;
	tok *t = &p->t[p->n++];
	memset(t, 0, sizeof(*t));
	t->kind = kind;
	return t;
}

/* Copies at most WORD_MAX-1 bytes without splitting a UTF-8 sequence. */
static void tok_set(tok *t, const char *s, size_t len)
{
	if (len >= WORD_MAX) {
		len = WORD_MAX - 1;
		while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
			len--;
	}
	memcpy(t->w, s, len);
	t->w[len] = 0;
	int letters = 0, upper = 0;
	for (size_t i = 0; i < len; i++) {
		if (isalpha((unsigned char)s[i])) {
			letters++;
			upper += isupper((unsigned char)s[i]) != 0;
		}
	}
	t->caps = letters >= 2 && upper == letters;
	t->cap1 = len && isupper((unsigned char)s[0]);
	text_lower(t->w);
}

static int word_byte(const char *s, size_t i)
{
	unsigned char c = (unsigned char)s[i];
	return isalnum(c) || c >= 0x80;
}

/* Non-ASCII code points that are not letters for our purposes. */
static int cp_separator(uint32_t cp)
{
	return cp == 0xFFFD || cp == 0xA0 || (cp >= 0x2000 && cp <= 0x206F) || cp == 0x3000 ||
	       cp == 0x00AB || cp == 0x00BB || cp == 0x00B7;
}

static const char *cp_symbol(uint32_t cp)
{
	switch (cp) {
	case 0x20AC:
		return "€";
	case 0xA3:
		return "£";
	case 0xA5:
		return "¥";
	case 0x20B9:
		return "₹";
	case 0x2264:
		return "<";
	case 0x2265:
		return ">";
	case 0x2013:
	case 0x2014:
		return "-";
	case 0x2248:
		return "~";
	default:
		return NULL;
	}
}

/* The currency written right before a number (the token before it) or
 * right after it ("3,50 €", "24,90 zł", "150 kr"): its flags, or -1. */
static int currency_beside(const parse *p, const char *s, size_t end, size_t len)
{
	if (p->n > 0) {
		int c = smap_get(&p->v->cur, p->t[p->n - 1].w);
		if (c >= 0 && p->t[p->n - 1].kind == T_SYM)
			return p->v->curflags[c];
		if (c >= 0 && p->t[p->n - 1].kind == T_WORD && strlen(p->t[p->n - 1].w) > 1)
			return p->v->curflags[c];
	}
	size_t k = end;
	while (k < len && s[k] == ' ')
		k++;
	size_t e = k;
	while (e < len && (word_byte(s, e) || s[e] == '$') && e - k < 12)
		e++;
	if (e == k) {
		uint32_t cp;
		if (k < len && (unsigned char)s[k] >= 0x80) {
			size_t cl = text_decode(s + k, len - k, &cp);
			const char *sym = cp_symbol(cp);
			if (sym) {
				int c = smap_get(&p->v->cur, sym);
				return c >= 0 ? p->v->curflags[c] : -1;
			}
			(void)cl;
		}
		return -1;
	}
	char w[16];
	snprintf(w, sizeof(w), "%.*s", (int)(e - k), s + k);
	text_lower(w);
	int c = smap_get(&p->v->cur, w);
	return c >= 0 && strcmp(w, "p") && strcmp(w, "c") ? p->v->curflags[c] : -1;
}

/* The digits of a number written with separators, as "1250.00": "1,500"
 * and "1.500.000" group thousands; where both a dot and a comma stand
 * ("1.250,00", "1,250.00") the last is the decimal mark; a lone comma
 * before one or two digits is a decimal comma beside a currency ("24,90
 * zł", "€1,50"); a lone dot before three digits ("5.000", "€6.000") groups
 * thousands beside a currency written that way and is marked *dot3
 * otherwise, for a count, which is never fractional, to read as
 * thousands. Returns the end of the number. */
static size_t scan_digits(const parse *p, const char *s, size_t i, size_t len, char *digits,
                          size_t cap, int *decimal, int *dot3)
{
	size_t j = i;
	char seps[16];
	size_t groups[17], ns = 0;
	groups[0] = 0;
	while (j < len) {
		if (isdigit((unsigned char)s[j])) {
			groups[ns]++;
			j++;
		} else if ((s[j] == ',' || s[j] == '.') && j + 1 < len &&
		           isdigit((unsigned char)s[j + 1]) && ns < 15) {
			seps[ns++] = s[j];
			groups[ns] = 0;
			j++;
		} else {
			break;
		}
	}
	/* which separator is the decimal mark: -1 none */
	int dec = -1;
	int last = (int)ns - 1;
	int mixed = 0;
	for (size_t k = 0; k + 1 < ns; k++)
		mixed |= seps[k] != seps[last];
	*dot3 = 0;
	if (ns == 0) {
		dec = -1;
	} else if (mixed) {
		dec = last;
	} else if (ns == 1 && seps[0] == ',') {
		int flags = groups[1] <= 2 ? currency_beside(p, s, j, len) : -1;
		if (groups[1] == 3 && groups[0] <= 3)
			dec = -1;
		else if (groups[1] <= 2 && flags >= 0)
			dec = 0;
		else
			return i + groups[0]; /* "5,10": a list, not one number */
	} else if (ns == 1) {
		int flags = currency_beside(p, s, j, len);
		int zero = groups[0] == 1 && s[i] == '0';
		if (groups[1] == 3 && !zero && flags >= 0 && (flags & CUR_COMMA))
			dec = -1;
		else {
			dec = 0;
			*dot3 = groups[1] == 3 && !zero && flags < 0;
		}
	} else {
		/* "1,500,000", "1.500.000": all groups of three */
		for (size_t k = 1; k <= ns; k++)
			if (groups[k] != 3)
				return i + groups[0];
		dec = -1;
	}
	size_t o = 0, g = 0;
	*decimal = dec >= 0;
	for (size_t k = i; k < j && o + 2 < cap; k++) {
		if (isdigit((unsigned char)s[k]))
			digits[o++] = s[k];
		else if ((int)g++ == dec)
			digits[o++] = '.';
	}
	digits[o] = 0;
	return j;
}

static size_t lex_number(parse *p, const char *s, size_t i, size_t len, int negative)
{
	char digits[64];
	int decimal = 0, dot3 = 0;
	size_t j = scan_digits(p, s, i, len, digits, sizeof(digits), &decimal, &dot3);
	while (j < len && isdigit((unsigned char)s[j]))
		j++; /* absurdly long digit runs: the rest is dropped */
	/* "18/8 steel", "1/2 inch": a grade or a fraction, one word; but
	 * "4.5/5" is a rating and "5/pc" a price per piece */
	if (j + 1 < len && s[j] == '/' && isdigit((unsigned char)s[j + 1]) && !negative) {
		size_t b = j + 1;
		while (b < len && isdigit((unsigned char)s[b]))
			b++;
		int rating = b - j - 1 == 1 && s[j + 1] == '5' && strtod(digits, NULL) <= 5;
		if (!rating && !(b < len && (s[b] == '.' || s[b] == ','))) {
			tok *t = tok_push(p, T_WORD);
			if (t)
				tok_set(t, s + i, b - i);
			return b;
		}
	}
	/* letters glued to the number: "50k", "65w", "3rd", "500pcs", "30days";
	 * a dash or space written as a code point ("2–3") is not glued */
	size_t a = j;
	while (j < len && word_byte(s, j)) {
		if ((unsigned char)s[j] >= 0x80) {
			uint32_t cp;
			size_t cl = text_decode(s + j, len - j, &cp);
			const char *sym = cp_symbol(cp);
			if (cp_separator(cp) || (sym && strchr("<>-~", sym[0])))
				break;
			j += cl;
			continue;
		}
		j++;
	}
	char suf[WORD_MAX];
	size_t sl = j - a < WORD_MAX - 1 ? j - a : WORD_MAX - 1;
	memcpy(suf, s + a, sl);
	suf[sl] = 0;
	text_lower(suf);
	double val = strtod(digits, NULL) * (negative ? -1 : 1);
	int ui = sl ? smap_get(&p->v->units, suf) : -1;
	int ci = sl ? smap_get(&p->v->cur, suf) : -1;
	int ordinal = !strcmp(suf, "st") || !strcmp(suf, "nd") || !strcmp(suf, "rd") ||
	              !strcmp(suf, "th");
	/* "80p", "45c" are pence and cents; "1080p" is a resolution, "100c" a
	 * temperature or a code */
	if (ci >= 0 && (!strcmp(suf, "p") || !strcmp(suf, "c")) && (val >= 100 || decimal))
		ci = -1;
	/* "1e9": written like a calculator; the value, however absurd, is
	 * judged where it is used */
	if (sl >= 2 && sl <= 4 && suf[0] == 'e' && strspn(suf + 1, "0123456789") == sl - 1 &&
	    !negative) {
		val *= pow(10, atoi(suf + 1));
		tok *t = tok_push(p, T_NUM);
		if (!t)
			return j;
		tok_set(t, digits, strlen(digits));
		t->num = val;
		t->decimal = fmod(val, 1) != 0;
		return j;
	}
	/* "$2ea", "3each": the number, then "each" */
	if (!strcmp(suf, "ea") || !strcmp(suf, "each")) {
		tok *t = tok_push(p, T_NUM);
		if (!t)
			return j;
		tok_set(t, digits, strlen(digits));
		t->num = val;
		t->decimal = decimal;
		t = tok_push(p, T_WORD);
		if (t)
			tok_set(t, "each", 4);
		return j;
	}
	if (sl && !ordinal && ci < 0 && (ui < 0 || p->v->ukind[ui] == U_SPEC)) {
		/* a spec such as "65w" or "1080p": one word */
		tok *t = tok_push(p, T_WORD);
		if (t)
			tok_set(t, s + i - (negative ? 1 : 0), j - i + (negative ? 1 : 0));
		return j;
	}
	tok *t = tok_push(p, T_NUM);
	if (!t)
		return j;
	tok_set(t, digits, strlen(digits));
	t->num = val;
	t->decimal = decimal;
	t->dot3 = dot3;
	t->ordinal = ordinal;
	if (sl && ui >= 0 && p->v->ukind[ui] == U_THOUSAND) {
		t->num *= p->v->ufactor[ui];
		/* "1.5k" is 1500, a whole number */
		t->decimal = fmod(t->num, 1) != 0;
		t->kilo = 1;
	} else if (sl && !ordinal) {
		tok *u = tok_push(p, T_WORD);
		if (u && ci >= 0 && !strcmp(suf, "p"))
			tok_set(u, "pence", 5); /* "p" alone is never read as pence */
		else if (u && ci >= 0 && !strcmp(suf, "c"))
			tok_set(u, "cents", 5);
		else if (u)
			tok_set(u, suf, sl);
	}
	return j;
}

static int in_list(const char *w, const char *const *list);

/* A word; "Vietnam-based", "CE-certified", "FDA-approved" become two. */
static void lex_word(parse *p, const char *s, size_t n)
{
	static const char *const glue[] = {"based",      "made",      "sourced", "certified",
	                                   "approved",   "compliant", "listed",  "marked",
	                                   "registered", "tested",    NULL};
	const char *dash = NULL;
	for (size_t k = 0; k < n; k++)
		if (s[k] == '-')
			dash = s + k;
	/* "custom-printed", "OEM-made": the flag word first */
	const char *first = memchr(s, '-', n);
	if (first && (((size_t)(first - s) == 6 && !strncasecmp(s, "custom", 6)) ||
	              ((size_t)(first - s) == 3 &&
	               (!strncasecmp(s, "oem", 3) || !strncasecmp(s, "odm", 3))))) {
		tok *t = tok_push(p, T_WORD);
		if (t)
			tok_set(t, s, (size_t)(first - s));
		if ((size_t)(first - s) + 1 < n)
			lex_word(p, first + 1, n - (size_t)(first - s) - 1);
		return;
	}
	if (dash && dash > s && (size_t)(dash - s) + 1 < n) {
		char suf[WORD_MAX];
		size_t sl = n - (size_t)(dash - s) - 1;
		if (sl < sizeof(suf)) {
			memcpy(suf, dash + 1, sl);
			suf[sl] = 0;
			text_lower(suf);
			if (in_list(suf, glue)) {
				tok *t = tok_push(p, T_WORD);
				if (t)
					tok_set(t, s, (size_t)(dash - s));
				t = tok_push(p, T_WORD);
				if (t)
					tok_set(t, dash + 1, sl);
				return;
			}
		}
	}
	/* "x2000", "X500": a count */
	if (n > 1 && n < 12 && (s[0] == 'x' || s[0] == 'X') &&
	    strspn(s + 1, "0123456789") == n - 1) {
		tok *t = tok_push(p, T_NUM);
		if (!t)
			return;
		tok_set(t, s + 1, n - 1);
		t->num = strtod(t->w, NULL);
		t = tok_push(p, T_WORD);
		if (t)
			tok_set(t, "pcs", 3);
		return;
	}
	/* "China's fine", "India's factories": the country, then "'s" */
	if (n > 2 && n < WORD_MAX && s[n - 2] == '\'' && tolower((unsigned char)s[n - 1]) == 's') {
		char stem[WORD_MAX];
		memcpy(stem, s, n - 2);
		stem[n - 2] = 0;
		if (intent_country_code(p->v, stem)) {
			tok *t = tok_push(p, T_WORD);
			if (t)
				tok_set(t, s, n - 2);
			t = tok_push(p, T_WORD);
			if (t)
				tok_set(t, "'s", 2);
			return;
		}
	}
	tok *t = tok_push(p, T_WORD);
	if (t)
		tok_set(t, s, n);
}

/* The rest of a web domain after its first dot: labels of two or three
 * letters ending in a two-letter country domain ("co.uk", "de", "com.au");
 * its length, or 0. */
static size_t domain_tail(const char *s)
{
	size_t i = 0;
	for (;;) {
		size_t a = i;
		while (isalpha((unsigned char)s[i]) && i - a < 4)
			i++;
		size_t l = i - a;
		if (l < 2 || l > 3)
			return 0;
		if (s[i] == '.' && isalpha((unsigned char)s[i + 1])) {
			i++;
			continue;
		}
		if (word_byte(s, i) || s[i] == '-' || l != 2)
			return 0;
		return i;
	}
}

static void lex(parse *p, const char *s)
{
	size_t len = strlen(s);
	size_t i = 0;
	while (i < len && p->n < MAX_TOKENS) {
		unsigned char c = (unsigned char)s[i];
		if (isspace(c)) {
			i++;
			continue;
		}
		if (c >= 0x80) {
			uint32_t cp;
			size_t k = text_decode(s + i, len - i, &cp);
			const char *sym = cp_symbol(cp);
			if (sym) {
				tok *t = tok_push(p, strchr("<>-~", sym[0]) ? T_PUNCT : T_SYM);
				if (t)
					snprintf(t->w, WORD_MAX, "%s", sym);
				i += k;
				continue;
			}
			if (cp_separator(cp)) {
				i += k;
				continue;
			}
		}
		int prev_num = p->n > 0 && (p->t[p->n - 1].kind == T_NUM);
		if (isdigit(c) || (c == '.' && i + 1 < len && isdigit((unsigned char)s[i + 1]))) {
			i = lex_number(p, s, i, len, 0);
			continue;
		}
		if (c == '-' && i + 1 < len && isdigit((unsigned char)s[i + 1]) && !prev_num &&
		    (i == 0 || isspace((unsigned char)s[i - 1]))) {
			i = lex_number(p, s, i + 1, len, 1);
			continue;
		}
		if (c == '$') {
			tok *t = tok_push(p, T_SYM);
			if (t)
				strcpy(t->w, "$");
			i++;
			continue;
		}
		if (word_byte(s, i)) {
			size_t j = i, seg = i;
			while (j < len) {
				size_t dom;
				if (word_byte(s, j)) {
					j++;
				} else if (s[j] == '.' && (dom = domain_tail(s + j + 1)) > 0) {
					j += 1 + dom; /* "amazon.co.uk" */
					break;
				} else if ((s[j] == '-' || s[j] == '\'' || s[j] == '.') &&
				           j + 1 < len && word_byte(s, j + 1) &&
				           /* a dot joins abbreviations ("u.s.a", "e.g", "v2.0"),
				            * not two words typed without a space ("mugs.under") */
				           !(s[j] == '.' && j - seg > 2 &&
				             !(isdigit((unsigned char)s[j - 1]) &&
				               isdigit((unsigned char)s[j + 1])))) {
					if (s[j] == '.')
						seg = j + 1;
					j++;
				} else if (s[j] == '\'' && j > i && s[j - 1] == 's') {
					j++; /* "kids'" */
				} else {
					break;
				}
			}
			/* "US$5", "A$6", "NZ$9", "R$35": a dollar sign with its country */
			if (j - i <= 3 && j < len && s[j] == '$') {
				char sym[8];
				snprintf(sym, sizeof(sym), "%.*s$", (int)(j - i), s + i);
				text_lower(sym);
				if (smap_get(&p->v->cur, sym) >= 0) {
					tok *t = tok_push(p, T_SYM);
					if (t)
						snprintf(t->w, WORD_MAX, "%s", sym);
					i = j + 1;
					continue;
				}
			}
			/* "USD3", "rmb20": the currency, then the number */
			size_t a = i;
			while (a < j && isalpha((unsigned char)s[a]))
				a++;
			if (a > i && a < j && a - i < 8 && isdigit((unsigned char)s[a])) {
				char cw[8];
				memcpy(cw, s + i, a - i);
				cw[a - i] = 0;
				text_lower(cw);
				if (smap_get(&p->v->cur, cw) >= 0) {
					tok *t = tok_push(p, T_WORD);
					if (t)
						tok_set(t, s + i, a - i);
					i = a;
					continue;
				}
			}
			lex_word(p, s + i, j - i);
			i = j;
			continue;
		}
		tok *t = tok_push(p, T_PUNCT);
		if (t) {
			t->w[0] = (char)c;
			t->w[1] = 0;
			/* "9-pocket": a hyphen with no space either side joins */
			t->tight = c == '-' && i > 0 && i + 1 < len && !isspace((unsigned char)s[i - 1]) &&
			           !isspace((unsigned char)s[i + 1]);
		}
		i++;
	}
}

/* ---- small token predicates ---- */

static int is_w(const parse *p, int i, const char *w)
{
	return i >= 0 && i < p->n && p->t[i].kind == T_WORD && !strcmp(p->t[i].w, w);
}

static int in_list(const char *w, const char *const *list)
{
	for (int i = 0; list[i]; i++)
		if (!strcmp(w, list[i]))
			return 1;
	return 0;
}

static int is_in(const parse *p, int i, const char *const *list)
{
	return i >= 0 && i < p->n && p->t[i].kind == T_WORD && in_list(p->t[i].w, list);
}

static int is_punct(const parse *p, int i, const char *c)
{
	return i >= 0 && i < p->n && p->t[i].kind == T_PUNCT && !strcmp(p->t[i].w, c);
}

static int same_clause(const parse *p, int a, int b)
{
	return a >= 0 && b >= 0 && a < p->n && b < p->n && p->t[a].clause == p->t[b].clause;
}

static int unit_of(const parse *p, int i, int *kind, double *factor)
{
	if (i < 0 || i >= p->n || p->t[i].kind != T_WORD)
		return 0;
	int u = smap_get(&p->v->units, p->t[i].w);
	if (u < 0)
		return 0;
	*kind = p->v->ukind[u];
	*factor = p->v->ufactor[u];
	return 1;
}

/* The market the turn or the conversation names, or NULL. */
static const char *market_now(const parse *p)
{
	if (p->market[0])
		return p->market;
	return p->ctx && p->ctx->state ? p->ctx->state->market : NULL;
}

static int currency_of(const parse *p, int i, const char **code, double *scale)
{
	if (i < 0 || i >= p->n || (p->t[i].kind != T_WORD && p->t[i].kind != T_SYM))
		return 0;
	/* "p" and "c" as pence and cents only glued to a number (lex_number) */
	if (!strcmp(p->t[i].w, "p") || !strcmp(p->t[i].w, "c"))
		return 0;
	int c = smap_get(&p->v->cur, p->t[i].w);
	if (c < 0)
		return 0;
	/* a code that is also a word ("try", "mad") only in capitals or beside
	 * a number */
	if ((p->v->curflags[c] & CUR_CODE) && !p->t[i].caps &&
	    !(i > 0 && p->t[i - 1].kind == T_NUM) && !(i + 1 < p->n && p->t[i + 1].kind == T_NUM))
		return 0;
	const char(*alt)[4] = p->v->curcode[c];
	*code = alt[0][0] == '*' ? "" : alt[0];
	/* "kr" in Copenhagen is DKK: the market's own currency among the readings */
	const char *mine = country_currency(p->v, market_now(p));
	for (int k = 1; mine && k < 4 && alt[k][0]; k++)
		if (!strcmp(alt[k], mine))
			*code = alt[k];
	*scale = p->v->curscale[c];
	return 1;
}

/* Index of the word k tokens before i within the clause, skipping articles. */
static int back(const parse *p, int i, int k)
{
	static const char *const skip[] = {"the", "a", "an", NULL};
	int j = i;
	while (k > 0) {
		j--;
		if (j < 0 || !same_clause(p, j, i))
			return -1;
		if (is_in(p, j, skip) || is_punct(p, j, ":"))
			continue;
		k--;
	}
	return j;
}

static int fwd(const parse *p, int i, int k)
{
	static const char *const skip[] = {"the", "a", "an", NULL};
	int j = i;
	while (k > 0) {
		j++;
		if (j >= p->n || !same_clause(p, j, i))
			return -1;
		if (is_in(p, j, skip))
			continue;
		k--;
	}
	return j;
}

static void note(parse *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(parse *p, const char *fmt, ...)
{
	va_list ap;
	if (p->r->notes.len)
		sb_addc(&p->r->notes, ' ');
	va_start(ap, fmt);
	sb_vprintf(&p->r->notes, fmt, ap);
	va_end(ap);
}

static const char *const NEGATORS[] = {
        "not",    "no",    "without", "don't",     "dont",   "doesn't", "skip", "drop",   "remove",
        "forget", "avoid", "exclude", "excluding", "except", "minus",   "lose", "delete", "ignore",
        "never",  "nor",   "isn't",   "aren't",    "non",    "rid",     NULL};

/* A negating word shortly before i, within the clause. */
static int negated_before(const parse *p, int i, int span)
{
	for (int k = 1; k <= span; k++) {
		int j = back(p, i, k);
		if (j < 0 || p->t[j].kind == T_NUM)
			return 0;
		if (is_in(p, j, NEGATORS))
			return 1;
	}
	return 0;
}

/* "... not needed", "... is optional", "... doesn't matter" after i. */
static int negated_after(const parse *p, int i)
{
	static const char *const off[] = {"unnecessary", "optional", "unneeded",
	                                  "excluded",    "removed",  NULL};
	static const char *const need[] = {"needed", "required",  "necessary", "important",
	                                   "matter", "mandatory", "essential", NULL};
	for (int k = 1; k <= 3; k++) {
		int j = fwd(p, i, k);
		if (j < 0)
			return 0;
		if (is_in(p, j, off))
			return 1;
		if ((is_w(p, j, "not") || is_w(p, j, "isn't") || is_w(p, j, "doesn't") ||
		     is_w(p, j, "no") || is_w(p, j, "aren't")) &&
		    is_in(p, fwd(p, j, 1), need))
			return 1;
	}
	return 0;
}

/* ---- typos ---- */

static int phrase_at(const parse *p, int i, const smap *m, int maxw, int dots, int *len);

/* Edit distance with transpositions, or more than max. */
static int edits(const char *a, const char *b, int max)
{
	int la = (int)strlen(a), lb = (int)strlen(b);
	if (abs(la - lb) > max || la >= WORD_MAX || lb >= WORD_MAX)
		return max + 1;
	int d[WORD_MAX][WORD_MAX];
	for (int i = 0; i <= la; i++)
		d[i][0] = i;
	for (int j = 0; j <= lb; j++)
		d[0][j] = j;
	for (int i = 1; i <= la; i++)
		for (int j = 1; j <= lb; j++) {
			int c = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1 < c)
				c = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < c)
				c = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < c)
				c = d[i - 2][j - 2] + 1;
			d[i][j] = c;
		}
	return d[la][lb];
}

/* The word a misspelling means: a filter or command word, or a country
 * said with a capital or after a preposition of place ("Vietnm",
 * "from Bangaldesh"); one edit, two for words of eight letters or more.
 * Words the catalog uses and known words are left alone. */
static const char *typo_target(const parse *p, int i)
{
	static const char *const prep[] = {"from", "in", "to", "for", "not", "no", "the", NULL};
	const tok *t = &p->t[i];
	size_t l = strlen(t->w);
	int kind;
	double f;
	int pl;
	if (phrase_at(p, i, &p->v->place, p->v->place_words, 0, &pl) >= 0 ||
	    (i > 0 && phrase_at(p, i - 1, &p->v->place, p->v->place_words, 0, &pl) >= 0 && pl > 1))
		return NULL; /* "British Columbia" */
	if (t->kind != T_WORD || l < 5 || strchr(t->w, '-') || strchr(t->w, '\'') ||
	    smap_get(&p->v->stop, t->w) >= 0 || smap_get(&p->v->country, t->w) >= 0 ||
	    smap_get(&p->v->cert, t->w) >= 0 || smap_get(&p->v->plural, t->w) >= 0 ||
	    unit_of(p, i, &kind, &f) || strlist_has(&p->v->typo, t->w) ||
	    (p->ctx && p->ctx->catalog && vocab_docs(p->ctx->catalog, t->w) > 0))
		return NULL;
	for (int k = 0; k < p->v->typo.n; k++) {
		const char *w = p->v->typo.v[k];
		if (strlen(w) >= 6 && edits(t->w, w, strlen(w) >= 8 ? 2 : 1) <= (strlen(w) >= 8 ? 2 : 1))
			return w;
	}
	if (!t->cap1 && !is_in(p, i - 1, prep))
		return NULL;
	for (size_t k = 0; k < p->v->country.cap; k++) {
		const char *w = p->v->country.k[k];
		if (w && strlen(w) >= 5 && !strchr(w, ' ') && w[0] == t->w[0] &&
		    edits(t->w, w, strlen(w) >= 8 ? 2 : 1) <= (strlen(w) >= 8 ? 2 : 1))
			return w;
	}
	return NULL;
}

static void fix_typos(parse *p)
{
	for (int i = 0; i < p->n; i++) {
		const char *w = typo_target(p, i);
		if (w)
			snprintf(p->t[i].w, WORD_MAX, "%s", w);
	}
}

/* ---- number words ---- */

static int numword(const parse *p, const char *w, double *val, int *scale)
{
	int i = smap_get(&p->v->numw, w);
	if (i >= 0) {
		*val = p->v->numval[i];
		*scale = p->v->numscale[i];
		return 1;
	}
	const char *dash = strchr(w, '-');
	if (dash && dash - w < 20) {
		char a[24];
		memcpy(a, w, (size_t)(dash - w));
		a[dash - w] = 0;
		int ia = smap_get(&p->v->numw, a), ib = smap_get(&p->v->numw, dash + 1);
		if (ia >= 0 && ib >= 0 && !p->v->numscale[ia] && !p->v->numscale[ib]) {
			*val = p->v->numval[ia] + p->v->numval[ib];
			*scale = 0;
			return 1;
		}
	}
	return 0;
}

static int is_measure_word(const parse *p, int i)
{
	int kind;
	double f;
	const char *c;
	return (unit_of(p, i, &kind, &f) && kind != U_SPEC) || currency_of(p, i, &c, &f);
}

/* Folds "two thousand", "a dozen", "5 thousand", "10^20" into number tokens. */
static void fold_numbers(parse *p)
{
	int o = 0;
	for (int i = 0; i < p->n; i++) {
		tok *t = &p->t[i];
		double val;
		int scale;
		if (t->kind == T_NUM && i + 2 < p->n && is_punct(p, i + 1, "^") &&
		    p->t[i + 2].kind == T_NUM) {
			double ex = p->t[i + 2].num;
			t->num = pow(t->num, ex > 400 ? 400 : ex);
			p->t[o++] = *t;
			i += 2;
			continue;
		}
		if (t->kind == T_NUM && i + 1 < p->n && p->t[i + 1].kind == T_WORD &&
		    numword(p, p->t[i + 1].w, &val, &scale) && scale) {
			t->num *= val;
			t->decimal = fmod(t->num, 1) != 0;
			t->kilo |= val >= 1000;
			p->t[o++] = *t;
			i++;
			continue;
		}
		int start = i;
		int lead_a = (is_w(p, i, "a") || is_w(p, i, "an"));
		if (lead_a) {
			int kind;
			double f;
			if (i + 1 < p->n && numword(p, p->t[i + 1].w, &val, &scale) && scale) {
				i++;
			} else if (((unit_of(p, i + 1, &kind, &f) && kind == U_TIME) ||
			            is_w(p, i + 1, "dollar") || is_w(p, i + 1, "euro") ||
			            is_w(p, i + 1, "pound") || is_w(p, i + 1, "buck")) &&
			           !ends(p->t[i + 1].w, strlen(p->t[i + 1].w), "s")) {
				tok n1 = *t;
				n1.kind = T_NUM;
				n1.num = 1;
				strcpy(n1.w, "1");
				p->t[o++] = n1;
				continue;
			} else {
				p->t[o++] = *t;
				continue;
			}
		}
		if (p->t[i].kind != T_WORD || !numword(p, p->t[i].w, &val, &scale)) {
			p->t[o++] = p->t[start];
			if (start != i)
				p->t[o++] = p->t[i];
			continue;
		}
		double total = 0, cur = 0;
		int j = i, words = 0, scaled = lead_a;
		while (j < p->n) {
			if (p->t[j].kind == T_WORD && numword(p, p->t[j].w, &val, &scale)) {
				/* "twenty five" adds up, "two fifty" and "nineteen ninety"
				 * are two numbers (fold_money reads them as a price) */
				double r = fmod(cur, 100);
				if (!scale && words && r != 0 &&
				    !(fmod(r, 10) == 0 && r >= 20 && val < 10))
					break;
				scaled |= scale;
				if (!scale)
					cur += val;
				else if (val == 100)
					cur = (cur ? cur : 1) * 100;
				else
					total += (cur ? cur : 1) * val, cur = 0;
				words++;
				j++;
			} else if (is_w(p, j, "and") && words && j + 1 < p->n &&
			           numword(p, p->t[j + 1].w, &val, &scale) && !scale) {
				j++;
			} else {
				break;
			}
		}
		/* a lone "one" or "half" is a number only before a unit ("one week") */
		if (words == 1 && !lead_a && (is_w(p, i, "one") || is_w(p, i, "half")) &&
		    !is_measure_word(p, j)) {
			p->t[o++] = p->t[i];
			continue;
		}
		tok n1 = p->t[start];
		n1.kind = T_NUM;
		n1.num = total + cur;
		n1.decimal = fmod(n1.num, 1) != 0;
		n1.spelled = !scaled; /* "fifty", but not "a dozen" */
		n1.folded = 1;
		snprintf(n1.w, WORD_MAX, "%g", n1.num);
		p->t[o++] = n1;
		i = j - 1;
	}
	p->n = o;
}

/* "anything but China", "nothing but Vietnam": a "but" that means "except"
 * or "only" joins what it stands between instead of starting a clause. */
static const char *const BUT_EXCEPT[] = {"anything", "anywhere", "everything", "everywhere",
                                         "all",      "any",      "anyone",     "anybody",
                                         "whatever", "wherever", NULL};
static const char *const BUT_ONLY[] = {"nothing", "none", "nowhere", "nobody", NULL};

/* Marks tokens [i, i + k) to leave the turn; tok_compact removes them, once
 * per pass, so that a long turn costs no more than a short one per token. */
static void tok_drop(parse *p, int i, int k)
{
	for (int j = i; j < i + k && j < p->n; j++)
		p->t[j].gone = 1;
}

static void tok_compact(parse *p)
{
	int o = 0;
	for (int i = 0; i < p->n; i++)
		if (!p->t[i].gone)
			p->t[o++] = p->t[i];
	p->n = o;
}

static int whole(const tok *t, double lo, double hi)
{
	return t->kind == T_NUM && !t->decimal && !t->kilo && t->num >= lo && t->num <= hi;
}

/* Prices said the way people speak them: "1 dollar fifty", "a buck fifty",
 * "2 euros 50", "one dollar and fifty cents" are 1.50, 1.50, 2.50 and 1.50;
 * "two fifty" is 2.50 only with a currency word nearby, and 250 before a
 * unit ("two fifty pieces"). The cents must end the amount: "2 dollars 50
 * mugs" is left alone. */
static void fold_money(parse *p)
{
	static const char *const money[] = {"dollar", "dollars", "buck",   "bucks", "euro",
	                                    "euros",  "pound",   "pounds", "quid",  "usd",
	                                    "eur",    "gbp",     "yuan",   "rmb",   NULL};
	static const char *const ends_ok[] = {"each",    "per",  "a",  "an",  "apiece", "max",
	                                      "maximum", "tops", "or", "at",  "for",    "top",
	                                      "please",  "is",   "in", "and", "then",   NULL};
	for (int i = 0; i + 2 < p->n; i++) {
		int j = i + 1;
		if (p->t[i].gone || p->t[j].gone)
			continue;
		if (whole(&p->t[i], 0, 1e6) && is_in(p, j, money)) {
			int k = j + 1;
			if (is_w(p, k, "and"))
				k++;
			if (k >= p->n || !whole(&p->t[k], 1, 99) ||
			    (!p->t[k].spelled && (p->t[k].folded || strlen(p->t[k].w) != 2)))
				continue;
			int e = k + 1;
			if (is_w(p, e, "cents") || is_w(p, e, "cent") || is_w(p, e, "pence"))
				e++;
			if (e < p->n && p->t[e].kind == T_WORD && !is_in(p, e, ends_ok))
				continue;
			p->t[i].num += p->t[k].num / 100;
			p->t[i].decimal = 1;
			tok_drop(p, k, e - k);
			continue;
		}
		/* "two fifty" */
		if (p->t[i].spelled && whole(&p->t[i], 1, 99) && p->t[j].spelled &&
		    whole(&p->t[j], 10, 99)) {
			int cur = 0, kind;
			double f;
			const char *code;
			for (int k = i - 3; k <= j + 6 && !cur; k++)
				cur = k != i && k != j && currency_of(p, k, &code, &f) && f == 1;
			if (cur) {
				p->t[i].num += p->t[j].num / 100;
				p->t[i].decimal = 1;
			} else if (unit_of(p, j + 1, &kind, &f) && kind == U_QTY) {
				p->t[i].num = p->t[i].num * 100 + p->t[j].num;
			} else {
				continue;
			}
			tok_drop(p, j, 1);
		}
	}
}

/* "20 oz", "12 V", "500 ml": a spec written apart is the same term as
 * "20oz", a product word, not a quantity. Single letters only in capitals,
 * and never "in" or "x" ("ship in", "2 x 3"). */
static void join_specs(parse *p)
{
	for (int i = 0; i + 1 < p->n; i++) {
		tok *t = &p->t[i], *u = &p->t[i + 1];
		if (t->gone || u->gone)
			continue;
		int kind;
		double f;
		const char *c;
		if (t->kind != T_NUM || t->kilo || t->num < 0 || !unit_of(p, i + 1, &kind, &f) ||
		    kind != U_SPEC || (i > 0 && currency_of(p, i - 1, &c, &f)))
			continue;
		size_t ul = strlen(u->w);
		if (!strcmp(u->w, "in") || !strcmp(u->w, "x") || !strcmp(u->w, "p") ||
		    (ul < 2 && !u->cap1))
			continue;
		char w[2 * WORD_MAX];
		snprintf(w, sizeof(w), "%s%s", t->w, u->w);
		tok_set(t, w, strlen(w));
		t->kind = T_WORD;
		tok_drop(p, i + 1, 1);
	}
}

static void mark_clauses(parse *p)
{
	int c = 0;
	for (int i = 0; i < p->n; i++) {
		tok *t = &p->t[i];
		int but = t->kind == T_WORD && !strcmp(t->w, "but") && i > 0 &&
		          !(in_list(p->t[i - 1].w, BUT_EXCEPT) || in_list(p->t[i - 1].w, BUT_ONLY));
		if ((t->kind == T_PUNCT && is_clause_break(i ? &p->t[i - 1] : NULL, t->w[0])) ||
		    but || (t->kind == T_WORD && !strcmp(t->w, "however")))
			c++;
		t->clause = c;
	}
}

/* ---- phrase lookups ---- */

/* Longest phrase from i found in m (at most maxw words); returns its value
 * and sets *len, or -1. dots: drop '.' from words (country names). */
static int phrase_at(const parse *p, int i, const smap *m, int maxw, int dots, int *len)
{
	char key[256];
	for (int k = maxw; k >= 1; k--) {
		if (i + k > p->n)
			continue;
		size_t kl = 0;
		int ok = 1;
		for (int j = i; j < i + k && ok; j++) {
			const tok *t = &p->t[j];
			if (t->kind != T_WORD && t->kind != T_NUM) {
				ok = 0;
				break;
			}
			char w[WORD_MAX];
			if (dots)
				undot(t->w, w, sizeof(w));
			else
				snprintf(w, sizeof(w), "%s", t->w);
			size_t wl = strlen(w);
			if (kl + wl + 2 > sizeof(key)) {
				ok = 0;
				break;
			}
			if (j > i)
				key[kl++] = ' ';
			memcpy(key + kl, w, wl);
			kl += wl;
		}
		if (!ok)
			continue;
		key[kl] = 0;
		int v = smap_get(m, key);
		if (v >= 0) {
			*len = k;
			return v;
		}
	}
	return -1;
}

/* ---- intents ---- */

static int seq(const parse *p, int i, const char *const *words)
{
	int k = 0;
	for (; words[k]; k++)
		if (!is_w(p, i + k, words[k]))
			return 0;
	return k;
}

static void use(parse *p, int i, int k)
{
	for (int j = i; j < i + k && j < p->n; j++)
		if (j >= 0)
			p->t[j].used = 1;
}

/* Finds any of the phrases ("start over", ...) and marks them used. */
static int find_phrase(parse *p, const char *const *const *phrases)
{
	int found = 0;
	for (int i = 0; i < p->n; i++) {
		for (int k = 0; phrases[k]; k++) {
			int l = seq(p, i, phrases[k]);
			if (l) {
				use(p, i, l);
				found = 1;
			}
		}
	}
	return found;
}

static const char *const FIELD_WORDS[] = {"price",         "prices",
                                          "budget",        "cost",
                                          "moq",           "moqs",
                                          "lead",          "deadline",
                                          "delivery",      "timing",
                                          "timeline",      "time",
                                          "quantity",      "qty",
                                          "volume",        "amount",
                                          "country",       "countries",
                                          "origin",        "location",
                                          "region",        "market",
                                          "markets",       "destination",
                                          "certification", "certifications",
                                          "certs",         "cert",
                                          "certificates",  "certificate",
                                          "compliance",    "rating",
                                          "ratings",       "stars",
                                          "reviews",       "years",
                                          "experience",    "verified",
                                          "verification",  "samples",
                                          "sample",        "customization",
                                          "customisation", "logo",
                                          "branding",      "custom",
                                          "manufacturer",  "manufacturers",
                                          "factory",       "factories",
                                          "trading",       "traders",
                                          "incoterm",      "incoterms",
                                          "currency",      "minimum",
                                          "filters",       "filter",
                                          "everything",    "rush",
                                          "supplier",      "suppliers",
                                          "type",          NULL};

static unsigned field_bits(const parse *p, int i)
{
	const char *w = p->t[i].w;
#define B(f) (1u << (f))
	static const struct {
		const char *w;
		unsigned bits;
	} map[] = {
	        {"price", B(FF_PRICE_MIN) | B(FF_PRICE_MAX)},
	        {"prices", B(FF_PRICE_MIN) | B(FF_PRICE_MAX)},
	        {"budget", B(FF_PRICE_MIN) | B(FF_PRICE_MAX)},
	        {"cost", B(FF_PRICE_MIN) | B(FF_PRICE_MAX)},
	        {"moq", B(FF_MOQ_MAX)},
	        {"moqs", B(FF_MOQ_MAX)},
	        {"minimum", B(FF_MOQ_MAX)},
	        {"lead", B(FF_LEAD_TIME)},
	        {"deadline", B(FF_LEAD_TIME)},
	        {"delivery", B(FF_LEAD_TIME)},
	        {"timing", B(FF_LEAD_TIME)},
	        {"timeline", B(FF_LEAD_TIME)},
	        {"time", B(FF_LEAD_TIME)},
	        {"rush", B(FF_LEAD_TIME)},
	        {"quantity", B(FF_QUANTITY)},
	        {"qty", B(FF_QUANTITY)},
	        {"volume", B(FF_QUANTITY)},
	        {"amount", B(FF_QUANTITY)},
	        {"country", B(FF_SUPPLIER_COUNTRIES) | B(FF_EXCLUDE_COUNTRIES)},
	        {"countries", B(FF_SUPPLIER_COUNTRIES) | B(FF_EXCLUDE_COUNTRIES)},
	        {"origin", B(FF_SUPPLIER_COUNTRIES) | B(FF_EXCLUDE_COUNTRIES)},
	        {"location", B(FF_SUPPLIER_COUNTRIES) | B(FF_EXCLUDE_COUNTRIES)},
	        {"region", B(FF_SUPPLIER_COUNTRIES) | B(FF_EXCLUDE_COUNTRIES)},
	        {"market", B(FF_MARKET)},
	        {"markets", B(FF_MARKET)},
	        {"destination", B(FF_MARKET)},
	        {"certification", B(FF_CERTIFICATIONS)},
	        {"certifications", B(FF_CERTIFICATIONS)},
	        {"certs", B(FF_CERTIFICATIONS)},
	        {"cert", B(FF_CERTIFICATIONS)},
	        {"certificates", B(FF_CERTIFICATIONS)},
	        {"certificate", B(FF_CERTIFICATIONS)},
	        {"compliance", B(FF_CERTIFICATIONS)},
	        {"rating", B(FF_MIN_RATING)},
	        {"ratings", B(FF_MIN_RATING)},
	        {"stars", B(FF_MIN_RATING)},
	        {"reviews", B(FF_MIN_RATING)},
	        {"years", B(FF_MIN_YEARS)},
	        {"experience", B(FF_MIN_YEARS)},
	        {"verified", B(FF_VERIFIED)},
	        {"verification", B(FF_VERIFIED)},
	        {"samples", B(FF_SAMPLES)},
	        {"sample", B(FF_SAMPLES)},
	        {"customization", B(FF_CUSTOMIZATION)},
	        {"customisation", B(FF_CUSTOMIZATION)},
	        {"logo", B(FF_CUSTOMIZATION)},
	        {"branding", B(FF_CUSTOMIZATION)},
	        {"custom", B(FF_CUSTOMIZATION)},
	        {"manufacturer", B(FF_BUSINESS_TYPE)},
	        {"manufacturers", B(FF_BUSINESS_TYPE)},
	        {"factory", B(FF_BUSINESS_TYPE)},
	        {"factories", B(FF_BUSINESS_TYPE)},
	        {"trading", B(FF_BUSINESS_TYPE)},
	        {"traders", B(FF_BUSINESS_TYPE)},
	        {"type", B(FF_BUSINESS_TYPE)},
	        {"incoterm", B(FF_INCOTERM)},
	        {"incoterms", B(FF_INCOTERM)},
	        {"currency", B(FF_CURRENCY)},
	        {"filters", ~0u},
	        {"filter", ~0u},
	        {"everything", ~0u},
	};
#undef B
	for (size_t k = 0; k < sizeof(map) / sizeof(*map); k++)
		if (!strcmp(map[k].w, w))
			return map[k].bits;
	/* "supplier country" / "supplier type" are read from the word after */
	return 0;
}

static int clause_has_number_after(const parse *p, int i)
{
	for (int j = i + 1; j < p->n && same_clause(p, j, i); j++)
		if (p->t[j].kind == T_NUM)
			return 1;
	return 0;
}

/* "forget the wooden ones", "not plastic, steel", "drop the keyword
 * \"before\"" (what souk's own hints say): a word the search holds, after a
 * word of removing, leaves the keywords. */
static void find_keyword_edits(parse *p)
{
	static const char *const verbs[] = {"drop", "forget", "remove", "not", "no",  "without",
	                                    "skip", "lose",   "delete", "ditch", "minus", NULL};
	static const char *const skip[] = {"the", "that", "those", "this", "any", "keyword",
	                                   "keywords", "word", "term", "\"", "'", NULL};
	const strlist *kw = p->ctx && p->ctx->state ? &p->ctx->state->keywords : NULL;
	if (!kw || !kw->n)
		return;
	for (int i = 0; i < p->n; i++) {
		if (!is_in(p, i, verbs) || p->t[i].used)
			continue;
		int j = i + 1, found = 0;
		while (j < p->n && j <= i + 4 && (is_in(p, j, skip) || p->t[j].kind == T_PUNCT) &&
		       !is_punct(p, j, ","))
			j++;
		while (j < p->n && p->t[j].kind == T_WORD && !p->t[j].used) {
			char one[WORD_MAX];
			intent_singular(p->v, p->t[j].w, one, sizeof(one));
			if (!strlist_has(kw, one) && !strlist_has(kw, p->t[j].w))
				break;
			strlist_add(&p->r->delta.del[FF_KEYWORDS], strlist_has(kw, one) ? one : p->t[j].w);
			use(p, j, 1);
			found = 1;
			j++;
			while (is_w(p, j, "or") || is_w(p, j, "and"))
				j++;
		}
		if (!found)
			continue;
		use(p, i, 1);
		for (int k = i + 1; k < j; k++)
			if (is_in(p, k, skip) || p->t[k].kind == T_PUNCT)
				use(p, k, 1);
		if (is_w(p, j, "ones") || is_w(p, j, "one"))
			use(p, j, 1);
		if (is_w(p, j, "after") && is_w(p, j + 1, "all"))
			use(p, j, 2);
	}
}

/* "forget the price limit", "any country is fine", "drop the MOQ",
 * "lead time doesn't matter", "no minimum order". */
static void find_clears(parse *p)
{
	static const char *const verbs[] = {"forget", "drop",      "remove", "clear",  "ignore",
	                                    "lose",   "skip",      "scrap",  "cancel", "delete",
	                                    "reset",  "lift",      "relax",  "mind",   "without",
	                                    "undo",   "disregard", NULL};
	static const char *const fillers[] = {"the", "my",  "that",  "a",    "any",
	                                      "our", "all", "those", "this", "about",
	                                      "of",  "for", "rid",   "your", NULL};
	static const char *const fine[] = {"fine",     "ok",       "okay",  "matter",
	                                   "matters",  "flexible", "open",  "negotiable",
	                                   "whatever", "good",     "works", NULL};
	for (int i = 0; i < p->n; i++) {
		if (p->t[i].kind != T_WORD || p->t[i].used || !in_list(p->t[i].w, FIELD_WORDS))
			continue;
		unsigned bits = field_bits(p, i);
		/* "supplier type" is the business type, "supplier country" the countries */
		if ((is_w(p, i, "supplier") || is_w(p, i, "suppliers")) && i + 1 < p->n) {
			if (is_w(p, i + 1, "type"))
				bits = 1u << FF_BUSINESS_TYPE;
			else if (is_w(p, i + 1, "country") || is_w(p, i + 1, "countries"))
				bits = (1u << FF_SUPPLIER_COUNTRIES) | (1u << FF_EXCLUDE_COUNTRIES);
			else
				continue;
		}
		if (is_w(p, i, "minimum") && !is_w(p, i + 1, "order"))
			continue;
		if (is_w(p, i, "type") && !is_w(p, i - 1, "business") &&
		    !is_w(p, i - 1, "supplier"))
			continue;
		if (!bits)
			continue;
		int verb = -1;
		/* a clearing verb before: walk back over fillers and field words */
		for (int j = i - 1; j >= 0 && j >= i - 4 && same_clause(p, j, i); j--) {
			if (is_in(p, j, verbs) ||
			    (is_w(p, j, "need") &&
			     (is_w(p, j - 1, "no") || is_w(p, j - 2, "don't"))) ||
			    (is_w(p, j, "care") &&
			     (is_w(p, j - 1, "don't") || is_w(p, j - 1, "dont") ||
			      is_w(p, j - 1, "not")))) {
				verb = j;
				break;
			}
			if (!is_in(p, j, fillers) && !in_list(p->t[j].w, FIELD_WORDS) &&
			    !is_w(p, j, "need") && !is_w(p, j, "don't"))
				break;
		}
		/* "any country", "no price limit", "no minimum order"; but "no trading
		 * companies" and "no samples" answer a yes/no field (find_flags) */
		unsigned flags = (1u << FF_VERIFIED) | (1u << FF_SAMPLES) |
		                 (1u << FF_CUSTOMIZATION) | (1u << FF_BUSINESS_TYPE);
		int anyno = (is_w(p, i - 1, "any") || (is_w(p, i - 1, "no") && !(bits & flags))) &&
		            !p->t[i - 1].used;
		/* "the lead time doesn't matter", "price is flexible" */
		int after = 0;
		for (int k = 1; k <= 4; k++) {
			int j = fwd(p, i, k);
			if (j < 0)
				break;
			/* "samples ok" asks for samples; "samples don't matter" clears */
			int yesflag = bits & ((1u << FF_SAMPLES) | (1u << FF_CUSTOMIZATION));
			if (is_in(p, j, fine) && !is_w(p, j - 1, "not") &&
			    (!yesflag || is_w(p, j, "matter") || is_w(p, j, "matters"))) {
				after = j;
				break;
			}
			if (p->t[j].kind == T_NUM || is_w(p, j, "only"))
				break;
		}
		if (is_w(p, i - 1, "no") && clause_has_number_after(p, i))
			anyno = 0; /* "no more than", "no MOQ above 500" */
		if (verb < 0 && !anyno && !after)
			continue;
		if (clause_has_number_after(p, i))
			continue; /* "lower the price to $5" sets, not clears */
		/* "no samples" / "no logo" are answers about the flag, not clears of a limit */
		if (bits == ~0u) {
			if (verb >= 0) {
				p->r->intents |= INTENT_RESET;
				p->r->delta.reset = 1;
			} else {
				continue;
			}
		} else {
			p->clear |= bits;
		}
		use(p, i, 1);
		if (verb >= 0)
			use(p, verb, 1);
		if (anyno)
			use(p, i - 1, 1);
		if (after)
			use(p, after, 1);
		for (int j = i + 1; j < p->n && j <= i + 2; j++)
			if (in_list(p->t[j].w, FIELD_WORDS) || is_w(p, j, "limit") ||
			    is_w(p, j, "cap") || is_w(p, j, "order") || is_w(p, j, "requirement") ||
			    is_w(p, j, "filter"))
				use(p, j, 1);
	}
}

/* "from anywhere", "anywhere is fine", "doesn't matter where they're made",
 * "wherever": the supplier countries are open again. "sourced anywhere
 * except China" clears them and then excludes China. */
static void find_anywhere(parse *p)
{
	static const char *const origin[] = {"from",     "made",         "based",   "located",
	                                     "produced", "manufactured", "sourced", "in",
	                                     "come",     "comes",        NULL};
	static const char *const fine[] = {"is",   "fine", "ok",   "okay", "works",
	                                   "goes", "good", "will", NULL};
	static const char *const care[] = {"matter", "matters", "care", "mind", NULL};
	unsigned countries = (1u << FF_SUPPLIER_COUNTRIES) | (1u << FF_EXCLUDE_COUNTRIES);
	for (int i = 0; i < p->n; i++) {
		if (p->t[i].used)
			continue;
		if (is_w(p, i, "anywhere") || is_w(p, i, "wherever") || is_w(p, i, "everywhere")) {
			if (is_in(p, i - 1, origin) || is_in(p, i + 1, fine) || p->n <= 2) {
				p->clear |= countries;
				use(p, i, 1);
			}
		} else if (is_w(p, i, "where")) {
			int o = -1;
			for (int k = i + 1; k < p->n && k <= i + 4 && o < 0; k++)
				if (is_in(p, k, origin))
					o = k;
			if (o < 0)
				continue;
			int said = 0;
			for (int k = i - 3; k <= o + 4 && !said; k++)
				said = k >= 0 && k < p->n && k != i && is_in(p, k, care);
			if (said) {
				p->clear |= countries;
				use(p, i, o - i + 1);
			}
		}
	}
}

/* A sentence that asks for advice or an explanation ("is it cheaper from
 * Vietnam or China?", "what's the difference between FOB and EXW?",
 * "what do you think?") changes no filter: its words are spent. A
 * question that asks souk to find something ("can you find mugs under
 * $5?") is a request and is read as one. */
static void find_questions(parse *p)
{
	static const char *const qw[] = {"is",   "are",   "what",  "what's", "whats", "which",
	                                 "who",  "how",   "why",   "when",   "should", "would",
	                                 "does", "do",    "can",   "could",  "isn't",  "where",
	                                 "whos", "who's", "will",  NULL};
	static const char *const lead[] = {"also", "so", "and", "ok", "okay", "but", "hmm", "oh",
	                                   "btw", "then", NULL};
	static const char *const ask[] = {"find", "show", "get", "search", "source", "look",
	                                  "need", "want", "give", "list", "add", "filter",
	                                  "only", "set", "make", NULL};
	static const char *const advise[] = {"think", "difference", "explain", "mean", "means",
	                                     "meaning", "usually", "typically", "generally",
	                                     "better", "worth", "advice", "recommend", "why",
	                                     "opinion", "work", "normal", "suggest", "cheapest",
	                                     "fastest", "quickest", "best", "highest", "lowest",
	                                     NULL};
	int start = 0;
	for (int i = 0; i < p->n; i++) {
		int end = p->t[i].kind == T_PUNCT && strchr(".!?", p->t[i].w[0]);
		if (!end && i + 1 < p->n)
			continue;
		int first = start;
		while (first < i && (is_in(p, first, lead) || p->t[first].kind == T_PUNCT))
			first++;
		int request = 0, advice = 0;
		for (int k = first; k <= i; k++) {
			request |= is_in(p, k, ask);
			advice |= is_in(p, k, advise);
		}
		if (is_punct(p, i, "?") && is_in(p, first, qw) && advice && !request)
			use(p, start, i - start + 1);
		start = i + 1;
	}
}

static void find_intents(parse *p)
{
	static const char *const
	        r1[] = {"start", "over", NULL},
	        *const r2[] = {"start", "again", NULL}, *const r3[] = {"from", "scratch", NULL},
	        *const r4[] = {"start", "fresh", NULL}, *const r5[] = {"new", "search", NULL},
	        *const r6[] = {"clear", "all", NULL}, *const r7[] = {"forget", "everything", NULL},
	        *const r8[] = {"begin", "again", NULL}, *const r9[] = {"clean", "slate", NULL},
	        *const r10[] = {"restart", NULL}, *const r11[] = {"forget", "all", "that", NULL},
	        *const r12[] = {"reset", NULL};
	static const char *const *const resets[] = {r1, r2, r3,  r4,  r5,  r6,  r7,
	                                            r8, r9, r10, r11, r12, NULL};
	static const char *const u1[] = {"undo", NULL}, *const u2[] = {"go", "back", NULL},
	                         *const u3[] = {"revert", NULL},
	                         *const u4[] = {"scratch", "that", NULL},
	                         *const u5[] = {"take", "that", "back", NULL};
	static const char *const *const undos[] = {u1, u2, u3, u4, u5, NULL};
	static const char *const
	        e1[] = {"explore", NULL},
	        *const e2[] = {"exploring", NULL}, *const e3[] = {"idea", "of", NULL},
	        *const e4[] = {"overview", NULL}, *const e5[] = {"tell", "me", "about", NULL},
	        *const e6[] = {"interested", "in", NULL}, *const e7[] = {"thinking", "about", NULL},
	        *const e8[] = {"thinking", "of", NULL}, *const e9[] = {"curious", "about", NULL},
	        *const e10[] = {"looking", "into", NULL}, *const e11[] = {"landscape", NULL},
	        *const e12[] = {"ideas", "for", NULL};
	static const char *const *const explores[] = {e1, e2, e3,  e4,  e5,  e6,  e7,
	                                              e8, e9, e10, e11, e12, NULL};
	static const char *const h1[] = {"help", NULL},
	                         *const h2[] = {"what", "can", "you", "do", NULL},
	                         *const h3[] = {"how", "does", "this", "work", NULL};
	static const char *const *const helps[] = {h1, h2, h3, NULL};

	/* "reset the price" clears a field (find_clears): only a bare reset resets */
	if (!(is_w(p, 0, "reset") && p->n > 1 && in_list(p->t[1].w, FIELD_WORDS)) &&
	    find_phrase(p, resets)) {
		p->r->intents |= INTENT_RESET;
		p->r->delta.reset = 1;
	}
	/* "never mind" alone takes back; "never mind the price" clears */
	if (find_phrase(p, undos) ||
	    (is_w(p, 0, "never") && is_w(p, 1, "mind") &&
	     (p->n == 2 || !in_list(p->t[2].w, FIELD_WORDS)) && p->n <= 3)) {
		p->r->intents |= INTENT_UNDO;
		use(p, 0, p->n <= 3 && is_w(p, 0, "never") ? p->n : 0);
	}
	if (find_phrase(p, explores))
		p->r->intents |= INTENT_EXPLORE;
	if (p->n <= 5 && find_phrase(p, helps))
		p->r->intents |= INTENT_HELP;
	if (p->n == 1 && is_punct(p, 0, "?"))
		p->r->intents |= INTENT_HELP;

	/* yes / no answers: the whole turn is answer words */
	static const char *const yes_strong[] = {
	        "yes",     "yeah",       "yep",        "yup",    "sure",    "ok",    "okay",
	        "y",       "absolutely", "definitely", "please", "require", "add",   "include",
	        "correct", "right",      "ahead",      "course", "good",    "great", "fine",
	        "perfect", "yea",        "ya",         "k",      "alright", NULL};
	static const char *const yes_weak[] = {
	        "do",     "it",     "go",     "ahead", "of",    "course", "sounds", "good", "them",
	        "those",  "that",   "thanks", "thank", "you",   "great",  "fine",   "all",  "both",
	        "please", "that's", "thats",  "it's",  "works", "with",   "me",     NULL};
	static const char *const no_strong[] = {"no",  "nope",  "nah",  "n",    "skip",
	                                        "not", "don't", "dont", "pass", NULL};
	static const char *const no_weak[] = {"needed", "necessary", "thanks", "thank",  "you",
	                                      "it",     "that",      "leave",  "now",    "them",
	                                      "those",  "required",  "need",   "bother", "right",
	                                      "for",    NULL};
	int words = 0, yes = 0, yw = 0, no = 0, nw = 0;
	for (int i = 0; i < p->n; i++) {
		if (p->t[i].kind == T_PUNCT)
			continue;
		words++;
		if (is_in(p, i, yes_strong))
			yes++;
		else if (is_in(p, i, yes_weak))
			yw++;
		if (is_in(p, i, no_strong))
			no++;
		else if (is_in(p, i, no_weak))
			nw++;
	}
	if (words && yes && yes + yw == words && !no) {
		p->r->intents |= INTENT_YES;
		use(p, 0, p->n);
	} else if (words && no && no + nw == words) {
		p->r->intents |= INTENT_NO;
		use(p, 0, p->n);
	}
}

static int ordinal_word(const char *w)
{
	static const char *const ords[] = {"first",   "second", "third", "fourth", "fifth", "sixth",
	                                   "seventh", "eighth", "ninth", "tenth",  NULL};
	for (int i = 0; ords[i]; i++)
		if (!strcmp(w, ords[i]))
			return i + 1;
	return 0;
}

/* "more like #3", "similar to row 2", "like the third one". */
static void find_similar(parse *p)
{
	static const char *const cue[] = {"like", "similar", "same", "resembling", NULL};
	static const char *const filler[] = {"to",  "as",      "the",      "row",  "number", "no",
	                                     "nr",  "option",  "result",   "item", "offer",  "line",
	                                     "one", "product", "supplier", NULL};
	static const char *const want[] = {"i'd", "we'd", "would", "id", "wed", NULL};
	/* "like 3 but cheaper", not "like 300 mugs" (about 300) */
	static const char *const after_row[] = {"one",  "but",    "please", "and",     "or",
	                                        "only", "though", "thanks", "with",    "in",
	                                        "from", "for",    "except", "instead", NULL};
	for (int i = 0; i < p->n; i++) {
		/* "I'd like 500 mugs", "like 500pcs": wanting or about, not similar */
		if (!is_in(p, i, cue) || is_in(p, i - 1, want))
			continue;
		for (int j = i + 1; j < p->n && j <= i + 4; j++) {
			tok *t = &p->t[j];
			int row = 0, kind;
			double f;
			if (t->kind == T_NUM && !t->decimal && !t->kilo && t->num >= 1 &&
			    t->num <= 1000 && !is_measure_word(p, j + 1) &&
			    !(j > 0 && p->t[j - 1].kind == T_SYM) &&
			    !(unit_of(p, j + 1, &kind, &f) && kind == U_SPEC) &&
			    !(j + 1 < p->n && p->t[j + 1].kind == T_WORD &&
			      !is_in(p, j + 1, after_row)))
				row = (int)t->num;
			else if (t->kind == T_WORD && ordinal_word(t->w))
				row = ordinal_word(t->w);
			if (row) {
				p->r->intents |= INTENT_SIMILAR;
				p->r->similar_row = row;
				use(p, i, j - i + 1);
				if (is_w(p, j + 1, "one"))
					use(p, j + 1, 1);
				return;
			}
			if (!(t->kind == T_PUNCT && t->w[0] == '#') && !is_in(p, j, filler))
				break;
		}
	}
}

/* ---- certifications ---- */

static void cert_action(parse *p, const char *alias, const char *canon, int del)
{
	if (!del) {
		strlist_add(&p->cert_add, canon);
		strlist_remove(&p->cert_del, canon);
		return;
	}
	/* a bare family name ("ISO") deletes every member of the family, those
	 * the vocabulary knows and those the state holds ("ISO 22716") */
	size_t al = strlen(alias);
	int family = 0;
	const strlist *held = p->ctx && p->ctx->state ? &p->ctx->state->certifications : NULL;
	for (int i = 0; i < p->v->ncerts + (held ? held->n : 0); i++) {
		const char *c = i < p->v->ncerts ? p->v->certs[i] : held->v[i - p->v->ncerts];
		if (strlen(c) > al + 1 && !strncasecmp(c, alias, al) && c[al] == ' ') {
			strlist_add(&p->cert_del, c);
			family = 1;
		}
	}
	if (!family)
		strlist_add(&p->cert_del, canon);
	strlist_remove(&p->cert_add, canon);
}

/* A numbered standard: "ISO 22716", "ISO-13485", "iso14001", "IEC 60335",
 * "EN 1888", "ISO 9001:2015". Any number after a standards body names a
 * certificate, never a quantity; the vocabulary's spelling wins when it
 * knows the standard, otherwise the name is kept as "ISO 22716". Returns
 * the tokens used (0: none) and writes the name. */
static int numbered_standard(const parse *p, int i, char *name, size_t n)
{
	static const char *const bodies[] = {"iso", "iec", "en", "astm", "ansi", "bs", NULL};
	const tok *t = &p->t[i];
	if (t->kind != T_WORD)
		return 0;
	char body[8] = "";
	const char *digits = NULL;
	int used = 0;
	for (int b = 0; bodies[b] && !digits; b++) {
		size_t bl = strlen(bodies[b]);
		if (strncmp(t->w, bodies[b], bl))
			continue;
		const char *rest = t->w + bl;
		if (*rest == '-')
			rest++;
		if (!t->w[bl] && i + 1 < p->n && p->t[i + 1].kind == T_NUM &&
		    !p->t[i + 1].decimal && !p->t[i + 1].kilo && p->t[i + 1].num >= 1 &&
		    p->t[i + 1].num < 1e6 && !p->t[i + 1].used) {
			digits = p->t[i + 1].w;
			used = 2;
		} else if (isdigit((unsigned char)*rest) &&
		           strspn(rest, "0123456789") == strlen(rest) && strlen(rest) <= 6) {
			digits = rest;
			used = 1;
		}
		if (digits)
			snprintf(body, sizeof(body), "%s", bodies[b]);
	}
	if (!digits)
		return 0;
	/* "en", "bs" and "ansi" read as standards only in capitals or glued to the number */
	if ((!strcmp(body, "en") || !strcmp(body, "bs") || !strcmp(body, "ansi")) && used == 2 &&
	    !t->caps)
		return 0;
	char alias[64];
	snprintf(alias, sizeof(alias), "%s %.12s", body, digits);
	const char *canon = intent_cert_canonical(p->v, alias);
	if (canon) {
		snprintf(name, n, "%s", canon);
	} else {
		snprintf(name, n, "%s", alias);
		for (char *c = name; *c && *c != ' '; c++)
			*c = (char)toupper((unsigned char)*c);
	}
	/* the year of the edition: "ISO 9001:2015" */
	int e = i + used;
	if (is_punct(p, e, ":") && e + 1 < p->n && p->t[e + 1].kind == T_NUM &&
	    p->t[e + 1].num >= 1980 && p->t[e + 1].num <= 2100)
		used += 2;
	return used;
}

static int cert_cue(const parse *p, int i)
{
	static const char *const cues[] = {
	        "certified", "certification", "certificate", "compliant",   "compliance",
	        "approved",  "standard",      "regulation",  "regulations", "registered",
	        "mark",      "marked",        "cert",        NULL};
	return is_in(p, i, cues);
}

static void find_certs(parse *p)
{
	int last_end = -10, last_del = 0;
	for (int i = 0; i < p->n; i++) {
		if (p->t[i].used)
			continue;
		int len;
		char numbered[64];
		const char *canon;
		int v = -1;
		if ((len = numbered_standard(p, i, numbered, sizeof(numbered))) > 0) {
			canon = numbered;
		} else {
			v = phrase_at(p, i, &p->v->cert, p->v->cert_words, 0, &len);
			if (v < 0)
				continue;
			canon = p->v->certs[v / 2];
		}
		/* "BPA-free", "PFAS-free": a claim about what the product does not
		 * contain, a product attribute rather than a certificate */
		size_t wl = strlen(p->t[i + len - 1].w);
		if (v >= 0 && ((wl > 5 && !strcmp(p->t[i + len - 1].w + wl - 5, "-free")) ||
		               is_w(p, i + len - 1, "free")))
			continue;
		if (v >= 0 && (v & 1)) {
			/* "reach", "gs", "cb": only in capitals, in a list, or with a cue */
			int near = 0;
			for (int k = -3; k <= 3 && !near; k++) {
				int j = i + k;
				if (k == 0 || j < 0 || j >= p->n)
					continue;
				int l2;
				if (cert_cue(p, j) ||
				    (phrase_at(p, j, &p->v->cert, p->v->cert_words, 0, &l2) >= 0 &&
				     !(smap_get(&p->v->cert, p->t[j].w) & 1)))
					near = 1;
			}
			if (!p->t[i].caps && !near)
				continue;
		}
		char alias[128] = "";
		for (int j = i; j < i + len; j++) {
			if (j > i)
				strcat(alias, " ");
			strncat(alias, p->t[j].w, sizeof(alias) - strlen(alias) - 2);
		}
		/* a list ("drop CE and FCC") continues the action of its head */
		int cont = 1;
		for (int j = last_end; j < i && cont; j++)
			if (j < 0 ||
			    !(is_w(p, j, "and") || is_w(p, j, "or") || is_punct(p, j, ",") ||
			      is_punct(p, j, "/") || is_punct(p, j, "&") || is_w(p, j, "nor")))
				cont = 0;
		int del;
		static const char *const swap[] = {"swap", "replace", "switch", "exchange",
		                                   "substitute", NULL};
		if (is_in(p, back(p, i, 1), swap) ||
		    (is_w(p, back(p, i, 1), "not") && is_in(p, back(p, i, 2), swap)))
			del = 1; /* "swap FCC for RoHS": FCC goes, RoHS comes */
		else if ((is_w(p, back(p, i, 1), "for") || is_w(p, back(p, i, 1), "with")) &&
		         last_end == back(p, i, 1) && last_del)
			del = 0;
		else if (cont && last_end >= 0 && i - last_end <= 2)
			del = last_del;
		else
			del = negated_before(p, i, 3) || negated_after(p, i + len - 1);
		cert_action(p, alias, canon, del);
		use(p, i, len);
		if (cert_cue(p, i + len))
			use(p, i + len, 1);
		last_end = i + len;
		last_del = del;
		i += len - 1;
	}
}

/* ---- countries ---- */

/* R_HOME: where the buyer is (their shop, their city): the market unless
 * the turn also says where they sell. R_SKIP: a place that is no filter
 * ("my friend in Germany"). */
enum role { R_NONE, R_SUP, R_EXC, R_MKT, R_UNEXC, R_LAST, R_ADD, R_DEL, R_HOME, R_SKIP };

static const char *const MARKET_AFTER[] = {
        "retailer",  "shop",     "importer", "importers", "e-commerce", "ecommerce",
        "consumer",  "customer", "market",   "markets",   "customers",  "buyers",
        "consumers", "shoppers", "clients",  "retail",    "store",      "stores",
        "retailers", "sellers",  "audience", NULL};
static const char *const SUPPLIER_AFTER[] = {
        "suppliers", "supplier",  "factories", "factory",   "manufacturers", "manufacturer",
        "vendors",   "vendor",    "makers",    "companies", "company",       "origin",
        "made",      "producers", "mills",     "based",     "sellers",       "exporters",
        "sources",   "brands",    NULL};

/* A country mention at i: its index, adjective flag and length, or -1. */
static int country_at(const parse *p, int i, int *adj, int *len)
{
	const tok *t = &p->t[i];
	if (t->kind != T_WORD)
		return -1;
	int v = phrase_at(p, i, &p->v->country, p->v->country_words, 1, len);
	if (v >= 0) {
		char w[WORD_MAX];
		undot(t->w, w, sizeof(w));
		/* "us" is a pronoun unless written "US", "U.S.", after "the" or
		 * alone (an answer) */
		if (*len == 1 && !strcmp(w, "us") && !t->caps && !strchr(t->w, '.') &&
		    !is_w(p, i - 1, "the") && !is_w(p, i - 1, "amazon") &&
		    !is_w(p, i + 1, "market") && p->n > 1)
			return -1;
		*adj = v & 1;
		return v / 2;
	}
	/* ISO codes in capitals ("from VN"), except words that read as English */
	static const char *const not_codes[] = {
	        "it", "in", "id", "no", "or", "at", "be", "is", "to", "me", "my", "am",
	        "an", "as", "do", "go", "hi", "if", "of", "on", "so", "up", "we", "ce",
	        "ul", "cb", "gs", "kc", "pa", "la", "ok", "tv", "pc", "us", NULL};
	if (t->caps && strlen(t->w) == 2 && !in_list(t->w, not_codes)) {
		for (int k = 0; k < p->v->ncountries; k++) {
			if (!strcasecmp(p->v->countries[k].code, t->w)) {
				*adj = 0;
				*len = 1;
				return k;
			}
		}
	}
	return -1;
}

/* Skips conjunctions and further country names after a mention, so
 * "Chinese or Vietnamese suppliers" reads "suppliers" for both. */
static int after_list(const parse *p, int e)
{
	int j = e;
	while (j < p->n && j < e + 10) {
		int adj, len;
		if (is_w(p, j, "or") || is_w(p, j, "and") || is_punct(p, j, ",") ||
		    is_punct(p, j, "/") || is_w(p, j, "the") || is_w(p, j, "'s")) {
			j++;
		} else if (country_at(p, j, &adj, &len) >= 0) {
			j += len;
		} else {
			break;
		}
	}
	return j;
}

static int correction(const parse *p);

static int wclass_of(const parse *p, int i)
{
	if (i < 0 || i >= p->n || p->t[i].kind != T_WORD)
		return WC_NONE;
	int c = smap_get(&p->v->wclass, p->t[i].w);
	return c < 0 ? WC_NONE : c;
}

/* "our three gift shops", "a small skincare brand": the words that
 * describe the buyer's own business, back from its noun at j to a
 * determiner, are neither product words nor a quantity. */
static void use_business(parse *p, int j)
{
	static const char *const det[] = {"our", "my", "a", "an", "the", "we", "i", "have",
	                                  "own", "run", "with", NULL};
	int k = j;
	while (k >= 0 && same_clause(p, k, j) && !is_in(p, k, det) && j - k < 5)
		k--;
	use(p, k + 1, j - k);
}

/* Prepositions of being somewhere: "our shop in Lyon", "stores across
 * Bavaria", "craft fairs around Manchester". */
static const char *const AT_PLACE[] = {"in", "around", "across", "near", "throughout", NULL};

/* Where the buyer is, from the words before a place at s: a buyer's
 * business before the preposition ("my bakery in Porto", "Etsy seller in
 * Ohio") is the buyer's home; someone else ("my friend in Germany") makes
 * the place no filter; "I'm in Kraków", "we're from Dublin" are home too. */
static enum role home_role(parse *p, int s)
{
	static const char *const me[] = {"i'm", "im", "we're", "were", "i", "we", "am", NULL};
	static const char *const here[] = {"here", "based", "located", NULL};
	int b1 = back(p, s, 1);
	if (is_w(p, b1, "from") && is_in(p, back(p, s, 2), me))
		return R_HOME;
	if (!is_in(p, b1, AT_PLACE))
		return R_NONE;
	for (int k = 2; k <= 4; k++) {
		int j = back(p, s, k);
		if (j < 0)
			break;
		int c = wclass_of(p, j);
		if (k == 2 && (is_in(p, j, me) || is_in(p, j, here)))
			return R_HOME;
		if (c == WC_PERSON)
			return R_SKIP;
		if (c == WC_BUYER) {
			use_business(p, j);
			return R_HOME;
		}
		if (in_list(p->t[j].w, SUPPLIER_AFTER) || is_w(p, j, "from"))
			return R_NONE;
	}
	return R_NONE;
}

/* "not Nepal after all", "I meant Vietnam, not Thailand", "sorry, EU not
 * UK": a "not" (at neg) before a country the conversation already lists
 * takes it back out of its list instead of excluding it. */
static int taken_back(const parse *p, int s, int e, int neg)
{
	/* "not from China" says where not to buy: an exclusion */
	if ((!is_w(p, neg, "not") && !is_w(p, neg, "no")) || neg != back(p, s, 1))
		return 0;
	const souk_filter *st = p->ctx ? p->ctx->state : NULL;
	if (!st)
		return 0;
	char code[8] = "";
	int adj, len, k = country_at(p, s, &adj, &len);
	if (k >= 0)
		snprintf(code, sizeof(code), "%s", p->v->countries[k].code);
	int listed = strlist_has(&st->supplier_countries, code) ||
	             (st->market && !strcmp(st->market, code));
	int after_all = is_w(p, e, "after") && is_w(p, e + 1, "all");
	return listed && (after_all || correction(p));
}

/* A word that can be part of a product's name: not a function or filter
 * word, not a place, not a certification, not the buyer's business. */
static int product_word(const parse *p, int i)
{
	if (i < 0 || i >= p->n || p->t[i].kind != T_WORD || p->t[i].used)
		return 0;
	const char *w = p->t[i].w;
	int adj, len;
	if (smap_get(&p->v->stop, w) >= 0 || in_list(w, MARKET_AFTER) ||
	    in_list(w, SUPPLIER_AFTER) || smap_get(&p->v->cert, w) >= 0 ||
	    country_at(p, i, &adj, &len) >= 0)
		return 0;
	int c = wclass_of(p, i);
	return c != WC_BUYER && c != WC_PERSON;
}

/* Joins tokens [i, i + k) into one product term ("french terry"). */
static void merge_words(parse *p, int i, int k)
{
	char w[WORD_MAX] = "";
	for (int j = i; j < i + k; j++) {
		if (j > i)
			strncat(w, " ", sizeof(w) - strlen(w) - 1);
		strncat(w, p->t[j].w, sizeof(w) - strlen(w) - 1);
	}
	snprintf(p->t[i].w, WORD_MAX, "%s", w);
	p->t[i].kind = T_WORD;
	tok_drop(p, i + 1, k - 1);
}

/* Whether the country mention [i, e) names a kind of product rather than
 * a place: a nationality adjective right before a product noun ("Dutch
 * ovens", "Swedish dishcloths", "Thai fisherman pants"), unless the noun
 * phrase ends in a word for a market or a supplier ("the Dutch market",
 * "an Aussie surf shop", "German kitchen factories"); a country's name
 * used as a noun before a product noun, with nothing before it that makes
 * it a place ("Panama hats", "bone china teacups", "turkey fryer"). */
static int names_product(const parse *p, int i, int e, int adj)
{
	if (!product_word(p, e))
		return 0;
	int k = e;
	/* "waffle makers", "ice makers": after a product word, a maker is one */
	while (k < e + 3 && (product_word(p, k) ||
	                     (k > e && (is_w(p, k, "maker") || is_w(p, k, "makers")))))
		k++;
	if (is_in(p, k, MARKET_AFTER) || is_in(p, k, SUPPLIER_AFTER) ||
	    wclass_of(p, k) == WC_BUYER || is_in(p, k, AT_PLACE))
		return 0;
	if (adj)
		return 1;
	int b = i - 1;
	return e - i == 1 && (b < 0 || !same_clause(p, b, i) || product_word(p, b));
}

/* Product names that hold a place or filter word: the compounds table
 * first, then names_product; each becomes one keyword token. */
static void find_compounds(parse *p)
{
	for (int i = 0; i < p->n; i++) {
		int len, adj;
		if (p->t[i].kind != T_WORD || p->t[i].gone)
			continue;
		/* "BPA free": the claim as one word, "bpa-free" */
		if (is_w(p, i + 1, "free") && !p->t[i + 1].gone) {
			char w[2 * WORD_MAX + 8];
			snprintf(w, sizeof(w), "%s free", p->t[i].w);
			if (smap_get(&p->v->cert, w) >= 0) {
				snprintf(w, sizeof(w), "%s-free", p->t[i].w);
				tok_set(&p->t[i], w, strlen(w) < WORD_MAX ? strlen(w) : WORD_MAX - 1);
				tok_drop(p, i + 1, 1);
				i++;
				continue;
			}
		}
		if (phrase_at(p, i, &p->v->compound, p->v->compound_words, 0, &len) >= 0 && len > 1) {
			tok head = p->t[i + len - 1];
			int keep = product_word(p, i + len - 1);
			merge_words(p, i, len);
			if (keep) /* "panama hat" and "hat"; "bone china" alone */
				p->t[i + len - 1] = head;
			i += len - 1;
			continue;
		}
		if (country_at(p, i, &adj, &len) >= 0 && names_product(p, i, i + len, adj)) {
			/* "panama hat", and "hat" on its own too */
			tok head = p->t[i + len];
			merge_words(p, i, len + 1);
			p->t[i + len] = head;
			i += len;
		}
	}
	tok_compact(p);
}

static enum role country_role(parse *p, int s, int e, int adj, int region, int prev_end,
                              enum role prev_role)
{
	static const char *const exc[] = {"not",       "no",      "avoid",   "avoiding", "exclude",
	                                  "excluding", "except",  "without", "outside",  "don't",
	                                  "dont",      "never",   "non",     "nor",      "ban",
	                                  "besides",   "nothing", "none",    "excl",     "nowhere",
	                                  "skip",      NULL};
	static const char *const mkt_prep[] = {"for", "to", "into", "amazon", "destination", NULL};
	static const char *const sell[] = {
	        "sell",   "selling", "sold",      "sale",       "retail",    "launch", "launching",
	        "market", "import",  "importing", "distribute", "customers", "buyers", "shipping",
	        "ship",   "deliver", "delivery",  "export",     "exporting", NULL};
	static const char *const sup_prep[] = {"from",         "in",       "made",
	                                       "based",        "located",  "sourced",
	                                       "manufactured", "produced", NULL};
	static const char *const change[] = {"change",  "switch",  "swap", "replace",
	                                     "make",    "move",    "that", "it",
	                                     "instead", "changed", NULL};
	static const char *const add[] = {"also",      "add", "plus", "include",
	                                  "including", "and", NULL};
	static const char *const buyer[] = {"we", "i",       "we're",    "i'm",   "are",  "am",
	                                    "im", "company", "business", "store", "shop", NULL};
	static const char *const del[] = {"drop",  "remove", "forget", "delete",
	                                  "minus", "lose",   "scrap",  NULL};
	int b1 = back(p, s, 1);

	/* "anything but China" excludes it, "nothing but Vietnam" keeps only it */
	if (is_w(p, b1, "but") && is_in(p, back(p, s, 2), BUT_EXCEPT))
		return R_EXC;
	if (is_w(p, b1, "but") && is_in(p, back(p, s, 2), BUT_ONLY))
		return R_SUP;
	/* "other than China", "apart from India", "other than from China" */
	int o = is_w(p, b1, "from") && is_w(p, back(p, s, 2), "than") ? 1 : 0;
	if ((is_w(p, back(p, s, 1 + o), "than") && is_w(p, back(p, s, 2 + o), "other")) ||
	    (is_w(p, b1, "from") && is_w(p, back(p, s, 2), "apart")))
		return R_EXC;
	/* "swap India for Nepal", "replace China with Vietnam": the first goes,
	 * the second comes into the same list */
	static const char *const swap[] = {"swap",  "replace",  "substitute", "switch", "exchange",
	                                   "trade", "swapping", "replacing",  NULL};
	if (is_in(p, b1, swap) && (is_w(p, e, "for") || is_w(p, e, "with") || is_w(p, e, "by")))
		return R_DEL;
	if ((is_w(p, b1, "for") || is_w(p, b1, "with") || is_w(p, b1, "by")) &&
	    back(p, s, 2) >= 0 && p->t[back(p, s, 2)].country && is_in(p, back(p, s, 3), swap))
		return R_ADD;
	/* "add in Nepal", "also from Turkey": adding, whatever the preposition */
	static const char *const more[] = {"add", "also", "plus", "include", "including", NULL};
	if ((is_w(p, b1, "in") || is_w(p, b1, "from")) && is_in(p, back(p, s, 2), more))
		return R_ADD;
	/* "drop Vietnam", "take out India": out of whichever list it is in */
	for (int k = 1; k <= 2; k++)
		if (is_in(p, back(p, s, k), del) ||
		    ((is_w(p, back(p, s, k), "out") || is_w(p, back(p, s, k), "off")) &&
		     is_w(p, back(p, s, k + 1), "take")))
			return R_DEL;
	/* a negation shortly before wins: "not from China", "no Chinese suppliers";
	 * pronouns and verbs of getting do not count toward the distance ("I don't
	 * want them from China") */
	static const char *const thin[] = {"them", "it",     "those", "these", "any",
	                                   "want", "need",   "buy",   "get",   "ones",
	                                   "made", "coming", "come",  "to",    NULL};
	for (int k = 1, words = 0; k <= 6 && words < 3; k++) {
		int j = back(p, s, k);
		if (j < 0 || p->t[j].kind == T_NUM)
			break;
		if (is_in(p, j, exc))
			return taken_back(p, s, e, j) ? R_DEL : R_EXC;
		if (!is_in(p, j, thin))
			words++;
	}
	if (b1 >= 0) {
		enum role home = home_role(p, s);
		if (home != R_NONE)
			return home;
		if (is_w(p, b1, "to") && is_in(p, back(p, s, 2), change))
			return R_LAST;
		/* "selling pickleball paddles in Germany" */
		for (int k = 2; is_w(p, b1, "in") && k <= 6; k++)
			if (is_in(p, back(p, s, k), sell) && !is_w(p, back(p, s, k), "market"))
				return R_MKT;
		/* "we are based in Germany": the buyer's home is the market */
		if (is_w(p, b1, "in") && is_w(p, back(p, s, 2), "based") &&
		    (is_in(p, back(p, s, 3), buyer) || wclass_of(p, back(p, s, 3)) == WC_BUYER))
			return R_HOME;
		if (is_w(p, b1, "in") && is_in(p, back(p, s, 2), MARKET_AFTER))
			return R_MKT;
		if (is_in(p, b1, mkt_prep))
			return R_MKT;
		if (is_in(p, b1, sup_prep))
			return R_SUP;
	}
	int j = after_list(p, e);
	if (is_in(p, j, MARKET_AFTER))
		return R_MKT;
	if (is_in(p, j, SUPPLIER_AFTER))
		return R_SUP;
	/* "Turkey only", "China is fine", "Cambodia instead" */
	if (is_w(p, j, "only"))
		return R_SUP;
	/* "Czechia is fine as well", "Peru works too": one more */
	for (int k = j; k < j + 5 && k < p->n && same_clause(p, k, s); k++)
		if (is_w(p, k, "too") || (is_w(p, k, "as") && is_w(p, k + 1, "well")))
			return R_ADD;
	if ((is_w(p, j, "is") || is_w(p, j, "are")) &&
	    (is_w(p, j + 1, "fine") || is_w(p, j + 1, "ok") || is_w(p, j + 1, "okay") ||
	     is_w(p, j + 1, "allowed") || is_w(p, j + 1, "acceptable")))
		return R_UNEXC;
	if (is_w(p, j, "ok") || is_w(p, j, "okay") || is_w(p, j, "allowed") || is_w(p, j, "fine"))
		return R_UNEXC;
	if (is_w(p, j, "excluded") || is_w(p, j, "banned"))
		return R_EXC;
	/* "China is a no-go", "China is out", "China is not ok" */
	static const char *const nogo[] = {"no-go",  "nogo",        "out",          "excluded",
	                                   "banned", "dealbreaker", "deal-breaker", "forbidden",
	                                   "not",    NULL};
	if ((is_w(p, j, "is") || is_w(p, j, "are")) &&
	    (is_in(p, j + 1, nogo) || (is_w(p, j + 1, "a") && is_in(p, j + 2, nogo))))
		return R_EXC;
	if (is_w(p, j - 1, "'s") &&
	    (is_in(p, j, nogo) || (is_w(p, j, "a") && is_in(p, j + 1, nogo))))
		return R_EXC; /* "China's out" */
	if (is_w(p, j, "instead"))
		return R_LAST;
	/* a list continues the role of its head: "from Vietnam, India or Thailand" */
	if (prev_end >= 0 && prev_role != R_NONE) {
		int cont = 1;
		for (int k = prev_end; k < s && cont; k++)
			if (!(is_w(p, k, "and") || is_w(p, k, "or") || is_punct(p, k, ",") ||
			      is_punct(p, k, "/") || is_punct(p, k, "&") || is_w(p, k, "nor") ||
			      is_w(p, k, "the")))
				cont = 0;
		if (cont)
			return prev_role;
	}
	if (is_in(p, b1, add) || is_w(p, j, "too") || (is_w(p, j, "as") && is_w(p, j + 1, "well")))
		return R_ADD;
	if (b1 >= 0 && is_w(p, b1, "only"))
		return R_SUP;
	if (adj)
		return R_SUP;
	/* "actually make that Portugal" corrects the last country said, even
	 * while a question about the market is open */
	int last = p->ctx && p->ctx->last_country_field != FF_COUNT;
	if (last && correction(p))
		return R_LAST;
	if (p->ctx && p->ctx->expect == INTENT_EXPECT_MARKET)
		return R_MKT;
	if (p->ctx && p->ctx->expect == INTENT_EXPECT_COUNTRY)
		return R_SUP;
	/* A bare country ("the US", "Germany") is where the goods go: supplier
	 * countries come with "from", "made in" or "suppliers". A list of bare
	 * countries or a region cannot be one market. */
	int list = prev_end >= 0 && s - prev_end <= 2;
	for (int k = e; k < j && !list; k++) {
		int a2, l2;
		list = country_at(p, k, &a2, &l2) >= 0;
	}
	if (!list && !region)
		return R_MKT;
	if (last)
		return R_LAST;
	return R_SUP;
}

static int role_field(const parse *p, enum role r)
{
	switch (r) {
	case R_HOME:
	case R_MKT:
		return FF_MARKET;
	case R_EXC:
		return FF_EXCLUDE_COUNTRIES;
	case R_LAST:
	case R_ADD: {
		/* a market is one place: "also X" adds to a list, never replaces it */
		int f = p->last_cfield != FF_COUNT ? p->last_cfield
		        : p->ctx && p->ctx->last_country_field != FF_COUNT ? p->ctx->last_country_field
		                                                            : FF_SUPPLIER_COUNTRIES;
		return r == R_ADD && f == FF_MARKET ? FF_SUPPLIER_COUNTRIES : f;
	}
	default:
		return FF_SUPPLIER_COUNTRIES;
	}
}

static void country_action(parse *p, const char *code, enum role r, int field);

/* A city or first-level region of the gazetteer at i ("Lyon", "British
 * Columbia", "Ho Chi Minh City"): *len words; the ISO code of its
 * country, or NULL. A place is read only after a preposition of place or
 * in a list of places, and a one-word name that is also an ordinary word
 * ("Nice", "Split", "Mobile") only when written with a capital and the
 * catalog does not use it as a product word in lower case. */
/* "Auckland and Wellington": i follows the place that ended at prev_end,
 * with only a conjunction or comma between. */
static int place_listed(const parse *p, int i, int prev_end)
{
	if (prev_end < 0 || i <= prev_end || i - prev_end > 2)
		return 0;
	for (int k = prev_end; k < i; k++)
		if (!is_w(p, k, "and") && !is_w(p, k, "or") && !is_punct(p, k, ",") &&
		    !is_punct(p, k, "&"))
			return 0;
	return i > prev_end && prev_end < i;
}

static const char *place_at(const parse *p, int i, int *len, int prev_place_end)
{
	static const char *const cue[] = {"in", "around", "across", "near", "throughout", "from",
	                                  "to", "for", "based", "at", NULL};
	if (p->t[i].kind != T_WORD || p->t[i].used)
		return NULL;
	int b1 = back(p, i, 1);
	if (!is_in(p, b1, cue) && !place_listed(p, i, prev_place_end))
		return NULL;
	int v = phrase_at(p, i, &p->v->place, p->v->place_words, 0, len);
	if (v < 0)
		return NULL;
	const tok *t = &p->t[i];
	if (*len == 1 && (smap_get(&p->v->stop, t->w) >= 0 ||
	                  (!t->cap1 && p->ctx && p->ctx->catalog &&
	                   vocab_docs(p->ctx->catalog, t->w) > 0) ||
	                  (!t->cap1 && smap_get(&p->v->wclass, t->w) >= 0)))
		return NULL;
	return p->v->place_codes[v];
}

/* The first of a place's countries that the turn's currency or the
 * conversation's market points to, else the gazetteer's preferred one. */
static void place_code(const parse *p, const char *codes, char out[3])
{
	const char *market = p->market[0]                        ? p->market
	                     : p->ctx && p->ctx->state           ? p->ctx->state->market
	                                                         : NULL;
	for (const char *c = codes; market && *c; c += c[2] ? 3 : 2)
		if (!strncmp(c, market, 2)) {
			memcpy(out, c, 2);
			out[2] = 0;
			return;
		}
	memcpy(out, codes, 2);
	out[2] = 0;
}

static enum role place_role(parse *p, int s, enum role prev_role, int listed)
{
	enum role r = home_role(p, s);
	if (r != R_NONE)
		return r;
	int b1 = back(p, s, 1);
	if (listed && prev_role != R_NONE)
		return prev_role;
	for (int k = 1; k <= 3; k++) {
		int j = back(p, s, k);
		if (j >= 0 && (in_list(p->t[j].w, SUPPLIER_AFTER) || is_w(p, j, "produced") ||
		               is_w(p, j, "sourced") || is_w(p, j, "manufactured")))
			return R_SUP;
	}
	if (is_w(p, b1, "from"))
		return R_SUP;
	if (is_w(p, b1, "to") || is_w(p, b1, "for"))
		return R_MKT;
	return R_HOME;
}

/* "Amazon.co.uk", "amazon.de", "etsy.fr": a shop's domain names the
 * market by its country's top-level domain (uk is GB's). */
static int domain_market(parse *p, int i)
{
	const char *w = p->t[i].w, *dot = strrchr(w, '.');
	if (!dot || dot == w || strlen(dot + 1) != 2 || !isalpha((unsigned char)dot[1]) ||
	    !isalpha((unsigned char)dot[2]))
		return 0;
	char code[3] = {(char)toupper((unsigned char)dot[1]), (char)toupper((unsigned char)dot[2]), 0};
	if (!strcmp(code, "UK"))
		strcpy(code, "GB");
	for (int k = 0; k < p->v->ncountries; k++)
		if (!strcmp(p->v->countries[k].code, code)) {
			snprintf(p->market, sizeof(p->market), "%s", code);
			p->market_weight = 2;
			use(p, i, 1);
			return 1;
		}
	return 0;
}

static void country_action(parse *p, const char *code, enum role r, int field);

/* Places below the country: cities and regions of the gazetteer. */
static int find_place(parse *p, int i, int *prev_end, enum role *prev_role)
{
	int len;
	const char *codes = place_at(p, i, &len, *prev_end);
	if (!codes)
		return 0;
	char code[3];
	place_code(p, codes, code);
	enum role r = place_role(p, i, *prev_role, place_listed(p, i, *prev_end));
	if (r != R_SKIP)
		country_action(p, code, r, role_field(p, r));
	if (r != R_SKIP && r != R_UNEXC && r != R_DEL)
		p->last_cfield = role_field(p, r);
	use(p, i, len);
	for (int k = i; k < i + len; k++)
		p->t[k].country = 1;
	*prev_end = i + len;
	*prev_role = r;
	return len;
}

static void find_countries(parse *p)
{
	int prev_end = -1;
	enum role prev_role = R_NONE;
	for (int i = 0; i < p->n; i++) {
		if (p->t[i].used)
			continue;
		int adj = 0, len = 1, idx;
		int non = 0;
		idx = country_at(p, i, &adj, &len);
		int plen;
		if (idx >= 0 && place_at(p, i, &plen, prev_end) && plen > len)
			idx = -1; /* "British Columbia" is no British place */
		if (idx < 0 && !strncmp(p->t[i].w, "non-", 4)) {
			const char *c = intent_country_code(p->v, p->t[i].w + 4);
			for (int k = 0; c && k < p->v->ncountries; k++)
				if (!strcmp(p->v->countries[k].code, c))
					idx = k;
			non = idx >= 0;
			adj = 1;
		}
		/* "China-free", like "BPA-free": without it */
		size_t wl = strlen(p->t[i].w);
		if (idx < 0 && wl > 5 && !strcmp(p->t[i].w + wl - 5, "-free")) {
			char name[WORD_MAX];
			snprintf(name, sizeof(name), "%.*s", (int)(wl - 5), p->t[i].w);
			const char *c = intent_country_code(p->v, name);
			for (int k = 0; c && k < p->v->ncountries; k++)
				if (!strcmp(p->v->countries[k].code, c))
					idx = k;
			non = idx >= 0;
			adj = 1;
		}
		if (idx < 0 && !non) {
			int pl = find_place(p, i, &prev_end, &prev_role);
			if (pl)
				i += pl - 1;
			else
				domain_market(p, i);
			continue;
		}
		const country *cn = &p->v->countries[idx];
		enum role r = non ? R_EXC
		                  : country_role(p, i, i + len, adj, cn->members.n > 0, prev_end,
		                                 prev_role);
		if (r == R_SKIP) {
			use(p, i, len);
			prev_end = i + len;
			prev_role = r;
			i += len - 1;
			continue;
		}
		int field = role_field(p, r);
		/* "take out India": the verb is spent ("take" alone may be a product's) */
		if (r == R_DEL && is_w(p, back(p, i, 2), "take"))
			use(p, back(p, i, 2), 1);
		/* a region, or the EU as a place to buy from, is its member countries */
		strlist codes = {0};
		if (cn->members.n) {
			strlist_copy(&codes, &cn->members);
			if (field == FF_MARKET) {
				note(p,
				     "A market is one country or the EU, so I did not set %s as "
				     "the market.",
				     cn->name);
				strlist_clear(&codes);
			}
		} else if (!strcmp(cn->code, "EU") && field != FF_MARKET) {
			for (int k = 0; k < p->v->ncountries; k++)
				if (money_region(p->v->countries[k].code))
					strlist_add(&codes, p->v->countries[k].code);
		} else {
			strlist_add(&codes, cn->code);
		}
		for (int ci = 0; ci < codes.n; ci++)
			country_action(p, codes.v[ci], r, field);
		strlist_clear(&codes);
		if (r == R_UNEXC || r == R_DEL)
			field = FF_EXCLUDE_COUNTRIES;
		if (r != R_UNEXC && r != R_DEL)
			p->last_cfield = field;
		p->r->country_field = p->last_cfield;
		use(p, i, len);
		for (int k = i; k < i + len; k++)
			p->t[k].country = 1;
		/* "the German market", "Chinese suppliers": the cue word is spent too */
		int j = after_list(p, i + len);
		if (is_in(p, j, MARKET_AFTER) && field == FF_MARKET)
			use(p, j, 1);
		prev_end = i + len;
		prev_role = r == R_ADD || r == R_LAST ? (field == FF_MARKET              ? R_MKT
		                                         : field == FF_EXCLUDE_COUNTRIES ? R_EXC
		                                                                         : R_SUP)
		                                      : r;
		i += len - 1;
	}
}

static void country_action(parse *p, const char *code, enum role r, int field)
{
	{
		if (r == R_UNEXC || r == R_DEL) {
			strlist_add(&p->unexc, code);
			if (r == R_DEL)
				strlist_add(&p->sup_del, code);
		} else if (field == FF_MARKET) {
			int w = r == R_HOME ? 1 : 2;
			if (w >= p->market_weight) {
				snprintf(p->market, sizeof(p->market), "%s", code);
				p->market_weight = w;
			}
		} else if (field == FF_EXCLUDE_COUNTRIES) {
			strlist_add(&p->exc, code);
			strlist_remove(&p->sup, code);
			if (r == R_LAST)
				p->exc_replace = 1;
		} else {
			strlist_add(&p->sup, code);
			strlist_remove(&p->exc, code);
			p->sup_said = 1;
			if (r == R_ADD)
				p->sup_additive = 1;
		}
	}
}

/* ---- numbers ---- */

enum cmp { C_NONE, C_MAX, C_MIN };
enum nrole { N_NONE, N_PRICE, N_QTY, N_MOQ, N_LEAD, N_RATING, N_YEARS, N_SPEC, N_SKIP };

static const char *const MAX_WORDS[] = {"under",   "below",   "max",   "maximum", "less",
                                        "fewer",   "cheaper", "lower", "upto",    "within",
                                        "beneath", "tops",    "limit", "cap",     "ceiling",
                                        "budget",  "before",  "by",    "inside",  NULL};
static const char *const MIN_WORDS[] = {"over",     "above",     "more",    "least",
                                        "min",      "minimum",   "greater", "higher",
                                        "starting", "exceeding", "better",  NULL};

/* The comparison word before the number at s ("under", "no higher than");
 * *at gets its index, or -1. */
static enum cmp cmp_before(const parse *p, int s, int *at)
{
	*at = -1;
	for (int k = 1; k <= WINDOW; k++) {
		int j = back(p, s, k);
		if (j < 0 || p->t[j].kind == T_NUM)
			break;
		const tok *t = &p->t[j];
		*at = j;
		if (t->kind == T_PUNCT) {
			if (t->w[0] == '<')
				return C_MAX;
			if (t->w[0] == '>')
				return C_MIN;
			continue;
		}
		if (is_w(p, j, "most"))
			return C_MAX; /* at most */
		if ((is_w(p, j, "more") || is_w(p, j, "over") || is_w(p, j, "above") ||
		     is_w(p, j, "higher") || is_w(p, j, "greater") || is_w(p, j, "longer") ||
		     is_w(p, j, "later") || is_w(p, j, "bigger") || is_w(p, j, "larger") ||
		     is_w(p, j, "pricier") || is_w(p, j, "slower")) &&
		    (is_w(p, j - 1, "no") || is_w(p, j - 1, "not")))
			return C_MAX;
		/* "faster than 10 days", "shorter than 3 weeks" */
		if ((is_w(p, j, "faster") || is_w(p, j, "shorter") || is_w(p, j, "sooner") ||
		     is_w(p, j, "quicker")) &&
		    is_w(p, j + 1, "than"))
			return C_MAX;
		/* "prices from $1": a floor, only right before its number */
		const char *code;
		double sc;
		if (is_w(p, j, "from") && j == s - 1 &&
		    (p->t[s].kind == T_SYM || currency_of(p, s + 1, &code, &sc)))
			return C_MIN;
		if (is_w(p, j, "to") && is_w(p, j - 1, "up"))
			return C_MAX;
		/* "sub $5", "sub-10 days": only right before its number */
		if (is_w(p, j, "sub") && (j == s - 1 || (j == s - 2 && is_punct(p, s - 1, "-"))))
			return C_MAX;
		/* "nothing under $8", "no cheaper than €3", "not less than": a floor */
		static const char *const none[] = {"nothing", "no", "not", "never", "none", NULL};
		static const char *const lower[] = {"under", "below", "cheaper", "less", "lower",
		                                    "beneath", NULL};
		if (is_in(p, j, lower) && is_in(p, j - 1, none))
			return C_MIN;
		/* "a minimum budget of $10" */
		if (is_w(p, j, "budget") && (is_w(p, j - 1, "minimum") || is_w(p, j - 1, "min")))
			return C_MIN;
		if (in_list(t->w, MAX_WORDS))
			return C_MAX;
		if (in_list(t->w, MIN_WORDS))
			return C_MIN;
	}
	*at = -1;
	return C_NONE;
}

/* A comparison word is spent with its number when only function words
 * stand between them ("price no higher than $2"), so it is no product
 * term; one further away ("lower back braces, $5") stays a word. */
static void use_cmp(parse *p, int at, int s)
{
	if (at < 0)
		return;
	for (int j = at + 1; j < s; j++)
		if (p->t[j].kind == T_WORD && !p->t[j].used && smap_get(&p->v->stop, p->t[j].w) < 0)
			return;
	use(p, at, 1);
}

static enum cmp cmp_after(const parse *p, int e, int *end)
{
	static const char *const maxa[] = {"max", "maximum", "tops", "limit", "cap", NULL};
	static const char *const mina[] = {"minimum", "min", "plus", NULL};
	static const char *const or_max[] = {"less",   "lower",  "cheaper", "under",
	                                     "below",  "fewer",  "smaller", "shorter",
	                                     "faster", "sooner", NULL};
	static const char *const or_min[] = {"more", "higher", "better",  "above",
	                                     "over", "up",     "greater", NULL};
	*end = e;
	if (is_punct(p, e + 1, "+")) {
		*end = e + 1;
		return C_MIN;
	}
	if (is_in(p, e + 1, maxa)) {
		*end = e + 1;
		return C_MAX;
	}
	if (is_in(p, e + 1, mina)) {
		*end = e + 1;
		return C_MIN;
	}
	if (is_w(p, e + 1, "at") && (is_w(p, e + 2, "most") || is_w(p, e + 2, "least"))) {
		*end = e + 2;
		return is_w(p, e + 2, "most") ? C_MAX : C_MIN;
	}
	/* "$5 or less", but not "over $5 and under $12" */
	int next_num = e + 3 < p->n && (p->t[e + 3].kind == T_NUM || p->t[e + 3].kind == T_SYM);
	if ((is_w(p, e + 1, "or") || is_w(p, e + 1, "and")) && !next_num) {
		if (is_in(p, e + 2, or_max)) {
			*end = e + 2;
			return C_MAX;
		}
		if (is_in(p, e + 2, or_min)) {
			*end = e + 2;
			return C_MIN;
		}
	}
	return C_NONE;
}

/* The nearest word before s that says what a number is about. */
static enum nrole cue_before(const parse *p, int s)
{
	static const char *const price[] = {"price",   "prices",    "priced", "budget",  "cost",
	                                    "costs",   "costing",   "pay",    "paying",  "spend",
	                                    "cheaper", "expensive", "target", "pricing", NULL};
	static const char *const lead[] = {"lead-time", "lead",      "within",     "deliver",
	                                   "delivery",  "delivered", "ship",       "shipping",
	                                   "shipped",   "dispatch",  "turnaround", "production",
	                                   "arrive",    "deadline",  NULL};
	static const char *const qty[] = {"qty",        "quantity", "order",    "need",
	                                  "buy",        "buying",   "purchase", "volume",
	                                  "quantities", "units",    NULL};
	static const char *const rating[] = {"rating", "rated",   "ratings", "stars",
	                                     "score",  "reviews", NULL};
	static const char *const years[] = {"experience", "established", "operating", NULL};
	for (int k = 1; k <= WINDOW + 1; k++) {
		int j = back(p, s, k);
		if (j < 0 || p->t[j].kind == T_NUM)
			break;
		if (is_w(p, j, "moq") || is_w(p, j, "moqs"))
			return N_MOQ;
		if ((is_w(p, j, "order") || is_w(p, j, "orders") || is_w(p, j, "qty") ||
		     is_w(p, j, "quantity")) &&
		    (is_w(p, j - 1, "minimum") || is_w(p, j - 1, "min") ||
		     (is_w(p, j - 1, "order") &&
		      (is_w(p, j - 2, "minimum") || is_w(p, j - 2, "min")))))
			return N_MOQ;
		if (is_w(p, j, "minimum") && is_w(p, j - 1, "order"))
			return N_MOQ;
		if (is_in(p, j, rating))
			return N_RATING;
		if (is_in(p, j, price))
			return N_PRICE;
		if (is_in(p, j, lead))
			return N_LEAD;
		if (is_in(p, j, years))
			return N_YEARS;
		if (is_in(p, j, qty))
			return N_QTY;
		if (is_w(p, j, "make") && is_w(p, j + 1, "it"))
			return N_NONE;
	}
	return N_NONE;
}

typedef struct numphrase {
	int s, e;    /* first and last token */
	double a, b; /* value, and upper end of a range (b < a: none) */
	int range;
	const char *cur;
	double scale, scale_b; /* scale_b < 0: the upper end's is the lower end's */
	int dot3;
	int unit, has_unit;
	double factor;
	int decimal;
	int plus; /* "10+ years" */
} numphrase;

/* Reads "$0.20", "20 to 40 cents", "5,000 pcs", "2-3 weeks" at i. */
static void read_number(parse *p, int i, numphrase *np)
{
	memset(np, 0, sizeof(*np));
	np->s = np->e = i;
	np->a = p->t[i].num;
	np->decimal = p->t[i].decimal;
	np->dot3 = p->t[i].dot3;
	np->scale = 1;
	np->scale_b = -1;
	const char *c;
	double sc;
	int own_a = 0;
	if (i > 0 && currency_of(p, i - 1, &c, &sc) && !p->t[i - 1].used) {
		np->cur = c;
		np->scale = sc;
		np->s = i - 1;
		own_a = 1;
	}
	int j = i + 1;
	if (currency_of(p, j, &c, &sc)) {
		np->cur = c, np->scale = sc;
		own_a = 1;
		j++;
	}
	/* a range: "-", "to", "and" after "between" */
	int sep = is_punct(p, j, "-") || is_punct(p, j, "~") || is_w(p, j, "to") ||
	          (is_w(p, j, "and") && is_w(p, back(p, np->s, 1), "between")) ||
	          (is_w(p, j, "or") && j + 1 < p->n && p->t[j + 1].kind == T_NUM &&
	           !is_w(p, j + 1, "more"));
	int k = j + 1;
	if (sep && currency_of(p, k, &c, &sc) && p->t[k].kind == T_SYM) {
		/* "80p to £1.20": each end in its own unit */
		np->cur = c;
		if (own_a)
			np->scale_b = sc;
		else
			np->scale = sc;
		k++;
	}
	if (sep && k < p->n && p->t[k].kind == T_NUM && !p->t[k].used) {
		np->range = 1;
		np->b = p->t[k].num;
		np->decimal |= p->t[k].decimal;
		j = k + 1;
	}
	np->e = j - 1;
	if (currency_of(p, j, &c, &sc)) {
		np->cur = c, np->scale = sc;
		np->e = j++;
	}
	int kind;
	double f;
	/* "30-day", "4.5-star" */
	if (is_punct(p, j, "-") && unit_of(p, j + 1, &kind, &f) && kind != U_THOUSAND &&
	    kind != U_SPEC && !np->range)
		j++;
	/* "4.5/5" */
	if (is_punct(p, j, "/") && j + 1 < p->n && p->t[j + 1].kind == T_NUM &&
	    p->t[j + 1].num == 5 && np->a <= 5) {
		np->e = j + 1;
		j += 2;
	}
	/* "10+ years", "4.5+ stars" */
	if (is_punct(p, j, "+") && unit_of(p, j + 1, &kind, &f) && kind != U_THOUSAND) {
		np->plus = 1;
		j++;
	}
	if (unit_of(p, j, &kind, &f) && kind != U_THOUSAND) {
		/* "business days", "working days" */
		if ((is_w(p, j, "business") || is_w(p, j, "working")) &&
		    !(is_w(p, j + 1, "days") || is_w(p, j + 1, "day")))
			return;
		if (is_w(p, j, "business") || is_w(p, j, "working"))
			j++;
		np->unit = kind;
		np->factor = f;
		np->has_unit = 1;
		np->e = j;
	}
}

static int valid(parse *p, enum nrole role, double v, const numphrase *np)
{
	const char *what = role == N_PRICE    ? "price"
	                   : role == N_QTY    ? "quantity"
	                   : role == N_MOQ    ? "MOQ"
	                   : role == N_LEAD   ? "lead time"
	                   : role == N_RATING ? "rating"
	                                      : "number of years";
	if (isnan(v) || v < 0) {
		note(p, "A %s cannot be negative, so I left it as it was.", what);
		return 0;
	}
	double hi = role == N_PRICE    ? 1e7
	            : role == N_LEAD   ? 3650
	            : role == N_RATING ? 5
	            : role == N_YEARS  ? 200
	                               : 1e9;
	if (!isfinite(v) || v > hi || (v == 0 && role != N_RATING && role != N_YEARS)) {
		if (role == N_RATING)
			note(p, "Ratings go from 0 to 5, so I ignored %s.", p->t[np->e].w);
		else if (v == 0)
			note(p, "A %s of 0 does not make sense, so I left it as it was.", what);
		else
			note(p, "That %s is out of range, so I left it as it was.", what);
		return 0;
	}
	return 1;
}

static void set_num(parse *p, enum nrole role, enum cmp cmp, const numphrase *np)
{
	double a = np->a * np->scale, b = np->b * (np->scale_b >= 0 ? np->scale_b : np->scale);
	double f = np->has_unit ? np->factor : 1;
	switch (role) {
	case N_PRICE:
		if (np->range) {
			if (!valid(p, role, a, np) || !valid(p, role, b, np))
				return;
			p->pmin = a < b ? a : b;
			p->pmax = a < b ? b : a;
		} else {
			if (!valid(p, role, a, np))
				return;
			if (cmp == C_MIN)
				p->pmin = a;
			else
				p->pmax = a;
		}
		if (np->cur && *np->cur)
			snprintf(p->cur, sizeof(p->cur), "%s", np->cur);
		p->price_said = 1;
		break;
	case N_QTY:
		if (valid(p, role, np->a * (np->dot3 ? 1000 : 1), np))
			p->qty = round(np->a * (np->dot3 ? 1000 : 1));
		break;
	case N_MOQ:
		if (valid(p, role, (np->range ? np->b : np->a) * (np->dot3 ? 1000 : 1), np))
			p->moq = round((np->range ? np->b : np->a) * (np->dot3 ? 1000 : 1));
		break;
	case N_LEAD: {
		double d = (np->range ? np->b : np->a) * f;
		if (valid(p, role, d, np))
			p->lead = round(d);
		break;
	}
	case N_RATING:
		if (valid(p, role, np->a, np))
			p->rating = np->a;
		break;
	case N_YEARS:
		if (valid(p, role, np->a, np))
			p->years = np->a;
		break;
	default:
		break;
	}
}

static int is_noun_after(const parse *p, int j)
{
	if (j >= p->n || p->t[j].kind != T_WORD)
		return 0;
	int kind;
	double f;
	const char *c;
	if (unit_of(p, j, &kind, &f) || currency_of(p, j, &c, &f))
		return 0;
	static const char *const no[] = {"or",      "and",     "to",   "max", "min",
	                                 "minimum", "maximum", "tops", "at",  "per",
	                                 "each",    "is",      "are",  "moq", NULL};
	return !is_in(p, j, no);
}

/* "actually 1500", "make it 2000", "change it to 3000 instead" */
static int correction(const parse *p)
{
	static const char *const cues[] = {
	        "actually", "instead", "rather", "make",   "change", "changed",  "correction",
	        "sorry",    "wait",    "oops",   "bump",   "raise",  "increase", "reduce",
	        "decrease", "lower",   "cut",    "update", "adjust", "let's",    "lets",
	        "say",      "then",    "go",     "hmm",    "now",    "meant",    "mean",
	        NULL};
	for (int i = 0; i < p->n; i++)
		if (is_in(p, i, cues))
			return 1;
	return 0;
}

static int bounded(int field)
{
	return field == FF_PRICE_MAX || field == FF_PRICE_MIN || field == FF_MOQ_MAX ||
	       field == FF_LEAD_TIME;
}

static enum nrole field_role(int field)
{
	switch (field) {
	case FF_QUANTITY:
		return N_QTY;
	case FF_PRICE_MAX:
	case FF_PRICE_MIN:
		return N_PRICE;
	case FF_MOQ_MAX:
		return N_MOQ;
	case FF_LEAD_TIME:
		return N_LEAD;
	case FF_MIN_RATING:
		return N_RATING;
	case FF_MIN_YEARS:
		return N_YEARS;
	default:
		return N_NONE;
	}
}

/* The field "make it N" corrects: among the number fields the last turn
 * changed, the one whose value N is closest to in scale (a ratio, so 2000
 * after $1,800 is a price and 600 after $14 and 200 units a quantity); a
 * decimal is never a count, and "under N" only fits a bound. */
static int fitting_field(const parse *p, const numphrase *np, enum cmp cmp)
{
	unsigned mask = p->ctx->last_number_fields ? p->ctx->last_number_fields
	                                           : 1u << p->ctx->last_number_field;
	const souk_filter *st = p->ctx->state;
	int best = p->ctx->last_number_field;
	double best_d = INFINITY;
	for (int f = 0; st && f < FF_COUNT; f++) {
		if (!(mask & (1u << f)) || field_role(f) == N_NONE)
			continue;
		if ((np->decimal && (f == FF_QUANTITY || f == FF_MOQ_MAX)) ||
		    (cmp != C_NONE && !bounded(f)))
			continue;
		double now = f == FF_QUANTITY    ? st->quantity
		             : f == FF_PRICE_MAX ? st->price_max
		             : f == FF_PRICE_MIN ? st->price_min
		             : f == FF_MOQ_MAX   ? st->moq_max
		             : f == FF_LEAD_TIME ? st->lead_time_max_days
		             : f == FF_MIN_RATING ? st->min_rating
		                                  : st->min_years;
		if (now <= 0 || np->a <= 0)
			continue;
		double d = fabs(log(np->a / now));
		if (d < best_d) {
			best_d = d;
			best = f;
		}
	}
	return best;
}

/* A year a supplier was founded in: "since 2015", "established in 2010",
 * "est. 2008", "founded 2012". */
static int founded_year(parse *p, const numphrase *np)
{
	static const char *const cue[] = {
	        "since",        "established", "founded",   "est",     "estd",
	        "incorporated", "registered",  "operating", "started", NULL};
	static const char *const skip[] = {"in", "at", "least", "around", "about", "year", NULL};
	if (np->s != np->e || np->cur || p->t[np->s].decimal || np->a < 1900 || np->a > 2100)
		return 0;
	for (int k = 1; k <= 4; k++) {
		int b = back(p, np->s, k);
		if (is_in(p, b, cue)) {
			use(p, b, 1);
			return 1;
		}
		if (!is_in(p, b, skip) && !is_punct(p, b, "."))
			return 0;
	}
	return 0;
}

/* A word for the supplier shortly before i in the clause ("companies at
 * least 5 years old"). */
static int supplier_before(const parse *p, int i)
{
	for (int k = 1; k <= WINDOW; k++) {
		int j = back(p, i, k);
		if (j < 0)
			return 0;
		if (is_in(p, j, SUPPLIER_AFTER) || is_w(p, j, "business") || is_w(p, j, "firm") ||
		    is_w(p, j, "firms"))
			return 1;
	}
	return 0;
}

/* "make it", "change that to", "actually", "rather" right before s. */
static int corrects(const parse *p, int s)
{
	static const char *const cue[] = {"actually", "rather",     "instead", "make", "change",
	                                  "sorry",    "correction", "no",      NULL};
	for (int k = 1; k <= 3; k++) {
		int j = back(p, s, k);
		if (j < 0)
			return 0;
		if (is_in(p, j, cue))
			return 1;
		if (!(is_w(p, j, "it") || is_w(p, j, "that") || is_w(p, j, "to") ||
		      is_w(p, j, "make")))
			return 0;
	}
	return 0;
}

/* "$3,000 total for 1,500 sleeves", "my budget is €6.000 for 2.000
 * coasters": a sum for the whole order, which find_numbers divides by the
 * quantity once it is read. */
static int total_budget(parse *p, const numphrase *np, int end)
{
	static const char *const total[] = {"total", "overall", "altogether", "all-in", NULL};
	int e = end > np->e ? end : np->e, k = e + 1;
	int said = 0;
	if (is_in(p, k, total) || (is_w(p, k, "in") && is_w(p, k + 1, "total"))) {
		said = 1;
		k += is_w(p, k, "in") ? 2 : 1;
	}
	for (int b = 1; b <= WINDOW && !said; b++)
		said = is_w(p, back(p, np->s, b), "budget") || is_in(p, back(p, np->s, b), total);
	if (!said || np->range || !is_w(p, k, "for") || k + 1 >= p->n ||
	    p->t[k + 1].kind != T_NUM || !same_clause(p, k, np->s))
		return 0;
	p->total = np->a * np->scale;
	if (np->cur && *np->cur)
		snprintf(p->cur, sizeof(p->cur), "%s", np->cur);
	use(p, k, 1);
	return 1;
}

/* The total over the quantity, as a ceiling per unit; the reply says how. */
static void divide_total(parse *p)
{
	double q = p->qty > 0                                        ? p->qty
	           : p->ctx && p->ctx->state && p->ctx->state->quantity > 0 ? p->ctx->state->quantity
	                                                                    : -1;
	if (p->total <= 0)
		return;
	if (q <= 0) {
		note(p, "A total budget needs a quantity to become a price per unit; tell me how "
		        "many units.");
		return;
	}
	p->pmax = round(p->total / q * 10000) / 10000;
	p->price_said = 1;
	const char *cur = p->cur[0]                           ? p->cur
	                  : p->ctx && p->ctx->state && p->ctx->state->currency[0] ? p->ctx->state->currency
	                                                                           : "USD";
	note(p, "A budget of %.2f %s for %.0f units is at most %.2f %s a unit.", p->total, cur, q,
	     p->pmax, cur);
}

/* Numbers that describe the product, never a quantity or a price: after
 * a model word ("iphone 15", "series 9", "sizes 5 to 10"), before a part
 * it counts ("160 pages", "400 thread count") or a material it grades
 * ("925 sterling", "18k gold"), the pack size in "cards of 5", and "a 2025
 * calendar" (an article before the number: it qualifies one thing). The
 * model number joins its word as one keyword ("iphone 15"). */
static int spec_number(parse *p, int i)
{
	int b = i - 1, n = i + 1, k = 0;
	if (p->t[i].folded || p->t[i].spelled)
		return 0;
	if (wclass_of(p, b) == WC_MODEL) {
		k = 1;
		if (!is_w(p, b, "size") && !is_w(p, b, "sizes") && strlen(p->t[b].w) + 8 < WORD_MAX) {
			char w[2 * WORD_MAX + 2];
			snprintf(w, sizeof(w), "%s %s", p->t[b].w, p->t[i].w);
			tok_set(&p->t[b], w, strlen(w) < WORD_MAX ? strlen(w) : WORD_MAX - 1);
		} else {
			use(p, b, 1);
		}
		/* "sizes 5 to 10" */
		if ((is_w(p, n, "to") || is_punct(p, n, "-")) && n + 1 < p->n &&
		    p->t[n + 1].kind == T_NUM)
			use(p, n, 2);
	} else if (wclass_of(p, n) == WC_PART || (n < p->n && p->t[n].kind == T_WORD &&
	                                          wclass_of(p, n + 1) == WC_PART &&
	                                          !is_measure_word(p, n))) {
		k = 1;
	} else if (wclass_of(p, n) == WC_GRADE && !p->t[i].decimal) {
		k = 1;
		if (p->t[i].kilo) /* "18k gold": carats, one keyword */
			snprintf(p->t[i].w, WORD_MAX, "%.0fk", p->t[i].num / 1000), p->t[i].kind = T_WORD;
	} else if (is_w(p, b, "of") && wclass_of(p, b - 1) == WC_PACK && !is_w(p, n, "each")) {
		k = 1;
	} else if ((is_w(p, b, "a") || is_w(p, b, "an")) && n < p->n &&
	           p->t[n].kind == T_WORD && !is_measure_word(p, n) && p->t[n].w[0] &&
	           p->t[n].w[strlen(p->t[n].w) - 1] != 's') {
		k = 1;
	}
	if (!k)
		return 0;
	if (p->t[i].kind == T_NUM)
		use(p, i, 1);
	return 1;
}

/* "9-pocket", "5-star hotel", "2-pack": a number joined to a word by a
 * hyphen describes the product; it stays one keyword. A time ("30-day
 * lead time") and a rating ("4.5-star rating", "5-star suppliers") are
 * read as numbers. */
static void join_hyphen_specs(parse *p)
{
	static const char *const rated[] = {"rating", "ratings", "rated", "supplier",
	                                    "suppliers", "seller", "sellers", "reviews",
	                                    "or", "and", "minimum", "min", "plus", NULL};
	for (int i = 0; i + 2 < p->n; i++) {
		tok *t = &p->t[i];
		int kind;
		double f;
		const char *c;
		if (t->kind != T_NUM || t->gone || !is_punct(p, i + 1, "-") || !p->t[i + 1].tight ||
		    p->t[i + 2].kind != T_WORD || currency_of(p, i - 1, &c, &f) ||
		    currency_of(p, i + 2, &c, &f))
			continue;
		if (unit_of(p, i + 2, &kind, &f) &&
		    (kind == U_TIME || kind == U_YEARS || kind == U_THOUSAND ||
		     (kind == U_STAR && (is_in(p, i + 3, rated) || i + 3 >= p->n ||
		                         p->t[i + 3].kind != T_WORD))))
			continue;
		char w[2 * WORD_MAX + 2];
		snprintf(w, sizeof(w), "%s-%s", t->w, p->t[i + 2].w);
		tok_set(t, w, strlen(w) < WORD_MAX ? strlen(w) : WORD_MAX - 1);
		t->kind = T_WORD;
		tok_drop(p, i + 1, 2);
	}
	tok_compact(p);
}

static int clause_has_class(const parse *p, int i, int c)
{
	for (int j = i - 1; j >= 0 && same_clause(p, j, i); j--)
		if (wclass_of(p, j) == c)
			return 1;
	for (int j = i + 1; j < p->n && same_clause(p, j, i); j++)
		if (wclass_of(p, j) == c)
			return 1;
	return 0;
}

/* "we've been going 10 years": a clause about the buyer ("we", "I") that
 * names no supplier speaks of the buyer's own business. */
static int about_buyer(const parse *p, int i)
{
	static const char *const me[] = {"we",  "we're", "we've", "i",    "i'm", "i've",
	                                 "our", "my",    "been",  "were", NULL};
	int mine = 0;
	for (int j = i - 1; j >= 0 && same_clause(p, j, i); j--) {
		if (in_list(p->t[j].w, SUPPLIER_AFTER) || is_w(p, j, "business"))
			return 0;
		mine |= is_in(p, j, me);
	}
	for (int j = i + 1; j < p->n && same_clause(p, j, i); j++)
		if (in_list(p->t[j].w, SUPPLIER_AFTER) || is_w(p, j, "business"))
			return 0;
	return mine;
}

static void find_numbers(parse *p)
{
	enum nrole last_role = N_NONE;
	int nnums = 0, nwords = 0;
	for (int i = 0; i < p->n; i++) {
		if (p->t[i].kind == T_NUM && !p->t[i].used)
			nnums++;
		else if (p->t[i].kind == T_WORD && !p->t[i].used)
			nwords++;
	}
	for (int i = 0; i < p->n; i++) {
		tok *t = &p->t[i];
		if (t->kind != T_NUM || t->used)
			continue;
		/* "2.000 cork coasters": a count, so the dot groups thousands */
		if (t->dot3 && (is_noun_after(p, i + 1) || is_measure_word(p, i + 1))) {
			t->num *= 1000;
			t->decimal = t->dot3 = 0;
		}
		if (spec_number(p, i)) {
			while (i + 1 < p->n && p->t[i + 1].used && p->t[i + 1].kind == T_NUM)
				i++;
			continue;
		}
		/* "my friend made 10k off them": what someone else did is no filter */
		if (clause_has_class(p, i, WC_PERSON)) {
			use(p, i, 1);
			continue;
		}
		numphrase np;
		read_number(p, i, &np);
		int end;
		enum cmp ca = cmp_after(p, np.e, &end);
		int cb_at;
		enum cmp cb = cmp_before(p, np.s, &cb_at);
		enum cmp cmp = np.plus ? C_MIN : ca != C_NONE ? ca : cb;
		enum nrole cue = cue_before(p, np.s);
		enum nrole role = N_NONE;
		/* words right after the number that say what it is */
		int a1 = end + 1;
		while (is_w(p, a1, "each") || is_w(p, a1, "per") || is_w(p, a1, "a") ||
		       is_punct(p, a1, "/") || is_w(p, a1, "piece") || is_w(p, a1, "unit") ||
		       is_w(p, a1, "pc") || is_w(p, a1, "pcs") || is_w(p, a1, "apiece") ||
		       is_w(p, a1, "pair"))
			a1++;
		int after_rating = is_w(p, a1, "rating") || is_w(p, a1, "rated") ||
		                   is_w(p, a1, "stars") || is_w(p, a1, "star");
		int after_moq = is_w(p, a1, "moq") || is_w(p, np.e + 1, "moq");
		/* "2.50 each", "3 a piece", "4 per unit", "5/pc": a price per unit */
		static const char *const piece[] = {"piece", "unit", "pc",  "pcs",
		                                    "item",  "pair", "set", NULL};
		int e1 = end + 1;
		/* but "500 each colour" shares out a quantity */
		static const char *const variant[] = {
		        "color",   "colour",   "colors",  "colours",  "design", "designs", "size",
		        "sizes",   "style",    "styles",  "model",    "models", "sku",     "skus",
		        "variant", "variants", "version", "versions", "kind",   "type",    NULL};
		int per_unit = (is_w(p, e1, "each") && !is_in(p, e1 + 1, variant)) ||
		               is_w(p, e1, "apiece") ||
		               ((is_w(p, e1, "a") || is_w(p, e1, "per") || is_punct(p, e1, "/")) &&
		                is_in(p, e1 + 1, piece));
		if (founded_year(p, &np)) {
			/* "in business since 2015", "established in 2010": the years
			 * up to now */
			time_t now = time(NULL);
			struct tm tm;
			gmtime_r(&now, &tm);
			np.a = tm.tm_year + 1900 - np.a;
			if (np.a < 0)
				np.a = 0;
			np.range = 0;
			role = N_YEARS;
		} else if (np.has_unit && np.unit == U_TIME) {
			role = N_LEAD;
		} else if (np.has_unit && np.unit == U_YEARS &&
		           (cue == N_LEAD || is_w(p, np.s - 1, "within"))) {
			/* "within 2 years" is a (long) lead time */
			np.factor = 365;
			role = N_LEAD;
		} else if (np.has_unit && np.unit == U_YEARS) {
			/* "2 year warranty", "3 year olds", "kids 3 years old" are not
			 * about the supplier; "5+ year old companies" and "suppliers
			 * at least 5 years old" are */
			if (is_w(p, np.e + 1, "warranty") || is_w(p, np.e + 1, "guarantee") ||
			    is_w(p, np.e + 1, "olds") || about_buyer(p, np.s) ||
			    (is_w(p, np.e + 1, "old") && !is_in(p, np.e + 2, SUPPLIER_AFTER) &&
			     !supplier_before(p, np.s)))
				role = N_SKIP;
			else
				role = N_YEARS;
		} else if (np.has_unit && np.unit == U_STAR) {
			role = N_RATING;
		} else if (np.cur) {
			role = N_PRICE;
		} else if (cue == N_MOQ || after_moq) {
			role = N_MOQ;
		} else if ((cue == N_RATING || after_rating) && np.a <= 5) {
			role = N_RATING;
		} else if (np.has_unit && np.unit == U_QTY) {
			role = N_QTY;
		} else if (cue == N_PRICE) {
			/* "best price for 5000 paper cups": a count of products */
			role = (is_w(p, np.s - 1, "for") || is_w(p, np.s - 1, "on")) &&
			                       !np.decimal && np.a >= 1 && cmp == C_NONE &&
			                       is_noun_after(p, a1)
			               ? N_QTY
			               : N_PRICE;
		} else if (cue == N_LEAD) {
			role = N_LEAD;
		} else if (cue == N_YEARS) {
			role = N_YEARS;
		} else if (cue == N_QTY) {
			role = N_QTY;
		} else if (ca == C_MIN && np.a <= 5 && np.decimal) {
			role = N_RATING;
		} else if (cue == N_RATING) {
			role = N_RATING; /* out of range: valid() says so */
		} else if (per_unit) {
			role = N_PRICE;
		} else if (t->kilo && !np.range) {
			role = N_QTY; /* "2k": nobody prices one unit in thousands */
		} else if (nnums == 1 && correction(p) && p->ctx &&
		           field_role(p->ctx->last_number_field) != N_NONE &&
		           (cmp == C_NONE || bounded(p->ctx->last_number_field))) {
			/* "make it 2000", "ok let's say under 4 then": the number
			 * said last is corrected; "under" fits only a bound */
			role = field_role(fitting_field(p, &np, cmp));
		} else if (nnums == 1 && p->ctx && p->ctx->expect != INTENT_EXPECT_NONE &&
		           p->ctx->expect != INTENT_EXPECT_MARKET &&
		           p->ctx->expect != INTENT_EXPECT_COUNTRY) {
			static const enum nrole by_expect[] = {N_NONE, N_QTY,  N_PRICE, N_NONE,
			                                       N_MOQ,  N_LEAD, N_NONE};
			role = by_expect[p->ctx->expect];
			/* "3000" to the budget question is a quantity when it is far
			 * above the prices on offer; "2.50" to the quantity question
			 * is a price */
			double hint = p->ctx->budget_hint > 0 ? p->ctx->budget_hint * 10 : 999;
			if (role == N_PRICE && !np.decimal && cmp == C_NONE && np.a > hint)
				role = N_QTY;
			else if (role == N_QTY && np.decimal)
				role = N_PRICE;
		} else if (cmp != C_NONE) {
			role = N_PRICE;
		} else if (!np.decimal && np.a >= 1 && is_noun_after(p, a1)) {
			role = N_QTY;
		} else if (nnums == 1 && nwords <= 3) {
			/* a bare answer: "500", "make it 3000" */
			role = np.decimal ? N_PRICE : N_QTY;
		}
		/* "500 units, US market; make it 800": a correction later in the
		 * same turn changes the number said before it */
		if (role == N_NONE && last_role != N_NONE && corrects(p, np.s))
			role = last_role;
		if (role == N_NONE) {
			note(p, "I was not sure what %s refers to.", t->w);
			use(p, np.s, np.e - np.s + 1);
			continue;
		}
		if (role != N_SKIP)
			last_role = role;
		if (role == N_PRICE && !per_unit && total_budget(p, &np, end)) {
			use(p, np.s, (end > np.e ? end : np.e) - np.s + 1);
			i = end > np.e ? end : np.e;
			continue;
		}
		set_num(p, role, cmp, &np);
		use(p, np.s, (end > np.e ? end : np.e) - np.s + 1);
		if (ca == C_NONE && !np.plus)
			use_cmp(p, cb_at, np.s);
		i = end > np.e ? end : np.e;
	}
}

/* ---- scaling what is there: "double the quantity", "halve the MOQ" ---- */

/* The number field a word names, or FF_COUNT. */
static int scaled_field(const parse *p, int i)
{
	static const char *const qty[] = {"quantity", "qty",   "order",  "orders", "amount",
	                                  "volume",   "units", "pieces", "pcs",    "number",
	                                  "count",    "many",  NULL};
	static const char *const price[] = {"budget", "price", "prices", "cost",
	                                    "much",   "spend", "max",    NULL};
	if (is_in(p, i, qty))
		return FF_QUANTITY;
	if (is_in(p, i, price))
		return FF_PRICE_MAX;
	if (is_w(p, i, "moq") || is_w(p, i, "moqs") || is_w(p, i, "minimum"))
		return FF_MOQ_MAX;
	if (is_w(p, i, "lead") || is_w(p, i, "delivery") || is_w(p, i, "time") ||
	    is_w(p, i, "deadline") || is_w(p, i, "turnaround"))
		return FF_LEAD_TIME;
	return FF_COUNT;
}

/* "double the quantity", "triple the order", "halve that", "cut the MOQ in
 * half", "twice as many", "half the budget": a factor on a number the state
 * holds. "it"/"that" is the number changed last, or the quantity. Without a
 * following field or pronoun the word is the product's ("double wall
 * tumblers", "half moon pillow"). */
static void find_scale(parse *p)
{
	static const struct {
		const char *w;
		double f;
	} verbs[] = {{"double", 2}, {"doubled", 2},   {"triple", 3},  {"tripled", 3},
	             {"treble", 3}, {"quadruple", 4}, {"halve", 0.5}, {"halved", 0.5},
	             {"half", 0.5}, {"twice", 2},     {"thrice", 3}};
	static const char *const pron[] = {"it", "that", "this", "them", NULL};
	static const char *const det[] = {"the", "my", "our", "that", "this", "as", NULL};
	for (int i = 0; i < p->n; i++) {
		if (p->t[i].used || p->t[i].kind != T_WORD)
			continue;
		double factor = 0;
		for (size_t k = 0; k < sizeof(verbs) / sizeof(*verbs); k++)
			if (!strcmp(p->t[i].w, verbs[k].w))
				factor = verbs[k].f;
		int j = i + 1, field = FF_COUNT;
		/* "cut it in half", "reduce the MOQ by half" */
		if (!factor && (is_w(p, i, "in") || is_w(p, i, "by")) && is_w(p, i + 1, "half")) {
			factor = 0.5;
			for (int k = i - 1; k >= 0 && k >= i - 4; k--) {
				if (field == FF_COUNT && !p->t[k].used &&
				    (field = scaled_field(p, k)) != FF_COUNT)
					use(p, k, 1);
				if (is_w(p, k, "cut") || is_w(p, k, "reduce") ||
				    is_w(p, k, "slash"))
					use(p, k, 1);
			}
			j = i + 2;
			if (field == FF_COUNT && i > 0 && is_in(p, i - 1, pron))
				field = -1;
			if (field == FF_COUNT)
				continue;
			use(p, i, 2);
		} else if (factor) {
			while (is_in(p, j, det) && !(is_in(p, j, pron) && !is_in(p, j + 1, pron) &&
			                             scaled_field(p, j + 1) == FF_COUNT))
				j++;
			if (is_in(p, j, pron))
				field = -1;
			else if ((field = scaled_field(p, j)) == FF_COUNT)
				continue;
			use(p, i, j - i + 1);
			/* "the lead time", "the order quantity" */
			while (j + 1 < p->n && scaled_field(p, j + 1) != FF_COUNT)
				use(p, ++j, 1);
		} else {
			continue;
		}
		if (field < 0)
			field = p->ctx && p->ctx->last_number_field != FF_COUNT
			                ? p->ctx->last_number_field
			                : FF_QUANTITY;
		const souk_filter *st = p->ctx ? p->ctx->state : NULL;
		double now = !st                     ? -1
		             : field == FF_QUANTITY  ? st->quantity
		             : field == FF_PRICE_MAX ? st->price_max
		             : field == FF_PRICE_MIN ? st->price_min
		             : field == FF_MOQ_MAX   ? st->moq_max
		             : field == FF_LEAD_TIME ? st->lead_time_max_days
		                                     : -1;
		const char *what = field == FF_QUANTITY    ? "quantity"
		                   : field == FF_MOQ_MAX   ? "MOQ"
		                   : field == FF_LEAD_TIME ? "lead time"
		                                           : "price limit";
		if (now < 0) {
			note(p, "There is no %s yet to change by a factor; tell me the number.",
			     what);
			continue;
		}
		double v = now * factor;
		switch (field) {
		case FF_QUANTITY:
			p->qty = round(v);
			break;
		case FF_PRICE_MIN:
			p->pmin = v;
			p->price_said = 1;
			break;
		case FF_PRICE_MAX:
			p->pmax = v;
			p->price_said = 1;
			break;
		case FF_MOQ_MAX:
			p->moq = round(v);
			break;
		case FF_LEAD_TIME:
			p->lead = round(v);
			break;
		default:
			break;
		}
	}
}

/* ---- flags: verified, samples, customization, business type, incoterm ---- */

static int flag_value(parse *p, int i)
{
	return !(negated_before(p, i, 3) || negated_after(p, i));
}

static const char *const LABEL[] = {"label",    "labels",  "labelling", "labeling",
                                    "labelled", "labeled", NULL};

/* What a buyer customises: "custom colours and packaging", "personalised
 * prints". Said after a customisation word, they are the request, not the
 * product. */
static const char *const CUSTOM_OBJECTS[] = {
        "packaging", "package",   "packages",  "logo",       "logos",    "branding", "label",
        "labels",    "box",       "boxes",     "color",      "colors",   "colour",   "colours",
        "colorway",  "colorways", "design",    "designs",    "print",    "prints",   "printing",
        "pattern",   "patterns",  "size",      "sizes",      "sizing",   "shape",    "shapes",
        "artwork",   "text",      "engraving", "embroidery", "tag",      "tags",     "hangtag",
        "hangtags",  "insert",    "inserts",   "service",    "services", "options",  "option",
        "order",     "orders",    "work",      NULL};
static const char *const CUSTOM_HOW[] = {"printed",  "printing", "embroidered", "engraved",
                                         "embossed", "stamped",  "debossed",    "woven",
                                         "added",    "on",       "it",          NULL};

static const char *const CUSTOM_VERBS[] = {
        "print",   "printed", "printing", "engrave",   "engraved",    "engraving",
        "laser",   "emboss",  "embossed", "embroider", "embroidered", "stamp",
        "stamped", "put",     "add",      "deboss",    "debossed",    NULL};

static void use_custom_objects(parse *p, int i)
{
	for (int j = i; j < p->n && j < i + 6; j++) {
		if (is_in(p, j, CUSTOM_OBJECTS))
			use(p, j, 1);
		else if (!((is_w(p, j, "and") || is_w(p, j, "or") || is_punct(p, j, ",") ||
		            is_punct(p, j, "/") || is_punct(p, j, "&")) &&
		           is_in(p, j + 1, CUSTOM_OBJECTS)))
			return;
	}
}

/* "low MOQ", "short lead time", "good ratings", "competitive prices": an
 * adjective on a filter's name is part of the request, not of the product. */
static void use_field_adjectives(parse *p)
{
	static const char *const adj[] = {
	        "low",     "lower",  "lowest", "small",     "smaller",     "smallest",   "short",
	        "shorter", "fast",   "faster", "quick",     "quicker",     "high",       "higher",
	        "good",    "great",  "top",    "best",      "competitive", "reasonable", "flexible",
	        "decent",  "strong", "solid",  "excellent", "premium",     "tight",      "rapid",
	        "speedy",  "prompt", NULL};
	static const char *const fields[] = {
	        "moq",        "moqs",    "minimum",   "minimums", "price",    "prices",
	        "pricing",    "lead",    "lead-time", "delivery", "shipping", "turnaround",
	        "rating",     "ratings", "reviews",   "feedback", "quality",  "minimums",
	        "production", "cost",    "costs",     "deadline", NULL};
	for (int i = 0; i + 1 < p->n; i++)
		if (is_in(p, i, adj) && is_in(p, i + 1, fields))
			use(p, i, 2);
	/* "top rated", "highly reviewed" suppliers; "real", "genuine" factories */
	static const char *const well[] = {"top",  "highly", "well",   "best",
	                                   "high", "good",   "better", NULL};
	static const char *const rated[] = {"rated", "reviewed", "ranked", "rating", NULL};
	static const char *const real[] = {"real", "genuine", "actual", "true", "proper", NULL};
	for (int i = 0; i + 1 < p->n; i++) {
		if (is_in(p, i, well) && is_in(p, i + 1, rated))
			use(p, i, 2);
		if (is_in(p, i, real) && p->t[i + 1].used &&
		    (is_w(p, i + 1, "manufacturers") || is_w(p, i + 1, "manufacturer") ||
		     is_w(p, i + 1, "factories") || is_w(p, i + 1, "factory") ||
		     is_w(p, i + 1, "producers") || is_w(p, i + 1, "makers")))
			use(p, i, 1);
	}
}

/* "FOB Shanghai", "CIF port of Hamburg", "DDP to Los Angeles": the named
 * place of an incoterm is where goods change hands, not what they are. A
 * port is a capitalised name right after the term; ports said in lower case
 * are among the stop words. Countries were read before. */
static void use_port(parse *p, int i)
{
	if (is_w(p, i, "to") || is_w(p, i, "at") || is_w(p, i, "from"))
		i++;
	if (is_w(p, i, "port") && is_w(p, i + 1, "of") && i + 2 < p->n && p->t[i + 2].cap1) {
		use(p, i, 2);
		i += 2;
	}
	int k = 0;
	while (k < 3 && i + k < p->n && p->t[i + k].kind == T_WORD && !p->t[i + k].used &&
	       p->t[i + k].cap1)
		use(p, i + k++, 1);
	if (k && (is_w(p, i + k, "port") || is_w(p, i + k, "harbour") || is_w(p, i + k, "harbor")))
		use(p, i + k, 1);
}

/* "for laser engraving", "for printing": a process named as the purpose
 * of the goods is what the buyer will do, not a service asked of the
 * supplier. */
static int for_own_use(const parse *p, int i)
{
	int b = back(p, i, 1);
	if (is_in(p, b, CUSTOM_VERBS))
		b = back(p, b, 1);
	return is_w(p, b, "for") && !is_w(p, i, "logo") && !is_w(p, i, "logos");
}

static void find_flags(parse *p)
{
	static const char *const verified[] = {"verified", "vetted", "audited", NULL};
	static const char *const samples[] = {"sample", "samples", "sampling", NULL};
	static const char *const custom[] = {
	        "custom",       "customized",   "customised", "customizable",  "customisable",
	        "personalized", "personalised", "oem",        "odm",           "logo",
	        "logos",        "branding",     "branded",    "customization", "customisation",
	        "engraved",     "engraving",    NULL};
	static const char *const manu[] = {"manufacturer", "manufacturers", "factory", "factories",
	                                   "producer",     "producers",     NULL};
	static const char *const trad[] = {"trading",      "trader",      "traders",
	                                   "wholesaler",   "wholesalers", "distributor",
	                                   "distributors", "middleman",   "middlemen",
	                                   "reseller",     "resellers",   NULL};
	static const char *const fine[] = {"fine",    "ok",         "okay", "too",
	                                   "allowed", "acceptable", NULL};
	int said_m = 0, said_t = 0, only_m = 0, only_t = 0;
	for (int i = 0; i < p->n; i++) {
		tok *t = &p->t[i];
		if (t->kind != T_WORD || t->used)
			continue;
		if (is_in(p, i, verified)) {
			/* "BSCI audited" is about the certificate */
			if (!strcmp(t->w, "audited") && i > 0 && p->t[i - 1].used)
				continue;
			p->verified = flag_value(p, i);
			use(p, i, 1);
		} else if (!strcmp(t->w, "unverified")) {
			p->verified = 0;
			use(p, i, 1);
		} else if ((is_w(p, i, "gold") &&
		            (is_w(p, i + 1, "supplier") || is_w(p, i + 1, "suppliers"))) ||
		           (is_w(p, i, "trade") && is_w(p, i + 1, "assurance"))) {
			p->verified = 1;
			use(p, i, 2);
		} else if (is_in(p, i, samples)) {
			p->samples = flag_value(p, i);
			use(p, i, 1);
			if (is_w(p, i - 1, "free"))
				use(p, i - 1, 1);
		} else if (is_in(p, i, custom) && for_own_use(p, i)) {
			continue; /* "blanks for laser engraving": the buyer engraves */
		} else if (is_in(p, i, custom) ||
		           ((is_w(p, i, "private") || is_w(p, i, "white") || is_w(p, i, "own")) &&
		            is_in(p, i + 1, LABEL)) ||
		           (is_w(p, i, "own") &&
		            (is_w(p, i + 1, "brand") || is_w(p, i + 1, "logo")))) {
			p->custom = flag_value(p, i);
			int k = is_in(p, i, custom) ? 1 : 2;
			use(p, i, k);
			use_custom_objects(p, i + k);
			/* "logo printed", "can print our logo", "laser engraved logo" */
			if (is_w(p, i, "logo") || is_w(p, i, "logos"))
				while (is_in(p, i + k, CUSTOM_HOW))
					use(p, i + k++, 1);
			/* back over function words only: "printed mugs with a custom
			 * logo" keeps "printed" */
			for (int b = 1; b <= 3; b++) {
				int j = back(p, i, b);
				if (is_in(p, j, CUSTOM_VERBS))
					use(p, j, 1);
				else if (j < 0 || smap_get(&p->v->stop, p->t[j].w) < 0)
					break;
			}
		} else if (is_in(p, i, manu) || is_in(p, i, trad)) {
			int m = is_in(p, i, manu);
			/* "trading" alone, or "trading company" */
			if (!m && (is_w(p, i + 1, "company") || is_w(p, i + 1, "companies") ||
			           is_w(p, i + 1, "firm") || is_w(p, i + 1, "firms")))
				use(p, i + 1, 1);
			int j = fwd(p, i, 1);
			if (is_w(p, j, "is") || is_w(p, j, "are"))
				j = fwd(p, j, 1);
			if (is_in(p, j, fine) ||
			    (is_w(p, j, "also") && is_in(p, fwd(p, j, 1), fine))) {
				p->btype = 3;
				use(p, i, 1);
				continue;
			}
			/* in "no Chinese factories" the "no" is about the country */
			int neg = negated_before(p, i, 3) &&
			          !(back(p, i, 1) >= 0 && p->t[back(p, i, 1)].country);
			int only = is_w(p, i + 1, "only") || is_w(p, back(p, i, 1), "only");
			if (m ^ neg)
				said_m = 1, only_m |= only;
			else
				said_t = 1, only_t |= only;
			use(p, i, 1);
		} else if (is_w(p, i, "direct") || is_w(p, i, "directly")) {
			/* "factory direct", "direct from the manufacturer", "directly
			 * from factories": the business type says it */
			for (int k = -1; k <= 3; k++) {
				int j = i + k;
				if (k && is_in(p, j, manu)) {
					use(p, i, 1);
					if (!p->t[j].used) {
						said_m = 1;
						use(p, j, 1);
					}
					break;
				}
			}
		}
	}
	/* "my last supplier was a trading company ... so factories only": the
	 * one said with "only" is the request */
	if (said_m && said_t && only_m != only_t) {
		said_m = only_m;
		said_t = only_t;
	}
	if (said_m && said_t)
		p->btype = 3;
	else if (said_m)
		p->btype = 1;
	else if (said_t)
		p->btype = 2;

	static const char *const inco[] = {"exw", "fob", "cif", "ddp", NULL};
	for (int i = 0; i < p->n; i++) {
		if (p->t[i].used)
			continue;
		if (is_in(p, i, inco)) {
			p->incoterm = !strcmp(p->t[i].w, "exw")   ? "EXW"
			              : !strcmp(p->t[i].w, "fob") ? "FOB"
			              : !strcmp(p->t[i].w, "cif") ? "CIF"
			                                          : "DDP";
			use(p, i, 1);
			use_port(p, i + 1);
		} else if ((is_w(p, i, "ex") && is_w(p, i + 1, "works")) ||
		           is_w(p, i, "ex-works")) {
			p->incoterm = "EXW";
			use(p, i, is_w(p, i, "ex") ? 2 : 1);
		} else if (is_w(p, i, "free") && is_w(p, i + 1, "on") && is_w(p, i + 2, "board")) {
			p->incoterm = "FOB";
			use(p, i, 3);
		} else if (is_w(p, i, "delivered") && is_w(p, i + 1, "duty") &&
		           is_w(p, i + 2, "paid")) {
			p->incoterm = "DDP";
			use(p, i, 3);
		}
	}
}

static int has_number(const parse *p)
{
	for (int i = 0; i < p->n; i++)
		if (p->t[i].kind == T_NUM)
			return 1;
	return 0;
}

/* A currency said without a price: "in euros", "prices in GBP". */
static void find_currency(parse *p)
{
	for (int i = 0; i < p->n; i++) {
		const char *c;
		double sc;
		if (p->t[i].used || !currency_of(p, i, &c, &sc) || sc != 1)
			continue;
		/* "oops, I meant pounds": the amount stays, its currency changes */
		int fix = correction(p) && !has_number(p);
		if (p->t[i].kind == T_SYM || is_w(p, i - 1, "in") || is_w(p, i - 1, "currency") ||
		    fix) {
			if (!p->cur[0])
				snprintf(p->cur, sizeof(p->cur), "%s", c);
			use(p, i, 1);
		}
	}
}

/* ---- keywords ---- */

static void find_keywords(parse *p)
{
	int n = 0;
	for (int i = 0; i < p->n && n < MAX_KEYWORDS; i++) {
		tok *t = &p->t[i];
		if (t->kind != T_WORD || t->used)
			continue;
		char w[WORD_MAX];
		snprintf(w, sizeof(w), "%s", t->w);
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
			continue;
		int digits_only = 1;
		for (size_t k = 0; k < l; k++)
			if (!isdigit((unsigned char)w[k]) && w[k] != '.' && w[k] != ',')
				digits_only = 0;
		if (digits_only)
			continue;
		int head = (!strcmp(w, "maker") || !strcmp(w, "makers")) && i > 0 &&
		           p->t[i - 1].kind == T_WORD && !p->t[i - 1].used &&
		           smap_get(&p->v->stop, p->t[i - 1].w) < 0;
		if ((smap_get(&p->v->stop, w) >= 0 || smap_get(&p->v->stop, t->w) >= 0) && !head)
			continue;
		int dummy_adj, dummy_len;
		int claim = l > 5 && !strcmp(w + l - 5, "-free");
		if (smap_get(&p->v->country, w) >= 0 || (smap_get(&p->v->cert, w) >= 0 && !claim) ||
		    country_at(p, i, &dummy_adj, &dummy_len) >= 0)
			continue;
		if (!possessive && !strchr(w, '\''))
			intent_singular(p->v, w, w, sizeof(w));
		if (!strlist_has(&p->r->delta.add[FF_KEYWORDS], w)) {
			strlist_add(&p->r->delta.add[FF_KEYWORDS], w);
			n++;
		}
	}
}

/* ---- the delta ---- */

static void set_number(parse *p, enum filter_field f, double v, double *slot)
{
	if (v < 0)
		return;
	*slot = v;
	p->r->delta.set |= 1u << f;
}

static void build_delta(parse *p)
{
	filter_delta *d = &p->r->delta;
	souk_filter *f = &d->f;

	/* clears first: a value said in the same turn overrides */
	for (int k = 0; k < FF_COUNT; k++)
		if (p->clear & (1u << k))
			d->set |= 1u << k;
	if (p->pmin >= 0 && p->pmax >= 0 && p->pmin > p->pmax) {
		note(p, "A minimum price above the maximum cannot match anything, so I left the "
		        "price as it was.");
		p->pmin = p->pmax = -1;
		p->cur[0] = 0;
	}
	set_number(p, FF_QUANTITY, p->qty, &f->quantity);
	set_number(p, FF_PRICE_MIN, p->pmin, &f->price_min);
	set_number(p, FF_PRICE_MAX, p->pmax, &f->price_max);
	/* a new upper bound alone drops an old lower bound only when they clash:
	 * the dialog checks that against the state */
	set_number(p, FF_MOQ_MAX, p->moq, &f->moq_max);
	set_number(p, FF_LEAD_TIME, p->lead, &f->lead_time_max_days);
	set_number(p, FF_MIN_RATING, p->rating, &f->min_rating);
	set_number(p, FF_MIN_YEARS, p->years, &f->min_years);
	if (p->cur[0]) {
		memcpy(f->currency, p->cur, 4);
		d->set |= 1u << FF_CURRENCY;
	}
	if (p->verified >= 0) {
		f->verified_only = p->verified;
		d->set |= 1u << FF_VERIFIED;
	}
	if (p->samples >= 0) {
		f->samples = p->samples;
		d->set |= 1u << FF_SAMPLES;
	}
	if (p->custom >= 0) {
		f->customization = p->custom;
		d->set |= 1u << FF_CUSTOMIZATION;
	}
	if (p->btype > 0) {
		free(f->business_type);
		f->business_type = p->btype == 1   ? xstrdup("manufacturer")
		                   : p->btype == 2 ? xstrdup("trading")
		                                   : NULL;
		d->set |= 1u << FF_BUSINESS_TYPE;
	}
	if (p->incoterm) {
		f->incoterm = xstrdup(p->incoterm);
		d->set |= 1u << FF_INCOTERM;
	}
	if (p->market[0]) {
		f->market = xstrdup(p->market);
		d->set |= 1u << FF_MARKET;
	}
	if (p->sup.n) {
		int replace = p->sup_said && !p->sup_additive && p->ctx && p->ctx->have_suppliers;
		if (replace) {
			strlist_copy(&f->supplier_countries, &p->sup);
			d->set |= 1u << FF_SUPPLIER_COUNTRIES;
		} else {
			for (int i = 0; i < p->sup.n; i++)
				strlist_add(&d->add[FF_SUPPLIER_COUNTRIES], p->sup.v[i]);
		}
		for (int i = 0; i < p->sup.n; i++)
			strlist_add(&d->del[FF_EXCLUDE_COUNTRIES], p->sup.v[i]);
	}
	if (p->exc.n) {
		if (p->exc_replace) {
			strlist_copy(&f->exclude_countries, &p->exc);
			d->set |= 1u << FF_EXCLUDE_COUNTRIES;
		} else {
			for (int i = 0; i < p->exc.n; i++)
				strlist_add(&d->add[FF_EXCLUDE_COUNTRIES], p->exc.v[i]);
		}
		for (int i = 0; i < p->exc.n; i++)
			strlist_add(&d->del[FF_SUPPLIER_COUNTRIES], p->exc.v[i]);
	}
	for (int i = 0; i < p->unexc.n; i++)
		strlist_add(&d->del[FF_EXCLUDE_COUNTRIES], p->unexc.v[i]);
	for (int i = 0; i < p->sup_del.n; i++)
		strlist_add(&d->del[FF_SUPPLIER_COUNTRIES], p->sup_del.v[i]);
	for (int i = 0; i < p->cert_add.n; i++)
		strlist_add(&d->add[FF_CERTIFICATIONS], p->cert_add.v[i]);
	for (int i = 0; i < p->cert_del.n; i++)
		strlist_add(&d->del[FF_CERTIFICATIONS], p->cert_del.v[i]);
}

void intent_ctx_init(intent_ctx *c)
{
	memset(c, 0, sizeof(*c));
	c->expect = INTENT_EXPECT_NONE;
	c->last_country_field = FF_COUNT;
	c->last_number_field = FF_COUNT;
	c->budget_hint = -1;
}

void intent_result_init(intent_result *r)
{
	memset(r, 0, sizeof(*r));
	filter_delta_init(&r->delta);
	sb_init(&r->notes);
	r->country_field = FF_COUNT;
}

void intent_result_free(intent_result *r)
{
	filter_delta_free(&r->delta);
	sb_free(&r->notes);
	strlist_clear(&r->unused);
	memset(r, 0, sizeof(*r));
}

void intent_parse(const intent_vocab *v, const char *text, const intent_ctx *ctx,
                  intent_result *out)
{
	parse p;
	memset(&p, 0, sizeof(p));
	p.v = v;
	p.ctx = ctx;
	p.r = out;
	p.qty = p.pmin = p.pmax = p.moq = p.lead = p.rating = p.years = p.total = -1;
	p.verified = p.samples = p.custom = -1;
	p.last_cfield = FF_COUNT;
	if (!text)
		text = "";
	size_t len = strlen(text);
	int cut = len > INTENT_MAX_INPUT;
	char *raw = xstrndup(text, cut ? INTENT_MAX_INPUT : len);
	char *clean = text_sanitize(raw, 0);
	free(raw);
	p.t = xmalloc(sizeof(tok) * MAX_TOKENS);
	lex(&p, clean);
	free(clean);
	if (cut || p.n >= MAX_TOKENS)
		note(&p, "That was long: I read only the beginning.");
	fold_numbers(&p);
	fold_money(&p);
	tok_compact(&p);
	join_specs(&p);
	tok_compact(&p);
	join_hyphen_specs(&p);
	mark_clauses(&p);

	fix_typos(&p);
	find_compounds(&p);
	find_intents(&p);
	find_questions(&p);
	find_similar(&p);
	find_clears(&p);
	find_keyword_edits(&p);
	find_anywhere(&p);
	find_certs(&p);
	find_countries(&p);
	find_scale(&p);
	find_numbers(&p);
	divide_total(&p);
	find_flags(&p);
	find_currency(&p);
	/* "cheaper" with no price in the turn is a step down, not a bound */
	for (int i = 0; i < p.n; i++) {
		if (p.t[i].used)
			continue;
		if ((is_w(&p, i, "cheaper") || is_w(&p, i, "cheapest") ||
		     (is_w(&p, i, "less") && is_w(&p, i + 1, "expensive")) ||
		     (is_w(&p, i, "too") &&
		      (is_w(&p, i + 1, "expensive") || is_w(&p, i + 1, "pricey"))) ||
		     (is_w(&p, i, "lower") &&
		      (is_w(&p, i + 1, "price") || is_w(&p, i + 1, "prices")))) &&
		    !p.price_said && !(p.clear & (1u << FF_PRICE_MAX)))
			out->intents |= INTENT_CHEAPER;
	}
	use_field_adjectives(&p);
	find_keywords(&p);
	build_delta(&p);
	out->understood = !filter_delta_is_empty(&out->delta) || out->intents != 0;

	strlist_clear(&p.sup);
	strlist_clear(&p.exc);
	strlist_clear(&p.unexc);
	strlist_clear(&p.sup_del);
	strlist_clear(&p.cert_add);
	strlist_clear(&p.cert_del);
	free(p.t);
}
