/* dylib: the optional shared libraries (libcurl, libxlsxwriter), opened on first use so that a
 * command which needs neither starts without them. */
#include "build-config.h"

#include "dylib.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef SOUK_CURL_SONAME
#define SOUK_CURL_SONAME "libcurl.so.4"
#endif
#ifndef SOUK_XLSX_SONAME
#define SOUK_XLSX_SONAME "libxlsxwriter.so.4"
#endif

/* A function to look up and where its address goes in the table. */
typedef struct dylib_sym {
	const char *name;
	size_t off;
} dylib_sym;

/* One optional library: what to open, what to find in it, what to say
 * when it is missing. Filled once under its pthread_once and read-only
 * afterwards, so the event loop and the worker share it without a lock. */
typedef struct dylib_lib {
	const char *env;     /* names another shared object to open */
	const char *soname;  /* the one configure found */
	const char *name;    /* "libcurl" */
	const char *fix;     /* how to install it and what needs it */
	const char *version; /* the oldest version that has every function */
	const dylib_sym *syms;
	size_t nsyms;
	void *api; /* the table the addresses go into */
	int ok;
	char why[320];
} dylib_lib;

#define CURL_SYM(field, name)                                                                      \
	{                                                                                          \
		name, offsetof(dylib_curl, field)                                                  \
	}
static const dylib_sym curl_syms[] = {
        CURL_SYM(global_init, "curl_global_init"),
        CURL_SYM(global_cleanup, "curl_global_cleanup"),
        CURL_SYM(easy_init, "curl_easy_init"),
        CURL_SYM(easy_setopt, "curl_easy_setopt"),
        CURL_SYM(easy_perform, "curl_easy_perform"),
        CURL_SYM(easy_getinfo, "curl_easy_getinfo"),
        CURL_SYM(easy_strerror, "curl_easy_strerror"),
        CURL_SYM(easy_cleanup, "curl_easy_cleanup"),
        CURL_SYM(multi_init, "curl_multi_init"),
        CURL_SYM(multi_poll, "curl_multi_poll"),
        CURL_SYM(multi_cleanup, "curl_multi_cleanup"),
        CURL_SYM(multi_add_handle, "curl_multi_add_handle"),
        CURL_SYM(multi_remove_handle, "curl_multi_remove_handle"),
        CURL_SYM(multi_perform, "curl_multi_perform"),
        CURL_SYM(multi_info_read, "curl_multi_info_read"),
        CURL_SYM(multi_fdset, "curl_multi_fdset"),
        CURL_SYM(multi_timeout, "curl_multi_timeout"),
        CURL_SYM(slist_append, "curl_slist_append"),
        CURL_SYM(slist_free_all, "curl_slist_free_all"),
};

static dylib_curl curl_api;
static dylib_lib curl_lib = {"SOUK_LIBCURL",
                             SOUK_CURL_SONAME,
                             "libcurl",
                             "install it (Debian: apt-get install libcurl4) to import from a URL "
                             "or use a model server",
                             "libcurl 7.66",
                             curl_syms,
                             sizeof curl_syms / sizeof curl_syms[0],
                             &curl_api,
                             0,
                             ""};
static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

#ifdef HAVE_XLSXWRITER
#define XLSX_SYM(name)                                                                             \
	{                                                                                          \
#name, offsetof(dylib_xlsx, name)                                                  \
	}
static const dylib_sym xlsx_syms[] = {
        XLSX_SYM(workbook_new_opt),       XLSX_SYM(workbook_add_worksheet),
        XLSX_SYM(workbook_add_format),    XLSX_SYM(workbook_close),
        XLSX_SYM(worksheet_write_number), XLSX_SYM(worksheet_write_string),
        XLSX_SYM(worksheet_set_column),   XLSX_SYM(worksheet_freeze_panes),
        XLSX_SYM(worksheet_autofilter),   XLSX_SYM(format_set_bold),
        XLSX_SYM(format_set_bg_color),    XLSX_SYM(format_set_font_color),
        XLSX_SYM(format_set_bottom),      XLSX_SYM(format_set_text_wrap),
        XLSX_SYM(format_set_align),       XLSX_SYM(format_set_num_format),
        XLSX_SYM(lxw_strerror),
};

static dylib_xlsx xlsx_api;
static dylib_lib xlsx_lib = {"SOUK_LIBXLSXWRITER",
                             SOUK_XLSX_SONAME,
                             "libxlsxwriter",
                             "install it (Debian: apt-get install libxlsxwriter4) to export .xlsx, "
                             "or use .csv, which Excel opens",
                             "libxlsxwriter 1.0",
                             xlsx_syms,
                             sizeof xlsx_syms / sizeof xlsx_syms[0],
                             &xlsx_api,
                             0,
                             ""};
static pthread_once_t xlsx_once = PTHREAD_ONCE_INIT;
#endif

/* The shared object to open: the environment names another one (a
 * library installed outside the loader's path), else configure's. */
static const char *lib_soname(const dylib_lib *l)
{
	const char *env = getenv(l->env);

	return env != NULL && *env ? env : l->soname;
}

static void lib_load(dylib_lib *l)
{
	void *h = dlopen(lib_soname(l), RTLD_NOW | RTLD_LOCAL);

	if (h == NULL) {
		snprintf(l->why, sizeof l->why, "%s is not installed (%s); %s", l->name, dlerror(),
		         l->fix);
		return;
	}
	for (size_t i = 0; i < l->nsyms; i++) {
		void *p = dlsym(h, l->syms[i].name);
		if (p == NULL) {
			snprintf(l->why, sizeof l->why, "%s has no %s (%s or later is needed)",
			         lib_soname(l), l->syms[i].name, l->version);
			return; /* the handle stays open: dlclose buys nothing at exit */
		}
		/* POSIX guarantees object and function pointers convert both ways. */
		memcpy((char *)l->api + l->syms[i].off, &p, sizeof p);
	}
	l->ok = 1;
}

/* The library's table once loaded, else NULL with e saying why. */
static const void *lib_get(const dylib_lib *l, souk_err *e)
{
	if (!l->ok) {
		err_set(e, "%s", l->why);
		return NULL;
	}
	return l->api;
}

static void curl_load(void)
{
	lib_load(&curl_lib);
}

const dylib_curl *dylib_curl_get(souk_err *e)
{
	pthread_once(&curl_once, curl_load);
	return lib_get(&curl_lib, e);
}

#ifdef HAVE_XLSXWRITER
static void xlsx_load(void)
{
	lib_load(&xlsx_lib);
}

const dylib_xlsx *dylib_xlsx_get(souk_err *e)
{
	pthread_once(&xlsx_once, xlsx_load);
	return lib_get(&xlsx_lib, e);
}
#endif
