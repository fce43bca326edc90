/* shortlist: named shortlists in the user DB: lists, items, notes, statuses, what changed. */
#include "shortlist.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "catalog.h"
#include "money.h"
#include "text.h"
#include "userdb.h"

#define NAME_MAX_BYTES 80

static const char *const status_names[SL_STATUS_COUNT] = {
        [SL_SHORTLISTED] = "shortlisted",
        [SL_ASK_SUPPLIER] = "ask supplier",
        [SL_SAMPLE_ORDERED] = "sample ordered",
        [SL_REJECTED] = "rejected",
};

const char *shortlist_status_name(int status)
{
	if (status < 0 || status >= SL_STATUS_COUNT)
		return status_names[SL_SHORTLISTED];
	return status_names[status];
}

int shortlist_status_parse(const char *name)
{
	char buf[32];
	size_t i;
	int s;

	if (name == NULL || strlen(name) >= sizeof buf)
		return -1;
	for (i = 0; name[i]; i++)
		buf[i] = name[i] == '-' || name[i] == '_' ? ' '
		                                          : (char)tolower((unsigned char)name[i]);
	buf[i] = '\0';
	for (s = 0; s < SL_STATUS_COUNT; s++)
		if (strcmp(buf, status_names[s]) == 0)
			return s;
	return -1;
}

static int db_fail(sqlite3 *db, souk_err *e)
{
	err_set(e, "user database: %s", sqlite3_errmsg(db));
	return -1;
}

static sqlite3_stmt *prep(sqlite3 *db, const char *sql, souk_err *e)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		db_fail(db, e);
		return NULL;
	}
	return st;
}

/* Runs a statement that returns no rows; finalizes it. */
static int run(sqlite3 *db, sqlite3_stmt *st, souk_err *e)
{
	int rc = sqlite3_step(st);

	sqlite3_finalize(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return db_fail(db, e);
	return 0;
}

int shortlist_name_check(const char *name, souk_err *e)
{
	size_t len = name ? strlen(name) : 0;
	char *clean;
	int ok;

	if (len == 0 || len > NAME_MAX_BYTES) {
		err_set(e, "a shortlist name needs 1 to %d characters", NAME_MAX_BYTES);
		return -1;
	}
	clean = text_sanitize(name, 0);
	ok = strcmp(clean, name) == 0 && name[0] != ' ' && name[len - 1] != ' ';
	free(clean);
	if (!ok) {
		err_set(e, "a shortlist name must be printable text without leading or trailing "
		           "spaces");
		return -1;
	}
	return 0;
}

/* The list's id, 0 when there is none. */
static int64_t list_id(sqlite3 *db, const char *name)
{
	sqlite3_stmt *st = prep(db, "SELECT id FROM shortlists WHERE name = ?", NULL);
	int64_t id = 0;

	if (st == NULL)
		return 0;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return id;
}

static int64_t list_id_or_fail(sqlite3 *db, const char *name, souk_err *e)
{
	int64_t id = list_id(db, name);

	if (id == 0) {
		char *clean = text_sanitize(name ? name : "", 0);

		err_set(e, "no shortlist named '%s' (see souk shortlist list)", clean);
		free(clean);
	}
	return id;
}

static int touch(sqlite3 *db, int64_t id, souk_err *e)
{
	sqlite3_stmt *st = prep(db, "UPDATE shortlists SET updated = ? WHERE id = ?", e);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, userdb_now());
	sqlite3_bind_int64(st, 2, id);
	return run(db, st, e);
}

char *shortlist_name(sqlite3 *db, const char *name)
{
	sqlite3_stmt *st = prep(db, "SELECT name FROM shortlists WHERE name = ?", NULL);
	char *stored = NULL;

	if (st == NULL)
		return NULL;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		stored = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return stored;
}

int shortlist_exists(sqlite3 *db, const char *name)
{
	return list_id(db, name) != 0;
}

int shortlist_ensure(sqlite3 *db, const char *name, souk_err *e)
{
	sqlite3_stmt *st;
	long long now = userdb_now();

	if (shortlist_name_check(name, e) < 0)
		return -1;
	if (list_id(db, name) != 0)
		return 0;
	st = prep(db, "INSERT INTO shortlists(name, created, updated) VALUES (?, ?, ?)", e);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int64(st, 3, now);
	return run(db, st, e) < 0 ? -1 : 1;
}

char *shortlist_current(sqlite3 *db)
{
	char *v = userdb_get(db, "current_shortlist");

	return v ? v : xstrdup(SHORTLIST_DEFAULT);
}

