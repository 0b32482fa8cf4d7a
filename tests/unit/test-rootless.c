/* test-rootless.c: unit tests of rootless Docker's listener: rootlesskit's flags, the user's
 * ExecStart and drop-in, the port rule, subordinate id ranges. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rootless.h"
#include "util.h"

static const struct drs_rootless_listen plain = {.publish_addr = "10.213.9.2", .port = 2375, .uid = 1000, .mode = MODE_PLAIN,
                                                   .dual_stack = true};

static void test_flags(_unused_ void **state) {
        char *f = rootless_flags(NULL, &plain, NULL);
        assert_string_equal(f, "-p 10.213.9.2:2375:2375/tcp");
        free(f);
        /* The user's own flags kept, an older publish of the same port replaced, others kept. */
        f = rootless_flags("  --port-driver=builtin -p 10.0.0.1:2375:2375/tcp --publish=0.0.0.0:8080:80/tcp -p=1.2.3.4:9:2375/tcp",
                           &plain, NULL);
        assert_string_equal(f, "--port-driver=builtin --publish=0.0.0.0:8080:80/tcp -p 10.213.9.2:2375:2375/tcp");
        free(f);
        /* A publish to a dockerd listener the new ExecStart drops goes with it. */
        f = rootless_flags("-p 0.0.0.0:2370:2370/tcp -p 1.1.1.1:8080:80/tcp", &plain,
                           (char *[]){(char *) "-H tcp://0.0.0.0:2370", (char *) "--tls=false", NULL});
        assert_string_equal(f, "-p 1.1.1.1:8080:80/tcp -p 10.213.9.2:2375:2375/tcp");
        free(f);
        struct drs_rootless_listen v6 = plain;
        v6.publish_addr = "fd00::2";
        f = rootless_flags("", &v6, NULL);
        assert_string_equal(f, "-p [fd00::2]:2375:2375/tcp");
        free(f);
}

static char *dropin_for(const char *execstart, const char *flags, const struct drs_rootless_listen *l) {
        struct drs_cmdline base = {0};
        struct drs_derive_notes notes = {0};
        const char *reason = NULL;
        assert_int_equal(cmdline_parse(execstart, &base, &reason), 0);
        char *t = rootless_dropin(&base, flags, l, &notes);
        cmdline_done(&base);
        derive_notes_done(&notes);
        return t;
}

/* The setup tool's unit: no -H, so the user's own socket comes back next to the listener. */
static void test_dropin_setuptool_unit(_unused_ void **state) {
        char *t = dropin_for("/usr/share/docker.io/contrib/dockerd-rootless.sh  --iptables=false", NULL, &plain);
        assert_string_equal(t, "# docker-remote-setup: rootlesskit publishes 10.213.9.2:2375 on the host, dockerd listens "
                               "inside its namespace\n"
                               "[Unit]\nStartLimitIntervalSec=0\n\n[Service]\n"
                               "Environment=DOCKERD_ROOTLESS_ROOTLESSKIT_FLAGS=\"-p 10.213.9.2:2375:2375/tcp\"\n"
                               "ExecStart=\n"
                               "ExecStart=/usr/share/docker.io/contrib/dockerd-rootless.sh --iptables=false -H "
                               "tcp://0.0.0.0:2375 -H unix:///run/user/1000/docker.sock --tls=false\n");
        free(t);
        /* A unit that does not restart dockerd after a failed start: the drop-in does. */
        struct drs_rootless_listen restart = plain;
        restart.add_restart = restart.add_restart_sec = true;
        t = dropin_for("/usr/share/docker.io/contrib/dockerd-rootless.sh", NULL, &restart);
        assert_non_null(strstr(t, "/tcp\"\nRestart=on-failure\nRestartSec=2s\nExecStart=\n"));
        free(t);
}

/* A local socket given already, an old listener replaced; TLS; escapes in the flags. */
static void test_dropin_tls_and_existing(_unused_ void **state) {
        struct drs_rootless_listen tls = plain;
        tls.port = 2376;
        tls.mode = MODE_TLS;
        tls.tls_ca = "/home/a/.config/docker-remote-setup/tls/ca.pem";
        tls.tls_cert = "/home/a/.config/docker-remote-setup/tls/server-cert.pem";
        tls.tls_key = "/home/a/.config/docker-remote-setup/tls/server-key.pem";
        char *t = dropin_for("/usr/bin/dockerd-rootless.sh -H unix:///run/user/1000/docker.sock -H tcp://0.0.0.0:2375 "
                             "--tls=false",
                             "--net=slirp4netns %h\"x", &tls);
        assert_non_null(strstr(t, "Environment=DOCKERD_ROOTLESS_ROOTLESSKIT_FLAGS=\"--net=slirp4netns %%h\\\"x -p "
                                  "10.213.9.2:2376:2376/tcp\"\n"));
        assert_non_null(strstr(t, "\nExecStart=/usr/bin/dockerd-rootless.sh -H unix:///run/user/1000/docker.sock -H "
                                  "tcp://0.0.0.0:2376 --tlsverify "
                                  "--tlscacert=/home/a/.config/docker-remote-setup/tls/ca.pem "
                                  "--tlscert=/home/a/.config/docker-remote-setup/tls/server-cert.pem "
                                  "--tlskey=/home/a/.config/docker-remote-setup/tls/server-key.pem\n"));
        assert_null(strstr(t, "2375"));
        assert_null(strstr(t, "/var/run/docker.sock"));
        free(t);
}

