/* bindings: the one key table {context, key, action, help}: dispatch, the help overlay, key hints.
 */
#include "bindings.h"

#include <stdio.h>
#include <string.h>

#include "util.h"

#define K(k)   VIEW_KEY(KEY_##k)
#define CTL(c) VIEW_CTRL(c)

/* Adding a key is one line here. Rows of one context and action are
 * listed together in the help, in this order; only the first has help. */
const binding bindings[] = {
        {KC_ALL, CTL('c'), ACT_INTERRUPT, NULL, NULL},
        {KC_ALL, '\t', ACT_FOCUS_NEXT, "focus chat -> grid -> sidebar", NULL},
        {KC_ALL, K(BTAB), ACT_FOCUS_PREV, "focus the other way", NULL},
        {KC_ALL, '?', ACT_HELP, "this help", NULL},
        {KC_ALL, K(F(1)), ACT_HELP, NULL, NULL},
        {KC_ALL, VIEW_ESC, ACT_TO_CHAT, "back to the chat input (a view: close it)", NULL},
        {KC_ALL, 'i', ACT_TO_CHAT, NULL, NULL},
        {KC_ALL, ':', ACT_TO_CHAT, NULL, NULL},
        {KC_ALL, 'q', ACT_QUIT, "quit (asks when marks are unsaved); Ctrl-C too", NULL},
        {KC_ALL, 'u', ACT_UNDO, "undo the last filter change (grid, sidebar)", NULL},
        {KC_ALL, 'L', ACT_SHORTLIST,
         "the shortlist: reorder (J/K), notes (n), status (s, 1-4), remove (d), lists ([ ] N R)",
         NULL},

        {KC_CHAT, '\r', ACT_SEND, "send the line (a request, or a /command)", NULL},
        {KC_CHAT, '\n', ACT_SEND, NULL, NULL},
        {KC_CHAT, K(ENTER), ACT_SEND, NULL, NULL},
        {KC_CHAT, '\t', ACT_COMPLETE, "after /: complete a command", NULL},
        {KC_CHAT, K(PPAGE), ACT_PAGE_UP, "scroll the conversation up", NULL},
        {KC_CHAT, K(NPAGE), ACT_PAGE_DOWN, "scroll the conversation down", NULL},
        {KC_CHAT, VIEW_ESC, ACT_CLEAR_LINE, "clear the line; on an empty line, the grid", NULL},
        {KC_CHAT, VIEW_KEY(PASTE_BEGIN), ACT_PASTE_BEGIN, NULL, NULL},
        {KC_CHAT, VIEW_KEY(PASTE_END), ACT_PASTE_END, NULL, NULL},
        {KC_CHAT, 0, ACT_LINE_EDIT, "move; Ctrl-A/E start/end", "Left/Right Home/End"},
        {KC_CHAT, 0, ACT_LINE_EDIT, "delete to end / to start / word", "Ctrl-K / Ctrl-U / Ctrl-W"},
        {KC_CHAT, 0, ACT_LINE_EDIT, "history (kept across runs)", "Up/Down"},

        {KC_GRID, 'j', ACT_DOWN, "down", NULL},
        {KC_GRID, K(DOWN), ACT_DOWN, NULL, NULL},
        {KC_GRID, 'k', ACT_UP, "up", NULL},
        {KC_GRID, K(UP), ACT_UP, NULL, NULL},
        {KC_GRID, K(NPAGE), ACT_PAGE_DOWN, "a page down", NULL},
        {KC_GRID, CTL('f'), ACT_PAGE_DOWN, NULL, NULL},
        {KC_GRID, K(PPAGE), ACT_PAGE_UP, "a page up", NULL},
        {KC_GRID, CTL('b'), ACT_PAGE_UP, NULL, NULL},
        {KC_GRID, 'g', ACT_TOP, "the first offer", NULL},
        {KC_GRID, K(HOME), ACT_TOP, NULL, NULL},
        {KC_GRID, 'G', ACT_BOTTOM, "the last offer", NULL},
        {KC_GRID, K(END), ACT_BOTTOM, NULL, NULL},
        {KC_GRID, 'l', ACT_RIGHT, "scroll columns right (supplier stays)", NULL},
        {KC_GRID, K(RIGHT), ACT_RIGHT, NULL, NULL},
        {KC_GRID, 'h', ACT_LEFT, "scroll columns left", NULL},
        {KC_GRID, K(LEFT), ACT_LEFT, NULL, NULL},
        {KC_GRID, '\r', ACT_DETAIL, "details: tiers, attributes, supplier, score, landed cost",
         NULL},
        {KC_GRID, '\n', ACT_DETAIL, NULL, NULL},
        {KC_GRID, K(ENTER), ACT_DETAIL, NULL, NULL},
        {KC_GRID, ' ', ACT_MARK, "mark the offer and move down", NULL},
        {KC_GRID, 'c', ACT_COMPARE, "compare the marked offers side by side", NULL},
        {KC_GRID, 'S', ACT_SIMILAR, "add offers similar to the marked ones", NULL},
        {KC_GRID, '<', ACT_SORT_PREV, "sort by the previous column", NULL},
        {KC_GRID, '>', ACT_SORT_NEXT, "sort by the next column", NULL},
        {KC_GRID, 'r', ACT_REVERSE, "reverse the sort", NULL},
        {KC_GRID, 'o', ACT_COLUMNS, "choose the sort column; show and hide columns", NULL},
        {KC_GRID, 'C', ACT_COLUMNS, NULL, NULL},
        {KC_GRID, '/', ACT_SEARCH, "search within the results", NULL},
        {KC_GRID, 'n', ACT_SEARCH_NEXT, "the next match", NULL},

        {KC_SIDEBAR, 'j', ACT_DOWN, "the next filter", NULL},
        {KC_SIDEBAR, K(DOWN), ACT_DOWN, NULL, NULL},
        {KC_SIDEBAR, 'k', ACT_UP, "the previous filter", NULL},
        {KC_SIDEBAR, K(UP), ACT_UP, NULL, NULL},
        {KC_SIDEBAR, 'g', ACT_TOP, "the first filter", NULL},
        {KC_SIDEBAR, K(HOME), ACT_TOP, NULL, NULL},
        {KC_SIDEBAR, 'G', ACT_BOTTOM, "the last filter", NULL},
        {KC_SIDEBAR, K(END), ACT_BOTTOM, NULL, NULL},
        {KC_SIDEBAR, '\r', ACT_EDIT, "edit it (lists open a picker with counts)", NULL},
        {KC_SIDEBAR, '\n', ACT_EDIT, NULL, NULL},
        {KC_SIDEBAR, K(ENTER), ACT_EDIT, NULL, NULL},
        {KC_SIDEBAR, K(DC), ACT_CLEAR, "clear it", NULL},
        {KC_SIDEBAR, K(BACKSPACE), ACT_CLEAR, NULL, NULL},
        {KC_SIDEBAR, 0x7f, ACT_CLEAR, NULL, NULL},
        {KC_SIDEBAR, 'x', ACT_CLEAR, NULL, NULL},

        {KC_PAGER, 'j', ACT_DOWN, "scroll down", NULL},
        {KC_PAGER, K(DOWN), ACT_DOWN, NULL, NULL},
        {KC_PAGER, 'k', ACT_UP, "scroll up", NULL},
        {KC_PAGER, K(UP), ACT_UP, NULL, NULL},
        {KC_PAGER, ' ', ACT_PAGE_DOWN, "a page down", NULL},
        {KC_PAGER, K(NPAGE), ACT_PAGE_DOWN, NULL, NULL},
        {KC_PAGER, K(PPAGE), ACT_PAGE_UP, "a page up", NULL},
        {KC_PAGER, 'g', ACT_TOP, "the top", NULL},
        {KC_PAGER, K(HOME), ACT_TOP, NULL, NULL},
        {KC_PAGER, 'q', ACT_CLOSE, "close", NULL},
        {KC_PAGER, VIEW_ESC, ACT_CLOSE, NULL, NULL},
        {KC_PAGER, '\r', ACT_CLOSE, NULL, NULL},
        {KC_PAGER, '\n', ACT_CLOSE, NULL, NULL},
        {KC_PAGER, K(ENTER), ACT_CLOSE, NULL, NULL},
        {KC_PAGER, K(BACKSPACE), ACT_CLOSE, NULL, NULL},

        {KC_COMPARE, 'l', ACT_RIGHT, "the next offers", NULL},
        {KC_COMPARE, K(RIGHT), ACT_RIGHT, NULL, NULL},
        {KC_COMPARE, 'h', ACT_LEFT, "the previous offers", NULL},
        {KC_COMPARE, K(LEFT), ACT_LEFT, NULL, NULL},
        {KC_COMPARE, 'j', ACT_DOWN, "scroll down the rows", NULL},
        {KC_COMPARE, K(DOWN), ACT_DOWN, NULL, NULL},
        {KC_COMPARE, 'k', ACT_UP, "scroll up the rows", NULL},
        {KC_COMPARE, K(UP), ACT_UP, NULL, NULL},
        {KC_COMPARE, 'q', ACT_CLOSE, "close", NULL},
        {KC_COMPARE, VIEW_ESC, ACT_CLOSE, NULL, NULL},
        {KC_COMPARE, 'c', ACT_CLOSE, NULL, NULL},
        {KC_COMPARE, '\r', ACT_CLOSE, NULL, NULL},
        {KC_COMPARE, '\n', ACT_CLOSE, NULL, NULL},

        {KC_LIST, 'j', ACT_DOWN, "down", NULL},
        {KC_LIST, K(DOWN), ACT_DOWN, NULL, NULL},
        {KC_LIST, 'k', ACT_UP, "up", NULL},
        {KC_LIST, K(UP), ACT_UP, NULL, NULL},
        {KC_LIST, K(NPAGE), ACT_PAGE_DOWN, "a page down", NULL},
        {KC_LIST, K(PPAGE), ACT_PAGE_UP, "a page up", NULL},
        {KC_LIST, ' ', ACT_TOGGLE, "toggle", NULL},
        {KC_LIST, '\r', ACT_APPLY, "apply (columns: sort by it)", NULL},
        {KC_LIST, '\n', ACT_APPLY, NULL, NULL},
        {KC_LIST, K(ENTER), ACT_APPLY, NULL, NULL},
        {KC_LIST, 'r', ACT_REVERSE, "columns: reverse the sort", NULL},
        {KC_LIST, 'q', ACT_CLOSE, "cancel", NULL},
        {KC_LIST, VIEW_ESC, ACT_CLOSE, NULL, NULL},

        {KC_SHORTLIST, 'j', ACT_DOWN, "down", NULL},
        {KC_SHORTLIST, K(DOWN), ACT_DOWN, NULL, NULL},
        {KC_SHORTLIST, 'k', ACT_UP, "up", NULL},
        {KC_SHORTLIST, K(UP), ACT_UP, NULL, NULL},
        {KC_SHORTLIST, K(NPAGE), ACT_PAGE_DOWN, "a page down", NULL},
        {KC_SHORTLIST, K(PPAGE), ACT_PAGE_UP, "a page up", NULL},
        {KC_SHORTLIST, 'g', ACT_TOP, "the first offer", NULL},
        {KC_SHORTLIST, K(HOME), ACT_TOP, NULL, NULL},
        {KC_SHORTLIST, 'G', ACT_BOTTOM, "the last offer", NULL},
        {KC_SHORTLIST, K(END), ACT_BOTTOM, NULL, NULL},
        {KC_SHORTLIST, 'J', ACT_MOVE_DOWN, "move the offer down the list", NULL},
        {KC_SHORTLIST, K(SF), ACT_MOVE_DOWN, NULL, NULL},
        {KC_SHORTLIST, 'K', ACT_MOVE_UP, "move the offer up the list", NULL},
        {KC_SHORTLIST, K(SR), ACT_MOVE_UP, NULL, NULL},
        {KC_SHORTLIST, 'n', ACT_NOTE, "write a note", NULL},
        {KC_SHORTLIST, '\r', ACT_NOTE, NULL, NULL},
        {KC_SHORTLIST, '\n', ACT_NOTE, NULL, NULL},
        {KC_SHORTLIST, K(ENTER), ACT_NOTE, NULL, NULL},
        {KC_SHORTLIST, 's', ACT_STATUS_NEXT, "the next status", NULL},
        {KC_SHORTLIST, '1', ACT_STATUS_SET, "shortlisted, ask supplier, sample ordered, rejected",
         NULL},
        {KC_SHORTLIST, '2', ACT_STATUS_SET, NULL, NULL},
        {KC_SHORTLIST, '3', ACT_STATUS_SET, NULL, NULL},
        {KC_SHORTLIST, '4', ACT_STATUS_SET, NULL, NULL},
        {KC_SHORTLIST, 'd', ACT_REMOVE, "remove the offer (asks)", NULL},
        {KC_SHORTLIST, K(DC), ACT_REMOVE, NULL, NULL},
        {KC_SHORTLIST, '[', ACT_LIST_PREV, "the previous list", NULL},
        {KC_SHORTLIST, ']', ACT_LIST_NEXT, "the next list", NULL},
        {KC_SHORTLIST, 'N', ACT_LIST_NEW, "a new list", NULL},
        {KC_SHORTLIST, 'R', ACT_RENAME, "rename the list", NULL},
        {KC_SHORTLIST, 'e', ACT_EXPORT, "export the list (.csv .json .md .xlsx)", NULL},
        {KC_SHORTLIST, 'q', ACT_CLOSE, "close", NULL},
        {KC_SHORTLIST, VIEW_ESC, ACT_CLOSE, NULL, NULL},
};
const int nbindings = (int)(sizeof bindings / sizeof bindings[0]);

