/* util: error values, allocation, growable strings and atomic file writes. */
#ifndef SOUK_UTIL_H
#define SOUK_UTIL_H

#include <stdarg.h>
#include <stddef.h>

/* Every fallible core function returns 0 or -1 and, on -1, fills one of
 * these with a sentence fit for "souk: <msg>". core/ never prints. */
typedef struct souk_err {
	char msg[512];
} souk_err;

void err_set(souk_err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Out of memory is not recoverable in a terminal tool: these abort. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A growable NUL-terminated byte string. */
typedef struct strbuf {
	char *s;
	size_t len, cap;
} strbuf;

void sb_init(strbuf *b);
void sb_free(strbuf *b);
void sb_addn(strbuf *b, const char *s, size_t n);
void sb_add(strbuf *b, const char *s);
void sb_addc(strbuf *b, char c);
void sb_printf(strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_vprintf(strbuf *b, const char *fmt, va_list ap);
char *sb_steal(strbuf *b); /* returns the string (never NULL); b is reset */

/* Write len bytes to path atomically: a temp file in the same directory,
 * fsync, then rename (force) or link (no overwrite). On failure the old
 * file is untouched and no temp file is left behind. If the file exists
 * and !force, fails with errno EEXIST and a message saying so. */
int util_write_atomic(const char *path, const char *data, size_t len, int force, souk_err *e);

/* Read a whole file, refusing anything larger than max bytes. */
char *util_read_file(const char *path, size_t max, size_t *len, souk_err *e);

/* mkdir -p, mode 0700 for new directories. */
int util_mkdirs(const char *path, souk_err *e);

/* Case-insensitive ASCII compare helpers. */
int util_strieq(const char *a, const char *b);

/* Monotonic clock in seconds, for benchmarks and timeouts. */
/* Local "2026-11-23 14:02" for a time in seconds since the epoch. */
void util_fmt_time(long long t, char *buf, size_t len);
double util_now(void);

#endif
