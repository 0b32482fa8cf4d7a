/* derive.c: the new dockerd command line from the effective one: our listener swapped in. */
#include "derive.h"

#include <string.h>

#include "util.h"

#define UNIX_SOCKET "unix:///var/run/docker.sock"

enum arg_kind {
        ARG_OTHER,
        ARG_HOST,   /* -H/--host with its value */
        ARG_TLS,    /* --tls, --tlsverify, --tlscacert, --tlscert, --tlskey */
};

struct arg {
        enum arg_kind kind;
        size_t n_words;      /* 1, or 2 when the value is the next word */
        const char *value;   /* the host for ARG_HOST */
};

static const char *const tls_value_flags[] = {"--tlscacert", "--tlscert", "--tlskey"};
static const char *const tls_bool_flags[] = {"--tls", "--tlsverify"};

/* Reads one dockerd option the way pflag does: -H v, -H=v, -Hv, --host v, --host=v. */
static struct arg classify(char *const *w, size_t n) {
        const char *s = w[0];

        /* A last -H without its value (dockerd would refuse to start) counts as a listener with
         * an empty value: it goes, and ours cannot become its value. */
        if (streq(s, "-H") || streq(s, "--host"))
                return n >= 2 ? (struct arg) {ARG_HOST, 2, w[1]} : (struct arg) {ARG_HOST, 1, ""};
        if (startswith(s, "--host="))
                return (struct arg) {ARG_HOST, 1, s + 7};
        if (startswith(s, "-H") && !startswith(s, "--"))
                return (struct arg) {ARG_HOST, 1, s + 2 + (s[2] == '=')};
        for (size_t i = 0; i < ELEMENTSOF(tls_bool_flags); i++) {
                size_t k = strlen(tls_bool_flags[i]);
                if (strncmp(s, tls_bool_flags[i], k) == 0 && (s[k] == '\0' || s[k] == '='))
                        return (struct arg) {ARG_TLS, 1, NULL};
        }
        for (size_t i = 0; i < ELEMENTSOF(tls_value_flags); i++) {
                size_t k = strlen(tls_value_flags[i]);
                if (strncmp(s, tls_value_flags[i], k) != 0)
                        continue;
                if (s[k] == '=')
                        return (struct arg) {ARG_TLS, 1, NULL};
                if (s[k] == '\0')
                        return (struct arg) {ARG_TLS, n >= 2 ? 2 : 1, NULL};
        }
        return (struct arg) {ARG_OTHER, 1, NULL};
}

bool derive_host_is_tcp(const char *host) {
        if (strchr(host, '$'))
                return false; /* an expansion: we cannot know, and keep it */
        if (startswith(host, "tcp://"))
                return true;
        return !strstr(host, "://") && *host; /* dockerd reads a bare HOST:PORT as tcp */
}

static bool host_is_local(const char *host) {
        return startswith(host, "fd://") || startswith(host, "unix://");
}

static char *join2(char *const *w, size_t n) {
        return n == 2 ? xasprintf("%s %s", w[0], w[1]) : xstrdup(w[0]);
}

/* Walks the words, calling keep() for words to keep; notes what was dropped. */
static void strip(char *const *values, size_t n, void (*keep)(size_t i, void *u), void *u,
                  struct drs_derive_notes *notes) {
        for (size_t i = 0; i < n;) {
                struct arg a = classify(values + i, n - i);
                bool drop = a.kind == ARG_TLS || (a.kind == ARG_HOST && (derive_host_is_tcp(a.value) || !*a.value));
                for (size_t j = 0; j < a.n_words; j++)
                        if (!drop)
                                keep(i + j, u);
                if (drop && notes)
                        strv_consume(&notes->removed, join2(values + i, a.n_words));
                i += a.n_words;
        }
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

/* Whether the option at values[0] is the local socket exactly as derive_listen_words() writes it. */
static bool is_default_socket(char *const *values, size_t n, struct arg a) {
        return a.kind == ARG_HOST && a.n_words == 2 && n >= 2 && streq(values[0], "-H") && streq(a.value, UNIX_SOCKET);
}

/* Marks the words of each "-H unix:///var/run/docker.sock" that directly follows a TCP listener:
 * the socket derive_listen_words() adds along with a listener of ours. Caller frees. */
static bool *socket_followers(char *const *values, size_t n) {
        bool *f = xcalloc(n + 1, sizeof(bool)), after_tcp = false;

        for (size_t i = 0; i < n;) {
                struct arg a = classify(values + i, n - i);
                if (after_tcp && is_default_socket(values + i, n - i, a))
                        f[i] = f[i + 1] = true;
                after_tcp = a.kind == ARG_HOST && derive_host_is_tcp(a.value);
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
        _cleanup_free_ char **values = xcalloc(n + 1, sizeof(char *));
        for (size_t i = first; i < n; i++)
                values[i - first] = words[i].value;
        for (size_t i = 0; i + first < n;) {
                struct arg a = classify(values + i, n - first - i);
                if (a.kind == ARG_HOST && host_is_local(a.value))
                        return true;
                i += a.n_words;
        }
        return false;
}

bool derive_uses_fd(const struct drs_word *words, size_t n, size_t first) {
        _cleanup_free_ char **values = xcalloc(n + 1, sizeof(char *));
        for (size_t i = first; i < n; i++)
                values[i - first] = words[i].value;
        for (size_t i = 0; i + first < n;) {
                struct arg a = classify(values + i, n - first - i);
                if (a.kind == ARG_HOST && startswith(a.value, "fd://"))
                        return true;
                i += a.n_words;
        }
        return false;
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
                        cmdline_append(&out, o->dockerd_path);
                else
                        cmdline_append_word(&out, &base->words[i]);
        }

        for (size_t i = 0; i < n; i++)
                values[i] = base->words[first + i].value;
        strip(values, n, keep_word, &k, notes);
        size_t kept_args = out.n_words - cmdline_first_arg(&out);

        if (o->fd_without_socket)
                for (size_t i = cmdline_first_arg(&out); i < out.n_words; i++) {
                        struct drs_word *w = &out.words[i];
                        const char *fd = startswith(w->value, "fd://") ? w->value : NULL;
                        if (!fd && (startswith(w->value, "-Hfd://") || startswith(w->value, "--host=fd://")))
                                fd = strstr(w->value, "fd://");
                        if (!fd)
                                continue;
                        char *nv = xasprintf("%.*s%s", (int) (fd - w->value), w->value, UNIX_SOCKET);
                        free(w->value);
                        free(w->raw);
                        w->value = nv;
                        w->raw = NULL;
                }

        for (size_t i = 0; o->extra_hosts && o->extra_hosts[i]; i++) {
                cmdline_append(&out, "-H");
                cmdline_append(&out, o->extra_hosts[i]);
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
                for (size_t i = 0; add[i]; i++)
                        cmdline_append(&out, add[i]);
                if (notes)
                        for (size_t i = 0; add[i]; i++) {
                                bool pair = streq(add[i], "-H") && add[i + 1];
                                strv_consume(&notes->added, pair ? xasprintf("-H %s", add[i + 1]) : xstrdup(add[i]));
                                i += pair;
                        }
        }
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

char **derive_strip_words(char *const *words, struct drs_derive_notes *notes) {
        char **out = xcalloc(1, sizeof(char *));
        struct keep_strv k = {.in = words, .out = &out};
        strip(words, strv_length(words), keep_value, &k, notes);
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
