/* ref: the reference data (countries, groupings, certifications, taxonomy, money tables), loaded
 * once. */
#ifndef SOUK_REF_H
#define SOUK_REF_H

#include "money.h"
#include "util.h"

/* Everything souk knows about the world comes from the asset directory
 * through this module: no list of countries, certifications or EU members
 * lives anywhere else in C. Load it once and pass a const souk_ref * down;
 * it is immutable after ref_load, so threads may share it. */
typedef struct souk_ref souk_ref;

/* A country (countries.tsv) or a grouping of countries (groupings.tsv:
 * the EU, the EEA, ASEAN, "north america", ...). Names and adjectives
 * are lower case. */
typedef struct ref_country {
	const char *code;         /* ISO 3166-1 alpha-2, or the grouping's code */
	const char *code3;        /* ISO 3166-1 alpha-3, "" when none */
	const char *name;         /* the first name: "germany", "european union" */
	const char *const *names; /* every name, names[0] == name */
	int nnames;
	const char *const *adjectives; /* adjectives and demonyms: "german", "germans" */
	int nadjectives;
	const char *const *members; /* a grouping's member codes; NULL for a country */
	int nmembers;
	const char *const *groups; /* codes of the groupings a country belongs to */
	int ngroups;
} ref_country;

/* A certification (certifications.tsv). */
typedef struct ref_cert {
	const char *name;           /* canonical spelling: "RoHS", "OEKO-TEX" */
	const char *kind;           /* safety, electrical, chemical, food, toy, textile, ... */
	const char *const *aliases; /* lower case; '=' first: only in capitals or beside another */
	int naliases;
	const char *const *markets; /* where it shows legal sale: "EU", "GB" */
	int nmarkets;
} ref_cert;

/* A taxonomy row (taxonomy.tsv). */
typedef struct ref_category {
	const char *path;         /* "sports/yoga/mats" */
	const char *name;         /* "Yoga mats" */
	const char *const *terms; /* words a product title uses for it */
	int nterms;
} ref_category;

/* A market certification rule (market_certs.tsv). */
typedef struct ref_market_rule {
	const char *prefix; /* category path prefix */
	const char *market; /* country or grouping code */
	const char *const *certs;
	int ncerts;
	const char *why; /* "" when the file gives no reason */
} ref_market_rule;

/* Loads every reference table from the asset directory. Errors name the
 * file and line ("assets/countries.tsv:12: ..."). */
souk_ref *ref_load(const char *assets, souk_err *e);
void ref_free(souk_ref *r);
/* The asset directory it was loaded from. */
const char *ref_assets(const souk_ref *r);

/* ---- countries and groupings ---- */
int ref_country_count(const souk_ref *r);
const ref_country *ref_country_at(const souk_ref *r, int i);
/* By ISO alpha-2 or alpha-3 code (any case), countries and groupings
 * alike; NULL if unknown. */
const ref_country *ref_country_by_code(const souk_ref *r, const char *code);
/* By name, adjective or demonym (any case), else by a code written in
 * capitals ("DE"; "in" is a word, not India). *is_adjective, when not
 * NULL, says which it was. NULL if unknown. */
const ref_country *ref_country_lookup(const souk_ref *r, const char *s, int *is_adjective);
/* The same over s[0..len). */
const ref_country *ref_country_lookupn(const souk_ref *r, const char *s, size_t len,
                                       int *is_adjective);
/* 1 if code is a member of grouping group (codes in any case). */
int ref_in_group(const souk_ref *r, const char *code, const char *group);
/* 1 if code is an EU member state. */
int ref_is_eu(const souk_ref *r, const char *code);
/* A grouping's member codes (NULL and *n = 0 when group is not one). */
const char *const *ref_group_members(const souk_ref *r, const char *group, int *n);

/* ---- certifications ---- */
int ref_cert_count(const souk_ref *r);
const ref_cert *ref_cert_at(const souk_ref *r, int i);
/* By canonical name or alias, any case (an '=' alias counts too: the
 * caller knows whether the capitals rule was met); NULL if unknown.
 * *capitals_only, when not NULL, is 1 for an '=' alias. */
const ref_cert *ref_cert_lookup(const souk_ref *r, const char *s, int *capitals_only);
/* The canonical spelling of a certification, or NULL when unknown. */
const char *ref_cert_canonical(const souk_ref *r, const char *s);
/* 1 if carrying certification cert shows a product is sold legally in
 * market (a country or grouping; a member state counts for its grouping's
 * marks: CE serves DE). */
int ref_cert_serves(const souk_ref *r, const char *cert, const char *market);

/* ---- taxonomy ---- */
int ref_taxonomy_count(const souk_ref *r);
const ref_category *ref_taxonomy_at(const souk_ref *r, int i);
/* By exact path (any case); NULL if unknown. */
const ref_category *ref_taxonomy_find(const souk_ref *r, const char *path);

/* ---- market certification rules ---- */
int ref_market_rule_count(const souk_ref *r);
const ref_market_rule *ref_market_rule_at(const souk_ref *r, int i);
/* The rule for a category path in a market: the longest matching prefix,
 * the market itself before a grouping it belongs to. NULL when none. */
const ref_market_rule *ref_market_certs(const souk_ref *r, const char *category,
                                        const char *market);

/* ---- money ---- */
/* The FX, freight and duty tables (fx.tsv, freight.tsv, duty.tsv), loaded
 * with the rest: never free them, ref_free does. */
const money_tables *ref_money(const souk_ref *r);
/* An ISO 4217 currency (currencies.tsv). */
typedef struct ref_currency {
	const char *code; /* "EUR" */
	int decimals;     /* digits after the point in ordinary prices: JPY 0, EUR 2 */
	const char *name; /* "euro" */
} ref_currency;

/* By ISO code, any case; NULL if unknown. */
const ref_currency *ref_currency_by_code(const souk_ref *r, const char *code);
/* ISO 4217 code and scale of a currency word or symbol ("$", "euros",
 * "cents": assets/intent/currency.tsv); NULL if unknown. */
const char *ref_currency_word(const souk_ref *r, const char *word, double *scale);

#endif
