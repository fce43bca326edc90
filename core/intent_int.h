/* intent_int: what the intent_* files share (internal; users include intent.h). */
#ifndef SOUK_INTENT_INT_H
#define SOUK_INTENT_INT_H

#include "gazetteer.h"
#include "intent.h"
#include "map.h"

#define MAX_TOKENS   600
#define WORD_MAX     48
#define MAX_KEYWORDS 12
#define WINDOW       5 /* how far back a cue word may stand from what it qualifies */

/* A word or phrase -> a small number: core/map underneath, the first
 * value put for a key stays (vocabulary files list the preferred reading
 * first). NULL until the first put. */
typedef struct smap {
	map *m;
} smap;

enum unit_kind { U_QTY, U_TIME, U_YEARS, U_STAR, U_THOUSAND, U_SPEC };

/* assets/intent/wordclass.tsv */
enum word_class { WC_NONE, WC_BUYER, WC_PERSON, WC_MODEL, WC_GRADE, WC_PACK, WC_PART };

typedef struct country {
	char code[8];
	char *name;
	strlist members; /* a region's countries; empty for a country */
	int eu;          /* an EU member state */
} country;

struct intent_vocab {
	smap stop;
	smap numw; /* value index */
	double *numval;
	int *numscale;
	int nnum;
	smap units;
	int *ukind;
	double *ufactor;
	int nunits;
	smap cur;
	char (*curcode)[4][4]; /* up to four readings, the usual one first; "*": the current */
	double *curscale;
	int *curflags; /* CUR_COMMA, CUR_CODE */
	int ncur;
	char (*fx)[4]; /* the codes of fx.tsv: a country's currency starts with its code */
	int nfx;
	smap plural;
	char **plural_to;
	int nplural;
	smap country; /* phrase -> index * 2 + is_adjective */
	country *countries;
	int ncountries, country_words;
	smap cert; /* alias -> index * 2 + needs_capitals */
	char **certs;
	int ncerts, cert_words;
	/* region and city names -> the ISO codes of the countries that have a
	 * place of that name, preferred first ("dublin" -> "IE US") */
	gazetteer *places;
	smap wclass;      /* word -> enum word_class */
	smap compound;    /* product phrases that hold a place or filter word */
	smap superlative; /* "cheapest", "best rated" -> enum intent_best */
	int superlative_words;
	strlist typo; /* words whose misspellings are read (typo_targets.txt) */
	int compound_words;
};

enum { CUR_COMMA = 1, CUR_CODE = 2 };

enum tok_kind { T_WORD, T_NUM, T_SYM, T_PUNCT };

typedef struct tok {
	int kind;
	char w[WORD_MAX]; /* lower case as written (numbers: their digits) */
	int caps;         /* a word of 2+ letters written in capitals */
	int cap1;         /* written with a capital first letter ("Hamburg") */
	double num;
	int decimal, ordinal;
	int kilo;    /* "5k", "1.5K": thousands, which buyers use for counts, not unit prices */
	int dot3;    /* "5.000": a dot before three digits, thousands in a count */
	int tight;   /* a hyphen written with no space around it */
	int spelled; /* written in words ("fifty") */
	int folded;  /* made from words ("a dozen", "fifty") */
	int gone;    /* dropped by a pass that merged it into another token */
	int used;
	int country; /* a country mention read by intent_find_countries */
	int clause;
} tok;

typedef struct parse {
	const intent_vocab *v;
	const intent_ctx *ctx;
	intent_result *r;
	tok *t;
	int n;
	/* what the turn said, gathered before it becomes a delta */
	double qty, pmin, pmax, moq, lead, rating, years;
	char cur[4];
	int verified, samples, custom, btype; /* -1 unsaid; btype 1 manufacturer 2 trading 3 any */
	int larger_moq; /* offers whose MOQ is above the quantity: 1 shown, 0 set aside, -1 unsaid
	                 */
	const char *incoterm;
	char market[8];
	int market_weight; /* 2: where the buyer sells, 1: where the buyer is */
	double total;      /* a budget for the whole order, or -1 */
	unsigned clear;    /* fields to empty */
	strlist sup, exc, unexc, sup_del, cert_add, cert_del;
	int sup_additive, exc_replace, sup_said;
	int last_cfield, last_cend;
	int price_said;
	int cheaper_word;
} parse;

