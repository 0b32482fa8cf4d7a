/* ifenum.h: enumerating the host's network interfaces and addresses (getifaddrs), their default
 * routes and address lifetimes (rtnetlink). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "iface.h"

/* How many times a netlink dump interrupted by changes (NLM_F_DUMP_INTR) is made again. */
#define IFENUM_DUMP_TRIES 5

/* Fills ret with every interface, sorted by name, addresses in kernel order (getifaddrs(3));
 * marks interfaces that carry a default route (the main routing table, asked over rtnetlink).
 * Returns 0 or a negative errno: -EAGAIN when the routes kept changing through
 * IFENUM_DUMP_TRIES dumps. ret is untouched on failure. */
int ifenum_list(struct drs_iface_list *ret);

/* What the kernel says of one address (IFA_CACHEINFO, IFA_FLAGS). */
struct ifenum_lifetime {
        uint32_t valid_lft;     /* seconds left; UINT32_MAX: forever */
        uint32_t preferred_lft; /* seconds left; UINT32_MAX: forever */
        uint32_t flags;         /* IFA_F_*: IFA_F_PERMANENT for a static address */
};

/* The lifetime of address a on interface ifname (a DHCP or SLAAC address has a finite
 * valid_lft: it can go away or change). Returns 0, -ENOENT when ifname does not have a, -EAGAIN
 * when the addresses kept changing, or another negative errno. */
int ifenum_addr_lifetime(const char *ifname, const struct drs_addr *a, struct ifenum_lifetime *ret);

/* The message for a negative errno of this module (-EAGAIN: the interfaces kept changing). */
const char *ifenum_strerror(int r);

/* One route dump as it is read: what each reply must carry, and what was found. */
struct ifenum_route_dump {
        uint32_t seq, port;  /* the request's sequence number and the socket's port ID */
        bool interrupted;    /* a reply had NLM_F_DUMP_INTR: the dump must be made again */
        int *ifindexes;      /* the output interfaces of the default routes, each once */
        size_t n;
};

/* Reads a buffer of rtnetlink messages as one recv() of an RTM_GETROUTE dump returns it and
 * appends to d->ifindexes the output interfaces of the default routes: RTM_NEWROUTE, unicast
 * (not unreachable, prohibit or blackhole), destination length 0, main table; every nexthop of a
 * multipath route. Replies whose sequence number or port ID differ from d's are not this dump's:
 * skipped. Returns 1 when the buffer ends the dump (NLMSG_DONE), 0 when more follows, -EBADMSG
 * for a malformed buffer, or the negative errno of an NLMSG_ERROR. */
int ifenum_parse_routes(const void *buf, size_t len, struct ifenum_route_dump *d);