enum action bindings_find(enum key_ctx ctx, int key)
{
	int i;

	for (i = 0; i < nbindings; i++)
		if (bindings[i].ctx == ctx && bindings[i].key == key && key != 0)
			return bindings[i].action;
	return ACT_NONE;
}

const char *bindings_key_name(int key, char *buf, size_t len)
{
	static const struct {
		int key;
		const char *name;
	} names[] = {
	        {'\t', "Tab"},         {K(BTAB), "Shift-Tab"},
	        {'\r', "Enter"},       {'\n', "Enter"},
	        {VIEW_ESC, "Esc"},     {' ', "Space"},
	        {K(UP), "Up"},         {K(DOWN), "Down"},
	        {K(LEFT), "Left"},     {K(RIGHT), "Right"},
	        {K(NPAGE), "PgDn"},    {K(PPAGE), "PgUp"},
	        {K(HOME), "Home"},     {K(END), "End"},
	        {K(DC), "Delete"},     {K(BACKSPACE), "Backspace"},
	        {0x7f, "Backspace"},   {K(F(1)), "F1"},
	        {K(SF), "Shift-Down"}, {K(SR), "Shift-Up"},
	};
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].key == key) {
			snprintf(buf, len, "%s", names[i].name);
			return buf;
		}
	if (key > 0 && key < 0x20)
		snprintf(buf, len, "Ctrl-%c", key + '@');
	else if (key > 0x20 && key < 0x7f)
		snprintf(buf, len, "%c", key);
	else
		buf[0] = '\0';
	return buf;
}

