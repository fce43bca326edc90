/* match_int: what the match_* files share (internal; users include match.h). */
#ifndef SOUK_MATCH_INT_H
#define SOUK_MATCH_INT_H

#include <stdatomic.h>
#include <stdint.h>

#include "match.h"
#include "index.h"
#include "money.h"

/* Offers get their exact price at the quantity from the tier table; above
 * this many candidates the rest are ranked on the tier range instead, so a
 * query that matches half the catalog stays interactive. */
#define MATCH_EXACT_CAP 6000
#define MATCH_MAX_TIERS 32
#define CERT_BITS       64
/* Keyword searches remembered per context: a buyer goes back and forth
 * between a few searches while refining, and each costs the FTS lookup. */
#define MATCH_FTS_CACHE 16
/* Catalogs at least this big are preloaded (see struct prod); below it a
 * one-shot `souk query` is faster reading just the rows it needs. */
#define MATCH_PRELOAD_MIN 100000
/* Where the index has no postings, FTS5 is asked for the bm25 of at most
 * this many hits (a lookup each); above that the relevance is whether
 * every keyword is in the title, which is what bm25's title weight mostly
 * decides anyway (all hits contain every keyword). */
#define MATCH_BM25_MAX 2500
/* Candidates of a phrase search ranked from their own text at most: a
 * read and a cut of four columns each, 3 to 4 us, so a refinement stays
 * within a few milliseconds (2,342 candidates took 13 ms); above this
 * many, the title rule as above. Words need no cap: their frequencies are
 * in the postings. */
#define MATCH_PHRASE_READ_MAX 1000
/* bm25's weight for a keyword in each column of the FTS table (title,
 * description, category, attributes): FTS5's bm25() is asked with them,
 * and the postings' term frequencies are weighted with them, so both
 * compute the same relevance. */
#define MATCH_BM25_SQL     "bm25(products_fts, 10.0, 1.0, 5.0, 2.0)"
#define MATCH_BM25_WEIGHTS 10, 1, 5, 2
/* A context idle this long may find the index's pages dropped from the
 * page cache (systems reclaim idle file pages; the reference machine
 * pages out what was not touched for a minute): its next run starts the
 * reads of a page's rows together (match_rows_willneed). */
#define MATCH_IDLE_S 10.0
/* Keywords the postings intersect at most; more go to FTS5. */
#define MATCH_TERMS_MAX 32
/* A keyword the catalog lacks as a word is searched as the start of one
 * only from this many bytes: "mat" would find "material" and "cap"
 * "capacity" (the FTS expression, the postings and the unknown-word probe
 * all follow it). */
#define MATCH_PREFIX_MIN 4
/* FTS5 indexes at most this many bytes of a token (FTS5_MAX_TOKEN_SIZE). */
#define MATCH_FTS5_TOKEN_MAX 32768

/* Section ids of the column index file (doc/ARCHITECTURE.md lists them). */
enum {
	MATCH_SEC_META = 1,
	MATCH_SEC_STR,   /* supplier strings, NUL-terminated */
	MATCH_SEC_SUPS,  /* sup_rec per supplier, by id */
	MATCH_SEC_CERTS, /* interned names, NUL-separated, in bit/index order */
	MATCH_SEC_CATS,
	MATCH_SEC_COUNTRIES,
	MATCH_SEC_CURS,
	MATCH_SEC_PRODS,    /* prod per product, by id (BULK) */
	MATCH_SEC_TIERS,    /* ptier, grouped by product (BULK) */
	MATCH_SEC_IDS,      /* int64 product id per record (BULK) */
	MATCH_SEC_DENSE,    /* int32 record per product id, when ids are compact (BULK) */
	MATCH_SEC_DFLT,     /* the unfiltered query's result: match_dflt, rows, facets */
	MATCH_SEC_DFLT_STR, /* its reasons, highlights and facet values */
	MATCH_SEC_SUPDENSE, /* int32 supplier record per supplier id, when compact (BULK) */
	MATCH_SEC_CATSTART, /* int32 first record per category, and the end (clustered only) */
	MATCH_SEC_MARKETS,  /* export market codes, NUL-separated, in sup.exmask bit order */
	MATCH_SEC_TERMS,    /* the FTS dictionary: term_rec per term, in byte order (BULK) */
	MATCH_SEC_TERMSTR,  /* the terms' bytes (BULK) */
	MATCH_SEC_POSTS,    /* each term's records, ascending LEB128 gaps (BULK) */
	MATCH_SEC_ROWOFF,   /* uint32 per record: its strings in ROWSTR (BULK) */
	MATCH_SEC_ROWSTR,   /* title, MOQ unit, certifications: NUL-terminated (BULK) */
	MATCH_SEC_SUPHOT,   /* sup_hot per supplier, by record (BULK) */
	MATCH_SEC_TF,       /* each term's weighted frequency per record of POSTS, LEB128 (BULK) */
	MATCH_SEC_BM25,     /* match_bm25_totals: FTS5's row and token counts */
};

