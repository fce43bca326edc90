/* userdb: the user's own database (shortlists, sessions): opening, schema and migrations. */
#include "userdb.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Migration N takes the schema from version N to N+1 (PRAGMA user_version).
 * Append, never edit: users' databases have run the old steps. */
static const char *const migrations[USERDB_SCHEMA_VERSION] = {
        "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;"
        "CREATE TABLE shortlists("
        "  id INTEGER PRIMARY KEY,"
        "  name TEXT NOT NULL UNIQUE COLLATE NOCASE,"
        "  created INTEGER NOT NULL,"
        "  updated INTEGER NOT NULL);"
        "CREATE TABLE shortlist_items("
        "  id INTEGER PRIMARY KEY,"
        "  shortlist_id INTEGER NOT NULL REFERENCES shortlists(id) ON DELETE CASCADE,"
        "  position INTEGER NOT NULL,"
        "  product_id INTEGER NOT NULL,"
        "  note TEXT NOT NULL DEFAULT '',"
        "  status TEXT NOT NULL DEFAULT 'shortlisted' CHECK(status IN"
        "    ('shortlisted', 'ask supplier', 'sample ordered', 'rejected')),"
        "  added INTEGER NOT NULL,"
        "  snapshot TEXT NOT NULL," /* JSON of the match_row as it was */
        "  UNIQUE(shortlist_id, product_id));"
        "CREATE INDEX shortlist_items_order ON shortlist_items(shortlist_id, position);"
        "CREATE TABLE sessions("
        "  id INTEGER PRIMARY KEY,"
        "  title TEXT NOT NULL DEFAULT '',"
        "  created INTEGER NOT NULL,"
        "  updated INTEGER NOT NULL,"
        "  transcript TEXT NOT NULL DEFAULT '[]',"
        "  filter TEXT NOT NULL DEFAULT '{}',"
        "  marks TEXT NOT NULL DEFAULT '[]',"
        "  sort INTEGER NOT NULL DEFAULT 0,"
        "  descending INTEGER NOT NULL DEFAULT 0);"
        "CREATE INDEX sessions_updated ON sessions(updated);",
        /* 2: the search a list was built from, so its exports carry the
         * query and the conversation even when the session is gone */
        "ALTER TABLE shortlists ADD COLUMN filter TEXT NOT NULL DEFAULT '{}';"
        "ALTER TABLE shortlists ADD COLUMN transcript TEXT NOT NULL DEFAULT '[]';",
        /* 3: the grid column a session is sorted by, for columns the catalog
         * cannot order by (supplier, country, product...) */
        "ALTER TABLE sessions ADD COLUMN sort_column TEXT NOT NULL DEFAULT '';",
        /* 4: the catalog a session was made on (its path and build stamp,
         * session_catalog_id), so another catalog never resumes it; and the
         * rows "similar" added, so a resumed grid shows what it showed */
        "ALTER TABLE sessions ADD COLUMN catalog TEXT NOT NULL DEFAULT '';"
        "ALTER TABLE sessions ADD COLUMN similar TEXT NOT NULL DEFAULT '[]';"
        "CREATE INDEX sessions_catalog ON sessions(catalog, updated);",
};

static int exec(sqlite3 *db, const char *sql, souk_err *e)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		err_set(e, "user database: %s", msg ? msg : sqlite3_errmsg(db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static int schema_version(sqlite3 *db, int *v, souk_err *e)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW) {
		err_set(e, "user database: %s", sqlite3_errmsg(db));
		sqlite3_finalize(st);
		return -1;
	}
	*v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return 0;
}

/* Each step and its version bump commit together, so a crash mid-way
 * leaves a database the next start migrates again from a known version. */
static int migrate(sqlite3 *db, const char *path, souk_err *e)
{
	int v;

	if (schema_version(db, &v, e) < 0)
		return -1;
	if (v > USERDB_SCHEMA_VERSION) {
		err_set(e,
		        "%s was made by a newer souk (schema %d, this souk knows %d): upgrade "
		        "souk",
		        path, v, USERDB_SCHEMA_VERSION);
		return -1;
	}
	for (; v < USERDB_SCHEMA_VERSION; v++) {
		char bump[64];

		snprintf(bump, sizeof bump, "PRAGMA user_version = %d", v + 1);
		if (exec(db, "BEGIN IMMEDIATE", e) < 0)
			return -1;
		if (exec(db, migrations[v], e) < 0 || exec(db, bump, e) < 0) {
			exec(db, "ROLLBACK", NULL);
			return -1;
		}
		if (exec(db, "COMMIT", e) < 0)
			return -1;
	}
	return 0;
}

int userdb_open(const char *path, sqlite3 **db, souk_err *e)
{
	int rc;

	*db = NULL;
	rc = sqlite3_open_v2(path, db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK) {
		err_set(e, "cannot open the user database %s: %s", path,
		        *db ? sqlite3_errmsg(*db) : sqlite3_errstr(rc));
		sqlite3_close(*db);
		*db = NULL;
		return -1;
	}
	sqlite3_busy_timeout(*db, 3000);
	if (exec(*db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON",
	         e) < 0 ||
	    migrate(*db, path, e) < 0) {
		if (e && strstr(e->msg, "not a database"))
			err_set(e,
			        "%s is not a souk user database (move it away; souk makes a new "
			        "one)",
			        path);
		sqlite3_close(*db);
		*db = NULL;
		return -1;
	}
	return 0;
}

void userdb_close(sqlite3 *db)
{
	sqlite3_close(db);
}

char *userdb_get(sqlite3 *db, const char *key)
{
	sqlite3_stmt *st;
	char *v = NULL;

	if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = ?", -1, &st, NULL) !=
	    SQLITE_OK)
		return NULL;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		v = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return v;
}

int userdb_set(sqlite3 *db, const char *key, const char *value, souk_err *e)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", -1, &st,
	                       NULL) != SQLITE_OK) {
		err_set(e, "user database: %s", sqlite3_errmsg(db));
		return -1;
	}
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		err_set(e, "user database: %s", sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}

int userdb_begin(sqlite3 *db, int *owned, souk_err *e)
{
	*owned = sqlite3_get_autocommit(db) != 0;
	return *owned ? exec(db, "BEGIN IMMEDIATE", e) : 0;
}

int userdb_commit(sqlite3 *db, int owned, souk_err *e)
{
	if (!owned || sqlite3_get_autocommit(db))
		return 0;
	if (exec(db, "COMMIT", e) < 0) {
		exec(db, "ROLLBACK", NULL);
		return -1;
	}
	return 0;
}

void userdb_rollback(sqlite3 *db, int owned)
{
	if (owned && !sqlite3_get_autocommit(db))
		exec(db, "ROLLBACK", NULL);
}

long long userdb_now(void)
{
	return (long long)time(NULL);
}
