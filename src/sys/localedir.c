/* localedir.c: where the message catalogues are: installed, or in the build tree. */
#include "localedir.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

/* Whether this process runs the binary of the build tree (DRS_BUILDDIR/NAME): compares the
 * directory of /proc/self/exe with the tree `make` built it in. An installed copy never is. */
#ifdef DRS_BUILDDIR
static bool running_from_build_tree(void) {
        char exe[PATH_MAX];
        ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
        char *slash;

        if (n <= 0)
                return false;
        exe[n] = '\0';
        slash = strrchr(exe, '/');
        if (!slash)
                return false;
        *slash = '\0';
        return streq(exe, DRS_BUILDDIR);
}
#endif

const char *drs_locale_dir(void) {
#ifdef DRS_TEST_HOOKS
        const char *env = getenv("DOCKER_REMOTE_SETUP_LOCALEDIR");
        if (env && *env)
                return env;
#endif
#ifdef DRS_BUILDDIR
        if (running_from_build_tree() && access(DRS_BUILDDIR "/locale", F_OK) == 0)
                return DRS_BUILDDIR "/locale";
#endif
        return LOCALEDIR;
}
