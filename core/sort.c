/* sort: radix sorts on 64-bit keys, for the orders and statistics of large result sets. */
#include "sort.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Below this many, an insertion sort beats setting up the passes. */
#define SORT_SMALL 64
/* Passes of 16 bits over a 64-bit key for large arrays; below this many
 * keys, clearing 65,536 counters per pass costs more than it saves, and
 * passes of 8 bits are used. */
#define SORT_WIDE (1u << 16)

uint64_t sort_key_double(double d)
{
	uint64_t u;

	memcpy(&u, &d, sizeof u);
	/* negative numbers: every bit flipped (larger magnitude sorts first);
	 * others: the sign bit set, so they follow */
	return (u >> 63) ? ~u : u | (1ull << 63);
}

uint32_t sort_key_float(float f)
{
	uint32_t u;

	memcpy(&u, &f, sizeof u);
	return (u >> 31) ? ~u : u | (1u << 31);
}

static void insertion_pairs(uint64_t *key, uint32_t *idx, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		uint64_t k = key[i];
		uint32_t x = idx ? idx[i] : 0;
		size_t j = i;
		for (; j > 0 && key[j - 1] > k; j--) {
			key[j] = key[j - 1];
			if (idx)
				idx[j] = idx[j - 1];
		}
		key[j] = k;
		if (idx)
			idx[j] = x;
	}
}

/* LSD radix: one counting pass per digit, skipping digits every key
 * shares (the high bits of prices, the sign of scores). idx may be NULL. */
static void radix_pairs(uint64_t *key, uint32_t *idx, size_t n)
{
	const int bits = n >= SORT_WIDE ? 16 : 8;
	const size_t buckets = (size_t)1 << bits, digit = buckets - 1;
	uint64_t *k2 = xmalloc_hot(n * sizeof *k2), *ks = key, *kd = k2;
	uint32_t *i2 = idx ? xmalloc_hot(n * sizeof *i2) : NULL, *is = idx, *id = i2;
	/* 512 KB of counters for 16-bit digits: mapped at once, not page by
	 * page as the first pass clears them (three sorts a query) */
	size_t *count = xmalloc_hot(buckets * sizeof *count);
	uint64_t varies = 0;

	/* the bits that differ between keys: a digit with none of them is
	 * the same in every key and needs no pass (the high bytes of prices,
	 * the sign of scores, most of a record number) */
	for (size_t i = 1; i < n; i++)
		varies |= key[i] ^ key[0];
	for (int shift = 0; shift < 64; shift += bits) {
		size_t sum = 0;
		if (!((varies >> shift) & digit))
			continue;
		memset(count, 0, buckets * sizeof *count);
		for (size_t i = 0; i < n; i++)
			count[(ks[i] >> shift) & digit]++;
		for (size_t b = 0; b < buckets; b++) {
			size_t c = count[b];
			count[b] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++) {
			size_t at = count[(ks[i] >> shift) & digit]++;
			kd[at] = ks[i];
			if (is)
				id[at] = is[i];
		}
		/* the sorted copy is the source of the next pass */
		uint64_t *kt = ks;
		ks = kd;
		kd = kt;
		uint32_t *it = is;
		is = id;
		id = it;
	}
	if (ks != key) {
		memcpy(key, ks, n * sizeof *key);
		if (idx)
			memcpy(idx, is, n * sizeof *idx);
	}
	free(count);
	free(k2);
	free(i2);
}

void sort_pairs(uint64_t *key, uint32_t *idx, size_t n)
{
	if (n < SORT_SMALL)
		insertion_pairs(key, idx, n);
	else
		radix_pairs(key, idx, n);
}

void sort_doubles_below(double *v, size_t n, uint32_t *below)
{
	uint64_t *key;
	uint32_t *idx;
	size_t start = 0;

	if (n == 0)
		return;
	key = xmalloc_hot(n * sizeof *key);
	idx = xmalloc_hot(n * sizeof *idx);
	for (size_t i = 0; i < n; i++) {
		key[i] = sort_key_double(v[i]);
		idx[i] = (uint32_t)i;
	}
	sort_pairs(key, idx, n);
	for (size_t j = 0; j < n; j++) {
		uint64_t u = key[j];
		u = (u >> 63) ? u & ~(1ull << 63) : ~u;
		memcpy(&v[j], &u, sizeof u);
		/* equal values (0 and -0 too) share the count below the first */
		if (j > 0 && v[j] != v[j - 1])
			start = j;
		below[idx[j]] = (uint32_t)start;
	}
	free(key);
	free(idx);
}

/* Below this many undecided keys a selection stops narrowing and sorts
 * them with the rest of the front. */
#define SELECT_SMALL 256

size_t sort_pairs_top(uint64_t *key, uint32_t *idx, size_t n, size_t k)
{
	size_t lo = 0, hi = n, want = k;
	uint64_t varies = 0, *tk;
	uint32_t *ti;
	int shift;

	if (k >= n || n < 2 * SELECT_SMALL) {
		sort_pairs(key, idx, n);
		return n;
	}
	for (size_t i = 1; i < n; i++)
		varies |= key[i] ^ key[0];
	if (!varies) { /* all equal: all of them tie with the k-th */
		sort_pairs(key, idx, n);
		return n;
	}
	tk = xmalloc_hot(n * sizeof *tk);
	ti = xmalloc_hot(n * sizeof *ti);
	/* most significant digit first, from the highest bit that varies: each
	 * round keeps the keys of the digits below the k-th key's (chosen),
	 * narrows to those of its digit (undecided) and drops the rest */
	shift = 63 - __builtin_clzll(varies) - 7;
	if (shift < 0)
		shift = 0;
	for (;;) {
		size_t count[256] = {0}, below = 0, at[3];
		unsigned b = 0;
		for (size_t i = lo; i < hi; i++)
			count[(key[i] >> shift) & 255]++;
		while (below + count[b] < want)
			below += count[b++];
		at[0] = lo;
		at[1] = lo + below;
		at[2] = lo + below + count[b];
		for (size_t i = lo; i < hi; i++) {
			unsigned d = (unsigned)(key[i] >> shift) & 255;
			size_t *to = &at[d < b ? 0 : d == b ? 1 : 2];
			tk[*to] = key[i];
			ti[*to] = idx[i];
			(*to)++;
		}
		memcpy(key + lo, tk + lo, (hi - lo) * sizeof *key);
		memcpy(idx + lo, ti + lo, (hi - lo) * sizeof *idx);
		want -= below;
		lo += below;
		hi = lo + count[b];
		if (hi - lo <= SELECT_SMALL || shift == 0)
			break;
		shift = shift >= 8 ? shift - 8 : 0;
	}
	free(tk);
	free(ti);
	/* the chosen keys and every undecided one (the k-th's ties among
	 * them), in order */
	sort_pairs(key, idx, hi);
	return hi;
}
