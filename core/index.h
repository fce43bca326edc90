/* index: the column index file beside a catalog (CATALOG.idx): sections, header, validation,
 * mapping. */
#ifndef SOUK_INDEX_H
#define SOUK_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

#define INDEX_MAGIC   "SOUKIDX\n"
#define INDEX_VERSION 3
#define INDEX_MAX_SEC 32

/* What the index was built from: a catalog whose identity differs makes
 * it stale. generation is bumped in the catalog's meta by every writer;
 * meta_hash covers all of meta (built_at, imported_at, name, ...). */
typedef struct index_ident {
	int64_t generation;
	uint64_t meta_hash;
	int64_t max_product, max_supplier;
} index_ident;

/* Section flags: BULK sections (the per-product columns) are not
 * checksummed at open, so opening never reads them; every value read from
 * them is bounds-checked where it is used instead. */
#define INDEX_BULK 1u
/* LAZY sections are checksummed, but the sum is checked by the reader
 * that uses one (index_section_checked), not at every open: the stored
 * default order is 440 KB per million products that only the unfiltered
 * query reads, and hashing it cost every query process about a
 * millisecond. */
#define INDEX_LAZY 2u

typedef struct index_map index_map;

/* The index of the catalog at path, shared by every context of the
 * process that asks for the same catalog and identity (refcounted).
 * NULL when the file is missing, of another version, stale, truncated or
 * corrupt: e says which. */
index_map *index_acquire(const char *catalog, const index_ident *id, souk_err *e);
/* Whether the mappings made from now on are advised MADV_HUGEPAGE: for a
 * short process (a command), where faults are most of a query's time.
 * Not for the dashboard, whose queries run in one long process that keeps
 * its pages mapped: it gains little, and its keystroke p99 while queries
 * ran was worse with it (median of 16 runs 3.0 ms, one at 25 ms; 1.9 ms
 * over 32 runs without). */
void index_map_huge(int on);
void index_release(index_map *m);
/* A section's bytes, NULL (and *len 0) when the index has no such section. */
const void *index_section(const index_map *m, uint32_t id, size_t *len);
/* The same for a LAZY section, checked against its sum: NULL (and *len
 * 0) when it is missing or damaged. */
const void *index_section_checked(const index_map *m, uint32_t id, size_t *len);
/* Where a section lies in the file (tests damage one on purpose): 0, or
 * -1 when the index has no such section. */
int index_section_at(const index_map *m, uint32_t id, uint64_t *off, uint64_t *len);
/* 1 when the map lives in memory only (the file could not be written). */
int index_in_memory(const index_map *m);

/* Starts reading the pages of [p, p + len) inside m from disk, without
 * waiting, where the system has dropped them from its cache: a reader
 * about to go through many scattered ones then waits for them together,
 * not one after the other. Nothing for an index in memory. */
void index_willneed(const index_map *m, const void *p, size_t len);

/* Building: a list of sections, laid out 64-byte aligned after the header
 * when the file is written. Nothing is copied into one buffer: a million
 * products are 250 MB of sections, and copying them cost a second. */
typedef struct index_section_src {
	uint32_t id, flags;
	const void *data;
	size_t len;
	uint64_t sum;
	void *owned; /* freed with the builder */
} index_section_src;

typedef struct index_builder {
	index_section_src sec[INDEX_MAX_SEC];
	int nsec;
} index_builder;

void index_builder_init(index_builder *b);
void index_builder_free(index_builder *b);
/* A copy of len bytes at data (for the small sections). */
void index_builder_add(index_builder *b, uint32_t id, uint32_t flags, const void *data, size_t len);
/* len bytes at data, which stay the caller's and must stay valid until
 * index_publish returns (the columns of a build). */
void index_builder_ref(index_builder *b, uint32_t id, uint32_t flags, const void *data, size_t len);
/* data (from malloc) becomes the builder's, freed with it. */
void index_builder_take(index_builder *b, uint32_t id, uint32_t flags, void *data, size_t len);
/* Seals the header and publishes the result: written to CATALOG.idx
 * atomically (temp file, fsync, rename) and mapped from there, or, when
 * the file cannot be written (a read-only directory), kept in memory.
 * The builder is consumed either way. NULL only when memory is short. */
index_map *index_publish(index_builder *b, const char *catalog, const index_ident *id, souk_err *e);

/* The index file's name for a catalog (caller frees). */
char *index_path(const char *catalog);

/* A 64-bit checksum of len bytes (also used for meta_hash). */
uint64_t index_hash(const void *data, size_t len, uint64_t seed);

#endif
