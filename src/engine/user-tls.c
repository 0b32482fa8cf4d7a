/* user-tls.c: apply --user --tls (issue 19): the TLS material of a user's rootless daemon, in the
 * user's HOME/.config/docker-remote-setup/tls, keys 0600, every file the user's. */
#include "userplan.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

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

/* Whether every file is there: then the material is kept as it is (remove the directory to get
 * new material). */
static bool complete(struct drs_engine *e, const struct drs_user_plan *p) {
        for (size_t i = 0; i < ELEMENTSOF(files); i++) {
                _cleanup_free_ char *path = user_tls_path(p, files[i].name);
                struct stat st;
                if (rootfs_lstat(e->rootfd, path, &st) < 0 || !S_ISREG(st.st_mode))
                        return false;
        }
        return true;
}

int user_tls_changes(struct drs_engine *e, const struct drs_user_plan *p, const struct drs_settings *s,
                     const struct drs_addr *addr, struct drs_change **c, size_t *n, struct drs_diag *diag) {
        _cleanup_(tls_material_done) struct drs_tls_material m = {0};
        struct drs_tls_params params = {.key_type = s->key_type, .server_ip = *addr,
                                        .leaf_days = settings_cert_days(s), .ca_days = settings_ca_days(s)};
        int r;

        if (complete(e, p))
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
