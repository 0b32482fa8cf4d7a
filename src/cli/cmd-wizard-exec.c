/* cmd-wizard-exec.c: the wizard in the command-line program: run the wizard program in this
 * process (exec, same arguments). The commands of scripts and automation (apply, confirm,
 * rollback --to, status, recover…) thereby never load the terminal libraries; the wizard
 * program (docker-remote-setup-wizard, the same engine plus the screens) is looked for beside
 * this program first — the build tree — then in the installed PKGLIBEXECDIR. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "exitcode.h"
#include "i18n.h"
#include "output.h"
#include "util.h"

#define WIZARD_PROGRAM "docker-remote-setup-wizard"

/* The wizard program beside /proc/self/exe when there is one there, else the installed one.
 * Beside means the same directory as this program: whoever can write there can replace this
 * program too, so it is trusted no less. */
static char *wizard_path(void) {
        char self[PATH_MAX];
        ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

        if (n > 0) {
                char *slash;
                self[n] = '\0';
                slash = strrchr(self, '/');
                if (slash) {
                        *slash = '\0';
                        char *p = xasprintf("%s/%s", self, WIZARD_PROGRAM);
                        if (access(p, X_OK) >= 0)
                                return p;
                        free(p);
                }
        }
        return xasprintf("%s/%s", PKGLIBEXECDIR, WIZARD_PROGRAM);
}

int cmd_wizard(struct drs_args *a) {
        _cleanup_free_ char *path = wizard_path();

        execv(path, a->argv);
        print_error(_("cannot start the wizard %s: %s; the commands work without it (see --help)"), path,
                    strerror(errno));
        return DRS_EXIT_FAILURE;
}
