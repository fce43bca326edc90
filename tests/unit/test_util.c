/* Unit tests for core/util.c: the warmed heap serves small allocations
 * without a page fault each, a short process's large blocks are reused or
 * backed by huge pages, and a file written atomically is mapped back a
 * small piece a fault. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "test_smaps.h"
#include "util.h"

#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZED 1
#endif
#endif

static long minor_faults(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt;
}

/* Page faults taken while 192 blocks of 2 KB (96 pages) are allocated and
 * written; the blocks are freed afterwards. */
static long faults_of_small_blocks(void)
{
	enum { N = 192, SIZE = 2048 };
	char *v[N];
	long before = minor_faults();

	for (int i = 0; i < N; i++) {
		v[i] = xmalloc(SIZE);
		memset(v[i], i, SIZE);
	}
	before = minor_faults() - before;
	for (int i = 0; i < N; i++)
		free(v[i]);
	return before;
}

static void test_heap_warm(void **state)
{
	pid_t pid;
	int status;
	long warm;

	(void)state;
#if defined(SANITIZED) || !defined(__GLIBC__)
	skip(); /* another allocator, or glibc's without mallopt */
#endif
	/* the control: a fresh process that does not warm its heap takes a
	 * fault for most of those pages */
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(faults_of_small_blocks() >= 48 ? 0 : 1);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	/* warmed in a child too: the setting is for a whole process, and the
	 * other tests start from a process without it */
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		util_heap_warm((size_t)1 << 20);
		warm = faults_of_small_blocks();
		_exit(warm < 8 ? 0 : 1);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* What a fresh process sees: without util_heap_warm, an 8 MB hot block
 * is not advised and a 2 MB block is a mapping of its own; after it, 8
 * MB blocks are advised into huge pages (where the kernel has them) and
 * not populated ahead, and the 2 MB block comes from the heap, grown past
 * the 1 MB warmed. Returns a failed check's number. */
static int short_process_blocks(void)
{
	test_mapping mp;
	int thp = access("/sys/kernel/mm/transparent_hugepage/enabled", F_OK) == 0;
	char *big = xmalloc_hot((size_t)8 << 20), *mid = xmalloc((size_t)2 << 20);

	if (!test_mapping_of(big + (4 << 20), &mp) || strstr(mp.flags, " hg"))
		return 1;
	if (!test_mapping_of(mid, &mp) || strcmp(mp.name, "[heap]") == 0)
		return 2;
	free(big);
	free(mid);
	util_heap_warm((size_t)1 << 20);
	big = xmalloc_hot((size_t)8 << 20);
	mid = xmalloc((size_t)2 << 20);
	if (!test_mapping_of(big + (4 << 20), &mp) || (thp && !strstr(mp.flags, " hg")))
		return 3;
	/* left to fault 2 MB at a time as written: at most malloc's header
	 * and the 2 MB page around it are resident yet, not the 8 MB */
	if (thp && (mp.rss_kb < 0 || mp.rss_kb > 2048 + 4))
		return 6;
	if (!test_mapping_of(mid, &mp) || strcmp(mp.name, "[heap]") != 0)
		return 4;
	/* every byte is there to write */
	memset(big, 1, (size_t)8 << 20);
	free(big);
	free(mid);
	/* any large block, not only the ones written whole at once */
	big = xcalloc((size_t)1 << 20, 8);
	if (!test_mapping_of(big + (4 << 20), &mp) || (thp && !strstr(mp.flags, " hg")))
		return 5;
	free(big);
	return 0;
}

static void test_short_process_blocks(void **state)
{
	pid_t pid;
	int status;

	(void)state;
#if defined(SANITIZED) || !defined(__GLIBC__) || !defined(__linux__)
	skip(); /* another allocator, or no /proc/self/smaps */
#endif
	pid = fork(); /* util_heap_warm is for a whole process */
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(short_process_blocks());
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* A file util_write_atomic wrote, still in the page cache as written, and
 * mapped: touching one byte maps what a fault maps anyway, not a folio as
 * large as the write (the column index is read this way by every query
 * process, which counts it all as resident). */
static void test_written_in_small_folios(void **state)
{
	char dir[] = "/tmp/souk-test-util-XXXXXX", path[64];
	size_t len = (size_t)32 << 20;
	char *data = malloc(len), *map;
	test_mapping before, after;
	souk_err e;
	int fd;

	(void)state;
#if !defined(__linux__)
	skip(); /* no /proc/self/smaps */
#endif
	assert_non_null(data);
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/f", dir);
	memset(data, 'x', len);
	assert_int_equal(util_write_atomic(path, data, len, 1, &e), 0);
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	map = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	assert_true(map != MAP_FAILED);
	assert_true(test_mapping_of(map, &before));
	assert_int_equal(before.rss_kb, 0);
	assert_int_equal(map[len / 2 + 12345], 'x');
	assert_true(test_mapping_of(map, &after));
	/* one fault: some pages, at most a fault-around window's */
	assert_true(after.rss_kb > 0);
	assert_true(after.rss_kb <= 64);
	munmap(map, len);
	unlink(path);
	rmdir(dir);
	free(data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_heap_warm),
	        cmocka_unit_test(test_short_process_blocks),
	        cmocka_unit_test(test_written_in_small_folios),
	};
	return cmocka_run_group_tests_name("util", tests, NULL, NULL);
}
