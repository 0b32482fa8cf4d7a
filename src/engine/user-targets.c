/* user-targets.c: rootless Docker (issue 19): the places apply --user would write, looked at as
 * root's are (plan-targets.c): never through a symbolic link, a file where a directory should be,
 * or over a file with other hard links. Each one found is a problem of the plan. */
#include "userplan.h"

#include <string.h>
#include <sys/stat.h>

#include "engine-internal.h"
#include "i18n.h"
#include "rootfs.h"
#include "util.h"

static void problem(struct drs_user_plan *p, char *what, const char *hint) {
        strv_consume(&p->problems, xasprintf("%s: %s", what, hint));
        free(what);
}

/* The file and the directories on its way; false when one of them is in the way. */
static bool check_path(int rootfd, struct drs_user_plan *p, const char *path) {
        _cleanup_free_ char *dir = xstrdup(path);
        struct stat st;

        for (char *slash = strrchr(dir, '/'); slash && slash != dir; slash = strrchr(dir, '/')) {
                *slash = '\0';
                if (rootfs_lstat(rootfd, dir, &st) < 0)
                        continue; /* made at apply time */
                if (S_ISLNK(st.st_mode)) {
                        problem(p, xasprintf(_("%s is a symbolic link"), dir),
                                _("docker-remote-setup never writes through a symbolic link; replace it with a real "
                                  "directory"));
                        return false;
                }
                if (!S_ISDIR(st.st_mode)) {
                        problem(p, xasprintf(_("%s is not a directory"), dir),
                                _("files are to be written in it: move what is there away, or choose another place "
                                  "(--tls-dir)"));
                        return false;
                }
        }
        if (rootfs_lstat(rootfd, path, &st) < 0)
                return true;
        if (S_ISLNK(st.st_mode))
                problem(p, xasprintf(_("%s is a symbolic link"), path),
                        _("docker-remote-setup never writes through a symbolic link; replace it with a regular file"));
        else if (!S_ISREG(st.st_mode))
                problem(p, xasprintf(_("%s is not a regular file"), path),
                        _("docker-remote-setup writes a file there; move what is there away"));
        else if (st.st_nlink > 1)
                problem(p, xasprintf(_("%s has hard links"), path),
                        _("docker-remote-setup refuses to change a file that is also elsewhere; make it a file of its "
                          "own (cp it, then mv the copy over it)"));
        else
                return true;
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
