/* test-probe.c: unit tests of the /_ping probe and the test-bind against tiny loopback servers run in threads. */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <gnutls/gnutls.h>

#include "addr.h"
#include "macro.h"
#include "probe.h"
#include "tlsgen.h"

#define OK_ANSWER "HTTP/1.1 200 OK\r\nApi-Version: 1.45\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nOK"

/* One connection served by a thread: optional TLS requiring a client certificate, then the
 * request is read and `answer` written back. */
struct server {
        int lfd;
        struct drs_addr addr;
        uint16_t port;
        const char *answer;
        gnutls_certificate_credentials_t cred;
        int handshake;
        char request[4096];
        pthread_t thread;
};

struct tls_env {
        char dir[64];
        char ca[128], cert[128], key[128], other_ca[128], other_cert[128], other_key[128];
        struct drs_tls_material m, other;
};

static struct drs_addr ip(const char *s) {
        struct drs_addr a;
        assert_int_equal(addr_parse(s, &a), 0);
        return a;
}

static socklen_t sa_fill(const struct drs_addr *a, uint16_t port, struct sockaddr_storage *ss) {
        memset(ss, 0, sizeof(*ss));
        if (a->family == AF_INET) {
                struct sockaddr_in *in = (struct sockaddr_in *) ss;
                in->sin_family = AF_INET;
                in->sin_port = htons(port);
                memcpy(&in->sin_addr, a->bytes, 4);
                return sizeof(*in);
        }
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *) ss;
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons(port);
        memcpy(&in6->sin6_addr, a->bytes, 16);
        return sizeof(*in6);
}

/* A socket bound to an ephemeral port of a (listening when listen_too), SO_REUSEADDR like dockerd. */
static int bound_socket(const char *addr, bool listen_too, uint16_t *ret_port) {
        struct drs_addr a = ip(addr);
        struct sockaddr_storage ss;
        socklen_t len = sa_fill(&a, 0, &ss);
        int fd, one = 1;

        fd = socket(a.family, SOCK_STREAM | SOCK_CLOEXEC, 0);
        assert_true(fd >= 0);
        assert_int_equal(setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)), 0);
        assert_int_equal(bind(fd, (struct sockaddr *) &ss, len), 0);
        if (listen_too)
                assert_int_equal(listen(fd, 8), 0);
        assert_int_equal(getsockname(fd, (struct sockaddr *) &ss, &len), 0);
        *ret_port = ntohs(a.family == AF_INET ? ((struct sockaddr_in *) &ss)->sin_port
                                              : ((struct sockaddr_in6 *) &ss)->sin6_port);
        return fd;
}

static void *serve(void *userdata) {
        struct server *s = userdata;
        struct pollfd pfd = {.fd = s->lfd, .events = POLLIN};
        struct timeval tv = {.tv_sec = 5};
        gnutls_session_t ses = NULL;
        size_t len = 0;
        int fd;

        if (poll(&pfd, 1, 10000) <= 0)
                return NULL;
        fd = accept4(s->lfd, NULL, NULL, SOCK_CLOEXEC);
        if (fd < 0)
                return NULL;
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
        if (s->cred) {
                gnutls_init(&ses, GNUTLS_SERVER | GNUTLS_NO_SIGNAL);
                gnutls_set_default_priority(ses);
                gnutls_credentials_set(ses, GNUTLS_CRD_CERTIFICATE, s->cred);
                gnutls_certificate_server_set_request(ses, GNUTLS_CERT_REQUIRE);
                gnutls_session_set_verify_cert(ses, NULL, 0);
                gnutls_transport_set_int(ses, fd);
                gnutls_handshake_set_timeout(ses, 5000);
                do
                        s->handshake = gnutls_handshake(ses);
                while (s->handshake < 0 && !gnutls_error_is_fatal(s->handshake));
                if (s->handshake < 0) {
                        gnutls_alert_send_appropriate(ses, s->handshake); /* as Go's server does */
                        goto finish;
                }
        }
        /* Reads the request head; something that is not a GET is answered at once (as an HTTPS
         * server answers a plain request). */
        while (len < sizeof(s->request) - 1 && !strstr(s->request, "\r\n\r\n")) {
                ssize_t k = ses ? gnutls_record_recv(ses, s->request + len, sizeof(s->request) - 1 - len)
                                : recv(fd, s->request + len, sizeof(s->request) - 1 - len, 0);
                if (k <= 0)
                        break;
                len += (size_t) k;
                s->request[len] = 0;
                if (s->request[0] != 'G')
                        break;
        }
        if (s->answer) {
                if (ses)
                        gnutls_record_send(ses, s->answer, strlen(s->answer));
                else
                        send(fd, s->answer, strlen(s->answer), MSG_NOSIGNAL);
        }
        if (ses)
                gnutls_bye(ses, GNUTLS_SHUT_WR);
finish:
        if (ses)
                gnutls_deinit(ses);
        close(fd);
        return NULL;
}

