/* fuzz.h: what the libFuzzer targets share: the input as text (or NUL-separated texts) and checks that abort. */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A property that must hold: a failure aborts, and libFuzzer saves the input. */
#define FUZZ_CHECK(cond)                                                                           \
        do {                                                                                       \
                if (!(cond)) {                                                                     \
                        fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__, #cond); \
                        abort();                                                                   \
                }                                                                                  \
        } while (0)

/* The input as NUL-terminated text, or NULL when it holds a NUL byte (the program never hands
 * such a file to a parser: rootfs_read refuses it). Caller frees. */
static inline char *fuzz_text(const uint8_t *data, size_t size) {
        char *t;
        if (memchr(data, '\0', size))
                return NULL;
        t = malloc(size + 1);
        if (!t)
                abort();
        memcpy(t, data, size);
        t[size] = '\0';
        return t;
}

/* Splits the input at NUL bytes into at most n texts (missing ones are ""); the texts point into
 * one allocation, returned for freeing. */
static inline char *fuzz_split(const uint8_t *data, size_t size, const char **ret, size_t n) {
        char *copy = malloc(size + 1), *p;
        if (!copy)
                abort();
        memcpy(copy, data, size);
        copy[size] = '\0';
        p = copy;
        for (size_t i = 0; i < n; i++) {
                ret[i] = p;
                if (p < copy + size) {
                        p += strlen(p);
                        if (p < copy + size && i + 1 < n)
                                p++;
                }
        }
        return copy;
}
