/* fuzz_main: runs a fuzz target over files without libFuzzer (make check). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "ref.h"

char *fuzz_text(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

const char *fuzz_assets(void)
{
	const char *a = getenv("SOUK_ASSETS");
	return a && *a ? a : FUZZ_ASSETS;
}

const souk_ref *fuzz_ref(void)
{
	static souk_ref *ref;
	souk_err e;

	if (ref == NULL && (ref = ref_load(fuzz_assets(), &e)) == NULL) {
		fprintf(stderr, "fuzz: %s\n", e.msg);
		abort();
	}
	return ref;
}

#ifndef FUZZ_LIBFUZZER
/* Each file named is one input, read whole. */
int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		FILE *fp = fopen(argv[i], "rb");
		uint8_t *buf = NULL;
		size_t n = 0, cap = 0, got;

		if (fp == NULL) {
			perror(argv[i]);
			return 1;
		}
		do {
			if (n == cap) {
				cap = cap ? cap * 2 : 65536;
				buf = realloc(buf, cap);
				if (buf == NULL)
					abort();
			}
			got = fread(buf + n, 1, cap - n, fp);
			n += got;
		} while (got > 0);
		fclose(fp);
		LLVMFuzzerTestOneInput(buf, n);
		free(buf);
	}
	return 0;
}
#endif
