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

/* What the reader is in, named as in systemd's parse_env_file_internal(). */
enum env_state {
        PRE_KEY,
        KEY,
        PRE_VALUE,      /* after '=' or after a closing quote: quotes open here only */
        VALUE,          /* unquoted: quotes are literal */
        VALUE_ESCAPE,
        SINGLE_QUOTE_VALUE,
        DOUBLE_QUOTE_VALUE,
        DOUBLE_QUOTE_VALUE_ESCAPE,
        COMMENT,
        COMMENT_ESCAPE,
};

#define NONE ((size_t) -1)

struct env_reader {
        struct drs_envfile e;
        struct drs_buf key, value;
        size_t key_ws, value_ws;  /* where trailing whitespace starts, NONE when there is none */
        size_t start;             /* the byte where the assignment's line starts */
        unsigned first;           /* its line number */
};

/* Records the assignment read so far (ending before byte end); invalid keys are dropped, as
 * systemd drops them when it builds the environment. */
static void push(struct env_reader *rd, size_t end, bool chomp) {
        const char *k = rd->key.data ? rd->key.data : "";
        size_t kn = rd->key_ws != NONE ? rd->key_ws : rd->key.len;
        bool exported = false;

        if (chomp && rd->value_ws != NONE)
                rd->value.len = rd->value_ws;
        buf_append_n(&rd->value, "", 0);
        rd->value.data[rd->value.len] = '\0';
        /* "export KEY=…" is shell; for systemd "export KEY" is not a valid name. */
        if (kn > 7 && startswith(k, "export") && strchr(" \t", k[6])) {
                exported = true;
                k += 7;
                kn -= 7;
                while (kn > 0 && strchr(" \t", *k)) {
                        k++;
                        kn--;
                }
        }
        if (key_valid(k, kn)) {
                rd->e.items = xrealloc(rd->e.items, (rd->e.n + 1) * sizeof(*rd->e.items));
                rd->e.items[rd->e.n++] = (struct drs_env_assignment) {
                        .key = xstrndup(k, kn), .value = buf_steal(&rd->value), .start = rd->start,
                        .end = end, .line = rd->first, .exported = exported};
        }
        buf_free(&rd->key);
        buf_free(&rd->value);
}

/* The state-machine parser (enum env_state, one character at a time, after systemd's
 * load-env-file.c): kept whole so that every state's transitions read in one place. */