/* What bm25 knows of the whole catalog: FTS5's row count and the tokens
 * of every row (the average row length is their ratio). */
typedef struct match_bm25_totals {
	int64_t rows, tokens;
} match_bm25_totals;

/* What the postings give a keyword search besides its records: per
 * record, each keyword's frequency in it, weighted by column (record-
 * major: f[hit * nk + k]), and each keyword's idf; bm25 is computed from
 * them for the candidates that pass the filters (match_terms_bm25). */
typedef struct match_kwfreq {
	uint32_t *f;
	double idf[MATCH_TERMS_MAX];
	int nk;
} match_kwfreq;

/* ---- interned strings (categories, certifications, countries) ---- */

/* Interned through core/map (whose dense indices are these ids); v[i] is
 * map_key(map, i), kept as an array because the scan reads it hot. */
typedef struct intern {
	char **v;
	int n;
	struct map *map; /* created on first use */
	int fold;        /* compare case-insensitively */
} intern;

/* A supplier as the index stores it: the strings are offsets into the
 * context's string blob (sup_str), so the records are used in place. */
typedef struct sup {
	int64_t id;
	uint32_t name, country, city, btype, exports, certs;
	int16_t verified, trading; /* trading: business type "trading" (the
	                            * statistics read sup_hot's copy) */
	int32_t reviews, year;     /* year 0: unknown */
	int32_t country_idx;
	double rating, resp, ontime; /* -1: unknown */
	uint64_t certmask;
	/* The export markets as bits of m->markets, so "exports to the market"
	 * reads eight bytes a supplier instead of its string; MATCH_MARKET_MORE
	 * when the list names more markets than there are bits. */
	uint64_t exmask;
} sup;

#define MATCH_MARKET_BITS 63
#define MATCH_MARKET_MORE (1ull << MATCH_MARKET_BITS)

/* Large catalogs keep the columns the filters and the ranking read in
 * memory, loaded once at open: a refinement then costs the FTS lookup and
 * a pass over compact records instead of a B-tree seek per candidate. */
typedef struct ptier {
	int32_t min_qty, pad;
	double price; /* as the catalog has it: limits compare exactly */
} ptier;

typedef struct prod {
	double lo, hi;        /* tier range in the offer's currency, -1 unknown */
	float weight, volume; /* per unit, -1 unknown */
	uint64_t certs;       /* the product's and its supplier's */
	int32_t sup, moq, cat, tier0;
	int16_t lead;
	uint8_t ntiers, incoterm, flags, cur;
	/* the product's tokens in the FTS table, as bm25 counts its length
	 * (at most 65,535: longer rows count as that long) */
	uint16_t ntok;
} prod;

/* What the statistics read of every candidate's supplier, apart from the
 * 88-byte record: 24 bytes a supplier, so the random reads of a large
 * result set stay in fewer cache lines and pages (500,000 suppliers in a
 * catalog of 10,000,000 products: 12 MB instead of 44 MB). */
typedef struct sup_hot {
	double trust;  /* match_sup_trust at the context's year */
	double rating; /* -1: unknown */
	int32_t country_idx;
	uint8_t trading;  /* business type "trading" */
	uint8_t reviewed; /* at least 10 reviews */
	uint8_t pad[2];
} sup_hot;

#define PROD_SAMPLES 1
#define PROD_CUSTOM  2

/* Per-query caches that survive between refinements (the same market or
 * supplier filters are common from one turn to the next). */
typedef struct sup_cache {
	char *key;
	unsigned char *ok;
} sup_cache;

