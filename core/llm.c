/* llm: a conversation through an OpenAI-compatible model server: one turn as a non-blocking state
 * machine on a libcurl multi handle, with the offline interpreter as its fallback. */
#include "llm.h"

#include <cJSON.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dylib.h"
#include "llm_http.h"
#include "llm_tools.h"
#include "llm_wire.h"
#include "sse.h"
#include "text.h"

#define LLM_MAX_ROUNDS  6     /* tool round trips in one turn */
#define LLM_MAX_RETRIES 2     /* after a 429 or 503 */
#define LLM_MAX_WAIT_MS 10000 /* a longer Retry-After fails the turn */
#define LLM_HISTORY_MAX 40    /* messages kept from earlier turns */
#define LLM_PROMPT_MAX  (256u << 10)
#define LLM_RAW_MAX     (1u << 20) /* a non-streamed body */

enum llm_state { ST_IDLE, ST_MODELS, ST_CHAT, ST_WAIT };
/* What the server can do, learnt once per conversation. */
enum llm_mode { MODE_TOOLS, MODE_SCHEMA, MODE_NONE };
/* Why the model list is being read. */
enum models_why { MODELS_PICK, MODELS_404 };

struct llm {
	const dylib_curl *api;
	CURLM *multi;
	char *url, *model, *key;
	long idle_ms;
	char *prompt;  /* the system prompt's text */
	char *summary; /* the catalog summary, made once */
	const souk_ref
	        *ref; /* the caller's countries and certifications, for update_filters' checks */
	llm_tools tools;
	struct cJSON *history;
	enum llm_mode mode;
	/* the turn */
	enum llm_state state;
	char *line;
	struct cJSON *turn; /* this turn's messages, added to history at the end */
	llm_events ev;
	llm_outcome out;
	llm_http h;
	sse_parser sse;
	llm_msg msg;
	strbuf raw; /* a non-streamed body, or the model list */
	char *fail; /* a failure found while reading the body */
	int round, retries, applied;
	enum models_why models_why;
	double wait_until, arrived;
	int cancel;
	int in_curl; /* inside curl_multi_perform: callbacks may cancel, not clean up */
};

/* ---- setup ---- */

static char *load_prompt(const llm_settings *s, souk_err *e)
{
	char *user = s->config_dir ? xasprintf("%s/system-prompt.md", s->config_dir) : NULL;
	char *path = xasprintf("%s/llm/system-prompt.md", s->assets);
	char *text = NULL;
	souk_err ignore;

	if (user)
		text = util_read_file(user, LLM_PROMPT_MAX, NULL, &ignore);
	if (!text)
		text = util_read_file(path, LLM_PROMPT_MAX, NULL, e);
	free(user);
	free(path);
	return text;
}

llm *llm_new(const llm_settings *s, dialog *d, match_ctx *m, souk_err *e)
{
	const dylib_curl *api;
	llm *l;

	if (!s->url || !*s->url) {
		err_set(e, "no model server configured (llm_url)");
		return NULL;
	}
	if ((api = dylib_curl_get(e)) == NULL)
		return NULL;
	l = xcalloc(1, sizeof *l);
	l->api = api;
	l->ref = s->ref;
	if ((l->prompt = load_prompt(s, e)) == NULL) {
		llm_free(l);
		return NULL;
	}
	if ((l->multi = api->multi_init()) == NULL) {
		err_set(e, "libcurl could not start");
		llm_free(l);
		return NULL;
	}
	l->url = xstrdup(s->url);
	l->model = s->model && *s->model ? xstrdup(s->model) : NULL;
	l->key = s->key && *s->key ? xstrdup(s->key) : NULL;
	l->idle_ms = s->idle_ms > 0 ? s->idle_ms : LLM_IDLE_MS;
	l->tools.d = d;
	l->tools.ref = l->ref;
	l->tools.m = m;
	l->history = cJSON_CreateArray();
	sse_init(&l->sse);
	wire_msg_init(&l->msg);
	sb_init(&l->raw);
	return l;
}

