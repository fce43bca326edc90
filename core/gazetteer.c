/* gazetteer: the world's cities and first-level regions by name, to the countries they are in. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gazetteer.h"
#include "tsv.h"

/* One file's names, sorted byte-wise, pointing into its text. */
typedef struct places {
	char *text;
	const char **name, **codes;
	int n;
} places;

struct gazetteer {
	places regions, cities;
	int max_words;
};

static int words_in(const char *s)
{
	int n = 1;

	for (; *s; s++)
		n += *s == ' ';
	return n;
}

static int by_name(const void *a, const void *b)
{
	const char *const *x = a, *const *y = b;

	return strcmp(x[0], y[0]);
}

/* The generator writes the files sorted; a hand-edited one may not be,
 * and then it is sorted here (names and codes moved as pairs). */
static void places_sort(places *p)
{
	const char **pair;

	for (int i = 1; i < p->n; i++)
		if (strcmp(p->name[i - 1], p->name[i]) > 0)
			goto unsorted;
	return;
unsorted:
	pair = xmalloc(sizeof *pair * 2 * (size_t)p->n);
	for (int i = 0; i < p->n; i++) {
		pair[2 * i] = p->name[i];
		pair[2 * i + 1] = p->codes[i];
	}
	qsort(pair, (size_t)p->n, 2 * sizeof *pair, by_name);
	for (int i = 0; i < p->n; i++) {
		p->name[i] = pair[2 * i];
		p->codes[i] = pair[2 * i + 1];
	}
	free(pair);
}

static int places_read(places *p, const char *assets, const char *file, int *max_words, souk_err *e)
{
	char *path = xasprintf("%s/places/%s", assets, file);
	tsv t;
	int rc = 0;

	if (tsv_open(&t, path, e) < 0) {
		free(path);
		return -1;
	}
	while (tsv_next(&t)) {
		if ((rc = tsv_want(&t, 2, 2, e)) < 0)
			break;
		p->name = xgrow(p->name, p->n, sizeof *p->name);
		p->codes = xgrow(p->codes, p->n, sizeof *p->codes);
		p->name[p->n] = t.f[0];
		p->codes[p->n++] = t.f[1];
		if (words_in(t.f[0]) > *max_words)
			*max_words = words_in(t.f[0]);
	}
	if (rc < 0)
		tsv_close(&t);
	else
		p->text = tsv_keep(&t);
	free(path);
	if (rc == 0)
		places_sort(p);
	return rc;
}

static void places_free(places *p)
{
	free(p->text);
	free(p->name);
	free(p->codes);
}

gazetteer *gazetteer_load(const char *assets, souk_err *e)
{
	gazetteer *g = xcalloc(1, sizeof *g);

	if (places_read(&g->regions, assets, "regions.tsv", &g->max_words, e) < 0 ||
	    places_read(&g->cities, assets, "cities.tsv", &g->max_words, e) < 0) {
		gazetteer_free(g);
		return NULL;
	}
	return g;
}

void gazetteer_free(gazetteer *g)
{
	if (!g)
		return;
	places_free(&g->regions);
	places_free(&g->cities);
	free(g);
}

static const char *places_find(const places *p, const char *name, size_t len)
{
	int lo = 0, hi = p->n - 1;

	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;
		const char *s = p->name[mid];
		int c = strncmp(s, name, len);
		if (c == 0)
			c = s[len] != 0; /* a longer name sorts after its prefix */
		if (c == 0)
			return p->codes[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return NULL;
}

const char *gazetteer_find(const gazetteer *g, const char *name, size_t len)
{
	const char *c = places_find(&g->regions, name, len);

	return c ? c : places_find(&g->cities, name, len);
}

int gazetteer_max_words(const gazetteer *g)
{
	return g->max_words;
}

int gazetteer_count(const gazetteer *g)
{
	return g->regions.n + g->cities.n;
}
