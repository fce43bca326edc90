/* sse: an incremental Server-Sent-Events parser (pure: bytes in, events out, no I/O). */
#ifndef SOUK_SSE_H
#define SOUK_SSE_H

#include <stddef.h>

#include "util.h"

/* Lines and events larger than this are refused: a stream that sends one is
 * broken or hostile, and the parser must not grow without bound. */
#define SSE_MAX_LINE (4u << 20)

/* One dispatched event. data is NUL-terminated (len excludes the NUL) and
 * holds the event's data lines joined with '\n'; event is "message" unless
 * the stream named it. Both are valid until the callback returns. */
typedef struct sse_event {
	const char *event;
	const char *data;
	size_t len;
} sse_event;

/* Returns 0 to go on; anything else stops sse_feed, which returns it. */
typedef int (*sse_fn)(void *ud, const sse_event *ev);

typedef struct sse_parser {
	strbuf line;   /* the line read so far (no end of line yet) */
	strbuf data;   /* data lines of the event being read */
	strbuf event;  /* its event: field */
	int have_data; /* a data: line was seen (data may still be empty) */
	int after_cr;  /* the last byte was CR: a LF right after it ends nothing */
	int started;   /* a first line was seen (a BOM is dropped from it) */
	int done;      /* "data: [DONE]" arrived: the stream ended as it should */
	int failed;    /* a line was too long; every later feed fails */
	long events;   /* events dispatched, comments and [DONE] not counted */
	long comments; /* ": keep-alive" lines */
} sse_parser;

enum sse_status {
	SSE_OK = 0,
	SSE_TOO_LONG = -1, /* a line or an event over SSE_MAX_LINE */
};

enum sse_end {
	SSE_END_DONE, /* [DONE] was seen */
	SSE_END_CUT,  /* the bytes stopped before [DONE] */
};

void sse_init(sse_parser *p);
void sse_free(sse_parser *p);

/* Parses n more bytes, split anywhere (inside a line, a field name, a CRLF
 * or a UTF-8 character), calling fn for each complete event. Returns 0,
 * SSE_TOO_LONG, or the first non-zero value fn returned. Bytes after
 * [DONE] are ignored. */
int sse_feed(sse_parser *p, const char *buf, size_t n, sse_fn fn, void *ud);

/* The stream ended: says whether it was complete. An event without its
 * blank line is dropped (as the SSE standard says), except a last
 * "data: [DONE]" which some servers send without one. */
enum sse_end sse_finish(sse_parser *p);

#endif