int shortlist_switch(sqlite3 *db, const char *name, souk_err *e)
{
	int owned;

	if (shortlist_name_check(name, e) < 0 || userdb_begin(db, &owned, e) < 0)
		return -1;
	if (shortlist_ensure(db, name, e) < 0 || userdb_set(db, "current_shortlist", name, e) < 0) {
		userdb_rollback(db, owned);
		return -1;
	}
	return userdb_commit(db, owned, e);
}

int shortlist_rename(sqlite3 *db, const char *from, const char *to, souk_err *e)
{
	sqlite3_stmt *st;
	int64_t id, other;
	char *cur;
	int owned;

	if (shortlist_name_check(to, e) < 0)
		return -1;
	if ((id = list_id_or_fail(db, from, e)) == 0)
		return -1;
	other = list_id(db, to);
	if (other != 0 && other != id) {
		err_set(e, "a shortlist named '%s' already exists (pick another name)", to);
		return -1;
	}
	if (userdb_begin(db, &owned, e) < 0)
		return -1;
	st = prep(db, "UPDATE shortlists SET name = ?, updated = ? WHERE id = ?", e);
	if (st == NULL)
		goto fail;
	sqlite3_bind_text(st, 1, to, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, userdb_now());
	sqlite3_bind_int64(st, 3, id);
	if (run(db, st, e) < 0)
		goto fail;
	cur = shortlist_current(db);
	if (util_strieq(cur, from) && userdb_set(db, "current_shortlist", to, e) < 0) {
		free(cur);
		goto fail;
	}
	free(cur);
	return userdb_commit(db, owned, e);
fail:
	userdb_rollback(db, owned);
	return -1;
}

int shortlist_delete(sqlite3 *db, const char *name, souk_err *e)
{
	sqlite3_stmt *st;
	int64_t id = list_id_or_fail(db, name, e);
	char *cur = NULL, *next = NULL;
	int owned;

	if (id == 0)
		return -1;
	if (userdb_begin(db, &owned, e) < 0)
		return -1;
	st = prep(db, "DELETE FROM shortlists WHERE id = ?", e);
	if (st == NULL)
		goto fail;
	sqlite3_bind_int64(st, 1, id);
	if (run(db, st, e) < 0)
		goto fail;
	/* marks must not quietly recreate a list the buyer just deleted: the
	 * most recent remaining list becomes current, else the default */
	cur = shortlist_current(db);
	if (strcasecmp(cur, name) == 0) {
		if ((st = prep(db,
		               "SELECT name FROM shortlists ORDER BY updated DESC, id DESC LIMIT 1",
		               e)) == NULL)
			goto fail;
		next = xstrdup(sqlite3_step(st) == SQLITE_ROW
		                       ? (const char *)sqlite3_column_text(st, 0)
		                       : SHORTLIST_DEFAULT);
		sqlite3_finalize(st);
		if (userdb_set(db, "current_shortlist", next, e) < 0)
			goto fail;
	}
	free(cur);
	free(next);
	return userdb_commit(db, owned, e);
fail:
	free(cur);
	free(next);
	userdb_rollback(db, owned);
	return -1;
}

int shortlist_list(sqlite3 *db, shortlist_info **out, int *n, souk_err *e)
{
	sqlite3_stmt *st = prep(db,
	                        "SELECT name, created, updated, (SELECT count(*) FROM "
	                        "shortlist_items i WHERE i.shortlist_id = s.id) FROM shortlists s "
	                        "ORDER BY updated DESC, id DESC",
	                        e);
	int cap = 0, rc;

	*out = NULL;
	*n = 0;
	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		shortlist_info *s;

		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			*out = xrealloc(*out, (size_t)cap * sizeof **out);
		}
		s = &(*out)[(*n)++];
		s->name = xstrdup((const char *)sqlite3_column_text(st, 0));
		s->created = sqlite3_column_int64(st, 1);
		s->updated = sqlite3_column_int64(st, 2);
		s->nitems = sqlite3_column_int(st, 3);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		shortlist_infos_free(*out, *n);
		*out = NULL;
		*n = 0;
		return db_fail(db, e);
	}
	return 0;
}

void shortlist_infos_free(shortlist_info *v, int n)
{
	int i;

	for (i = 0; i < n; i++)
		free(v[i].name);
	free(v);
}

/* ---- items ---- */

