/* pending.c: a change in flight: keep it, give it more time, finish or undo what a dead process left. */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "eventlog.h"
#include "fault.h"
#include "i18n.h"
#include "sdbus.h"
#include "signals.h"
#include "store.h"
#include "timeutil.h"
#include "txn.h"
#include "util.h"

int engine_confirm(struct drs_engine *e, char **ret_id, struct drs_diag *diag) {
        _cleanup_free_ char *txn_path = xasprintf("%s/current.json", store_dir());
        SIGNALS_DEFERRED_HERE;
        struct drs_txn t = {0};
        struct drs_manifest m = {0};
        int r = store_txn_load(e->rootfd, &t, diag);

        if (r == -ENOENT || (r >= 0 && t.phase != PHASE_PENDING)) {
                diag_set(diag, NULL, 0, _("no change awaits confirmation"));
                txn_done(&t);
                return -ENOENT;
        }
        if (r < 0)
                return r;
        if (store_backup_load(e->rootfd, t.id, &m, NULL) >= 0) {
                free(m.result);
                m.result = xstrdup("kept (confirmed)");
                txn_note_result(e, &m, diag);
                manifest_done(&m);
        }
        fault_step("during-confirm");
        /* The record goes first: a revert timer that fires after it finds nothing to revert, so
         * dying before stopping them is harmless; dying before this leaves the change pending. */
        r = store_txn_clear(e->rootfd);
        if (r < 0) {
                diag_set(diag, txn_path, 0, _("cannot be removed: %s"), strerror(-r));
                txn_done(&t);
                return r;
        }
        fault_step("after-confirm");
        txn_stop_timers(e, &t);
        if (e->host_root)
                eventlog(EVENT_CONFIRM, t.id, "Confirmed the change of backup %s", t.id);
        if (r >= 0 && ret_id)
                *ret_id = TAKE_PTR(t.id);
        txn_done(&t);
        return r;
}

int engine_txn_alive(struct drs_engine *e, const struct drs_txn *t) {
        uint64_t now = (uint64_t) time(NULL) * 1000000u;
        if (t->phase != PHASE_PENDING || t->deadline <= now)
                return 0;
        for (size_t i = 0; e->bus && t->timers && t->timers[i]; i++)
                if (sdbus_timer_active(e->bus, t->timers[i]) > 0)
                        return 1;
        /* Under another root (no systemd) nothing could have been armed. */
        return e->bus ? 0 : 1;
}

int engine_recover(struct drs_engine *e, const struct drs_progress *pr, struct drs_apply_result *ret,
                   struct drs_diag *diag) {
        SIGNALS_DEFERRED_HERE;
        struct drs_txn t = {0};
        int r;

        (void) store_cleanup(e->rootfd);
        r = store_txn_load(e->rootfd, &t, diag);

        if (r == -ENOENT)
                return 0;
        if (r < 0)
                return r;
        if (engine_txn_alive(e, &t) > 0) {
                txn_done(&t);
                return 0;
        }
        ret->id = xstrdup(t.id);
        if (t.phase == PHASE_WRITING) {
                /* Died while writing: nothing was reloaded or restarted, the files are the whole revert. */
                struct drs_manifest m = {0};
                r = store_backup_load(e->rootfd, t.id, &m, diag);
                if (r >= 0)
                        r = txn_restore_files(e, &m, t.dirs_created, diag);
                if (r >= 0) {
                        free(m.result);
                        m.result = xstrdup("reverted: interrupted while writing");
                        (void) store_backup_save(e->rootfd, &m);
                        r = store_txn_clear(e->rootfd);
                }
                manifest_done(&m);
        } else
                r = txn_revert_to(e, t.id, &t,
                              t.phase == PHASE_PENDING ? "not confirmed before the deadline"
                                                       : "the apply was interrupted",
                              60, pr, diag);
        ret->outcome = r < 0 ? OUTCOME_REVERT_FAILED : OUTCOME_ROLLED_BACK;
        txn_done(&t);
        return r < 0 ? r : 1;
}

