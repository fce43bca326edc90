/* keys: the key and command table; the help view is generated from it. */
#include "build-config.h"

#include "app.h"

#ifdef HAVE_XLSXWRITER
#define SAVE_EXTS ".csv .json .md .xlsx"
#else
#define SAVE_EXTS ".csv .json .md"
#endif

const keydef keys_table[] = {
        {KC_ALL, "Tab / Shift-Tab", "focus chat -> grid -> sidebar"},
        {KC_ALL, "? / F1", "this help"},
        {KC_ALL, "Esc", "close the view on top; back to the chat"},
        {KC_ALL, "q", "quit (asks when marks are unsaved); Ctrl-C too"},
        {KC_ALL, "u", "undo the last filter change (grid, sidebar)"},
        {KC_CHAT, "Enter", "send the line (a request, or a /command)"},
        {KC_CHAT, "Left/Right Home/End", "move; Ctrl-A/E start/end"},
        {KC_CHAT, "Ctrl-K / Ctrl-U / Ctrl-W", "delete to end / to start / word"},
        {KC_CHAT, "Up/Down", "history (kept across runs)"},
        {KC_CHAT, "Tab after /", "complete a command"},
        {KC_CHAT, "PgUp/PgDn", "scroll the conversation"},
        {KC_GRID, "Up/Down j/k", "move; PgUp/PgDn g/G page, top, bottom"},
        {KC_GRID, "Left/Right h/l", "scroll columns (supplier stays)"},
        {KC_GRID, "Enter", "details: tiers, attributes, supplier, score, landed cost"},
        {KC_GRID, "Space", "mark the offer and move down"},
        {KC_GRID, "c", "compare the marked offers side by side"},
        {KC_GRID, "S", "add offers similar to the marked ones"},
        {KC_GRID, "< / >", "sort by the previous / next column"},
        {KC_GRID, "r", "reverse the sort"},
        {KC_GRID, "o / C", "choose the sort column; show and hide columns"},
        {KC_GRID, "/ then n", "search within the results, next match"},
        {KC_GRID, "Esc / i", "back to the chat input"},
        {KC_SIDEBAR, "Up/Down", "choose a filter"},
        {KC_SIDEBAR, "Enter", "edit it (lists open a picker with counts)"},
        {KC_SIDEBAR, "Delete / x", "clear it"},
        {KC_VIEW, "Space / Enter", "pickers: toggle / apply"},
};
const int keys_count = (int)(sizeof keys_table / sizeof keys_table[0]);

/* /shortlist, /shortlists and /sessions reach the shortlist view through
 * its command hook (view.h); they are listed here all the same, since help
 * and Tab completion know only this table. */
const char *const commands_table[] = {
        "/save",    "/save!",     "/export",     "/sort",     "/reset", "/undo", "/compare",
        "/similar", "/shortlist", "/shortlists", "/sessions", "/help",  "/quit",
};
const char *const commands_help[] = {
        "PATH  marked offers (all when none) to " SAVE_EXTS,
        "PATH  the same, replacing an existing file",
        "PATH  every offer shown, whatever is marked",
        "COLUMN  price, moq, lead, landed, rating, score, supplier...",
        "start over with no filters",
        "undo the last filter change",
        "compare the marked offers",
        "add offers similar to the marked ones",
        "[NAME]  marks go to the shortlist NAME; alone, open it (L)",
        "list the shortlists",
        "[N]  list the saved sessions; N switches to one",
        "this help",
        "leave souk",
};
_Static_assert(sizeof commands_table / sizeof commands_table[0] ==
                       sizeof commands_help / sizeof commands_help[0],
               "every command has its help line");
const int commands_count = (int)(sizeof commands_table / sizeof commands_table[0]);
