/* tlsgen.c: generates the daemon's TLS material (CA, server, client certificates) with GnuTLS. */
#include "config.h"

#include "tlsgen.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "macro.h"
#include "tlsgen-internal.h"
#include "util.h"

/* Certificates start this much before "now", so that a client whose clock is a little behind
 * does not see them as "not yet valid". */
#define BACKDATE_SECONDS 3600
#define SERIAL_BYTES 16

enum cert_kind {
        CERT_CA,
        CERT_SERVER,
        CERT_CLIENT,
};

static void privkey_freep(gnutls_privkey_t *p) {
        if (*p)
                gnutls_privkey_deinit(*p);
}

/* GnuTLS error codes are not errno values: the header promises -EIO for them. */
static int gt_err(int r) {
        return r == GNUTLS_E_MEMORY_ERROR ? -ENOMEM : -EIO;
}


static int key_generate(enum drs_key_type type, gnutls_x509_privkey_t *ret) {
        _cleanup_xkey_ gnutls_x509_privkey_t key = NULL;
        int r;

        if (gnutls_x509_privkey_init(&key) < 0)
                return -ENOMEM;
        switch (type) {
        case KEY_ECDSA_P256:
                r = gnutls_x509_privkey_generate(key, GNUTLS_PK_ECDSA,
                                                 GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), 0);
                break;
        case KEY_RSA_3072:
                r = gnutls_x509_privkey_generate(key, GNUTLS_PK_RSA, 3072, 0);
                break;
        default:
                return -EINVAL;
        }
        if (r < 0)
                return gt_err(r);
        *ret = TAKE_PTR(key);
        return 0;
}

/* A random positive 128-bit serial: top bit clear (DER INTEGERs are signed) and the next one
 * set, so it always encodes in exactly 16 bytes. */
static int crt_set_random_serial(gnutls_x509_crt_t crt) {
        unsigned char serial[SERIAL_BYTES];
        int r;

        r = gnutls_rnd(GNUTLS_RND_NONCE, serial, sizeof(serial));
        if (r < 0)
                return gt_err(r);
        serial[0] = (unsigned char) ((serial[0] & 0x7f) | 0x40);
        r = gnutls_x509_crt_set_serial(crt, serial, sizeof(serial));
        return r < 0 ? gt_err(r) : 0;
}

static int crt_add_ip_san(gnutls_x509_crt_t crt, const struct drs_addr *a) {
        int r;

        r = gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_IPADDRESS, a->bytes,
                                                 a->family == AF_INET ? 4 : 16, GNUTLS_FSAN_APPEND);
        return r < 0 ? gt_err(r) : 0;
}

/* SAN of the server certificate: the chosen IP, 127.0.0.1 (and ::1 for an IPv6 endpoint, so a
 * probe of "::" verifies too), and the DNS name if one was given. */
static int crt_set_server_san(gnutls_x509_crt_t crt, const struct drs_tls_params *p) {
        struct drs_addr lo4 = {.family = AF_INET, .bytes = {127, 0, 0, 1}};
        struct drs_addr lo6 = {.family = AF_INET6, .bytes = {[15] = 1}};
        int r;

        r = crt_add_ip_san(crt, &p->server_ip);
        if (r < 0)
                return r;
        if (!addr_equal(&p->server_ip, &lo4)) {
                r = crt_add_ip_san(crt, &lo4);
                if (r < 0)
                        return r;
        }
        if (p->server_ip.family == AF_INET6 && !addr_equal(&p->server_ip, &lo6)) {
                r = crt_add_ip_san(crt, &lo6);
                if (r < 0)
                        return r;
        }
        if (p->host_name) {
                r = gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_DNSNAME, p->host_name,
                                                         (unsigned) strlen(p->host_name), GNUTLS_FSAN_APPEND);
                if (r < 0)
                        return gt_err(r);
        }
        return 0;
}

static int crt_set_validity(gnutls_x509_crt_t crt, time_t now, unsigned days, time_t not_after_max) {
        time_t not_after = now + (time_t) days * DAY_SECONDS;
        int r;

        /* A leaf must not outlive its CA: clients reject the chain from that day on anyway. */
        if (not_after_max > 0 && not_after > not_after_max)
                not_after = not_after_max;
        r = gnutls_x509_crt_set_activation_time(crt, now - BACKDATE_SECONDS);
        if (r >= 0)
                r = gnutls_x509_crt_set_expiration_time(crt, not_after);
        return r < 0 ? gt_err(r) : 0;
}

