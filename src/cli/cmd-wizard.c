/* cmd-wizard.c: starting the wizard: a terminal is needed; preview-only unless root (or --preview). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "exitcode.h"
#include "i18n.h"
#include "output.h"
#include "session.h"
#include "util.h"
#include "../tui/term.h"
#include "../tui/wizard.h"

#define DEFAULT_CONFIRM_TIMEOUT 120

int cmd_wizard(struct drs_args *a) {
        _cleanup_(engine_freep) struct drs_engine *e = NULL;
        struct drs_diag d = {0};
        bool preview_only = a->preview || (!a->root && geteuid() != 0);
        unsigned holder = 0;
        int r;

        if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
                print_error(_("the wizard needs a terminal; without one use \"preview\", \"apply --yes\", \"confirm\", "
                              "\"rollback --list\" / \"rollback --to ID --yes\" and \"status\" (see --help)"));
                return DRS_EXIT_USAGE;
        }
        /* curses would draw nothing useful (dumb) or only print "Error opening terminal" (unset). */
        if (!getenv("TERM") || !*getenv("TERM") || streq(getenv("TERM"), "dumb")) {
                print_error(_("the wizard needs a terminal with cursor addressing, and TERM is %s: set TERM to your "
                              "terminal's type (for example TERM=xterm-256color), or use the commands (see --help)"),
                            getenv("TERM") && *getenv("TERM") ? "\"dumb\"" : _("not set"));
                return DRS_EXIT_USAGE;
        }
        if (!term_known()) {
                print_error(_("the wizard cannot draw on this terminal: TERM=\"%s\" is not in the terminal database; "
                              "set TERM to a known type (e.g. xterm) or use the commands (see --help)"),
                            getenv("TERM") ? getenv("TERM") : "");
                return DRS_EXIT_USAGE;
        }
        r = engine_open(a->root, &e, &d);
        if (r < 0)
                return report_failure(r, &d);
        if (!preview_only) {
                r = engine_lock(e, 0, &holder);
                if (r == -EBUSY) {
                        session_say_busy(holder);
                        return DRS_EXIT_BUSY;
                }
                if (r < 0)
                        return session_lock_failed(r);
        }
        return wizard_run(e, &a->settings, preview_only, a->confirm_timeout ? a->confirm_timeout : DEFAULT_CONFIRM_TIMEOUT,
                          a->timeout, streq(a->command->name, "rollback") ? SCR_ROLLBACK : SCR_STATUS);
}
