/* match_names: which categories the buyer's words name (the leaf's name and synonyms), not merely
 * touch. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "match_int.h"

/* A word reduced to what English plurals share: "toys" and "toy",
 * "boxes" and "box", "batteries" and "battery" meet. */
static void word_stem(const char *s, size_t n, char *out, size_t cap)
{
	size_t k = 0;

	for (size_t i = 0; i < n && k + 1 < cap; i++)
		out[k++] = (char)tolower((unsigned char)s[i]);
	out[k] = 0;
	if (k > 4 && strcmp(out + k - 3, "ies") == 0)
		strcpy(out + k - 3, "y");
	else if (k > 3 && out[k - 1] == 's' && out[k - 2] == 'e' &&
	         strchr("sxz", out[k - 3]) != NULL)
		out[k - 2] = 0;
	else if (k > 3 && (strcmp(out + k - 4, "ches") == 0 || strcmp(out + k - 4, "shes") == 0))
		out[k - 2] = 0;
	else if (k > 2 && out[k - 1] == 's' && out[k - 2] != 's')
		out[k - 1] = 0;
}

/* Appends the stems of text's words to b, each followed by a space. */
static void stems_add(strbuf *b, const char *text)
{
	while (text && *text) {
		size_t n;
		char w[64];
		while (*text && !isalnum((unsigned char)*text))
			text++;
		for (n = 0; isalnum((unsigned char)text[n]); n++)
			;
		if (n) {
			word_stem(text, n, w, sizeof w);
			sb_add(b, w);
			sb_addc(b, ' ');
		}
		text += n;
	}
}

/* The taxonomy (core/ref): its names and synonyms are what a category is
 * called; a catalog category outside it is called by its last path
 * segment. */
void match_names_load(match_ctx *m)
{
	for (int i = 0; i < ref_taxonomy_count(m->ref); i++) {
		const ref_category *c = ref_taxonomy_at(m->ref, i);
		strbuf words;
		sb_init(&words);
		sb_addc(&words, ' ');
		stems_add(&words, c->name);
		for (int k = 0; k < c->nterms; k++)
			stems_add(&words, c->terms[k]);
		strlist_add(&m->tax_paths, c->path);
		m->tax_words = xgrow(m->tax_words, m->tax_paths.n - 1, sizeof(char *));
		m->tax_words[m->tax_paths.n - 1] = sb_steal(&words);
	}
}

void match_names_free(match_ctx *m)
{
	for (int i = 0; i < m->tax_paths.n; i++)
		free(m->tax_words[i]);
	free(m->tax_words);
	strlist_clear(&m->tax_paths);
	m->tax_words = NULL;
}

/* " stem stem ... " naming a category path. */
static char *cat_words(const match_ctx *m, const char *cat)
{
	const char *leaf = strrchr(cat, '/');
	strbuf b;

	sb_init(&b);
	sb_addc(&b, ' ');
	stems_add(&b, leaf ? leaf + 1 : cat);
	for (int i = 0; i < m->tax_paths.n; i++)
		if (strcmp(m->tax_paths.v[i], cat) == 0) {
			sb_add(&b, m->tax_words[i] + 1);
			break;
		}
	return sb_steal(&b);
}

/* Whether the keyword names: one of the words is the keyword, or (for
 * keywords of four letters or more, as the search treats them) starts
 * with it. */
static int names(const char *words, const char *kw)
{
	char stem[64], pat[68];

	word_stem(kw, strlen(kw), stem, sizeof stem);
	if (!*stem)
		return 0;
	snprintf(pat, sizeof pat, " %s%s", stem, strlen(kw) > 3 ? "" : " ");
	return strstr(words, pat) != NULL;
}

/* Per interned category: the share of the keywords that name it (0..1),
 * computed for the categories of this query's candidates. */
void match_names_score(query *q)
{
	const strlist *kw = &q->f->keywords;
	match_ctx *m = q->m;
	int n = m->cats.n;

	if (!kw->n || !n)
		return;
	q->named = xcalloc((size_t)n, sizeof(float));
	q->named_done = xcalloc((size_t)n, 1);
	for (int i = 0; i < q->n; i++) {
		int cat = q->c[i].cat;
		char *words;
		int hit = 0;
		if (cat < 0 || cat >= n || q->named_done[cat])
			continue;
		q->named_done[cat] = 1;
		words = cat_words(m, m->cats.v[cat]);
		for (int k = 0; k < kw->n; k++)
			hit += names(words, kw->v[k]);
		q->named[cat] = (float)hit / (float)kw->n;
		free(words);
	}
}
