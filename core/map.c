/* map: the one string hash map (interned keys, a pointer and a number per key). */
#include "map.h"

#include "util.h"

#include <stdlib.h>
#include <string.h>

typedef struct map_entry {
	char *key;
	size_t len;
	uint32_t hash;
	void *ptr;
	int64_t num;
} map_entry;

struct map {
	int nocase;
	map_entry *e; /* n of them, in the order added */
	long n, cap;
	long *slot; /* open addressing: an index into e, or -1; nslot a power of two */
	size_t nslot;
};

/* ASCII case only, as map.h promises, whatever the locale: tolower() is
 * a call per byte (a tenth of a million-row import went to it) and in a
 * Latin-1 locale it would fold bytes of UTF-8 text. */
static inline unsigned char fold(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + ('a' - 'A')) : c;
}

static uint32_t map_hash(const char *s, size_t len, int nocase)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		h = (h ^ (nocase ? fold(c) : c)) * 16777619u;
	}
	return h;
}

static int map_eq(const map *m, const map_entry *en, const char *s, size_t len)
{
	if (en->len != len)
		return 0;
	if (!m->nocase)
		return memcmp(en->key, s, len) == 0;
	for (size_t i = 0; i < len; i++)
		if (fold((unsigned char)en->key[i]) != fold((unsigned char)s[i]))
			return 0;
	return 1;
}

map *map_new(int flags)
{
	map *m = xcalloc(1, sizeof *m);

	m->nocase = (flags & MAP_NOCASE) != 0;
	return m;
}

void map_free(map *m)
{
	if (m == NULL)
		return;
	for (long i = 0; i < m->n; i++)
		free(m->e[i].key);
	free(m->e);
	free(m->slot);
	free(m);
}

long map_count(const map *m)
{
	return m->n;
}

/* Rebuilds the slots at twice the size, keeping the load at most 1/2. */
static void map_grow(map *m)
{
	size_t cap = m->nslot ? m->nslot * 2 : 64;

	free(m->slot);
	m->slot = xmalloc(sizeof(*m->slot) * cap);
	for (size_t i = 0; i < cap; i++)
		m->slot[i] = -1;
	m->nslot = cap;
	for (long k = 0; k < m->n; k++) {
		size_t h = m->e[k].hash & (cap - 1);
		while (m->slot[h] >= 0)
			h = (h + 1) & (cap - 1);
		m->slot[h] = k;
	}
}

long map_findn(const map *m, const char *key, size_t len)
{
	uint32_t hash;

	if (m->nslot == 0)
		return -1;
	hash = map_hash(key, len, m->nocase);
	for (size_t h = hash & (m->nslot - 1); m->slot[h] >= 0; h = (h + 1) & (m->nslot - 1)) {
		const map_entry *en = &m->e[m->slot[h]];
		if (en->hash == hash && map_eq(m, en, key, len))
			return m->slot[h];
	}
	return -1;
}

long map_find(const map *m, const char *key)
{
	return map_findn(m, key, strlen(key));
}

long map_addn(map *m, const char *key, size_t len, int *added)
{
	long i = map_findn(m, key, len);
	map_entry *en;
	size_t h;

	if (added)
		*added = i < 0;
	if (i >= 0)
		return i;
	if ((size_t)(m->n + 1) * 2 > m->nslot)
		map_grow(m);
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 16;
		m->e = xrealloc(m->e, sizeof(*m->e) * (size_t)m->cap);
	}
	en = &m->e[m->n];
	en->key = xstrndup(key, len);
	en->len = len;
	en->hash = map_hash(key, len, m->nocase);
	en->ptr = NULL;
	en->num = 0;
	for (h = en->hash & (m->nslot - 1); m->slot[h] >= 0; h = (h + 1) & (m->nslot - 1))
		;
	m->slot[h] = m->n;
	return m->n++;
}

long map_add(map *m, const char *key, int *added)
{
	return map_addn(m, key, strlen(key), added);
}

const char *map_key(const map *m, long i)
{
	return m->e[i].key;
}

void *map_ptr(const map *m, long i)
{
	return m->e[i].ptr;
}

void map_set_ptr(map *m, long i, void *p)
{
	m->e[i].ptr = p;
}

int64_t map_num(const map *m, long i)
{
	return m->e[i].num;
}

void map_set_num(map *m, long i, int64_t v)
{
	m->e[i].num = v;
}

void map_put(map *m, const char *key, void *p)
{
	long i = map_add(m, key, NULL); /* may move m->e */

	m->e[i].ptr = p;
}

void *map_get(const map *m, const char *key)
{
	long i = map_find(m, key);

	return i < 0 ? NULL : m->e[i].ptr;
}

void map_put_num(map *m, const char *key, int64_t v)
{
	long i = map_add(m, key, NULL); /* may move m->e */

	m->e[i].num = v;
}

int64_t map_get_num(const map *m, const char *key, int64_t dflt)
{
	long i = map_find(m, key);

	return i < 0 ? dflt : m->e[i].num;
}
