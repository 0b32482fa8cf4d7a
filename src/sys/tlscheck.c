/* tlscheck.c: judging existing TLS material: reusable for an address, keys matching, key type, expiry. */
#include "config.h"

#include "tlsgen.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "i18n.h"
#include "macro.h"
#include "tlsgen-internal.h"
#include "util.h"

int tlsgen_crt_parse(const char *pem, gnutls_x509_crt_t *ret) {
        _cleanup_crt_ gnutls_x509_crt_t crt = NULL;
        gnutls_datum_t d;

        if (!pem || !*pem)
                return -EBADMSG;
        d.data = (unsigned char *) pem;
        d.size = (unsigned) strlen(pem);
        if (gnutls_x509_crt_init(&crt) < 0)
                return -ENOMEM;
        if (gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_PEM) < 0)
                return -EBADMSG;
        *ret = TAKE_PTR(crt);
        return 0;
}

int tlsgen_key_parse(const char *pem, gnutls_x509_privkey_t *ret) {
        _cleanup_xkey_ gnutls_x509_privkey_t key = NULL;
        gnutls_datum_t d;

        if (!pem || !*pem)
                return -EBADMSG;
        d.data = (unsigned char *) pem;
        d.size = (unsigned) strlen(pem);
        if (gnutls_x509_privkey_init(&key) < 0)
                return -ENOMEM;
        /* import2 accepts PKCS#8 ("PRIVATE KEY") as well as the PKCS#1 / SEC1 forms. */
        if (gnutls_x509_privkey_import2(key, &d, GNUTLS_X509_FMT_PEM, NULL, GNUTLS_PKCS_PLAIN) < 0)
                return -EBADMSG;
        *ret = TAKE_PTR(key);
        return 0;
}

bool tlsgen_key_matches_crt(gnutls_x509_privkey_t key, gnutls_x509_crt_t crt) {
        unsigned char a[KEY_ID_MAX], b[KEY_ID_MAX];
        size_t na = sizeof(a), nb = sizeof(b);

        if (gnutls_x509_privkey_get_key_id(key, GNUTLS_KEYID_USE_SHA1, a, &na) < 0 ||
            gnutls_x509_crt_get_key_id(crt, GNUTLS_KEYID_USE_SHA1, b, &nb) < 0)
                return false;
        return na == nb && memcmp(a, b, na) == 0;
}

int tlsgen_check_reusable(const char *ca_cert_pem, const char *server_cert_pem, const struct drs_addr *ip,
                          time_t now, time_t *ret_expiry, const char **ret_reason) {
        _cleanup_crt_ gnutls_x509_crt_t ca = NULL, server = NULL;
        const char *reason = NULL;
        unsigned status = 0;
        time_t server_end, ca_end;
        int r;

        if (!ip || (ip->family != AF_INET && ip->family != AF_INET6))
                return -EINVAL;
        r = tlsgen_crt_parse(ca_cert_pem, &ca);
        if (r < 0)
                return r;
        r = tlsgen_crt_parse(server_cert_pem, &server);
        if (r < 0)
                return r;
        server_end = gnutls_x509_crt_get_expiration_time(server);
        ca_end = gnutls_x509_crt_get_expiration_time(ca);
        if (server_end == (time_t) -1 || ca_end == (time_t) -1)
                return -EBADMSG;
        if (now == 0)
                now = time(NULL);

        /* Times are judged against `now` below, not against the clock. */
        r = gnutls_x509_crt_verify(
                server, &ca, 1, GNUTLS_VERIFY_DISABLE_TIME_CHECKS | GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS,
                &status);
        if (r < 0 || status != 0)
                reason = _("the server certificate was not issued by this CA");
        else if (!gnutls_x509_crt_check_ip(server, ip->bytes, ip->family == AF_INET ? 4 : 16, 0))
                reason = _("the server certificate does not name this address");
        else if (!gnutls_x509_crt_check_key_purpose(server, GNUTLS_KP_TLS_WWW_SERVER, 0))
                reason = _("the server certificate is not meant for a TLS server");
        else if (gnutls_x509_crt_get_activation_time(server) > now)
                reason = _("the server certificate is not valid yet");
        else if (server_end - now < REUSE_MIN_SECONDS)
                reason = _("the server certificate expires within 30 days");
        else if (ca_end - now < REUSE_MIN_SECONDS)
                reason = _("the CA certificate expires within 30 days");

        if (ret_expiry)
                *ret_expiry = server_end;
        if (ret_reason)
                *ret_reason = reason;
        return reason ? 0 : 1;
}

