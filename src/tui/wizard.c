/* wizard.c: the wizard's loop: one screen at a time, keys to reactions, the frame around it. */
#include "wizard.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "exitcode.h"
#include "history.h"
#include "i18n.h"
#include "util.h"

#define MIN_ROWS 24
#define MIN_COLS 80
#define TICK_MS 250

const struct screen screens[_SCR_MAX] = {
        /* TRANSLATORS: screen titles under 20 columns. Key bars under 78, key names (F1, Enter, Esc, q…) kept. */
        [SCR_STATUS] = {N_("Status"), N_("F1 Help  Enter Set up a listener  Left/Right Scroll  r Rollback  q Quit"),
                        N_("What docker.service runs now: its ExecStart and TCP listeners, the drop-ins, DOCKER_OPTS, "
                           "daemon.json hosts, docker.socket, the TLS certificate, a change awaiting confirmation "
                           "and the backups. Enter starts the setup; r opens the history of changes to roll back."),
                        status_enter, status_draw, status_key},
        [SCR_IFACE] = {N_("Interface"), N_("F1 Help  Up/Down Select  a Container NICs  Enter Next  Esc Back  q Quit"),
                       N_("Choose the address dockerd listens on. A private interface without the default route "
                          "is preselected: a management network. Public addresses and 0.0.0.0 are shown in red "
                          "and need TLS and a typed confirmation. Link-local addresses are not offered. 'a' shows "
                          "the container interfaces (veth*, docker0, br-*)."),
                       iface_enter, iface_draw, iface_key},
        [SCR_PORT] = {N_("Port & security"), N_("F1 Help  Tab Field  Left/Right Choose  Enter Next  Esc Back  q Quit"),
                      N_("TLS with client certificates (port 2376) is the default: only holders of a certificate "
                         "from this host's CA get in. Plain TCP (port 2375) gives root on this host to anyone who "
                         "can reach the port; it is offered only on loopback, private, CGNAT and ULA addresses and "
                         "only after you type the word shown. The port is test-bound on the address as you type. "
                         "Who may connect (socket method): only the interface's own network is suggested, enforced "
                         "by systemd on docker.socket (--allow-from); any address that can reach the port is the "
                         "other choice, in plain mode only with the word typed."),
                      port_enter, port_draw, port_key},
        [SCR_PREFLIGHT] = {N_("Pre-flight"), N_("F1 Help  Up/Down Scroll  Enter Next  Esc Back  q Quit"),
                           N_("What was found and what will be done about it: daemon.json hosts, later drop-ins, "
                              "-H fd:// without docker.socket, a missing dockerd, a taken port. BLOCK items must be "
                              "resolved before going on."),
                           preflight_enter, preflight_draw, preflight_key},
        [SCR_PREVIEW] = {N_("Preview"), N_("F1 Help  Arrows/PgUp/PgDn Scroll  d Compare  Enter Next  Esc Back  q Quit"),
                         N_("Every file to be written with its diff against the current one. Long lines are not "
                            "wrapped: Left/Right scrolls them sideways (< and > mark where a line goes on). The "
                            "other method (DOCKER_OPTS or the systemd drop-in) is folded into one line; d shows "
                            "what it would write, for comparison."),
                         NULL, preview_draw, preview_key},
        [SCR_APPLY] = {N_("Apply"), N_("F1 Help  Enter Apply / Next  Esc Back  q Quit"),
                       N_("Backs up the files, writes the new ones, arms a systemd timer that reverts the change "
                          "if it is not confirmed, reloads systemd, restarts docker.service, waits for its "
                          "\"API listen on\" line and asks /_ping over the new endpoint. If anything fails the "
                          "old files are restored at once."),
                       NULL, apply_draw, apply_key},
        [SCR_JOURNAL] = {N_("Journal"), N_("F1 Help  Up/Down/PgUp/PgDn Scroll  End Follow  Enter Next  q Quit"),
                         N_("The log of this invocation of docker.service, following new lines. \"API listen on\" "
                            "lines are highlighted."),
                         journal_enter, journal_draw, journal_key},
        [SCR_CONFIRM] = {N_("Confirm"), N_("F1 Help  Enter Keep  Esc Revert now  + One more minute"),
                         N_("Keep the change before the countdown ends, or it is reverted — by a systemd timer, so "
                            "also when this terminal or the SSH session is gone. Check the new endpoint from your "
                            "workstation first if you can."),
                         NULL, confirm_draw, confirm_key},
        [SCR_DONE] = {N_("Done"), N_("F1 Help  Up/Down/Left/Right Scroll  Enter/q Quit"),
                      N_("How to use the new endpoint from your workstation: client.tar is a docker context, "
                         "imported with one command; or DOCKER_HOST, or a docker context made by hand from the "
                         "client certificate bundle. Left/Right scrolls the long commands; they are printed again "
                         "when the wizard closes."),
                      NULL, done_draw, done_key},
        [SCR_ROLLBACK] = {N_("Rollback"), N_("F1 Help  Up/Down Select  Enter Show/Restore  Esc Back  q Quit"),
                          N_("Every change made by this tool, newest first, with how it ended. Enter shows the "
                             "files of that backup against what is there now; Enter again restores them, then "
                             "docker.service is restarted and its old listeners verified."),
                          rollback_enter, rollback_draw, rollback_key},
};

