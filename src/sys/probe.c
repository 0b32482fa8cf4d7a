/* probe.c: asks a live dockerd "GET /_ping" (plain or mutual TLS) and test-binds listen addresses. */
#include "config.h"

#include "probe.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "macro.h"
#include "timeutil.h"
#include "trace.h"
#include "util.h"

#define DEFAULT_TIMEOUT_MS 10000u
#define RESPONSE_MAX 16384

struct probe {
        int fd;
        gnutls_session_t tls;
        gnutls_certificate_credentials_t cred;
        gnutls_typed_vdata_st vdata[2]; /* GnuTLS keeps a pointer to this until the handshake is over */
        uint64_t deadline_ms;           /* CLOCK_MONOTONIC */
        char *detail;
};

static void probe_done(struct probe *pr) {
        if (pr->tls)
                gnutls_deinit(pr->tls);
        if (pr->cred)
                gnutls_certificate_free_credentials(pr->cred);
        if (pr->fd >= 0)
                close(pr->fd);
        free(pr->detail);
}

static void closep(int *fd) {
        if (*fd >= 0)
                close(*fd);
}

/* Records the first explanation only: it is the one closest to the cause. Returns r. */
_printf_(3, 4) static int fail(struct probe *pr, int r, const char *fmt, ...) {
        struct drs_buf b = {0};
        va_list ap;

        if (!pr->detail) {
                va_start(ap, fmt);
                buf_vappendf(&b, fmt, ap);
                va_end(ap);
                pr->detail = buf_steal(&b);
        }
        return r;
}

static uint64_t now_ms(void) {
        return now_monotonic_usec() / 1000u;
}

/* Waits until fd is ready for events or the deadline passes: 0 or -ETIMEDOUT. */
static int wait_fd(int fd, short events, uint64_t deadline_ms) {
        struct pollfd pfd = {.fd = fd, .events = events};
        uint64_t now;
        int n;

        for (;;) {
                now = now_ms();
                if (now >= deadline_ms)
                        return -ETIMEDOUT;
                n = poll(&pfd, 1, (int) (deadline_ms - now > 60000 ? 60000 : deadline_ms - now));
                if (n > 0)
                        return 0;
                if (n < 0 && errno != EINTR)
                        return -errno;
        }
}

