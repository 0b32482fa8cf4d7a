/* plan-host.c: what the host's files configure now: its TCP listeners, the method in effect, the
 * method it gets by default (queries for status and the planners). */
#include <errno.h>
#include <string.h>

#include "daemonjson.h"
#include "derive.h"
#include "dockerflags.h"
#include "envfile.h"
#include "i18n.h"
#include "plan-internal.h"
#include "util.h"

/* The TCP listeners among -H values (or daemon.json's "hosts"), as dockerd logs them. */
static void collect_tcp_hosts(const char *const *hosts, bool single_stack, char ***out) {
        for (size_t i = 0; hosts && hosts[i]; i++)
                if (derive_host_is_tcp(hosts[i])) {
                        char *t = listen_text_from_host(hosts[i], single_stack);
                        if (t)
                                strv_consume(out, t);
                }
}

/* The TCP listeners of a dockerd word list. */
static void collect_tcp(char *const *words, bool single_stack, char ***out) {
        _cleanup_free_ const char **hosts = dockerflags_hosts(words);
        collect_tcp_hosts(hosts, single_stack, out);
}

char **cmdline_values(const struct drs_cmdline *c) {
        char **v = xcalloc(1, sizeof(char *));
        for (size_t i = cmdline_first_arg(c); i < c->n_words; i++)
                strv_push(&v, c->words[i].value);
        return v;
}


void default_info_done(struct default_info *d) {
        envfile_done(&d->env);
        strv_free(d->words);
        strv_free(d->kept);
        derive_notes_done(&d->notes);
}

static bool unit_reads_default(const struct drs_unitset *u) {
        _cleanup_free_ struct drs_setting *v = NULL;
        size_t n = unit_fold_setting(u->units, u->n, "Service", "EnvironmentFile", &v);
        for (size_t i = 0; i < n; i++) {
                const char *f = v[i].value + (v[i].value[0] == '-');
                if (streq(f, DRS_DEFAULT_DOCKER))
                        return true;
        }
        return false;
}

int read_default(const struct drs_host *h, const struct drs_unitset *u, const struct drs_cmdline *base,
                 struct default_info *d, struct drs_diag *diag) {
        const struct drs_env_assignment *a;
        int r;

        if (h->default_docker_text) {
                r = envfile_parse(DRS_DEFAULT_DOCKER, h->default_docker_text, &d->env, diag);
                if (r < 0)
                        return r;
        }
        /* Without systemd the init script passes $DOCKER_OPTS itself. */
        d->read_by_unit = !h->systemd || (unit_reads_default(u) && derive_uses_variable(base, "DOCKER_OPTS", &d->braced));
        a = envfile_get(&d->env, "DOCKER_OPTS");
        d->words = a ? envfile_split_words(a->value) : xcalloc(1, sizeof(char *));
        d->kept = derive_strip_words(d->words, &d->notes);
        return 0;
}

/* Whether daemon.json's "hosts" takes a listener from systemd (fd://): dockerd is then socket
 * activated as with -H fd:// in ExecStart= (that host moves to -H fd:// when the file is fixed). */
bool json_uses_fd(const struct drs_host *h) {
        struct drs_daemon_json j = {0};
        bool fd = false;

        if (h->daemon_json_text && daemonjson_parse(h->daemon_json_path, h->daemon_json_text, &j, NULL) >= 0)
                for (size_t i = 0; j.hosts && j.hosts[i]; i++)
                        fd = fd || startswith(j.hosts[i], "fd://");
        daemonjson_done(&j);
        return fd;
}

bool base_uses_fd(const struct drs_cmdline *c) {
        _cleanup_strv_free_ char **words = cmdline_values(c);
        return dockerflags_has_fd_host(words);
}

char **host_listen_texts(const struct drs_host *h) {
        char **v = xcalloc(1, sizeof(char *));
        struct drs_unitset u = {0};
        struct drs_cmdline base = {0};
        struct default_info def = {0};
        struct drs_daemon_json json = {0};

        if (h->systemd && unitset_load(h, &u, NULL) >= 0 && host_base_execstart(h, &base, NULL) >= 0) {
                _cleanup_strv_free_ char **words = cmdline_values(&base);
                collect_tcp(words, h->single_stack, &v);
        }
        if (read_default(h, &u, &base, &def, NULL) >= 0 && def.read_by_unit && !def.braced)
                collect_tcp(def.words, h->single_stack, &v);
        if (h->daemon_json_text && daemonjson_parse(h->daemon_json_path, h->daemon_json_text, &json, NULL) >= 0)
                collect_tcp_hosts((const char *const *) json.hosts, h->single_stack, &v);
        if (h->systemd && h->socket_unit && base.n_words && base_uses_fd(&base)) {
                _cleanup_strv_free_ char **sock = socket_listen_texts(h);
                for (size_t i = 0; sock[i]; i++)
                        if (!strv_contains(v, sock[i]))
                                strv_push(&v, sock[i]);
        }
        daemonjson_done(&json);
        default_info_done(&def);
        cmdline_done(&base);
        unitset_done(&u);
        return v;
}

