/* envfile.c: environment files such as /etc/default/docker, read as systemd reads them. */
#include "envfile.h"

#include <errno.h>
#include <string.h>

#include "i18n.h"
#include "util.h"

#define WHITESPACE " \t\n\r"

static bool key_valid(const char *k, size_t n) {
        if (n == 0 || (k[0] >= '0' && k[0] <= '9'))
                return false;
        for (size_t i = 0; i < n; i++)
                if (!(k[i] == '_' || (k[i] >= 'a' && k[i] <= 'z') || (k[i] >= 'A' && k[i] <= 'Z') ||
                      (k[i] >= '0' && k[i] <= '9')))
                        return false;
        return true;
}

/* Reads the value at *p (systemd's parse_env_file rules: single quotes literal, double quotes
 * with \" \\ \$ \` escapes, backslash-newline continues, unquoted trailing space dropped).
 * Advances *p past the line's newline and counts extra physical lines in *lines. */
static int read_value(const char **p, char **ret, unsigned *lines) {
        struct drs_buf v = {0};
        const char *s = *p + strspn(*p, " \t");
        size_t keep = 0; /* length up to the last non-blank unquoted character */

        buf_append(&v, "");
        for (; *s && *s != '\n'; s++) {
                if (*s == '\'' || *s == '"') {
                        char q = *s++;
                        for (; *s && *s != q; s++) {
                                if (q == '"' && *s == '\\' && s[1]) {
                                        s++;
                                        if (*s == '\n') {
                                                (*lines)++;
                                                continue;
                                        }
                                        if (!strchr("\"\\`$", *s))
                                                buf_append_c(&v, '\\');
                                } else if (*s == '\n')
                                        (*lines)++;
                                buf_append_c(&v, *s);
                        }
                        if (!*s) {
                                buf_free(&v);
                                return -EBADMSG;
                        }
                        keep = v.len;
                        continue;
                }
                if (*s == '\\' && s[1]) {
                        s++;
                        if (*s == '\n') {
                                (*lines)++;
                                continue;
                        }
                        buf_append_c(&v, *s);
                        keep = v.len;
                        continue;
                }
                buf_append_c(&v, *s);
                if (!strchr(WHITESPACE, *s))
                        keep = v.len;
        }
        v.data[keep] = '\0';
        v.len = keep;
        *p = *s ? s + 1 : s;
        *ret = buf_steal(&v);
        return 0;
}

int envfile_parse(const char *path, const char *text, struct drs_envfile *ret, struct drs_diag *diag) {
        struct drs_envfile e = {0};
        const char *p = text;
        unsigned line = 1;

        while (*p) {
                const char *start = p, *s = p + strspn(p, " \t"), *k, *eq;
                unsigned first = line;
                bool exported = false;
                char *value;

                if (*s == '#' || *s == ';' || *s == '\n' || !*s || !(eq = strchr(s, '=')) ||
                    (strchr(s, '\n') && strchr(s, '\n') < eq)) {
                        /* Comment, blank or a line without '=': systemd skips it. Comments
                         * continue over backslash-newline, as in systemd. */
                        for (; *s && *s != '\n'; s++)
                                if (*s == '\\' && s[1] == '\n' && (*p == '#' || *p == ';')) {
                                        s++;
                                        line++;
                                }
                        p = *s ? s + 1 : s;
                        line++;
                        continue;
                }
                if (startswith(s, "export ") || startswith(s, "export\t")) {
                        exported = true;
                        s += 6;
                        s += strspn(s, " \t");
                }
                k = s;
                size_t kn = (size_t) (eq - k);
                while (kn > 0 && strchr(" \t", k[kn - 1]))
                        kn--;
                p = eq + 1;
                if (read_value(&p, &value, &line) < 0) {
                        diag_set(diag, path, first, _("unterminated quote in the value of %.*s"), (int) kn, k);
                        envfile_done(&e);
                        return -EBADMSG;
                }
                line++;
                if (!key_valid(k, kn)) {
                        free(value);
                        continue;
                }
                e.items = xrealloc(e.items, (e.n + 1) * sizeof(*e.items));
                e.items[e.n++] = (struct drs_env_assignment) {
                        .key = xstrndup(k, kn), .value = value, .start = (size_t) (start - text),
                        .end = (size_t) (p - text), .line = first, .exported = exported};
        }
        *ret = e;
        return 0;
}

void envfile_done(struct drs_envfile *e) {
        for (size_t i = 0; i < e->n; i++) {
                free(e->items[i].key);
                free(e->items[i].value);
        }
        free(e->items);
        *e = (struct drs_envfile) {0};
}

const struct drs_env_assignment *envfile_get(const struct drs_envfile *e, const char *key) {
        for (size_t i = e->n; i > 0; i--)
                if (!e->items[i - 1].exported && streq(e->items[i - 1].key, key))
                        return &e->items[i - 1];
        return NULL;
}

bool envfile_value_safe(const char *value) {
        return !strpbrk(value, "\"\\$`\n");
}

char *envfile_set(const char *text, const struct drs_envfile *parsed, const char *key, const char *value,
                  const char *comment) {
        const struct drs_env_assignment *a = parsed ? envfile_get(parsed, key) : NULL;
        struct drs_buf b = {0};

        if (!text)
                text = "";
        if (a) {
                buf_append_n(&b, text, a->start);
                buf_appendf(&b, "%s=\"%s\"\n", key, value);
                buf_append(&b, text + a->end);
                return buf_steal(&b);
        }
        buf_append(&b, text);
        if (b.len > 0 && b.data[b.len - 1] != '\n')
                buf_append_c(&b, '\n');
        if (comment)
                buf_append(&b, comment);
        buf_appendf(&b, "%s=\"%s\"\n", key, value);
        return buf_steal(&b);
}

char **envfile_split_words(const char *value) {
        char **v = xcalloc(1, sizeof(char *));
        const char *p = value;

        for (;;) {
                p += strspn(p, WHITESPACE);
                if (!*p)
                        break;
                size_t n = strcspn(p, WHITESPACE);
                strv_consume(&v, xstrndup(p, n));
                p += n;
        }
        return v;
}
