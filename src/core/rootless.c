/* rootless.c: rootless Docker's listener: rootlesskit's publish flag, the user's ExecStart and drop-in (pure). */
#include "rootless.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "plan.h"
#include "util.h"

static char *publish_spec(const struct drs_rootless_listen *l) {
        bool v6 = strchr(l->publish_addr, ':') != NULL;
        return xasprintf("%s%s%s:%u:%u/tcp", v6 ? "[" : "", l->publish_addr, v6 ? "]" : "", l->port, l->port);
}

/* Whether a publish spec ("[IP:]HOSTPORT:CHILDPORT/PROTO") forwards to the child port. */
static bool spec_to_port(const char *spec, unsigned port) {
        _cleanup_free_ char *suffix = xasprintf(":%u/tcp", port);
        return endswith(spec, suffix);
}

/* The port of a removed listener as derive notes it ("-H tcp://0.0.0.0:2375", "--host=…:2375"). */
static unsigned removed_port(const char *note) {
        const char *c = strrchr(note, ':');
        if (!c || !strstr(note, "tcp://"))
                return 0;
        return (unsigned) strtoul(c + 1, NULL, 10);
}

/* Whether a publish spec forwards to our port or to a dockerd listener the new ExecStart drops. */
static bool spec_is_stale(const char *spec, unsigned port, char *const *removed) {
        if (spec_to_port(spec, port))
                return true;
        for (size_t i = 0; removed && removed[i]; i++) {
                unsigned p = removed_port(removed[i]);
                if (p && spec_to_port(spec, p))
                        return true;
        }
        return false;
}

/* dockerd-rootless.sh splits the variable's value at blanks, unquoted. */
static char **flag_words(const char *value) {
        char **words = NULL;
        const char *p = value ? value : "";

        for (;;) {
                p += strspn(p, " \t\n");
                if (!*p)
                        break;
                size_t n = strcspn(p, " \t\n");
                strv_consume(&words, xstrndup(p, n));
                p += n;
        }
        return words;
}

/* Whether a publish spec ("[IP:]HOSTPORT:CHILDPORT/PROTO", IP in brackets for IPv6) binds addr:port
 * on the host: its IP is addr, or absent or 0.0.0.0 (every address). */
static bool spec_binds(const char *spec, const char *addr, unsigned port) {
        _cleanup_free_ char *s = xstrdup(spec), *hostport = xasprintf("%u", port);
        char *slash = strchr(s, '/'), *child, *hp;

        if (slash)
                *slash = '\0';
        child = strrchr(s, ':');
        if (!child)
                return false;
        *child = '\0';
        hp = strrchr(s, ':');
        if (!hp) /* HOSTPORT:CHILDPORT */
                return streq(s, hostport);
        *hp = '\0';
        if (!streq(hp + 1, hostport))
                return false;
        if (s[0] == '[' && endswith(s, "]")) {
                s[strlen(s) - 1] = '\0';
                return streq(s + 1, addr) || streq(s + 1, "::");
        }
        return streq(s, addr) || streq(s, "0.0.0.0");
}

bool rootless_flags_publish(const char *flags, const char *addr, unsigned port) {
        _cleanup_strv_free_ char **words = flag_words(flags);

        for (size_t i = 0; words && words[i]; i++) {
                const char *w = words[i], *spec = NULL;
                if ((streq(w, "-p") || streq(w, "--publish")) && words[i + 1])
                        spec = words[++i];
                else if (startswith(w, "-p=") || startswith(w, "--publish="))
                        spec = strchr(w, '=') + 1;
                if (spec && spec_binds(spec, addr, port))
                        return true;
        }
        return false;
}

char *rootless_flags(const char *existing, const struct drs_rootless_listen *l, char *const *removed) {
        _cleanup_strv_free_ char **words = flag_words(existing);
        _cleanup_free_ char *spec = publish_spec(l);
        struct drs_buf b = {0};

        for (size_t i = 0; words && words[i]; i++) {
                const char *w = words[i];
                if ((streq(w, "-p") || streq(w, "--publish")) && words[i + 1] &&
                    spec_is_stale(words[i + 1], l->port, removed)) {
                        i++;
                        continue;
                }
                if ((startswith(w, "-p=") || startswith(w, "--publish=")) && spec_is_stale(strchr(w, '=') + 1, l->port, removed))
                        continue;
                buf_appendf(&b, "%s ", w);
        }
        buf_appendf(&b, "-p %s", spec);
        return buf_steal(&b);
}

void rootless_execstart(const struct drs_cmdline *base, const struct drs_rootless_listen *l, struct drs_cmdline *ret,
                        struct drs_derive_notes *notes) {
        _cleanup_free_ char *url = xasprintf("tcp://0.0.0.0:%u", l->port);
        struct drs_listen_flags lf = {
                .host_url = url, .mode = l->mode, .tls_ca = l->tls_ca, .tls_cert = l->tls_cert, .tls_key = l->tls_key};
        struct drs_derive_opts o = {.listen = &lf};
        bool local = derive_has_local_host(base->words, base->n_words, cmdline_first_arg(base));

        derive_execstart(base, &o, ret, notes);
        if (local)
                return;
        /* derive_execstart added root's socket after the listener: the user's instead. */
        for (size_t i = ret->n_words; i-- > cmdline_first_arg(ret);)
                if (streq(ret->words[i].value, "unix:///var/run/docker.sock")) {
                        free(ret->words[i].value);
                        free(ret->words[i].raw);
                        ret->words[i].value = xasprintf("unix:///run/user/%u/docker.sock", l->uid);
                        ret->words[i].raw = NULL;
                        break;
                }
}

