/* util.c: allocation, text buffers and string vectors used by every module. */
#include "util.h"

#include <stdio.h>
#include <string.h>
#include <wchar.h>

static void _noreturn_ oom(void) {
        fputs("docker-remote-setup: out of memory\n", stderr);
        abort();
}

void *xmalloc(size_t n) {
        void *p = malloc(n ? n : 1);
        if (!p)
                oom();
        return p;
}

void *xcalloc(size_t n, size_t size) {
        void *p = calloc(n ? n : 1, size ? size : 1);
        if (!p)
                oom();
        return p;
}

void *xrealloc(void *p, size_t n) {
        p = realloc(p, n ? n : 1);
        if (!p)
                oom();
        return p;
}

char *xstrdup(const char *s) {
        char *p = strdup(s);
        if (!p)
                oom();
        return p;
}

char *xstrndup(const char *s, size_t n) {
        char *p = strndup(s, n);
        if (!p)
                oom();
        return p;
}

char *xasprintf(const char *fmt, ...) {
        va_list ap;
        char *p;

        va_start(ap, fmt);
        if (vasprintf(&p, fmt, ap) < 0)
                oom();
        va_end(ap);
        return p;
}

static void buf_reserve(struct drs_buf *b, size_t extra) {
        if (b->len + extra + 1 <= b->cap)
                return;
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + extra + 1)
                cap *= 2;
        b->data = xrealloc(b->data, cap);
        b->cap = cap;
}

void buf_append_n(struct drs_buf *b, const char *s, size_t n) {
        buf_reserve(b, n);
        memcpy(b->data + b->len, s, n);
        b->len += n;
        b->data[b->len] = '\0';
}

void buf_append(struct drs_buf *b, const char *s) {
        buf_append_n(b, s, strlen(s));
}

void buf_append_c(struct drs_buf *b, char c) {
        buf_append_n(b, &c, 1);
}

void buf_vappendf(struct drs_buf *b, const char *fmt, va_list ap) {
        va_list aq;
        va_copy(aq, ap);
        int n = vsnprintf(NULL, 0, fmt, aq);
        va_end(aq);
        if (n < 0)
                return;
        buf_reserve(b, (size_t) n);
        vsnprintf(b->data + b->len, (size_t) n + 1, fmt, ap);
        b->len += (size_t) n;
}

void buf_appendf(struct drs_buf *b, const char *fmt, ...) {
        va_list ap;
        va_start(ap, fmt);
        buf_vappendf(b, fmt, ap);
        va_end(ap);
}

char *buf_steal(struct drs_buf *b) {
        char *p = b->data ? b->data : xstrdup("");
        *b = (struct drs_buf) {0};
        return p;
}

void buf_free(struct drs_buf *b) {
        free(b->data);
        *b = (struct drs_buf) {0};
}

size_t strv_length(char *const *v) {
        size_t n = 0;
        while (v && v[n])
                n++;
        return n;
}

void strv_free(char **v) {
        for (size_t i = 0; v && v[i]; i++)
                free(v[i]);
        free(v);
}

char **strv_copy(char *const *v) {
        size_t n = strv_length(v);
        char **r = xcalloc(n + 1, sizeof(char *));
        for (size_t i = 0; i < n; i++)
                r[i] = xstrdup(v[i]);
        return r;
}

void strv_consume(char ***v, char *s) {
        size_t n = strv_length(*v);
        *v = xrealloc(*v, (n + 2) * sizeof(char *));
        (*v)[n] = s;
        (*v)[n + 1] = NULL;
}

void strv_push(char ***v, const char *s) {
        strv_consume(v, xstrdup(s));
}

bool strv_equal(char *const *a, char *const *b) {
        size_t n = strv_length(a);
        if (n != strv_length(b))
                return false;
        for (size_t i = 0; i < n; i++)
                if (strcmp(a[i], b[i]) != 0)
                        return false;
        return true;
}

bool strv_contains(char *const *v, const char *s) {
        for (size_t i = 0; v && v[i]; i++)
                if (strcmp(v[i], s) == 0)
                        return true;
        return false;
}

