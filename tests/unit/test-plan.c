/* test-plan.c: plan_build() (the public planner API) per file it writes: the unit drop-in, the
 * docker.socket drop-in, /etc/default/docker and daemon.json, on the units of real hosts
 * (tests/fixtures: Debian, docker-ce, Fedora's moby-engine with --host=fd://, RHEL's docker 1.13);
 * what it writes parses again, and planning again on the result changes nothing. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "allowlist.h"
#include "daemonjson.h"
#include "envfile.h"
#include "plan.h"
#include "unitfile.h"
#include "util.h"
#include "fixture.h"
#include "host-files.h"


struct os {
        const char *name;
        const char *fragment;   /* under tests/fixtures */
        const char *unit_path;  /* on the host */
        const char *dockerd;
        bool socket;            /* docker.socket exists */
};

static const struct os debian = {"debian", "base/debian/lib/systemd/system/docker.service",
                                 "/lib/systemd/system/docker.service", "/usr/sbin/dockerd", true};
static const struct os docker_ce = {"docker-ce", "base/docker-ce/usr/lib/systemd/system/docker.service",
                                    "/usr/lib/systemd/system/docker.service", "/usr/bin/dockerd", true};
static const struct os fedora = {"fedora-moby", "cases/fedora-moby/root/usr/lib/systemd/system/docker.service",
                                 "/usr/lib/systemd/system/docker.service", "/usr/bin/dockerd", true};
static const struct os rhel = {"rhel-docker113", "cases/rhel-docker113/root/usr/lib/systemd/system/docker.service",
                               "/usr/lib/systemd/system/docker.service", "/usr/bin/dockerd-current", false};

static void add_iface(struct drs_iface_list *l, const char *name, const char *ip, bool loopback) {
        struct drs_iface *i;
        l->items = xrealloc(l->items, (l->n + 1) * sizeof(*l->items));
        i = &l->items[l->n++];
        *i = (struct drs_iface) {.name = xstrdup(name), .up = true, .loopback = loopback};
        i->addrs = xcalloc(1, sizeof(*i->addrs));
        i->n_addrs = 1;
        assert_int_equal(addr_parse(ip, &i->addrs[0].addr), 0);
        i->addrs[0].prefixlen = loopback ? 8 : 24;
}

/* A host of that OS with these files besides its unit (NULL: absent). */
static void host_make(struct drs_host *h, const struct os *os, const char *override, const char *sock_override,
                      const char *def, const char *json) {
        *h = (struct drs_host) {.root = xstrdup("/"), .systemd = true, .socket_unit = os->socket,
                                .hostname = xstrdup("build-01")};
        h->fragment_path = xstrdup(os->unit_path);
        h->fragment_text = fixture_text(os->fragment);
        host_add_files(h, override, sock_override, def, json);
        strv_push(&h->executables, os->dockerd);
        add_iface(&h->ifaces, "lo", "127.0.0.1", true);
        add_iface(&h->ifaces, "eth1", "10.0.0.5", false);
}

static const struct drs_file_change *find_file(const struct drs_plan *p, enum drs_file_kind k) {
        for (size_t i = 0; i < p->n_files; i++)
                if (p->files[i].kind == k && p->files[i].applied)
                        return &p->files[i];
        return NULL;
}

static const char *after(const struct drs_plan *p, enum drs_file_kind k, const char *old) {
        const struct drs_file_change *f = find_file(p, k);
        return f && f->remove ? NULL : f && f->new_text ? f->new_text : old;
}

/* Plans on the host; the plan is checked to be unblocked, then planned again on its result. */
static struct drs_plan *plan(const struct os *os, enum drs_mode mode, enum drs_method method, const char *def,
                             const char *json) {
        struct drs_settings s = {.iface = (char *) "eth1", .mode = mode, .method = method, .method_set = true};
        struct drs_plan *p = NULL, *q = NULL;
        struct drs_listener l;
        struct drs_diag d = {0};
        struct drs_host h, h2;

        print_message("%s, %s, %s\n", os->name, mode_to_string(mode), method_to_string(method));
        host_make(&h, os, NULL, NULL, def, json);
        assert_int_equal(settings_resolve(&s, &h.ifaces, &l, &d), 0);
        assert_int_equal(plan_build(&h, &s, &l, &p, &d), 0);
        for (size_t i = 0; p->blocked && i < p->n_findings; i++)
                print_message("  %d %s\n", p->findings[i].level, p->findings[i].text);
        assert_false(p->blocked);
        assert_true(p->changes);
        assert_string_equal(p->listen_text, mode == MODE_TLS ? "10.0.0.5:2376" : "10.0.0.5:2375");
        assert_string_equal(p->host_url, mode == MODE_TLS ? "tcp://10.0.0.5:2376" : "tcp://10.0.0.5:2375");

        /* Again, on the files as the plan leaves them: nothing to do. */
        host_make(&h2, os, after(p, FILE_DROPIN, NULL), after(p, FILE_SOCKET_DROPIN, NULL), after(p, FILE_DEFAULT, def),
                  after(p, FILE_DAEMON_JSON, json));
        h2.tls.present = h2.tls.reusable = h2.tls.tar_current = true;
        assert_int_equal(plan_build(&h2, &s, &l, &q, &d), 0);
        for (size_t i = 0; q->changes && i < q->n_files; i++)
                if (q->files[i].applied && !streq_ptr(q->files[i].old_text, q->files[i].new_text))
                        print_message("second run changes %s:\n%s\n", q->files[i].path, q->files[i].new_text);
        assert_false(q->changes);
        plan_free(q);
        host_done(&h2);
        host_done(&h);
        return p;
}

