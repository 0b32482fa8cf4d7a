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

/* How a client reaches the daemon; in TLS mode with the bundle in tls_dir/client. */
static void print_user_client(const struct drs_user_plan *p, const char *host) {
        printf("\n%s\n", _("Docker clients use it with:"));
        if (p->mode == MODE_TLS)
                printf("  DOCKER_HOST=tcp://%s:%u DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH=%s/client docker version\n", host,
                       p->port, p->tls_dir);
        else
                printf("  DOCKER_HOST=tcp://%s:%u docker version\n", host, p->port);
}

int cmd_apply_user(struct drs_args *a) {
        _cleanup_(engine_freep) struct drs_engine *e = NULL;
        _cleanup_(user_plan_freep) struct drs_user_plan *p = NULL;
        _cleanup_free_ char *what = NULL, *host = NULL;
        struct drs_apply_result res = {0};
        struct drs_apply_opts o = {.verify_timeout = a->timeout, .confirm_timeout = a->confirm_timeout};
        struct drs_progress pr;
        struct drs_diag d = {0};
        int r;

        /* The refusals first: they make nothing, not even the user's state directory. */
        r = engine_user_plan(a->root, a->user, &a->settings, &p, &d);
        if (r < 0)
                return report_failure(r, &d);
        if (p->problems)
                return refuse(p);
        r = session_open_idle(a, &e);
        if (r > 0)
                return r;
        /* Again under the lock (and after a recovery): what is written is what is there now. */
        user_plan_free(TAKE_PTR(p));
        r = engine_user_plan(a->root, a->user, &a->settings, &p, &d);
        if (r < 0)
                return report_failure(r, &d);
        if (p->problems)
                return refuse(p);
        host = strchr(p->addr, ':') ? xasprintf("[%s]", p->addr) : xstrdup(p->addr);
        what = xasprintf(_("tcp://%s:%u for the rootless Docker of %s"), host, p->port, p->user);
        if (!a->json)
                printf(_("Applying %s (%s):\n"), what, p->mode == MODE_TLS ? "TLS" : _("plain TCP"));
        pr = session_progress(a->json, true);
        r = engine_user_apply(e, p, &a->settings, &o, &pr, &res, &d);
        if (r < 0) {
                apply_result_done(&res);
                return report_failure(r, &d);
        }
        r = session_finish(a, NULL, &res, &d, what);
        if (!a->json && (res.outcome == OUTCOME_KEPT || res.outcome == OUTCOME_PENDING || res.outcome == OUTCOME_WRITTEN ||
                         res.outcome == OUTCOME_NOTHING))
                print_user_client(p, host);
        apply_result_done(&res);
        return r;
}
