/* test-util.c: unit tests of display-width measuring and wrapping (ASCII and CJK text). */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util.h"

/* Wraps s and checks the lines against the NULL-terminated expected ones, and their widths. */
static void check_wrap(const char *s, size_t width, size_t indent, const char *const *expected) {
        char **v = utf8_wrap(s, width, indent);
        size_t i;
        for (i = 0; expected[i]; i++) {
                assert_non_null(v[i]);
                assert_string_equal(v[i], expected[i]);
                assert_true(utf8_width(v[i]) <= width);
        }
        assert_null(v[i]);
        strv_free(v);
}

static void test_width(_unused_ void **state) {
        assert_int_equal(utf8_width(""), 0);
        assert_int_equal(utf8_width("abc"), 3);
        assert_int_equal(utf8_width("网卡"), 4);
        assert_int_equal(utf8_width("TCP 监听："), 10);
}

static void test_wrap_ascii(_unused_ void **state) {
        check_wrap("", 10, 0, (const char *const[]) {"", NULL});
        check_wrap("short", 10, 0, (const char *const[]) {"short", NULL});
        check_wrap("one two three four", 9, 0, (const char *const[]) {"one two", "three", "four", NULL});
        check_wrap("abcdefghijkl", 5, 0, (const char *const[]) {"abcde", "fghij", "kl", NULL});
        check_wrap("label   value that wraps here", 20, 8,
                   (const char *const[]) {"label   value that", "        wraps here", NULL});
        /* An option stays with its value: "(-H" and "fd://)" are not split across lines. */
        check_wrap("takes them from it (-H fd://)", 24, 2,
                   (const char *const[]) {"takes them from it", "  (-H fd://)", NULL});
        check_wrap("use --method dropin now", 15, 0, (const char *const[]) {"use", "--method dropin", "now", NULL});
        check_wrap("a -> b c", 5, 0, (const char *const[]) {"a ->", "b c", NULL});
}

static void test_wrap_cjk(_unused_ void **state) {
        /* No spaces: broken between characters, each line within the width. */
        check_wrap("选择监听的地址默认预选私有网卡", 10, 0,
                   (const char *const[]) {"选择监听的", "地址默认预", "选私有网卡", NULL});
        /* Not before closing punctuation: "，" stays with the character before it. */
        check_wrap("一二三四，五六", 8, 0, (const char *const[]) {"一二三", "四，五六", NULL});
        /* Not after opening punctuation. */
        check_wrap("一二三（四五）", 8, 0, (const char *const[]) {"一二三", "（四五）", NULL});
        /* Mixed: breaks next to CJK characters too, never leaving a space at a line start. */
        check_wrap("重启 docker.service 并验证新的监听地址", 24, 0,
                   (const char *const[]) {"重启 docker.service 并验", "证新的监听地址", NULL});
        check_wrap("证书 abcdefgh", 8, 0, (const char *const[]) {"证书", "abcdefgh", NULL});
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_width),
                cmocka_unit_test(test_wrap_ascii),
                cmocka_unit_test(test_wrap_cjk),
        };
        if (!setlocale(LC_ALL, "C.UTF-8"))
                return 77;
        return cmocka_run_group_tests(tests, NULL, NULL);
}
