/* unitset.c: docker.service as systemd applies it: fragment plus drop-ins in order, and its ExecStart. */
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "daemonjson.h"
#include "envfile.h"
#include "i18n.h"
#include "plan.h"
#include "util.h"

const char *const drs_unit_dirs[] = {
        "/etc/systemd/system.control",
        "/run/systemd/system.control",
        "/run/systemd/transient",
        "/run/systemd/generator.early",
        "/etc/systemd/system",
        "/etc/systemd/system.attached",
        "/run/systemd/system",
        "/run/systemd/system.attached",
        "/run/systemd/generator",
        "/usr/local/lib/systemd/system",
        "/usr/lib/systemd/system",
        "/lib/systemd/system",
        "/run/systemd/generator.late",
        NULL,
};

void host_done(struct drs_host *h) {
        free(h->root);
        free(h->hostname);
        free(h->fragment_path);
        free(h->fragment_text);
        for (size_t i = 0; i < h->n_dropins; i++) {
                free(h->dropins[i].path);
                free(h->dropins[i].text);
        }
        free(h->dropins);
        for (size_t i = 0; i < h->n_socket_dropins; i++) {
                free(h->socket_dropins[i].path);
                free(h->socket_dropins[i].text);
        }
        free(h->socket_dropins);
        free(h->live_exec_path);
        strv_free(h->live_exec_argv);
        strv_free(h->live_exec_flags);
        free(h->default_docker_text);
        for (size_t i = 0; i < h->n_env_files; i++) {
                free(h->env_files[i].path);
                free(h->env_files[i].text);
        }
        free(h->env_files);
        free(h->daemon_json_path);
        free(h->daemon_json_text);
        strv_free(h->executables);
        free(h->dockerd_version);
        iface_list_done(&h->ifaces);
        *h = (struct drs_host) {0};
}

static const char *base_name(const char *path) {
        const char *s = strrchr(path, '/');
        return s ? s + 1 : path;
}

/* Unit-specific before service.d/, then by directory priority: the first of a name wins. */
static int precedence(const struct drs_dropin_source *a, const struct drs_dropin_source *b) {
        if (a->type_level != b->type_level)
                return a->type_level ? 1 : -1;
        return a->dir_rank < b->dir_rank ? -1 : a->dir_rank > b->dir_rank;
}

bool unitset_dropin_hidden(const struct drs_host *h, const struct drs_dropin_source *d) {
        for (size_t i = 0; i < h->n_dropins; i++) {
                const struct drs_dropin_source *o = &h->dropins[i];
                if (o != d && streq(base_name(o->path), base_name(d->path)) && precedence(o, d) < 0)
                        return true;
        }
        return false;
}

static int cmp_dropins(const void *x, const void *y) {
        const struct drs_dropin_source *a = *(const struct drs_dropin_source *const *) x,
                                       *b = *(const struct drs_dropin_source *const *) y;
        int c = strcmp(base_name(a->path), base_name(b->path));
        return c ? c : precedence(a, b);
}

/* Parses drop-ins into u in systemd's order: sorted by file name, the first of a name taking
 * precedence (the others hidden), a masked one (no text) read as nothing. */
static int add_dropins(const struct drs_dropin_source *dropins, size_t n, struct drs_unitset *u, struct drs_diag *diag) {
        _cleanup_free_ const struct drs_dropin_source **order = xcalloc(n + 1, sizeof(*order));
        int r;

        for (size_t i = 0; i < n; i++)
                order[i] = &dropins[i];
        qsort(order, n, sizeof(*order), cmp_dropins);
        for (size_t i = 0; i < n; i++) {
                if (i > 0 && streq(base_name(order[i]->path), base_name(order[i - 1]->path)))
                        continue; /* hidden by the one before */
                if (!order[i]->text)
                        continue; /* masked */
                r = unit_parse(order[i]->path, order[i]->text, &u->units[u->n], diag);
                if (r < 0)
                        return r;
                u->n++;
        }
        return 0;
}

int unitset_load(const struct drs_host *h, struct drs_unitset *ret, struct drs_diag *diag) {
        struct drs_unitset u = {0};
        int r;

        if (!h->fragment_path || !h->fragment_text) {
                *ret = u;
                return 0;
        }
        u.units = xcalloc(h->n_dropins + 1, sizeof(struct drs_unit *));
        r = unit_parse(h->fragment_path, h->fragment_text, &u.units[0], diag);
        if (r < 0) {
                unitset_done(&u);
                return r;
        }
        u.n = 1;
        r = add_dropins(h->dropins, h->n_dropins, &u, diag);
        if (r < 0) {
                unitset_done(&u);
                return r;
        }
        *ret = u;
        return 0;
}

int unitset_load_socket_dropins(const struct drs_host *h, struct drs_unitset *ret) {
        struct drs_unitset u = {.units = xcalloc(h->n_socket_dropins + 1, sizeof(struct drs_unit *))};
        int r = add_dropins(h->socket_dropins, h->n_socket_dropins, &u, NULL);

        if (r < 0)
                unitset_done(&u);
        *ret = r < 0 ? (struct drs_unitset) {0} : u;
        return r;
}

void unitset_done(struct drs_unitset *u) {
        for (size_t i = 0; i < u->n; i++)
                unit_free(u->units[i]);
        free(u->units);
        *u = (struct drs_unitset) {0};
}

