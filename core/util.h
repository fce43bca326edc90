/* util: error values, allocation, growable strings and atomic file writes. */
#ifndef SOUK_UTIL_H
#define SOUK_UTIL_H

#include <stdarg.h>
#include <stddef.h>

/* What kind of failure a souk_err reports, so callers test the code and
 * never errno after the fact or the text of the message. */
typedef enum souk_errc {
	SOUK_E_FAIL = 1,    /* generic: the message says it all */
	SOUK_E_NOTFOUND,    /* no such file, list, product, ... */
	SOUK_E_EXISTS,      /* the target exists and was not to be replaced */
	SOUK_E_INVALID,     /* bad input: a malformed file, value or argument */
	SOUK_E_IO,          /* the system refused a read or write */
	SOUK_E_NETWORK,     /* a download or a remote service failed */
	SOUK_E_INTERRUPTED, /* the user (or a newer request) stopped it */
	SOUK_E_NOSPACE,     /* the disk or the quota is full */
} souk_errc;

/* Every fallible core function returns 0 or -1 and, on -1, fills one of
 * these with a sentence fit for "souk: <msg>" and a code. core/ never
 * prints. */
typedef struct souk_err {
	int code; /* a souk_errc; 0 before anything failed */
	char msg[512];
} souk_err;

/* err_set reports SOUK_E_FAIL; err_setc a specific code. */
void err_set(souk_err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void err_setc(souk_err *e, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The code for a failed system call's errno: NOSPACE, NOTFOUND, EXISTS or IO. */
int err_code_of_errno(int errnum);

/* Out of memory is not recoverable in a terminal tool: these abort. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
/* xmalloc and xrealloc for an array the caller is about to write whole:
 * the pages of a large block are mapped in one system call rather than
 * faulted in one by one (a page fault costs microseconds under a
 * hypervisor: a million-product query faulted in 7 MB that way). In a
 * short process (util_heap_warm) a block of 4 MB or more is in 2 MB pages
 * instead, which fault as they are written. */
void *xmalloc_hot(size_t n);
void *xrealloc_hot(void *p, size_t n);
/* xcalloc for an array most of which the caller will write. */
void *xcalloc_hot(size_t n, size_t size);
/* The same for n bytes at p of a block already allocated (the part an
 * array just grew by). */
void util_prefault(void *p, size_t n);
/* Grows the heap by n bytes of populated pages for the allocations to
 * come, in a short-lived process (a subcommand, not the dashboard); from
 * then on blocks under 4 MB come from the heap and larger ones are
 * mapped in 2 MB pages where the kernel can. */
void util_heap_warm(size_t n);
/* Room for element n of an array that holds n elements of elem bytes, grown
 * only through xgrow: capacity doubles, so appending N costs O(N) copies
 * (growing by one made a 37k-name gazetteer quadratic under ASan). */
void *xgrow(void *p, int n, size_t elem);
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
 * and !force, fails with SOUK_E_EXISTS (and errno EEXIST); a full disk or
 * quota is SOUK_E_NOSPACE, any other failure SOUK_E_IO. */
int util_write_atomic(const char *path, const char *data, size_t len, int force, souk_err *e);
/* The same for a file written from pieces (iov, n of them). */
struct iovec;
int util_write_atomic_v(const char *path, const struct iovec *iov, int n, int force, souk_err *e);

/* Read a whole file, refusing anything larger than max bytes. */
char *util_read_file(const char *path, size_t max, size_t *len, souk_err *e);

/* mkdir -p, mode 0700 for new directories. */
int util_mkdirs(const char *path, souk_err *e);

/* Case-insensitive ASCII compare helpers. */
int util_strieq(const char *a, const char *b);
/* 1 when s is exactly len ASCII letters (a country or currency code). */
int util_is_alpha_code(const char *s, size_t len);

/* Local "2026-11-23 14:02" for a time in seconds since the epoch. */
void util_fmt_time(long long t, char *buf, size_t len);
/* Monotonic clock in seconds, for benchmarks and timeouts. */
double util_now(void);
/* The current local year; SOUK_TODAY=YYYY-MM-DD in the environment sets
 * the date instead (tests of anything that counts years). */
int util_year_now(void);

#endif
