/* txn.c: one change to the live daemon as a transaction: backup, write, restart, verify, keep or revert. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "atomic.h"
#include "eventlog.h"
#include "fault.h"
#include "i18n.h"
#include "rootfs.h"
#include "sdbus.h"
#include "signals.h"
#include "store.h"
#include "txn.h"
#include "util.h"

#define REVERT_MARGIN 15 /* seconds between the verify timeout and the guard timer */

void txn_changes_free(struct drs_change *c, size_t n) {
        for (size_t i = 0; i < n; i++) {
                free(c[i].path);
                free(c[i].content);
        }
        free(c);
}

void apply_result_done(struct drs_apply_result *r) {
        free(r->id);
        free(r->reason);
        free(r->anonymous_refused);
        strv_free(r->journal);
        *r = (struct drs_apply_result) {0};
}

int engine_lock(struct drs_engine *e, unsigned wait_sec, unsigned *ret_holder) {
        int fd = store_lock(e->rootfd, wait_sec, ret_holder);
        if (fd < 0)
                return fd;
        if (e->lockfd >= 0)
                close(e->lockfd);
        e->lockfd = fd;
        return 0;
}

int engine_pending(struct drs_engine *e, struct drs_txn *ret, struct drs_diag *diag) {
        return store_txn_load(e->rootfd, ret, diag);
}

/* The path the revert timer runs. When the binary was replaced while we ran (a package upgrade),
 * the link reads "PATH (deleted)": the timer must run PATH, the new binary, or nothing reverts. */
static char *self_exe(void) {
        static const char deleted[] = " (deleted)";
        char buf[4096];
        ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
        if (n <= 0)
                return xstrdup("/usr/bin/docker-remote-setup");
        buf[n] = '\0';
        if ((size_t) n > strlen(deleted) && endswith(buf, deleted))
                buf[n - strlen(deleted)] = '\0';
        return xstrdup(buf);
}

int txn_arm_timer(struct drs_engine *e, const char *prefix, const char *id, unsigned delay, struct drs_txn *t) {
        _cleanup_free_ char *exe = self_exe();
        /* For a user's daemon the timer is in the user's manager: it runs as that user. */
        char *argv[] = {exe, "rollback", "--auto", (char *) id, e->user ? "--user" : NULL, e->user, NULL};
        int r = -EEXIST;

        /* docker-remote-setup-deadline-ID, then -2, -3, … when extending re-arms it. */
        for (unsigned k = 1; k <= 32 && r == -EEXIST; k++) {
                _cleanup_free_ char *name = k == 1 ? xasprintf("docker-remote-setup-%s-%s", prefix, id)
                                                   : xasprintf("docker-remote-setup-%s-%s-%u", prefix, id, k);
                if (strv_contains(t->timers, name))
                        continue;
                r = sdbus_start_timer(e->bus, name, (uint64_t) delay * 1000000u, argv);
                if (r >= 0)
                        strv_push(&t->timers, name);
        }
        return r;
}

void txn_stop_timers(struct drs_engine *e, struct drs_txn *t) {
        for (size_t i = 0; e->bus && t->timers && t->timers[i]; i++) {
                _cleanup_free_ char *unit = xasprintf("%s.timer", t->timers[i]);
                (void) sdbus_stop_unit(e->bus, unit, 10000000);
        }
}

/* Whether path already holds text with the saved mode and owner: restoring it again would only
 * need disk space, which may be what ran out. */
static bool same_as_saved(int rootfd, const struct drs_backup_file *f, const char *data, size_t len) {
        _cleanup_free_ char *now = NULL;
        size_t now_len = 0;
        struct stat st;

        return rootfs_lstat(rootfd, f->path, &st) >= 0 && S_ISREG(st.st_mode) && (st.st_mode & 07777) == f->mode &&
               st.st_uid == f->uid && st.st_gid == f->gid && rootfs_read_data(rootfd, f->path, &now, &now_len) >= 0 &&
               now_len == len && memcmp(now, data, len) == 0;
}

