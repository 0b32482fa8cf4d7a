/* test-tlsgen.c: unit tests of TLS material generation, parsed back and verified with GnuTLS. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <cmocka.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "addr.h"
#include "macro.h"
#include "tlsgen.h"

#define DAY 86400

static gnutls_x509_crt_t crt_load(const char *pem) {
        gnutls_x509_crt_t crt;
        gnutls_datum_t d = {(unsigned char *) pem, (unsigned) strlen(pem)};

        assert_non_null(pem);
        assert_int_equal(gnutls_x509_crt_init(&crt), 0);
        assert_int_equal(gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_PEM), 0);
        return crt;
}

static gnutls_x509_privkey_t key_load(const char *pem) {
        gnutls_x509_privkey_t key;
        gnutls_datum_t d = {(unsigned char *) pem, (unsigned) strlen(pem)};

        assert_non_null(pem);
        assert_true(strncmp(pem, "-----BEGIN PRIVATE KEY-----\n", 28) == 0); /* PKCS#8 */
        assert_int_equal(gnutls_x509_privkey_init(&key), 0);
        assert_int_equal(gnutls_x509_privkey_import2(key, &d, GNUTLS_X509_FMT_PEM, NULL, GNUTLS_PKCS_PLAIN), 0);
        return key;
}

static struct drs_tls_params params(const char *ip, enum drs_key_type type, time_t now) {
        struct drs_tls_params p = {.key_type = type, .now = now};
        assert_int_equal(addr_parse(ip, &p.server_ip), 0);
        return p;
}

static void assert_cn(gnutls_x509_crt_t crt, const char *cn) {
        char buf[256];
        size_t size = sizeof(buf);

        assert_int_equal(gnutls_x509_crt_get_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, 0, buf, &size), 0);
        assert_string_equal(buf, cn);
}

