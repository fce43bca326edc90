/* filter: the buyer's filter state, deltas, undo history and JSON form. */
#ifndef SOUK_FILTER_H
#define SOUK_FILTER_H

#include <stddef.h>

#include "ref.h"
#include "util.h"

typedef struct strlist {
	char **v;
	int n;
} strlist;

void strlist_add(strlist *l,
                 const char *s); /* appends a copy, skips duplicates (case-insensitive) */
int strlist_remove(strlist *l, const char *s);    /* case-insensitive; 1 if removed */
int strlist_has(const strlist *l, const char *s); /* case-insensitive */
void strlist_clear(strlist *l);
void strlist_copy(strlist *dst, const strlist *src);

/* Numbers use -1 for "not set" (JSON null); none of them is meaningful below 0. */
typedef struct souk_filter {
	strlist keywords;            /* product terms, lower case */
	char *category;              /* taxonomy path or NULL */
	double quantity;             /* units for the order */
	double price_min, price_max; /* per unit, in currency */
	char currency[4];            /* ISO 4217, default "USD" */
	double moq_max;
	double lead_time_max_days;
	char *market;               /* ISO 3166-1 alpha-2 or "EU", or NULL */
	strlist supplier_countries; /* ISO codes, upper case */
	strlist exclude_countries;
	strlist certifications; /* canonical names ("CE", "RoHS", "OEKO-TEX") */
	int verified_only;
	double min_rating;
	double min_years;
	int customization;
	int samples;
	char *business_type; /* "manufacturer" | "trading" | NULL */
	char *incoterm;      /* "EXW" | "FOB" | "CIF" | "DDP" | NULL */
	/* With a quantity, offers whose MOQ is above it are set aside unless
	 * this is set (then they are priced at their MOQ). */
	int include_larger_moq;
} souk_filter;

enum filter_field {
	FF_KEYWORDS,
	FF_CATEGORY,
	FF_QUANTITY,
	FF_PRICE_MIN,
	FF_PRICE_MAX,
	FF_CURRENCY,
	FF_MOQ_MAX,
	FF_LEAD_TIME,
	FF_MARKET,
	FF_SUPPLIER_COUNTRIES,
	FF_EXCLUDE_COUNTRIES,
	FF_CERTIFICATIONS,
	FF_VERIFIED,
	FF_MIN_RATING,
	FF_MIN_YEARS,
	FF_CUSTOMIZATION,
	FF_SAMPLES,
	FF_BUSINESS_TYPE,
	FF_INCOTERM,
	FF_INCLUDE_LARGER_MOQ,
	FF_COUNT
};

void filter_init(souk_filter *f); /* empty state: everything unset, USD */
void filter_free(souk_filter *f);
void filter_copy(souk_filter *dst, const souk_filter *src); /* dst need not be initialised */
int filter_equal(const souk_filter *a, const souk_filter *b);
int filter_is_empty(const souk_filter *f);
void filter_clear_field(souk_filter *f, enum filter_field field);
/* The storage of a field by its kind; NULL when the field is of another
 * kind (FF_PRICE_MAX has a number, no list). */
strlist *filter_list_field(souk_filter *f, int field);
double *filter_number_field(souk_filter *f, int field);
/* A number field's value (-1 unset), or -1 when the field holds no number. */
double filter_number(const souk_filter *f, int field);
int *filter_bool_field(souk_filter *f, int field);
char **filter_string_field(souk_filter *f, int field);

/* A change to the state, as one turn or one sidebar edit produces it.
 * Fields whose bit is in `set` are replaced by the value in `f` (an unset
 * value in f clears the field). The add/del lists change list fields item
 * by item; they are applied after `set`. reset empties the state first. */
typedef struct filter_delta {
	int reset;
	unsigned set; /* 1u << enum filter_field */
	souk_filter f;
	strlist add[FF_COUNT]; /* only list fields are used */
	strlist del[FF_COUNT];
} filter_delta;

/* What a field holds; it decides storage, parsing, display and JSON. */
enum filter_kind {
	FK_LIST,     /* strlist */
	FK_TEXT,     /* char *, NULL unset */
	FK_CURRENCY, /* char[4], ISO 4217 */
	FK_COUNT,    /* double, whole units; -1 unset */
	FK_MONEY,    /* double per unit in the filter's currency; -1 unset */
	FK_DAYS,     /* double; -1 unset */
	FK_RATING,   /* double 0..5; -1 unset */
	FK_BOOL,     /* int */
};