/* Puts the files of backup set m back as they were, byte for byte. */
int txn_restore_files(struct drs_engine *e, const struct drs_manifest *m, char *const *dirs_created,
                         struct drs_diag *diag) {
        int r;
        for (size_t i = 0; i < m->n_files; i++) {
                const struct drs_backup_file *f = &m->files[i];
                _cleanup_free_ char *text = NULL;
                size_t len = 0;
                (void) atomic_clean_temp(e->rootfd, f->path);
                if (!f->existed) {
                        r = atomic_remove(e->rootfd, f->path);
                } else {
                        r = store_backup_blob(e->rootfd, m, f, &text, &len, diag);
                        if (r < 0)
                                return r;
                        if (same_as_saved(e->rootfd, f, text, len))
                                continue;
                        _cleanup_free_ char *dir = xstrndup(f->path, (size_t) (strrchr(f->path, '/') - f->path));
                        /* For a user's daemon the directories are the user's; root's stay root's. */
                        (void) atomic_mkdirs_owned(e->rootfd, dir, 0755, e->user ? f->uid : 0, f->gid, NULL);
                        r = atomic_write(e->rootfd, f->path, text, len, f->mode, f->uid, f->gid);
                }
                if (r < 0) {
                        diag_set(diag, f->path, 0, _("cannot be restored: %s"), strerror(-r));
                        return r;
                }
                fault_step("during-revert");
        }
        for (size_t i = strv_length(dirs_created); i > 0; i--)
                (void) atomic_rmdir_if_empty(e->rootfd, dirs_created[i - 1]);
        return 0;
}

/* Restores set id and, with systemd, restarts and waits for the listeners it had. */
int txn_revert_to(struct drs_engine *e, const char *id, struct drs_txn *t, const char *why, unsigned timeout,
              const struct drs_progress *pr, struct drs_diag *diag) {
        SIGNALS_DEFERRED_HERE;
        struct drs_manifest m = {0};
        _cleanup_free_ char *reason = NULL;
        int r;

        txn_progress_step(pr, STEP_REVERT, STEP_RUNNING, id);
        r = store_backup_load(e->rootfd, id, &m, diag);
        if (r < 0)
                goto fail;
        if (t) {
                t->phase = PHASE_REVERTING;
                (void) store_txn_save(e->rootfd, t);
        }
        r = txn_restore_files(e, &m, t ? t->dirs_created : NULL, diag);
        if (r < 0)
                goto fail;
        if (e->bus) {
                /* The revert's own journal lines stay out of res: res keeps those that explain the failure. */
                struct drs_verify v = {.expect = m.listen_before, .stop_first = true, .timeout = timeout,
                                       .socket = txn_has_socket_dropin(&m)};
                struct drs_apply_result scratch = {0};
                r = txn_restart_and_verify(e, &v, pr, &scratch, &reason);
                apply_result_done(&scratch);
                if (r < 0) {
                        diag_set(diag, NULL, 0, _("the restored configuration did not verify either: %s"), reason);
                        goto fail;
                }
        }
        if (t)
                txn_stop_timers(e, t);
        free(m.result);
        m.result = xasprintf("reverted: %s", why);
        (void) store_backup_save(e->rootfd, &m);
        (void) store_txn_clear(e->rootfd);
        if (e->host_root)
                eventlog(EVENT_REVERT, id, "Reverted the change of backup %s: %s", id, why);
        txn_progress_step(pr, STEP_REVERT, STEP_DONE, id);
        manifest_done(&m);
        return 0;
fail:
        txn_progress_step(pr, STEP_REVERT, STEP_FAILED, id);
        manifest_done(&m);
        return r;
}

int engine_revert(struct drs_engine *e, const char *id, const char *why, unsigned verify_timeout,
                  const struct drs_progress *pr, _unused_ struct drs_apply_result *ret, struct drs_diag *diag) {
        struct drs_txn t = {0};
        bool have = store_txn_load(e->rootfd, &t, NULL) >= 0 && streq_ptr(t.id, id);
        int r = txn_revert_to(e, id, have ? &t : NULL, why, verify_timeout, pr, diag);
        txn_done(&t);
        return r;
}

