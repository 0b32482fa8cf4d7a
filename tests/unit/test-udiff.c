/* test-udiff.c: unit tests of the unified diff: GNU diff's output byte for byte, and patches that apply. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "udiff.h"
#include "util.h"

struct diff_case {
        const char *name;
        unsigned context;
        const char *old;
        const char *new;
        const char *expected;
};

#include "udiff-cases.h"

static size_t line_len(const char *s) {
        const char *nl = strchr(s, '\n');
        return nl ? (size_t) (nl - s) + 1 : strlen(s);
}

/* Applies a unified diff to old (NULL: absent) like patch(1) would, checking every context
 * and removed line and every hunk header. Returns the new text, or NULL when the diff is
 * malformed or does not fit. */
static char *apply(const char *old, const char *diff) {
        struct drs_buf out = {0};
        const char *o = old ? old : "", *d = diff;
        long oline = 0, nline = 0;

        if (!*d)
                return xstrdup(o);
        if (!startswith(d, "--- "))
                goto fail;
        d += line_len(d);
        if (!startswith(d, "+++ "))
                goto fail;
        d += line_len(d);

        while (*d) {
                long a, b = 1, c, e = 1, seen_old = 0, seen_new = 0;
                char prev = 0;

                if (sscanf(d, "@@ -%ld,%ld +%ld,%ld @@", &a, &b, &c, &e) != 4 &&
                    sscanf(d, "@@ -%ld +%ld,%ld @@", &a, &c, &e) != 3 &&
                    sscanf(d, "@@ -%ld,%ld +%ld @@", &a, &b, &c) != 3 && sscanf(d, "@@ -%ld +%ld @@", &a, &c) != 2)
                        goto fail;
                d += line_len(d);
                for (long start = b == 0 ? a : a - 1; oline < start; oline++, nline++) {
                        if (!*o)
                                goto fail;
                        buf_append_n(&out, o, line_len(o));
                        o += line_len(o);
                }
                if ((b == 0 ? a : a - 1) != oline || (e == 0 ? c : c - 1) != nline)
                        goto fail;

                while (*d && !startswith(d, "@@ ")) {
                        size_t n = line_len(d);
                        char kind = d[0];

                        if (d[n - 1] != '\n')
                                goto fail;
                        if (kind == ' ' || kind == '-') {
                                size_t on = line_len(o);
                                bool old_has_nl = on > 0 && o[on - 1] == '\n';
                                if (!*o || on - old_has_nl != n - 2 || memcmp(o, d + 1, n - 2) != 0 ||
                                    old_has_nl == startswith(d + n, "\\"))
                                        goto fail;
                                o += on;
                                oline++;
                                seen_old++;
                        }
                        if (kind == ' ' || kind == '+') {
                                buf_append_n(&out, d + 1, n - 1);
                                nline++;
                                seen_new++;
                        }
                        if (kind == '\\') {
                                if (!startswith(d, "\\ No newline at end of file\n"))
                                        goto fail;
                                if (prev == ' ' || prev == '+')
                                        out.data[--out.len] = '\0';
                                else if (prev != '-')
                                        goto fail;
                        } else if (kind != ' ' && kind != '-' && kind != '+')
                                goto fail;
                        prev = kind;
                        d += n;
                }
                if (seen_old != b || seen_new != e)
                        goto fail;
        }
        buf_append(&out, o);
        return buf_steal(&out);
fail:
        buf_free(&out);
        return NULL;
}

static void check_applies(const char *old, const char *new, unsigned context) {
        _cleanup_free_ char *d = udiff("old", old, "new", new, context);
        _cleanup_free_ char *r = apply(old, d);

        if (!r || strcmp(r, new ? new : "") != 0)
                print_message("diff that does not apply (context %u):\n%s", context, d);
        assert_non_null(r);
        assert_string_equal(r, new ? new : "");
        assert_true((*d == '\0') == streq(old ? old : "", new ? new : ""));
}

static void test_gnu_cases(_unused_ void **state) {
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_free_ char *d = udiff("old", cases[i].old, "new", cases[i].new, cases[i].context);

                if (strcmp(d, cases[i].expected) != 0)
                        print_message("case %s differs from GNU diff\n", cases[i].name);
                assert_string_equal(d, cases[i].expected);
                check_applies(cases[i].old, cases[i].new, cases[i].context);
        }
}

static void test_applier_rejects(_unused_ void **state) {
        char *r;

        /* The applier must catch what it is there to catch. */
        r = apply("a\nb\n", "--- old\n+++ new\n@@ -1,2 +1,2 @@\n a\n-x\n+c\n");
        assert_null(r);
        r = apply("a\nb\n", "--- old\n+++ new\n@@ -1,2 +1,3 @@\n a\n-b\n+c\n");
        assert_null(r);
        r = apply("a\nb", "--- old\n+++ new\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n");
        assert_null(r);
        r = apply("a\nb\n", "--- old\n+++ new\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n");
        assert_string_equal(r, "a\nc\n");
        free(r);
}

