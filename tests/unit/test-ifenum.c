/* test-ifenum.c: unit tests of interface enumeration: route table parsing, the live host, a fresh netns. */
#include <errno.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "ifenum.h"
#include "util.h"

/* Copied from a host (Debian 12, kernel 6.x): one IPv4 default route via eth0, and the
 * IPv6 table with its default route via eth0 and the kernel's unreachable ::/0 on lo. */
static const char route4_host[] =
        "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT       "
        "                                                \n"
        "eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0                                "
        "                                               \n"
        "eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0                                "
        "                                               \n";

static const char route6_host[] =
        "fd000000000000000000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 "
        "00000100 00000001 00000000 00000001     eth0\n"
        "fe800000000000000000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 "
        "00000100 00000002 00000000 00000001     eth0\n"
        "00000000000000000000000000000000 00 00000000000000000000000000000000 00 fd000000000000000000000000000001 "
        "00000400 00000002 00000000 00000003     eth0\n"
        "00000000000000000000000000000001 80 00000000000000000000000000000000 00 00000000000000000000000000000000 "
        "00000000 00000002 00000000 80200001       lo\n"
        "ff000000000000000000000000000000 08 00000000000000000000000000000000 00 00000000000000000000000000000000 "
        "00000100 00000003 00000000 00000001     eth0\n"
        "00000000000000000000000000000000 00 00000000000000000000000000000000 00 00000000000000000000000000000000 "
        "ffffffff 00000001 00000000 00200200       lo\n";

static void check_routes(const char *r4, const char *r6, const char *const *expected) {
        char **names = (char **) 0x1;

        assert_int_equal(ifenum_parse_default_routes(r4, r6, &names), 0);
        assert_non_null(names);
        for (size_t i = 0; expected[i] || names[i]; i++) {
                assert_non_null(expected[i]);
                assert_non_null(names[i]);
                assert_string_equal(names[i], expected[i]);
        }
        strv_free(names);
}

static void test_routes_host(void **state) {
        check_routes(route4_host, route6_host, (const char *[]) {"eth0", NULL});
        check_routes(route4_host, NULL, (const char *[]) {"eth0", NULL});
        check_routes(NULL, route6_host, (const char *[]) {"eth0", NULL});
}

static void test_routes_two_defaults(void **state) {
        /* From a network namespace set up with `ip` (the veth peers' lines left out): two IPv4
         * defaults (metrics 100 and 600), a blackhole default (shown on "*", flags only RTF_UP),
         * an IPv6 default through wg0, an unreachable ::/0 and a prohibit route (RTF_REJECT, on lo). */
        static const char r4[] =
                "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT     "
                "                                                  \n"
                "enp3s0\t00000000\t0100A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0                          "
                "                                                 \n"
                "wlan0\t00000000\t0101A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0                           "
                "                                                 \n"
                "*\t00000000\t00000000\t0001\t0\t0\t4000\t00000000\t0\t0\t0                              "
                "                                                 \n"
                "enp3s0\t0000A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0                            "
                "                                                 \n"
                "wlan0\t0001A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0                             "
                "                                                 \n";
        static const char r6[] =
                "20010db8000000000000000000000000 20 00000000000000000000000000000000 00 0000000000000000"
                "0000000000000000 00000400 00000001 00000000 00200200       lo\n"
                "fd000001000000000000000000000000 40 00000000000000000000000000000000 00 0000000000000000"
                "0000000000000000 00000100 00000001 00000000 00000001      wg0\n"
                "fe800000000000000000000000000000 40 00000000000000000000000000000000 00 0000000000000000"
                "0000000000000000 00000100 00000001 00000000 00000001   enp3s0\n"
                "fe800000000000000000000000000000 40 00000000000000000000000000000000 00 0000000000000000"
                "0000000000000000 00000100 00000001 00000000 00000001    wlan0\n"
                "fe800000000000000000000000000000 40 00000000000000000000000000000000 00 0000000000000000"
                "0000000000000000 00000100 00000001 00000000 00000001      wg0\n"
                "00000000000000000000000000000000 00 00000000000000000000000000000000 00 0000000000000000"
                "0000000000000000 00000400 00000001 00000000 00000001      wg0\n"
                "00000000000000000000000000000000 00 00000000000000000000000000000000 00 0000000000000000"
                "0000000000000000 000007d0 00000001 00000000 00200200       lo\n"
                "00000000000000000000000000000001 80 00000000000000000000000000000000 00 0000000000000000"
                "0000000000000000 00000000 00000002 00000000 80200001       lo\n"
                "fd000001000000000000000000000002 80 00000000000000000000000000000000 00 0000000000000000"
                "0000000000000000 00000000 00000002 00000000 80200001      wg0\n"
                "ff000000000000000000000000000000 08 00000000000000000000000000000000 00 0000000000000000"
                "0000000000000000 00000100 00000002 00000000 00000001   enp3s0\n"
                "ff000000000000000000000000000000 08 00000000000000000000000000000000 00 0000000000000000"
                "0000000000000000 00000100 00000002 00000000 00000001      wg0\n"
                "00000000000000000000000000000000 00 00000000000000000000000000000000 00 0000000000000000"
                "0000000000000000 ffffffff 00000001 00000000 00200200       lo\n";

        check_routes(r4, r6, (const char *[]) {"enp3s0", "wlan0", "wg0", NULL});
}

