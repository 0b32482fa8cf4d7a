/* addrlife.h: how long the kernel keeps an address (valid lifetime; netlink, kept apart from the
 * interface enumeration). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "addr.h"

#define ADDR_LIFETIME_FOREVER UINT32_MAX

/* The valid lifetime in seconds of address a on this host (ADDR_LIFETIME_FOREVER for a static
 * address; less for one a DHCP client or SLAAC gave with a lease). Returns 0, -ENOENT when no
 * interface has it, or a negative errno from netlink. */
int addr_valid_lifetime(const struct drs_addr *a, uint32_t *ret_valid_lft);
