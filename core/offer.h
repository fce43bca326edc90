/* offer: every field of an offer described once (offer_fields[]) and its one JSON form. */
#ifndef SOUK_OFFER_H
#define SOUK_OFFER_H

#include "match.h"

struct cJSON;

/* What a field holds, which decides how it is stored, shown and written. */
enum offer_kind {
	OFK_ID,      /* int64_t, never unknown */
	OFK_TEXT,    /* char *, NULL unknown */
	OFK_CODE,    /* char[4] (ISO 4217), "" unknown */
	OFK_LIST,    /* char * joined by the field's separator; a JSON array */
	OFK_MONEY,   /* double in the buyer's currency (price_orig: the offer's), -1 unknown */
	OFK_COUNT,   /* long, -1 unknown */
	OFK_DAYS,    /* int, -1 unknown */
	OFK_YEARS,   /* int, -1 unknown */
	OFK_REVIEWS, /* int */
	OFK_RATING,  /* double 0..5, unknown while there are no reviews and no rating */
	OFK_SCORE,   /* double 0..100 */
	OFK_BOOL,    /* int */
	OFK_BREAK,   /* next_break_qty + next_break_price; a {"min_qty","price"} object */
	OFK_MEASURE, /* double with a unit (sep: " kg"), -1 unknown; detail fields only */
	OFK_FLAG,    /* int 1 yes, 0 no, -1 unknown (not listed); detail fields only */
	OFK_SHARE,   /* double 0..1, shown as a percentage, -1 unknown; detail fields only */
	OFK_HOURS,   /* double, -1 unknown; detail fields only */
	OFK_YEAR,    /* int, a calendar year, -1 unknown; detail fields only */
	/* from here on the value is not in the row but in the offer_ctx */
	OFK_RANK,     /* the row's position (offer_ctx.rank); written only when > 0 */
	OFK_CURRENCY, /* the buyer's currency (offer_ctx.currency) */
	OFK_QUANTITY, /* the order quantity prices are for (offer_ctx.quantity) */
	OFK_NOTE,     /* a shortlist item's note (offer_ctx.note) */
	OFK_STATUS,   /* a shortlist item's status (offer_ctx.status) */
};

/* Which way is better when offers are compared side by side. */
enum offer_best { OFFER_BEST_NONE = 0, OFFER_BEST_LOWER = -1, OFFER_BEST_HIGHER = 1 };

typedef struct offer_field {
	const char *key;     /* name in the JSON form: "lead_time_days" */
	const char *title;   /* column header in a grid or table: "Lead" */
	const char *name;    /* the field in words, for row labels and reports: "Lead time" */
	const char *label;   /* spreadsheet (CSV, XLSX) header: "lead time days" */
	const char *old_key; /* the name older files used, still read, or NULL */
	enum offer_kind kind;
	size_t off;      /* offsetof(match_row, ...) for kinds stored in the row */
	const char *sep; /* OFK_LIST: the row's separator ("; "); OFK_MEASURE: the unit */
	int width;       /* display columns the value usually needs */
	enum offer_best best;
} offer_field;

/* Every field, in the order the JSON form writes them. */
extern const offer_field offer_fields[];
extern const int offer_field_count;

/* By JSON key (old names too: "product" finds title), or by column title
 * or name ("Lead", "Lead time"), case-insensitive for titles; NULL when
 * unknown. */
const offer_field *offer_field_by_key(const char *key);
const offer_field *offer_field_by_title(const char *title);

/* What a row is shown or written with beyond the row itself. */
typedef struct offer_ctx {
	int rank;             /* 1-based position, 0 none */
	const char *currency; /* the buyer's currency, NULL: "USD" */
	double quantity;      /* units the prices are for, -1 unknown */
	const char *note;     /* NULL none */
	const char *status;   /* NULL none */
	int exact;            /* 1: numbers unrounded (snapshots), 0: money to cents (reports) */
	const struct souk_ref *ref; /* the currency's decimals on screen (JPY 0); NULL: 2 */
} offer_ctx;

void offer_ctx_init(offer_ctx *c); /* no rank, USD, quantity unknown, rounded */

/* 1 when the field's value is a number (spreadsheets store it as one). */
int offer_field_numeric(const offer_field *f);
/* The value as a number; 0 when the field is not numeric or unknown. */
int offer_field_number(const offer_field *f, const match_row *r, const offer_ctx *c, double *v);
/* The value as plain text for a cell of a report ("" when unknown): money
 * without trailing zeros past the cents, "1000+ @ 6.8", "yes"/"no". Raw
 * supplier data: sanitise before drawing. */
