/* ifenum.h: enumerating the host's network interfaces, their addresses and default routes (rtnetlink). */
#pragma once

#include "iface.h"

/* Fills ret with every interface, sorted by name, addresses in kernel order; marks interfaces
 * that carry a default route (the main routing table, asked over rtnetlink). Returns 0 or a
 * negative errno; ret is untouched on failure. */
int ifenum_list(struct drs_iface_list *ret);

/* Reads a buffer of rtnetlink messages as one recv() of an RTM_GETROUTE dump returns it and
 * appends to *ifindexes (*n of them, each once) the output interfaces of the default routes:
 * RTM_NEWROUTE, unicast (not unreachable, prohibit or blackhole), destination length 0, main
 * table; every nexthop of a multipath route. Other messages are skipped. Returns 1 when the
 * buffer ends the dump (NLMSG_DONE), 0 when more follows, -EBADMSG for a malformed buffer, or
 * the negative errno of an NLMSG_ERROR. */
int ifenum_parse_routes(const void *buf, size_t len, int **ifindexes, size_t *n);
