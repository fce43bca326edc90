/* intent: the offline interpreter: one turn of plain words -> a filter delta plus intents. */
#ifndef SOUK_INTENT_H
#define SOUK_INTENT_H

#include "filter.h"
#include "ref.h"
#include "util.h"
#include "vocab.h"

/* Vocabularies (countries, certifications, number words, units, currency
 * words, stop words, plurals): places, certifications and currencies from
 * the reference data r, the interpreter's own words from its asset
 * directory (assets/intent). The vocabulary keeps copies of what it
 * takes from r. */
typedef struct intent_vocab intent_vocab;

intent_vocab *intent_vocab_load(const souk_ref *r, souk_err *e);
void intent_vocab_free(intent_vocab *v);

/* Display name of an ISO country code ("DE" -> "Germany"), or the code. */
const char *intent_country_name(const intent_vocab *v, const char *code);
/* ISO code for a country name or adjective ("german" -> "DE"), or NULL. */
const char *intent_country_code(const intent_vocab *v, const char *name);
/* Canonical certification for an alias ("oeko tex" -> "OEKO-TEX"), or NULL. */
const char *intent_cert_canonical(const intent_vocab *v, const char *alias);
/* Lower-case singular form of a product word, into out (size n). */
void intent_singular(const intent_vocab *v, const char *word, char *out, size_t n);

/* What a turn asks for besides filter changes. */
enum intent_flag {
	INTENT_RESET = 1u << 0,   /* start over (the delta also has reset set) */
	INTENT_UNDO = 1u << 1,    /* take back the last change */
	INTENT_CHEAPER = 1u << 2, /* a step down in price from the current results */
	INTENT_SIMILAR = 1u << 3, /* "more like #3": similar_row */
	INTENT_EXPLORE = 1u << 4, /* "explore the idea of X": an overview first */
	INTENT_YES = 1u << 5,     /* a yes answer to the last question */
	INTENT_NO = 1u << 6,      /* a no answer */
	INTENT_HELP = 1u << 7,
	INTENT_ASK_BEST = 1u << 8, /* "which is cheapest?": about the results, see best */
};

/* What a question asks the best of (assets/intent/superlatives.tsv). */
enum intent_best {
	INTENT_BEST_PRICE,
	INTENT_BEST_LEAD,
	INTENT_BEST_RATING,
	INTENT_BEST_MOQ,
	INTENT_BEST_LANDED,
	INTENT_BEST_COUNT
};

/* The question the dialog asked last: a bare answer ("500", "the US") fills it. */
enum intent_expect {
	INTENT_EXPECT_NONE,
	INTENT_EXPECT_QUANTITY,
	INTENT_EXPECT_BUDGET,
	INTENT_EXPECT_MARKET,
	INTENT_EXPECT_MOQ,
	INTENT_EXPECT_LEAD,
	INTENT_EXPECT_COUNTRY,
};

/* What the interpreter may know about the conversation so far. */
typedef struct intent_ctx {
	enum intent_expect expect;
	/* Where "also X" and "change that to X" put a country: FF_MARKET,
	 * FF_SUPPLIER_COUNTRIES or FF_EXCLUDE_COUNTRIES; FF_COUNT for none. */
	int last_country_field;
	int have_suppliers; /* the state already lists supplier countries */
	/* The number field the last turn changed (FF_QUANTITY, FF_PRICE_MAX...):
	 * "actually 1500" corrects it; FF_COUNT for none. */
	int last_number_field;
	/* Every number field the last turn changed (1u << FF_...): "make it
	 * 600" corrects the one whose scale fits. */
	unsigned last_number_fields;
	/* The state the turn applies to, or NULL: "double the quantity" and
	 * "drop the ISO requirement" need to know what is there. */
	const souk_filter *state;
	/* The upper price quoted with the budget question, or -1: a bare number
	 * far above it answers with a quantity instead. */
	double budget_hint;
	/* The catalog's vocabulary, or NULL: with it, words the catalog never
	 * uses do not become keywords (intent_result.unused lists them). */
	const souk_vocab *catalog;
} intent_ctx;

void intent_ctx_init(intent_ctx *c);

typedef struct intent_result {
	filter_delta delta;
	unsigned intents;  /* enum intent_flag bits */
	int similar_row;   /* 1-based row for INTENT_SIMILAR */
	int best;          /* enum intent_best for INTENT_ASK_BEST */
	int country_field; /* field the last country mention went to, or FF_COUNT */
	int understood;    /* something in the turn was used */
	strbuf notes;      /* sentences about what was ignored and why */
	strlist unused;    /* words that were no filter and that the catalog never uses */
} intent_result;

void intent_result_init(intent_result *r);
void intent_result_free(intent_result *r);

/* Interprets one turn. ctx may be NULL. Never fails on user input; text may
 * be any bytes (invalid UTF-8 and control characters are cleaned first, and
 * only the first INTENT_MAX_INPUT bytes are read). */
#define INTENT_MAX_INPUT 4096
void intent_parse(const intent_vocab *v, const char *text, const intent_ctx *ctx,
                  intent_result *out);

#endif
