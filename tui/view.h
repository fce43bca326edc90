/* view: key codes as the panes, the views and the line editor receive them. */
#ifndef SOUK_VIEW_H
#define SOUK_VIEW_H

#include <curses.h>

/* Keys reach panes as ints: a Unicode code point for a character, or
 * VIEW_KEY(KEY_xxx) for an ncurses function key (above U+10FFFF so the two
 * never collide). Ctrl-X is the code point 0x18 as usual. */
#define VIEW_KEY(k)   (0x200000 + (k))
#define VIEW_IS_FN(k) ((k) >= 0x200000)
#define VIEW_CTRL(c)  ((c)&0x1f)
#define VIEW_ESC      27

/* bracketed paste, defined as keys at start-up */
#define PASTE_BEGIN (KEY_MAX + 1)
#define PASTE_END   (KEY_MAX + 2)

#endif
