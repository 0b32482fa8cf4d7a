/* ifenum.h: enumerating the host's network interfaces (getifaddrs + the kernel's route tables). */
#pragma once

#include "iface.h"

/* Fills ret with every interface, sorted by name, addresses in kernel order; marks interfaces
 * that carry a default route (from /proc/net/route and /proc/net/ipv6_route). Returns 0 or a
 * negative errno; ret is untouched on failure. */
int ifenum_list(struct drs_iface_list *ret);
