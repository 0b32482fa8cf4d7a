/* util.h: allocation that never returns NULL, growable text buffers and string vectors. */
#pragma once

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "macro.h"

/* Allocation failures end the process: a half-built plan is worse than no plan. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) _printf_(1, 2);

/* A growable, always NUL-terminated text buffer. */
struct drs_buf {
        char *data;
        size_t len;
        size_t cap;
};

void buf_append(struct drs_buf *b, const char *s);
void buf_append_n(struct drs_buf *b, const char *s, size_t n);
void buf_append_c(struct drs_buf *b, char c);
void buf_appendf(struct drs_buf *b, const char *fmt, ...) _printf_(2, 3);
void buf_vappendf(struct drs_buf *b, const char *fmt, va_list ap) _printf_(2, 0);
/* Returns the text (never NULL, "" when empty) and leaves the buffer empty; caller frees. */
char *buf_steal(struct drs_buf *b);
void buf_free(struct drs_buf *b);

/* NULL-terminated string vectors; every element owned by the vector. */
size_t strv_length(char *const *v);
void strv_free(char **v);
char **strv_copy(char *const *v);
/* Appends a copy of s; *v may be NULL. */
void strv_push(char ***v, const char *s);
/* Appends s itself (takes ownership). */
void strv_consume(char ***v, char *s);
bool strv_equal(char *const *a, char *const *b);
bool strv_contains(char *const *v, const char *s);
/* Removes (and frees) every element equal to s. */
void strv_remove(char **v, const char *s);
static inline void strv_freep(char ***v) {
        strv_free(*v);
}
#define _cleanup_strv_free_ _cleanup_(strv_freep)

bool startswith(const char *s, const char *prefix);
bool endswith(const char *s, const char *suffix);
/* Splits text into lines without their terminating '\n'; the last line is kept only if not empty. */
char **strv_split_lines(const char *text);

/* The value of a hex digit, or -1. */
int unhexchar(char c);
/* Appends code point cp as UTF-8 (invalid ones, NUL and surrogates, as U+FFFD). */
void buf_append_utf8(struct drs_buf *b, uint32_t cp);

/* Display width of UTF-8 text in terminal columns (wcwidth; CJK counts 2). Invalid bytes count 1. */
size_t utf8_width(const char *s);
/* The length in bytes of the longest start of s that fits in width display columns; its columns
 * in *ret_cols (may be NULL). */
size_t utf8_prefix(const char *s, size_t width, size_t *ret_cols);
/* Appends s padded with spaces to width columns (no padding when already wider). */
void buf_append_padded(struct drs_buf *b, const char *s, size_t width);
/* Splits s into lines of at most width display columns, breaking at spaces or between CJK
 * characters where it can; continuation lines start with indent spaces. Always at least one
 * line. Caller frees. */
char **utf8_wrap(const char *s, size_t width, size_t indent);
