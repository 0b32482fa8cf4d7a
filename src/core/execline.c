/* execline.c: systemd's ExecStart= command line syntax: parse, edit as words, write back. */
#include "execline.h"

#include <errno.h>
#include <string.h>

#include "i18n.h"
#include "util.h"

#define WHITESPACE " \t\n\r"
#define PREFIX_CHARS "-@:+!"

/* Like systemd's cunescape_one(): decodes the escape after a backslash at p. Returns the number
 * of characters consumed, or -EINVAL for an unknown or invalid escape (and for NUL). */
static int unescape_one(const char *p, struct drs_buf *out) {
        static const char simple_from[] = "abfnrtv\\\"'s", simple_to[] = "\a\b\f\n\r\t\v\\\"' ";
        const char *k = *p ? strchr(simple_from, *p) : NULL;
        unsigned long cp = 0;
        int n = 0;

        if (k) {
                buf_append_c(out, simple_to[k - simple_from]);
                return 1;
        }
        switch (*p) {
        case 'x':
                n = 2;
                break;
        case 'u':
                n = 4;
                break;
        case 'U':
                n = 8;
                break;
        case '0' ... '7':
                for (int i = 0; i < 3; i++) {
                        if (p[i] < '0' || p[i] > '7')
                                return -EINVAL;
                        cp = cp * 8 + (unsigned long) (p[i] - '0');
                }
                if (cp == 0 || cp > 255)
                        return -EINVAL;
                buf_append_c(out, (char) cp);
                return 3;
        default:
                return -EINVAL;
        }
        for (int i = 1; i <= n; i++) {
                int v = unhexchar(p[i]);
                if (v < 0)
                        return -EINVAL;
                cp = cp * 16 + (unsigned long) v;
        }
        if (cp == 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
                return -EINVAL;
        if (n == 2)
                buf_append_c(out, (char) cp);
        else
                buf_append_utf8(out, (uint32_t) cp);
        return n + 1;
}

/* systemd's extract_first_word(EXTRACT_UNQUOTE|EXTRACT_CUNESCAPE[|EXTRACT_CUNESCAPE_RELAX]).
 * Returns 1 with a word, 0 at the end, or -EINVAL. */
static int extract_word(const char **p, bool relax, char **ret_value, char **ret_raw, const char **ret_reason) {
        struct drs_buf v = {0};
        const char *s = *p + strspn(*p, WHITESPACE), *start = s;
        char quote = 0;

        if (!*s) {
                *p = s;
                return 0;
        }
        buf_append(&v, "");
        for (; *s; s++) {
                if (*s == '\\') {
                        int r;
                        if (!s[1]) {
                                *ret_reason = _("a backslash at the end of the line");
                                goto fail;
                        }
                        r = unescape_one(s + 1, &v);
                        if (r < 0) {
                                if (!relax) {
                                        *ret_reason = _("an invalid backslash escape");
                                        goto fail;
                                }
                                buf_append_c(&v, '\\');
                                buf_append_c(&v, s[1]);
                                r = 1;
                        }
                        s += r;
                        continue;
                }
                if (quote) {
                        if (*s == quote)
                                quote = 0;
                        else
                                buf_append_c(&v, *s);
                        continue;
                }
                if (*s == '"' || *s == '\'') {
                        quote = *s;
                        continue;
                }
                if (strchr(WHITESPACE, *s))
                        break;
                buf_append_c(&v, *s);
        }
        if (quote) {
                *ret_reason = _("an unterminated quote");
                goto fail;
        }
        *ret_raw = xstrndup(start, (size_t) (s - start));
        *ret_value = buf_steal(&v);
        *p = s;
        return 1;
fail:
        buf_free(&v);
        return -EINVAL;
}

static void push_word(struct drs_cmdline *c, char *value, char *raw) {
        c->words = xrealloc(c->words, (c->n_words + 1) * sizeof(struct drs_word));
        c->words[c->n_words++] = (struct drs_word) {.value = value, .raw = raw};
}

int cmdline_parse(const char *text, struct drs_cmdline *ret, const char **ret_reason) {
        struct drs_cmdline c = {0};
        const char *p = text, *reason = NULL;
        char *value = NULL, *raw = NULL;
        size_t np;
        int r;

        r = extract_word(&p, false, &value, &raw, &reason);
        if (r == 0)
                return -ENODATA;
        if (r < 0)
                goto fail;
        np = strspn(value, PREFIX_CHARS);
        /* systemd takes a lone ";" (quoted or not) as a separator: never an executable. */
        if (streq(value + np, ";")) {
                reason = _("several commands separated by \";\"");
                free(value);
                free(raw);
                r = -E2BIG;
                goto fail;
        }
        if (!value[np]) {
                reason = _("an empty executable path");
                free(value);
                free(raw);
                r = -EINVAL;
                goto fail;
        }
        c.prefix = xstrndup(value, np);
        memmove(value, value + np, strlen(value + np) + 1);
        push_word(&c, value, raw);

        for (;;) {
                p += strspn(p, WHITESPACE);
                if (p[0] == '\\' && p[1] == ';' && (!p[2] || strchr(WHITESPACE, p[2]))) {
                        push_word(&c, xstrdup(";"), xstrdup("\\;"));
                        p += 2;
                        continue;
                }
                if (p[0] == ';' && (!p[1] || strchr(WHITESPACE, p[1]))) {
                        reason = _("several commands separated by \";\"");
                        r = -E2BIG;
                        goto fail;
                }
                r = extract_word(&p, true, &value, &raw, &reason);
                if (r < 0)
                        goto fail;
                if (r == 0)
                        break;
                push_word(&c, value, raw);
        }
        if (strchr(c.prefix, '@') && c.n_words < 2) {
                reason = _("'@' without an argv[0] after the path");
                r = -EINVAL;
                goto fail;
        }
        *ret = c;
        return 0;
fail:
        if (ret_reason)
                *ret_reason = reason;
        cmdline_done(&c);
        return r;
}

static const struct {
        const char *flag;
        const char *prefix;
} flag_prefixes[] = {
        {"ignore-failure", "-"}, {"no-env-expand", ":"}, {"privileged", "+"},
        {"no-setuid", "!"},      {"ambient", "!!"},
};

/* s with each of the characters in chars doubled: "%%" is a literal '%' to systemd's specifier
 * expansion, "$$" a literal '$' to its variable expansion of ExecStart= words. */
static char *escape_doubling(const char *s, const char *chars) {
        struct drs_buf b = {0};
        buf_append(&b, "");
        for (; *s; s++) {
                if (strchr(chars, *s))
                        buf_append_c(&b, *s);
                buf_append_c(&b, *s);
        }
        return buf_steal(&b);
}

static char *escape_percent(const char *s) {
        return escape_doubling(s, "%");
}

char *cmdline_value_from_literal(const char *literal) {
        return escape_doubling(literal, "%$");
}

void cmdline_from_argv(const char *path, char *const *argv, char *const *flags, struct drs_cmdline *ret) {
        struct drs_cmdline c = {0};
        struct drs_buf prefix = {0};
        bool at = argv && argv[0] && !streq(argv[0], path);

        buf_append(&prefix, at ? "@" : "");
        for (size_t i = 0; flags && flags[i]; i++)
                for (size_t j = 0; j < ELEMENTSOF(flag_prefixes); j++)
                        if (streq(flags[i], flag_prefixes[j].flag))
                                buf_append(&prefix, flag_prefixes[j].prefix);
        c.prefix = buf_steal(&prefix);
        push_word(&c, escape_percent(path), NULL);
        for (size_t i = at ? 0 : 1; argv && argv[i]; i++)
                push_word(&c, escape_percent(argv[i]), NULL);
        *ret = c;
}

static bool needs_quotes(const char *v) {
        if (!*v)
                return true;
        for (const char *p = v; *p; p++)
                if (strchr(WHITESPACE "\"'\\", *p) || (unsigned char) *p < 0x20 || *p == 0x7f)
                        return true;
        return false;
}

char *cmdline_quote(const char *value) {
        struct drs_buf b = {0};

        if (streq(value, ";"))
                return xstrdup("\\;");
        if (!needs_quotes(value))
                return xstrdup(value);
        buf_append_c(&b, '"');
        for (const char *p = value; *p; p++) {
                unsigned char ch = (unsigned char) *p;
                if (*p == '"' || *p == '\\') {
                        buf_append_c(&b, '\\');
                        buf_append_c(&b, *p);
                } else if (*p == '\n')
                        buf_append(&b, "\\n");
                else if (*p == '\t')
                        buf_append(&b, "\\t");
                else if (ch < 0x20 || ch == 0x7f)
                        buf_appendf(&b, "\\x%02x", ch);
                else
                        buf_append_c(&b, *p);
        }
        buf_append_c(&b, '"');
        return buf_steal(&b);
}

char *cmdline_format(const struct drs_cmdline *c) {
        struct drs_buf b = {0};

        for (size_t i = 0; i < c->n_words; i++) {
                const struct drs_word *w = &c->words[i];
                if (i > 0)
                        buf_append_c(&b, ' ');
                if (w->raw)
                        buf_append(&b, w->raw);
                else {
                        _cleanup_free_ char *q = cmdline_quote(w->value);
                        if (i == 0)
                                buf_append(&b, c->prefix);
                        buf_append(&b, q);
                }
        }
        return buf_steal(&b);
}

size_t cmdline_first_arg(const struct drs_cmdline *c) {
        size_t i = c->prefix && strchr(c->prefix, '@') ? 2 : 1;
        return i < c->n_words ? i : c->n_words;
}

bool cmdline_equal(const struct drs_cmdline *a, const struct drs_cmdline *b) {
        if (!streq_ptr(a->prefix, b->prefix) || a->n_words != b->n_words)
                return false;
        for (size_t i = 0; i < a->n_words; i++)
                if (!streq(a->words[i].value, b->words[i].value))
                        return false;
        return true;
}

void cmdline_append(struct drs_cmdline *c, const char *value) {
        push_word(c, xstrdup(value), NULL);
}

void cmdline_append_literal(struct drs_cmdline *c, const char *literal) {
        push_word(c, cmdline_value_from_literal(literal), NULL);
}

void cmdline_append_word(struct drs_cmdline *c, const struct drs_word *w) {
        push_word(c, xstrdup(w->value), w->raw ? xstrdup(w->raw) : NULL);
}

void cmdline_copy(const struct drs_cmdline *src, struct drs_cmdline *ret) {
        struct drs_cmdline c = {.prefix = xstrdup(src->prefix ? src->prefix : "")};
        for (size_t i = 0; i < src->n_words; i++)
                cmdline_append_word(&c, &src->words[i]);
        *ret = c;
}

void cmdline_done(struct drs_cmdline *c) {
        for (size_t i = 0; i < c->n_words; i++) {
                free(c->words[i].value);
                free(c->words[i].raw);
        }
        free(c->words);
        free(c->prefix);
        *c = (struct drs_cmdline) {0};
}