/* The directories of dir that are missing go into the transaction record before they are made,
 * so that a revert (or recover, after a kill) removes them again. -EBADE: the record could not be
 * saved: *diag says so (and only then is *diag set). */
static int record_dirs(struct drs_engine *e, const char *dir, struct drs_txn *t, struct drs_diag *diag) {
        _cleanup_strv_free_ char **missing = NULL;
        size_t before = strv_length(t->dirs_created);
        int r = atomic_missing_dirs(e->rootfd, dir, &missing);

        for (size_t i = 0; r >= 0 && missing && missing[i]; i++)
                if (!strv_contains(t->dirs_created, missing[i]))
                        strv_push(&t->dirs_created, missing[i]);
        if (r < 0 || strv_length(t->dirs_created) == before)
                return r;
        r = store_txn_save(e->rootfd, t);
        if (r < 0)
                diag_set(diag, store_dir(), 0, _("the transaction record could not be saved: %s"), strerror(-r));
        return r;
}

/* Removes the directories a rollback empties (deepest first) while its record still exists: a
 * kill in between is reverted like any other. */
static void remove_dirs(struct drs_engine *e, char *const *dirs) {
        for (size_t i = strv_length(dirs); i > 0; i--) {
                (void) atomic_rmdir_if_empty(e->rootfd, dirs[i - 1]);
                fault_step("during-rmdir");
        }
}

static int write_changes(struct drs_engine *e, struct drs_change *c, size_t n, struct drs_txn *t,
                         struct drs_diag *diag) {
        for (size_t i = 0; i < n; i++) {
                int r;
                if (c[i].content && c[i].len > ROOTFS_MAX_FILE) {
                        /* Never write what the tool itself would refuse to read (also with --skip-preflight). */
                        diag_set(diag, c[i].path, 0, _("would be larger than %u MiB, more than the tool reads back"),
                                 ROOTFS_MAX_FILE >> 20);
                        return -EFBIG;
                }
                if (!c[i].content)
                        r = atomic_remove(e->rootfd, c[i].path);
                else {
                        _cleanup_free_ char *dir = xstrndup(c[i].path, (size_t) (strrchr(c[i].path, '/') - c[i].path));
                        r = record_dirs(e, *dir ? dir : "/", t, diag);
                        if (r < 0 && diag->message)
                                return r; /* the record could not be saved */
                        if (r >= 0)
                                r = atomic_mkdirs_owned(e->rootfd, *dir ? dir : "/", 0755, e->user ? c[i].uid : 0,
                                                        c[i].gid, NULL);
                        if (r >= 0)
                                r = atomic_write(e->rootfd, c[i].path, c[i].content, c[i].len, c[i].mode, c[i].uid,
                                                 c[i].gid);
                }
                if (r < 0) {
                        diag_set(diag, c[i].path, 0, _("cannot be written: %s"), strerror(-r));
                        return r;
                }
                fault_step("after-file");
        }
        return 0;
}

void txn_note_result(struct drs_engine *e, const struct drs_manifest *m, struct drs_diag *diag) {
        _cleanup_free_ char *path = xasprintf("%s/%s/manifest.json", store_backup_dir(), m->id);
        int r = store_backup_save(e->rootfd, m);

        if (r < 0)
                diag_set(diag, path, 0, _("the change is done, but its result could not be noted: %s"), strerror(-r));
}

/* Before any restart: restores the files of set m and closes the transaction with result why.
 * When a file cannot be put back, the record stays, so that the next start finishes the job, and
 * *diag says so after what it said already. */
static int put_back(struct drs_engine *e, struct drs_manifest *m, struct drs_txn *t, const char *why,
                    struct drs_diag *diag) {
        struct drs_diag rd = {0};
        int r = txn_restore_files(e, m, t->dirs_created, &rd);

        if (r < 0) {
                _cleanup_free_ char *first = diag_format(diag), *second = diag_format(&rd);
                diag_set(diag, NULL, 0, _("%s; putting the files back failed as well (%s): the next run of %s puts "
                                          "them back"),
                         first, second, PACKAGE);
                diag_done(&rd);
                return r;
        }
        free(m->result);
        m->result = xstrdup(why);
        (void) store_backup_save(e->rootfd, m);
        (void) store_txn_clear(e->rootfd);
        return 0;
}

