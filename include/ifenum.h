/* ifenum.h: enumerating the host's network interfaces (getifaddrs + the kernel's route tables). */
#pragma once

#include "iface.h"

/* Fills ret with every interface, sorted by name, addresses in kernel order; marks interfaces
 * that carry a default route (from /proc/net/route and /proc/net/ipv6_route). Returns 0 or a
 * negative errno; ret is untouched on failure. */
int ifenum_list(struct drs_iface_list *ret);

/* Parses the text of /proc/net/route and /proc/net/ipv6_route (either may be NULL: absent)
 * and returns the names of the interfaces that carry an IPv4 or IPv6 default route (up, not
 * a reject route, not "lo"), each once, in file order. Lines that do not parse are skipped.
 * Returns 0; caller frees the vector. */
int ifenum_parse_default_routes(const char *route4_text, const char *route6_text, char ***ret_ifnames);
