/* test-listenmatch.c: unit tests of reading dockerd's and systemd's journal lines, on lines seen in a real journal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "listenmatch.h"
#include "macro.h"

static void check_match(const char *line, const char *expect) {
        char *addr = (char *) 0x1;
        assert_true(listen_match(line, &addr));
        assert_string_equal(addr, expect);
        free(addr);
}

static void check_no_match(const char *line) {
        char *addr = (char *) 0x1;
        assert_false(listen_match(line, &addr));
        assert_ptr_equal(addr, (char *) 0x1); /* untouched */
}

static void test_match_text(_unused_ void **state) {
        /* docker.io 20.10.24 on Debian 12, MESSAGE field as journald stored it */
        check_match("time=\"2026-11-29T05:23:28.339921098Z\" level=info msg=\"API listen on /run/docker.sock\"",
                    "/run/docker.sock");
        check_match("time=\"2026-11-29T05:23:28.347281761Z\" level=info msg=\"API listen on 127.0.0.1:2375\"",
                    "127.0.0.1:2375");
        check_match("time=\"2026-11-29T05:23:28.362157735Z\" level=info msg=\"API listen on [::]:2376\"",
                    "[::]:2376");
        check_match("time=\"2026-11-29T05:23:28.36Z\" level=info msg=\"API listen on [fd00::2]:2376\"\n",
                    "[fd00::2]:2376");
        /* other fields after msg, some unquoted (logrus quotes only when needed) */
        check_match("level=info msg=\"API listen on 10.213.0.2:2375\" module=api", "10.213.0.2:2375");
}

static void test_match_text_strict(_unused_ void **state) {
        check_no_match("time=\"2026-11-29T05:21:37.560431036Z\" level=info msg=\"Starting up\"");
        check_no_match("time=\"2026-11-29T05:21:37.807933416Z\" level=info msg=\"Daemon has completed initialization\"");
        /* the text is in another field, not in msg */
        check_no_match("time=\"x\" level=info msg=\"hello\" note=\"API listen on 10.0.0.1:2375\"");
        /* escaped quotes inside msg do not end it */
        check_no_match("level=info msg=\"say \\\"API listen on 10.0.0.1:2375\\\"\"");
        check_no_match("level=info msg=\"API listen on \"");
        check_no_match("level=info msg=\"API listen on 10.0.0.1:2375 (deprecated)\"");
        check_no_match("");
        check_no_match("API listen on");
}

static void test_match_json(_unused_ void **state) {
        check_match("{\"level\":\"info\",\"msg\":\"API listen on 10.0.0.2:2375\",\"time\":\"2024-02-01T10:00:00.000000000Z\"}",
                    "10.0.0.2:2375");
        check_match("{\"time\":\"2024-02-01T10:00:00Z\", \"msg\": \"API listen on [::]:2376\", \"level\": \"info\"}",
                    "[::]:2376");
        check_match("{\"level\":\"info\",\"msg\":\"API listen on /var/run/docker.sock\"}", "/var/run/docker.sock");
        check_no_match("{\"level\":\"info\",\"msg\":\"Daemon has completed initialization\"}");
        check_no_match("{\"level\":\"info\",\"note\":\"API listen on 10.0.0.2:2375\"}");
        check_no_match("{\"level\":\"info\",\"msg\":42}");
}

static void test_match_bare(_unused_ void **state) {
        check_match("API listen on 10.0.0.2:2375", "10.0.0.2:2375");
        check_match("API listen on [::]:2376\n", "[::]:2376");
        check_no_match("Started docker.service - Docker Application Container Engine.");
        check_no_match("xAPI listen on 10.0.0.2:2375");
        /* a NULL ret_addr only asks */
        assert_true(listen_match("API listen on 10.0.0.2:2375", NULL));
}

