/* ifenum.c: the host's network interfaces and addresses (getifaddrs), their default routes and
 * address lifetimes (rtnetlink dumps, every reply checked). */
#include "ifenum.h"

#include <errno.h>
#include <ifaddrs.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netpacket/packet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "i18n.h"
#include "macro.h"
#include "util.h"

#ifndef NETLINK_GET_STRICT_CHK
#define NETLINK_GET_STRICT_CHK 12
#endif

/* Big enough for any message of a dump (the kernel fills up to a page, or 32 KiB). */
#define NL_BUFFER_SIZE 65536

/* ---------------------------------------------------------------- netlink */

/* How the messages of one dump are read: what every reply must carry, and what to do with the
 * messages of the wanted type. */
struct nl_walk {
        uint32_t seq, port;
        bool interrupted; /* a reply had NLM_F_DUMP_INTR */
        uint16_t type;
        int (*fn)(const struct nlmsghdr *nh, void *userdata);
        void *userdata;
};

/* Walks the messages of one buffer (one recv() of a dump). Replies of another request or socket
 * are skipped. Returns 1 at NLMSG_DONE, 0 when more follows, or a negative errno (NLMSG_ERROR,
 * malformed, fn). */
static int nl_messages(const void *buf, size_t len, struct nl_walk *w) {
        int left = (int) len, r;

        for (const struct nlmsghdr *nh = buf; NLMSG_OK(nh, (unsigned) left); nh = NLMSG_NEXT(nh, left)) {
                if (nh->nlmsg_seq != w->seq || nh->nlmsg_pid != w->port)
                        continue;
                /* The kernel marks a dump that changes under it, its NLMSG_DONE included. */
                if (nh->nlmsg_flags & NLM_F_DUMP_INTR)
                        w->interrupted = true;
                if (nh->nlmsg_type == NLMSG_DONE)
                        return 1;
                if (nh->nlmsg_type == NLMSG_ERROR) {
                        const struct nlmsgerr *e = NLMSG_DATA(nh);
                        if (nh->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
                                return -EBADMSG;
                        return e->error < 0 ? e->error : -EPROTO;
                }
                if (nh->nlmsg_type != w->type)
                        continue;
                r = w->fn(nh, w->userdata);
                if (r < 0)
                        return r;
        }
        return left == 0 ? 0 : -EBADMSG;
}

static void ifindex_add(int **v, size_t *n, int ifindex) {
        if (ifindex <= 0)
                return;
        for (size_t i = 0; i < *n; i++)
                if ((*v)[i] == ifindex)
                        return;
        *v = xrealloc(*v, (*n + 1) * sizeof(int));
        (*v)[(*n)++] = ifindex;
}

/* The output interfaces of one RTM_NEWROUTE message, when it is a default route of the main table. */
static int route_message(const struct nlmsghdr *nh, void *userdata) {
        struct ifenum_route_dump *d = userdata;
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
        ifindex_add(&d->ifindexes, &d->n, oif);
        if (multipath) {
                const struct rtnexthop *nh_ = RTA_DATA(multipath);
                int left = (int) RTA_PAYLOAD(multipath);

                for (; RTNH_OK(nh_, left); left -= NLMSG_ALIGN(nh_->rtnh_len), nh_ = RTNH_NEXT(nh_))
                        ifindex_add(&d->ifindexes, &d->n, nh_->rtnh_ifindex);
        }
        return 0;
}

int ifenum_parse_routes(const void *buf, size_t len, struct ifenum_route_dump *d) {
        struct nl_walk w = {.seq = d->seq, .port = d->port, .type = RTM_NEWROUTE, .fn = route_message, .userdata = d};
        int r = nl_messages(buf, len, &w);

        d->interrupted = d->interrupted || w.interrupted;
        return r;
}

/* A netlink socket for dumps: bound, so that its port ID is known and checked in every reply. */
struct nl {
        int fd;
        uint32_t seq, port;
        char *buf;
};

static void nl_done(struct nl *nl) {
        if (nl->fd >= 0)
                close(nl->fd);
        free(nl->buf);
}

static int nl_open(struct nl *nl) {
        struct sockaddr_nl sa = {.nl_family = AF_NETLINK};
        socklen_t sa_len = sizeof(sa);

        *nl = (struct nl) {.fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE)};
        if (nl->fd < 0)
                return -errno;
        /* The kernel then filters route dumps by table (since Linux 4.20; before, all tables come
         * and route_message() skips the others). */
        (void) setsockopt(nl->fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, &(int) {1}, sizeof(int));
        if (bind(nl->fd, (struct sockaddr *) &sa, sizeof(sa)) < 0 ||
            getsockname(nl->fd, (struct sockaddr *) &sa, &sa_len) < 0)
                return -errno;
        nl->port = sa.nl_pid;
        nl->buf = xmalloc(NL_BUFFER_SIZE);
        return 0;
}

