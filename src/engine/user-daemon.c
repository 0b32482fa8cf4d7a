/* user-daemon.c: which user's rootless Docker a front end may offer besides the system's daemon
 * (issue 19): the user who started it. */
#include "userplan.h"

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "plan.h"
#include "rootfs.h"
#include "util.h"

/* SUDO_USER under root (or under another --root, where the fixture names its user), else the
 * real user by its uid (on "/" only). */
static char *starter(const char *root, const char *sudo_user) {
        bool other_root = root && !streq(root, "/");

        if (sudo_user && user_name_valid(sudo_user) && !streq(sudo_user, "root") && (geteuid() == 0 || other_root))
                return xstrdup(sudo_user);
        if (getuid() != 0 && !other_root) {
                struct passwd *pw = getpwuid(getuid());
                if (pw && user_name_valid(pw->pw_name))
                        return xstrdup(pw->pw_name);
        }
        return NULL;
}

char *engine_rootless_candidate(const char *root, const char *sudo_user) {
        _cleanup_free_ char *name = starter(root, sudo_user), *home = NULL, *unit = NULL;
        struct drs_diag ignore = {0};
        unsigned uid, gid;
        struct stat st;
        int rootfd;

        if (!name)
                return NULL;
        rootfd = user_root_open(root, &ignore);
        if (rootfd < 0) {
                diag_done(&ignore);
                return NULL;
        }
        if (user_find(rootfd, name, &uid, &gid, &home, &ignore) >= 0) {
                unit = xasprintf("%s/.config/systemd/user/docker.service", home);
                if (rootfs_lstat(rootfd, unit, &st) < 0) {
                        free(name);
                        name = NULL;
                }
        } else {
                free(name);
                name = NULL;
        }
        close(rootfd);
        diag_done(&ignore);
        return TAKE_PTR(name);
}

bool engine_system_daemon(const char *root) {
        struct drs_diag ignore = {0};
        struct stat st;
        bool found = false;
        int rootfd = user_root_open(root, &ignore);

        diag_done(&ignore);
        if (rootfd < 0)
                return false;
        for (size_t i = 0; drs_unit_dirs[i] && !found; i++) {
                _cleanup_free_ char *path = xasprintf("%s/docker.service", drs_unit_dirs[i]);
                found = rootfs_lstat(rootfd, path, &st) >= 0;
        }
        close(rootfd);
        return found;
}
