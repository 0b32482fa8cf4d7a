/* cmd-client-cert.c: `client-cert NAME`: another client certificate from the CA, as a bundle to copy. */
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <time.h>

#include "clientcert.h"
#include "commands.h"
#include "exitcode.h"
#include "i18n.h"
#include "output.h"
#include "session.h"
#include "util.h"

static void print_json(const struct drs_client_bundle *b) {
        struct json_object *o = json_object_new_object(), *a = json_object_new_array();

        json_object_object_add(o, "name", json_object_new_string(b->name));
        json_object_object_add(o, "dir", json_object_new_string(b->dir));
        json_object_object_add(o, "tar", json_object_new_string(b->tar));
        json_object_object_add(o, "expiry", json_object_new_int64((int64_t) b->expiry));
        json_object_object_add(o, "url", json_object_new_string(b->url));
        json_object_object_add(o, "listener_known", json_object_new_boolean(b->listener_known));
        for (size_t i = 0; b->lines[i]; i++)
                json_object_array_add(a, json_object_new_string(b->lines[i]));
        json_object_object_add(o, "client", a);
        puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
                                                       JSON_C_TO_STRING_NOSLASHESCAPE));
        json_object_put(o);
}

static void print_text(const struct drs_client_bundle *b, const struct drs_settings *s) {
        char until[16] = "?";
        struct tm tm;

        if (gmtime_r(&b->expiry, &tm))
                strftime(until, sizeof(until), "%Y-%m-%d", &tm);
        printf(_("Issued the client certificate \"%s\" (%s, valid until %s) from the CA in %s.\n"), b->name,
               key_type_label(s->key_type), until, settings_tls_dir(s));
        printf(_("The client bundle (ca.pem, cert.pem, key.pem): %s, also as one file: %s\n"), b->dir, b->tar);
        if (!b->listener_known)
                printf("%s\n", _("No TCP listener is configured yet: replace HOST below with the address \"apply\" sets up."));
        printf("\n%s\n", _("On the workstation:"));
        for (size_t i = 0; b->lines[i]; i++)
                printf("  %s\n", b->lines[i]);
}

int cmd_client_cert(struct drs_args *a) {
        _cleanup_(engine_freep) struct drs_engine *e = NULL;
        _cleanup_(client_bundle_done) struct drs_client_bundle b = {0};
        struct drs_diag d = {0};
        int r;

        if (!a->positional[0]) {
                print_error(_("client-cert needs a NAME for the new client, e.g. \"client-cert laptop-alice\""));
                return DRS_EXIT_USAGE;
        }
        /* Before the lock is taken or created: a bad name touches nothing. */
        if (engine_client_name_check(a->positional[0], &d) < 0) {
                _cleanup_free_ char *m = diag_format(&d);
                print_error("%s", m);
                diag_done(&d);
                return DRS_EXIT_USAGE;
        }
        r = session_open_idle(a, &e);
        if (r > 0)
                return r;
        r = engine_issue_client(e, &a->settings, a->positional[0], a->yes, &b, &d);
        if (r == -EEXIST || r == -EBADMSG) {
                _cleanup_free_ char *m = diag_format(&d);
                print_error("%s", m);
                diag_done(&d);
                return DRS_EXIT_PRECONDITION;
        }
        if (r < 0)
                return report_failure(r, &d);
        if (a->json)
                print_json(&b);
        else
                print_text(&b, &a->settings);
        return DRS_EXIT_OK;
}
