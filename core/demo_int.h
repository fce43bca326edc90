/* demo_int: what the demo_* files share: the vocabularies of assets/demo (internal). */
#ifndef SOUK_DEMO_INT_H
#define SOUK_DEMO_INT_H

#include "ref.h"
#include "util.h"

/* The vocabularies parsed from assets/demo: strings point into the file
 * buffers, which live as long as the vocabulary. */

typedef struct vocab {
	char **v;
	int n;
} vocab;

typedef struct cert_rule {
	const char *name, *market;
	double p;
} cert_rule;

typedef struct attr {
	const char *name;
	vocab values;
} attr;

typedef struct cat {
	const char *path, *name, *group;
	double price_lo, price_hi, weight, volume;
	int moq_lo, moq_hi, lead_lo, lead_hi;
	cert_rule *certs;
	int ncerts;
	vocab custom, titles;
	const char *desc;
	attr *attrs;
	int nattrs;
} cat;

typedef struct country {
	const char *code, *currency, *suffix;
	double share;
	vocab cities, ports;
} country;

typedef struct share_item {
	const char *name;
	double share;
} share_item;

typedef struct group_words {
	const char *group;
	vocab words;
	int *cats; /* indexes of the categories of this group */
	int ncats;
} group_words;

typedef struct demo_vocab {
	char *files[3];
	cat *cats;
	int ncats;
	country *countries;
	int ncountries;
	double country_total;
	group_words *groups;
	int ngroups;
	vocab brand;
	share_item *scerts, *markets;
	int nscerts, nmarkets;
	vocab tax_path, tax_name; /* the whole taxonomy, for the categories table */
	souk_ref *ref;            /* taxonomy and EU membership */
} demo_vocab;

/* ---- vocabularies (demo_vocab.c) ---- */
void demo_vocab_free_lists(demo_vocab *d);
int demo_vocab_load(demo_vocab *d, const char *assets, souk_err *e);

#endif
