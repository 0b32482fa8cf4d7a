/* test-ifenum.c: unit tests of interface enumeration: route dump parsing, the live host, a fresh netns. */
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
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "ifenum.h"
#include "macro.h"
#include "util.h"

/* A buffer of rtnetlink messages, as one recv() of a route dump returns it. */
struct nlbuf {
        char data[4096] __attribute__((aligned(NLMSG_ALIGNTO)));
        size_t len;
};

static void *nl_put(struct nlbuf *b, size_t size) {
        void *p = b->data + b->len;
        assert_true(b->len + NLMSG_ALIGN(size) <= sizeof(b->data));
        memset(p, 0, NLMSG_ALIGN(size));
        b->len += NLMSG_ALIGN(size);
        return p;
}

static void rta_put(struct nlbuf *b, struct nlmsghdr *nh, unsigned short type, const void *data, size_t size) {
        struct rtattr *a = nl_put(b, RTA_LENGTH(size));
        a->rta_type = type;
        a->rta_len = (unsigned short) RTA_LENGTH(size);
        memcpy(RTA_DATA(a), data, size);
        nh->nlmsg_len = (uint32_t) (b->data + b->len - (char *) nh);
}

/* One RTM_NEWROUTE: family, destination length, type (RTN_*), table, output interface (0:
 * none), and the interfaces of a multipath route (0-terminated, NULL: not multipath). */
static void add_route(struct nlbuf *b, int family, unsigned char dst_len, unsigned char type, uint32_t table, int oif,
                      const int *multipath) {
        struct nlmsghdr *nh = nl_put(b, NLMSG_LENGTH(sizeof(struct rtmsg)));
        struct rtmsg *rt = NLMSG_DATA(nh);

        nh->nlmsg_type = RTM_NEWROUTE;
        nh->nlmsg_flags = NLM_F_MULTI;
        nh->nlmsg_len = NLMSG_LENGTH(sizeof(struct rtmsg));
        *rt = (struct rtmsg) {.rtm_family = (unsigned char) family, .rtm_dst_len = dst_len, .rtm_type = type,
                              .rtm_table = table < 256 ? (unsigned char) table : RT_TABLE_COMPAT,
                              .rtm_protocol = RTPROT_BOOT, .rtm_scope = RT_SCOPE_UNIVERSE};
        rta_put(b, nh, RTA_TABLE, &table, sizeof(table));
        if (oif)
                rta_put(b, nh, RTA_OIF, &oif, sizeof(oif));
        if (multipath) {
                char hops[256] = {0};
                size_t len = 0;
                for (size_t i = 0; multipath[i]; i++) {
                        struct rtnexthop *h = (struct rtnexthop *) (hops + len);
                        h->rtnh_len = sizeof(*h);
                        h->rtnh_ifindex = multipath[i];
                        len += RTNH_ALIGN(sizeof(*h));
                }
                rta_put(b, nh, RTA_MULTIPATH, hops, len);
        }
}

static void add_done(struct nlbuf *b) {
        struct nlmsghdr *nh = nl_put(b, NLMSG_LENGTH(sizeof(int)));
        nh->nlmsg_type = NLMSG_DONE;
        nh->nlmsg_len = NLMSG_LENGTH(sizeof(int));
}

static void check_routes(const struct nlbuf *b, int ret, const int *expected) {
        int *v = NULL;
        size_t n = 0, i;

        assert_int_equal(ifenum_parse_routes(b->data, b->len, &v, &n), ret);
        for (i = 0; expected[i]; i++) {
                assert_true(i < n);
                assert_int_equal(v[i], expected[i]);
        }
        assert_int_equal(n, i);
        free(v);
}

/* One route of a dump, for the tables below. */
struct route {
        int family;
        unsigned char dst_len, type;
        uint32_t table;
        int oif;
};

static void add_routes(struct nlbuf *b, const struct route *r, size_t n) {
        for (size_t i = 0; i < n; i++)
                add_route(b, r[i].family, r[i].dst_len, r[i].type, r[i].table, r[i].oif, NULL);
}

static void test_routes_host(_unused_ void **state) {
        /* A host as `ip route show table all` has it: IPv4 default via eth0 (2) and its link route;
         * IPv6 fd00::/64, fe80::/64 and the default on eth0, local and multicast routes, and
         * the kernel's unreachable ::/0 on lo (1). */
        static const struct route host[] = {
                {AF_INET, 0, RTN_UNICAST, RT_TABLE_MAIN, 2},     {AF_INET, 24, RTN_UNICAST, RT_TABLE_MAIN, 2},
                {AF_INET6, 64, RTN_UNICAST, RT_TABLE_MAIN, 2},   {AF_INET6, 64, RTN_UNICAST, RT_TABLE_MAIN, 2},
                {AF_INET6, 0, RTN_UNICAST, RT_TABLE_MAIN, 2},    {AF_INET6, 128, RTN_LOCAL, RT_TABLE_LOCAL, 1},
                {AF_INET6, 8, RTN_MULTICAST, RT_TABLE_LOCAL, 2}, {AF_INET6, 0, RTN_UNREACHABLE, RT_TABLE_MAIN, 1},
        };
        struct nlbuf b = {0};

        add_routes(&b, host, ELEMENTSOF(host));
        check_routes(&b, 0, (const int[]) {2, 0});
        add_done(&b);
        check_routes(&b, 1, (const int[]) {2, 0});
}

