/* derive.c: the new dockerd command line from the effective one: our listener swapped in. */
#include "derive.h"

#include <string.h>

#include "dockerflags.h"
#include "util.h"

#define UNIX_SOCKET "unix:///var/run/docker.sock"

/* The option at values[0] as pflag reads it (dockerflags.c). */
static struct dflag classify(char *const *w, size_t n) {
        return dockerflags_next(w, n);
}

/* Borrowed pointers to the values of words[first..n), NULL-terminated. Caller frees the array. */
static char **word_values(const struct drs_word *words, size_t n, size_t first) {
        char **v = xcalloc(n - (first < n ? first : n) + 1, sizeof(char *));
        for (size_t i = first; i < n; i++)
                v[i - first] = words[i].value;
        return v;
}

bool derive_host_is_tcp(const char *host) {
        if (strchr(host, '$'))
                return false; /* an expansion: we cannot know, and keep it */
        if (startswith(host, "tcp://"))
                return true;
        return !strstr(host, "://") && *host; /* dockerd reads a bare HOST:PORT as tcp */
}

static char *join2(char *const *w, size_t n) {
        return n == 2 ? xasprintf("%s %s", w[0], w[1]) : xstrdup(w[0]);
}

/* Walks the words up to the "--" that ends the options, calling keep() for words to keep, or
 * keep_text() for what stays of a group of shorthands whose listener goes ("-D" of "-DH …");
 * notes what was dropped. Returns where the walk stopped. */
struct keeper {
        void (*keep)(size_t i, void *u);
        void (*keep_text)(size_t i, const char *text, void *u);
        void *u;
};

static size_t strip(char *const *values, size_t n, const struct keeper *k, struct drs_derive_notes *notes) {
        size_t i = 0;
        while (i < n) {
                struct dflag a = classify(values + i, n - i);
                if (a.kind == DFLAG_END)
                        break;
                bool drop = a.kind == DFLAG_TLS || (a.kind == DFLAG_HOST && (derive_host_is_tcp(a.value) || !*a.value));
                for (size_t j = 0; j < a.n_words; j++)
                        if (!drop)
                                k->keep(i + j, k->u);
                if (drop && a.keep_len > 0) {
                        _cleanup_free_ char *rest = xstrndup(values[i], a.keep_len);
                        k->keep_text(i, rest, k->u);
                }
                if (drop && notes)
                        strv_consume(&notes->removed, join2(values + i, a.n_words));
                i += a.n_words;
        }
        return i;
}

struct keep_cmd {
        const struct drs_cmdline *base;
        struct drs_cmdline *out;
        size_t first;
        size_t *origin;  /* for each word of out: its index among the base's arguments */
};

static void keep_word(size_t i, void *u) {
        struct keep_cmd *k = u;
        k->origin[k->out->n_words] = i;
        cmdline_append_word(k->out, &k->base->words[k->first + i]);
}

static void keep_word_text(size_t i, const char *text, void *u) {
        struct keep_cmd *k = u;
        k->origin[k->out->n_words] = i;
        cmdline_append(k->out, text);
}

/* Whether the option at values[0] is the local socket exactly as derive_listen_words() writes it. */
static bool is_default_socket(char *const *values, size_t n, struct dflag a) {
        return a.kind == DFLAG_HOST && a.n_words == 2 && n >= 2 && streq(values[0], "-H") && streq(a.value, UNIX_SOCKET);
}

/* Marks the words of each "-H unix:///var/run/docker.sock" that directly follows a TCP listener:
 * the socket derive_listen_words() adds along with a listener of ours. Caller frees. */
static bool *socket_followers(char *const *values, size_t n) {
        bool *f = xcalloc(n + 1, sizeof(bool)), after_tcp = false;

        for (size_t i = 0; i < n;) {
                struct dflag a = classify(values + i, n - i);
                if (a.kind == DFLAG_END)
                        break;
                if (after_tcp && is_default_socket(values + i, n - i, a))
                        f[i] = f[i + 1] = true;
                after_tcp = a.kind == DFLAG_HOST && derive_host_is_tcp(a.value);
                i += a.n_words;
        }
        return f;
}

