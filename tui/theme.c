/* theme: curses attributes for each role: colour, 8-colour or monochrome (NO_COLOR). */
#include "app.h"

enum {
	P_TITLE = 1,
	P_HEADER,
	P_CURSOR,
	P_MARK,
	P_BEST,
	P_STATUS,
	P_USER,
	P_QUESTION,
	P_ERROR,
	P_BAR
};

/* Monochrome uses only attributes every terminal has; colour adds pairs
 * from the eight ANSI colours so 8-colour terminals look the same. */
void theme_init(app *a)
{
	int *t = a->attrs;
	int color = !a->cfg->no_color && has_colors(), bg;

	t[TH_NORMAL] = A_NORMAL;
	t[TH_DIM] = A_DIM;
	t[TH_TITLE] = A_BOLD;
	t[TH_HEADER] = A_BOLD | A_UNDERLINE;
	t[TH_CURSOR] = A_REVERSE;
	t[TH_CURSOR_UNFOCUSED] = A_UNDERLINE;
	t[TH_MARK] = A_BOLD;
	t[TH_BEST] = A_BOLD;
	t[TH_STATUS] = A_REVERSE;
	t[TH_USER] = A_BOLD;
	t[TH_SOUK] = A_NORMAL;
	t[TH_QUESTION] = A_BOLD | A_STANDOUT;
	t[TH_ERROR] = A_BOLD;
	t[TH_BORDER] = A_DIM;
	t[TH_BAR] = A_NORMAL;
	if (!color || start_color() == ERR)
		return;
	/* a terminal with too few pairs keeps the monochrome look rather
	 * than drawing with pairs that were never set */
	if (COLORS < 8 || COLOR_PAIRS <= P_BAR)
		return;
	/* -1 is the terminal's own background; without that capability the
	 * curses default, white on black, is what the rest of the screen has */
	bg = use_default_colors() == OK ? -1 : COLOR_BLACK;
	init_pair(P_TITLE, COLOR_CYAN, bg);
	init_pair(P_HEADER, COLOR_BLACK, COLOR_CYAN);
	init_pair(P_CURSOR, COLOR_BLACK, COLOR_YELLOW);
	init_pair(P_MARK, COLOR_MAGENTA, bg);
	init_pair(P_BEST, COLOR_GREEN, bg);
	init_pair(P_STATUS, COLOR_BLACK, COLOR_WHITE);
	init_pair(P_USER, COLOR_CYAN, bg);
	init_pair(P_QUESTION, COLOR_YELLOW, bg);
	init_pair(P_ERROR, COLOR_RED, bg);
	init_pair(P_BAR, COLOR_BLUE, bg);
	t[TH_TITLE] = COLOR_PAIR(P_TITLE) | A_BOLD;
	t[TH_HEADER] = COLOR_PAIR(P_HEADER) | A_BOLD;
	t[TH_CURSOR] = COLOR_PAIR(P_CURSOR);
	t[TH_MARK] = COLOR_PAIR(P_MARK) | A_BOLD;
	t[TH_BEST] = COLOR_PAIR(P_BEST) | A_BOLD;
	t[TH_STATUS] = COLOR_PAIR(P_STATUS);
	t[TH_USER] = COLOR_PAIR(P_USER) | A_BOLD;
	t[TH_QUESTION] = COLOR_PAIR(P_QUESTION) | A_BOLD;
	t[TH_ERROR] = COLOR_PAIR(P_ERROR) | A_BOLD;
	t[TH_BAR] = COLOR_PAIR(P_BAR);
}

int app_attr(struct app *a, enum theme_role role)
{
	if ((int)role < 0 || role >= TH_COUNT)
		return A_NORMAL;
	return a->attrs[role];
}
