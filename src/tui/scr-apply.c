/* scr-apply.c: the Apply, Journal, Confirm and Done screens: the change made live, watched and kept. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "i18n.h"
#include "listenmatch.h"
#include "timeutil.h"
#include "util.h"
#include "wizard.h"

#define LOCK_WAIT 10 /* seconds to wait for the revert timer's lock when keeping or reverting */

const char *step_mark(enum drs_step_state st, bool seen) {
        bool u = term_utf8();
        if (!seen)
                return u ? "·" : ".";
        switch (st) {
        case STEP_RUNNING:
                return u ? "…" : "..";
        case STEP_DONE:
                return u ? "✔" : "ok";
        case STEP_FAILED:
                return u ? "✘" : "XX";
        default:
                return "-";
        }
}

static void add_line(struct wizard *w, const char *message) {
        _cleanup_free_ char *text = listen_line_text(message);
        enum drs_style s = listen_match(message, NULL)     ? STYLE_OK
                           : listen_line_is_error(message) ? STYLE_BLOCK
                                                           : STYLE_PLAIN;
        int height = w->rows - 6;
        bool at_end = w->journal.top >= (int) w->journal.wrapped.n - height;

        if (!*text)
                return;
        rendered_add(&w->journal.r, s, xstrdup(text));
        textview_changed(&w->journal);
        if (w->follow || at_end)
                w->journal.top = 1 << 30; /* clamped to the end when drawn */
}

static void on_step(void *u, enum drs_step s, enum drs_step_state st, const char *detail) {
        struct wizard *w = u;
        w->steps[s] = st;
        w->step_seen[s] = true;
        free(w->step_detail[s]);
        w->step_detail[s] = detail ? xstrdup(detail) : NULL;
        wizard_draw(w);
}

static void on_line(void *u, const char *message, _unused_ uint64_t usec) {
        struct wizard *w = u;
        add_line(w, message);
        if (w->cur == SCR_APPLY || w->cur == SCR_JOURNAL)
                wizard_draw(w);
}

struct drs_progress wizard_progress(struct wizard *w) {
        return (struct drs_progress) {.step = on_step, .line = on_line, .userdata = w};
}

static void draw_steps(struct wizard *w, int y) {
        for (int s = STEP_BACKUP; s <= STEP_KEEP; s++) {
                struct drs_buf b = {0};
                enum tui_color c = !w->step_seen[s]                ? C_DIM
                                   : w->steps[s] == STEP_FAILED    ? C_ERROR
                                   : w->steps[s] == STEP_DONE      ? C_OK
                                                                   : C_NORMAL;
                buf_append(&b, "   ");
                buf_append_padded(&b, step_mark(w->steps[s], w->step_seen[s]), 3);
                buf_append_padded(&b, step_label(s), 40);
                if (w->step_detail[s])
                        buf_append(&b, w->step_detail[s]);
                wizard_verbatim(y + s, w->cols, c, b.data, 0); /* a long detail is marked, not cut */
                buf_free(&b);
        }
        if (w->step_seen[STEP_REVERT]) {
                struct drs_buf b = {0};
                buf_append(&b, "   ");
                buf_append_padded(&b, step_mark(w->steps[STEP_REVERT], true), 3);
                buf_append(&b, step_label(STEP_REVERT));
                term_text(y + STEP_KEEP + 1, 1, w->cols - 2, w->steps[STEP_REVERT] == STEP_DONE ? C_WARN : C_ERROR, b.data);
                buf_free(&b);
        }
}

