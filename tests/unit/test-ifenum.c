/* test-ifenum.c: unit tests of interface enumeration: route dump parsing, the live host, a fresh netns. */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <time.h>
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
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>

#include "ifenum.h"
#include "in-child.h"
#include "macro.h"
#include "util.h"

/* The sequence number and port ID the messages built here carry, as the kernel's replies to a
 * request of that number from a socket of that port. */
#define SEQ 7
#define PORT 4242

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
        nh->nlmsg_seq = SEQ;
        nh->nlmsg_pid = PORT;
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
        nh->nlmsg_flags = NLM_F_MULTI;
        nh->nlmsg_len = NLMSG_LENGTH(sizeof(int));
        nh->nlmsg_seq = SEQ;
        nh->nlmsg_pid = PORT;
}

static void check_routes(const struct nlbuf *b, int ret, const int *expected) {
        struct ifenum_route_dump d = {.seq = SEQ, .port = PORT};
        size_t i;

        assert_int_equal(ifenum_parse_routes(b->data, b->len, &d), ret);
        for (i = 0; expected[i]; i++) {
                assert_true(i < d.n);
                assert_int_equal(d.ifindexes[i], expected[i]);
        }
        assert_int_equal(d.n, i);
        assert_false(d.interrupted);
        free(d.ifindexes);
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
        nh->nlmsg_seq = SEQ;
        nh->nlmsg_pid = PORT;
        e = NLMSG_DATA(nh);
        e->error = -EPERM;
        check_routes(&b, -EPERM, (const int[]) {0});
        b.len = 0;
        add_route(&b, AF_INET, 0, RTN_UNICAST, RT_TABLE_MAIN, 2, NULL);
        b.len -= 4;
        check_routes(&b, -EBADMSG, (const int[]) {0});
}

/* The next message put into b (before it is put). */
static struct nlmsghdr *next_message(struct nlbuf *b) {
        return (struct nlmsghdr *) (b->data + b->len);
}

static void test_routes_foreign(_unused_ void **state) {
        /* Only the replies to this request on this socket count: a default route of an earlier
         * request (3), one sent to another socket (4), the NLMSG_DONE and NLMSG_ERROR of another
         * dump, are skipped. */
        struct nlbuf b = {0};
        struct nlmsghdr *nh;
        struct nlmsgerr *e;

        add_route(&b, AF_INET, 0, RTN_UNICAST, RT_TABLE_MAIN, 2, NULL);
        nh = next_message(&b);
        add_route(&b, AF_INET, 0, RTN_UNICAST, RT_TABLE_MAIN, 3, NULL);
        nh->nlmsg_seq = SEQ - 1;
        nh = next_message(&b);
        add_route(&b, AF_INET6, 0, RTN_UNICAST, RT_TABLE_MAIN, 4, NULL);
        nh->nlmsg_pid = PORT + 1;
        nh = next_message(&b);
        add_done(&b);
        nh->nlmsg_seq = SEQ + 1;
        nh = nl_put(&b, NLMSG_LENGTH(sizeof(*e)));
        *nh = (struct nlmsghdr) {.nlmsg_type = NLMSG_ERROR, .nlmsg_len = NLMSG_LENGTH(sizeof(*e)), .nlmsg_seq = SEQ,
                                 .nlmsg_pid = 0};
        e = NLMSG_DATA(nh);
        e->error = -EPERM;
        check_routes(&b, 0, (const int[]) {2, 0});
        add_route(&b, AF_INET6, 0, RTN_UNICAST, RT_TABLE_MAIN, 5, NULL);
        add_done(&b);
        check_routes(&b, 1, (const int[]) {2, 5, 0});
}

static void test_routes_interrupted(_unused_ void **state) {
        /* NLM_F_DUMP_INTR on any reply, or only on the NLMSG_DONE: the dump is read to its end
         * and reported interrupted (ifenum then dumps again). */
        for (int where = 0; where < 2; where++) {
                struct ifenum_route_dump d = {.seq = SEQ, .port = PORT};
                struct nlbuf b = {0};
                struct nlmsghdr *nh;

                add_route(&b, AF_INET, 0, RTN_UNICAST, RT_TABLE_MAIN, 2, NULL);
                nh = next_message(&b);
                add_route(&b, AF_INET6, 0, RTN_UNICAST, RT_TABLE_MAIN, 3, NULL);
                if (where == 0)
                        nh->nlmsg_flags |= NLM_F_DUMP_INTR;
                nh = next_message(&b);
                add_done(&b);
                if (where == 1)
                        nh->nlmsg_flags |= NLM_F_DUMP_INTR;
                assert_int_equal(ifenum_parse_routes(b.data, b.len, &d), 1);
                assert_true(d.interrupted);
                assert_int_equal(d.n, 2);
                free(d.ifindexes);
        }
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
        in_child(child_in_fresh_netns);
}

/* Runs a shell command line (the test's own setup with ip(8)); its exit status. */
static int sh(const char *cmd) {
        int status;
        pid_t pid = fork();

        if (pid == 0) {
                execl("/bin/sh", "sh", "-c", cmd, (char *) NULL);
                _exit(127);
        }
        if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
                return -1;
        return WEXITSTATUS(status);
}

