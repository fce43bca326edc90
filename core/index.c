/* index: the column index file beside a catalog (CATALOG.idx): sections, header, validation,
 * mapping. */
#include "index.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct sec_entry {
	uint32_t id, flags;
	uint64_t off, len, sum;
} sec_entry;

/* The file starts with this header; sections follow, 64-byte aligned.
 * Numbers are in the machine's byte order: the file is a cache, rebuilt
 * from the catalog whenever it does not validate. */
typedef struct header {
	char magic[8];
	uint32_t version, nsec;
	uint64_t file_size;
	index_ident ident;
	uint64_t header_sum; /* of the header with this field zero */
	sec_entry sec[INDEX_MAX_SEC];
} header;

#define HEADER_SIZE ((sizeof(header) + 63) & ~(size_t)63)

struct index_map {
	char *catalog;
	index_ident ident;
	unsigned char *base;
	size_t len;
	int mem; /* base is malloc'd (kept in memory), else mmap'd */
	int refs;
	dev_t dev;
	ino_t ino;
	struct timespec mtime;
	struct index_map *next;
};

/* One mapping per catalog and identity for the whole process: both match
 * contexts of the dashboard share it. */
static pthread_mutex_t cache_mu = PTHREAD_MUTEX_INITIALIZER;
static index_map *cache;
/* Whether new mappings are advised MADV_HUGEPAGE (index_map_huge). */
static int map_huge;

uint64_t index_hash(const void *data, size_t len, uint64_t seed)
{
	const unsigned char *p = data;
	uint64_t h = seed ^ 0x9e3779b97f4a7c15ull;
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		h = (h ^ w) * 0x100000001b3ull;
		h ^= h >> 29;
	}
	for (; i < len; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h ^ (h >> 32) ^ len;
}

char *index_path(const char *catalog)
{
	return xasprintf("%s.idx", catalog);
}

static uint64_t header_sum(const header *h)
{
	header c = *h;
	c.header_sum = 0;
	return index_hash(&c, sizeof c, 1);
}

/* Everything that can be checked without reading the BULK sections. */
static int validate(const unsigned char *base, size_t len, const index_ident *id, souk_err *e)
{
	header h;

	if (len < HEADER_SIZE) {
		err_set(e, "index is truncated (%zu bytes)", len);
		return -1;
	}
	memcpy(&h, base, sizeof h);
	if (memcmp(h.magic, INDEX_MAGIC, 8) != 0) {
		err_set(e, "index has no index header");
		return -1;
	}
	if (h.version != INDEX_VERSION) {
		err_set(e, "index has format version %u, not %d", h.version, INDEX_VERSION);
		return -1;
	}
	if (header_sum(&h) != h.header_sum || h.nsec > INDEX_MAX_SEC) {
		err_set(e, "index header is corrupt");
		return -1;
	}
	if (h.file_size != len) {
		err_set(e, "index is truncated (%zu of %llu bytes)", len,
		        (unsigned long long)h.file_size);
		return -1;
	}
	if (memcmp(&h.ident, id, sizeof *id) != 0) {
		err_set(e, "index is stale (the catalog changed since it was built)");
		return -1;
	}
	for (uint32_t i = 0; i < h.nsec; i++) {
		const sec_entry *s = &h.sec[i];
		if (s->off < HEADER_SIZE || s->off > len || s->len > len - s->off) {
			err_set(e, "index section %u lies outside the file", s->id);
			return -1;
		}
		if (!(s->flags & (INDEX_BULK | INDEX_LAZY)) &&
		    index_hash(base + s->off, s->len, s->id) != s->sum) {
			err_set(e, "index section %u is corrupt", s->id);
			return -1;
		}
	}
	return 0;
}

static void map_free(index_map *m)
{
	if (m->mem)
		free(m->base);
	else if (m->base)
		munmap(m->base, m->len);
	free(m->catalog);
	free(m);
}

