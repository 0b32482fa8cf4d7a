/* fixture.h: what the unit tests share: the text of a file of tests/fixtures, and files in a
 * temporary root of their own. Include after <cmocka.h>. */
#pragma once

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

/* The text of tests/fixtures/REL (under $top_srcdir, which `make check` sets). */
static inline char *fixture_text(const char *rel) {
        const char *top = getenv("top_srcdir");
        _cleanup_free_ char *path = xasprintf("%s/tests/fixtures/%s", top ? top : ".", rel);
        struct drs_buf b = {0};
        char chunk[4096];
        size_t n;
        FILE *f = fopen(path, "re");

        assert_non_null(f);
        while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
                buf_append_n(&b, chunk, n);
        fclose(f);
        return b.data ? b.data : xstrdup("");
}

/* Makes a temporary root /tmp/drs-NAME.XXXXXX of the test's own into root (size bytes). */
static inline void tree_make(char *root, size_t size, const char *name) {
        snprintf(root, size, "/tmp/drs-%s.XXXXXX", name);
        assert_non_null(mkdtemp(root));
}

/* Writes root/REL (REL absolute), making its directories (0755), with the given mode. */
static inline void tree_put(const char *root, const char *rel, const char *text, mode_t mode) {
        _cleanup_free_ char *p = xasprintf("%s%s", root, rel);
        for (char *s = strchr(p + strlen(root) + 1, '/'); s; s = strchr(s + 1, '/')) {
                *s = '\0';
                (void) mkdir(p, 0755);
                *s = '/';
        }
        FILE *f = fopen(p, "we");
        assert_non_null(f);
        fputs(text, f);
        assert_int_equal(fclose(f), 0);
        assert_int_equal(chmod(p, mode), 0);
}

static inline int tree_remove_one(const char *path, const struct stat *st, int type, struct FTW *f) {
        (void) st, (void) type, (void) f;
        return remove(path);
}

/* Removes a test's own mkdtemp() directory and everything in it (symlinks not followed). */
static inline void tree_remove(const char *root) {
        assert_int_equal(nftw(root, tree_remove_one, 16, FTW_DEPTH | FTW_PHYS), 0);
}

/* Closes the root's descriptor (when open) and removes the root. */
static inline void tree_done(int rootfd, const char *root) {
        if (rootfd >= 0)
                close(rootfd);
        tree_remove(root);
}
