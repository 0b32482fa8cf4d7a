/* commands.h: the commands of docker-remote-setup, one function each. */
#pragma once

#include "args.h"
#include "diag.h"

int cmd_preview(struct drs_args *a);
/* preview --user NAME (cmd-preview-user.c): that user's rootless daemon. */
int cmd_preview_user(struct drs_args *a);
/* apply --user NAME (cmd-apply-user.c). */
int cmd_apply_user(struct drs_args *a);
/* status --user NAME (cmd-status-user.c). */
int cmd_status_user(struct drs_args *a);
int cmd_interfaces(struct drs_args *a);
int cmd_wizard(struct drs_args *a);
int cmd_apply(struct drs_args *a);
int cmd_confirm(struct drs_args *a);
int cmd_rollback(struct drs_args *a);
int cmd_status(struct drs_args *a);
int cmd_client_cert(struct drs_args *a);
int cmd_recover(struct drs_args *a);

/* Prints the diagnosis as one error line and returns the exit code for errno r:
 * usage (2) for a malformed value, precondition (4) for what the system does not allow,
 * failure (1) otherwise. */
int report_failure(int r, struct drs_diag *d);
