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
#include "userplan.h"
#include "util.h"
#include "../tui/term.h"
#include "../tui/wizard.h"

#define DEFAULT_CONFIRM_TIMEOUT 120

/* A terminal the wizard can draw on, else the reason and DRS_EXIT_USAGE. */
static int check_terminal(void) {
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
        return 0;
}

/* The wizard's daemon: --user's rootless one (root, or that user itself), else the system's. */
static int open_first(struct drs_args *a, const char *user, bool preview_only, struct drs_engine **ret) {
        struct drs_diag d = {0};
        unsigned holder = 0;
        int r = user ? engine_open_user(a->root, user, false, ret, &d) : engine_open(a->root, ret, &d);

        if (r == -EACCES && user) {
                _cleanup_free_ char *m = diag_format(&d);
                print_error("%s", m);
                diag_done(&d);
                return DRS_EXIT_NOT_ROOT;
        }
        if (r < 0)
                return report_failure(r, &d);
        if (preview_only)
                return 0;
        r = engine_lock(*ret, 0, &holder);
        if (r == -EBUSY) {
                session_say_busy(holder);
                return DRS_EXIT_BUSY;
        }
        return r < 0 ? session_lock_failed(r) : 0;
}

int cmd_wizard(struct drs_args *a) {
        _cleanup_(engine_freep) struct drs_engine *e = NULL;
        _cleanup_free_ char *candidate = NULL;
        struct wizard_start o = {
                .root = a->root,
                .user = a->user,
                .system_preview = a->preview || (!a->root && geteuid() != 0),
                .user_preview = a->preview, /* engine_open_user() lets only root and the user itself in */
                .user_is_me = geteuid() != 0,
                .confirm_timeout = a->confirm_timeout ? a->confirm_timeout : DEFAULT_CONFIRM_TIMEOUT,
                .verify_timeout = a->timeout,
                .start = streq(a->command->name, "rollback") ? SCR_ROLLBACK : SCR_STATUS,
        };
        bool system;
        int r;

        r = check_terminal();
        if (r > 0)
                return r;
        /* Both daemons there: the Status screen offers the other one (u/d). Only the starter's
         * rootless one: the wizard works on it, as with --user. */
        candidate = engine_rootless_candidate(a->root, getenv("SUDO_USER"));
        system = engine_system_daemon(a->root);
        if (!o.user && candidate && !system)
                o.user = candidate;
        o.choice_user = system ? (a->user ? a->user : candidate) : NULL;
        r = open_first(a, o.user, o.user ? o.user_preview : o.system_preview, &e);
        if (r > 0)
                return r;
        return wizard_run(TAKE_PTR(e), &a->settings, &o);
}
