/* fuzz_filter: the filter state JSON (--filters, sessions), parsed and written back. */
#include <stdlib.h>
#include <string.h>

#include "filter.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);
	souk_filter f, g;
	souk_err e;

	if (filter_from_json(text, fuzz_ref(), &f, &e) == 0) {
		/* what it writes, it reads back the same */
		char *json = filter_to_json(&f), *again;
		if (filter_from_json(json, fuzz_ref(), &g, &e) != 0)
			abort();
		again = filter_to_json(&g);
		if (strcmp(json, again) != 0)
			abort();
		free(again);
		free(json);
		filter_free(&g);
	}
	filter_free(&f);
	free(text);
	return 0;
}
