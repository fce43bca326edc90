/* intent_lex: a turn's text -> tokens: words, numbers, symbols, typos, number words, clauses. */
#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "intent_int.h"
#include "text.h"

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
void tok_set(tok *t, const char *s, size_t len)
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

/* A number token for digits and its value, or NULL when the turn is full. */
static tok *push_number(parse *p, const char *digits, double val, int decimal)
{
	tok *t = tok_push(p, T_NUM);
	if (t) {
		tok_set(t, digits, strlen(digits));
		t->num = val;
		t->decimal = decimal;
	}
	return t;
}

/* Long: the number's grammar in the order its bytes come (digits, separators, exponent, glued
 * letters, units, "each"). */
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
		push_number(p, digits, val, fmod(val, 1) != 0);
		return j;
	}
	/* "$2ea", "3each": the number, then "each" */
	if (!strcmp(suf, "ea") || !strcmp(suf, "each")) {
		if (!push_number(p, digits, val, decimal))
			return j;
		tok *t = tok_push(p, T_WORD);
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
	tok *t = push_number(p, digits, val, decimal);
	if (!t)
		return j;
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
			if (intent_in_list(suf, glue)) {
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

/* Long: one pass over the bytes, a branch per kind of character (word, number, currency sign,
 * punctuation). */
void intent_lex(parse *p, const char *s)
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
			t->tight = c == '-' && i > 0 && i + 1 < len &&
			           !isspace((unsigned char)s[i - 1]) &&
			           !isspace((unsigned char)s[i + 1]);
		}
		i++;
	}
}

/* ---- typos ---- */

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
	if (intent_gazetteer_at(p, i, &pl) ||
	    (i > 0 && intent_gazetteer_at(p, i - 1, &pl) && pl > 1))
		return NULL; /* "British Columbia" */
	if (t->kind != T_WORD || l < 5 || strchr(t->w, '-') || strchr(t->w, '\'') ||
	    smap_get(&p->v->stop, t->w) >= 0 || smap_get(&p->v->country, t->w) >= 0 ||
	    smap_get(&p->v->cert, t->w) >= 0 || smap_get(&p->v->plural, t->w) >= 0 ||
	    intent_unit_of(p, i, &kind, &f) || strlist_has(&p->v->typo, t->w) ||
	    (p->ctx && p->ctx->catalog && vocab_docs(p->ctx->catalog, t->w) > 0))
		return NULL;
	for (int k = 0; k < p->v->typo.n; k++) {
		const char *w = p->v->typo.v[k];
		/* a word that holds the target whole is another word made from
		 * it ("unverified", "recertified"), not a slip of the keys */
		if (strlen(w) >= 6 && !strstr(t->w, w) &&
		    edits(t->w, w, strlen(w) >= 8 ? 2 : 1) <= (strlen(w) >= 8 ? 2 : 1))
			return w;
	}
	if (!t->cap1 && !intent_is_in(p, i - 1, prep))
		return NULL;
	for (long k = 0; p->v->country.m && k < map_count(p->v->country.m); k++) {
		const char *w = map_key(p->v->country.m, k);
		if (w && strlen(w) >= 5 && !strchr(w, ' ') && w[0] == t->w[0] &&
		    edits(t->w, w, strlen(w) >= 8 ? 2 : 1) <= (strlen(w) >= 8 ? 2 : 1))
			return w;
	}
	return NULL;
}

void intent_fix_typos(parse *p)
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

int intent_is_measure_word(const parse *p, int i)
{
	int kind;
	double f;
	const char *c;
	return (intent_unit_of(p, i, &kind, &f) && kind != U_SPEC) ||
	       intent_currency_of(p, i, &c, &f);
}

/* Folds "two thousand", "a dozen", "5 thousand", "10^20" into number tokens. */
/* Long: one pass that folds a run of number words; each case reads the run the previous ones left.
 */
