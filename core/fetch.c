/* fetch: downloads an import from an http(s) address into a temporary file (libcurl). */
#include "import_int.h"

#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <curl/curl.h>

#include "dylib.h"

/* ---- URLs ---- */

int import_is_url(const char *s)
{
	return strncasecmp(s, "http://", 7) == 0 || strncasecmp(s, "https://", 8) == 0;
}

typedef struct fetch {
	FILE *out;
	curl_off_t got;
	const import_opts *o;
	int too_big;
} fetch;

static size_t fetch_write(char *p, size_t size, size_t n, void *arg)
{
	fetch *f = arg;
	size_t len = size * n;

	if (f->got + (curl_off_t)len > IMPORT_MAX_FILE) {
		f->too_big = 1;
		return 0;
	}
	f->got += (curl_off_t)len;
	return fwrite(p, 1, len, f->out);
}

static int fetch_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                          curl_off_t ulnow)
{
	fetch *f = arg;

	(void)ultotal;
	(void)ulnow;
	if (f->o->cancel && *f->o->cancel)
		return 1;
	if (f->o->progress && dlnow > 0)
		f->o->progress("downloading", dltotal > 0 ? (double)dlnow / (double)dltotal : -1.0,
		               f->o->arg);
	return 0;
}

/* libcurl's options for one download: http(s) only, redirects, timeouts,
 * the size limit, TLS checks, and where the bytes and progress go. */
static void fetch_options(const dylib_curl *cu, CURL *c, const char *url, fetch *f, char *curlerr)
{
	cu->easy_setopt(c, CURLOPT_URL, url);
#if LIBCURL_VERSION_NUM >= 0x075500
	cu->easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	cu->easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
	cu->easy_setopt(c, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
	cu->easy_setopt(c, CURLOPT_REDIR_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	cu->easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	cu->easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
	cu->easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
	/* A stalled transfer (under 1 KB/s for 30 s) is a failed one. */
	cu->easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1024L);
	cu->easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 30L);
	cu->easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)IMPORT_MAX_FILE);
	cu->easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	cu->easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	cu->easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	cu->easy_setopt(c, CURLOPT_FAILONERROR, 1L);
	cu->easy_setopt(c, CURLOPT_USERAGENT, "souk-import/1");
	cu->easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
	cu->easy_setopt(c, CURLOPT_ERRORBUFFER, curlerr);
	cu->easy_setopt(c, CURLOPT_WRITEFUNCTION, fetch_write);
	cu->easy_setopt(c, CURLOPT_WRITEDATA, f);
	cu->easy_setopt(c, CURLOPT_XFERINFOFUNCTION, fetch_progress);
	cu->easy_setopt(c, CURLOPT_XFERINFODATA, f);
	cu->easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
}

/* How the transfer ended, as the buyer should hear it: 0 when it worked. */
static int fetch_verdict(const dylib_curl *cu, CURLcode cc, const fetch *f, const char *url,
                         long status, const char *curlerr, souk_err *e)
{
	if (cc == CURLE_ABORTED_BY_CALLBACK) {
		err_set(e, "interrupted while downloading %s", url);
		return -1;
	}
	if (f->too_big || cc == CURLE_FILESIZE_EXCEEDED) {
		err_set(e, "%s is larger than 2 GB", url);
		return -1;
	}
	if (cc == CURLE_HTTP_RETURNED_ERROR) {
		err_set(e, "%s answered HTTP %ld (check the address)", url, status);
		return -1;
	}
	if (cc != CURLE_OK) {
		err_set(e, "cannot download %s: %s (check the address and the network)", url,
		        *curlerr ? curlerr : cu->easy_strerror(cc));
		return -1;
	}
	return 0;
}

int import_fetch(const char *url, const import_opts *o, char **path, souk_err *e)
{
	const char *dir = getenv("TMPDIR");
	char *tmp = xasprintf("%s/souk-import-XXXXXX", dir && *dir ? dir : "/tmp");
	char curlerr[CURL_ERROR_SIZE] = "";
	fetch f = {NULL, 0, o, 0};
	const dylib_curl *cu;
	CURL *c;
	CURLcode cc;
	long status = 0;
	int fd;

	*path = NULL;
	if (!import_is_url(url)) {
		err_set(e, "%s is not an http or https address", url);
		free(tmp);
		return -1;
	}
	if ((cu = dylib_curl_get(e)) == NULL) {
		free(tmp);
		return -1;
	}
	fd = mkstemp(tmp);
	if (fd < 0 || (f.out = fdopen(fd, "wb")) == NULL) {
		err_set(e, "cannot make a temporary file in %s: %s", dir ? dir : "/tmp",
		        strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(tmp);
		}
		free(tmp);
		return -1;
	}
	c = cu->easy_init();
	if (c == NULL) {
		err_set(e, "cannot start libcurl");
		goto fail;
	}
	fetch_options(cu, c, url, &f, curlerr);
	cc = cu->easy_perform(c);
	cu->easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	cu->easy_cleanup(c);
	if (fetch_verdict(cu, cc, &f, url, status, curlerr, e) < 0)
		goto fail;
	if (fclose(f.out) != 0) {
		f.out = NULL;
		err_set(e, "cannot save the download: %s", strerror(errno));
		goto fail;
	}
	*path = tmp;
	return 0;
fail:
	if (f.out)
		fclose(f.out);
	unlink(tmp);
	free(tmp);
	return -1;
}
