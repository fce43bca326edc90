/* cmd_demo: `souk demo [--products N] [--seed S] [--out FILE] [--force]`, the demo catalog builder.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalog.h"
#include "catalog_info.h"
#include "cmd.h"
#include "text.h"

static const char demo_usage[] =
        "usage: souk demo [--products N] [--seed S] [--out FILE] [--force]";

static void demo_progress(double done, void *arg)
{
	(void)arg;
	fprintf(stderr, "\rsouk: building the demo catalog %3d%%", (int)(done * 100 + 0.5));
	fflush(stderr);
}

/* Parses a whole decimal number in [lo, hi]. */
static int parse_num(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

/* A catalog the user imported is not silently replaced by a demo. */
static int replaces_non_demo(const char *path)
{
	catalog_meta meta;
	souk_err e;
	int other;

	if (access(path, F_OK) != 0)
		return 0;
	if (catalog_info_meta(path, &meta, &e) < 0)
		return 1;
	other = strcmp(meta.name, "demo") != 0;
	catalog_meta_free(&meta);
	return other;
}

int cmd_demo(const souk_config *cfg, int argc, char **argv)
{
	long n = CATALOG_DEMO_PRODUCTS, seed = 1, nsup = 0, nprod = 0;
	const char *out = cfg->catalog;
	int force = 0, tty = isatty(2);
	double t0;
	souk_err e;
	char *shown;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--force") == 0) {
			force = 1;
			continue;
		}
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			puts(demo_usage);
			return 0;
		}
		if (i + 1 >= argc ||
		    (strcmp(a, "--products") && strcmp(a, "--seed") && strcmp(a, "--out")))
			return cmd_fail(2, "unexpected argument '%s' (%s)", a, demo_usage);
		i++;
		if (strcmp(a, "--products") == 0 && parse_num(argv[i], 1, 100000000L, &n) < 0)
			return cmd_fail(2,
			                "--products wants a number from 1 to 100000000, not '%s'",
			                argv[i]);
		if (strcmp(a, "--seed") == 0 && parse_num(argv[i], 0, 4294967295L, &seed) < 0)
			return cmd_fail(2, "--seed wants a number from 0 to 4294967295, not '%s'",
			                argv[i]);
		if (strcmp(a, "--out") == 0)
			out = argv[i];
	}
	if (out == cfg->catalog && config_ensure_data_dir(cfg, &e) < 0)
		return cmd_fail(1, "%s", e.msg);
	if (!force && replaces_non_demo(out))
		return cmd_fail(
		        1, "%s exists and is not a demo catalog (pass --force to replace it)", out);
	t0 = util_now();
	if (catalog_build_demo(out, cfg->assets, n, (unsigned)seed, tty ? demo_progress : NULL,
	                       NULL, &e) < 0) {
		if (tty)
			fputc('\n', stderr);
		return cmd_fail(1, "%s", e.msg);
	}
	if (tty)
		fputc('\n', stderr);
	if (catalog_file_counts(out, &nsup, &nprod, &e) < 0)
		return cmd_fail(1, "%s", e.msg);
	shown = text_sanitize(out, 0);
	printf("demo catalog %s: %ld supplier%s, %ld product%s, seed %ld, %.2f s\n", shown, nsup,
	       nsup == 1 ? "" : "s", nprod, nprod == 1 ? "" : "s", seed, util_now() - t0);
	free(shown);
	return 0;
}