void strv_remove(char **v, const char *s) {
        size_t w = 0;
        for (size_t i = 0; v && v[i]; i++) {
                if (streq(v[i], s))
                        free(v[i]);
                else
                        v[w++] = v[i];
        }
        if (v)
                v[w] = NULL;
}

bool startswith(const char *s, const char *prefix) {
        return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool endswith(const char *s, const char *suffix) {
        size_t a = strlen(s), b = strlen(suffix);
        return a >= b && memcmp(s + a - b, suffix, b) == 0;
}

char **strv_split_lines(const char *text) {
        char **v = xcalloc(1, sizeof(char *));
        const char *p = text;
        while (*p) {
                const char *nl = strchr(p, '\n');
                size_t n = nl ? (size_t) (nl - p) : strlen(p);
                strv_consume(&v, xstrndup(p, n));
                p += n + (nl ? 1 : 0);
        }
        return v;
}

size_t utf8_width(const char *s) {
        mbstate_t st = {0};
        size_t w = 0, len = strlen(s);

        while (len > 0) {
                wchar_t wc;
                size_t n = mbrtowc(&wc, s, len, &st);
                if (n == (size_t) -1 || n == (size_t) -2 || n == 0) {
                        memset(&st, 0, sizeof(st));
                        n = 1;
                        w++;
                } else {
                        int cw = wcwidth(wc);
                        w += cw > 0 ? (size_t) cw : 0;
                }
                s += n;
                len -= n;
        }
        return w;
}

size_t utf8_prefix(const char *s, size_t width, size_t *ret_cols) {
        mbstate_t st = {0};
        size_t used = 0, cols = 0, len = strlen(s);

        while (used < len) {
                wchar_t wc;
                size_t n = mbrtowc(&wc, s + used, len - used, &st);
                size_t w = 1;
                if (n == (size_t) -1 || n == (size_t) -2 || n == 0) {
                        memset(&st, 0, sizeof(st));
                        n = 1;
                } else
                        w = wcwidth(wc) < 0 ? 1 : (size_t) wcwidth(wc);
                if (cols + w > width)
                        break;
                cols += w;
                used += n;
        }
        if (ret_cols)
                *ret_cols = cols;
        return used;
}

void buf_append_padded(struct drs_buf *b, const char *s, size_t width) {
        size_t w = utf8_width(s);
        buf_append(b, s);
        for (; w < width; w++)
                buf_append_c(b, ' ');
}

int unhexchar(char c) {
        if (c >= '0' && c <= '9')
                return c - '0';
        if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
                return c - 'A' + 10;
        return -1;
}

void buf_append_utf8(struct drs_buf *b, uint32_t cp) {
        if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
                cp = 0xFFFD;
        if (cp < 0x80)
                buf_append_c(b, (char) cp);
        else if (cp < 0x800) {
                buf_append_c(b, (char) (0xC0 | (cp >> 6)));
                buf_append_c(b, (char) (0x80 | (cp & 0x3F)));
        } else if (cp < 0x10000) {
                buf_append_c(b, (char) (0xE0 | (cp >> 12)));
                buf_append_c(b, (char) (0x80 | ((cp >> 6) & 0x3F)));
                buf_append_c(b, (char) (0x80 | (cp & 0x3F)));
        } else {
                buf_append_c(b, (char) (0xF0 | (cp >> 18)));
                buf_append_c(b, (char) (0x80 | ((cp >> 12) & 0x3F)));
                buf_append_c(b, (char) (0x80 | ((cp >> 6) & 0x3F)));
                buf_append_c(b, (char) (0x80 | (cp & 0x3F)));
        }
}

/* Bytes of s (at most len) that fit in width columns; *ret_cols gets their width. */
static size_t utf8_fit(const char *s, size_t len, size_t width, size_t *ret_cols) {
        mbstate_t st = {0};
        size_t used = 0, cols = 0;

        while (used < len) {
                wchar_t wc;
                size_t n = mbrtowc(&wc, s + used, len - used, &st);
                size_t w;
                if (n == (size_t) -1 || n == (size_t) -2 || n == 0) {
                        memset(&st, 0, sizeof(st));
                        n = 1;
                        w = 1;
                } else
                        w = wcwidth(wc) > 0 ? (size_t) wcwidth(wc) : 0;
                if (cols + w > width)
                        break;
                cols += w;
                used += n;
        }
        *ret_cols = cols;
        return used;
}

/* CJK punctuation that may not start a line (closing) or end one (opening). */
static bool cjk_closing(wchar_t c) {
        return c == 0xFF0C || c == 0x3002 || c == 0x3001 || c == 0xFF1A || c == 0xFF1B || c == 0xFF01 ||
               c == 0xFF1F || c == 0xFF09 || c == 0x300D || c == 0x300F || c == 0x3011 || c == 0x300B;
}

static bool cjk_opening(wchar_t c) {
        return c == 0xFF08 || c == 0x300C || c == 0x300E || c == 0x3010 || c == 0x300A;
}

/* Whether a word starting with a, b, c (after an opening bracket, if any) is a command-line option
 * such as -H or --tls: it stays on one line with the word after it, its value ("-H fd://"). */
static bool option_word(wchar_t a, wchar_t b, wchar_t c) {
        if (a == L'(' || a == L'"' || cjk_opening(a)) {
                a = b;
                b = c;
        }
        return a == L'-' && ((b >= L'a' && b <= L'z') || (b >= L'A' && b <= L'Z') || b == L'-');
}

/* The last place within the first n bytes of s (len in all) where a line may end: after a space
 * (not between an option and its value), or next to a wide (CJK) character, which has no spaces
 * to break at. 0 when there is none. */
static size_t utf8_last_break(const char *s, size_t n, size_t len) {
        mbstate_t st = {0};
        size_t used = 0, best = 0, in_word = 0;
        wchar_t prev = 0, head[3] = {0};
        bool after_option = false;

        while (used < len) {
                wchar_t wc;
                size_t k = mbrtowc(&wc, s + used, len - used, &st);
                if (k == (size_t) -1 || k == (size_t) -2 || k == 0) {
                        memset(&st, 0, sizeof(st));
                        k = 1;
                        wc = (unsigned char) s[used];
                }
                if (wc == L' ' && prev != L' ' && used > 0)
                        after_option = option_word(head[0], head[1], head[2]);
                in_word = wc == L' ' ? 0 : in_word + 1;
                if (in_word == 1)
                        head[1] = head[2] = 0;
                if (in_word >= 1 && in_word <= 3)
                        head[in_word - 1] = wc;
                if (used > 0 && ((prev == L' ' && !(after_option && wc != L' ')) ||
                                 ((wcwidth(prev) > 1 || wcwidth(wc) > 1) && wc != L' ' && !cjk_closing(wc) &&
                                  !cjk_opening(prev))))
                        best = used;
                if (used >= n)
                        break;
                prev = wc;
                used += k;
        }
        return best;
}

char **utf8_wrap(const char *s, size_t width, size_t indent) {
        char **v = xcalloc(1, sizeof(char *));
        size_t len = strlen(s), pos = 0, cols;
        bool first = true;

        if (indent + 10 > width)
                indent = 0;
        do {
                size_t avail = first ? width : width - indent, n = utf8_fit(s + pos, len - pos, avail, &cols);
                if (pos + n < len) {
                        /* Break at the last place that fits, if any. */
                        size_t k = utf8_last_break(s + pos, n, len - pos);
                        if (k > 0)
                                n = k;
                        if (n == 0)
                                n = 1;
                }
                struct drs_buf b = {0};
                if (!first)
                        for (size_t i = 0; i < indent; i++)
                                buf_append_c(&b, ' ');
                buf_append_n(&b, s + pos, n);
                while (b.len > 0 && b.data[b.len - 1] == ' ' && pos + n < len)
                        b.data[--b.len] = '\0';
                strv_consume(&v, buf_steal(&b));
                pos += n;
                while (!first && pos < len && s[pos] == ' ')
                        pos++;
                first = false;
                while (pos < len && s[pos] == ' ' && pos > 0 && s[pos - 1] == ' ')
                        pos++;
        } while (pos < len);
        return v;
}
