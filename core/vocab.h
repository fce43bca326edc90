/* vocab: the catalog's own vocabulary (the terms of its FTS index), to tell product words from the rest. */
#ifndef SOUK_VOCAB_H
#define SOUK_VOCAB_H

#include <sqlite3.h>

#include "util.h"

typedef struct vocab souk_vocab;

/* Reads every term of the catalog's products_fts index through an
 * fts5vocab table on db (a read connection is enough: the table lives in
 * the temp schema). Large catalogs keep the list in a cache file beside
 * the catalog (CATALOG.vocab), rebuilt when the catalog changes. NULL with
 * e set when the catalog has no FTS index. */
souk_vocab *vocab_open(sqlite3 *db, souk_err *e);
void vocab_free(souk_vocab *v);

/* Writes the cache of vocab_open from terms and their product counts the
 * caller already has (the column index's dictionary), for a catalog just
 * built: reading them back from FTS5 cost a second per million products.
 * next gives one term per call (its bytes, not NUL-terminated) and 0 at
 * the end. A cache that cannot be written is only slower next time. */
typedef int (*vocab_next_fn)(void *arg, const char **term, size_t *len, long *docs);
void vocab_save_terms(sqlite3 *db, vocab_next_fn next, void *arg);

/* How many products contain the word, the way the catalog's porter
 * tokenizer reads it ("Paddles" and "paddling" meet "paddl"); a phrase or a
 * hyphenated word counts as its rarest part. 0: the catalog never says it. */
long vocab_docs(const souk_vocab *v, const char *word);

/* The number of distinct terms (for tests and the benchmark). */
long vocab_terms(const souk_vocab *v);

/* The porter stem of one lower-case ASCII word, into out (size n). */
void vocab_stem(const char *word, char *out, size_t n);

#endif
