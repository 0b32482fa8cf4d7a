/* fuzz-udiff.c: libFuzzer target for the unified diff: the diff of two texts, applied to the first, gives the second. */
#include <stdbool.h>

#include "fuzz.h"
#include "udiff.h"
#include "util.h"

/* The lines of text, each with its '\n' if it has one (NULL-terminated). */
static char **lines_of(const char *text) {
        size_t count = 0, k = 0;
        char **v;

        for (const char *p = text; *p; p++)
                count += *p == '\n';
        v = xcalloc(count + 2, sizeof(char *));
        for (const char *p = text; *p;) {
                const char *nl = strchr(p, '\n');
                size_t n = nl ? (size_t) (nl - p) + 1 : strlen(p);
                v[k++] = xstrndup(p, n);
                p += n;
        }
        return v;
}

/* Applies diff (as udiff() writes it) to old; aborts on anything that does not fit. */
static char *apply(const char *old, const char *diff) {
        _cleanup_strv_free_ char **o = lines_of(old), **d = lines_of(diff);
        struct drs_buf b = {0};
        size_t next = 0, n = strv_length(o), i = 2; /* next old line to copy, from 0 */

        buf_append(&b, "");
        FUZZ_CHECK(strv_length(d) >= 3 && startswith(d[0], "--- ") && startswith(d[1], "+++ "));
        while (d[i]) {
                unsigned long os, ol = 1, ns, nl = 1;
                char *e;
                FUZZ_CHECK(startswith(d[i], "@@ -"));
                os = strtoul(d[i] + 4, &e, 10);
                if (*e == ',')
                        ol = strtoul(e + 1, &e, 10);
                FUZZ_CHECK(startswith(e, " +"));
                ns = strtoul(e + 2, &e, 10);
                if (*e == ',')
                        nl = strtoul(e + 1, &e, 10);
                FUZZ_CHECK(streq(e, " @@\n"));
                (void) ns;
                /* "-0,0": the hunk inserts before line 1; "-5,0": after line 5. */
                size_t start = ol == 0 ? os : os - 1;
                FUZZ_CHECK(start >= next && start <= n);
                for (; next < start; next++)
                        buf_append(&b, o[next]);
                unsigned long seen_old = 0, seen_new = 0;
                for (i++; d[i] && !startswith(d[i], "@@ "); i++) {
                        char *line = d[i] + 1;
                        bool no_nl = d[i + 1] && startswith(d[i + 1], "\\ No newline at end of file");
                        _cleanup_free_ char *want = no_nl ? xstrndup(line, strlen(line) - 1) : xstrdup(line);
                        FUZZ_CHECK(d[i][0] == ' ' || d[i][0] == '-' || d[i][0] == '+');
                        if (d[i][0] != '+') {
                                FUZZ_CHECK(next < n && streq(o[next], want));
                                next++;
                                seen_old++;
                        }
                        if (d[i][0] != '-') {
                                buf_append(&b, want);
                                seen_new++;
                        }
                        if (no_nl)
                                i++;
                }
                FUZZ_CHECK(seen_old == ol && seen_new == nl);
        }
        for (; next < n; next++)
                buf_append(&b, o[next]);
        return buf_steal(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        const char *t[2];
        _cleanup_free_ _unused_ char *mem = fuzz_split(data, size, t, 2);
        _cleanup_free_ char *d = NULL, *back = NULL;
        /* A leading "\x01" makes the old text absent, "\x02" the new one. */
        bool old_absent = t[0][0] == '\x01', new_absent = t[0][0] == '\x02';
        const char *old = old_absent ? NULL : t[0], *new = new_absent ? NULL : t[1];

        d = udiff("a/file", old, "b/file", new, size % 5);
        FUZZ_CHECK(d);
        if (streq(old ? old : "", new ? new : "")) {
                FUZZ_CHECK(!*d || (!old) != (!new));
                return 0;
        }
        FUZZ_CHECK(*d);
        back = apply(old ? old : "", d);
        if (!streq(back, new ? new : ""))
                fprintf(stderr, "---- diff:\n%s---- applied:\n%s----\n", d, back);
        FUZZ_CHECK(streq(back, new ? new : ""));
        return 0;
}
