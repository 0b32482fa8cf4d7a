/* test-txn.c: the order of a transaction's steps (backup, record, write, guard timer, restart and
 * verify, keep, pending or revert) under a temporary root with a fake systemd: the sd-bus calls
 * and txn_restart_and_verify() are wrapped at link time (Makefile.am), so that what the
 * transaction does, and what is on disk at each call, is recorded. The files are Debian's
 * (tests/fixtures/base/debian). */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../src/engine/engine-internal.h"
#include "../../src/engine/txn.h"
#include "rootfs.h"
#include "store.h"
#include "timeutil.h"
#include "util.h"
#include "fixture.h"

#define DEFAULT "/etc/default/docker"
#define DROPIN_DIR "/etc/systemd/system/docker.service.d"
#define DROPIN DROPIN_DIR "/override.conf"
#define OPTS "DOCKER_OPTS=\"-H fd:// -H tcp://10.0.0.5:2375\"\n"
#define UNIT_TEXT "[Service]\nExecStart=\nExecStart=/usr/sbin/dockerd -H fd:// -H tcp://10.0.0.5:2375\n"

static char root[64];
static struct drs_engine engine;
static int fake_bus;                /* its address is the bus; never dereferenced */
static struct drs_buf calls;        /* what the transaction asked of systemd and reported, in order */
static int restarts_fail;           /* the next N restarts fail */
static char *default_text;          /* Debian's /etc/default/docker */

/* ---- the fake systemd */
int __wrap_sdbus_start_timer(struct drs_bus *b, const char *name, uint64_t delay_usec, char *const *argv);
int __wrap_sdbus_stop_unit(struct drs_bus *b, const char *unit, uint64_t timeout_usec);
const char *__wrap_sdbus_last_error(struct drs_bus *b);
int __wrap_txn_restart_and_verify(struct drs_engine *e, const struct drs_verify *v, const struct drs_progress *pr,
                                  struct drs_apply_result *res, char **ret_reason);

int __wrap_sdbus_start_timer(struct drs_bus *b, const char *name, uint64_t delay_usec, char *const *argv) {
        assert_ptr_equal(b, &fake_bus);
        assert_string_equal(argv[1], "rollback");
        assert_string_equal(argv[2], "--auto");
        buf_appendf(&calls, "timer %s %us; ", name, (unsigned) (delay_usec / 1000000u));
        return 0;
}

int __wrap_sdbus_stop_unit(struct drs_bus *b, const char *unit, _unused_ uint64_t timeout_usec) {
        assert_ptr_equal(b, &fake_bus);
        buf_appendf(&calls, "stop %s; ", unit);
        return 0;
}

const char *__wrap_sdbus_last_error(_unused_ struct drs_bus *b) {
        return NULL;
}

/* The restart: notes what the record's phase and the drop-in are at that moment. */
int __wrap_txn_restart_and_verify(struct drs_engine *e, const struct drs_verify *v, _unused_ const struct drs_progress *pr,
                                  struct drs_apply_result *res, char **ret_reason) {
        struct drs_txn t = {0};
        struct stat st;

        assert_ptr_equal(e, &engine);
        assert_int_equal(store_txn_load(e->rootfd, &t, NULL), 0);
        buf_appendf(&calls, "restart (%s, drop-in %s, expect %s); ", phase_to_string(t.phase),
                    rootfs_lstat(e->rootfd, DROPIN, &st) >= 0 ? "there" : "absent",
                    v->expect && v->expect[0] ? v->expect[0] : "-");
        txn_done(&t);
        if (restarts_fail > 0) {
                restarts_fail--;
                *ret_reason = xstrdup("docker.service did not start");
                return -EIO;
        }
        res->verified_usec = now_realtime_usec();
        return 0;
}

static void on_step(void *userdata, enum drs_step s, enum drs_step_state st, _unused_ const char *detail) {
        static const char *const names[_STEP_MAX] = {"backup", "write", "timer", "reload", "restart",
                                                     "journal", "ping", "keep", "revert"};
        static const char *const states[] = {"", " ok", " FAILED", " skipped"};
        buf_appendf(userdata, "%s%s ", names[s], states[st]);
}

/* ---- the root */
static char *read_back(const char *rel) {
        char *text = NULL;
        return rootfs_read(engine.rootfd, rel, &text) < 0 ? NULL : text;
}

