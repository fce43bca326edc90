/* llm_http: one request to the model server on a libcurl multi handle: headers, status,
 * Retry-After, timeouts. */
#include "llm_http.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "llm_wire.h"
#include "text.h"

/* "Retry-After: 3" (seconds; an HTTP date counts as unknown) and the
 * "retry-after-ms: 250" some hosted services add. */
static void header_retry(llm_http *h, const char *line, size_t n)
{
	static const struct {
		const char *name;
		long scale;
	} names[] = {{"retry-after-ms:", 1}, {"retry-after:", 1000}};
	char buf[64];

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		size_t k = strlen(names[i].name);
		if (n > k && n - k < sizeof buf && strncasecmp(line, names[i].name, k) == 0) {
			char *end;
			double v;
			memcpy(buf, line + k, n - k);
			buf[n - k] = '\0';
			v = strtod(buf, &end);
			while (*end && isspace((unsigned char)*end))
				end++;
			if (end != buf && *end == '\0' && v >= 0 && v < 86400e3)
				h->retry_after_ms = (long)(v * (double)names[i].scale);
			return;
		}
	}
}

static size_t on_header(char *buf, size_t size, size_t n, void *ud)
{
	llm_http *h = ud;
	size_t len = size * n;

	if (len >= 5 && strncmp(buf, "HTTP/", 5) == 0) { /* a new response (after 100) */
		h->retry_after_ms = -1;
		h->is_sse = 0;
	} else if (len > 13 && strncasecmp(buf, "content-type:", 13) == 0) {
		char *v = xstrndup(buf + 13, len - 13);
		h->is_sse = strstr(text_lower(v), "text/event-stream") != NULL;
		free(v);
	} else
		header_retry(h, buf, len);
	h->last_byte = util_now();
	return len;
}

static size_t on_body(char *buf, size_t size, size_t n, void *ud)
{
	llm_http *h = ud;
	size_t len = size * n;

	h->last_byte = util_now();
	if (h->status == 0)
		h->api->easy_getinfo(h->easy, CURLINFO_RESPONSE_CODE, &h->status);
	if (h->status >= 200 && h->status < 300) {
		if (h->sink(h->ud, buf, len) != 0) {
			h->stopped = 1;
			return 0; /* libcurl stops with CURLE_WRITE_ERROR */
		}
		return len;
	}
	if (h->errbody.len < LLM_ERRBODY_MAX)
		sb_addn(&h->errbody, buf,
		        len < LLM_ERRBODY_MAX - h->errbody.len ? len
		                                               : LLM_ERRBODY_MAX - h->errbody.len);
	return len;
}

static struct curl_slist *make_headers(const dylib_curl *c, const char *key, int post)
{
	struct curl_slist *l = NULL;

	if (post)
		l = c->slist_append(l, "Content-Type: application/json");
	l = c->slist_append(l, "Accept: text/event-stream, application/json");
	if (key && *key) {
		char *auth = xasprintf("Authorization: Bearer %s", key);
		l = c->slist_append(l, auth);
		memset(auth, 0, strlen(auth));
		free(auth);
	}
	return l;
}

