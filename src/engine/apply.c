/* apply.c: the plan carried out: TLS material generated, files changed, daemon restarted and verified. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "i18n.h"
#include "rootfs.h"
#include "tlsgen.h"
#include "txn.h"
#include "trace.h"
#include "util.h"

static void push_change(struct drs_change **c, size_t *n, const char *path, char *content, size_t len,
                        unsigned mode) {
        *c = xrealloc(*c, (*n + 1) * sizeof(**c));
        (*c)[(*n)++] = (struct drs_change) {.path = xstrdup(path), .content = content, .len = len, .mode = mode};
}

/* A file we rewrite keeps its owner (and its permission bits, in the plan: keep_modes); a new one
 * is root's. */
static void keep_owner(struct drs_engine *e, const struct drs_file_change *f, struct drs_change *c) {
        struct stat st;

        if (f->old_text && rootfs_lstat(e->rootfd, f->path, &st) >= 0 && S_ISREG(st.st_mode)) {
                c->uid = st.st_uid;
                c->gid = st.st_gid;
        }
}

/* The material to write: new, or when only client.tar is to be made again, the client bundle as
 * it is (ca_cert, client_cert and client_key filled from the files). */
static int tls_material(struct drs_engine *e, const struct drs_plan *p, const struct drs_settings *s,
                        struct drs_tls_material *m, struct drs_diag *diag) {
        static const enum drs_tls_file bundle[] = {TLS_CLIENT_CA, TLS_CLIENT_CERT, TLS_CLIENT_KEY};
        char **texts[] = {&m->ca_cert, &m->client_cert, &m->client_key};
        bool fresh = false;
        int r;

        for (size_t i = 0; i < p->n_files; i++)
                if (p->files[i].kind == FILE_TLS && !p->files[i].kept && p->files[i].tls != TLS_CLIENT_TAR)
                        fresh = true;
        if (fresh) {
                const char *host = e->host.hostname;
                struct drs_tls_params params = {
                        .key_type = s->key_type,
                        .server_ip = p->listener.addr,
                        /* A name that cannot be a DNS SAN is left out; the IP addresses still are in. */
                        .host_name = host && tlsgen_dns_name_valid(host) ? host : NULL,
                        .leaf_days = settings_cert_days(s),
                        .ca_days = settings_ca_days(s),
                };
                trace("apply: generating the TLS material");
                r = tlsgen_create(&params, m);
                trace("apply: TLS material generated");
                if (r < 0)
                        diag_set(diag, NULL, 0, _("generating the TLS material failed: %s"), strerror(-r));
                return r;
        }
        for (size_t i = 0; i < ELEMENTSOF(bundle); i++) {
                _cleanup_free_ char *path = tls_file_path(s, bundle[i]);
                r = rootfs_read(e->rootfd, path, texts[i]);
                if (r < 0) {
                        diag_set(diag, path, 0, _("cannot be read: %s"), strerror(-r));
                        return r;
                }
        }
        return 0;
}

/* The content of one TLS file of the plan. */
static int tls_content(const struct drs_plan *p, const struct drs_tls_material *m, enum drs_tls_file f, char **ret,
                       size_t *ret_len) {
        const char *text = f == TLS_CA_CERT || f == TLS_CLIENT_CA ? m->ca_cert
                           : f == TLS_CA_KEY                      ? m->ca_key
                           : f == TLS_SERVER_CERT                 ? m->server_cert
                           : f == TLS_SERVER_KEY                  ? m->server_key
                           : f == TLS_CLIENT_CERT                 ? m->client_cert
                           : f == TLS_CLIENT_KEY                  ? m->client_key
                                                                  : NULL;
        if (f == TLS_CLIENT_TAR)
                return tls_bundle_tar(&(struct drs_bundle_texts) {.context = p->client_context, .url = p->client_url,
                                                                  .ca = m->ca_cert, .cert = m->client_cert,
                                                                  .key = m->client_key},
                                      (int64_t) time(NULL), ret, ret_len);
        if (!text)
                return -EINVAL;
        *ret = xstrdup(text);
        *ret_len = strlen(text);
        return 0;
}

