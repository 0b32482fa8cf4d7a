/* test-dockerflags.c: unit tests of dockerd's options read as pflag reads them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dockerflags.h"
#include "util.h"

/* The -H values of a word list joined by "|". */
static char *hosts(char *const *words) {
        _cleanup_free_ const char **h = dockerflags_hosts(words);
        struct drs_buf b = {0};
        buf_append(&b, "");
        for (size_t i = 0; h[i]; i++)
                buf_appendf(&b, "%s%s", i ? "|" : "", h[i]);
        return buf_steal(&b);
}

#define EXPECT_HOSTS(expected, ...)                                        \
        do {                                                               \
                char *w_[] = {__VA_ARGS__, NULL};                          \
                _cleanup_free_ char *h_ = hosts(w_);                       \
                assert_string_equal(h_, expected);                         \
        } while (0)

/* Every spelling pflag accepts for -H (issue 16 item 3). */
static void test_spellings(_unused_ void **state) {
        EXPECT_HOSTS("tcp://a:1", "-H", "tcp://a:1");
        EXPECT_HOSTS("tcp://a:1", "-H=tcp://a:1");
        EXPECT_HOSTS("tcp://a:1", "-Htcp://a:1");
        EXPECT_HOSTS("tcp://a:1", "--host", "tcp://a:1");
        EXPECT_HOSTS("tcp://a:1", "--host=tcp://a:1");
        /* Grouped shorthands: -D takes no value, -H the next word or the rest. */
        EXPECT_HOSTS("tcp://0.0.0.0:2375", "-DH", "tcp://0.0.0.0:2375");
        EXPECT_HOSTS("tcp://0.0.0.0:2375", "-DHtcp://0.0.0.0:2375");
        EXPECT_HOSTS("fd://", "-DH=fd://");
        EXPECT_HOSTS("unix:///x", "-vDH", "unix:///x");
        /* A shorthand with a value ends the group: "-lH" is log level "H". */
        EXPECT_HOSTS("", "-lH", "tcp://a:1");
        EXPECT_HOSTS("", "-Gdocker", "tcp://a:1");
        /* Options with a value take the next word, whatever it is. */
        EXPECT_HOSTS("", "--label", "-H", "tcp://a:1");
        EXPECT_HOSTS("tcp://b:2", "--label=x", "-H", "tcp://b:2");
        EXPECT_HOSTS("tcp://b:2", "--data-root", "/d", "-H", "tcp://b:2");
        EXPECT_HOSTS("tcp://b:2", "--tlsverify", "-H", "tcp://b:2");
        /* "-D=false": a value for -D ends the group. */
        EXPECT_HOSTS("", "-D=H");
        /* No option after "--". */
        EXPECT_HOSTS("fd://", "-H", "fd://", "--", "-H", "tcp://a:1");
        /* A last -H without its value. */
        EXPECT_HOSTS("", "-H");
}

static void test_where(_unused_ void **state) {
        char *w[] = {"-DH", "tcp://a:1", NULL};
        struct dflag f = dockerflags_next(w, 2);
        assert_int_equal(f.kind, DFLAG_HOST);
        assert_int_equal(f.n_words, 2);
        assert_int_equal(f.keep_len, 2);
        assert_int_equal(f.value_word, 1);
        assert_int_equal(f.value_offset, 0);

        char *g[] = {"-DHfd://", NULL};
        f = dockerflags_next(g, 1);
        assert_int_equal(f.n_words, 1);
        assert_int_equal(f.value_word, 0);
        assert_int_equal(f.value_offset, 3);
        assert_string_equal(f.value, "fd://");

        char *l[] = {"--host=fd://", NULL};
        f = dockerflags_next(l, 1);
        assert_int_equal(f.value_offset, 7);
        assert_int_equal(f.keep_len, 0);

        char *t[] = {"--tlscacert", "/x", "--tls=false", NULL};
        f = dockerflags_next(t, 3);
        assert_int_equal(f.kind, DFLAG_TLS);
        assert_int_equal(f.n_words, 2);
        f = dockerflags_next(t + 2, 1);
        assert_int_equal(f.kind, DFLAG_TLS);
        assert_int_equal(f.n_words, 1);
}

/* "Does dockerd take its listeners from systemd": -H fd:// in any spelling. */
static void test_fd(_unused_ void **state) {
        char *a[] = {"-H", "fd://", NULL}, *b[] = {"-H=fd://", NULL}, *c[] = {"--host=fd://", NULL},
             *d[] = {"-DH", "fd://docker.socket", NULL}, *e[] = {"-Hfd://", NULL},
             *no1[] = {"--containerd", "fd://", NULL}, *no2[] = {"--", "-H", "fd://", NULL},
             *no3[] = {"-H", "unix:///run/docker.sock", NULL}, *no4[] = {"--label", "-Hfd://", NULL};
        assert_true(dockerflags_has_fd_host(a));
        assert_true(dockerflags_has_fd_host(b));
        assert_true(dockerflags_has_fd_host(c));
        assert_true(dockerflags_has_fd_host(d));
        assert_true(dockerflags_has_fd_host(e));
        assert_false(dockerflags_has_fd_host(no1));
        assert_false(dockerflags_has_fd_host(no2));
        assert_false(dockerflags_has_fd_host(no3));
        assert_true(dockerflags_has_local_host(no3));
        assert_false(dockerflags_has_fd_host(no4));
        assert_int_equal(dockerflags_end(no2, 3), 0);
        assert_int_equal(dockerflags_end(a, 2), 2);
}

/* An option that needs a value and ends the line without one. */
static void test_dangling(_unused_ void **state) {
        char *a[] = {"-H", "fd://", "--log-level", NULL}, *b[] = {"-Ds", NULL}, *c[] = {"-D", "--log-level=info", NULL},
             *d[] = {"--", "-s", NULL}, *e[] = {"-H", NULL};
        assert_string_equal(dockerflags_dangling(a), "--log-level");
        assert_string_equal(dockerflags_dangling(b), "-Ds");
        assert_null(dockerflags_dangling(c));
        assert_null(dockerflags_dangling(d));
        assert_string_equal(dockerflags_dangling(e), "-H");
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_dangling),
                cmocka_unit_test(test_spellings),
                cmocka_unit_test(test_where),
                cmocka_unit_test(test_fd),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