char *offer_field_text(const offer_field *f, const match_row *r, const offer_ctx *c);
/* The value for a screen ("-" when unknown): prices by the currency's
 * decimals, "30d", "4.8". Raw supplier data: sanitise before drawing. */
char *offer_field_format(const offer_field *f, const match_row *r, const offer_ctx *c);
/* Which of a and b is better for this field: <0 a, >0 b, 0 same or no
 * order (unknown values are never better). */
int offer_field_better(const offer_field *f, const match_row *a, const match_row *b,
                       const offer_ctx *c);

/* The one JSON form of an offer (souk(1) "OFFER JSON", README "JSON"):
 * exports, `souk query --format json`, shortlist snapshots
 * and sessions' marks all write it. Text is sanitised to valid UTF-8. */
struct cJSON *offer_to_cjson(const match_row *r, const offer_ctx *c);
char *offer_to_json(const match_row *r, const offer_ctx *c); /* unformatted */
/* What the JSON form carries beside the row. */
typedef struct offer_extra {
	int rank;         /* 0 when absent */
	double quantity;  /* -1 when absent */
	char currency[4]; /* "USD" when absent */
} offer_extra;

/* Back: every field of the form, and the names older files used ("product",
 * "certs", "lead_days", "landed", "next_break_qty", "price_original", ...).
 * Missing keys and values of the wrong type leave the field unknown; x may
 * be NULL. Notes and statuses are the caller's (they are not in a row).
 * Free r with match_row_free. */
void offer_from_cjson(const struct cJSON *o, match_row *r, offer_extra *x);
int offer_from_json(const char *json, match_row *r, offer_extra *x, souk_err *e);

/* What the supplier's own record adds (an import may state it): -1 when
 * the catalog does not know. */
typedef struct offer_supplier {
	int trade_assurance;   /* 1 yes, 0 no */
	double response_rate;  /* 0..1 of enquiries answered */
	double response_hours; /* typical time to answer */
	double on_time_rate;   /* 0..1 of orders delivered on time */
	double reorder_rate;   /* 0..1 of buyers who order again */
	int year_established;
} offer_supplier;

/* What the detail view, the comparison and the grid's optional columns
 * show beyond a row: the catalog's own record of the product and its
 * supplier (a shortlist outlives catalogs, so it may be missing). */
typedef struct offer_detail {
	char *description;   /* never NULL */
	char *attributes;    /* JSON object of strings ("{}" none), supplier data */
	char *customization; /* never NULL; '|'-separated as stored */
	char *incoterm;      /* NULL unknown */
	char *port;          /* NULL unknown */
	double weight_kg;    /* -1 unknown */
	double volume_m3;    /* -1 unknown */
	int samples;         /* 1 yes, 0 no, -1 not listed */
	double sample_price; /* in currency, -1 unknown */
	char currency[4];    /* the offer's own currency */
	offer_supplier supplier;
} offer_detail;

/* The detail fields, described as offer_fields are (off is into
 * offer_detail): key, title (a grid column's header), name (a row
 * label), kind, width, which way is better. The product's own first,
 * then the supplier's record (offer_detail_of_supplier). */
extern const offer_field offer_detail_fields[];
extern const int offer_detail_field_count;
const offer_field *offer_detail_field_by_key(const char *key);
/* 1 when the field is part of the supplier's record. */
int offer_detail_of_supplier(const offer_field *f);

/* Reads product_id's detail from a catalog (the ARCHITECTURE.md schema;
 * the match context's connection will do). 1 found, 0 not in this
 * catalog, -1 error. Free with offer_detail_free either way. */
int offer_detail_load(sqlite3 *catalog, int64_t product_id, offer_detail *d, souk_err *e);
/* The same for n products with one statement: d[i] for ids[i] (every field
 * unknown where the catalog lacks it). 0, or -1 with e set. Free each. */
int offer_detail_load_many(sqlite3 *catalog, const int64_t *ids, int n, offer_detail *d,
                           souk_err *e);
/* Every field unknown. */
void offer_detail_init(offer_detail *d);
void offer_detail_free(offer_detail *d);
/* A detail field for a screen: "0.350 kg", "0.0021 m3", "FOB Ningbo",
 * "yes (2.50 USD)", "logo, odm", "92%", "4 h", "2009"; "" when unknown
 * (the caller says "-" or "not listed"). Raw supplier data: sanitise. */
char *offer_detail_format(const offer_field *f, const offer_detail *d);
/* The value as a number for comparing offers: 1 known, 0 unknown or not
 * a number (text fields). */
int offer_detail_number(const offer_field *f, const offer_detail *d, double *v);

/* Money as reports write it: cents from one unit up, up to four decimals
 * below (sub-cent prices are real). */
double offer_money_round(double v);

#endif
