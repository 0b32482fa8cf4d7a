/* test-envfile.c: unit tests of environment files (/etc/default/docker) as systemd reads them. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "envfile.h"
#include "util.h"

static const char debian[] = "# Here in Debian, this file is sourced by:\n"
                             "#   - /etc/init.d/docker (sysvinit)\n"
                             "\n"
                             "# Use of this file for configuring your Docker daemon is discouraged.\n"
                             "#DOCKER_OPTS=\"--dns 8.8.8.8 --dns 8.8.4.4\"\n"
                             "\n"
                             "# If you need Docker to use an HTTP proxy, it can also be specified here.\n"
                             "#export http_proxy=\"http://127.0.0.1:3128/\"\n";

static void test_debian_stock(_unused_ void **state) {
        struct drs_envfile e;
        char *t;

        assert_int_equal(envfile_parse("/etc/default/docker", debian, &e, NULL), 0);
        assert_int_equal(e.n, 0); /* everything is commented out */
        assert_null(envfile_get(&e, "DOCKER_OPTS"));
        t = envfile_set(debian, &e, "DOCKER_OPTS", "-H tcp://10.0.0.2:2375 --tls=false", "# ours\n");
        assert_true(startswith(t, debian));
        assert_string_equal(t + strlen(debian), "# ours\nDOCKER_OPTS=\"-H tcp://10.0.0.2:2375 --tls=false\"\n");
        free(t);
        envfile_done(&e);
}

static void test_values(_unused_ void **state) {
        const char *text = "A=plain value  \n"
                           "B='single $x \\n'\n"
                           "C=\"double \\\"q\\\" \\$HOME \\n\"\n"
                           "D=one\\\ntwo\n"
                           "export E=exported\n"
                           "  F = spaced\n"
                           "1BAD=x\n"
                           "DOCKER_OPTS=\"--dns 1.1.1.1\"\n"
                           "DOCKER_OPTS=\"-H tcp://0.0.0.0:2375   -H unix:///var/run/docker.sock\"\n"
                           "G=\"multi\nline\"\n"
                           "H=last";
        struct drs_envfile e;
        const struct drs_env_assignment *a;

        assert_int_equal(envfile_parse("f", text, &e, NULL), 0);
        assert_string_equal(envfile_get(&e, "A")->value, "plain value");
        assert_string_equal(envfile_get(&e, "B")->value, "single $x \\n");
        assert_string_equal(envfile_get(&e, "C")->value, "double \"q\" $HOME \\n");
        assert_string_equal(envfile_get(&e, "D")->value, "onetwo");
        assert_null(envfile_get(&e, "E")); /* systemd ignores export lines */
        assert_string_equal(envfile_get(&e, "F")->value, "spaced");
        assert_null(envfile_get(&e, "1BAD"));
        a = envfile_get(&e, "DOCKER_OPTS");
        assert_int_equal(a->line, 10);
        assert_string_equal(a->value, "-H tcp://0.0.0.0:2375   -H unix:///var/run/docker.sock");
        assert_string_equal(envfile_get(&e, "G")->value, "multi\nline");
        assert_int_equal(envfile_get(&e, "H")->line, 13);
        assert_string_equal(envfile_get(&e, "H")->value, "last");

        /* The last DOCKER_OPTS is replaced in place; every other byte stays. */
        char *t = envfile_set(text, &e, "DOCKER_OPTS", "-H tcp://10.0.0.2:2376", NULL);
        const char *at = strstr(text, "DOCKER_OPTS=\"-H tcp://0.0.0.0");
        assert_int_equal(strncmp(t, text, (size_t) (at - text)), 0);
        assert_true(strstr(t, "DOCKER_OPTS=\"-H tcp://10.0.0.2:2376\"\nG=\"multi\nline\"\nH=last") != NULL);
        free(t);

        /* A value with quotes, backslashes, '$' and backquotes is escaped and reads back as itself
         * (C's value, written as DOCKER_OPTS). */
        struct drs_envfile back;
        t = envfile_set(text, &e, "DOCKER_OPTS", "--label=\"a b\" x\\y $HOME `id`", NULL);
        assert_true(strstr(t, "DOCKER_OPTS=\"--label=\\\"a b\\\" x\\\\y \\$HOME \\`id\\`\"\n") != NULL);
        assert_int_equal(envfile_parse("f", t, &back, NULL), 0);
        assert_string_equal(envfile_get(&back, "DOCKER_OPTS")->value, "--label=\"a b\" x\\y $HOME `id`");
        envfile_done(&back);
        free(t);

        char **w = envfile_split_words(a->value);
        assert_int_equal(strv_length(w), 4);
        assert_string_equal(w[1], "tcp://0.0.0.0:2375");
        strv_free(w);
        envfile_done(&e);
}

