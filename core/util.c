/* util: error values, allocation, growable strings and atomic file writes. */
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <string.h>
#include <strings.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

static void err_vsetc(souk_err *e, int code, const char *fmt, va_list ap)
{
	if (e == NULL)
		return;
	e->code = code;
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
}

void err_set(souk_err *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vsetc(e, SOUK_E_FAIL, fmt, ap);
	va_end(ap);
}

void err_setc(souk_err *e, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vsetc(e, code, fmt, ap);
	va_end(ap);
}

int err_code_of_errno(int errnum)
{
	switch (errnum) {
	case ENOSPC:
#ifdef EDQUOT
	case EDQUOT:
#endif
		return SOUK_E_NOSPACE;
	case ENOENT:
		return SOUK_E_NOTFOUND;
	case EEXIST:
		return SOUK_E_EXISTS;
	default:
		return SOUK_E_IO;
	}
}

/* Blocks this large are mapped on their own in a short process
 * (util_heap_warm) and backed by 2 MB pages where the kernel can. */
#define HUGE_MIN ((size_t)4 << 20)

/* Set once by util_heap_warm, before the work starts: the process is a
 * short one (a subcommand), whose large blocks are fresh memory. */
static int heap_short;

/* A short process's block of n bytes at p in 2 MB pages where the kernel
 * can: the block's whole mapping, its first and last pages too, since
 * advice on part of it would split the mapping in two and glibc could no
 * longer grow the block in place (mremap). */
static void huge_advise(void *p, size_t n)
{
#ifdef MADV_HUGEPAGE
	uintptr_t page, lo, hi;

	if (!heap_short || n < HUGE_MIN) /* every allocation passes here */
		return;
	page = (uintptr_t)sysconf(_SC_PAGESIZE);
	lo = (uintptr_t)p & ~(page - 1);
	hi = ((uintptr_t)p + n + page - 1) & ~(page - 1);
	(void)madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
#else
	(void)p;
	(void)n;
#endif
}

static void oom(void)
{
	fputs("souk: out of memory\n", stderr);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		oom();
	huge_advise(p, n);
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		oom();
	huge_advise(p, n * size); /* calloc refused a product that overflows */
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (q == NULL)
		oom();
	huge_advise(q, n);
	return q;
}

/* Linux 5.14; elsewhere, or on an older kernel, the pages fault in as
 * usual. */
#if defined(__linux__) && !defined(MADV_POPULATE_WRITE)
#define MADV_POPULATE_WRITE 23
#endif
#define HOT_MIN ((size_t)256 * 1024)

void util_prefault(void *p, size_t n)
{
#ifdef MADV_POPULATE_WRITE
	uintptr_t page, a, b;

	/* a short process's large block is in 2 MB pages (huge_advise): a
	 * fault there maps 2 MB, so the pages are left to fault as written,
	 * and the part of a block sized for the worst case that is never
	 * written is never cleared (40 MB less resident over the 10M mix) */
	if (n < HOT_MIN || (heap_short && n >= HUGE_MIN))
		return;
	page = (uintptr_t)sysconf(_SC_PAGESIZE);
	a = ((uintptr_t)p + page - 1) & ~(page - 1);
	b = ((uintptr_t)p + n) & ~(page - 1);
	if (b > a)
		(void)madvise((void *)a, b - a, MADV_POPULATE_WRITE);
#else
	(void)p;
	(void)n;
#endif
}

/* The first write to a fresh page of memory costs a fault, and under the
 * hypervisor of the machine souk's figures come from a fault is a trip out
 * of the guest: 10 to 15 us a page, where populating the same page ahead
 * in one call cost under 1 us one day and 7 us another (the host
 * decides; doc/HACKING.md). A `souk query` writes some 200 fresh heap
 * pages (SQLite's cache, the filter, the rows), so the heap is grown once
 * by n populated bytes, handed back and kept (the trim threshold): the
 * small allocations that follow land on pages already there. Blocks up to
 * 4 MB come from the heap too, so a block freed is reused by the next of
 * its size; blocks of 4 MB and more are mapped on their own, asked for in
 * 2 MB pages (huge_advise) and not populated: a first write then costs
 * one trip out of the guest per 2 MB instead of one per 4 KB (a query
 * over 10,000,000 products writes 40 MB of fresh memory; the median per
 * process over the benchmark mix fell from 89-99 ms to 59-67 ms). For
 * short processes only: the dashboard keeps glibc's own sizing, which
 * moves the large blocks of repeated queries onto the heap as it runs,
 * where they stay mapped. */