int envfile_parse(const char *path, const char *text, struct drs_envfile *ret, struct drs_diag *diag) {
        struct env_reader rd = {0};
        enum env_state st = PRE_KEY;
        size_t line_start = 0, i;
        unsigned line = 1;

        /* systemd 252's rules (src/basic/env-file.c), byte for byte; the one difference: an
         * unterminated quote is refused here, where systemd reads on to the end of the file. */
        for (i = 0; text[i]; i++) {
                char c = text[i];
                bool nl = c == '\n' || c == '\r';
                /* An assignment ending at "\r\n" takes both (the '\n' is then whitespace before a key). */
                size_t end = i + 1 + (c == '\r' && text[i + 1] == '\n');

                switch (st) {
                case PRE_KEY:
                        if (c == '#' || c == ';')
                                st = COMMENT;
                        else if (!strchr(WHITESPACE, c)) {
                                st = KEY;
                                rd.start = line_start;
                                rd.first = line;
                                rd.key_ws = NONE;
                                buf_append_c(&rd.key, c);
                        }
                        break;
                case KEY:
                        if (nl) {
                                st = PRE_KEY;
                                buf_free(&rd.key);
                        } else if (c == '=') {
                                st = PRE_VALUE;
                                rd.value_ws = NONE;
                                buf_append(&rd.value, "");
                        } else {
                                if (!strchr(WHITESPACE, c))
                                        rd.key_ws = NONE;
                                else if (rd.key_ws == NONE)
                                        rd.key_ws = rd.key.len;
                                buf_append_c(&rd.key, c);
                        }
                        break;
                case PRE_VALUE:
                        if (nl) {
                                st = PRE_KEY;
                                push(&rd, end, false);
                        } else if (c == '\'')
                                st = SINGLE_QUOTE_VALUE;
                        else if (c == '"')
                                st = DOUBLE_QUOTE_VALUE;
                        else if (c == '\\')
                                st = VALUE_ESCAPE;
                        else if (!strchr(WHITESPACE, c)) {
                                st = VALUE;
                                buf_append_c(&rd.value, c);
                        }
                        break;
                case VALUE:
                        if (nl) {
                                st = PRE_KEY;
                                push(&rd, end, true);
                        } else if (c == '\\') {
                                st = VALUE_ESCAPE;
                                rd.value_ws = NONE;
                        } else {
                                if (!strchr(WHITESPACE, c))
                                        rd.value_ws = NONE;
                                else if (rd.value_ws == NONE)
                                        rd.value_ws = rd.value.len;
                                buf_append_c(&rd.value, c);
                        }
                        break;
                case VALUE_ESCAPE:
                        st = VALUE;
                        if (!nl) /* an escaped newline is eaten: the value goes on */
                                buf_append_c(&rd.value, c);
                        break;
                case SINGLE_QUOTE_VALUE:
                        if (c == '\'')
                                st = PRE_VALUE;
                        else
                                buf_append_c(&rd.value, c);
                        break;
                case DOUBLE_QUOTE_VALUE:
                        if (c == '"')
                                st = PRE_VALUE;
                        else if (c == '\\')
                                st = DOUBLE_QUOTE_VALUE_ESCAPE;
                        else
                                buf_append_c(&rd.value, c);
                        break;
                case DOUBLE_QUOTE_VALUE_ESCAPE:
                        st = DOUBLE_QUOTE_VALUE;
                        if (strchr("\"\\`$", c))
                                buf_append_c(&rd.value, c);
                        else if (c != '\n') {
                                buf_append_c(&rd.value, '\\');
                                buf_append_c(&rd.value, c);
                        }
                        break;
                case COMMENT:
                        if (c == '\\')
                                st = COMMENT_ESCAPE;
                        else if (nl)
                                st = PRE_KEY;
                        break;
                case COMMENT_ESCAPE:
                        /* systemd < 254: the escaped character, a newline too, stays in the comment. */
                        st = COMMENT;
                        break;
                }
                if (c == '\n')
                        line++;
                if (nl)
                        line_start = i + 1;
        }
        switch (st) {
        case PRE_VALUE:
        case VALUE:
        case VALUE_ESCAPE:
                push(&rd, i, st == VALUE);
                break;
        case SINGLE_QUOTE_VALUE:
        case DOUBLE_QUOTE_VALUE:
        case DOUBLE_QUOTE_VALUE_ESCAPE: {
                size_t kn = rd.key_ws != NONE ? rd.key_ws : rd.key.len;
                diag_set(diag, path, rd.first, _("unterminated quote in the value of %.*s"), (int) kn, rd.key.data);
                buf_free(&rd.key);
                buf_free(&rd.value);
                envfile_done(&rd.e);
                return -EBADMSG;
        }
        default:
                buf_free(&rd.key);
                break;
        }
        *ret = rd.e;
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

/* Whether the text (ending in a newline) ends in a backslash-newline, which joins the next line. */
static bool ends_in_continuation(const char *s, size_t n) {
        size_t k = 0;
        while (k + 1 < n && s[n - 2 - k] == '\\')
                k++;
        return n > 0 && s[n - 1] == '\n' && k % 2 == 1;
}

/* KEY="value" and a newline, with what double quotes give a meaning escaped as systemd's
 * EnvironmentFile= reader and sh both read it back: \" \\ \` \$. */
static void append_assignment(struct drs_buf *b, const char *key, const char *value) {
        buf_appendf(b, "%s=\"", key);
        for (const char *c = value; *c; c++) {
                if (strchr("\"\\`$", *c))
                        buf_append_c(b, '\\');
                buf_append_c(b, *c);
        }
        buf_append(b, "\"\n");
}

char *envfile_set(const char *text, const struct drs_envfile *parsed, const char *key, const char *value,
                  const char *comment) {
        const struct drs_env_assignment *a = parsed ? envfile_get(parsed, key) : NULL;
        struct drs_buf b = {0};

        if (!text)
                text = "";
        if (a) {
                buf_append_n(&b, text, a->start);
                append_assignment(&b, key, value);
                buf_append(&b, text + a->end);
                return buf_steal(&b);
        }
        buf_append(&b, text);
        if (b.len > 0 && b.data[b.len - 1] != '\n')
                buf_append_c(&b, '\n');
        /* A last line ending in a backslash would continue into ours: a blank line ends it. */
        if (ends_in_continuation(b.data, b.len))
                buf_append_c(&b, '\n');
        if (comment)
                buf_append(&b, comment);
        append_assignment(&b, key, value);
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
