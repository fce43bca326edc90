/* session: the dashboard's conversation, filters, marks and sort, saved continuously in the user
 * DB. */
#include "build-config.h"

#include "session.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shortlist.h"
#include "text.h"
#include "userdb.h"

#define TITLE_MAX 120

void session_state_init(session_state *s)
{
	memset(s, 0, sizeof *s);
}

void session_state_free(session_state *s)
{
	free(s->title);
	free(s->transcript_json);
	free(s->filter_json);
	free(s->marks_json);
	free(s->sort_column);
	free(s->similar_json);
	free(s->catalog);
	session_state_init(s);
}

/* The first line the buyer typed, cut to a title. */
static char *title_of(const char *transcript)
{
	cJSON *arr = transcript ? cJSON_Parse(transcript) : NULL, *it;
	char *title = NULL;

	cJSON_ArrayForEach(it, arr)
	{
		const cJSON *role = cJSON_GetObjectItemCaseSensitive(it, "role");
		const cJSON *text = cJSON_GetObjectItemCaseSensitive(it, "text");

		if (cJSON_IsString(role) && strcmp(role->valuestring, "user") == 0 &&
		    cJSON_IsString(text) && text->valuestring[0] != '/') {
			char *clean = text_sanitize(text->valuestring, 0);

			title = text_truncate(clean, TITLE_MAX);
			free(clean);
			break;
		}
	}
	cJSON_Delete(arr);
	return title ? title : xstrdup("");
}

static int db_fail(sqlite3 *db, souk_err *e)
{
	err_set(e, "user database: %s", sqlite3_errmsg(db));
	return -1;
}

int session_set_current(sqlite3 *db, int64_t id, souk_err *e)
{
	char buf[32];

	snprintf(buf, sizeof buf, "%lld", (long long)id);
	return userdb_set(db, "current_session", buf, e);
}

int session_save(sqlite3 *db, session_state *s, souk_err *e)
{
	static const char insert[] =
	        "INSERT INTO sessions(title, transcript, filter, marks, sort, descending, created, "
	        "updated, sort_column, similar, catalog) "
	        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?9, ?10, ?11)";
	/* an unknown catalog ("") never overwrites a known one */
	static const char update[] =
	        "UPDATE sessions SET title = ?1, transcript = ?2, filter = "
	        "?3, marks = ?4, sort = ?5, "
	        "descending = ?6, updated = ?7, sort_column = ?9, similar = ?10, "
	        "catalog = coalesce(nullif(?11, ''), catalog) WHERE id = ?8";
	sqlite3_stmt *st = NULL;
	char *title = title_of(s->transcript_json);
	long long now = userdb_now();
	int owned, rc;

	if (userdb_begin(db, &owned, e) < 0) {
		free(title);
		return -1;
	}
	if (sqlite3_prepare_v2(db, s->id ? update : insert, -1, &st, NULL) != SQLITE_OK)
		goto fail;
	sqlite3_bind_text(st, 1, title, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, s->transcript_json ? s->transcript_json : "[]", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, s->filter_json ? s->filter_json : "{}", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, s->marks_json ? s->marks_json : "[]", -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 5, s->sort);
	sqlite3_bind_int(st, 6, s->descending);
	sqlite3_bind_int64(st, 7, now);
	if (s->id)
		sqlite3_bind_int64(st, 8, s->id);
	sqlite3_bind_text(st, 9, s->sort_column ? s->sort_column : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 10, s->similar_json ? s->similar_json : "[]", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 11, s->catalog ? s->catalog : "", -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		goto fail;
	/* A session deleted meanwhile (another souk) is saved afresh. */
	if (s->id && sqlite3_changes(db) == 0) {
		s->id = 0;
		userdb_rollback(db, owned);
		free(title);
		return owned ? session_save(db, s, e) : -1;
	}
	if (s->id == 0) {
		s->id = sqlite3_last_insert_rowid(db);
		s->created = now;
	}
	s->updated = now;
	if (session_set_current(db, s->id, e) < 0) {
		userdb_rollback(db, owned);
		free(title);
		return -1;
	}
	free(s->title);
	s->title = title;
	return userdb_commit(db, owned, e);
fail:
	db_fail(db, e);
	userdb_rollback(db, owned);
	free(title);
	return -1;
}

static char *col_dup(sqlite3_stmt *st, int i)
{
	const char *v = (const char *)sqlite3_column_text(st, i);

	return xstrdup(v ? v : "");
}

static void fill(sqlite3_stmt *st, session_state *s, int full)
{
	s->id = sqlite3_column_int64(st, 0);
	s->title = col_dup(st, 1);
	s->created = sqlite3_column_int64(st, 2);
	s->updated = sqlite3_column_int64(st, 3);
	s->catalog = col_dup(st, 10);
	if (!full)
		return;
	s->transcript_json = col_dup(st, 4);
	s->filter_json = col_dup(st, 5);
	s->marks_json = col_dup(st, 6);
	s->sort = sqlite3_column_int(st, 7);
	s->descending = sqlite3_column_int(st, 8);
	s->sort_column = col_dup(st, 9);
	s->similar_json = col_dup(st, 11);
}

