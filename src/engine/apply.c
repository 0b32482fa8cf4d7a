/* apply.c: the plan carried out: TLS material generated, files changed, daemon restarted and verified. */
#include <errno.h>
#include <string.h>

#include "i18n.h"
#include "tlsgen.h"
#include "txn.h"
#include "util.h"

static void push_change(struct drs_change **c, size_t *n, const char *path, char *content, unsigned mode) {
        *c = xrealloc(*c, (*n + 1) * sizeof(**c));
        (*c)[(*n)++] = (struct drs_change) {.path = xstrdup(path), .content = content, .len = strlen(content), .mode = mode};
}

/* The generated PEM text for a TLS file of the plan, by its name in the TLS directory. */
static char *tls_content(const struct drs_tls_material *m, const char *path) {
        const char *name = strrchr(path, '/') + 1;
        bool client = strstr(path, "/client/") != NULL;

        if (streq(name, "ca.pem"))
                return xstrdup(m->ca_cert);
        if (streq(name, "ca-key.pem"))
                return xstrdup(m->ca_key);
        if (streq(name, "server-cert.pem"))
                return xstrdup(m->server_cert);
        if (streq(name, "server-key.pem"))
                return xstrdup(m->server_key);
        if (client && streq(name, "cert.pem"))
                return xstrdup(m->client_cert);
        if (client && streq(name, "key.pem"))
                return xstrdup(m->client_key);
        return NULL;
}

static int plan_changes(struct drs_engine *e, const struct drs_plan *p, struct drs_change **ret, size_t *ret_n,
                        struct drs_diag *diag) {
        struct drs_tls_material tls = {0};
        struct drs_change *c = NULL;
        size_t n = 0;
        int r;

        for (size_t i = 0; i < p->n_files; i++) {
                const struct drs_file_change *f = &p->files[i];
                if (f->kind != FILE_TLS || f->kept)
                        continue;
                if (!tls.ca_cert) {
                        struct drs_tls_params params = {.key_type = KEY_ECDSA_P256, .server_ip = p->listener.addr,
                                                        .host_name = e->host.hostname, .leaf_days = 825, .ca_days = 3650};
                        r = tlsgen_create(&params, &tls);
                        if (r < 0) {
                                diag_set(diag, NULL, 0, _("generating the TLS material failed: %s"), strerror(-r));
                                changes_free(c, n);
                                return r;
                        }
                }
                push_change(&c, &n, f->path, tls_content(&tls, f->path), f->mode);
        }
        tls_material_done(&tls);
        for (size_t i = 0; i < p->n_files; i++) {
                const struct drs_file_change *f = &p->files[i];
                if (f->kind == FILE_TLS || !f->applied || !f->new_text ||
                    (f->old_text && streq(f->old_text, f->new_text)))
                        continue;
                push_change(&c, &n, f->path, xstrdup(f->new_text), f->mode);
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
                paths[0] = xasprintf("%s/ca.pem", settings_tls_dir(s));
                paths[1] = xasprintf("%s/client/cert.pem", settings_tls_dir(s));
                paths[2] = xasprintf("%s/client/key.pem", settings_tls_dir(s));
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

        verify_spec(p, s, o, &v, paths);
        v.expect = expect;
        if (!p->changes && e->bus) {
                /* Already configured: nothing to do if the daemon answers there. */
                r = probe_ping(&v.addr, v.port, v.tls.ca_file ? &v.tls : NULL, 5000, &reason);
                if (r >= 0) {
                        ret->outcome = OUTCOME_NOTHING;
                        goto out;
                }
        } else if (!p->changes) {
                ret->outcome = OUTCOME_NOTHING;
                r = 0;
                goto out;
        }
        r = plan_changes(e, p, &c, &n, diag);
        if (r < 0)
                goto out;
        summary = xasprintf("%s %s (%s)", p->host_url, p->mode == MODE_TLS ? "TLS" : "plain",
                            p->method == METHOD_DROPIN ? "drop-in" : "DOCKER_OPTS");
        r = txn_execute(e, "apply", summary, c, n, p->old_listen_texts, p->listen_text, &v, o->confirm_timeout, pr, ret,
                        diag);
out:
        changes_free(c, n);
        for (size_t i = 0; i < ELEMENTSOF(paths); i++)
                free(paths[i]);
        return r < 0 ? r : 0;
}
