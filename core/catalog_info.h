/* catalog_info: what the dashboard shows of a catalog and an offer beyond a match row. */
#ifndef SOUK_CATALOG_INFO_H
#define SOUK_CATALOG_INFO_H

#include <stdint.h>

#include "match.h"
#include "offer.h"
#include "shortlist.h"
#include "util.h"

/* The catalog's name (meta "name", "catalog" when it has none) and its
 * counts, read through a read-only connection opened and closed here. */
typedef struct catalog_meta {
	char *name; /* raw: sanitise before drawing */
	long suppliers, products;
} catalog_meta;

int catalog_info_meta(const char *path, catalog_meta *out, souk_err *e);
void catalog_meta_free(catalog_meta *m);

/* An offer's detail (core/offer.h) from the catalog m reads, the
 * supplier's record included: 0 found, -1 not in this catalog or
 * unreadable (e set; d then every field unknown). Free d with
 * offer_detail_free either way. */
int catalog_info_offer(match_ctx *m, int64_t product_id, offer_detail *d, souk_err *e);
/* The details of n offers at once (the grid's optional columns): d[i]
 * for ids[i], every field unknown where the catalog lacks it. 0, or -1
 * with e set. Free each d[i]. */
int catalog_info_offers(match_ctx *m, const int64_t *ids, int n, offer_detail *d, souk_err *e);

/* "Pickleball paddles (sports/pickleball/paddles)": the catalog's name for
 * a category path when it has one, else the path; NULL for no path. */
char *catalog_info_category(match_ctx *m, const char *path);

/* Every value the catalog has for a list filter, sorted: the suppliers'
 * countries (ISO codes) or the certification names, so a picker can
 * offer what the current results lack. 0, or -1 with e set. */
enum catalog_values { CATALOG_COUNTRIES, CATALOG_CERTS };
int catalog_info_values(match_ctx *m, enum catalog_values which, strlist *out, souk_err *e);

/* shortlist_compare against the catalog m reads. */
int catalog_info_compare(match_ctx *m, shortlist_item *items, int n, souk_err *e);

#endif
