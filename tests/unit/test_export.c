/* Unit tests for core/export: each format read back, hostile text, atomic and refused writes. */
#include "build-config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "catalog.h"
#include "export.h"
#include "filter.h"
#include "offer.h"

#define NROWS 4

/* Hostile and international content on purpose. */
static const char *const suppliers[NROWS] = {
        "\xe6\xb7\xb1\xe5\x9c\xb3\xe5\xb8\x82\xe4\xbd\xb3\xe5\x93\x81 Sports Co., "
        "Ltd",                                     /* 深圳市佳品
                                                    */
        "Paddle \"Pro\" | Works \xf0\x9f\x8f\x93", /* emoji */
        "=HYPERLINK(\"http://evil\")",
        "Plain Supplier",
};
static const char *const notes[NROWS] = {"ask for, \"samples\"\nsecond line", NULL, "", "ok"};
static const char *const statuses[NROWS] = {"shortlisted", "ask supplier", "rejected", NULL};

static match_row rows[NROWS];
static souk_filter filter;
static char dir[64];

static int setup(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < NROWS; i++) {
		match_row *r = &rows[i];

		memset(r, 0, sizeof *r);
		r->product_id = 1000 + i;
		r->supplier_id = 50 + i;
		r->supplier = (char *)suppliers[i];
		r->country = (char *)(i == 0 ? "CN" : "VN");
		r->title = (char *)(i == 1 ? "Carbon paddle, 16mm <b>bold</b>" : "Graphite paddle");
		r->certs = (char *)"CE, RoHS";
		r->highlights = (char *)"lightest; USAPA approved";
		r->moq_unit = (char *)"pcs";
		r->price = 7.5 + i;
		r->price_orig = 50 + i;
		strcpy(r->currency_orig, "CNY");
		r->next_break_qty = i == 2 ? -1 : 1000;
		r->next_break_price = 6.8;
		r->moq = 100 * (i + 1);
		r->lead_days = i == 3 ? -1 : 20 + i;
		r->landed = i == 0 ? -1 : 9.25;
		r->rating = 4.5;
		r->reviews = 10 * i;
		r->verified = i % 2;
		r->years = 5;
		r->score = 90.4 - i;
	}
	rows[3].price = 0.0045;
	filter_init(&filter);
	strlist_add(&filter.keywords, "pickleball");
	filter.quantity = 500;
	filter.price_max = 8;
	strcpy(dir, "/tmp/souk-test-export-XXXXXX");
	assert_non_null(mkdtemp(dir));
	return 0;
}

static int teardown(void **state)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);

	(void)state;
	filter_free(&filter);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	return 0;
}

static export_doc make_doc(void)
{
	export_doc d = {0};

	d.title = "pickleball paddles | under $8";
	d.filter = &filter;
	d.rows = rows;
	d.nrows = NROWS;
	d.notes = notes;
	d.statuses = statuses;
	d.transcript_json = "[{\"role\":\"user\",\"text\":\"pickleball \xe7\x90\x83\xe6\x8b\x8d\"},"
	                    "{\"role\":\"souk\",\"text\":\"41 offers\"}]";
	return d;
}

static void test_format_names(void **state)
{
	export_format f;
	souk_err e;

	(void)state;
	assert_int_equal(export_format_from_path("a/b.CSV", &f, &e), 0);
	assert_int_equal(f, EXPORT_CSV);
	assert_int_equal(export_format_from_path("x.json", &f, &e), 0);
	assert_int_equal(f, EXPORT_JSON);
	assert_int_equal(export_format_from_path("notes.md", &f, &e), 0);
	assert_int_equal(f, EXPORT_MD);
	assert_int_equal(export_format_from_path("s.xlsx", &f, &e), 0);
	assert_int_equal(f, EXPORT_XLSX);
	assert_int_equal(export_format_parse("markdown", &f, &e), 0);
	assert_int_equal(f, EXPORT_MD);
	assert_int_equal(export_format_from_path("report.pdf", &f, &e), -1);
	assert_non_null(strstr(e.msg, ".pdf"));
	assert_int_equal(export_format_from_path("dir.d/noext", &f, &e), -1);
	assert_non_null(strstr(e.msg, "noext"));
	assert_int_equal(export_format_parse("xls", &f, &e), -1);
}

