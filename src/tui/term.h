/* term.h: the terminal: the only interface to curses (drawing clipped to display columns, keys). */
#pragma once

#include <stdbool.h>

#include "render.h"

enum tui_color {
        C_NORMAL,
        C_TITLE,      /* the top bar */
        C_SELECTED,   /* the row or field with focus */
        C_DIM,
        C_OK,
        C_WARN,       /* public addresses, warnings */
        C_ERROR,      /* BLOCK, failures */
        C_ADD,
        C_DEL,
        C_HUNK,
        C_HIGHLIGHT,  /* "API listen on" */
        C_KEY,        /* key names in the bottom bar */
        _C_MAX,
};

enum {
        TK_NONE = -1,
        TK_UP = 0x110000,
        TK_DOWN,
        TK_LEFT,
        TK_RIGHT,
        TK_PGUP,
        TK_PGDN,
        TK_HOME,
        TK_END,
        TK_TAB,
        TK_BTAB,
        TK_ENTER,
        TK_ESC,
        TK_F1,
        TK_RESIZE,
        TK_BACKSPACE,
};

/* Whether the terminal database describes $TERM (else term_start() could not draw); before
 * term_start(). */
bool term_known(void);
/* Starts curses. Colours unless NO_COLOR is set or the terminal has none. */
void term_start(void);
void term_stop(void);
bool term_has_color(void);
/* Whether the terminal can show UTF-8 (else the marks fall back to ASCII). */
bool term_utf8(void);
void term_size(int *rows, int *cols);
void term_clear(void);
/* The next refresh paints the whole screen, not what changed (after the screen's whole content
 * changed: an update of wide characters moved by a column can leave some of them out). */
void term_repaint_all(void);
/* Draws text at (y, x), clipped to width display columns; returns the columns used. */
int term_text(int y, int x, int width, enum tui_color c, const char *text);
/* The same, then spaces up to width (a full row in that colour). */
void term_line(int y, int x, int width, enum tui_color c, const char *text);
/* Called by term_text() when text does not fit in width (defined by the wizard: it traces it). */
void term_on_cut(const char *text, int width);
void term_cursor(int y, int x, bool visible);
void term_refresh(void);
/* The next key, or TK_NONE after timeout_ms (-1: wait). Printable characters are returned as
 * their code point. */
int term_key(int timeout_ms);
enum tui_color term_style_color(enum drs_style s);
