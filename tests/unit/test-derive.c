/* test-derive.c: unit tests of the derived dockerd command line and of daemon.json handling. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "daemonjson.h"
#include "derive.h"
#include "plan.h"
#include "util.h"

static const struct drs_listen_flags plain = {.host_url = "tcp://10.213.0.2:2375", .mode = MODE_PLAIN};
static const struct drs_listen_flags tls = {.host_url = "tcp://10.213.0.2:2376", .mode = MODE_TLS,
                                            .tls_ca = "/d/ca.pem", .tls_cert = "/d/cert.pem", .tls_key = "/d/key.pem"};

static void expect(const char *base, const struct drs_derive_opts *o, const char *expected, const char *removed) {
        struct drs_cmdline b, out;
        struct drs_derive_notes n = {0};
        char *t;

        assert_int_equal(cmdline_parse(base, &b, NULL), 0);
        derive_execstart(&b, o, &out, &n);
        t = cmdline_format(&out);
        assert_string_equal(t, expected);
        if (removed) {
                char *r = NULL;
                for (size_t i = 0; n.removed && n.removed[i]; i++) {
                        char *x = xasprintf("%s%s%s", r ? r : "", r ? "|" : "", n.removed[i]);
                        free(r);
                        r = x;
                }
                assert_string_equal(r ? r : "", removed);
                free(r);
        }
        free(t);
        derive_notes_done(&n);
        cmdline_done(&b);
        cmdline_done(&out);
}

static void test_debian(_unused_ void **state) {
        const char *deb = "/usr/sbin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock $DOCKER_OPTS";
        expect(deb, &(struct drs_derive_opts) {.listen = &plain},
               "/usr/sbin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock $DOCKER_OPTS "
               "-H tcp://10.213.0.2:2375 --tls=false",
               "");
        expect(deb, &(struct drs_derive_opts) {.listen = &tls},
               "/usr/sbin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock $DOCKER_OPTS "
               "-H tcp://10.213.0.2:2376 --tlsverify --tlscacert=/d/ca.pem --tlscert=/d/cert.pem --tlskey=/d/key.pem",
               "");
}

static void test_replaces_every_tcp_and_tls_form(_unused_ void **state) {
        expect("/usr/bin/dockerd -H tcp://0.0.0.0:2375 --host=tcp://1.2.3.4:1 -Htcp://5.6.7.8:2 -H=0.0.0.0:3 "
               "--host 127.0.0.1:4 -H unix:///var/run/docker.sock --tlsverify=false --tls --tlscacert /x "
               "--tlscert=/y --tlskey /z -D",
               &(struct drs_derive_opts) {.listen = &plain},
               /* The socket right after a TCP listener goes with it, and comes back after ours. */
               "/usr/bin/dockerd -D -H tcp://10.213.0.2:2375 -H unix:///var/run/docker.sock --tls=false",
               "-H tcp://0.0.0.0:2375|--host=tcp://1.2.3.4:1|-Htcp://5.6.7.8:2|-H=0.0.0.0:3|--host 127.0.0.1:4|"
               "--tlsverify=false|--tls|--tlscacert /x|--tlscert=/y|--tlskey /z");
}

/* What derive writes, derived again with the same listener, is the same line. */
static void expect_stable(const char *base, const struct drs_derive_opts *o) {
        struct drs_cmdline b, once, twice;
        char *t1, *t2;

        assert_int_equal(cmdline_parse(base, &b, NULL), 0);
        derive_execstart(&b, o, &once, NULL);
        derive_execstart(&once, o, &twice, NULL);
        t1 = cmdline_format(&once);
        t2 = cmdline_format(&twice);
        assert_string_equal(t1, t2);
        free(t1);
        free(t2);
        cmdline_done(&b);
        cmdline_done(&once);
        cmdline_done(&twice);
}