/* The backup set of the paths q changes, and the transaction record (phase "writing") naming it.
 * On failure nothing was changed and *diag says so. */
static int txn_begin(struct drs_engine *e, const struct drs_txn_request *q, struct drs_manifest *m, struct drs_txn *t,
                     const struct drs_progress *pr, struct drs_apply_result *res, struct drs_diag *diag) {
        int r;

        m->kind = xstrdup(q->kind);
        m->summary = xstrdup(q->summary);
        m->listen_before = strv_copy(q->listen_before);
        m->listen_after = q->listen_after ? xstrdup(q->listen_after) : NULL;
        for (size_t i = 0; i < q->n_changes; i++)
                manifest_add_file(m, q->changes[i].path);

        txn_progress_step(pr, STEP_BACKUP, STEP_RUNNING, NULL);
        r = store_backup_take(e->rootfd, m, time(NULL), diag);
        if (r < 0) {
                txn_progress_step(pr, STEP_BACKUP, STEP_FAILED, NULL);
                if (diag->message) {
                        _cleanup_free_ char *why = diag_format(diag);
                        diag_set(diag, NULL, 0, _("%s; nothing was changed"), why);
                } else
                        diag_set(diag, store_backup_dir(), 0, _("the backup could not be saved: %s; nothing was changed"),
                                 store_strerror(r));
                return r;
        }
        txn_progress_step(pr, STEP_BACKUP, STEP_DONE, m->id);
        res->id = xstrdup(m->id);
        t->id = xstrdup(m->id);
        t->phase = PHASE_WRITING;
        r = store_txn_save(e->rootfd, t);
        if (r < 0) {
                diag_set(diag, store_dir(), 0, _("the transaction record could not be saved: %s; nothing was changed"),
                         strerror(-r));
                free(m->result);
                m->result = xstrdup("not applied: the transaction record could not be saved");
                (void) store_backup_save(e->rootfd, m);
                return r;
        }
        fault_step("after-backup");
        return 0;
}

/* The change is done (kept, or written without systemd): the result is noted in the set before
 * the record goes, so that a set without a result is always in flight. */
static void txn_finish(struct drs_engine *e, struct drs_manifest *m, struct drs_txn *t, const char *result,
                       struct drs_diag *diag) {
        strv_free(m->dirs_created);
        m->dirs_created = strv_copy(t->dirs_created);
        free(m->result);
        m->result = xstrdup(result);
        txn_note_result(e, m, diag);
        (void) store_txn_clear(e->rootfd);
}

/* The guard: whatever happens to us from here on, systemd reverts at this deadline. Without it
 * the files are put back and nothing was changed. */
static int txn_arm_guard(struct drs_engine *e, const struct drs_txn_request *q, struct drs_manifest *m,
                         struct drs_txn *t, const struct drs_progress *pr, struct drs_diag *diag) {
        int r;

        txn_progress_step(pr, STEP_TIMER, STEP_RUNNING, NULL);
        t->phase = PHASE_RESTARTING;
        r = txn_arm_timer(e, "revert", m->id, q->verify->timeout + q->confirm_timeout + REVERT_MARGIN, t);
        if (r >= 0)
                r = store_txn_save(e->rootfd, t);
        if (r < 0) {
                txn_progress_step(pr, STEP_TIMER, STEP_FAILED, sdbus_last_error(e->bus));
                diag_set(diag, NULL, 0, _("the revert timer could not be armed: %s; nothing was changed"),
                         sdbus_last_error(e->bus) ? sdbus_last_error(e->bus) : strerror(-r));
                txn_stop_timers(e, t);
                (void) put_back(e, m, t, "not applied: the revert timer could not be armed", diag);
                return r;
        }
        txn_progress_step(pr, STEP_TIMER, STEP_DONE, t->timers[0]);
        fault_step("after-timer");
        return 0;
}

