/* gazetteer: the world's cities and first-level regions by name, to the countries they are in. */
#ifndef SOUK_GAZETTEER_H
#define SOUK_GAZETTEER_H

#include <stddef.h>

#include "util.h"

typedef struct gazetteer gazetteer;

/* Reads ASSETS/places/regions.tsv and ASSETS/places/cities.tsv (name TAB
 * '|'-separated ISO codes, preferred first). The files are kept as read,
 * one buffer each, and searched in place: loading costs one pass over
 * them, not an allocation per name (they hold some 37,000 names and every
 * `souk query TEXT` loads them). NULL with e set when a file is missing or
 * a line is malformed. */
gazetteer *gazetteer_load(const char *assets, souk_err *e);
void gazetteer_free(gazetteer *g);

/* The codes of the place whose lower-case name is the len bytes at name;
 * a region wins over a city of the same name. NULL when there is none. */
const char *gazetteer_find(const gazetteer *g, const char *name, size_t len);

/* The most words in one name ("rio de janeiro" has three). */
int gazetteer_max_words(const gazetteer *g);

/* How many names are known (for tests and messages). */
int gazetteer_count(const gazetteer *g);

#endif
