/* probe.h: asks a live dockerd endpoint "GET /_ping" over TCP, optionally over mutual TLS. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "addr.h"

struct drs_probe_tls {
        const char *ca_file;   /* PEM CA that must have signed the server certificate */
        const char *cert_file; /* client certificate; NULL to probe without one */
        const char *key_file;
};

/* Connects to addr:port (for an unspecified address: the loopback of that family), sends
 * "GET /_ping HTTP/1.1" and expects status 200 with body "OK". With tls != NULL, does a TLS
 * handshake, verifying the server certificate against ca_file and the IP address.
 * Returns 0 on "OK", a negative errno otherwise (-ECONNREFUSED, -ETIMEDOUT, -EPROTO for a bad
 * answer, -EACCES when the TLS handshake or verification failed); *ret_detail (may be NULL)
 * gets a one-line explanation in English for logs and messages, caller frees. */
int probe_ping(const struct drs_addr *addr, uint16_t port, const struct drs_probe_tls *tls,
               unsigned timeout_ms, char **ret_detail);

/* Tries to bind addr:port (TCP) and releases it at once: 0 free, -EADDRINUSE, -EADDRNOTAVAIL,
 * -EACCES or another negative errno. */
int probe_bind(const struct drs_addr *addr, uint16_t port);

/* Whether this kernel gives dual-stack sockets, as Go asks before it listens on a wildcard: then
 * dockerd's listener on 0.0.0.0:PORT is one IPv6 socket and its journal says "[::]:PORT", else
 * "0.0.0.0:PORT" (a kernel booted with ipv6.disable=1). */
bool probe_dual_stack(void);