struct match_ctx {
	sqlite3 *db;
	/* when the last run ended (CLOCK_MONOTONIC, s; 0 before the first),
	 * and whether this run follows a pause (match_run) */
	double last_run;
	int idle;
	int year;                  /* "years in business" count to it: util_year_now() at open */
	const souk_ref *ref;       /* the caller's reference data */
	const money_tables *money; /* ref's */
	sup *sups;
	sup_hot *suphot; /* per supplier record, beside sups */
	int nsups;
	const char *sstr; /* supplier strings, NUL-terminated, the last byte NUL */
	size_t sstr_len;
	strbuf sstr_buf; /* their storage when loaded from SQL */
	/* What a result row shows of a product besides its columns (title,
	 * MOQ unit, its own certifications), so a page of rows reads no SQL:
	 * rowoff[record] into rowstr (NULL: read from the catalog). */
	const uint32_t *rowoff;
	const char *rowstr;
	size_t rowstr_len;
	uint32_t *rowoff_buf; /* their storage when loaded from SQL */
	strbuf rowstr_buf;
	int *dense; /* supplier id -> index when ids are compact, else NULL */
	int64_t dense_max;
	intern certs, cats, countries;
	/* certification bits in name order, for the first cert_order_n names
	 * (-1: not yet; names are only ever added, and detaching resets it) */
	int cert_order[CERT_BITS], cert_order_n;
	sup_cache filt, exports;
	sqlite3_stmt *tiers_st, *detail_st;
	prod *prods; /* NULL: small catalog, read through SQL */
	int nprods;
	int32_t *prod_dense; /* product id -> index */
	int64_t prod_dense_max;
	int64_t *prod_ids; /* sorted ids when they are not compact */
	ptier *tiers;
	long ntiers;
	intern curs;    /* currency codes of the preloaded products */
	intern markets; /* export market codes, the bits of sup.exmask */
	/* The last keyword search on a preloaded catalog: refinements that only
	 * change filters, and the relaxations tried when nothing matches, reuse
	 * its hits instead of searching again. */
	struct fts_entry {
		char *key;
		int32_t *recs;             /* records of the preloaded columns */
		float *rel;                /* bm25, or -1/0 for keywords in the title or not */
		match_kwfreq *freq;        /* from the postings (rel NULL) */
		struct match_phrases *phr; /* from FTS5, ranked after the filters (rel NULL) */
		int n;
		unsigned long used;
	} fts[MATCH_FTS_CACHE];
	unsigned long fts_clock;
	/* the entry of the running query */
	int32_t *fts_recs;
	float *fts_rel;
	match_kwfreq *fts_freq;
	struct match_phrases *fts_phr;
	int fts_n;
	/* the index's keyword postings (match_terms.c; terms NULL: none) */
	const struct term_rec *terms;
	uint32_t nterms;
	const char *termstr;
	const unsigned char *posts, *tf;
	size_t termstr_len, posts_len, tf_len;
	match_bm25_totals bm25; /* the catalog's, for the postings' bm25 */
	/* the thread reading FTS5's terms while an index is built */
	struct terms_job *terms_job;
	/* the catalog's FTS5 tokenizer, made on first use */
	fts5_tokenizer tok_api;
	Fts5Tokenizer *tok;
	int tok_failed;
	atomic_int stop;
	/* The column index the columns above point into (NULL: loaded from
	 * SQL into memory, or read row by row); its default order serves the
	 * unfiltered query. */
	struct index_map *idx;
	int borrowed; /* prods, tiers, ids and supplier strings live in idx */
	/* records are in category order: category c's are cat_start[c] up to
	 * cat_start[c + 1] (NULL: not clustered) */
	const int32_t *cat_start;
	int cat_start_n; /* categories it covers (more may be interned later) */
	/* the stored default order, read and checked when first served:
	 * dflt_state 0 not yet, 1 sound, -1 damaged or missing */
	const struct match_dflt *dflt;
	const char *dflt_str;
	size_t dflt_len, dflt_str_len;
	int dflt_state;
	uint64_t money_sum;
	/* taxonomy leaves and the stems that name them (match_names.c) */
	strlist tax_paths;
	char **tax_words;
};

typedef struct cand {
	int64_t id;
	double price;  /* at the quantity in the buyer's currency, -1 unknown */
	double factor; /* offer currency -> buyer currency, -1 unknown currency */
	double lo, hi; /* the tier range in the buyer's currency, -1 unknown */
	double key;    /* the sort key */
	double landed;
	double trust; /* the supplier's, 0..1 (match_query_stats, for the score) */
	float bm25, score, weight, volume;
	uint64_t certs;                /* the product's and the supplier's */
	int sup, moq, lead, cat, pidx; /* pidx: index in m->prods, -1 */
	unsigned char incoterm, exact, mkt, need;
	unsigned char at_moq; /* MOQ above the quantity: priced at the MOQ */
} cand;