static int setup_root(_unused_ void **state) {
        default_text = fixture_text("base/debian" DEFAULT);
        tree_make(root, sizeof(root), "txn");
        tree_put(root, DEFAULT, default_text, 0644);
        tree_put(root, "/etc/systemd/system/multi-user.target.wants/docker.service", "", 0644);
        engine = (struct drs_engine) {.root = root, .rootfd = rootfs_open(root), .lockfd = -1};
        assert_true(engine.rootfd >= 0);
        calls = (struct drs_buf) {0};
        restarts_fail = 0;
        return 0;
}

static int teardown_root(_unused_ void **state) {
        buf_free(&calls);
        free(default_text);
        tree_done(engine.rootfd, root);
        return 0;
}

/* Runs an apply of the drop-in and DOCKER_OPTS (the bus faked or not); returns its steps. */
static char *run(bool bus, unsigned confirm_timeout, struct drs_apply_result *res, int want) {
        struct drs_change c[] = {
                {.path = (char *) DROPIN, .content = (char *) UNIT_TEXT, .len = strlen(UNIT_TEXT), .mode = 0644},
                {.path = (char *) DEFAULT, .content = (char *) OPTS, .len = strlen(OPTS), .mode = 0644},
        };
        struct drs_verify v = {.expect = (char *[]) {(char *) "10.0.0.5:2375", NULL}, .timeout = 60};
        char *before[] = {NULL};
        struct drs_buf steps = {0};
        struct drs_progress pr = {.step = on_step, .userdata = &steps};
        struct drs_diag d = {0};

        engine.bus = bus ? (struct drs_bus *) &fake_bus : NULL;
        int r = txn_execute(&engine,
                            &(struct drs_txn_request) {.kind = "apply", .summary = "tcp://10.0.0.5:2375 plain (drop-in)",
                                                       .changes = c, .n_changes = ELEMENTSOF(c), .listen_before = before,
                                                       .listen_after = "10.0.0.5:2375", .verify = &v,
                                                       .confirm_timeout = confirm_timeout},
                            &pr, res, &d);
        assert_int_equal(r, want);
        diag_done(&d);
        return steps.data;
}

static char *result_of(const char *id) {
        struct drs_manifest m = {0};
        assert_int_equal(store_backup_load(engine.rootfd, id, &m, NULL), 0);
        char *r = m.result ? xstrdup(m.result) : NULL;
        manifest_done(&m);
        return r;
}

static void assert_no_record(void) {
        struct drs_txn t = {0};
        assert_int_equal(store_txn_load(engine.rootfd, &t, NULL), -ENOENT);
}

/* Without systemd (another root): backup, write, and the files are the change. */
static void test_written(_unused_ void **state) {
        struct drs_apply_result res = {0};
        _cleanup_free_ char *steps = run(false, 0, &res, 0), *opts = read_back(DEFAULT), *result = NULL;

        assert_string_equal(steps, "backup backup ok write write ok ");
        assert_int_equal(res.outcome, OUTCOME_WRITTEN);
        assert_null(calls.data);
        assert_string_equal(opts, OPTS);
        result = result_of(res.id);
        assert_string_equal(result, "written (no restart)");
        assert_no_record();
        apply_result_done(&res);
}

/* Verified at once: the guard timer is armed before the restart, with the files written and the
 * record saying "restarting", and stopped once the change is kept. */
static void test_kept(_unused_ void **state) {
        struct drs_apply_result res = {0};
        _cleanup_free_ char *steps = run(true, 0, &res, 0), *result = result_of(res.id), *want = NULL;

        assert_string_equal(steps, "backup backup ok write write ok timer timer ok keep ok ");
        assert_int_equal(res.outcome, OUTCOME_KEPT);
        want = xasprintf("timer docker-remote-setup-revert-%s 75s; restart (restarting, drop-in there, expect "
                         "10.0.0.5:2375); stop docker-remote-setup-revert-%s.timer; ",
                         res.id, res.id);
        assert_string_equal(calls.data, want);
        assert_string_equal(result, "kept");
        assert_no_record();
        apply_result_done(&res);
}

/* The restart fails: the backup is put back first, then the old configuration restarted and
 * verified; the directory the change made goes again. */