void apply_draw(struct wizard *w, int top, int height) {
        int y = top, lines;

        term_text(y, 1, w->cols - 2, C_NORMAL,
                  w->preview_only ? _("What applying would do, step by step (preview: none of it runs now):")
                                  : _("The change, step by step:"));
        draw_steps(w, y + 2);
        y += 2 + STEP_KEEP + 3;
        if (w->preview_only) {
                term_text(y, 1, w->cols - 2, C_WARN, _("Preview only: nothing is written."));
                if (w->user) {
                        _cleanup_free_ char *how = xasprintf(_("Run it without --preview, as %s or root, to apply; every "
                                                               "step above then runs for real."),
                                                             w->user);
                        wizard_paragraph(y + 1, 1, w->cols - 2, C_NORMAL, how);
                } else
                        wizard_paragraph(y + 1, 1, w->cols - 2, C_NORMAL,
                                         _("Run as root (sudo docker-remote-setup) to apply; every step above then runs "
                                           "for real."));
                return;
        }
        if (!w->applied && !w->applying) {
                _cleanup_free_ char *m = xasprintf(_("Enter applies it. Unless you confirm within %u:%02u, a systemd timer "
                                                     "reverts it."),
                                                   w->confirm_timeout / 60, w->confirm_timeout % 60);
                wizard_paragraph(y, 1, w->cols - 2, C_KEY, m);
                return;
        }
        term_text(y++, 1, w->cols - 2, C_DIM, _("docker.service says:"));
        lines = top + height - y;
        for (int i = 0; i < lines; i++) {
                int k = (int) w->journal.r.n - lines + i;
                if (k < 0)
                        continue;
                /* The last lines as they come; a long one is marked (">"), the Journal screen has it whole. */
                wizard_verbatim(y + i, w->cols, term_style_color(w->journal.r.lines[k].style), w->journal.r.lines[k].text, 0);
        }
}

static void run_apply(struct wizard *w) {
        struct drs_apply_opts o = {.verify_timeout = w->verify_timeout, .confirm_timeout = w->confirm_timeout};
        struct drs_progress pr = wizard_progress(w);
        struct drs_diag d = {0};
        int r;

        w->applying = true;
        w->follow = true;
        textview_done(&w->journal);
        r = w->user ? engine_user_apply(w->e, w->uplan, &w->s, &o, &pr, &w->res, &d)
                    : engine_apply(w->e, w->plan, &w->s, &o, &pr, &w->res, &d);
        w->applying = false;
        w->applied = true;
        if (r < 0) {
                _cleanup_free_ char *m = diag_format(&d);
                wizard_message(w, true, "%s", m);
                free(w->outcome);
                w->outcome = xasprintf(_("Nothing was changed: %s"), m);
                w->applied = false;
        } else if (w->res.outcome == OUTCOME_PENDING) {
                w->deadline = w->res.deadline;
                /* The revert timer must be able to take the lock at the deadline. */
                engine_unlock(w->e);
                wizard_message(w, false, _("Verified. Enter shows the journal, then confirm to keep it."));
        } else if (w->res.outcome == OUTCOME_NOTHING) {
                free(w->outcome);
                w->outcome = xstrdup(w->res.answered ? _("Nothing to do: this configuration is already in place and "
                                                         "answering.")
                                                       : _("Nothing to do: this configuration is already in place."));
                wizard_message(w, false, "%s", w->outcome);
        } else if (w->res.outcome == OUTCOME_ROLLED_BACK || w->res.outcome == OUTCOME_REVERT_FAILED) {
                free(w->outcome);
                w->outcome = w->res.outcome == OUTCOME_ROLLED_BACK
                                     ? xasprintf(_("Verification failed: %s. The previous configuration was restored "
                                                   "and verified."),
                                                 w->res.reason)
                             : w->user ? xasprintf(_("Verification failed: %s. Restoring did not verify either: check "
                                                     "\"systemctl --user status docker\" as %s now."),
                                                   w->res.reason, w->user)
                                     : xasprintf(_("Verification failed: %s. Restoring did not verify either: check "
                                                   "\"systemctl status docker\" now."),
                                                 w->res.reason);
                wizard_message(w, true, "%s", w->outcome);
        } else {
                free(w->outcome);
                w->outcome = xasprintf(_("Kept: %s (backup %s)."), wizard_url(w), w->res.id);
        }
        diag_done(&d);
}

int apply_key(struct wizard *w, int key) {
        if (w->applying)
                return R_NONE;
        if (key == TK_ESC && (!w->applied || w->preview_only))
                return R_BACK;
        if (key != TK_ENTER)
                return R_NONE;
        if (w->preview_only || w->applied) {
                if (w->preview_only)
                        return R_NEXT;
                w->go = w->outcome && w->res.outcome != OUTCOME_ROLLED_BACK && w->res.outcome != OUTCOME_REVERT_FAILED
                                ? SCR_DONE
                                : SCR_JOURNAL;
                return R_GOTO;
        }
        run_apply(w);
        return R_REDRAW;
}

static void tail_line(const char *message, _unused_ uint64_t usec, void *userdata) {
        add_line(userdata, message);
}