void util_heap_warm(size_t n)
{
#if defined(__GLIBC__) && defined(M_MMAP_THRESHOLD)
	void *p;

	/* the block comes from the heap, not a mapping of its own */
	mallopt(M_MMAP_THRESHOLD, (int)n * 2);
	mallopt(M_TRIM_THRESHOLD, (int)n * 4);
	if ((p = malloc(n)) != NULL) {
		util_prefault(p, n);
		free(p);
	}
	/* blocks under 4 MB come from the heap, where one freed is reused by
	 * the next (a query's sorts take and give back the same sizes);
	 * larger ones are mapped in 2 MB pages (huge_advise) */
	mallopt(M_MMAP_THRESHOLD, (int)HUGE_MIN);
	heap_short = 1;
#else
	(void)n;
#endif
}

void *xmalloc_hot(size_t n)
{
	void *p = xmalloc(n);

	util_prefault(p, n);
	return p;
}

void *xcalloc_hot(size_t n, size_t size)
{
	void *p = xcalloc(n, size);

	util_prefault(p, n * size);
	return p;
}

void *xrealloc_hot(void *p, size_t n)
{
	p = xrealloc(p, n);
	util_prefault(p, n);
	return p;
}

void *xgrow(void *p, int n, size_t elem)
{
	/* the capacity is implied by n: 8, then the power of two at or above n */
	if (n == 0)
		return xrealloc(p, 8 * elem);
	if (n < 8 || (n & (n - 1)) != 0)
		return p;
	return xrealloc(p, 2 * (size_t)n * elem);
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = xmalloc(len + 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	strbuf b;
	va_list ap;

	sb_init(&b);
	va_start(ap, fmt);
	sb_vprintf(&b, fmt, ap);
	va_end(ap);
	return sb_steal(&b);
}

void sb_init(strbuf *b)
{
	b->s = NULL;
	b->len = b->cap = 0;
}

void sb_free(strbuf *b)
{
	free(b->s);
	sb_init(b);
}

static void sb_grow(strbuf *b, size_t extra)
{
	size_t need = b->len + extra + 1;

	if (need <= b->cap)
		return;
	if (b->cap == 0)
		b->cap = 64;
	while (b->cap < need)
		b->cap *= 2;
	b->s = xrealloc(b->s, b->cap);
}

void sb_addn(strbuf *b, const char *s, size_t n)
{
	sb_grow(b, n);
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void sb_add(strbuf *b, const char *s)
{
	sb_addn(b, s, strlen(s));
}

void sb_addc(strbuf *b, char c)
{
	sb_addn(b, &c, 1);
}

void sb_vprintf(strbuf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n <= 0)
		return;
	sb_grow(b, (size_t)n);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void sb_printf(strbuf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sb_vprintf(b, fmt, ap);
	va_end(ap);
}

char *sb_steal(strbuf *b)
{
	char *s = b->s ? b->s : xstrdup("");

	sb_init(b);
	return s;
}

/* Bytes a write() call is given at most. The page cache sizes a buffered
 * write's folios by the write (Linux 6 with large folios), and a mapping
 * of the file later faults a whole folio in: the column index written in
 * one 230 MB call came back in 2 MB folios, and a query process that read
 * a few bytes here and there counted 98 MB resident at a million products
 * instead of 27 MB (315 MB instead of 172 MB at ten million), for the same
 * time. 64 KB is what a fault maps anyway (fault-around). */
#define WRITE_CHUNK ((size_t)64 << 10)

static int write_all(int fd, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len < WRITE_CHUNK ? len : WRITE_CHUNK);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* The directory entry must reach the disk too, or a crash right after the
 * rename can leave neither name. */
static void fsync_dir_of(const char *path)
{
	char *copy = xstrdup(path);
	int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY);

	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(copy);
}

/* A failed write is out of space or plain I/O: the file's absence or
 * presence is not what the caller needs to know. */
static int write_errc(int errnum)
{
	return err_code_of_errno(errnum) == SOUK_E_NOSPACE ? SOUK_E_NOSPACE : SOUK_E_IO;
}

int util_write_atomic(const char *path, const char *data, size_t len, int force, souk_err *e)
{
	struct iovec v = {.iov_base = (void *)data, .iov_len = len};

	return util_write_atomic_v(path, &v, 1, force, e);
}

int util_write_atomic_v(const char *path, const struct iovec *iov, int n, int force, souk_err *e)
{
	char *tmp = xasprintf("%s.tmp-XXXXXX", path);
	int fd, saved, ok = 1;

	if (!force && access(path, F_OK) == 0) {
		err_setc(e, SOUK_E_EXISTS,
		         "%s already exists (use --force or /save! to replace it)", path);
		free(tmp);
		errno = EEXIST;
		return -1;
	}
	fd = mkstemp(tmp);
	if (fd < 0) {
		saved = errno;
		err_setc(e, write_errc(saved), "cannot write %s: %s", path, strerror(saved));
		free(tmp);
		errno = saved;
		return -1;
	}
	fchmod(fd, 0644);
	for (int i = 0; ok && i < n; i++)
		ok = write_all(fd, (const char *)iov[i].iov_base, iov[i].iov_len) == 0;
	if (!ok || fsync(fd) < 0) {
		saved = errno;
		close(fd);
		goto fail;
	}
	if (close(fd) < 0) {
		saved = errno;
		goto fail;
	}
	if (force) {
		if (rename(tmp, path) < 0) {
			saved = errno;
			goto fail;
		}
	} else {
		/* link() refuses to replace, closing the race with another writer.
		 * FAT and some network file systems have no hard links: there the
		 * check above and a rename are the best on offer. */
		if (link(tmp, path) == 0) {
			unlink(tmp);
		} else if ((errno == EPERM || errno == ENOSYS || errno == EOPNOTSUPP ||
		            errno == EMLINK) &&
		           access(path, F_OK) != 0) {
			if (rename(tmp, path) < 0) {
				saved = errno;
				goto fail;
			}
		} else {
			saved = errno == EPERM ? EEXIST : errno;
			goto fail;
		}
	}
	fsync_dir_of(path);
	free(tmp);
	return 0;
fail:
	unlink(tmp);
	if (saved == EEXIST)
		err_setc(e, SOUK_E_EXISTS,
		         "%s already exists (use --force or /save! to replace it)", path);
	else
		err_setc(e, write_errc(saved),
		         "cannot write %s: %s (the old file, if any, is unchanged)", path,
		         strerror(saved));
	free(tmp);
	errno = saved;
	return -1;
}

char *util_read_file(const char *path, size_t max, size_t *len, souk_err *e)
{
	FILE *f = fopen(path, "rb");
	strbuf b;
	char buf[65536];
	size_t n;

	if (f == NULL) {
		err_setc(e, err_code_of_errno(errno), "cannot open %s: %s", path, strerror(errno));
		return NULL;
	}
	sb_init(&b);
	while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
		if (b.len + n > max) {
			err_setc(e, SOUK_E_INVALID, "%s is larger than %zu MB", path, max >> 20);
			fclose(f);
			sb_free(&b);
			return NULL;
		}
		sb_addn(&b, buf, n);
	}
	if (ferror(f)) {
		err_setc(e, err_code_of_errno(errno), "cannot read %s: %s", path, strerror(errno));
		fclose(f);
		sb_free(&b);
		return NULL;
	}
	fclose(f);
	if (len)
		*len = b.len;
	return sb_steal(&b);
}

