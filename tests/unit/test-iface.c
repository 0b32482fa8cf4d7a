/* test-iface.c: unit tests of the choices made from an interface list, on hand-built lists. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "iface.h"
#include "util.h"

enum { DOWN = 0, UP = 1 << 0, LOOPBACK = 1 << 1, DEFAULT = 1 << 2 };

/* Appends an interface with the given flags and addresses ("10.0.0.2/24", …, NULL). */
static void add(struct drs_iface_list *l, const char *name, unsigned flags, ...) {
        struct drs_iface *i;
        const char *s;
        va_list ap;

        l->items = xrealloc(l->items, (l->n + 1) * sizeof(struct drs_iface));
        i = &l->items[l->n++];
        *i = (struct drs_iface) {
                .name = xstrdup(name),
                .up = flags & UP,
                .loopback = flags & LOOPBACK,
                .default_route = flags & DEFAULT,
        };
        va_start(ap, flags);
        while ((s = va_arg(ap, const char *))) {
                _cleanup_free_ char *a = xstrndup(s, strcspn(s, "/"));
                struct drs_iface_addr ia = {.prefixlen = s[strlen(a)] ? (unsigned) atoi(s + strlen(a) + 1) : 0};

                assert_int_equal(addr_parse(a, &ia.addr), 0);
                i->addrs = xrealloc(i->addrs, (i->n_addrs + 1) * sizeof(struct drs_iface_addr));
                i->addrs[i->n_addrs++] = ia;
        }
        va_end(ap);
}

static struct drs_addr A(const char *s) {
        struct drs_addr a;
        assert_int_equal(addr_parse(s, &a), 0);
        return a;
}

static void test_plumbing(_unused_ void **state) {
        const char *yes[] = {"veth1a2b3c4", "docker0", "docker_gwbridge", "br-0123456789ab", "cni0", "cni-podman0",
                             "flannel.1", "cali1234abcd", "vxlan.calico", "cilium_host", "ve-apply-1", "vb-br0"};
        const char *no[] = {"eth0", "enp0s31f6", "ens3", "br0", "bond0", "wlan0", "docker1", "lo", "tailscale0", "wg0"};

        for (size_t i = 0; i < ELEMENTSOF(yes); i++)
                assert_true(iface_is_container_plumbing(yes[i]));
        for (size_t i = 0; i < ELEMENTSOF(no); i++)
                assert_false(iface_is_container_plumbing(no[i]));
}

static void test_find(_unused_ void **state) {
        _cleanup_(iface_list_done) struct drs_iface_list l = {0};

        assert_null(iface_list_find(&l, "eth0"));
        add(&l, "eth0", UP, "192.0.2.2/24", NULL);
        add(&l, "eth1", UP, "10.0.0.2/24", "fd00::2/64", NULL);
        assert_ptr_equal(iface_list_find(&l, "eth1"), &l.items[1]);
        assert_null(iface_list_find(&l, "eth2"));
        assert_int_equal(l.items[1].addrs[1].prefixlen, 64);

        struct drs_addr a = A("fd00::2"), b = A("10.0.0.3");
        assert_true(iface_has_address(&l.items[1], &a));
        assert_false(iface_has_address(&l.items[1], &b));
        assert_false(iface_has_address(&l.items[0], &a));

        iface_list_done(&l);
        assert_int_equal(l.n, 0);
        assert_null(l.items);
}

static void test_preselect_private_over_default_route(_unused_ void **state) {
        _cleanup_(iface_list_done) struct drs_iface_list l = {0};

        add(&l, "eth0", UP | DEFAULT, "203.0.113.5/24", "2001:db8::5/64", NULL);
        add(&l, "eth1", UP, "10.213.0.2/24", NULL);
        assert_int_equal(iface_preselect(&l), 1);
}

static void test_preselect_private_without_default_route(_unused_ void **state) {
        _cleanup_(iface_list_done) struct drs_iface_list l = {0};

        /* A cloud VM: the VPC NIC is private too, but it carries the default route. */
        add(&l, "ens3", UP | DEFAULT, "10.0.0.5/24", NULL);
        add(&l, "ens4", UP, "192.168.100.2/24", NULL);
        assert_int_equal(iface_preselect(&l), 1);
}

