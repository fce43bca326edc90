/* catalog: the catalog database (schema, migrations, WAL) and the demo catalog. */
#ifndef SOUK_CATALOG_H
#define SOUK_CATALOG_H

#include <sqlite3.h>

#include "util.h"

#define CATALOG_SCHEMA_VERSION 2

/* Opens (creating and migrating when writable) a catalog. readonly opens an
 * existing file only, of this schema version or an older one. WAL mode, foreign keys on, busy
 * timeout set. */
/* Process-wide SQLite settings, before any other SQLite call (a
 * program's entry point calls it once): no memory statistics, whose
 * global mutex every allocation took while an index build's two threads
 * read the catalog. */
void catalog_library_init(void);
int catalog_open(const char *path, int readonly, sqlite3 **db, souk_err *e);
/* Drops a schema object (a trigger or an index set aside during a bulk
 * load) and returns the SQL that makes it again; NULL when there is no
 * such object or it cannot be dropped. */
char *catalog_schema_suspend(sqlite3 *db, const char *name);
/* Deletes a catalog file and its companions: -wal, -shm, -journal, the
 * column index (.idx) and the vocabulary cache (.vocab); for a half-built
 * or abandoned catalog, errors are ignored. */
void catalog_remove(const char *path);
void catalog_close(sqlite3 *db);

/* Every writer of a catalog calls this inside its write transaction once
 * it changed the data: it bumps the data generation kept in meta, which
 * is how a column index (core/index.h) built before knows it is stale. */
int catalog_touch(sqlite3 *db, souk_err *e);

/* Counts for the status line. */
int catalog_counts(sqlite3 *db, long *suppliers, long *products, souk_err *e);
/* The same for the catalog file at path, through a read-write connection
 * of its own: closing it as the last one folds the WAL back in, so a
 * catalog just built stays one file. */
int catalog_file_counts(const char *path, long *suppliers, long *products, souk_err *e);

/* Builds a demo catalog of about nproducts products (suppliers scale with
 * it) deterministically from seed and the templates under assets. Writes
 * to a temp file and renames it over path at the end, so path is either
 * the old file or a complete new one. progress, when non-NULL, is called
 * now and then with the share done (0..1). */
int catalog_build_demo(const char *path, const char *assets, long nproducts, unsigned seed,
                       void (*progress)(double done, void *arg), void *arg, souk_err *e);

/* The default demo size built on first run. */
#define CATALOG_DEMO_PRODUCTS 30000L

/* Builds the default demo at path when nothing is there yet (a first
 * run); 0 when path then holds a catalog. */
int catalog_ensure_demo(const char *path, const char *assets, souk_err *e);

/* Taxonomy: the leaf categories known to the catalog (from assets). */
int catalog_category_count(sqlite3 *db);

#endif