void journal_enter(struct wizard *w) {
        if (!w->tail && w->applied)
                (void) engine_follow_open(w->e, &w->tail); /* none without systemd: nothing restarted */
        if (w->user && w->applied && !w->tail && w->journal.r.n == 0)
                rendered_add(&w->journal.r, STYLE_WARN,
                             xasprintf(_("The journal of %s's docker.service cannot be read here; as that user: "
                                         "journalctl --user -u docker.service"),
                                       w->user));
        if (w->preview_only && (w->plan || w->uplan)) {
                textview_done(&w->journal); /* made again: the plan (or the daemon) may have changed */
                rendered_add(&w->journal.r, STYLE_WARN,
                             xstrdup(_("Preview only: nothing was restarted, so there is no journal to show.")));
                rendered_add(&w->journal.r, STYLE_PLAIN, xstrdup(""));
                rendered_add(&w->journal.r, STYLE_PLAIN,
                             xasprintf(_("After a real apply, docker.service's log of the restart is shown here, and "
                                         "the line that proves the new listener works is highlighted: \"API listen "
                                         "on %s\"."),
                                       wizard_listen(w)));
        }
}

void journal_draw(struct wizard *w, int top, int height) {
        if (w->preview_only) {
                term_text(top, 1, w->cols - 2, C_NORMAL, _("What this screen would show (preview):"));
                textview_draw(&w->journal, top + 2, height - 2, w->cols);
                return;
        }
        _cleanup_free_ char *head = w->deadline ? xasprintf(_("docker.service, this invocation (reverted in %lds unless "
                                                              "confirmed):"),
                                                            (long) ((int64_t) (w->deadline - now_realtime_usec()) / 1000000))
                                                : xstrdup(_("docker.service, this invocation:"));
        term_text(top, 1, w->cols - 2, w->deadline ? C_WARN : C_NORMAL, head);
        textview_draw(&w->journal, top + 2, height - 2, w->cols);
}

int journal_key(struct wizard *w, int key) {
        if (key == TK_ESC && w->preview_only)
                return R_BACK;
        if (key == TK_ENTER) {
                w->go = (w->res.outcome == OUTCOME_PENDING && w->deadline) || w->preview_only ? SCR_CONFIRM : SCR_DONE;
                return R_GOTO;
        }
        w->follow = key == TK_END;
        return textview_key(&w->journal, key, w->rows - 6);
}

/* Preview: what the screen asks after a real apply, said as what would happen (no countdown). */
static void confirm_draw_preview(struct wizard *w, int top) {
        _cleanup_free_ char *would = xasprintf(_("After a real apply, once dockerd has logged \"API listen on %s\" and "
                                                 "%s has answered, this screen asks you to keep the change. You then "
                                                 "have %u:%02u; if you do not keep it, a systemd timer reverts it, "
                                                 "also when this terminal or your SSH session is gone."),
                                               wizard_listen(w), wizard_url(w),
                                               w->confirm_timeout / 60, w->confirm_timeout % 60);
        int y = top + 1;

        term_text(y, 4, w->cols - 8, C_WARN, _("Preview only: nothing was started or contacted."));
        y += 2;
        y += wizard_paragraph(y, 4, w->cols - 8, C_NORMAL, would);
        y++;
        term_text(y, 4, w->cols - 8, C_DIM, _("Enter  keep it      Esc  revert now      +  one more minute"));
        wizard_paragraph(y + 2, 4, w->cols - 8, C_KEY, _("Enter goes on to what you would run on your workstation."));
}

void confirm_draw(struct wizard *w, int top, int height) {
        int64_t left = ((int64_t) w->deadline - (int64_t) now_realtime_usec()) / 1000000;
        _cleanup_free_ char *ok = NULL, *count = NULL, *when = NULL, *timer = NULL;
        char buf[16];
        time_t t = (time_t) (w->deadline / 1000000u);
        struct tm tm;

        (void) height;
        if (w->preview_only) {
                confirm_draw_preview(w, top);
                return;
        }
        if (left < 0)
                left = 0;
        localtime_r(&t, &tm);
        strftime(buf, sizeof(buf), "%H:%M:%S", &tm);
        ok = xasprintf(_("%s answers: dockerd reported \"API listen on %s\"."), wizard_url(w), wizard_listen(w));
        count = xasprintf(_("Reverting in %ld:%02ld"), (long) (left / 60), (long) (left % 60));
        when = xasprintf(_("If this terminal or your SSH session is gone, systemd reverts it at %s."), buf);
        term_text(top + 1, 4, w->cols - 8, C_KEY, _("Keep this change?"));
        wizard_paragraph(top + 3, 4, w->cols - 8, C_OK, ok);
        term_text(top + 6, (w->cols - (int) utf8_width(count)) / 2, w->cols, left < 20 ? C_ERROR : C_WARN, count);
        term_text(top + 9, 4, w->cols - 8, C_NORMAL, _("Enter  keep it      Esc  revert now      +  one more minute"));
        wizard_paragraph(top + 12, 4, w->cols - 8, C_DIM, when);
}

