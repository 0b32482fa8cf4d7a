/* cmd-apply.c: `apply`: the plan carried out non-interactively, verified, kept, pending or reverted. */
#include <stdio.h>

#include "commands.h"
#include "exitcode.h"
#include "i18n.h"
#include "output.h"
#include "session.h"
#include "util.h"

int cmd_apply(struct drs_args *a) {
        _cleanup_(engine_freep) struct drs_engine *e = NULL;
        _cleanup_(plan_freep) struct drs_plan *p = NULL;
        struct drs_apply_result res = {0};
        struct drs_apply_opts o = {.verify_timeout = a->timeout, .confirm_timeout = a->confirm_timeout};
        struct drs_progress pr;
        struct drs_diag d = {0};
        int r;

        if (!a->yes) {
                print_error(_("apply changes the Docker daemon's configuration: add --yes to go ahead, run \"preview\" "
                              "first to see what it does, or use the wizard"));
                return DRS_EXIT_USAGE;
        }
        if (a->user)
                return cmd_apply_user(a);
        r = session_open_idle(a, &e);
        if (r > 0)
                return r;
        r = engine_plan(e, &a->settings, &p, &d);
        if (r < 0)
                return report_failure(r, &d);
        if (p->blocked && !a->skip_preflight)
                return session_report(a, p, &(struct drs_apply_result) {.outcome = OUTCOME_BLOCKED}, p->host_url);
        if (!a->json) {
                printf(_("Applying %s (%s):\n"), p->host_url, p->mode == MODE_TLS ? "TLS" : _("plain TCP"));
                print_findings(stdout, p, LEVEL_NOTE, output_color());
                if (p->blocked)
                        printf("%s\n", _("  (pre-flight problems ignored: --skip-preflight)"));
        }
        pr = session_progress(a->json, true);
        r = engine_apply(e, p, &a->settings, &o, &pr, &res, &d);
        if (r < 0) {
                apply_result_done(&res);
                return report_failure(r, &d);
        }
        r = session_finish(a, p, &res, &d, p->host_url);
        apply_result_done(&res);
        return r;
}