/* The namespace of the churn test: lo; stable0 (a veth, up) with the default route, a static
 * address 10.0.0.5, a DHCP-like 10.0.0.6 (valid for 300 s) and 1200 more, so that its address
 * dump takes several buffers; while it runs, an address added to and deleted from churn0 as fast
 * as ip -batch can, and veth pairs created, brought up and deleted in a loop. */
#define CHURN_SETUP                                                                                      \
        "set -e; ip link set lo up; ip link add stable0 type veth peer name stable0p;"                 \
        "ip link set stable0 up; ip link set stable0p up;"                                              \
        "ip addr add 10.0.0.5/24 dev stable0;"                                                          \
        "ip addr add 10.0.0.6/24 dev stable0 valid_lft 300 preferred_lft 300;"                          \
        "ip route add default via 10.0.0.1 dev stable0;"                                                \
        "i=0; while [ $i -lt 1200 ]; do echo \"addr add 10.1.$((i / 200)).$((i % 200 + 1))/32 dev stable0\";" \
        "i=$((i + 1)); done | ip -batch -"
#define CHURN_LOOP                                                                                       \
        "ip link add churn0 type veth peer name churn1; ip link set churn0 up;"                         \
        "while :; do echo 'addr add 10.2.0.1/24 dev churn0'; echo 'addr del 10.2.0.1/24 dev churn0'; done |" \
        "ip -force -batch - >/dev/null 2>&1 &"                                                           \
        "i=0; while :; do ip link add c$i type veth peer name d$i && ip link set c$i up && "             \
        "ip link set d$i up; ip link del c$((i - 2)) 2>/dev/null; i=$((i + 1)); done"

/* One pass: the list is whole (stable0 with its 1202 IPv4 addresses and default route) and the
 * lifetimes are right (a missing address: -ENOENT), or a lifetime is -EAGAIN (the documented
 * answer to endless changes).
 * Returns 0 or the exit code that says what was wrong; counts the -EAGAIN answers. */
static int churn_pass(unsigned *eagain) {
        _cleanup_(iface_list_done) struct drs_iface_list l = {0};
        const struct drs_iface *st;
        struct ifenum_lifetime lt;
        struct drs_addr a;
        size_t n4 = 0;
        int r;

        if (ifenum_list(&l) < 0)
                return 10;
        st = iface_list_find(&l, "stable0");
        if (!st || !st->default_route || !st->up || !iface_list_find(&l, "lo"))
                return 11;
        for (size_t i = 0; i < st->n_addrs; i++)
                n4 += st->addrs[i].addr.family == AF_INET;
        if (n4 != 1202) /* and its IPv6 link-local address */
                return 16;
        (void) addr_parse("10.0.0.6", &a);
        r = ifenum_addr_lifetime("stable0", &a, &lt);
        if (r == -EAGAIN)
                (*eagain)++;
        else if (r < 0 || lt.valid_lft == 0 || lt.valid_lft > 300 || (lt.flags & IFA_F_PERMANENT))
                return 12;
        (void) addr_parse("10.0.0.5", &a);
        r = ifenum_addr_lifetime("stable0", &a, &lt);
        if (r == -EAGAIN)
                (*eagain)++;
        else if (r < 0 || lt.valid_lft != UINT32_MAX || !(lt.flags & IFA_F_PERMANENT))
                return 13;
        (void) addr_parse("10.0.0.7", &a);
        r = ifenum_addr_lifetime("stable0", &a, &lt);
        if (r == -EAGAIN)
                (*eagain)++;
        else if (r != -ENOENT)
                return 14;
        return 0;
}

static void _noreturn_ child_churn(void) {
        unsigned eagain = 0, passes = 0;
        pid_t churn;
        int r = 0;

        if (unshare(CLONE_NEWNET) < 0 || sh("command -v ip >/dev/null") != 0)
                _exit(77);
        if (sh(CHURN_SETUP) != 0)
                _exit(77); /* no veth driver here */
        churn = fork();
        if (churn == 0) {
                (void) setpgid(0, 0);
                execl("/bin/sh", "sh", "-c", CHURN_LOOP, (char *) NULL);
                _exit(127);
        }
        for (time_t end = time(NULL) + 3; r == 0 && time(NULL) < end; passes++)
                r = churn_pass(&eagain);
        (void) kill(-churn, SIGKILL);
        (void) kill(churn, SIGKILL);
        (void) waitpid(churn, NULL, 0);
        fprintf(stderr, "churn: %u passes, %u lifetimes -EAGAIN\n", passes, eagain);
        if (r == 0 && eagain == 3 * passes)
                r = 15; /* never an answer: the retries prove nothing */
        _exit(r);
}

static void test_churn(_unused_ void **state) {
        in_child(child_churn); /* skipped without ip(8) or veth too */
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_routes_host), cmocka_unit_test(test_routes_two_defaults),
                cmocka_unit_test(test_routes_multipath_tables), cmocka_unit_test(test_routes_none),
                cmocka_unit_test(test_routes_foreign), cmocka_unit_test(test_routes_interrupted), cmocka_unit_test(test_live_host),
                cmocka_unit_test(test_fresh_netns), cmocka_unit_test(test_churn),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
