/* ifenum.c: the host's network interfaces, from getifaddrs(3) and the kernel's route tables. */
#include "ifenum.h"

#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <net/route.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "macro.h"
#include "util.h"

static void fclosep(FILE **f) {
        if (*f)
                fclose(*f);
}

static void freeifaddrsp(struct ifaddrs **p) {
        if (*p)
                freeifaddrs(*p);
}

/* Reads a /proc file (whose size stat() does not know) to the end. */
static int read_text(const char *path, char **ret) {
        _cleanup_(fclosep) FILE *f = NULL;
        struct drs_buf b = {0};
        char chunk[4096];
        size_t n;

        f = fopen(path, "re");
        if (!f)
                return -errno;
        while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
                buf_append_n(&b, chunk, n);
        if (ferror(f)) {
                buf_free(&b);
                return -EIO;
        }
        *ret = buf_steal(&b);
        return 0;
}

static bool all_zero_hex(const char *s) {
        if (!*s)
                return false;
        for (; *s; s++)
                if (*s != '0')
                        return false;
        return true;
}

/* "Iface Destination Gateway Flags RefCnt Use Metric Mask MTU Window IRTT", hex fields. */
static bool parse_route4_line(const char *line, char ifname[static IFNAMSIZ]) {
        unsigned long dest, gateway, mask;
        unsigned flags;

        if (sscanf(line, "%15s %lx %lx %x %*d %*d %*d %lx", ifname, &dest, &gateway, &flags, &mask) != 5)
                return false; /* the header line, or garbage */
        return dest == 0 && mask == 0 && (flags & RTF_UP) && !(flags & RTF_REJECT) && !streq(ifname, "*");
}

/* "dest dest_plen src src_plen nexthop metric refcnt use flags devname", hex fields. */
static bool parse_route6_line(const char *line, char ifname[static IFNAMSIZ]) {
        char dest[33], src[33], nexthop[33];
        unsigned plen, src_plen, metric, refcnt, use, flags;

        if (sscanf(line, "%32s %x %32s %x %32s %x %x %x %x %15s", dest, &plen, src, &src_plen, nexthop, &metric,
                   &refcnt, &use, &flags, ifname) != 10)
                return false;
        /* The kernel keeps an unreachable ::/0 on "lo" as the end of the table. */
        return strlen(dest) == 32 && all_zero_hex(dest) && plen == 0 && (flags & RTF_UP) &&
               !(flags & RTF_REJECT) && !streq(ifname, "lo");
}

int ifenum_parse_default_routes(const char *route4_text, const char *route6_text, char ***ret_ifnames) {
        _cleanup_strv_free_ char **names = xcalloc(1, sizeof(char *));
        const char *texts[2] = {route4_text, route6_text};

        for (size_t t = 0; t < 2; t++) {
                _cleanup_strv_free_ char **lines = NULL;
                char ifname[IFNAMSIZ];

                if (!texts[t])
                        continue;
                lines = strv_split_lines(texts[t]);
                for (size_t i = 0; lines[i]; i++) {
                        bool dflt = t == 0 ? parse_route4_line(lines[i], ifname)
                                           : parse_route6_line(lines[i], ifname);
                        if (dflt && !strv_contains(names, ifname))
                                strv_push(&names, ifname);
                }
        }
        *ret_ifnames = TAKE_PTR(names);
        return 0;
}

static struct drs_iface *find_or_add(struct drs_iface_list *l, const char *name) {
        for (size_t i = 0; i < l->n; i++)
                if (streq(l->items[i].name, name))
                        return &l->items[i];
        l->items = xrealloc(l->items, (l->n + 1) * sizeof(struct drs_iface));
        l->items[l->n] = (struct drs_iface) {.name = xstrdup(name)};
        return &l->items[l->n++];
}

static unsigned prefix_length(const struct sockaddr *mask, int family) {
        const uint8_t *b;
        size_t n;
        unsigned bits = 0;

        if (family == AF_INET) {
                n = 4;
                b = mask ? (const uint8_t *) &((const struct sockaddr_in *) mask)->sin_addr : NULL;
        } else {
                n = 16;
                b = mask ? ((const struct sockaddr_in6 *) mask)->sin6_addr.s6_addr : NULL;
        }
        if (!b)
                return (unsigned) n * 8; /* no netmask: a host address */
        for (size_t i = 0; i < n; i++)
                bits += (unsigned) __builtin_popcount(b[i]);
        return bits;
}

static void add_address(struct drs_iface *i, const struct ifaddrs *ifa) {
        struct drs_iface_addr a = {.addr.family = ifa->ifa_addr->sa_family};

        if (a.addr.family == AF_INET)
                memcpy(a.addr.bytes, &((const struct sockaddr_in *) ifa->ifa_addr)->sin_addr, 4);
        else
                memcpy(a.addr.bytes, ((const struct sockaddr_in6 *) ifa->ifa_addr)->sin6_addr.s6_addr, 16);
        a.prefixlen = prefix_length(ifa->ifa_netmask, a.addr.family);
        i->addrs = xrealloc(i->addrs, (i->n_addrs + 1) * sizeof(struct drs_iface_addr));
        i->addrs[i->n_addrs++] = a;
}

static int compare_names(const void *a, const void *b) {
        return strcmp(((const struct drs_iface *) a)->name, ((const struct drs_iface *) b)->name);
}

static int read_optional(const char *path, char **ret) {
        int r = read_text(path, ret);
        if (r == -ENOENT) { /* no /proc in a chroot, no IPv6 in the kernel */
                *ret = NULL;
                return 0;
        }
        return r;
}

int ifenum_list(struct drs_iface_list *ret) {
        _cleanup_(freeifaddrsp) struct ifaddrs *ifas = NULL;
        _cleanup_(iface_list_done) struct drs_iface_list l = {0};
        _cleanup_free_ char *route4 = NULL, *route6 = NULL;
        _cleanup_strv_free_ char **dflt = NULL;
        int r;

        if (getifaddrs(&ifas) < 0)
                return -errno;

        /* Every interface has an AF_PACKET entry, so down ones without addresses show too. */
        for (const struct ifaddrs *ifa = ifas; ifa; ifa = ifa->ifa_next) {
                if (!ifa->ifa_name)
                        continue;
                /* IPv4 addresses with a label ("eth0:1") belong to the device "eth0". */
                _cleanup_free_ char *name = xstrndup(ifa->ifa_name, strcspn(ifa->ifa_name, ":"));
                struct drs_iface *i = find_or_add(&l, name);

                i->up = (ifa->ifa_flags & IFF_UP) && (ifa->ifa_flags & IFF_RUNNING);
                i->loopback = ifa->ifa_flags & IFF_LOOPBACK;
                if (ifa->ifa_addr && (ifa->ifa_addr->sa_family == AF_INET || ifa->ifa_addr->sa_family == AF_INET6))
                        add_address(i, ifa);
        }
        if (l.n > 0)
                qsort(l.items, l.n, sizeof(struct drs_iface), compare_names);

        r = read_optional("/proc/net/route", &route4);
        if (r < 0)
                return r;
        r = read_optional("/proc/net/ipv6_route", &route6);
        if (r < 0)
                return r;
        r = ifenum_parse_default_routes(route4, route6, &dflt);
        if (r < 0)
                return r;
        for (size_t i = 0; i < l.n; i++)
                l.items[i].default_route = strv_contains(dflt, l.items[i].name);

        *ret = l;
        l = (struct drs_iface_list) {0};
        return 0;
}
