/* wrap: splits text into lines by display width (CJK and emoji aware), breaking at spaces. */
#ifndef SOUK_WRAP_H
#define SOUK_WRAP_H

#include <stddef.h>

typedef struct wrap_line {
	size_t off, len; /* bytes of the source line, without the breaking space */
} wrap_line;

/* Lines of s that each fit in width columns; '\n' always breaks. A word
 * wider than width is cut between code points. Returns the number of lines
 * (at least 1); fills at most max entries of out (out may be NULL to
 * count). s should be sanitised (keep_newlines) first. */
int wrap_text(const char *s, int width, wrap_line *out, int max);

#endif
