/* status: the status line (counts, marks, engine, spinner, key hints, messages, prompts) and count
 * formatting. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "text.h"

/* "1,234,567": counts buyers read at a glance. */
char *app_fmt_count(long n, char *buf, size_t len)
{
	char raw[32];
	int i, digits;
	size_t o = 0;

	snprintf(raw, sizeof raw, "%ld", n < 0 ? -n : n);
	digits = (int)strlen(raw);
	if (n < 0 && o + 1 < len)
		buf[o++] = '-';
	for (i = 0; i < digits && o + 2 < len; i++) {
		if (i > 0 && (digits - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = raw[i];
	}
	buf[o] = '\0';
	return buf;
}

static const char *spinner(app *a)
{
	static const char *const u[] = {"\xe2\xa0\x8b", "\xe2\xa0\x99", "\xe2\xa0\xb9",
	                                "\xe2\xa0\xb8", "\xe2\xa0\xbc", "\xe2\xa0\xb4",
	                                "\xe2\xa0\xa6", "\xe2\xa0\xa7"};
	static const char *const s[] = {"|", "/", "-", "\\"};

	return a->utf8 ? u[a->spin % 8] : s[a->spin % 4];
}

/* "Enter send  Tab grid  F1 help": the keys named from the binding table,
 * so a key rebound there is the key the hints name. */
static void key_hints(app *a, char *out, size_t len)
{
	static const struct hint {
		enum key_ctx ctx;
		enum action act;
		const char *word;
	} chat[] = {{KC_CHAT, ACT_SEND, "send"},
	            {KC_ALL, ACT_FOCUS_NEXT, "grid"},
	            {KC_ALL, ACT_HELP, "help"}},
	  panes[] = {{KC_ALL, ACT_FOCUS_NEXT, "focus"},
	             {KC_ALL, ACT_HELP, "help"},
	             {KC_ALL, ACT_QUIT, "quit"}},
	  views[] = {{KC_ALL, ACT_TO_CHAT, "back"}, {KC_ALL, ACT_HELP, "help"}};
	const struct hint *h = a->nviews > 0 ? views : a->focus == FOCUS_CHAT ? chat : panes;
	int n = a->nviews > 0 ? 2 : 3, i, typing = a->nviews == 0 && a->focus == FOCUS_CHAT;
	size_t o = 0;
	char key[32];

	out[0] = '\0';
	if (a->nviews > 0)
		o = (size_t)snprintf(out, len, "%s | ", a->views[a->nviews - 1].v->name);
	for (i = 0; i < n && o < len; i++)
		o += (size_t)snprintf(
		        out + o, len - o, "%s %s%s",
		        bindings_hint_key(h[i].ctx, h[i].act, typing, key, sizeof key), h[i].word,
		        i + 1 < n ? "  " : " ");
}

void status_draw(app *a, WINDOW *w)
{
	int h, width;
	char left[256], right[128], num[32];
	char eng[96];
	const char *engine = chat_llm_engine(a, eng, sizeof eng);

	getmaxyx(w, h, width);
	(void)h;
	wbkgdset(w, (chtype)app_attr(a, TH_STATUS));
	werase(w);
	if (a->pr.kind != PROMPT_NONE) {
		size_t first;
		int col, lw = text_width(a->pr.label);

		app_draw_text(a, w, 0, 0, width, a->pr.label, app_attr(a, TH_STATUS) | A_BOLD);
		if (a->pr.kind != PROMPT_QUIT) {
			input_view(&a->pr.in, width - lw - 1, &first, &col);
			app_draw_text(a, w, 0, lw, width - lw, a->pr.in.line.s + first,
			              app_attr(a, TH_STATUS));
			wmove(w, 0, lw + col < width ? lw + col : width - 1);
		}
		return;
	}
	snprintf(left, sizeof left, " %s | %s%s result%s | %d marked%s | %s %s", a->catalog_label,
	         a->have_result ? "" : "~",
	         app_fmt_count(a->have_result ? a->res.total : 0L, num, sizeof num),
	         a->have_result && a->res.total == 1 ? "" : "s", a->nmarks,
	         app_marks_unsaved(a) ? "*" : "", engine,
	         a->busy || a->dlg_busy || a->llm_busy ? spinner(a) : " ");
	key_hints(a, right, sizeof right);
	if (a->msg[0]) {
		char *m = text_sanitize(a->msg, 0);

		snprintf(right, sizeof right, "%s ", m);
		free(m);
	}
	app_draw_text(a, w, 0, 0, width, left, app_attr(a, TH_STATUS));
	{
		int rw = text_width(right), lw = text_width(left);

		if (rw > width - lw - 1)
			rw = width - lw - 1;
		if (a->msg[0] && rw < text_width(right)) {
			/* a message matters more than the counts: it takes the
			 * whole line, padded, so no tail of them shows after it */
			char *cell = text_pad(right, width, 0);

			app_draw_text(a, w, 0, 0, width, cell, app_attr(a, TH_STATUS) | A_BOLD);
			free(cell);
		} else if (rw > 0) {
			app_draw_text(a, w, 0, width - rw, rw, right,
			              app_attr(a, TH_STATUS) | (a->msg[0] ? A_BOLD : 0));
		}
	}
}
