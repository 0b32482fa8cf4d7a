/* cmd-stubs.c: the wizard entry point until the TUI lands (temporary). */
#include "commands.h"
#include "exitcode.h"
#include "output.h"

int cmd_wizard(struct drs_args *a) {
        print_error("the wizard is not built yet; use \"preview\" and \"apply\"");
        return DRS_EXIT_FAILURE;
}