static void test_second_run_same(_unused_ void **state) {
        /* No local listener: the socket is added after ours, and stays there the second time. */
        expect_stable("/usr/bin/dockerd", &(struct drs_derive_opts) {.listen = &plain});
        expect_stable("/usr/bin/dockerd --data-root /srv", &(struct drs_derive_opts) {.listen = &tls});
        expect_stable("/usr/bin/dockerd -H tcp://0.0.0.0:2375 -H unix:///var/run/docker.sock -D",
                      &(struct drs_derive_opts) {.listen = &plain});
        /* A last -H without a value goes: ours must not become its value. */
        expect("/usr/bin/dockerd -D -H", &(struct drs_derive_opts) {.listen = &plain},
               "/usr/bin/dockerd -D -H tcp://10.213.0.2:2375 -H unix:///var/run/docker.sock --tls=false", "-H");
        expect_stable("/usr/bin/dockerd -D -H", &(struct drs_derive_opts) {.listen = &plain});
        /* The admin's own socket before any TCP listener stays where it is. */
        expect("/usr/bin/dockerd -H unix:///var/run/docker.sock -D", &(struct drs_derive_opts) {.listen = &plain},
               "/usr/bin/dockerd -H unix:///var/run/docker.sock -D -H tcp://10.213.0.2:2375 --tls=false", "");
        expect_stable("/usr/bin/dockerd -H unix:///var/run/docker.sock -D", &(struct drs_derive_opts) {.listen = &plain});
        /* fd:// without docker.socket becomes the socket in place. */
        expect_stable("/usr/sbin/dockerd -H fd:// $DOCKER_OPTS",
                      &(struct drs_derive_opts) {.listen = &plain, .fd_without_socket = true});
}

static void test_keeps_spelling_and_variables(_unused_ void **state) {
        expect("-/usr/sbin/dockerd -H fd:// --label \"a b\" '${X}' $DOCKER_OPTS -H $EXTRA",
               &(struct drs_derive_opts) {.listen = &plain},
               "-/usr/sbin/dockerd -H fd:// --label \"a b\" '${X}' $DOCKER_OPTS -H $EXTRA -H tcp://10.213.0.2:2375 "
               "--tls=false",
               "");
}

static void test_local_socket(_unused_ void **state) {
        /* No local listener left: the default socket is kept explicitly. */
        expect("/usr/bin/dockerd -H tcp://0.0.0.0:2375", &(struct drs_derive_opts) {.listen = &plain},
               "/usr/bin/dockerd -H tcp://10.213.0.2:2375 -H unix:///var/run/docker.sock --tls=false", NULL);
        expect("/usr/bin/dockerd", &(struct drs_derive_opts) {.listen = &plain, .local_socket_elsewhere = true},
               "/usr/bin/dockerd -H tcp://10.213.0.2:2375 --tls=false", NULL);
        /* fd:// without docker.socket becomes the unix socket; a wrong path is fixed. */
        expect("/usr/bin/dockerd -H fd:// --host=fd://",
               &(struct drs_derive_opts) {.listen = &plain, .fd_without_socket = true, .dockerd_path = "/usr/sbin/dockerd"},
               "/usr/sbin/dockerd -H unix:///var/run/docker.sock --host=unix:///var/run/docker.sock "
               "-H tcp://10.213.0.2:2375 --tls=false",
               NULL);
        /* Removing only: no listener added. */
        expect("/usr/sbin/dockerd -H fd:// -H tcp://10.0.0.1:2375 --tls=false", &(struct drs_derive_opts) {0},
               "/usr/sbin/dockerd -H fd://", "-H tcp://10.0.0.1:2375|--tls=false");
        /* Hosts moved from daemon.json. */
        expect("/usr/bin/dockerd", &(struct drs_derive_opts) {.listen = &plain, .extra_hosts = (char *[]) {"unix:///run/a.sock", NULL}},
               "/usr/bin/dockerd -H unix:///run/a.sock -H tcp://10.213.0.2:2375 --tls=false", NULL);
}

