/* catalog_info: what the dashboard shows of a catalog and an offer beyond a match row. */
#ifndef SOUK_CATALOG_INFO_H
#define SOUK_CATALOG_INFO_H

#include <stdint.h>

#include "match.h"
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

typedef struct offer_attr {
	char *key, *value;
} offer_attr;

/* An offer's fields the grid has no column for. Strings are raw data
 * ("" when the catalog has nothing); numbers are -1 when unknown. */
typedef struct offer_detail {
	char *description;
	offer_attr *attrs; /* the attributes object's string members, in order */
	int nattrs;
	char *incoterm, *port;
	double weight_kg, volume_m3;
	int samples;         /* 1 offered, 0 not */
	double sample_price; /* in currency, -1 unknown */
	char currency[4];    /* of the offer's own prices */
	char *customization; /* "logo|odm|color" as stored */
	/* the supplier's record, as imported: -1 unknown */
	int trade_assurance;   /* 1 yes, 0 no */
	double response_rate;  /* 0..1 */
	double response_hours; /* typical time to answer */
	double on_time_rate;   /* 0..1 */
	double reorder_rate;   /* 0..1 */
} offer_detail;

/* Everything unknown, nothing owned: safe to read and to free. */
void offer_detail_init(offer_detail *d);
/* 0 and out filled; -1 with e set (SOUK_E_NOTFOUND style message when the
 * offer is not in the catalog). out is always safe to free. */
int catalog_info_offer(match_ctx *m, int64_t product_id, offer_detail *out, souk_err *e);
void offer_detail_free(offer_detail *d);

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