static const enum scr next_of[_SCR_MAX] = {
        [SCR_STATUS] = SCR_IFACE,    [SCR_IFACE] = SCR_PORT,      [SCR_PORT] = SCR_PREFLIGHT,
        [SCR_PREFLIGHT] = SCR_PREVIEW, [SCR_PREVIEW] = SCR_APPLY, [SCR_APPLY] = SCR_JOURNAL,
        [SCR_JOURNAL] = SCR_CONFIRM, [SCR_CONFIRM] = SCR_DONE,    [SCR_DONE] = SCR_DONE,
        [SCR_ROLLBACK] = SCR_STATUS,
};

static const enum scr back_of[_SCR_MAX] = {
        [SCR_STATUS] = SCR_STATUS,   [SCR_IFACE] = SCR_STATUS,      [SCR_PORT] = SCR_IFACE,
        [SCR_PREFLIGHT] = SCR_PORT,  [SCR_PREVIEW] = SCR_PREFLIGHT, [SCR_APPLY] = SCR_PREVIEW,
        [SCR_JOURNAL] = SCR_JOURNAL, [SCR_CONFIRM] = SCR_CONFIRM,   [SCR_DONE] = SCR_DONE,
        [SCR_ROLLBACK] = SCR_STATUS,
};

/* Text cut at the edge is text nobody can read: DRS_TRACE shows where (tests/tui/screens.sh). */
void term_on_cut(const char *text, int width) {
        engine_trace("term: cut at %d columns: %s", width, text);
}

/* In preview mode nothing runs after Preview: Esc walks back through what would happen. */
static const enum scr preview_back_of[_SCR_MAX] = {
        [SCR_JOURNAL] = SCR_APPLY, [SCR_CONFIRM] = SCR_JOURNAL, [SCR_DONE] = SCR_CONFIRM,
};

