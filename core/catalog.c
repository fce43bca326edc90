/* catalog: the catalog database (schema, migrations, WAL, FTS5 sync) and its counts. */
#include "catalog.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Version 1 of the schema (doc/ARCHITECTURE.md documents the current one,
 * after migrate_v2). The
 * FTS index uses external content, so its triggers must hand the 'delete'
 * command the old values of every indexed column, or the index rots.
 * It has no prefix indexes: core/match.c asks for prefixes of four letters
 * or more, which prefix='2 3' (as catalogs made before had) serves only
 * when the stem is shorter ("mats" -> mat*), no faster than the query
 * benchmarks can tell, while it made the index 2.6 times as big and its
 * build twice as long (a million imported rows: 150 MB and 4.2 s of CPU,
 * against 57 MB and 2.4 s). Either way the index answers the same. */
static const char schema_v1[] =
        "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;"
        "CREATE TABLE categories("
        " id INTEGER PRIMARY KEY,"
        " path TEXT NOT NULL UNIQUE,"
        " name TEXT NOT NULL);"
        "CREATE TABLE suppliers("
        " id INTEGER PRIMARY KEY,"
        " name TEXT NOT NULL,"
        " country TEXT NOT NULL,"
        " city TEXT,"
        " business_type TEXT NOT NULL DEFAULT 'manufacturer',"
        " verified INTEGER NOT NULL DEFAULT 0,"
        " trade_assurance INTEGER NOT NULL DEFAULT 0,"
        " year_established INTEGER,"
        " rating REAL,"
        " review_count INTEGER NOT NULL DEFAULT 0,"
        " response_rate REAL,"
        " response_hours REAL,"
        " on_time_rate REAL,"
        " reorder_rate REAL,"
        " staff INTEGER,"
        " export_markets TEXT NOT NULL DEFAULT '',"
        " certifications TEXT NOT NULL DEFAULT '');"
        "CREATE TABLE products("
        " id INTEGER PRIMARY KEY,"
        " supplier_id INTEGER NOT NULL REFERENCES suppliers(id) ON DELETE CASCADE,"
        " title TEXT NOT NULL,"
        " description TEXT NOT NULL DEFAULT '',"
        " category TEXT NOT NULL DEFAULT '',"
        " attributes TEXT NOT NULL DEFAULT '{}',"
        " moq INTEGER NOT NULL DEFAULT 1,"
        " moq_unit TEXT NOT NULL DEFAULT 'pcs',"
        " lead_time_days INTEGER,"
        " samples INTEGER NOT NULL DEFAULT 0,"
        " sample_price REAL,"
        " customization TEXT NOT NULL DEFAULT '',"
        " incoterm TEXT,"
        " port TEXT,"
        " currency TEXT NOT NULL DEFAULT 'USD',"
        " weight_kg REAL,"
        " volume_m3 REAL,"
        " price_lo REAL,"
        " price_hi REAL,"
        " certs TEXT NOT NULL DEFAULT '');"
        "CREATE INDEX products_supplier ON products(supplier_id);"
        "CREATE INDEX products_category ON products(category);"
        "CREATE TABLE price_tiers("
        " product_id INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,"
        " min_qty INTEGER NOT NULL,"
        " price REAL NOT NULL,"
        " PRIMARY KEY(product_id, min_qty)) WITHOUT ROWID;"
        "CREATE TABLE product_certs("
        " product_id INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,"
        " cert TEXT NOT NULL,"
        " PRIMARY KEY(product_id, cert)) WITHOUT ROWID;"
        "CREATE VIRTUAL TABLE products_fts USING fts5("
        " title, description, category, attributes,"
        " content='products', content_rowid='id',"
        " tokenize='porter unicode61 remove_diacritics 2');"
        "CREATE TRIGGER products_ai AFTER INSERT ON products BEGIN"
        " INSERT INTO products_fts(rowid, title, description, category, attributes)"
        " VALUES (new.id, new.title, new.description, new.category, new.attributes);"
        " END;"
        "CREATE TRIGGER products_ad AFTER DELETE ON products BEGIN"
        " INSERT INTO products_fts(products_fts, rowid, title, description, category, attributes)"
        " VALUES ('delete', old.id, old.title, old.description, old.category, old.attributes);"
        " END;"
        /* Only changes to indexed columns touch the index: price or MOQ updates
         * stay cheap. */
        "CREATE TRIGGER products_au AFTER UPDATE OF id, title, description, category, attributes"
        " ON products BEGIN"
        " INSERT INTO products_fts(products_fts, rowid, title, description, category, attributes)"
        " VALUES ('delete', old.id, old.title, old.description, old.category, old.attributes);"
        " INSERT INTO products_fts(rowid, title, description, category, attributes)"
        " VALUES (new.id, new.title, new.description, new.category, new.attributes);"
        " END;";

