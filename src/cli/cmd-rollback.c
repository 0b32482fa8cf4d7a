/* cmd-rollback.c: `rollback`: list backup sets, restore one, or (from the revert timer) undo a change. */
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "exitcode.h"
#include "history.h"
#include "i18n.h"
#include "output.h"
#include "session.h"
#include "util.h"

#define AUTO_LOCK_WAIT 120 /* seconds the revert timer waits for an apply still running */

static int list(struct drs_args *a) {
        _cleanup_(engine_freep) struct drs_engine *e = NULL;
        _cleanup_strv_free_ char **ids = NULL;
        struct json_object *arr = a->json ? json_object_new_array() : NULL;
        int r = session_open_state(a, true, &e);

        if (r > 0) {
                json_object_put(arr);
                return r;
        }
        r = engine_backup_ids(e, &ids);
        if (r < 0) {
                print_error(_("cannot list the backups in %s: %s"), engine_backup_dir(), strerror(-r));
                json_object_put(arr);
                return DRS_EXIT_FAILURE;
        }
        if (!a->json && !ids[0])
                printf("%s\n", _("No backups yet."));
        for (size_t i = 0; ids[i]; i++) {
                struct drs_manifest m = {0};
                struct drs_diag md = {0};
                if (engine_backup_load(e, ids[i], &m, &md) < 0) {
                        _cleanup_free_ char *msg = diag_format(&md);
                        if (!a->json)
                                printf("%-20s %s\n", ids[i], msg);
                        diag_done(&md);
                        continue;
                }
                if (a->json) {
                        struct json_object *o = json_object_new_object();
                        json_object_object_add(o, "id", json_object_new_string(m.id));
                        json_object_object_add(o, "created", json_object_new_string(m.created));
                        json_object_object_add(o, "kind", json_object_new_string(m.kind));
                        json_object_object_add(o, "summary", json_object_new_string(m.summary));
                        json_object_object_add(o, "result", m.result ? json_object_new_string(m.result) : NULL);
                        json_object_array_add(arr, o);
                } else
                        printf("%-20s %-21s %-8s %s: %s\n", m.id, m.created, m.kind, m.summary,
                               m.result ? m.result : _("in flight"));
                manifest_done(&m);
        }
        if (a->json) {
                puts(json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
                                                                 JSON_C_TO_STRING_NOSLASHESCAPE));
                json_object_put(arr);
        }
        return DRS_EXIT_OK;
}

/* The revert timer: undoes change ID unless it was confirmed or reverted meanwhile. */
static int auto_revert(struct drs_args *a) {
        _cleanup_(engine_freep) struct drs_engine *e = NULL;
        struct drs_apply_result res = {0};
        struct drs_txn t = {0};
        struct drs_diag d = {0};
        struct drs_progress pr = session_progress(false, false);
        int r;

        if (!engine_backup_id_valid(a->auto_id)) {
                print_error(_("\"%s\" is not a backup ID"), a->auto_id);
                return DRS_EXIT_USAGE;
        }
        r = session_open_state(a, true, &e);
        if (r > 0)
                return r;
        r = engine_lock(e, AUTO_LOCK_WAIT, NULL);
        if (r < 0) {
                print_error(_("cannot take the lock to revert %s: %s"), a->auto_id, engine_lock_strerror(r));
                return DRS_EXIT_BUSY;
        }
        if (engine_pending(e, &t, NULL) < 0 || !streq_ptr(t.id, a->auto_id)) {
                printf(_("Nothing to revert: the change %s was confirmed or reverted already.\n"), a->auto_id);
                txn_done(&t);
                return DRS_EXIT_OK;
        }
        r = engine_revert(e, t.id,
                          t.phase == PHASE_PENDING ? "not confirmed before the deadline"
                                                   : "the apply did not finish before its deadline",
                          a->timeout, &pr, &res, &d);
        txn_done(&t);
        apply_result_done(&res);
        if (r < 0) {
                (void) report_failure(r, &d);
                return DRS_EXIT_REVERT_FAILED;
        }
        printf(_("Reverted the change %s.\n"), a->auto_id);
        return DRS_EXIT_OK;
}

static int to(struct drs_args *a) {
        _cleanup_(engine_freep) struct drs_engine *e = NULL;
        struct drs_apply_result res = {0};
        struct drs_progress pr;
        struct drs_txn t = {0};
        struct drs_diag d = {0};
        int r;

        if (!a->yes) {
                print_error(_("rollback --to changes the Docker daemon's configuration: add --yes to go ahead"));
                return DRS_EXIT_USAGE;
        }
        if (!engine_backup_id_valid(a->to)) {
                print_error(_("\"%s\" is not a backup ID (see rollback --list)"), a->to);
                return DRS_EXIT_USAGE;
        }
        r = session_open(a, &e);
        if (r > 0)
                return r;
        pr = session_progress(a->json, true);
        if (engine_pending(e, &t, NULL) >= 0) {
                /* Rolling back the pending change itself is the revert its timer would do. */
                if (!streq_ptr(t.id, a->to)) {
                        print_error(_("a change (backup %s) awaits confirmation: confirm it, or roll back to %s first"),
                                    t.id, t.id);
                        txn_done(&t);
                        return DRS_EXIT_BUSY;
                }
                txn_done(&t);
                r = engine_revert(e, a->to, "rolled back before confirmation", a->timeout, &pr, &res, &d);
                res.outcome = r < 0 ? OUTCOME_REVERT_FAILED : OUTCOME_KEPT;
        } else {
                r = engine_rollback_to(e, a->to, a->timeout, &pr, &res, &d);
                if (r < 0 && res.outcome != OUTCOME_REVERT_FAILED) {
                        apply_result_done(&res);
                        return report_failure(r, &d);
                }
        }
        _cleanup_free_ char *what = xasprintf(_("the state before %s"), a->to);
        r = session_finish(a, NULL, &res, &d, what);
        apply_result_done(&res);
        return r;
}

int cmd_rollback(struct drs_args *a) {
        if (a->list + !!a->to + !!a->auto_id > 1) {
                print_error(_("--list, --to and --auto cannot be combined"));
                return DRS_EXIT_USAGE;
        }
        if (a->list)
                return list(a);
        if (a->auto_id)
                return auto_revert(a);
        if (a->to)
                return to(a);
        if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
                print_error(_("the rollback screen needs a terminal; use \"rollback --list\" and \"rollback --to ID "
                              "--yes\""));
                return DRS_EXIT_USAGE;
        }
        return cmd_wizard(a);
}
