/* bench_proc: the wall time and peak RSS of whole processes, as a buyer waits for them: a command
 * run once per line of a file (the line takes the place of the argument "@"), each line several
 * times. Timed from fork to the end of wait4 with a monotonic clock, so the figure holds no shell
 * or timer process of its own.
 *
 *   bench_proc [--cold PATH]... FILE RUNS COMMAND [ARG...]
 *
 * Prints one line per input line: "MEDIAN_MS MIN_MS MAX_MS MAXRSS_KB", the statistics over its
 * RUNS runs; exits 1 when a run fails. Lines that are empty or start with '#' are skipped. With
 * --cold, each PATH (a catalog, its index) is dropped from the page cache before every run, as
 * a machine that paged it out while the buyer was away would have it. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_RUNS 64

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

#define MAX_COLD 8

/* Asks the kernel to drop path's pages from its cache (the clean ones,
 * which a catalog opened read-only only has). */
static void drop_cached(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	(void)posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	close(fd);
}

/* One run: its wall time in ms and peak RSS in KB; -1 when it failed. */
static double run_once(char **argv, long *rss_kb)
{
	struct rusage ru;
	int status;
	double t0;
	pid_t pid;

	fflush(stdout); /* else the child's copy of the buffer is written too */
	t0 = now_ms();
	pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (!freopen("/dev/null", "w", stdout))
			_exit(127);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) != pid)
		return -1;
	*rss_kb = ru.ru_maxrss;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return -1;
	return now_ms() - t0;
}

int main(int argc, char **argv)
{
	char line[8192];
	const char *cold[MAX_COLD];
	FILE *f;
	int runs, at = -1, ncold = 0;

	while (argc > 2 && strcmp(argv[1], "--cold") == 0 && ncold < MAX_COLD) {
		cold[ncold++] = argv[2];
		argc -= 2;
		argv += 2;
	}
	if (argc < 4 || (runs = atoi(argv[2])) < 1 || runs > MAX_RUNS) {
		fprintf(stderr,
		        "usage: bench_proc [--cold PATH]... FILE RUNS COMMAND [ARG...] (RUNS "
		        "1..%d)\n",
		        MAX_RUNS);
		return 2;
	}
	for (int i = 3; i < argc; i++)
		if (strcmp(argv[i], "@") == 0)
			at = i;
	if (!(f = fopen(argv[1], "r"))) {
		perror(argv[1]);
		return 2;
	}
	while (fgets(line, sizeof line, f)) {
		double t[MAX_RUNS];
		long rss = 0;
		line[strcspn(line, "\n")] = 0;
		if (line[0] == 0 || line[0] == '#')
			continue;
		if (at > 0)
			argv[at] = line;
		for (int r = 0; r < runs; r++) {
			long kb = 0;
			for (int c = 0; c < ncold; c++)
				drop_cached(cold[c]);
			if ((t[r] = run_once(argv + 3, &kb)) < 0) {
				fprintf(stderr, "bench_proc: %s failed on: %s\n", argv[3], line);
				fclose(f);
				return 1;
			}
			if (kb > rss)
				rss = kb;
		}
		qsort(t, (size_t)runs, sizeof *t, cmp_double);
		printf("%.1f %.1f %.1f %ld\n", t[runs / 2], t[0], t[runs - 1], rss);
	}
	fclose(f);
	return 0;
}
