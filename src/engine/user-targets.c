/* user-targets.c: rootless Docker (issue 19): the places apply --user would write, looked at as
 * root's are (engine_target_problem): never through a symbolic link, a file where a directory
 * should be, or over a file with other hard links. Each one found is a problem of the plan. */
#include "userplan.h"

#include <stdlib.h>

#include "engine-internal.h"
#include "util.h"

/* False, with the problem added, when something stands in the way of writing path (the same
 * checks as for root's files, without the owner: these are the user's). */
static bool check_path(int rootfd, struct drs_user_plan *p, const char *path) {
        char *what = NULL;
        const char *hint = engine_target_problem(rootfd, path, false, &what);

        if (!hint)
                return true;
        strv_consume(&p->problems, xasprintf("%s: %s", what, hint));
        free(what);
        return false;
}

void user_check_targets(int rootfd, struct drs_user_plan *p) {
        _cleanup_free_ char *state = xasprintf("%s" USER_STATE_DIR "/backups/ID", p->home); /* its directories */

        if (!check_path(rootfd, p, p->dropin_path) || !check_path(rootfd, p, state))
                return;
        if (p->json_new && !check_path(rootfd, p, p->json_path))
                return;
        for (size_t i = 0; p->mode == MODE_TLS && !p->tls.reusable && i < user_tls_n_files(); i++) {
                _cleanup_free_ char *path = user_tls_path(p, user_tls_file(i));
                if (!check_path(rootfd, p, path))
                        return;
        }
}
