/* store.h: the state directory: the one-instance lock, backup sets and the transaction in flight. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#include "diag.h"
#include "manifest.h"

#define DRS_STATE_DIR "/var/lib/docker-remote-setup"
#define DRS_BACKUP_DIR DRS_STATE_DIR "/backups"

/* The store of a user's own daemon (rootless Docker): its state directory (absolute under the
 * root, e.g. HOME/.local/state/docker-remote-setup) and its owner, who gets every directory and
 * file the store makes, and whose files it may write through. Process-wide; the default is
 * DRS_STATE_DIR, root's. */
void store_use(const char *dir, uid_t uid, gid_t gid);
/* The state directory and its backups directory now in use. */
const char *store_dir(void);
/* Whose the store is (store_use's uid and gid). */
void store_owner(uid_t *uid, gid_t *gid);
const char *store_backup_dir(void);

/* Whether the open file fd may be written through: -EUSERS when another user than root (or us)
 * owns it, -EMLINK when it is not a directory and has other hard links, 0 if fine. */
int store_check_writable(int fd);
/* A translated text for the errors of this module (-EMLINK, -EUSERS: why a file is refused), or
 * strerror() for the others. */
const char *store_strerror(int r);
/* Takes the lock (flock on DRS_STATE_DIR/lock, released when the process ends, so a dead holder
 * never leaves it stale). wait_sec 0: do not wait. Returns the lock fd, or -EBUSY with the
 * holder's PID in *ret_holder (may be NULL), -EMLINK/-EUSERS for a lock file or state directory
 * that is not ours alone (see store_strerror()), or another negative errno. */
int store_lock(int rootfd, unsigned wait_sec, unsigned *ret_holder);

/* Whether an ID is well-formed ("20261129-053012" or "20261129-053012-2"). */
bool store_id_valid(const char *id);

/* Saves the current content, mode and owner of every file in m->files (paths filled by the
 * caller) into a new backup set (directory 0700, blobs 0600), sets m->id and m->created. The set
 * is saved as "ID.new" and renamed to ID once its manifest is written. Returns 0 or a negative
 * errno (-ENOSPC, …; -EMLINK/-EUSERS/-EFBIG with *diag naming the file); on failure nothing of
 * the set is left. */
int store_backup_take(int rootfd, struct drs_manifest *m, time_t now, struct drs_diag *diag);
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

/* Removes what an interrupted save left (a set still named "ID.new", temporary files); a set
 * without its manifest is never deleted: it is renamed "ID.unreadable" and its ID stays taken.
 * Call with the lock held. */
int store_cleanup(int rootfd);
/* The sets put aside ("ID.unreadable"), in directory order. */
int store_backup_list_aside(int rootfd, char ***ret_names);

/* The transaction in flight: -ENOENT when there is none. */
int store_txn_load(int rootfd, struct drs_txn *ret, struct drs_diag *diag);
int store_txn_save(int rootfd, const struct drs_txn *t);
int store_txn_clear(int rootfd);
/* Renames the transaction record to "current.json.discarded-YYYYMMDD-HHMMSS" (never deletes it);
 * *ret_path (may be NULL) is the new path. -ENOENT when there is none. */
int store_txn_discard(int rootfd, time_t now, char **ret_path);
