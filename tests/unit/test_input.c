/* Unit tests for tui/input (line editor, history, completion) and tui/wrap (width-aware wrapping).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <curses.h>

#include "input.h"
#include "text.h"
#include "view.h"
#include "wrap.h"

static void type(input *in, const char *s)
{
	while (*s) {
		uint32_t cp;
		size_t k = text_decode(s, strlen(s), &cp);

		input_key(in, (int)cp);
		s += k;
	}
}

static void test_editing(void **state)
{
	input in;
	char *s;

	(void)state;
	input_init(&in);
	type(&in, "hello world");
	assert_string_equal(in.line.s, "hello world");
	input_key(&in, VIEW_CTRL('w'));
	assert_string_equal(in.line.s, "hello ");
	input_key(&in, VIEW_CTRL('a'));
	type(&in, ">");
	assert_string_equal(in.line.s, ">hello ");
	input_key(&in, VIEW_KEY(KEY_DC));
	assert_string_equal(in.line.s, ">ello ");
	input_key(&in, VIEW_CTRL('e'));
	input_key(&in, VIEW_KEY(KEY_BACKSPACE));
	assert_string_equal(in.line.s, ">ello");
	input_key(&in, VIEW_KEY(KEY_LEFT));
	input_key(&in, VIEW_KEY(KEY_LEFT));
	input_key(&in, VIEW_CTRL('k'));
	assert_string_equal(in.line.s, ">el");
	input_key(&in, VIEW_KEY(KEY_HOME));
	input_key(&in, VIEW_KEY(KEY_RIGHT));
	input_key(&in, VIEW_CTRL('u'));
	assert_string_equal(in.line.s, "el");
	assert_int_equal(input_key(&in, '\r'), INPUT_SUBMIT);
	s = input_take(&in);
	assert_string_equal(s, "el");
	assert_string_equal(in.line.s, "");
	free(s);
	input_free(&in);
}

static void test_utf8_cursor(void **state)
{
	input in;

	(void)state;
	input_init(&in);
	type(&in, "a\xe4\xb8\xad\xf0\x9f\x8f\x93"); /* a中🏓 */
	input_key(&in, VIEW_KEY(KEY_BACKSPACE));
	assert_string_equal(in.line.s, "a\xe4\xb8\xad");
	input_key(&in, VIEW_KEY(KEY_LEFT));
	assert_int_equal(in.cur, 1);
	type(&in, "b");
	assert_string_equal(in.line.s, "ab\xe4\xb8\xad");
	/* control bytes typed or pasted never get in */
	input_insert(&in, "\x1b[31mred");
	assert_null(strchr(in.line.s, '\x1b'));
	input_free(&in);
}

static void test_history(void **state)
{
	input in, in2;
	char path[] = "/tmp/souk-test-history.XXXXXX";
	int fd = mkstemp(path);
	souk_err e;

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	input_init(&in);
	type(&in, "first");
	free(input_take(&in));
	type(&in, "second");
	free(input_take(&in));
	type(&in, "draft");
	input_key(&in, VIEW_KEY(KEY_UP));
	assert_string_equal(in.line.s, "second");
	input_key(&in, VIEW_KEY(KEY_UP));
	assert_string_equal(in.line.s, "first");
	input_key(&in, VIEW_KEY(KEY_UP));
	assert_string_equal(in.line.s, "first");
	input_key(&in, VIEW_KEY(KEY_DOWN));
	input_key(&in, VIEW_KEY(KEY_DOWN));
	assert_string_equal(in.line.s, "draft");
	assert_int_equal(input_history_save(&in, path, &e), 0);
	input_init(&in2);
	input_history_load(&in2, path);
	assert_int_equal(in2.nhist, 2);
	assert_string_equal(in2.hist[1], "second");
	input_free(&in);
	input_free(&in2);
	unlink(path);
}

static void test_complete(void **state)
{
	static const char *const words[] = {"/save", "/save!", "/sort", "/similar", "/quit"};
	input in;

	(void)state;
	input_init(&in);
	type(&in, "/q");
	assert_int_equal(input_complete(&in, words, 5), 1);
	assert_string_equal(in.line.s, "/quit ");
	input_set(&in, "/s");
	assert_int_equal(input_complete(&in, words, 5), 4);
	assert_string_equal(in.line.s, "/s");
	input_set(&in, "/sa");
	assert_int_equal(input_complete(&in, words, 5), 2);
	assert_string_equal(in.line.s, "/save");
	input_set(&in, "hello");
	assert_int_equal(input_complete(&in, words, 5), 0);
	input_free(&in);
}

static void test_paste_joins_lines(void **state)
{
	input in;

	(void)state;
	input_init(&in);
	in.pasting = 1;
	type(&in, "one\ntwo");
	assert_string_equal(in.line.s, "one two");
	in.pasting = 0;
	assert_int_equal(input_key(&in, '\n'), INPUT_SUBMIT);
	input_free(&in);
}

static void test_view_scrolls(void **state)
{
	input in;
	size_t first;
	int col;

	(void)state;
	input_init(&in);
	type(&in, "abcdefghijklmnopqrstuvwxyz");
	input_view(&in, 10, &first, &col);
	assert_true(col < 10);
	assert_true(first > 0);
	assert_int_equal(text_width(in.line.s + first), col);
	input_free(&in);
}

static char *line_of(const char *s, const wrap_line *l)
{
	return strndup(s + l->off, l->len);
}