static void test_helpers(_unused_ void **state) {
        struct drs_cmdline c;
        bool braced;
        assert_int_equal(cmdline_parse("/usr/bin/dockerd --config-file /etc/d.json ${DOCKER_OPTS}", &c, NULL), 0);
        assert_string_equal(derive_config_file(&c), "/etc/d.json");
        assert_true(derive_uses_variable(&c, "DOCKER_OPTS", &braced));
        assert_true(braced);
        assert_false(derive_uses_variable(&c, "OTHER", NULL));
        cmdline_done(&c);
        assert_true(derive_host_is_tcp("tcp://1.2.3.4:5"));
        assert_true(derive_host_is_tcp("0.0.0.0:2375"));
        assert_false(derive_host_is_tcp("unix:///run/docker.sock"));
        assert_false(derive_host_is_tcp("fd://"));
        assert_false(derive_host_is_tcp("$HOSTS"));

        char **w = derive_strip_words((char *[]) {"--dns", "1.1.1.1", "-H", "tcp://0.0.0.0:2375", "--tlsverify", NULL}, NULL);
        assert_int_equal(strv_length(w), 2);
        strv_free(w);
}

static void test_daemon_json(_unused_ void **state) {
        struct drs_daemon_json j;
        struct drs_diag d = {0};
        char *t;

        assert_int_equal(daemonjson_parse("/etc/docker/daemon.json",
                                          "{\"hosts\": [\"unix:///var/run/docker.sock\", \"tcp://0.0.0.0:2375\"],"
                                          " \"tlsverify\": true, \"log-level\": \"warn\"}", &j, NULL), 0);
        assert_true(j.has_hosts);
        assert_int_equal(strv_length(j.hosts), 2);
        assert_string_equal(j.tls_keys[0], "tlsverify");
        daemonjson_done(&j);

        assert_int_equal(daemonjson_parse("f", "  \n", &j, NULL), 0);
        assert_false(j.has_hosts);
        daemonjson_done(&j);

        assert_int_equal(daemonjson_parse("/etc/docker/daemon.json", "{\n  \"a\": 1,\n  \"b\": [\n}\n", &j, &d), -EBADMSG);
        assert_string_equal(d.file, "/etc/docker/daemon.json");
        assert_int_equal(d.line, 4);
        diag_done(&d);
        assert_int_equal(daemonjson_parse("f", "{\"a\": 1,}", &j, &d), -EBADMSG); /* strict, as Go is */
        diag_done(&d);
        assert_int_equal(daemonjson_parse("f", "[1]", &j, &d), -EBADMSG);
        diag_done(&d);
        assert_int_equal(daemonjson_parse("f", "{} {}", &j, &d), -EBADMSG);
        diag_done(&d);
        assert_int_equal(daemonjson_parse("f", "{\"hosts\": 5}", &j, &d), -EBADMSG);
        diag_done(&d);

        t = daemonjson_without_listener_keys("{\"hosts\": [\"fd://\"], \"data-root\": \"/srv/d\", \"tls\": true, \"x\": {\"y\": 1}}");
        assert_string_equal(t, "{\n  \"data-root\": \"/srv/d\",\n  \"x\": {\n    \"y\": 1\n  }\n}\n");
        free(t);
        /* Numbers kept as written (issue 16 item 15), also in arrays, nested, after a key given
         * twice, after strings with digits and escaped keys. */
        t = daemonjson_without_listener_keys(
                "{\"hosts\": [\"tcp://1.2.3.4:5\"], \"big\": 123456789012345678901234567890, \"neg\": -99999999999999999999,"
                " \"f\": 1.50, \"e\": 1E3, \"s\": \"12\\\"3\", \"k\\u0041\": [0, -0, [7.0]], \"d\": 1, \"d\": 2.00,"
                " \"o\": {\"n\": 18446744073709551616}}");
        assert_string_equal(t, "{\n  \"big\": 123456789012345678901234567890,\n  \"neg\": -99999999999999999999,\n"
                               "  \"f\": 1.50,\n  \"e\": 1E3,\n  \"s\": \"12\\\"3\",\n  \"kA\": [\n    0,\n    -0,\n"
                               "    [\n      7.0\n    ]\n  ],\n  \"d\": 2.00,\n  \"o\": {\n    \"n\": 18446744073709551616\n  }\n}\n");
        free(t);
}

