/* test-choices.c: the wizard's decisions without a terminal: rows offered, preselection, words, ports. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "choices.h"
#include "util.h"

static struct drs_iface mk(const char *name, bool up, bool route, const char *a1, const char *a2) {
        struct drs_iface i = {.name = xstrdup(name), .up = up, .default_route = route};
        const char *as[] = {a1, a2};
        for (size_t k = 0; k < 2; k++) {
                if (!as[k])
                        continue;
                i.addrs = xrealloc(i.addrs, (i.n_addrs + 1) * sizeof(*i.addrs));
                assert_int_equal(addr_parse(as[k], &i.addrs[i.n_addrs].addr), 0);
                i.addrs[i.n_addrs++].prefixlen = 24;
        }
        i.loopback = streq(name, "lo");
        return i;
}

/* A typical host: a public NIC with the default route, a private management NIC, docker. */
static void host(struct drs_iface_list *l) {
        l->n = 6;
        l->items = xcalloc(l->n, sizeof(struct drs_iface));
        l->items[0] = mk("docker0", true, false, "172.17.0.1", NULL);
        l->items[1] = mk("eth0", true, true, "203.0.113.10", "fe80::1");
        l->items[2] = mk("eth1", true, false, "10.0.0.5", "fd00::5");
        l->items[3] = mk("eth2", false, false, "192.168.9.9", NULL);
        l->items[4] = mk("lo", true, false, "127.0.0.1", "::1");
        l->items[5] = mk("veth12ab", true, false, NULL, "fe80::2");
}

static void test_rows(_unused_ void **state) {
        struct drs_iface_list l = {0};
        struct drs_choices c;
        char a[46];

        host(&l);
        choices_rows(&l, false, &c);
        /* eth0 v4, eth1 v4+ULA, eth2, lo v4+v6, all — docker0 hidden, link-local never offered. */
        assert_int_equal(c.n, 7);
        assert_int_equal(c.hidden, 1);
        assert_string_equal(c.rows[0].iface->name, "eth0");
        assert_int_equal(c.rows[0].tone, TONE_WARN);
        assert_non_null(strstr(c.rows[0].note, "public"));
        assert_string_equal(addr_to_string(&c.rows[2].addr, a), "fd00::5");
        assert_int_equal(c.rows[2].cls, ADDR_CLASS_ULA);
        assert_int_equal(c.rows[3].tone, TONE_DIM); /* eth2 is down */
        assert_null(c.rows[6].iface);               /* 0.0.0.0 last, in warning colour */
        assert_int_equal(c.rows[6].cls, ADDR_CLASS_UNSPECIFIED);
        assert_int_equal(c.rows[6].tone, TONE_WARN);
        /* The private NIC without the default route is preselected. */
        assert_int_equal(choices_preselect(&c, &l), 1);
        choices_done(&c);

        choices_rows(&l, true, &c);
        assert_int_equal(c.n, 8);
        assert_string_equal(c.rows[0].iface->name, "docker0");
        assert_int_equal(c.hidden, 0);
        struct drs_addr ula;
        assert_int_equal(addr_parse("fd00::5", &ula), 0);
        assert_int_equal(choices_find(&c, "eth1", &ula), 3);
        assert_int_equal(choices_find(&c, "eth0", &ula), -1);
        choices_done(&c);
        iface_list_done(&l);
}

/* --iface alone (no --address): that interface's row is preselected. */
static void test_find_iface(_unused_ void **state) {
        struct drs_iface_list l = {0};
        struct drs_choices c;

        host(&l);
        choices_rows(&l, false, &c);
        assert_int_equal(choices_find_iface(&c, &l, "eth2"), 3);
        assert_int_equal(choices_find_iface(&c, &l, "lo"), 4);       /* two addresses: its first row */
        assert_int_equal(choices_find_iface(&c, &l, "docker0"), -1); /* hidden */
        assert_int_equal(choices_find_iface(&c, &l, "nope"), -1);
        choices_done(&c);
        iface_list_done(&l);
}

static void test_confirmation(_unused_ void **state) {
        const char *why = NULL;

        assert_true(choices_mode_allowed(MODE_TLS, ADDR_CLASS_PUBLIC, NULL));
        assert_false(choices_mode_allowed(MODE_PLAIN, ADDR_CLASS_PUBLIC, &why));
        assert_non_null(why);
        assert_false(choices_mode_allowed(MODE_PLAIN, ADDR_CLASS_UNSPECIFIED, NULL));
        assert_true(choices_mode_allowed(MODE_PLAIN, ADDR_CLASS_CGNAT, NULL));
        assert_int_equal(choices_confirmation(MODE_PLAIN, ADDR_CLASS_PRIVATE), CONFIRM_PLAIN);
        assert_int_equal(choices_confirmation(MODE_TLS, ADDR_CLASS_PRIVATE), CONFIRM_NONE);
        assert_int_equal(choices_confirmation(MODE_TLS, ADDR_CLASS_PUBLIC), CONFIRM_PUBLIC);
        assert_int_equal(choices_confirmation(MODE_TLS, ADDR_CLASS_UNSPECIFIED), CONFIRM_PUBLIC);
        assert_string_equal(choices_confirm_word(CONFIRM_PLAIN), "plain");
        assert_string_equal(choices_confirm_word(CONFIRM_PUBLIC), "public");
        assert_null(choices_confirm_word(CONFIRM_NONE));
}

static void test_port(_unused_ void **state) {
        const char *m = NULL;
        uint16_t p = 0;

        assert_int_equal(choices_port("2376", &p, &m), 0);
        assert_int_equal(p, 2376);
        assert_int_equal(choices_port("0", &p, &m), -1);
        assert_non_null(strstr(m, "1 to 65535"));
        assert_int_equal(choices_port("70000", &p, &m), -1);
        assert_int_equal(choices_port("2x", &p, &m), -1);
        assert_non_null(strstr(m, "number"));
        assert_int_equal(choices_port("", &p, &m), -1);
}

static void test_no_candidate(_unused_ void **state) {
        struct drs_iface_list l = {.n = 1, .items = xcalloc(1, sizeof(struct drs_iface))};
        struct drs_choices c;

        l.items[0] = mk("lo", true, false, "127.0.0.1", NULL);
        choices_rows(&l, false, &c);
        assert_int_equal(c.n, 2); /* lo and all */
        assert_int_equal(choices_preselect(&c, &l), -1);
        choices_done(&c);
        iface_list_done(&l);
}

int main(void) {
        const struct CMUnitTest tests[] = {cmocka_unit_test(test_rows), cmocka_unit_test(test_find_iface),
                                           cmocka_unit_test(test_confirmation),
                                           cmocka_unit_test(test_port), cmocka_unit_test(test_no_candidate)};
        return cmocka_run_group_tests(tests, NULL, NULL);
}