static void test_text(_unused_ void **state) {
        char *t;

        t = listen_line_text("time=\"2026-11-29T05:21:37.571195912Z\" level=error msg=\"exec: \\\"fuse-overlayfs\\\": "
                             "executable file not found in $PATH\" storage-driver=fuse-overlayfs");
        assert_string_equal(t, "exec: \"fuse-overlayfs\": executable file not found in $PATH");
        free(t);
        t = listen_line_text("time=\"2026-11-29T05:23:27.817832504Z\" level=warning msg=\"Unable to setup quota: "
                             "operation not permitted\\n\"");
        /* The trailing newline of the message is not part of what is shown. */
        assert_string_equal(t, "Unable to setup quota: operation not permitted");
        free(t);
        t = listen_line_text("time=\"2026-11-29T05:21:49.380725742Z\" level=info msg=\"Processing signal 'terminated'\"");
        assert_string_equal(t, "Processing signal 'terminated'");
        free(t);
        t = listen_line_text("level=info msg=\"tab\\there \\\\ \\u4e2d\\x41\"");
        assert_string_equal(t, "tab\there \\ \xe4\xb8\xad" "A");
        free(t);
        t = listen_line_text("{\"level\":\"info\",\"msg\":\"quote \\\" and \\u00e9\"}");
        assert_string_equal(t, "quote \" and \xc3\xa9");
        free(t);
        /* systemd's own lines and anything else are returned as they are */
        t = listen_line_text("docker.service: Failed with result 'exit-code'.");
        assert_string_equal(t, "docker.service: Failed with result 'exit-code'.");
        free(t);
        t = listen_line_text("unable to configure the Docker daemon with file /etc/docker/daemon.json: the following "
                             "directives are specified both as a flag and in the configuration file: hosts: (from "
                             "flag: [fd://], from file: [unix:///run/docker.sock])");
        assert_true(strncmp(t, "unable to configure", 19) == 0);
        free(t);
        /* unterminated quote: not logrus text */
        t = listen_line_text("level=info msg=\"open");
        assert_string_equal(t, "level=info msg=\"open");
        free(t);
        t = listen_line_text("{broken json");
        assert_string_equal(t, "{broken json");
        free(t);
}

static void test_error(_unused_ void **state) {
        const char *errors[] = {
                "time=\"2026-11-29T05:21:37.571083692Z\" level=error msg=\"failed to mount overlay: invalid argument\" "
                "storage-driver=overlay2",
                "time=\"2024-01-01T00:00:00Z\" level=fatal msg=\"failed to start daemon: pid file found\"",
                "time=\"2024-01-01T00:00:00Z\" level=panic msg=\"boom\"",
                "{\"level\":\"error\",\"msg\":\"x\"}",
                "{\"level\":\"fatal\",\"msg\":\"failed to load listeners: listen tcp 10.0.0.9:2375: bind: cannot "
                "assign requested address\"}",
                "docker.service: Failed with result 'exit-code'.",
                "Failed to start docker.service - Docker Application Container Engine.",
                "Failed to start Docker Application Container Engine.",
                "docker.service: Main process exited, code=exited, status=203/EXEC",
                "docker.service: Main process exited, code=exited, status=1/FAILURE",
                "docker.service: Main process exited, code=killed, status=9/KILL",
                "docker.service: Main process exited, code=dumped, status=6/ABRT",
                "docker.service: Start request repeated too quickly.",
                "docker.service: Failed at step EXEC spawning /usr/bin/dockerd: No such file or directory",
                "docker.service: Failed to locate executable /usr/bin/dockerd: No such file or directory",
        };
        const char *fine[] = {
                "time=\"2026-11-29T05:23:27.817832504Z\" level=warning msg=\"Unable to setup quota: operation not "
                "permitted\\n\"",
                "time=\"2026-11-29T05:23:28.347281761Z\" level=info msg=\"API listen on 127.0.0.1:2375\"",
                "time=\"x\" level=info msg=\"level=error in the text\"",
                "{\"level\":\"info\",\"msg\":\"level=error\"}",
                "Started docker.service - Docker Application Container Engine.",
                "Stopping docker.service - Docker Application Container Engine...",
                "docker.service: Deactivated successfully.",
                "docker.service: Main process exited, code=exited, status=0/SUCCESS",
                "docker.service: Main process exited, code=killed, status=15/TERM",
                "docker.service: Scheduled restart job, restart counter is at 1.",
                "",
        };
        for (size_t i = 0; i < sizeof(errors) / sizeof(errors[0]); i++) {
                if (!listen_line_is_error(errors[i]))
                        fail_msg("not seen as an error: %s", errors[i]);
        }
        for (size_t i = 0; i < sizeof(fine) / sizeof(fine[0]); i++) {
                if (listen_line_is_error(fine[i]) || listen_line_is_fatal(fine[i]))
                        fail_msg("seen as an error: %s", fine[i]);
        }
}