/* One buffer of replies from the kernel (what another process sends the socket is dropped).
 * Returns its length or a negative errno (-EMSGSIZE for a message cut short). */
static ssize_t nl_recv(struct nl *nl) {
        for (;;) {
                struct sockaddr_nl from = {0};
                struct iovec iov = {.iov_base = nl->buf, .iov_len = NL_BUFFER_SIZE};
                struct msghdr m = {.msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = &iov, .msg_iovlen = 1};
                ssize_t k = recvmsg(nl->fd, &m, 0);

                if (k < 0 && errno == EINTR)
                        continue;
                if (k < 0)
                        return -errno;
                if (m.msg_flags & MSG_TRUNC)
                        return -EMSGSIZE;
                if (m.msg_namelen < sizeof(from) || from.nl_family != AF_NETLINK || from.nl_pid != 0)
                        continue;
                return k == 0 ? -EPROTO : k;
        }
}

/* Sends a dump request (header + body) and walks every buffer of the answer to its NLMSG_DONE.
 * Returns 0, -EAGAIN when the kernel marked the dump interrupted, or a negative errno. */
static int nl_dump(struct nl *nl, uint16_t type, const void *body, size_t body_len, struct nl_walk *w) {
        char req[NLMSG_SPACE(64)] __attribute__((aligned(NLMSG_ALIGNTO))) = {0};
        struct nlmsghdr *nh = (struct nlmsghdr *) req;
        struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
        int r;

        if (body_len > 64)
                return -EINVAL;
        *nh = (struct nlmsghdr) {.nlmsg_len = (uint32_t) NLMSG_LENGTH(body_len), .nlmsg_type = type,
                                 .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP, .nlmsg_seq = ++nl->seq,
                                 .nlmsg_pid = nl->port};
        memcpy(NLMSG_DATA(nh), body, body_len);
        w->seq = nl->seq;
        w->port = nl->port;
        w->interrupted = false;
        if (sendto(nl->fd, req, nh->nlmsg_len, 0, (struct sockaddr *) &kernel, sizeof(kernel)) < 0)
                return -errno;
        do {
                ssize_t k = nl_recv(nl);
                if (k < 0)
                        return (int) k;
                r = nl_messages(nl->buf, (size_t) k, w);
        } while (r == 0);
        if (r < 0)
                return r;
        return w->interrupted ? -EAGAIN : 0;
}

/* nl_dump() again while the kernel says the dump was interrupted, up to IFENUM_DUMP_TRIES times;
 * reset empties what a previous try collected. */
static int nl_dump_retry(struct nl *nl, uint16_t type, const void *body, size_t body_len, struct nl_walk *w,
                         void (*reset)(void *userdata)) {
        int r = -EAGAIN;

        for (int i = 0; i < IFENUM_DUMP_TRIES && r == -EAGAIN; i++) {
                reset(w->userdata);
                r = nl_dump(nl, type, body, body_len, w);
        }
        return r;
}