static void set_options(llm_http *h, const char *url)
{
	const dylib_curl *c = h->api;
	CURL *k = h->easy;

	c->easy_setopt(k, CURLOPT_URL, url);
	c->easy_setopt(k, CURLOPT_HTTPHEADER, h->headers);
	c->easy_setopt(k, CURLOPT_NOSIGNAL, 1L);
	c->easy_setopt(k, CURLOPT_CONNECTTIMEOUT_MS, (long)LLM_CONNECT_MS);
#if LIBCURL_VERSION_NUM >= 0x075500
	c->easy_setopt(k, CURLOPT_PROTOCOLS_STR, "http,https");
#else
	c->easy_setopt(k, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	c->easy_setopt(k, CURLOPT_WRITEFUNCTION, on_body);
	c->easy_setopt(k, CURLOPT_WRITEDATA, h);
	c->easy_setopt(k, CURLOPT_HEADERFUNCTION, on_header);
	c->easy_setopt(k, CURLOPT_HEADERDATA, h);
	c->easy_setopt(k, CURLOPT_ERRORBUFFER, h->errbuf);
	c->easy_setopt(k, CURLOPT_USERAGENT, "souk");
	/* a streamed reply must reach the parser as it comes */
	c->easy_setopt(k, CURLOPT_TCP_NODELAY, 1L);
	if (h->body) {
		c->easy_setopt(k, CURLOPT_POSTFIELDS, h->body);
		c->easy_setopt(k, CURLOPT_POSTFIELDSIZE, (long)strlen(h->body));
	}
}

int http_start(llm_http *h, const dylib_curl *api, CURLM *multi, const char *base, const char *path,
               const char *key, char *body, long idle_ms, http_sink sink, void *ud, souk_err *e)
{
	size_t bl = strlen(base);
	char *url;

	memset(h, 0, sizeof *h);
	sb_init(&h->errbody);
	h->api = api;
	h->multi = multi;
	h->body = body;
	h->sink = sink;
	h->ud = ud;
	h->retry_after_ms = -1;
	h->idle_ms = idle_ms > 0 ? idle_ms : LLM_IDLE_MS;
	if ((h->easy = api->easy_init()) == NULL) {
		err_set(e, "libcurl could not start a request");
		return -1;
	}
	while (bl && base[bl - 1] == '/')
		bl--;
	url = xasprintf("%.*s%s", (int)bl, base, path);
	h->headers = make_headers(api, key, body != NULL);
	set_options(h, url);
	free(url); /* libcurl keeps its own copy */
	if (api->multi_add_handle(multi, h->easy) != CURLM_OK) {
		err_set(e, "libcurl could not start a request");
		http_end(h);
		return -1;
	}
	h->running = 1;
	h->started = h->last_byte = util_now();
	return 0;
}

int http_check(llm_http *h, CURLMsg *msg)
{
	if (!h->running)
		return 0;
	if (msg && msg->msg == CURLMSG_DONE && msg->easy_handle == h->easy) {
		h->result = msg->data.result;
		if (h->status == 0)
			h->api->easy_getinfo(h->easy, CURLINFO_RESPONSE_CODE, &h->status);
		h->running = 0;
		return 1;
	}
	/* libcurl's own low-speed limit counts in whole seconds; this is exact */
	if (!msg && http_idle_left(h) == 0) {
		h->idle = 1;
		h->running = 0;
		return 1;
	}
	return 0;
}

long http_idle_left(const llm_http *h)
{
	double left = h->last_byte + (double)h->idle_ms / 1000.0 - util_now();

	return left <= 0 ? 0 : (long)(left * 1000.0) + 1;
}

void http_redact(char *s, const char *key)
{
	size_t n = key ? strlen(key) : 0;
	char *p;

	if (n < 4) /* a key of a few letters would blank ordinary words */
		return;
	while ((p = strstr(s, key)) != NULL)
		memset(p, '*', n);
}

static char *curl_failure(const llm_http *h)
{
	const char *why = h->errbuf[0] ? h->errbuf : h->api->easy_strerror(h->result);

	switch (h->result) {
	case CURLE_COULDNT_CONNECT:
		return xasprintf("cannot connect to the model server, is it running? (%s)", why);
	case CURLE_COULDNT_RESOLVE_HOST:
		return xasprintf("cannot find the model server's host (%s)", why);
	case CURLE_OPERATION_TIMEDOUT:
		return xasprintf("no connection to the model server within %d s",
		                 LLM_CONNECT_MS / 1000);
	case CURLE_PARTIAL_FILE:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
		return xasprintf("the connection to the model server broke (%s)", why);
	default:
		return xasprintf("the request to the model server failed (%s)", why);
	}
}

char *http_failure(const llm_http *h, const char *key)
{
	char *r, *msg;

	if (h->stopped)
		return NULL;
	if (h->idle)
		return xasprintf("the model server sent nothing for %ld s",
		                 (h->idle_ms + 999) / 1000);
	if (h->result != CURLE_OK)
		r = curl_failure(h);
	else if (h->status >= 200 && h->status < 300)
		return NULL;
	else {
		msg = wire_error_message(h->errbody.s, h->errbody.len);
		r = xasprintf("the model server answered HTTP %ld: %s", h->status, msg);
		free(msg);
	}
	http_redact(r, key);
	return r;
}

void http_end(llm_http *h)
{
	if (h->easy) {
		if (h->multi)
			h->api->multi_remove_handle(h->multi, h->easy);
		h->api->easy_cleanup(h->easy);
	}
	if (h->headers)
		h->api->slist_free_all(h->headers);
	free(h->body);
	sb_free(&h->errbody);
	h->easy = NULL;
	h->headers = NULL;
	h->body = NULL;
	h->running = 0;
}
