/* test-ustar.c: unit tests of the ustar writer: header fields and checksums checked by hand, the
 * archive read back, and (when tar is installed) listed and extracted by GNU tar. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "plan.h"
#include "ustar.h"
#include "util.h"

#define MTIME 1700000000

static const char key_pem[] = "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----\n";
static char big[USTAR_BLOCK]; /* exactly one block: no padding */

static const struct drs_tar_member members[] = {
        {"ca.pem", "CA\n", 3, 0644},
        {"cert.pem", big, sizeof(big), 0644},
        {"key.pem", key_pem, sizeof(key_pem) - 1, 0600},
        {"empty", "", 0, 0644},
};

static unsigned sum_by_hand(const unsigned char *h) {
        unsigned s = 0;
        for (size_t i = 0; i < 512; i++)
                s += (i >= 148 && i < 156) ? ' ' : h[i];
        return s;
}

static void test_layout(_unused_ void **state) {
        _cleanup_free_ char *tar = NULL;
        const unsigned char *h;
        size_t len = 0;
        char sum[8];

        memset(big, 'x', sizeof(big));
        assert_int_equal(ustar_build(members, ELEMENTSOF(members), MTIME, &tar, &len), 0);
        /* Headers, data rounded up to blocks (3 -> 512, 512, 96 -> 512, 0), two end blocks. */
        assert_int_equal(len, 4 * 512 + 3 * 512 + 2 * 512);

        h = (const unsigned char *) tar;
        assert_string_equal((const char *) h, "ca.pem");
        assert_memory_equal(h + 100, "0000644", 8);
        assert_memory_equal(h + 108, "0000000", 8);
        assert_memory_equal(h + 116, "0000000", 8);
        assert_memory_equal(h + 124, "00000000003", 12);
        assert_memory_equal(h + 136, "14524770400", 12); /* 1700000000 in octal */
        assert_int_equal(h[156], '0');
        assert_memory_equal(h + 257, "ustar\0" "00", 8);
        assert_string_equal((const char *) h + 265, "root");
        assert_string_equal((const char *) h + 297, "root");
        snprintf(sum, sizeof(sum), "%06o", sum_by_hand(h));
        assert_memory_equal(h + 148, sum, 6);
        assert_int_equal(h[154], '\0');
        assert_int_equal(h[155], ' ');
        assert_memory_equal(tar + 512, "CA\n\0\0", 5);

        /* The key: third header, after ca.pem (1+1 blocks) and cert.pem (1+1 blocks). */
        h = (const unsigned char *) tar + 4 * 512;
        assert_string_equal((const char *) h, "key.pem");
        assert_memory_equal(h + 100, "0000600", 8);
        /* The end: two zero blocks. */
        for (size_t i = len - 1024; i < len; i++)
                assert_int_equal(tar[i], 0);
}

static void test_read_back(_unused_ void **state) {
        _cleanup_free_ char *tar = NULL;
        const char *data;
        size_t len = 0, n;
        unsigned mode;

        memset(big, 'y', sizeof(big));
        assert_int_equal(ustar_build(members, ELEMENTSOF(members), MTIME, &tar, &len), 0);
        for (size_t i = 0; i < ELEMENTSOF(members); i++) {
                assert_int_equal(ustar_find(tar, len, members[i].name, &data, &n, &mode), 0);
                assert_int_equal(n, members[i].len);
                assert_memory_equal(data, members[i].data, n);
                assert_int_equal(mode, members[i].mode);
        }
        assert_int_equal(ustar_find(tar, len, "nothere", NULL, NULL, NULL), -ENOENT);
        assert_int_equal(ustar_find(tar, len, "ca.pe", NULL, NULL, NULL), -ENOENT);

        /* Damage: a changed header byte breaks its checksum; a cut archive has no end. */
        tar[512 * 2 + 1] ^= 1;
        assert_int_equal(ustar_find(tar, len, "key.pem", NULL, NULL, NULL), -EBADMSG);
        assert_int_equal(ustar_find(tar, len, "ca.pem", NULL, NULL, NULL), 0); /* before the damage */
        tar[512 * 2 + 1] ^= 1;
        assert_int_equal(ustar_find(tar, 512 * 3, "key.pem", NULL, NULL, NULL), -EBADMSG);
        assert_int_equal(ustar_find(tar, 100, "ca.pem", NULL, NULL, NULL), -EBADMSG);
        assert_int_equal(ustar_find("", 0, "ca.pem", NULL, NULL, NULL), -EBADMSG);
}

static void test_empty_and_bad(_unused_ void **state) {
        _cleanup_free_ char *tar = NULL;
        char name[USTAR_NAME_MAX + 2];
        struct drs_tar_member m = {name, "x", 1, 0644};
        size_t len = 0;
        char *none = NULL;

        assert_int_equal(ustar_build(NULL, 0, 0, &tar, &len), 0);
        assert_int_equal(len, 1024);
        assert_int_equal(ustar_find(tar, len, "ca.pem", NULL, NULL, NULL), -ENOENT);

        memset(name, 'n', USTAR_NAME_MAX);
        name[USTAR_NAME_MAX] = '\0';
        free(TAKE_PTR(tar));
        assert_int_equal(ustar_build(&m, 1, 0, &tar, &len), 0); /* 100 bytes: fills the field, no NUL */
        assert_int_equal(ustar_find(tar, len, name, NULL, NULL, NULL), 0);
        name[USTAR_NAME_MAX] = 'n';
        name[USTAR_NAME_MAX + 1] = '\0';
        assert_int_equal(ustar_build(&m, 1, 0, &none, &len), -EINVAL);
        m.name = "";
        assert_int_equal(ustar_build(&m, 1, 0, &none, &len), -EINVAL);
        m.name = "ok";
        m.mode = 010000;
        assert_int_equal(ustar_build(&m, 1, 0, &none, &len), -EINVAL);
        m.mode = 0644;
        assert_int_equal(ustar_build(&m, 1, -1, &none, &len), -EINVAL);
        assert_null(none);
}

