/* map: the one string hash map (interned keys, a pointer and a number per key). */
#ifndef SOUK_MAP_H
#define SOUK_MAP_H

#include <stddef.h>
#include <stdint.h>

/* Keys are copied and numbered 0, 1, 2, ... in the order they were first
 * added; that number (the key's index) is stable for the map's life, as is
 * the copy map_key returns, so a map also interns strings. Each key holds
 * a pointer and a 64-bit number, both 0 when the key is added. */
typedef struct map map;

enum map_flags {
	MAP_CASE = 0,   /* keys compare byte for byte */
	MAP_NOCASE = 1, /* keys compare ignoring ASCII case */
};

map *map_new(int flags);
/* Frees the map and its keys, not what the pointers point to (walk the
 * indices first when they own something). NULL is fine. */
void map_free(map *m);
long map_count(const map *m);

/* Index of key[0..len) (or of the NUL-terminated key), -1 when absent. */
long map_findn(const map *m, const char *key, size_t len);
long map_find(const map *m, const char *key);
/* Index of key[0..len), adding it when new (*added says which, when not
 * NULL). */
long map_addn(map *m, const char *key, size_t len, int *added);
long map_add(map *m, const char *key, int *added);

/* By index (0 <= i < map_count): the map's copy of the key as first
 * added, and the values. */
const char *map_key(const map *m, long i);
void *map_ptr(const map *m, long i);
void map_set_ptr(map *m, long i, void *p);
int64_t map_num(const map *m, long i);
void map_set_num(map *m, long i, int64_t v);

/* Shorthands by key. map_get: the pointer, NULL when absent. map_get_num:
 * the number, dflt when absent. The puts add or replace. */
void map_put(map *m, const char *key, void *p);
void *map_get(const map *m, const char *key);
void map_put_num(map *m, const char *key, int64_t v);
int64_t map_get_num(const map *m, const char *key, int64_t dflt);

#endif
