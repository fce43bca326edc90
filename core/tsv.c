/* tsv: the one reader of souk's tab-separated asset files. */
#include "tsv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Asset tables are small hand-kept files; anything larger is not one. */
#define TSV_MAX (16u << 20)

int tsv_open(tsv *t, const char *path, souk_err *e)
{
	memset(t, 0, sizeof *t);
	t->data = util_read_file(path, TSV_MAX, NULL, e);
	if (t->data == NULL)
		return -1;
	t->name = path;
	t->next = t->data;
	return 0;
}

void tsv_open_text(tsv *t, const char *name, const char *text)
{
	memset(t, 0, sizeof *t);
	t->data = xstrdup(text);
	t->name = name;
	t->next = t->data;
}

static void add_field(tsv *t, char *s)
{
	if (t->nf == t->capf) {
		t->capf = t->capf ? t->capf * 2 : 8;
		t->f = xrealloc(t->f, sizeof(*t->f) * (size_t)t->capf);
	}
	t->f[t->nf++] = s;
}

/* Cuts the current line at TABs into t->f. */
static void split_line(tsv *t, char *line)
{
	t->nf = 0;
	add_field(t, line);
	for (char *p = line; *p; p++) {
		if (*p == '\t') {
			*p = 0;
			add_field(t, p + 1);
		}
	}
}

int tsv_next(tsv *t)
{
	while (t->next && *t->next) {
		char *line = t->next, *nl = strchr(line, '\n');
		size_t n;

		t->next = nl ? nl + 1 : NULL;
		if (nl)
			*nl = 0;
		t->lineno++;
		n = strlen(line);
		if (n > 0 && line[n - 1] == '\r')
			line[--n] = 0;
		if (line[0] == '#') {
			if (t->comment)
				t->comment(t->ctx, line + 1);
			continue;
		}
		if (line[strspn(line, " \t")] == 0)
			continue;
		split_line(t, line);
		return 1;
	}
	t->nf = 0;
	return 0;
}

void tsv_close(tsv *t)
{
	free(t->data);
	free(t->f);
	memset(t, 0, sizeof *t);
}

char *tsv_keep(tsv *t)
{
	char *data = t->data;

	t->data = NULL;
	tsv_close(t);
	return data;
}

int tsv_fail(const tsv *t, souk_err *e, const char *fmt, ...)
{
	char what[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	err_setc(e, SOUK_E_INVALID, "%s:%d: %s", t->name, t->lineno, what);
	return -1;
}

int tsv_want(const tsv *t, int min, int max, souk_err *e)
{
	if (t->nf >= min && t->nf <= max)
		return 0;
	if (min == max)
		return tsv_fail(t, e, "expected %d tab-separated fields, found %d", min, t->nf);
	return tsv_fail(t, e, "expected %d to %d tab-separated fields, found %d", min, max, t->nf);
}

int tsv_split(char *s, char sep, char **out, int max)
{
	int n = 0;

	while (s && n < max) {
		char *end = strchr(s, sep), *next = end ? end + 1 : NULL;

		if (end)
			*end = 0;
		else
			end = s + strlen(s);
		while (*s == ' ')
			s++;
		while (end > s && end[-1] == ' ')
			*--end = 0;
		if (*s)
			out[n++] = s;
		s = next;
	}
	return n;
}
