/* test-rootfs.c: files under a root: symlinks resolved inside it, never outside, with openat2 and without. */
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
#include "util.h"

static char root[64];

static void put(const char *rel, const char *text) {
        char *p = xasprintf("%s/%s", root, rel);
        FILE *f = fopen(p, "we");
        assert_non_null(f);
        fputs(text, f);
        fclose(f);
        free(p);
}

static void dir(const char *rel) {
        char *p = xasprintf("%s/%s", root, rel);
        assert_int_equal(mkdir(p, 0755), 0);
        free(p);
}

static void link_(const char *target, const char *rel) {
        char *p = xasprintf("%s/%s", root, rel);
        assert_int_equal(symlink(target, p), 0);
        free(p);
}

static int setup(_unused_ void **state) {
        snprintf(root, sizeof(root), "/tmp/drs-rootfs.XXXXXX");
        assert_non_null(mkdtemp(root));
        dir("usr");
        dir("usr/lib");
        dir("etc");
        put("usr/lib/unit", "unit text\n");
        link_("usr/lib", "lib");                    /* relative, like merged /usr */
        link_("/usr/lib/unit", "etc/abs");          /* absolute: resolved inside the root */
        link_("../../../../../../etc/hostname", "etc/escape"); /* ".." cannot leave the root */
        link_("/dev/null", "etc/masked");
        link_("loop2", "etc/loop1");
        link_("loop1", "etc/loop2");
        put("etc/hostname", "inside\n");
        return 0;
}

static int teardown(_unused_ void **state) {
        const char *names[] = {"etc/loop2", "etc/loop1", "etc/masked", "etc/escape", "etc/abs", "etc/hostname",
                               "lib", "usr/lib/unit"};
        for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
                char *p = xasprintf("%s/%s", root, names[i]);
                unlink(p);
                free(p);
        }
        const char *dirs[] = {"etc", "usr/lib", "usr", ""};
        for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
                char *p = xasprintf("%s/%s", root, dirs[i]);
                rmdir(p);
                free(p);
        }
        return 0;
}

static void check_all(bool fallback) {
        int fd = rootfs_open(root);
        char *t = NULL;
        struct stat st;

        rootfs_force_fallback(fallback);
        assert_true(fd >= 0);
        assert_int_equal(rootfs_read(fd, "/lib/unit", &t), 0);
        assert_string_equal(t, "unit text\n");
        free(t);
        assert_int_equal(rootfs_read(fd, "/etc/abs", &t), 0);
        assert_string_equal(t, "unit text\n");
        free(t);
        /* ../../.. stops at the root: this is the tree's /etc/hostname, never the host's. */
        assert_int_equal(rootfs_read(fd, "/etc/escape", &t), 0);
        assert_string_equal(t, "inside\n");
        free(t);
        assert_int_equal(rootfs_read(fd, "/etc/loop1", &t), -ELOOP);
        assert_int_equal(rootfs_read(fd, "/etc/missing", &t), -ENOENT);
        assert_int_equal(rootfs_read(fd, "/usr/lib", &t), -EISDIR);
        assert_true(rootfs_is_masked(fd, "/etc/masked"));
        assert_false(rootfs_is_masked(fd, "/etc/abs"));
        /* Writes refuse any symlink on the way. */
        assert_int_equal(rootfs_open_at(fd, "/lib/unit", O_RDONLY, true), -ELOOP);
        int d = rootfs_open_at(fd, "/usr/lib", O_PATH | O_DIRECTORY, true);
        assert_true(d >= 0);
        close(d);
        assert_int_equal(rootfs_lstat(fd, "/lib", &st), 0);
        assert_true(S_ISLNK(st.st_mode));
        assert_true(rootfs_is_executable(fd, "/etc/abs") == false);
        char **names = NULL;
        assert_int_equal(rootfs_list(fd, "/lib", &names), 0);
        assert_string_equal(names[0], "unit");
        strv_free(names);
        close(fd);
        rootfs_force_fallback(false);
}

static void test_openat2(_unused_ void **state) {
        check_all(false);
}

static void test_fallback(_unused_ void **state) {
        check_all(true);
}

int main(void) {
        const struct CMUnitTest tests[] = {cmocka_unit_test(test_openat2), cmocka_unit_test(test_fallback)};
        return cmocka_run_group_tests(tests, setup, teardown);
}
