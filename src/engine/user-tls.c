/* user-tls.c: apply --user --tls (issue 19): the TLS material of a user's rootless daemon, in the
 * user's HOME/.config/docker-remote-setup/tls, keys 0600, every file the user's. */
#include "userplan.h"

#include <errno.h>
#include <string.h>
#include <time.h>

#include "i18n.h"
#include "rootfs.h"
#include "tlsgen.h"
#include "txn.h"
#include "util.h"

/* The files, relative to the plan's tls_dir: the server's (named in the drop-in), the CA key,
 * and the client bundle in client/ (the names DOCKER_CERT_PATH wants). */
static const struct {
        const char *name;
        unsigned mode;
} files[] = {
        {"ca.pem", 0644},        {"ca-key.pem", 0600},    {"server-cert.pem", 0644}, {"server-key.pem", 0600},
        {"client/ca.pem", 0644}, {"client/cert.pem", 0644}, {"client/key.pem", 0600},
};

char *user_tls_path(const struct drs_user_plan *p, const char *name) {
        return xasprintf("%s/%s", p->tls_dir, name);
}

/* What is in tls_dir now, as plan-checks.c looks at root's: every file there, the server
 * certificate signed by the CA, for this address, 30 more days, every key its certificate's, and
 * client/ca.pem the CA certificate. Then it is kept; anything less is replaced whole (the old
 * files are backed up first, as every file the transaction writes). */
void user_tls_check(int rootfd, struct drs_user_plan *p, const struct drs_addr *addr) {
        _cleanup_(tls_material_done) struct drs_tls_material m = {0};
        _cleanup_free_ char *client_ca = NULL;
        char **texts[] = {&m.ca_cert, &m.ca_key, &m.server_cert, &m.server_key, &client_ca, &m.client_cert, &m.client_key};
        struct drs_tls_state *t = &p->tls;
        int r;

        *t = (struct drs_tls_state) {0};
        for (size_t i = 0; i < ELEMENTSOF(files); i++) {
                _cleanup_free_ char *path = user_tls_path(p, files[i].name);
                r = rootfs_read(rootfd, path, texts[i]);
                if (r == -EACCES) {
                        t->present = t->unreadable = true;
                        return;
                }
                if (r >= 0)
                        t->present = true;
                else if (!t->reason)
                        t->reason = _("some of its files are missing");
        }
        if (!t->present || t->reason)
                return;
        r = tlsgen_check_material(&m, addr, time(NULL), &t->expiry, &t->reason);
        if (r < 0)
                t->reason = _("the certificates there cannot be read");
        else if (r > 0 && !streq(client_ca, m.ca_cert))
                t->reason = _("the client bundle's ca.pem is not the CA certificate");
        t->reusable = r > 0 && !t->reason;
}

int user_tls_changes(const struct drs_user_plan *p, const struct drs_settings *s,
                     const struct drs_addr *addr, struct drs_change **c, size_t *n, struct drs_diag *diag) {
        _cleanup_(tls_material_done) struct drs_tls_material m = {0};
        struct drs_tls_params params = {.key_type = s->key_type, .server_ip = *addr,
                                        .leaf_days = settings_cert_days(s), .ca_days = settings_ca_days(s)};
        int r;

        if (p->tls.reusable)
                return 0;
        r = tlsgen_create(&params, &m);
        if (r < 0) {
                diag_set(diag, NULL, 0, _("generating the TLS material failed: %s"), strerror(-r));
                return r;
        }
        const char *texts[] = {m.ca_cert, m.ca_key, m.server_cert, m.server_key, m.ca_cert, m.client_cert, m.client_key};
        for (size_t i = 0; i < ELEMENTSOF(files); i++) {
                *c = xrealloc(*c, (*n + 1) * sizeof(**c));
                (*c)[(*n)++] = (struct drs_change) {.path = user_tls_path(p, files[i].name), .content = xstrdup(texts[i]),
                                                    .len = strlen(texts[i]), .mode = files[i].mode, .uid = p->uid,
                                                    .gid = p->gid};
        }
        return 0;
}

char *user_plan_tls_text(const struct drs_user_plan *p) {
        char until[16] = "?";
        struct tm tm;

        if (p->mode != MODE_TLS)
                return NULL;
        if (p->tls.reusable) {
                if (gmtime_r(&p->tls.expiry, &tm))
                        strftime(until, sizeof(until), "%Y-%m-%d", &tm);
                return xasprintf(_("TLS material in %s is valid for this address until %s; it is kept"), p->tls_dir,
                                 until);
        }
        if (p->tls.present && !p->tls.unreadable)
                return xasprintf(_("TLS material in %s cannot be kept: %s; new material replaces it (the files there "
                                   "now are backed up first), keys 0600, owned by %s"),
                                 p->tls_dir, p->tls.reason, p->user);
        return xasprintf(_("TLS material in %s, keys 0600, owned by %s"), p->tls_dir, p->user);
}
