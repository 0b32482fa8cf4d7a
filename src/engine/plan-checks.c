/* plan-checks.c: the plan plus what only the live system can tell (bind test, symlinks, TLS files). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine.h"
#include "i18n.h"
#include "probe.h"
#include "rootfs.h"
#include "tlsgen.h"
#include "util.h"

/* Whether the existing TLS material can serve this address. */
static void look_at_tls(struct drs_engine *e, const struct drs_settings *s, const struct drs_listener *l) {
        _cleanup_free_ char *ca = NULL, *cert = NULL, *ca_path = xasprintf("%s/ca.pem", settings_tls_dir(s)),
                            *cert_path = xasprintf("%s/server-cert.pem", settings_tls_dir(s));
        struct drs_tls_state *t = &e->host.tls;
        int r;

        *t = (struct drs_tls_state) {0};
        if (rootfs_read(e->rootfd, ca_path, &ca) < 0 || rootfs_read(e->rootfd, cert_path, &cert) < 0)
                return;
        t->present = true;
        r = tlsgen_check_reusable(ca, cert, &l->addr, time(NULL), &t->expiry, &t->reason);
        if (r < 0)
                t->reason = _("the certificates there cannot be read");
        t->reusable = r > 0;
}

/* Symlinks on the way to a file we write are refused: we never write through them. */
static void check_write_target(struct drs_engine *e, struct drs_plan *p, const char *path) {
        _cleanup_free_ char *dir = xstrdup(path);
        struct stat st;

        if (rootfs_lstat(e->rootfd, path, &st) >= 0 && S_ISLNK(st.st_mode)) {
                plan_add_finding(p, LEVEL_BLOCK, xasprintf(_("%s is a symbolic link"), path),
                                 xstrdup(_("docker-remote-setup never writes through a symbolic link; replace it "
                                           "with a regular file")));
                return;
        }
        for (char *slash = strrchr(dir, '/'); slash && slash != dir; slash = strrchr(dir, '/')) {
                *slash = '\0';
                if (rootfs_lstat(e->rootfd, dir, &st) < 0)
                        continue; /* created at apply time */
                if (S_ISLNK(st.st_mode)) {
                        plan_add_finding(p, LEVEL_BLOCK, xasprintf(_("%s is a symbolic link"), dir),
                                         xstrdup(_("docker-remote-setup never writes through a symbolic link; "
                                                   "replace it with a real directory")));
                        return;
                }
        }
}

static void check_bind(struct drs_plan *p, const struct drs_listener *l) {
        char a[46];
        int r = probe_bind(&l->addr, l->port);

        addr_to_string(&l->addr, a);
        if (r == -EADDRINUSE && strv_contains(p->old_listen_texts, p->listen_text))
                plan_add_finding(p, LEVEL_OK, xasprintf(_("port %u on %s is dockerd's own listener now"), l->port, a),
                                 NULL);
        else if (r == -EADDRINUSE)
                plan_add_finding(p, LEVEL_BLOCK, xasprintf(_("port %u on %s is already in use"), l->port, a),
                                 xstrdup(_("choose another port, or stop what listens there")));
        else if (r == -EADDRNOTAVAIL)
                plan_add_finding(p, LEVEL_BLOCK, xasprintf(_("address %s is not available on this host"), a), NULL);
        else if (r == -EACCES)
                plan_add_finding(p, LEVEL_NOTE, xasprintf(_("port %u is privileged; dockerd runs as root and can "
                                                            "bind it"), l->port), NULL);
        else if (r < 0)
                plan_add_finding(p, LEVEL_WARN, xasprintf(_("test-bind of %s:%u failed: %s"), a, l->port, strerror(-r)),
                                 NULL);
        else
                plan_add_finding(p, LEVEL_OK, xasprintf(_("port %u on %s is free"), l->port, a), NULL);
}

int engine_plan(struct drs_engine *e, const struct drs_settings *s, struct drs_plan **ret, struct drs_diag *diag) {
        struct drs_listener l;
        struct drs_plan *p = NULL;
        int r;

        r = settings_resolve(s, &e->host.ifaces, &l, diag);
        if (r < 0)
                return r;
        if (s->mode == MODE_TLS)
                look_at_tls(e, s, &l);
        r = plan_build(&e->host, s, &l, &p, diag);
        if (r < 0)
                return r;
        if (e->host_root)
                check_bind(p, &l);
        for (size_t i = 0; i < p->n_files; i++)
                if (p->files[i].applied)
                        check_write_target(e, p, p->files[i].path);
        *ret = p;
        return 0;
}