int shortlist_load(sqlite3 *db, const char *name, shortlist_item **items, int *n, souk_err *e)
{
	sqlite3_stmt *st;
	int64_t id;
	int cap = 0, rc;

	*items = NULL;
	*n = 0;
	if ((id = list_id_or_fail(db, name, e)) == 0)
		return -1;
	st = prep(db,
	          "SELECT product_id, position, note, status, added, snapshot FROM shortlist_items "
	          "WHERE shortlist_id = ? ORDER BY position, id",
	          e);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		shortlist_item *it;
		souk_err ignore;

		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*items = xrealloc(*items, (size_t)cap * sizeof **items);
		}
		it = &(*items)[(*n)++];
		memset(it, 0, sizeof *it);
		it->product_id = sqlite3_column_int64(st, 0);
		it->position = *n - 1;
		it->note = xstrdup((const char *)sqlite3_column_text(st, 2));
		it->status = shortlist_status_parse((const char *)sqlite3_column_text(st, 3));
		if (it->status < 0)
			it->status = SL_SHORTLISTED;
		it->added = sqlite3_column_int64(st, 4);
		/* A damaged snapshot still leaves an item that can be seen and
		 * removed, rather than hiding the whole list. */
		if (shortlist_row_from_json((const char *)sqlite3_column_text(st, 5), &it->row,
		                            &it->quantity, it->currency, &ignore) < 0) {
			it->quantity = -1;
			strcpy(it->currency, "USD");
		}
		it->row.product_id = it->product_id;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		shortlist_items_free(*items, *n);
		*items = NULL;
		*n = 0;
		return db_fail(db, e);
	}
	return 0;
}

void shortlist_items_free(shortlist_item *v, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		free(v[i].note);
		free(v[i].changes);
		match_row_free(&v[i].row);
	}
	free(v);
}

int shortlist_add(sqlite3 *db, const char *name, const match_row *row, const souk_filter *f,
                  souk_err *e)
{
	sqlite3_stmt *st;
	char *snap;
	int64_t id;
	int owned, rc;

	if (userdb_begin(db, &owned, e) < 0)
		return -1;
	if (shortlist_ensure(db, name, e) < 0)
		goto fail;
	id = list_id(db, name);
	st = prep(
	        db,
	        "INSERT OR IGNORE INTO shortlist_items(shortlist_id, position, product_id, added, "
	        "snapshot) VALUES (?1, (SELECT coalesce(max(position) + 1, 0) FROM "
	        "shortlist_items WHERE shortlist_id = ?1), ?2, ?3, ?4)",
	        e);
	if (st == NULL)
		goto fail;
	snap = shortlist_row_to_json(row, f);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, row->product_id);
	sqlite3_bind_int64(st, 3, userdb_now());
	sqlite3_bind_text(st, 4, snap, -1, free);
	if (run(db, st, e) < 0)
		goto fail;
	rc = sqlite3_changes(db) > 0;
	if (rc && touch(db, id, e) < 0)
		goto fail;
	if (userdb_commit(db, owned, e) < 0)
		return -1;
	return rc;
fail:
	userdb_rollback(db, owned);
	return -1;
}

int shortlist_set_context(sqlite3 *db, const char *name, const souk_filter *f,
                          const char *transcript_json, souk_err *e)
{
	sqlite3_stmt *st = prep(db,
	                        "UPDATE shortlists SET filter = coalesce(?1, filter), "
	                        "transcript = coalesce(?2, transcript) WHERE name = ?3",
	                        e);

	if (st == NULL)
		return -1;
	if (f != NULL)
		sqlite3_bind_text(st, 1, filter_to_json(f), -1, free);
	if (transcript_json != NULL)
		sqlite3_bind_text(st, 2, transcript_json, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, name, -1, SQLITE_STATIC);
	return run(db, st, e);
}

/* Positions stay 0..n-1 in order after any change. Read first, then
 * write: an UPDATE whose subquery reads the rows it is changing would see
 * some of them already moved. */
static int renumber(sqlite3 *db, int64_t id, souk_err *e)
{
	sqlite3_stmt *sel = prep(db,
	                         "SELECT id FROM shortlist_items WHERE shortlist_id = ? ORDER BY "
	                         "position, id",
	                         e),
	             *upd;
	int64_t *ids = NULL;
	int n = 0, cap = 0, i, rc = 0;

	if (sel == NULL)
		return -1;
	sqlite3_bind_int64(sel, 1, id);
	while (sqlite3_step(sel) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			ids = xrealloc(ids, (size_t)cap * sizeof *ids);
		}
		ids[n++] = sqlite3_column_int64(sel, 0);
	}
	sqlite3_finalize(sel);
	upd = prep(db,
	           "UPDATE shortlist_items SET position = ? WHERE id = ? AND position IS NOT ?1",
	           e);
	for (i = 0; upd && i < n && rc == 0; i++) {
		sqlite3_reset(upd);
		sqlite3_bind_int(upd, 1, i);
		sqlite3_bind_int64(upd, 2, ids[i]);
		if (sqlite3_step(upd) != SQLITE_DONE)
			rc = db_fail(db, e);
	}
	sqlite3_finalize(upd);
	free(ids);
	return upd ? rc : -1;
}

