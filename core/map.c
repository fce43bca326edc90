/* map: the one string hash map (interned keys, a pointer and a number per key). */
#include "map.h"

#include "util.h"

#include <stdlib.h>
#include <string.h>

typedef struct map_entry {
	char *key;
	size_t len;
	void *ptr;
	int64_t num;
} map_entry;

/* A slot holds its key's hash beside the index, so a probe that meets
 * another key rejects it without reading that key's entry or bytes (in a
 * map of 50,000 suppliers or a million words, each is a cache miss). */
typedef struct map_slot {
	uint32_t hash;
	int32_t at; /* an index into e, or -1 */
} map_slot;

/* Keys are copied into chunks that never move, so map_key's pointers stay
 * valid, and a million short keys cost a few hundred allocations rather
 * than a million. */
typedef struct key_chunk {
	struct key_chunk *next;
	size_t used, cap;
	char bytes[];
} key_chunk;

#define KEY_CHUNK ((size_t)64 * 1024)

struct map {
	int nocase;
	map_entry *e; /* n of them, in the order added */
	long n, cap;
	map_slot *slot; /* open addressing; nslot a power of two */
	size_t nslot;
	key_chunk *keys; /* the newest first */
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
	while (m->keys) {
		key_chunk *next = m->keys->next;
		free(m->keys);
		m->keys = next;
	}
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
	map_slot *old = m->slot;
	size_t nold = m->nslot;

	m->slot = xmalloc(sizeof(*m->slot) * cap);
	for (size_t i = 0; i < cap; i++)
		m->slot[i].at = -1;
	m->nslot = cap;
	for (size_t k = 0; k < nold; k++) {
		size_t h;
		if (old[k].at < 0)
			continue;
		for (h = old[k].hash & (cap - 1); m->slot[h].at >= 0; h = (h + 1) & (cap - 1))
			;
		m->slot[h] = old[k];
	}
	free(old);
}

/* The slot holding key[0..len), whose hash is given, or the empty slot
 * that ends its probe. */
static size_t map_probe(const map *m, const char *key, size_t len, uint32_t hash)
{
	size_t h = hash & (m->nslot - 1);

	for (; m->slot[h].at >= 0; h = (h + 1) & (m->nslot - 1))
		if (m->slot[h].hash == hash && map_eq(m, &m->e[m->slot[h].at], key, len))
			break;
	return h;
}

long map_findn(const map *m, const char *key, size_t len)
{
	if (m->nslot == 0)
		return -1;
	return m->slot[map_probe(m, key, len, map_hash(key, len, m->nocase))].at;
}

/* A copy of key[0..len), NUL-terminated, in the map's chunks. */
static char *key_copy(map *m, const char *key, size_t len)
{
	key_chunk *c = m->keys;
	char *p;

	if (c == NULL || c->cap - c->used < len + 1) {
		size_t cap = len + 1 > KEY_CHUNK ? len + 1 : KEY_CHUNK;
		c = xmalloc(sizeof *c + cap);
		c->used = 0;
		c->cap = cap;
		c->next = m->keys;
		m->keys = c;
	}
	p = c->bytes + c->used;
	memcpy(p, key, len);
	p[len] = '\0';
	c->used += len + 1;
	return p;
}

long map_find(const map *m, const char *key)
{
	return map_findn(m, key, strlen(key));
}

long map_addn(map *m, const char *key, size_t len, int *added)
{
	uint32_t hash = map_hash(key, len, m->nocase);
	map_entry *en;
	size_t h = 0; /* an empty map grows below */

	if (m->nslot) {
		h = map_probe(m, key, len, hash);
		if (m->slot[h].at >= 0) {
			if (added)
				*added = 0;
			return m->slot[h].at;
		}
	}
	if (added)
		*added = 1;
	if (m->n >= INT32_MAX)
		abort(); /* the slots hold 32-bit indices: 2 billion keys */
	if ((size_t)(m->n + 1) * 2 > m->nslot) {
		map_grow(m);
		h = map_probe(m, key, len, hash); /* the empty slot, among the new ones */
	}
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 16;
		m->e = xrealloc(m->e, sizeof(*m->e) * (size_t)m->cap);
	}
	en = &m->e[m->n];
	en->key = key_copy(m, key, len);
	en->len = len;
	en->ptr = NULL;
	en->num = 0;
	m->slot[h].hash = hash;
	m->slot[h].at = (int32_t)m->n;
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