static void test_rolled_back(_unused_ void **state) {
        struct drs_apply_result res = {0};
        struct stat st;

        restarts_fail = 1;
        _cleanup_free_ char *steps = run(true, 0, &res, 0), *opts = read_back(DEFAULT), *result = result_of(res.id),
                            *want = NULL;
        assert_string_equal(steps, "backup backup ok write write ok timer timer ok revert revert ok ");
        assert_int_equal(res.outcome, OUTCOME_ROLLED_BACK);
        assert_string_equal(res.reason, "docker.service did not start");
        want = xasprintf("timer docker-remote-setup-revert-%s 75s; restart (restarting, drop-in there, expect "
                         "10.0.0.5:2375); restart (reverting, drop-in absent, expect -); "
                         "stop docker-remote-setup-revert-%s.timer; ",
                         res.id, res.id);
        assert_string_equal(calls.data, want);
        assert_string_equal(opts, default_text);
        assert_int_equal(rootfs_lstat(engine.rootfd, DROPIN_DIR, &st), -ENOENT);
        assert_string_equal(result, "reverted: docker.service did not start");
        assert_no_record();
        apply_result_done(&res);
}

/* Verified, to be confirmed: the deadline timer first, then the guard stops; the record is
 * "pending" with the deadline timer only. */
static void test_pending(_unused_ void **state) {
        struct drs_apply_result res = {0};
        struct drs_txn t = {0};
        _cleanup_free_ char *steps = run(true, 30, &res, 0), *want = NULL, *deadline = NULL;

        assert_string_equal(steps, "backup backup ok write write ok timer timer ok keep ");
        assert_int_equal(res.outcome, OUTCOME_PENDING);
        want = xasprintf("timer docker-remote-setup-revert-%s 105s; restart (restarting, drop-in there, expect "
                         "10.0.0.5:2375); timer docker-remote-setup-deadline-%s 30s; "
                         "stop docker-remote-setup-revert-%s.timer; ",
                         res.id, res.id, res.id);
        assert_string_equal(calls.data, want);
        assert_int_equal(store_txn_load(engine.rootfd, &t, NULL), 0);
        assert_int_equal(t.phase, PHASE_PENDING);
        assert_true(t.deadline == res.deadline && res.deadline == res.verified_usec + 30000000u);
        deadline = xasprintf("docker-remote-setup-deadline-%s", res.id);
        assert_string_equal(t.timers[0], deadline);
        assert_null(t.timers[1]);
        assert_null(result_of(res.id)); /* in flight until confirmed */
        txn_done(&t);
        assert_int_equal(store_txn_clear(engine.rootfd), 0);
        apply_result_done(&res);
}

/* A file that must not be written: the one written before it is put back, nothing restarts. */
static void test_write_fails(_unused_ void **state) {
        struct drs_change c[] = {
                {.path = (char *) DEFAULT, .content = (char *) OPTS, .len = strlen(OPTS), .mode = 0644},
                /* Longer than the tool reads back (never read: refused before the write). */
                {.path = (char *) "/etc/docker/daemon.json", .content = (char *) "{}", .len = ROOTFS_MAX_FILE + 1,
                 .mode = 0644},
        };
        struct drs_verify v = {.timeout = 60};
        struct drs_buf steps = {0};
        struct drs_progress pr = {.step = on_step, .userdata = &steps};
        struct drs_apply_result res = {0};
        struct drs_diag d = {0};

        engine.bus = (struct drs_bus *) &fake_bus;
        int r = txn_execute(&engine,
                            &(struct drs_txn_request) {.kind = "apply", .summary = "bad", .changes = c, .n_changes = 2,
                                                       .verify = &v},
                            &pr, &res, &d);
        assert_true(r < 0);
        assert_string_equal(d.file, "/etc/docker/daemon.json");
        assert_non_null(strstr(d.message, "more than the tool reads back"));
        assert_string_equal(steps.data, "backup backup ok write write FAILED ");
        assert_null(calls.data);
        _cleanup_free_ char *opts = read_back(DEFAULT), *result = result_of(res.id);
        assert_string_equal(opts, default_text);
        assert_string_equal(result, "not applied: a file could not be written");
        assert_no_record();
        buf_free(&steps);
        diag_done(&d);
        apply_result_done(&res);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test_setup_teardown(test_written, setup_root, teardown_root),
                cmocka_unit_test_setup_teardown(test_kept, setup_root, teardown_root),
                cmocka_unit_test_setup_teardown(test_rolled_back, setup_root, teardown_root),
                cmocka_unit_test_setup_teardown(test_pending, setup_root, teardown_root),
                cmocka_unit_test_setup_teardown(test_write_fails, setup_root, teardown_root),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