static void test_wrap_ascii(void **state)
{
	const char *s = "the quick brown fox jumps";
	wrap_line l[8];
	int n = wrap_text(s, 10, l, 8), i;
	char *a;

	(void)state;
	assert_int_equal(n, 3);
	for (i = 0; i < n; i++) {
		a = line_of(s, &l[i]);
		assert_true(text_width(a) <= 10);
		free(a);
	}
	a = line_of(s, &l[0]);
	assert_string_equal(a, "the quick");
	free(a);
}

static void test_wrap_cjk_emoji(void **state)
{
	/* 12 CJK characters (24 columns) and emoji, no spaces */
	const char *s = "\xe4\xb8\xad\xe6\x96\x87\xe4\xb8\xad\xe6\x96\x87\xe4\xb8\xad\xe6\x96\x87"
	                "\xe4\xb8\xad\xe6\x96\x87\xe4\xb8\xad\xe6\x96\x87\xe4\xb8\xad\xe6\x96\x87"
	                "\xf0\x9f\x8f\x93\xf0\x9f\x8f\x93";
	wrap_line l[16];
	int n = wrap_text(s, 7, l, 16), i, total = 0;

	(void)state;
	assert_int_equal(n, 5); /* 28 columns, 3 wide chars (6 cols) per line */
	for (i = 0; i < n; i++) {
		char *a = line_of(s, &l[i]);

		assert_true(text_width(a) <= 7);
		assert_true(text_valid_utf8(a, strlen(a)));
		total += text_width(a);
		free(a);
	}
	assert_int_equal(total, 28);
}

static void test_wrap_newlines(void **state)
{
	wrap_line l[4];

	(void)state;
	assert_int_equal(wrap_text("a\nb\n", 10, l, 4), 3);
	assert_int_equal(l[1].off, 2);
	assert_int_equal(wrap_text("", 10, l, 4), 1);
	assert_int_equal(wrap_text("abc", 1, NULL, 0), 2);
}

/* Work of a bracketed paste of n bytes taken in key by key, with a redraw
 * (input_view) after each batch of 64 keys (the dashboard reads up to 4,096
 * keys between frames): the editor's own count of bytes copied, plus the
 * bytes the view scans (the line up to the cursor). */
static unsigned long paste_work(size_t n, input *in)
{
	unsigned long work;
	size_t first;
	int col;

	input_init(in);
	in->pasting = 1;
	for (size_t i = 0; i < n; i++) {
		input_key(in, i % 50 == 49 ? '\n' : 'a' + (int)(i % 26));
		if (i % 64 == 63) {
			input_view(in, 80, &first, &col);
			in->work += in->cur;
		}
	}
	in->pasting = 0;
	work = in->work;
	return work;
}

/* A 10 MB paste is cut to INPUT_MAX_BYTES with a note, and taking in a
 * paste is linear in its size: ten times the paste, about ten times the
 * work (counted, not timed). */
static void test_paste_linear(void **state)
{
	input in;
	unsigned long w1, w10;
	char note[128];
	char *s;

	(void)state;
	w1 = paste_work(100000, &in);
	assert_int_equal(in.line.len, INPUT_MAX_BYTES);
	assert_int_equal(in.dropped, 100000 - INPUT_MAX_BYTES);
	assert_non_null(input_note(&in, note, sizeof note));
	assert_non_null(strstr(note, "left out"));
	input_free(&in);
	w10 = paste_work(1000000, &in);
	assert_int_equal(in.line.len, INPUT_MAX_BYTES);
	printf("paste work: %lu for 100 KB, %lu for 1 MB\n", w1, w10);
	assert_true(w10 <= 11 * w1);
	/* one byte past the limit is one byte, said so; an emptied line has
	 * left nothing out */
	input_key(&in, 'z');
	assert_int_equal(in.dropped, 1000000 - INPUT_MAX_BYTES + 1);
	input_free(&in);
	input_init(&in);
	input_set(&in, "");
	for (int i = 0; i <= INPUT_MAX_BYTES; i++)
		input_key(&in, 'b');
	assert_int_equal(in.dropped, 1);
	assert_string_equal(input_note(&in, note, sizeof note),
	                    "The line holds 4 KB: 1 more byte was left out.");
	input_key(&in, VIEW_CTRL('u'));
	assert_int_equal(in.line.len, 0);
	assert_null(input_note(&in, note, sizeof note));
	input_free(&in);
	w10 = paste_work(1000000, &in);
	/* the history keeps the cut line, not the paste */
	s = input_take(&in);
	assert_int_equal(strlen(s), INPUT_MAX_BYTES);
	assert_int_equal(strlen(in.hist[in.nhist - 1]), INPUT_MAX_BYTES);
	assert_null(input_note(&in, note, sizeof note));
	free(s);
	/* a long line from an old history file is cut on load, on a code point */
	{
		strbuf b;
		sb_init(&b);
		sb_add(&b, "x");
		for (int i = 0; i < INPUT_MAX_BYTES; i++)
			sb_add(&b, "\xc3\xa9");
		input_history_add(&in, b.s);
		assert_true(strlen(in.hist[in.nhist - 1]) <= INPUT_MAX_BYTES);
		assert_true(text_valid_utf8(in.hist[in.nhist - 1], strlen(in.hist[in.nhist - 1])));
		sb_free(&b);
	}
	input_free(&in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_paste_linear),   cmocka_unit_test(test_editing),
	        cmocka_unit_test(test_utf8_cursor),    cmocka_unit_test(test_history),
	        cmocka_unit_test(test_complete),       cmocka_unit_test(test_paste_joins_lines),
	        cmocka_unit_test(test_view_scrolls),   cmocka_unit_test(test_wrap_ascii),
	        cmocka_unit_test(test_wrap_cjk_emoji), cmocka_unit_test(test_wrap_newlines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