#define SESSION_COLS                                                                               \
	"SELECT id, title, created, updated, transcript, filter, marks, sort, descending, "        \
	"sort_column, catalog, similar FROM sessions "

int session_load(sqlite3 *db, int64_t id, session_state *out, souk_err *e)
{
	sqlite3_stmt *st;
	int rc;

	session_state_init(out);
	if (sqlite3_prepare_v2(db, SESSION_COLS "WHERE id = ?", -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, e);
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		fill(st, out, 1);
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc == SQLITE_DONE)
		err_set(e, "no session %lld (see /sessions)", (long long)id);
	else
		db_fail(db, e);
	return -1;
}

/* The current session when it belongs to catalog (NULL: any), else the
 * last updated one that does. */
static int load_last_of(sqlite3 *db, const char *catalog, session_state *out, souk_err *e)
{
	char *cur = userdb_get(db, "current_session");
	sqlite3_stmt *st;
	int rc;

	session_state_init(out);
	if (cur) {
		long long id = strtoll(cur, NULL, 10);

		free(cur);
		if (id > 0 && session_load(db, id, out, e) == 0) {
			if (catalog == NULL || strcmp(out->catalog, catalog) == 0)
				return 1;
			session_state_free(out);
		}
	}
	if (sqlite3_prepare_v2(db,
	                       SESSION_COLS "WHERE ?1 IS NULL OR catalog = ?1 "
	                                    "ORDER BY updated DESC, id DESC LIMIT 1",
	                       -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, e);
	if (catalog)
		sqlite3_bind_text(st, 1, catalog, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		fill(st, out, 1);
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return db_fail(db, e);
}

int session_load_last(sqlite3 *db, session_state *out, souk_err *e)
{
	return load_last_of(db, NULL, out, e);
}

/* The catalog's build stamp from its meta table, NULL when it has none
 * or cannot be read. */
static char *catalog_stamp(const char *path)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	char *stamp = NULL;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'built_at'", -1, &st,
	                       NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		stamp = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return stamp;
}

char *session_catalog_id(const char *catalog_path)
{
	char *abs = realpath(catalog_path, NULL), *stamp, *id;

	if (abs == NULL)
		abs = xstrdup(catalog_path);
	stamp = catalog_stamp(abs);
	id = stamp && stamp[0] ? xasprintf("%s@%s", abs, stamp) : xstrdup(abs);
	free(stamp);
	free(abs);
	return id;
}

int session_list(sqlite3 *db, session_state **out, int *n, souk_err *e)
{
	sqlite3_stmt *st;
	int cap = 0, rc;

	*out = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(db, SESSION_COLS "ORDER BY updated DESC, id DESC", -1, &st, NULL) !=
	    SQLITE_OK)
		return db_fail(db, e);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*out = xrealloc(*out, (size_t)cap * sizeof **out);
		}
		session_state_init(&(*out)[*n]);
		fill(st, &(*out)[(*n)++], 0);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		session_list_free(*out, *n);
		*out = NULL;
		*n = 0;
		return db_fail(db, e);
	}
	return 0;
}

void session_list_free(session_state *v, int n)
{
	int i;

	for (i = 0; i < n; i++)
		session_state_free(&v[i]);
	free(v);
}

int session_delete(sqlite3 *db, int64_t id, souk_err *e)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, "DELETE FROM sessions WHERE id = ?", -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, e);
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_fail(db, e);
}

char *session_marks_to_json(const match_row *rows, int n, const souk_filter *f)
{
	strbuf b;
	int i;

	sb_init(&b);
	sb_addc(&b, '[');
	for (i = 0; i < n; i++) {
		char *s = shortlist_row_to_json(&rows[i], f);

		if (i)
			sb_addc(&b, ',');
		sb_add(&b, s);
		free(s);
	}
	sb_addc(&b, ']');
	return sb_steal(&b);
}

int session_marks_from_json(const char *json, match_row **rows, int *n, souk_err *e)
{
	cJSON *arr = cJSON_Parse(json ? json : "[]"), *it;
	int k = 0;

	*rows = NULL;
	*n = 0;
	if (!cJSON_IsArray(arr)) {
		cJSON_Delete(arr);
		err_set(e,
		        "the saved marks are not a JSON array (the user database may be damaged)");
		return -1;
	}
	*rows = xcalloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof **rows);
	cJSON_ArrayForEach(it, arr)
	{
		char *s = cJSON_PrintUnformatted(it);

		if (s && shortlist_row_from_json(s, &(*rows)[k], NULL, NULL, e) == 0 &&
		    (*rows)[k].product_id > 0)
			k++;
		else if (s)
			match_row_free(&(*rows)[k]);
		cJSON_free(s);
	}
	cJSON_Delete(arr);
	*n = k;
	return 0;
}

