/* bench_shortlist: cost of a session save per turn and of exporting a big shortlist. */
#include "build-config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "export.h"
#include "session.h"
#include "shortlist.h"
#include "userdb.h"

static void fill_row(match_row *r, int i)
{
	static char sup[64], title[64];

	memset(r, 0, sizeof *r);
	snprintf(sup, sizeof sup, "\xe6\xb7\xb1\xe5\x9c\xb3 Supplier %d, \"Ltd\"", i);
	snprintf(title, sizeof title, "Carbon paddle model %d", i);
	r->product_id = i + 1;
	r->supplier = sup;
	r->title = title;
	r->country = (char *)"CN";
	r->certs = (char *)"CE, RoHS";
	r->highlights = (char *)"lightest; raw carbon";
	r->reasons = (char *)"cheapest 10% at 500 pcs; exports to US";
	r->moq_unit = (char *)"pcs";
	r->price = 5 + i % 7;
	r->price_orig = r->price * 7;
	strcpy(r->currency_orig, "CNY");
	r->next_break_qty = 1000;
	r->next_break_price = r->price * 0.9;
	r->moq = 100 + i;
	r->lead_days = 20 + i % 30;
	r->landed = r->price * 1.3;
	r->rating = 4.5;
	r->reviews = i;
	r->score = 80;
}

int main(int argc, char **argv)
{
	char dir[] = "/tmp/souk-bench-XXXXXX", *path, *out, *cmd;
	int nitems = argc > 1 ? atoi(argv[1]) : 2000, i, k, rounds = 200;
	match_row *rows = calloc((size_t)nitems, sizeof *rows), marks[50];
	session_input in = {0};
	souk_filter f;
	souk_err e;
	sqlite3 *db;
	strbuf tr;
	double t0;
	static const char *const fmts[] = {"csv", "json", "md", "xlsx"};

	if (mkdtemp(dir) == NULL || rows == NULL)
		return 1;
	path = xasprintf("%s/souk.db", dir);
	if (userdb_open(path, &db, &e) < 0) {
		fprintf(stderr, "%s\n", e.msg);
		return 1;
	}
	/* A session with a 40-turn conversation and 50 marks. */
	sb_init(&tr);
	sb_add(&tr, "[");
	for (i = 0; i < 40; i++)
		sb_printf(&tr,
		          "%s{\"role\":\"%s\",\"text\":\"turn %d: pickleball paddles under $8 "
		          "for the US, MOQ below 500, carbon face\"}",
		          i ? "," : "", i % 2 ? "souk" : "user", i);
	sb_add(&tr, "]");
	filter_init(&f);
	f.quantity = 500;
	for (i = 0; i < 50; i++) {
		fill_row(&marks[i], i);
		marks[i].supplier = xasprintf("Supplier %d", i);
	}
	in.transcript_json = tr.s;
	in.filter = &f;
	in.marks = marks;
	userdb_close(db);
	/* As the dashboard does it: open, record, close, every time. First 50
	 * turns that each mark one more row, then turns that change no mark. */
	for (int phase = 0; phase < 2; phase++) {
		t0 = util_now();
		for (k = 0; k < (phase ? rounds : 50); k++) {
			if (userdb_open(path, &db, &e) < 0)
				return 1;
			in.nmarks = phase ? 50 : k + 1;
			if (session_record(db, &in, &e) < 0) {
				fprintf(stderr, "%s\n", e.msg);
				return 1;
			}
			userdb_close(db);
		}
		printf("bench: session_record_%s %.3f ms\n", phase ? "turn" : "mark_one_more",
		       (util_now() - t0) * 1000 / (phase ? rounds : 50));
	}

	if (userdb_open(path, &db, &e) < 0)
		return 1;
	t0 = util_now();
	for (i = 0; i < nitems; i++) {
		fill_row(&rows[i], i);
		if (shortlist_add(db, "big", &rows[i], &f, &e) < 0)
			return 1;
	}
	printf("bench: shortlist_add_%d_items %.1f ms\n", nitems, (util_now() - t0) * 1000);
	for (k = 0; k < 4; k++) {
		export_format fmt;

		export_format_parse(fmts[k], &fmt, &e);
		out = xasprintf("%s/big.%s", dir, fmts[k]);
		t0 = util_now();
		if (shortlist_export(db, "big", out, fmt, 1, NULL, &e) < 0) {
			printf("bench: export_%s skipped (%s)\n", fmts[k], e.msg);
		} else {
			printf("bench: export_%s_%d_items %.1f ms\n", fmts[k], nitems,
			       (util_now() - t0) * 1000);
		}
		free(out);
	}
	userdb_close(db);
	cmd = xasprintf("rm -rf '%s'", dir);
	if (system(cmd) != 0)
		return 1;
	free(cmd);
	free(path);
	free(rows);
	for (i = 0; i < 50; i++)
		free(marks[i].supplier);
	sb_free(&tr);
	filter_free(&f);
	return 0;
}