/* A small RFC 4180 reader: fields[row][col], quotes and CRLF handled. */
typedef struct csv_table {
	char *cell[16][32];
	int nrows, ncols[16];
} csv_table;

static void csv_parse(const char *s, csv_table *t)
{
	strbuf f;
	int quoted = 0, r = 0, c = 0;

	memset(t, 0, sizeof *t);
	sb_init(&f);
	for (;; s++) {
		if (quoted) {
			assert_true(*s != '\0'); /* unterminated quote */
			if (*s == '"' && s[1] == '"') {
				sb_addc(&f, '"');
				s++;
			} else if (*s == '"') {
				quoted = 0;
			} else {
				sb_addc(&f, *s);
			}
			continue;
		}
		if (*s == '"') {
			assert_int_equal(f.len, 0); /* quotes only open a field */
			quoted = 1;
		} else if (*s == ',' || *s == '\r' || *s == '\0') {
			if (*s == '\0' && c == 0 && f.len == 0)
				break;
			assert_true(r < 16 && c < 32);
			t->cell[r][c++] = sb_steal(&f);
			if (*s == '\r') {
				assert_int_equal(s[1], '\n'); /* CRLF record ends */
				s++;
				t->ncols[r++] = c;
				c = 0;
			} else if (*s == '\0') {
				t->ncols[r++] = c;
				break;
			}
		} else {
			assert_true(*s != '\n'); /* bare LF outside quotes */
			sb_addc(&f, *s);
		}
	}
	t->nrows = r;
	sb_free(&f);
}

static void csv_free(csv_table *t)
{
	int r, c;

	for (r = 0; r < t->nrows; r++)
		for (c = 0; c < t->ncols[r]; c++)
			free(t->cell[r][c]);
}

static int col_index(const csv_table *t, const char *name)
{
	int c;

	for (c = 0; c < t->ncols[0]; c++)
		if (strcmp(t->cell[0][c], name) == 0)
			return c;
	fail_msg("no column '%s'", name);
	return -1;
}

static void test_csv_round_trip(void **state)
{
	export_doc d = make_doc();
	souk_err e;
	char *s = export_render(EXPORT_CSV, &d, &e);
	csv_table t;
	int r, sup, note, status, price, lead, landed, nb;

	(void)state;
	assert_non_null(s);
	assert_memory_equal(s, "\xef\xbb\xbf", 3); /* BOM: Excel reads UTF-8 */
	csv_parse(s + 3, &t);
	assert_int_equal(t.nrows, NROWS + 1);
	for (r = 1; r < t.nrows; r++)
		assert_int_equal(t.ncols[r], t.ncols[0]);
	sup = col_index(&t, "supplier");
	note = col_index(&t, "note");
	status = col_index(&t, "status");
	price = col_index(&t, "price");
	lead = col_index(&t, "lead time days");
	landed = col_index(&t, "landed cost");
	nb = col_index(&t, "next tier break");
	col_index(&t, "rank");
	col_index(&t, "certifications");
	col_index(&t, "highlights");
	assert_string_equal(t.cell[1][sup], suppliers[0]);
	assert_string_equal(t.cell[2][sup], suppliers[1]);
	/* a formula from hostile data is defused, not executed by Excel */
	assert_string_equal(t.cell[3][sup], "'=HYPERLINK(\"http://evil\")");
	assert_string_equal(t.cell[4][sup], suppliers[3]);
	/* newline kept inside the quoted note, as CRLF per RFC 4180 */
	assert_string_equal(t.cell[1][note], "ask for, \"samples\"\r\nsecond line");
	assert_string_equal(t.cell[2][note], "");
	assert_string_equal(t.cell[1][status], "shortlisted");
	assert_string_equal(t.cell[4][status], "");
	assert_string_equal(t.cell[1][price], "7.50");
	assert_string_equal(t.cell[4][price], "0.0045");
	assert_string_equal(t.cell[4][lead], "");
	assert_string_equal(t.cell[2][lead], "21");
	assert_string_equal(t.cell[1][landed], "");
	assert_string_equal(t.cell[2][landed], "9.25");
	assert_string_equal(t.cell[1][nb], "1000+ @ 6.80");
	assert_string_equal(t.cell[3][nb], "");
	csv_free(&t);
	free(s);
}

