/* status.c: what is configured and running now, for `status` and the wizard's Status screen. */
#include "status.h"
#include "engine-internal.h"

#include <errno.h>
#include <string.h>

#include "daemonjson.h"
#include "envfile.h"
#include "ifenum.h"
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

/* The address of a listen text ("10.0.0.2:2375", "[fd00::2]:2375"); false for [::] and names. */
static bool listen_text_addr(const char *t, struct drs_addr *ret) {
        const char *colon = strrchr(t, ':');
        _cleanup_free_ char *h = colon ? xstrndup(t, (size_t) (colon - t)) : NULL;

        if (!h)
                return false;
        if (h[0] == '[' && endswith(h, "]")) {
                memmove(h, h + 1, strlen(h));
                h[strlen(h) - 1] = '\0';
        }
        return addr_parse(h, ret) >= 0 && addr_classify(ret) != ADDR_CLASS_UNSPECIFIED;
}

/* The valid lifetime of a listener's address, from the interface that has it (netlink through
 * ifenum); false when no interface has it or the kernel did not say. */
static bool listener_lifetime(const struct drs_host *h, const struct drs_addr *a, uint32_t *ret_valid) {
        for (size_t i = 0; i < h->ifaces.n; i++)
                for (size_t j = 0; j < h->ifaces.items[i].n_addrs; j++) {
                        struct ifenum_lifetime lt;
                        if (addr_equal(&h->ifaces.items[i].addrs[j].addr, a) &&
                            ifenum_addr_lifetime(h->ifaces.items[i].name, a, &lt) >= 0) {
                                *ret_valid = lt.valid_lft;
                                return true;
                        }
                }
        return false;
}

/* The method in effect, whether it survives a late address, a frozen ExecStart, dynamic addresses. */
static void status_durability(struct drs_engine *e, struct drs_status *s) {
        enum drs_method m = METHOD_DROPIN;

        if (host_method_in_effect(&e->host, &m) >= 0) {
                s->method = xstrdup(method_to_string(m));
                _cleanup_free_ char *why = NULL;
                s->survives_late_address = m == METHOD_SOCKET || host_restarts_forever(&e->host, &why);
                s->late_address_text = why ? xasprintf("%s (%s)", method_late_address_text(m, false), why)
                                           : xstrdup(method_late_address_text(m, s->survives_late_address));
        }
        s->allow_from = s->method && m == METHOD_SOCKET ? socket_allow_list(&e->host) : xcalloc(1, sizeof(char *));
        s->allow_enforced = -1;
        if (strv_length(s->allow_from) > 0 && e->bus && e->host.live) {
                uint64_t bytes;
                if (sdbus_socket_ip_ingress(e->bus, "docker.socket", &bytes) >= 0)
                        s->allow_enforced = bytes != UINT64_MAX;
        }
        (void) host_execstart_override(&e->host, &s->override_path, &s->vendor_execstart, &s->override_frozen);
        s->dynamic = xcalloc(1, sizeof(char *));
        for (size_t i = 0; e->host_root && s->listeners && s->listeners[i]; i++) {
                struct drs_addr a;
                uint32_t valid;
                if (listen_text_addr(s->listeners[i], &a) && listener_lifetime(&e->host, &a, &valid) &&
                    valid != UINT32_MAX)
                        strv_consume(&s->dynamic, xasprintf("%s (%u s)", s->listeners[i], valid));
        }
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
        status_durability(e, &s);
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
        free(s->method);
        free(s->late_address_text);
        free(s->override_path);
        strv_free(s->allow_from);
        free(s->vendor_execstart);
        strv_free(s->dynamic);
        free(s->tls_dir);
        txn_done(&s->pending);
        free(s->pending_error);
        strv_free(s->backups);
        strv_free(s->backups_damaged);
        manifest_done(&s->last);
        *s = (struct drs_status) {0};
}