/* At most this many any-of certification groups count in one query. */
#define MATCH_ANY_MAX 8

/* What "exports to the market" looks for in a supplier's list, worked out
 * once per market rather than once per supplier. */
typedef struct market_pat {
	char pat[8];   /* " US " */
	int eu;        /* the market is the EU: any member state counts */
	int eu_member; /* the market is a member state: " EU " counts */
	uint64_t mask; /* the same as bits of sup.exmask */
} market_pat;

typedef struct query {
	match_ctx *m;
	const souk_filter *f;
	double buyer_rate;
	/* per supplier: 0 not decided yet, 1 fails, 2 passes (sup_ok NULL: no
	 * supplier filter); kept in the context's caches */
	unsigned char *sup_ok, *sup_exp;
	market_pat mp;
	uint64_t req, mcerts;
	/* groups of certifications any one of which will do ("LFGB|FDA") */
	uint64_t req_any[MATCH_ANY_MAX];
	int nreq_any;
	int req_missing; /* a required certification souk cannot track */
	int count_only;
	long set_aside; /* MOQ above the quantity (see match_result) */
	float *named;   /* per category: share of the keywords naming it */
	unsigned char *named_done;
	cand *c;
	int n, cap;
	int nsorted; /* after match_query_sort: q->c[0, nsorted) are in order */
	char cur_code[8];
	double cur_factor;
	double *cur_factors;   /* per m->curs entry (preloaded catalogs) */
	unsigned char *cat_ok; /* per m->cats entry, when a category is asked for */
	/* per m->countries entry, when countries are asked for or excluded:
	 * 1 fails, 2 passes */
	unsigned char *country_ok;
	long nsup;
	/* statistics over the result set, for scores, reasons and highlights */
	double *prices, *moqs, *leads; /* sorted */
	int nprices, nmoqs, nleads;
	/* per value, in the candidates' order (before sorting): how many of
	 * the values are below it, for the score's percentiles */
	uint32_t *prices_below, *moqs_below, *leads_below;
	double bm_lo, bm_hi;
	long *cert_counts, *country_counts;
	long *cat_counts; /* per category of m->cats, ncat_counts of them */
	int ncat_counts;
	long n_manufacturer, n_trading;
	double min_price, max_rating;
	long min_moq, min_lead;
	int n_min_moq, n_min_lead, n_min_price, n_max_rating;
} query;

int match_db_error(match_ctx *m, souk_err *e, const char *what);
char *match_col_dup(sqlite3_stmt *st, int i);
double match_col_num(sqlite3_stmt *st, int i);
uint64_t match_certs_mask(match_ctx *m, const char *s, int add);
void match_cache_free(sup_cache *c);
extern const char *const match_incoterms[5];
void match_run_begin(match_ctx *m);
int match_stopped(match_ctx *m, souk_err *e);
int match_intern_get(intern *t, const char *s, size_t len, int add, int max);
/* The bits of an export-market list (" US DE EU ") in m->markets. */
uint64_t match_exports_mask(match_ctx *m, const char *list);
void match_intern_free(intern *t);
/* The certification bits in name order; returns how many. */
int match_cert_order(match_ctx *m, int *order);
int match_load_suppliers(match_ctx *m, souk_err *e);
/* m->suphot from m->sups (after they are loaded, m->year set). */
void match_sup_hot_fill(match_ctx *m);
int match_sup_find(const match_ctx *m, int64_t id);
int match_prod_find(const match_ctx *m, int64_t id);
int match_load_products(match_ctx *m, souk_err *e);
int64_t match_products_size(match_ctx *m);
/* Opens the column index of the catalog (building it when missing or
 * stale) and points m's columns into it. */
int match_catalog_ident(sqlite3 *db, index_ident *id, souk_err *e);
/* The supplier id -> index map when ids are compact. */
void match_sup_dense(match_ctx *m);
/* The candidate of preloaded record i, with no filter applied beyond the
 * query's supplier and certification checks; 0 when it does not pass. */