static void outcome_clear(llm_outcome *o)
{
	free(o->reply);
	free(o->question);
	free(o->why);
	cJSON_Delete(o->calls);
	memset(o, 0, sizeof *o);
}

static void turn_clear(llm *l)
{
	http_end(&l->h);
	sse_free(&l->sse);
	wire_msg_free(&l->msg);
	sb_free(&l->raw);
	free(l->fail);
	l->fail = NULL;
}

static void marked_clear(llm *l)
{
	for (int i = 0; i < l->tools.nmarked; i++)
		match_row_free(&l->tools.marked[i]);
	free(l->tools.marked);
	l->tools.marked = NULL;
	l->tools.nmarked = 0;
}

void llm_set_marked(llm *l, const match_row *rows, int n)
{
	marked_clear(l);
	if (n <= 0)
		return;
	l->tools.marked = xcalloc((size_t)n, sizeof *l->tools.marked);
	for (int i = 0; i < n; i++)
		match_row_copy(&l->tools.marked[i], &rows[i]);
	l->tools.nmarked = n;
}

void llm_free(llm *l)
{
	if (!l)
		return;
	turn_clear(l);
	marked_clear(l);
	if (l->multi)
		l->api->multi_cleanup(l->multi);
	outcome_clear(&l->out);
	cJSON_Delete(l->turn);
	cJSON_Delete(l->history);
	if (l->key)
		memset(l->key, 0, strlen(l->key));
	free(l->key);
	free(l->url);
	free(l->model);
	free(l->prompt);
	free(l->summary);
	free(l->line);
	free(l);
}

/* ---- ending a turn ---- */

static void history_trim(llm *l)
{
	/* drop whole turns from the start: a tool message without the call
	 * before it is an error for every server */
	while (cJSON_GetArraySize(l->history) > LLM_HISTORY_MAX) {
		cJSON_DeleteItemFromArray(l->history, 0);
		while (cJSON_GetArraySize(l->history) > 0) {
			const char *role = cJSON_GetStringValue(
			        cJSON_GetObjectItem(cJSON_GetArrayItem(l->history, 0), "role"));
			if (role && !strcmp(role, "user"))
				break;
			cJSON_DeleteItemFromArray(l->history, 0);
		}
	}
}

static void add_message(cJSON *list, const char *role, const char *content)
{
	cJSON *m = cJSON_CreateObject();

	cJSON_AddStringToObject(m, "role", role);
	cJSON_AddStringToObject(m, "content", content ? content : "");
	cJSON_AddItemToArray(list, m);
}

static void finish(llm *l)
{
	cJSON *m;

	l->state = ST_IDLE;
	turn_clear(l);
	l->out.done_at = util_now();
	if (!l->out.cancelled) { /* the turn becomes part of the conversation */
		while ((m = cJSON_DetachItemFromArray(l->turn, 0)) != NULL)
			cJSON_AddItemToArray(l->history, m);
		history_trim(l);
	}
	cJSON_Delete(l->turn);
	l->turn = NULL;
	if (l->ev.done)
		l->ev.done(l->ev.ud, &l->out);
}

static void notice(llm *l, const char *line)
{
	if (l->ev.notice)
		l->ev.notice(l->ev.ud, line);
}

/* Takes back the filter changes the model made in this turn. */
static void undo_applied(llm *l)
{
	for (; l->applied > 0; l->applied--) {
		dialog_reply r;
		dialog_undo(l->tools.d, &r);
		dialog_reply_free(&r);
	}
}