int unitset_execstart(const struct drs_unitset *u, struct drs_cmdline *ret, struct drs_setting *ret_where,
                      struct drs_diag *diag) {
        _cleanup_free_ struct drs_setting *v = NULL;
        const char *reason = NULL;
        size_t n;
        int r;

        if (u->n == 0) {
                diag_set(diag, NULL, 0, _("docker.service was not found"));
                return -ENOENT;
        }
        n = unit_fold_setting(u->units, u->n, "Service", "ExecStart", &v);
        if (n == 0) {
                diag_set(diag, u->units[0]->path, 0, _("docker.service has no ExecStart="));
                return -ENOENT;
        }
        if (n > 1) {
                diag_set(diag, v[n - 1].unit->path, v[n - 1].line,
                         _("docker.service ends up with %zu ExecStart= commands (the other at %s:%u); "
                           "a drop-in must reset it with an empty \"ExecStart=\" first"),
                         n, v[0].unit->path, v[0].line);
                return -E2BIG;
        }
        r = cmdline_parse(v[0].value, ret, &reason);
        if (r == -E2BIG || r == -EINVAL) {
                diag_set(diag, v[0].unit->path, v[0].line, _("ExecStart= cannot be read: %s"), reason);
                return -EBADMSG;
        }
        if (r < 0)
                return r;
        if (ret_where)
                *ret_where = v[0];
        return 0;
}

int host_base_execstart(const struct drs_host *h, struct drs_cmdline *ret, struct drs_diag *diag) {
        struct drs_unitset u = {0};
        int r;

        /* The files, not the manager's copy: our reload makes them effective, and systemd does
         * not even flag a drop-in directory created since the last reload as a change. */
        r = unitset_load(h, &u, diag);
        if (r >= 0)
                r = unitset_execstart(&u, ret, NULL, diag);
        unitset_done(&u);
        if (r < 0 && r != -EBADMSG && h->live && h->live_exec_argv) {
                diag_done(diag);
                cmdline_from_argv(h->live_exec_path, h->live_exec_argv, h->live_exec_flags, ret);
                return 0;
        }
        return r;
}

bool host_live_differs(const struct drs_host *h) {
        struct drs_cmdline files = {0}, live = {0};
        bool differs;

        if (!h->live || !h->live_exec_argv || host_base_execstart(h, &files, NULL) < 0)
                return false;
        cmdline_from_argv(h->live_exec_path, h->live_exec_argv, h->live_exec_flags, &live);
        differs = !cmdline_equal(&files, &live);
        cmdline_done(&files);
        cmdline_done(&live);
        return differs;
}

char *listen_text_from_host(const char *host) {
        const char *hp = startswith(host, "tcp://") ? host + 6 : host;
        const char *colon;
        _cleanup_free_ char *h = NULL;

        if (strstr(hp, "://") || strchr(hp, '$') || !(colon = strrchr(hp, ':')))
                return NULL;
        h = xstrndup(hp, (size_t) (colon - hp));
        if (!*h || streq(h, "0.0.0.0") || streq(h, "[::]"))
                return xasprintf("[::]%s", colon);
        return xasprintf("%s%s", h, colon);
}

/* Reads -D/--debug and -l/--log-level as dockerd's pflag does; *level points into words. */
static void scan_log_flags(char *const *w, const char **level, bool *debug) {
        for (size_t i = 0; w && w[i]; i++) {
                const char *v = w[i];
                if (streq(v, "-D") || streq(v, "--debug") || streq(v, "--debug=true"))
                        *debug = true;
                else if ((streq(v, "-l") || streq(v, "--log-level")) && w[i + 1])
                        *level = w[++i];
                else if (startswith(v, "--log-level="))
                        *level = v + 12;
                else if (startswith(v, "-l") && v[2])
                        *level = v + 2 + (v[2] == '=');
        }
}

bool dockerd_logs_info(char *const *words, const char *json_path, const char *json_text) {
        static const char *const quiet[] = {"warn", "warning", "error", "fatal", "panic"};
        struct drs_daemon_json j = {0};
        const char *level = NULL;
        bool debug = false, logs = true;

        scan_log_flags(words, &level, &debug);
        if (json_text && daemonjson_parse(json_path, json_text, &j, NULL) >= 0) {
                debug = debug || j.debug;
                if (!level)
                        level = j.log_level;
        }
        for (size_t i = 0; level && !debug && i < ELEMENTSOF(quiet); i++)
                if (strcasecmp(level, quiet[i]) == 0)
                        logs = false;
        daemonjson_done(&j);
        return logs;
}

bool host_logs_info(const struct drs_host *h) {
        struct drs_cmdline base = {0};
        struct drs_envfile env = {0};
        _cleanup_strv_free_ char **words = xcalloc(1, sizeof(char *));
        bool logs;

        if (host_base_execstart(h, &base, NULL) >= 0) {
                for (size_t i = cmdline_first_arg(&base); i < base.n_words; i++)
                        strv_push(&words, base.words[i].value);
                if (h->default_docker_text && derive_uses_variable(&base, "DOCKER_OPTS", NULL) &&
                    envfile_parse(DRS_DEFAULT_DOCKER, h->default_docker_text, &env, NULL) >= 0 &&
                    envfile_get(&env, "DOCKER_OPTS")) {
                        _cleanup_strv_free_ char **opts = envfile_split_words(envfile_get(&env, "DOCKER_OPTS")->value);
                        for (size_t i = 0; opts[i]; i++)
                                strv_push(&words, opts[i]);
                }
        }
        logs = dockerd_logs_info(words, h->daemon_json_path, h->daemon_json_text);
        envfile_done(&env);
        cmdline_done(&base);
        return logs;
}