static void test_routes_two_defaults(_unused_ void **state) {
        /* Two IPv4 defaults (enp3s0 = 3, wlan0 = 4), a blackhole default, an IPv6 default
         * through wg0 (5), an unreachable ::/0 and a prohibit route on lo. */
        static const struct route two[] = {
                {AF_INET, 0, RTN_UNICAST, RT_TABLE_MAIN, 3},    {AF_INET, 0, RTN_UNICAST, RT_TABLE_MAIN, 4},
                {AF_INET, 0, RTN_BLACKHOLE, RT_TABLE_MAIN, 0},  {AF_INET, 24, RTN_UNICAST, RT_TABLE_MAIN, 3},
                {AF_INET6, 32, RTN_PROHIBIT, RT_TABLE_MAIN, 1}, {AF_INET6, 64, RTN_UNICAST, RT_TABLE_MAIN, 5},
                {AF_INET6, 0, RTN_UNICAST, RT_TABLE_MAIN, 5},   {AF_INET6, 0, RTN_UNREACHABLE, RT_TABLE_MAIN, 1},
        };
        struct nlbuf b = {0};

        add_routes(&b, two, ELEMENTSOF(two));
        add_done(&b);
        check_routes(&b, 1, (const int[]) {3, 4, 5, 0});
}

static void test_routes_multipath_tables(_unused_ void **state) {
        /* A multipath default over 6 and 7 (and again 3); defaults of other tables do not count. */
        struct nlbuf b = {0};

        add_route(&b, AF_INET, 0, RTN_UNICAST, RT_TABLE_MAIN, 0, (const int[]) {6, 7, 6, 0});
        add_route(&b, AF_INET, 0, RTN_UNICAST, 100, 8, NULL);
        add_route(&b, AF_INET6, 0, RTN_UNICAST, 1000, 9, NULL);
        add_route(&b, AF_INET6, 0, RTN_UNICAST, RT_TABLE_MAIN, 0, (const int[]) {3, 7, 0});
        add_done(&b);
        check_routes(&b, 1, (const int[]) {6, 7, 3, 0});
}

static void test_routes_none(_unused_ void **state) {
        struct nlbuf b = {0};
        struct nlmsghdr *nh;
        struct nlmsgerr *e;

        /* Link routes only, plus an unreachable ::/0 on lo. */
        static const struct route none[] = {
                {AF_INET, 24, RTN_UNICAST, RT_TABLE_MAIN, 2},
                {AF_INET6, 64, RTN_UNICAST, RT_TABLE_MAIN, 2},
                {AF_INET6, 0, RTN_UNREACHABLE, RT_TABLE_MAIN, 1},
        };
        add_routes(&b, none, ELEMENTSOF(none));
        add_done(&b);
        check_routes(&b, 1, (const int[]) {0});

        b.len = 0;
        check_routes(&b, 0, (const int[]) {0});

        /* An error answer, and a message cut short. */
        nh = nl_put(&b, NLMSG_LENGTH(sizeof(*e)));
        nh->nlmsg_type = NLMSG_ERROR;
        nh->nlmsg_len = NLMSG_LENGTH(sizeof(*e));
        e = NLMSG_DATA(nh);
        e->error = -EPERM;
        check_routes(&b, -EPERM, (const int[]) {0});
        b.len = 0;
        add_route(&b, AF_INET, 0, RTN_UNICAST, RT_TABLE_MAIN, 2, NULL);
        b.len -= 4;
        check_routes(&b, -EBADMSG, (const int[]) {0});
}

static bool has_addr(const struct drs_iface *i, const char *s, unsigned prefixlen) {
        struct drs_addr a;
        assert_int_equal(addr_parse(s, &a), 0);
        for (size_t k = 0; k < i->n_addrs; k++)
                if (addr_equal(&i->addrs[k].addr, &a) && i->addrs[k].prefixlen == prefixlen)
                        return true;
        return false;
}

static void test_live_host(_unused_ void **state) {
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

static void test_fresh_netns(_unused_ void **state) {
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
                cmocka_unit_test(test_routes_multipath_tables), cmocka_unit_test(test_routes_none), cmocka_unit_test(test_live_host),
                cmocka_unit_test(test_fresh_netns),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