enum drs_method host_default_method(const struct drs_host *h) {
        struct drs_cmdline base = {0};
        bool fd = false;

        if (!h->systemd)
                return METHOD_DOCKER_OPTS;
        if (host_base_execstart(h, &base, NULL) >= 0)
                fd = base_uses_fd(&base) || json_uses_fd(h);
        cmdline_done(&base);
        return h->socket_unit && fd ? METHOD_SOCKET : METHOD_DROPIN;
}

int host_method_in_effect(const struct drs_host *h, enum drs_method *ret) {
        struct drs_unitset u = {0};
        struct drs_cmdline base = {0};
        struct default_info def = {0};
        _cleanup_strv_free_ char **exec = xcalloc(1, sizeof(char *)), **opts = xcalloc(1, sizeof(char *)),
                                 **sock = socket_listen_texts(h);
        bool fd = false;

        if (h->systemd && unitset_load(h, &u, NULL) >= 0 && host_base_execstart(h, &base, NULL) >= 0) {
                _cleanup_strv_free_ char **words = cmdline_values(&base);
                collect_tcp(words, h->single_stack, &exec);
                fd = base_uses_fd(&base);
        }
        if (read_default(h, &u, &base, &def, NULL) >= 0 && def.read_by_unit && !def.braced)
                collect_tcp(def.words, h->single_stack, &opts);
        default_info_done(&def);
        cmdline_done(&base);
        unitset_done(&u);
        if (h->socket_unit && fd && sock[0])
                *ret = METHOD_SOCKET;
        else if (exec[0])
                *ret = METHOD_DROPIN;
        else if (opts[0])
                *ret = METHOD_DOCKER_OPTS;
        else
                return -ENOENT;
        return 0;
}

/* A time span or count that is zero ("0", "0s", "0ms"): systemd's start limit is off then. */
static bool value_is_zero(const char *v) {
        v += strspn(v, " \t");
        if (*v != '0')
                return false;
        v += strspn(v, "0");
        v += strspn(v, "abcdefghijklmnopqrstuvwxyz");
        return !v[strspn(v, " \t")];
}

/* A [Unit] or [Service] assignment of key a or b: systemd reads the start limit in both sections. */
static bool is_limit(const struct drs_entry *e, const char *a, const char *b) {
        return (streq_ptr(e->section, "Unit") || streq_ptr(e->section, "Service")) &&
               (streq(e->key, a) || (b && streq(e->key, b)));
}

bool unitset_restarts_forever(const struct drs_unitset *u, bool *ret_restarts, char **ret_why) {
        const struct drs_entry *restart = NULL, *interval = NULL, *burst = NULL;
        const struct drs_unit *restart_u = NULL, *interval_u = NULL;

        /* The last assignment wins; an empty one resets to the default (no restart; the limit on). */
        for (size_t i = 0; i < u->n; i++)
                for (size_t j = 0; j < u->units[i]->n_entries; j++) {
                        const struct drs_entry *e = &u->units[i]->entries[j];
                        if (e->kind != ENTRY_ASSIGNMENT)
                                continue;
                        if (streq_ptr(e->section, "Service") && streq(e->key, "Restart")) {
                                restart = *e->value ? e : NULL;
                                restart_u = u->units[i];
                        } else if (is_limit(e, "StartLimitIntervalSec", "StartLimitInterval")) {
                                interval = *e->value ? e : NULL;
                                interval_u = u->units[i];
                        } else if (is_limit(e, "StartLimitBurst", NULL))
                                burst = *e->value ? e : NULL;
                }
        bool restarts = restart && (streq(restart->value, "always") || streq(restart->value, "on-failure"));
        bool unlimited = (interval && value_is_zero(interval->value)) || (burst && value_is_zero(burst->value));

        if (ret_restarts)
                *ret_restarts = restarts;

        if (ret_why && !restarts)
                *ret_why = restart ? xasprintf(_("%s:%u: Restart=%s does not restart dockerd after a failed start"),
                                               restart_u->path, restart->line, restart->value)
                                   : xstrdup(_("docker.service does not restart dockerd after a failed start "
                                               "(no Restart=)"));
        else if (ret_why && !unlimited)
                *ret_why = interval && interval_u != u->units[0]
                                   ? xasprintf(_("%s:%u: %s=%s turns systemd's start limit on again: after a "
                                                 "few failed starts docker.service stays failed"),
                                               interval_u->path, interval->line, interval->key, interval->value)
                                   : xstrdup(_("systemd's start limit is on for docker.service: after a few failed "
                                               "starts it stays failed"));
        else if (ret_why)
                *ret_why = NULL;
        return restarts && unlimited;
}

bool host_restarts_forever(const struct drs_host *h, char **ret_why) {
        struct drs_unitset u = {0};
        bool r = false;

        if (ret_why)
                *ret_why = NULL;
        if (h->systemd && unitset_load(h, &u, NULL) >= 0 && u.n)
                r = unitset_restarts_forever(&u, NULL, ret_why);
        else if (ret_why)
                *ret_why = xstrdup(_("systemd does not manage services on this host"));
        unitset_done(&u);
        return r;
}
