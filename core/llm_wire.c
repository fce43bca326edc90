/* llm_wire: the OpenAI-compatible wire format: request bodies, streamed chunks, tool calls, error
 * bodies. */
#include "llm_wire.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

void wire_msg_init(llm_msg *m)
{
	memset(m, 0, sizeof *m);
	sb_init(&m->content);
}

void wire_msg_free(llm_msg *m)
{
	sb_free(&m->content);
	for (int i = 0; i < m->ncalls; i++) {
		free(m->calls[i].id);
		free(m->calls[i].name);
		sb_free(&m->calls[i].args);
	}
	wire_msg_init(m);
}

static const char *str_of(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Text appended up to LLM_MAX_REPLY; beyond it the message is cut. */
static void add_content(llm_msg *m, const char *s)
{
	size_t n = strlen(s), room;

	if (m->cut)
		return;
	room = LLM_MAX_REPLY - m->content.len;
	if (n > room) {
		/* never end inside a UTF-8 character */
		while (room > 0 && ((unsigned char)s[room] & 0xC0) == 0x80)
			room--;
		n = room;
		m->cut = 1;
	}
	sb_addn(&m->content, s, n);
}

/* The call a fragment belongs to: by index when the server gives one
 * (OpenAI, vLLM, llama-server); without one, a new id starts a call and
 * anything else continues the last (some Ollama versions). */
static llm_call *call_for(llm_msg *m, const cJSON *tc, souk_err *e)
{
	const cJSON *ix = cJSON_GetObjectItemCaseSensitive(tc, "index");
	const char *id = str_of(tc, "id");
	int i;

	if (cJSON_IsNumber(ix))
		i = ix->valueint;
	else if (id && *id &&
	         (m->ncalls == 0 || !m->calls[m->ncalls - 1].id ||
	          strcmp(m->calls[m->ncalls - 1].id, id) != 0))
		i = m->ncalls;
	else
		i = m->ncalls ? m->ncalls - 1 : 0;
	if (i < 0 || i >= LLM_MAX_CALLS || i > m->ncalls) {
		err_set(e, "the model sent tool call %d of at most %d", i, LLM_MAX_CALLS);
		return NULL;
	}
	if (i == m->ncalls) {
		memset(&m->calls[i], 0, sizeof m->calls[i]);
		sb_init(&m->calls[i].args);
		m->ncalls++;
	}
	return &m->calls[i];
}

static int add_call(llm_msg *m, const cJSON *tc, souk_err *e)
{
	const cJSON *fn = cJSON_GetObjectItemCaseSensitive(tc, "function");
	const cJSON *args = cJSON_GetObjectItemCaseSensitive(fn, "arguments");
	const char *id = str_of(tc, "id"), *name = str_of(fn, "name");
	llm_call *c = call_for(m, tc, e);

	if (!c)
		return -1;
	/* the id and name come once; servers that repeat them repeat them */
	if (id && *id && !c->id)
		c->id = xstrdup(id);
	if (name && *name && !c->name)
		c->name = xstrdup(name);
	if (cJSON_IsString(args))
		sb_add(&c->args, args->valuestring);
	else if (cJSON_IsObject(args)) { /* an object where a string belongs */
		char *s = cJSON_PrintUnformatted(args);
		sb_add(&c->args, s);
		free(s);
	}
	if (c->args.len > LLM_MAX_ARGS) {
		err_set(e, "the model's tool call arguments are over %u KB", LLM_MAX_ARGS >> 10);
		return -1;
	}
	return 0;
}

/* Errors sent inside a 200 stream: OpenAI's {"error":{...}} and vLLM's
 * {"object":"error","message":...}. */
static int stream_error(const cJSON *o, const char *json, size_t len, souk_err *e)
{
	const char *obj = str_of(o, "object");

	if (!cJSON_GetObjectItemCaseSensitive(o, "error") && !(obj && !strcmp(obj, "error")))
		return 0;
	char *msg = wire_error_message(json, len);
	err_set(e, "the server reported an error mid-stream: %s", msg);
	free(msg);
	return 1;
}

static int read_choice(llm_msg *m, const cJSON *ch, const char *part, souk_err *e)
{
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(ch, part);
	const cJSON *tcs = cJSON_GetObjectItemCaseSensitive(d, "tool_calls"), *tc;
	const char *content = str_of(d, "content"), *fin = str_of(ch, "finish_reason");

	if (content)
		add_content(m, content);
	cJSON_ArrayForEach(tc, tcs)
	{
		if (add_call(m, tc, e) < 0)
			return WIRE_BAD;
	}
	if (fin && *fin)
		snprintf(m->finish, sizeof m->finish, "%s", fin);
	return WIRE_OK;
}

static int read_message(llm_msg *m, const char *json, size_t len, const char *part, size_t *from,
                        souk_err *e)
{
	cJSON *o = cJSON_ParseWithLength(json, len), *ch;
	int rc = WIRE_OK;

	if (from)
		*from = m->content.len;
	if (!o || !cJSON_IsObject(o)) {
		char *msg = wire_error_message(json, len);
		err_set(e, "the server sent something that is not a chat chunk: %s", msg);
		free(msg);
		cJSON_Delete(o);
		return WIRE_BAD;
	}
	if (stream_error(o, json, len, e)) {
		cJSON_Delete(o);
		return WIRE_ERROR;
	}
	m->chunks++;
	/* a usage chunk has "choices": []; only the first choice is asked for */
	ch = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(o, "choices"), 0);
	if (cJSON_IsObject(ch))
		rc = read_choice(m, ch, part, e);
	cJSON_Delete(o);
	return rc;
}

