/* history.h: the backup sets as a history of changes, and what restoring one would change. */
#pragma once

#include <stdbool.h>
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

/* Whether id is well-formed as a backup set's ID ("20261129-053012" or "20261129-053012-2"). */
bool engine_backup_id_valid(const char *id);
/* The IDs of all backup sets, oldest first, readable or not (rollback --list). -EACCES when not
 * root. */
int engine_backup_ids(struct drs_engine *e, char ***ret_ids);
/* The manifest of backup set id; *diag says why when it cannot be read. */
int engine_backup_load(struct drs_engine *e, const char *id, struct drs_manifest *ret, struct drs_diag *diag);
/* The backup directory under the root, for messages. */
const char *engine_backup_dir(void);
