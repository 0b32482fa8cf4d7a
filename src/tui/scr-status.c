/* scr-status.c: the Status screen: what is configured and running now. */
#include <string.h>
#include <time.h>

#include "i18n.h"
#include "util.h"
#include "wizard.h"

char *status_join(char *const *v, const char *none) {
        struct drs_buf b = {0};
        for (size_t i = 0; v && v[i]; i++)
                buf_appendf(&b, "%s%s", i ? ", " : "", v[i]);
        return b.data ? buf_steal(&b) : xstrdup(none);
}

void status_row(struct drs_rendered *r, enum drs_style s, const char *label, const char *value) {
        struct drs_buf b = {0};
        buf_append_padded(&b, label, 22);
        buf_appendf(&b, " %s", value);
        rendered_add(r, s, buf_steal(&b));
}

/* A command line: shown whole, scrolled sideways, never wrapped. */
static void row_verbatim(struct drs_rendered *r, enum drs_style s, const char *label, const char *value) {
        status_row(r, s, label, value);
        r->lines[r->n - 1].verbatim = true;
}

void status_enter(struct wizard *w) {
        struct drs_rendered r = {0};
        struct drs_status *s = &w->st;
        _cleanup_free_ char *listeners = NULL, *dropins = NULL, *journal = NULL, *backups = NULL;
        char buf[64];

        status_done(s);
        if (w->user) {
                user_status_enter(w);
                return;
        }
        engine_status(w->e, settings_tls_dir(&w->s), s);
        daemon_rows(w, &r);
        listeners = status_join(s->listeners, _("none"));
        dropins = status_join(s->dropins, _("none"));
        status_row(&r, STYLE_PLAIN, _("docker.service:"),
            s->live                ? (s->active_state ? s->active_state : "?")
            : engine_is_live(w->e)      ? _("not known: systemd is not running here, so its unit files were read")
                                   : _("not known: the unit files under --root were read, no running system was asked"));
        row_verbatim(&r, STYLE_PLAIN, _("ExecStart:"), s->execstart ? s->execstart : _("none found"));
        status_row(&r, s->listeners && s->listeners[0] ? STYLE_WARN : STYLE_PLAIN, _("TCP listeners:"), listeners);
        if (s->journal_listeners) {
                journal = status_join(s->journal_listeners, _("none"));
                status_row(&r, STYLE_PLAIN, _("API listen on (log):"), journal);
        }
        if (s->method) {
                status_row(&r, STYLE_PLAIN, _("Method:"), s->method);
                status_row(&r, s->survives_late_address ? STYLE_PLAIN : STYLE_WARN, _("Late address at boot:"),
                    s->late_address_text);
        }
        if (strv_length(s->allow_from) > 0) {
                _cleanup_free_ char *list = status_join(s->allow_from, _("none"));
                _cleanup_free_ char *v = xasprintf("%s (%s)", list,
                                                   s->allow_enforced > 0    ? _("enforced by systemd on docker.socket")
                                                   : s->allow_enforced == 0 ? _("WARNING: NOT enforced: systemd has no BPF firewall here")
                                                                            : _("whether systemd enforces it is not known here"));
                status_row(&r, s->allow_enforced == 0 ? STYLE_WARN : STYLE_PLAIN, _("Allowed from:"), v);
        }
        for (size_t i = 0; s->dynamic && s->dynamic[i]; i++)
                status_row(&r, STYLE_WARN, _("Dynamic address:"), s->dynamic[i]);
        if (s->override_frozen)
                status_row(&r, STYLE_WARN, _("ExecStart override:"), s->override_path);
        status_row(&r, STYLE_PLAIN, _("Drop-ins:"), dropins);
        status_row(&r, STYLE_PLAIN, _("DOCKER_OPTS:"), s->docker_opts ? s->docker_opts : _("not set"));
        if (s->json_hosts) {
                _cleanup_free_ char *h = status_join(s->json_hosts, "[]");
                status_row(&r, STYLE_WARN, _("daemon.json hosts:"), h);
        }
        status_row(&r, STYLE_PLAIN, _("docker.socket:"), s->socket_unit ? _("present") : _("missing"));
        status_row(&r, s->dockerd ? STYLE_PLAIN : STYLE_BLOCK, _("dockerd:"), s->dockerd ? s->dockerd : _("not found"));
        if (s->tls_present) {
                long days = (long) ((s->tls_expiry - time(NULL)) / 86400);
                struct tm tm;
                _cleanup_free_ char *v = NULL;
                gmtime_r(&s->tls_expiry, &tm);
                strftime(buf, sizeof(buf), "%Y-%m-%d", &tm);
                v = days < 30 ? xasprintf(_("the server certificate expires on %s, in %ld days: renew it"), buf, days)
                              : xasprintf(_("server certificate valid until %s (%ld days)"), buf, days);
                status_row(&r, days < 30 ? STYLE_WARN : STYLE_PLAIN, _("TLS:"), v);
        } else
                status_row(&r, STYLE_PLAIN, _("TLS:"), _("no material"));
        if (s->pending.id && s->pending.phase == PHASE_PENDING) {
                _cleanup_free_ char *v = xasprintf(_("backup %s awaits confirmation: c Confirm, x Revert now"),
                                                   s->pending.id);
                status_row(&r, STYLE_WARN, _("Pending:"), v);
        } else
                status_row(&r, s->pending_error ? STYLE_WARN : STYLE_PLAIN, _("Pending:"),
                    s->pending.id        ? _("an interrupted change (see the dialog)")
                    : s->pending_eacces  ? _("cannot read as this user (run it as root)")
                    : s->pending_error   ? _("the transaction record cannot be read: see recover --discard")
                                         : _("nothing"));
        size_t n = strv_length(s->backups);
        backups = s->backups_eacces ? xstrdup(_("cannot read as this user (run it as root)"))
                  : n ? xasprintf(_("%zu; the latest: %s, %s"), n, s->last.summary ? s->last.summary : "?",
                                  s->last.result ? s->last.result : _("in flight"))
                      : xstrdup(_("none"));
        status_row(&r, STYLE_PLAIN, _("Backups:"), backups);
        textview_set(&w->status_view, &r);
}