int match_cand_at(query *q, int i, cand *c);
void match_page_highlights(query *q, const cand *c, match_row *rows, int n);
void match_names_load(match_ctx *m);
void match_names_free(match_ctx *m);
void match_names_score(query *q);
int match_index_attach(match_ctx *m, const char *catalog, souk_err *e);
void match_index_detach(match_ctx *m);
/* The unfiltered query from the index's precomputed order: 1 served, 0
 * not applicable (a filter, another sort, a page past the stored rows),
 * -1 error. */
int match_default_serve(match_ctx *m, const souk_filter *f, const match_opts *o, match_result *out,
                        souk_err *e);
double match_cur_factor(query *q, const char *code);
int match_incoterm_index(const char *s);
int match_query_setup(query *q, match_ctx *m, const souk_filter *f, souk_err *e);
void match_query_free(query *q);
int match_tiers_load(match_ctx *m, int64_t id, money_tier *t);
void match_cand_price(query *q, cand *c);
/* The quantity a candidate is priced at: the buyer's, or its MOQ when
 * that is larger (-1: none known). */
double match_cand_qty(const query *q, const cand *c);
int match_cand_tiers(query *q, const cand *c, money_tier *t);
int match_query_scan(query *q, const strlist *cats, souk_err *e);
int match_keyword_split(match_ctx *m, const char *kw, strbuf *known, strlist *unknown, souk_err *e);
/* match_fts.c. One keyword as an FTS5 string: quoted, so user text is
 * never syntax. */
void match_fts_quote(const char *s, strbuf *out);
/* Whether s has something a tokenizer makes a term of. */
int match_has_word(const char *s);
int match_keywords_have_word(const strlist *kw);
/* The FTS5 expression of the keywords (all required); how many terms. */
int match_fts_expr(match_ctx *m, const strlist *kw, strbuf *out);
/* One keyword's part of it, appended to out; 1 when it is a prefix. */
int match_fts_piece(match_ctx *m, const char *kw, strbuf *out);
/* FTS5's product ids for an expression, in rowid order, into *ids (freed
 * by the caller); 0, or -1 with e set. */
int match_fts_ids(match_ctx *m, const char *expr, int64_t **ids, int *n, souk_err *e);
/* match_tok.c: the catalog's FTS5 tokenizer. make: one as the catalog's
 * schema declares it, for db; 0 when FTS5 cannot give it. ready: m->tok,
 * made on first use; 0 when FTS5 cannot give it (searches then go to
 * FTS5 itself). cut: s[0..len) cut into terms as FTS5 cuts it with flags
 * (FTS5_TOKENIZE_*), into t, reused from call to call; 0 when the
 * tokenizer fails. */
typedef struct match_toks {
	strbuf bytes;       /* the terms, each NUL-terminated */
	uint32_t *at, *len; /* each term's offset in bytes, and its length */
	int n, cap;
} match_toks;
int match_tok_make(sqlite3 *db, fts5_tokenizer *api, Fts5Tokenizer **tok);
int match_tok_ready(match_ctx *m);
int match_tok_cut(match_ctx *m, const char *s, int len, int flags, match_toks *t);
void match_tok_free(match_toks *t);
void match_tok_close(match_ctx *m);
/* match_phrase.c: a search with phrases (keywords FTS5 cuts into several
 * words): search: its hits, ascending records into *recs, each phrase's
 * from FTS5 and each word's from the postings, and the phrases bm25 is
 * computed from (*ph); 1 answered, 0 when the index cannot (no postings:
 * the whole search goes to FTS5), -1 on an error. rank: c->bm25 of q's
 * candidates, from their text (above MATCH_PHRASE_READ_MAX of them,
 * whether every keyword is in the title). */
int match_phrases_search(match_ctx *m, const strlist *kw, int32_t **recs, int *n,
                         struct match_phrases **ph, souk_err *e);
int match_phrases_rank(query *q, souk_err *e);
void match_phrases_free(struct match_phrases *ph);
/* The keywords' hits into m->fts_recs, fts_rel, fts_n (cached). */
int match_fts_hits(match_ctx *m, const strlist *kw, souk_err *e);
void match_fts_cache_clear(match_ctx *m);
/* match_terms.c: the postings sections, read on a thread started at the
 * beginning of a build and joined at its end (none when the catalog has
 * no FTS table or is no longer the one ident names; cancel joins and
 * drops them),
 * attaching them (-1: damaged sizes), and the hits of keywords:
 * their records ascending with the keywords' frequencies in each (*freq,
 * freed by match_kwfreq_free); expr gets the FTS5 expression the same
 * search is. 1 answered, 0 when the postings cannot (a keyword of
 * several words is a phrase: FTS5 must check positions). */