static int db_fail(sqlite3 *db, const char *path, const char *what, souk_err *e)
{
	int code = db ? sqlite3_errcode(db) : SQLITE_ERROR;

	if (code == SQLITE_NOTADB)
		err_set(e, "%s is not a souk catalog (build one with souk demo or souk import)",
		        path);
	else if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
		err_set(e, "catalog %s is busy (another souk is writing it; try again)", path);
	else
		err_set(e, "catalog %s: %s: %s", path, what, db ? sqlite3_errmsg(db) : "error");
	return -1;
}

/* The schema version recorded in meta, 0 for an empty database, -1 on error. */
static int catalog_version(sqlite3 *db, int *version)
{
	sqlite3_stmt *st = NULL;
	int rc;

	*version = 0;
	rc = sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master WHERE name='meta'", -1, &st,
	                        NULL);
	if (rc != SQLITE_OK)
		return -1;
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(st);
		return -1;
	}
	if (sqlite3_column_int(st, 0) == 0) {
		sqlite3_finalize(st);
		return 0;
	}
	sqlite3_finalize(st);
	rc = sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key='schema_version'", -1, &st,
	                        NULL);
	if (rc != SQLITE_OK)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*version = atoi((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

/* Version 2: a product's samples and a supplier's trade assurance may be
 * NULL, "the data does not say", which a price list without the column
 * means; 0 claimed "no". Dropping a NOT NULL changes no stored row, so the
 * table definitions are rewritten in place, the way SQLite documents for
 * removing a constraint (lang_altertable.html, "other kinds of schema
 * changes"): instant on a catalog of any size, inside the migration's
 * transaction. The rows keep their 0s: a catalog made before cannot tell
 * an unknown from a no, and a fresh import can. */
static const struct relax {
	const char *table, *from, *to;
} relax_v2[] = {
        {"products", " samples INTEGER NOT NULL DEFAULT 0,", " samples INTEGER,"},
        {"suppliers", " trade_assurance INTEGER NOT NULL DEFAULT 0,", " trade_assurance INTEGER,"},
};

static int schema_cookie(sqlite3 *db, int *v)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db, "PRAGMA schema_version", -1, &st, NULL);

	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
		*v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

static int migrate_v2(sqlite3 *db)
{
	char sql[96];
	int cookie = 0, rc = 0;
	size_t i;

	if (schema_cookie(db, &cookie) < 0 ||
	    sqlite3_exec(db, "PRAGMA writable_schema=ON", NULL, NULL, NULL) != SQLITE_OK)
		return -1;
	for (i = 0; rc == 0 && i < sizeof relax_v2 / sizeof relax_v2[0]; i++) {
		sqlite3_stmt *st = NULL;

		rc = sqlite3_prepare_v2(db,
		                        "UPDATE sqlite_master SET sql = replace(sql, ?2, ?3) "
		                        "WHERE type = 'table' AND name = ?1 AND instr(sql, ?2) > 0",
		                        -1, &st, NULL) == SQLITE_OK
		             ? 0
		             : -1;
		if (rc == 0) {
			sqlite3_bind_text(st, 1, relax_v2[i].table, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 2, relax_v2[i].from, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 3, relax_v2[i].to, -1, SQLITE_STATIC);
			/* a table that lacks the text (made by hand) keeps its schema */
			rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
		}
		sqlite3_finalize(st);
	}
	/* the new cookie makes every connection read the schema again */
	snprintf(sql, sizeof sql, "PRAGMA schema_version=%d", cookie + 1);
	if (rc == 0 && sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		rc = -1;
	if (sqlite3_exec(db, "PRAGMA writable_schema=OFF", NULL, NULL, NULL) != SQLITE_OK)
		rc = -1;
	return rc;
}

/* Brings an empty or older catalog up to CATALOG_SCHEMA_VERSION in one
 * transaction, so a crash mid-way leaves the old schema. */
static int catalog_migrate(sqlite3 *db, const char *path, int version, souk_err *e)
{
	char sql[160];

	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return db_fail(db, path, "cannot lock for migration", e);
	if (catalog_version(db, &version) < 0)
		goto fail;
	if (version == 0 && sqlite3_exec(db, schema_v1, NULL, NULL, NULL) != SQLITE_OK)
		goto fail;
	if (version < 2 && migrate_v2(db) < 0)
		goto fail;
	/* Later versions add their steps here: if (version < 3) ... */
	snprintf(sql, sizeof sql,
	         "INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', '%d')",
	         CATALOG_SCHEMA_VERSION);
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		goto fail;
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		goto fail;
	return 0;
fail:
	db_fail(db, path, "cannot create the schema", e);
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

static int catalog_configure(sqlite3 *db, int readonly)
{
	sqlite3_busy_timeout(db, 5000);
	if (sqlite3_exec(db, "PRAGMA foreign_keys=ON", NULL, NULL, NULL) != SQLITE_OK)
		return -1;
	if (readonly)
		return 0;
	/* A new catalog's pages are 16 KB rather than SQLite's 4 KB: a
	 * million-row import into it takes 10.3-11.1 s instead of 11.2-12.6
	 * s (fewer B-tree pages to split, write and journal; its commit
	 * halves). The pragma applies only while the file is empty, before
	 * WAL mode writes its header: an existing catalog keeps its size. */
	if (sqlite3_exec(db, "PRAGMA page_size=16384", NULL, NULL, NULL) != SQLITE_OK)
		return -1;
	return sqlite3_exec(db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

void catalog_library_init(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int catalog_open(const char *path, int readonly, sqlite3 **db, souk_err *e)
{
	int flags = readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	int version = 0;
	sqlite3 *d = NULL;

	*db = NULL;
	if (readonly && access(path, F_OK) != 0) {
		err_set(e, "catalog %s: %s (build one with 'souk demo' or 'souk import')", path,
		        strerror(errno));
		return -1;
	}
	if (sqlite3_open_v2(path, &d, flags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		db_fail(d, path, "cannot open", e);
		sqlite3_close(d);
		return -1;
	}
	if (catalog_configure(d, readonly) < 0 || catalog_version(d, &version) < 0) {
		db_fail(d, path, "cannot read", e);
		sqlite3_close(d);
		return -1;
	}
	if (version > CATALOG_SCHEMA_VERSION) {
		err_set(e,
		        "catalog %s has schema version %d, newer than this souk knows (%d) "
		        "(upgrade souk)",
		        path, version, CATALOG_SCHEMA_VERSION);
		sqlite3_close(d);
		return -1;
	}
	/* an older catalog reads as it is (readers take either form); only a
	 * writer brings it up to date */
	if (version < CATALOG_SCHEMA_VERSION && !(readonly && version > 0)) {
		if (readonly) {
			err_set(e, "%s is not a souk catalog (pass a catalog file built by souk)",
			        path);
			sqlite3_close(d);
			return -1;
		}
		if (catalog_migrate(d, path, version, e) < 0) {
			sqlite3_close(d);
			return -1;
		}
	}
	*db = d;
	return 0;
}

char *catalog_schema_suspend(sqlite3 *db, const char *name)
{
	sqlite3_stmt *st;
	char *sql = NULL, *drop = NULL;

	if (sqlite3_prepare_v2(db, "SELECT sql, type FROM sqlite_master WHERE name=?", -1, &st,
	                       NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0)) {
		sql = xstrdup((const char *)sqlite3_column_text(st, 0));
		drop = xasprintf("DROP %s %s", (const char *)sqlite3_column_text(st, 1), name);
	}
	sqlite3_finalize(st); /* the schema cannot change under a running statement */
	if (drop && sqlite3_exec(db, drop, NULL, NULL, NULL) != SQLITE_OK) {
		free(sql);
		sql = NULL;
	}
	free(drop);
	return sql;
}

void catalog_remove(const char *path)
{
	static const char *const suffix[] = {"", "-wal", "-shm", "-journal", ".idx", ".vocab"};

	for (size_t i = 0; i < sizeof suffix / sizeof *suffix; i++) {
		char *p = xasprintf("%s%s", path, suffix[i]);
		unlink(p);
		free(p);
	}
}

void catalog_close(sqlite3 *db)
{
	if (db != NULL)
		sqlite3_close(db);
}

static int count_rows(sqlite3 *db, const char *sql, long *n)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*n = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

int catalog_touch(sqlite3 *db, souk_err *e)
{
	if (sqlite3_exec(db,
	                 "INSERT INTO meta(key, value) VALUES ('generation', 1) "
	                 "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1",
	                 NULL, NULL, NULL) != SQLITE_OK) {
		err_set(e, "cannot record the catalog's change: %s", sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}

int catalog_counts(sqlite3 *db, long *suppliers, long *products, souk_err *e)
{
	long s = 0, p = 0;

	if (count_rows(db, "SELECT count(*) FROM suppliers", &s) < 0 ||
	    count_rows(db, "SELECT count(*) FROM products", &p) < 0) {
		err_set(e, "cannot count the catalog: %s", sqlite3_errmsg(db));
		return -1;
	}
	if (suppliers)
		*suppliers = s;
	if (products)
		*products = p;
	return 0;
}

int catalog_category_count(sqlite3 *db)
{
	long n = 0;

	if (count_rows(db, "SELECT count(*) FROM categories", &n) < 0)
		return -1;
	return (int)n;
}

int catalog_ensure_demo(const char *path, const char *assets, souk_err *e)
{
	struct stat st;

	if (stat(path, &st) == 0)
		return 0;
	return catalog_build_demo(path, assets, CATALOG_DEMO_PRODUCTS, 1, NULL, NULL, e);
}

int catalog_file_counts(const char *path, long *suppliers, long *products, souk_err *e)
{
	sqlite3 *db;
	int rc;

	if (catalog_open(path, 0, &db, e) < 0)
		return -1;
	rc = catalog_counts(db, suppliers, products, e);
	catalog_close(db);
	return rc;
}
