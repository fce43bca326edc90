/* catalog_info: what the dashboard shows of a catalog and an offer beyond a match row. */
#include "catalog_info.h"

#include <cJSON.h>
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

static double col_num(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? -1 : sqlite3_column_double(st, i);
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

/* The attributes column is a JSON object of strings; anything else in it
 * (a damaged import) is left out rather than shown half-parsed. */
static void parse_attrs(offer_detail *d, const char *json)
{
	cJSON *j = json ? cJSON_Parse(json) : NULL, *it;

	cJSON_ArrayForEach(it, j)
	{
		if (!cJSON_IsString(it) || it->string == NULL)
			continue;
		d->attrs = xrealloc(d->attrs, sizeof *d->attrs * (size_t)(d->nattrs + 1));
		d->attrs[d->nattrs].key = xstrdup(it->string);
		d->attrs[d->nattrs].value = xstrdup(it->valuestring);
		d->nattrs++;
	}
	cJSON_Delete(j);
}

static void read_offer(sqlite3_stmt *st, offer_detail *d)
{
	const unsigned char *cur = sqlite3_column_text(st, 9);

	d->description = col_text(st, 0);
	parse_attrs(d, (const char *)sqlite3_column_text(st, 1));
	d->incoterm = col_text(st, 2);
	d->port = col_text(st, 3);
	d->weight_kg = col_num(st, 4);
	d->volume_m3 = col_num(st, 5);
	d->samples = sqlite3_column_int(st, 6) != 0;
	d->sample_price = col_num(st, 7);
	d->customization = col_text(st, 8);
	snprintf(d->currency, sizeof d->currency, "%s", cur ? (const char *)cur : "");
	d->trade_assurance =
	        sqlite3_column_type(st, 10) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 10) != 0;
	d->response_rate = col_num(st, 11);
	d->response_hours = col_num(st, 12);
	d->on_time_rate = col_num(st, 13);
	d->reorder_rate = col_num(st, 14);
}

void offer_detail_init(offer_detail *d)
{
	memset(d, 0, sizeof *d);
	d->weight_kg = d->volume_m3 = d->sample_price = -1;
	d->trade_assurance = -1;
	d->response_rate = d->response_hours = d->on_time_rate = d->reorder_rate = -1;
}

int catalog_info_offer(match_ctx *m, int64_t product_id, offer_detail *out, souk_err *e)
{
	sqlite3 *db = match_db(m);
	sqlite3_stmt *st = NULL;
	int rc;

	offer_detail_init(out);
	if (sqlite3_prepare_v2(db,
	                       "SELECT p.description, p.attributes, p.incoterm, p.port, "
	                       "p.weight_kg, p.volume_m3, p.samples, p.sample_price, "
	                       "p.customization, p.currency, s.trade_assurance, s.response_rate, "
	                       "s.response_hours, s.on_time_rate, s.reorder_rate "
	                       "FROM products p JOIN suppliers s ON s.id = p.supplier_id "
	                       "WHERE p.id = ?",
	                       -1, &st, NULL) != SQLITE_OK) {
		err_set(e, "cannot read the offer: %s", sqlite3_errmsg(db));
		return -1;
	}
	sqlite3_bind_int64(st, 1, product_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		read_offer(st, out);
	else if (rc == SQLITE_DONE)
		err_set(e, "offer %lld is not in the catalog", (long long)product_id);
	else
		err_set(e, "cannot read the offer: %s", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

void offer_detail_free(offer_detail *d)
{
	int i;

	free(d->description);
	for (i = 0; i < d->nattrs; i++) {
		free(d->attrs[i].key);
		free(d->attrs[i].value);
	}
	free(d->attrs);
	free(d->incoterm);
	free(d->port);
	free(d->customization);
	offer_detail_init(d);
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