static void test_json_round_trip(void **state)
{
	export_doc d = make_doc();
	souk_err e;
	char *s = export_render(EXPORT_JSON, &d, &e);
	cJSON *root, *offers, *o, *f, *tr;
	souk_filter back;

	(void)state;
	assert_non_null(s);
	root = cJSON_Parse(s);
	assert_non_null(root);
	offers = cJSON_GetObjectItem(root, "offers");
	assert_int_equal(cJSON_GetArraySize(offers), NROWS);
	o = cJSON_GetArrayItem(offers, 1);
	assert_string_equal(cJSON_GetObjectItem(o, "supplier")->valuestring, suppliers[1]);
	assert_string_equal(cJSON_GetObjectItem(o, "status")->valuestring, "ask supplier");
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(o, "note")));
	assert_int_equal((int)cJSON_GetObjectItem(o, "product_id")->valuedouble, 1001);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(o, "certifications")), 2);
	assert_string_equal(
	        cJSON_GetArrayItem(cJSON_GetObjectItem(o, "highlights"), 1)->valuestring,
	        "USAPA approved");
	o = cJSON_GetArrayItem(offers, 0);
	assert_string_equal(cJSON_GetObjectItem(o, "note")->valuestring, notes[0]);
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(o, "landed_cost")));
	assert_true(cJSON_IsObject(cJSON_GetObjectItem(o, "next_break")));
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetArrayItem(offers, 2), "next_break")));
	/* the filter state comes back through filter_from_cjson unchanged */
	f = cJSON_GetObjectItem(root, "filters");
	assert_int_equal(filter_from_cjson(f, NULL, &back, &e), 0);
	assert_true(filter_equal(&back, &filter));
	filter_free(&back);
	tr = cJSON_GetObjectItem(root, "transcript");
	assert_int_equal(cJSON_GetArraySize(tr), 2);
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(tr, 0), "text")->valuestring,
	                    "pickleball \xe7\x90\x83\xe6\x8b\x8d");
	cJSON_Delete(root);
	free(s);

	d.transcript_json = "{not json";
	assert_null(export_render(EXPORT_JSON, &d, &e));
	d.transcript_json = NULL;
	d.filter = NULL;
	s = export_render(EXPORT_JSON, &d, &e);
	root = cJSON_Parse(s);
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(root, "filters")));
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(root, "transcript")), 0);
	cJSON_Delete(root);
	free(s);
}

static int count_lines_starting(const char *s, char c)
{
	const char *p;
	int n = s[0] == c;

	for (p = s; (p = strchr(p, '\n')) != NULL; p++)
		if (p[1] == c)
			n++;
	return n;
}

static void test_markdown(void **state)
{
	export_doc d = make_doc();
	souk_err e;
	char *s = export_render(EXPORT_MD, &d, &e), *line, *p;
	int pipes_header = 0, pipes;

	(void)state;
	assert_non_null(s);
	assert_memory_equal(s, "# pickleball paddles \\| under $8\n", 33);
	assert_int_equal(count_lines_starting(s, '|'), NROWS + 2);
	assert_non_null(strstr(s, "Paddle \"Pro\" \\| Works \xf0\x9f\x8f\x93"));
	assert_non_null(strstr(s, "\\<b\\>bold\\</b\\>"));
	assert_non_null(strstr(s, "\xe6\xb7\xb1\xe5\x9c\xb3"));
	assert_null(strstr(s, "samples\"\n")); /* the note's newline does not break its row */
	/* every table line has as many unescaped pipes as the header */
	for (line = strstr(s, "\n|"); line; line = strstr(line + 1, "\n|")) {
		pipes = 0;
		for (p = line + 1; *p && *p != '\n'; p++)
			if (*p == '|' && p[-1] != '\\')
				pipes++;
		if (pipes_header == 0)
			pipes_header = pipes;
		assert_int_equal(pipes, pipes_header);
	}
	assert_true(pipes_header > 10);
	free(s);
}

