/* plan.c: from what the host has and what the admin asked for, every file to write and why: the
 * checks of docker.service, then one planner per file (plan-dropin.c, plan-socket.c, plan-default.c,
 * plan-json.c, plan-tls.c); the host queries are in plan-host.c. */
#include "plan.h"

#include <errno.h>
#include <string.h>

#include "derive.h"
#include "dockerflags.h"
#include "handoff.h"
#include "i18n.h"
#include "plan-internal.h"
#include "util.h"

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

/* docker.service must exist as a file systemd reads. Returns false (blocked) when it does not. */
static bool check_fragment(struct drs_plan *p, const struct drs_host *h) {
        if (h->systemd && !h->fragment_path) {
                plan_add_finding(p, LEVEL_BLOCK, xstrdup(_("docker.service was not found: Docker is not installed here")),
                                 xstrdup(_("install docker.io (Debian) or docker-ce first")));
                return false;
        }
        if (h->systemd && h->fragment_dangling) {
                plan_add_finding(p, LEVEL_BLOCK,
                                 xasprintf(_("%s is a dangling symbolic link: the file it points to does not exist"),
                                           h->fragment_path),
                                 xstrdup(_("reinstall Docker (docker.io or docker-ce), or remove the link")));
                return false;
        }
        if (h->systemd && !h->fragment_text) {
                plan_add_finding(p, LEVEL_BLOCK, xasprintf(_("docker.service is masked (%s)"), h->fragment_path),
                                 xstrdup(_("unmask it first: systemctl unmask docker.service")));
                return false;
        }
        return true;
}

static void check_no_systemd(struct drs_plan *p, const struct drs_host *h, const struct drs_settings *s) {
        plan_add_finding(p, LEVEL_NOTE, xstrdup(_("systemd does not manage services on this host")),
                         xstrdup(_("DOCKER_OPTS in /etc/default/docker is used; restart Docker yourself "
                                   "with: service docker restart")));
        if (s->method_set && s->method == METHOD_DROPIN)
                plan_add_finding(p, LEVEL_BLOCK, xstrdup(_("--method dropin needs systemd")), NULL);
        if (s->method_set && s->method == METHOD_SOCKET)
                plan_add_finding(p, LEVEL_BLOCK, xstrdup(_("--method socket needs systemd")), NULL);
        plan_choose_method(p, h, s, false);
}

/* Lines systemd ignores, and a unit changed on disk since the manager read it. */
static void note_units(struct drs_plan *p, const struct drs_host *h, const struct drs_unitset *units) {
        for (size_t i = 0; i < units->n; i++)
                for (size_t j = 0; j < units->units[i]->n_entries; j++)
                        if (units->units[i]->entries[j].kind == ENTRY_IGNORED)
                                plan_add_finding(p, LEVEL_NOTE,
                                                 xasprintf(_("%s:%u: systemd ignores this line"),
                                                           units->units[i]->path, units->units[i]->entries[j].line),
                                                 NULL);
        if (h->live && (h->need_daemon_reload || host_live_differs(h)))
                plan_add_finding(p, LEVEL_NOTE, xstrdup(_("docker.service changed on disk since systemd last read it")),
                                 xstrdup(_("the plan starts from the files; the reload before the restart "
                                           "makes them effective")));
}

/* The effective ExecStart and what it needs: an executable, docker.socket for -H fd://, no
 * option left without its value. Returns 0, 1 (blocked: stop planning) or -EBADMSG. */