char **derive_words_without_added_socket(char *const *words) {
        size_t n = strv_length(words);
        _cleanup_free_ bool *f = socket_followers(words, n);
        char **v = xcalloc(1, sizeof(char *));

        for (size_t i = 0; i < n; i++)
                if (!f[i])
                        strv_push(&v, words[i]);
        return v;
}

char **derive_listen_words(const struct drs_listen_flags *l, bool add_unix_socket) {
        char **v = xcalloc(1, sizeof(char *));

        strv_push(&v, "-H");
        strv_push(&v, l->host_url);
        if (add_unix_socket) {
                strv_push(&v, "-H");
                strv_push(&v, UNIX_SOCKET);
        }
        if (l->mode == MODE_PLAIN)
                strv_push(&v, "--tls=false");
        else {
                strv_push(&v, "--tlsverify");
                strv_consume(&v, xasprintf("--tlscacert=%s", l->tls_ca));
                strv_consume(&v, xasprintf("--tlscert=%s", l->tls_cert));
                strv_consume(&v, xasprintf("--tlskey=%s", l->tls_key));
        }
        return v;
}

bool derive_has_local_host(const struct drs_word *words, size_t n, size_t first) {
        _cleanup_free_ char **values = word_values(words, n, first);
        return dockerflags_has_local_host(values);
}

/* Each -H fd:// (in any spelling) made the default socket: docker.socket is missing. */
static void fd_to_socket(struct drs_cmdline *out) {
        size_t first = cmdline_first_arg(out), n = out->n_words - first;
        _cleanup_free_ char **values = word_values(out->words, out->n_words, first);

        for (size_t i = 0; i < n;) {
                struct dflag a = classify(values + i, n - i);
                if (a.kind == DFLAG_END)
                        break;
                if (a.kind == DFLAG_HOST && startswith(a.value, "fd://")) {
                        struct drs_word *w = &out->words[first + i + a.value_word];
                        char *nv = xasprintf("%.*s%s", (int) a.value_offset, w->value, UNIX_SOCKET);
                        free(w->value);
                        free(w->raw);
                        w->value = nv;
                        w->raw = NULL;
                        values[i + a.value_word] = nv;
                }
                i += a.n_words;
        }
}

bool derive_uses_fd(const struct drs_word *words, size_t n, size_t first) {
        _cleanup_free_ char **values = word_values(words, n, first);
        return dockerflags_has_fd_host(values);
}

