/* bench_llm: what souk adds to a streamed turn: from a chunk's bytes reaching souk to its text
 * being delivered, and from a failure to the offline answer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dialog.h"
#include "llm.h"
#include "match.h"

#define MAX_SAMPLES 4096

typedef struct samples {
	const llm *l;
	double ms[MAX_SAMPLES];
	int n;
} samples;

static void on_text(void *ud, const char *s, size_t n)
{
	samples *sa = ud;

	(void)s;
	(void)n;
	if (sa->n < MAX_SAMPLES)
		sa->ms[sa->n++] = (util_now() - llm_arrived(sa->l)) * 1000.0;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* The reference data, loaded once by main. */
static const souk_ref *bench_ref;

static llm *open_llm(const char *url, const char *model, dialog *d, match_ctx *m)
{
	llm_settings s = {0};
	souk_err e;
	llm *l;

	s.url = url;
	s.model = model;
	s.assets = getenv("SOUK_ASSETS");
	s.ref = bench_ref;
	if ((l = llm_new(&s, d, m, &e)) == NULL)
		fprintf(stderr, "bench_llm: %s\n", e.msg);
	return l;
}

/* The streamed turn: one sample per text delta. */
static int bench_stream(const char *url, dialog *d, match_ctx *m)
{
	static samples sa;
	llm_events ev = {on_text, NULL, NULL, NULL, &sa};
	llm *l = open_llm(url, "slow", d, m);
	souk_err e;

	if (!l)
		return 1;
	sa.l = l;
	llm_turn(l, "yoga mats", &ev, &e);
	if (llm_result(l)->offline || sa.n == 0) {
		fprintf(stderr, "bench_llm: the slow stream was not answered by the model\n");
		llm_free(l);
		return 1;
	}
	qsort(sa.ms, (size_t)sa.n, sizeof sa.ms[0], cmp);
	printf("bench: llm_chunk_delivery_p50_ms %.3f ms\n", sa.ms[sa.n / 2]);
	printf("bench: llm_chunk_delivery_p99_ms %.3f ms\n", sa.ms[(sa.n - 1) * 99 / 100]);
	printf("bench: llm_chunk_delivery_max_ms %.3f ms (%d chunks; target 5)\n", sa.ms[sa.n - 1],
	       sa.n);
	llm_free(l);
	return 0;
}

/* A failure known -> the offline interpreter's answer ready. */
static int bench_fallback(const char *url, const char *model, dialog *d, match_ctx *m)
{
	llm *l = open_llm(url, model, d, m);
	const llm_outcome *o;
	souk_err e;

	if (!l)
		return 1;
	llm_turn(l, "pickleball paddles for the US under $8", NULL, &e);
	o = llm_result(l);
	if (!o->offline || !o->failed_at) {
		fprintf(stderr, "bench_llm: %s did not fall back\n", model);
		llm_free(l);
		return 1;
	}
	printf("bench: llm_fallback_%s_ms %.3f ms (target 100)\n", model,
	       (o->done_at - o->failed_at) * 1000.0);
	llm_free(l);
	return 0;
}

int main(int argc, char **argv)
{
	const char *assets = getenv("SOUK_ASSETS");
	match_ctx *m = NULL;
	souk_ref *ref;
	souk_err e;
	dialog *d;
	int rc;

	if (argc < 2 || !assets) {
		fprintf(stderr, "usage: SOUK_ASSETS=DIR bench_llm URL [CATALOG]\n");
		return 2;
	}
	if ((ref = ref_load(assets, &e)) == NULL) {
		fprintf(stderr, "bench_llm: %s\n", e.msg);
		return 1;
	}
	bench_ref = ref;
	if (argc > 2 && (m = match_open(argv[2], ref, &e)) == NULL) {
		fprintf(stderr, "bench_llm: %s\n", e.msg);
		ref_free(ref);
		return 1;
	}
	if ((d = dialog_new(m, ref, &e)) == NULL) {
		fprintf(stderr, "bench_llm: %s\n", e.msg);
		match_close(m);
		ref_free(ref);
		return 1;
	}
	rc = bench_stream(argv[1], d, m);
	rc |= bench_fallback(argv[1], "err-string", d, m);
	rc |= bench_fallback(argv[1], "cut", d, m);
	dialog_free(d);
	match_close(m);
	ref_free(ref);
	return rc;
}
