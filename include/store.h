/* store.h: the state directory: the one-instance lock, backup sets and the transaction in flight. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "diag.h"
#include "manifest.h"

#define DRS_STATE_DIR "/var/lib/docker-remote-setup"
#define DRS_BACKUP_DIR DRS_STATE_DIR "/backups"

/* Takes the lock (flock on DRS_STATE_DIR/lock, released when the process ends, so a dead holder
 * never leaves it stale). wait_sec 0: do not wait. Returns the lock fd, or -EBUSY with the
 * holder's PID in *ret_holder (may be NULL), or another negative errno. */
int store_lock(int rootfd, unsigned wait_sec, unsigned *ret_holder);

/* Whether an ID is well-formed ("20261129-053012" or "20261129-053012-2"). */
bool store_id_valid(const char *id);

/* Saves the current content, mode and owner of every file in m->files (paths filled by the
 * caller) into a new backup set (directory 0700, blobs 0600), sets m->id and m->created, writes
 * the manifest last. Returns 0 or a negative errno (-ENOSPC, …); nothing is half-saved. */
int store_backup_take(int rootfd, struct drs_manifest *m, time_t now);
/* Rewrites the manifest (e.g. with its result). */
int store_backup_save(int rootfd, const struct drs_manifest *m);
int store_backup_load(int rootfd, const char *id, struct drs_manifest *ret, struct drs_diag *diag);
/* The saved content of f (any bytes; NUL-terminated for convenience) and its length; its SHA-256
 * must match the manifest (-EBADMSG with *diag if not). */
int store_backup_blob(int rootfd, const struct drs_manifest *m, const struct drs_backup_file *f, char **ret,
                      size_t *ret_len, struct drs_diag *diag);
/* Orders backup IDs by time, then by their "-N" suffix (numerically). */
int store_id_compare(const char *a, const char *b);
/* IDs of all backup sets, oldest first. */
int store_backup_list(int rootfd, char ***ret_ids);

/* Removes what an interrupted save left: backup sets without a manifest, temporary files.
 * Call with the lock held. */
int store_cleanup(int rootfd);

/* The transaction in flight: -ENOENT when there is none. */
int store_txn_load(int rootfd, struct drs_txn *ret, struct drs_diag *diag);
int store_txn_save(int rootfd, const struct drs_txn *t);
int store_txn_clear(int rootfd);
