/* test-allowlist.c: unit tests of --allow-from values: CIDR parsing, host bits, /0, any, duplicates. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "allowlist.h"
#include "macro.h"
#include "util.h"

static void check_ok(const char *in, const char *canonical) {
        struct drs_cidr c;
        struct drs_diag d = {0};
        assert_int_equal(cidr_parse(in, &c, &d), 0);
        assert_null(d.message);
        _cleanup_free_ char *s = cidr_to_string(&c);
        assert_string_equal(s, canonical);
}

static void check_bad(const char *in, int err, const char *needle) {
        struct drs_cidr c;
        struct drs_diag d = {0};
        assert_int_equal(cidr_parse(in, &c, &d), err);
        assert_non_null(d.message);
        assert_non_null(strstr(d.message, in)); /* names the bad value */
        if (needle)
                assert_non_null(strstr(d.message, needle));
        diag_done(&d);
}

static void test_parse_ok(_unused_ void **state) {
        check_ok("10.213.0.1", "10.213.0.1/32");         /* bare address: one host */
        check_ok("10.213.0.0/24", "10.213.0.0/24");
        check_ok("10.0.0.0/8", "10.0.0.0/8");
        check_ok("192.168.1.7/32", "192.168.1.7/32");
        check_ok("128.0.0.0/1", "128.0.0.0/1");
        check_ok("fd00::1", "fd00::1/128");
        check_ok("FD00:0:0::/64", "fd00::/64");
        check_ok("2001:db8::/32", "2001:db8::/32");
        check_ok("::1/128", "::1/128");
}

static void test_parse_malformed(_unused_ void **state) {
        check_bad("", -EINVAL, NULL);
        check_bad("10.0.0", -EINVAL, NULL);
        check_bad("host.example", -EINVAL, NULL);
        check_bad("10.0.0.0/", -EINVAL, "prefix");
        check_bad("10.0.0.0/33", -EINVAL, "32");
        check_bad("10.0.0.0/-1", -EINVAL, NULL);
        check_bad("10.0.0.0/08", -EINVAL, NULL);
        check_bad("10.0.0.0/8/8", -EINVAL, NULL);
        check_bad("10.0.0.0/ 8", -EINVAL, NULL);
        check_bad("fd00::/129", -EINVAL, "128");
        check_bad("[fd00::1]", -EINVAL, NULL);
        check_bad("fe80::1%eth0", -EINVAL, NULL);
        check_bad("/24", -EINVAL, NULL);
}

static void test_parse_host_bits(_unused_ void **state) {
        struct drs_cidr c;
        struct drs_diag d = {0};
        check_bad("10.213.0.1/24", -EDOM, "10.213.0.0/24");
        check_bad("192.168.1.130/25", -EDOM, "192.168.1.128/25");
        check_bad("fd00::1/64", -EDOM, "fd00::/64");
        assert_int_equal(cidr_parse("10.1.2.3/16", &c, &d), -EDOM);
        _cleanup_free_ char *s = cidr_to_string(&c); /* the network it would be */
        assert_string_equal(s, "10.1.0.0/16");
        diag_done(&d);
}

static void test_parse_everything(_unused_ void **state) {
        check_bad("0.0.0.0/0", -ERANGE, "any");
        check_bad("::/0", -ERANGE, "no restriction");
        check_bad("10.0.0.0/0", -ERANGE, "any");
}

static void test_contains(_unused_ void **state) {
        _cleanup_strv_free_ char **l = NULL;
        struct drs_addr a;
        bool any = false;
        assert_int_equal(allowlist_add(&l, &any, "10.213.0.0/30", NULL), 0);
        assert_int_equal(allowlist_add(&l, &any, "fd00::/64", NULL), 0);
        assert_int_equal(addr_parse("10.213.0.3", &a), 0);
        assert_true(allowlist_contains(l, &a));
        assert_int_equal(addr_parse("10.213.0.5", &a), 0);
        assert_false(allowlist_contains(l, &a));
        assert_int_equal(addr_parse("fd00::abcd", &a), 0);
        assert_true(allowlist_contains(l, &a));
        assert_int_equal(addr_parse("fd01::1", &a), 0);
        assert_false(allowlist_contains(l, &a));
        assert_false(allowlist_contains(NULL, &a));
}

static void test_list(_unused_ void **state) {
        _cleanup_strv_free_ char **l = NULL;
        struct drs_diag d = {0};
        bool any = false;
        assert_int_equal(allowlist_add(&l, &any, "10.213.0.1", &d), 0);
        assert_int_equal(allowlist_add(&l, &any, "fd00::/64", &d), 0);
        assert_int_equal(allowlist_add(&l, &any, "10.213.0.1/32", &d), -EEXIST); /* duplicate */
        assert_non_null(strstr(d.message, "10.213.0.1/32"));
        assert_int_equal(allowlist_add(&l, &any, "FD00::/64", &d), -EEXIST);    /* the same network spelt otherwise */
        assert_int_equal(allowlist_add(&l, &any, "10.0.0.1/8", &d), -EDOM);
        assert_int_equal(allowlist_add(&l, &any, "::/0", &d), -ERANGE);
        assert_int_equal(allowlist_add(&l, &any, "any", &d), -EINVAL);           /* any with networks */
        assert_non_null(strstr(d.message, "any"));
        assert_false(any);
        assert_int_equal(strv_length(l), 2);
        _cleanup_free_ char *j = allowlist_join(l, " "), *k = allowlist_join(l, ", ");
        assert_string_equal(j, "10.213.0.1/32 fd00::/64");
        assert_string_equal(k, "10.213.0.1/32, fd00::/64");
        diag_done(&d);
}

static void test_any(_unused_ void **state) {
        _cleanup_strv_free_ char **l = NULL;
        struct drs_diag d = {0};
        bool any = false;
        assert_int_equal(allowlist_add(&l, &any, "any", &d), 0);
        assert_true(any);
        assert_int_equal(allowlist_add(&l, &any, "any", &d), 0);  /* twice: still none */
        assert_int_equal(allowlist_add(&l, &any, "10.0.0.0/8", &d), -EINVAL);
        assert_non_null(strstr(d.message, "10.0.0.0/8"));
        assert_int_equal(strv_length(l), 0);
        _cleanup_free_ char *j = allowlist_join(l, " ");
        assert_string_equal(j, "");
        diag_done(&d);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_parse_ok),         cmocka_unit_test(test_parse_malformed),
                cmocka_unit_test(test_parse_host_bits),  cmocka_unit_test(test_parse_everything),
                cmocka_unit_test(test_contains),         cmocka_unit_test(test_list),
                cmocka_unit_test(test_any),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
