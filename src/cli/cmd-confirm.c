/* cmd-confirm.c: `confirm`: keeps a change that `apply --confirm-timeout` left pending. */
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>

#include "commands.h"
#include "exitcode.h"
#include "i18n.h"
#include "output.h"
#include "session.h"
#include "util.h"

int cmd_confirm(struct drs_args *a) {
        _cleanup_(engine_freep) struct drs_engine *e = NULL;
        _cleanup_free_ char *id = NULL;
        struct drs_diag d = {0};
        int r = session_open(a, &e);

        if (r > 0)
                return r;
        r = engine_confirm(e, &id, &d);
        if (r == -ENOENT) {
                _cleanup_free_ char *m = diag_format(&d);
                print_error(_("%s (it may have been reverted at its deadline: see \"status\")"), m);
                diag_done(&d);
                return DRS_EXIT_PRECONDITION;
        }
        if (r < 0)
                return report_failure(r, &d);
        if (a->json) {
                struct json_object *o = json_object_new_object();
                json_object_object_add(o, "outcome", json_object_new_string("confirmed"));
                json_object_object_add(o, "backup_id", json_object_new_string(id));
                puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED));
                json_object_put(o);
        } else
                printf(_("Kept: the change (backup %s) is confirmed; its revert timer is stopped.\n"), id);
        if (d.message && !a->json) {
                _cleanup_free_ char *m = diag_format(&d);
                print_error("%s", m);
        }
        diag_done(&d);
        return DRS_EXIT_OK;
}