/* The turn is answered by the offline interpreter; why goes to the chat. */
static void fall_back(llm *l, const char *why, int say)
{
	dialog_reply r;
	souk_err e;
	char *line;

	if (!l->out.failed_at)
		l->out.failed_at = util_now();
	undo_applied(l);
	cJSON_Delete(l->turn);
	l->turn = cJSON_CreateArray();
	add_message(l->turn, "user", l->line);
	free(l->out.why);
	l->out.why = why ? xstrdup(why) : NULL;
	if (l->out.why)
		http_redact(l->out.why, l->key);
	l->out.offline = 1;
	if (why && say) {
		line = xasprintf("Model server: %s. Answered offline.", l->out.why);
		notice(l, line);
		free(line);
	}
	if (dialog_turn(l->tools.d, l->line, &r, &e) == 0) {
		free(l->out.reply);
		l->out.reply = xstrdup(r.text ? r.text : "");
		l->out.question = r.question ? xstrdup(r.question) : NULL;
		add_message(l->turn, "assistant", l->out.reply);
		dialog_reply_free(&r);
	}
	finish(l);
}

/* ---- requests ---- */

/* The system message: the prompt, what the catalog holds, the filters now. */
static char *system_text(llm *l)
{
	const souk_filter *f = dialog_filter(l->tools.d);
	char *state = filter_to_json(f), *s;

	if (!l->summary)
		l->summary = tools_catalog_summary(&l->tools, f->currency);
	s = xasprintf("%s\n\n## The catalog\n\n%s\n## The buyer's filters now\n\n%s\n\n"
	              "The buyer has marked %d offer%s.\n",
	              l->prompt, l->summary, state, l->tools.nmarked,
	              l->tools.nmarked == 1 ? "" : "s");
	free(state);
	return s;
}

static char *chat_body(llm *l)
{
	cJSON *msgs = cJSON_CreateArray(), *m, *tools = NULL, *rf = NULL;
	char *sys = system_text(l), *body;

	add_message(msgs, "system", sys);
	free(sys);
	cJSON_ArrayForEach(m, l->history)
	{
		cJSON_AddItemToArray(msgs, cJSON_Duplicate(m, 1));
	}
	cJSON_ArrayForEach(m, l->turn)
	{
		cJSON_AddItemToArray(msgs, cJSON_Duplicate(m, 1));
	}
	if (l->mode == MODE_TOOLS)
		tools = tools_schema();
	else
		rf = tools_response_format();
	body = wire_request(l->model, msgs, tools, rf, 1);
	cJSON_Delete(msgs);
	cJSON_Delete(tools);
	cJSON_Delete(rf);
	return body;
}

static int on_event(void *ud, const sse_event *ev);

/* The body of a 2xx chat response, SSE or (from servers that ignore
 * "stream") one JSON document. */
static int chat_sink(void *ud, const char *buf, size_t n)
{
	llm *l = ud;

	l->arrived = util_now();
	if (l->cancel)
		return 1;
	if (l->h.is_sse)
		return sse_feed(&l->sse, buf, n, on_event, l) != 0;
	if (l->raw.len + n > LLM_RAW_MAX) {
		l->fail = xstrdup("the model server's reply is over 1 MB");
		return 1;
	}
	sb_addn(&l->raw, buf, n);
	return 0;
}

static int models_sink(void *ud, const char *buf, size_t n)
{
	llm *l = ud;

	if (l->cancel || l->raw.len + n > LLM_RAW_MAX)
		return 1;
	sb_addn(&l->raw, buf, n);
	return 0;
}

static void start_request(llm *l, const char *path, char *body, http_sink sink)
{
	souk_err e;

	turn_clear(l);
	sse_init(&l->sse);
	wire_msg_init(&l->msg);
	sb_init(&l->raw);
	if (http_start(&l->h, l->api, l->multi, l->url, path, l->key, body, l->idle_ms, sink, l,
	               &e) < 0) {
		fall_back(l, e.msg, 1);
		return;
	}
	l->state = body ? ST_CHAT : ST_MODELS;
}

static void start_chat(llm *l)
{
	start_request(l, "/chat/completions", chat_body(l), chat_sink);
}

static void start_models(llm *l, enum models_why why)
{
	l->models_why = why;
	start_request(l, "/models", NULL, models_sink);
}

/* ---- the stream ---- */

static void deliver(llm *l, size_t from)
{
	char *part, *safe;

	if (l->mode != MODE_TOOLS || !l->ev.text || from >= l->msg.content.len)
		return; /* JSON output is souk's to read, not the buyer's */
	part = xstrndup(l->msg.content.s + from, l->msg.content.len - from);
	safe = text_sanitize(part, 1);
	if (*safe)
		l->ev.text(l->ev.ud, safe, strlen(safe));
	free(safe);
	free(part);
}