static int crt_set_extensions(gnutls_x509_crt_t crt, enum cert_kind kind, enum drs_key_type key_type) {
        unsigned usage;
        int r;

        r = gnutls_x509_crt_set_basic_constraints(crt, kind == CERT_CA, kind == CERT_CA ? 0 : -1);
        if (r < 0)
                return gt_err(r);
        if (kind == CERT_CA)
                usage = GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN;
        else {
                usage = GNUTLS_KEY_DIGITAL_SIGNATURE;
                /* RSA key exchange (TLS 1.2 without ECDHE) encrypts to the key. */
                if (key_type == KEY_RSA_3072)
                        usage |= GNUTLS_KEY_KEY_ENCIPHERMENT;
        }
        r = gnutls_x509_crt_set_key_usage(crt, usage);
        if (r < 0)
                return gt_err(r);
        if (kind == CERT_CA)
                return 0;
        r = gnutls_x509_crt_set_key_purpose_oid(
                crt, kind == CERT_SERVER ? GNUTLS_KP_TLS_WWW_SERVER : GNUTLS_KP_TLS_WWW_CLIENT, 0);
        return r < 0 ? gt_err(r) : 0;
}

static int crt_set_key_ids(gnutls_x509_crt_t crt, gnutls_x509_crt_t issuer) {
        unsigned char id[KEY_ID_MAX];
        size_t size = sizeof(id);
        unsigned critical;
        int r;

        r = gnutls_x509_crt_get_key_id(crt, GNUTLS_KEYID_USE_SHA1, id, &size);
        if (r >= 0)
                r = gnutls_x509_crt_set_subject_key_id(crt, id, size);
        if (r < 0)
                return gt_err(r);
        if (issuer) {
                size = sizeof(id);
                r = gnutls_x509_crt_get_subject_key_id(issuer, id, &size, &critical);
                if (r < 0)
                        return gt_err(r);
        }
        r = gnutls_x509_crt_set_authority_key_id(crt, id, size);
        return r < 0 ? gt_err(r) : 0;
}

/* Builds and signs one certificate for key; issuer NULL means self-signed (the CA). */
static int crt_build(enum cert_kind kind, const char *cn, const struct drs_tls_params *p, time_t now,
                     gnutls_x509_privkey_t key, gnutls_x509_crt_t issuer, gnutls_x509_privkey_t issuer_key,
                     gnutls_x509_crt_t *ret) {
        _cleanup_crt_ gnutls_x509_crt_t crt = NULL;
        _cleanup_(privkey_freep) gnutls_privkey_t signer = NULL;
        time_t ca_end = 0;
        int r;

        if (gnutls_x509_crt_init(&crt) < 0 || gnutls_privkey_init(&signer) < 0)
                return -ENOMEM;
        r = gnutls_x509_crt_set_version(crt, 3);
        if (r >= 0)
                r = gnutls_x509_crt_set_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, cn,
                                                  (unsigned) strlen(cn));
        if (r >= 0)
                r = gnutls_x509_crt_set_key(crt, key);
        if (r < 0)
                return gt_err(r);
        r = crt_set_random_serial(crt);
        if (r < 0)
                return r;
        if (issuer)
                ca_end = gnutls_x509_crt_get_expiration_time(issuer);
        r = crt_set_validity(crt, now, kind == CERT_CA ? p->ca_days : p->leaf_days, ca_end);
        if (r < 0)
                return r;
        r = crt_set_extensions(crt, kind, p->key_type);
        if (r < 0)
                return r;
        if (kind == CERT_SERVER) {
                r = crt_set_server_san(crt, p);
                if (r < 0)
                        return r;
        }
        r = crt_set_key_ids(crt, issuer);
        if (r < 0)
                return r;
        r = gnutls_privkey_import_x509(signer, issuer_key ? issuer_key : key, 0);
        if (r >= 0)
                r = gnutls_x509_crt_privkey_sign(crt, issuer ? issuer : crt, signer, GNUTLS_DIG_SHA256, 0);
        if (r < 0)
                return gt_err(r);
        *ret = TAKE_PTR(crt);
        return 0;
}

static int datum_to_string(gnutls_datum_t *d, char **ret) {
        *ret = xstrndup((const char *) d->data, d->size);
        gnutls_free(d->data);
        d->data = NULL;
        return 0;
}

static int crt_export(gnutls_x509_crt_t crt, char **ret) {
        gnutls_datum_t d = {NULL, 0};
        int r;

        r = gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_PEM, &d);
        if (r < 0)
                return gt_err(r);
        return datum_to_string(&d, ret);
}

/* Unencrypted PKCS#8 ("BEGIN PRIVATE KEY"), which dockerd and the docker CLI read for both key types. */
static int key_export(gnutls_x509_privkey_t key, char **ret) {
        gnutls_datum_t d = {NULL, 0};
        int r;

        r = gnutls_x509_privkey_export2_pkcs8(key, GNUTLS_X509_FMT_PEM, NULL, GNUTLS_PKCS_PLAIN, &d);
        if (r < 0)
                return gt_err(r);
        return datum_to_string(&d, ret);
}

bool tlsgen_dns_name_valid(const char *s) {
        size_t n = strlen(s);

        if (n == 0 || n > 253 || s[0] == '.' || s[0] == '-')
                return false;
        for (const char *c = s; *c; c++)
                if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
                      *c == '-' || *c == '.'))
                        return false;
        return true;
}