/* F1's text: a user's rootless daemon has no method, allow-list, DOCKER_OPTS or client.tar. */
static const char *help_of(const struct wizard *w) {
        if (!w->user)
                return _(screens[w->cur].help);
        switch (w->cur) {
        case SCR_STATUS:
                return _("What the user's rootless docker.service runs now, as its own manager holds it: its state, "
                         "ExecStart, the \"API listen on\" lines of its current run, its drop-ins, a change awaiting "
                         "confirmation and the backups in the user's ~/.local/state/docker-remote-setup. Enter starts "
                         "the setup; r opens the history of changes to roll back.");
        case SCR_PORT:
                return _("TLS with client certificates (port 2376) is the default: only holders of a certificate from "
                         "the user's own CA get in. Plain TCP (port 2375) gives anyone who can reach the port the "
                         "user's account (its containers can mount the user's files); it is offered only on loopback, "
                         "private, CGNAT and ULA addresses and only after you type the word shown. rootlesskit "
                         "publishes the port on the host; ports below net.ipv4.ip_unprivileged_port_start are "
                         "refused.");
        case SCR_PREVIEW:
                return _("What rootlesskit and dockerd will do, the TLS material, and the user's drop-in (and "
                         "daemon.json when it changes). Long lines are not wrapped: Left/Right scrolls them sideways "
                         "(< and > mark where a line goes on).");
        case SCR_DONE:
                return _("How to use the new endpoint from your workstation: DOCKER_HOST, and with TLS the client "
                         "bundle in the user's ~/.config/docker-remote-setup/tls/client as DOCKER_CERT_PATH. "
                         "Left/Right scrolls the long commands; they are printed again when the wizard closes.");
        default:
                return _(screens[w->cur].help);
        }
}

/* The key bar: in preview mode the screens after Preview only show, they do not apply. */
static const char *hints_of(const struct wizard *w) {
        if (w->cur == SCR_PREVIEW && w->user) /* nothing to compare: one method */
                return _("F1 Help  Arrows/PgUp/PgDn Scroll  Enter Next  Esc Back  q Quit");
        if (w->cur == SCR_STATUS && w->choice_user)
                return _("F1 Help  Enter Set up  Left/Right Scroll  u/d Daemon  r Rollback  q Quit");
        if (w->preview_only && w->cur >= SCR_APPLY && w->cur <= SCR_CONFIRM)
                return _("F1 Help  Enter Next  Esc Back  q Quit");
        if (w->preview_only && w->cur == SCR_DONE)
                return _("F1 Help  Up/Down/Left/Right Scroll  Enter/q Quit  Esc Back");
        return _(screens[w->cur].hints);
}

void wizard_message(struct wizard *w, bool error, const char *fmt, ...) {
        va_list ap;
        struct drs_buf b = {0};

        free(w->msg);
        w->msg = NULL;
        if (!fmt)
                return;
        va_start(ap, fmt);
        buf_vappendf(&b, fmt, ap);
        va_end(ap);
        w->msg = buf_steal(&b);
        w->msg_error = error;
}

static void draw_too_small(struct wizard *w) {
        _cleanup_free_ char *m = xasprintf(_("Please enlarge the terminal to at least %dx%d (it is %dx%d now)."),
                                           MIN_COLS, MIN_ROWS, w->cols, w->rows);
        int n;

        term_clear();
        n = wizard_paragraph(w->rows / 2 - 1, 1, w->cols - 2, C_NORMAL, m);
        if (w->rows / 2 + n < w->rows)
                term_text(w->rows / 2 + n, 1, w->cols - 2, C_DIM, _("q quits"));
}

static void draw_dialog(struct wizard *w, const char *title, const char *body, const char *keys) {
        _cleanup_strv_free_ char **paras = strv_split_lines(body), **lines = xcalloc(1, sizeof(char *));
        int width = 68, h, y, x = (w->cols - width) / 2;

        for (size_t i = 0; paras[i]; i++) {
                _cleanup_strv_free_ char **wrapped = utf8_wrap(paras[i], (size_t) width - 4, 0);
                for (size_t k = 0; wrapped[k]; k++)
                        strv_push(&lines, wrapped[k]);
        }
        h = (int) strv_length(lines) + 4;
        y = (w->rows - h) / 2;
        /* A frame, and a blank column around it: nothing behind shows through. */
        for (int i = -1; i <= h; i++)
                term_line(y + i, x - 2, width + 4, C_NORMAL, "");
        for (int i = 0; i < h; i++)
                term_line(y + i, x, width, C_SELECTED, "");
        for (int i = 0; i < h; i++) {
                term_text(y + i, x - 1, 1, C_NORMAL, term_utf8() ? "│" : "|");
                term_text(y + i, x + width, 1, C_NORMAL, term_utf8() ? "│" : "|");
        }
        term_text(y, x + 2, width - 4, C_SELECTED, title);
        for (size_t i = 0; lines[i]; i++)
                term_text(y + 2 + (int) i, x + 2, width - 4, C_SELECTED, lines[i]);
        term_text(y + h - 1, x + 2, width - 4, C_SELECTED, keys);
}