static int on_event(void *ud, const sse_event *ev)
{
	llm *l = ud;
	size_t from;
	souk_err e;
	int rc;

	if (!strcmp(ev->event, "error")) { /* an error event after 200 OK */
		char *msg = wire_error_message(ev->data, ev->len);
		l->fail = xasprintf("the server reported an error mid-stream: %s", msg);
		free(msg);
		return 1;
	}
	rc = wire_chunk(&l->msg, ev->data, ev->len, &from, &e);
	if (rc != WIRE_OK) {
		l->fail = xstrdup(e.msg);
		return 1;
	}
	deliver(l, from);
	return l->msg.cut || l->cancel; /* a runaway reply, or Esc: stop reading */
}

/* ---- after a response ---- */

static int mentions(const char *msg, const char *const *words)
{
	char *low = text_lower(xstrdup(msg ? msg : ""));
	int hit = 0;

	for (; *words && !hit; words++)
		hit = strstr(low, *words) != NULL;
	free(low);
	return hit;
}

/* A request refused because the server cannot do tools (Ollama: "does not
 * support tools"; llama-server without --jinja; vLLM without
 * --enable-auto-tool-choice), or JSON-schema output. */
static int lacks(const llm_http *h, enum llm_mode mode)
{
	static const char *const tool_words[] = {"tool", NULL};
	static const char *const schema_words[] = {"response_format", "json_schema", "schema",
	                                           "grammar", NULL};
	char *msg;
	int hit;

	if (h->result != CURLE_OK || h->status < 400 || h->status == 401 || h->status == 403 ||
	    h->status == 404 || h->status == 429 || h->status == 503)
		return 0;
	msg = wire_error_message(h->errbody.s, h->errbody.len);
	hit = mentions(msg, mode == MODE_TOOLS ? tool_words : schema_words);
	free(msg);
	return hit;
}

/* 429 and 503: wait as the server asks, a few times, not long. */
static int retry_later(llm *l)
{
	long ms = l->h.retry_after_ms >= 0 ? l->h.retry_after_ms : 1000L << l->retries;

	if ((l->h.status != 429 && l->h.status != 503) || l->retries >= LLM_MAX_RETRIES ||
	    ms > LLM_MAX_WAIT_MS)
		return 0;
	l->retries++;
	l->wait_until = util_now() + (double)ms / 1000.0;
	http_end(&l->h);
	l->state = ST_WAIT;
	return 1;
}

/* The turn begins again from the buyer's line: a server that refused tools
 * part-way (it called one, then could not read its result) must not be
 * sent that call again, and what the call changed is taken back. */
static void restart_turn(llm *l)
{
	undo_applied(l);
	cJSON_Delete(l->turn);
	l->turn = cJSON_CreateArray();
	add_message(l->turn, "user", l->line);
	l->round = 0;
}

static void change_mode(llm *l, enum llm_mode to)
{
	l->mode = to;
	notice(l,
	       to == MODE_SCHEMA
	               ? "Model server: it does not support tools; souk asks it for JSON instead."
	               : "Model server: it supports neither tools nor JSON output; souk answers "
	                 "offline.");
}

/* A response that was not a 2xx reply. Returns 1 when it was handled. */
static int http_trouble(llm *l)
{
	char *why = http_failure(&l->h, l->key), *line;

	if (!why)
		return 0;
	if (l->h.status == 401 || l->h.status == 403) {
		line = xasprintf("the server refused the key (HTTP %ld); check llm_key or "
		                 "SOUK_LLM_KEY",
		                 l->h.status);
		fall_back(l, line, 1);
		free(line);
	} else if (l->h.status == 404)
		start_models(l, MODELS_404);
	else if (retry_later(l))
		;
	else if (l->mode == MODE_TOOLS && lacks(&l->h, MODE_TOOLS)) {
		change_mode(l, MODE_SCHEMA);
		restart_turn(l);
		start_chat(l);
	} else if (l->mode == MODE_SCHEMA && lacks(&l->h, MODE_SCHEMA)) {
		change_mode(l, MODE_NONE);
		fall_back(l, why, 0);
	} else
		fall_back(l, why, 1);
	free(why);
	return 1;
}

