/* sse: an incremental Server-Sent-Events parser (pure: bytes in, events out, no I/O). */
#include "sse.h"

#include <string.h>

void sse_init(sse_parser *p)
{
	memset(p, 0, sizeof *p);
	sb_init(&p->line);
	sb_init(&p->data);
	sb_init(&p->event);
}

void sse_free(sse_parser *p)
{
	sb_free(&p->line);
	sb_free(&p->data);
	sb_free(&p->event);
	sse_init(p);
}

static void event_reset(sse_parser *p)
{
	p->data.len = 0;
	if (p->data.s)
		p->data.s[0] = '\0';
	p->event.len = 0;
	if (p->event.s)
		p->event.s[0] = '\0';
	p->have_data = 0;
}

/* A blank line ends an event. OpenAI-compatible servers end the stream
 * with the data "[DONE]", which is a marker, not an event. */
static int dispatch(sse_parser *p, sse_fn fn, void *ud)
{
	sse_event ev;
	int rc = 0;

	if (!p->have_data) {
		event_reset(p);
		return 0;
	}
	if (p->data.len && p->data.s[p->data.len - 1] == '\n')
		p->data.s[--p->data.len] = '\0';
	ev.data = p->data.s ? p->data.s : "";
	ev.len = p->data.len;
	ev.event = p->event.len ? p->event.s : "message";
	if (ev.len == 6 && memcmp(ev.data, "[DONE]", 6) == 0)
		p->done = 1;
	else {
		p->events++;
		rc = fn ? fn(ud, &ev) : 0;
	}
	event_reset(p);
	return rc;
}

/* One complete line, without its end of line. Unknown fields (id, retry,
 * anything else) are ignored, as the standard says. */
static int line_end(sse_parser *p, sse_fn fn, void *ud)
{
	const char *s = p->line.s ? p->line.s : "";
	size_t n = p->line.len, name;
	const char *colon, *v;
	int rc = 0;

	if (!p->started) {
		p->started = 1;
		if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
			s += 3, n -= 3;
	}
	if (n == 0)
		rc = dispatch(p, fn, ud);
	else if (s[0] == ':')
		p->comments++;
	else {
		colon = memchr(s, ':', n);
		name = colon ? (size_t)(colon - s) : n;
		v = colon ? colon + 1 : s + n;
		if (v < s + n && *v == ' ')
			v++;
		if (name == 4 && memcmp(s, "data", 4) == 0) {
			if (p->data.len + (size_t)(s + n - v) + 1 > SSE_MAX_LINE)
				rc = SSE_TOO_LONG;
			else {
				sb_addn(&p->data, v, (size_t)(s + n - v));
				sb_addc(&p->data, '\n');
				p->have_data = 1;
			}
		} else if (name == 5 && memcmp(s, "event", 5) == 0) {
			p->event.len = 0;
			sb_addn(&p->event, v, (size_t)(s + n - v));
		}
	}
	p->line.len = 0;
	if (p->line.s)
		p->line.s[0] = '\0';
	return rc;
}

int sse_feed(sse_parser *p, const char *buf, size_t n, sse_fn fn, void *ud)
{
	size_t i = 0;

	if (p->failed)
		return SSE_TOO_LONG;
	while (i < n && !p->done) {
		const char *cr, *lf, *end;
		size_t run;
		int rc;

		if (p->after_cr) {
			p->after_cr = 0;
			if (buf[i] == '\n') {
				i++;
				continue;
			}
		}
		/* copy up to the next CR or LF in one go */
		cr = memchr(buf + i, '\r', n - i);
		lf = memchr(buf + i, '\n', cr ? (size_t)(cr - (buf + i)) : n - i);
		end = lf ? lf : cr;
		run = end ? (size_t)(end - (buf + i)) : n - i;
		if (p->line.len + run > SSE_MAX_LINE) {
			p->failed = 1;
			return SSE_TOO_LONG;
		}
		sb_addn(&p->line, buf + i, run);
		i += run;
		if (!end)
			break;
		p->after_cr = *end == '\r';
		i++;
		if ((rc = line_end(p, fn, ud)) != 0) {
			if (rc == SSE_TOO_LONG)
				p->failed = 1;
			return rc;
		}
	}
	return 0;
}

enum sse_end sse_finish(sse_parser *p)
{
	if (!p->done && !p->failed && p->line.len) {
		line_end(p, NULL, NULL);
		if (p->have_data && p->data.len == 7 && memcmp(p->data.s, "[DONE]\n", 7) == 0)
			p->done = 1;
	}
	event_reset(p);
	return p->done ? SSE_END_DONE : SSE_END_CUT;
}
