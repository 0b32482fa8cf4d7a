/* ifenum.c: the host's network interfaces, their addresses and default routes (rtnetlink dumps). */
#include "ifenum.h"

#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "macro.h"
#include "util.h"

#ifndef NETLINK_GET_STRICT_CHK
#define NETLINK_GET_STRICT_CHK 12
#endif

/* Big enough for any message of a route dump (the kernel fills up to a page, or 32 KiB). */
#define NL_BUFFER_SIZE 65536

static void ifindex_add(int **v, size_t *n, int ifindex) {
        if (ifindex <= 0)
                return;
        for (size_t i = 0; i < *n; i++)
                if ((*v)[i] == ifindex)
                        return;
        *v = xrealloc(*v, (*n + 1) * sizeof(int));
        (*v)[(*n)++] = ifindex;
}

/* Walks the messages of one buffer (one recv() of a dump): fn for each of the given type. Returns
 * 1 at NLMSG_DONE, 0 when more follows, or a negative errno (NLMSG_ERROR, malformed, fn). */
static int nl_messages(const void *buf, size_t len, uint16_t type, int (*fn)(const struct nlmsghdr *, void *),
                       void *userdata) {
        int left = (int) len, r;

        for (const struct nlmsghdr *nh = buf; NLMSG_OK(nh, (unsigned) left); nh = NLMSG_NEXT(nh, left)) {
                if (nh->nlmsg_type == NLMSG_DONE)
                        return 1;
                if (nh->nlmsg_type == NLMSG_ERROR) {
                        const struct nlmsgerr *e = NLMSG_DATA(nh);
                        if (nh->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
                                return -EBADMSG;
                        return e->error < 0 ? e->error : -EPROTO;
                }
                if (nh->nlmsg_type != type)
                        continue;
                r = fn(nh, userdata);
                if (r < 0)
                        return r;
        }
        return left == 0 ? 0 : -EBADMSG;
}

/* The output interfaces of one RTM_NEWROUTE message, when it is a default route of the main table. */
struct route_sink {
        int **ifindexes;
        size_t *n;
};

static int route_message(const struct nlmsghdr *nh, void *userdata) {
        const struct route_sink *s = userdata;
        const struct rtmsg *rt = NLMSG_DATA(nh);
        const struct rtattr *multipath = NULL;
        uint32_t table;
        int oif = 0, len;

        if (nh->nlmsg_len < NLMSG_LENGTH(sizeof(*rt)))
                return -EBADMSG;
        /* Unreachable, prohibit and blackhole defaults lead nowhere: they are not unicast. */
        if (rt->rtm_dst_len != 0 || rt->rtm_type != RTN_UNICAST ||
            (rt->rtm_family != AF_INET && rt->rtm_family != AF_INET6))
                return 0;
        table = rt->rtm_table;
        len = (int) RTM_PAYLOAD(nh);
        for (const struct rtattr *a = RTM_RTA(rt); RTA_OK(a, len); a = RTA_NEXT(a, len))
                if (a->rta_type == RTA_TABLE && RTA_PAYLOAD(a) >= sizeof(uint32_t))
                        memcpy(&table, RTA_DATA(a), sizeof(uint32_t));
                else if (a->rta_type == RTA_OIF && RTA_PAYLOAD(a) >= sizeof(int))
                        memcpy(&oif, RTA_DATA(a), sizeof(int));
                else if (a->rta_type == RTA_MULTIPATH)
                        multipath = a;
        if (table != RT_TABLE_MAIN)
                return 0;
        ifindex_add(s->ifindexes, s->n, oif);
        if (multipath) {
                const struct rtnexthop *nh_ = RTA_DATA(multipath);
                int left = (int) RTA_PAYLOAD(multipath);

                for (; RTNH_OK(nh_, left); left -= NLMSG_ALIGN(nh_->rtnh_len), nh_ = RTNH_NEXT(nh_))
                        ifindex_add(s->ifindexes, s->n, nh_->rtnh_ifindex);
        }
        return 0;
}

int ifenum_parse_routes(const void *buf, size_t len, int **ifindexes, size_t *n) {
        struct route_sink s = {ifindexes, n};
        return nl_messages(buf, len, RTM_NEWROUTE, route_message, &s);
}

/* A netlink socket for dumps. */
struct nl {
        int fd;
        uint32_t seq;
        char *buf;
};

static void nl_done(struct nl *nl) {
        if (nl->fd >= 0)
                close(nl->fd);
        free(nl->buf);
}

static int nl_open(struct nl *nl) {
        *nl = (struct nl) {.fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE)};
        if (nl->fd < 0)
                return -errno;
        /* The kernel then filters route dumps by table (since Linux 4.20; before, all tables come
         * and route_message() skips the others). */
        (void) setsockopt(nl->fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, &(int) {1}, sizeof(int));
        nl->buf = xmalloc(NL_BUFFER_SIZE);
        return 0;
}

/* Sends a dump request (header + body) and hands every buffer of the answer to parse, which
 * returns 1 at NLMSG_DONE, 0 for more, or a negative errno. */
