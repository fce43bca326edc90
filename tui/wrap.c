/* wrap: splits text into lines by display width (CJK and emoji aware), breaking at spaces. */
#include "wrap.h"

#include <stdint.h>
#include <string.h>

#include "text.h"

static void emit(wrap_line *out, int max, int *n, size_t off, size_t len)
{
	if (out != NULL && *n < max) {
		out[*n].off = off;
		out[*n].len = len;
	}
	(*n)++;
}

/* Wraps one paragraph (no '\n') starting at byte base. */
static void wrap_para(const char *s, size_t base, size_t end, int width, wrap_line *out, int max,
                      int *n)
{
	size_t start = base, p = base, brk = 0;
	int col = 0, have_brk = 0;

	while (p < end) {
		uint32_t cp;
		size_t k = text_decode(s + p, end - p, &cp);
		int w = text_cpwidth(cp);

		if (cp == ' ') {
			brk = p;
			have_brk = 1;
		}
		if (col + w > width && p > start) {
			if (cp == ' ') {
				emit(out, max, n, start, p - start);
				start = p + k;
				p = start;
				col = 0;
				have_brk = 0;
				continue;
			}
			if (have_brk && brk > start) {
				emit(out, max, n, start, brk - start);
				start = brk + 1;
			} else {
				emit(out, max, n, start, p - start);
				start = p;
			}
			have_brk = 0;
			/* recount the columns carried over to the new line */
			col = 0;
			{
				size_t q = start;

				while (q < p) {
					uint32_t c2;

					q += text_decode(s + q, p - q, &c2);
					col += text_cpwidth(c2);
				}
			}
			continue; /* re-examine cp on the new line */
		}
		col += w;
		p += k;
	}
	emit(out, max, n, start, end - start);
}

int wrap_text(const char *s, int width, wrap_line *out, int max)
{
	size_t len = strlen(s), p = 0;
	int n = 0;

	if (width < 2)
		width = 2; /* a wide character must fit somewhere */
	for (;;) {
		const char *nl = memchr(s + p, '\n', len - p);
		size_t end = nl ? (size_t)(nl - s) : len;

		wrap_para(s, p, end, width, out, max, &n);
		if (nl == NULL)
			break;
		p = end + 1;
	}
	return n;
}