static void record_call(llm *l, const llm_call *c, const tools_outcome *o)
{
	cJSON *j = cJSON_CreateObject();

	if (!l->out.calls)
		l->out.calls = cJSON_CreateArray();
	cJSON_AddStringToObject(j, "name", c->name ? c->name : "");
	cJSON_AddStringToObject(j, "arguments", c->args.s ? c->args.s : "");
	cJSON_AddStringToObject(j, "result", o->result ? o->result : "");
	cJSON_AddBoolToObject(j, "applied", o->applied);
	cJSON_AddItemToArray(l->out.calls, j);
}

/* Runs the calls of this round and asks again with their results. */
static void run_calls(llm *l)
{
	cJSON *tm;

	for (int i = 0; i < l->msg.ncalls; i++)
		if (!l->msg.calls[i].id)
			l->msg.calls[i].id = xasprintf("call_%d_%d", l->round, i);
	cJSON_AddItemToArray(l->turn, wire_msg_to_cjson(&l->msg));
	for (int i = 0; i < l->msg.ncalls; i++) {
		const llm_call *c = &l->msg.calls[i];
		tools_outcome o;
		tools_run(&l->tools, c->name, c->args.s ? c->args.s : "", &o);
		l->applied += o.applied;
		record_call(l, c, &o);
		if (l->ev.tool)
			l->ev.tool(l->ev.ud, c->name ? c->name : "", c->args.s ? c->args.s : "",
			           o.result, o.applied);
		tm = cJSON_CreateObject();
		cJSON_AddStringToObject(tm, "role", "tool");
		cJSON_AddStringToObject(tm, "tool_call_id", c->id);
		cJSON_AddStringToObject(tm, "content", o.result ? o.result : "");
		cJSON_AddItemToArray(l->turn, tm);
		tools_outcome_free(&o);
	}
	if (++l->round >= LLM_MAX_ROUNDS) {
		fall_back(l, "the model kept calling tools without answering", 1);
		return;
	}
	start_chat(l);
}

/* JSON output (servers without tools): the object is a filter change;
 * souk applies it and describes the result itself. */
static void schema_reply(llm *l)
{
	tools_outcome o;
	llm_call c = {0};
	char *line;

	c.name = (char *)"update_filters";
	c.args = l->msg.content;
	tools_run(&l->tools, "update_filters", l->msg.content.s ? l->msg.content.s : "", &o);
	record_call(l, &c, &o);
	if (o.refused) {
		line = xasprintf("the model's filters were refused: %s", o.result);
		tools_outcome_free(&o);
		fall_back(l, line, 1);
		free(line);
		return;
	}
	l->applied += o.applied;
	if (l->ev.tool)
		l->ev.tool(l->ev.ud, "update_filters", c.args.s ? c.args.s : "", o.result,
		           o.applied);
	l->out.reply = xstrdup(o.said ? o.said : "");
	if (l->ev.text)
		l->ev.text(l->ev.ud, l->out.reply, strlen(l->out.reply));
	add_message(l->turn, "assistant", l->msg.content.s);
	tools_outcome_free(&o);
	finish(l);
}

/* What souk sent the model: its figures are the ones a reply may quote. */
static char *grounds(llm *l)
{
	const cJSON *lists[] = {l->history, l->turn}, *m;
	char *sys = system_text(l);
	strbuf b;

	sb_init(&b);
	sb_add(&b, sys);
	free(sys);
	for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++)
		cJSON_ArrayForEach(m, lists[i])
		{
			const char *role = cJSON_GetStringValue(cJSON_GetObjectItem(m, "role"));
			const char *text = cJSON_GetStringValue(cJSON_GetObjectItem(m, "content"));
			if (role && text && (!strcmp(role, "user") || !strcmp(role, "tool")))
				sb_printf(&b, "\n%s", text);
		}
	return sb_steal(&b);
}

