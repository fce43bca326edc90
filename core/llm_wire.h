/* llm_wire: the OpenAI-compatible wire format: request bodies, streamed chunks, tool calls, error
 * bodies. */
#ifndef SOUK_LLM_WIRE_H
#define SOUK_LLM_WIRE_H

#include <stddef.h>

#include "filter.h"
#include "util.h"

struct cJSON;

/* A reply longer than this is a runaway: souk keeps this much and a note. */
#define LLM_MAX_REPLY (16u << 10)
/* The arguments of one tool call; more is not a filter. */
#define LLM_MAX_ARGS  (64u << 10)
#define LLM_MAX_CALLS 8

typedef struct llm_call {
	char *id;    /* as the server named it (made up when it sent none) */
	char *name;  /* function name */
	strbuf args; /* JSON text of the arguments, as assembled */
} llm_call;

/* One assistant message as it is assembled from a stream (or read whole). */
typedef struct llm_msg {
	strbuf content;
	llm_call calls[LLM_MAX_CALLS];
	int ncalls;
	char finish[24]; /* finish_reason of the last choice that had one */
	int cut;         /* content reached LLM_MAX_REPLY */
	long chunks;     /* chunks read */
} llm_msg;

void wire_msg_init(llm_msg *m);
void wire_msg_free(llm_msg *m);

enum wire_status {
	WIRE_OK = 0,
	WIRE_ERROR = -1, /* the server sent an error in the stream (e has it) */
	WIRE_BAD = -2,   /* not a chunk souk understands (e says why) */
};

/* One streamed chunk (the data of an SSE event): content is appended to
 * m->content (*text_from gets where the new text starts) and tool-call
 * fragments are assembled by index. The usage chunk, role-only deltas and
 * reasoning text are read and ignored. */
int wire_chunk(llm_msg *m, const char *json, size_t len, size_t *text_from, souk_err *e);

/* A whole (non-streamed) chat completion, for servers that ignore stream. */
int wire_whole(llm_msg *m, const char *json, size_t len, souk_err *e);

/* The message of an error body: {"error":{"message":...}}, {"error":"..."},
 * {"detail":...} (a string or FastAPI's list), {"message":...}, else the
 * start of the text. Sanitised, one line, at most ~300 bytes. */
char *wire_error_message(const char *body, size_t len);

/* The chat request. tools and response_format may be NULL; neither is
 * taken over. */
char *wire_request(const char *model, const struct cJSON *messages, const struct cJSON *tools,
                   const struct cJSON *response_format, int stream);

/* Model names in a /models body (OpenAI's data[].id, Ollama's
 * models[].name); -1 when the body is not such a list. */
int wire_models(const char *body, strlist *names);

/* The assistant message m as history: content and tool_calls. */
struct cJSON *wire_msg_to_cjson(const llm_msg *m);

#endif
