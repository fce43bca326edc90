/* dylib: libcurl, opened on first use so that commands which never touch the network start without
 * loading its thirty-odd dependencies. */
#include "build-config.h"

#include "dylib.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef SOUK_CURL_SONAME
#define SOUK_CURL_SONAME "libcurl.so.4"
#endif

/* Filled once under pthread_once and read-only afterwards, so it is shared
 * by the event loop and the worker without a lock. */
static dylib_curl curl_api;
static int curl_ok;
static char curl_why[256];
static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

/* The shared object to open: SOUK_LIBCURL names another one (a libcurl
 * installed outside the loader's path), else the one configure found. */
static const char *curl_soname(void)
{
	const char *env = getenv("SOUK_LIBCURL");

	return env != NULL && *env ? env : SOUK_CURL_SONAME;
}

static int sym(void *h, const char *name, void *slot)
{
	void *p = dlsym(h, name);

	if (p == NULL) {
		snprintf(curl_why, sizeof curl_why,
		         "%s has no %s (libcurl 7.66 or later is needed)", curl_soname(), name);
		return -1;
	}
	/* POSIX guarantees object and function pointers convert both ways. */
	memcpy(slot, &p, sizeof p);
	return 0;
}

static void curl_load(void)
{
	void *h = dlopen(curl_soname(), RTLD_NOW | RTLD_LOCAL);
	dylib_curl *c = &curl_api;

	if (h == NULL) {
		snprintf(curl_why, sizeof curl_why,
		         "libcurl is not installed (%s); install it (Debian: apt-get install "
		         "libcurl4) to import from a URL or use a model server",
		         dlerror());
		return;
	}
	if (sym(h, "curl_global_init", &c->global_init) < 0 ||
	    sym(h, "curl_global_cleanup", &c->global_cleanup) < 0 ||
	    sym(h, "curl_easy_init", &c->easy_init) < 0 ||
	    sym(h, "curl_easy_setopt", &c->easy_setopt) < 0 ||
	    sym(h, "curl_easy_perform", &c->easy_perform) < 0 ||
	    sym(h, "curl_easy_getinfo", &c->easy_getinfo) < 0 ||
	    sym(h, "curl_easy_strerror", &c->easy_strerror) < 0 ||
	    sym(h, "curl_easy_cleanup", &c->easy_cleanup) < 0 ||
	    sym(h, "curl_multi_init", &c->multi_init) < 0 ||
	    sym(h, "curl_multi_poll", &c->multi_poll) < 0 ||
	    sym(h, "curl_multi_cleanup", &c->multi_cleanup) < 0 ||
	    sym(h, "curl_multi_add_handle", &c->multi_add_handle) < 0 ||
	    sym(h, "curl_multi_remove_handle", &c->multi_remove_handle) < 0 ||
	    sym(h, "curl_multi_perform", &c->multi_perform) < 0 ||
	    sym(h, "curl_multi_info_read", &c->multi_info_read) < 0 ||
	    sym(h, "curl_multi_fdset", &c->multi_fdset) < 0 ||
	    sym(h, "curl_multi_timeout", &c->multi_timeout) < 0 ||
	    sym(h, "curl_slist_append", &c->slist_append) < 0 ||
	    sym(h, "curl_slist_free_all", &c->slist_free_all) < 0)
		return; /* the handle stays open: dlclose buys nothing at exit */
	curl_ok = 1;
}

const dylib_curl *dylib_curl_get(souk_err *e)
{
	pthread_once(&curl_once, curl_load);
	if (!curl_ok) {
		err_set(e, "%s", curl_why);
		return NULL;
	}
	return &curl_api;
}