static int plan_changes(struct drs_engine *e, const struct drs_plan *p, const struct drs_settings *s,
                        struct drs_change **ret, size_t *ret_n, struct drs_diag *diag) {
        _cleanup_(tls_material_done) struct drs_tls_material tls = {0};
        struct drs_change *c = NULL;
        size_t n = 0;
        int r;

        for (size_t i = 0; i < p->n_files; i++) {
                const struct drs_file_change *f = &p->files[i];
                char *content = NULL;
                size_t len = 0;
                if (f->kind != FILE_TLS || f->kept)
                        continue;
                r = tls.ca_cert ? 0 : tls_material(e, p, s, &tls, diag);
                if (r >= 0)
                        r = tls_content(p, &tls, f->tls, &content, &len);
                if (r < 0) {
                        if (!diag->message)
                                diag_set(diag, f->path, 0, _("cannot be generated: %s"), strerror(-r));
                        txn_changes_free(c, n);
                        return r;
                }
                push_change(&c, &n, f->path, content, len, f->mode);
        }
        for (size_t i = 0; i < p->n_files; i++) {
                const struct drs_file_change *f = &p->files[i];
                if (f->remove && f->old_text) {
                        push_change(&c, &n, f->path, NULL, 0, f->mode);
                        continue;
                }
                if (f->kind == FILE_TLS || !f->applied || !f->new_text ||
                    (f->old_text && streq(f->old_text, f->new_text)))
                        continue;
                push_change(&c, &n, f->path, xstrdup(f->new_text), strlen(f->new_text), f->mode);
                keep_owner(e, f, &c[n - 1]);
        }
        *ret = c;
        *ret_n = n;
        return 0;
}

static void verify_spec(const struct drs_plan *p, const struct drs_settings *s, const struct drs_apply_opts *o,
                        struct drs_verify *v, char **paths) {
        v->probe = true;
        v->addr = p->listener.addr;
        v->port = p->listener.port;
        v->timeout = o->verify_timeout ? o->verify_timeout : 60;
        if (p->mode == MODE_TLS) {
                paths[0] = tls_file_path(s, TLS_CA_CERT);
                paths[1] = tls_file_path(s, TLS_CLIENT_CERT);
                paths[2] = tls_file_path(s, TLS_CLIENT_KEY);
                v->tls = (struct drs_probe_tls) {.ca_file = paths[0], .cert_file = paths[1], .key_file = paths[2]};
                v->tls_refuses_anonymous = true;
        }
}

int engine_apply(struct drs_engine *e, const struct drs_plan *p, const struct drs_settings *s,
                 const struct drs_apply_opts *o, const struct drs_progress *pr, struct drs_apply_result *ret,
                 struct drs_diag *diag) {
        struct drs_verify v = {0};
        struct drs_change *c = NULL;
        char *paths[3] = {0};
        char *expect[] = {p->listen_text, NULL};
        _cleanup_free_ char *summary = NULL, *reason = NULL;
        size_t n = 0;
        int r;

        trace("apply: start");
        verify_spec(p, s, o, &v, paths);
        v.expect = expect;
        if (!p->changes && e->bus) {
                /* Already configured: nothing to do if the daemon answers there. */
                r = probe_ping(&v.addr, v.port, v.tls.ca_file ? &v.tls : NULL, 5000, &reason);
                /* Configured, but is the allow-list in force (not after a boot without BPF)? */
                if (r >= 0 && p->method == METHOD_SOCKET && p->allow_accounted) {
                        r = txn_check_enforced(e, &reason);
                        if (r < 0) {
                                diag_set(diag, NULL, 0, _("%s; nothing was changed"), reason);
                                goto out;
                        }
                }
                if (r >= 0) {
                        ret->outcome = OUTCOME_NOTHING;
                        ret->answered = true;
                        goto out;
                }
        } else if (!p->changes) {
                ret->outcome = OUTCOME_NOTHING;
                r = 0;
                goto out;
        }
        r = plan_changes(e, p, s, &c, &n, diag);
        if (r < 0)
                goto out;
        summary = xasprintf("%s %s (%s)", p->host_url, p->mode == MODE_TLS ? "TLS" : "plain",
                            p->method == METHOD_DROPIN   ? "drop-in"
                            : p->method == METHOD_SOCKET ? "docker.socket"
                                                         : "DOCKER_OPTS");
        for (size_t i = 0; i < n; i++)
                v.socket = v.socket || txn_path_is_socket_dropin(c[i].path);
        v.allow_list = p->method == METHOD_SOCKET && p->allow_accounted;
        r = txn_execute(e,
                        &(struct drs_txn_request) {.kind = "apply", .summary = summary, .changes = c, .n_changes = n,
                                                   .listen_before = p->old_listen_texts, .listen_after = p->listen_text,
                                                   .verify = &v, .confirm_timeout = o->confirm_timeout},
                        pr, ret, diag);
out:
        txn_changes_free(c, n);
        for (size_t i = 0; i < ELEMENTSOF(paths); i++)
                free(paths[i]);
        return r < 0 ? r : 0;
}
