/* main.c: sets up the locale, parses the command line and runs the command (or the wizard). */
#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "commands.h"
#include "exitcode.h"
#include "i18n.h"
#include "engine.h"
#include "output.h"

#define LISTENER_CMD (OPTS_LISTENER | OPT_ROOT | OPT_JSON)

const struct drs_command drs_commands[] = {
        {"wizard", cmd_wizard, OPTS_LISTENER | OPT_ROOT | OPT_PREVIEW | OPT_CONFIRM_TIMEOUT | OPT_TIMEOUT | OPT_USER, 0,
         N_("(no command) or wizard"), N_("the interactive wizard (preview-only when not root)")},
        {"preview", cmd_preview, LISTENER_CMD | OPT_USER, 0, N_("preview --iface IF [--address IP] [--port N]"),
         N_("print the files that would be written and their diffs")},
        {"apply", cmd_apply, LISTENER_CMD | OPT_YES | OPT_CONFIRM_TIMEOUT | OPT_TIMEOUT | OPT_SKIP_PREFLIGHT | OPT_USER, 0,
         N_("apply --iface IF --yes [--confirm-timeout N]"), N_("apply, verify, revert on failure")},
        {"confirm", cmd_confirm, OPT_ROOT | OPT_JSON | OPT_USER, 0, N_("confirm"), N_("keep a change that awaits confirmation")},
        {"rollback", cmd_rollback,
         OPT_ROOT | OPT_JSON | OPT_YES | OPT_LIST | OPT_TO | OPT_AUTO | OPT_TIMEOUT | OPT_PREVIEW | OPT_USER, 0,
         N_("rollback [--list | --to ID --yes]"), N_("restore an earlier configuration")},
        {"recover", cmd_recover, OPT_ROOT | OPT_JSON | OPT_TIMEOUT | OPT_DISCARD | OPT_USER, 0, N_("recover [--discard]"),
         N_("revert a change a crash or reboot left behind (run at boot by a unit)")},
        {"status", cmd_status, OPT_ROOT | OPT_JSON | OPT_TLS_DIR | OPT_USER, 0, N_("status"),
         N_("listeners, pending confirmation, backups")},
        {"client-cert", cmd_client_cert, OPT_ROOT | OPT_JSON | OPT_YES | OPTS_TLSGEN, 1,
         N_("client-cert NAME [--key-type T]"),
         N_("issue another client certificate from the CA (--yes replaces)")},
        {"interfaces", cmd_interfaces, OPT_JSON | OPT_ALL, 0, N_("interfaces [--all]"),
         N_("list network interfaces with their address class")},
        {},
};

/* What a closed output or a signal during a change cost: said on stderr at the end. The exit
 * code stays the command's: the change itself ran to its end (kept, pending or reverted). */
static void report_interruptions(void) {
        int sig = engine_deferred_signal();
        bool lost = fflush(stdout) != 0 || ferror(stdout);
        int err = errno;

        if (sig)
                print_error(_("SIG%s arrived during the change; it was finished first (see \"status\")"),
                            sigabbrev_np(sig));
        if (lost)
                print_error(_("the output could not be written (%s); the command ran to its end: see \"status\""),
                            strerror(err ? err : EIO));
}

/* The screens (wizard, rollback screen) go on after a change: a deferred signal acts then. */
static bool runs_a_screen(const struct drs_args *a) {
        return a->command->run == cmd_wizard ||
               (a->command->run == cmd_rollback && !a->list && !a->to && !a->auto_id && !a->json);
}

int main(int argc, char **argv) {
        struct drs_args a;
        int r;

        setlocale(LC_ALL, "");
#if ENABLE_NLS
        /* Installed: LOCALEDIR only; from the build tree, the catalogues `make` put there. */
        bindtextdomain(PACKAGE, engine_locale_dir());
        bind_textdomain_codeset(PACKAGE, "UTF-8");
        textdomain(PACKAGE);
#endif
        r = args_parse(argc, argv, &a);
        if (r != 0)
                return r > 0 ? DRS_EXIT_OK : DRS_EXIT_USAGE;
        engine_process_setup(runs_a_screen(&a));
        r = a.command->run(&a);
        report_interruptions();
        args_done(&a);
        return r;
}