static void test_routes_none(void **state) {
        /* From a network namespace with link routes only, plus an unreachable ::/0 (on lo). */
        static const char r4[] =
                "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT     "
                "                                                  \n"
                "eth1\t0000000A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0                              "
                "                                                 \n";
        static const char r6[] =
                "fd000000000000000000000000000000 40 00000000000000000000000000000000 00 0000000000000000"
                "0000000000000000 00000100 00000001 00000000 00000001     eth1\n"
                "fe800000000000000000000000000000 40 00000000000000000000000000000000 00 0000000000000000"
                "0000000000000000 00000100 00000001 00000000 00000001     eth1\n"
                "00000000000000000000000000000000 00 00000000000000000000000000000000 00 0000000000000000"
                "0000000000000000 000007d0 00000001 00000000 00200200       lo\n"
                "00000000000000000000000000000001 80 00000000000000000000000000000000 00 0000000000000000"
                "0000000000000000 00000000 00000002 00000000 80200001       lo\n"
                "fd000000000000000000000000000002 80 00000000000000000000000000000000 00 0000000000000000"
                "0000000000000000 00000000 00000002 00000000 80200001     eth1\n"
                "ff000000000000000000000000000000 08 00000000000000000000000000000000 00 0000000000000000"
                "0000000000000000 00000100 00000003 00000000 00000001     eth1\n"
                "00000000000000000000000000000000 00 00000000000000000000000000000000 00 0000000000000000"
                "0000000000000000 ffffffff 00000001 00000000 00200200       lo\n";

        check_routes(r4, r6, (const char *[]) {NULL});
        check_routes(NULL, NULL, (const char *[]) {NULL});
        check_routes("", "", (const char *[]) {NULL});
        check_routes("garbage\n\n\t\n", "1 2 3\n", (const char *[]) {NULL});
}

static bool has_addr(const struct drs_iface *i, const char *s, unsigned prefixlen) {
        struct drs_addr a;
        assert_int_equal(addr_parse(s, &a), 0);
        for (size_t k = 0; k < i->n_addrs; k++)
                if (addr_equal(&i->addrs[k].addr, &a) && i->addrs[k].prefixlen == prefixlen)
                        return true;
        return false;
}

static void test_live_host(void **state) {
        _cleanup_(iface_list_done) struct drs_iface_list l = {0};
        const struct drs_iface *lo;

        assert_int_equal(ifenum_list(&l), 0);
        lo = iface_list_find(&l, "lo");
        assert_non_null(lo);
        assert_true(lo->loopback);
        assert_true(lo->up);
        assert_false(lo->default_route);
        assert_true(has_addr(lo, "127.0.0.1", 8));
        for (size_t i = 1; i < l.n; i++)
                assert_true(strcmp(l.items[i - 1].name, l.items[i].name) < 0);
}

/* Runs in a child inside a new network namespace; the exit code says what was wrong. */
static void _noreturn_ child_in_fresh_netns(void) {
        struct drs_iface_list l = {0};

        if (unshare(CLONE_NEWNET) < 0)
                _exit(77);
        if (ifenum_list(&l) < 0)
                _exit(1);
        if (l.n != 1 || strcmp(l.items[0].name, "lo") != 0)
                _exit(2);
        if (!l.items[0].loopback)
                _exit(3);
        if (l.items[0].up) /* a fresh namespace's lo is down */
                _exit(4);
        if (l.items[0].default_route)
                _exit(5);
        if (l.items[0].n_addrs != 0) /* 127.0.0.1 appears only once lo is up */
                _exit(6);
        iface_list_done(&l);
        _exit(0);
}

static void test_fresh_netns(void **state) {
        int status;
        pid_t pid;

        pid = fork();
        assert_true(pid >= 0);
        if (pid == 0)
                child_in_fresh_netns();
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFEXITED(status));
        if (WEXITSTATUS(status) == 77)
                skip(); /* no CAP_SYS_ADMIN, or namespaces not permitted here */
        assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_routes_host), cmocka_unit_test(test_routes_two_defaults),
                cmocka_unit_test(test_routes_none), cmocka_unit_test(test_live_host),
                cmocka_unit_test(test_fresh_netns),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
