/* chat_llm: the chat's turns through the model server, run on the event loop's thread. */
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "cmd_llm.h"
#include "text.h"

/* The conversation through the model uses its own dialog on the main
 * thread's catalog connection: the worker's dialog is another thread's,
 * and a turn's tool calls change the filters while it streams. The two
 * are brought level at each turn's start and end. */
void chat_llm_open(app *a)
{
	souk_err e;

	if (a->cfg->llm_url == NULL || !*a->cfg->llm_url)
		return;
	if ((a->llm_dlg = dialog_new(a->mctx, a->cfg->ref, &e)) == NULL ||
	    (a->llm = cmd_llm_open(a->cfg, a->llm_dlg, a->mctx, &e)) == NULL) {
		char *line = xasprintf(
		        "The model server cannot be used (%s): souk answers offline.", e.msg);

		app_chat_add(a, CHAT_ERROR, line);
		free(line);
	}
}

void chat_llm_free(app *a)
{
	if (a->llm)
		llm_free(a->llm);
	if (a->llm_dlg)
		dialog_free(a->llm_dlg);
	a->llm = NULL;
	a->llm_dlg = NULL;
	filter_free(&a->llm_before);
	free(a->timing.llm_chunk_ms);
	free(a->timing.llm_fallback_ms);
	a->timing.llm_chunk_ms = a->timing.llm_fallback_ms = NULL;
	a->timing.nllm_chunk = a->timing.nllm_fallback = 0;
}

/* --replay times what souk adds: from the bytes' arrival (or the failure)
 * to the frame that shows them. A fallback replaces a chunk the same step
 * brought, since the offline answer replaces the streamed words. */
static void time_from(app *a, double t, int fallback)
{
	if (!a->replay || t <= 0 || (a->timing.llm_from && !fallback))
		return;
	a->timing.llm_from = t;
	a->timing.llm_from_fallback = fallback;
}

void chat_llm_frame(app *a)
{
	app_timing *t = &a->timing;
	double ms = (util_now() - t->llm_from) * 1000.0;

	if (!t->llm_from)
		return;
	if (t->llm_from_fallback) {
		t->llm_fallback_ms = xgrow(t->llm_fallback_ms, t->nllm_fallback, sizeof ms);
		t->llm_fallback_ms[t->nllm_fallback++] = ms;
	} else {
		t->llm_chunk_ms = xgrow(t->llm_chunk_ms, t->nllm_chunk, sizeof ms);
		t->llm_chunk_ms[t->nllm_chunk++] = ms;
	}
	t->llm_from = 0;
}

/* The model's filters are the grid's now: the grid refines at once. */
static void take_filter(app *a)
{
	filter_free(&a->filter);
	filter_copy(&a->filter, dialog_filter(a->llm_dlg));
	results_clear_similar(a);
	results_post(a);
}

static void on_text(void *ud, const char *s, size_t n)
{
	app *a = ud;
	chat_entry *c;
	size_t len;

	if (a->llm_entry < 0) {
		app_chat_add(a, CHAT_SOUK, "");
		a->llm_entry = a->nchat - 1;
	}
	c = &a->chat[a->llm_entry];
	len = strlen(c->text);
	c->text = xrealloc(c->text, len + n + 1);
	memcpy(c->text + len, s, n); /* already sanitised by llm */
	c->text[len + n] = '\0';
	time_from(a, llm_arrived(a->llm), 0);
}

static void on_tool(void *ud, const char *name, const char *args, const char *result, int applied)
{
	app *a = ud;

	(void)name;
	(void)args;
	(void)result;
	if (applied)
		take_filter(a);
}

static void on_notice(void *ud, const char *line)
{
	app_chat_add(ud, CHAT_INFO, line);
}

static void drop_streamed(app *a)
{
	if (a->llm_entry < 0)
		return;
	free(a->chat[a->llm_entry].text);
	memmove(&a->chat[a->llm_entry], &a->chat[a->llm_entry + 1],
	        sizeof *a->chat * (size_t)(a->nchat - a->llm_entry - 1));
	a->nchat--;
	a->llm_entry = -1;
}

/* The streamed entry gives way to the final reply: the model's words in
 * place, or the offline interpreter's after the line saying why. */
static void show_reply(app *a, const llm_outcome *o)
{
	if (o->offline)
		drop_streamed(a);
	if (a->llm_entry >= 0) {
		free(a->chat[a->llm_entry].text);
		a->chat[a->llm_entry].text = text_sanitize(o->reply ? o->reply : "", 1);
		a->llm_entry = -1;
	} else if (o->reply && *o->reply) {
		app_chat_add(a, CHAT_SOUK, o->reply);
	}
	if (o->question && *o->question)
		app_chat_add(a, CHAT_QUESTION, o->question);
}

static void on_done(void *ud, const llm_outcome *o)
{
	app *a = ud;

	a->llm_busy = 0;
	if (o->offline)
		time_from(a, o->failed_at, 1);
	if (o->cancelled) {
		drop_streamed(a);
		app_chat_add(a, CHAT_INFO, "Cancelled: the filters are as they were before it.");
		filter_free(&a->filter);
		filter_copy(&a->filter, &a->llm_before);
		results_post(a);
	} else {
		show_reply(a, o);
		if (!filter_equal(&a->filter, dialog_filter(a->llm_dlg)))
			take_filter(a);
	}
	/* the worker's dialog has waited idle for the turn: the model's filters
	 * become its state in one undo step, so u takes them back (a cancelled
	 * turn left the filters as they were: nothing to adopt) */
	if (!o->cancelled)
		dialog_adopt_filter(a->dlg, dialog_filter(a->llm_dlg));
	app_changed(a);
	app_dialog_next(a);
}

int chat_llm_turn(app *a, const char *line)
{
	llm_events ev = {on_text, on_tool, on_notice, on_done, a};
	souk_err e;

	if (a->llm == NULL)
		return 0;
	if (a->llm_busy) {
		app_message(a, "A reply is still coming: Esc cancels it");
		return 1;
	}
	if (a->dlg_busy || a->nops > 0) {
		app_message(a, "Still applying the last change: send it again in a moment");
		return 1;
	}
	dialog_set_filter(a->llm_dlg, &a->filter);
	filter_free(&a->llm_before);
	filter_copy(&a->llm_before, &a->filter);
	a->llm_entry = -1;
	a->llm_busy = 1;
	llm_set_marked(a->llm, a->marks, a->nmarks);
	if (llm_start(a->llm, line, &ev, &e) < 0) {
		a->llm_busy = 0;
		app_chat_add(a, CHAT_ERROR, e.msg);
	}
	return 1;
}

int chat_llm_cancel(app *a)
{
	if (!a->llm_busy)
		return 0;
	llm_cancel(a->llm);
	return 1;
}

/* The turn's network and the loop's fds in one wait. */
void chat_llm_wait(app *a, struct curl_waitfd *fds, unsigned n, int timeout_ms)
{
	llm_wait(a->llm, fds, n, timeout_ms);
}

const char *chat_llm_engine(app *a, char *buf, size_t len)
{
	const char *m;

	if (a->llm == NULL)
		return "offline";
	m = llm_model(a->llm);
	if (m == NULL || !*m)
		m = a->cfg->llm_model;
	snprintf(buf, len, "llm: %s", m && *m ? m : "?");
	return buf;
}
