/* money: currencies and FX, price at quantity from tiers, landed-cost estimates. */
#ifndef SOUK_MONEY_H
#define SOUK_MONEY_H

#include "util.h"

/* The FX, freight and duty tables loaded from assets (fx.tsv, freight.tsv,
 * duty.tsv). Read-only once loaded, so threads may share one. */
typedef struct money_tables money_tables;

money_tables *money_load(const char *assets, souk_err *e);
/* Same, from three explicit files (tests, imports of other rate tables). */
money_tables *money_load_files(const char *fx, const char *freight, const char *duty, souk_err *e);
void money_free(money_tables *t);

/* "2026-11-01": the date the FX rates / duty estimates are from ("" if the
 * file does not say). */
const char *money_fx_date(const money_tables *t);
const char *money_duty_date(const money_tables *t);

/* The FX table's codes in the order fx.tsv lists them: i from 0 to
 * money_fx_count() - 1. */
int money_fx_count(const money_tables *t);
const char *money_fx_code(const money_tables *t, int i);

/* 1 if the FX table knows the ISO 4217 code (case-insensitive). */
int money_known_currency(const money_tables *t, const char *code);
/* Units of code per 1 USD, or -1 when unknown. */
double money_rate(const money_tables *t, const char *code);
/* Converts amount from one currency to another; -1 and e filled when
 * either is unknown. */
int money_convert(const money_tables *t, double amount, const char *from, const char *to,
                  double *out, souk_err *e);

/* One quantity price break: from min_qty units on, price per unit. */
typedef struct money_tier {
	long min_qty;
	double price;
} money_tier;

/* Sorts tiers by min_qty (they come from data in any order). */
void money_tiers_sort(money_tier *tiers, int n);
/* Index of the tier that applies at quantity: the largest min_qty <= the
 * quantity; the first tier when the quantity is below it or unknown (< 0).
 * tiers sorted; -1 when n == 0. */
int money_tier_at(const money_tier *tiers, int n, double quantity);
/* Index of the next cheaper break above the quantity, or -1 when there is
 * none. */
int money_next_break(const money_tier *tiers, int n, double quantity);

/* The reference data the tables ask which countries are EU members:
 * ref_load attaches itself to the tables it loads; tables loaded alone
 * (money_load, money_load_files) know no grouping until attached. */
struct souk_ref;
void money_attach_ref(money_tables *t, const struct souk_ref *r);
/* "EU" for the member states of the European Union, else NULL. */
const char *money_region(const money_tables *t, const char *country);

/* Estimated freight per unit in USD for a shipment from origin country to
 * market: max(weight * rate_per_kg, volume * rate_per_m3) from the route
 * table, falling back to the origin's, the market's and the default row.
 * Unknown weight and volume count as 0; -1 when both are unknown or no row
 * applies. */
double money_freight_usd(const money_tables *t, const char *origin, const char *market,
                         double weight_kg, double volume_m3);
/* Estimated import duty rate (0.065 = 6.5 %) for a category path in a
 * market: the longest matching category prefix, then the default. */
double money_duty_rate(const money_tables *t, const char *category, const char *market);

typedef struct money_landed_in {
	double price;                /* per unit, in currency */
	const char *currency;        /* the buyer's currency */
	const char *incoterm;        /* the offer's: EXW | FOB | CIF | DDP, NULL as FOB */
	const char *origin;          /* supplier country */
	const char *market;          /* buyer's market, NULL: unknown */
	const char *category;        /* product category path */
	double weight_kg, volume_m3; /* per unit, < 0 unknown */
} money_landed_in;

/* Estimated landed cost per unit in the buyer's currency: the price plus
 * freight (EXW, FOB) and duty (EXW, FOB, CIF); DDP prices are landed
 * already. -1 when it cannot be estimated (no market, unknown freight or
 * currency). An estimate, never a quote. */
double money_landed(const money_tables *t, const money_landed_in *in);

#endif
