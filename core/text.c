/* text: UTF-8 decoding, display width, truncation and sanitising of data. */
#include "text.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

size_t text_decode(const char *str, size_t len, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	uint32_t c, min;
	size_t n, i;

	if (len == 0) {
		*cp = 0;
		return 0;
	}
	c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		c &= 0x1f;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		c &= 0x0f;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		c &= 0x07;
		min = 0x10000;
	} else {
		*cp = 0xfffd;
		return 1;
	}
	if (len < n) {
		*cp = 0xfffd;
		return 1;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			*cp = 0xfffd;
			return 1;
		}
		c = (c << 6) | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and values past U+10FFFF are malformed. */
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) {
		*cp = 0xfffd;
		return 1;
	}
	*cp = c;
	return n;
}

size_t text_encode(uint32_t c, char *out)
{
	unsigned char *o = (unsigned char *)out;

	if (c < 0x80) {
		o[0] = (unsigned char)c;
		return 1;
	}
	if (c < 0x800) {
		o[0] = (unsigned char)(0xc0 | (c >> 6));
		o[1] = (unsigned char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		o[0] = (unsigned char)(0xe0 | (c >> 12));
		o[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3f));
		o[2] = (unsigned char)(0x80 | (c & 0x3f));
		return 3;
	}
	o[0] = (unsigned char)(0xf0 | (c >> 18));
	o[1] = (unsigned char)(0x80 | ((c >> 12) & 0x3f));
	o[2] = (unsigned char)(0x80 | ((c >> 6) & 0x3f));
	o[3] = (unsigned char)(0x80 | (c & 0x3f));
	return 4;
}

struct range {
	uint32_t lo, hi;
};

/* Generated tables instead of wcwidth(3): the result must not depend on the
 * locale the user happens to run under, or tests and screens would differ;
 * the rules are the C library's, so souk and the terminal agree. */
#include "text_width.h"

static int in_table(uint32_t c, const struct range *t, size_t n)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (c < t[mid].lo)
			hi = mid;
		else if (c > t[mid].hi)
			lo = mid + 1;
		else
			return 1;
	}
	return 0;
}

int text_cpwidth(uint32_t c)
{
	if (c < 0x20 || (c >= 0x7f && c < 0xa0))
		return 0;
	if (c < 0x300)
		return 1;
	if (in_table(c, zero_width, sizeof zero_width / sizeof zero_width[0]))
		return 0;
	if (in_table(c, wide, sizeof wide / sizeof wide[0]))
		return 2;
	return 1;
}

int text_width(const char *s)
{
	size_t len = strlen(s), i = 0;
	int w = 0;

	while (i < len) {
		uint32_t c;

		i += text_decode(s + i, len - i, &c);
		w += text_cpwidth(c);
	}
	return w;
}

/* Length of an escape sequence starting at s[0] == ESC, so the whole
 * sequence (CSI, OSC, DCS, ...) is dropped and not only the ESC byte. */
static size_t escape_len(const unsigned char *s, size_t len)
{
	size_t i;

	if (len < 2)
		return len;
	if (s[1] == '[') { /* CSI: parameters then a final byte 0x40-0x7e */
		for (i = 2; i < len; i++)
			if (s[i] >= 0x40 && s[i] <= 0x7e)
				return i + 1;
		return len;
	}
	if (s[1] == ']' || s[1] == 'P' || s[1] == '_' || s[1] == '^' || s[1] == 'X') {
		/* string sequences end with BEL or ST (ESC \) */
		for (i = 2; i < len; i++) {
			if (s[i] == 0x07)
				return i + 1;
			if (s[i] == 0x1b && i + 1 < len && s[i + 1] == '\\')
				return i + 2;
		}
		return len;
	}
	return 2;
}

char *text_sanitize(const char *str, int keep_newlines)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t len = str ? strlen(str) : 0, i = 0;
	strbuf b;

	sb_init(&b);
	while (i < len) {
		uint32_t c;
		size_t n;
		char enc[4];

		if (s[i] == 0x1b) {
			i += escape_len(s + i, len - i);
			continue;
		}
		n = text_decode(str + i, len - i, &c);
		i += n;
		if (c == '\n' && keep_newlines) {
			sb_addc(&b, '\n');
			continue;
		}
		if (c == '\t' || c == '\n' || c == '\r') {
			sb_addc(&b, ' ');
			continue;
		}
		if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0))
			continue;
		/* Bidi overrides can make a name display as something else;
		 * format characters (direction marks U+200E, U+200F, U+061C,
		 * joiners, tags) have no width yet change how the terminal
		 * draws their neighbours. */
		if (c >= 0xad && in_table(c, strip, sizeof strip / sizeof strip[0]))
			continue;
		sb_addn(&b, enc, text_encode(c, enc));
	}
	return sb_steal(&b);
}

size_t text_fit(const char *s, int width, int *used)
{
	size_t len = strlen(s), i = 0;
	int w = 0;

	while (i < len) {
		uint32_t c;
		size_t n = text_decode(s + i, len - i, &c);
		int cw = text_cpwidth(c);

		if (w + cw > width)
			break;
		w += cw;
		i += n;
	}
	if (used)
		*used = w;
	return i;
}

char *text_truncate(const char *s, int width)
{
	size_t n;
	int used;
	strbuf b;

	if (width <= 0)
		return xstrdup("");
	if (text_width(s) <= width)
		return xstrdup(s);
	n = text_fit(s, width - 1, &used);
	sb_init(&b);
	sb_addn(&b, s, n);
	sb_add(&b, "\xe2\x80\xa6"); /* U+2026 */
	return sb_steal(&b);
}

char *text_pad(const char *s, int width, int right_align)
{
	char *t = text_truncate(s, width);
	int w = text_width(t);
	strbuf b;

	sb_init(&b);
	if (right_align)
		for (; w < width; w++)
			sb_addc(&b, ' ');
	sb_add(&b, t);
	if (!right_align)
		for (; w < width; w++)
			sb_addc(&b, ' ');
	free(t);
	return sb_steal(&b);
}

char *text_lower(char *s)
{
	char *p;

	for (p = s; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return s;
}

int text_valid_utf8(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		uint32_t c;
		size_t n = text_decode(s + i, len - i, &c);

		if (c == 0 || (c == 0xfffd && n == 1 && (unsigned char)s[i] >= 0x80 &&
		               !(len - i >= 3 && memcmp(s + i, "\xef\xbf\xbd", 3) == 0)))
			return 0;
		i += n;
	}
	return 1;
}