/* Numbers must come from tool results: a figure that came from nowhere
 * souk knows is pointed out, not hidden (the buyer sees the reply). */
static void check_figures(llm *l, const char *reply)
{
	char *g = grounds(l), *odd = tools_ungrounded(reply, g), *line;

	if (odd) {
		line = xasprintf("Model server: its reply has figures no tool result gave (%s); "
		                 "check them before relying on them.",
		                 odd);
		notice(l, line);
		free(line);
	}
	free(odd);
	free(g);
}

static void final_reply(llm *l)
{
	char *safe = text_sanitize(l->msg.content.s ? l->msg.content.s : "", 1);
	static const char note[] = "\n[the model's reply was cut here: it was too long]";

	check_figures(l, safe);

	if (l->msg.cut) {
		char *with = xasprintf("%s%s", safe, note);
		free(safe);
		safe = with;
		l->out.cut = 1;
		if (l->ev.text)
			l->ev.text(l->ev.ud, note, strlen(note));
	}
	l->out.reply = safe;
	cJSON_AddItemToArray(l->turn, wire_msg_to_cjson(&l->msg));
	finish(l);
}

static void chat_done(llm *l)
{
	souk_err e;

	if (l->fail) {
		char *why = xstrdup(l->fail);
		fall_back(l, why, 1);
		free(why);
		return;
	}
	if (!l->h.stopped && http_trouble(l))
		return;
	if (l->h.is_sse && !l->msg.cut && sse_finish(&l->sse) == SSE_END_CUT) {
		fall_back(l, "the reply stopped before its end", 1);
		return;
	}
	if (!l->h.is_sse && wire_whole(&l->msg, l->raw.s ? l->raw.s : "", l->raw.len, &e) != 0) {
		fall_back(l, e.msg, 1);
		return;
	}
	if (!l->h.is_sse)
		deliver(l, 0);
	if (l->mode == MODE_SCHEMA)
		schema_reply(l);
	else if (l->msg.ncalls)
		run_calls(l);
	else if (!l->msg.content.len)
		fall_back(l, "the model sent an empty reply", 1);
	else
		final_reply(l);
}

/* "a, b, c" of the model list, or NULL when it could not be read. */
static char *model_names(llm *l, strlist *names)
{
	strbuf b;

	if (l->h.result != CURLE_OK || l->h.status < 200 || l->h.status >= 300 ||
	    wire_models(l->raw.s, names) < 0)
		return NULL;
	sb_init(&b);
	for (int i = 0; i < names->n && i < 20; i++)
		sb_printf(&b, "%s%s", i ? ", " : "", names->v[i]);
	if (!names->n)
		sb_add(&b, "no models");
	return sb_steal(&b);
}

static void models_done(llm *l)
{
	strlist names = {0};
	char *list = model_names(l, &names), *why;

	if (l->models_why == MODELS_PICK && names.n == 1) {
		l->model = xstrdup(names.v[0]);
		strlist_clear(&names);
		free(list);
		start_chat(l);
		return;
	}
	if (l->models_why == MODELS_PICK && !list && (why = http_failure(&l->h, l->key)) != NULL)
		;
	else if (l->models_why == MODELS_PICK)
		why = list ? xasprintf("no llm_model is set; the server has: %s", list)
		           : xstrdup("no llm_model is set and the server does not list its models");
	else if (list && !strlist_has(&names, l->model ? l->model : ""))
		why = xasprintf("model '%s' not found; the server has: %s", l->model, list);
	else
		why = xasprintf(
		        "HTTP 404 for %s/chat/completions; check llm_url (it usually ends in "
		        "/v1)",
		        l->url);
	strlist_clear(&names);
	free(list);
	fall_back(l, why, 1);
	free(why);
}

/* ---- driving ---- */

