/* addr.h: IP literals, ports and interface names: parsing, validation and classification. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

enum drs_addr_class {
        ADDR_CLASS_LOOPBACK,
        ADDR_CLASS_PRIVATE,     /* RFC 1918 */
        ADDR_CLASS_CGNAT,       /* 100.64.0.0/10, RFC 6598 */
        ADDR_CLASS_ULA,         /* fc00::/7, RFC 4193 */
        ADDR_CLASS_LINK_LOCAL,  /* 169.254.0.0/16, fe80::/10 */
        ADDR_CLASS_UNSPECIFIED, /* 0.0.0.0, :: */
        ADDR_CLASS_MULTICAST,
        ADDR_CLASS_PUBLIC,
        _ADDR_CLASS_MAX,
};

struct drs_addr {
        int family; /* AF_INET or AF_INET6; 0 when unset */
        uint8_t bytes[16];
};

/* Parses an IPv4 or IPv6 literal (brackets and zone ids refused). Returns 0 or -EINVAL. */
int addr_parse(const char *s, struct drs_addr *ret);
enum drs_addr_class addr_classify(const struct drs_addr *a);
bool addr_equal(const struct drs_addr *a, const struct drs_addr *b);
/* Writes the canonical text form into buf (at least 46 bytes). Returns buf. */
char *addr_to_string(const struct drs_addr *a, char buf[static 46]);
/* "10.0.0.1:2376" or "[fd00::1]:2376"; caller frees. */
char *addr_hostport(const struct drs_addr *a, uint16_t port);
/* The form dockerd logs in "API listen on …": unspecified addresses become "[::]:PORT" (Go, and
 * systemd for ListenStream=PORT, bind one dual-stack socket), or "0.0.0.0:PORT" when single_stack
 * (a kernel without dual-stack sockets: probe_dual_stack). */
char *addr_listen_text(const struct drs_addr *a, uint16_t port, bool single_stack);

/* Short untranslated key ("private") and a translated human label ("private (RFC 1918)"). */
const char *addr_class_to_string(enum drs_addr_class c);
const char *addr_class_label(enum drs_addr_class c);
/* Plain TCP is allowed only on loopback, RFC 1918, CGNAT and ULA addresses. */
bool addr_class_allows_plain(enum drs_addr_class c);
/* Public and unspecified addresses need --allow-public (and TLS). */
bool addr_class_needs_allow_public(enum drs_addr_class c);
/* Link-local, multicast: never offered as a listener. */
bool addr_class_usable(enum drs_addr_class c);

/* Parses a decimal port 1–65535. Returns 0, -EINVAL (not a number) or -ERANGE. */
int port_parse(const char *s, uint16_t *ret);
/* A Linux interface name: 1–15 bytes, no '/', ':', whitespace or control characters, not "." or "..". */
bool ifname_valid(const char *s);
