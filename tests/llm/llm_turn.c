/* llm_turn: drives core/llm's non-blocking turn against the loopback server the way an event loop
 * does (select on llm_fdset), cancels one mid-stream, and prints what happened for tests/cli/llm.sh
 * to check. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>

#include "dialog.h"
#include "filter.h"
#include "llm.h"

typedef struct seen {
	llm *l;
	int texts, tools, done, cancel_after;
	strbuf text;
} seen;

static void on_text(void *ud, const char *s, size_t n)
{
	seen *x = ud;

	sb_addn(&x->text, s, n);
	if (++x->texts == x->cancel_after)
		llm_cancel(x->l); /* Esc pressed while the reply streams in */
}

static void on_tool(void *ud, const char *name, const char *args, const char *result, int applied)
{
	seen *x = ud;

	(void)name, (void)args, (void)result, (void)applied;
	x->tools++;
}

static void on_done(void *ud, const llm_outcome *o)
{
	seen *x = ud;

	(void)o;
	x->done++;
}

/* One turn through select(), as the dashboard's loop would run it. */
static void run(llm *l, const char *line, seen *x)
{
	llm_events ev = {on_text, on_tool, NULL, on_done, x};
	souk_err e;
	int running;

	if (llm_start(l, line, &ev, &e) < 0) {
		fprintf(stderr, "llm_turn: %s\n", e.msg);
		exit(1);
	}
	do {
		fd_set r, w, xs;
		long ms = -1;
		int maxfd = -1;
		struct timeval tv;

		FD_ZERO(&r);
		FD_ZERO(&w);
		FD_ZERO(&xs);
		llm_fdset(l, &r, &w, &xs, &maxfd, &ms);
		tv.tv_sec = ms / 1000;
		tv.tv_usec = (ms % 1000) * 1000;
		select(maxfd + 1, &r, &w, &xs, &tv);
		running = llm_step(l);
	} while (running);
}

int main(int argc, char **argv)
{
	llm_settings s = {0};
	souk_ref *ref;
	seen x;
	souk_err e;
	dialog *d;

	if (argc < 4) {
		fprintf(stderr, "usage: llm_turn URL MODEL CANCEL_AFTER [TURN...]\n");
		return 2;
	}
	memset(&x, 0, sizeof x);
	sb_init(&x.text);
	s.url = argv[1];
	s.model = argv[2];
	s.key = getenv("SOUK_LLM_KEY"); /* the header, as souk sends it */
	s.assets = getenv("SOUK_ASSETS");
	x.cancel_after = atoi(argv[3]);
	if ((ref = ref_load(s.assets, &e)) == NULL) {
		fprintf(stderr, "llm_turn: %s\n", e.msg);
		return 1;
	}
	s.ref = ref;
	if ((d = dialog_new(NULL, ref, &e)) == NULL || (x.l = llm_new(&s, d, NULL, &e)) == NULL) {
		fprintf(stderr, "llm_turn: %s\n", e.msg);
		return 1;
	}
	for (int i = 4; i < argc; i++) {
		const llm_outcome *o;
		x.texts = x.tools = x.done = 0;
		x.text.len = 0;
		run(x.l, argv[i], &x);
		o = llm_result(x.l);
		printf("turn %d: done=%d cancelled=%d offline=%d texts=%d tools=%d price_max=%g "
		       "empty=%d\n",
		       i - 3, x.done, o->cancelled, o->offline, x.texts, x.tools,
		       dialog_filter(d)->price_max, filter_is_empty(dialog_filter(d)));
		x.cancel_after = 0; /* only the first turn is cancelled */
	}
	llm_free(x.l);
	dialog_free(d);
	ref_free(ref);
	sb_free(&x.text);
	return 0;
}