static void test_describe(_unused_ void **state) {
        char **v = rootless_describe(&plain);
        assert_int_equal(strv_length(v), 2);
        assert_non_null(strstr(v[0], "10.213.9.2:2375"));
        assert_non_null(strstr(v[1], "API listen on [::]:2375"));
        assert_non_null(strstr(v[1], "without TLS"));
        strv_free(v);
        char *b = rootless_boot_text(&plain, NULL);
        assert_non_null(strstr(b, "StartLimitIntervalSec=0"));
        assert_non_null(strstr(b, "keeps restarting it"));
        free(b);
        b = rootless_boot_text(&plain, "x.conf:3: StartLimitBurst=3 turns it on again");
        assert_non_null(strstr(b, "stays failed: x.conf:3: StartLimitBurst=3 turns it on again"));
        free(b);
        /* A kernel without dual-stack sockets: Go binds 0.0.0.0 as an IPv4 socket and says so. */
        struct drs_rootless_listen single = plain;
        single.dual_stack = false;
        v = rootless_describe(&single);
        assert_non_null(strstr(v[1], "API listen on 0.0.0.0:2375"));
        strv_free(v);
        char *t = rootless_listen_text(&single);
        assert_string_equal(t, "0.0.0.0:2375");
        free(t);
        t = rootless_listen_text(&plain);
        assert_string_equal(t, "[::]:2375");
        free(t);
}

static void test_port(_unused_ void **state) {
        assert_null(rootless_port_refusal(2375, 1024));
        assert_null(rootless_port_refusal(1024, 1024));
        assert_null(rootless_port_refusal(80, 0));
        char *m = rootless_port_refusal(443, 1024);
        assert_non_null(m);
        assert_non_null(strstr(m, "net.ipv4.ip_unprivileged_port_start"));
        assert_non_null(strstr(m, "443"));
        free(m);
}

static void test_subid(_unused_ void **state) {
        const char *t = "bob:100000:65536\n# c\nalice:165536:65536\n1001:231072:65536\nzero:1:0\nbad:x:5\n";
        assert_true(rootless_has_subid(t, "alice", 1000));
        assert_true(rootless_has_subid(t, "carol", 1001)); /* by uid */
        assert_false(rootless_has_subid(t, "ali", 1002));  /* a prefix is not the name */
        assert_false(rootless_has_subid(t, "zero", 1003)); /* an empty range */
        assert_false(rootless_has_subid(t, "bad", 1004));
        assert_false(rootless_has_subid("", "alice", 1000));
        assert_false(rootless_has_subid(NULL, "alice", 1000));
}

/* Which host address and port rootlesskit's flags publish: the address, or every one. */
static void test_publishes(_unused_ void **state) {
        assert_true(rootless_flags_publish("-p 10.0.0.5:2375:2375/tcp", "10.0.0.5", 2375));
        assert_false(rootless_flags_publish("-p 10.0.0.5:2375:2375/tcp", "10.0.0.6", 2375));
        assert_false(rootless_flags_publish("-p 10.0.0.5:2375:2375/tcp", "10.0.0.5", 2376));
        assert_true(rootless_flags_publish("--net=slirp4netns --publish=0.0.0.0:2376:2376/tcp", "10.0.0.5", 2376));
        assert_true(rootless_flags_publish("-p 2377:2375/tcp", "10.0.0.5", 2377));
        assert_true(rootless_flags_publish("-p=[fd00::2]:2376:2376/tcp", "fd00::2", 2376));
        assert_false(rootless_flags_publish("-p [fd00::2]:2376:2376/tcp", "fd00::3", 2376));
        assert_false(rootless_flags_publish("-p", "10.0.0.5", 2375));
        assert_false(rootless_flags_publish(NULL, "10.0.0.5", 2375));
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_flags),
                cmocka_unit_test(test_dropin_setuptool_unit),
                cmocka_unit_test(test_dropin_tls_and_existing),
                cmocka_unit_test(test_describe),
                cmocka_unit_test(test_port),
                cmocka_unit_test(test_subid),
                cmocka_unit_test(test_publishes),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
