/* fuzz_config: the config file (key = value), read by config_load from a private XDG_CONFIG_HOME.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "fuzz.h"

static char *dir; /* the private config home, made once per process */

static void cleanup(void)
{
	char *p = xasprintf("%s/souk/config", dir);
	unlink(p);
	free(p);
	p = xasprintf("%s/souk", dir);
	rmdir(p);
	free(p);
	rmdir(dir);
	free(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	souk_config c;
	souk_err e;
	char *path;
	FILE *f;

	if (dir == NULL) {
		const char *t = getenv("TMPDIR");
		char *sub;
		dir = xasprintf("%s/souk-fuzz-config-XXXXXX", t && *t ? t : "/tmp");
		if (mkdtemp(dir) == NULL)
			abort();
		sub = xasprintf("%s/souk", dir);
		mkdir(sub, 0700);
		free(sub);
		setenv("XDG_CONFIG_HOME", dir, 1);
		atexit(cleanup);
	}
	path = xasprintf("%s/souk/config", dir);
	f = fopen(path, "wb");
	free(path);
	if (f == NULL)
		abort();
	fwrite(data, 1, size, f);
	fclose(f);
	if (config_load(&c, "souk", &e) == 0 && c.currency == NULL)
		abort(); /* a loaded config always has a currency */
	config_free(&c);
	return 0;
}
