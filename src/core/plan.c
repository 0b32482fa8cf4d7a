/* plan.c: from what the host has and what the admin asked for, every file to write and why. */
#include "plan.h"

#include <errno.h>
#include <string.h>

#include "daemonjson.h"
#include "derive.h"
#include "dockerflags.h"
#include "envfile.h"
#include "handoff.h"
#include "i18n.h"
#include "util.h"

#define DROPIN_HEADER                                                                       \
        "# Written by docker-remote-setup: the Docker daemon's TCP listener.\n"            \
        "# Lines other than ExecStart= are yours and are kept as they are.\n"               \
        "# History and earlier versions: docker-remote-setup rollback --list\n"
#define DEFAULT_COMMENT "# The Docker daemon's TCP listener (docker-remote-setup).\n"

void plan_add_finding(struct drs_plan *p, enum drs_level level, char *text, char *action) {
        p->findings = xrealloc(p->findings, (p->n_findings + 1) * sizeof(*p->findings));
        p->findings[p->n_findings++] = (struct drs_finding) {.level = level, .text = text, .action = action};
        if (level == LEVEL_BLOCK)
                p->blocked = true;
}

struct drs_file_change *plan_add_file(struct drs_plan *p, enum drs_file_kind kind, const char *path,
                                      const char *old_text, char *new_text, bool applied) {
        p->files = xrealloc(p->files, (p->n_files + 1) * sizeof(*p->files));
        struct drs_file_change *f = &p->files[p->n_files++];
        *f = (struct drs_file_change) {
                .kind = kind, .path = xstrdup(path), .old_text = old_text ? xstrdup(old_text) : NULL,
                .new_text = new_text, .mode = 0644, .applied = applied};
        /* Generated files (new_text NULL) count as changes only when not kept: plan_tls() says. */
        if (applied && new_text && (!old_text || !streq(old_text, new_text)))
                p->changes = true;
        return f;
}

void plan_remove_file(struct drs_plan *p, enum drs_file_kind kind, const char *path, const char *old_text) {
        struct drs_file_change *f = plan_add_file(p, kind, path, old_text, NULL, true);
        f->remove = true;
        if (old_text)
                p->changes = true;
}

void plan_free(struct drs_plan *p) {
        free(p->method_reason);
        free(p->listen_text);
        free(p->host_url);
        free(p->base_text);
        free(p->execstart_text);
        strv_free(p->old_listen_texts);
        for (size_t i = 0; i < p->n_files; i++) {
                free(p->files[i].path);
                free(p->files[i].old_text);
                free(p->files[i].new_text);
        }
        free(p->files);
        for (size_t i = 0; i < p->n_findings; i++) {
                free(p->findings[i].text);
                free(p->findings[i].action);
        }
        free(p->findings);
        strv_free(p->client_lines);
        strv_free(p->allow_from);
        free(p->client_dir);
        free(p->client_tar);
        free(p->client_context);
        free(p->client_url);
        free(p);
}

static char *join_words(char *const *v) {
        struct drs_buf b = {0};
        for (size_t i = 0; v && v[i]; i++)
                buf_appendf(&b, "%s%s", i ? " " : "", v[i]);
        return buf_steal(&b);
}

/* The TCP listeners among -H values (or daemon.json's "hosts"), as dockerd logs them. */
static void collect_tcp_hosts(const char *const *hosts, char ***out) {
        for (size_t i = 0; hosts && hosts[i]; i++)
                if (derive_host_is_tcp(hosts[i])) {
                        char *t = listen_text_from_host(hosts[i]);
                        if (t)
                                strv_consume(out, t);
                }
}

/* The TCP listeners of a dockerd word list. */
static void collect_tcp(char *const *words, char ***out) {
        _cleanup_free_ const char **hosts = dockerflags_hosts(words);
        collect_tcp_hosts(hosts, out);
}