char *bindings_keys_for(enum key_ctx ctx, enum action act)
{
	strbuf b;
	char name[32], seen[16][32];
	int i, k, nseen = 0;

	sb_init(&b);
	sb_add(&b, "");
	for (i = 0; i < nbindings; i++) {
		if (bindings[i].ctx != ctx || bindings[i].action != act || bindings[i].key == 0)
			continue;
		bindings_key_name(bindings[i].key, name, sizeof name);
		/* Enter has three codes, Backspace two: name each once */
		for (k = 0; k < nseen && strcmp(seen[k], name) != 0; k++)
			;
		if (!*name || k < nseen || nseen == 16)
			continue;
		snprintf(seen[nseen++], sizeof seen[0], "%s", name);
		if (b.len)
			sb_add(&b, " / ");
		sb_add(&b, name);
	}
	return sb_steal(&b);
}

const char *bindings_hint_key(enum key_ctx ctx, enum action act, int typing, char *buf, size_t len)
{
	int i;

	buf[0] = '\0';
	for (i = 0; i < nbindings; i++) {
		const binding *b = &bindings[i];

		if (b->ctx != ctx || b->action != act || b->key == 0)
			continue;
		if (typing && b->key >= 0x20 && !VIEW_IS_FN(b->key))
			continue;
		return bindings_key_name(b->key, buf, len);
	}
	return buf;
}

const char *bindings_ctx_name(enum key_ctx ctx)
{
	static const char *const names[KC_COUNT] = {
	        [KC_ALL] = "Everywhere",
	        [KC_CHAT] = "Chat input",
	        [KC_GRID] = "Grid",
	        [KC_SIDEBAR] = "Filter sidebar",
	        [KC_PAGER] = "Details and help",
	        [KC_COMPARE] = "Compare",
	        [KC_LIST] = "Pickers (columns, countries, certifications)",
	        [KC_SHORTLIST] = "Shortlist (L)",
	};

	return (int)ctx >= 0 && ctx < KC_COUNT ? names[ctx] : "";
}
