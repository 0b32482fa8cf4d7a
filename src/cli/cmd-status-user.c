/* cmd-status-user.c: `status --user NAME`: that user's rootless docker.service and its listeners. */
#include <json-c/json.h>
#include <stdio.h>

#include "commands.h"
#include "exitcode.h"
#include "i18n.h"
#include "output.h"
#include "userplan.h"
#include "util.h"

static void print_json(const struct drs_user_status *s) {
        struct json_object *o = json_object_new_object();
        json_object_object_add(o, "user", json_object_new_string(s->user));
        json_object_object_add(o, "uid", json_object_new_int64(s->uid));
        json_object_object_add(o, "unit", json_object_new_string(s->unit_path));
        json_object_object_add(o, "live", json_object_new_boolean(s->live));
        json_object_object_add(o, "error", str_json(s->bus_error));
        json_object_object_add(o, "state", str_json(s->active_state));
        json_object_object_add(o, "sub_state", str_json(s->sub_state));
        json_object_object_add(o, "invocation", str_json(s->invocation));
        json_object_object_add(o, "execstart", str_json(s->execstart));
        json_object_object_add(o, "dropins", strv_json(s->dropins));
        json_object_object_add(o, "listeners", strv_json(s->listeners));
        json_object_object_add(o, "state_dir", json_object_new_string(s->state_dir));
        json_object_object_add(o, "pending", str_json(s->pending));
        json_object_object_add(o, "awaiting_confirmation", json_object_new_boolean(s->pending && s->pending_confirm));
        json_object_object_add(o, "backups", s->n_backups >= 0 ? json_object_new_int64(s->n_backups) : NULL);
        puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
                                                       JSON_C_TO_STRING_NOSLASHESCAPE));
        json_object_put(o);
}

static void print_text(const struct drs_user_status *s) {
        printf(_("Rootless Docker of user %s (uid %u): %s\n"), s->user, s->uid, s->unit_path);
        if (s->pending && s->pending_confirm)
                printf(_("  pending: the change %s (confirm --user %s keeps it, rollback --user %s undoes it)\n"),
                       s->pending, s->user, s->user);
        else if (s->pending)
                printf(_("  interrupted: the change %s (recover --user %s completes or reverts it)\n"), s->pending,
                       s->user);
        if (s->n_backups >= 0)
                printf(_("  backups: %ld in %s\n"), s->n_backups, s->state_dir);
        else
                printf(_("  backups: %s cannot be read as this user\n"), s->state_dir);
        if (!s->live)
                printf("  %s\n", s->bus_error ? s->bus_error : _("not live (--root, or no systemd): only files are read"));
        else
                printf(_("  docker.service: %s (%s)\n"), s->active_state, s->sub_state);
        if (s->execstart)
                printf("  ExecStart=%s\n", s->execstart);
        for (size_t i = 0; s->dropins && s->dropins[i]; i++)
                printf(_("  drop-in: %s\n"), s->dropins[i]);
        if (!s->live)
                return;
        for (size_t i = 0; s->listeners && s->listeners[i]; i++)
                printf(_("  listening on: %s\n"), s->listeners[i]);
        if (!s->listeners || !s->listeners[0])
                printf("  %s\n", _("no \"API listen on\" in the journal for the current run"));
}

int cmd_status_user(struct drs_args *a) {
        _cleanup_(user_status_freep) struct drs_user_status *s = NULL;
        struct drs_diag d = {0};
        int r = engine_user_status(a->root, a->user, &s, &d);
        if (r < 0)
                return report_failure(r, &d);
        if (a->json)
                print_json(s);
        else
                print_text(s);
        return DRS_EXIT_OK;
}
