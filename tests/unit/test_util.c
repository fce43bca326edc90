/* Unit tests for core/util.c: the warmed heap serves small allocations
 * without a page fault each. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

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
	util_heap_warm((size_t)1 << 20);
	warm = faults_of_small_blocks();
	assert_true(warm < 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_heap_warm),
	};
	return cmocka_run_group_tests_name("util", tests, NULL, NULL);
}