/* Whether the PEM key belongs to the PEM certificate: 1 yes, 0 no, -EBADMSG when one does not parse. */
static int pair_matches(const char *cert_pem, const char *key_pem) {
        _cleanup_xkey_ gnutls_x509_privkey_t key = NULL;
        _cleanup_crt_ gnutls_x509_crt_t crt = NULL;

        if (tlsgen_crt_parse(cert_pem, &crt) < 0 || tlsgen_key_parse(key_pem, &key) < 0)
                return -EBADMSG;
        return tlsgen_key_matches_crt(key, crt);
}

/* Whether the client certificate can be handed out for another 30 days: issued by ca, meant for
 * TLS clients, valid. Returns NULL or the reason (static, translated). */
static const char *client_problem(gnutls_x509_crt_t ca, const char *client_pem, time_t now) {
        _cleanup_crt_ gnutls_x509_crt_t client = NULL;
        unsigned status = 0;
        time_t end;

        if (tlsgen_crt_parse(client_pem, &client) < 0)
                return _("the client certificate cannot be read");
        if (gnutls_x509_crt_verify(client, &ca, 1,
                                   GNUTLS_VERIFY_DISABLE_TIME_CHECKS | GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS,
                                   &status) < 0 ||
            status != 0)
                return _("the client certificate was not issued by this CA");
        if (!gnutls_x509_crt_check_key_purpose(client, GNUTLS_KP_TLS_WWW_CLIENT, 0))
                return _("the client certificate is not meant for a TLS client");
        end = gnutls_x509_crt_get_expiration_time(client);
        if (end == (time_t) -1 || end - now < REUSE_MIN_SECONDS)
                return _("the client certificate expires within 30 days");
        return NULL;
}

int tlsgen_check_material(const struct drs_tls_material *m, const struct drs_addr *ip, time_t now,
                          time_t *ret_expiry, const char **ret_reason) {
        _cleanup_crt_ gnutls_x509_crt_t ca = NULL;
        const char *reason = NULL;
        time_t expiry = 0;
        int r;

        if (now == 0)
                now = time(NULL);
        r = tlsgen_check_reusable(m->ca_cert, m->server_cert, ip, now, &expiry, &reason);
        if (r < 0)
                return r;
        if (!reason && pair_matches(m->ca_cert, m->ca_key) <= 0)
                reason = _("the CA key does not belong to the CA certificate");
        if (!reason && pair_matches(m->server_cert, m->server_key) <= 0)
                reason = _("the server key does not belong to the server certificate");
        if (!reason && tlsgen_crt_parse(m->ca_cert, &ca) >= 0)
                reason = client_problem(ca, m->client_cert, now);
        if (!reason && pair_matches(m->client_cert, m->client_key) <= 0)
                reason = _("the client key does not belong to the client certificate");
        if (ret_expiry)
                *ret_expiry = expiry;
        if (ret_reason)
                *ret_reason = reason;
        return reason ? 0 : 1;
}

int tlsgen_cert_key_type(const char *cert_pem, enum drs_key_type *ret) {
        _cleanup_crt_ gnutls_x509_crt_t crt = NULL;
        gnutls_ecc_curve_t curve;
        unsigned bits = 0;
        int pk;

        if (tlsgen_crt_parse(cert_pem, &crt) < 0)
                return -EBADMSG;
        pk = gnutls_x509_crt_get_pk_algorithm(crt, &bits);
        if (pk == GNUTLS_PK_RSA && bits == 3072) {
                *ret = KEY_RSA_3072;
                return 0;
        }
        if (pk == GNUTLS_PK_ECDSA && gnutls_x509_crt_get_pk_ecc_raw(crt, &curve, NULL, NULL) >= 0 &&
            curve == GNUTLS_ECC_CURVE_SECP256R1) {
                *ret = KEY_ECDSA_P256;
                return 0;
        }
        return -EOPNOTSUPP;
}

int tlsgen_cert_expiry(const char *cert_pem, time_t *ret) {
        _cleanup_crt_ gnutls_x509_crt_t crt = NULL;
        time_t t;

        if (tlsgen_crt_parse(cert_pem, &crt) < 0)
                return -EBADMSG;
        t = gnutls_x509_crt_get_expiration_time(crt);
        if (t == (time_t) -1)
                return -EBADMSG;
        *ret = t;
        return 0;
}