/* ---------------------------------------------------------------- default routes */

static void route_dump_reset(void *userdata) {
        struct ifenum_route_dump *d = userdata;
        d->interrupted = false;
        d->n = 0;
}

/* The interfaces of the default routes of the main table: one dump of every family (IPv4, and
 * IPv6 unless the kernel has none). */
static int default_routes(struct nl *nl, struct ifenum_route_dump *d) {
        struct nl_walk w = {.type = RTM_NEWROUTE, .fn = route_message, .userdata = d};
        struct rtmsg rt = {.rtm_family = AF_UNSPEC, .rtm_table = RT_TABLE_MAIN};

        return nl_dump_retry(nl, RTM_GETROUTE, &rt, sizeof(rt), &w, route_dump_reset);
}

/* ---------------------------------------------------------------- interfaces (getifaddrs) */

/* What getifaddrs() gives, before it becomes the list; names point into its list. */
struct link {
        const char *name;
        unsigned flags;
        int ifindex;
};

struct addr {
        const char *name; /* the interface's name, or an IPv4 label "eth0:1" */
        size_t name_len;  /* without the label's ":…" (a ':' is never in an interface name) */
        size_t order;     /* the kernel's order of a device's addresses survives the sort */
        struct drs_iface_addr a;
};

struct found {
        struct link *links;
        size_t n_links;
        struct addr *addrs;
        size_t n_addrs;
};

static void found_done(struct found *f) {
        free(f->links);
        free(f->addrs);
}

static unsigned mask_bits(const uint8_t *p, size_t n) {
        unsigned bits = 0;
        for (size_t i = 0; i < n; i++)
                bits += (unsigned) __builtin_popcount(p[i]);
        return bits;
}

/* An AF_INET/AF_INET6 entry: its address and the prefix length of its netmask. */
static void add_addr(struct found *f, const struct ifaddrs *ifa) {
        const struct sockaddr *sa = ifa->ifa_addr, *mask = ifa->ifa_netmask;
        struct drs_iface_addr x = {.addr.family = sa->sa_family};
        const char *colon = strchr(ifa->ifa_name, ':');

        if (sa->sa_family == AF_INET) {
                memcpy(x.addr.bytes, &((const struct sockaddr_in *) sa)->sin_addr, 4);
                if (mask)
                        x.prefixlen = mask_bits((const uint8_t *) &((const struct sockaddr_in *) mask)->sin_addr, 4);
        } else {
                memcpy(x.addr.bytes, &((const struct sockaddr_in6 *) sa)->sin6_addr, 16);
                if (mask)
                        x.prefixlen = mask_bits((const uint8_t *) &((const struct sockaddr_in6 *) mask)->sin6_addr, 16);
        }
        if (f->n_addrs % 64 == 0)
                f->addrs = xrealloc(f->addrs, (f->n_addrs + 64) * sizeof(struct addr));
        f->addrs[f->n_addrs] = (struct addr) {.name = ifa->ifa_name,
                                              .name_len = colon ? (size_t) (colon - ifa->ifa_name) : strlen(ifa->ifa_name),
                                              .order = f->n_addrs, .a = x};
        f->n_addrs++;
}

/* A link entry (AF_PACKET, or no address at all when the link has no hardware address). */
static void add_link(struct found *f, const struct ifaddrs *ifa) {
        const struct sockaddr *sa = ifa->ifa_addr;
        int ifindex = sa ? ((const struct sockaddr_ll *) sa)->sll_ifindex : (int) if_nametoindex(ifa->ifa_name);

        if (f->n_links % 64 == 0)
                f->links = xrealloc(f->links, (f->n_links + 64) * sizeof(struct link));
        f->links[f->n_links++] = (struct link) {.name = ifa->ifa_name, .flags = ifa->ifa_flags, .ifindex = ifindex};
}

