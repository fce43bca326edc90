/* fuzz: what every libFuzzer target in tests/fuzz shares (the entry point). */
#ifndef SOUK_FUZZ_H
#define SOUK_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#ifndef FUZZ_ASSETS
#define FUZZ_ASSETS "assets"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input as a NUL-terminated copy (the parsers take C strings too). */
char *fuzz_text(const uint8_t *data, size_t size);

/* The asset directory ($SOUK_ASSETS, else FUZZ_ASSETS) and its reference
 * data, loaded on the first input and kept: it is read-only. */
const char *fuzz_assets(void);
const struct souk_ref *fuzz_ref(void);

#endif
