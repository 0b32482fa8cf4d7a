/* test-execline.c: unit tests of the ExecStart= parser and writer against systemd's rules. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "execline.h"
#include "util.h"

static void expect_words(const char *text, const char *prefix, const char *const *values) {
        struct drs_cmdline c;
        const char *reason = NULL;
        size_t n = 0;

        assert_int_equal(cmdline_parse(text, &c, &reason), 0);
        assert_string_equal(c.prefix, prefix);
        while (values[n])
                n++;
        assert_int_equal(c.n_words, n);
        for (size_t i = 0; i < n; i++)
                assert_string_equal(c.words[i].value, values[i]);
        cmdline_done(&c);
}

static void test_debian_stock(_unused_ void **state) {
        expect_words("/usr/sbin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock $DOCKER_OPTS", "",
                     (const char *const[]) {"/usr/sbin/dockerd", "-H", "fd://",
                                            "--containerd=/run/containerd/containerd.sock", "$DOCKER_OPTS", NULL});
}

static void test_quotes_and_escapes(_unused_ void **state) {
        expect_words("/usr/bin/dockerd --label \"env=prod west\" --data-root '/srv/docker data' ${EXTRA}", "",
                     (const char *const[]) {"/usr/bin/dockerd", "--label", "env=prod west", "--data-root",
                                            "/srv/docker data", "${EXTRA}", NULL});
        /* Quotes may start in the middle of a word; escapes work inside quotes too. */
        expect_words("/bin/x a\"b c\"d 'it\\'s' \"q\\\"uote\" tab\\tx \\x41\\u00e9", "",
                     (const char *const[]) {"/bin/x", "ab cd", "it's", "q\"uote", "tab\tx", "A\xc3\xa9", NULL});
        /* Unknown escapes in arguments are kept (CUNESCAPE_RELAX), and "\;" is a literal ";". */
        expect_words("/bin/x \\d \\;", "", (const char *const[]) {"/bin/x", "\\d", ";", NULL});
        /* Whitespace of every kind separates words. */
        expect_words("  /bin/x\ta  b ", "", (const char *const[]) {"/bin/x", "a", "b", NULL});
}

static void test_prefixes(_unused_ void **state) {
        expect_words("-/usr/bin/dockerd -H fd://", "-", (const char *const[]) {"/usr/bin/dockerd", "-H", "fd://", NULL});
        expect_words("@/usr/bin/dockerd dockerd-x -D", "@",
                     (const char *const[]) {"/usr/bin/dockerd", "dockerd-x", "-D", NULL});
        expect_words("+-:/usr/bin/dockerd", "+-:", (const char *const[]) {"/usr/bin/dockerd", NULL});
        expect_words("!!/usr/bin/dockerd", "!!", (const char *const[]) {"/usr/bin/dockerd", NULL});
}

static void expect_error(const char *text, int err) {
        struct drs_cmdline c = {0};
        const char *reason = NULL;
        assert_int_equal(cmdline_parse(text, &c, &reason), err);
        if (err != -ENODATA)
                assert_non_null(reason);
        assert_null(c.words);
}

static void test_errors(_unused_ void **state) {
        expect_error("", -ENODATA);
        expect_error("   ", -ENODATA);
        expect_error("/bin/x \"open", -EINVAL);
        expect_error("/bin/x 'open", -EINVAL);
        expect_error("/bin/x trailing\\", -EINVAL);
        expect_error("-", -EINVAL);
        expect_error("/bin/\\q", -EINVAL); /* no relaxed escapes in the path */
        expect_error("/bin/x a ; /bin/y", -E2BIG);
        expect_error("@/bin/x", -EINVAL);
        /* systemd takes a lone ";" as a separator, never as the executable. */
        expect_error(";", -E2BIG);
        expect_error("\";\" /bin/x", -E2BIG);
        expect_error(":--; x", -E2BIG);
}

/* Parse → format → parse gives the same words; canonical text round-trips byte for byte. */
static void test_roundtrip(_unused_ void **state) {
        const char *lines[] = {
                "/usr/sbin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock $DOCKER_OPTS",
                "/usr/bin/dockerd --label \"env=prod west\" --data-root '/srv/docker data' ${EXTRA}",
                "-@/usr/bin/dockerd  dockerd   \"a\\\"b\" 'x y'\t\\;",
                "/bin/x \"\" a\"b c\"d \\x41 100%% $$HOME",
        };
        for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
                struct drs_cmdline a, b, fresh = {0};
                char *text, *text2;
                assert_int_equal(cmdline_parse(lines[i], &a, NULL), 0);
                text = cmdline_format(&a);
                assert_int_equal(cmdline_parse(text, &b, NULL), 0);
                assert_true(cmdline_equal(&a, &b));
                /* Without the raw spelling, our quoting must read back the same too. */
                fresh.prefix = strdup(a.prefix);
                for (size_t k = 0; k < a.n_words; k++)
                        cmdline_append(&fresh, a.words[k].value);
                text2 = cmdline_format(&fresh);
                cmdline_done(&b);
                assert_int_equal(cmdline_parse(text2, &b, NULL), 0);
                assert_true(cmdline_equal(&a, &b));
                free(text);
                free(text2);
                cmdline_done(&a);
                cmdline_done(&b);
                cmdline_done(&fresh);
        }
        /* Canonical lines come back byte for byte. */
        struct drs_cmdline c;
        const char *canon = "/usr/sbin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock $DOCKER_OPTS";
        assert_int_equal(cmdline_parse(canon, &c, NULL), 0);
        char *t = cmdline_format(&c);
        assert_string_equal(t, canon);
        free(t);
        cmdline_done(&c);
}

static void test_quote(_unused_ void **state) {
        char *q;
        q = cmdline_quote("plain");
        assert_string_equal(q, "plain");
        free(q);
        q = cmdline_quote("with space");
        assert_string_equal(q, "\"with space\"");
        free(q);
        q = cmdline_quote("a\"b\\c\nd");
        assert_string_equal(q, "\"a\\\"b\\\\c\\nd\"");
        free(q);
        q = cmdline_quote("");
        assert_string_equal(q, "\"\"");
        free(q);
        q = cmdline_quote(";");
        assert_string_equal(q, "\\;");
        free(q);
}

static void test_from_argv(_unused_ void **state) {
        struct drs_cmdline c;
        char *t;
        char *argv[] = {"/usr/sbin/dockerd", "-H", "fd://", "$DOCKER_OPTS", "50%", NULL};
        char *flags[] = {"ignore-failure", NULL};

        cmdline_from_argv("/usr/sbin/dockerd", argv, flags, &c);
        t = cmdline_format(&c);
        assert_string_equal(t, "-/usr/sbin/dockerd -H fd:// $DOCKER_OPTS 50%%");
        free(t);
        assert_int_equal(cmdline_first_arg(&c), 1);
        cmdline_done(&c);

        char *argv2[] = {"dockerd-custom", "-D", NULL};
        cmdline_from_argv("/usr/bin/dockerd", argv2, NULL, &c);
        t = cmdline_format(&c);
        assert_string_equal(t, "@/usr/bin/dockerd dockerd-custom -D");
        assert_int_equal(cmdline_first_arg(&c), 2);
        free(t);
        cmdline_done(&c);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_debian_stock), cmocka_unit_test(test_quotes_and_escapes),
                cmocka_unit_test(test_prefixes),     cmocka_unit_test(test_errors),
                cmocka_unit_test(test_roundtrip),    cmocka_unit_test(test_quote),
                cmocka_unit_test(test_from_argv),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