static char *hhmmss(uint64_t usec) {
        char buf[16];
        time_t t = (time_t) (usec / 1000000u);
        struct tm tm;
        localtime_r(&t, &tm);
        strftime(buf, sizeof(buf), "%H:%M:%S", &tm);
        return xstrdup(buf);
}

void wizard_draw(struct wizard *w) {
        _cleanup_free_ char *title = NULL;
        const char *mode = w->preview_only ? _("[preview only: nothing is written]")
                           : w->user       ? _("[rootless: changes apply]")
                                           : _("[root: changes apply]");
        int step = w->cur == SCR_ROLLBACK ? 0 : (int) w->cur + 1;

        term_size(&w->rows, &w->cols);
        if (w->rows < MIN_ROWS || w->cols < MIN_COLS) {
                draw_too_small(w);
                term_refresh();
                return;
        }
        term_clear();
        title = step ? xasprintf(" docker-remote-setup  %d/9 %s", step, _(screens[w->cur].title))
                     : xasprintf(" docker-remote-setup  %s", _(screens[w->cur].title));
        term_line(0, 0, w->cols, C_TITLE, title);
        term_text(0, w->cols - 1 - (int) utf8_width(mode), (int) utf8_width(mode), C_TITLE, mode);
        screens[w->cur].draw(w, 2, w->rows - 4);
        if (w->msg) {
                /* Whole, above the key bar: a long message takes the rows above it. */
                _cleanup_strv_free_ char **lines = utf8_wrap(w->msg, (size_t) w->cols - 1, 2);
                int n = (int) strv_length(lines);
                for (int i = 0; i < n; i++)
                        term_line(w->rows - 1 - n + i, 0, w->cols, w->msg_error ? C_ERROR : C_OK, lines[i]);
        }
        term_line(w->rows - 1, 0, w->cols, C_KEY, hints_of(w));

        if (w->help) {
                _cleanup_free_ char *choice =
                        w->cur == SCR_STATUS && w->choice_user
                                ? xasprintf(_("u works on the rootless Docker of %s, d on the system's docker.service; "
                                              "the screens after this one are for that daemon."),
                                            w->choice_user)
                                : NULL;
                _cleanup_free_ char *body = xasprintf("%s%s%s\n\n%s", help_of(w), choice ? "\n\n" : "",
                                                      choice ? choice : "",
                                                      _("Keys: arrows, Tab, Enter, Esc; F1 help; q quit."));
                draw_dialog(w, _("Help"), body, _("Any key closes this help."));
        } else if (w->dialog == DIALOG_QUIT) {
                _cleanup_free_ char *when = hhmmss(w->deadline);
                _cleanup_free_ char *body = xasprintf(_("A change awaits confirmation. If you quit now, the revert\n"
                                                        "timer undoes it at %s.\n\nQuit anyway?"),
                                                      when);
                draw_dialog(w, _("Quit?"), body, _("y Quit (the timer reverts)   n Stay"));
        } else if (w->dialog == DIALOG_INTERRUPTED) {
                _cleanup_free_ char *body = xasprintf(
                        _("An interrupted change was found (backup %s, stopped while %s).\n"
                          "Roll back restores the files from before it; Complete\n"
                          "restarts docker.service and verifies the new listener."),
                        w->interrupted.id, phase_to_string(w->interrupted.phase));
                draw_dialog(w, _("Interrupted change"), body,
                            w->preview_only ? _("Preview only: run as root to repair it.   Esc Close")
                                            : _("r Roll back   c Complete   Esc Later"));
        } else if (w->dialog == DIALOG_RESTORE && w->rb_sel < (int) w->n_sets) {
                _cleanup_free_ char *body = xasprintf(_("Restore the files as they were before %s\n(%s),\n"
                                                        "then restart docker.service and verify?"),
                                                      w->sets[w->rb_sel].id, w->sets[w->rb_sel].summary);
                draw_dialog(w, _("Restore?"), body, _("y Restore   n Cancel"));
        }
        term_refresh();
        engine_trace("wizard: drawn %s", screens[w->cur].title);
}

