/* input: the chat's one-line editor, its history and /command completion (no curses calls). */
#ifndef SOUK_INPUT_H
#define SOUK_INPUT_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

#define INPUT_HISTORY_MAX 500
/* The longest line the editor holds, and so the longest history line: a
 * chat turn is a sentence or a few; a 10 MB paste is cut to this, which
 * also keeps every key's work (the redraw scans the line) bounded. */
#define INPUT_MAX_BYTES 4096

typedef struct input {
	strbuf line;
	size_t cur; /* byte offset of the cursor, always on a code point boundary */
	char **hist;
	int nhist;
	int hpos;           /* nhist while editing a new line */
	char *draft;        /* the new line kept while browsing history */
	int pasting;        /* inside a bracketed paste: newlines become spaces */
	size_t dropped;     /* bytes left out since the line was empty or the paste began */
	unsigned long work; /* bytes the editor copied or scanned: linear in what is typed */
} input;

enum input_result { INPUT_IGNORED, INPUT_CHANGED, INPUT_SUBMIT };

void input_init(input *in);
void input_free(input *in);

/* Handles one key (a code point or VIEW_KEY(KEY_xxx), see view.h). Enter
 * gives INPUT_SUBMIT; then take the line with input_take. */
int input_key(input *in, int key);
void input_insert(input *in, const char *utf8);
void input_set(input *in, const char *text);
/* The line typed (caller frees); the editor is emptied and the line goes
 * into the history unless empty or equal to the last entry. */
char *input_take(input *in);

void input_history_add(input *in, const char *line);
/* Lines from path (missing file: nothing), one entry per line. */
void input_history_load(input *in, const char *path);
/* The last INPUT_HISTORY_MAX entries, atomically. */
int input_history_save(const input *in, const char *path, souk_err *e);

/* Tab: completes a "/word" at the start of the line against words (each
 * "/name"). Returns the number of candidates (1: completed; more: the
 * longest common prefix was inserted). */
int input_complete(input *in, const char *const *words, int n);

/* A note for the status line when a paste was cut (NULL: nothing was);
 * buf holds it. */
const char *input_note(const input *in, char *buf, size_t cap);

/* Horizontal scroll: the first byte to show and the cursor's column so the
 * cursor stays visible in width columns. */
void input_view(const input *in, int width, size_t *first, int *cursor_col);

#endif
