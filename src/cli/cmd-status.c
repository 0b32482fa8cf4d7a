/* cmd-status.c: `status`: listeners, drop-ins, pending confirmation, backups, certificate expiry. */
#include <json-c/json.h>
#include <stdio.h>
#include <time.h>

#include "commands.h"
#include "exitcode.h"
#include "i18n.h"
#include "output.h"
#include "plan.h"
#include "status.h"
#include "util.h"

#define EXPIRY_WARN_DAYS DRS_RENEW_DAYS

static char *join(char *const *v, const char *none) {
        struct drs_buf b = {0};
        for (size_t i = 0; v && v[i]; i++)
                buf_appendf(&b, "%s%s", i ? ", " : "", v[i]);
        return b.data ? buf_steal(&b) : xstrdup(none);
}

static void print_json(const struct drs_status *s) {
        struct json_object *o = json_object_new_object(), *p = NULL;

        json_object_object_add(o, "live", json_object_new_boolean(s->live));
        json_object_object_add(o, "state", str_json(s->active_state));
        json_object_object_add(o, "execstart", str_json(s->execstart));
        json_object_object_add(o, "dropins", strv_json(s->dropins));
        json_object_object_add(o, "listeners", strv_json(s->listeners));
        json_object_object_add(o, "journal_listeners", s->journal_listeners ? strv_json(s->journal_listeners) : NULL);
        json_object_object_add(o, "docker_opts", str_json(s->docker_opts));
        json_object_object_add(o, "daemon_json_hosts", s->json_hosts ? strv_json(s->json_hosts) : NULL);
        json_object_object_add(o, "docker_socket", json_object_new_boolean(s->socket_unit));
        json_object_object_add(o, "method", str_json(s->method));
        json_object_object_add(o, "survives_late_address", json_object_new_boolean(s->survives_late_address));
        json_object_object_add(o, "late_address", str_json(s->late_address_text));
        json_object_object_add(o, "allow_from", strv_json(s->allow_from));
        json_object_object_add(o, "allow_from_enforced",
                               s->allow_enforced < 0 ? NULL : json_object_new_boolean(s->allow_enforced));
        json_object_object_add(o, "execstart_override", str_json(s->override_path));
        json_object_object_add(o, "vendor_execstart", str_json(s->vendor_execstart));
        json_object_object_add(o, "execstart_frozen", json_object_new_boolean(s->override_frozen));
        json_object_object_add(o, "dynamic_addresses", strv_json(s->dynamic));
        json_object_object_add(o, "dockerd", str_json(s->dockerd));
        json_object_object_add(o, "tls_dir", str_json(s->tls_dir));
        json_object_object_add(o, "tls_expiry", s->tls_present ? json_object_new_int64((int64_t) s->tls_expiry) : NULL);
        if (s->pending.id) {
                p = json_object_new_object();
                json_object_object_add(p, "backup_id", json_object_new_string(s->pending.id));
                json_object_object_add(p, "phase", json_object_new_string(phase_to_string(s->pending.phase)));
                json_object_object_add(p, "deadline", json_object_new_int64((int64_t) (s->pending.deadline / 1000000u)));
        }
        json_object_object_add(o, "pending", p);
        json_object_object_add(o, "pending_error", s->pending_eacces ? json_object_new_string("EACCES")
                                                                     : str_json(s->pending_error));
        json_object_object_add(o, "backups", s->backups_eacces ? NULL : strv_json(s->backups));
        json_object_object_add(o, "backups_damaged", strv_json(s->backups_damaged));
        puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
                                                       JSON_C_TO_STRING_NOSLASHESCAPE));
        json_object_put(o);
}

static void row(const char *label, const char *value) {
        struct drs_buf b = {0};
        buf_append_padded(&b, label, 22);
        printf("%s %s\n", b.data, value);
        buf_free(&b);
}

/* The allow-list of docker.socket (--allow-from) and whether systemd enforces it. */
static void print_allow(const struct drs_status *s) {
        if (strv_length(s->allow_from) > 0) {
                _cleanup_free_ char *list = join(s->allow_from, _("none")), *v = NULL;
                v = xasprintf("%s (%s)", list,
                              s->allow_enforced > 0    ? _("enforced by systemd on docker.socket")
                              : s->allow_enforced == 0 ? _("WARNING: NOT enforced: systemd has no BPF firewall here")
                                                       : _("whether systemd enforces it is not known here"));
                row(_("Allowed from:"), v);
        } else if (s->method && streq(s->method, "socket"))
                row(_("Allowed from:"), _("any address that can reach the port (no --allow-from)"));
}

