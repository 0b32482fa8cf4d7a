/* cmd-preview-user.c: `preview --user NAME`: rootless Docker's listener for that user; writes nothing. */
#include <json-c/json.h>
#include <stdio.h>

#include "commands.h"
#include "exitcode.h"
#include "i18n.h"
#include "output.h"
#include "userplan.h"
#include "util.h"

static void print_json(const struct drs_user_plan *p) {
        struct json_object *o = json_object_new_object();
        json_object_object_add(o, "user", json_object_new_string(p->user));
        json_object_object_add(o, "uid", json_object_new_int64(p->uid));
        json_object_object_add(o, "unit", json_object_new_string(p->unit_path));
        json_object_object_add(o, "address", json_object_new_string(p->addr));
        json_object_object_add(o, "port", json_object_new_int(p->port));
        json_object_object_add(o, "mode", json_object_new_string(mode_to_string(p->mode)));
        json_object_object_add(o, "dropin", json_object_new_string(p->dropin_path));
        json_object_object_add(o, "dropin_old", str_json(p->old_text));
        json_object_object_add(o, "dropin_new", str_json(p->new_text));
        if (p->mode == MODE_TLS) {
                json_object_object_add(o, "tls_dir", json_object_new_string(p->tls_dir));
                json_object_object_add(o, "tls_kept", json_object_new_boolean(p->tls.reusable));
                json_object_object_add(o, "tls_reason", str_json(p->tls.present ? p->tls.reason : NULL));
        }
        json_object_object_add(o, "daemon_json", str_json(p->json_path));
        json_object_object_add(o, "daemon_json_new", str_json(p->json_new));
        json_object_object_add(o, "logs_listen", json_object_new_boolean(p->logs_info));
        json_object_object_add(o, "survives_late_address", json_object_new_boolean(p->survives_late_address));
        json_object_object_add(o, "will", strv_json(p->describe));
        json_object_object_add(o, "problems", strv_json(p->problems));
        json_object_object_add(o, "blocked", json_object_new_boolean(p->problems != NULL));
        puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
                                                       JSON_C_TO_STRING_NOSLASHESCAPE));
        json_object_put(o);
}

static void print_text(const struct drs_user_plan *p) {
        printf("%s\n\n", _("Preview: nothing is written."));
        printf(_("Rootless Docker of user %s (uid %u): %s\n"), p->user, p->uid, p->unit_path);
        for (size_t i = 0; p->describe && p->describe[i]; i++)
                printf("  - %s\n", p->describe[i]);
        _cleanup_free_ char *tls = user_plan_tls_text(p);
        if (tls)
                printf("  - %s\n", tls);
        if (p->new_text) {
                printf("\n%s %s%s\n", p->dropin_path, p->old_text ? _("(replaced)") : _("(new)"), ":");
                fputs(p->new_text, stdout);
        }
        if (p->json_new) {
                printf("\n%s %s%s\n", p->json_path, _("(replaced)"), ":");
                fputs(p->json_new, stdout);
        }
        if (p->problems) {
                printf("\n%s\n", _("Problems (apply would refuse; nothing was changed):"));
                for (size_t i = 0; p->problems[i]; i++)
                        printf("  BLOCK %s\n", p->problems[i]);
        }
}

int cmd_preview_user(struct drs_args *a) {
        _cleanup_(user_plan_freep) struct drs_user_plan *p = NULL;
        struct drs_diag d = {0};
        int r = engine_user_plan(a->root, a->user, &a->settings, &p, &d);
        if (r < 0)
                return report_failure(r, &d);
        if (a->json)
                print_json(p);
        else
                print_text(p);
        return p->problems ? DRS_EXIT_PRECONDITION : DRS_EXIT_OK;
}