static char *slurp(const char *path)
{
	souk_err e;

	return util_read_file(path, 1 << 26, NULL, &e);
}

static int dir_entries(void)
{
	DIR *dp = opendir(dir);
	struct dirent *de;
	int n = 0;

	assert_non_null(dp);
	while ((de = readdir(dp)) != NULL)
		if (de->d_name[0] != '.')
			n++;
	closedir(dp);
	return n;
}

static void test_no_overwrite_without_force(void **state)
{
	export_doc d = make_doc();
	char *path = xasprintf("%s/list.csv", dir), *s;
	souk_err e;

	(void)state;
	assert_int_equal(util_write_atomic(path, "old", 3, 0, &e), 0);
	errno = 0;
	assert_int_equal(export_write(path, EXPORT_CSV, &d, 0, &e), -1);
	assert_int_equal(errno, EEXIST);
	assert_non_null(strstr(e.msg, "already exists"));
	s = slurp(path);
	assert_string_equal(s, "old");
	free(s);
	assert_int_equal(export_write(path, EXPORT_CSV, &d, 1, &e), 0);
	s = slurp(path);
	assert_memory_equal(s, "\xef\xbb\xbfrank,", 8);
	free(s);
	unlink(path);
	assert_int_equal(dir_entries(), 0); /* no temp files left */
	free(path);
}

static void test_bad_paths(void **state)
{
	export_doc d = make_doc();
	char *file = xasprintf("%s/plain", dir), *under = xasprintf("%s/plain/x.csv", dir);
	souk_err e;

	(void)state;
	assert_int_equal(export_write("/nonexistent-souk-dir/x.csv", EXPORT_CSV, &d, 0, &e), -1);
	assert_non_null(strstr(e.msg, "cannot write /nonexistent-souk-dir/x.csv"));
	assert_int_equal(util_write_atomic(file, "x", 1, 0, &e), 0);
	assert_int_equal(export_write(under, EXPORT_JSON, &d, 1, &e), -1);
	assert_non_null(strstr(e.msg, "Not a directory"));
	assert_int_equal(export_write("", EXPORT_CSV, &d, 0, &e), -1);
	assert_int_equal(export_write(under, EXPORT_XLSX, &d, 1, &e), -1);
	assert_non_null(strstr(e.msg, "cannot write"));
	unlink(file);
	free(file);
	free(under);
}

/* A full disk, simulated with a file-size limit: the write fails, says
 * so, and the old file and directory are as they were. */
static void test_full_disk_keeps_old_file(void **state)
{
	export_doc d = make_doc();
	char *path = xasprintf("%s/big.json", dir), *s;
	struct rlimit old, lim;
	void (*prev)(int);
	souk_err e;
	int rc;

	(void)state;
	assert_int_equal(util_write_atomic(path, "previous", 8, 0, &e), 0);
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	lim = old;
	lim.rlim_cur = 512;
	prev = signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	rc = export_write(path, EXPORT_JSON, &d, 1, &e);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, prev);
	assert_int_equal(rc, -1);
	assert_non_null(strstr(e.msg, "unchanged"));
	s = slurp(path);
	assert_string_equal(s, "previous");
	free(s);
	assert_int_equal(dir_entries(), 1);
	unlink(path);
	free(path);
}

#ifdef HAVE_XLSXWRITER
static char *unzip_member(const char *zip, const char *member)
{
	char *cmd = xasprintf("unzip -p '%s' '%s'", zip, member);
	FILE *p = popen(cmd, "r");
	strbuf b;
	char buf[4096];
	size_t n;

	assert_non_null(p);
	sb_init(&b);
	while ((n = fread(buf, 1, sizeof buf, p)) > 0)
		sb_addn(&b, buf, n);
	assert_int_equal(pclose(p), 0);
	free(cmd);
	return sb_steal(&b);
}

