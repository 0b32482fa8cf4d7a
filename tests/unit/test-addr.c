/* test-addr.c: unit tests of address parsing, classification, ports and interface names. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "addr.h"
#include "macro.h"

static enum drs_addr_class cls(const char *s) {
        struct drs_addr a;
        assert_int_equal(addr_parse(s, &a), 0);
        return addr_classify(&a);
}

static void test_classify(_unused_ void **state) {
        assert_int_equal(cls("127.0.0.1"), ADDR_CLASS_LOOPBACK);
        assert_int_equal(cls("127.255.1.2"), ADDR_CLASS_LOOPBACK);
        assert_int_equal(cls("::1"), ADDR_CLASS_LOOPBACK);
        assert_int_equal(cls("10.213.0.2"), ADDR_CLASS_PRIVATE);
        assert_int_equal(cls("172.16.0.1"), ADDR_CLASS_PRIVATE);
        assert_int_equal(cls("172.31.255.255"), ADDR_CLASS_PRIVATE);
        assert_int_equal(cls("172.32.0.1"), ADDR_CLASS_PUBLIC);
        assert_int_equal(cls("192.168.1.10"), ADDR_CLASS_PRIVATE);
        assert_int_equal(cls("100.64.0.1"), ADDR_CLASS_CGNAT);
        assert_int_equal(cls("100.127.255.254"), ADDR_CLASS_CGNAT);
        assert_int_equal(cls("100.128.0.1"), ADDR_CLASS_PUBLIC);
        assert_int_equal(cls("169.254.10.1"), ADDR_CLASS_LINK_LOCAL);
        assert_int_equal(cls("fe80::1"), ADDR_CLASS_LINK_LOCAL);
        assert_int_equal(cls("febf::1"), ADDR_CLASS_LINK_LOCAL);
        assert_int_equal(cls("fd00::2"), ADDR_CLASS_ULA);
        assert_int_equal(cls("fc12::1"), ADDR_CLASS_ULA);
        assert_int_equal(cls("0.0.0.0"), ADDR_CLASS_UNSPECIFIED);
        assert_int_equal(cls("::"), ADDR_CLASS_UNSPECIFIED);
        assert_int_equal(cls("8.8.8.8"), ADDR_CLASS_PUBLIC);
        assert_int_equal(cls("192.0.2.2"), ADDR_CLASS_PUBLIC);
        assert_int_equal(cls("2001:db8::1"), ADDR_CLASS_PUBLIC);
        assert_int_equal(cls("224.0.0.1"), ADDR_CLASS_MULTICAST);
        assert_int_equal(cls("ff02::1"), ADDR_CLASS_MULTICAST);
        assert_int_equal(cls("::ffff:10.1.2.3"), ADDR_CLASS_PRIVATE);
}

static void test_parse_bad(_unused_ void **state) {
        struct drs_addr a = {.family = 99};
        const char *bad[] = {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "[::1]", "fe80::1%eth0", "eth0",
                             " 10.0.0.1", "10.0.0.1 ", "::g", "10.0.0.01x"};
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
                assert_int_equal(addr_parse(bad[i], &a), -EINVAL);
        assert_int_equal(a.family, 99); /* untouched on failure */
}

static void test_format(_unused_ void **state) {
        struct drs_addr a;
        char *s;

        assert_int_equal(addr_parse("10.213.0.2", &a), 0);
        s = addr_hostport(&a, 2375);
        assert_string_equal(s, "10.213.0.2:2375");
        free(s);
        assert_int_equal(addr_parse("FD00:0:0::2", &a), 0);
        s = addr_hostport(&a, 2376);
        assert_string_equal(s, "[fd00::2]:2376");
        free(s);
        assert_int_equal(addr_parse("0.0.0.0", &a), 0);
        s = addr_listen_text(&a, 2376, false);
        assert_string_equal(s, "[::]:2376");
        free(s);
        s = addr_listen_text(&a, 2376, true); /* a kernel without dual-stack sockets */
        assert_string_equal(s, "0.0.0.0:2376");
        free(s);
        assert_int_equal(addr_parse("10.213.0.2", &a), 0);
        s = addr_listen_text(&a, 2375, true);
        assert_string_equal(s, "10.213.0.2:2375");
        free(s);
}

static void test_policy(_unused_ void **state) {
        assert_true(addr_class_allows_plain(ADDR_CLASS_PRIVATE));
        assert_true(addr_class_allows_plain(ADDR_CLASS_CGNAT));
        assert_true(addr_class_allows_plain(ADDR_CLASS_ULA));
        assert_true(addr_class_allows_plain(ADDR_CLASS_LOOPBACK));
        assert_false(addr_class_allows_plain(ADDR_CLASS_PUBLIC));
        assert_false(addr_class_allows_plain(ADDR_CLASS_UNSPECIFIED));
        assert_false(addr_class_allows_plain(ADDR_CLASS_LINK_LOCAL));
        assert_true(addr_class_needs_allow_public(ADDR_CLASS_PUBLIC));
        assert_true(addr_class_needs_allow_public(ADDR_CLASS_UNSPECIFIED));
        assert_false(addr_class_needs_allow_public(ADDR_CLASS_CGNAT));
        assert_false(addr_class_usable(ADDR_CLASS_LINK_LOCAL));
}

static void test_port(_unused_ void **state) {
        uint16_t p = 7;
        assert_int_equal(port_parse("2376", &p), 0);
        assert_int_equal(p, 2376);
        assert_int_equal(port_parse("1", &p), 0);
        assert_int_equal(port_parse("65535", &p), 0);
        assert_int_equal(p, 65535);
        p = 7;
        assert_int_equal(port_parse("0", &p), -ERANGE);
        assert_int_equal(port_parse("65536", &p), -ERANGE);
        assert_int_equal(port_parse("99999999999", &p), -EINVAL);
        assert_int_equal(port_parse("abc", &p), -EINVAL);
        assert_int_equal(port_parse("-1", &p), -EINVAL);
        assert_int_equal(port_parse("+80", &p), -EINVAL);
        assert_int_equal(port_parse("", &p), -EINVAL);
        assert_int_equal(port_parse("80 ", &p), -EINVAL);
        assert_int_equal(p, 7);
}

static void test_ifname(_unused_ void **state) {
        assert_true(ifname_valid("eth0"));
        assert_true(ifname_valid("enp0s31f6"));
        assert_true(ifname_valid("br-0123456789ab"));
        assert_false(ifname_valid(""));
        assert_false(ifname_valid("abcdefghijklmnop"));
        assert_false(ifname_valid("eth0:1"));
        assert_false(ifname_valid("a/b"));
        assert_false(ifname_valid("a b"));
        assert_false(ifname_valid(".."));
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_classify), cmocka_unit_test(test_parse_bad),
                cmocka_unit_test(test_format),   cmocka_unit_test(test_policy),
                cmocka_unit_test(test_port),     cmocka_unit_test(test_ifname),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
