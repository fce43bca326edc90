/* bench_intent: time to interpret one turn (mean, p50, p99, with the catalog's vocabulary when
 * given), and a dialog turn without a catalog. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "dialog.h"
#include "intent.h"

static const char *const turns[] = {
        "pickleball paddles for the US market under $8, MOQ below 500",
        "Need 2000 yoga mats, TPE, ship within 30 days",
        "stainless steel water bottles from Vietnam or India, verified suppliers only",
        "bamboo toothbrushes, price between $0.20 and $0.45, custom logo",
        "hoodies from Pakistan or Bangladesh, BSCI audited, need samples first",
        "lip gloss tubes, minimum rating 4.6, at least 3 years on the platform",
        "make it 3000 units",
        "forget the price limit",
        "camping tents, 200 units, under $40, lead time within 60 days, verified",
        "two thousand five hundred kids backpacks with CPSIA and EN71, not from China",
};

static int dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The thread's CPU time in seconds: a turn is too short for wall time on
 * a shared machine, where one preemption (a few ms) is the whole p99. */
static double cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Each turn timed on its own, with the catalog's vocabulary (argv[2])
 * when given: the p50 and p99 a buyer meets, lookups included. */
static void per_turn(const intent_vocab *v, const souk_vocab *cv, int rounds)
{
	int n = (int)(sizeof(turns) / sizeof(*turns)), k = 0;
	double *t = malloc(sizeof(double) * (size_t)rounds * (size_t)n);
	intent_ctx ctx;

	if (!t)
		return;
	intent_ctx_init(&ctx);
	ctx.catalog = cv;
	for (int r = 0; r < rounds; r++)
		for (int i = 0; i < n; i++) {
			intent_result res;
			double a = cpu_now();
			intent_result_init(&res);
			intent_parse(v, turns[i], &ctx, &res);
			intent_result_free(&res);
			t[k++] = (cpu_now() - a) * 1e6;
		}
	qsort(t, (size_t)k, sizeof(double), dbl_cmp);
	printf("bench: intent_turn_p50_us %.1f us (CPU time%s)\n", t[k / 2],
	       cv ? ", with the catalog's vocabulary" : "");
	printf("bench: intent_turn_p99_us %.1f us (target 1000)\n", t[(int)(k * 0.99)]);
	free(t);
}

int main(int argc, char **argv)
{
	const char *assets = getenv("SOUK_ASSETS");
	int rounds = argc > 1 ? atoi(argv[1]) : 2000;
	souk_err e;
	if (!assets || !*assets)
		assets = "assets";
	double t0 = util_now();
	souk_ref *ref = ref_load(assets, &e);
	intent_vocab *v = ref ? intent_vocab_load(ref, &e) : NULL;
	double t1 = util_now();
	if (!v) {
		fprintf(stderr, "bench_intent: %s\n", e.msg);
		return 1;
	}
	int n = (int)(sizeof(turns) / sizeof(*turns));
	double start = util_now();
	for (int r = 0; r < rounds; r++) {
		for (int i = 0; i < n; i++) {
			intent_result res;
			intent_result_init(&res);
			intent_parse(v, turns[i], NULL, &res);
			intent_result_free(&res);
		}
	}
	double per = (util_now() - start) / ((double)rounds * n) * 1e6;
	dialog *d = dialog_new(NULL, ref, &e);
	if (!d) {
		fprintf(stderr, "bench_intent: %s\n", e.msg);
		intent_vocab_free(v);
		return 1;
	}
	start = util_now();
	int dturns = rounds / 4 > 0 ? rounds / 4 : 1;
	for (int r = 0; r < dturns; r++) {
		dialog_reply rep;
		if (dialog_turn(d, turns[r % n], &rep, &e) == 0)
			dialog_reply_free(&rep);
	}
	double dper = (util_now() - start) / dturns * 1e6;
	printf("bench: intent_vocab_load_ms %.2f ms\n", (t1 - t0) * 1e3);
	printf("bench: intent_turn_us %.1f us\n", per);
	printf("bench: dialog_turn_nocatalog_us %.1f us\n", dper);
	{
		sqlite3 *db = NULL;
		souk_vocab *cv = NULL;
		if (argc > 2 &&
		    sqlite3_open_v2(argv[2], &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK)
			cv = vocab_open(db, &e);
		per_turn(v, cv, rounds / 4 > 0 ? rounds / 4 : 1);
		vocab_free(cv);
		sqlite3_close(db);
	}
	dialog_free(d);
	intent_vocab_free(v);
	ref_free(ref);
	return 0;
}