static void server_start(struct server *s, const char *addr, const char *answer,
                         gnutls_certificate_credentials_t cred) {
        memset(s, 0, sizeof(*s));
        s->addr = ip(addr);
        s->answer = answer;
        s->cred = cred;
        s->handshake = 1;
        s->lfd = bound_socket(addr, true, &s->port);
        assert_int_equal(pthread_create(&s->thread, NULL, serve, s), 0);
}

static void server_stop(struct server *s) {
        pthread_join(s->thread, NULL);
        close(s->lfd);
}

/* Probes a one-shot plain server giving answer; returns probe_ping's result. */
static int ping_answer(const char *answer, char **ret_detail) {
        struct server s;
        int r;

        server_start(&s, "127.0.0.1", answer, NULL);
        r = probe_ping(&s.addr, s.port, NULL, 5000, ret_detail);
        server_stop(&s);
        return r;
}

static void test_plain_ok(_unused_ void **state) {
        struct server s;
        char *detail = NULL, host[64];

        server_start(&s, "127.0.0.1", OK_ANSWER, NULL);
        assert_int_equal(probe_ping(&s.addr, s.port, NULL, 5000, &detail), 0);
        server_stop(&s);
        assert_non_null(strstr(detail, "API version 1.45"));
        print_message("detail: %s\n", detail);
        free(detail);
        snprintf(host, sizeof(host), "\r\nHost: 127.0.0.1:%u\r\n", s.port);
        assert_true(strncmp(s.request, "GET /_ping HTTP/1.1\r\n", 21) == 0);
        assert_non_null(strstr(s.request, host));
        assert_non_null(strstr(s.request, "\r\nConnection: close\r\n"));

        assert_int_equal(ping_answer("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nOK\r\n0\r\n\r\n", NULL), 0);
        assert_int_equal(ping_answer("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n1;x=y\r\nO\r\n1\r\nK\r\n0\r\n\r\n",
                                     NULL), 0);
        assert_int_equal(ping_answer("HTTP/1.0 200 OK\r\nServer: x\r\n\r\nOK", NULL), 0);
        assert_int_equal(ping_answer("HTTP/1.1 200 OK\r\ncontent-length:  2 \r\n\r\nOK", NULL), 0);
}

static bool have_ipv6_loopback(void) {
        struct sockaddr_in6 sa = {.sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT};
        int fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
        bool ok = fd >= 0 && bind(fd, (struct sockaddr *) &sa, sizeof(sa)) == 0;

        if (fd >= 0)
                close(fd);
        return ok;
}

static void test_unspecified_and_v6(_unused_ void **state) {
        struct server s;
        struct drs_addr any4 = ip("0.0.0.0"), any6 = ip("::");
        char host[64];

        server_start(&s, "127.0.0.1", OK_ANSWER, NULL);
        assert_int_equal(probe_ping(&any4, s.port, NULL, 5000, NULL), 0);
        server_stop(&s);
        snprintf(host, sizeof(host), "\r\nHost: 127.0.0.1:%u\r\n", s.port);
        assert_non_null(strstr(s.request, host));

        if (!have_ipv6_loopback()) {
                print_message("no ::1 here, IPv6 part skipped\n");
                return;
        }
        server_start(&s, "::1", OK_ANSWER, NULL);
        assert_int_equal(probe_ping(&any6, s.port, NULL, 5000, NULL), 0);
        server_stop(&s);
        snprintf(host, sizeof(host), "\r\nHost: [::1]:%u\r\n", s.port);
        assert_non_null(strstr(s.request, host));
}

static void test_plain_bad_answers(_unused_ void **state) {
        const char *bad[] = {
                "HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\nnot found",
                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nNO",
                "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nOK",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nOK\r\n0\r\n\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nOK",
                "HTTP/1.1 200 OK\r\nContent-Length: 2",
                "SSH-2.0-OpenSSH_9.2\r\n",
                "",
        };
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                char *detail = NULL;
                assert_int_equal(ping_answer(bad[i], &detail), -EPROTO);
                assert_non_null(detail);
                assert_null(strchr(detail, '\n'));
                print_message("detail: %s\n", detail);
                free(detail);
        }
}

