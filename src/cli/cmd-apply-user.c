/* cmd-apply-user.c: `apply --user NAME`: the drop-in for that user's rootless daemon, through the
 * engine's transaction in the user's own manager. */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "exitcode.h"
#include "i18n.h"
#include "output.h"
#include "session.h"
#include "userplan.h"
#include "util.h"

/* The plan's problems (each one blocks), as preview --user prints them. */
static int refuse(const struct drs_user_plan *p) {
        for (size_t i = 0; p->problems[i]; i++)
                print_error("%s", p->problems[i]);
        print_error(_("nothing was changed"));
        return DRS_EXIT_PRECONDITION;
}

int cmd_apply_user(struct drs_args *a) {
        _cleanup_(engine_freep) struct drs_engine *e = NULL;
        _cleanup_(user_plan_freep) struct drs_user_plan *p = NULL;
        _cleanup_free_ char *what = NULL;
        struct drs_apply_result res = {0};
        struct drs_apply_opts o = {.verify_timeout = a->timeout, .confirm_timeout = a->confirm_timeout};
        struct drs_progress pr;
        struct drs_diag d = {0};
        int r;

        if (a->settings.mode == MODE_TLS) {
                print_error(_("apply --user writes the plain TCP listener only (TLS for a user's daemon is not done "
                              "yet; preview --user --tls shows its drop-in); nothing was changed"));
                return DRS_EXIT_PRECONDITION;
        }
        /* The refusals first: they make nothing, not even the user's state directory. */
        r = engine_user_plan(a->root, a->user, &a->settings, &p, &d);
        if (r < 0)
                return report_failure(r, &d);
        if (p->problems)
                return refuse(p);
        r = session_open(a, &e);
        if (r > 0)
                return r;
        r = session_refuse_pending(e);
        if (r > 0)
                return r;
        /* Again under the lock (and after a recovery): what is written is what is there now. */
        user_plan_free(TAKE_PTR(p));
        r = engine_user_plan(a->root, a->user, &a->settings, &p, &d);
        if (r < 0)
                return report_failure(r, &d);
        if (p->problems)
                return refuse(p);
        _cleanup_free_ char *host = strchr(p->addr, ':') ? xasprintf("[%s]", p->addr) : xstrdup(p->addr);
        what = xasprintf(_("tcp://%s:%u for the rootless Docker of %s"), host, p->port, p->user);
        if (!a->json)
                printf(_("Applying %s (%s):\n"), what, _("plain TCP"));
        pr = session_progress(a->json, true);
        r = engine_user_apply(e, p, &o, &pr, &res, &d);
        if (r < 0) {
                apply_result_done(&res);
                return report_failure(r, &d);
        }
        if (d.message && !a->json) {
                _cleanup_free_ char *m = diag_format(&d);
                print_error("%s", m);
        }
        diag_done(&d);
        r = session_report(a, NULL, &res, what);
        apply_result_done(&res);
        return r;
}
