/* cmd-stubs.c: commands whose engine part lands with the apply work (temporary). */
#include "commands.h"
#include "exitcode.h"
#include "output.h"

int cmd_wizard(struct drs_args *a) {
        print_error("the wizard is not built yet; use \"preview\"");
        return DRS_EXIT_FAILURE;
}
int cmd_apply(struct drs_args *a) {
        print_error("apply is not built yet");
        return DRS_EXIT_FAILURE;
}
int cmd_confirm(struct drs_args *a) {
        return cmd_apply(a);
}
int cmd_rollback(struct drs_args *a) {
        return cmd_apply(a);
}
int cmd_status(struct drs_args *a) {
        return cmd_apply(a);
}
