/* llm_http: one request to the model server on a libcurl multi handle: headers, status,
 * Retry-After, timeouts. */
#ifndef SOUK_LLM_HTTP_H
#define SOUK_LLM_HTTP_H

#include "dylib.h"
#include "util.h"

#define LLM_CONNECT_MS 5000
#define LLM_IDLE_MS    30000
/* Error bodies are kept up to this size (the message is at the start). */
#define LLM_ERRBODY_MAX (64u << 10)

/* Receives the body of a 2xx response as it arrives; non-zero stops the
 * transfer (the reply is long enough, or the turn was cancelled). */
typedef int (*http_sink)(void *ud, const char *buf, size_t n);

typedef struct llm_http {
	const dylib_curl *api;
	CURLM *multi;
	CURL *easy;
	struct curl_slist *headers;
	char *body; /* the request body (NULL for GET) */
	http_sink sink;
	void *ud;
	long status;               /* HTTP status once the headers are in, else 0 */
	int is_sse;                /* Content-Type: text/event-stream */
	strbuf errbody;            /* the body of a non-2xx response */
	long retry_after_ms;       /* from Retry-After or retry-after-ms, -1 none */
	double started, last_byte; /* util_now() */
	long idle_ms;
	int running; /* added to the multi and not finished */
	int stopped; /* the sink stopped it */
	int idle;    /* no byte for idle_ms: souk stopped it */
	CURLcode result;
	char errbuf[CURL_ERROR_SIZE];
} llm_http;

/* Starts GET (body NULL) or POST of JSON body (taken over) to base + path
 * with the key as a bearer header (never on a command line, never in a
 * message). The multi handle then drives it. */
int http_start(llm_http *h, const dylib_curl *api, CURLM *multi, const char *base, const char *path,
               const char *key, char *body, long idle_ms, http_sink sink, void *ud, souk_err *e);

/* Call after curl_multi_perform: 1 when this transfer has finished (by
 * the multi's message or by the idle timeout), else 0. */
int http_check(llm_http *h, CURLMsg *msg);

/* Milliseconds until the idle timeout, for the caller's poll. */
long http_idle_left(const llm_http *h);

/* One line saying what went wrong, for a finished transfer that did not
 * end with a 2xx body; NULL when it did. key (may be NULL) is blanked out
 * of anything the server said. */
char *http_failure(const llm_http *h, const char *key);

/* Stops the transfer if it runs, frees everything; h can start again. */
void http_end(llm_http *h);

/* Blanks every copy of key in s (in place). */
void http_redact(char *s, const char *key);

#endif
