/* cmd-recover.c: `recover`: reverts a change left behind (boot unit, or by hand after a crash). */
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "exitcode.h"
#include "i18n.h"
#include "output.h"
#include "session.h"
#include "util.h"

#define LOCK_WAIT 120

/* --discard: the record goes aside as it is; nothing is reverted. */
static int discard(struct drs_engine *e, bool json) {
        _cleanup_free_ char *path = NULL;
        struct drs_diag d = {0};
        int r = engine_discard(e, &path, &d);

        if (r < 0)
                return report_failure(r, &d);
        if (json) {
                struct json_object *o = json_object_new_object();
                json_object_object_add(o, "outcome", json_object_new_string("discarded"));
                json_object_object_add(o, "moved_to", json_object_new_string(path));
                puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
                                                               JSON_C_TO_STRING_NOSLASHESCAPE));
                json_object_put(o);
        } else
                printf(_("The transaction record was set aside as %s; nothing was reverted. Check the configuration "
                         "files (status, rollback --list) before the next apply.\n"),
                       path);
        return DRS_EXIT_OK;
}

int cmd_recover(struct drs_args *a) {
        _cleanup_(engine_freep) struct drs_engine *e = NULL;
        struct drs_apply_result res = {0};
        struct drs_progress pr = session_progress(a->json, false);
        struct drs_diag d = {0};
        int r;

        if (!a->user && !a->root && geteuid() != 0) {
                print_error(_("\"%s\" changes the Docker daemon's configuration and needs root: sudo %s %s …"),
                            a->command->name, PACKAGE, a->command->name);
                return DRS_EXIT_NOT_ROOT;
        }
        r = session_open_state(a, true, &e);
        if (r > 0)
                return r;
        r = engine_lock(e, LOCK_WAIT, NULL);
        if (r < 0) {
                _cleanup_free_ char *m = engine_lock_failure(r);
                print_error("%s", m);
                return DRS_EXIT_BUSY;
        }
        if (a->discard)
                return discard(e, a->json);
        /* A change whose revert timer still runs is not ours to touch: its deadline decides. */
        r = engine_recover(e, &pr, &res, &d);
        if (r < 0) {
                _cleanup_free_ char *m = diag_format(&d);
                print_error(_("the change left behind (backup %s) could not be reverted: %s"), res.id ? res.id : "?", m);
                if (r == -EBADMSG || r == -ENOENT)
                        print_error(_("if its record or backup cannot be repaired, \"%s recover --discard\" sets the "
                                      "record aside (nothing is reverted then: check the files yourself)"),
                                    PACKAGE);
                diag_done(&d);
                apply_result_done(&res);
                return DRS_EXIT_REVERT_FAILED;
        }
        if (a->json) {
                struct json_object *o = json_object_new_object();
                json_object_object_add(o, "outcome", json_object_new_string(r > 0 ? "reverted" : "nothing"));
                json_object_object_add(o, "backup_id", res.id ? json_object_new_string(res.id) : NULL);
                puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED));
                json_object_put(o);
        } else if (r > 0)
                printf(_("Reverted the change left behind (backup %s).\n"), res.id);
        else
                printf("%s\n", _("Nothing to recover: no change was left behind."));
        apply_result_done(&res);
        return r > 0 ? DRS_EXIT_OK : DRS_EXIT_NOTHING;
}
