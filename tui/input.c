/* input: the chat's one-line editor, its history and /command completion (no curses calls). */
#include "input.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "view.h"

void input_init(input *in)
{
	memset(in, 0, sizeof *in);
	sb_init(&in->line);
}

void input_free(input *in)
{
	int i;

	sb_free(&in->line);
	for (i = 0; i < in->nhist; i++)
		free(in->hist[i]);
	free(in->hist);
	free(in->draft);
	memset(in, 0, sizeof *in);
}

static int is_cont(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

static size_t prev_cp(const input *in, size_t pos)
{
	if (pos == 0)
		return 0;
	pos--;
	while (pos > 0 && is_cont((unsigned char)in->line.s[pos]))
		pos--;
	return pos;
}

static size_t next_cp(const input *in, size_t pos)
{
	if (pos >= in->line.len)
		return in->line.len;
	pos++;
	while (pos < in->line.len && is_cont((unsigned char)in->line.s[pos]))
		pos++;
	return pos;
}

static void cut(input *in, size_t from, size_t to)
{
	if (to <= from)
		return;
	memmove(in->line.s + from, in->line.s + to, in->line.len - to + 1);
	in->line.len -= to - from;
	in->cur = from;
	/* an emptied line has left nothing out */
	if (in->line.len == 0)
		in->dropped = 0;
}

/* Bytes of s (n long) that fit in room without splitting a code point. */
static size_t fit_bytes(const char *s, size_t n, size_t room)
{
	if (n <= room)
		return n;
	while (room > 0 && is_cont((unsigned char)s[room]))
		room--;
	return room;
}

void input_insert(input *in, const char *utf8)
{
	size_t room = in->line.len < INPUT_MAX_BYTES ? INPUT_MAX_BYTES - in->line.len : 0;
	char *clean;
	size_t n, tail;

	/* a full line takes nothing more: the rest of a paste is counted,
	 * not copied, so a 10 MB paste costs what 4 KB does */
	if (room == 0) {
		in->dropped += strlen(utf8);
		return;
	}
	/* sanitised: pasted control bytes never reach the line or the screen */
	clean = text_sanitize(utf8, 0);
	n = strlen(clean);
	if (n > room) {
		in->dropped += n - fit_bytes(clean, n, room);
		n = fit_bytes(clean, n, room);
	}
	tail = in->line.len - in->cur;
	in->work += n + tail;

	sb_addn(&in->line, clean, n); /* grow */
	memmove(in->line.s + in->cur + n, in->line.s + in->cur, tail);
	memcpy(in->line.s + in->cur, clean, n);
	in->line.s[in->line.len] = '\0';
	in->cur += n;
	free(clean);
}

void input_set(input *in, const char *text)
{
	in->dropped = 0;
	in->line.len = 0;
	if (in->line.s)
		in->line.s[0] = '\0';
	in->cur = 0;
	input_insert(in, text);
}

static int is_space(char c)
{
	return c == ' ';
}

static void kill_word(input *in)
{
	size_t p = in->cur;

	while (p > 0 && is_space(in->line.s[p - 1]))
		p--;
	while (p > 0 && !is_space(in->line.s[p - 1]))
		p--;
	cut(in, p, in->cur);
}

static void history_move(input *in, int dir)
{
	int to = in->hpos + dir;

	if (to < 0 || to > in->nhist)
		return;
	if (in->hpos == in->nhist) {
		free(in->draft);
		in->draft = xstrdup(in->line.s ? in->line.s : "");
	}
	in->hpos = to;
	input_set(in, to == in->nhist ? (in->draft ? in->draft : "") : in->hist[to]);
}

static int insert_cp(input *in, int key)
{
	char buf[8];
	size_t n;

	if (key < 0x20 || key == 0x7f || VIEW_IS_FN(key))
		return INPUT_IGNORED;
	n = text_encode((uint32_t)key, buf);
	buf[n] = '\0';
	input_insert(in, buf);
	return INPUT_CHANGED;
}

int input_key(input *in, int key)
{
	if (in->line.s == NULL)
		sb_add(&in->line, "");
	switch (key) {
	case '\r':
	case '\n':
	case VIEW_KEY(KEY_ENTER):
		if (in->pasting) {
			input_insert(in, " ");
			return INPUT_CHANGED;
		}
		return INPUT_SUBMIT;
	case VIEW_KEY(KEY_LEFT):
	case VIEW_CTRL('b'):
		in->cur = prev_cp(in, in->cur);
		return INPUT_CHANGED;
	case VIEW_KEY(KEY_RIGHT):
	case VIEW_CTRL('f'):
		in->cur = next_cp(in, in->cur);
		return INPUT_CHANGED;
	case VIEW_KEY(KEY_HOME):
	case VIEW_CTRL('a'):
		in->cur = 0;
		return INPUT_CHANGED;
	case VIEW_KEY(KEY_END):
	case VIEW_CTRL('e'):
		in->cur = in->line.len;
		return INPUT_CHANGED;
	case VIEW_CTRL('k'):
		cut(in, in->cur, in->line.len);
		return INPUT_CHANGED;
	case VIEW_CTRL('u'):
		cut(in, 0, in->cur);
		return INPUT_CHANGED;
	case VIEW_CTRL('w'):
		kill_word(in);
		return INPUT_CHANGED;
	case VIEW_KEY(KEY_BACKSPACE):
	case 0x7f:
	case VIEW_CTRL('h'):
		cut(in, prev_cp(in, in->cur), in->cur);
		return INPUT_CHANGED;
	case VIEW_KEY(KEY_DC):
	case VIEW_CTRL('d'):
		cut(in, in->cur, next_cp(in, in->cur));
		return INPUT_CHANGED;
	case VIEW_KEY(KEY_UP):
	case VIEW_CTRL('p'):
		history_move(in, -1);
		return INPUT_CHANGED;
	case VIEW_KEY(KEY_DOWN):
	case VIEW_CTRL('n'):
		history_move(in, 1);
		return INPUT_CHANGED;
	default:
		return insert_cp(in, key);
	}
}

void input_history_add(input *in, const char *line)
{
	char *clean;
	size_t n;

	if (line == NULL || line[0] == '\0')
		return;
	if (in->nhist > 0 && strcmp(in->hist[in->nhist - 1], line) == 0)
		return;
	clean = text_sanitize(line, 0);
	/* a history file from before the cap may hold longer lines */
	n = strlen(clean);
	clean[fit_bytes(clean, n, INPUT_MAX_BYTES)] = '\0';
	if (in->nhist == INPUT_HISTORY_MAX) {
		free(in->hist[0]);
		memmove(in->hist, in->hist + 1, sizeof *in->hist * (size_t)(in->nhist - 1));
		in->nhist--;
	}
	in->hist = xrealloc(in->hist, sizeof *in->hist * (size_t)(in->nhist + 1));
	in->hist[in->nhist++] = clean;
	in->hpos = in->nhist;
}

char *input_take(input *in)
{
	char *s = xstrdup(in->line.s ? in->line.s : "");

	input_history_add(in, s);
	input_set(in, "");
	in->hpos = in->nhist;
	free(in->draft);
	in->draft = NULL;
	return s;
}

void input_history_load(input *in, const char *path)
{
	souk_err e;
	size_t len;
	char *data = util_read_file(path, 1 << 20, &len, &e);
	char *p, *nl;

	if (data == NULL)
		return;
	for (p = data; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (nl == NULL) {
			input_history_add(in, p);
			break;
		}
		*nl = '\0';
		input_history_add(in, p);
	}
	free(data);
}

int input_history_save(const input *in, const char *path, souk_err *e)
{
	strbuf b;
	int i, rc;

	sb_init(&b);
	for (i = 0; i < in->nhist; i++) {
		sb_add(&b, in->hist[i]);
		sb_addc(&b, '\n');
	}
	rc = util_write_atomic(path, b.s ? b.s : "", b.len, 1, e);
	sb_free(&b);
	return rc;
}

int input_complete(input *in, const char *const *words, int n)
{
	const char *line = in->line.s ? in->line.s : "";
	size_t len = in->line.len, common = 0;
	const char *first = NULL;
	int i, count = 0;

	if (len == 0 || line[0] != '/' || strchr(line, ' ') != NULL)
		return 0;
	for (i = 0; i < n; i++) {
		if (strncmp(words[i], line, len) != 0)
			continue;
		if (count++ == 0) {
			first = words[i];
			common = strlen(first);
		} else {
			size_t k = 0;

			while (k < common && first[k] == words[i][k])
				k++;
			common = k;
		}
	}
	if (count == 0)
		return 0;
	{
		char *pre = xstrndup(first, common);

		input_set(in, pre);
		free(pre);
	}
	if (count == 1)
		input_insert(in, " ");
	return count;
}

const char *input_note(const input *in, char *buf, size_t cap)
{
	if (in->dropped == 0)
		return NULL;
	snprintf(buf, cap, "The line holds %d KB: %zu more %s left out.", INPUT_MAX_BYTES / 1024,
	         in->dropped, in->dropped == 1 ? "byte was" : "bytes were");
	return buf;
}

void input_view(const input *in, int width, size_t *first, int *cursor_col)
{
	const char *s = in->line.s ? in->line.s : "";
	size_t start = 0;
	int before;
	char *head;

	if (width < 1)
		width = 1;
	head = xstrndup(s, in->cur);
	before = text_width(head);
	free(head);
	/* keep the cursor inside; scroll in steps of a third so typing at the
	 * end does not shift the line on every key */
	while (before >= width) {
		int step = width / 3 > 0 ? width / 3 : 1, w = 0;

		while (start < in->cur && w < step) {
			uint32_t cp;
			size_t k = text_decode(s + start, in->cur - start, &cp);

			w += text_cpwidth(cp);
			start += k;
		}
		before -= w;
		if (w == 0)
			break;
	}
	*first = start;
	*cursor_col = before;
}
