/* textview.c: the wizard's scrollable text: styled lines wrapped to the terminal's width, file
 * lines and commands scrolled sideways instead (less -S), and the drawing of text lines. */
#include "wizard.h"

#include <string.h>

#include "util.h"

void textview_set(struct textview *v, struct drs_rendered *r) {
        rendered_done(&v->r);
        rendered_done(&v->wrapped);
        v->wrapped_cols = 0;
        v->r = *r;
        *r = (struct drs_rendered) {0};
        v->top = 0;
        v->left = 0;
}

/* Continuation lines start under the text: after "label   " (a run of 2+ spaces after the first
 * word), else two columns in. */
static size_t continuation_indent(const char *s) {
        size_t lead = strspn(s, " ");
        const char *gap = strstr(s + lead, "  ");
        size_t n = gap ? strspn(gap, " ") : 0;
        /* Only a gap within the first half counts: a label column, not a gap inside the text. */
        if (gap && gap[n] && utf8_width(s) - utf8_width(gap) < 40)
                return utf8_width(s) - utf8_width(gap + n);
        return lead + 2;
}

static void textview_wrap(struct textview *v, int cols) {
        if (v->wrapped_cols == cols && v->wrapped.n + (v->r.n == 0) > 0)
                return;
        rendered_done(&v->wrapped);
        v->wide = 0;
        for (size_t i = 0; i < v->r.n; i++) {
                const struct drs_rline *l = &v->r.lines[i];
                if (l->verbatim) {
                        /* Shown as it is, scrolled sideways: a wrapped file line reads as two. */
                        rendered_add_verbatim(&v->wrapped, l->style, xstrdup(l->text));
                        if ((int) utf8_width(l->text) > v->wide)
                                v->wide = (int) utf8_width(l->text);
                        continue;
                }
                _cleanup_strv_free_ char **parts =
                        utf8_wrap(l->text, (size_t) cols, l->hang ? l->hang : continuation_indent(l->text));
                for (size_t k = 0; parts[k]; k++)
                        rendered_add(&v->wrapped, l->style, xstrdup(parts[k]));
        }
        v->wrapped_cols = cols;
}

/* A verbatim line from column left on, in the text area (columns 1 to cols-2); a mark in the
 * margin on either side where the line goes on. */
void wizard_verbatim(int y, int cols, enum tui_color c, const char *text, int left) {
        size_t skipped, shown, b = utf8_prefix(text, (size_t) left, &skipped);
        size_t n = utf8_prefix(text + b, (size_t) cols - 2, &shown);
        _cleanup_free_ char *part = xstrndup(text + b, n);

        term_text(y, 1, cols - 2, c, part);
        if (b > 0)
                term_text(y, 0, 1, C_KEY, "<");
        if (text[b + n])
                term_text(y, cols - 1, 1, C_KEY, ">");
}

void textview_draw(struct textview *v, int top, int height, int cols) {
        textview_wrap(v, cols - 2);
        v->cols = cols - 2;
        if (v->left > v->wide - v->cols)
                v->left = v->wide > v->cols ? v->wide - v->cols : 0;
        if (v->top > (int) v->wrapped.n - height)
                v->top = (int) v->wrapped.n > height ? (int) v->wrapped.n - height : 0;
        for (int i = 0; i < height && v->top + i < (int) v->wrapped.n; i++) {
                const struct drs_rline *l = &v->wrapped.lines[v->top + i];
                if (l->verbatim)
                        wizard_verbatim(top + i, cols, term_style_color(l->style), l->text, v->left);
                else
                        term_text(top + i, 1, cols - 2, term_style_color(l->style), l->text);
        }
        if ((int) v->wrapped.n > height || v->wide > v->cols) {
                char pos[64];
                if (v->wide > v->cols)
                        snprintf(pos, sizeof(pos), " %d/%zu  %s%d ", v->top + 1, v->wrapped.n,
                                 v->left ? "<-" : "->", v->left ? v->left : v->wide - v->cols);
                else
                        snprintf(pos, sizeof(pos), " %d/%zu ", v->top + 1, v->wrapped.n);
                /* On the (blank) row above the view, so that it never hides the end of a line. */
                term_text(top - 1, cols - 1 - (int) strlen(pos), (int) strlen(pos), C_DIM, pos);
        }
}

int textview_key(struct textview *v, int key, int height) {
        int n = v->wrapped_cols ? (int) v->wrapped.n : (int) v->r.n, max = n - height, old = v->top, old_left = v->left;

        if (max < 0)
                max = 0;
        switch (key) {
        case TK_UP:
                v->top--;
                break;
        case TK_DOWN:
                v->top++;
                break;
        case TK_PGUP:
                v->top -= height - 1;
                break;
        case TK_PGDN:
        case ' ':
                v->top += height - 1;
                break;
        case TK_HOME:
                v->top = 0;
                v->left = 0;
                break;
        case TK_END:
                v->top = max;
                break;
        case TK_LEFT:
                v->left -= v->cols / 2;
                break;
        case TK_RIGHT:
                v->left += v->cols / 2;
                break;
        default:
                return R_NONE;
        }
        if (v->top > max)
                v->top = max;
        if (v->top < 0)
                v->top = 0;
        if (v->left > v->wide - v->cols)
                v->left = v->wide - v->cols;
        if (v->left < 0)
                v->left = 0;
        return v->top != old || v->left != old_left ? R_REDRAW : R_NONE;
}

void textview_done(struct textview *v) {
        rendered_done(&v->r);
        rendered_done(&v->wrapped);
        v->wrapped_cols = 0;
        v->top = 0;
        v->left = 0;
}

/* Lines added to r after it was wrapped (the journal, growing) need wrapping again. */
void textview_changed(struct textview *v) {
        v->wrapped_cols = 0;
}

int wizard_paragraph(int y, int x, int width, enum tui_color c, const char *text) {
        _cleanup_strv_free_ char **lines = utf8_wrap(text, (size_t) width, 0);
        int n = 0;
        for (; lines[n]; n++)
                term_text(y + n, x, width, c, lines[n]);
        return n;
}