/* A value inside Environment=NAME="…": systemd unescapes C escapes and expands specifiers. */
static void append_env_value(struct drs_buf *b, const char *v) {
        for (; *v; v++) {
                if (*v == '"' || *v == '\\')
                        buf_append_c(b, '\\');
                else if (*v == '%')
                        buf_append_c(b, '%');
                buf_append_c(b, *v);
        }
}

char *rootless_dropin(const struct drs_cmdline *base, const char *existing_flags, const struct drs_rootless_listen *l,
                      struct drs_derive_notes *notes) {
        _cleanup_free_ char *flags = NULL, *exec = NULL;
        struct drs_cmdline c = {0};
        struct drs_buf b = {0};

        rootless_execstart(base, l, &c, notes);
        for (size_t i = 0; l->json_hosts && l->json_hosts[i]; i++)
                if (derive_host_is_tcp(l->json_hosts[i]))
                        strv_consume(&notes->removed, xasprintf("\"hosts\": %s%s",
                                                                strstr(l->json_hosts[i], "://") ? "" : "tcp://",
                                                                l->json_hosts[i]));
        flags = rootless_flags(existing_flags, l, notes->removed);
        exec = cmdline_format(&c);
        cmdline_done(&c);
        buf_appendf(&b,
                    "# docker-remote-setup: rootlesskit publishes %s:%u on the host, dockerd listens inside its "
                    "namespace\n[Unit]\nStartLimitIntervalSec=0\n\n[Service]\nEnvironment=%s=\"",
                    l->publish_addr, l->port, ROOTLESS_FLAGS_VAR);
        append_env_value(&b, flags);
        buf_append(&b, "\"\n");
        if (l->add_restart)
                buf_append(&b, "Restart=on-failure\n");
        if (l->add_restart_sec)
                buf_append(&b, "RestartSec=" RESTART_SEC_TEXT "\n");
        buf_appendf(&b, "ExecStart=\nExecStart=%s\n", exec);
        return buf_steal(&b);
}

char *rootless_listen_text(const struct drs_rootless_listen *l) {
        return xasprintf(l->dual_stack ? "[::]:%u" : "0.0.0.0:%u", l->port);
}

char **rootless_describe(const struct drs_rootless_listen *l) {
        _cleanup_free_ char *listen = rootless_listen_text(l);
        char **v = NULL;
        char *s;

        s = xasprintf(_("rootlesskit (the user's own process) will listen on %s:%u on the host (its builtin port "
                        "driver) and forward each connection into its network namespace"),
                      l->publish_addr, l->port);
        strv_push(&v, s);
        free(s);
        s = xasprintf(_("dockerd will listen on tcp://0.0.0.0:%u inside that namespace (its journal says \"API listen "
                        "on %s\"), %s"),
                      l->port, listen, l->mode == MODE_TLS ? _("with TLS, client certificates required") :
                                                              _("plain TCP, without TLS"));
        strv_push(&v, s);
        free(s);
        return v;
}

char *rootless_boot_text(const struct drs_rootless_listen *l, const char *why) {
        if (why)
                return xasprintf(_("if %s is not there yet at boot, rootlesskit cannot bind it and exits, and the daemon "
                                   "then stays failed: %s"),
                                 l->publish_addr, why);
        return xasprintf(_("if %s is not there yet at boot, rootlesskit cannot bind it and exits; the drop-in lifts the "
                           "start limit (StartLimitIntervalSec=0), so systemd keeps restarting it until it is"),
                         l->publish_addr);
}

char *rootless_port_refusal(unsigned port, unsigned unpriv_start) {
        if (port >= unpriv_start)
                return NULL;
        return xasprintf(_("port %u is below %u (net.ipv4.ip_unprivileged_port_start): a user's rootlesskit may not "
                           "bind it. Choose a port of %u or more; this program does not change that setting"),
                         port, unpriv_start, unpriv_start);
}

bool rootless_has_subid(const char *text, const char *user, unsigned uid) {
        _cleanup_strv_free_ char **lines = strv_split_lines(text ? text : "");
        char id[16];

        snprintf(id, sizeof id, "%u", uid);
        for (size_t i = 0; lines && lines[i]; i++) {
                const char *colon = strchr(lines[i], ':');
                unsigned long count;
                char *end;
                if (!colon)
                        continue;
                size_t n = (size_t) (colon - lines[i]);
                if (!((strlen(user) == n && !strncmp(lines[i], user, n)) || (strlen(id) == n && !strncmp(lines[i], id, n))))
                        continue;
                (void) strtoul(colon + 1, &end, 10); /* the first subordinate id */
                if (end == colon + 1 || *end != ':')
                        continue;
                count = strtoul(end + 1, &end, 10);
                if (count > 0 && *end == '\0')
                        return true;
        }
        return false;
}
