/* daemon.c: which Docker daemon the wizard works on (issue 19): root's docker.service or the
 * rootless one of a user, the switch between them, and the rootless daemon's Status. */
#include <errno.h>
#include <string.h>

#include "i18n.h"
#include "util.h"
#include "wizard.h"

const struct drs_iface_list *wizard_ifaces(const struct wizard *w) {
        return w->user ? &w->ifs : engine_ifaces(w->e);
}

const char *wizard_url(const struct wizard *w) {
        return w->plan ? w->plan->host_url : w->uplan && w->host_url ? w->host_url : "?";
}

const char *wizard_listen(const struct wizard *w) {
        return w->plan ? w->plan->listen_text : w->uplan && w->listen_text ? w->listen_text : "?";
}

const char *wizard_sudo(const struct wizard *w) {
        return w->user && w->user_is_me ? "" : "sudo ";
}

/* The engine of that daemon, locked unless preview only. */
static int open_daemon(struct wizard *w, const char *user, bool preview, struct drs_engine **ret,
                       struct drs_diag *d) {
        unsigned holder = 0;
        int r = user ? engine_open_user(w->root, user, false, ret, d) : engine_open(w->root, ret, d);

        if (r < 0 || preview)
                return r;
        r = engine_lock(*ret, 0, &holder);
        if (r >= 0)
                return r;
        if (r == -EBUSY)
                diag_set(d, NULL, 0, _("another docker-remote-setup (PID %u) is running; try again when it has finished"),
                         holder);
        else {
                _cleanup_free_ char *m = engine_lock_failure(r);
                diag_set(d, NULL, 0, "%s", m);
        }
        engine_free(*ret);
        *ret = NULL;
        return r;
}

/* Lets go of the daemon's engine and of what points into it. */
static void release(struct wizard *w) {
        engine_follow_close(w->tail);
        w->tail = NULL;
        if (w->plan) /* it points into the engine's view of the host */
                plan_free(w->plan);
        w->plan = NULL;
        user_plan_free(w->uplan);
        w->uplan = NULL;
        textview_done(&w->journal); /* the other daemon's lines */
        engine_free(w->e);
        w->e = NULL;
}

/* e, the engine of user's daemon (NULL: the system's), becomes the wizard's. */
static void take(struct wizard *w, struct drs_engine *e, const char *user, bool preview) {
        char *u = user ? xstrdup(user) : NULL; /* user may be w->user */

        w->e = e;
        free(w->user);
        w->user = u;
        w->preview_only = preview;
        iface_list_done(&w->ifs);
        if (u)
                (void) engine_interfaces(&w->ifs);
        else if (!w->s.method_set)
                w->method = engine_default_method(e);
        wizard_check_interrupted(w);
        status_enter(w);
        term_repaint_all();
}

bool wizard_switch(struct wizard *w, const char *user) {
        bool preview = user ? w->user_preview : w->system_preview, old_preview = w->preview_only;
        _cleanup_free_ char *old = w->user ? xstrdup(w->user) : NULL;
        struct drs_engine *e = NULL;
        struct drs_diag d = {0};

        /* The store the sys layer uses is the one of the engine opened last, and freeing a user's
         * engine gives root's back. So from a user's daemon the old engine goes first; to one, the
         * new engine is opened first and the old one stays when it cannot be. */
        if (old)
                release(w);
        if (open_daemon(w, user, preview, &e, &d) < 0) {
                _cleanup_free_ char *m = diag_format(&d);
                diag_done(&d);
                if (old) { /* the old one again; preview only if its lock went meanwhile */
                        if (open_daemon(w, old, old_preview, &e, &d) >= 0)
                                take(w, e, old, old_preview);
                        else if (open_daemon(w, old, true, &e, &d) >= 0)
                                take(w, e, old, true);
                        diag_done(&d);
                }
                wizard_message(w, true, "%s", m);
                return false;
        }
        if (!old)
                release(w);
        take(w, e, user, preview);
        if (user && (w->s.tls_dir || w->s.dropin_name || (w->s.method_set && !w->s.method_chosen) || w->allow_given))
                wizard_message(w, false, _("Working on the rootless Docker of %s now; --method, --allow-from, "
                                           "--dropin and --tls-dir are for the system's daemon and are left aside."),
                               user);
        else if (user)
                wizard_message(w, false, _("Working on the rootless Docker of %s now."), user);
        else
                wizard_message(w, false, _("Working on the system's docker.service now."));
        return true;
}

