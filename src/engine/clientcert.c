/* clientcert.c: more client certificates from the CA that apply generated (`client-cert NAME`). */
#include "clientcert.h"
#include "engine-internal.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "atomic.h"
#include "handoff.h"
#include "i18n.h"
#include "rootfs.h"
#include "tlsgen.h"
#include "util.h"

void client_bundle_done(struct drs_client_bundle *b) {
        free(b->name);
        free(b->dir);
        free(b->tar);
        free(b->url);
        strv_free(b->lines);
        *b = (struct drs_client_bundle) {0};
}

/* Reads the CA certificate and key; -ENOENT (with a message) when apply has not made them. */
static int read_ca(struct drs_engine *e, const struct drs_settings *s, char **ret_cert, char **ret_key,
                   struct drs_diag *diag) {
        _cleanup_free_ char *cert_path = tls_file_path(s, TLS_CA_CERT), *key_path = tls_file_path(s, TLS_CA_KEY);
        const char *failed = cert_path;
        int r = rootfs_read(e->rootfd, cert_path, ret_cert);

        if (r >= 0) {
                failed = key_path;
                r = rootfs_read(e->rootfd, key_path, ret_key);
        }
        if (r == -ENOENT)
                diag_set(diag, NULL, 0, _("there is no CA in %s (%s is missing): run \"apply\" in TLS mode first"),
                         settings_tls_dir(s), failed);
        else if (r < 0)
                diag_set(diag, failed, 0, _("cannot be read: %s"), strerror(-r));
        return r;
}

int engine_client_name_check(const char *name, struct drs_diag *diag) {
        if (handoff_client_name_valid(name))
                return 0;
        diag_set(diag, NULL, 0, _("\"%s\" cannot name a client: use 1 to %u letters, digits, '.', '_' or '-', "
                                  "not starting with '.'"),
                 name, HANDOFF_CLIENT_NAME_MAX);
        return -EINVAL;
}

/* The listener clients reach now (the first TCP one configured), and the commands for it. */
static void bundle_endpoint(struct drs_engine *e, struct drs_client_bundle *b, char **ret_host) {
        _cleanup_strv_free_ char **listeners = host_listen_texts(&e->host);
        _cleanup_free_ char *fallback = xasprintf("[::]:%u", DRS_PORT_TLS);

        b->listener_known = listeners[0] != NULL;
        handoff_endpoint(listeners[0] ? listeners[0] : fallback, e->host.hostname, &b->url, ret_host);
}

struct bundle_file {
        char *path;
        char *content;
        size_t len;
        mode_t mode;
};

static int write_bundle(struct drs_engine *e, struct bundle_file *files, size_t n, struct drs_diag *diag) {
        _cleanup_strv_free_ char **created = NULL;
        size_t written = 0;
        int r;

        for (; written < n; written++) {
                struct bundle_file *f = &files[written];
                _cleanup_free_ char *dir = xstrndup(f->path, (size_t) (strrchr(f->path, '/') - f->path));
                r = atomic_mkdirs(e->rootfd, dir, 0755, &created);
                if (r >= 0)
                        r = atomic_write(e->rootfd, f->path, f->content, f->len, f->mode, 0, 0);
                if (r < 0) {
                        diag_set(diag, f->path, 0, _("cannot be written: %s"), strerror(-r));
                        break;
                }
        }
        if (written == n)
                return 0;
        /* No half bundle: what this run wrote goes again. */
        for (size_t i = 0; i < written; i++)
                (void) atomic_remove(e->rootfd, files[i].path);
        for (size_t i = strv_length(created); i > 0; i--)
                (void) atomic_rmdir_if_empty(e->rootfd, created[i - 1]);
        return r;
}

int engine_issue_client(struct drs_engine *e, const struct drs_settings *s, const char *name, bool replace,
                        struct drs_client_bundle *ret, struct drs_diag *diag) {
        _cleanup_free_ char *ca_cert = NULL, *ca_key = NULL, *cert = NULL, *key = NULL, *tar = NULL, *host = NULL,
                            *context = handoff_context_name(e->host.hostname);
        _cleanup_(client_bundle_done) struct drs_client_bundle b = {0};
        struct drs_tls_params params = {.key_type = s->key_type, .leaf_days = settings_cert_days(s),
                                        .ca_days = settings_ca_days(s)};
        size_t tar_len = 0;
        struct stat st;
        int r;

        r = engine_client_name_check(name, diag);
        if (r < 0)
                return r;
        b.name = xstrdup(name);
        b.dir = xasprintf("%s/clients/%s", settings_tls_dir(s), name);
        b.tar = xasprintf("%s/clients/%s.tar", settings_tls_dir(s), name);
        if (!replace && (rootfs_lstat(e->rootfd, b.dir, &st) >= 0 || rootfs_lstat(e->rootfd, b.tar, &st) >= 0)) {
                diag_set(diag, NULL, 0, _("a client \"%s\" exists already (%s); choose another name, or add --yes "
                                          "to replace its bundle (its old certificate stays valid)"),
                         name, b.dir);
                return -EEXIST;
        }
        r = read_ca(e, s, &ca_cert, &ca_key, diag);
        if (r < 0)
                return r;
        r = tlsgen_issue_client(ca_cert, ca_key, name, &params, &cert, &key);
        if (r == -EINVAL || r == -EBADMSG) {
                diag_set(diag, NULL, 0, _("the CA in %s cannot issue certificates: its certificate or key is damaged, "
                                          "or they do not belong together"),
                         settings_tls_dir(s));
                return -EBADMSG;
        }
        if (r < 0) {
                diag_set(diag, NULL, 0, _("issuing the certificate failed: %s"), strerror(-r));
                return r;
        }
        (void) tlsgen_cert_expiry(cert, &b.expiry);
        bundle_endpoint(e, &b, &host);
        r = tls_bundle_tar(&(struct drs_bundle_texts) {.context = context, .url = b.url, .ca = ca_cert, .cert = cert,
                                                       .key = key},
                           (int64_t) time(NULL), &tar, &tar_len);
        if (r < 0)
                return r;
        {
                struct bundle_file files[] = {
                        {xasprintf("%s/key.pem", b.dir), key, strlen(key), 0600},
                        {xasprintf("%s/cert.pem", b.dir), cert, strlen(cert), 0644},
                        {xasprintf("%s/ca.pem", b.dir), ca_cert, strlen(ca_cert), 0644},
                        {b.tar, tar, tar_len, 0600},
                };
                r = write_bundle(e, files, ELEMENTSOF(files), diag);
                for (size_t i = 0; i < ELEMENTSOF(files) - 1; i++)
                        free(files[i].path);
        }
        explicit_bzero(key, strlen(key));
        explicit_bzero(tar, tar_len);
        if (r < 0)
                return r;
        b.lines = handoff_tls_lines(&(struct drs_handoff) {.context = context, .url = b.url, .host = host, .dir = b.dir,
                                                            .tar = b.tar, .local = handoff_host_local(host)});
        *ret = b;
        b = (struct drs_client_bundle) {0};
        return 0;
}