static void test_xlsx(void **state)
{
	export_doc d = make_doc();
	char *path = xasprintf("%s/list.xlsx", dir), *sheet, *strings, *sheet2, *wb, *styles;
	souk_err e;

	(void)state;
	assert_int_equal(export_write(path, EXPORT_XLSX, &d, 0, &e), 0);
	assert_int_equal(dir_entries(), 1); /* scratch file gone */
	assert_int_equal(export_write(path, EXPORT_XLSX, &d, 0, &e), -1);
	assert_non_null(strstr(e.msg, "already exists"));
	wb = unzip_member(path, "xl/workbook.xml");
	assert_non_null(strstr(wb, "name=\"Offers\""));
	assert_non_null(strstr(wb, "name=\"Price tiers\""));
	sheet = unzip_member(path, "xl/worksheets/sheet1.xml");
	assert_non_null(strstr(sheet, "ySplit=\"1\"")); /* header frozen */
	assert_non_null(strstr(sheet, "state=\"frozen\""));
	assert_non_null(strstr(sheet, "<cols>"));     /* fitted widths */
	assert_non_null(strstr(sheet, "<v>7.5</v>")); /* a price is a number */
	assert_non_null(strstr(sheet, "<v>0.0045</v>"));
	strings = unzip_member(path, "xl/sharedStrings.xml");
	assert_non_null(strstr(strings, "\xe6\xb7\xb1\xe5\x9c\xb3\xe5\xb8\x82"));
	assert_non_null(strstr(strings, "\xf0\x9f\x8f\x93"));
	assert_non_null(strstr(strings, "Paddle &quot;Pro&quot; | Works") ||
	                strstr(strings, "Paddle \"Pro\" | Works"));
	assert_non_null(strstr(strings, "ask supplier"));
	styles = unzip_member(path, "xl/styles.xml");
	assert_non_null(strstr(styles, "USD"));  /* currency format */
	assert_non_null(strstr(styles, "<b/>")); /* styled header */
	sheet2 = unzip_member(path, "xl/worksheets/sheet2.xml");
	assert_non_null(strstr(sheet2, "<v>1000</v>")); /* a tier's min qty */
	assert_non_null(strstr(sheet2, "<v>6.8</v>"));
	free(wb);
	free(sheet);
	free(strings);
	free(styles);
	free(sheet2);
	unlink(path);
	free(path);
}
#else
static void test_xlsx(void **state)
{
	export_doc d = make_doc();
	char *path = xasprintf("%s/list.xlsx", dir);
	souk_err e;

	(void)state;
	assert_int_equal(export_write(path, EXPORT_XLSX, &d, 0, &e), -1);
	assert_non_null(strstr(e.msg, "without XLSX support"));
	assert_int_equal(dir_entries(), 0);
	free(path);
}
#endif

/* ---- the offer JSON form (core/offer.h) ---- */

/* Every field of a row, set to a value no default has. */
static void full_row(match_row *r)
{
	memset(r, 0, sizeof *r);
	r->product_id = 123456789012LL;
	r->supplier_id = 77;
	r->supplier = xstrdup("Supplier \xe4\xbd\xb3");
	r->country = xstrdup("VN");
	r->city = xstrdup("Hanoi");
	r->business_type = xstrdup("manufacturer");
	r->title = xstrdup("Carbon paddle");
	r->category = xstrdup("Sports > Paddles");
	r->certs = xstrdup("CE, RoHS");
	r->price = 7.123456;
	r->price_orig = 170123.5;
	strcpy(r->currency_orig, "VND");
	r->next_break_qty = 1000;
	r->next_break_price = 6.654321;
	r->moq = 300;
	r->moq_unit = xstrdup("pairs");
	r->lead_days = 25;
	r->landed = 9.87654;
	r->rating = 4.7;
	r->reviews = 31;
	r->verified = 1;
	r->years = 12;
	r->score = 88.123;
	r->reasons = xstrdup("cheapest; exports to US");
	r->highlights = xstrdup("lightest; raw carbon");
	r->similar_to = xstrdup("similar to X");
}

