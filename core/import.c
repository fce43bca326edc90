/* import: CSV and JSON offers into the catalog, from a file, all or nothing: the transaction. */
#include "import_int.h"
#include "match.h"

#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- driving an import ---- */

static const char sql_sup[] =
        "INSERT INTO suppliers(name, country, city, business_type, verified, trade_assurance, "
        "year_established, rating, review_count, response_rate, response_hours, on_time_rate, "
        "reorder_rate, staff, export_markets, certifications) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
        "?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)";
static const char sql_prod[] =
        "INSERT INTO products(supplier_id, title, description, category, attributes, moq, "
        "moq_unit, lead_time_days, samples, sample_price, customization, incoterm, port, currency, "
        "weight_kg, volume_m3, price_lo, price_hi, certs) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
        "?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)";

int import_cancelled(const importer *im)
{
	return im->o->cancel && *im->o->cancel;
}

/* The catalog refused a write while row n was written: the import stops.
 * A refused tier or certification written later names its own row. */
void import_write_failed(importer *im, long n, souk_err *e)
{
	if (im->fail_line)
		n = im->fail_line;
	err_set(e, im->json ? "%s: offer %ld: %s" : "%s:%ld: %s", im->o->name, n, im->why);
}

/* Handles the outcome of row n (a CSV line or a JSON offer): report it,
 * or (strict, or a catalog failure) stop the import. Returns -1 to stop.
 * Where the row is gets written only for a failed one. */
int import_row_done(importer *im, int rc, long n, souk_err *e)
{
	char where[512];

	if (rc == 0) {
		im->st->imported++;
		if (im->dry) {
			im->quiet_rows = im->st->rows;
			return -1; /* the probe has seen enough */
		}
		return 0;
	}
	if (rc == DB_FAILED) {
		import_write_failed(im, n, e);
		return -1;
	}
	snprintf(where, sizeof where, im->json ? "%s: offer %ld" : "%s:%ld", im->o->name, n);
	im->st->rejected++;
	if (im->o->strict) {
		err_set(e, "%s: %s; --strict rejects the whole file on a bad row", where, im->why);
		return -1;
	}
	if (im->o->row_error && im->st->rows >= im->quiet_rows)
		im->o->row_error(where, im->why, im->o->arg);
	return 0;
}

/* ---- the transaction around it all ---- */

static int exec_sql(sqlite3 *db, const char *sql, souk_err *e)
{
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK)
		return 0;
	err_set(e, "the catalog refused the import: %s", sqlite3_errmsg(db));
	return -1;
}

static long max_rowid(sqlite3 *db, const char *table)
{
	sqlite3_stmt *st;
	char *sql = xasprintf("SELECT coalesce(max(rowid), 0) FROM %s", table);
	long n = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			n = (long)sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	free(sql);
	return n;
}

/* The per-row FTS trigger costs twice what one batch insert of the new
 * rows costs at the end, so it is set aside inside the transaction (a
 * rollback brings it back with everything else). When the import brings
 * more rows than the catalog has, the two product indexes are built once
 * at the end too: sorting all the rows cost less than half of keeping
 * the indexes up to date row by row (1,000,000 rows into the 30,000 of
 * the demo: 1.7 s against 3.5 s). */
typedef struct suspended {
	char *trigger, *idx[2];
} suspended;

/* Bytes of input per row, on the low side for real files (the benchmark's
 * rows are 160 bytes; descriptions make them longer): an import whose
 * size over this exceeds the catalog's products gets its indexes rebuilt. */
#define BYTES_PER_ROW_GUESS 256

static int bulk_begin(sqlite3 *db, int bulk, suspended *s)
{
	memset(s, 0, sizeof *s);
	if ((s->trigger = catalog_schema_suspend(db, "products_ai")) == NULL)
		return -1;
	if (bulk) {
		s->idx[0] = catalog_schema_suspend(db, "products_supplier");
		s->idx[1] = catalog_schema_suspend(db, "products_category");
	}
	return 0;
}

static int bulk_end(sqlite3 *db, const suspended *s, souk_err *e)
{
	for (int i = 0; i < 2; i++)
		if (s->idx[i] && exec_sql(db, s->idx[i], e) < 0)
			return -1;
	return 0;
}