static char **cmdline_values(const struct drs_cmdline *c) {
        char **v = xcalloc(1, sizeof(char *));
        for (size_t i = cmdline_first_arg(c); i < c->n_words; i++)
                strv_push(&v, c->words[i].value);
        return v;
}

/* What the state of /etc/default/docker means for dockerd. */
struct default_info {
        struct drs_envfile env;
        bool read_by_unit;      /* EnvironmentFile= names it and ExecStart uses $DOCKER_OPTS */
        bool braced;            /* ${DOCKER_OPTS}: one argument, cannot carry flags */
        char **words;           /* DOCKER_OPTS split */
        char **kept;            /* DOCKER_OPTS without TCP listeners and TLS flags */
        struct drs_derive_notes notes;
};

static void default_info_done(struct default_info *d) {
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

static int read_default(const struct drs_host *h, const struct drs_unitset *u, const struct drs_cmdline *base,
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

static bool words_have_local(char *const *w) {
        return dockerflags_has_local_host(w);
}

/* A listener address as one word without blanks, control characters or quotes: what dockerd
 * accepts, and what a -H flag in DOCKER_OPTS can carry. */
static bool host_is_one_word(const char *host) {
        if (!*host)
                return false;
        for (const unsigned char *c = (const unsigned char *) host; *c; c++)
                if (*c <= ' ' || *c == 0x7f || strchr("\"'\\`$", *c))
                        return false;
        return true;
}

/* Whether daemon.json's "hosts" takes a listener from systemd (fd://): dockerd is then socket
 * activated as with -H fd:// in ExecStart= (that host moves to -H fd:// when the file is fixed). */
static bool json_uses_fd(const struct drs_host *h) {
        struct drs_daemon_json j = {0};
        bool fd = false;

        if (h->daemon_json_text && daemonjson_parse(h->daemon_json_path, h->daemon_json_text, &j, NULL) >= 0)
                for (size_t i = 0; j.hosts && j.hosts[i]; i++)
                        fd = fd || startswith(j.hosts[i], "fd://");
        daemonjson_done(&j);
        return fd;
}

static bool base_uses_fd(const struct drs_cmdline *c) {
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
                collect_tcp(words, &v);
        }
        if (read_default(h, &u, &base, &def, NULL) >= 0 && def.read_by_unit && !def.braced)
                collect_tcp(def.words, &v);
        if (h->daemon_json_text && daemonjson_parse(h->daemon_json_path, h->daemon_json_text, &json, NULL) >= 0)
                collect_tcp_hosts((const char *const *) json.hosts, &v);
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
                collect_tcp(words, &exec);
                fd = base_uses_fd(&base);
        }
        if (read_default(h, &u, &base, &def, NULL) >= 0 && def.read_by_unit && !def.braced)
                collect_tcp(def.words, &opts);
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

/* Findings about the listener itself: exposure and authentication. */
static void check_listener(struct drs_plan *p, const struct drs_host *h, const struct drs_settings *s) {
        const struct drs_iface *i = p->listener.iface ? iface_list_find(&h->ifaces, p->listener.iface) : NULL;
        char a[46];
        addr_to_string(&p->listener.addr, a);

        if (i && !i->up)
                plan_add_finding(p, LEVEL_WARN, xasprintf(_("interface \"%s\" is down"), i->name),
                                 xstrdup(_("dockerd can listen on its address, but no client reaches it until it is up")));

        if (addr_class_needs_allow_public(p->listener.cls))
                plan_add_finding(p, LEVEL_WARN,
                                 xasprintf(s->allow_public_typed
                                                   ? _("%s (%s): the Docker API will be reachable from outside this "
                                                       "network (allowed: you typed the confirmation)")
                                                   : _("%s (%s): the Docker API will be reachable from outside this "
                                                       "network (allowed by --allow-public)"),
                                           a, addr_class_label(p->listener.cls)),
                                 xstrdup(_("only clients with a certificate from this host's CA get in")));
        if (s->mode == MODE_PLAIN)
                plan_add_finding(p, LEVEL_WARN,
                                 xasprintf(_("plain TCP has no authentication: anyone who can reach %s controls "
                                             "this host as root"),
                                           p->listen_text),
                                 NULL);
}

/* Pre-flight findings about docker.service and its drop-ins. */
static void check_dropin_order(struct drs_plan *p, const struct drs_host *h, const char *ours) {
        const char *name = strrchr(ours, '/') + 1;

        for (size_t i = 0; i < h->n_dropins; i++) {
                const struct drs_dropin_source *d = &h->dropins[i];
                const char *dn = strrchr(d->path, '/') + 1;
                int c = strcmp(dn, name);
                bool masks_ours = c == 0 && !d->type_level && d->dir_rank < DRS_UNIT_DIR_ETC;
                _cleanup_(unit_freep) struct drs_unit *u = NULL;

                if (masks_ours) {
                        plan_add_finding(p, LEVEL_BLOCK,
                                         xasprintf(_("%s takes precedence over %s, so our drop-in would be ignored"),
                                                   d->path, ours),
                                         xstrdup(_("remove it, or choose another drop-in name with --dropin")));
                        continue;
                }
                /* Masked (/dev/null) or hidden by a masked one of its name: systemd reads nothing. */
                if (c <= 0 || !d->text || unitset_dropin_hidden(h, d) || unit_parse(d->path, d->text, &u, NULL) < 0)
                        continue;
                if (unit_sets(u, "Service", "ExecStart"))
                        plan_add_finding(p, LEVEL_BLOCK,
                                         xasprintf(_("%s is applied after %s and sets ExecStart=, so our listener "
                                                     "would be overridden"),
                                                   d->path, ours),
                                         xasprintf(_("remove its ExecStart= lines, or use --dropin with a name that "
                                                     "sorts after \"%s\""),
                                                   dn));
        }
}

static const struct drs_dropin_source *find_dropin(const struct drs_host *h, const char *path) {
        for (size_t i = 0; i < h->n_dropins; i++)
                if (streq(h->dropins[i].path, path))
                        return &h->dropins[i];
        return NULL;
}

/* The executable: kept when it exists, else the dockerd that does. */
static const char *check_executable(struct drs_plan *p, const struct drs_host *h, const struct drs_cmdline *base) {
        const char *path = base->words[0].value;

        if (strv_contains(h->executables, path) || strpbrk(path, "$%"))
                return NULL;
        if (h->executables && h->executables[0]) {
                plan_add_finding(p, LEVEL_FIX, xasprintf(_("ExecStart= runs %s, which does not exist here"), path),
                                 xasprintf(_("the new ExecStart= runs %s instead"), h->executables[0]));
                return h->executables[0];
        }
        plan_add_finding(p, LEVEL_BLOCK, xasprintf(_("dockerd was not found (ExecStart= names %s)"), path),
                         xstrdup(_("install Docker (docker.io or docker-ce) first")));
        return NULL;
}

static bool unit_text_sets_execstart(const char *text) {
        _cleanup_(unit_freep) struct drs_unit *u = NULL;
        return unit_parse("drop-in", text, &u, NULL) >= 0 && unit_sets(u, "Service", "ExecStart");
}

/* The effective ExecStart without the drop-in at path. */
static int execstart_without_dropin(const struct drs_host *h, const char *path, struct drs_cmdline *ret) {
        struct drs_host rest = *h;
        struct drs_unitset u = {0};
        _cleanup_free_ struct drs_dropin_source *d = xcalloc(h->n_dropins + 1, sizeof(*d));
        int r;

        rest.n_dropins = 0;
        for (size_t i = 0; i < h->n_dropins; i++)
                if (!streq(h->dropins[i].path, path))
                        d[rest.n_dropins++] = h->dropins[i];
        rest.dropins = d;
        r = unitset_load(&rest, &u, NULL);
        if (r >= 0)
                r = unitset_execstart(&u, ret, NULL, NULL);
        unitset_done(&u);
        return r;
}

/* Socket method on a host where our drop-in overrides ExecStart (an earlier version's listener):
 * when the ExecStart under it is what ours would be without our listener, our ExecStart= lines
 * go, and nothing freezes the package's command line any more. */
static bool plan_socket_unfreeze(struct drs_plan *p, const struct drs_host *h, const char *path,
                                 const struct drs_cmdline *without, const struct drs_derive_opts *o) {
        struct drs_cmdline rest = {0}, stripped = {0};
        struct drs_derive_opts none = {0};
        bool ok = false;

        if (o->dockerd_path || o->fd_without_socket || (o->extra_hosts && o->extra_hosts[0]) ||
            execstart_without_dropin(h, path, &rest) < 0)
                goto out;
        derive_execstart(&rest, &none, &stripped, NULL);
        ok = cmdline_equal(&stripped, &rest) && cmdline_equal(&stripped, without);
        if (ok) {
                plan_service_dropin_removal(p, path, find_dropin(h, path)->text, DROPIN_HEADER);
                free(p->execstart_text);
                p->execstart_text = cmdline_format(&rest);
        }
out:
        cmdline_done(&rest);
        cmdline_done(&stripped);
        return ok;
}

int plan_build(const struct drs_host *h, const struct drs_settings *s, const struct drs_listener *l,
               struct drs_plan **ret, struct drs_diag *diag) {
        struct drs_plan *p = xcalloc(1, sizeof(*p));
        struct drs_unitset units = {0};
        struct drs_cmdline base = {0}, with = {0}, without = {0};
        struct drs_daemon_json json = {0};
        struct default_info def = {0};
        struct drs_derive_notes notes = {0};
        _cleanup_strv_free_ char **extra_hosts = xcalloc(1, sizeof(char *));
        _cleanup_free_ char *dropin_path = NULL, *ca = NULL, *cert = NULL, *key = NULL;
        struct drs_derive_opts o = {0};
        struct drs_listen_flags lf;
        int r;

        p->listener = *l;
        p->mode = s->mode;
        p->method = s->method_set || h->systemd ? s->method : METHOD_DOCKER_OPTS;
        p->listen_text = addr_listen_text(&l->addr, l->port);
        {
                _cleanup_free_ char *hp = addr_hostport(&l->addr, l->port);
                p->host_url = xasprintf("tcp://%s", hp);
        }
        dropin_path = xasprintf("%s/docker.service.d/%s", drs_unit_dirs[DRS_UNIT_DIR_ETC], settings_dropin_name(s));
        check_listener(p, h, s);

        if (h->systemd && !h->fragment_path) {
                plan_add_finding(p, LEVEL_BLOCK, xstrdup(_("docker.service was not found: Docker is not installed here")),
                                 xstrdup(_("install docker.io (Debian) or docker-ce first")));
                goto finish;
        }
        if (h->systemd && h->fragment_dangling) {
                plan_add_finding(p, LEVEL_BLOCK,
                                 xasprintf(_("%s is a dangling symbolic link: the file it points to does not exist"),
                                           h->fragment_path),
                                 xstrdup(_("reinstall Docker (docker.io or docker-ce), or remove the link")));
                goto finish;
        }
        if (h->systemd && !h->fragment_text) {
                plan_add_finding(p, LEVEL_BLOCK, xasprintf(_("docker.service is masked (%s)"), h->fragment_path),
                                 xstrdup(_("unmask it first: systemctl unmask docker.service")));
                goto finish;
        }
        if (!h->systemd) {
                plan_add_finding(p, LEVEL_NOTE, xstrdup(_("systemd does not manage services on this host")),
                                 xstrdup(_("DOCKER_OPTS in /etc/default/docker is used; restart Docker yourself "
                                           "with: service docker restart")));
                if (s->method_set && s->method == METHOD_DROPIN)
                        plan_add_finding(p, LEVEL_BLOCK, xstrdup(_("--method dropin needs systemd")), NULL);
                if (s->method_set && s->method == METHOD_SOCKET)
                        plan_add_finding(p, LEVEL_BLOCK, xstrdup(_("--method socket needs systemd")), NULL);
                plan_choose_method(p, h, s, false);
        }

        if (h->systemd) {
                r = unitset_load(h, &units, diag);
                if (r >= 0)
                        r = host_base_execstart(h, &base, diag);
                if (r == -EBADMSG)
                        goto fail;
                if (r < 0) {
                        plan_add_finding(p, LEVEL_BLOCK, diag_format(diag), NULL);
                        diag_done(diag);
                        goto finish;
                }
                for (size_t i = 0; i < units.n; i++)
                        for (size_t j = 0; j < units.units[i]->n_entries; j++)
                                if (units.units[i]->entries[j].kind == ENTRY_IGNORED)
                                        plan_add_finding(p, LEVEL_NOTE,
                                                         xasprintf(_("%s:%u: systemd ignores this line"),
                                                                   units.units[i]->path, units.units[i]->entries[j].line),
                                                         NULL);
                if (h->live && (h->need_daemon_reload || host_live_differs(h)))
                        plan_add_finding(p, LEVEL_NOTE,
                                         xstrdup(_("docker.service changed on disk since systemd last read it")),
                                         xstrdup(_("the plan starts from the files; the reload before the restart "
                                                   "makes them effective")));
                o.dockerd_path = check_executable(p, h, &base);
                if (base_uses_fd(&base) && !h->socket_unit) {
                        plan_add_finding(p, LEVEL_FIX, xstrdup(_("ExecStart= uses -H fd:// but docker.socket is missing")),
                                         xstrdup(_("the new ExecStart= listens on unix:///var/run/docker.sock instead")));
                        o.fd_without_socket = true;
                }
                p->base_text = cmdline_format(&base);
                {
                        _cleanup_strv_free_ char **words = cmdline_values(&base);
                        const char *d = dockerflags_dangling(words);
                        if (d)
                                plan_add_finding(p, LEVEL_BLOCK,
                                                 xasprintf(_("ExecStart= ends with \"%s\", which needs a value: dockerd "
                                                             "does not start like this, and a listener added after it "
                                                             "would become its value"),
                                                           d),
                                                 xstrdup(_("give the option its value or remove it, then run again")));
                }
                plan_choose_method(p, h, s, base_uses_fd(&base) || json_uses_fd(h));
        }

        /* daemon.json: "hosts" or TLS keys next to -H flags stop dockerd from starting. */
        if (h->daemon_json_text) {
                r = daemonjson_parse(h->daemon_json_path, h->daemon_json_text, &json, diag);
                if (r < 0)
                        goto fail;
                /* The socket method sets the TLS keys itself (plan_socket_json). */
                if (json.has_hosts || (json.tls_keys && p->method != METHOD_SOCKET)) {
                        struct drs_buf keys = {0};
                        bool fd = h->systemd && base_uses_fd(&base);
                        if (json.has_hosts)
                                buf_append(&keys, "\"hosts\"");
                        for (size_t i = 0; json.tls_keys && json.tls_keys[i]; i++)
                                buf_appendf(&keys, "%s\"%s\"", keys.len ? ", " : "", json.tls_keys[i]);
                        /* Local sockets move to -H flags, unless -H fd:// serves the default one. */
                        for (size_t i = 0; json.hosts && json.hosts[i]; i++)
                                if (!host_is_one_word(json.hosts[i]))
                                        plan_add_finding(p, LEVEL_BLOCK,
                                                         xasprintf(_("%s: \"hosts\" has \"%s\", which is not an address "
                                                                     "dockerd can listen on"),
                                                                   h->daemon_json_path, json.hosts[i]),
                                                         xstrdup(_("correct or remove it in the file, then run again")));
                                else if (!derive_host_is_tcp(json.hosts[i]) &&
                                    !(fd && (streq(json.hosts[i], "unix:///var/run/docker.sock") ||
                                             streq(json.hosts[i], "unix:///run/docker.sock") ||
                                             startswith(json.hosts[i], "fd://")))) {
                                        /* fd:// needs docker.socket: without it, the default socket
                                         * itself, as for -H fd:// in ExecStart= (derive). Else the
                                         * next run would make that change (not idempotent). */
                                        const char *host = startswith(json.hosts[i], "fd://") && !h->socket_unit
                                                                   ? "unix:///var/run/docker.sock"
                                                                   : json.hosts[i];
                                        if (!strv_contains(extra_hosts, host))
                                                strv_push(&extra_hosts, host);
                                }
                        plan_add_finding(p, LEVEL_FIX,
                                         xasprintf(_("%s sets %s: dockerd refuses to start when a setting is both "
                                                     "a flag and in the file"),
                                                   h->daemon_json_path, keys.data),
                                         xstrdup(_("those keys are removed from the file; its local sockets move to "
                                                   "-H flags, its TCP listeners are replaced")));
                        buf_free(&keys);
                        if (p->method != METHOD_SOCKET)
                                plan_add_file(p, FILE_DAEMON_JSON, h->daemon_json_path, h->daemon_json_text,
                                              daemonjson_without_listener_keys(h->daemon_json_text), true);
                }
        }
        o.extra_hosts = extra_hosts;

        r = read_default(h, &units, &base, &def, diag);
        if (r < 0)
                goto fail;
        o.local_socket_elsewhere = def.read_by_unit && !def.braced && words_have_local(def.kept);
        p->old_listen_texts = host_listen_texts(h);

        ca = tls_file_path(s, TLS_CA_CERT);
        cert = tls_file_path(s, TLS_SERVER_CERT);
        key = tls_file_path(s, TLS_SERVER_KEY);
        lf = (struct drs_listen_flags) {.host_url = p->host_url, .mode = s->mode, .tls_ca = ca, .tls_cert = cert, .tls_key = key};

        /* The drop-in: both variants, the one with our listener and the one without. */
        if (h->systemd) {
                const struct drs_dropin_source *old = find_dropin(h, dropin_path);
                const char *old_text = old ? old->text : NULL;
                o.listen = &lf;
                derive_execstart(&base, &o, &with, &notes);
                o.listen = NULL;
                derive_execstart(&base, &o, &without, NULL);
                bool use_dropin = p->method == METHOD_DROPIN;
                const struct drs_cmdline *target = use_dropin ? &with : &without;
                bool needed = !cmdline_equal(target, &base);
                _cleanup_free_ char *line = cmdline_format(needed || !use_dropin ? target : &with);

                p->execstart_text = cmdline_format(target);
                if (p->method == METHOD_SOCKET && old_text && unit_text_sets_execstart(old_text) &&
                    plan_socket_unfreeze(p, h, dropin_path, &without, &o))
                        ; /* our ExecStart= lines go: the vendor's ExecStart is in effect again */
                else if (p->method != METHOD_SOCKET || needed)
                        plan_add_file(p, FILE_DROPIN, dropin_path, old_text,
                                      dropin_set_execstart(old_text, line, DROPIN_HEADER), needed);
                if (needed)
                        check_dropin_order(p, h, dropin_path);
                for (size_t i = 0; notes.removed && i < strv_length(notes.removed); i++)
                        if (!strv_contains(notes.added, notes.removed[i]))
                                plan_add_finding(p, LEVEL_NOTE,
                                                 xasprintf(_("ExecStart= has \"%s\"; it is replaced"), notes.removed[i]),
                                                 NULL);
                plan_socket_dropin(p, h, s, p->method == METHOD_SOCKET);
                if (p->method == METHOD_SOCKET) {
                        plan_socket_clash(p, &units, h->daemon_json_path);
                        plan_socket_json(p, h, ca, cert, key);
                }
        }

        /* /etc/default/docker: our DOCKER_OPTS with the docker-opts method; without it, only
         * TCP listeners and TLS flags of an older setup removed. */
        {
                bool use_default = p->method == METHOD_DOCKER_OPTS;
                /* A local socket in the ExecStart= that runs with DOCKER_OPTS (the one without our
                 * listener, as the drop-in would have it): what a second run reads back. */
                bool other = h->systemd &&
                             derive_has_local_host(without.words, without.n_words, cmdline_first_arg(&without));
                /* The socket an earlier run added after its listener comes back after ours when
                 * nothing else gives a local socket: running twice writes the same line. */
                _cleanup_strv_free_ char **moved = derive_words_without_added_socket(def.words),
                                         **moved_kept = derive_strip_words(moved, NULL);
                bool move = !other && !words_have_local(moved_kept);
                _cleanup_strv_free_ char **all = strv_copy(move ? moved_kept : def.kept);
                /* The local sockets taken out of daemon.json: in the drop-in's ExecStart, and here
                 * when DOCKER_OPTS is the method (no drop-in is written then). */
                for (size_t i = 0; extra_hosts && extra_hosts[i]; i++) {
                        strv_push(&all, "-H");
                        strv_push(&all, extra_hosts[i]);
                }
                bool local = other || words_have_local(all);
                _cleanup_strv_free_ char **ours = derive_listen_words(&lf, !local);
                for (size_t i = 0; ours[i]; i++)
                        strv_push(&all, ours[i]);
                /* Stripped: the socket an earlier run added with its listener goes with it when ExecStart=
                 * gives a local socket anyway (dockerd would otherwise listen on it twice). */
                _cleanup_free_ char *with_v = join_words(all), *without_v = join_words(other ? moved_kept : def.kept);
                bool strip_needed = !use_default && def.read_by_unit && def.notes.removed;

                if (use_default && h->systemd && (!def.read_by_unit || def.braced))
                        plan_add_finding(p, LEVEL_BLOCK,
                                         xstrdup(def.braced ? _("ExecStart= passes ${DOCKER_OPTS} as one argument, so "
                                                                "it cannot carry flags")
                                                            : _("docker.service does not read DOCKER_OPTS from "
                                                                "/etc/default/docker (docker-ce's unit does not)")),
                                         xstrdup(_("use --method dropin")));
                if (use_default && !envfile_value_safe(with_v))
                        plan_add_finding(p, LEVEL_BLOCK,
                                         xstrdup(_("DOCKER_OPTS would need quoting that dockerd's unit cannot pass on")),
                                         xstrdup(_("choose a TLS directory without spaces, quotes or '$'")));
                if (strip_needed)
                        plan_add_finding(p, LEVEL_FIX,
                                         xasprintf(_("DOCKER_OPTS in /etc/default/docker sets \"%s\""), def.notes.removed[0]),
                                         xstrdup(_("removed there; the listener is set in the drop-in")));
                if (use_default)
                        p->execstart_text = p->execstart_text ? p->execstart_text : xstrdup("dockerd $DOCKER_OPTS");
                plan_add_file(p, FILE_DEFAULT, DRS_DEFAULT_DOCKER, h->default_docker_text,
                         envfile_set(h->default_docker_text, &def.env, "DOCKER_OPTS",
                                     use_default || !strip_needed ? with_v : without_v, DEFAULT_COMMENT),
                         use_default || strip_needed);
        }

        if (s->mode == MODE_TLS)
                plan_tls(p, h, s);
        handoff_lines(p, h, s);
finish:
        r = 0;
        *ret = p;
        p = NULL;
fail:
        derive_notes_done(&notes);
        cmdline_done(&base);
        cmdline_done(&with);
        cmdline_done(&without);
        daemonjson_done(&json);
        default_info_done(&def);
        unitset_done(&units);
        if (p)
                plan_free(p);
        return r;
}
