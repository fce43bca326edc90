/* fuzz_shortlist: `souk shortlist import` of a JSON export into a fresh in-memory user database. */
#include <stdlib.h>

#include "fuzz.h"
#include "shortlist.h"
#include "userdb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);
	sqlite3 *db;
	souk_err e;
	int added;

	if (userdb_open(":memory:", &db, &e) == 0) {
		shortlist_import_json(db, NULL, text, &added, &e);
		userdb_close(db);
	}
	free(text);
	return 0;
}