int session_begin_for(sqlite3 *db, const char *catalog_path, int fresh, session_state *out,
                      souk_err *e)
{
	char *catalog;
	int rc;

	session_state_init(out);
	if (fresh)
		return userdb_set(db, "current_session", "0", e) < 0 ? -1 : 0;
	catalog = catalog_path ? session_catalog_id(catalog_path) : NULL;
	rc = load_last_of(db, catalog, out, e);
	free(catalog);
	if (rc == 1)
		return session_set_current(db, out->id, e) < 0 ? -1 : 1;
	/* another catalog's session must not take this one's turns */
	if (rc == 0 && userdb_set(db, "current_session", "0", e) < 0)
		return -1;
	return rc;
}

int session_begin(sqlite3 *db, int fresh, session_state *out, souk_err *e)
{
	return session_begin_for(db, NULL, fresh, out, e);
}

static int64_t current_id(sqlite3 *db)
{
	char *v = userdb_get(db, "current_session");
	long long id = v ? strtoll(v, NULL, 10) : 0;

	free(v);
	return id > 0 ? id : 0;
}

static int has_id(const match_row *rows, int n, int64_t id)
{
	int i;

	for (i = 0; i < n; i++)
		if (rows[i].product_id == id)
			return 1;
	return 0;
}

/* The product ids of a saved marks array: all the comparison needs, and
 * much cheaper than rebuilding every row on each save. */
static int64_t *mark_ids(const char *marks_json, int *n)
{
	cJSON *arr = cJSON_Parse(marks_json ? marks_json : "[]"), *it;
	int64_t *ids = xcalloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof *ids);

	*n = 0;
	cJSON_ArrayForEach(it, arr)
	{
		const cJSON *id = cJSON_GetObjectItemCaseSensitive(it, "product_id");

		if (cJSON_IsNumber(id) && id->valuedouble > 0)
			ids[(*n)++] = (int64_t)id->valuedouble;
	}
	cJSON_Delete(arr);
	return ids;
}

/* Adds what was marked since prev and removes what was unmarked, unless
 * the buyer annotated it or decided on it in the meantime. */
static int sync_marks(sqlite3 *db, const int64_t *prev, int nprev, const session_input *in,
                      souk_err *e)
{
	char *list = shortlist_current(db);
	int i, k, rc = 0, found, added = 0;

	for (i = 0; i < in->nmarks && rc == 0; i++) {
		for (found = 0, k = 0; k < nprev && !found; k++)
			found = prev[k] == in->marks[i].product_id;
		if (!found && shortlist_add(db, list, &in->marks[i], in->filter, e) < 0)
			rc = -1;
		added += !found;
	}
	/* the list remembers the search its newest items came from */
	if (rc == 0 && added &&
	    shortlist_set_context(db, list, in->filter, in->transcript_json, e) < 0)
		rc = -1;
	for (i = 0; i < nprev && rc == 0; i++)
		if (!has_id(in->marks, in->nmarks, prev[i]) && shortlist_exists(db, list) &&
		    shortlist_remove_untouched(db, list, prev[i], e) < 0)
			rc = -1;
	free(list);
	return rc;
}

int session_record(sqlite3 *db, const session_input *in, souk_err *e)
{
	session_state s;
	int64_t id, *prev;
	int nprev = 0, owned, rc = -1;

	if (userdb_begin(db, &owned, e) < 0)
		return -1;
	id = current_id(db);
	session_state_init(&s);
	if (id == 0 || session_load(db, id, &s, e) < 0)
		session_state_free(&s); /* gone meanwhile: start afresh */
	prev = mark_ids(s.marks_json, &nprev);
	if (sync_marks(db, prev, nprev, in, e) < 0)
		goto out;
	free(s.transcript_json);
	free(s.filter_json);
	free(s.marks_json);
	s.transcript_json = xstrdup(in->transcript_json ? in->transcript_json : "[]");
	s.filter_json = in->filter ? filter_to_json(in->filter) : xstrdup("{}");
	s.marks_json = session_marks_to_json(in->marks, in->nmarks, in->filter);
	s.sort = in->sort;
	s.descending = in->descending;
	free(s.sort_column);
	s.sort_column = xstrdup(in->sort_column ? in->sort_column : "");
	free(s.similar_json);
	s.similar_json = session_marks_to_json(in->similar, in->nsimilar, in->filter);
	free(s.catalog);
	s.catalog = in->catalog ? session_catalog_id(in->catalog) : NULL;
	if (session_save(db, &s, e) < 0)
		goto out;
	rc = userdb_commit(db, owned, e);
out:
	if (rc < 0)
		userdb_rollback(db, owned);
	free(prev);
	session_state_free(&s);
	return rc;
}
