/* scr-plan.c: the Pre-flight and Preview screens: the plan's findings, then every file and its diff. */
#include "i18n.h"
#include "util.h"
#include "wizard.h"

void preflight_failed(struct wizard *w, struct drs_diag *d) {
        struct drs_rendered f = {0};
        _cleanup_free_ char *m = diag_format(d);

        rendered_add(&f, STYLE_BLOCK, xasprintf("  %s  %s", level_label(LEVEL_BLOCK), m));
        rendered_add(&f, STYLE_DIM, xstrdup(_("  Esc goes back to choose again.")));
        diag_done(d);
        textview_set(&w->findings, &f);
        textview_done(&w->preview);
}

void preflight_enter(struct wizard *w) {
        struct drs_rendered f = {0}, p = {0};
        struct drs_diag d = {0};
        int r;

        if (w->user) {
                user_preflight_enter(w);
                return;
        }
        if (w->plan) {
                plan_free(w->plan);
                w->plan = NULL;
        }
        /* Look again: an interface may have gone, a file changed, since the screens before. */
        r = engine_reload(w->e, &d);
        if (r >= 0)
                r = engine_plan(w->e, &w->s, &w->plan, &d);
        if (r < 0) {
                preflight_failed(w, &d);
                return;
        }
        render_findings(w->plan, LEVEL_OK, &f);
        if (w->plan->n_findings == 0)
                rendered_add(&f, STYLE_OK, xstrdup(_("  Nothing to report.")));
        rendered_add(&f, STYLE_PLAIN, xstrdup(""));
        rendered_add(&f, w->plan->blocked ? STYLE_BLOCK : STYLE_OK,
                     xstrdup(w->plan->blocked ? _("Resolve the BLOCK items first; nothing can be applied as it is.")
                             : w->plan->changes ? _("Enter shows the files that will be written.")
                                                : _("This configuration is already in place: nothing to do.")));
        textview_set(&w->findings, &f);
        render_plan(w->plan, w->show_compared, &p);
        textview_set(&w->preview, &p);
}

void preflight_draw(struct wizard *w, int top, int height) {
        term_text(top, 1, w->cols - 2, C_NORMAL, _("What was found, and what will be done about it:"));
        textview_draw(&w->findings, top + 2, height - 2, w->cols);
}

int preflight_key(struct wizard *w, int key) {
        if (key == TK_ESC)
                return R_BACK;
        if (key == TK_ENTER) {
                if (w->user ? user_blocked(w) : !w->plan || w->plan->blocked) {
                        wizard_message(w, true, _("Pre-flight found problems: resolve them (or go back) first."));
                        return R_REDRAW;
                }
                return R_NEXT;
        }
        return textview_key(&w->findings, key, w->rows - 6);
}

void preview_draw(struct wizard *w, int top, int height) {
        textview_draw(&w->preview, top, height, w->cols);
}

int preview_key(struct wizard *w, int key) {
        struct drs_rendered p = {0};

        if (key == TK_ESC)
                return R_BACK;
        if (key == 'd' && w->plan) {
                /* The other method's file, for comparison: shown or folded again, at the same place. */
                int top = w->preview.top;
                w->show_compared = !w->show_compared;
                render_plan(w->plan, w->show_compared, &p);
                textview_set(&w->preview, &p);
                w->preview.top = top;
                return R_REDRAW;
        }
        if (key == TK_ENTER)
                return R_NEXT;
        return textview_key(&w->preview, key, w->rows - 4);
}