/* Runs argv with stdout into out (at most size-1 bytes); returns the exit status. */
static int run(char *const argv[], char *out, size_t size) {
        int p[2], status = 0;
        size_t n = 0;
        ssize_t k;
        pid_t pid;

        assert_int_equal(pipe2(p, O_CLOEXEC), 0);
        pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
                dup2(p[1], STDOUT_FILENO);
                execvp(argv[0], argv);
                _exit(127);
        }
        close(p[1]);
        while (n < size - 1 && (k = read(p[0], out + n, size - 1 - n)) > 0)
                n += (size_t) k;
        out[n] = '\0';
        close(p[0]);
        assert_int_equal(waitpid(pid, &status, 0), pid);
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* A line of `tar -tvf` (TZ=UTC): "MODE OWNER  SIZE 2023-11-14 22:13 NAME". */
static void assert_listed(const char *listing, const char *mode_owner, const char *size, const char *name) {
        _cleanup_free_ char *tail = xasprintf(" %s 2023-11-14 22:13 %s\n", size, name);
        const char *line = strstr(listing, tail);

        assert_non_null(line);
        while (line > listing && line[-1] != '\n')
                line--;
        assert_true(strncmp(line, mode_owner, strlen(mode_owner)) == 0);
}

/* GNU tar agrees: it lists the members with their modes and owner and extracts the key intact. */
static void test_gnu_tar(_unused_ void **state) {
        _cleanup_free_ char *tar = NULL;
        char path[] = "/tmp/drs-ustar-XXXXXX", out[4096];
        size_t len = 0;
        int fd;

        if (access("/bin/tar", X_OK) < 0 && access("/usr/bin/tar", X_OK) < 0)
                skip();
        memset(big, 'z', sizeof(big));
        assert_int_equal(ustar_build(members, ELEMENTSOF(members), MTIME, &tar, &len), 0);
        fd = mkstemp(path);
        assert_true(fd >= 0);
        assert_int_equal(write(fd, tar, len), (ssize_t) len);
        close(fd);

        assert_int_equal(run((char *[]) {"tar", "--numeric-owner", "-tvf", path, NULL}, out, sizeof(out)), 0);
        assert_listed(out, "-rw-r--r-- 0/0", "3", "ca.pem");
        assert_listed(out, "-rw-r--r-- 0/0", "512", "cert.pem");
        assert_listed(out, "-rw------- 0/0", "103", "key.pem");
        assert_listed(out, "-rw-r--r-- 0/0", "0", "empty");
        assert_int_equal(run((char *[]) {"tar", "-xOf", path, "key.pem", NULL}, out, sizeof(out)), 0);
        assert_string_equal(out, key_pem);
        unlink(path);
}

/* client.tar as `docker context export` writes it: meta.json naming the endpoint, the PEM files
 * under tls/docker/; a changed endpoint makes it stale. */
static void test_context_bundle(_unused_ void **state) {
        struct drs_bundle_texts t = {.context = "host\"1", .url = "tcp://[fd00::2]:2376", .ca = "CA\n", .cert = "CERT\n",
                                     .key = "KEY\n"};
        const char *meta = "{\"Name\":\"host\\\"1\",\"Metadata\":{},\"Endpoints\":{\"docker\":{\"Host\":"
                           "\"tcp://[fd00::2]:2376\",\"SkipTLSVerify\":false}}}";
        _cleanup_free_ char *tar = NULL;
        const char *data;
        size_t len, n;
        unsigned mode;

        assert_int_equal(tls_bundle_tar(&t, 0, &tar, &len), 0);
        assert_int_equal(ustar_find(tar, len, "meta.json", &data, &n, &mode), 0);
        assert_int_equal(mode, 0644);
        assert_int_equal(n, strlen(meta));
        assert_memory_equal(data, meta, n);
        assert_int_equal(ustar_find(tar, len, "tls/docker/key.pem", &data, &n, &mode), 0);
        assert_int_equal(mode, 0600);
        assert_int_equal(n, 4);
        assert_memory_equal(data, "KEY\n", n);
        assert_int_equal(ustar_find(tar, len, "key.pem", NULL, NULL, NULL), -ENOENT);
        assert_true(tls_bundle_tar_matches(tar, len, &t));
        t.url = "tcp://[fd00::2]:2380";
        assert_false(tls_bundle_tar_matches(tar, len, &t));
}

int main(void) {
        setenv("TZ", "UTC", 1);
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_layout),
                cmocka_unit_test(test_read_back),
                cmocka_unit_test(test_empty_and_bad),
                cmocka_unit_test(test_gnu_tar),
                cmocka_unit_test(test_context_bundle),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