int llm_start(llm *l, const char *line, const llm_events *ev, souk_err *e)
{
	if (l->state != ST_IDLE) {
		err_set(e, "a turn is already running");
		return -1;
	}
	outcome_clear(&l->out);
	free(l->line);
	l->line = xstrdup(line ? line : "");
	l->ev = ev ? *ev : (llm_events){0};
	l->round = l->retries = l->applied = l->cancel = 0;
	cJSON_Delete(l->turn);
	l->turn = cJSON_CreateArray();
	add_message(l->turn, "user", l->line);
	if (l->mode == MODE_NONE)
		fall_back(l, "the server supports neither tools nor JSON output", 0);
	else if (!l->model)
		start_models(l, MODELS_PICK);
	else
		start_chat(l);
	return 0;
}

int llm_step(llm *l)
{
	int running;
	CURLMsg *msg;
	int left;

	if (l->state == ST_WAIT) {
		if (util_now() >= l->wait_until)
			start_chat(l);
		return l->state != ST_IDLE;
	}
	if (l->state == ST_IDLE)
		return 0;
	l->in_curl = 1;
	l->api->multi_perform(l->multi, &running);
	l->in_curl = 0;
	if (l->cancel) {
		llm_cancel(l);
		return 0;
	}
	while (l->h.running && (msg = l->api->multi_info_read(l->multi, &left)) != NULL)
		if (http_check(&l->h, msg))
			break;
	if (l->h.running)
		http_check(&l->h, NULL); /* the idle timeout */
	if (!l->h.running) {
		if (l->state == ST_MODELS)
			models_done(l);
		else
			chat_done(l);
	}
	return l->state != ST_IDLE;
}

static long next_ms(const llm *l, long limit)
{
	long ms = limit;

	if (l->state == ST_WAIT) {
		double left = (l->wait_until - util_now()) * 1000.0;
		ms = left <= 0 ? 0 : (long)left + 1;
	} else if (l->h.running && http_idle_left(&l->h) < ms)
		ms = http_idle_left(&l->h);
	return ms < limit ? ms : limit;
}

int llm_wait(llm *l, struct curl_waitfd *extra, unsigned n, int timeout_ms)
{
	int ret;

	if (l->state == ST_IDLE)
		return 0;
	l->api->multi_poll(l->multi, extra, n, (int)next_ms(l, timeout_ms), &ret);
	return llm_step(l);
}

void llm_fdset(llm *l, fd_set *r, fd_set *w, fd_set *x, int *maxfd, long *timeout_ms)
{
	long curl_ms = -1;

	if (l->state == ST_IDLE)
		return;
	if (l->state != ST_WAIT) {
		int m = -1;
		l->api->multi_fdset(l->multi, r, w, x, &m);
		if (m > *maxfd)
			*maxfd = m;
		l->api->multi_timeout(l->multi, &curl_ms);
		/* libcurl has work but no fd to wait on yet (name lookup) */
		if (curl_ms < 0 || (m < 0 && curl_ms > 50))
			curl_ms = m < 0 ? 50 : curl_ms;
	}
	if (curl_ms >= 0 && (*timeout_ms < 0 || curl_ms < *timeout_ms))
		*timeout_ms = curl_ms;
	*timeout_ms = next_ms(l, *timeout_ms < 0 ? LLM_IDLE_MS : *timeout_ms);
}

void llm_cancel(llm *l)
{
	if (l->state == ST_IDLE)
		return;
	l->cancel = 1;
	if (l->in_curl) /* from a text callback: llm_step finishes it */
		return;
	undo_applied(l);
	l->out.cancelled = 1;
	finish(l);
}

int llm_turn(llm *l, const char *line, const llm_events *ev, souk_err *e)
{
	if (llm_start(l, line, ev, e) < 0)
		return -1;
	while (llm_wait(l, NULL, 0, 1000))
		;
	return 0;
}

const llm_outcome *llm_result(const llm *l)
{
	return &l->out;
}

double llm_arrived(const llm *l)
{
	return l->arrived;
}

const char *llm_model(const llm *l)
{
	return l->model;
}