static void test_unterminated(_unused_ void **state) {
        struct drs_envfile e = {0};
        struct drs_diag d = {0};
        assert_int_equal(envfile_parse("/etc/default/docker", "# x\nA=1\nDOCKER_OPTS=\"--dns 1.1.1.1\n", &e, &d), -EBADMSG);
        assert_int_equal(d.line, 3);
        assert_non_null(strstr(d.message, "DOCKER_OPTS"));
        diag_done(&d);
}

/* Where systemd's reader differs from a shell's, we read as systemd does (src/basic/env-file.c). */
static void test_systemd_rules(_unused_ void **state) {
        const char *text = "A=x\"y z\"\n"          /* a quote inside a value is literal */
                           "B=\"a\"  'b' c\n"      /* whitespace after a closing quote is skipped */
                           "C=crlf\r\n"
                           "D=lone\rE=cr\n"         /* a lone CR ends the line too */
                           "  # indented comment \\\n"
                           "F=hidden by the comment\n"
                           "G=end\\";               /* a backslash at the end of the file is dropped */
        struct drs_envfile e;

        assert_int_equal(envfile_parse("f", text, &e, NULL), 0);
        assert_string_equal(envfile_get(&e, "A")->value, "x\"y z\"");
        assert_string_equal(envfile_get(&e, "B")->value, "abc");
        assert_string_equal(envfile_get(&e, "C")->value, "crlf");
        assert_string_equal(envfile_get(&e, "D")->value, "lone");
        assert_string_equal(envfile_get(&e, "E")->value, "cr");
        assert_null(envfile_get(&e, "F"));
        assert_string_equal(envfile_get(&e, "G")->value, "end");
        assert_int_equal(envfile_get(&e, "G")->line, 7);
        envfile_done(&e);
}

/* Ours is appended after a last line that ends in a backslash: it must not continue into ours. */
static void test_set_after_continuation(_unused_ void **state) {
        static const char *const texts[] = {"X=1 \\", "X=1 \\\n", "# note \\\n", "# note \\"};
        for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
                struct drs_envfile e, f;
                char *t;
                assert_int_equal(envfile_parse("f", texts[i], &e, NULL), 0);
                t = envfile_set(texts[i], &e, "DOCKER_OPTS", "-H tcp://10.0.0.2:2375", "# ours\n");
                assert_int_equal(envfile_parse("f", t, &f, NULL), 0);
                assert_non_null(envfile_get(&f, "DOCKER_OPTS"));
                assert_string_equal(envfile_get(&f, "DOCKER_OPTS")->value, "-H tcp://10.0.0.2:2375");
                if (envfile_get(&e, "X"))
                        assert_string_equal(envfile_get(&f, "X")->value, envfile_get(&e, "X")->value);
                free(t);
                envfile_done(&e);
                envfile_done(&f);
        }
}

static void test_safe(_unused_ void **state) {
        assert_true(envfile_value_safe("-H tcp://1.2.3.4:2376 --tlscacert=/etc/docker/remote-setup/ca.pem"));
        assert_false(envfile_value_safe("a\"b"));
        assert_false(envfile_value_safe("$x"));
        assert_false(envfile_value_safe("a\\b"));
        assert_false(envfile_value_safe("`x`"));
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_debian_stock), cmocka_unit_test(test_values),
                cmocka_unit_test(test_unterminated), cmocka_unit_test(test_safe),
                cmocka_unit_test(test_systemd_rules), cmocka_unit_test(test_set_after_continuation),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