static int nl_dump(struct nl *nl, uint16_t type, const void *body, size_t body_len,
                   int (*parse)(const void *buf, size_t len, void *userdata), void *userdata) {
        char req[NLMSG_SPACE(64)] __attribute__((aligned(NLMSG_ALIGNTO))) = {0};
        struct nlmsghdr *nh = (struct nlmsghdr *) req;
        int r;

        if (body_len > 64)
                return -EINVAL;
        *nh = (struct nlmsghdr) {.nlmsg_len = (uint32_t) NLMSG_LENGTH(body_len), .nlmsg_type = type,
                                 .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP, .nlmsg_seq = ++nl->seq};
        memcpy(NLMSG_DATA(nh), body, body_len);
        if (send(nl->fd, req, nh->nlmsg_len, 0) < 0)
                return -errno;
        for (;;) {
                ssize_t k = recv(nl->fd, nl->buf, NL_BUFFER_SIZE, 0);
                if (k < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                if (k == 0)
                        return -EPROTO;
                r = parse(nl->buf, (size_t) k, userdata);
                if (r != 0)
                        return r < 0 ? r : 0;
        }
}

/* The default routes' interfaces, over the buffers of a route dump. */
struct route_list {
        int *ifindexes;
        size_t n;
};

static int parse_routes(const void *buf, size_t len, void *userdata) {
        struct route_list *l = userdata;
        return ifenum_parse_routes(buf, len, &l->ifindexes, &l->n);
}

/* What the link and address dumps give, before they become the list. */
struct link {
        int ifindex;
        unsigned flags;
        char *name;
        size_t n_addrs, first; /* its addresses: addrs[first .. first + n_addrs) once sorted */
};

struct addr {
        int ifindex;
        size_t order; /* the kernel's order of a device's addresses survives the sort */
        struct drs_iface_addr a;
};

struct dump {
        struct link *links;
        size_t n_links;
        struct addr *addrs;
        size_t n_addrs;
};

static int on_link(const struct nlmsghdr *nh, void *userdata) {
        struct dump *d = userdata;
        const struct ifinfomsg *ifi = NLMSG_DATA(nh);
        int len = (int) IFLA_PAYLOAD(nh);

        if (nh->nlmsg_len < NLMSG_LENGTH(sizeof(*ifi)))
                return 0;
        for (const struct rtattr *a = IFLA_RTA(ifi); RTA_OK(a, len); a = RTA_NEXT(a, len))
                if (a->rta_type == IFLA_IFNAME && RTA_PAYLOAD(a) > 0) {
                        if (d->n_links % 64 == 0)
                                d->links = xrealloc(d->links, (d->n_links + 64) * sizeof(struct link));
                        d->links[d->n_links++] = (struct link) {
                                .ifindex = ifi->ifi_index,
                                .flags = ifi->ifi_flags,
                                .name = xstrndup(RTA_DATA(a), strnlen(RTA_DATA(a), RTA_PAYLOAD(a))),
                        };
                        return 0;
                }
        return 0;
}

static int on_addr(const struct nlmsghdr *nh, void *userdata) {
        struct dump *d = userdata;
        const struct ifaddrmsg *ifa = NLMSG_DATA(nh);
        const struct rtattr *address = NULL, *local = NULL, *a;
        struct drs_iface_addr x = {.addr.family = ifa->ifa_family, .prefixlen = ifa->ifa_prefixlen};
        size_t size = ifa->ifa_family == AF_INET ? 4 : 16;
        int len = (int) IFA_PAYLOAD(nh);

        if (nh->nlmsg_len < NLMSG_LENGTH(sizeof(*ifa)) || (ifa->ifa_family != AF_INET && ifa->ifa_family != AF_INET6))
                return 0;
        for (a = IFA_RTA(ifa); RTA_OK(a, len); a = RTA_NEXT(a, len))
                if (a->rta_type == IFA_ADDRESS)
                        address = a;
                else if (a->rta_type == IFA_LOCAL)
                        local = a;
        /* On a point-to-point link IFA_ADDRESS is the peer; IFA_LOCAL is ours (as in getifaddrs). */
        a = local ? local : address;
        if (!a || RTA_PAYLOAD(a) < size)
                return 0;
        memcpy(x.addr.bytes, RTA_DATA(a), size);
        if (d->n_addrs % 64 == 0)
                d->addrs = xrealloc(d->addrs, (d->n_addrs + 64) * sizeof(struct addr));
        d->addrs[d->n_addrs] = (struct addr) {.ifindex = (int) ifa->ifa_index, .order = d->n_addrs, .a = x};
        d->n_addrs++;
        return 0;
}

static int parse_links(const void *buf, size_t len, void *userdata) {
        return nl_messages(buf, len, RTM_NEWLINK, on_link, userdata);
}

static int parse_addrs(const void *buf, size_t len, void *userdata) {
        return nl_messages(buf, len, RTM_NEWADDR, on_addr, userdata);
}

static int compare_links(const void *a, const void *b) {
        const struct link *x = a, *y = b;
        return (x->ifindex > y->ifindex) - (x->ifindex < y->ifindex);
}

static int compare_addrs(const void *a, const void *b) {
        const struct addr *x = a, *y = b;
        if (x->ifindex != y->ifindex)
                return (x->ifindex > y->ifindex) - (x->ifindex < y->ifindex);
        return (x->order > y->order) - (x->order < y->order);
}

static int compare_names(const void *a, const void *b) {
        return strcmp(((const struct drs_iface *) a)->name, ((const struct drs_iface *) b)->name);
}

static void dump_done(struct dump *d) {
        for (size_t i = 0; i < d->n_links; i++)
                free(d->links[i].name);
        free(d->links);
        free(d->addrs);
}

/* Turns the dumps into the list in O(n log n): links and addresses sorted by interface index,
 * then merged. Thousands of veth interfaces are common on container hosts. */
static void dump_to_list(struct dump *d, struct drs_iface_list *l) {
        size_t k = 0;

        /* qsort() must not be given NULL, even for no elements (a namespace without addresses). */
        if (d->n_links > 0)
                qsort(d->links, d->n_links, sizeof(struct link), compare_links);
        if (d->n_addrs > 0)
                qsort(d->addrs, d->n_addrs, sizeof(struct addr), compare_addrs);
        l->items = xcalloc(d->n_links ? d->n_links : 1, sizeof(struct drs_iface));
        for (size_t i = 0; i < d->n_links; i++) {
                struct link *lk = &d->links[i];
                struct drs_iface *f = &l->items[l->n++];
                size_t first;

                while (k < d->n_addrs && d->addrs[k].ifindex < lk->ifindex)
                        k++; /* addresses of an interface that went away between the dumps */
                for (first = k; k < d->n_addrs && d->addrs[k].ifindex == lk->ifindex; k++)
                        ;
                *f = (struct drs_iface) {
                        .name = TAKE_PTR(lk->name),
                        .ifindex = lk->ifindex,
                        .up = (lk->flags & IFF_UP) && (lk->flags & IFF_RUNNING),
                        .loopback = lk->flags & IFF_LOOPBACK,
                        .n_addrs = k - first,
                };
                if (f->n_addrs > 0) {
                        f->addrs = xcalloc(f->n_addrs, sizeof(struct drs_iface_addr));
                        for (size_t m = 0; m < f->n_addrs; m++)
                                f->addrs[m] = d->addrs[first + m].a;
                }
        }
        qsort(l->items, l->n, sizeof(struct drs_iface), compare_names);
}

int ifenum_list(struct drs_iface_list *ret) {
        _cleanup_(nl_done) struct nl nl = {.fd = -1};
        _cleanup_(dump_done) struct dump d = {0};
        _cleanup_(iface_list_done) struct drs_iface_list l = {0};
        _cleanup_free_ int *dflt = NULL;
        struct route_list routes = {0};
        struct rtmsg rt = {.rtm_table = RT_TABLE_MAIN};
        struct ifaddrmsg ifa = {.ifa_family = AF_UNSPEC};
        /* The links without their statistics, which the kernel otherwise adds to each (Linux
         * 4.20; older kernels ignore the flag). */
        struct {
                struct ifinfomsg ifi;
                struct rtattr rta;
                uint32_t mask;
        } link_req = {
                .ifi = {.ifi_family = AF_UNSPEC},
                .rta = {.rta_len = RTA_LENGTH(sizeof(uint32_t)), .rta_type = IFLA_EXT_MASK},
                .mask = RTEXT_FILTER_SKIP_STATS,
        };
        int r;

        /* What getifaddrs(3) asks the kernel, without its quadratic matching of addresses to
         * links (glibc 2.36: 230 M instructions for 4000 interfaces). */
        r = nl_open(&nl);
        if (r < 0)
                return r;
        r = nl_dump(&nl, RTM_GETLINK, &link_req, sizeof(link_req), parse_links, &d);
        if (r >= 0)
                r = nl_dump(&nl, RTM_GETADDR, &ifa, sizeof(ifa), parse_addrs, &d);
        if (r < 0)
                return r;
        dump_to_list(&d, &l);

        rt.rtm_family = AF_INET;
        r = nl_dump(&nl, RTM_GETROUTE, &rt, sizeof(rt), parse_routes, &routes);
        dflt = routes.ifindexes;
        if (r < 0)
                return r;
        /* A kernel without IPv6 refuses this dump: no IPv6 default routes then. */
        rt.rtm_family = AF_INET6;
        r = nl_dump(&nl, RTM_GETROUTE, &rt, sizeof(rt), parse_routes, &routes);
        dflt = routes.ifindexes;
        if (r < 0 && r != -EAFNOSUPPORT)
                return r;
        for (size_t i = 0; i < l.n; i++)
                for (size_t k = 0; k < routes.n; k++)
                        if (l.items[i].ifindex == dflt[k])
                                l.items[i].default_route = true;

        *ret = l;
        l = (struct drs_iface_list) {0};
        return 0;
}
