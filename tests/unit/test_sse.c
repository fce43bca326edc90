/* Unit tests for core/sse: a recorded stream split at every byte boundary, line ends, comments. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sse.h"

/* What the callback saw, as "event|data\x1e" records. */
typedef struct seen {
	strbuf log;
	int stop_after; /* return 1 after this many events; 0 never */
	int n;
} seen;

static int record(void *ud, const sse_event *ev)
{
	seen *s = ud;

	sb_printf(&s->log, "%s|", ev->event);
	sb_addn(&s->log, ev->data, ev->len);
	sb_addc(&s->log, '\x1e');
	assert_int_equal(strlen(ev->data), ev->len); /* NUL-terminated, no NUL inside here */
	s->n++;
	return s->stop_after && s->n >= s->stop_after;
}

/* Feeds text in pieces cut at a and b; returns the log and the ending. */
static char *parse_split(const char *text, size_t len, size_t a, size_t b, enum sse_end *end)
{
	sse_parser p;
	seen s = {{0}, 0, 0};

	sse_init(&p);
	assert_int_equal(sse_feed(&p, text, a, record, &s), 0);
	assert_int_equal(sse_feed(&p, text + a, b - a, record, &s), 0);
	assert_int_equal(sse_feed(&p, text + b, len - b, record, &s), 0);
	*end = sse_finish(&p);
	sse_free(&p);
	return sb_steal(&s.log);
}

/* A stream as llama-server and OpenAI send it, with a comment line, an
 * event of two data lines, a named error event, "é" and "€" in the text,
 * and every kind of line end. */
static const char recorded[] =
        "\xEF\xBB\xBF: keep-alive\r\n"
        "\r\n"
        "data: {\"choices\":[{\"delta\":{\"content\":\"caf\xC3\xA9 \xE2\x82\xAC"
        "5\"}}]}\n\n"
        "data:no-space\r\r"
        "data: line one\r\n"
        "data: line two\r\n"
        "id: 7\r\n"
        "retry: 100\r\n"
        "\r\n"
        "event: error\n"
        "data: {\"error\":{\"message\":\"boom\"}}\n"
        "\n"
        "data\n"
        "\n"
        "ignored-field: x\n"
        "data: [DONE]\n\n"
        "data: after done\n\n";

static const char expected[] =
        "message|{\"choices\":[{\"delta\":{\"content\":\"caf\xC3\xA9 \xE2\x82\xAC"
        "5\"}}]}\x1e"
        "message|no-space\x1e"
        "message|line one\nline two\x1e"
        "error|{\"error\":{\"message\":\"boom\"}}\x1e"
        "message|\x1e";

static void test_every_split(void **state)
{
	size_t len = sizeof recorded - 1, a, b;
	enum sse_end end;

	(void)state;
	/* every pair of cut points: each byte boundary, twice */
	for (a = 0; a <= len; a++)
		for (b = a; b <= len; b += (a % 7 == 0) ? 1 : 13) {
			char *got = parse_split(recorded, len, a, b, &end);
			if (strcmp(got, expected) != 0)
				fail_msg("split at %zu and %zu gave:\n%s", a, b, got);
			assert_int_equal(end, SSE_END_DONE);
			free(got);
		}
}

static void test_one_byte_at_a_time(void **state)
{
	size_t len = sizeof recorded - 1, i;
	sse_parser p;
	seen s = {{0}, 0, 0};

	(void)state;
	sse_init(&p);
	for (i = 0; i < len; i++)
		assert_int_equal(sse_feed(&p, recorded + i, 1, record, &s), 0);
	assert_int_equal(sse_finish(&p), SSE_END_DONE);
	assert_string_equal(s.log.s, expected);
	assert_int_equal(p.comments, 1);
	assert_int_equal(p.events, 5);
	sse_free(&p);
	sb_free(&s.log);
}

static void test_cut_stream(void **state)
{
	static const char cut[] = "data: {\"a\":1}\n\ndata: {\"b\":";
	enum sse_end end;
	size_t i;

	(void)state;
	for (i = 0; i <= sizeof cut - 1; i++) {
		char *got = parse_split(cut, sizeof cut - 1, i, i, &end);
		assert_string_equal(got, "message|{\"a\":1}\x1e"); /* the half event is dropped */
		assert_int_equal(end, SSE_END_CUT);
		free(got);
	}
}

static void test_done_without_blank_line(void **state)
{
	static const char s[] = "data: x\n\ndata: [DONE]";
	enum sse_end end;
	char *got;

	(void)state;
	got = parse_split(s, sizeof s - 1, 3, 12, &end);
	assert_string_equal(got, "message|x\x1e");
	assert_int_equal(end, SSE_END_DONE);
	free(got);
}

static void test_callback_stops(void **state)
{
	static const char s[] = "data: 1\n\ndata: 2\n\ndata: 3\n\n";
	sse_parser p;
	seen sn = {{0}, 2, 0};

	(void)state;
	sse_init(&p);
	assert_int_equal(sse_feed(&p, s, sizeof s - 1, record, &sn), 1);
	assert_int_equal(sn.n, 2);
	sse_free(&p);
	sb_free(&sn.log);
}

static void test_too_long(void **state)
{
	sse_parser p;
	char *big = malloc(SSE_MAX_LINE + 10);
	seen sn = {{0}, 0, 0};

	(void)state;
	memset(big, 'x', SSE_MAX_LINE + 10);
	memcpy(big, "data: ", 6);
	sse_init(&p);
	assert_int_equal(sse_feed(&p, big, SSE_MAX_LINE + 10, record, &sn), SSE_TOO_LONG);
	assert_int_equal(sse_feed(&p, "\n\n", 2, record, &sn), SSE_TOO_LONG);
	assert_int_equal(sn.n, 0);
	assert_int_equal(sse_finish(&p), SSE_END_CUT);
	sse_free(&p);
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_every_split),
	        cmocka_unit_test(test_one_byte_at_a_time),
	        cmocka_unit_test(test_cut_stream),
	        cmocka_unit_test(test_done_without_blank_line),
	        cmocka_unit_test(test_callback_stops),
	        cmocka_unit_test(test_too_long),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