static void suspended_free(suspended *s)
{
	free(s->trigger);
	free(s->idx[0]);
	free(s->idx[1]);
}

/* The FTS automerge setting (FTS5's default is 4). */
static int fts_automerge(sqlite3 *db)
{
	sqlite3_stmt *st;
	int v = 4;

	if (sqlite3_prepare_v2(db, "SELECT v FROM products_fts_config WHERE k='automerge'", -1, &st,
	                       NULL) != SQLITE_OK)
		return v;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Indexes the new rows in one statement. Merging segments while they are
 * written costs a quarter of the time; the old setting comes back after,
 * so later writes merge as before. */
static int fts_catch_up(sqlite3 *db, long after, const char *trigger, souk_err *e)
{
	sqlite3_stmt *st;
	int rc, merge = fts_automerge(db);
	char sql[96];

	if (exec_sql(db, "INSERT INTO products_fts(products_fts, rank) VALUES ('automerge', 0)",
	             e) < 0)
		return -1;
	if (sqlite3_prepare_v2(db,
	                       "INSERT INTO products_fts(rowid, title, description, category, "
	                       "attributes) SELECT id, title, description, category, attributes "
	                       "FROM products WHERE id > ?",
	                       -1, &st, NULL) != SQLITE_OK) {
		err_set(e, "cannot index the imported rows: %s", sqlite3_errmsg(db));
		return -1;
	}
	sqlite3_bind_int64(st, 1, after);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		err_set(e, "cannot index the imported rows: %s", sqlite3_errmsg(db));
		return -1;
	}
	snprintf(sql, sizeof sql,
	         "INSERT INTO products_fts(products_fts, rank) VALUES ('automerge', %d)", merge);
	if (exec_sql(db, sql, e) < 0)
		return -1;
	return exec_sql(db, trigger, e);
}

static int meta_update(sqlite3 *db, const char *name, int was_empty, souk_err *e)
{
	sqlite3_stmt *st;
	char when[32];
	time_t now = time(NULL);
	struct tm tm;
	const char *base = strrchr(name, '/');
	int rc = 0;

	gmtime_r(&now, &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", -1, &st,
	                       NULL) != SQLITE_OK) {
		err_set(e, "cannot record the import: %s", sqlite3_errmsg(db));
		return -1;
	}
	sqlite3_bind_text(st, 1, "imported_at", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, when, -1, SQLITE_STATIC);
	rc |= sqlite3_step(st) != SQLITE_DONE;
	if (was_empty) {
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, "name", -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, base && base[1] ? base + 1 : name, -1, SQLITE_STATIC);
		rc |= sqlite3_step(st) != SQLITE_DONE;
	}
	/* A demo catalog with the user's rows in it is no longer a demo:
	 * 'souk demo' must not replace it without --force. */
	rc |= sqlite3_exec(db,
	                   "UPDATE meta SET value='demo+import' WHERE key='name' AND value='demo'",
	                   NULL, NULL, NULL) != SQLITE_OK;
	sqlite3_finalize(st);
	if (rc) {
		err_set(e, "cannot record the import: %s", sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}

static int categories_fill(importer *im, souk_err *e)
{
	sqlite3_stmt *st;

	int ntax = im->o->assets ? ref_taxonomy_count(im->ref) : 0;

	if (ntax == 0)
		return 0;
	if (sqlite3_prepare_v2(im->db, "INSERT OR IGNORE INTO categories(path, name) VALUES (?, ?)",
	                       -1, &st, NULL) != SQLITE_OK) {
		err_set(e, "cannot record the categories: %s", sqlite3_errmsg(im->db));
		return -1;
	}
	for (int i = 0; i < ntax; i++) {
		const ref_category *c = ref_taxonomy_at(im->ref, i);
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, c->path, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, c->name, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE) {
			err_set(e, "cannot record the categories: %s", sqlite3_errmsg(im->db));
			sqlite3_finalize(st);
			return -1;
		}
	}
	sqlite3_finalize(st);
	return 0;
}