/* Keep or revert: both need the lock (the revert timer may hold it for a moment). */
static int settle(struct wizard *w, bool keep) {
        struct drs_progress pr = wizard_progress(w);
        struct drs_diag d = {0};
        unsigned holder = 0;
        int r = engine_lock(w->e, LOCK_WAIT, &holder);

        if (r >= 0)
                r = keep ? engine_confirm(w->e, NULL, &d)
                         : engine_revert(w->e, w->res.id, "reverted from the wizard", w->verify_timeout, &pr, &w->res, &d);
        free(w->outcome);
        if (r < 0) {
                _cleanup_free_ char *m = diag_format(&d);
                w->outcome = xasprintf(keep ? _("Not kept: %s (the deadline may have passed; see the status).")
                                            : _("The revert failed: %s"),
                                       *m ? m : strerror(-r));
        } else
                w->outcome = keep ? xasprintf(_("Kept: %s (backup %s)."), wizard_url(w), w->res.id)
                                  : xasprintf(_("Reverted: the configuration from before backup %s is back."), w->res.id);
        w->deadline = 0;
        diag_done(&d);
        w->go = SCR_DONE;
        return R_GOTO;
}

int confirm_key(struct wizard *w, int key) {
        struct drs_diag d = {0};
        uint64_t deadline;

        if (w->preview_only)
                return key == TK_ENTER ? R_NEXT : key == TK_ESC ? R_BACK : R_NONE;
        switch (key) {
        case TK_ENTER:
                return settle(w, true);
        case TK_ESC:
                return settle(w, false);
        case '+':
                if (engine_extend(w->e, 60, &deadline, &d) >= 0) {
                        w->deadline = deadline;
                        wizard_message(w, false, _("One more minute."));
                } else {
                        _cleanup_free_ char *m = diag_format(&d);
                        wizard_message(w, true, "%s", m);
                }
                diag_done(&d);
                return R_REDRAW;
        }
        return R_NONE;
}

/* Whether the change the hand-off describes is in effect (or would be, in preview). */
static bool handoff_in_effect(const struct wizard *w) {
        return w->plan && (w->preview_only || w->res.outcome == OUTCOME_KEPT || w->res.outcome == OUTCOME_PENDING ||
                           w->res.outcome == OUTCOME_NOTHING);
}

/* The Done screen's lines: the outcome, then the commands (verbatim: scrolled, never wrapped). */
static void done_lines(const struct wizard *w, struct drs_rendered *r) {
        bool user = w->user && w->uplan;

        if (w->preview_only)
                rendered_add(r, STYLE_WARN, xstrdup(_("Preview only: nothing was written. After a real apply, this is "
                                                      "how to use the new endpoint:")));
        else if (w->outcome)
                rendered_add(r, w->res.outcome == OUTCOME_KEPT || w->res.outcome == OUTCOME_PENDING ? STYLE_OK : STYLE_WARN,
                             xstrdup(w->outcome));
        if (user)
                user_done_lines(w, r);
        if (user || !handoff_in_effect(w) || !w->plan->client_lines)
                return;
        rendered_add(r, STYLE_PLAIN, xstrdup(""));
        rendered_add(r, STYLE_HEADING, xstrdup(render_handoff_heading(w->plan)));
        for (size_t i = 0; w->plan->client_lines[i]; i++)
                rendered_add_verbatim(r, STYLE_PLAIN, xasprintf("  %s", w->plan->client_lines[i]));
        if (w->plan->client_dir) {
                rendered_add(r, STYLE_PLAIN, xstrdup(""));
                rendered_add(r, STYLE_PLAIN, xasprintf(_("The client bundle (ca.pem, cert.pem, key.pem) is in %s; %s is "
                                                         "the same as a docker context to import."),
                                                       w->plan->client_dir, w->plan->client_tar));
        }
        rendered_add(r, STYLE_PLAIN, xstrdup(""));
        rendered_add(r, STYLE_DIM, xstrdup(_("These lines are printed again when the wizard closes, to copy them whole.")));
}