/* One filter field, described once (as htop's Process_fields[]): the JSON
 * form, the sidebar and the dialog's replies are all driven by this. A new
 * field is one line in filter_fields[] plus its enum value and member. */
typedef struct filter_field_def {
	const char *key;   /* JSON name: "price_max" */
	const char *label; /* sidebar label: "Price max" */
	enum filter_kind kind;
	size_t off;                      /* offsetof(souk_filter, member) */
	double max;                      /* numbers: the largest valid value, 0 none */
	const char *on;                  /* FK_BOOL: the sidebar's value when set ("only") */
	const char *words;               /* how a set value reads in a reply; %s is the value */
	const char *cleared;             /* how a reply says it was cleared, NULL: says nothing */
	const char *const *choices;      /* FK_TEXT: the valid values, NULL: free text */
	const char *const *choice_words; /* how each choice reads in a reply */
	const char *list_sep;            /* FK_LIST: how the sidebar joins items */
} filter_field_def;

extern const filter_field_def filter_fields[FF_COUNT];

/* JSON name of a field ("price_max"), and back (-1 if unknown). */
const char *filter_field_name(enum filter_field f);
int filter_field_lookup(const char *name);
/* The field's description, NULL when field is out of range. */
const filter_field_def *filter_field_def_of(int field);

/* The value as the sidebar shows it ("8.00 USD", "30 days", "CN, VN",
 * "only"); "" when unset. Raw user data: sanitise before drawing. */
char *filter_field_format(const souk_filter *f, int field);
/* A list item as words: the certification group "LFGB|FDA" (any one of
 * them will do) reads "LFGB or FDA". */
void filter_item_words(strbuf *b, const char *item);
/* Money as a reply says it: "$8", "$0.45", "12.50 CHF". */
void filter_add_money(strbuf *b, const char *cur, double v);
/* A count with thousands separators: "12,500". */
void filter_add_count(strbuf *b, double v);

/* Text typed for a field (the sidebar's editor) into d: sets the field's
 * bit in d->set and its value in d->f; blank text clears the field.
 * Places and certifications are read by their names in ref ("Viet Nam",
 * "oeko tex"). Bad text is an error naming the field, and d is left as it
 * was. */
int filter_field_parse(int field, const char *text, const souk_ref *ref, filter_delta *d,
                       souk_err *e);

/* How places read in a reply: the caller knows country names. */
typedef struct filter_words {
	/* "Vietnam" for VN (field FF_SUPPLIER_COUNTRIES / FF_EXCLUDE_COUNTRIES)
	 * or "UK" for the market GB (FF_MARKET); NULL or a NULL answer: the code */
	const char *(*place)(void *ctx, int field, const char *code);
	void *ctx;
} filter_words;

/* The field as a reply says it ("under $8/unit" reads "at most $8/unit",
 * "from Vietnam or India", "MOQ at most 500"), or NULL when it is unset
 * or says nothing (the currency). FF_PRICE_MIN and FF_PRICE_MAX both read
 * as the whole price range. w may be NULL. */
char *filter_field_describe(const souk_filter *f, int field, const filter_words *w);
/* How a reply says the field was cleared ("no price limit"), or NULL. */
const char *filter_field_cleared(int field);

void filter_delta_init(filter_delta *d);
void filter_delta_free(filter_delta *d);
int filter_delta_is_empty(const filter_delta *d);
/* Applies d to state. Returns a bitmask of the fields that changed. */
unsigned filter_apply(souk_filter *state, const filter_delta *d);

/* JSON in the ARCHITECTURE.md schema. Every key is always written. */
char *filter_to_json(const souk_filter *f);
struct cJSON *filter_to_cjson(const souk_filter *f);
/* Parses and validates; unknown keys and bad values are errors that name
 * the field and the value. Missing keys stay unset. Certification names
 * are spelled as ref spells them ("rohs" -> "RoHS"); with ref NULL they
 * stay as written (a state souk saved itself). */
int filter_from_json(const char *json, const souk_ref *ref, souk_filter *out, souk_err *e);
int filter_from_cjson(const struct cJSON *obj, const souk_ref *ref, souk_filter *out, souk_err *e);

/* Undo history: each push stores a copy of the state before a change. */
typedef struct filter_history {
	souk_filter *states;
	int n, cap;
} filter_history;

void filter_history_init(filter_history *h);
void filter_history_free(filter_history *h);
void filter_history_push(filter_history *h, const souk_filter *before);
/* Restores the last pushed state into cur; 0 when there was nothing to undo. */
int filter_history_undo(filter_history *h, souk_filter *cur);

#endif
