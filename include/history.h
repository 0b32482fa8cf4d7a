/* history.h: the backup sets as a history of changes, and what restoring one would change. */
#pragma once

#include <stddef.h>

#include "diag.h"
#include "engine.h"
#include "manifest.h"
#include "render.h"

/* Every backup set, newest first (unreadable ones left out). Returns 0 or a negative errno
 * (-EACCES when not root). */
int engine_history(struct drs_engine *e, struct drs_manifest **ret, size_t *ret_n);
void history_free(struct drs_manifest *sets, size_t n);

/* For each file of the set, the unified diff from what is there now to what restoring would
 * put back ("unchanged" when equal). */
int engine_backup_diff(struct drs_engine *e, const struct drs_manifest *m, struct drs_rendered *out,
                       struct drs_diag *diag);