/* Fills in the defaults; rejects what would make a broken certificate. */
static int params_normalize(const struct drs_tls_params *in, struct drs_tls_params *out, time_t *ret_now) {
        *out = in ? *in : (struct drs_tls_params) {0};
        if (out->key_type != KEY_ECDSA_P256 && out->key_type != KEY_RSA_3072)
                return -EINVAL;
        if (out->host_name && !tlsgen_dns_name_valid(out->host_name))
                return -EINVAL;
        if (out->leaf_days == 0)
                out->leaf_days = DRS_DEFAULT_CERT_DAYS;
        if (out->ca_days == 0)
                out->ca_days = DRS_MIN_CA_DAYS;
        if (out->leaf_days > 36500 || out->ca_days > 36500)
                return -ERANGE;
        *ret_now = out->now ? out->now : time(NULL);
        return 0;
}

static int leaf_create(enum cert_kind kind, const char *cn, const struct drs_tls_params *p, time_t now,
                       gnutls_x509_crt_t ca, gnutls_x509_privkey_t ca_key, char **ret_cert, char **ret_key) {
        _cleanup_xkey_ gnutls_x509_privkey_t key = NULL;
        _cleanup_crt_ gnutls_x509_crt_t crt = NULL;
        _cleanup_free_ char *cert_pem = NULL, *key_pem = NULL;
        int r;

        r = key_generate(p->key_type, &key);
        if (r < 0)
                return r;
        r = crt_build(kind, cn, p, now, key, ca, ca_key, &crt);
        if (r < 0)
                return r;
        r = crt_export(crt, &cert_pem);
        if (r < 0)
                return r;
        r = key_export(key, &key_pem);
        if (r < 0)
                return r;
        *ret_cert = TAKE_PTR(cert_pem);
        *ret_key = TAKE_PTR(key_pem);
        return 0;
}

int tlsgen_create(const struct drs_tls_params *params, struct drs_tls_material *ret) {
        _cleanup_xkey_ gnutls_x509_privkey_t ca_key = NULL;
        _cleanup_crt_ gnutls_x509_crt_t ca = NULL;
        _cleanup_(tls_material_done) struct drs_tls_material m = {0};
        struct drs_tls_params p;
        char ip[46];
        time_t now;
        int r;

        if (!params || (params->server_ip.family != AF_INET && params->server_ip.family != AF_INET6))
                return -EINVAL;
        r = params_normalize(params, &p, &now);
        if (r < 0)
                return r;

        r = key_generate(p.key_type, &ca_key);
        if (r < 0)
                return r;
        r = crt_build(CERT_CA, "docker-remote-setup CA", &p, now, ca_key, NULL, NULL, &ca);
        if (r < 0)
                return r;
        r = crt_export(ca, &m.ca_cert);
        if (r < 0)
                return r;
        r = key_export(ca_key, &m.ca_key);
        if (r < 0)
                return r;

        r = leaf_create(CERT_SERVER, addr_to_string(&p.server_ip, ip), &p, now, ca, ca_key, &m.server_cert,
                        &m.server_key);
        if (r < 0)
                return r;
        r = leaf_create(CERT_CLIENT, "docker-remote-setup client", &p, now, ca, ca_key, &m.client_cert,
                        &m.client_key);
        if (r < 0)
                return r;

        *ret = m;
        m = (struct drs_tls_material) {0};
        return 0;
}


int tlsgen_issue_client(const char *ca_cert_pem, const char *ca_key_pem, const char *name,
                        const struct drs_tls_params *params, char **ret_cert, char **ret_key) {
        _cleanup_xkey_ gnutls_x509_privkey_t ca_key = NULL;
        _cleanup_crt_ gnutls_x509_crt_t ca = NULL;
        struct drs_tls_params p;
        unsigned is_ca = 0, critical;
        time_t now;
        int r;

        if (!name || !*name || strlen(name) > 64) /* ub-common-name */
                return -EINVAL;
        r = params_normalize(params, &p, &now);
        if (r < 0)
                return r;
        r = tlsgen_crt_parse(ca_cert_pem, &ca);
        if (r < 0)
                return r;
        r = tlsgen_key_parse(ca_key_pem, &ca_key);
        if (r < 0)
                return r;
        if (gnutls_x509_crt_get_basic_constraints(ca, &critical, &is_ca, NULL) < 0 || !is_ca)
                return -EINVAL;
        if (!tlsgen_key_matches_crt(ca_key, ca))
                return -EINVAL;
        return leaf_create(CERT_CLIENT, name, &p, now, ca, ca_key, ret_cert, ret_key);
}


/* Private keys are not left behind in freed heap memory. */
static void free_secret(char *s) {
        if (s)
                explicit_bzero(s, strlen(s));
        free(s);
}

void tls_material_done(struct drs_tls_material *m) {
        if (!m)
                return;
        free(m->ca_cert);
        free_secret(m->ca_key);
        free(m->server_cert);
        free_secret(m->server_key);
        free(m->client_cert);
        free_secret(m->client_key);
        *m = (struct drs_tls_material) {0};
}