static void test_offer_fields_round_trip(void **state)
{
	match_row r, back;
	offer_ctx c;
	offer_extra x;
	souk_err e;
	char *json;
	int i, checked = 0;

	(void)state;
	full_row(&r);
	offer_ctx_init(&c);
	c.exact = 1;
	c.rank = 3;
	c.currency = "EUR";
	c.quantity = 500;
	json = offer_to_json(&r, &c);
	assert_int_equal(offer_from_json(json, &back, &x, &e), 0);
	assert_int_equal(x.rank, 3);
	assert_string_equal(x.currency, "EUR");
	assert_true(x.quantity == 500);
	for (i = 0; i < offer_field_count; i++) {
		const offer_field *f = &offer_fields[i];
		char *a = offer_field_text(f, &r, &c), *b = offer_field_text(f, &back, &c);
		double va, vb;

		assert_string_equal(a, b);
		/* and exactly, not only as text */
		assert_int_equal(offer_field_number(f, &r, &c, &va),
		                 offer_field_number(f, &back, &c, &vb));
		if (offer_field_number(f, &r, &c, &va)) {
			offer_field_number(f, &back, &c, &vb);
			assert_true(va == vb);
		}
		/* every field is in the JSON under its key, and found by it */
		if (f->kind != OFK_NOTE && f->kind != OFK_STATUS) {
			cJSON *o = cJSON_Parse(json);

			assert_non_null(cJSON_GetObjectItemCaseSensitive(o, f->key));
			cJSON_Delete(o);
		}
		assert_ptr_equal(offer_field_by_key(f->key), f);
		if (f->title)
			assert_ptr_equal(offer_field_by_title(f->title), f);
		free(a);
		free(b);
		checked++;
	}
	assert_int_equal(checked, offer_field_count);
	assert_true(offer_field_count >= 30);
	assert_true(back.next_break_price == r.next_break_price);
	assert_string_equal(back.certs, r.certs);
	assert_string_equal(back.reasons, r.reasons);
	match_row_free(&back);
	free(json);
	/* unknown values come back unknown */
	match_row_free(&r);
	memset(&r, 0, sizeof r);
	r.price = r.price_orig = r.landed = r.next_break_price = -1;
	r.next_break_qty = r.moq = -1;
	r.lead_days = r.years = -1;
	json = offer_to_json(&r, NULL);
	assert_int_equal(offer_from_json(json, &back, NULL, &e), 0);
	assert_true(back.price == -1 && back.landed == -1 && back.next_break_qty == -1);
	assert_true(back.moq == -1 && back.lead_days == -1 && back.years == -1);
	assert_null(back.supplier);
	match_row_free(&back);
	free(json);
	assert_int_equal(offer_from_json("[1]", &back, NULL, &e), -1);
}

/* Snapshots and exports written before the one form still read. */
static void test_offer_old_names(void **state)
{
	static const char snapshot[] =
	        "{\"product_id\":5,\"title\":\"Mug\",\"certs\":\"CE, LFGB\",\"price\":2.5,"
	        "\"next_break_qty\":1000,\"next_break_price\":2.1,\"lead_days\":12,\"landed\":3.3,"
	        "\"rating\":4.2,\"reviews\":9,\"verified\":true,\"reasons\":\"cheap; fast\","
	        "\"highlights\":\"only one with LFGB\",\"quantity\":500,\"currency\":\"EUR\"}";
	static const char old_export[] =
	        "{\"rank\":2,\"product_id\":6,\"product\":\"Cup\",\"price\":1.5,"
	        "\"price_original\":10.5,\"currency_original\":\"cny\",\"certifications\":[\"CE\"],"
	        "\"reasons\":[\"a\",\"b\"],\"lead_time_days\":20,\"landed_cost\":null}";
	match_row r;
	offer_extra x;
	souk_err e;

	(void)state;
	assert_int_equal(offer_from_json(snapshot, &r, &x, &e), 0);
	assert_string_equal(r.title, "Mug");
	assert_string_equal(r.certs, "CE, LFGB");
	assert_int_equal(r.next_break_qty, 1000);
	assert_true(r.next_break_price == 2.1);
	assert_int_equal(r.lead_days, 12);
	assert_true(r.landed == 3.3);
	assert_int_equal(r.verified, 1);
	assert_string_equal(r.reasons, "cheap; fast");
	assert_string_equal(r.highlights, "only one with LFGB");
	assert_true(x.quantity == 500);
	assert_string_equal(x.currency, "EUR");
	match_row_free(&r);
	assert_int_equal(offer_from_json(old_export, &r, &x, &e), 0);
	assert_string_equal(r.title, "Cup");
	assert_true(r.price_orig == 10.5);
	assert_string_equal(r.currency_orig, "CNY");
	assert_string_equal(r.certs, "CE");
	assert_string_equal(r.reasons, "a; b");
	assert_int_equal(r.lead_days, 20);
	assert_true(r.landed == -1);
	assert_int_equal(x.rank, 2);
	assert_string_equal(x.currency, "USD");
	match_row_free(&r);
}

