/* json: strict JSON (RFC 8259) on top of cJSON: the whole input one value, nothing lenient. */
#ifndef SOUK_JSON_H
#define SOUK_JSON_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "util.h"

/* What a string longer than the cap of json_parse_capped becomes: a byte
 * that is never UTF-8 first, so no real text equals it. */
#define JSON_TOO_LONG "\xff(too long)"

/* Deepest nesting accepted (cJSON's own limit is higher). */
#define JSON_MAX_DEPTH 256

/* Parses text (len bytes, no NUL needed) as exactly one JSON value: only
 * white space may follow it. Refused where cJSON alone is lenient: leading
 * zeros (-01), a point without digits (1. or 2.e3), raw control characters
 * in strings, bad or lone-surrogate \u escapes, \u0000 (souk's strings end
 * at NUL), nesting deeper than JSON_MAX_DEPTH. Invalid UTF-8 is left to the
 * caller (import rejects such a row, not the file). NULL with e saying
 * what and where ("line 3: a number has a leading zero (in "moq")"). */
cJSON *json_parse_strict(const char *text, size_t len, souk_err *e);

/* Same, but every string that would decode to more than max_string bytes
 * comes out as JSON_TOO_LONG, without ever being copied: a 1 GB value costs
 * no memory. *ncut (may be NULL) gets how many were cut. With line
 * non-NULL, the line of an error goes there instead of into the message. */
cJSON *json_parse_capped(const char *text, size_t len, size_t max_string, size_t *ncut, long *line,
                         souk_err *e);

#endif
