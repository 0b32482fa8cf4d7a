/* term.c: the terminal: the only interface to curses (drawing clipped to display columns, keys). */
#include "term.h"

#include <curses.h>
#include <term.h>
#include <langinfo.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include "util.h"

bool term_known(void) {
        int err = 0;

        /* The description is freed again: initscr() loads it for good (and would exit() when it
         * cannot). */
        if (setupterm(NULL, STDOUT_FILENO, &err) != OK)
                return false;
        (void) del_curterm(cur_term);
        return true;
}

static bool colors;
static chtype attrs[_C_MAX];

static void set_attrs(void) {
        static const struct {
                short fg, bg;
                chtype extra;
        } pairs[_C_MAX] = {
                [C_NORMAL] = {-1, -1, 0},          [C_TITLE] = {COLOR_WHITE, COLOR_BLUE, A_BOLD},
                [C_SELECTED] = {-1, -1, A_REVERSE}, [C_DIM] = {-1, -1, A_DIM},
                [C_OK] = {COLOR_GREEN, -1, 0},      [C_WARN] = {COLOR_RED, -1, A_BOLD},
                [C_ERROR] = {COLOR_RED, -1, A_BOLD | A_REVERSE}, /* BLOCK apart from warn */
                [C_ADD] = {COLOR_GREEN, -1, 0},
                [C_DEL] = {COLOR_RED, -1, 0},       [C_HUNK] = {COLOR_CYAN, -1, 0},
                [C_HIGHLIGHT] = {COLOR_YELLOW, -1, A_BOLD}, [C_KEY] = {-1, -1, A_BOLD},
        };
        /* Without colour the same meanings by attribute only. */
        static const chtype mono[_C_MAX] = {
                [C_TITLE] = A_REVERSE, [C_SELECTED] = A_REVERSE, [C_DIM] = A_DIM,     [C_WARN] = A_BOLD | A_UNDERLINE,
                [C_ERROR] = A_BOLD,    [C_ADD] = A_BOLD,         [C_HUNK] = A_UNDERLINE, [C_HIGHLIGHT] = A_BOLD,
                [C_KEY] = A_BOLD,
        };
        for (int i = 0; i < _C_MAX; i++) {
                if (!colors) {
                        attrs[i] = mono[i];
                        continue;
                }
                init_pair((short) (i + 1), pairs[i].fg, pairs[i].bg);
                attrs[i] = COLOR_PAIR(i + 1) | pairs[i].extra;
        }
}

void term_start(void) {
        const char *no_color = getenv("NO_COLOR");

        initscr();
        cbreak();
        noecho();
        nonl();
        keypad(stdscr, TRUE);
        set_escdelay(25);
        curs_set(0);
        colors = has_colors() && !(no_color && *no_color);
        if (colors) {
                start_color();
                use_default_colors();
        }
        set_attrs();
}

void term_stop(void) {
        endwin();
}

bool term_has_color(void) {
        return colors;
}

bool term_utf8(void) {
        const char *cs = nl_langinfo(CODESET);
        return cs && (streq(cs, "UTF-8") || streq(cs, "utf8"));
}

void term_size(int *rows, int *cols) {
        *rows = getmaxy(stdscr);
        *cols = getmaxx(stdscr);
}

void term_clear(void) {
        werase(stdscr);
}

void term_repaint_all(void) {
        clearok(curscr, TRUE);
}

/* How many bytes of s fit into width columns; *ret_cols gets the columns they take. */
static size_t fit(const char *s, int width, int *ret_cols) {
        mbstate_t st = {0};
        size_t len = strlen(s), used = 0;
        int cols = 0;

        while (used < len) {
                wchar_t wc;
                size_t n = mbrtowc(&wc, s + used, len - used, &st);
                int w;
                if (n == (size_t) -1 || n == (size_t) -2 || n == 0) {
                        memset(&st, 0, sizeof(st));
                        n = 1;
                        w = 1;
                } else
                        w = wcwidth(wc) < 0 ? 1 : wcwidth(wc);
                if (wc == L'\t')
                        w = 1;
                if (cols + w > width)
                        break;
                cols += w;
                used += n;
        }
        *ret_cols = cols;
        return used;
}

int term_text(int y, int x, int width, enum tui_color c, const char *text) {
        int cols;
        size_t n;

        if (width <= 0)
                return 0;
        n = fit(text, width, &cols);
        if (text[n])
                term_on_cut(text, width);
        wattrset(stdscr, (int) attrs[c]);
        mvwaddnstr(stdscr, y, x, text, (int) n);
        wattrset(stdscr, (int) A_NORMAL);
        return cols;
}

void term_line(int y, int x, int width, enum tui_color c, const char *text) {
        int used = term_text(y, x, width, c, text);
        wattrset(stdscr, (int) attrs[c]);
        for (int i = used; i < width; i++)
                mvwaddch(stdscr, y, x + i, ' ');
        wattrset(stdscr, (int) A_NORMAL);
}

void term_cursor(int y, int x, bool visible) {
        if (visible)
                wmove(stdscr, y, x);
        curs_set(visible ? 1 : 0);
}

void term_refresh(void) {
        wrefresh(stdscr);
}

int term_key(int timeout_ms) {
        wint_t ch;
        int r;

        wtimeout(stdscr, timeout_ms);
        r = wget_wch(stdscr, &ch);
        if (r == ERR)
                return TK_NONE;
        if (r == KEY_CODE_YES)
                switch (ch) {
                case KEY_UP:
                        return TK_UP;
                case KEY_DOWN:
                        return TK_DOWN;
                case KEY_LEFT:
                        return TK_LEFT;
                case KEY_RIGHT:
                        return TK_RIGHT;
                case KEY_PPAGE:
                        return TK_PGUP;
                case KEY_NPAGE:
                        return TK_PGDN;
                case KEY_HOME:
                        return TK_HOME;
                case KEY_END:
                        return TK_END;
                case KEY_BTAB:
                        return TK_BTAB;
                case KEY_ENTER:
                        return TK_ENTER;
                case KEY_F(1):
                        return TK_F1;
                case KEY_RESIZE:
                        return TK_RESIZE;
                case KEY_BACKSPACE:
                        return TK_BACKSPACE;
                default:
                        return TK_NONE;
                }
        switch (ch) {
        case '\t':
                return TK_TAB;
        case '\r':
        case '\n':
                return TK_ENTER;
        case 27:
                return TK_ESC;
        case 127:
        case 8:
                return TK_BACKSPACE;
        default:
                return (int) ch;
        }
}

enum tui_color term_style_color(enum drs_style s) {
        static const enum tui_color map[] = {
                [STYLE_PLAIN] = C_NORMAL, [STYLE_HEADING] = C_KEY, [STYLE_ADD] = C_ADD, [STYLE_DEL] = C_DEL,
                [STYLE_HUNK] = C_HUNK,    [STYLE_OK] = C_OK,       [STYLE_WARN] = C_WARN, [STYLE_BLOCK] = C_ERROR,
                [STYLE_DIM] = C_DIM,
        };
        return map[s];
}