/* The JSON export writes the one form: the same keys in the same order
 * as offer_to_cjson, "title" and never "product". */
static void test_export_writes_offer_form(void **state)
{
	export_doc d = make_doc();
	souk_err e;
	char *s = export_render(EXPORT_JSON, &d, &e);
	cJSON *root = cJSON_Parse(s),
	      *o = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "offers"), 0), *it;
	int i = 0;

	(void)state;
	assert_non_null(o);
	cJSON_ArrayForEach(it, o)
	{
		assert_true(i < offer_field_count);
		assert_string_equal(it->string, offer_fields[i].key);
		i++;
	}
	assert_int_equal(i, offer_field_count);
	assert_string_equal(cJSON_GetObjectItem(o, "title")->valuestring, rows[0].title);
	assert_null(cJSON_GetObjectItem(o, "product"));
	assert_true(cJSON_GetObjectItem(o, "price_at_quantity")->valuedouble == 7.5);
	assert_true(cJSON_GetObjectItem(o, "quantity")->valuedouble == 500);
	cJSON_Delete(root);
	free(s);
}

/* Compare highlighting: lower price and MOQ, higher rating are better;
 * an unknown value is never the better one. */
static void test_offer_better(void **state)
{
	match_row a = rows[0], b = rows[1];

	(void)state;
	assert_true(offer_field_better(offer_field_by_key("price"), &a, &b, NULL) < 0);
	assert_true(offer_field_better(offer_field_by_key("moq"), &a, &b, NULL) < 0);
	assert_true(offer_field_better(offer_field_by_key("reviews"), &a, &b, NULL) > 0);
	assert_true(offer_field_better(offer_field_by_key("landed_cost"), &a, &b, NULL) > 0);
	assert_int_equal(offer_field_better(offer_field_by_key("supplier"), &a, &b, NULL), 0);
	assert_ptr_equal(offer_field_by_title("lead time"), offer_field_by_key("lead_time_days"));
	assert_ptr_equal(offer_field_by_key("product"), offer_field_by_key("title"));
	assert_null(offer_field_by_key("nope"));
}

