/* pane_chat: the conversation's scrollback (wrapped by display width) and the input line. */
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "command.h"
#include "text.h"
#include "wrap.h"

static const char *prefix(enum chat_role r)
{
	switch (r) {
	case CHAT_USER:
		return "> ";
	case CHAT_QUESTION:
		return "? ";
	case CHAT_ERROR:
		return "! ";
	default:
		return "  ";
	}
}

static int role_attr(app *a, enum chat_role r)
{
	switch (r) {
	case CHAT_USER:
		return app_attr(a, TH_USER);
	case CHAT_QUESTION:
		return app_attr(a, TH_QUESTION);
	case CHAT_ERROR:
		return app_attr(a, TH_ERROR);
	case CHAT_INFO:
		return app_attr(a, TH_DIM);
	default:
		return app_attr(a, TH_SOUK);
	}
}

void app_chat_add(struct app *a, enum chat_role role, const char *text)
{
	if (a->nchat == a->capchat) {
		a->capchat = a->capchat ? a->capchat * 2 : 32;
		a->chat = xrealloc(a->chat, sizeof *a->chat * (size_t)a->capchat);
	}
	a->chat[a->nchat].role = role;
	a->chat[a->nchat].text = text_sanitize(text ? text : "", 1);
	a->nchat++;
}

void chat_free(app *a)
{
	int i;

	for (i = 0; i < a->nchat; i++)
		free(a->chat[i].text);
	free(a->chat);
	a->chat = NULL;
	a->nchat = a->capchat = 0;
}

/* The chat pane's own state (app.h keeps only a pointer to it). */
struct chat_pane {
	int scroll; /* lines scrolled up from the bottom */
	int seen;   /* entries when last drawn: new ones bring it back down */
};

static void chat_draw(app *a, void *st, WINDOW *w, int focused)
{
	struct chat_pane *cp = st;
	int h, width, y, i, skip;

	(void)focused;
	if (cp->seen != a->nchat)
		cp->scroll = 0;
	cp->seen = a->nchat;
	getmaxyx(w, h, width);
	werase(w);
	if (h < 1 || width < 3)
		return;
	/* walk back from the newest entry, filling from the bottom up */
	y = h;
	skip = cp->scroll;
	for (i = a->nchat - 1; i >= 0 && y > 0; i--) {
		const chat_entry *c = &a->chat[i];
		int n = wrap_text(c->text, width - 2, NULL, 0), k;
		wrap_line *lines = xmalloc(sizeof *lines * (size_t)n);
		int attr = role_attr(a, c->role);

		wrap_text(c->text, width - 2, lines, n);
		for (k = n - 1; k >= 0 && y > 0; k--) {
			char *seg;

			if (skip > 0) {
				skip--;
				continue;
			}
			y--;
			seg = xstrndup(c->text + lines[k].off, lines[k].len);
			if (k == 0)
				app_draw_text(a, w, y, 0, 2, prefix(c->role), attr);
			app_draw_text(a, w, y, 2, width - 2, seg, attr);
			free(seg);
		}
		free(lines);
	}
	if (cp->scroll > 0 && skip > 0)
		cp->scroll -= skip; /* scrolled past the top */
}

void chat_input_draw(app *a, WINDOW *w, int focused)
{
	int h, width, col;
	size_t first;
	const char *line;

	getmaxyx(w, h, width);
	(void)h;
	werase(w);
	if (width < 3)
		return;
	wattrset(w, app_attr(a, focused ? TH_USER : TH_DIM));
	mvwaddstr(w, 0, 0, focused ? "> " : "  ");
	input_view(&a->in, width - 3, &first, &col);
	line = a->in.line.s ? a->in.line.s + first : "";
	if (!*line && !focused)
		app_draw_text(a, w, 0, 2, width - 2, "Tab back here to type a request or /help",
		              app_attr(a, TH_DIM));
	else
		app_draw_text(a, w, 0, 2, width - 2, line, app_attr(a, TH_NORMAL));
	wmove(w, 0, 2 + col);
}

/* Enter: a /command runs, anything else is a turn for the dialog. */
static unsigned submit(app *a)
{
	char *line = input_take(&a->in), *p = line;
	unsigned r = PANE_DONE;

	while (*p == ' ')
		p++;
	if (*p == '/') {
		r |= command_run(a, p);
	} else if (*p) {
		if (a->llm_busy) {
			app_message(a, "A reply is still coming: Esc cancels it");
			input_set(&a->in, p);
		} else {
			app_chat_add(a, CHAT_USER, p);
			if (!chat_llm_turn(a, p))
				app_dialog_turn(a, p);
		}
	}
	free(line);
	return r;
}

/* The status line says how much of a paste the line left out. */
static void note_cut(app *a)
{
	char note[128];

	if (input_note(&a->in, note, sizeof note) != NULL)
		app_message(a, "%s", note);
}

static unsigned chat_key(app *a, void *st, int key, enum action act)
{
	struct chat_pane *cp = st;
	size_t dropped;
	int page = a->lay.chat.h > 2 ? a->lay.chat.h - 1 : 1;

	switch (act) {
	case ACT_PAGE_UP:
		cp->scroll += page;
		return PANE_DONE;
	case ACT_PAGE_DOWN:
		cp->scroll = cp->scroll > page ? cp->scroll - page : 0;
		return PANE_DONE;
	case ACT_COMPLETE:
		/* Tab with nothing to complete moves the focus */
		return input_complete(&a->in, (const char *const *)a->cmd_names, a->ncmd_names) > 0
		               ? PANE_DONE
		               : PANE_PASS;
	case ACT_PASTE_BEGIN:
	case ACT_PASTE_END:
		a->in.pasting = act == ACT_PASTE_BEGIN;
		if (a->in.pasting)
			a->in.dropped = 0; /* the note counts this paste */
		else
			note_cut(a);
		return PANE_DONE;
	case ACT_CLEAR_LINE:
		if (chat_llm_cancel(a))
			return PANE_DONE;
		if (a->in.line.len > 0) {
			input_set(&a->in, "");
			return PANE_DONE;
		}
		return PANE_DONE | PANE_FOCUS_GRID;
	default:
		break;
	}
	dropped = a->in.dropped;
	switch (input_key(&a->in, key)) {
	case INPUT_SUBMIT:
		return submit(a);
	case INPUT_CHANGED:
		/* a typed key the full line did not take (a paste says so at
		 * its end, once) */
		if (a->in.dropped > dropped && !a->in.pasting)
			note_cut(a);
		return PANE_DONE;
	default:
		return PANE_PASS;
	}
}

static void *chat_open(app *a)
{
	(void)a;
	return xcalloc(1, sizeof(struct chat_pane));
}

static void chat_close(app *a, void *st)
{
	(void)a;
	free(st);
}

const struct pane pane_chat = {
        .name = "chat",
        .ctx = KC_CHAT,
        .open = chat_open,
        .close = chat_close,
        .draw = chat_draw,
        .key = chat_key,
};
