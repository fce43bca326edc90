/* bench_query: refinement-query latency (p50, p99) and peak RSS of the matching core.
 *
 * usage: bench_query CATALOG ASSETS [ROUNDS]
 * Runs a fixed mix of refinement queries (keywords plus 3 to 6 filters,
 * ranking, top 50, facets) once to warm up, then ROUNDS times (default 3),
 * and prints "bench: NAME VALUE UNIT" lines. Figures are printed, never
 * judged here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "filter.h"
#include "match.h"
#include "util.h"

static const char *const keywords[] = {
        "yoga mat",       "pickleball paddle", "ceramic mug",     "led strip",
        "power bank",     "cotton tote bag",   "water bottle",    "wireless earbuds",
        "dog leash",      "t-shirt",           "resistance band", "phone case",
        "scented candle", "kraft mailer box",  "work gloves",
};

/* Filter sets a buyer reaches after a few turns; %s is the keywords. */
static const char *const refinements[] = {
        "{\"keywords\":%s,\"price_max\":8,\"moq_max\":500,\"market\":\"US\"}",
        "{\"keywords\":%s,\"quantity\":1000,\"price_max\":5,\"verified_only\":true,"
        "\"min_rating\":4.5}",
        "{\"keywords\":%s,\"market\":\"DE\",\"certifications\":[\"CE\"],\"lead_time_max_days\":30,"
        "\"exclude_countries\":[\"CN\"]}",
        "{\"keywords\":%s,\"supplier_countries\":[\"VN\",\"IN\",\"TR\"],\"moq_max\":1000,"
        "\"samples\":true,\"currency\":\"EUR\",\"price_max\":10}",
        "{\"keywords\":%s,\"quantity\":500,\"business_type\":\"manufacturer\",\"min_years\":5,"
        "\"customization\":true,\"market\":\"GB\",\"price_max\":12}",
};

static int dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* ["yoga","mat"] from "yoga mat". */
static char *json_words(const char *s)
{
	strbuf b;
	char *copy = xstrdup(s);

	sb_init(&b);
	sb_addc(&b, '[');
	for (char *w = strtok(copy, " "); w; w = strtok(NULL, " "))
		sb_printf(&b, "%s\"%s\"", b.len > 1 ? "," : "", w);
	sb_addc(&b, ']');
	free(copy);
	return sb_steal(&b);
}

int main(int argc, char **argv)
{
	int rounds = argc > 3 ? atoi(argv[3]) : 3;
	int nk = (int)(sizeof(keywords) / sizeof(*keywords));
	int nr = (int)(sizeof(refinements) / sizeof(*refinements));
	int nq = nk * nr, nt = 0;
	souk_filter *filters;
	double *times;
	long total = 0;
	souk_err e;
	match_ctx *m;
	match_opts o;
	struct rusage ru;
	souk_ref *ref;
	double t0;

	if (argc < 3) {
		fprintf(stderr, "usage: bench_query CATALOG ASSETS [ROUNDS]\n");
		return 2;
	}
	if (rounds < 1)
		rounds = 1;
	t0 = util_now();
	/* what a process pays before its first query: the reference data and
	 * the catalog */
	ref = ref_load(argv[2], &e);
	m = ref ? match_open(argv[1], ref, &e) : NULL;
	if (!m) {
		fprintf(stderr, "bench_query: %s\n", e.msg);
		return 1;
	}
	printf("bench: query_open_ms %.1f ms\n", (util_now() - t0) * 1000);
	filters = xcalloc((size_t)nq, sizeof(*filters));
	for (int i = 0; i < nq; i++) {
		char *words = json_words(keywords[i % nk]);
		char *json = xasprintf(refinements[i / nk], words);
		if (filter_from_json(json, ref, &filters[i], &e) < 0) {
			fprintf(stderr, "bench_query: %s: %s\n", json, e.msg);
			return 1;
		}
		free(json);
		free(words);
	}
	match_opts_init(&o);
	o.limit = 50;
	o.facets = 1;
	times = xcalloc((size_t)(nq * rounds), sizeof(double));
	for (int r = -1; r < rounds; r++) {
		for (int i = 0; i < nq; i++) {
			match_result res;
			double t = util_now();
			if (match_run(m, &filters[i], &o, &res, &e) < 0) {
				fprintf(stderr, "bench_query: %s\n", e.msg);
				return 1;
			}
			t = (util_now() - t) * 1000;
			if (r == 0 && getenv("BENCH_VERBOSE"))
				fprintf(stderr, "%8.2f ms %7ld offers  %s\n", t, res.total,
				        res.relax ? res.relax : "");
			if (r >= 0) { /* the first round only warms the caches */
				times[nt++] = t;
				total += res.total;
			}
			match_result_free(&res);
		}
	}
	qsort(times, (size_t)nt, sizeof(double), dbl_cmp);
	printf("bench: query_mix_size %d queries\n", nq);
	printf("bench: query_mix_mean_results %.0f offers\n", (double)total / nt);
	printf("bench: query_p50_ms %.2f ms\n", times[nt / 2]);
	printf("bench: query_p99_ms %.2f ms\n",
	       times[(int)(nt * 0.99) < nt ? (int)(nt * 0.99) : nt - 1]);
	printf("bench: query_max_ms %.2f ms\n", times[nt - 1]);
	getrusage(RUSAGE_SELF, &ru);
	printf("bench: query_core_peak_rss_mb %.1f MB\n", ru.ru_maxrss / 1024.0);
	for (int i = 0; i < nq; i++)
		filter_free(&filters[i]);
	free(filters);
	free(times);
	match_close(m);
	ref_free(ref);
	return 0;
}
