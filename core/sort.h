/* sort: radix sorts on 64-bit keys, for the orders and statistics of large result sets. */
#ifndef SOUK_SORT_H
#define SOUK_SORT_H

#include <stddef.h>
#include <stdint.h>

/* A key whose unsigned order is the order of the doubles (NaN aside):
 * -2 < -1 < 0 < 1.5. */
uint64_t sort_key_double(double d);
/* A key whose unsigned order is the order of the floats. */
uint32_t sort_key_float(float f);

/* Sorts v ascending, and below[i] is how many of the values are less
 * than the one at v[i] before the sort: ranks for every value in one
 * pass, where a binary search each cost a cache miss a step over a large
 * array. Linear in n: a million prices sort in a few milliseconds, where
 * qsort's comparisons cost ten times that. At most UINT32_MAX values. */
void sort_doubles_below(double *v, size_t n, uint32_t *below);

/* Sorts the pairs (key[i], idx[i]) by key, ascending and stable: pairs
 * with equal keys keep their order, so sorting by a second key first and
 * then by the first gives the order of both. */
void sort_pairs(uint64_t *key, uint32_t *idx, size_t n);

/* The smallest keys only: moves the k smallest pairs to the front, sorted
 * as sort_pairs sorts them, and returns how many are sorted there: at
 * least k (every key equal to the k-th's among them), or n. The rest
 * follow in no order. Linear, with one pass over all n keys in most
 * cases: a page of results needs its first rows in order, not all. */
size_t sort_pairs_top(uint64_t *key, uint32_t *idx, size_t n, size_t k);

#endif