static void test_preselect_skips(_unused_ void **state) {
        _cleanup_(iface_list_done) struct drs_iface_list l = {0};

        /* Sorted by name, as ifenum_list() returns them. */
        add(&l, "br-0123456789ab", UP, "172.18.0.1/16", NULL);
        add(&l, "docker0", UP, "172.17.0.1/16", NULL);
        add(&l, "eth0", UP | DEFAULT, "198.51.100.7/24", NULL);
        add(&l, "eth1", DOWN, "10.0.0.2/24", NULL);
        add(&l, "lo", UP | LOOPBACK, "127.0.0.1/8", "::1/128", NULL);
        add(&l, "veth1a2b3c4", UP, "fe80::1/64", NULL);
        /* No private interface that qualifies: the public default-route one, not docker0. */
        assert_int_equal(iface_preselect(&l), 2);

        l.items[3].up = true;
        assert_int_equal(iface_preselect(&l), 3);
}

static void test_preselect_fallbacks(_unused_ void **state) {
        _cleanup_(iface_list_done) struct drs_iface_list l = {0};

        assert_int_equal(iface_preselect(&l), -1);

        /* Only link-local addresses, or only loopback: nothing to offer. */
        add(&l, "eth0", UP, "fe80::1/64", "169.254.3.4/16", NULL);
        add(&l, "lo", UP | LOOPBACK, "127.0.0.1/8", NULL);
        assert_int_equal(iface_preselect(&l), -1);

        /* A private address that carries the default route is still better than nothing. */
        add(&l, "wlan0", UP | DEFAULT, "192.168.1.20/24", NULL);
        assert_int_equal(iface_preselect(&l), 2);
}

static void test_preselect_cgnat_ula(_unused_ void **state) {
        _cleanup_(iface_list_done) struct drs_iface_list a = {0};
        _cleanup_(iface_list_done) struct drs_iface_list b = {0};

        add(&a, "eth0", UP | DEFAULT, "192.0.2.2/24", NULL);
        add(&a, "tailscale0", UP, "100.101.102.103/32", NULL);
        assert_int_equal(iface_preselect(&a), 1);

        add(&b, "eth0", UP | DEFAULT, "192.0.2.2/24", NULL);
        add(&b, "eth1", UP, "fe80::2/64", "fd00:1::2/64", NULL);
        assert_int_equal(iface_preselect(&b), 1);
}

static void check_pick(const struct drs_iface *i, int expected_r, const char *expected) {
        struct drs_addr a = {.family = 99};

        assert_int_equal(iface_pick_address(i, &a), expected_r);
        if (expected) {
                struct drs_addr e = A(expected);
                assert_true(addr_equal(&a, &e));
        } else
                assert_int_equal(a.family, 99); /* untouched on failure */
}

static void test_pick_address(_unused_ void **state) {
        _cleanup_(iface_list_done) struct drs_iface_list l = {0};

        add(&l, "v4pref", UP, "fe80::1/64", "2001:db8::1/64", "10.0.0.2/24", NULL);
        add(&l, "two4", UP, "10.0.0.2/24", "10.0.0.3/24", NULL);
        add(&l, "none", UP, NULL);
        add(&l, "linklocal", UP, "fe80::1/64", "169.254.7.7/16", NULL);
        add(&l, "ula", UP, "fe80::1/64", "fd00::2/64", NULL);
        add(&l, "two6", UP, "fd00::2/64", "2001:db8::2/64", NULL);
        add(&l, "ll4ula", UP, "169.254.1.1/16", "fd00::5/64", NULL);
        add(&l, "dup", UP, "10.0.0.9/24", "10.0.0.9/24", NULL);
        add(&l, "mcast", UP, "ff02::1/128", NULL);
        add(&l, "v4twov6", UP, "2001:db8::1/64", "fd00::1/64", "192.168.7.1/24", NULL);

        check_pick(&l.items[0], 0, "10.0.0.2");
        check_pick(&l.items[1], -EEXIST, NULL);
        check_pick(&l.items[2], -ENOENT, NULL);
        check_pick(&l.items[3], -ENOENT, NULL);
        check_pick(&l.items[4], 0, "fd00::2");
        check_pick(&l.items[5], -EEXIST, NULL);
        check_pick(&l.items[6], 0, "fd00::5");
        check_pick(&l.items[7], 0, "10.0.0.9");
        check_pick(&l.items[8], -ENOENT, NULL);
        check_pick(&l.items[9], 0, "192.168.7.1");
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_plumbing),
                cmocka_unit_test(test_find),
                cmocka_unit_test(test_preselect_private_over_default_route),
                cmocka_unit_test(test_preselect_private_without_default_route),
                cmocka_unit_test(test_preselect_skips),
                cmocka_unit_test(test_preselect_fallbacks),
                cmocka_unit_test(test_preselect_cgnat_ula),
                cmocka_unit_test(test_pick_address),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