void done_draw(struct wizard *w, int top, int height) {
        struct drs_rendered r = {0};
        int t = w->done_view.top, left = w->done_view.left;

        done_lines(w, &r);
        textview_set(&w->done_view, &r);
        w->done_view.top = t;
        w->done_view.left = left;
        textview_draw(&w->done_view, top, height - 1, w->cols);
        if (!w->preview_only && w->user) {
                _cleanup_free_ char *undo = xasprintf(_("Undo later with: %sdocker-remote-setup rollback --user %s"),
                                                      wizard_sudo(w), w->user);
                term_text(top + height - 1, 1, w->cols - 2, C_DIM, undo);
        } else if (!w->preview_only)
                term_text(top + height - 1, 1, w->cols - 2, C_DIM, _("Undo later with: sudo docker-remote-setup rollback"));
}

void done_print(const struct wizard *w, FILE *f) {
        if (w->user && w->uplan) {
                user_done_print(w, f);
                return;
        }
        if (!handoff_in_effect(w) || !w->plan->client_lines)
                return;
        if (w->preview_only)
                fprintf(f, "%s\n", _("Preview only: nothing was written. After a real apply, this is how to use the new "
                                     "endpoint:"));
        fprintf(f, "%s\n", render_handoff_heading(w->plan));
        for (size_t i = 0; w->plan->client_lines[i]; i++)
                fprintf(f, "  %s\n", w->plan->client_lines[i]);
        if (w->plan->client_dir) {
                fputs("  ", f);
                fprintf(f, _("The client bundle (ca.pem, cert.pem, key.pem) is in %s; %s is the same as a docker context "
                             "to import."),
                        w->plan->client_dir, w->plan->client_tar);
                fputc('\n', f);
        }
}

int done_key(struct wizard *w, int key) {
        if (key == TK_ENTER)
                return R_QUIT;
        if (key == TK_ESC && w->preview_only)
                return R_BACK;
        return textview_key(&w->done_view, key, w->rows - 5);
}

bool wizard_tick(struct wizard *w) {
        bool changed = false;

        if (w->tail && w->cur == SCR_JOURNAL && engine_follow_poll(w->tail, tail_line, w) > 0)
                changed = true;
        if (w->deadline && (w->cur == SCR_CONFIRM || w->cur == SCR_JOURNAL)) {
                changed = true;
                /* Past the deadline: the timer reverts; once it has, say so. */
                if (now_realtime_usec() > w->deadline + 1000000u) {
                        struct drs_txn t = {0};
                        if (engine_pending(w->e, &t, NULL) < 0 || !streq_ptr(t.id, w->res.id)) {
                                free(w->outcome);
                                w->outcome = xstrdup(_("Not confirmed in time: the revert timer restored the previous "
                                                       "configuration."));
                                w->res.outcome = OUTCOME_ROLLED_BACK;
                                w->deadline = 0;
                                w->cur = SCR_DONE;
                        }
                        txn_done(&t);
                }
        }
        return changed;
}

void wizard_resolve_interrupted(struct wizard *w, bool complete) {
        struct drs_progress pr = wizard_progress(w);
        struct drs_apply_result res = {0};
        struct drs_diag d = {0};
        int r = complete ? engine_complete(w->e, &pr, &res, &d) : engine_recover(w->e, &pr, &res, &d);

        if (r < 0) {
                _cleanup_free_ char *m = diag_format(&d);
                wizard_message(w, true, "%s", m);
        } else
                wizard_message(w, res.outcome == OUTCOME_KEPT ? false : true,
                               res.outcome == OUTCOME_KEPT ? _("The interrupted change was completed and verified.")
                                                           : _("The interrupted change was rolled back."));
        diag_done(&d);
        apply_result_done(&res);
        txn_done(&w->interrupted);
        (void) engine_reload(w->e, NULL);
        status_enter(w);
}