void derive_execstart(const struct drs_cmdline *base, const struct drs_derive_opts *o, struct drs_cmdline *ret,
                      struct drs_derive_notes *notes) {
        struct drs_cmdline out = {.prefix = xstrdup(base->prefix ? base->prefix : "")};
        size_t first = cmdline_first_arg(base), n = base->n_words - first;
        _cleanup_free_ char **values = xcalloc(n + 1, sizeof(char *));
        _cleanup_free_ size_t *origin = xcalloc(base->n_words + 1, sizeof(size_t));
        struct keep_cmd k = {.base = base, .out = &out, .first = first, .origin = origin};
        bool local;

        /* The executable (and argv[0] with '@'). */
        for (size_t i = 0; i < first; i++) {
                if (i == 0 && o->dockerd_path)
                        cmdline_append_literal(&out, o->dockerd_path);
                else
                        cmdline_append_word(&out, &base->words[i]);
        }

        for (size_t i = 0; i < n; i++)
                values[i] = base->words[first + i].value;
        /* Words from a "--" on are no options: they stay last, after ours. */
        size_t end = strip(values, n, &(struct keeper) {keep_word, keep_word_text, &k}, notes);
        size_t kept_args = out.n_words - cmdline_first_arg(&out);

        if (o->fd_without_socket)
                fd_to_socket(&out);

        for (size_t i = 0; o->extra_hosts && o->extra_hosts[i]; i++) {
                cmdline_append(&out, "-H");
                cmdline_append_literal(&out, o->extra_hosts[i]);
                if (notes)
                        strv_consume(&notes->added, xasprintf("-H %s", o->extra_hosts[i]));
        }

        if (o->listen && !o->local_socket_elsewhere) {
                /* The socket an earlier run added right after its listener goes with that listener,
                 * and comes back after ours when nothing else gives a local socket: running twice
                 * writes the same line. */
                _cleanup_free_ bool *follower = socket_followers(values, n);
                struct drs_cmdline moved = {.prefix = xstrdup(out.prefix)};
                size_t f = cmdline_first_arg(&out);
                for (size_t i = 0; i < out.n_words; i++)
                        if (i < f || i >= f + kept_args || !follower[origin[i]])
                                cmdline_append_word(&moved, &out.words[i]);
                if (moved.n_words < out.n_words &&
                    !derive_has_local_host(moved.words, moved.n_words, cmdline_first_arg(&moved))) {
                        cmdline_done(&out);
                        out = moved;
                } else
                        cmdline_done(&moved);
        }
        if (o->listen) {
                local = o->local_socket_elsewhere ||
                        derive_has_local_host(out.words, out.n_words, cmdline_first_arg(&out));
                _cleanup_strv_free_ char **add = derive_listen_words(o->listen, !local);
                /* Literal words: a TLS directory's '%' or '$' reaches dockerd as written. */
                for (size_t i = 0; add[i]; i++)
                        cmdline_append_literal(&out, add[i]);
                if (notes)
                        for (size_t i = 0; add[i]; i++) {
                                bool pair = streq(add[i], "-H") && add[i + 1];
                                strv_consume(&notes->added, pair ? xasprintf("-H %s", add[i + 1])
                                                                 : cmdline_value_from_literal(add[i]));
                                i += pair;
                        }
        }
        for (size_t i = end; i < n; i++)
                cmdline_append_word(&out, &base->words[first + i]);
        *ret = out;
}

struct keep_strv {
        char *const *in;
        char ***out;
};

static void keep_value(size_t i, void *u) {
        struct keep_strv *k = u;
        strv_push(k->out, k->in[i]);
}

static void keep_value_text(_unused_ size_t i, const char *text, void *u) {
        struct keep_strv *k = u;
        strv_push(k->out, text);
}

char **derive_strip_words(char *const *words, struct drs_derive_notes *notes) {
        char **out = xcalloc(1, sizeof(char *));
        struct keep_strv k = {.in = words, .out = &out};
        size_t n = strv_length(words), end = strip(words, n, &(struct keeper) {keep_value, keep_value_text, &k}, notes);
        for (size_t i = end; i < n; i++)
                strv_push(&out, words[i]);
        return out;
}

void derive_notes_done(struct drs_derive_notes *n) {
        strv_free(n->removed);
        strv_free(n->added);
        *n = (struct drs_derive_notes) {0};
}

const char *derive_config_file(const struct drs_cmdline *c) {
        for (size_t i = cmdline_first_arg(c); i < c->n_words; i++) {
                const char *v = c->words[i].value;
                if (startswith(v, "--config-file="))
                        return v + 14;
                if (streq(v, "--config-file") && i + 1 < c->n_words)
                        return c->words[i + 1].value;
        }
        return NULL;
}

bool derive_uses_variable(const struct drs_cmdline *c, const char *name, bool *ret_braced) {
        _cleanup_free_ char *plain = xasprintf("$%s", name), *braced = xasprintf("${%s}", name);
        for (size_t i = cmdline_first_arg(c); i < c->n_words; i++) {
                if (streq(c->words[i].value, plain)) {
                        if (ret_braced)
                                *ret_braced = false;
                        return true;
                }
                if (strstr(c->words[i].value, braced)) {
                        if (ret_braced)
                                *ret_braced = true;
                        return true;
                }
        }
        return false;
}
