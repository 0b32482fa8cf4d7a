/* status.c: what is configured and running now, for `status` and the wizard's Status screen. */
#include "status.h"

#include <errno.h>
#include <string.h>

#include "daemonjson.h"
#include "envfile.h"
#include "journal.h"
#include "rootfs.h"
#include "sdbus.h"
#include "store.h"
#include "tlsgen.h"
#include "util.h"

/* The transaction record and the backup sets; what cannot be read is said, never taken for absent. */
static void status_state(struct drs_engine *e, struct drs_status *s) {
        struct drs_diag d = {0};
        int r = store_txn_load(e->rootfd, &s->pending, &d);
        size_t n;

        if (r < 0) {
                s->pending = (struct drs_txn) {0};
                s->pending_eacces = r == -EACCES;
                if (r != -ENOENT)
                        s->pending_error = diag_format(&d);
        }
        diag_done(&d);
        r = store_backup_list(e->rootfd, &s->backups);
        if (r < 0) {
                s->backups = xcalloc(1, sizeof(char *));
                s->backups_eacces = r == -EACCES;
        }
        if (store_backup_list_aside(e->rootfd, &s->backups_damaged) < 0)
                s->backups_damaged = xcalloc(1, sizeof(char *));
        for (size_t i = 0; s->backups[i]; i++) {
                struct drs_manifest m = {0};
                r = store_backup_load(e->rootfd, s->backups[i], &m, NULL);
                if (r == -EACCES)
                        s->backups_eacces = true;
                else if (r < 0)
                        strv_push(&s->backups_damaged, s->backups[i]);
                manifest_done(&m);
        }
        n = strv_length(s->backups);
        if (n > 0 && store_backup_load(e->rootfd, s->backups[n - 1], &s->last, NULL) < 0)
                s->last = (struct drs_manifest) {0};
}

void engine_status(struct drs_engine *e, const char *tls_dir, struct drs_status *ret) {
        struct drs_status s = {.live = e->host.live, .socket_unit = e->host.socket_unit};
        struct drs_unitset u = {0};
        struct drs_cmdline base = {0};
        _cleanup_free_ char *cert = NULL, *cert_path = NULL;

        if (e->bus && e->host.live) {
                struct drs_unit_state st = {0};
                if (sdbus_unit_state(e->bus, "docker.service", &st) >= 0)
                        s.active_state = xasprintf("%s (%s)", st.active_state, st.sub_state);
                unit_state_done(&st);
                if (journal_last_listeners(NULL, "docker.service", &s.journal_listeners) < 0)
                        s.journal_listeners = NULL;
        }
        if (host_base_execstart(&e->host, &base, NULL) >= 0)
                s.execstart = cmdline_format(&base);
        s.dropins = xcalloc(1, sizeof(char *));
        if (unitset_load(&e->host, &u, NULL) >= 0)
                for (size_t i = 1; i < u.n; i++)
                        strv_push(&s.dropins, u.units[i]->path);
        s.listeners = host_listen_texts(&e->host);
        if (e->host.default_docker_text) {
                struct drs_envfile env = {0};
                if (envfile_parse("/etc/default/docker", e->host.default_docker_text, &env, NULL) >= 0) {
                        const struct drs_env_assignment *a = envfile_get(&env, "DOCKER_OPTS");
                        s.docker_opts = a ? xstrdup(a->value) : NULL;
                }
                envfile_done(&env);
        }
        if (e->host.daemon_json_text) {
                struct drs_daemon_json j = {0};
                if (daemonjson_parse(e->host.daemon_json_path, e->host.daemon_json_text, &j, NULL) >= 0 && j.has_hosts)
                        s.json_hosts = TAKE_PTR(j.hosts);
                daemonjson_done(&j);
        }
        s.dockerd = e->host.executables && e->host.executables[0] ? xstrdup(e->host.executables[0]) : NULL;
        s.tls_dir = xstrdup(tls_dir);
        cert_path = xasprintf("%s/server-cert.pem", tls_dir);
        if (rootfs_read(e->rootfd, cert_path, &cert) >= 0 && tlsgen_cert_expiry(cert, &s.tls_expiry) >= 0)
                s.tls_present = true;
        status_state(e, &s);
        cmdline_done(&base);
        unitset_done(&u);
        *ret = s;
}

void status_done(struct drs_status *s) {
        free(s->active_state);
        free(s->execstart);
        strv_free(s->dropins);
        strv_free(s->listeners);
        strv_free(s->journal_listeners);
        free(s->docker_opts);
        strv_free(s->json_hosts);
        free(s->dockerd);
        free(s->tls_dir);
        txn_done(&s->pending);
        free(s->pending_error);
        strv_free(s->backups);
        strv_free(s->backups_damaged);
        manifest_done(&s->last);
        *s = (struct drs_status) {0};
}