static socklen_t sockaddr_fill(const struct drs_addr *a, uint16_t port, struct sockaddr_storage *ss) {
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

static int tcp_connect(struct probe *pr, const struct drs_addr *a, uint16_t port) {
        struct sockaddr_storage ss;
        socklen_t len = sockaddr_fill(a, port, &ss), elen;
        int err = 0, r;

        pr->fd = socket(a->family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, IPPROTO_TCP);
        if (pr->fd < 0)
                return fail(pr, -errno, "cannot create a socket: %s", strerror(errno));
        /* A few small writes in a row (the TLS handshake flights, then the request): without
         * TCP_NODELAY, Nagle holds each behind the ACK of the one before, which the server
         * delays by up to 40 ms. */
        (void) setsockopt(pr->fd, IPPROTO_TCP, TCP_NODELAY, &(int) {1}, sizeof(int));
        if (connect(pr->fd, (struct sockaddr *) &ss, len) == 0)
                return 0;
        if (errno != EINPROGRESS)
                err = errno;
        else {
                r = wait_fd(pr->fd, POLLOUT, pr->deadline_ms);
                if (r < 0)
                        return fail(pr, r, "no connection within the time limit");
                elen = sizeof(err);
                if (getsockopt(pr->fd, SOL_SOCKET, SO_ERROR, &err, &elen) < 0)
                        err = errno;
        }
        if (err == 0)
                return 0;
        return fail(pr, -err, "cannot connect: %s", strerror(err));
}

static int tls_setup(struct probe *pr, const struct drs_probe_tls *t, const struct drs_addr *target) {
        int r;

        if (!t->ca_file || (!t->cert_file != !t->key_file))
                return fail(pr, -EINVAL, "incomplete TLS settings");
        if (gnutls_certificate_allocate_credentials(&pr->cred) < 0)
                return -ENOMEM;
        r = gnutls_certificate_set_x509_trust_file(pr->cred, t->ca_file, GNUTLS_X509_FMT_PEM);
        if (r <= 0)
                return fail(pr, r == GNUTLS_E_FILE_ERROR ? -ENOENT : -EBADMSG,
                            "cannot load the CA file \"%s\": %s", t->ca_file,
                            r == 0 ? "no certificate in it" : gnutls_strerror(r));
        if (t->cert_file) {
                r = gnutls_certificate_set_x509_key_file(pr->cred, t->cert_file, t->key_file,
                                                         GNUTLS_X509_FMT_PEM);
                if (r < 0)
                        return fail(pr, r == GNUTLS_E_FILE_ERROR ? -ENOENT : -EBADMSG,
                                    "cannot load the client certificate \"%s\" / key \"%s\": %s",
                                    t->cert_file, t->key_file, gnutls_strerror(r));
        }
        /* GNUTLS_NO_SIGNAL: a peer that hangs up must not kill us with SIGPIPE. */
        if (gnutls_init(&pr->tls, GNUTLS_CLIENT | GNUTLS_NO_SIGNAL) < 0)
                return -ENOMEM;
        r = gnutls_set_default_priority(pr->tls);
        if (r >= 0)
                r = gnutls_credentials_set(pr->tls, GNUTLS_CRD_CERTIFICATE, pr->cred);
        if (r < 0)
                return fail(pr, -EIO, "cannot set up TLS: %s", gnutls_strerror(r));
        /* No SNI: RFC 6066 forbids IP literals there. The server certificate must be signed by
         * the CA file, name this IP in its SAN and be meant for TLS servers. */
        pr->vdata[0] = (gnutls_typed_vdata_st) {GNUTLS_DT_IP_ADDRESS, (unsigned char *) target->bytes,
                                                target->family == AF_INET ? 4 : 16};
        pr->vdata[1] = (gnutls_typed_vdata_st) {GNUTLS_DT_KEY_PURPOSE_OID,
                                                (unsigned char *) GNUTLS_KP_TLS_WWW_SERVER, 0};
        gnutls_session_set_verify_cert2(pr->tls, pr->vdata, ELEMENTSOF(pr->vdata), 0);
        return 0;
}

static int tls_handshake(struct probe *pr) {
        gnutls_datum_t out = {NULL, 0};
        uint64_t now = now_ms();
        int r;

        if (now >= pr->deadline_ms)
                return fail(pr, -ETIMEDOUT, "no TLS handshake within the time limit");
        gnutls_transport_set_int(pr->tls, pr->fd);
        gnutls_handshake_set_timeout(pr->tls, (unsigned) (pr->deadline_ms - now));
        for (;;) {
                r = gnutls_handshake(pr->tls);
                if (r == 0)
                        return 0;
                if (r == GNUTLS_E_AGAIN || r == GNUTLS_E_INTERRUPTED) {
                        r = wait_fd(pr->fd, gnutls_record_get_direction(pr->tls) ? POLLOUT : POLLIN,
                                    pr->deadline_ms);
                        if (r < 0)
                                return fail(pr, r, "no TLS handshake within the time limit");
                        continue;
                }
                if (!gnutls_error_is_fatal(r))
                        continue;
                break;
        }
        if (r == GNUTLS_E_TIMEDOUT)
                return fail(pr, -ETIMEDOUT, "no TLS handshake within the time limit");
        if (r == GNUTLS_E_CERTIFICATE_VERIFICATION_ERROR &&
            gnutls_certificate_verification_status_print(gnutls_session_get_verify_cert_status(pr->tls),
                                                         GNUTLS_CRT_X509, &out, 0) >= 0) {
                size_t n = strlen((const char *) out.data);
                while (n > 0 && out.data[n - 1] == ' ')
                        out.data[--n] = 0;
                r = fail(pr, -EACCES, "server certificate rejected: %s", (const char *) out.data);
                gnutls_free(out.data);
                return r;
        }
        if (r == GNUTLS_E_FATAL_ALERT_RECEIVED)
                return fail(pr, -EACCES, "TLS handshake failed: the server sent the alert \"%s\"",
                            gnutls_alert_get_name(gnutls_alert_get(pr->tls)));
        if (r == GNUTLS_E_UNEXPECTED_PACKET_LENGTH || r == GNUTLS_E_UNSUPPORTED_VERSION_PACKET ||
            r == GNUTLS_E_UNEXPECTED_PACKET)
                return fail(pr, -EACCES, "TLS handshake failed: %s (does the endpoint speak plain HTTP?)",
                            gnutls_strerror(r));
        return fail(pr, -EACCES, "TLS handshake failed: %s", gnutls_strerror(r));
}

/* Maps a failed TLS read or write. With TLS 1.3 the server judges the client certificate after the
 * client's handshake is done, so a refusal shows up here as an alert or a hang-up. */
static int tls_io_error(struct probe *pr, int r, size_t received) {
        gnutls_alert_description_t alert = r == GNUTLS_E_FATAL_ALERT_RECEIVED ? gnutls_alert_get(pr->tls) : 0;

        if (r == GNUTLS_E_CERTIFICATE_REQUIRED ||
            (r == GNUTLS_E_FATAL_ALERT_RECEIVED && alert == GNUTLS_A_CERTIFICATE_REQUIRED))
                return fail(pr, -EACCES, "the server requires a client certificate");
        if (r == GNUTLS_E_FATAL_ALERT_RECEIVED)
                return fail(pr, -EACCES, "the server ended the TLS connection with the alert \"%s\"%s",
                            gnutls_alert_get_name(alert),
                            alert == GNUTLS_A_BAD_CERTIFICATE || alert == GNUTLS_A_UNKNOWN_CA ||
                                            alert == GNUTLS_A_CERTIFICATE_UNKNOWN ||
                                            alert == GNUTLS_A_UNSUPPORTED_CERTIFICATE ||
                                            alert == GNUTLS_A_CERTIFICATE_EXPIRED ||
                                            alert == GNUTLS_A_ACCESS_DENIED
                                    ? ": it refused the client certificate"
                                    : "");
        if (received == 0 &&
            (r == GNUTLS_E_PULL_ERROR || r == GNUTLS_E_PUSH_ERROR || r == GNUTLS_E_PREMATURE_TERMINATION))
                return fail(pr, -EACCES, "the server closed the TLS connection without answering "
                                         "(client certificate refused?)");
        return fail(pr, -EPROTO, "TLS connection failed: %s", gnutls_strerror(r));
}

/* One send or receive attempt: bytes moved (0: end of stream), -EAGAIN to wait for the
 * socket, or a negative errno with the detail recorded. */
static ssize_t conn_io(struct probe *pr, bool out, char *buf, size_t n, size_t received) {
        ssize_t k;

        if (!pr->tls) {
                k = out ? send(pr->fd, buf, n, MSG_NOSIGNAL) : recv(pr->fd, buf, n, 0);
                if (k >= 0)
                        return k;
                if (errno == EAGAIN || errno == EINTR)
                        return -EAGAIN;
                return fail(pr, -errno, "cannot %s: %s", out ? "send the request" : "read the answer",
                            strerror(errno));
        }
        k = out ? gnutls_record_send(pr->tls, buf, n) : gnutls_record_recv(pr->tls, buf, n);
        if (k >= 0)
                return k;
        if (k == GNUTLS_E_AGAIN || k == GNUTLS_E_INTERRUPTED || k == GNUTLS_E_REHANDSHAKE)
                return -EAGAIN;
        if (k == GNUTLS_E_PREMATURE_TERMINATION && !out && received > 0)
                return 0; /* no close_notify: the HTTP framing decides whether the answer is complete */
        return tls_io_error(pr, (int) k, received);
}

static int conn_write(struct probe *pr, const char *buf, size_t n) {
        ssize_t k;
        int r;

        while (n > 0) {
                k = conn_io(pr, true, (char *) buf, n, 0);
                if (k == -EAGAIN) {
                        r = wait_fd(pr->fd, POLLOUT, pr->deadline_ms);
                        if (r < 0)
                                return fail(pr, r, "cannot send the request within the time limit");
                        continue;
                }
                if (k < 0)
                        return (int) k;
                buf += k;
                n -= (size_t) k;
        }
        return 0;
}

/* Reads up to n bytes: the count, 0 at the end of the stream, or a negative errno. */
static ssize_t conn_read(struct probe *pr, char *buf, size_t n, size_t received) {
        ssize_t k;
        int r;

        for (;;) {
                k = conn_io(pr, false, buf, n, received);
                if (k != -EAGAIN)
                        return k;
                r = wait_fd(pr->fd, POLLIN, pr->deadline_ms);
                if (r < 0)
                        return fail(pr, r, "no answer within the time limit");
        }
}

/* The value of header name in the header block [h, end), or NULL; caller frees. */
static char *header_get(const char *h, const char *end, const char *name) {
        size_t nl = strlen(name);

        for (const char *line = h; line < end;) {
                const char *eol = memmem(line, (size_t) (end - line), "\r\n", 2);
                if (!eol)
                        eol = end;
                if ((size_t) (eol - line) > nl && line[nl] == ':' && strncasecmp(line, name, nl) == 0) {
                        const char *v = line + nl + 1, *ve = eol;
                        while (v < ve && (*v == ' ' || *v == '\t'))
                                v++;
                        while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
                                ve--;
                        return xstrndup(v, (size_t) (ve - v));
                }
                line = eol + 2;
        }
        return NULL;
}

/* Decodes a chunked body: 1 complete (body in *ret), 0 more bytes needed, -EPROTO malformed. */
static int dechunk(const char *p, const char *end, struct drs_buf *ret) {
        for (;;) {
                const char *eol = memmem(p, (size_t) (end - p), "\r\n", 2);
                char *num_end;
                unsigned long n;

                if (!eol)
                        return 0;
                n = strtoul(p, &num_end, 16);
                if (num_end == p || (num_end != eol && *num_end != ';') || n > RESPONSE_MAX)
                        return -EPROTO;
                p = eol + 2;
                if (n == 0)
                        return 1; /* trailers, if any, do not matter */
                if ((size_t) (end - p) < n + 2)
                        return 0;
                if (p[n] != '\r' || p[n + 1] != '\n')
                        return -EPROTO;
                buf_append_n(ret, p, n);
                p += n + 2;
        }
}

/* Parses an HTTP/1.x response in buf (NUL-terminated). Returns 1 when complete (status, body and
 * the Api-Version header, which may be NULL, in the ret_ arguments), 0 when more is needed,
 * -EPROTO when it is not HTTP. */
static int http_parse(const char *buf, size_t len, bool eof, int *ret_status, char **ret_body,
                      char **ret_api) {
        const char *end = buf + len, *hdr_end, *body, *h;
        _cleanup_free_ char *te = NULL, *cl = NULL;
        struct drs_buf b = {0};
        int status, r;

        if (len >= 5 && strncmp(buf, "HTTP/", 5) != 0)
                return -EPROTO;
        hdr_end = memmem(buf, len, "\r\n\r\n", 4);
        if (!hdr_end)
                return eof || len >= RESPONSE_MAX ? -EPROTO : 0;
        if (len < 12 || strncmp(buf, "HTTP/1.", 7) != 0 || buf[8] != ' ' ||
            sscanf(buf + 9, "%3d", &status) != 1 || status < 100 || status > 999)
                return -EPROTO;
        h = memmem(buf, len, "\r\n", 2) + 2;
        body = hdr_end + 4;
        te = header_get(h, hdr_end + 2, "Transfer-Encoding");
        cl = header_get(h, hdr_end + 2, "Content-Length");

        if (te && strcasestr(te, "chunked")) {
                r = dechunk(body, end, &b);
                if (r <= 0) {
                        buf_free(&b);
                        return r == 0 && eof ? -EPROTO : r;
                }
        } else if (cl) {
                char *e;
                unsigned long n = strtoul(cl, &e, 10);
                if (e == cl || *e || n > RESPONSE_MAX)
                        return -EPROTO;
                if ((size_t) (end - body) < n)
                        return eof ? -EPROTO : 0;
                buf_append_n(&b, body, n);
        } else {
                if (!eof)
                        return 0;
                buf_append_n(&b, body, (size_t) (end - body));
        }
        *ret_status = status;
        *ret_body = buf_steal(&b);
        *ret_api = header_get(h, hdr_end + 2, "Api-Version");
        return 1;
}

/* A short printable excerpt of untrusted text for a one-line message; caller frees. */
static char *excerpt(const char *s) {
        char *e = xstrndup(s, 60);
        for (char *c = e; *c; c++)
                if ((unsigned char) *c < 0x20 || (unsigned char) *c >= 0x7f)
                        *c = ' ';
        return e;
}

static int ping_exchange(struct probe *pr, const struct drs_addr *target, uint16_t port) {
        _cleanup_free_ char *hostport = addr_hostport(target, port), *req = NULL, *body = NULL, *api = NULL,
                            *ex = NULL;
        _cleanup_free_ char *buf = xmalloc(RESPONSE_MAX + 1);
        size_t len = 0;
        int status = 0, r = 0;
        ssize_t k;

        req = xasprintf("GET /_ping HTTP/1.1\r\nHost: %s\r\nUser-Agent: %s/%s\r\nAccept: */*\r\n"
                        "Connection: close\r\n\r\n",
                        hostport, PACKAGE, VERSION);
        r = conn_write(pr, req, strlen(req));
        if (r < 0)
                return r;
        buf[0] = 0;
        for (;;) {
                k = conn_read(pr, buf + len, RESPONSE_MAX - len, len);
                if (k < 0)
                        return (int) k;
                len += (size_t) k;
                buf[len] = 0;
                r = http_parse(buf, len, k == 0 || len == RESPONSE_MAX, &status, &body, &api);
                if (r != 0)
                        break;
        }
        if (r < 0) {
                ex = excerpt(buf);
                if (len == 0)
                        return fail(pr, -EPROTO, "the connection was closed without an answer");
                return fail(pr, -EPROTO, "%s: \"%s\"",
                            startswith(buf, "HTTP/") ? "truncated or malformed HTTP answer"
                                                     : "not an HTTP answer",
                            ex);
        }
        if (status != 200) {
                ex = excerpt(body);
                return fail(pr, -EPROTO, "HTTP status %d instead of 200: \"%s\"", status, ex);
        }
        if (!streq(body, "OK")) {
                ex = excerpt(body);
                return fail(pr, -EPROTO, "unexpected answer \"%s\" instead of \"OK\"", ex);
        }
        pr->detail = api ? xasprintf("%s answered OK (API version %s)", hostport, api)
                         : xasprintf("%s answered OK", hostport);
        return 0;
}

int probe_ping(const struct drs_addr *addr, uint16_t port, const struct drs_probe_tls *tls,
               unsigned timeout_ms, char **ret_detail) {
        _cleanup_(probe_done) struct probe pr = {.fd = -1};
        struct drs_addr target;
        int r;

        if (!addr || (addr->family != AF_INET && addr->family != AF_INET6) || port == 0)
                return -EINVAL;
        pr.deadline_ms = now_ms() + (timeout_ms ? timeout_ms : DEFAULT_TIMEOUT_MS);
        target = *addr;
        /* dockerd listening on 0.0.0.0 or :: is reached over the loopback of the same family. */
        if (addr_classify(addr) == ADDR_CLASS_UNSPECIFIED) {
                memset(target.bytes, 0, sizeof(target.bytes));
                if (target.family == AF_INET) {
                        target.bytes[0] = 127;
                        target.bytes[3] = 1;
                } else
                        target.bytes[15] = 1;
        }

        /* Certificates are loaded first: a missing file is no reason to bother the daemon. */
        r = tls ? tls_setup(&pr, tls, &target) : 0;
        trace("probe: TLS set up: %d", r);
        if (r >= 0)
                r = tcp_connect(&pr, &target, port);
        trace("probe: connected: %d", r);
        if (r >= 0 && tls)
                r = tls_handshake(&pr);
        trace("probe: handshake: %d", r);
        if (r >= 0)
                r = ping_exchange(&pr, &target, port);
        trace("probe: exchange: %d", r);
        if (r >= 0 && pr.tls)
                (void) gnutls_bye(pr.tls, GNUTLS_SHUT_WR); /* courtesy only, never waited for */

        if (ret_detail) {
                if (!pr.detail)
                        pr.detail = xstrdup(strerror(-r));
                *ret_detail = TAKE_PTR(pr.detail);
        }
        return r;
}

int probe_bind(const struct drs_addr *addr, uint16_t port) {
        _cleanup_(closep) int fd = -1;
        struct sockaddr_storage ss;
        socklen_t len;
        int one = 1;

        if (!addr || (addr->family != AF_INET && addr->family != AF_INET6) || port == 0)
                return -EINVAL;
        len = sockaddr_fill(addr, port, &ss);
        fd = socket(addr->family, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_TCP);
        if (fd < 0)
                return -errno;
        /* dockerd (Go) sets SO_REUSEADDR on its listeners, so doing the same asks exactly "could
         * dockerd bind here": a live listener still gives EADDRINUSE, while connections left in
         * TIME_WAIT by the previous dockerd do not count as "in use". */
        if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0)
                return -errno;
        if (bind(fd, (struct sockaddr *) &ss, len) < 0)
                return -errno;
        return 0;
}

bool probe_dual_stack(void) {
        /* Go's own probe (net/ipsock_posix.go): an IPv6 socket that is not IPv6-only binding an
         * IPv4-mapped address. */
        struct sockaddr_in6 sa = {.sin6_family = AF_INET6};
        _cleanup_(closep) int fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_TCP);
        int zero = 0;

        if (fd < 0 || setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero)) < 0)
                return false;
        sa.sin6_addr.s6_addr[10] = sa.sin6_addr.s6_addr[11] = 0xff;
        sa.sin6_addr.s6_addr[12] = 127;
        sa.sin6_addr.s6_addr[15] = 1;
        return bind(fd, (struct sockaddr *) &sa, sizeof(sa)) == 0;
}
