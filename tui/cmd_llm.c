/* cmd_llm: `souk llm check`, and the model server as the commands open it. */
#include "cmd_llm.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "dylib.h"
#include "llm_http.h"
#include "llm_tools.h"
#include "llm_wire.h"
#include "sse.h"

llm *cmd_llm_open(const souk_config *cfg, dialog *d, match_ctx *m, souk_err *e)
{
	llm_settings s = {0};
	const char *t = getenv("SOUK_LLM_IDLE_TIMEOUT");

	s.url = cfg->llm_url;
	s.model = cfg->llm_model;
	s.key = cfg->llm_key;
	s.assets = cfg->assets;
	s.ref = cfg->ref;
	s.config_dir = cfg->config_dir;
	if (t && *t)
		s.idle_ms = (long)(atof(t) * 1000.0);
	return llm_new(&s, d, m, e);
}

static void notice_stderr(void *ud, const char *line)
{
	(void)ud;
	fprintf(stderr, "souk: %s\n", line);
}

int cmd_llm_filter(const souk_config *cfg, match_ctx *m, const char *line, souk_filter *f,
                   souk_err *e)
{
	llm_events ev = {NULL, NULL, notice_stderr, NULL, NULL};
	dialog *d;
	llm *l;
	int rc;

	if ((d = cmd_dialog_new(cfg, m, e)) == NULL)
		return -1;
	if ((l = cmd_llm_open(cfg, d, m, e)) == NULL) {
		dialog_free(d);
		return -1;
	}
	rc = llm_turn(l, line, &ev, e);
	if (rc == 0)
		filter_copy(f, dialog_filter(d));
	llm_free(l);
	dialog_free(d);
	return rc;
}

int cmd_engine_option(int argc, char **argv, int *i, const char **engine)
{
	if (strcmp(argv[*i], "--engine") != 0)
		return 0;
	if (*i + 1 >= argc) {
		cmd_fail(2, "--engine needs a value: offline or llm");
		return -1;
	}
	*engine = argv[++*i];
	if (strcmp(*engine, "offline") && strcmp(*engine, "llm")) {
		cmd_fail(2, "--engine is offline or llm, not '%s'", *engine);
		return -1;
	}
	return 1;
}

/* ---- souk llm check ---- */

/* One blocking request; the body (capped) in out. */
static int sink_buf(void *ud, const char *buf, size_t n)
{
	strbuf *b = ud;

	if (b->len + n > (1u << 20))
		return 1;
	sb_addn(b, buf, n);
	return 0;
}

static int fetch(const dylib_curl *api, const souk_config *cfg, const char *path, char *body,
                 strbuf *out, char **why)
{
	CURLM *multi = api->multi_init();
	llm_http h;
	souk_err e;
	int running, left, ret;
	CURLMsg *msg;

	if (http_start(&h, api, multi, cfg->llm_url, path, cfg->llm_key, body, 15000, sink_buf, out,
	               &e) < 0) {
		*why = xstrdup(e.msg);
		api->multi_cleanup(multi);
		return -1;
	}
	while (h.running) {
		api->multi_poll(multi, NULL, 0, 200, &ret);
		api->multi_perform(multi, &running);
		while ((msg = api->multi_info_read(multi, &left)) != NULL)
			http_check(&h, msg);
		http_check(&h, NULL);
	}
	*why = http_failure(&h, cfg->llm_key);
	if (!*why && h.status == 404)
		*why = xstrdup("HTTP 404");
	http_end(&h);
	api->multi_cleanup(multi);
	return *why ? -1 : 0;
}