/* Whether the SAN holds an IP (given as text) or a DNS name. */
static bool san_has(gnutls_x509_crt_t crt, int type, const char *value) {
        struct drs_addr a = {0};
        size_t want = 0;

        if (type == GNUTLS_SAN_IPADDRESS) {
                assert_int_equal(addr_parse(value, &a), 0);
                want = a.family == AF_INET ? 4 : 16;
        }
        for (unsigned i = 0;; i++) {
                unsigned char buf[256];
                size_t size = sizeof(buf) - 1;
                unsigned critical;
                int t = gnutls_x509_crt_get_subject_alt_name(crt, i, buf, &size, &critical);
                if (t == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
                        return false;
                assert_true(t >= 0);
                if (t != type)
                        continue;
                if (type == GNUTLS_SAN_IPADDRESS && size == want && memcmp(buf, a.bytes, want) == 0)
                        return true;
                if (type == GNUTLS_SAN_DNSNAME && size == strlen(value) && memcmp(buf, value, size) == 0)
                        return true;
        }
}

static bool has_eku(gnutls_x509_crt_t crt, const char *oid) {
        return gnutls_x509_crt_check_key_purpose(crt, oid, 0) != 0;
}

static unsigned key_usage(gnutls_x509_crt_t crt) {
        unsigned usage = 0, critical = 0;
        assert_true(gnutls_x509_crt_get_key_usage(crt, &usage, &critical) >= 0);
        assert_true(critical);
        return usage;
}

static int is_ca(gnutls_x509_crt_t crt) {
        unsigned critical = 0, ca = 0;
        int pathlen = 0;
        assert_true(gnutls_x509_crt_get_basic_constraints(crt, &critical, &ca, &pathlen) >= 0);
        return (int) ca;
}

static void assert_signed_by(gnutls_x509_crt_t crt, gnutls_x509_crt_t ca, unsigned flags) {
        unsigned status = ~0u;
        assert_int_equal(gnutls_x509_crt_verify(crt, &ca, 1, flags, &status), 0);
        assert_int_equal(status, 0);
}

static void serial(gnutls_x509_crt_t crt, unsigned char out[32], size_t *size) {
        *size = 32;
        assert_int_equal(gnutls_x509_crt_get_serial(crt, out, size), 0);
        assert_int_equal(*size, 16);
        assert_true(out[0] < 0x80 && out[0] != 0); /* positive, full 128 bits */
}

static void assert_key_ids_chain(gnutls_x509_crt_t crt, gnutls_x509_crt_t ca) {
        unsigned char ski[64], aki[64];
        size_t ns = sizeof(ski), na = sizeof(aki);
        unsigned critical;

        assert_int_equal(gnutls_x509_crt_get_subject_key_id(ca, ski, &ns, &critical), 0);
        assert_int_equal(gnutls_x509_crt_get_authority_key_id(crt, aki, &na, &critical), 0);
        assert_int_equal(ns, na);
        assert_memory_equal(ski, aki, ns);
        ns = sizeof(ski);
        assert_int_equal(gnutls_x509_crt_get_subject_key_id(crt, ski, &ns, &critical), 0);
}

static void assert_key_pair(const char *key_pem, gnutls_x509_crt_t crt) {
        gnutls_x509_privkey_t key = key_load(key_pem);
        unsigned char a[64], b[64];
        size_t na = sizeof(a), nb = sizeof(b);

        assert_int_equal(gnutls_x509_privkey_get_key_id(key, 0, a, &na), 0);
        assert_int_equal(gnutls_x509_crt_get_key_id(crt, 0, b, &nb), 0);
        assert_int_equal(na, nb);
        assert_memory_equal(a, b, na);
        gnutls_x509_privkey_deinit(key);
}

static void test_create_ecdsa(_unused_ void **state) {
        time_t now = time(NULL);
        struct drs_tls_params p = params("10.213.0.2", KEY_ECDSA_P256, 0);
        struct drs_tls_material m = {0};
        gnutls_x509_crt_t ca, srv, cli;
        unsigned char s1[32], s2[32], s3[32];
        size_t n1, n2, n3;
        unsigned bits = 0;

        p.host_name = "docker.example.org";
        assert_int_equal(tlsgen_create(&p, &m), 0);
        ca = crt_load(m.ca_cert);
        srv = crt_load(m.server_cert);
        cli = crt_load(m.client_cert);

        assert_cn(ca, "docker-remote-setup CA");
        assert_cn(srv, "10.213.0.2");
        assert_cn(cli, "docker-remote-setup client");

        assert_true(san_has(srv, GNUTLS_SAN_IPADDRESS, "10.213.0.2"));
        assert_true(san_has(srv, GNUTLS_SAN_IPADDRESS, "127.0.0.1"));
        assert_true(san_has(srv, GNUTLS_SAN_DNSNAME, "docker.example.org"));
        assert_false(san_has(srv, GNUTLS_SAN_IPADDRESS, "10.213.0.3"));
        assert_true(gnutls_x509_crt_check_ip(srv, p.server_ip.bytes, 4, 0));

        assert_true(has_eku(srv, GNUTLS_KP_TLS_WWW_SERVER));
        assert_false(has_eku(srv, GNUTLS_KP_TLS_WWW_CLIENT));
        assert_true(has_eku(cli, GNUTLS_KP_TLS_WWW_CLIENT));
        assert_false(has_eku(cli, GNUTLS_KP_TLS_WWW_SERVER));

        assert_int_equal(is_ca(ca), 1);
        assert_int_equal(is_ca(srv), 0);
        assert_int_equal(is_ca(cli), 0);
        assert_int_equal(key_usage(ca), GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN);
        assert_int_equal(key_usage(srv), GNUTLS_KEY_DIGITAL_SIGNATURE);
        assert_int_equal(key_usage(cli), GNUTLS_KEY_DIGITAL_SIGNATURE);

        assert_true(gnutls_x509_crt_get_activation_time(srv) <= now);
        assert_true(gnutls_x509_crt_get_activation_time(srv) >= now - 2 * 3600);
        assert_true(labs((long) (gnutls_x509_crt_get_expiration_time(srv) - (now + 825L * DAY))) < 60);
        assert_true(labs((long) (gnutls_x509_crt_get_expiration_time(cli) - (now + 825L * DAY))) < 60);
        assert_true(labs((long) (gnutls_x509_crt_get_expiration_time(ca) - (now + 3650L * DAY))) < 60);

        assert_signed_by(srv, ca, 0);
        assert_signed_by(cli, ca, 0);
        assert_signed_by(ca, ca, 0);
        assert_key_ids_chain(srv, ca);
        assert_key_ids_chain(cli, ca);
        assert_key_pair(m.ca_key, ca);
        assert_key_pair(m.server_key, srv);
        assert_key_pair(m.client_key, cli);

        serial(ca, s1, &n1);
        serial(srv, s2, &n2);
        serial(cli, s3, &n3);
        assert_true(memcmp(s1, s2, 16) != 0 && memcmp(s2, s3, 16) != 0 && memcmp(s1, s3, 16) != 0);

        assert_int_equal(gnutls_x509_crt_get_pk_algorithm(srv, &bits), GNUTLS_PK_ECDSA);
        assert_int_equal(bits, 256);
        assert_int_equal(gnutls_x509_crt_get_pk_algorithm(ca, &bits), GNUTLS_PK_ECDSA);
        assert_int_equal(gnutls_x509_crt_get_signature_algorithm(srv), GNUTLS_SIGN_ECDSA_SHA256);

        gnutls_x509_crt_deinit(ca);
        gnutls_x509_crt_deinit(srv);
        gnutls_x509_crt_deinit(cli);
        tls_material_done(&m);
        assert_null(m.ca_key);
}

static void test_create_rsa(_unused_ void **state) {
        struct drs_tls_params p = params("192.168.7.9", KEY_RSA_3072, 0);
        struct drs_tls_material m = {0};
        gnutls_x509_crt_t ca, srv, cli;
        unsigned bits = 0;

        assert_int_equal(tlsgen_create(&p, &m), 0);
        ca = crt_load(m.ca_cert);
        srv = crt_load(m.server_cert);
        cli = crt_load(m.client_cert);
        assert_int_equal(gnutls_x509_crt_get_pk_algorithm(srv, &bits), GNUTLS_PK_RSA);
        assert_int_equal(bits, 3072);
        assert_int_equal(gnutls_x509_crt_get_pk_algorithm(ca, &bits), GNUTLS_PK_RSA);
        assert_int_equal(bits, 3072);
        assert_int_equal(key_usage(srv), GNUTLS_KEY_DIGITAL_SIGNATURE | GNUTLS_KEY_KEY_ENCIPHERMENT);
        assert_false(san_has(srv, GNUTLS_SAN_DNSNAME, "docker.example.org"));
        assert_true(san_has(srv, GNUTLS_SAN_IPADDRESS, "192.168.7.9"));
        assert_signed_by(srv, ca, 0);
        assert_signed_by(cli, ca, 0);
        assert_key_pair(m.server_key, srv);
        gnutls_x509_crt_deinit(ca);
        gnutls_x509_crt_deinit(srv);
        gnutls_x509_crt_deinit(cli);
        tls_material_done(&m);
}

static void test_create_ipv6_and_days(_unused_ void **state) {
        const time_t now = 1700000000;
        struct drs_tls_params p = params("fd00::2", KEY_ECDSA_P256, now);
        struct drs_tls_material m = {0};
        gnutls_x509_crt_t ca, srv;

        p.leaf_days = 90;
        p.ca_days = 365;
        assert_int_equal(tlsgen_create(&p, &m), 0);
        ca = crt_load(m.ca_cert);
        srv = crt_load(m.server_cert);
        assert_true(san_has(srv, GNUTLS_SAN_IPADDRESS, "fd00::2"));
        assert_true(san_has(srv, GNUTLS_SAN_IPADDRESS, "127.0.0.1"));
        assert_true(san_has(srv, GNUTLS_SAN_IPADDRESS, "::1"));
        assert_int_equal(gnutls_x509_crt_get_activation_time(srv), now - 3600);
        assert_int_equal(gnutls_x509_crt_get_expiration_time(srv), now + 90L * DAY);
        assert_int_equal(gnutls_x509_crt_get_expiration_time(ca), now + 365L * DAY);
        assert_signed_by(srv, ca, GNUTLS_VERIFY_DISABLE_TIME_CHECKS | GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS);
        gnutls_x509_crt_deinit(ca);
        gnutls_x509_crt_deinit(srv);
        tls_material_done(&m);

        /* A leaf never outlives its CA. */
        p.leaf_days = 825;
        p.ca_days = 100;
        assert_int_equal(tlsgen_create(&p, &m), 0);
        srv = crt_load(m.server_cert);
        assert_int_equal(gnutls_x509_crt_get_expiration_time(srv), now + 100L * DAY);
        gnutls_x509_crt_deinit(srv);
        tls_material_done(&m);
}

static void test_create_bad(_unused_ void **state) {
        struct drs_tls_params p = params("10.0.0.1", KEY_ECDSA_P256, 0);
        struct drs_tls_material m = {.ca_cert = (char *) "untouched"};

        p.host_name = "bad host/name";
        assert_int_equal(tlsgen_create(&p, &m), -EINVAL);
        p.host_name = NULL;
        p.key_type = 42;
        assert_int_equal(tlsgen_create(&p, &m), -EINVAL);
        p.key_type = KEY_ECDSA_P256;
        p.server_ip.family = 0;
        assert_int_equal(tlsgen_create(&p, &m), -EINVAL);
        assert_int_equal(tlsgen_create(NULL, &m), -EINVAL);
        assert_string_equal(m.ca_cert, "untouched");
}

static void test_reusable(_unused_ void **state) {
        time_t now = time(NULL), expiry = 0;
        struct drs_tls_params p = params("10.1.2.3", KEY_ECDSA_P256, 0);
        struct drs_tls_material m = {0}, other = {0}, old = {0};
        struct drs_addr same, another;
        const char *reason = "untouched";

        assert_int_equal(addr_parse("10.1.2.3", &same), 0);
        assert_int_equal(addr_parse("10.1.2.4", &another), 0);
        assert_int_equal(tlsgen_create(&p, &m), 0);

        assert_int_equal(tlsgen_check_reusable(m.ca_cert, m.server_cert, &same, now, &expiry, &reason), 1);
        assert_null(reason);
        assert_true(labs((long) (expiry - (now + 825L * DAY))) < 60);

        assert_int_equal(tlsgen_check_reusable(m.ca_cert, m.server_cert, &another, now, &expiry, &reason), 0);
        assert_non_null(reason);
        assert_non_null(strstr(reason, "address"));

        /* Fine today, not 810 days from now. */
        assert_int_equal(tlsgen_check_reusable(m.ca_cert, m.server_cert, &same, now + 810L * DAY, NULL, &reason), 0);
        assert_non_null(strstr(reason, "30 days"));

        /* Issued 800 days ago: 25 days left. */
        p.now = now - 800L * DAY;
        assert_int_equal(tlsgen_create(&p, &old), 0);
        assert_int_equal(tlsgen_check_reusable(old.ca_cert, old.server_cert, &same, now, &expiry, &reason), 0);
        assert_non_null(strstr(reason, "30 days"));
        assert_true(expiry < now + 30L * DAY);

        /* Another CA. */
        p.now = 0;
        assert_int_equal(tlsgen_create(&p, &other), 0);
        assert_int_equal(tlsgen_check_reusable(other.ca_cert, m.server_cert, &same, now, NULL, &reason), 0);
        assert_non_null(strstr(reason, "CA"));
        /* The client certificate is not a server certificate. */
        assert_int_equal(tlsgen_check_reusable(m.ca_cert, m.client_cert, &same, now, NULL, &reason), 0);

        /* Garbage: an error, outputs untouched. */
        expiry = 42;
        reason = "untouched";
        assert_true(tlsgen_check_reusable("garbage", m.server_cert, &same, now, &expiry, &reason) < 0);
        assert_true(tlsgen_check_reusable(m.ca_cert, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
                                          &same, now, &expiry, &reason) < 0);
        assert_true(tlsgen_check_reusable(m.ca_cert, "", &same, now, &expiry, &reason) < 0);
        assert_int_equal(expiry, 42);
        assert_string_equal(reason, "untouched");

        tls_material_done(&m);
        tls_material_done(&other);
        tls_material_done(&old);
}

static void test_issue_client(_unused_ void **state) {
        struct drs_tls_params p = params("10.1.2.3", KEY_ECDSA_P256, 0);
        struct drs_tls_material m = {0}, other = {0};
        char *cert = NULL, *key = NULL;
        gnutls_x509_crt_t ca, cli;

        assert_int_equal(tlsgen_create(&p, &m), 0);
        assert_int_equal(tlsgen_issue_client(m.ca_cert, m.ca_key, "laptop-alice", &p, &cert, &key), 0);
        ca = crt_load(m.ca_cert);
        cli = crt_load(cert);
        assert_cn(cli, "laptop-alice");
        assert_true(has_eku(cli, GNUTLS_KP_TLS_WWW_CLIENT));
        assert_int_equal(is_ca(cli), 0);
        assert_signed_by(cli, ca, 0);
        assert_key_ids_chain(cli, ca);
        assert_key_pair(key, cli);
        gnutls_x509_crt_deinit(cli);
        free(cert);
        free(key);

        /* RSA client from an ECDSA CA; NULL params mean the defaults. */
        p.key_type = KEY_RSA_3072;
        assert_int_equal(tlsgen_issue_client(m.ca_cert, m.ca_key, "ci", &p, &cert, &key), 0);
        cli = crt_load(cert);
        assert_signed_by(cli, ca, 0);
        gnutls_x509_crt_deinit(cli);
        free(cert);
        free(key);
        assert_int_equal(tlsgen_issue_client(m.ca_cert, m.ca_key, "ci", NULL, &cert, &key), 0);
        free(cert);
        free(key);

        cert = key = (char *) "untouched";
        assert_int_equal(tlsgen_create(&p, &other), 0);
        assert_int_equal(tlsgen_issue_client(m.ca_cert, other.ca_key, "x", NULL, &cert, &key), -EINVAL);
        assert_int_equal(tlsgen_issue_client(m.server_cert, m.server_key, "x", NULL, &cert, &key), -EINVAL);
        assert_int_equal(tlsgen_issue_client(m.ca_cert, "nonsense", "x", NULL, &cert, &key), -EBADMSG);
        assert_int_equal(tlsgen_issue_client(m.ca_cert, m.ca_key, "", NULL, &cert, &key), -EINVAL);
        assert_string_equal(cert, "untouched");
        gnutls_x509_crt_deinit(ca);
        tls_material_done(&m);
        tls_material_done(&other);
}

/* The whole set: every key must belong to its certificate, the client certificate must be ours. */
static void test_check_material(_unused_ void **state) {
        struct drs_tls_params p = params("10.1.2.3", KEY_ECDSA_P256, 0);
        struct drs_tls_material m = {0}, other = {0}, mixed;
        struct drs_addr ip;
        const char *reason = NULL;
        time_t now = time(NULL), expiry = 0;

        assert_int_equal(addr_parse("10.1.2.3", &ip), 0);
        assert_int_equal(tlsgen_create(&p, &m), 0);
        assert_int_equal(tlsgen_create(&p, &other), 0);
        assert_int_equal(tlsgen_check_material(&m, &ip, now, &expiry, &reason), 1);
        assert_null(reason);
        assert_true(expiry > now + 800L * DAY);

        mixed = m;
        mixed.ca_key = other.ca_key;
        assert_int_equal(tlsgen_check_material(&mixed, &ip, now, NULL, &reason), 0);
        assert_non_null(strstr(reason, "CA key"));
        mixed = m;
        mixed.server_key = other.server_key;
        assert_int_equal(tlsgen_check_material(&mixed, &ip, now, NULL, &reason), 0);
        assert_non_null(strstr(reason, "server key"));
        mixed = m;
        mixed.client_cert = other.client_cert;
        assert_int_equal(tlsgen_check_material(&mixed, &ip, now, NULL, &reason), 0);
        assert_non_null(strstr(reason, "client certificate was not issued by this CA"));
        mixed = m;
        mixed.client_cert = m.server_cert; /* signed by the CA, but for servers */
        assert_int_equal(tlsgen_check_material(&mixed, &ip, now, NULL, &reason), 0);
        assert_non_null(strstr(reason, "TLS client"));
        mixed = m;
        mixed.client_key = m.server_key;
        assert_int_equal(tlsgen_check_material(&mixed, &ip, now, NULL, &reason), 0);
        assert_non_null(strstr(reason, "client key"));
        mixed = m;
        mixed.client_cert = (char *) "garbage";
        assert_int_equal(tlsgen_check_material(&mixed, &ip, now, NULL, &reason), 0);
        assert_non_null(strstr(reason, "cannot be read"));
        /* The server's problems come first; a short-lived client certificate counts too. */
        assert_int_equal(tlsgen_check_material(&m, &ip, now + 810L * DAY, NULL, &reason), 0);
        assert_non_null(strstr(reason, "server certificate expires"));
        p.leaf_days = 40;
        mixed = m;
        assert_int_equal(tlsgen_issue_client(m.ca_cert, m.ca_key, "short", &p, &mixed.client_cert, &mixed.client_key), 0);
        assert_int_equal(tlsgen_check_material(&mixed, &ip, now + 20L * DAY, NULL, &reason), 0);
        assert_non_null(strstr(reason, "client certificate expires within 30 days"));
        free(mixed.client_cert);
        free(mixed.client_key);
        tls_material_done(&m);
        tls_material_done(&other);
}

static void test_key_type(_unused_ void **state) {
        struct drs_tls_params p = params("10.1.2.3", KEY_ECDSA_P256, 0);
        struct drs_tls_material m = {0};
        enum drs_key_type t = _KEY_TYPE_MAX;
        char *cert = NULL, *key = NULL;

        assert_int_equal(tlsgen_create(&p, &m), 0);
        assert_int_equal(tlsgen_cert_key_type(m.server_cert, &t), 0);
        assert_int_equal(t, KEY_ECDSA_P256);
        p.key_type = KEY_RSA_3072;
        assert_int_equal(tlsgen_issue_client(m.ca_cert, m.ca_key, "rsa", &p, &cert, &key), 0);
        assert_int_equal(tlsgen_cert_key_type(cert, &t), 0);
        assert_int_equal(t, KEY_RSA_3072);
        assert_int_equal(tlsgen_cert_key_type("nope", &t), -EBADMSG);
        assert_int_equal(t, KEY_RSA_3072);
        free(cert);
        free(key);
        tls_material_done(&m);

        assert_true(tlsgen_dns_name_valid("docker-1.example.org"));
        assert_false(tlsgen_dns_name_valid("under_score"));
        assert_false(tlsgen_dns_name_valid("-lead"));
        assert_false(tlsgen_dns_name_valid(""));
}

static void test_expiry(_unused_ void **state) {
        struct drs_tls_params p = params("10.1.2.3", KEY_ECDSA_P256, 1700000000);
        struct drs_tls_material m = {0};
        time_t t = 7;

        assert_int_equal(tlsgen_create(&p, &m), 0);
        assert_int_equal(tlsgen_cert_expiry(m.server_cert, &t), 0);
        assert_int_equal(t, 1700000000 + 825L * DAY);
        assert_int_equal(tlsgen_cert_expiry(m.ca_cert, &t), 0);
        assert_int_equal(t, 1700000000 + 3650L * DAY);
        t = 7;
        assert_int_equal(tlsgen_cert_expiry("not a certificate", &t), -EBADMSG);
        assert_int_equal(tlsgen_cert_expiry(m.server_key, &t), -EBADMSG);
        assert_int_equal(t, 7);
        tls_material_done(&m);
        tls_material_done(&m); /* idempotent */
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_create_ecdsa),  cmocka_unit_test(test_create_rsa),
                cmocka_unit_test(test_create_ipv6_and_days), cmocka_unit_test(test_create_bad),
                cmocka_unit_test(test_reusable),      cmocka_unit_test(test_issue_client),
                cmocka_unit_test(test_expiry),        cmocka_unit_test(test_check_material),
                cmocka_unit_test(test_key_type),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