static uint32_t rnd(uint32_t *seed) {
        /* xorshift32: deterministic, and its low bits are as random as its high ones */
        *seed ^= *seed << 13;
        *seed ^= *seed >> 17;
        *seed ^= *seed << 5;
        return *seed;
}

/* n lines drawn from `alphabet` values, sometimes without the final newline. */
static char *random_text(uint32_t *seed, unsigned n, unsigned alphabet) {
        struct drs_buf b = {0};

        for (unsigned i = 0; i < n; i++)
                buf_appendf(&b, "%u\n", rnd(seed) % alphabet);
        if (b.len > 0 && rnd(seed) % 5 == 0)
                b.data[--b.len] = '\0';
        return buf_steal(&b);
}

/* A random edit of text: lines dropped, replaced and inserted here and there. */
static char *random_edit(uint32_t *seed, const char *text, unsigned alphabet) {
        _cleanup_strv_free_ char **lines = strv_split_lines(text);
        struct drs_buf b = {0};

        for (size_t i = 0; lines[i]; i++) {
                unsigned r = rnd(seed) % 10;
                if (r == 0)
                        continue;
                if (r == 1)
                        buf_appendf(&b, "%u\n", rnd(seed) % (alphabet * 2));
                if (r == 2)
                        buf_appendf(&b, "%s\n", lines[i]);
                buf_appendf(&b, "%s\n", lines[i]);
        }
        if (b.len > 0 && rnd(seed) % 5 == 0)
                b.data[--b.len] = '\0';
        return buf_steal(&b);
}

static void test_random_pairs_apply(_unused_ void **state) {
        uint32_t seed = 42;

        for (unsigned it = 0; it < 3000; it++) {
                unsigned alphabet = 2 + rnd(&seed) % 12, n = rnd(&seed) % 40;
                _cleanup_free_ char *a = random_text(&seed, n, alphabet);
                _cleanup_free_ char *b = rnd(&seed) % 3 ? random_edit(&seed, a, alphabet)
                                                        : random_text(&seed, rnd(&seed) % 40, alphabet);
                unsigned context = rnd(&seed) % 5;

                check_applies(a, b, context);
                check_applies(b, a, context);
        }
        check_applies(NULL, "x\n", 3);
        check_applies("x\ny", NULL, 3);
}

/* 3000 lines with a change, a deletion and an insertion every 100 lines: every site is its
 * own hunk, and the diff is minimal (only the edited lines appear as - and +). */
static void test_large_scattered(_unused_ void **state) {
        struct drs_buf a = {0}, b = {0};
        unsigned sites = 0, minus = 0, plus = 0, hunks = 0;

        for (unsigned i = 1; i <= 3000; i++) {
                buf_appendf(&a, "line %u\n", i);
                switch (i % 100) {
                case 10:
                        buf_appendf(&b, "line %u changed\n", i);
                        sites++;
                        break;
                case 40:
                        sites++; /* deleted */
                        break;
                case 70:
                        buf_appendf(&b, "line %u\ninserted after %u\n", i, i);
                        sites++;
                        break;
                default:
                        buf_appendf(&b, "line %u\n", i);
                }
        }
        _cleanup_free_ char *old = buf_steal(&a), *new = buf_steal(&b);
        _cleanup_free_ char *d = udiff("old", old, "new", new, 3);
        _cleanup_strv_free_ char **lines = strv_split_lines(d);

        for (size_t i = 2; lines[i]; i++) {
                hunks += startswith(lines[i], "@@ ");
                minus += lines[i][0] == '-';
                plus += lines[i][0] == '+';
        }
        assert_int_equal(hunks, sites);
        assert_int_equal(minus, 30 + 30);
        assert_int_equal(plus, 30 + 30);
        assert_true(startswith(lines[2], "@@ -7,7 +7,7 @@"));
        check_applies(old, new, 3);
        check_applies(new, old, 0);
}

/* Files with nothing in common in the right order: the worst case for the search, still
 * quick and correct; large enough to take the bounded-cost path too. */
static void test_large_dissimilar(_unused_ void **state) {
        uint32_t seed = 7;
        _cleanup_free_ char *a = random_text(&seed, 3000, 10), *b = random_text(&seed, 3000, 10);
        _cleanup_free_ char *c = random_text(&seed, 12000, 4), *d = random_text(&seed, 12000, 4);

        check_applies(a, b, 3);
        check_applies(c, d, 2);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_gnu_cases),          cmocka_unit_test(test_applier_rejects),
                cmocka_unit_test(test_random_pairs_apply), cmocka_unit_test(test_large_scattered),
                cmocka_unit_test(test_large_dissimilar),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
