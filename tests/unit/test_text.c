/* Unit tests for core/text: decoding, width, truncation, sanitising. */
#define _XOPEN_SOURCE 700
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <locale.h>
#include <stdio.h>
#include <wchar.h>

#include "text.h"

static void test_width(void **state)
{
	(void)state;
	assert_int_equal(text_width("abc"), 3);
	assert_int_equal(text_width("\xe4\xb8\xad\xe6\x96\x87"), 4);   /* 中文 */
	assert_int_equal(text_width("\xf0\x9f\x8f\x93"), 2);           /* ping pong emoji */
	assert_int_equal(text_width("e\xcc\x81"), 1);                  /* e + combining acute */
	assert_int_equal(text_width(""), 0);
}

/* The generated table (Unicode 15) agrees with the C library where the
 * old hand-made one did not; the rest of the disagreements are counted
 * and printed (a C library on an older Unicode differs on new
 * characters, which is the library's lag, not souk's). */
static void test_width_matches_libc(void **state)
{
	static const uint32_t named[] = {0x061c, 0x1f3fb, 0x1f3fc, 0x1f3fd, 0x1f3fe, 0x1f3ff,
	                                 0x200d, 0xe0041, 0x00ad, 0x1160, 0x3000, 0xff01};
	long differ = 0, checked = 0;
	char enc[4];

	(void)state;
	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL) {
		printf("no C.UTF-8 locale: wcwidth cannot be compared\n");
		return;
	}
	for (size_t i = 0; i < sizeof named / sizeof *named; i++) {
		int w = wcwidth((wchar_t)named[i]);
		if (w < 0)
			w = 0;
		if (text_cpwidth(named[i]) != w)
			fail_msg("U+%04X: souk %d, wcwidth %d", (unsigned)named[i],
			         text_cpwidth(named[i]), w);
	}
	assert_int_equal(text_cpwidth(0x1f3fb), 2);
	assert_int_equal(text_cpwidth(0x061c), 0);
	for (uint32_t c = 0xa0; c < 0x40000; c++) {
		int w = wcwidth((wchar_t)c);
		if (w < 0 || (c >= 0xd800 && c <= 0xdfff))
			continue; /* unassigned for the library, or not a character */
		checked++;
		differ += text_cpwidth(c) != w;
	}
	printf("width: %ld of %ld code points differ from this C library's wcwidth\n", differ,
	       checked);
	(void)enc;
	setlocale(LC_CTYPE, "C");
}

/* Format characters with no width are dropped with the bidi controls. */
static void test_sanitize_format_chars(void **state)
{
	char *s;

	(void)state;
	/* a<LRM>b<RLM>c<ALM>d<ZWJ>e<TAG A><CANCEL TAG>f<ZWSP>g<BOM>h<U+202E>i, soft hyphen kept */
	s = text_sanitize("a\xe2\x80\x8e"
	                  "b\xe2\x80\x8f"
	                  "c\xd8\x9c"
	                  "d\xe2\x80\x8d"
	                  "e\xf3\xa0\x81\x81\xf3\xa0\x81\xbf"
	                  "f\xe2\x80\x8b"
	                  "g\xef\xbb\xbf"
	                  "h\xe2\x80\xae"
	                  "i\xc2\xad",
	                  0);
	assert_string_equal(s, "abcdefghi\xc2\xad");
	free(s);
	/* a family emoji comes apart into its people, each two columns */
	s = text_sanitize("\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9", 0);
	assert_string_equal(s, "\xf0\x9f\x91\xa8\xf0\x9f\x91\xa9");
	assert_int_equal(text_width(s), 4);
	free(s);
}

static void test_decode_invalid(void **state)
{
	uint32_t c;

	(void)state;
	assert_int_equal(text_decode("\xc0\xaf", 2, &c), 1); /* overlong */
	assert_int_equal(c, 0xfffd);
	assert_int_equal(text_decode("\xed\xa0\x80", 3, &c), 1); /* surrogate */
	assert_int_equal(c, 0xfffd);
	assert_int_equal(text_decode("\xe4\xb8", 2, &c), 1); /* truncated */
	assert_int_equal(c, 0xfffd);
	assert_int_equal(text_decode("\xe4\xb8\xad", 3, &c), 3);
	assert_int_equal(c, 0x4e2d);
}

static void test_sanitize(void **state)
{
	char *s;

	(void)state;
	s = text_sanitize("Acme\x1b[31mRED\x1b[0m Co", 0);
	assert_string_equal(s, "AcmeRED Co");
	free(s);
	s = text_sanitize("a\x1b]0;title\x07z", 0);
	assert_string_equal(s, "az");
	free(s);
	s = text_sanitize("tab\there\nnl\r", 0);
	assert_string_equal(s, "tab here nl ");
	free(s);
	s = text_sanitize("bad\xff\xfe", 0);
	assert_string_equal(s, "bad\xef\xbf\xbd\xef\xbf\xbd");
	free(s);
	s = text_sanitize("c1\xc2\x9b" "x", 0); /* C1 CSI */
	assert_string_equal(s, "c1x");
	free(s);
	s = text_sanitize("line\nnext", 1);
	assert_string_equal(s, "line\nnext");
	free(s);
}

static void test_truncate(void **state)
{
	char *s;
	int used;

	(void)state;
	s = text_truncate("hello world", 8);
	assert_string_equal(s, "hello w\xe2\x80\xa6");
	assert_int_equal(text_width(s), 8);
	free(s);
	/* never splits a wide character: 3 columns fit one 2-wide char */
	assert_int_equal(text_fit("\xe4\xb8\xad\xe6\x96\x87", 3, &used), 3);
	assert_int_equal(used, 2);
	s = text_truncate("\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97", 4);
	assert_true(text_width(s) <= 4);
	free(s);
	s = text_pad("ab", 5, 1);
	assert_string_equal(s, "   ab");
	free(s);
	s = text_pad("abcdef", 4, 0);
	assert_int_equal(text_width(s), 4);
	free(s);
	s = text_truncate("abc", 0);
	assert_string_equal(s, "");
	free(s);
}

static void test_valid(void **state)
{
	(void)state;
	assert_true(text_valid_utf8("ok \xe4\xb8\xad", 6));
	assert_false(text_valid_utf8("bad \xff", 5));
	assert_false(text_valid_utf8("nul\0x", 5));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_width),
		cmocka_unit_test(test_decode_invalid),
		cmocka_unit_test(test_width_matches_libc),
		cmocka_unit_test(test_sanitize_format_chars),
		cmocka_unit_test(test_sanitize),
		cmocka_unit_test(test_truncate),
		cmocka_unit_test(test_valid),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