void status_draw(struct wizard *w, int top, int height) {
        textview_draw(&w->status_view, top, height, w->cols);
}

int status_key(struct wizard *w, int key) {
        struct drs_diag d = {0};
        struct drs_apply_result res = {0};
        struct drs_progress pr = wizard_progress(w);

        const char *pending = w->user ? (w->ust && w->ust->pending_confirm ? w->ust->pending : NULL)
                              : w->st.pending.id && w->st.pending.phase == PHASE_PENDING ? w->st.pending.id
                                                                                          : NULL;

        switch (key) {
        case TK_ENTER:
                return R_NEXT;
        case 'r':
                w->go = SCR_ROLLBACK;
                return R_GOTO;
        case 'u':
        case 'd':
                if (!w->choice_user || !w->user == (key == 'd'))
                        return R_NONE;
                (void) wizard_switch(w, key == 'u' ? w->choice_user : NULL);
                return R_REDRAW;
        case 'c':
        case 'x':
                if (!pending)
                        return R_NONE;
                if (w->preview_only) {
                        wizard_message(w, true, "%s",
                                       w->user ? _("Preview only: run without --preview to confirm or revert.")
                                               : _("Preview only: run as root to confirm or revert."));
                        return R_REDRAW;
                }
                if (key == 'c' ? engine_confirm(w->e, NULL, &d) : engine_revert(w->e, pending,
                                                                                 "reverted from the wizard", 60, &pr, &res, &d)) {
                        _cleanup_free_ char *m = diag_format(&d);
                        wizard_message(w, true, "%s", m);
                } else
                        wizard_message(w, false, key == 'c' ? _("The change is kept.") : _("The change was reverted."));
                diag_done(&d);
                apply_result_done(&res);
                (void) engine_reload(w->e, NULL);
                status_enter(w);
                return R_REDRAW;
        default:
                return textview_key(&w->status_view, key, w->rows - 4);
        }
}