static index_map *map_file(const char *catalog, const index_ident *id, souk_err *e)
{
	char *path = index_path(catalog);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	void *base;
	index_map *m;

	free(path);
	if (fd < 0) {
		err_set(e, "no index (%s)", strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) < 0 || st.st_size < (off_t)HEADER_SIZE) {
		close(fd);
		err_set(e, "index is truncated");
		return NULL;
	}
	base = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	/* No MADV_RANDOM: it kept neighbouring pages out of the resident set,
	 * but an index the system has dropped from its page cache was then read
	 * back 4 KB a fault. This machine pages out page cache left idle for a
	 * minute, so a cold index is the usual first query after a pause:
	 * with read-ahead 0.26 s instead of 0.88 s at 10,000,000 products, for
	 * 4 MB more resident. */
	if (base == MAP_FAILED) {
		err_set(e, "cannot map the index: %s", strerror(errno));
		return NULL;
	}
	/* Where the page cache holds the index in 2 MB folios (as written,
	 * or read with a large read-ahead window), one fault maps 2 MB instead
	 * of 64 KB; and with this advice, pages read back after the system
	 * dropped them come back as 2 MB folios. Touching 20,000 random pages
	 * of a million-product index: 130-160 ms and 3,500 faults mapped by
	 * small pages, 8 ms and 200 faults by 2 MB ones. Kernels without huge
	 * pages for files ignore it. */
	if (map_huge)
		(void)madvise(base, (size_t)st.st_size, MADV_HUGEPAGE);
	if (validate(base, (size_t)st.st_size, id, e) < 0) {
		munmap(base, (size_t)st.st_size);
		return NULL;
	}
	m = xcalloc(1, sizeof *m);
	m->catalog = xstrdup(catalog);
	m->ident = *id;
	m->base = base;
	m->len = (size_t)st.st_size;
	m->dev = st.st_dev;
	m->ino = st.st_ino;
	m->mtime = st.st_mtim;
	return m;
}

void index_willneed(const index_map *m, const void *p, size_t len)
{
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE), a = (uintptr_t)p, b, lo, hi;

	if (!m || m->mem || !p || len == 0)
		return;
	lo = (uintptr_t)m->base;
	hi = lo + m->len;
	b = a + len;
	if (a < lo)
		a = lo;
	if (b > hi || b < a)
		b = hi;
	if (a < b) /* reads started, not waited for */
		(void)madvise((void *)(a & ~(page - 1)), b - (a & ~(page - 1)), MADV_WILLNEED);
}

/* A cached map still describes the file on disk (or lives in memory). */
static int map_current(const index_map *m)
{
	char *path;
	struct stat st;
	int ok;

	if (m->mem)
		return 1;
	path = index_path(m->catalog);
	/* an index is only ever replaced (rename), but a file changed in place
	 * (truncated under the mapping) must not be read */
	ok = stat(path, &st) == 0 && st.st_dev == m->dev && st.st_ino == m->ino &&
	     (size_t)st.st_size == m->len && st.st_mtim.tv_sec == m->mtime.tv_sec &&
	     st.st_mtim.tv_nsec == m->mtime.tv_nsec;
	free(path);
	return ok;
}

static index_map *cache_find(const char *catalog, const index_ident *id)
{
	for (index_map *m = cache; m; m = m->next)
		if (strcmp(m->catalog, catalog) == 0 && memcmp(&m->ident, id, sizeof *id) == 0 &&
		    map_current(m))
			return m;
	return NULL;
}

void index_map_huge(int on)
{
	pthread_mutex_lock(&cache_mu);
	map_huge = on;
	pthread_mutex_unlock(&cache_mu);
}

index_map *index_acquire(const char *catalog, const index_ident *id, souk_err *e)
{
	index_map *m;

	pthread_mutex_lock(&cache_mu);
	m = cache_find(catalog, id);
	if (!m) {
		m = map_file(catalog, id, e);
		if (m) {
			m->next = cache;
			cache = m;
		}
	}
	if (m)
		m->refs++;
	pthread_mutex_unlock(&cache_mu);
	return m;
}

void index_release(index_map *m)
{
	if (!m)
		return;
	pthread_mutex_lock(&cache_mu);
	if (--m->refs == 0) {
		for (index_map **p = &cache; *p; p = &(*p)->next)
			if (*p == m) {
				*p = m->next;
				break;
			}
		map_free(m);
	}
	pthread_mutex_unlock(&cache_mu);
}

/* The header's entry for section id, NULL when there is none. */
static const sec_entry *section_entry(const index_map *m, uint32_t id, header *h)
{
	memcpy(h, m->base, sizeof *h);
	for (uint32_t i = 0; i < h->nsec; i++)
		if (h->sec[i].id == id)
			return &h->sec[i];
	return NULL;
}

const void *index_section(const index_map *m, uint32_t id, size_t *len)
{
	header h;
	const sec_entry *s = section_entry(m, id, &h);

	*len = s ? s->len : 0;
	return s ? m->base + s->off : NULL;
}

const void *index_section_checked(const index_map *m, uint32_t id, size_t *len)
{
	header h;
	const sec_entry *s = section_entry(m, id, &h);

	if (!s || index_hash(m->base + s->off, s->len, s->id) != s->sum) {
		*len = 0;
		return NULL;
	}
	*len = s->len;
	return m->base + s->off;
}

