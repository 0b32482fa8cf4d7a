/* iface.h: the network interfaces found on the host, and the choices made from them (pure). */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "addr.h"

struct drs_iface_addr {
        struct drs_addr addr;
        unsigned prefixlen;
};

struct drs_iface {
        char *name;
        int ifindex;           /* 0 when unknown */
        bool up;               /* IFF_UP and IFF_RUNNING */
        bool loopback;         /* IFF_LOOPBACK */
        bool default_route;    /* carries an IPv4 or IPv6 default route */
        struct drs_iface_addr *addrs;
        size_t n_addrs;
};

struct drs_iface_list {
        struct drs_iface *items;
        size_t n;
};

void iface_list_done(struct drs_iface_list *l);
const struct drs_iface *iface_list_find(const struct drs_iface_list *l, const char *name);

/* veth*, docker0, br-* (and other container plumbing) are hidden behind a toggle. */
bool iface_is_container_plumbing(const char *name);

/* The interface the wizard preselects: the first up, non-loopback, non-plumbing interface with a
 * private/CGNAT/ULA address and no default route; else the first up one with a usable address;
 * else -1. */
int iface_preselect(const struct drs_iface_list *l);

/* The address to listen on for an interface when none was given: its only IPv4 address, else
 * (no IPv4 at all) its only usable IPv6 address; link-local and multicast never count.
 * Returns 0, -ENOENT when it has no usable address, -EEXIST when it has several of the
 * deciding family (the caller then asks for --address). */
int iface_pick_address(const struct drs_iface *i, struct drs_addr *ret);
bool iface_has_address(const struct drs_iface *i, const struct drs_addr *a);
