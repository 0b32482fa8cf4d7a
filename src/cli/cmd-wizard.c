/* cmd-wizard.c: starting the wizard: a terminal is needed; preview-only unless root (or --preview). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "exitcode.h"
#include "i18n.h"
#include "output.h"
#include "util.h"
#include "../tui/term.h"
#include "../tui/wizard.h"

#define DEFAULT_CONFIRM_TIMEOUT 120

int cmd_wizard(struct drs_args *a) {
        _cleanup_(engine_freep) struct drs_engine *e = NULL;
        _cleanup_free_ char *error = NULL;
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
        if (term_load(&error) < 0) {
                print_error(_("cannot load the curses library for the wizard: %s"), error);
                return DRS_EXIT_FAILURE;
        }
        r = engine_open(a->root, &e, &d);
        if (r < 0)
                return report_failure(r, &d);
        if (!preview_only) {
                r = engine_lock(e, 0, &holder);
                if (r == -EBUSY) {
                        print_error(_("another docker-remote-setup (PID %u) is running; try again when it has finished"),
                                    holder);
                        return DRS_EXIT_BUSY;
                }
                if (r < 0) {
                        print_error(_("cannot take the lock in %s: %s"), "/var/lib/docker-remote-setup", strerror(-r));
                        return DRS_EXIT_FAILURE;
                }
        }
        return wizard_run(e, &a->settings, preview_only, a->confirm_timeout ? a->confirm_timeout : DEFAULT_CONFIRM_TIMEOUT,
                          a->timeout, streq(a->command->name, "rollback") ? SCR_ROLLBACK : SCR_STATUS);
}