static import_format sniff_format(const char *data, size_t len)
{
	size_t i = 0;

	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < len && isspace((unsigned char)data[i]))
		i++;
	return i < len && (data[i] == '[' || data[i] == '{') ? IMPORT_JSON : IMPORT_CSV;
}

/* What one run over the rows holds: the statements (which must be
 * finished before COMMIT or ROLLBACK), known suppliers, pending rows. */
static void importer_end_run(importer *im)
{
	sqlite3_finalize(im->ins_sup);
	sqlite3_finalize(im->ins_prod);
	im->ins_sup = im->ins_prod = NULL;
	for (size_t i = 0; i < sizeof im->ins_tiers / sizeof *im->ins_tiers; i++) {
		sqlite3_finalize(im->ins_tiers[i]);
		im->ins_tiers[i] = NULL;
	}
	for (size_t i = 0; i < sizeof im->ins_certs / sizeof *im->ins_certs; i++) {
		sqlite3_finalize(im->ins_certs[i]);
		im->ins_certs[i] = NULL;
	}
	map_free(im->sups);
	im->sups = NULL;
	im->nqt = im->nqc = 0;
	im->qnames.len = 0;
	im->qrows = 0;
	im->fail_line = 0;
}

static void importer_free(importer *im)
{
	importer_end_run(im);
	cJSON_Delete(im->root);
	free(im->qt);
	free(im->qc);
	sb_free(&im->qnames);
	sb_free(&im->certs);
	sb_free(&im->custom);
	sb_free(&im->attrs);
	sb_free(&im->scerts);
	sb_free(&im->markets);
	sb_free(&im->key);
	sb_free(&im->tmp);
	sb_free(&im->title);
	sb_free(&im->desc);
	sb_free(&im->cat);
	sb_free(&im->port);
	sb_free(&im->sname);
	sb_free(&im->city);
	ref_free(im->own_ref);
}

/* A re-imported offer (the same supplier, the same title, any case)
 * replaces the one already in the catalog and takes over its id, so
 * shortlists that hold the old offer see what changed instead of losing
 * it, and a price list imported twice is not in the catalog twice. Runs
 * after the new rows are indexed: the delete and update triggers keep the
 * search index in step. Foreign keys are off during an import, so tiers
 * and certifications are moved by hand. */
