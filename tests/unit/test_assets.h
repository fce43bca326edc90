/* test_assets: the asset directory and the reference data unit tests share. */
#ifndef SOUK_TEST_ASSETS_H
#define SOUK_TEST_ASSETS_H

#include <stdio.h>
#include <stdlib.h>

#include "ref.h"

static inline const char *test_assets(void)
{
	const char *a = getenv("SOUK_ASSETS");
	return a && *a ? a : "assets";
}

static souk_ref *test_ref_loaded;

static inline void test_ref_free(void)
{
	ref_free(test_ref_loaded);
	test_ref_loaded = NULL;
}

/* Loaded on first use and freed at exit, as a program's entry point would
 * load it once and pass it down. */
static inline const souk_ref *test_ref(void)
{
	souk_err e;

	if (test_ref_loaded == NULL) {
		if ((test_ref_loaded = ref_load(test_assets(), &e)) == NULL) {
			fprintf(stderr, "%s\n", e.msg);
			abort();
		}
		atexit(test_ref_free);
	}
	return test_ref_loaded;
}

#endif
