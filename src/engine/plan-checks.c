/* plan-checks.c: the plan plus what only the live system can tell (bind test, symlinks, TLS files). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine-internal.h"
#include "handoff.h"
#include "i18n.h"
#include "rootfs.h"
#include "tlsgen.h"
#include "txn.h"
#include "util.h"

/* Whether the existing TLS material can serve this address (and the key type, when one was asked
 * for), and whether client.tar is the client bundle as it is, as a context for this listener. */
static void look_at_tls(struct drs_engine *e, const struct drs_settings *s, const struct drs_listener *l) {
        _cleanup_(tls_material_done) struct drs_tls_material m = {0};
        _cleanup_free_ char *client_ca = NULL, *tar = NULL, *listen = addr_listen_text(&l->addr, l->port, e->host.single_stack), *url = NULL,
                            *host = NULL, *context = handoff_context_name(e->host.hostname);
        char **texts[_TLS_FILE_MAX] = {
                [TLS_CA_CERT] = &m.ca_cert,         [TLS_CA_KEY] = &m.ca_key,
                [TLS_SERVER_CERT] = &m.server_cert, [TLS_SERVER_KEY] = &m.server_key,
                [TLS_CLIENT_CA] = &client_ca,       [TLS_CLIENT_CERT] = &m.client_cert,
                [TLS_CLIENT_KEY] = &m.client_key,
        };
        struct drs_tls_state *t = &e->host.tls;
        enum drs_key_type type;
        size_t tar_len = 0;
        int r;

        *t = (struct drs_tls_state) {0};
        for (enum drs_tls_file f = 0; f < _TLS_FILE_MAX; f++) {
                _cleanup_free_ char *path = tls_file_path(s, f);
                if (f == TLS_CLIENT_TAR)
                        r = rootfs_read_data(e->rootfd, path, &tar, &tar_len);
                else
                        r = rootfs_read(e->rootfd, path, texts[f]);
                if (r == -EACCES) {
                        t->present = t->unreadable = true;
                        return;
                }
                if (r < 0 && (f == TLS_CA_CERT || f == TLS_SERVER_CERT))
                        return; /* nothing there (or nothing usable) */
                if (r < 0 && f != TLS_CLIENT_TAR && !t->reason)
                        t->reason = _("some of its files are missing");
        }
        t->present = true;
        if (t->reason)
                return;
        r = tlsgen_check_material(&m, &l->addr, time(NULL), &t->expiry, &t->reason);
        if (r < 0)
                t->reason = _("the certificates there cannot be read");
        else if (r > 0 && !streq(client_ca, m.ca_cert))
                t->reason = _("the client bundle's ca.pem is not the CA certificate");
        else if (r > 0 && s->key_type_set && (tlsgen_cert_key_type(m.server_cert, &type) < 0 || type != s->key_type))
                t->reason = _("its keys are not of the type asked for with --key-type");
        t->reusable = r > 0 && !t->reason;
        handoff_endpoint(listen, e->host.hostname, &url, &host);
        t->tar_current = tar && tls_bundle_tar_matches(tar, tar_len,
                                                       &(struct drs_bundle_texts) {.context = context, .url = url,
                                                                                   .ca = client_ca, .cert = m.client_cert,
                                                                                   .key = m.client_key});
}

static void check_bind(struct drs_engine *e, struct drs_plan *p, const struct drs_listener *l) {
        char a[46];
        int err;

        addr_to_string(&l->addr, a);
        switch (engine_check_port(e, &l->addr, l->port, &err)) {
        case PORT_OWN:
                plan_add_finding(p, LEVEL_OK, xasprintf(_("port %u on %s is dockerd's own listener now"), l->port, a),
                                 NULL);
                break;
        case PORT_IN_USE:
                plan_add_finding(p, LEVEL_BLOCK, xasprintf(_("port %u on %s is already in use"), l->port, a),
                                 xstrdup(_("choose another port, or stop what listens there")));
                break;
        case PORT_ADDR_GONE:
                plan_add_finding(p, LEVEL_BLOCK, xasprintf(_("address %s is not available on this host"), a), NULL);
                break;
        case PORT_PRIVILEGED:
                plan_add_finding(p, LEVEL_NOTE, xasprintf(_("port %u is privileged; dockerd runs as root and can "
                                                            "bind it"), l->port), NULL);
                break;
        case PORT_FAILED:
                plan_add_finding(p, LEVEL_WARN, xasprintf(_("test-bind of %s:%u failed: %s"), a, l->port, strerror(err)),
                                 NULL);
                break;
        case PORT_FREE:
                plan_add_finding(p, LEVEL_OK, xasprintf(_("port %u on %s is free"), l->port, a), NULL);
                break;
        case PORT_NOT_CHECKED:
                break;
        }
}

/* A file the plan rewrites keeps its permission bits, less write for others (nothing we write is
 * world-writable); apply keeps its owner too. The plan says so. */
static void keep_modes(struct drs_engine *e, struct drs_plan *p) {
        struct stat st;

        for (size_t i = 0; i < p->n_files; i++)
                if (p->files[i].kind != FILE_TLS && p->files[i].old_text &&
                    rootfs_lstat(e->rootfd, p->files[i].path, &st) >= 0 && S_ISREG(st.st_mode))
                        p->files[i].mode = st.st_mode & 0775;
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
        check_bind(e, p, &l);
        keep_modes(e, p);
        engine_check_targets(e, s, p);
        *ret = p;
        return 0;
}