static bool change_pending(struct wizard *w) {
        return w->res.outcome == OUTCOME_PENDING && w->applied && w->deadline > 0 && !w->outcome;
}

static int dialog_key(struct wizard *w, int key) {
        switch (w->dialog) {
        case DIALOG_QUIT:
                w->dialog = DIALOG_NONE;
                return key == 'y' || key == 'Y' ? R_QUIT : R_REDRAW;
        case DIALOG_INTERRUPTED:
                if (key == TK_ESC || key == 'q' || w->preview_only) {
                        w->dialog = DIALOG_NONE;
                        return R_REDRAW;
                }
                if (key == 'r' || key == 'c') {
                        w->dialog = DIALOG_NONE;
                        wizard_resolve_interrupted(w, key == 'c');
                }
                return R_REDRAW;
        case DIALOG_RESTORE:
                w->dialog = DIALOG_NONE;
                if (key == 'y' || key == 'Y')
                        rollback_restore(w);
                return R_REDRAW;
        default:
                return R_NONE;
        }
}

static int global_key(struct wizard *w, int key) {
        if (w->help) {
                w->help = false;
                return R_REDRAW;
        }
        if (w->dialog != DIALOG_NONE)
                return dialog_key(w, key);
        if (key == TK_RESIZE)
                return R_REDRAW;
        if (w->rows < MIN_ROWS || w->cols < MIN_COLS)
                return key == 'q' ? R_QUIT : R_NONE;
        if (key == TK_F1) {
                w->help = true;
                return R_REDRAW;
        }
        if (key == 'q' && w->cur != SCR_PORT) {
                if (change_pending(w)) {
                        w->dialog = DIALOG_QUIT;
                        return R_REDRAW;
                }
                return R_QUIT;
        }
        return screens[w->cur].key(w, key);
}

void wizard_check_interrupted(struct wizard *w) {
        txn_done(&w->interrupted);
        if (engine_pending(w->e, &w->interrupted, NULL) >= 0 &&
            !(w->interrupted.phase == PHASE_PENDING && engine_txn_alive(w->e, &w->interrupted) > 0))
                w->dialog = DIALOG_INTERRUPTED;
        else
                txn_done(&w->interrupted);
}

static void enter(struct wizard *w, enum scr s) {
        w->cur = s;
        wizard_message(w, false, NULL);
        if (screens[s].enter)
                screens[s].enter(w);
}

static void wizard_free(struct wizard *w) {
        engine_follow_close(w->tail);
        w->tail = NULL;
        if (w->e)
                engine_free(w->e);
        free(w->user);
        free(w->choice_user);
        user_status_free(w->ust);
        user_plan_free(w->uplan);
        iface_list_done(&w->ifs);
        free(w->host_url);
        free(w->listen_text);
        settings_done(&w->s);
        free(w->msg);
        status_done(&w->st);
        textview_done(&w->status_view);
        txn_done(&w->interrupted);
        choices_done(&w->ch);
        free(w->port_check);
        free(w->allow_suggest);
        strv_free(w->allow_given);
        if (w->plan)
                plan_free(w->plan);
        textview_done(&w->findings);
        textview_done(&w->preview);
        for (int i = 0; i < _STEP_MAX; i++)
                free(w->step_detail[i]);
        apply_result_done(&w->res);
        textview_done(&w->journal);
        free(w->outcome);
        textview_done(&w->done_view);
        history_free(w->sets, w->n_sets);
        textview_done(&w->rb_view);
}

