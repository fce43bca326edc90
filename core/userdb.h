/* userdb: the user's own database (shortlists, sessions): opening, schema and migrations. */
#ifndef SOUK_USERDB_H
#define SOUK_USERDB_H

#include "util.h"

/* The user DB as the rest of souk holds it: an SQLite connection that
 * only core/ (userdb, shortlist, session) runs SQL on. tui/ holds a
 * souk_userdb * and never sees SQLite. */
typedef struct sqlite3 souk_userdb;

#define USERDB_SCHEMA_VERSION 4

/* Opens (creating and migrating) the user DB at path; its directory must
 * exist. WAL with synchronous=NORMAL: a committed change survives kill -9
 * and costs no fsync per transaction. A DB made by a newer souk is an
 * error, never silently downgraded. */
int userdb_open(const char *path, souk_userdb **db, souk_err *e);
void userdb_close(souk_userdb *db);

/* Small key/value settings ("current_shortlist", "current_session"). */
char *userdb_get(souk_userdb *db, const char *key); /* NULL when unset */
int userdb_set(souk_userdb *db, const char *key, const char *value, souk_err *e);

/* A write transaction that nests: inside an outer one it does nothing and
 * *owned is 0, so commit and rollback leave the outer one to its owner. */
int userdb_begin(souk_userdb *db, int *owned, souk_err *e);
int userdb_commit(souk_userdb *db, int owned, souk_err *e);
void userdb_rollback(souk_userdb *db, int owned);

/* Seconds since the epoch, the unit of every time column. */
long long userdb_now(void);

#endif
