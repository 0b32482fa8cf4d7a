/* cmd-preview.c: `preview`: every file that would be written, with diffs; writes nothing. */
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "engine.h"
#include "exitcode.h"
#include "i18n.h"
#include "output.h"
#include "util.h"

int report_failure(int r, struct drs_diag *d) {
        _cleanup_free_ char *m = diag_format(d);
        print_error("%s", *m ? m : strerror(-r));
        diag_done(d);
        if (r == -EINVAL)
                return DRS_EXIT_USAGE;
        /* What the system has (or the request asks) refused before anything was changed. */
        if (r == -ENOENT || r == -EADDRNOTAVAIL || r == -EPERM || r == -EBADMSG || r == -E2BIG || r == -EFBIG ||
            r == -EBADFD || r == -EISDIR || r == -ENXIO || r == -ELOOP || r == -EEXIST || r == -EOPNOTSUPP)
                return DRS_EXIT_PRECONDITION;
        return DRS_EXIT_FAILURE;
}

int cmd_preview(struct drs_args *a) {
        _cleanup_(engine_freep) struct drs_engine *e = NULL;
        _cleanup_(plan_freep) struct drs_plan *p = NULL;
        struct drs_diag d = {0};
        int r;

        if (a->user)
                return cmd_preview_user(a);
        r = engine_open(a->root, &e, &d);
        if (r < 0)
                return report_failure(r, &d);
        r = engine_plan(e, &a->settings, &p, &d);
        if (r < 0)
                return report_failure(r, &d);
        if (a->json) {
                struct json_object *o = plan_to_json(p);
                puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE));
                json_object_put(o);
        } else {
                printf("%s\n\n", _("Preview: nothing is written."));
                print_plan(stdout, p, output_color());
                if (p->blocked)
                        printf("\n%s\n", _("Pre-flight found problems (BLOCK above): apply would refuse."));
                else if (!p->changes)
                        printf("\n%s\n", _("Nothing to do: this configuration is already in place."));
        }
        return p->blocked ? DRS_EXIT_PRECONDITION : DRS_EXIT_OK;
}