int util_mkdirs(const char *path, souk_err *e)
{
	char *p = xstrdup(path);
	char *s;

	for (s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0700) < 0 && errno != EEXIST) {
			err_setc(e, err_code_of_errno(errno), "cannot create %s: %s", p,
			         strerror(errno));
			free(p);
			return -1;
		}
		*s = '/';
	}
	if (mkdir(p, 0700) < 0 && errno != EEXIST) {
		err_setc(e, err_code_of_errno(errno), "cannot create %s: %s", p, strerror(errno));
		free(p);
		return -1;
	}
	free(p);
	return 0;
}

int util_strieq(const char *a, const char *b)
{
	return strcasecmp(a, b) == 0;
}

double util_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void util_fmt_time(long long t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	localtime_r(&tt, &tm);
	strftime(buf, len, "%Y-%m-%d %H:%M", &tm);
}

int util_year_now(void)
{
	const char *today = getenv("SOUK_TODAY");
	time_t now = time(NULL);
	struct tm tm;

	if (today && strlen(today) == 10 && today[4] == '-' && today[7] == '-') {
		int y = atoi(today);
		if (y > 1900 && y < 10000)
			return y;
	}
	localtime_r(&now, &tm);
	return tm.tm_year + 1900;
}

int util_is_alpha_code(const char *s, size_t len)
{
	if (strlen(s) != len)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (!isalpha((unsigned char)s[i]))
			return 0;
	return 1;
}
