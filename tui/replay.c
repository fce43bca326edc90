/* replay: `souk --replay FILE`: keystrokes from a file, timings out. */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "dylib.h"
#include "term.h"
#include "text.h"

static int replay_token(const char **pp, int *key, int *wait)
{
	static const struct {
		const char *name;
		int key;
	} names[] = {
	        {"Enter", '\r'},
	        {"Tab", '\t'},
	        {"BTab", VIEW_KEY(KEY_BTAB)},
	        {"Up", VIEW_KEY(KEY_UP)},
	        {"Down", VIEW_KEY(KEY_DOWN)},
	        {"Left", VIEW_KEY(KEY_LEFT)},
	        {"Right", VIEW_KEY(KEY_RIGHT)},
	        {"PgUp", VIEW_KEY(KEY_PPAGE)},
	        {"PgDn", VIEW_KEY(KEY_NPAGE)},
	        {"Home", VIEW_KEY(KEY_HOME)},
	        {"End", VIEW_KEY(KEY_END)},
	        {"Space", ' '},
	        {"Esc", VIEW_ESC},
	        {"BS", VIEW_KEY(KEY_BACKSPACE)},
	        {"Del", VIEW_KEY(KEY_DC)},
	        {"F1", VIEW_KEY(KEY_F(1))},
	        {"lt", '<'},
	};
	const char *p = *pp;
	uint32_t cp;
	size_t i;

	*wait = 0;
	while (*p == '\n' || *p == '\r')
		p++;
	if (*p == '\0')
		return 0;
	if (*p == '<') {
		const char *end = strchr(p, '>');

		if (end) {
			size_t len = (size_t)(end - p - 1);

			if (len == 4 && strncmp(p + 1, "wait", 4) == 0) {
				*wait = 1;
				*pp = end + 1;
				return 1;
			}
			if (len == 5 && strncmp(p + 1, "pause", 5) == 0) {
				*wait = 2;
				*pp = end + 1;
				return 1;
			}
			if (len == 3 && p[1] == 'C' && p[2] == '-') {
				*key = VIEW_CTRL(p[3]);
				*pp = end + 1;
				return 1;
			}
			for (i = 0; i < sizeof names / sizeof names[0]; i++)
				if (strlen(names[i].name) == len &&
				    strncmp(p + 1, names[i].name, len) == 0) {
					*key = names[i].key;
					*pp = end + 1;
					return 1;
				}
		}
	}
	*pp = p + text_decode(p, strlen(p), &cp);
	*key = (int)cp;
	return 1;
}

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return a < b ? -1 : a > b;
}

static double pct(const double *v, int n, double p)
{
	int i = (int)(p * (n - 1) + 0.5);

	return n ? v[i] : 0;
}

/* Waits for the worker's answer (<wait> in the script), or 10 ms like a
 * typist between keys (<pause>), taking results as the loop would. */
static void replay_wait(app *a, int pause)
{
	double until = util_now() + (pause ? 0.010 : 60);

	while ((pause || a->busy || a->dlg_busy || a->nops || a->llm_busy) && util_now() < until) {
		struct curl_waitfd fd;
		int left = (int)((until - util_now()) * 1000) + 1;

		memset(&fd, 0, sizeof fd);
		fd.fd = a->wake[0];
		fd.events = CURL_WAIT_POLLIN;
		loop_wait(a, &fd, 1, left < 100 ? left : 100);
		if (fd.revents)
			results_take(a);
		if (fd.revents || a->timing.llm_from) /* the model's words as they come */
			loop_draw(a);
	}
	loop_draw(a);
}

static void add_ms(double **v, int *n, double ms)
{
	*v = xgrow(*v, *n, sizeof **v);
	(*v)[(*n)++] = ms;
}

static void report_line(FILE *f, const char *what, double *v, int n)
{
	if (n > 1) /* v is NULL when nothing was timed: qsort must not see it */
		qsort(v, (size_t)n, sizeof *v, cmp_double);
	fprintf(f, "replay: %s %d p50_ms %.3f p99_ms %.3f max_ms %.3f\n", what, n, pct(v, n, 0.5),
	        pct(v, n, 0.99), n ? v[n - 1] : 0.0);
}

/* Keys from the script, each timed from handling to the frame on screen.
 * Enter in the chat (a whole turn) is timed apart from the other keys. */
int app_replay(app *a, const char *script, FILE *report)
{
	const char *p = script;
	int key, wait, nk = 0, nb = 0, nt = 0;
	double *keys = NULL, *busy = NULL, *turns = NULL;

	loop_draw(a);
	while (!a->quit && replay_token(&p, &key, &wait)) {
		double t0, ms;
		int was_busy, turn;

		if (wait) {
			replay_wait(a, wait == 2);
			continue;
		}
		t0 = util_now();
		was_busy = a->busy || a->dlg_busy;
		turn = a->focus == FOCUS_CHAT && a->nviews == 0 && a->pr.kind == PROMPT_NONE &&
		       (key == '\r' || key == '\n');
		loop_key(a, key);
		results_take(a);
		loop_draw(a);
		ms = (util_now() - t0) * 1000.0;
		if (turn) {
			add_ms(&turns, &nt, ms);
			continue;
		}
		add_ms(&keys, &nk, ms);
		if (was_busy)
			add_ms(&busy, &nb, ms);
	}
	replay_wait(a, 0);
	/* the report is often stderr: out of the log first */
	term_stderr_restore();
	fprintf(report, "replay: first_frame_ms %.1f\n", a->timing.first_frame_ms);
	fprintf(report, "replay: first_rows_ms %.1f\n", a->timing.first_rows_ms);
	report_line(report, "keys", keys, nk);
	report_line(report, "keys_while_query", busy, nb);
	report_line(report, "turns", turns, nt);
	fprintf(report, "replay: replies %d mean_ms %.1f max_ms %.1f\n", a->timing.nreplies,
	        a->timing.nreplies ? a->timing.reply_sum_ms / a->timing.nreplies : 0.0,
	        a->timing.reply_max_ms);
	if (a->timing.nllm_chunk || a->timing.nllm_fallback) {
		report_line(report, "llm_chunks", a->timing.llm_chunk_ms, a->timing.nllm_chunk);
		report_line(report, "llm_fallbacks", a->timing.llm_fallback_ms,
		            a->timing.nllm_fallback);
	}
	fprintf(report, "replay: results %ld marked %d last_query_ms %.1f\n",
	        a->have_result ? a->res.total : 0L, a->nmarks, a->last_query_ms);
	fflush(report);
	free(keys);
	free(busy);
	free(turns);
	return 0;
}