/* After the wizard: the change awaiting confirmation, and the command that keeps it. */
static void say_pending(const struct wizard *w) {
        _cleanup_free_ char *when = hhmmss(w->deadline);
        if (w->user)
                printf(_("The change (backup %s) awaits confirmation: it is reverted at %s unless you run\n"
                         "  %sdocker-remote-setup confirm --user %s\n"),
                       w->res.id, when, wizard_sudo(w), w->user);
        else
                printf(_("The change (backup %s) awaits confirmation: it is reverted at %s unless you run\n"
                         "  sudo docker-remote-setup confirm\n"),
                       w->res.id, when);
}

int wizard_run(struct drs_engine *e, const struct drs_settings *s, const struct wizard_start *o) {
        struct wizard w = {.e = e, .preview_only = o->user ? o->user_preview : o->system_preview,
                           .confirm_timeout = o->confirm_timeout, .verify_timeout = o->verify_timeout, .mode = s->mode,
                           .method = s->method, .root = o->root, .system_preview = o->system_preview,
                           .user_preview = o->user_preview, .user_is_me = o->user_is_me};
        enum scr start = o->start;
        int code = DRS_EXIT_OK;

        w.s = *s;
        if (!s->method_set)
                w.method = engine_default_method(e);
        w.s.iface = s->iface ? xstrdup(s->iface) : NULL;
        w.s.address = s->address ? xstrdup(s->address) : NULL;
        w.s.dropin_name = s->dropin_name ? xstrdup(s->dropin_name) : NULL;
        w.s.tls_dir = s->tls_dir ? xstrdup(s->tls_dir) : NULL;
        w.s.allow_from = s->allow_from ? strv_copy(s->allow_from) : NULL;
        w.allow_given = s->allow_from ? strv_copy(s->allow_from) : NULL;
        w.s.ssh_client = s->ssh_client ? xstrdup(s->ssh_client) : NULL;
        w.user = o->user ? xstrdup(o->user) : NULL;
        w.choice_user = o->choice_user ? xstrdup(o->choice_user) : NULL;
        if (w.user)
                (void) engine_interfaces(&w.ifs);
        term_start();
        wizard_check_interrupted(&w);
        enter(&w, start);
        wizard_draw(&w);
        for (;;) {
                int key = term_key(TICK_MS), r;
                if (key == TK_NONE) {
                        if (wizard_tick(&w))
                                wizard_draw(&w);
                        continue;
                }
                engine_trace("wizard: key %d", key);
                r = global_key(&w, key);
                if ((r & R_QUIT) || !w.e) /* !e: no daemon could be opened again (wizard_switch) */
                        break;
                if (r & R_GOTO)
                        enter(&w, w.go);
                else if (r & R_NEXT)
                        enter(&w, next_of[w.cur]);
                else if (r & R_BACK)
                        enter(&w, w.preview_only && preview_back_of[w.cur] ? preview_back_of[w.cur] : back_of[w.cur]);
                if (r)
                        wizard_draw(&w);
        }
        term_stop();
        if (!w.e) {
                fprintf(stderr, "%s: %s\n", PACKAGE, w.msg ? w.msg : "");
                wizard_free(&w);
                return DRS_EXIT_FAILURE;
        }
        if (w.cur == SCR_DONE)
                done_print(&w, stdout);
        if (w.res.outcome == OUTCOME_ROLLED_BACK)
                code = DRS_EXIT_ROLLED_BACK;
        else if (w.res.outcome == OUTCOME_REVERT_FAILED)
                code = DRS_EXIT_REVERT_FAILED;
        if (change_pending(&w))
                say_pending(&w);
        wizard_free(&w);
        return code;
}
