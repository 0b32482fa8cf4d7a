/* user-apply.c: apply --user NAME (issue 19): the engine's one transaction (txn.c) aimed at a
 * user's own manager: its bus, its store under its home, its files. */
#include "userplan.h"

#include <errno.h>
#include <string.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include "i18n.h"
#include "journal.h"
#include "rootfs.h"
#include "sdbus.h"
#include "store.h"
#include "txn.h"
#include "util.h"

int engine_open_user(const char *root, const char *user, bool lenient, struct drs_engine **ret,
                     struct drs_diag *diag) {
        _cleanup_(engine_freep) struct drs_engine *e = xcalloc(1, sizeof(*e));
        _cleanup_free_ char *home = NULL, *state = NULL;
        int r;

        e->lockfd = -1;
        e->root = xstrdup(root ? root : "/");
        e->host_root = streq(e->root, "/");
        e->host.root = xstrdup(e->root);
        e->rootfd = user_root_open(root, diag);
        if (e->rootfd < 0)
                return e->rootfd;
        r = user_find(e->rootfd, user, &e->uid, &e->gid, &home, diag);
        if (r < 0)
                return r;
        e->user = xstrdup(user);
        if (geteuid() != 0 && geteuid() != e->uid && e->host_root) {
                diag_set(diag, NULL, 0, _("changing the rootless Docker daemon of user %s needs root or that user: "
                                          "sudo %s … --user %s"),
                         user, PACKAGE, user);
                return -EACCES;
        }
        state = xasprintf("%s" USER_STATE_DIR, home);
        store_use(state, e->uid, e->gid);
        if (e->host_root && sd_booted() > 0) {
                r = sdbus_open_user(e->uid, e->gid, &e->bus);
                if (r < 0)
                        e->bus = NULL;
                if (r < 0 && !lenient) {
                        diag_set(diag, NULL, 0, _("the manager of user %s does not answer on /run/user/%u/bus: %s; "
                                                  "is linger on (loginctl enable-linger %s)?"),
                                 user, e->uid, strerror(-r), user);
                        return r;
                }
        }
        *ret = TAKE_PTR(e);
        return 0;
}

char **engine_user_listeners(struct drs_engine *e) {
        struct drs_unit_state st = {0};
        char **v = NULL;

        if (e->bus && sdbus_unit_state(e->bus, "docker.service", &st) >= 0 && streq_ptr(st.active_state, "active") &&
            st.invocation_id && st.invocation_id[0] &&
            journal_user_listeners(NULL, "docker.service", st.invocation_id, &v) < 0)
                v = NULL;
        unit_state_done(&st);
        return v;
}

int engine_user_apply(struct drs_engine *e, const struct drs_user_plan *p, const struct drs_settings *s,
                      const struct drs_apply_opts *o, const struct drs_progress *pr, struct drs_apply_result *ret,
                      struct drs_diag *diag) {
        _cleanup_free_ char *after = xstrdup(p->listen_text), *summary = NULL, *reason = NULL, *hostport = NULL;
        _cleanup_free_ char *ca = user_tls_path(p, "client/ca.pem"), *cert = user_tls_path(p, "client/cert.pem"),
                            *key = user_tls_path(p, "client/key.pem");
        _cleanup_strv_free_ char **before = NULL;
        char *expect[] = {after, NULL};
        struct drs_verify v = {.expect = expect, .probe = true, .port = (uint16_t) p->port,
                               .timeout = o->verify_timeout ? o->verify_timeout : 60};
        struct drs_change *c = NULL;
        size_t n = 0;
        int r;

        if (!e->user || !p->new_text || p->problems || addr_parse(p->addr, &v.addr) < 0)
                return -EINVAL;
        if (p->mode == MODE_TLS) {
                v.tls = (struct drs_probe_tls) {.ca_file = ca, .cert_file = cert, .key_file = key};
                v.tls_refuses_anonymous = true;
                r = user_tls_changes(p, s, &v.addr, &c, &n, diag);
                if (r < 0)
                        return r;
        }
        if (!p->old_text || !streq(p->old_text, p->new_text)) {
                c = xrealloc(c, (n + 1) * sizeof(*c));
                c[n++] = (struct drs_change) {.path = xstrdup(p->dropin_path), .content = xstrdup(p->new_text),
                                              .len = strlen(p->new_text), .mode = 0644, .uid = p->uid, .gid = p->gid};
        }
        if (p->json_new) {
                c = xrealloc(c, (n + 1) * sizeof(*c));
                c[n++] = (struct drs_change) {.path = xstrdup(p->json_path), .content = xstrdup(p->json_new),
                                              .len = strlen(p->json_new), .mode = p->json_mode,
                                              .uid = p->json_uid, .gid = p->json_gid};
        }
        if (n == 0) {
                ret->outcome = OUTCOME_NOTHING;
                if (e->bus && probe_ping(&v.addr, v.port, v.tls.ca_file ? &v.tls : NULL, 5000, &reason) >= 0)
                        ret->answered = true;
                return 0;
        }
        before = engine_user_listeners(e);
        hostport = addr_hostport(&v.addr, v.port);
        summary = xasprintf("tcp://%s %s (rootless Docker of %s)", hostport, p->mode == MODE_TLS ? "TLS" : "plain",
                            p->user);
        r = txn_execute(e,
                        &(struct drs_txn_request) {.kind = "apply", .summary = summary, .changes = c, .n_changes = n,
                                                   .listen_before = before, .listen_after = after, .verify = &v,
                                                   .confirm_timeout = o->confirm_timeout},
                        pr, ret, diag);
        txn_changes_free(c, n);
        return r;
}
