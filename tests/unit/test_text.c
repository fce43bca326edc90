/* Unit tests for core/text: decoding, width, truncation, sanitising. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

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
		cmocka_unit_test(test_sanitize),
		cmocka_unit_test(test_truncate),
		cmocka_unit_test(test_valid),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
