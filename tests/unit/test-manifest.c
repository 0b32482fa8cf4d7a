/* test-manifest.c: unit tests of reading backup manifests and transaction records: every field checked. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "manifest.h"
#include "util.h"

#define SHA "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

/* A manifest with one file that existed; field FIELD of the file (or of the set, for the keys
 * of the set) replaced by the JSON text VALUE when FIELD is not NULL. */
static char *manifest(const char *field, const char *value) {
        const char *keys[] = {"id", "kind", "dirs_created", "path", "mode", "uid", "gid", "sha256", "blob"};
        const char *vals[] = {"\"20261202-101500\"", "\"apply\"", "[\"/etc/docker/remote-setup\"]",
                              "\"/etc/systemd/system/docker.service.d/override.conf\"", "420", "0", "0",
                              "\"" SHA "\"", "\"0\""};
        for (size_t i = 0; field && i < ELEMENTSOF(keys); i++)
                if (streq(keys[i], field))
                        vals[i] = value;
        return xasprintf("{\"format\": 1, \"id\": %s, \"created\": \"2026-12-02T10:15:00Z\", \"kind\": %s, "
                         "\"summary\": \"s\", \"listen_before\": [], \"dirs_created\": %s, \"files\": [{\"path\": %s, "
                         "\"existed\": true, \"mode\": %s, \"uid\": %s, \"gid\": %s, \"sha256\": %s, \"blob\": %s}]}",
                         vals[0], vals[1], vals[2], vals[3], vals[4], vals[5], vals[6], vals[7], vals[8]);
}

/* Parses the manifest with FIELD set to VALUE: 0 or -EBADMSG, the message when refused. */
static int parse(const char *field, const char *value, char **ret_message) {
        _cleanup_free_ char *text = manifest(field, value);
        struct drs_manifest m = {0};
        struct drs_diag d = {0};
        int r = manifest_parse("/m/manifest.json", text, &m, &d);
        if (r >= 0)
                manifest_done(&m);
        *ret_message = d.message ? xstrdup(d.message) : NULL;
        diag_done(&d);
        return r;
}

static void refused(const char *field, const char *value) {
        _cleanup_free_ char *msg = NULL;
        assert_int_not_equal(parse(field, value, &msg), 0);
        assert_non_null(msg);
}

static void test_valid(_unused_ void **state) {
        _cleanup_free_ char *msg = NULL;
        assert_int_equal(parse(NULL, NULL, &msg), 0);
        assert_int_equal(parse("mode", "4095", &msg), 0); /* 07777 */
        assert_int_equal(parse("uid", "4294967294", &msg), 0);
        assert_int_equal(parse("id", "\"20261202-101500-12\"", &msg), 0);
}

static void test_numbers(_unused_ void **state) {
        refused("mode", "4294967295");
        refused("mode", "4096");
        refused("mode", "-1");
        refused("uid", "-5");
        refused("gid", "4294967295");
        refused("uid", "\"0\"");
}

static void test_paths(_unused_ void **state) {
        refused("path", "\"etc/x\"");
        refused("path", "\"/etc/systemd/system/docker.service.d/../../../../var/lib/docker-remote-setup/lock\"");
        refused("path", "\"/etc//x\"");
        refused("path", "\"/etc/x/\"");
        refused("path", "\"/etc/./x\"");
        refused("path", "\"/var/lib/docker-remote-setup/current.json\"");
        refused("path", "\"/etc/x\\ny\"");
        refused("dirs_created", "[\"/etc/x/..\"]");
        refused("dirs_created", "[\"/var/lib/docker-remote-setup\"]");
}

static void test_other_fields(_unused_ void **state) {
        refused("sha256", "\"xyz\"");
        refused("sha256", "\"" SHA "0\"");
        refused("blob", "\"../0\"");
        refused("blob", "\"manifest.json\"");
        refused("id", "\"../x\"");
        refused("kind", "\"format-disk\"");
}

static void test_txn(_unused_ void **state) {
        struct drs_txn t = {0};
        struct drs_diag d = {0};
        assert_int_equal(txn_parse("/c", "{\"id\": \"20261202-101500\", \"phase\": \"writing\", \"deadline\": 0, "
                                         "\"timers\": [\"docker-remote-setup-revert-20261202-101500\"], "
                                         "\"dirs_created\": [\"/etc/docker\"], \"pid\": 5}", &t, &d), 0);
        txn_done(&t);
        assert_int_not_equal(txn_parse("/c", "{\"id\": \"20261202-101500\", \"phase\": \"writing\", \"deadline\": 0, "
                                             "\"timers\": [], \"dirs_created\": [\"/etc/../etc\"], \"pid\": 5}", &t, &d), 0);
        assert_int_not_equal(txn_parse("/c", "{\"id\": \"x/y\", \"phase\": \"writing\", \"deadline\": 0, "
                                             "\"timers\": [], \"dirs_created\": [], \"pid\": 5}", &t, &d), 0);
        assert_int_not_equal(txn_parse("/c", "{\"id\": \"20261202-101500\", \"phase\": \"writing\", \"deadline\": 0, "
                                             "\"timers\": [\"sshd\"], \"dirs_created\": [], \"pid\": 5}", &t, &d), 0);
        assert_int_not_equal(txn_parse("/c", "garbage", &t, &d), 0);
        diag_done(&d);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_valid),
                cmocka_unit_test(test_numbers),
                cmocka_unit_test(test_paths),
                cmocka_unit_test(test_other_fields),
                cmocka_unit_test(test_txn),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