void intent_fold_numbers(parse *p)
{
	int o = 0;
	for (int i = 0; i < p->n; i++) {
		tok *t = &p->t[i];
		double val;
		int scale;
		if (t->kind == T_NUM && i + 2 < p->n && intent_is_punct(p, i + 1, "^") &&
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
		int lead_a = (intent_is_w(p, i, "a") || intent_is_w(p, i, "an"));
		if (lead_a) {
			int kind;
			double f;
			if (i + 1 < p->n && numword(p, p->t[i + 1].w, &val, &scale) && scale) {
				i++;
			} else if (((intent_unit_of(p, i + 1, &kind, &f) && kind == U_TIME) ||
			            intent_is_w(p, i + 1, "dollar") ||
			            intent_is_w(p, i + 1, "euro") ||
			            intent_is_w(p, i + 1, "pound") ||
			            intent_is_w(p, i + 1, "buck")) &&
			           !intent_ends(p->t[i + 1].w, strlen(p->t[i + 1].w), "s")) {
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
				 * are two numbers (intent_fold_money reads them as a price) */
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
			} else if (intent_is_w(p, j, "and") && words && j + 1 < p->n &&
			           numword(p, p->t[j + 1].w, &val, &scale) && !scale) {
				j++;
			} else {
				break;
			}
		}
		/* a lone "one" or "half" is a number only before a unit ("one week") */
		if (words == 1 && !lead_a &&
		    (intent_is_w(p, i, "one") || intent_is_w(p, i, "half")) &&
		    !intent_is_measure_word(p, j)) {
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
const char *const INTENT_BUT_EXCEPT[] = {"anything", "anywhere", "everything", "everywhere",
                                         "all",      "any",      "anyone",     "anybody",
                                         "whatever", "wherever", NULL};
const char *const INTENT_BUT_ONLY[] = {"nothing", "none", "nowhere", "nobody", NULL};

/* Marks tokens [i, i + k) to leave the turn; tok_compact removes them, once
 * per pass, so that a long turn costs no more than a short one per token. */
void tok_drop(parse *p, int i, int k)
{
	for (int j = i; j < i + k && j < p->n; j++)
		p->t[j].gone = 1;
}

void tok_compact(parse *p)
{
	int o = 0;
	for (int i = 0; i < p->n; i++)
		if (!p->t[i].gone)
			p->t[o++] = p->t[i];
	p->n = o;
}

int intent_whole(const tok *t, double lo, double hi)
{
	return t->kind == T_NUM && !t->decimal && !t->kilo && t->num >= lo && t->num <= hi;
}

/* "20 oz", "12 V", "500 ml": a spec written apart is the same term as
 * "20oz", a product word, not a quantity. Single letters only in capitals,
 * and never "in" or "x" ("ship in", "2 x 3"). */
void intent_join_specs(parse *p)
{
	for (int i = 0; i + 1 < p->n; i++) {
		tok *t = &p->t[i], *u = &p->t[i + 1];
		if (t->gone || u->gone)
			continue;
		int kind;
		double f;
		const char *c;
		if (t->kind != T_NUM || t->kilo || t->num < 0 ||
		    !intent_unit_of(p, i + 1, &kind, &f) || kind != U_SPEC ||
		    (i > 0 && intent_currency_of(p, i - 1, &c, &f)))
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

void intent_mark_clauses(parse *p)
{
	int c = 0;
	for (int i = 0; i < p->n; i++) {
		tok *t = &p->t[i];
		int but = t->kind == T_WORD && !strcmp(t->w, "but") && i > 0 &&
		          !(intent_in_list(p->t[i - 1].w, INTENT_BUT_EXCEPT) ||
		            intent_in_list(p->t[i - 1].w, INTENT_BUT_ONLY));
		if ((t->kind == T_PUNCT && is_clause_break(i ? &p->t[i - 1] : NULL, t->w[0])) ||
		    but || (t->kind == T_WORD && !strcmp(t->w, "however")))
			c++;
		t->clause = c;
	}
}
