/* bench_intent: time to interpret one turn, and a dialog turn without a catalog. */
#include <stdio.h>
#include <stdlib.h>

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

int main(int argc, char **argv)
{
	const char *assets = getenv("SOUK_ASSETS");
	int rounds = argc > 1 ? atoi(argv[1]) : 2000;
	souk_err e;
	if (!assets || !*assets)
		assets = "assets";
	double t0 = util_now();
	intent_vocab *v = intent_vocab_load(assets, &e);
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
	dialog *d = dialog_new(NULL, assets, &e);
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
	dialog_free(d);
	intent_vocab_free(v);
	return 0;
}
