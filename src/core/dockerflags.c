/* dockerflags.c: dockerd's command-line options read as its flag library (spf13/pflag) reads them. */
#include "dockerflags.h"

#include <string.h>

#include "util.h"

/* dockerd's options that take a value (`dockerd --help` of Docker 20.10 to 26, and the hidden
 * --graph): with "--NAME VALUE" pflag takes the next word whatever it is. Options not listed
 * take no value or are unknown (then dockerd refuses to start anyway). */
static const char *const value_longs[] = {
        "add-runtime", "allow-nondistributable-artifacts", "api-cors-header", "authorization-plugin",
        "bip", "bridge", "cgroup-parent", "config-file", "containerd", "containerd-namespace",
        "containerd-plugins-namespace", "cpu-rt-period", "cpu-rt-runtime", "data-root",
        "default-address-pool", "default-cgroupns-mode", "default-gateway", "default-gateway-v6",
        "default-ipc-mode", "default-network-opt", "default-runtime", "default-shm-size", "default-ulimit",
        "dns", "dns-opt", "dns-search", "exec-opt", "exec-root", "feature", "fixed-cidr", "fixed-cidr-v6",
        "graph", "group", "host", "host-gateway-ip", "http-proxy", "https-proxy", "init-path",
        "insecure-registry", "ip", "label", "log-driver", "log-format", "log-level", "log-opt",
        "max-concurrent-downloads", "max-concurrent-uploads", "max-download-attempts", "metrics-addr",
        "mtu", "network-control-plane-mtu", "no-proxy", "node-generic-resource", "oom-score-adjust",
        "pidfile", "registry-mirror", "seccomp-profile", "shutdown-timeout", "storage-driver",
        "storage-opt", "swarm-default-advertise-addr", "tlscacert", "tlscert", "tlskey",
        "userland-proxy-path", "userns-remap",
};
/* Shorthands: these take a value (-b bridge, -G group, -H host, -l log-level, -p pidfile,
 * -s storage-driver, -g graph); -D (debug), -v (version) and -h (help) take none. */
#define VALUE_SHORTS "bGHlpsg"

static const char *const tls_flags[] = {"tls", "tlsverify", "tlscacert", "tlscert", "tlskey"};

static bool in_list(const char *name, size_t len, const char *const *list, size_t n) {
        for (size_t i = 0; i < n; i++)
                if (strlen(list[i]) == len && strncmp(list[i], name, len) == 0)
                        return true;
        return false;
}

static struct dflag read_long(char *const *w, size_t n) {
        const char *name = w[0] + 2, *eq = strchr(name, '=');
        size_t len = eq ? (size_t) (eq - name) : strlen(name);
        bool takes = in_list(name, len, value_longs, ELEMENTSOF(value_longs));
        struct dflag f = {.kind = DFLAG_OTHER, .n_words = takes && !eq && n >= 2 ? 2 : 1,
                          .missing_value = takes && !eq && n < 2};

        if (in_list(name, len, tls_flags, ELEMENTSOF(tls_flags)))
                f.kind = DFLAG_TLS;
        else if (len == 4 && strncmp(name, "host", 4) == 0) {
                f.kind = DFLAG_HOST;
                f.value_word = eq ? 0 : f.n_words - 1;
                f.value_offset = eq ? (size_t) (eq + 1 - w[0]) : 0;
                f.value = eq ? eq + 1 : n >= 2 ? w[1] : "";
                if (!eq && n < 2)
                        f.value_offset = strlen(w[0]); /* a last --host without a value */
        }
        return f;
}

/* A group of shorthands: those without a value, then at most one with its value (the rest of
 * the word after an optional '=', else the next word). */
static struct dflag read_shorts(char *const *w, size_t n) {
        const char *s = w[0];
        struct dflag f = {.kind = DFLAG_OTHER, .n_words = 1};

        for (size_t i = 1; s[i]; i++) {
                if (!strchr(VALUE_SHORTS, s[i])) {
                        if (s[i + 1] == '=')
                                return f; /* "-D=false": a value for the bool ends the group */
                        continue;
                }
                size_t v = i + 1 + (s[i + 1] == '=');
                bool next = !s[v] && s[i + 1] != '=';
                if (next && n >= 2)
                        f.n_words = 2;
                f.missing_value = next && n < 2;
                if (s[i] != 'H')
                        return f;
                f.kind = DFLAG_HOST;
                f.keep_len = i > 1 ? i : 0;
                f.value_word = next && n >= 2 ? 1 : 0;
                f.value_offset = next && n >= 2 ? 0 : v;
                f.value = next ? (n >= 2 ? w[1] : "") : s + v;
                return f;
        }
        return f;
}

struct dflag dockerflags_next(char *const *w, size_t n) {
        const char *s = w[0];

        if (streq(s, "--"))
                return (struct dflag) {.kind = DFLAG_END, .n_words = 1};
        if (startswith(s, "--"))
                return read_long(w, n);
        if (s[0] == '-' && s[1])
                return read_shorts(w, n);
        return (struct dflag) {.kind = DFLAG_OTHER, .n_words = 1};
}

const char *dockerflags_dangling(char *const *words) {
        size_t n = 0;
        while (words && words[n])
                n++;
        for (size_t i = 0; i < n;) {
                struct dflag f = dockerflags_next(words + i, n - i);
                if (f.kind == DFLAG_END)
                        return NULL;
                if (f.missing_value)
                        return words[i];
                i += f.n_words;
        }
        return NULL;
}

const char **dockerflags_hosts(char *const *words) {
        size_t n = 0;
        while (words && words[n])
                n++;
        const char **v = xcalloc(n + 1, sizeof(char *));
        size_t k = 0;
        for (size_t i = 0; i < n;) {
                struct dflag f = dockerflags_next(words + i, n - i);
                if (f.kind == DFLAG_END)
                        break;
                if (f.kind == DFLAG_HOST)
                        v[k++] = f.value;
                i += f.n_words;
        }
        return v;
}

bool dockerflags_host_is_local(const char *host) {
        return startswith(host, "fd://") || startswith(host, "unix://");
}

static bool any_host(char *const *words, bool (*pred)(const char *)) {
        _cleanup_free_ const char **h = dockerflags_hosts(words);
        for (size_t i = 0; h[i]; i++)
                if (pred(h[i]))
                        return true;
        return false;
}

static bool is_fd(const char *host) {
        return startswith(host, "fd://");
}

bool dockerflags_has_local_host(char *const *words) {
        return any_host(words, dockerflags_host_is_local);
}

bool dockerflags_has_fd_host(char *const *words) {
        return any_host(words, is_fd);
}

size_t dockerflags_end(char *const *words, size_t n) {
        for (size_t i = 0; i < n;) {
                struct dflag f = dockerflags_next(words + i, n - i);
                if (f.kind == DFLAG_END)
                        return i;
                i += f.n_words;
        }
        return n;
}
