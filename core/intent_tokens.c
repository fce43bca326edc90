/* intent_tokens: what the interpreter asks of tokens: words, clauses, negation, notes, phrases. */
#include <stdio.h>
#include <string.h>

#include "intent_int.h"

/* ---- small token predicates ---- */

int intent_is_w(const parse *p, int i, const char *w)
{
	return i >= 0 && i < p->n && p->t[i].kind == T_WORD && !strcmp(p->t[i].w, w);
}

int intent_in_list(const char *w, const char *const *list)
{
	for (int i = 0; list[i]; i++)
		if (!strcmp(w, list[i]))
			return 1;
	return 0;
}

int intent_is_in(const parse *p, int i, const char *const *list)
{
	return i >= 0 && i < p->n && p->t[i].kind == T_WORD && intent_in_list(p->t[i].w, list);
}

int intent_is_punct(const parse *p, int i, const char *c)
{
	return i >= 0 && i < p->n && p->t[i].kind == T_PUNCT && !strcmp(p->t[i].w, c);
}

int intent_same_clause(const parse *p, int a, int b)
{
	return a >= 0 && b >= 0 && a < p->n && b < p->n && p->t[a].clause == p->t[b].clause;
}

int intent_unit_of(const parse *p, int i, int *kind, double *factor)
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

/* Index of the word k tokens before i within the clause, skipping articles. */
int intent_back(const parse *p, int i, int k)
{
	static const char *const skip[] = {"the", "a", "an", NULL};
	int j = i;
	while (k > 0) {
		j--;
		if (j < 0 || !intent_same_clause(p, j, i))
			return -1;
		if (intent_is_in(p, j, skip) || intent_is_punct(p, j, ":"))
			continue;
		k--;
	}
	return j;
}

int intent_fwd(const parse *p, int i, int k)
{
	static const char *const skip[] = {"the", "a", "an", NULL};
	int j = i;
	while (k > 0) {
		j++;
		if (j >= p->n || !intent_same_clause(p, j, i))
			return -1;
		if (intent_is_in(p, j, skip))
			continue;
		k--;
	}
	return j;
}

void intent_note(parse *p, const char *fmt, ...)
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
int intent_negated_before(const parse *p, int i, int span)
{
	for (int k = 1; k <= span; k++) {
		int j = intent_back(p, i, k);
		if (j < 0 || p->t[j].kind == T_NUM)
			return 0;
		if (intent_is_in(p, j, NEGATORS))
			return 1;
	}
	return 0;
}

/* "... not needed", "... is optional", "... doesn't matter" after i. */
static int negation_after(const parse *p, int i, int *at, int *len);

int intent_negated_after(const parse *p, int i)
{
	int at, len;

	return negation_after(p, i, &at, &len);
}

void intent_use_negation_after(parse *p, int i)
{
	int at, len;

	if (negation_after(p, i, &at, &len))
		intent_use(p, at, len);
}

/* "verified isn't essential", "samples optional": where the negation
 * after i is (*at, *len tokens), 1 when there is one. */
static int negation_after(const parse *p, int i, int *at, int *len)
{
	static const char *const off[] = {"unnecessary", "optional", "unneeded",
	                                  "excluded",    "removed",  NULL};
	static const char *const need[] = {"needed", "required",  "necessary", "important",
	                                   "matter", "mandatory", "essential", NULL};
	/* contractions as typed in a hurry, without the apostrophe, too */
	static const char *const nots[] = {"not",   "isn't", "isnt",  "doesn't", "doesnt", "aren't",
	                                   "arent", "no",    "don't", "dont",    NULL};
	for (int k = 1; k <= 3; k++) {
		int j = intent_fwd(p, i, k);
		if (j < 0)
			return 0;
		if (intent_is_in(p, j, off)) {
			*at = j, *len = 1;
			return 1;
		}
		if (intent_is_in(p, j, nots) && intent_is_in(p, intent_fwd(p, j, 1), need)) {
			*at = j, *len = intent_fwd(p, j, 1) - j + 1;
			return 1;
		}
	}
	return 0;
}

/* Whether token i ends a sentence: ".", "!", "?" or the last token. */
int intent_sentence_end(const parse *p, int i)
{
	return i + 1 >= p->n || (p->t[i].kind == T_PUNCT && strchr(".!?", p->t[i].w[0]));
}

/* ---- phrase lookups ---- */

/* The k words from i joined by spaces into key (size n), dots dropped
 * when asked; 0 when they are not all words or do not fit. */
static int phrase_key(const parse *p, int i, int k, int dots, char *key, size_t n)
{
	size_t kl = 0;

	if (i + k > p->n)
		return 0;
	for (int j = i; j < i + k; j++) {
		const tok *t = &p->t[j];
		char w[WORD_MAX];
		if (t->kind != T_WORD && t->kind != T_NUM)
			return 0;
		if (dots)
			intent_undot(t->w, w, sizeof(w));
		else
			snprintf(w, sizeof(w), "%s", t->w);
		size_t wl = strlen(w);
		if (kl + wl + 2 > n)
			return 0;
		if (j > i)
			key[kl++] = ' ';
		memcpy(key + kl, w, wl);
		kl += wl;
	}
	key[kl] = 0;
	return 1;
}

/* Longest phrase from i found in m (at most maxw words); returns its value
 * and sets *len, or -1. dots: drop '.' from words (country names). */
int intent_phrase_at(const parse *p, int i, const smap *m, int maxw, int dots, int *len)
{
	char key[256];

	for (int k = maxw; k >= 1; k--) {
		if (!phrase_key(p, i, k, dots, key, sizeof key))
			continue;
		int v = smap_get(m, key);
		if (v >= 0) {
			*len = k;
			return v;
		}
	}
	return -1;
}

/* The longest place name of the gazetteer from i: its countries' codes
 * ("FR", "US|CA"), with *len set; NULL when none starts there. */
const char *intent_gazetteer_at(const parse *p, int i, int *len)
{
	char key[256];

	for (int k = gazetteer_max_words(p->v->places); k >= 1; k--) {
		if (!phrase_key(p, i, k, 0, key, sizeof key))
			continue;
		const char *codes = gazetteer_find(p->v->places, key, strlen(key));
		if (codes) {
			*len = k;
			return codes;
		}
	}
	return NULL;
}

/* ---- sequences of words ---- */

static int seq(const parse *p, int i, const char *const *words)
{
	int k = 0;
	for (; words[k]; k++)
		if (!intent_is_w(p, i + k, words[k]))
			return 0;
	return k;
}

void intent_use(parse *p, int i, int k)
{
	for (int j = i; j < i + k && j < p->n; j++)
		if (j >= 0)
			p->t[j].used = 1;
}

/* Finds any of the phrases ("start over", ...) and marks them used. */
int intent_find_phrase(parse *p, const char *const *const *phrases)
{
	int found = 0;
	for (int i = 0; i < p->n; i++) {
		for (int k = 0; phrases[k]; k++) {
			int l = seq(p, i, phrases[k]);
			if (l) {
				intent_use(p, i, l);
				found = 1;
			}
		}
	}
	return found;
}
