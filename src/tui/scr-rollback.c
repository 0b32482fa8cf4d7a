/* scr-rollback.c: the Rollback screen: the history of changes, a diff of one against now, restore. */
#include <errno.h>
#include <string.h>

#include "history.h"
#include "i18n.h"
#include "util.h"
#include "wizard.h"

void rollback_enter(struct wizard *w) {
        int r;

        history_free(w->sets, w->n_sets);
        w->sets = NULL;
        w->n_sets = 0;
        w->rb_detail = false;
        r = engine_history(w->e, &w->sets, &w->n_sets);
        if (r == -EACCES)
                wizard_message(w, true, _("The backups can only be read as root."));
        else if (r < 0)
                wizard_message(w, true, _("The backups cannot be read: %s"), strerror(-r));
        if (w->rb_sel >= (int) w->n_sets)
                w->rb_sel = 0;
}

static void show_detail(struct wizard *w) {
        struct drs_rendered r = {0};
        struct drs_diag d = {0};
        const struct drs_manifest *m = &w->sets[w->rb_sel];

        rendered_add(&r, STYLE_HEADING, xasprintf(_("Backup %s, %s: %s"), m->id, m->created, m->summary));
        rendered_add(&r, STYLE_PLAIN, xasprintf(_("How it ended: %s"), m->result ? m->result : _("in flight")));
        rendered_add(&r, STYLE_PLAIN, xstrdup(_("Restoring it puts these files back as they were before that change:")));
        rendered_add(&r, STYLE_PLAIN, xstrdup(""));
        if (engine_backup_diff(w->e, m, &r, &d) < 0) {
                _cleanup_free_ char *msg = diag_format(&d);
                rendered_add(&r, STYLE_BLOCK, xasprintf(_("This backup is damaged: %s"), msg));
                diag_done(&d);
        }
        textview_set(&w->rb_view, &r);
        w->rb_detail = true;
}

void rollback_draw(struct wizard *w, int top, int height) {
        int list_h = height - 2;

        if (w->rb_detail) {
                textview_draw(&w->rb_view, top, height - 1, w->cols);
                term_text(top + height - 1, 1, w->cols - 2, C_KEY,
                          w->preview_only ? (w->user ? _("Preview only: run without --preview to restore.   Esc Back")
                                                     : _("Preview only: restoring needs root.   Esc Back"))
                                          : _("Enter Restore this state   Esc Back"));
                return;
        }
        term_text(top, 1, w->cols - 2, C_NORMAL, _("Changes made by docker-remote-setup, newest first:"));
        if (w->n_sets == 0) {
                term_text(top + 2, 3, w->cols - 4, C_DIM, _("No backups yet."));
                return;
        }
        /* Two rows per change: the id and what it set up, then how it ended (a long text, whole). */
        list_h /= 2;
        if (w->rb_sel < w->rb_top)
                w->rb_top = w->rb_sel;
        if (w->rb_sel >= w->rb_top + list_h)
                w->rb_top = w->rb_sel - list_h + 1;
        for (int i = 0; i < list_h && w->rb_top + i < (int) w->n_sets; i++) {
                const struct drs_manifest *m = &w->sets[w->rb_top + i];
                _cleanup_free_ char *line = xasprintf("%s%-19s %s", w->rb_top + i == w->rb_sel ? " > " : "   ", m->id,
                                                      m->summary ? m->summary : "?");
                _cleanup_free_ char *ended = xasprintf("%23s%s", "", m->result ? m->result : _("in flight"));
                bool sel = w->rb_top + i == w->rb_sel;
                term_line(top + 2 + 2 * i, 1, w->cols - 2, sel ? C_SELECTED : C_NORMAL, line);
                /* A long reason is marked as going on (">"); Enter shows it whole. */
                term_line(top + 3 + 2 * i, 1, w->cols - 2, sel ? C_SELECTED : C_DIM, "");
                wizard_verbatim(top + 3 + 2 * i, w->cols, sel ? C_SELECTED : C_DIM, ended, 0);
        }
}

void rollback_restore(struct wizard *w) {
        struct drs_progress pr = wizard_progress(w);
        struct drs_apply_result res = {0};
        struct drs_diag d = {0};
        _cleanup_free_ char *id = xstrdup(w->sets[w->rb_sel].id);
        int r;

        w->rb_detail = false;
        w->cur = SCR_APPLY; /* the steps and the journal, live */
        memset(w->steps, 0, sizeof(w->steps));
        memset(w->step_seen, 0, sizeof(w->step_seen));
        r = engine_rollback_to(w->e, id, w->verify_timeout, &pr, &res, &d);
        w->cur = SCR_ROLLBACK;
        if (r >= 0 && res.outcome == OUTCOME_WRITTEN)
                wizard_message(w, false, _("Restored the files from before %s. No systemd manages this root: nothing "
                                           "was restarted or verified."),
                               id);
        else if (r < 0 || res.outcome != OUTCOME_KEPT) {
                _cleanup_free_ char *m = diag_format(&d);
                wizard_message(w, true, _("The rollback did not verify: %s"),
                               res.reason ? res.reason : *m ? m : strerror(-r));
        } else
                wizard_message(w, false, _("Restored the state before %s and verified it."), id);
        diag_done(&d);
        apply_result_done(&res);
        (void) engine_reload(w->e, NULL);
        rollback_enter(w);
}

int rollback_key(struct wizard *w, int key) {
        int old = w->rb_sel;

        if (w->rb_detail) {
                if (key == TK_ESC) {
                        w->rb_detail = false;
                        return R_REDRAW;
                }
                if (key == TK_ENTER) {
                        if (w->preview_only) {
                                wizard_message(w, true, "%s",
                                               w->user ? _("Preview only: run without --preview to restore.")
                                                       : _("Preview only: restoring needs root."));
                                return R_REDRAW;
                        }
                        w->dialog = DIALOG_RESTORE;
                        return R_REDRAW;
                }
                return textview_key(&w->rb_view, key, w->rows - 5);
        }
        switch (key) {
        case TK_UP:
                w->rb_sel--;
                break;
        case TK_DOWN:
                w->rb_sel++;
                break;
        case TK_ENTER:
                if (w->n_sets == 0)
                        return R_NONE;
                show_detail(w);
                return R_REDRAW;
        case TK_ESC:
                return R_BACK;
        default:
                return R_NONE;
        }
        if (w->rb_sel < 0)
                w->rb_sel = 0;
        if (w->rb_sel >= (int) w->n_sets)
                w->rb_sel = w->n_sets ? (int) w->n_sets - 1 : 0;
        return w->rb_sel != old ? R_REDRAW : R_NONE;
}
