/* match: filter -> ranked offers, facets, highlights, similar suppliers, relaxations. */
#ifndef SOUK_MATCH_H
#define SOUK_MATCH_H

#include <sqlite3.h>
#include <stdint.h>

#include "filter.h"
#include "ref.h"
#include "util.h"

typedef struct match_ctx match_ctx; /* one per thread: owns its SQLite connection */

/* Opens the catalog at path read-only. It prices with the FX, freight and
 * duty tables of the reference data ref and names categories by its
 * taxonomy; ref is the caller's and must outlive the context. */
match_ctx *match_open(const char *catalog, const souk_ref *ref, souk_err *e);
/* Same; preload 1 keeps the filter columns and price tiers of every product
 * in memory (fast refinements on big catalogs, slower to open), 0 reads
 * rows through SQL, -1 decides by catalog size (what match_open does). */
match_ctx *match_open_ex(const char *catalog, const souk_ref *ref, int preload, souk_err *e);
/* Writes what a catalog's first query and first dashboard turn would
 * otherwise build: the column index (opening a context builds it) and
 * the vocabulary cache (core/vocab.c). Writers call it when they are
 * done, so a new or imported catalog is fast from its first use. */
int match_build_caches(const char *catalog, const souk_ref *ref, souk_err *e);
void match_close(match_ctx *m);
sqlite3 *match_db(match_ctx *m);
/* The FX, freight and duty tables it prices with (core/money.h), for the
 * dates to show beside converted prices and landed-cost estimates. */
const struct money_tables *match_money(match_ctx *m);
/* The reference data it was opened with. */
const souk_ref *match_ref(const match_ctx *m);
/* Interrupts a running match_run from another thread (sqlite3_interrupt). */
void match_interrupt(match_ctx *m);

typedef struct match_tier {
	long min_qty;
	double price; /* in the buyer's currency */
} match_tier;

typedef struct match_row {
	int64_t product_id, supplier_id;
	char *supplier; /* raw data: sanitise before drawing */
	char *country;  /* ISO code */
	char *city;
	char *business_type; /* "manufacturer" | "trading" */
	char *title;
	char *category;
	char *certs;       /* "CE, RoHS" */
	double price;      /* unit price at the buyer's quantity, buyer currency */
	double price_orig; /* same, in the offer's own currency */
	char currency_orig[4];
	long next_break_qty; /* next tier's min qty above the quantity, -1 none */
	double next_break_price;
	long moq;
	char *moq_unit;
	int lead_days;
	double landed; /* estimated landed cost per unit, -1 unknown */
	double rating;
	int reviews;
	int verified;
	int years;        /* years in business */
	double score;     /* 0..100 */
	char *reasons;    /* "cheapest 10% at 500 pcs; exports to US; 4.9 from 312 reviews" */
	char *highlights; /* 1-3 attributes that set it apart, "; "-separated */
	char *similar_to; /* set on rows added by "similar": "similar to <supplier>" */
	/* The MOQ is above the buyer's quantity (shown only with the filter's
	 * include_larger_moq): price, price_orig and landed are at the MOQ. */
	int at_moq;
} match_row;

typedef struct match_count {
	char *value;
	long count;
} match_count;

#define MATCH_HIST_BINS 12

typedef struct match_hist {
	double lo, hi; /* bins are equal-width between lo and hi */
	long counts[MATCH_HIST_BINS];
} match_hist;

typedef struct match_result {
	match_row *rows;
	int nrows;
	long total;     /* all matching offers, not only the rows returned */
	long suppliers; /* distinct suppliers among them */
	/* offers that match but whose MOQ is above the buyer's quantity, set
	 * aside (not in total) unless the filter has include_larger_moq */
	long set_aside_moq;
	char currency[4];
	/* facets over the whole result set */
	match_count *countries;
	int ncountries;
	match_count *certs;
	int ncerts;
	match_count *business_types;
	int nbusiness_types;
	match_count *categories; /* taxonomy paths, most offers first */
	int ncategories;
	/* the middle 80% of unit prices at the quantity (10th and 90th
	 * percentile, exact), -1 when unknown */
	double price_p10, price_p90;
	match_hist price_hist, moq_hist, lead_hist;
	/* when total == 0: the single relaxation that helps most, in words
	 * ("drop the MOQ limit: 41 offers"), else NULL */
	char *relax;
	/* keywords no product of the catalog has: they would only empty the
	 * result, so the run left them out (the buyer is told which) */
	strlist unused;
} match_result;

enum match_sort {
	MATCH_SORT_SCORE, /* default: best first */
	MATCH_SORT_PRICE,
	MATCH_SORT_MOQ,
	MATCH_SORT_LEAD,
	MATCH_SORT_RATING,
	MATCH_SORT_LANDED,
};

typedef struct match_opts {
	int limit; /* rows to return (default 50) */
	/* descending: larger keys first (default 1 with MATCH_SORT_SCORE); rows
	 * with an unknown key come last either way */
	int offset;
	enum match_sort sort;
	int descending;
	int facets; /* compute facets and histograms */
} match_opts;

void match_opts_init(match_opts *o);
void match_result_init(match_result *r);
void match_result_free(match_result *r);
void match_row_free(match_row *row);
void match_row_copy(match_row *dst, const match_row *src);

int match_run(match_ctx *m, const souk_filter *f, const match_opts *o, match_result *out,
              souk_err *e);

/* All price tiers of a product, converted to currency. */
int match_tiers(match_ctx *m, int64_t product_id, const char *currency, match_tier **tiers, int *n,
                souk_err *e);

/* Offers most similar to the given products (excluding them), each with
 * similar_to set; at most k rows. */
int match_similar(match_ctx *m, const souk_filter *f, const int64_t *product_ids, int n, int k,
                  match_result *out, souk_err *e);

#endif