static void test_refused_and_timeout(_unused_ void **state) {
        struct drs_addr lo = ip("127.0.0.1");
        struct timespec a, b;
        char *detail = NULL;
        uint16_t port;
        long ms;
        int fd;

        /* Bound but not listening: the port is ours, and connecting is refused. */
        fd = bound_socket("127.0.0.1", false, &port);
        assert_int_equal(probe_ping(&lo, port, NULL, 2000, &detail), -ECONNREFUSED);
        assert_non_null(detail);
        print_message("detail: %s\n", detail);
        free(detail);
        close(fd);

        /* Listening, never answering: the kernel completes the connection, the answer never comes. */
        fd = bound_socket("127.0.0.1", true, &port);
        clock_gettime(CLOCK_MONOTONIC, &a);
        assert_int_equal(probe_ping(&lo, port, NULL, 300, NULL), -ETIMEDOUT);
        clock_gettime(CLOCK_MONOTONIC, &b);
        ms = (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
        assert_true(ms >= 290 && ms < 2000);
        close(fd);

        assert_int_equal(probe_ping(&lo, 0, NULL, 300, NULL), -EINVAL);
}

static void write_file(const char *path, const char *text) {
        FILE *f = fopen(path, "we");
        assert_non_null(f);
        assert_int_equal(fputs(text, f) >= 0, 1);
        assert_int_equal(fclose(f), 0);
}

static int tls_setup(_unused_ void **state) {
        struct tls_env *e = calloc(1, sizeof(*e));
        struct drs_tls_params p = {.key_type = KEY_ECDSA_P256};
        const char *tmp = getenv("TMPDIR");

        if (!e)
                return -1;
        snprintf(e->dir, sizeof(e->dir), "%s/test-probe-XXXXXX", tmp && strlen(tmp) < 32 ? tmp : "/tmp");
        if (!mkdtemp(e->dir) || addr_parse("127.0.0.1", &p.server_ip) < 0 || tlsgen_create(&p, &e->m) < 0 ||
            tlsgen_create(&p, &e->other) < 0)
                return -1;
        snprintf(e->ca, sizeof(e->ca), "%s/ca.pem", e->dir);
        snprintf(e->cert, sizeof(e->cert), "%s/cert.pem", e->dir);
        snprintf(e->key, sizeof(e->key), "%s/key.pem", e->dir);
        snprintf(e->other_ca, sizeof(e->other_ca), "%s/other-ca.pem", e->dir);
        snprintf(e->other_cert, sizeof(e->other_cert), "%s/other-cert.pem", e->dir);
        snprintf(e->other_key, sizeof(e->other_key), "%s/other-key.pem", e->dir);
        write_file(e->ca, e->m.ca_cert);
        write_file(e->cert, e->m.client_cert);
        write_file(e->key, e->m.client_key);
        write_file(e->other_ca, e->other.ca_cert);
        write_file(e->other_cert, e->other.client_cert);
        write_file(e->other_key, e->other.client_key);
        *state = e;
        return 0;
}

static int tls_teardown(_unused_ void **state) {
        struct tls_env *e = *state;
        const char *files[] = {e->ca, e->cert, e->key, e->other_ca, e->other_cert, e->other_key};

        for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
                unlink(files[i]);
        rmdir(e->dir);
        tls_material_done(&e->m);
        tls_material_done(&e->other);
        free(e);
        return 0;
}

/* Server credentials: the given certificate and key, trusting the env's CA for client certificates. */
static gnutls_certificate_credentials_t server_cred(const struct tls_env *e, const char *cert, const char *key) {
        gnutls_certificate_credentials_t c;
        gnutls_datum_t ca = {(unsigned char *) e->m.ca_cert, (unsigned) strlen(e->m.ca_cert)};
        gnutls_datum_t crt = {(unsigned char *) cert, (unsigned) strlen(cert)};
        gnutls_datum_t k = {(unsigned char *) key, (unsigned) strlen(key)};

        assert_int_equal(gnutls_certificate_allocate_credentials(&c), 0);
        assert_int_equal(gnutls_certificate_set_x509_trust_mem(c, &ca, GNUTLS_X509_FMT_PEM), 1);
        assert_int_equal(gnutls_certificate_set_x509_key_mem(c, &crt, &k, GNUTLS_X509_FMT_PEM), 0);
        return c;
}

/* Probes a one-shot TLS server on addr with the given server certificate. */
static int ping_tls(const struct tls_env *e, const char *addr, const char *srv_cert, const char *srv_key,
                    const struct drs_probe_tls *t, char **ret_detail, int *ret_server_handshake) {
        gnutls_certificate_credentials_t c = server_cred(e, srv_cert, srv_key);
        struct server s;
        int r;

        server_start(&s, addr, OK_ANSWER, c);
        r = probe_ping(&s.addr, s.port, t, 5000, ret_detail);
        server_stop(&s);
        gnutls_certificate_free_credentials(c);
        if (ret_server_handshake)
                *ret_server_handshake = s.handshake;
        return r;
}

static void test_tls_ok(_unused_ void **state) {
        struct tls_env *e = *state;
        struct drs_probe_tls t = {e->ca, e->cert, e->key};
        char *detail = NULL;
        int hs = 1;

        assert_int_equal(ping_tls(e, "127.0.0.1", e->m.server_cert, e->m.server_key, &t, &detail, &hs), 0);
        assert_int_equal(hs, 0);
        assert_non_null(strstr(detail, "OK"));
        print_message("detail: %s\n", detail);
        free(detail);
}

static void test_tls_client_cert_refused(_unused_ void **state) {
        struct tls_env *e = *state;
        struct drs_probe_tls none = {e->ca, NULL, NULL}, foreign = {e->ca, e->other_cert, e->other_key};
        char *detail = NULL;
        int hs = 0;

        assert_int_equal(ping_tls(e, "127.0.0.1", e->m.server_cert, e->m.server_key, &none, &detail, &hs), -EACCES);
        assert_true(hs < 0);
        assert_non_null(detail);
        print_message("detail: %s\n", detail);
        free(detail);
        detail = NULL;
        hs = 0;
        assert_int_equal(ping_tls(e, "127.0.0.1", e->m.server_cert, e->m.server_key, &foreign, &detail, &hs),
                         -EACCES);
        assert_true(hs < 0);
        print_message("detail: %s\n", detail);
        free(detail);
}

/* Serves a fresh server certificate for server_ip (from its own CA, written to a file) on
 * 127.0.0.2 and probes it trusting that CA: the address alone decides. */
static int ping_on_127_0_0_2(const struct tls_env *e, const char *server_ip, char **ret_detail) {
        struct drs_tls_params p = {.key_type = KEY_ECDSA_P256, .server_ip = ip(server_ip)};
        struct drs_tls_material n = {0};
        char ca[160];
        struct drs_probe_tls t = {ca, e->cert, e->key};
        int r;

        snprintf(ca, sizeof(ca), "%s/ca-%s.pem", e->dir, server_ip);
        assert_int_equal(tlsgen_create(&p, &n), 0);
        write_file(ca, n.ca_cert);
        r = ping_tls(e, "127.0.0.2", n.server_cert, n.server_key, &t, ret_detail, NULL);
        unlink(ca);
        tls_material_done(&n);
        return r;
}

static void test_tls_server_rejected(_unused_ void **state) {
        struct tls_env *e = *state;
        struct drs_probe_tls t = {e->ca, e->cert, e->key}, wrong_ca = {e->other_ca, e->cert, e->key};
        char *detail = NULL;

        /* A server certificate from another CA. */
        assert_int_equal(ping_tls(e, "127.0.0.1", e->m.server_cert, e->m.server_key, &wrong_ca, &detail, NULL),
                         -EACCES);
        assert_non_null(strstr(detail, "NOT trusted"));
        print_message("detail: %s\n", detail);
        free(detail);

        /* The env's certificate (SAN 127.0.0.1 only) served on 127.0.0.2. */
        detail = NULL;
        assert_int_equal(ping_tls(e, "127.0.0.2", e->m.server_cert, e->m.server_key, &t, &detail, NULL), -EACCES);
        assert_non_null(strstr(detail, "name"));
        print_message("detail: %s\n", detail);
        free(detail);

        /* A certificate for 10.9.8.7 (+127.0.0.1) on 127.0.0.2: refused; one for 127.0.0.2: fine. */
        detail = NULL;
        assert_int_equal(ping_on_127_0_0_2(e, "10.9.8.7", &detail), -EACCES);
        assert_non_null(strstr(detail, "name"));
        print_message("detail: %s\n", detail);
        free(detail);
        assert_int_equal(ping_on_127_0_0_2(e, "127.0.0.2", NULL), 0);
}

static void test_tls_mismatched_modes(_unused_ void **state) {
        struct tls_env *e = *state;
        struct drs_probe_tls t = {e->ca, e->cert, e->key}, missing = {"/nonexistent/ca.pem", NULL, NULL};
        struct drs_addr lo = ip("127.0.0.1");
        gnutls_certificate_credentials_t c;
        struct server s;
        char *detail = NULL;
        int r;

        /* TLS towards a plain HTTP server. */
        server_start(&s, "127.0.0.1", "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n", NULL);
        assert_int_equal(probe_ping(&s.addr, s.port, &t, 5000, &detail), -EACCES);
        server_stop(&s);
        assert_non_null(detail);
        print_message("detail: %s\n", detail);
        free(detail);

        /* Plain HTTP towards a TLS server: this one hangs up (with a reset, as our request is
         * still unread); dockerd would answer 400. Either way not "OK". */
        c = server_cred(e, e->m.server_cert, e->m.server_key);
        server_start(&s, "127.0.0.1", OK_ANSWER, c);
        r = probe_ping(&s.addr, s.port, NULL, 5000, NULL);
        assert_true(r == -ECONNRESET || r == -EPROTO);
        server_stop(&s);
        gnutls_certificate_free_credentials(c);

        server_start(&s, "127.0.0.1", OK_ANSWER, NULL);
        assert_int_equal(probe_ping(&lo, s.port, &missing, 5000, NULL), -ENOENT);
        assert_int_equal(probe_ping(&lo, s.port, NULL, 5000, NULL), 0); /* releases the server thread */
        server_stop(&s);
}

static void test_bind(_unused_ void **state) {
        struct drs_addr lo = ip("127.0.0.1"), any = ip("0.0.0.0"), test_net = ip("192.0.2.123");
        struct sockaddr_storage ss;
        socklen_t len;
        uint16_t port;
        int fd, c, a, raw;
        char byte;
        FILE *f;

        /* Held by a listener (SO_REUSEADDR, as dockerd's): in use, also for the wildcard. */
        fd = bound_socket("127.0.0.1", true, &port);
        assert_int_equal(probe_bind(&lo, port), -EADDRINUSE);
        assert_int_equal(probe_bind(&any, port), -EADDRINUSE);

        /* A connection closed by the server side leaves the port in TIME_WAIT once the listener
         * is gone: dockerd could bind it again, so it is not "in use"; a bind without
         * SO_REUSEADDR would wrongly say it is. */
        c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        len = sa_fill(&lo, port, &ss);
        assert_int_equal(connect(c, (struct sockaddr *) &ss, len), 0);
        a = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
        assert_true(a >= 0);
        close(a);
        close(fd);
        assert_int_equal(read(c, &byte, 1), 0); /* the server side's FIN has arrived */
        close(c);
        raw = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        assert_int_equal(bind(raw, (struct sockaddr *) &ss, len), -1);
        assert_int_equal(errno, EADDRINUSE);
        close(raw);
        assert_int_equal(probe_bind(&lo, port), 0);

        /* Not an address of this host (unless non-local binds are allowed). */
        f = fopen("/proc/sys/net/ipv4/ip_nonlocal_bind", "re");
        if (!f || fgetc(f) == '0')
                assert_int_equal(probe_bind(&test_net, port), -EADDRNOTAVAIL);
        if (f)
                fclose(f);
        assert_int_equal(probe_bind(&lo, 0), -EINVAL);
}

/* Dual-stack sockets exist exactly where the kernel has IPv6 (not booted with ipv6.disable=1). */
static void test_dual_stack(_unused_ void **state) {
        assert_int_equal(probe_dual_stack(), access("/proc/net/if_inet6", F_OK) == 0);
}

int main(void) {
        const struct CMUnitTest plain[] = {
                cmocka_unit_test(test_plain_ok),
                cmocka_unit_test(test_dual_stack),
                cmocka_unit_test(test_unspecified_and_v6),
                cmocka_unit_test(test_plain_bad_answers),
                cmocka_unit_test(test_refused_and_timeout),
                cmocka_unit_test(test_bind),
        };
        const struct CMUnitTest tls[] = {
                cmocka_unit_test(test_tls_ok),
                cmocka_unit_test(test_tls_client_cert_refused),
                cmocka_unit_test(test_tls_server_rejected),
                cmocka_unit_test(test_tls_mismatched_modes),
        };
        int r = cmocka_run_group_tests_name("probe-plain", plain, NULL, NULL);
        return r + cmocka_run_group_tests_name("probe-tls", tls, tls_setup, tls_teardown);
}
