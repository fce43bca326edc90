/* fuzz_import: CSV or JSON import (FUZZ_FORMAT) into a fresh in-memory catalog per input. */
#include <stdlib.h>

#include "catalog.h"
#include "fuzz.h"
#include "import.h"
#include "ref.h"

#ifndef FUZZ_FORMAT
#define FUZZ_FORMAT IMPORT_CSV
#endif

/* A new catalog each time: whatever an input leaves behind (rows, state,
 * memory) cannot hide in the next one, and leaks show at exit. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sqlite3 *db;
	souk_err e;
	import_opts o = {0};
	import_stats st;

	if (size == 0 || catalog_open(":memory:", 0, &db, &e) < 0)
		return 0;
	o.format = FUZZ_FORMAT;
	o.name = "fuzz";
	o.assets = fuzz_assets();
	o.ref = fuzz_ref();
	import_buffer(db, (const char *)data, size, &o, &st, &e);
	catalog_close(db);
	return 0;
}
