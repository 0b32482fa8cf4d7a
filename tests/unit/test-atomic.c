/* test-atomic.c: atomic writes under a temporary root: new, replaced, a failed write (the fault
 * hooks, linked from libdrs-hooks.a) and a failed fsync (fsync wrapped at link time) leave the
 * old file and no temporary one; symlinks on the way are refused. The content is Debian's
 * docker.service and a drop-in the tool writes (tests/fixtures). */
#include <dirent.h>
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

#include "atomic.h"
#include "rootfs.h"
#include "util.h"
#include "fixture.h"

#define DROPIN_DIR "/etc/systemd/system/docker.service.d"
#define DROPIN DROPIN_DIR "/override.conf"

static char root[64];
static int rootfd = -1;

/* fsync() as the code under test sees it (-Wl,--wrap=fsync): fails with EIO while armed. */
int __real_fsync(int fd);
int __wrap_fsync(int fd);
static int fsync_fails; /* fail the Nth fsync from now (1: the next), 0: never */

int __wrap_fsync(int fd) {
        if (fsync_fails > 0 && --fsync_fails == 0) {
                errno = EIO;
                return -1;
        }
        return __real_fsync(fd);
}

static char *read_back(const char *rel) {
        char *text = NULL;
        assert_int_equal(rootfs_read(rootfd, rel, &text), 0);
        return text;
}

/* The entries of dir starting with ".#" (temporary files left behind). */
static size_t temporaries(const char *rel) {
        _cleanup_free_ char *p = xasprintf("%s%s", root, rel);
        DIR *d = opendir(p);
        struct dirent *de;
        size_t n = 0;

        assert_non_null(d);
        while ((de = readdir(d)))
                n += startswith(de->d_name, ".#");
        closedir(d);
        return n;
}

static int setup(_unused_ void **state) {
        tree_make(root, sizeof(root), "atomic");
        rootfd = rootfs_open(root);
        assert_true(rootfd >= 0);
        return 0;
}

static int teardown(_unused_ void **state) {
        tree_done(rootfd, root);
        return 0;
}

/* The directories made (and reported, outermost first), the file new, then replaced. */
static void test_write_and_replace(_unused_ void **state) {
        _cleanup_free_ char *unit = fixture_text("base/debian/lib/systemd/system/docker.service"),
                            *dropin = fixture_text("base/debian/lib/systemd/system/docker.socket");
        _cleanup_strv_free_ char **made = NULL, **missing = NULL;
        struct stat st;

        assert_int_equal(atomic_missing_dirs(rootfd, DROPIN_DIR, &missing), 0);
        assert_int_equal(strv_length(missing), 4);
        assert_string_equal(missing[0], "/etc");
        assert_int_equal(atomic_mkdirs(rootfd, DROPIN_DIR, 0755, &made), 0);
        assert_int_equal(strv_length(made), 4);
        assert_string_equal(made[3], DROPIN_DIR);

        assert_int_equal(atomic_write(rootfd, DROPIN, unit, strlen(unit), 0644, getuid(), getgid()), 0);
        _cleanup_free_ char *first = read_back(DROPIN);
        assert_string_equal(first, unit);
        assert_int_equal(atomic_write(rootfd, DROPIN, dropin, strlen(dropin), 0600, getuid(), getgid()), 0);
        _cleanup_free_ char *second = read_back(DROPIN);
        assert_string_equal(second, dropin);
        assert_int_equal(rootfs_lstat(rootfd, DROPIN, &st), 0);
        assert_int_equal(st.st_mode & 07777, 0600);
        assert_int_equal(temporaries(DROPIN_DIR), 0);

        /* Any bytes (a tar file has NULs). */
        static const char tar[] = "ca.pem\0\0\0cert";
        assert_int_equal(atomic_write(rootfd, "/etc/bundle.tar", tar, sizeof(tar), 0600, getuid(), getgid()), 0);
        _cleanup_free_ char *bytes = NULL;
        size_t len = 0;
        assert_int_equal(rootfs_read_data(rootfd, "/etc/bundle.tar", &bytes, &len), 0);
        assert_int_equal(len, sizeof(tar));
        assert_memory_equal(bytes, tar, sizeof(tar));
        assert_int_equal(atomic_remove(rootfd, "/etc/bundle.tar"), 0);
        assert_int_equal(atomic_remove(rootfd, "/etc/bundle.tar"), 0); /* absent is fine */
}

/* A failed write (DRS_TEST_FAULT: ENOSPC on the next configuration write) and a failed fsync of
 * the new file: the old content stays, no temporary file is left. */
static void test_failures(_unused_ void **state) {
        _cleanup_free_ char *before = read_back(DROPIN);
        const char *text = "[Service]\nExecStart=\nExecStart=/usr/sbin/dockerd -H fd:// -H tcp://10.0.0.5:2375\n";

        assert_int_equal(setenv("DRS_TEST_FAULT", "write:enospc", 1), 0);
        assert_int_equal(atomic_write(rootfd, DROPIN, text, strlen(text), 0644, getuid(), getgid()), -ENOSPC);
        assert_int_equal(unsetenv("DRS_TEST_FAULT"), 0);
        _cleanup_free_ char *after_enospc = read_back(DROPIN);
        assert_string_equal(after_enospc, before);
        assert_int_equal(temporaries(DROPIN_DIR), 0);

        fsync_fails = 1; /* the temporary file's */
        assert_int_equal(atomic_write(rootfd, DROPIN, text, strlen(text), 0644, getuid(), getgid()), -EIO);
        _cleanup_free_ char *after_eio = read_back(DROPIN);
        assert_string_equal(after_eio, before);
        assert_int_equal(temporaries(DROPIN_DIR), 0);

        fsync_fails = 2; /* the directory's, after the rename: reported, the new content in place */
        assert_int_equal(atomic_write(rootfd, DROPIN, text, strlen(text), 0644, getuid(), getgid()), -EIO);
        _cleanup_free_ char *after_dir = read_back(DROPIN);
        assert_string_equal(after_dir, text);
        assert_int_equal(fsync_fails, 0);
}

/* A symlink on the way (a directory or the file itself) is refused, nothing written through it. */
static void test_symlinks(_unused_ void **state) {
        _cleanup_free_ char *link = xasprintf("%s/etc/default", root), *target = xasprintf("%s/elsewhere", root);

        assert_int_equal(mkdir(target, 0755), 0);
        assert_int_equal(symlink("/elsewhere", link), 0);
        assert_int_equal(atomic_write(rootfd, "/etc/default/docker", "DOCKER_OPTS=\n", 13, 0644, getuid(), getgid()),
                         -ELOOP);
        _cleanup_free_ char *through = xasprintf("%s/docker", target);
        assert_int_equal(access(through, F_OK), -1);
        /* A temporary file an interrupted write left is cleaned up. */
        _cleanup_free_ char *tmp = xasprintf("%s%s/.#override.conf.0123456789abcdef", root, DROPIN_DIR);
        FILE *f = fopen(tmp, "we");
        assert_non_null(f);
        fclose(f);
        assert_int_equal(temporaries(DROPIN_DIR), 1);
        assert_int_equal(atomic_clean_temp(rootfd, DROPIN), 0);
        assert_int_equal(temporaries(DROPIN_DIR), 0);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_write_and_replace),
                cmocka_unit_test(test_failures),
                cmocka_unit_test(test_symlinks),
        };
        return cmocka_run_group_tests(tests, setup, teardown);
}
