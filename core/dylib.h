/* dylib: libcurl, opened on first use so that commands which never touch the network start without
 * loading its thirty-odd dependencies. */
#ifndef SOUK_DYLIB_H
#define SOUK_DYLIB_H

#include <curl/curl.h>

#include "util.h"

/* The libcurl entry points souk uses, with libcurl's own signatures. */
typedef struct dylib_curl {
	CURLcode (*global_init)(long flags);
	void (*global_cleanup)(void);
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *c, CURLoption opt, ...);
	CURLcode (*easy_perform)(CURL *c);
	CURLcode (*easy_getinfo)(CURL *c, CURLINFO info, ...);
	const char *(*easy_strerror)(CURLcode code);
	void (*easy_cleanup)(CURL *c);
	CURLM *(*multi_init)(void);
	CURLMcode (*multi_poll)(CURLM *m, struct curl_waitfd *extra, unsigned int n, int timeout_ms,
	                        int *ret);
	CURLMcode (*multi_cleanup)(CURLM *m);
	/* The model server's streamed turns (core/llm_http.c). */
	CURLMcode (*multi_add_handle)(CURLM *m, CURL *c);
	CURLMcode (*multi_remove_handle)(CURLM *m, CURL *c);
	CURLMcode (*multi_perform)(CURLM *m, int *running);
	CURLMsg *(*multi_info_read)(CURLM *m, int *left);
	CURLMcode (*multi_fdset)(CURLM *m, fd_set *r, fd_set *w, fd_set *x, int *maxfd);
	CURLMcode (*multi_timeout)(CURLM *m, long *ms);
	struct curl_slist *(*slist_append)(struct curl_slist *l, const char *s);
	void (*slist_free_all)(struct curl_slist *l);
} dylib_curl;

/* libcurl, loaded once per process (thread-safe); NULL with e set when the
 * shared library or one of its functions cannot be found. */
const dylib_curl *dylib_curl_get(souk_err *e);

#endif