static int check_models(const dylib_curl *api, const souk_config *cfg, char **model)
{
	strbuf b;
	strlist names = {0};
	char *why = NULL;
	int ok = 0;

	sb_init(&b);
	if (fetch(api, cfg, "/models", NULL, &b, &why) < 0 || wire_models(b.s, &names) < 0) {
		printf("model list:  FAIL  %s\n", why ? why : "GET /models gave no model list");
		printf("             fix: check llm_url (%s); OpenAI-compatible servers answer "
		       "GET %s/models\n",
		       cfg->llm_url, cfg->llm_url);
	} else {
		strbuf list;
		sb_init(&list);
		for (int i = 0; i < names.n && i < 20; i++)
			sb_printf(&list, "%s%s", i ? ", " : "", names.v[i]);
		if (*model && !strlist_has(&names, *model)) {
			printf("model list:  FAIL  model '%s' not found; the server has: %s\n",
			       *model, list.s ? list.s : "no models");
			printf("             fix: set llm_model (or SOUK_LLM_MODEL) to one of "
			       "them\n");
		} else if (!*model && names.n != 1) {
			printf("model list:  FAIL  no llm_model is set; the server has: %s\n",
			       list.s ? list.s : "no models");
		} else {
			if (!*model)
				*model = xstrdup(names.v[0]);
			printf("model list:  ok    '%s' is there (%d model%s)\n", *model, names.n,
			       names.n == 1 ? "" : "s");
			ok = 1;
		}
		sb_free(&list);
	}
	strlist_clear(&names);
	free(why);
	sb_free(&b);
	return ok;
}

static int sse_collect(void *ud, const sse_event *ev)
{
	souk_err e;
	size_t from;

	return wire_chunk(ud, ev->data, ev->len, &from, &e) != WIRE_OK;
}

static cJSON *check_question(void)
{
	cJSON *msgs = cJSON_CreateArray(), *m = cJSON_CreateObject();

	cJSON_AddStringToObject(m, "role", "user");
	cJSON_AddStringToObject(m, "content",
	                        "Set the filters for: 500 yoga mats under 5 USD from Vietnam.");
	cJSON_AddItemToArray(msgs, m);
	return msgs;
}

/* msgs is not taken over. */
static char *check_body(const cJSON *msgs, const char *model, int tools, int stream)
{
	cJSON *t = tools ? tools_schema() : NULL, *rf = tools ? NULL : tools_response_format();
	char *body = wire_request(model, msgs, t, rf, stream);

	cJSON_Delete(t);
	cJSON_Delete(rf);
	return body;
}

/* One streamed request (body taken over), assembled in msg: NULL, or why
 * it failed. A server that ignores "stream" and sends one JSON document
 * passes, as the conversation reads that too. */
static char *check_stream(const dylib_curl *api, const souk_config *cfg, char *body, llm_msg *msg)
{
	strbuf b;
	sse_parser p;
	souk_err e;
	char *why = NULL;

	sb_init(&b);
	sse_init(&p);
	if (fetch(api, cfg, "/chat/completions", body, &b, &why) == 0 &&
	    (sse_feed(&p, b.s ? b.s : "", b.len, sse_collect, msg) != 0 ||
	     sse_finish(&p) != SSE_END_DONE) &&
	    (p.events || wire_whole(msg, b.s ? b.s : "", b.len, &e) != WIRE_OK))
		why = xstrdup("the streamed reply was not complete Server-Sent Events");
	sse_free(&p);
	sb_free(&b);
	return why;
}

/* The round trip's second half: a tool result goes back (as souk sends
 * one) and the model must answer in words. */
static int check_answer(const dylib_curl *api, const souk_config *cfg, const char *model,
                        cJSON *msgs, llm_msg *call)
{
	cJSON *tm = cJSON_CreateObject();
	llm_msg reply;
	char *why;
	int ok = 0;

	if (!call->calls[0].id)
		call->calls[0].id = xstrdup("call_check");
	cJSON_AddItemToArray(msgs, wire_msg_to_cjson(call));
	cJSON_AddStringToObject(tm, "role", "tool");
	cJSON_AddStringToObject(tm, "tool_call_id", call->calls[0].id);
	cJSON_AddStringToObject(tm, "content", "{\"applied\":true,\"offers\":42,\"suppliers\":7}");
	cJSON_AddItemToArray(msgs, tm);
	wire_msg_init(&reply);
	if ((why = check_stream(api, cfg, check_body(msgs, model, 1, 1), &reply)) != NULL)
		printf("tool result: FAIL  %s\n             fix: the server must accept tool "
		       "results (role \"tool\") in its chat template\n",
		       why);
	else if (!reply.content.len)
		printf("tool result: FAIL  the model sent no words after the tool result\n");
	else {
		printf("tool result: ok    the model answered from it in words\n");
		ok = 1;
	}
	free(why);
	wire_msg_free(&reply);
	return ok;
}