static int replace_older(importer *im, long before, long sups_before, souk_err *e)
{
	static const char *const steps[] = {
	        "DELETE FROM price_tiers WHERE product_id IN (SELECT old_id FROM souk_replaced)",
	        "DELETE FROM product_certs WHERE product_id IN (SELECT old_id FROM souk_replaced)",
	        "DELETE FROM products WHERE id IN (SELECT old_id FROM souk_replaced)",
	        "UPDATE products SET id = (SELECT old_id FROM souk_replaced WHERE new_id = "
	        "products.id) WHERE id IN (SELECT new_id FROM souk_replaced)",
	        "UPDATE price_tiers SET product_id = (SELECT old_id FROM souk_replaced WHERE "
	        "new_id = price_tiers.product_id) WHERE product_id IN (SELECT new_id FROM "
	        "souk_replaced)",
	        "UPDATE product_certs SET product_id = (SELECT old_id FROM souk_replaced WHERE "
	        "new_id = product_certs.product_id) WHERE product_id IN (SELECT new_id FROM "
	        "souk_replaced)",
	};
	sqlite3_stmt *st = NULL;
	char sql[640];
	size_t i;
	int rc = 0;

	if (before <= 0)
		return 0;
	/* each new row replaces at most one old row (the oldest), and each old
	 * row is replaced by at most one new row (the last in the file) */
	/* only suppliers that were in the catalog before can have old offers:
	 * the rows of new suppliers skip the lookup */
	snprintf(sql, sizeof sql,
	         "CREATE TEMP TABLE souk_replaced AS SELECT old_id, max(new_id) AS new_id FROM "
	         "(SELECT n.id AS new_id, min(o.id) AS old_id FROM products n JOIN products o ON "
	         "o.supplier_id = n.supplier_id AND o.title = n.title COLLATE NOCASE AND "
	         "o.id <= %ld WHERE n.id > %ld AND n.supplier_id <= %ld GROUP BY n.id) "
	         "GROUP BY old_id",
	         before, before, sups_before);
	if (exec_sql(im->db, sql, e) < 0)
		return -1;
	if (sqlite3_prepare_v2(im->db, "SELECT count(*) FROM souk_replaced", -1, &st, NULL) ==
	            SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		im->st->updated = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	for (i = 0; im->st->updated > 0 && i < sizeof steps / sizeof steps[0] && rc == 0; i++)
		rc = exec_sql(im->db, steps[i], e);
	if (exec_sql(im->db, "DROP TABLE souk_replaced", e) < 0)
		rc = -1;
	return rc;
}

/* Known suppliers and the insert statements, for the probe and the run. */
static int import_prepare(importer *im, souk_err *e)
{
	if (import_supmap_load(im) < 0) {
		err_set(e, "cannot read the catalog: %s", sqlite3_errmsg(im->db));
		return -1;
	}
	if (sqlite3_prepare_v2(im->db, sql_sup, -1, &im->ins_sup, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(im->db, sql_prod, -1, &im->ins_prod, NULL) != SQLITE_OK ||
	    import_tiers_insert(im, 1) == NULL || import_certs_insert(im, 1) == NULL) {
		err_set(e, "the catalog is not a souk catalog: %s", sqlite3_errmsg(im->db));
		return -1;
	}
	return 0;
}

static int import_rows(importer *im, import_format fmt, const char *data, size_t len, souk_err *e)
{
	int rc = fmt == IMPORT_JSON ? import_json(im, data, len, e) : import_csv(im, data, len, e);

	if (rc == 0 && import_cancelled(im)) {
		err_set(e, "interrupted");
		rc = -1;
	}
	return rc;
}

static int import_run(importer *im, import_format fmt, const char *data, size_t len, souk_err *e)
{
	long products_before = max_rowid(im->db, "products");
	long suppliers_before = max_rowid(im->db, "suppliers");
	long count_before = 0;
	suspended sus;
	int rc, bulk;

	if (catalog_counts(im->db, NULL, &count_before, e) < 0)
		return -1;
	if (products_before < 0) {
		err_set(e, "cannot read the catalog: %s", sqlite3_errmsg(im->db));
		return -1;
	}
	if (import_prepare(im, e) < 0)
		return -1;
	bulk = count_before == 0 || count_before < (long)(len / BYTES_PER_ROW_GUESS);
	if (bulk_begin(im->db, bulk, &sus) < 0) {
		suspended_free(&sus);
		err_set(e, "the catalog's search index is missing its trigger (rebuild it)");
		return -1;
	}
	rc = import_rows(im, fmt, data, len, e);
	if (rc == 0 && im->o->progress)
		im->o->progress("indexing", 1.0, im->o->arg);
	if (rc == 0)
		rc = bulk_end(im->db, &sus, e);
	if (rc == 0)
		rc = fts_catch_up(im->db, products_before, sus.trigger, e);
	if (rc == 0)
		rc = replace_older(im, products_before, suppliers_before, e);
	if (rc == 0)
		rc = categories_fill(im, e);
	if (rc == 0)
		rc = meta_update(im->db, im->o->name, count_before == 0, e);
	if (rc == 0)
		rc = catalog_touch(im->db, e); /* makes the column index stale */
	suspended_free(&sus);
	return rc;
}

/* A big transaction in WAL mode writes every page twice (log, then
 * checkpoint) and looks each one up in the WAL index. A rollback journal
 * saves only the pages that existed before, and pages appended to the
 * file need none: about twice as fast and just as atomic. It works only
 * while no other connection has the catalog open; otherwise WAL it is. */
static int journal_leave_wal(sqlite3 *db)
{
	sqlite3_stmt *st;
	int ok = 0;

	if (sqlite3_prepare_v2(db, "PRAGMA journal_mode=DELETE", -1, &st, NULL) != SQLITE_OK)
		return 0;
	if (sqlite3_step(st) == SQLITE_ROW)
		ok = strcmp((const char *)sqlite3_column_text(st, 0), "delete") == 0;
	sqlite3_finalize(st);
	return ok;
}

/* Every reference an import writes is its own: supplier ids come from the
 * catalog read under the write lock or from its own inserts, product ids
 * from its own inserts. Looking each one up in its parent table proves
 * nothing and costs a sixth of a big import, so the checks are off while
 * it runs. The pragma does nothing inside a transaction: this goes before
 * BEGIN. Returns whether they were on. */
static int foreign_keys_off(sqlite3 *db)
{
	sqlite3_stmt *st;
	int on = 0;

	if (sqlite3_prepare_v2(db, "PRAGMA foreign_keys", -1, &st, NULL) != SQLITE_OK)
		return 0;
	if (sqlite3_step(st) == SQLITE_ROW)
		on = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (on)
		sqlite3_exec(db, "PRAGMA foreign_keys=OFF", NULL, NULL, NULL);
	return on;
}

static int stop_on_cancel(void *arg)
{
	const import_opts *o = arg;

	return *o->cancel != 0;
}

/* The probe: the rows are read and checked, not written, in a read
 * transaction, up to the first good one. Only an import with a row to write
 * touches the catalog: even leaving WAL mode (below) rewrites its header,
 * and an import that writes nothing must leave the file byte for byte as
 * it was. 1 when there is a row to write; 0 when there is none (the stats
 * and row reports are final); -1 on an error. */
static int import_probe(importer *im, import_format fmt, const char *data, size_t len, souk_err *e)
{
	int rc;

	if (exec_sql(im->db, "BEGIN", e) < 0)
		return -1;
	im->dry = 1;
	rc = import_prepare(im, e);
	if (rc == 0)
		rc = import_rows(im, fmt, data, len, e);
	im->dry = 0;
	importer_end_run(im);
	sqlite3_exec(im->db, "ROLLBACK", NULL, NULL, NULL);
	if (im->st->imported > 0) {
		memset(im->st, 0, sizeof *im->st);
		return 1;
	}
	if (rc < 0)
		return -1;
	return 0;
}

/* The write: one IMMEDIATE transaction, committed or rolled back whole. */
static int import_write(importer *im, import_format fmt, const char *data, size_t len, souk_err *e)
{
	sqlite3 *db = im->db;
	int rc;

	if (exec_sql(db, "BEGIN IMMEDIATE", e) < 0)
		return -1;
	/* Long statements (indexing a million rows) stop on Ctrl-C too. */
	if (im->o->cancel)
		sqlite3_progress_handler(db, 100000, stop_on_cancel, (void *)im->o);
	rc = import_run(im, fmt, data, len, e);
	sqlite3_progress_handler(db, 0, NULL, NULL);
	if (rc == 0 && import_cancelled(im)) {
		err_set(e, "interrupted");
		rc = -1;
	}
	importer_end_run(im);
	if (rc == 0 && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		err_set(e, "cannot commit the import: %s (the catalog is unchanged)",
		        sqlite3_errmsg(db));
		rc = -1;
	}
	if (rc < 0) {
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		im->st->imported = 0;
	}
	return rc;
}

int import_buffer(sqlite3 *db, const char *data, size_t len, const import_opts *o, import_stats *st,
                  souk_err *e)
{
	importer im;
	import_format fmt = o->format;
	int rc, wal = 0, fk = 0;
	souk_err je;
	long line = 0;

	memset(&im, 0, sizeof im);
	memset(st, 0, sizeof *st);
	im.db = db;
	im.o = o;
	im.st = st;
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
		data += 3;
		len -= 3;
	}
	if (fmt == IMPORT_AUTO)
		fmt = sniff_format(data, len);
	/* over-long strings are cut before the tree is built: a 1 GB title
	 * is a rejected row, not gigabytes of memory */
	if (fmt == IMPORT_JSON &&
	    (im.root = json_parse_capped(data, len, IMPORT_MAX_FIELD, NULL, &line, &je)) == NULL) {
		err_set(e, "%s:%ld: invalid JSON: %s", o->name, line, je.msg);
		return -1;
	}
	/* the caller's reference data, or that of the asset directory given
	 * (countries, certifications, taxonomy, FX); without an asset
	 * directory neither categories nor currencies are checked */
	if (o->assets && o->ref == NULL && (im.own_ref = ref_load(o->assets, &je)) == NULL) {
		err_set(e, "cannot read the reference data: %s", je.msg);
		importer_free(&im);
		return -1;
	}
	im.ref = o->ref ? o->ref : im.own_ref;
	if (im.ref == NULL) {
		err_set(e, "no reference data (countries, certifications): pass an asset "
		           "directory or the loaded data");
		importer_free(&im);
		return -1;
	}
	if (o->assets)
		im.money = ref_money(im.ref);
	rc = import_probe(&im, fmt, data, len, e);
	if (rc <= 0)
		goto out;
	/* Room for the whole transaction in memory before it spills; helper
	 * threads for the sorts that rebuild the product indexes (a big
	 * index's sort spills to runs merged in parallel: 16.6 s against 12.9
	 * s for the category index of 10,000,000 products). */
	sqlite3_exec(db, "PRAGMA cache_size=-131072; PRAGMA threads=2", NULL, NULL, NULL);
	wal = journal_leave_wal(db);
	fk = foreign_keys_off(db);
	rc = import_write(&im, fmt, data, len, e);
out:
	importer_free(&im);
	if (fk)
		sqlite3_exec(db, "PRAGMA foreign_keys=ON", NULL, NULL, NULL);
	if (wal)
		sqlite3_exec(db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
	return rc;
}

/* Binary data is refused before anything else: NULs in the first block,
 * or a UTF-16 byte order mark. */
static int looks_binary(const char *data, size_t len, const char **what)
{
	size_t n = len < 65536 ? len : 65536;

	*what = "a binary file";
	if (len >= 2 && ((unsigned char)data[0] == 0xff && (unsigned char)data[1] == 0xfe)) {
		*what = "UTF-16 text";
		return 1;
	}
	if (len >= 2 && ((unsigned char)data[0] == 0xfe && (unsigned char)data[1] == 0xff)) {
		*what = "UTF-16 text";
		return 1;
	}
	return memchr(data, '\0', n) != NULL;
}

int import_file(sqlite3 *db, const char *path, const import_opts *o, import_stats *st, souk_err *e)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat sb;
	void *mapped;
	int rc;
	const char *what;

	memset(st, 0, sizeof *st);
	if (fd < 0) {
		err_set(e, "cannot open %s: %s", o->name, strerror(errno));
		return -1;
	}
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode)) {
		err_set(e, "%s is not a regular file", o->name);
		close(fd);
		return -1;
	}
	if (sb.st_size == 0) {
		err_set(e, "%s is empty", o->name);
		close(fd);
		return -1;
	}
	if ((long long)sb.st_size > IMPORT_MAX_FILE) {
		err_set(e, "%s is larger than 2 GB (split it into smaller files)", o->name);
		close(fd);
		return -1;
	}
	mapped = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (mapped == MAP_FAILED) {
		err_set(e, "cannot read %s: %s", o->name, strerror(errno));
		return -1;
	}
	if (looks_binary(mapped, (size_t)sb.st_size, &what)) {
		err_set(e, "%s is %s, not CSV or JSON (save it as UTF-8 CSV or JSON)", o->name,
		        what);
		munmap(mapped, (size_t)sb.st_size);
		return -1;
	}
	rc = import_buffer(db, mapped, (size_t)sb.st_size, o, st, e);
	munmap(mapped, (size_t)sb.st_size);
	return rc;
}

int import_path(const char *catalog, const char *path, const import_opts *o, import_stats *st,
                souk_err *e)
{
	sqlite3 *db;
	int rc;

	memset(st, 0, sizeof *st);
	if (catalog_open(catalog, 0, &db, e) < 0)
		return -1;
	rc = import_file(db, path, o, st, e);
	catalog_close(db);
	/* the column index and the vocabulary cache are written with the new
	 * rows, so the first query after an import does not build them; the
	 * rows are in either way (a directory that cannot take the index
	 * leaves each process to build its own) */
	if (rc == 0 && st->imported > 0 && o->ref) {
		souk_err ie;
		if (o->progress)
			o->progress("indexing columns", 0, o->arg);
		if (match_build_caches(catalog, o->ref, &ie) < 0 && o->warning)
			o->warning(ie.msg, o->arg);
		if (o->progress)
			o->progress("indexing columns", 1, o->arg);
	}
	return rc;
}
