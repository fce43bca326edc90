/* catalog_info: what the dashboard shows of a catalog and an offer beyond a match row. */
#include "catalog_info.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"

static char *col_text(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	return xstrdup(s ? (const char *)s : "");
}

static char *meta_name(sqlite3 *db)
{
	sqlite3_stmt *s;
	char *name = NULL;

	if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'name'", -1, &s, NULL) !=
	    SQLITE_OK)
		return xstrdup("catalog");
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0) &&
	    *sqlite3_column_text(s, 0))
		name = col_text(s, 0);
	sqlite3_finalize(s);
	return name ? name : xstrdup("catalog");
}

int catalog_info_meta(const char *path, catalog_meta *out, souk_err *e)
{
	sqlite3 *db = NULL;

	memset(out, 0, sizeof *out);
	if (catalog_open(path, 1, &db, e) < 0)
		return -1;
	if (catalog_counts(db, &out->suppliers, &out->products, e) < 0) {
		catalog_close(db);
		return -1;
	}
	out->name = meta_name(db);
	catalog_close(db);
	return 0;
}

void catalog_meta_free(catalog_meta *m)
{
	free(m->name);
	m->name = NULL;
}

int catalog_info_offer(match_ctx *m, int64_t product_id, offer_detail *d, souk_err *e)
{
	int rc = offer_detail_load(match_db(m), product_id, d, e);

	if (rc == 0)
		err_set(e, "offer %lld is not in the catalog", (long long)product_id);
	return rc == 1 ? 0 : -1;
}

int catalog_info_offers(match_ctx *m, const int64_t *ids, int n, offer_detail *d, souk_err *e)
{
	return offer_detail_load_many(match_db(m), ids, n, d, e);
}

char *catalog_info_category(match_ctx *m, const char *path)
{
	sqlite3 *db = match_db(m);
	sqlite3_stmt *st = NULL;
	char *out = NULL;

	if (path == NULL || *path == '\0')
		return NULL;
	if (sqlite3_prepare_v2(db, "SELECT name FROM categories WHERE path = ?", -1, &st, NULL) ==
	    SQLITE_OK) {
		sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) &&
		    *sqlite3_column_text(st, 0))
			out = xasprintf("%s (%s)", (const char *)sqlite3_column_text(st, 0), path);
	}
	sqlite3_finalize(st);
	return out ? out : xstrdup(path);
}

int catalog_info_values(match_ctx *m, enum catalog_values which, strlist *out, souk_err *e)
{
	static const char *const sql[] = {
	        [CATALOG_COUNTRIES] = "SELECT DISTINCT country FROM suppliers "
	                              "WHERE country <> '' ORDER BY country",
	        [CATALOG_CERTS] = "SELECT DISTINCT cert FROM product_certs ORDER BY cert",
	};
	sqlite3 *db = match_db(m);
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(db, sql[which], -1, &st, NULL) != SQLITE_OK) {
		err_set(e, "cannot read the catalog's values: %s", sqlite3_errmsg(db));
		return -1;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (sqlite3_column_text(st, 0))
			strlist_add(out, (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		err_set(e, "cannot read the catalog's values: %s", sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}

int catalog_info_compare(match_ctx *m, shortlist_item *items, int n, souk_err *e)
{
	return shortlist_compare(match_db(m), items, n, e);
}