static void assert_unit_has(const char *text, const char *section, const char *key, const char *want) {
        _cleanup_(unit_freep) struct drs_unit *u = NULL;
        struct drs_diag d = {0};
        assert_int_equal(unit_parse("test", text, &u, &d), 0);
        if (!strstr(text, want))
                fail_msg("[%s] %s: \"%s\" not in:\n%s", section, key, want, text);
}

/* The docker.service drop-in: ExecStart= reset, then dockerd as before plus the listener. */
static void test_dropin(_unused_ void **state) {
        static const struct {
                const struct os *os;
                const char *execstart;
        } rows[] = {
                {&debian, "ExecStart=/usr/sbin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock $DOCKER_OPTS -H tcp://10.0.0.5:2375"},
                {&docker_ce, "ExecStart=/usr/bin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock -H tcp://10.0.0.5:2375"},
                {&fedora, "-H tcp://10.0.0.5:2375"},
                {&rhel, "-H tcp://10.0.0.5:2375"},
        };
        for (size_t i = 0; i < ELEMENTSOF(rows); i++) {
                _cleanup_(plan_freep) struct drs_plan *p = plan(rows[i].os, MODE_PLAIN, METHOD_DROPIN, NULL, NULL);
                const struct drs_file_change *f = find_file(p, FILE_DROPIN);
                assert_non_null(f);
                assert_string_equal(f->path, OVERRIDE);
                assert_null(f->old_text);
                assert_non_null(strstr(f->new_text, "ExecStart=\n"));
                assert_unit_has(f->new_text, "Service", "ExecStart", rows[i].execstart);
                assert_int_equal(f->mode, 0644);
                /* Nothing else is touched for a plain drop-in. */
                assert_null(find_file(p, FILE_DEFAULT));
                assert_null(find_file(p, FILE_SOCKET_DROPIN));
        }
}

/* DOCKER_OPTS in /etc/default/docker (Debian's unit reads it); the other lines stay. */
static void test_default(_unused_ void **state) {
        _cleanup_free_ char *def = fixture_text("base/debian/etc/default/docker");
        _cleanup_(plan_freep) struct drs_plan *p = plan(&debian, MODE_PLAIN, METHOD_DOCKER_OPTS, def, NULL);
        const struct drs_file_change *f = find_file(p, FILE_DEFAULT);
        struct drs_envfile e = {0};
        struct drs_diag d = {0};

        assert_non_null(f);
        assert_string_equal(f->path, "/etc/default/docker");
        assert_int_equal(envfile_parse(f->path, f->new_text, &e, &d), 0);
        envfile_done(&e);
        assert_non_null(strstr(f->new_text, "DOCKER_OPTS=\""));
        assert_non_null(strstr(f->new_text, "-H tcp://10.0.0.5:2375"));
        /* Debian's comments are kept. */
        assert_non_null(strstr(f->new_text, "# Here in Debian, this file is sourced by:"));
        /* The drop-in only makes systemd restart dockerd until a late address exists: no ExecStart=. */
        f = find_file(p, FILE_DROPIN);
        assert_non_null(f);
        assert_null(strstr(f->new_text, "\nExecStart="));
        assert_unit_has(f->new_text, "Unit", "StartLimitIntervalSec", "StartLimitIntervalSec=0");
}

/* docker.socket: ListenStream= for the address (FreeBind=yes: a late address at boot), TLS in
 * daemon.json, whose other keys stay. */
