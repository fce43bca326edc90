/* import_int: what the import modules (import, import_value, import_offer, import_csv, import_json)
 * share. */
#ifndef SOUK_IMPORT_INT_H
#define SOUK_IMPORT_INT_H

#include <stdarg.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "catalog.h"
#include "import.h"
#include "json.h"
#include "map.h"
#include "money.h"
#include "ref.h"
#include "text.h"

/* ---- fields of an offer, and the header names that mean them ---- */

enum field {
	F_TITLE,
	F_DESC,
	F_CATEGORY,
	F_PRICE,
	F_TIERS,
	F_CURRENCY,
	F_MOQ,
	F_MOQ_UNIT,
	F_LEAD,
	F_SAMPLES,
	F_SAMPLE_PRICE,
	F_CUSTOM,
	F_INCOTERM,
	F_PORT,
	F_WEIGHT,
	F_VOLUME,
	F_CERTS,
	F_ATTRS,
	S_NAME,
	S_COUNTRY,
	S_CITY,
	S_TYPE,
	S_VERIFIED,
	S_TA,
	S_YEAR,
	S_RATING,
	S_REVIEWS,
	S_RESP_RATE,
	S_RESP_HOURS,
	S_ONTIME,
	S_REORDER,
	S_STAFF,
	S_MARKETS,
	S_CERTS,
	S_ID,
	NFIELDS,
	F_IGNORE = -1,
	F_ATTR = -2,     /* an unknown column becomes a product attribute */
	F_PRICE_AT = -3, /* "price_500": the price from 500 units on */
};
/* ---- one input row as strings (CSV fields or JSON values) ---- */

#define MAX_AT    16
#define MAX_ATTRS 256
/* Tiers and certifications are written for this many rows at once, at
 * most this many tuples to a statement. */
#define ROWS_AT_ONCE   16
#define TUPLES_AT_ONCE 64

typedef struct rec {
	const char *f[NFIELDS];
	const char *price_cur; /* from the price column's name */
	long at_qty[MAX_AT];
	const char *at_val[MAX_AT];
	int nat;
	const char *attr_key[MAX_ATTRS], *attr_val[MAX_ATTRS];
	int nattr;
	int dropped; /* attributes and price_QTY members beyond MAX_ATTRS, MAX_AT */
} rec;

/* ---- the importer ---- */

/* A tier or certification waiting for rows_flush; line is its row's. */
typedef struct qtier {
	long pid, qty, line;
	double price;
} qtier;

typedef struct qcert {
	long pid, line;
	size_t name; /* offset in importer.qnames */
	int len;
} qcert;

typedef struct importer {
	sqlite3 *db;
	const import_opts *o;
	import_stats *st;
	const souk_ref *ref;       /* countries, certifications, taxonomy, FX */
	souk_ref *own_ref;         /* when loaded for this import */
	const money_tables *money; /* NULL: currencies go unchecked */
	sqlite3_stmt *ins_sup, *ins_prod;
	/* [n]: the insert of n rows at once, prepared on first use */
	sqlite3_stmt *ins_tiers[TUPLES_AT_ONCE + 1], *ins_certs[TUPLES_AT_ONCE + 1];
	/* Known suppliers by "COUNTRY\x1fname" in any case; their id in the
	 * number. */
	map *sups;
	strbuf certs, custom, attrs, scerts, markets, key, tmp;
	/* One buffer per bound text, so binds need no copies (SQLITE_STATIC). */
	strbuf title, desc, cat, port, sname, city;
	char unit[24];
	char why[256];
	int json;       /* rows are JSON offers, not CSV lines */
	long line;      /* the row being written */
	long fail_line; /* the row whose tier or certification the catalog refused */
	/* Tiers and certifications of the rows written since rows_flush. */
	qtier *qt;
	qcert *qc;
	size_t nqt, capqt, nqc, capqc;
	strbuf qnames;
	int qrows;
	/* The probe (see import_buffer): rows are checked, not written, up to
	 * the first good one; the real run then stays quiet about the rows
	 * before it, which the probe has reported. */
	int dry;
	long quiet_rows;
	cJSON *root; /* a JSON input, parsed once for both runs */
} importer;
typedef struct tier {
	long qty;
	double price;
} tier;

/* Row errors return -1 (the row is skipped); -2 means the catalog itself
 * failed and the whole import must roll back. */
#define DB_FAILED (-2)

/* import_value.c */
char *import_clean_text(const char *s, strbuf *b);
int import_empty(const char *s);
int import_field_check(const char *s, size_t n, const char *key, int i, char *why, size_t whylen);
void import_join_certs(const souk_ref *ref, const char *s, strbuf *out, int bars);
const ref_country *import_country_ref(const souk_ref *ref, const char *s);
int import_parse_amount(const souk_ref *ref, const char *s, double *out, const char **cur);
int import_parse_bool(const char *s, int *out);
/* The largest count (MOQ, lead time, reviews) import_parse_count reads. */
#define IMPORT_COUNT_MAX 1000000000L
int import_parse_count(const char *s, long *out, const char **unit);
const char *import_parse_incoterm(const char *s);
int import_parse_price(const souk_ref *ref, const char *s, double *out, const char **cur);
int import_parse_rate(const char *s, double *out);
int import_parse_real(const char *s, double *out);
void import_trim_span(const char **s, size_t *n);

/* import_offer.c */
sqlite3_stmt *import_certs_insert(importer *im, int n);
int import_fail_row(importer *im, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int import_header_field(const souk_ref *ref, const char *raw, size_t n, int in_supplier, long *qty,
                        const char **cur_hint);
int import_offer_write(importer *im, const rec *r);
int import_rows_flush(importer *im);
int import_supmap_load(importer *im);
sqlite3_stmt *import_tiers_insert(importer *im, int n);

/* import_csv.c */
void import_dropped_warn(importer *im, long offer, int n);
int import_csv(importer *im, const char *data, size_t len, souk_err *e);

/* import_json.c */
int import_json(importer *im, const char *data, size_t len, souk_err *e);

/* import.c */
int import_cancelled(const importer *im);
int import_row_done(importer *im, int rc, long n, souk_err *e);
void import_write_failed(importer *im, long n, souk_err *e);

#endif