void match_terms_start(match_ctx *m, const char *catalog, const index_ident *ident);
int match_terms_build(match_ctx *m, index_builder *b);
void match_terms_cancel(match_ctx *m);
int match_terms_attach(match_ctx *m);
int match_terms_hits(match_ctx *m, const strlist *kw, strbuf *expr, int32_t **recs, int *n,
                     match_kwfreq **freq);
/* FTS5's bm25 of hit number hit (record rec) of a search the postings
 * answered, computed as FTS5 computes it: negative, lower is better. */
double match_terms_bm25(const match_ctx *m, const match_kwfreq *freq, int hit, int rec);
/* FTS5's bm25 (fts5_aux.c, term for term, so the same doubles) of a
 * product of ntok tokens holding n phrases f[k] times, weighted by
 * column, with idf[k] from match_bm25_idf: the idf of a phrase nhit of
 * the catalog's rows hold. */
double match_bm25(const match_ctx *m, const double *idf, const uint32_t *f, int n, int ntok);
double match_bm25_idf(int64_t rows, int64_t nhit);
void match_kwfreq_free(match_kwfreq *freq);
/* The records holding the keyword as the FTS expression reads it,
 * ascending, into *recs (freed by the caller); how many (its bm25 idf's
 * count), or -1 when the postings cannot say (a phrase). */
int64_t match_terms_keyword(match_ctx *m, const char *kw, int32_t **recs);
size_t match_terms_rec_size(void);
/* The dictionary's term i (0 <= i < m->nterms, in byte order): its bytes
 * (not NUL-terminated), and how many records hold it; NULL when the
 * record is damaged. Its records, ascending, into *recs and its weighted
 * frequency in each into *w (both freed by the caller); how many. */
const char *match_terms_term(const match_ctx *m, uint32_t i, size_t *len, uint32_t *ndocs);
size_t match_terms_records(const match_ctx *m, uint32_t i, int32_t **recs, uint32_t **w);
int match_query_prices(query *q, souk_err *e);
double match_pct_below(const double *v, int n, double x);
/* match_pct_below for many x over one large sorted array, to the bit,
 * reading a small sampled copy first (match_score.c). */
typedef struct match_pct {
	const double *v;
	double *s;
	int n, ns;
} match_pct;
void match_pct_init(match_pct *p, const double *v, int n);
double match_pct_of(const match_pct *p, double x);
void match_pct_free(match_pct *p);
void match_query_stats(query *q);
/* A supplier's trust, 0..1: verified, rating (damped by its review
 * count), years in business to m->year, response and on-time rates. */
double match_sup_trust(const match_ctx *m, const sup *s);
int match_popcount64(uint64_t x);
void match_query_score(query *q);
void match_query_landed(query *q, cand *c);
void match_query_sort(query *q, const match_opts *o);
/* Sorts the rows past q->nsorted too (a reader going past the page). */
void match_query_sort_rest(query *q, const match_opts *o);
void match_reason_add(strbuf *b, int *n, int max, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));
int match_row_fill(query *q, cand *c, match_row *r, souk_err *e);
int match_query_rows(query *q, const match_opts *o, match_result *out, souk_err *e);
void match_query_facets(query *q, match_result *out);
char *match_relax_best(match_ctx *m, const souk_filter *f, souk_err *e);

/* Starts reading the strings of the n rows at c from disk at once
 * (index_willneed): for a context idle long enough that the system may
 * have dropped them (m->idle). */
void match_rows_willneed(const match_ctx *m, const cand *c, int n);
/* The strings of record i for a result row (title, MOQ unit, the
 * product's own certifications); 0 when the index has none. */
int match_row_strings(const match_ctx *m, int i, const char *s[3]);

/* A supplier string by its offset; "" for an offset outside the blob. */
/* Bit i of a bitmap of 64-bit words. */
static inline int match_bit_get(const uint64_t *b, size_t i)
{
	return (int)((b[i / 64] >> (i % 64)) & 1);
}

static inline void match_bit_set(uint64_t *b, size_t i)
{
	b[i / 64] |= 1ull << (i % 64);
}

static inline const char *sup_str(const match_ctx *m, uint32_t off)
{
	return off < m->sstr_len ? m->sstr + off : "";
}

#endif
