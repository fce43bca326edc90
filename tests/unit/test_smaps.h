/* test_smaps: the mapping that holds an address, as /proc/self/smaps shows it. */
#ifndef SOUK_TEST_SMAPS_H
#define SOUK_TEST_SMAPS_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct test_mapping {
	char name[512];  /* the first line's last field: "" when anonymous, "[heap]" */
	char flags[512]; /* VmFlags, each with a space before it: " rd", " hg" */
	long rss_kb;     /* resident kilobytes, -1 when not read */
} test_mapping;

/* The mapping holding p; 0 when none holds it (or smaps cannot be read). */
static inline int test_mapping_of(const void *p, test_mapping *out)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[512];
	int in = 0, found = 0;

	out->name[0] = out->flags[0] = '\0';
	out->rss_kb = -1;
	if (f == NULL)
		return 0;
	while (fgets(line, sizeof line, f)) {
		unsigned long lo, hi;
		int at = 0;
		if (sscanf(line, "%lx-%lx %*s %*s %*s %*s %n", &lo, &hi, &at) == 2 && at > 0) {
			/* a mapping's first line */
			in = (uintptr_t)p >= lo && (uintptr_t)p < hi;
			if (in) {
				found = 1;
				snprintf(out->name, sizeof out->name, "%s", line + at);
				out->name[strcspn(out->name, "\n")] = '\0';
			}
		} else if (in && strncmp(line, "Rss:", 4) == 0) {
			out->rss_kb = atol(line + 4);
		} else if (in && strncmp(line, "VmFlags:", 8) == 0) {
			snprintf(out->flags, sizeof out->flags, "%s", line + 8);
			break;
		}
	}
	fclose(f);
	return found;
}

#endif