int wire_chunk(llm_msg *m, const char *json, size_t len, size_t *text_from, souk_err *e)
{
	return read_message(m, json, len, "delta", text_from, e);
}

int wire_whole(llm_msg *m, const char *json, size_t len, souk_err *e)
{
	return read_message(m, json, len, "message", NULL, e);
}

/* FastAPI's validation errors: "detail": [{"msg": ...}, ...]. */
static const char *detail_text(const cJSON *d)
{
	if (cJSON_IsString(d))
		return d->valuestring;
	if (cJSON_IsArray(d))
		return str_of(cJSON_GetArrayItem(d, 0), "msg");
	if (cJSON_IsObject(d))
		return str_of(d, "message");
	return NULL;
}

static char *one_line(const char *s, size_t n)
{
	char *cut = xstrndup(s, n), *safe = text_sanitize(cut, 0), *t = text_truncate(safe, 300);

	free(cut);
	free(safe);
	return t;
}

char *wire_error_message(const char *body, size_t len)
{
	cJSON *o = body ? cJSON_ParseWithLength(body, len) : NULL;
	const char *msg = NULL;
	char *r;

	if (cJSON_IsObject(o)) {
		const cJSON *err = cJSON_GetObjectItemCaseSensitive(o, "error");
		if (cJSON_IsString(err))
			msg = err->valuestring;
		else if (cJSON_IsObject(err))
			msg = str_of(err, "message");
		if (!msg)
			msg = detail_text(cJSON_GetObjectItemCaseSensitive(o, "detail"));
		if (!msg)
			msg = str_of(o, "message");
	}
	if (msg)
		r = one_line(msg, strlen(msg));
	else if (body && len)
		r = one_line(body, len < 300 ? len : 300);
	else
		r = xstrdup("(no message)");
	cJSON_Delete(o);
	return r;
}

char *wire_request(const char *model, const cJSON *messages, const cJSON *tools,
                   const cJSON *response_format, int stream)
{
	cJSON *o = cJSON_CreateObject();
	char *s;

	cJSON_AddStringToObject(o, "model", model ? model : "");
	cJSON_AddItemToObject(o, "messages", cJSON_Duplicate(messages, 1));
	if (tools) {
		cJSON_AddItemToObject(o, "tools", cJSON_Duplicate(tools, 1));
		cJSON_AddStringToObject(o, "tool_choice", "auto");
	}
	if (response_format)
		cJSON_AddItemToObject(o, "response_format", cJSON_Duplicate(response_format, 1));
	cJSON_AddNumberToObject(o, "temperature", 0.2);
	cJSON_AddBoolToObject(o, "stream", stream);
	if (stream) {
		/* the usage chunk arrives with empty choices; souk reads past it */
		cJSON *so = cJSON_AddObjectToObject(o, "stream_options");
		cJSON_AddBoolToObject(so, "include_usage", 1);
	}
	s = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return s;
}

int wire_models(const char *body, strlist *names)
{
	cJSON *o = body ? cJSON_Parse(body) : NULL, *it;
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(o, "data");
	const char *key = "id";

	if (!cJSON_IsArray(list)) {
		list = cJSON_GetObjectItemCaseSensitive(o, "models");
		key = "name";
	}
	if (!cJSON_IsArray(list)) {
		cJSON_Delete(o);
		return -1;
	}
	cJSON_ArrayForEach(it, list)
	{
		const char *n = str_of(it, key);
		if (n && *n && strlen(n) < 200) {
			char *safe = text_sanitize(n, 0);
			strlist_add(names, safe);
			free(safe);
		}
	}
	cJSON_Delete(o);
	return 0;
}

cJSON *wire_msg_to_cjson(const llm_msg *m)
{
	cJSON *o = cJSON_CreateObject(), *calls;

	cJSON_AddStringToObject(o, "role", "assistant");
	if (m->content.len || !m->ncalls)
		cJSON_AddStringToObject(o, "content", m->content.s ? m->content.s : "");
	else
		cJSON_AddNullToObject(o, "content");
	if (!m->ncalls)
		return o;
	calls = cJSON_AddArrayToObject(o, "tool_calls");
	for (int i = 0; i < m->ncalls; i++) {
		cJSON *c = cJSON_CreateObject(), *fn;
		cJSON_AddStringToObject(c, "id", m->calls[i].id ? m->calls[i].id : "");
		cJSON_AddStringToObject(c, "type", "function");
		fn = cJSON_AddObjectToObject(c, "function");
		cJSON_AddStringToObject(fn, "name", m->calls[i].name ? m->calls[i].name : "");
		cJSON_AddStringToObject(fn, "arguments",
		                        m->calls[i].args.s ? m->calls[i].args.s : "{}");
		cJSON_AddItemToArray(calls, c);
	}
	return o;
}