int engine_discard(struct drs_engine *e, char **ret_path, struct drs_diag *diag) {
        _cleanup_free_ char *txn_path = xasprintf("%s/current.json", store_dir());
        struct drs_txn t = {0};
        int r = store_txn_load(e->rootfd, &t, NULL);

        /* A record that can be used is never set aside: its timer would then find nothing to revert. */
        if (r >= 0) {
                struct drs_manifest m = {0};
                int b = store_backup_load(e->rootfd, t.id, &m, NULL);
                manifest_done(&m);
                txn_done(&t);
                if (b >= 0) {
                        diag_set(diag, txn_path, 0,
                                 _("the record and its backup set can be read: \"recover\" completes or reverts the "
                                   "change (or \"confirm\" keeps it); --discard is only for a record that cannot be used"));
                        return -EEXIST;
                }
        }
        r = store_txn_discard(e->rootfd, time(NULL), ret_path);

        if (r == -ENOENT)
                diag_set(diag, txn_path, 0, _("there is no transaction record to discard"));
        else if (r < 0)
                diag_set(diag, txn_path, 0, _("cannot be set aside: %s"), strerror(-r));
        return r;
}

int engine_extend(struct drs_engine *e, unsigned seconds, uint64_t *ret_deadline, struct drs_diag *diag) {
        SIGNALS_DEFERRED_HERE;
        struct drs_txn t = {0};
        _cleanup_strv_free_ char **old = NULL;
        uint64_t now = now_realtime_usec(), deadline;
        int r = store_txn_load(e->rootfd, &t, diag);

        if (r == -ENOENT || (r >= 0 && t.phase != PHASE_PENDING)) {
                diag_set(diag, NULL, 0, _("no change awaits confirmation"));
                txn_done(&t);
                return -ENOENT;
        }
        if (r < 0)
                return r;
        deadline = (t.deadline > now ? t.deadline : now) + (uint64_t) seconds * 1000000u;
        old = strv_copy(t.timers);
        /* The new timer runs before the old ones stop: the change is never without one. */
        r = txn_arm_timer(e, "deadline", t.id, (unsigned) ((deadline - now + 999999) / 1000000u), &t);
        if (r < 0) {
                diag_set(diag, NULL, 0, _("the deadline could not be extended: %s"),
                         sdbus_last_error(e->bus) ? sdbus_last_error(e->bus) : strerror(-r));
                txn_done(&t);
                return r;
        }
        t.deadline = deadline;
        for (size_t i = 0; old[i]; i++)
                strv_remove(t.timers, old[i]);
        r = store_txn_save(e->rootfd, &t);
        {
                struct drs_txn only_old = {.timers = old};
                txn_stop_timers(e, &only_old);
        }
        if (r >= 0 && ret_deadline)
                *ret_deadline = deadline;
        txn_done(&t);
        return r;
}

int engine_complete(struct drs_engine *e, const struct drs_progress *pr, struct drs_apply_result *res,
                    struct drs_diag *diag) {
        SIGNALS_DEFERRED_HERE;
        struct drs_txn t = {0};
        struct drs_manifest m = {0};
        _cleanup_free_ char *reason = NULL;
        int r = store_txn_load(e->rootfd, &t, diag);

        if (r < 0)
                return r;
        r = store_backup_load(e->rootfd, t.id, &m, diag);
        if (r < 0)
                goto out;
        res->id = xstrdup(t.id);
        if (!m.listen_after || !e->bus || t.phase == PHASE_WRITING) {
                /* Not enough is known to finish it (or the files may be half-way): undo it. */
                r = txn_revert_to(e, t.id, &t, "the interrupted change could not be completed", 60, pr, diag);
                res->outcome = r < 0 ? OUTCOME_REVERT_FAILED : OUTCOME_ROLLED_BACK;
                goto out;
        }
        {
                struct drs_verify v = {.expect = (char *[]) {m.listen_after, NULL}, .stop_first = true, .timeout = 60,
                                       .socket = txn_has_socket_dropin(&m)};
                r = txn_restart_and_verify(e, &v, pr, res, &reason);
                /* An interrupted --allow-from apply: the list must be in force, as apply checks it. */
                if (r >= 0 && socket_allow_accounted(&e->host))
                        r = txn_check_enforced(e, &reason);
        }
        if (r < 0) {
                r = txn_revert_to(e, t.id, &t, reason, 60, pr, diag);
                res->reason = TAKE_PTR(reason);
                res->outcome = r < 0 ? OUTCOME_REVERT_FAILED : OUTCOME_ROLLED_BACK;
                goto out;
        }
        txn_stop_timers(e, &t);
        free(m.result);
        m.result = xstrdup("kept (completed after an interruption)");
        (void) store_backup_save(e->rootfd, &m);
        r = store_txn_clear(e->rootfd);
        res->outcome = OUTCOME_KEPT;
        if (e->host_root)
                eventlog(EVENT_APPLY, t.id, "Completed the interrupted change of backup %s", t.id);
out:
        manifest_done(&m);
        txn_done(&t);
        return r < 0 ? r : 0;
}