int index_section_at(const index_map *m, uint32_t id, uint64_t *off, uint64_t *len)
{
	header h;
	const sec_entry *s = section_entry(m, id, &h);

	if (!s)
		return -1;
	*off = s->off;
	*len = s->len;
	return 0;
}

int index_in_memory(const index_map *m)
{
	return m->mem;
}

void index_builder_init(index_builder *b)
{
	memset(b, 0, sizeof *b);
}

void index_builder_free(index_builder *b)
{
	for (int i = 0; i < b->nsec; i++)
		free(b->sec[i].owned);
	memset(b, 0, sizeof *b);
}

void index_builder_ref(index_builder *b, uint32_t id, uint32_t flags, const void *data, size_t len)
{
	if (b->nsec >= INDEX_MAX_SEC)
		abort(); /* a programming error: the section list is fixed */
	b->sec[b->nsec++] =
	        (index_section_src){.id = id,
	                            .flags = flags,
	                            .data = len ? data : "",
	                            .len = len,
	                            .sum = flags & INDEX_BULK ? 0 : index_hash(data, len, id)};
}

void index_builder_take(index_builder *b, uint32_t id, uint32_t flags, void *data, size_t len)
{
	index_builder_ref(b, id, flags, data, len);
	b->sec[b->nsec - 1].owned = data;
}

void index_builder_add(index_builder *b, uint32_t id, uint32_t flags, const void *data, size_t len)
{
	void *copy = xmalloc(len + 1);

	if (len)
		memcpy(copy, data, len);
	index_builder_take(b, id, flags, copy, len);
}

/* The header of the file b lays out, and the pieces to write after it:
 * each section at its 64-byte aligned offset, zero padding between. */
static const unsigned char zeros[64];

static size_t layout_file(const index_builder *b, const index_ident *id, header *h, struct iovec *v,
                          int *nv)
{
	size_t len = HEADER_SIZE;

	memset(h, 0, sizeof *h);
	memcpy(h->magic, INDEX_MAGIC, 8);
	h->version = INDEX_VERSION;
	h->nsec = (uint32_t)b->nsec;
	h->ident = *id;
	*nv = 0;
	v[(*nv)++] = (struct iovec){.iov_base = h, .iov_len = sizeof *h};
	v[(*nv)++] = (struct iovec){.iov_base = (void *)zeros, .iov_len = HEADER_SIZE - sizeof *h};
	for (int i = 0; i < b->nsec; i++) {
		size_t off = (len + 63) & ~(size_t)63;
		const index_section_src *s = &b->sec[i];
		v[(*nv)++] = (struct iovec){.iov_base = (void *)zeros, .iov_len = off - len};
		v[(*nv)++] = (struct iovec){.iov_base = (void *)s->data, .iov_len = s->len};
		h->sec[i] = (sec_entry){
		        .id = s->id, .flags = s->flags, .off = off, .len = s->len, .sum = s->sum};
		len = off + s->len;
	}
	h->file_size = len;
	h->header_sum = header_sum(h);
	return len;
}

/* The whole file in memory, for a process that cannot write it. */
static unsigned char *file_in_memory(const struct iovec *v, int nv, size_t len)
{
	unsigned char *buf = xmalloc(len + 1), *p = buf;

	for (int i = 0; i < nv; i++) {
		memcpy(p, v[i].iov_base, v[i].iov_len);
		p += v[i].iov_len;
	}
	return buf;
}

index_map *index_publish(index_builder *b, const char *catalog, const index_ident *id, souk_err *e)
{
	char *path = index_path(catalog);
	struct iovec v[2 + 2 * INDEX_MAX_SEC];
	header h;
	int nv;
	size_t len = layout_file(b, id, &h, v, &nv);
	souk_err ignored;
	index_map *m = NULL;

	if (util_write_atomic_v(path, v, nv, 1, &ignored) == 0)
		m = map_file(catalog, id, e);
	free(path);
	if (!m) {
		/* cannot be written (read-only directory, disk full): serve this
		 * process from memory, and the next one builds again */
		m = xcalloc(1, sizeof *m);
		m->catalog = xstrdup(catalog);
		m->ident = *id;
		m->base = file_in_memory(v, nv, len);
		m->len = len;
		m->mem = 1;
	}
	index_builder_free(b);
	pthread_mutex_lock(&cache_mu);
	m->refs = 1;
	m->next = cache;
	cache = m;
	pthread_mutex_unlock(&cache_mu);
	return m;
}
