/* text: UTF-8 decoding, display width, truncation and sanitising of data. */
#ifndef SOUK_TEXT_H
#define SOUK_TEXT_H

#include <stddef.h>
#include <stdint.h>

/* Decodes one code point from s (at most len bytes). Returns the bytes used
 * (at least 1 when len > 0); malformed input yields U+FFFD for one byte. */
size_t text_decode(const char *s, size_t len, uint32_t *cp);

/* Appends the UTF-8 form of cp to out (at least 4 bytes); returns bytes. */
size_t text_encode(uint32_t cp, char *out);

/* Columns a code point takes on a terminal: 0, 1 or 2. Control
 * characters count 0 (sanitise before drawing). */
int text_cpwidth(uint32_t cp);

/* Display width of a string (not bytes). */
int text_width(const char *s);

/* A copy that is safe to draw or print: valid UTF-8 (bad bytes become
 * U+FFFD), no C0/C1 controls, no escape sequences (ESC and what follows it
 * as a sequence are dropped), tabs and newlines become spaces unless
 * keep_newlines. Never NULL. */
char *text_sanitize(const char *s, int keep_newlines);

/* Bytes of the longest prefix of s that fits in width columns; *used gets
 * its width when non-NULL. Never splits a code point. */
size_t text_fit(const char *s, int width, int *used);

/* A new string of at most width columns; ends in an ellipsis when cut. */
char *text_truncate(const char *s, int width);

/* Pads or truncates to exactly width columns (left or right aligned). */
char *text_pad(const char *s, int width, int right_align);

/* Lower-cases ASCII in place and returns s. */
char *text_lower(char *s);

/* 1 if s is valid UTF-8 with no NUL before len. */
int text_valid_utf8(const char *s, size_t len);

#endif
