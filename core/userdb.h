/* userdb: the user's own database (shortlists, sessions): opening, schema and migrations. */
#ifndef SOUK_USERDB_H
#define SOUK_USERDB_H

#include <sqlite3.h>

#include "util.h"

#define USERDB_SCHEMA_VERSION 4

/* Opens (creating and migrating) the user DB at path; its directory must
 * exist. WAL with synchronous=NORMAL: a committed change survives kill -9
 * and costs no fsync per transaction. A DB made by a newer souk is an
 * error, never silently downgraded. */
int userdb_open(const char *path, sqlite3 **db, souk_err *e);
void userdb_close(sqlite3 *db);

/* Small key/value settings ("current_shortlist", "current_session"). */
char *userdb_get(sqlite3 *db, const char *key); /* NULL when unset */
int userdb_set(sqlite3 *db, const char *key, const char *value, souk_err *e);

/* A write transaction that nests: inside an outer one it does nothing and
 * *owned is 0, so commit and rollback leave the outer one to its owner. */
int userdb_begin(sqlite3 *db, int *owned, souk_err *e);
int userdb_commit(sqlite3 *db, int owned, souk_err *e);
void userdb_rollback(sqlite3 *db, int owned);

/* Seconds since the epoch, the unit of every time column. */
long long userdb_now(void);

#endif