static void test_fatal(_unused_ void **state) {
        /* healthy starts log level=error for every storage driver dockerd rejected */
        assert_false(listen_line_is_fatal("time=\"2026-11-29T05:21:37.571083692Z\" level=error msg=\"failed to mount "
                                          "overlay: invalid argument\" storage-driver=overlay2"));
        assert_false(listen_line_is_fatal("{\"level\":\"error\",\"msg\":\"x\"}"));
        assert_false(listen_line_is_fatal("docker.service: Failed at step EXEC spawning /usr/bin/dockerd: No such "
                                          "file or directory"));
        assert_true(listen_line_is_fatal("time=\"2024-01-01T00:00:00Z\" level=fatal msg=\"failed to start daemon\""));
        assert_true(listen_line_is_fatal("{\"level\":\"panic\",\"msg\":\"x\"}"));
        assert_true(listen_line_is_fatal("docker.service: Failed with result 'exit-code'."));
        assert_true(listen_line_is_fatal("docker.service: Failed with result 'start-limit-hit'."));
        assert_true(listen_line_is_fatal("Failed to start docker.service - Docker Application Container Engine."));
        assert_true(listen_line_is_fatal("docker.service: Start request repeated too quickly."));
        assert_true(listen_line_is_fatal("docker.service: Main process exited, code=exited, status=1/FAILURE"));
}

/* Real lines of failed starts (docker.io 20.10 in the test container). */
static void test_failure_reason(_unused_ void **state) {
        char *r;
        char *port_taken[] = {
                "Starting docker.service - Docker Application Container Engine...",
                "time=\"2026-11-29T05:49:43.419878632Z\" level=info msg=\"Starting up\"",
                "time=\"2026-11-29T05:49:43.420528842Z\" level=warning msg=\"Binding to IP address without --tlsverify "
                "is insecure and gives root access on this machine to everyone who has access to your network.\" "
                "host=\"tcp://10.213.1.2:2390\"",
                "failed to load listeners: listen tcp 10.213.1.2:2390: bind: address already in use",
                "docker.service: Main process exited, code=exited, status=1/FAILURE",
                "docker.service: Failed with result 'exit-code'.",
                "Failed to start docker.service - Docker Application Container Engine.",
                NULL};
        char *fatal[] = {"time=\"x\" level=error msg=\"failed to mount overlay: invalid argument\" storage-driver=overlay2",
                         "time=\"x\" level=fatal msg=\"Error starting daemon: pid file found\"",
                         "docker.service: Main process exited, code=exited, status=1/FAILURE", NULL};
        char *exec[] = {"docker.service: Failed to locate executable /usr/bin/dockerd: No such file or directory",
                        "docker.service: Failed at step EXEC spawning /usr/bin/dockerd: No such file or directory",
                        "docker.service: Main process exited, code=exited, status=203/EXEC",
                        "docker.service: Failed with result 'exit-code'.", NULL};

        r = listen_failure_reason(port_taken);
        assert_string_equal(r, "failed to load listeners: listen tcp 10.213.1.2:2390: bind: address already in use");
        free(r);
        r = listen_failure_reason(fatal);
        assert_string_equal(r, "Error starting daemon: pid file found");
        free(r);
        r = listen_failure_reason(exec);
        assert_string_equal(r, "docker.service: Failed to locate executable /usr/bin/dockerd: No such file or directory");
        free(r);
        assert_null(listen_failure_reason((char *[]) {"Started docker.service.", NULL}));

        r = listen_line_level("time=\"x\" level=warning msg=\"w\"");
        assert_string_equal(r, "warning");
        free(r);
        assert_null(listen_line_level("failed to load listeners: x"));
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_match_text), cmocka_unit_test(test_match_text_strict),
                cmocka_unit_test(test_match_json), cmocka_unit_test(test_match_bare),
                cmocka_unit_test(test_text),       cmocka_unit_test(test_error),
                cmocka_unit_test(test_fatal),      cmocka_unit_test(test_failure_reason),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
