/* tlsgen.h: the TLS material for the daemon: a CA, a server and a client certificate (GnuTLS). */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "addr.h"
#include "settings.h" /* enum drs_key_type */

struct drs_tls_params {
        enum drs_key_type key_type;
        struct drs_addr server_ip;  /* goes into the server SAN, with 127.0.0.1 and host_name */
        const char *host_name;      /* may be NULL */
        unsigned leaf_days;         /* default 825 */
        unsigned ca_days;           /* default 3650 */
        time_t now;                 /* 0: time(NULL) */
};

/* PEM texts; every field owned by the struct. */
struct drs_tls_material {
        char *ca_cert, *ca_key;
        char *server_cert, *server_key;
        char *client_cert, *client_key;
};

/* Generates a new CA plus server and client certificates. Random 128-bit serials; server cert:
 * SAN = IP + 127.0.0.1 (+ DNS host_name), EKU serverAuth, KU digitalSignature (+ keyEncipherment
 * for RSA); client: EKU clientAuth; CA: basicConstraints CA:TRUE, KU keyCertSign+cRLSign.
 * Returns 0 or a negative errno (-EIO for a GnuTLS failure). ret untouched on failure. */
int tlsgen_create(const struct drs_tls_params *p, struct drs_tls_material *ret);

/* Issues another client certificate (CN = name) from an existing CA. */
int tlsgen_issue_client(const char *ca_cert_pem, const char *ca_key_pem, const char *name,
                        const struct drs_tls_params *p, char **ret_cert, char **ret_key);

/* Whether existing material can be kept for this IP: CA and server cert parse, the server cert
 * is signed by the CA, its SAN holds ip, and it is valid for at least 30 more days at `now`.
 * Sets *ret_expiry to the server cert's notAfter. Returns 1 reusable, 0 not (reason in
 * *ret_reason, a static translated string), negative errno on a parse failure. */
int tlsgen_check_reusable(const char *ca_cert_pem, const char *server_cert_pem, const struct drs_addr *ip,
                          time_t now, time_t *ret_expiry, const char **ret_reason);

/* tlsgen_check_reusable() for the whole set: also every key belongs to its certificate and the
 * client certificate is issued by the CA for TLS clients and valid for 30 more days. The same
 * returns; every PEM of m must be set. */
int tlsgen_check_material(const struct drs_tls_material *m, const struct drs_addr *ip, time_t now,
                          time_t *ret_expiry, const char **ret_reason);

/* The key type of a certificate: 0, -EOPNOTSUPP for one we do not generate (RSA 2048, P-384, …),
 * -EBADMSG when it does not parse. */
int tlsgen_cert_key_type(const char *cert_pem, enum drs_key_type *ret);

/* Whether a host name can go into a certificate's DNS SAN (letters, digits, '-', '.'). */
bool tlsgen_dns_name_valid(const char *s);

/* notAfter of a PEM certificate. Returns 0 or -EBADMSG. */
int tlsgen_cert_expiry(const char *cert_pem, time_t *ret);

void tls_material_done(struct drs_tls_material *m);
