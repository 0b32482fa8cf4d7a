/* atomic.h: writing files under a root so that each is either the old or the new version, never half. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Creates the directories of path (absolute, as on the target) that are missing, mode 0755 (or
 * dir_mode for the last one), never following a symlink; the parent of each is fsynced (a failure is returned). Appends each directory it created to
 * *created (may be NULL), outermost first. */
int atomic_mkdirs(int rootfd, const char *dir, mode_t dir_mode, char ***created);
/* Like atomic_mkdirs(); the directories it creates get uid:gid as owner when uid is not 0 (a
 * user's own files: rootless Docker). */
int atomic_mkdirs_owned(int rootfd, const char *dir, mode_t dir_mode, uid_t uid, gid_t gid, char ***created);

/* Like atomic_mkdirs() without creating anything: the directories of dir that are missing,
 * outermost first, appended to *ret. */
int atomic_missing_dirs(int rootfd, const char *dir, char ***ret);
/* fsync() of a directory under the root (opened O_RDONLY|O_DIRECTORY, never through a symlink);
 * 0 or a negative errno. Call it after creating or renaming an entry in it. */
int atomic_fsync_dir(int rootfd, const char *dir);
/* Writes content to path: a temporary file in the same directory (O_EXCL, O_NOFOLLOW), the
 * mode and owner set, fsync, rename over path, fsync of the directory. The directory must exist
 * and no component may be a symlink (-ELOOP). Returns 0 or a negative errno; on failure path is
 * unchanged and no temporary file is left. */
int atomic_write(int rootfd, const char *path, const char *content, size_t len, mode_t mode, uid_t uid, gid_t gid);

/* Removes path (absent is fine) and fsyncs its directory. */
int atomic_remove(int rootfd, const char *path);
/* Removes the directory when it is empty (absent or not empty is fine). */
int atomic_rmdir_if_empty(int rootfd, const char *dir);

/* Removes temporary files that an interrupted atomic_write() of path left in its directory. */
int atomic_clean_temp(int rootfd, const char *path);