/* Whether dockerd logs "API listen on" (info): the verification waits for it only then. */
static bool logs_info(const char *execstart, const char *def, const char *json) {
        _cleanup_free_ char *unit = xasprintf("[Service]\nEnvironmentFile=-/etc/default/docker\nExecStart=%s\n", execstart);
        struct drs_host h = {.systemd = true, .fragment_path = "/lib/systemd/system/docker.service", .fragment_text = unit,
                             .default_docker_text = (char *) def, .daemon_json_path = "/etc/docker/daemon.json",
                             .daemon_json_text = (char *) json};
        return host_logs_info(&h);
}

static void test_log_level(_unused_ void **state) {
        const char *deb = "/usr/sbin/dockerd -H fd:// $DOCKER_OPTS";
        assert_true(logs_info(deb, NULL, NULL));
        assert_true(logs_info(deb, NULL, "{\"log-level\": \"info\"}"));
        assert_false(logs_info(deb, NULL, "{\"log-level\": \"warn\"}"));
        assert_false(logs_info(deb, NULL, "{\"log-level\": \"ERROR\"}"));
        assert_true(logs_info(deb, NULL, "{\"log-level\": \"warn\", \"debug\": true}"));
        assert_false(logs_info("/usr/sbin/dockerd --log-level=fatal", NULL, NULL));
        assert_false(logs_info("/usr/sbin/dockerd -l warn", NULL, NULL));
        assert_true(logs_info("/usr/sbin/dockerd -l warn -D", NULL, NULL));
        assert_false(logs_info(deb, "DOCKER_OPTS=\"--log-level error\"\n", NULL));
        /* The flag wins over the file (dockerd refuses both; the flag is what it would see first). */
        assert_true(logs_info("/usr/sbin/dockerd --log-level info", NULL, "{\"log-level\": \"warn\"}"));
}

/* Grouped shorthands (issue 16 item 3): "-DH tcp://…" is -D and a listener; the listener goes,
 * -D stays. Words after "--" are no options: ours go before it (item 15). */
static void test_pflag_spellings(_unused_ void **state) {
        expect("/usr/sbin/dockerd -H fd:// -DH tcp://0.0.0.0:2375",
               &(struct drs_derive_opts) {.listen = &plain},
               "/usr/sbin/dockerd -H fd:// -D -H tcp://10.213.0.2:2375 --tls=false", "-DH tcp://0.0.0.0:2375");
        expect("/usr/sbin/dockerd -H fd:// -DHtcp://0.0.0.0:2375 --label -H",
               &(struct drs_derive_opts) {.listen = &plain},
               "/usr/sbin/dockerd -H fd:// -D --label -H -H tcp://10.213.0.2:2375 --tls=false", "-DHtcp://0.0.0.0:2375");
        expect("/usr/sbin/dockerd -H fd:// --",
               &(struct drs_derive_opts) {.listen = &plain},
               "/usr/sbin/dockerd -H fd:// -H tcp://10.213.0.2:2375 --tls=false --", "");
        /* fd:// without docker.socket, in any spelling. */
        expect("/usr/sbin/dockerd -DH=fd:// --host fd://",
               &(struct drs_derive_opts) {.listen = &plain, .fd_without_socket = true},
               "/usr/sbin/dockerd -DH=unix:///var/run/docker.sock --host unix:///var/run/docker.sock "
               "-H tcp://10.213.0.2:2375 --tls=false", "");
        /* A TLS directory with a specifier and a variable reaches dockerd as written (item 8). */
        static const struct drs_listen_flags odd = {.host_url = "tcp://10.213.0.2:2376", .mode = MODE_TLS,
                                                    .tls_ca = "/e/%h-${HOME}/ca.pem", .tls_cert = "/e/a b/c.pem",
                                                    .tls_key = "/e/$$/k.pem"};
        expect("/usr/sbin/dockerd -H fd://", &(struct drs_derive_opts) {.listen = &odd, .dockerd_path = "/opt/%i/dockerd"},
               "/opt/%%i/dockerd -H fd:// -H tcp://10.213.0.2:2376 --tlsverify --tlscacert=/e/%%h-$${HOME}/ca.pem "
               "\"--tlscert=/e/a b/c.pem\" --tlskey=/e/$$$$/k.pem", "");
        char *opts[] = {"-DH", "tcp://0.0.0.0:2375", "--iptables=false", NULL};
        _cleanup_strv_free_ char **kept = derive_strip_words(opts, NULL);
        assert_int_equal(strv_length(kept), 2);
        assert_string_equal(kept[0], "-D");
        assert_string_equal(kept[1], "--iptables=false");
}