static void collect(struct found *f, const struct ifaddrs *list) {
        for (const struct ifaddrs *ifa = list; ifa; ifa = ifa->ifa_next) {
                int family = ifa->ifa_addr ? ifa->ifa_addr->sa_family : AF_UNSPEC;
                if (!ifa->ifa_name)
                        continue;
                if (family == AF_INET || family == AF_INET6)
                        add_addr(f, ifa);
                else if (family == AF_PACKET || family == AF_UNSPEC)
                        add_link(f, ifa);
        }
}

/* An address's interface name (n bytes) against a link's name: strcmp's order. */
static int compare_name_n(const char *a, size_t n, const char *b) {
        int r = strncmp(a, b, n);
        return r != 0 ? r : -(b[n] != 0);
}

static int compare_links(const void *a, const void *b) {
        return strcmp(((const struct link *) a)->name, ((const struct link *) b)->name);
}

static int compare_addrs(const void *a, const void *b) {
        const struct addr *x = a, *y = b;
        size_t n = x->name_len < y->name_len ? x->name_len : y->name_len;
        int r = memcmp(x->name, y->name, n);

        if (r != 0)
                return r;
        if (x->name_len != y->name_len)
                return x->name_len < y->name_len ? -1 : 1;
        return (x->order > y->order) - (x->order < y->order);
}

/* Turns what was found into the list in O(n log n): links and addresses sorted by name, then
 * merged (glibc matched each address to its link by a linear search already; thousands of veth
 * interfaces are common on container hosts). */
static void found_to_list(struct found *f, struct drs_iface_list *l) {
        size_t k = 0;

        /* qsort() must not be given NULL, even for no elements (a namespace without addresses). */
        if (f->n_links > 0)
                qsort(f->links, f->n_links, sizeof(struct link), compare_links);
        if (f->n_addrs > 0)
                qsort(f->addrs, f->n_addrs, sizeof(struct addr), compare_addrs);
        l->items = xcalloc(f->n_links ? f->n_links : 1, sizeof(struct drs_iface));
        for (size_t i = 0; i < f->n_links; i++) {
                const struct link *lk = &f->links[i];
                struct drs_iface *it = &l->items[l->n++];
                size_t first;

                while (k < f->n_addrs && compare_name_n(f->addrs[k].name, f->addrs[k].name_len, lk->name) < 0)
                        k++; /* addresses of a name that is no link's */
                for (first = k; k < f->n_addrs && compare_name_n(f->addrs[k].name, f->addrs[k].name_len, lk->name) == 0; k++)
                        ;
                *it = (struct drs_iface) {
                        .name = xstrdup(lk->name),
                        .ifindex = lk->ifindex,
                        .up = (lk->flags & IFF_UP) && (lk->flags & IFF_RUNNING),
                        .loopback = lk->flags & IFF_LOOPBACK,
                        .n_addrs = k - first,
                };
                if (it->n_addrs > 0) {
                        it->addrs = xcalloc(it->n_addrs, sizeof(struct drs_iface_addr));
                        for (size_t m = 0; m < it->n_addrs; m++)
                                it->addrs[m] = f->addrs[first + m].a;
                }
        }
}

static void freeifaddrsp(struct ifaddrs **p) {
        if (*p)
                freeifaddrs(*p);
}

int ifenum_list(struct drs_iface_list *ret) {
        _cleanup_(freeifaddrsp) struct ifaddrs *list = NULL;
        _cleanup_(nl_done) struct nl nl = {.fd = -1};
        _cleanup_(found_done) struct found f = {0};
        _cleanup_(iface_list_done) struct drs_iface_list l = {0};
        struct ifenum_route_dump routes = {0};
        int r;

        if (getifaddrs(&list) < 0)
                return -errno;
        collect(&f, list);
        found_to_list(&f, &l);

        r = nl_open(&nl);
        if (r >= 0)
                r = default_routes(&nl, &routes);
        for (size_t i = 0; r >= 0 && i < l.n; i++)
                for (size_t k = 0; k < routes.n; k++)
                        if (l.items[i].ifindex == routes.ifindexes[k])
                                l.items[i].default_route = true;
        free(routes.ifindexes);
        if (r < 0)
                return r;
        *ret = l;
        l = (struct drs_iface_list) {0};
        return 0;
}