void daemon_rows(struct wizard *w, struct drs_rendered *r) {
        _cleanup_free_ char *v = NULL;

        if (w->user)
                v = xasprintf(_("rootless Docker of %s (%s)"), w->user,
                              w->ust ? w->ust->unit_path : "~/.config/systemd/user/docker.service");
        else
                v = xstrdup(_("system docker.service"));
        status_row(r, STYLE_HEADING, _("Daemon:"), v);
        if (w->choice_user) {
                _cleanup_free_ char *other = w->user ? xstrdup(_("d switches to the system docker.service"))
                                                     : xasprintf(_("u switches to the rootless Docker of %s"),
                                                                 w->choice_user);
                status_row(r, STYLE_PLAIN, _("Other daemon:"), other);
        }
        rendered_add(r, STYLE_PLAIN, xstrdup(""));
}

/* The rootless daemon's unit as its own manager holds it (live), else why not. */
static void user_unit_rows(struct drs_rendered *r, const struct drs_user_status *s) {
        _cleanup_free_ char *state = s->live ? xasprintf("%s (%s)", s->active_state, s->sub_state) : NULL;
        _cleanup_free_ char *listeners = status_join(s->listeners, _("none"));
        _cleanup_free_ char *dropins = status_join(s->dropins, _("none"));

        status_row(r, STYLE_PLAIN, _("docker.service:"),
                   s->live        ? state
                   : s->bus_error ? s->bus_error
                                  : _("not known: the unit files under --root were read, no running system was asked"));
        status_row(r, STYLE_PLAIN, _("ExecStart:"), s->execstart ? s->execstart : _("none found"));
        r->lines[r->n - 1].verbatim = true;
        status_row(r, STYLE_PLAIN, _("API listen on (log):"), listeners);
        status_row(r, STYLE_PLAIN, _("Drop-ins:"), dropins);
        r->lines[r->n - 1].verbatim = true; /* paths under the home: scrolled, not broken */
}

void user_status_enter(struct wizard *w) {
        struct drs_rendered r = {0};
        struct drs_diag d = {0};
        _cleanup_free_ char *pending = NULL, *backups = NULL;

        user_status_free(w->ust);
        w->ust = NULL;
        if (engine_user_status(w->root, w->user, &w->ust, &d) < 0) {
                _cleanup_free_ char *m = diag_format(&d);
                daemon_rows(w, &r);
                status_row(&r, STYLE_BLOCK, _("docker.service:"), m);
                diag_done(&d);
                textview_set(&w->status_view, &r);
                return;
        }
        daemon_rows(w, &r);
        user_unit_rows(&r, w->ust);
        pending = !w->ust->pending        ? xstrdup(_("nothing"))
                  : w->ust->pending_confirm ? xasprintf(_("backup %s awaits confirmation: c Confirm, x Revert now"),
                                                        w->ust->pending)
                                            : xstrdup(_("an interrupted change (see the dialog)"));
        status_row(&r, w->ust->pending ? STYLE_WARN : STYLE_PLAIN, _("Pending:"), pending);
        backups = w->ust->n_backups >= 0 ? xasprintf(_("%ld in %s"), w->ust->n_backups, w->ust->state_dir)
                                         : xstrdup(_("cannot read as this user (run it as root)"));
        status_row(&r, STYLE_PLAIN, _("Backups:"), backups);
        textview_set(&w->status_view, &r);
}