static void test_socket_and_json(_unused_ void **state) {
        const char *json = "{\n  \"log-driver\": \"journald\",\n  \"max-concurrent-downloads\": 6\n}\n";
        _cleanup_(plan_freep) struct drs_plan *p = plan(&debian, MODE_TLS, METHOD_SOCKET, NULL, json);
        const struct drs_file_change *sock = find_file(p, FILE_SOCKET_DROPIN), *dj = find_file(p, FILE_DAEMON_JSON);
        struct drs_daemon_json j = {0};
        struct drs_diag d = {0};

        assert_non_null(sock);
        assert_string_equal(sock->path, SOCKET_OVERRIDE);
        assert_unit_has(sock->new_text, "Socket", "ListenStream", "ListenStream=10.0.0.5:2376");
        assert_non_null(strstr(sock->new_text, "FreeBind=yes"));
        assert_non_null(dj);
        assert_int_equal(daemonjson_parse(dj->path, dj->new_text, &j, &d), 0);
        assert_false(j.has_hosts);
        daemonjson_done(&j);
        assert_non_null(strstr(dj->new_text, "\"tlsverify\": true"));
        assert_non_null(strstr(dj->new_text, "\"log-driver\": \"journald\""));
        assert_non_null(strstr(dj->new_text, "\"max-concurrent-downloads\": 6"));
        /* The TLS material, generated at apply time. */
        size_t tls = 0;
        for (size_t i = 0; i < p->n_files; i++)
                tls += p->files[i].kind == FILE_TLS;
        assert_true(tls >= 7);
}

/* A malformed file on the host: -EBADMSG naming it, no plan. */
static void test_malformed(_unused_ void **state) {
        struct drs_settings s = {.iface = (char *) "eth1", .mode = MODE_TLS};
        struct drs_plan *p = NULL;
        struct drs_listener l;
        struct drs_diag d = {0};
        struct drs_host h;

        host_make(&h, &debian, NULL, NULL, NULL, "{\"hosts\": [\"tcp://0.0.0.0:2375\"");
        assert_int_equal(settings_resolve(&s, &h.ifaces, &l, &d), 0);
        assert_int_equal(plan_build(&h, &s, &l, &p, &d), -EBADMSG);
        assert_null(p);
        assert_string_equal(d.file, DRS_DAEMON_JSON);
        diag_done(&d);
        host_done(&h);
}

/* An allow-list in our socket drop-in: with --allow-from ours, with IPAccounting=yes (apply can then
 * verify that the kernel enforces it); an admin's list there without it is kept and not claimed. */
static void test_allow_accounting(_unused_ void **state) {
        static const char *admin = "[Socket]\nIPAddressDeny=any\nIPAddressAllow=10.0.0.0/24\n";
        struct drs_settings s = {.iface = (char *) "eth1", .mode = MODE_PLAIN, .method = METHOD_SOCKET,
                                 .method_set = true};
        struct drs_plan *p = NULL;
        struct drs_listener l;
        struct drs_diag d = {0};
        struct drs_host h;

        host_make(&h, &debian, NULL, admin, NULL, NULL);
        assert_int_equal(settings_resolve(&s, &h.ifaces, &l, &d), 0);
        assert_int_equal(plan_build(&h, &s, &l, &p, &d), 0);
        assert_true(strv_contains(p->allow_from, "10.0.0.0/24"));
        assert_false(p->allow_accounted);
        plan_free(p);
        p = NULL;

        assert_int_equal(allowlist_add(&s.allow_from, &s.allow_from_any, "10.0.0.0/24", &d), 0);
        assert_int_equal(plan_build(&h, &s, &l, &p, &d), 0);
        assert_true(p->allow_accounted);
        assert_non_null(strstr(find_file(p, FILE_SOCKET_DROPIN)->new_text, "IPAccounting=yes"));
        assert_non_null(strstr(find_file(p, FILE_SOCKET_DROPIN)->new_text, "IPAddressAllow="));
        plan_free(p);
        strv_free(s.allow_from);
        host_done(&h);
}

/* dockerd's wildcard listener as it logs it: one dual-stack socket ("[::]") unless the kernel has
 * none ("0.0.0.0"), for -H, daemon.json's hosts and docker.socket's port alone alike. */
static void test_wildcard_texts(_unused_ void **state) {
        char *t;
        t = listen_text_from_host("tcp://0.0.0.0:2375", false);
        assert_string_equal(t, "[::]:2375");
        free(t);
        t = listen_text_from_host("tcp://0.0.0.0:2375", true);
        assert_string_equal(t, "0.0.0.0:2375");
        free(t);
        t = listen_text_from_host(":2376", true);
        assert_string_equal(t, "0.0.0.0:2376");
        free(t);
        t = listen_text_from_host("tcp://10.0.0.2:2375", true);
        assert_string_equal(t, "10.0.0.2:2375");
        free(t);
        t = socket_listen_text("2375", false);
        assert_string_equal(t, "[::]:2375");
        free(t);
        t = socket_listen_text("2375", true);
        assert_string_equal(t, "0.0.0.0:2375");
        free(t);
        t = socket_listen_text("10.0.0.2:2375", true);
        assert_string_equal(t, "10.0.0.2:2375");
        free(t);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_dropin),
                cmocka_unit_test(test_default),
                cmocka_unit_test(test_socket_and_json),
                cmocka_unit_test(test_malformed),
                cmocka_unit_test(test_allow_accounting),
                cmocka_unit_test(test_wildcard_texts),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
