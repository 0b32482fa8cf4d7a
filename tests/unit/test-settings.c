/* test-settings.c: settings_resolve(), every row of the safety rules (SPEC "Safety rules") and
 * every refusal of a bad interface or address, on the host tests/cli/netns-setup.sh builds. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "settings.h"
#include "util.h"

static struct drs_iface_list host;

/* Appends an interface with addresses ("10.0.0.2/24", …, NULL). */
static void add(const char *name, bool loopback, ...) {
        struct drs_iface *i;
        const char *s;
        va_list ap;

        host.items = xrealloc(host.items, (host.n + 1) * sizeof(struct drs_iface));
        i = &host.items[host.n++];
        *i = (struct drs_iface) {.name = xstrdup(name), .up = true, .loopback = loopback};
        va_start(ap, loopback);
        while ((s = va_arg(ap, const char *))) {
                _cleanup_free_ char *a = xstrndup(s, strcspn(s, "/"));
                struct drs_iface_addr ia = {.prefixlen = (unsigned) atoi(s + strlen(a) + 1)};
                assert_int_equal(addr_parse(a, &ia.addr), 0);
                i->addrs = xrealloc(i->addrs, (i->n_addrs + 1) * sizeof(struct drs_iface_addr));
                i->addrs[i->n_addrs++] = ia;
        }
        va_end(ap);
}

/* The interfaces of tests/cli/netns-setup.sh (and a multicast member, which it cannot make). */
static int setup(_unused_ void **state) {
        add("lo", true, "127.0.0.1/8", "::1/128", NULL);
        add("eth0", false, "203.0.113.10/24", "2001:db8::10/64", NULL);
        add("eth1", false, "10.0.0.5/24", "fe80::5/64", NULL);
        add("eth2", false, "100.64.1.5/10", NULL);
        add("eth3", false, "fd00::5/64", NULL);
        add("eth5", false, "172.16.1.5/24", "172.16.1.6/24", NULL);
        add("docker0", false, "172.17.0.1/16", NULL);
        add("ll0", false, "169.254.7.7/16", NULL);
        add("mc0", false, "239.1.2.3/32", NULL);
        return 0;
}

static int teardown(_unused_ void **state) {
        iface_list_done(&host);
        return 0;
}

struct row {
        const char *iface, *address;
        enum drs_mode mode;
        bool allow_public;
        int want;                /* 0 or the negative errno */
        const char *listen;      /* the address resolved to (want 0) */
        const char *message;     /* a part of the reason (want < 0) */
};

static void run(const struct row *rows, size_t n) {
        for (size_t k = 0; k < n; k++) {
                const struct row *w = &rows[k];
                struct drs_settings s = {.iface = (char *) w->iface, .address = (char *) w->address, .mode = w->mode,
                                         .allow_public = w->allow_public};
                struct drs_listener l = {0};
                struct drs_diag d = {0};
                char a[46];
                int r = settings_resolve(&s, &host, &l, &d);

                print_message("row %zu: --iface %s --address %s %s%s -> %d\n", k, w->iface ? w->iface : "-",
                              w->address ? w->address : "-", w->mode == MODE_TLS ? "tls" : "plain",
                              w->allow_public ? " --allow-public" : "", r);
                assert_int_equal(r, w->want);
                if (r == 0) {
                        assert_string_equal(addr_to_string(&l.addr, a), w->listen);
                        assert_int_equal(l.port, w->mode == MODE_TLS ? DRS_PORT_TLS : DRS_PORT_PLAIN);
                        assert_int_equal(l.cls, addr_classify(&l.addr));
                        assert_null(d.message);
                } else {
                        assert_non_null(d.message);
                        if (w->message && !strstr(d.message, w->message))
                                fail_msg("row %zu: \"%s\" does not say \"%s\"", k, d.message, w->message);
                }
                diag_done(&d);
        }
}

/* Plain TCP only on loopback, private, CGNAT or ULA addresses. */
static void test_plain(_unused_ void **state) {
        static const struct row rows[] = {
                {"lo", "127.0.0.1", MODE_PLAIN, false, 0, "127.0.0.1", NULL},
                {"lo", "::1", MODE_PLAIN, false, 0, "::1", NULL},
                {"eth1", NULL, MODE_PLAIN, false, 0, "10.0.0.5", NULL},
                {"eth2", NULL, MODE_PLAIN, false, 0, "100.64.1.5", NULL},
                {"eth3", NULL, MODE_PLAIN, false, 0, "fd00::5", NULL},
                {"docker0", NULL, MODE_PLAIN, false, 0, "172.17.0.1", NULL},
                {"eth0", "203.0.113.10", MODE_PLAIN, false, -EPERM, NULL, "plain TCP is refused"},
                {"eth0", "203.0.113.10", MODE_PLAIN, true, -EPERM, NULL, "plain TCP is refused"},
                {"eth0", "2001:db8::10", MODE_PLAIN, true, -EPERM, NULL, "plain TCP is refused"},
                {NULL, "0.0.0.0", MODE_PLAIN, false, -EPERM, NULL, "plain TCP is refused"},
                {NULL, "0.0.0.0", MODE_PLAIN, true, -EPERM, NULL, "plain TCP is refused"},
                {NULL, "::", MODE_PLAIN, true, -EPERM, NULL, "plain TCP is refused"},
        };
        run(rows, ELEMENTSOF(rows));
}