static void test_uses_fd(_unused_ void **state) {
        static const char *const yes[] = {"/d -H fd://", "/d --host=fd://", "/d -H=fd://", "/d --host fd://",
                                          "/d -Hfd://", "/d -H fd://3 --x"};
        static const char *const no[] = {"/d -H unix:///run/docker.sock", "/d --label fd://", "/d", "/d -H tcp://fd:1"};
        for (size_t i = 0; i < ELEMENTSOF(yes) + ELEMENTSOF(no); i++) {
                bool want = i < ELEMENTSOF(yes);
                const char *line = want ? yes[i] : no[i - ELEMENTSOF(yes)];
                struct drs_cmdline c = {0};
                assert_int_equal(cmdline_parse(line, &c, NULL), 0);
                assert_int_equal(derive_uses_fd(c.words, c.n_words, cmdline_first_arg(&c)), want);
                cmdline_done(&c);
        }
}

static void test_daemon_json_tls(_unused_ void **state) {
        const char *ca = "/t/ca.pem", *cert = "/t/server-cert.pem", *key = "/t/server-key.pem";
        char *t, *again;

        /* Absent: a new file with the four keys; plain and absent: no file. */
        t = daemonjson_set_tls(NULL, ca, cert, key);
        assert_string_equal(t, "{\n  \"tlsverify\": true,\n  \"tlscacert\": \"/t/ca.pem\",\n  \"tlscert\": "
                               "\"/t/server-cert.pem\",\n  \"tlskey\": \"/t/server-key.pem\"\n}\n");
        /* Already so: the same text back (a second run writes nothing). */
        again = daemonjson_set_tls(t, ca, cert, key);
        assert_string_equal(again, t);
        free(again);
        free(t);
        assert_null(daemonjson_set_tls(NULL, NULL, NULL, NULL));
        /* Other keys kept, "tls" and "hosts" go; plain: only our keys removed. */
        t = daemonjson_set_tls("{\"log-driver\":\"journald\",\"tls\":true,\"hosts\":[\"fd://\"]}", ca, cert, key);
        assert_non_null(strstr(t, "\"log-driver\": \"journald\""));
        assert_null(strstr(t, "\"tls\":"));
        assert_null(strstr(t, "hosts"));
        again = daemonjson_set_tls(t, NULL, NULL, NULL);
        assert_string_equal(again, "{\n  \"log-driver\": \"journald\"\n}\n");
        free(again);
        free(t);
        /* Unchanged plain text keeps its formatting. */
        t = daemonjson_set_tls("{\"debug\":true}", NULL, NULL, NULL);
        assert_string_equal(t, "{\"debug\":true}");
        free(t);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_debian),      cmocka_unit_test(test_replaces_every_tcp_and_tls_form),
                cmocka_unit_test(test_second_run_same),
                cmocka_unit_test(test_keeps_spelling_and_variables), cmocka_unit_test(test_local_socket),
                cmocka_unit_test(test_helpers),     cmocka_unit_test(test_daemon_json),
                cmocka_unit_test(test_log_level),   cmocka_unit_test(test_pflag_spellings),
                cmocka_unit_test(test_daemon_json_tls), cmocka_unit_test(test_uses_fd),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
