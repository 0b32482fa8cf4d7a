/* scr-iface.c: the Interface screen: every usable address, its class, and the preselected one. */
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "util.h"
#include "wizard.h"

static void load_rows(struct wizard *w) {
        struct drs_addr a;
        int sel = -1;

        choices_done(&w->ch);
        choices_rows(wizard_ifaces(w), w->show_plumbing, &w->ch);
        /* --iface and --address given on the command line are preselected. */
        if (w->s.address && addr_parse(w->s.address, &a) >= 0)
                sel = choices_find(&w->ch, w->s.iface, &a);
        else if (w->s.iface)
                sel = choices_find_iface(&w->ch, wizard_ifaces(w), w->s.iface);
        if (sel < 0)
                sel = choices_preselect(&w->ch, wizard_ifaces(w));
        w->sel = sel < 0 ? 0 : sel;
        w->top = 0;
}

void iface_enter(struct wizard *w) {
        load_rows(w);
}

static enum tui_color row_color(const struct drs_choice_row *r, bool selected) {
        if (selected)
                return C_SELECTED;
        return r->tone == TONE_WARN ? C_WARN : r->tone == TONE_DIM ? C_DIM : C_NORMAL;
}

/* Columns: a NIC name takes up to IFNAMSIZ-1 = 15; an IPv6 address up to 39 (then the class
 * moves right rather than being cut). */
#define COL_NIC 16
#define COL_IFACE (COL_NIC + 5 + 2)
#define COL_ADDR 28

void iface_draw(struct wizard *w, int top, int height) {
        const char *note = w->sel < (int) w->ch.n ? w->ch.rows[w->sel].note : NULL;
        _cleanup_strv_free_ char **note_lines = utf8_wrap(note ? note : "", (size_t) w->cols - 2, 0);
        int n_note = note ? (int) strv_length(note_lines) : 0, list_h = height - 4 - n_note;
        char a[46];

        term_text(top, 1, w->cols - 2, C_NORMAL, _("Choose the address dockerd should listen on:"));
        {
                struct drs_buf b = {0};
                buf_append(&b, "   ");
                buf_append_padded(&b, _("Interface"), COL_IFACE);
                buf_append_padded(&b, _("Address"), COL_ADDR);
                buf_append(&b, _("Class"));
                term_text(top + 2, 1, w->cols - 2, C_DIM, b.data);
                buf_free(&b);
        }
        if (w->sel < w->top)
                w->top = w->sel;
        if (w->sel >= w->top + list_h)
                w->top = w->sel - list_h + 1;
        for (int i = 0; i < list_h && w->top + i < (int) w->ch.n; i++) {
                const struct drs_choice_row *r = &w->ch.rows[w->top + i];
                struct drs_buf b = {0};
                bool selected = w->top + i == w->sel;

                buf_append(&b, selected ? " > " : "   ");
                if (r->iface) {
                        buf_append_padded(&b, r->iface->name, COL_NIC);
                        buf_append_padded(&b, r->iface->up ? _("up") : _("down"), 5);
                        buf_append(&b, r->iface->default_route ? "* " : "  ");
                } else
                        buf_append_padded(&b, _("(all)"), COL_IFACE);
                buf_append_padded(&b, addr_to_string(&r->addr, a), COL_ADDR - 1);
                buf_append_c(&b, ' ');
                buf_append(&b, addr_class_label(r->cls));
                term_line(top + 3 + i, 1, w->cols - 2, row_color(r, selected), b.data);
                buf_free(&b);
        }
        {
                _cleanup_free_ char *foot =
                        w->show_plumbing ? xstrdup(_("* carries the default route.   Container interfaces shown (a hides them)."))
                        : w->ch.hidden == 0
                                ? xstrdup(_("* carries the default route.   a shows container interfaces (none here)."))
                                : xasprintf(P_("* carries the default route.   %zu container address hidden (a shows it).",
                                               "* carries the default route.   %zu container addresses hidden (a shows them).",
                                               w->ch.hidden),
                                            w->ch.hidden);
                term_text(top + height - 2 - n_note, 1, w->cols - 2, C_DIM, foot);
        }
        /* The selected row's note, whole: why it is red or dim. */
        for (int i = 0; i < n_note; i++)
                term_text(top + height - n_note + i, 1, w->cols - 2,
                          w->ch.rows[w->sel].tone == TONE_WARN ? C_WARN : C_DIM, note_lines[i]);
}

static void commit(struct wizard *w) {
        const struct drs_choice_row *r = &w->ch.rows[w->sel];
        char a[46];

        free(w->s.iface);
        free(w->s.address);
        w->s.iface = r->iface ? xstrdup(r->iface->name) : NULL;
        w->s.address = xstrdup(addr_to_string(&r->addr, a));
        w->s.allow_public = false; /* asked again, by a typed word, on the next screen */
        w->s.allow_public_typed = false;
}

int iface_key(struct wizard *w, int key) {
        int page = w->rows - 10, old = w->sel;

        switch (key) {
        case TK_UP:
                w->sel--;
                break;
        case TK_DOWN:
                w->sel++;
                break;
        case TK_PGUP:
                w->sel -= page;
                break;
        case TK_PGDN:
                w->sel += page;
                break;
        case TK_HOME:
                w->sel = 0;
                break;
        case TK_END:
                w->sel = (int) w->ch.n - 1;
                break;
        case 'a':
                commit(w);
                w->show_plumbing = !w->show_plumbing;
                load_rows(w);
                return R_REDRAW;
        case TK_ENTER:
                if (w->ch.n == 0)
                        return R_NONE;
                commit(w);
                return R_NEXT;
        case TK_ESC:
                return R_BACK;
        default:
                return R_NONE;
        }
        if (w->sel < 0)
                w->sel = 0;
        if (w->sel >= (int) w->ch.n)
                w->sel = (int) w->ch.n - 1;
        return w->sel != old ? R_REDRAW : R_NONE;
}