static void print_text(const struct drs_status *s, const char *root) {
        _cleanup_free_ char *listeners = join(s->listeners, _("none")), *dropins = join(s->dropins, _("none"));
        char buf[64];

        row(_("docker.service:"),
            s->live                      ? (s->active_state ? s->active_state : "?")
            : !root || streq(root, "/") ? _("not known: systemd is not running here, so its unit files were read")
                                         : _("not known: the unit files under --root were read, no running system was asked"));
        row(_("ExecStart:"), s->execstart ? s->execstart : _("none found"));
        row(_("TCP listeners:"), listeners);
        if (s->journal_listeners) {
                _cleanup_free_ char *j = join(s->journal_listeners, _("none"));
                row(_("API listen on (log):"), j);
        }
        row(_("Method:"), s->method ? s->method : _("none"));
        if (s->method)
                row(_("Late address at boot:"), s->late_address_text);
        print_allow(s);
        if (s->override_path) {
                _cleanup_free_ char *v = xasprintf(s->override_frozen ? _("%s freezes an older command line than the "
                                                                          "package's ExecStart= on disk now")
                                                                      : _("%s overrides the package's ExecStart="),
                                                   s->override_path);
                row(_("ExecStart override:"), v);
                row(_("Package's ExecStart:"), s->vendor_execstart);
        }
        for (size_t i = 0; s->dynamic && s->dynamic[i]; i++) {
                _cleanup_free_ char *v = xasprintf(_("WARNING: %s: the address has a limited lifetime (DHCP or SLAAC); "
                                                     "if it changes, the listener is gone"),
                                                   s->dynamic[i]);
                row(_("Dynamic address:"), v);
        }
        row(_("Drop-ins:"), dropins);
        row(_("DOCKER_OPTS:"), s->docker_opts ? s->docker_opts : _("not set"));
        if (s->json_hosts) {
                _cleanup_free_ char *h = join(s->json_hosts, "[]");
                row(_("daemon.json hosts:"), h);
        }
        row(_("docker.socket:"), s->socket_unit ? _("present") : _("missing"));
        row(_("dockerd:"), s->dockerd ? s->dockerd : _("not found"));
        if (s->tls_present) {
                long days = (long) ((s->tls_expiry - time(NULL)) / 86400);
                struct tm tm;
                _cleanup_free_ char *v = NULL;
                gmtime_r(&s->tls_expiry, &tm);
                strftime(buf, sizeof(buf), "%Y-%m-%d", &tm);
                v = days < 0 ? xasprintf(_("%s: the server certificate EXPIRED on %s"), s->tls_dir, buf)
                    : days < EXPIRY_WARN_DAYS
                            ? xasprintf(_("%s: the server certificate expires on %s, in %ld days: renew it"), s->tls_dir,
                                        buf, days)
                            : xasprintf(_("%s: server certificate valid until %s (%ld days)"), s->tls_dir, buf, days);
                row(_("TLS:"), v);
        } else
                row(_("TLS:"), _("no material"));
        if (s->pending.id) {
                time_t t = (time_t) (s->pending.deadline / 1000000u);
                struct tm tm;
                _cleanup_free_ char *v = NULL;
                localtime_r(&t, &tm);
                strftime(buf, sizeof(buf), "%H:%M:%S", &tm);
                v = s->pending.phase == PHASE_PENDING
                            ? xasprintf(_("backup %s: reverted at %s unless confirmed"), s->pending.id, buf)
                            : xasprintf(_("backup %s: interrupted while %s (repaired by the next apply, confirm or "
                                          "rollback)"),
                                        s->pending.id, phase_to_string(s->pending.phase));
                row(_("Pending:"), v);
        } else if (s->pending_eacces)
                row(_("Pending:"), _("cannot read as this user (run it as root)"));
        else if (s->pending_error) {
                _cleanup_free_ char *v = xasprintf(_("the transaction record cannot be read (%s): check the files it "
                                                     "names, then run \"%s recover --discard\""),
                                                   s->pending_error, PACKAGE);
                row(_("Pending:"), v);
        } else
                row(_("Pending:"), _("nothing"));
        if (s->backups_eacces)
                row(_("Backups:"), _("cannot read as this user (run it as root)"));
        else {
                size_t n = strv_length(s->backups);
                _cleanup_free_ char *v = n ? xasprintf(P_("%zu; the latest %s: %s, %s", "%zu; the latest %s: %s, %s", n),
                                                       n, s->last.id ? s->last.id : "?",
                                                       s->last.summary ? s->last.summary : "?",
                                                       s->last.result ? s->last.result : _("in flight"))
                                           : xstrdup(_("none"));
                row(_("Backups:"), v);
        }
        if (s->backups_damaged && s->backups_damaged[0]) {
                _cleanup_free_ char *names = join(s->backups_damaged, ""),
                                    *v = xasprintf(_("%s (no readable manifest; kept aside, never deleted)"), names);
                row(_("Damaged backups:"), v);
        }
        if (!streq(root, "/"))
                printf(_("(root: %s)\n"), root);
}

int cmd_status(struct drs_args *a) {
        if (a->user)
                return cmd_status_user(a);
        _cleanup_(engine_freep) struct drs_engine *e = NULL;
        struct drs_status s;
        struct drs_diag d = {0};
        int r = engine_open(a->root, &e, &d);

        if (r < 0)
                return report_failure(r, &d);
        engine_status(e, settings_tls_dir(&a->settings), &s);
        if (a->json)
                print_json(&s);
        else
                print_text(&s, engine_root(e));
        status_done(&s);
        return DRS_EXIT_OK;
}
