/* allowlist.h: the networks allowed to connect (--allow-from CIDR): parsing and validation (pure). */
#pragma once

#include <stdbool.h>

#include "addr.h"
#include "diag.h"

struct drs_cidr {
        struct drs_addr addr;   /* the network address: host bits clear */
        unsigned prefix;        /* 0–32 or 0–128 */
};

/* The value that removes a restriction. */
#define ALLOWLIST_ANY "any"

/* Parses "ADDR/PREFIX" or a bare address (/32, /128). Returns 0; -EINVAL for a malformed value,
 * -EDOM when host bits are set (the network it would be is in *ret), -ERANGE for a /0 (no
 * restriction at all); the reason, naming the value, in *diag. */
int cidr_parse(const char *s, struct drs_cidr *ret, struct drs_diag *diag);
/* "10.0.0.0/24", "fd00::/64"; caller frees. */
char *cidr_to_string(const struct drs_cidr *c);
bool cidr_contains(const struct drs_cidr *c, const struct drs_addr *a);

/* Adds one --allow-from value to *list (canonical CIDR strings) or sets *any for "any". Refuses a
 * malformed value, host bits, a /0, a network given twice and "any" together with networks.
 * Returns 0 or a negative errno as cidr_parse(), -EEXIST for a duplicate, -EINVAL for a mix. */
int allowlist_add(char ***list, bool *any, const char *value, struct drs_diag *diag);
/* Whether an address is in one of the networks of a list made by allowlist_add(). */
bool allowlist_contains(char *const *list, const struct drs_addr *a);
/* "10.0.0.0/24, 10.1.2.3/32" (sep ", ") or as systemd reads it (sep " "); caller frees. */
char *allowlist_join(char *const *list, const char *sep);
