/* Unit tests for core/sort.c: the radix sorts against qsort's order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sort.h"

static int dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* A deterministic stream of doubles with negatives, zeros, repeats and
 * magnitudes far apart. */
static double value(uint64_t *s)
{
	*s = *s * 6364136223846793005ull + 1442695040888963407ull;
	switch ((*s >> 60) & 7) {
	case 0:
		return 0;
	case 1:
		return -(double)((*s >> 20) % 1000) / 7.0;
	case 2:
		return (double)((*s >> 20) % 5); /* many repeats */
	case 3:
		return (double)(*s >> 11) * 1e-3;
	default:
		return (double)((*s >> 30) % 100000) / 100.0;
	}
}

static void test_doubles_match_qsort(void **state)
{
	(void)state;
	/* below and above the insertion-sort threshold */
	for (size_t n = 0; n < 5000; n = n * 3 + 1) {
		double *a = malloc((n + 1) * sizeof *a), *b = malloc((n + 1) * sizeof *b);
		uint32_t *below = malloc((n + 1) * sizeof *below);
		uint64_t s = n;
		for (size_t i = 0; i < n; i++)
			a[i] = b[i] = value(&s);
		sort_doubles_below(a, n, below);
		qsort(b, n, sizeof *b, dbl_cmp);
		for (size_t i = 0; i < n; i++)
			assert_true(a[i] == b[i]);
		free(a);
		free(b);
		free(below);
	}
}

/* The counts below every value equal a count by comparison, ties (and 0
 * beside -0) sharing the count of the first. */
static void test_doubles_below(void **state)
{
	(void)state;
	for (size_t n = 0; n < 3000; n = n * 3 + 1) {
		double *a = malloc((n + 2) * sizeof *a), *orig = malloc((n + 2) * sizeof *orig);
		uint32_t *below = malloc((n + 2) * sizeof *below);
		uint64_t s = n + 11;
		for (size_t i = 0; i < n; i++)
			a[i] = orig[i] = value(&s);
		if (n > 4) {
			a[1] = orig[1] = -0.0;
			a[3] = orig[3] = 0.0;
		}
		sort_doubles_below(a, n, below);
		for (size_t i = 1; i < n; i++)
			assert_true(a[i - 1] <= a[i]);
		for (size_t i = 0; i < n; i++) {
			uint32_t want = 0;
			for (size_t j = 0; j < n; j++)
				want += orig[j] < orig[i];
			assert_int_equal(below[i], want);
		}
		free(a);
		free(orig);
		free(below);
	}
}

static void test_keys_keep_order(void **state)
{
	(void)state;
	assert_true(sort_key_double(-2) < sort_key_double(-1));
	assert_true(sort_key_double(-1) < sort_key_double(0));
	assert_true(sort_key_double(0) < sort_key_double(1.5));
	assert_true(sort_key_double(1.5) < sort_key_double(1e300));
	assert_true(sort_key_float(-0.5f) < sort_key_float(0.25f));
	assert_true(sort_key_float(99.5f) < sort_key_float(100.0f));
}

/* Pairs with equal keys keep their order: two passes give a two-key order. */
static void test_pairs_stable(void **state)
{
	enum { N = 3000 };
	uint64_t *key = malloc(N * sizeof *key);
	uint32_t *idx = malloc(N * sizeof *idx);
	uint64_t s = 7;

	(void)state;
	for (uint32_t i = 0; i < N; i++) {
		s = s * 6364136223846793005ull + 1;
		key[i] = (s >> 33) % 17; /* many ties */
		idx[i] = i;
	}
	sort_pairs(key, idx, N);
	for (uint32_t i = 1; i < N; i++) {
		assert_true(key[i - 1] <= key[i]);
		if (key[i - 1] == key[i])
			assert_true(idx[i - 1] < idx[i]);
	}
	/* a key that differs only in its top bits still sorts */
	key[0] = 1ull << 63;
	key[1] = 1;
	idx[0] = 0;
	idx[1] = 1;
	sort_pairs(key, idx, 2);
	assert_int_equal(idx[0], 1);
	free(key);
	free(idx);
}

/* The front sort_pairs_top leaves is the front of the whole stable sort,
 * every key equal to the k-th's is in it, and the rest are the pairs the
 * whole sort puts after it. */
static void test_pairs_top(void **state)
{
	(void)state;
	for (size_t n = 1; n < 40000; n = n * 5 + 3) {
		uint64_t *key = malloc(n * sizeof *key), *all = malloc(n * sizeof *all);
		uint32_t *idx = malloc(n * sizeof *idx), *alli = malloc(n * sizeof *alli);
		uint64_t s = n;
		for (int spread = 0; spread < 3; spread++) {
			for (size_t i = 0; i < n; i++) {
				s = s * 6364136223846793005ull + 1442695040888963407ull;
				/* many ties; keys apart only in their low bits; 64 bits */
				key[i] = spread == 0 ? (s >> 33) % 50 : spread == 1 ? s >> 54 : s;
				all[i] = key[i];
				idx[i] = alli[i] = (uint32_t)i;
			}
			sort_pairs(all, alli, n);
			for (size_t k = 1; k <= n; k = k * 4 + 1) {
				uint64_t *kk = malloc(n * sizeof *kk), sum = 0, sumall = 0;
				uint32_t *ki = malloc(n * sizeof *ki);
				size_t m;
				memcpy(kk, key, n * sizeof *kk);
				memcpy(ki, idx, n * sizeof *ki);
				m = sort_pairs_top(kk, ki, n, k);
				assert_true(m >= k && m <= n);
				for (size_t i = 0; i < m; i++) {
					assert_true(kk[i] == all[i]);
					assert_int_equal(ki[i], alli[i]);
				}
				if (m < n)
					assert_true(all[m] > all[k - 1]);
				for (size_t i = m; i < n; i++) {
					sum += kk[i] * 31 + ki[i];
					sumall += all[i] * 31 + alli[i];
				}
				assert_true(sum == sumall);
				free(kk);
				free(ki);
			}
		}
		free(key);
		free(all);
		free(idx);
		free(alli);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_doubles_match_qsort), cmocka_unit_test(test_doubles_below),
	        cmocka_unit_test(test_keys_keep_order),     cmocka_unit_test(test_pairs_stable),
	        cmocka_unit_test(test_pairs_top),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