/* Runs sql (binding ?1 list id, ?2 product id, ?3 the value) and touches
 * the list, renumbering when the change reorders, in one transaction.
 * 1 when the item was there, 0 when not. */
static int item_update(sqlite3 *db, const char *name, int64_t product_id, const char *sql,
                       const char *text, double num, int reorders, souk_err *e)
{
	sqlite3_stmt *st;
	int64_t id;
	int owned, changed;

	if ((id = list_id_or_fail(db, name, e)) == 0 || userdb_begin(db, &owned, e) < 0)
		return -1;
	st = prep(db, sql, e);
	if (st == NULL)
		goto fail;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, product_id);
	if (text)
		sqlite3_bind_text(st, 3, text, -1, SQLITE_STATIC);
	else
		sqlite3_bind_double(st, 3, num);
	if (run(db, st, e) < 0)
		goto fail;
	changed = sqlite3_changes(db) > 0;
	if (changed && ((reorders && renumber(db, id, e) < 0) || touch(db, id, e) < 0))
		goto fail;
	if (userdb_commit(db, owned, e) < 0)
		return -1;
	return changed;
fail:
	userdb_rollback(db, owned);
	return -1;
}

int shortlist_remove(sqlite3 *db, const char *name, int64_t product_id, souk_err *e)
{
	return item_update(
	        db, name, product_id,
	        "DELETE FROM shortlist_items WHERE shortlist_id = ?1 AND product_id = ?2 "
	        "AND ?3 IS NOT NULL",
	        NULL, 0, 1, e);
}

int shortlist_remove_untouched(sqlite3 *db, const char *name, int64_t product_id, souk_err *e)
{
	return item_update(
	        db, name, product_id,
	        "DELETE FROM shortlist_items WHERE shortlist_id = ?1 AND product_id = ?2 "
	        "AND note = '' AND status = ?3",
	        status_names[SL_SHORTLISTED], 0, 1, e);
}

static int must_exist(int rc, int64_t product_id, souk_err *e)
{
	if (rc == 0) {
		err_set(e, "offer %lld is not on that shortlist", (long long)product_id);
		return -1;
	}
	return rc < 0 ? -1 : 0;
}

int shortlist_move(sqlite3 *db, const char *name, int64_t product_id, int to, souk_err *e)
{
	/* Half positions slot the item between its new neighbours; renumber
	 * then makes them whole again. */
	double pos = to <= 0 ? -0.5 : to + 0.5;
	int rc, from = -1;
	sqlite3_stmt *st;
	int64_t id = list_id(db, name);

	st = prep(db,
	          "SELECT position FROM shortlist_items WHERE shortlist_id = ? AND product_id = ?",
	          e);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, product_id);
	if (sqlite3_step(st) == SQLITE_ROW)
		from = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (from >= 0 && to < from && to > 0)
		pos = to - 0.5;
	rc = item_update(db, name, product_id,
	                 "UPDATE shortlist_items SET position = ?3 WHERE shortlist_id = ?1 AND "
	                 "product_id = ?2",
	                 NULL, pos, 1, e);
	return must_exist(rc, product_id, e);
}

int shortlist_annotate(sqlite3 *db, const char *name, int64_t product_id, const char *note,
                       souk_err *e)
{
	int rc = item_update(db, name, product_id,
	                     "UPDATE shortlist_items SET note = ?3 WHERE shortlist_id = ?1 AND "
	                     "product_id = ?2",
	                     note ? note : "", 0, 0, e);

	return must_exist(rc, product_id, e);
}

int shortlist_set_status(sqlite3 *db, const char *name, int64_t product_id, int status, souk_err *e)
{
	int rc;

	if (status < 0 || status >= SL_STATUS_COUNT) {
		err_set(e, "unknown status (use shortlisted, ask supplier, sample ordered or "
		           "rejected)");
		return -1;
	}
	rc = item_update(db, name, product_id,
	                 "UPDATE shortlist_items SET status = ?3 WHERE shortlist_id = ?1 AND "
	                 "product_id = ?2",
	                 status_names[status], 0, 0, e);
	return must_exist(rc, product_id, e);
}