/* 0.0.0.0 or a public address: in TLS mode only with --allow-public (or the typed word). */
static void test_tls_public(_unused_ void **state) {
        static const struct row rows[] = {
                {"eth0", "203.0.113.10", MODE_TLS, false, -EPERM, NULL, "--allow-public"},
                {"eth0", "203.0.113.10", MODE_TLS, true, 0, "203.0.113.10", NULL},
                {"eth0", "2001:db8::10", MODE_TLS, true, 0, "2001:db8::10", NULL},
                {NULL, "0.0.0.0", MODE_TLS, false, -EPERM, NULL, "--allow-public"},
                {NULL, "0.0.0.0", MODE_TLS, true, 0, "0.0.0.0", NULL},
                {NULL, "::", MODE_TLS, true, 0, "::", NULL},
                /* The private classes need no confirmation with TLS either. */
                {"eth1", "10.0.0.5", MODE_TLS, false, 0, "10.0.0.5", NULL},
                {"eth3", NULL, MODE_TLS, false, 0, "fd00::5", NULL},
                {"lo", "127.0.0.1", MODE_TLS, false, 0, "127.0.0.1", NULL},
        };
        run(rows, ELEMENTSOF(rows));
}

/* Link-local and multicast never carry the API, whatever the mode or --allow-public. */
static void test_never(_unused_ void **state) {
        static const struct row rows[] = {
                {"eth1", "fe80::5", MODE_TLS, true, -EPERM, NULL, "cannot carry the Docker API"},
                {"eth1", "fe80::5", MODE_PLAIN, false, -EPERM, NULL, "cannot carry the Docker API"},
                {"ll0", "169.254.7.7", MODE_TLS, true, -EPERM, NULL, "cannot carry the Docker API"},
                {"mc0", "239.1.2.3", MODE_TLS, true, -EPERM, NULL, "cannot carry the Docker API"},
                /* Only a link-local address: none to pick. */
                {"ll0", NULL, MODE_TLS, true, -EADDRNOTAVAIL, NULL, "has no address"},
        };
        run(rows, ELEMENTSOF(rows));
}

/* Bad or unknown interfaces and addresses: the reason names them. */
static void test_inputs(_unused_ void **state) {
        static const struct row rows[] = {
                {NULL, NULL, MODE_TLS, false, -EINVAL, NULL, "choose an interface"},
                {NULL, "10.0.0.256", MODE_TLS, false, -EINVAL, NULL, "\"10.0.0.256\" is not an IPv4 or IPv6"},
                {"eth0/x", NULL, MODE_TLS, false, -EINVAL, NULL, "not a valid interface name"},
                {"wlan9", NULL, MODE_TLS, false, -ENOENT, NULL, "no network interface \"wlan9\""},
                {"eth1", "10.0.0.6", MODE_TLS, false, -ENOENT, NULL, "is not on interface \"eth1\" (it has: 10.0.0.5)"},
                {NULL, "10.9.9.9", MODE_TLS, false, -ENOENT, NULL, "not configured on any interface"},
                {"eth5", NULL, MODE_TLS, false, -EADDRNOTAVAIL, NULL, "several addresses (172.16.1.5, 172.16.1.6)"},
                {"eth5", "172.16.1.6", MODE_PLAIN, false, 0, "172.16.1.6", NULL},
                /* An address alone finds its interface. */
                {NULL, "100.64.1.5", MODE_PLAIN, false, 0, "100.64.1.5", NULL},
        };
        run(rows, ELEMENTSOF(rows));
}

/* The interface found for an address alone, the port given, and 0.0.0.0 without an interface. */
static void test_listener(_unused_ void **state) {
        struct drs_settings s = {.address = (char *) "fd00::5", .mode = MODE_PLAIN, .port = 12375};
        struct drs_listener l = {0};
        struct drs_diag d = {0};

        assert_int_equal(settings_resolve(&s, &host, &l, &d), 0);
        assert_string_equal(l.iface, "eth3");
        assert_int_equal(l.port, 12375);
        assert_int_equal(l.cls, ADDR_CLASS_ULA);

        s = (struct drs_settings) {.address = (char *) "0.0.0.0", .mode = MODE_TLS, .allow_public = true};
        assert_int_equal(settings_resolve(&s, &host, &l, &d), 0);
        assert_null(l.iface);
        assert_int_equal(l.cls, ADDR_CLASS_UNSPECIFIED);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_plain),  cmocka_unit_test(test_tls_public), cmocka_unit_test(test_never),
                cmocka_unit_test(test_inputs), cmocka_unit_test(test_listener),
        };
        return cmocka_run_group_tests(tests, setup, teardown);
}