static int check_execstart(struct drs_plan *p, struct plan_ctx *c) {
        const struct drs_host *h = c->h;
        int r = unitset_load(h, &c->units, c->diag);

        if (r >= 0)
                r = host_base_execstart(h, &c->base, c->diag);
        if (r == -EBADMSG)
                return r;
        if (r < 0) {
                plan_add_finding(p, LEVEL_BLOCK, diag_format(c->diag), NULL);
                diag_done(c->diag);
                return 1;
        }
        note_units(p, h, &c->units);
        c->o.dockerd_path = check_executable(p, h, &c->base);
        if (base_uses_fd(&c->base) && !h->socket_unit) {
                plan_add_finding(p, LEVEL_FIX, xstrdup(_("ExecStart= uses -H fd:// but docker.socket is missing")),
                                 xstrdup(_("the new ExecStart= listens on unix:///var/run/docker.sock instead")));
                c->o.fd_without_socket = true;
        }
        p->base_text = cmdline_format(&c->base);
        _cleanup_strv_free_ char **words = cmdline_values(&c->base);
        const char *d = dockerflags_dangling(words);
        if (d)
                plan_add_finding(p, LEVEL_BLOCK,
                                 xasprintf(_("ExecStart= ends with \"%s\", which needs a value: dockerd "
                                             "does not start like this, and a listener added after it "
                                             "would become its value"),
                                           d),
                                 xstrdup(_("give the option its value or remove it, then run again")));
        plan_choose_method(p, h, c->s, base_uses_fd(&c->base) || json_uses_fd(h));
        return 0;
}

static void plan_start(struct drs_plan *p, struct plan_ctx *c, const struct drs_listener *l) {
        const struct drs_settings *s = c->s;
        _cleanup_free_ char *hp = addr_hostport(&l->addr, l->port);

        p->listener = *l;
        p->mode = s->mode;
        p->method = s->method_set || c->h->systemd ? s->method : METHOD_DOCKER_OPTS;
        p->listen_text = addr_listen_text(&l->addr, l->port, c->h->single_stack);
        p->host_url = xasprintf("tcp://%s", hp);
        c->dropin_path = xasprintf("%s/docker.service.d/%s", drs_unit_dirs[DRS_UNIT_DIR_ETC], settings_dropin_name(s));
        c->extra_hosts = xcalloc(1, sizeof(char *));
        check_listener(p, c->h, s);
}

static void plan_ctx_done(struct plan_ctx *c) {
        cmdline_done(&c->base);
        cmdline_done(&c->without);
        default_info_done(&c->def);
        unitset_done(&c->units);
        strv_free(c->extra_hosts);
        free(c->dropin_path);
        free(c->ca);
        free(c->cert);
        free(c->key);
}

int plan_build(const struct drs_host *h, const struct drs_settings *s, const struct drs_listener *l,
               struct drs_plan **ret, struct drs_diag *diag) {
        struct drs_plan *p = xcalloc(1, sizeof(*p));
        struct plan_ctx c = {.h = h, .s = s, .diag = diag};
        int r = 0;

        plan_start(p, &c, l);
        if (!check_fragment(p, h))
                goto finish;
        if (!h->systemd)
                check_no_systemd(p, h, s);
        if (h->systemd) {
                r = check_execstart(p, &c);
                if (r < 0)
                        goto fail;
                if (r > 0)
                        goto finish;
        }
        r = plan_json(p, &c);
        if (r < 0)
                goto fail;
        c.o.extra_hosts = c.extra_hosts;
        r = read_default(h, &c.units, &c.base, &c.def, diag);
        if (r < 0)
                goto fail;
        c.o.local_socket_elsewhere = c.def.read_by_unit && !c.def.braced && dockerflags_has_local_host(c.def.kept);
        p->old_listen_texts = host_listen_texts(h);

        c.ca = tls_file_path(s, TLS_CA_CERT);
        c.cert = tls_file_path(s, TLS_SERVER_CERT);
        c.key = tls_file_path(s, TLS_SERVER_KEY);
        c.lf = (struct drs_listen_flags) {
                .host_url = p->host_url, .mode = s->mode, .tls_ca = c.ca, .tls_cert = c.cert, .tls_key = c.key};
        if (h->systemd)
                plan_dropin(p, &c);
        plan_default(p, &c);
        if (s->mode == MODE_TLS)
                plan_tls(p, h, s);
        handoff_lines(p, h, s);
finish:
        r = 0;
        *ret = p;
        p = NULL;
fail:
        plan_ctx_done(&c);
        if (p)
                plan_free(p);
        return r;
}
