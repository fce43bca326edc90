/* dylib: the optional shared libraries (libcurl, libxlsxwriter), opened on first use so that a
 * command which needs neither starts without them. */
#ifndef SOUK_DYLIB_H
#define SOUK_DYLIB_H

#include "build-config.h"

#include <curl/curl.h>
#ifdef HAVE_XLSXWRITER
#include <xlsxwriter.h>
#endif

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

#ifdef HAVE_XLSXWRITER
/* The libxlsxwriter entry points XLSX export uses (core/export_xlsx.c).
 * Linked, it and its libraries (minizip, zlib, libcrypto) cost every souk
 * process about 8 ms of start-up; opened on first use, only an XLSX export
 * pays. */
/* Each member has the type of the function it is named after (checked
 * against libxlsxwriter's own declarations, without linking it). */
#define DYLIB_XLSX_FN(name) __typeof__(name) *name
typedef struct dylib_xlsx {
	DYLIB_XLSX_FN(workbook_new_opt);
	DYLIB_XLSX_FN(workbook_add_worksheet);
	DYLIB_XLSX_FN(workbook_add_format);
	DYLIB_XLSX_FN(workbook_close);
	DYLIB_XLSX_FN(worksheet_write_number);
	DYLIB_XLSX_FN(worksheet_write_string);
	DYLIB_XLSX_FN(worksheet_set_column);
	DYLIB_XLSX_FN(worksheet_freeze_panes);
	DYLIB_XLSX_FN(worksheet_autofilter);
	DYLIB_XLSX_FN(format_set_bold);
	DYLIB_XLSX_FN(format_set_bg_color);
	DYLIB_XLSX_FN(format_set_font_color);
	DYLIB_XLSX_FN(format_set_bottom);
	DYLIB_XLSX_FN(format_set_text_wrap);
	DYLIB_XLSX_FN(format_set_align);
	DYLIB_XLSX_FN(format_set_num_format);
	DYLIB_XLSX_FN(lxw_strerror);
} dylib_xlsx;

/* libxlsxwriter, loaded once per process (thread-safe); NULL with e set
 * when it cannot be opened. */
const dylib_xlsx *dylib_xlsx_get(souk_err *e);
#endif

#endif