/* Verified, to be confirmed: the deadline timer replaces the guard (counting from now), the
 * record says "pending". */
static void txn_leave_pending(struct drs_engine *e, const struct drs_txn_request *q, struct drs_manifest *m,
                              struct drs_txn *t, const struct drs_progress *pr, struct drs_apply_result *res,
                              struct drs_diag *diag) {
        _cleanup_free_ char *guard = xstrdup(t->timers[0]);
        int r = txn_arm_timer(e, "deadline", m->id, q->confirm_timeout, t);

        if (r >= 0) {
                struct drs_txn only_guard = {.timers = (char *[]) {guard, NULL}};
                strv_remove(t->timers, guard);
                t->phase = PHASE_PENDING;
                t->deadline = res->verified_usec + (uint64_t) q->confirm_timeout * 1000000u;
                r = store_txn_save(e->rootfd, t);
                txn_stop_timers(e, &only_guard);
        }
        if (r < 0)
                /* No deadline timer: the guard stays armed and reverts a little later. */
                diag_set(diag, NULL, 0, _("the deadline timer could not be armed; the change is reverted "
                                          "when the guard timer fires"));
        strv_free(m->dirs_created);
        m->dirs_created = strv_copy(t->dirs_created);
        (void) store_backup_save(e->rootfd, m);
        res->outcome = OUTCOME_PENDING;
        res->deadline = t->deadline;
        txn_progress_step(pr, STEP_KEEP, STEP_RUNNING, NULL);
        if (e->host_root)
                eventlog(EVENT_APPLY, m->id, "Applied %s; pending confirmation for %u s (backup %s)", q->summary,
                         q->confirm_timeout, m->id);
}

int txn_execute(struct drs_engine *e, const struct drs_txn_request *q, const struct drs_progress *pr,
                struct drs_apply_result *res, struct drs_diag *diag) {
        SIGNALS_DEFERRED_HERE;
        struct drs_manifest m = {0};
        struct drs_txn t = {.pid = (unsigned) getpid()};
        _cleanup_free_ char *reason = NULL;
        int r;

        r = txn_begin(e, q, &m, &t, pr, res, diag);
        if (r < 0)
                goto out;
        txn_progress_step(pr, STEP_WRITE, STEP_RUNNING, NULL);
        r = write_changes(e, q->changes, q->n_changes, &t, diag);
        if (r < 0) {
                txn_progress_step(pr, STEP_WRITE, STEP_FAILED, NULL);
                /* Nothing was restarted: putting the files back is the whole revert. */
                (void) put_back(e, &m, &t, "not applied: a file could not be written", diag);
                goto out;
        }
        remove_dirs(e, q->empty_dirs);
        txn_progress_step(pr, STEP_WRITE, STEP_DONE, NULL);

        if (!e->bus) {
                /* Another root, or no systemd: the files are the change. */
                txn_finish(e, &m, &t, "written (no restart)", diag);
                res->outcome = OUTCOME_WRITTEN;
                goto out;
        }
        r = txn_arm_guard(e, q, &m, &t, pr, diag);
        if (r < 0)
                goto out;
        r = txn_restart_and_verify(e, q->verify, pr, res, &reason);
        if (r < 0) {
                r = txn_revert_to(e, m.id, &t, reason, q->verify->timeout, pr, diag);
                res->reason = TAKE_PTR(reason);
                res->outcome = r < 0 ? OUTCOME_REVERT_FAILED : OUTCOME_ROLLED_BACK;
                r = 0;
                goto out;
        }
        if (q->confirm_timeout > 0) {
                txn_leave_pending(e, q, &m, &t, pr, res, diag);
                r = 0;
                goto out;
        }
        txn_stop_timers(e, &t);
        txn_finish(e, &m, &t, "kept", diag);
        res->outcome = OUTCOME_KEPT;
        txn_progress_step(pr, STEP_KEEP, STEP_DONE, NULL);
        if (e->host_root)
                eventlog(EVENT_APPLY, m.id, "Applied and verified %s (backup %s)", q->summary, m.id);
        r = 0;
out:
        manifest_done(&m);
        txn_done(&t);
        return r;
}