/* ---- what changed ---- */

static void money(char *buf, size_t len, double v)
{
	snprintf(buf, len, v < 1 ? "%.4g" : "%.2f", v);
}

/* The tier price at the snapshot's quantity, in the offer's currency:
 * the catalog's tiers, chosen by money_tier_at as every price in souk is. */
static int current_price(sqlite3 *cat, int64_t pid, double qty, double *price)
{
	sqlite3_stmt *st = NULL;
	money_tier *tiers = NULL;
	int n = 0, cap = 0, k;

	if (sqlite3_prepare_v2(cat, "SELECT min_qty, price FROM price_tiers WHERE product_id = ?1",
	                       -1, &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_int64(st, 1, pid);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			tiers = xrealloc(tiers, (size_t)cap * sizeof *tiers);
		}
		tiers[n].min_qty = (long)sqlite3_column_int64(st, 0);
		tiers[n++].price = sqlite3_column_double(st, 1);
	}
	sqlite3_finalize(st);
	money_tiers_sort(tiers, n);
	k = money_tier_at(tiers, n, qty);
	if (k >= 0)
		*price = tiers[k].price;
	free(tiers);
	return k >= 0;
}

static void compare_one(sqlite3 *cat, sqlite3_stmt *st, shortlist_item *it)
{
	const match_row *r = &it->row;
	const char *sup, *cur;
	double price, qty;
	long moq;
	strbuf b;
	char a1[32], a2[32];

	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, it->product_id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		it->gone = 1;
		it->changes = xstrdup("no longer in the catalog");
		return;
	}
	sup = (const char *)sqlite3_column_text(st, 0);
	/* Another catalog may reuse the id for a different offer. */
	if (r->supplier && sup && strcmp(sup, r->supplier) != 0) {
		it->gone = 1;
		it->changes = xstrdup("no longer in the catalog (the id now names another offer)");
		return;
	}
	sb_init(&b);
	moq = (long)sqlite3_column_int64(st, 1);
	if (r->moq >= 0 && moq != r->moq)
		sb_printf(&b, "%sMOQ %ld \xe2\x86\x92 %ld", b.len ? "; " : "", r->moq, moq);
	if (sqlite3_column_type(st, 2) != SQLITE_NULL && r->lead_days >= 0 &&
	    sqlite3_column_int(st, 2) != r->lead_days)
		sb_printf(&b, "%slead time %d \xe2\x86\x92 %d day%s", b.len ? "; " : "",
		          r->lead_days, sqlite3_column_int(st, 2),
		          sqlite3_column_int(st, 2) == 1 ? "" : "s");
	cur = (const char *)sqlite3_column_text(st, 3);
	qty = it->quantity > 0 ? it->quantity : (double)(moq > 0 ? moq : 1);
	if (r->price_orig > 0 && cur && strcmp(cur, r->currency_orig) == 0 &&
	    current_price(cat, it->product_id, qty, &price) &&
	    fabs(price - r->price_orig) > 0.005 * r->price_orig) {
		money(a1, sizeof a1, r->price_orig);
		money(a2, sizeof a2, price);
		sb_printf(&b, "%sprice %s \xe2\x86\x92 %s %s", b.len ? "; " : "", a1, a2, cur);
	}
	it->changes = b.len ? sb_steal(&b) : NULL;
	sb_free(&b);
}

int shortlist_compare(sqlite3 *catalog, shortlist_item *items, int n, souk_err *e)
{
	sqlite3_stmt *st = NULL;
	int i;

	if (sqlite3_prepare_v2(catalog,
	                       "SELECT s.name, p.moq, p.lead_time_days, p.currency FROM products p "
	                       "JOIN suppliers s ON s.id = p.supplier_id WHERE p.id = ?",
	                       -1, &st, NULL) != SQLITE_OK) {
		err_set(e, "cannot compare with the catalog: %s", sqlite3_errmsg(catalog));
		return -1;
	}
	for (i = 0; i < n; i++) {
		free(items[i].changes);
		items[i].changes = NULL;
		items[i].gone = 0;
		compare_one(catalog, st, &items[i]);
	}
	sqlite3_finalize(st);
	return 0;
}

int shortlist_compare_path(const char *path, shortlist_item *items, int n, souk_err *e)
{
	sqlite3 *cat;
	int rc;

	if (path == NULL || catalog_open(path, 1, &cat, e) < 0)
		return -1;
	rc = shortlist_compare(cat, items, n, e);
	catalog_close(cat);
	return rc;
}