/* One streamed tool-call round trip: the call, then the answer. */
static int check_tools(const dylib_curl *api, const souk_config *cfg, const char *model)
{
	cJSON *msgs = check_question(), *a;
	llm_msg msg;
	char *why;
	int ok = 0;

	wire_msg_init(&msg);
	if ((why = check_stream(api, cfg, check_body(msgs, model, 1, 1), &msg)) != NULL)
		printf("tool calls:  FAIL  %s\n", why);
	else if (!msg.ncalls || !msg.calls[0].name || strcmp(msg.calls[0].name, "update_filters"))
		printf("tool calls:  FAIL  the model answered in words instead of calling "
		       "update_filters\n             fix: use a model that supports tool calls\n");
	else if ((a = cJSON_Parse(msg.calls[0].args.s ? msg.calls[0].args.s : "")) == NULL)
		printf("tool calls:  FAIL  update_filters' arguments are not JSON\n");
	else {
		cJSON_Delete(a);
		printf("tool calls:  ok    update_filters(valid JSON arguments)\n");
		ok = check_answer(api, cfg, model, msgs, &msg);
	}
	if (why && strstr(why, "tool"))
		printf("             souk will ask this server for JSON output instead\n");
	free(why);
	cJSON_Delete(msgs);
	wire_msg_free(&msg);
	return ok;
}

static int check_schema(const dylib_curl *api, const souk_config *cfg, const char *model)
{
	cJSON *msgs = check_question();
	strbuf b;
	llm_msg msg;
	souk_err e;
	char *why = NULL;
	int ok = 0;

	sb_init(&b);
	wire_msg_init(&msg);
	if (fetch(api, cfg, "/chat/completions", check_body(msgs, model, 0, 0), &b, &why) < 0)
		printf("JSON output: FAIL  %s\n", why);
	else if (wire_whole(&msg, b.s ? b.s : "", b.len, &e) != WIRE_OK)
		printf("JSON output: FAIL  %s\n", e.msg);
	else {
		cJSON *o = cJSON_Parse(msg.content.s ? msg.content.s : "");
		ok = cJSON_IsObject(o);
		printf("JSON output: %s\n", ok ? "ok    the reply is a JSON object"
		                               : "FAIL  the reply is not a JSON object");
		cJSON_Delete(o);
	}
	free(why);
	cJSON_Delete(msgs);
	wire_msg_free(&msg);
	sb_free(&b);
	return ok;
}

static int llm_check(const souk_config *cfg)
{
	const dylib_curl *api;
	souk_err e;
	char *model = cfg->llm_model ? xstrdup(cfg->llm_model) : NULL;
	int models, tools = 0, schema = 0;

	if (!cfg->llm_url)
		return cmd_fail(1,
		                "no model server configured: set llm_url in %s/config or "
		                "SOUK_LLM_URL (e.g. http://localhost:11434/v1)",
		                cfg->config_dir);
	if ((api = dylib_curl_get(&e)) == NULL)
		return cmd_fail(1, "%s", e.msg);
	printf("server:      %s\nmodel:       %s\nkey:         %s\n", cfg->llm_url,
	       model ? model : "(not set)", cfg->llm_key ? "set (not shown)" : "none");
	models = check_models(api, cfg, &model);
	if (models) {
		tools = check_tools(api, cfg, model);
		schema = check_schema(api, cfg, model);
	}
	if (models && tools)
		printf("verdict:     souk can use this server for the conversation\n");
	else if (models && schema)
		printf("verdict:     usable without tools: souk asks for JSON and writes the reply "
		       "itself\n");
	else
		printf("verdict:     souk answers offline until the above is fixed\n");
	free(model);
	return models && (tools || schema) ? 0 : 1;
}

int cmd_llm(const souk_config *cfg, int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "check"))
		return llm_check(cfg);
	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		puts("usage: souk llm check");
		return 0;
	}
	return cmd_fail(2, "usage: souk llm check");
}