/* The detail view's fields come from a real catalog file. */
static void test_offer_detail(void **state)
{
	char *path = xasprintf("%s/detail.db", dir);
	offer_detail d;
	sqlite3 *db;
	souk_err e;
	char *s;
	int i;

	(void)state;
	assert_int_equal(catalog_open(path, 0, &db, &e), 0);
	assert_int_equal(
	        sqlite3_exec(db,
	                     "INSERT INTO suppliers(id, name, country) VALUES (1, 'S', 'CN');"
	                     "INSERT INTO products(id, supplier_id, title, description, "
	                     "attributes, samples, sample_price, customization, incoterm, "
	                     "port, currency, weight_kg) VALUES (7, 1, 'Mug', 'A mug', "
	                     "'{\"colour\":\"red\"}', 1, 2.5, 'logo', 'FOB', 'Ningbo', "
	                     "'CNY', 0.35)",
	                     NULL, NULL, NULL),
	        SQLITE_OK);
	assert_int_equal(offer_detail_load(db, 7, &d, &e), 1);
	assert_string_equal(d.description, "A mug");
	assert_string_equal(d.currency, "CNY");
	assert_true(d.volume_m3 == -1);
	for (i = 0; i < offer_detail_field_count; i++) {
		s = offer_detail_format(&offer_detail_fields[i], &d);
		if (!strcmp(offer_detail_fields[i].key, "weight_kg"))
			assert_string_equal(s, "0.350 kg");
		else if (!strcmp(offer_detail_fields[i].key, "volume_m3"))
			assert_string_equal(s, "");
		else if (!strcmp(offer_detail_fields[i].key, "incoterm"))
			assert_string_equal(s, "FOB Ningbo");
		else if (!strcmp(offer_detail_fields[i].key, "samples"))
			assert_string_equal(s, "yes (2.50 CNY)");
		free(s);
	}
	offer_detail_free(&d);
	/* a product the catalog no longer has: found 0, empty detail */
	assert_int_equal(offer_detail_load(db, 99, &d, &e), 0);
	assert_string_equal(d.description, "");
	offer_detail_free(&d);
	/* what the catalog does not know is unknown ("" to format, no number),
	 * never 0 or "no"; the supplier's record comes with the offer */
	assert_int_equal(sqlite3_exec(db,
	                              "INSERT INTO suppliers(id, name, country, trade_assurance, "
	                              "response_rate, response_hours, year_established) VALUES "
	                              "(2, 'T', 'VN', 0, 0.875, 4, 2009);"
	                              "INSERT INTO products(id, supplier_id, title, customization) "
	                              "VALUES (8, 2, 'Cup', 'logo|odm|color')",
	                              NULL, NULL, NULL),
	                 SQLITE_OK);
	{
		static const struct {
			const char *key, *text;
			int known;
		} want[] = {
		        {"samples", "", 0},           {"customization", "logo, odm, color", 0},
		        {"trade_assurance", "no", 1}, {"response_rate", "88%", 1},
		        {"response_hours", "4 h", 1}, {"on_time_rate", "", 0},
		        {"reorder_rate", "", 0},      {"year_established", "2009", 1},
		};
		int64_t ids[] = {8, 99, 7};
		offer_detail many[3];
		double v;

		assert_int_equal(offer_detail_load_many(db, ids, 3, many, &e), 0);
		for (i = 0; i < (int)(sizeof want / sizeof want[0]); i++) {
			const offer_field *f = offer_detail_field_by_key(want[i].key);

			assert_non_null(f);
			s = offer_detail_format(f, &many[0]);
			assert_string_equal(s, want[i].text);
			free(s);
			assert_int_equal(offer_detail_number(f, &many[0], &v), want[i].known);
			assert_int_equal(offer_detail_of_supplier(f),
			                 strcmp(want[i].key, "samples") &&
			                         strcmp(want[i].key, "customization"));
		}
		assert_int_equal(many[1].samples, -1); /* not in the catalog: all unknown */
		assert_int_equal(many[1].supplier.year_established, -1);
		assert_int_equal(many[2].samples, 1);
		assert_int_equal(many[2].supplier.trade_assurance, -1);
		for (i = 0; i < 3; i++)
			offer_detail_free(&many[i]);
	}
	catalog_close(db);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_format_names),
	        cmocka_unit_test(test_csv_round_trip),
	        cmocka_unit_test(test_json_round_trip),
	        cmocka_unit_test(test_markdown),
	        cmocka_unit_test(test_no_overwrite_without_force),
	        cmocka_unit_test(test_bad_paths),
	        cmocka_unit_test(test_full_disk_keeps_old_file),
	        cmocka_unit_test(test_xlsx),
	        cmocka_unit_test(test_offer_fields_round_trip),
	        cmocka_unit_test(test_offer_old_names),
	        cmocka_unit_test(test_export_writes_offer_form),
	        cmocka_unit_test(test_offer_better),
	        cmocka_unit_test(test_offer_detail),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