/* R_HOME: where the buyer is (their shop, their city): the market unless
 * the turn also says where they sell. R_SKIP: a place that is no filter
 * ("my friend in Germany"). */
enum role { R_NONE, R_SUP, R_EXC, R_MKT, R_UNEXC, R_LAST, R_ADD, R_DEL, R_HOME, R_SKIP };

typedef struct numphrase {
	int s, e;    /* first and last token */
	double a, b; /* value, and upper end of a range (b < a: none) */
	int range;
	const char *cur;
	double scale, scale_b; /* scale_b < 0: the upper end's is the lower end's */
	int dot3;
	int unit, has_unit;
	double factor;
	int decimal;
	int plus; /* "10+ years" */
} numphrase;

/* ---- vocabularies and the string map (intent_vocab.c) ---- */
int smap_get(const smap *m, const char *key);
void intent_undot(const char *s, char *out, size_t n);
const char *intent_country_currency(const intent_vocab *v, const char *cc);
int intent_ends(const char *s, size_t n, const char *suf);
void intent_find_keywords(parse *p);

/* ---- text -> tokens (intent_lex.c) ---- */
void tok_set(tok *t, const char *s, size_t len);
void intent_lex(parse *p, const char *s);
void intent_fix_typos(parse *p);
int intent_is_measure_word(const parse *p, int i);
void intent_fold_numbers(parse *p);
extern const char *const INTENT_BUT_EXCEPT[];
extern const char *const INTENT_BUT_ONLY[];
void tok_drop(parse *p, int i, int k);
void tok_compact(parse *p);
int intent_whole(const tok *t, double lo, double hi);
void intent_join_specs(parse *p);
void intent_mark_clauses(parse *p);

/* ---- token predicates and phrases (intent_tokens.c) ---- */
int intent_is_w(const parse *p, int i, const char *w);
int intent_in_list(const char *w, const char *const *list);
int intent_is_in(const parse *p, int i, const char *const *list);
int intent_is_punct(const parse *p, int i, const char *c);
int intent_same_clause(const parse *p, int a, int b);
int intent_unit_of(const parse *p, int i, int *kind, double *factor);
int intent_back(const parse *p, int i, int k);
int intent_fwd(const parse *p, int i, int k);
void intent_note(parse *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int intent_negated_before(const parse *p, int i, int span);
int intent_negated_after(const parse *p, int i);
int intent_sentence_end(const parse *p, int i);
void intent_use_negation_after(parse *p, int i);
int intent_phrase_at(const parse *p, int i, const smap *m, int maxw, int dots, int *len);
const char *intent_gazetteer_at(const parse *p, int i, int *len);
void intent_use(parse *p, int i, int k);
int intent_find_phrase(parse *p, const char *const *const *phrases);

/* ---- money (intent_money.c) ---- */
int intent_currency_of(const parse *p, int i, const char **code, double *scale);
void intent_fold_money(parse *p);
void intent_fold_currency_names(parse *p);
int intent_total_budget(parse *p, const numphrase *np, int end);
void intent_divide_total(parse *p);
void intent_find_currency(parse *p);

/* ---- numbers (intent_number.c) ---- */
void intent_join_hyphen_specs(parse *p);
void intent_find_numbers(parse *p);
void intent_find_scale(parse *p);

/* ---- places (intent_place.c) ---- */
extern const char *const INTENT_SUPPLIER_AFTER[];
int intent_country_at(const parse *p, int i, int *adj, int *len);
int intent_wclass_of(const parse *p, int i);
void intent_find_compounds(parse *p);
void intent_find_countries(parse *p);

/* ---- certifications and attributes (intent_attr.c) ---- */
void intent_find_certs(parse *p);
void intent_use_field_adjectives(parse *p);
void intent_find_flags(parse *p);
void intent_find_larger_moq(parse *p);

/* ---- list edits and corrections (intent_edit.c) ---- */
extern const char *const INTENT_FIELD_WORDS[];
void intent_find_keyword_edits(parse *p);
void intent_find_clears(parse *p);
void intent_find_anywhere(parse *p);
void intent_find_questions(parse *p);
void intent_find_superlative(parse *p);
int intent_correction(const parse *p);
int intent_corrects(const parse *p, int s);

#endif