/* ---------------------------------------------------------------- address lifetimes */

struct lifetime_query {
        int ifindex;
        struct drs_addr a;
        bool found;
        struct ifenum_lifetime lt;
};

static void lifetime_reset(void *userdata) {
        ((struct lifetime_query *) userdata)->found = false;
}

static int lifetime_message(const struct nlmsghdr *nh, void *userdata) {
        struct lifetime_query *q = userdata;
        const struct ifaddrmsg *ifa = NLMSG_DATA(nh);
        const struct rtattr *address = NULL, *local = NULL, *a;
        struct ifenum_lifetime lt = {UINT32_MAX, UINT32_MAX, 0};
        size_t size = q->a.family == AF_INET ? 4 : 16;
        int len = (int) IFA_PAYLOAD(nh);

        if (nh->nlmsg_len < NLMSG_LENGTH(sizeof(*ifa)))
                return -EBADMSG;
        if ((int) ifa->ifa_index != q->ifindex || ifa->ifa_family != q->a.family)
                return 0;
        lt.flags = ifa->ifa_flags;
        for (a = IFA_RTA(ifa); RTA_OK(a, len); a = RTA_NEXT(a, len))
                if (a->rta_type == IFA_ADDRESS)
                        address = a;
                else if (a->rta_type == IFA_LOCAL)
                        local = a;
                else if (a->rta_type == IFA_FLAGS && RTA_PAYLOAD(a) >= sizeof(uint32_t))
                        memcpy(&lt.flags, RTA_DATA(a), sizeof(uint32_t)); /* all 32 bits (Linux 3.14) */
                else if (a->rta_type == IFA_CACHEINFO && RTA_PAYLOAD(a) >= sizeof(struct ifa_cacheinfo)) {
                        struct ifa_cacheinfo ci;
                        memcpy(&ci, RTA_DATA(a), sizeof(ci));
                        lt.valid_lft = ci.ifa_valid;
                        lt.preferred_lft = ci.ifa_prefered;
                }
        /* On a point-to-point link IFA_ADDRESS is the peer; IFA_LOCAL is ours (as in getifaddrs). */
        a = local ? local : address;
        if (!a || RTA_PAYLOAD(a) < size || memcmp(RTA_DATA(a), q->a.bytes, size) != 0)
                return 0;
        q->found = true;
        q->lt = lt;
        return 0;
}

int ifenum_addr_lifetime(const char *ifname, const struct drs_addr *a, struct ifenum_lifetime *ret) {
        _cleanup_(nl_done) struct nl nl = {.fd = -1};
        struct lifetime_query q = {.ifindex = (int) if_nametoindex(ifname), .a = *a};
        struct nl_walk w = {.type = RTM_NEWADDR, .fn = lifetime_message, .userdata = &q};
        /* Every interface's addresses of that family: the kernel can send only one interface's
         * (strict checking and ifa_index, Linux 5.3), but then does not mark the dump interrupted
         * when addresses change under it. */
        struct ifaddrmsg req = {.ifa_family = (unsigned char) a->family};
        int r;

        if (q.ifindex <= 0)
                return -ENOENT;
        if (a->family != AF_INET && a->family != AF_INET6)
                return -EINVAL;
        r = nl_open(&nl);
        if (r >= 0)
                r = nl_dump_retry(&nl, RTM_GETADDR, &req, sizeof(req), &w, lifetime_reset);
        if (r < 0)
                return r;
        if (!q.found)
                return -ENOENT;
        *ret = q.lt;
        return 0;
}

const char *ifenum_strerror(int r) {
        if (r == -EAGAIN)
                return _("the interfaces kept changing while they were listed; try again when they have settled");
        return strerror(-r);
}
