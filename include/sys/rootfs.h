/* rootfs.h: reading files of a root directory ("/" or --root DIR), symlinks resolved inside it. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#define ROOTFS_MAX_FILE (4u << 20) /* config files larger than this are refused */

/* Opens the root directory. Returns an O_PATH fd or a negative errno. */
int rootfs_open(const char *root);

/* Reads the whole file at path (absolute as on the target) with symlinks resolved inside the
 * root. Returns 0, -ENOENT, -EISDIR, -EFBIG (over ROOTFS_MAX_FILE), -EBADMSG (NUL bytes), or
 * another negative errno. *ret_text is NUL-terminated, caller frees. */
int rootfs_read(int rootfd, const char *path, char **ret_text);
/* The same for any content (NUL bytes allowed, e.g. a tar file): *ret_data (NUL-terminated for
 * convenience) and *ret_len. */
int rootfs_read_data(int rootfd, const char *path, char **ret_data, size_t *ret_len);

/* lstat of path: the last component not followed, earlier ones resolved inside the root. */
int rootfs_lstat(int rootfd, const char *path, struct stat *ret);
/* The target of the symlink at path; caller frees. */
int rootfs_readlink(int rootfd, const char *path, char **ret);
/* Whether path is a symlink to /dev/null (systemd's way of masking). */
bool rootfs_is_masked(int rootfd, const char *path);
/* Whether path is a regular file with an execute bit. */
bool rootfs_is_executable(int rootfd, const char *path);
/* Names in directory path (no "." and ".."), sorted; an absent directory gives -ENOENT. */
int rootfs_list(int rootfd, const char *path, char ***ret_names);
/* Opens path (a directory or file) inside the root with extra open flags; for fstat & co. */
int rootfs_open_at(int rootfd, const char *path, int flags, bool no_symlinks);

/* Uses the userspace resolver even where openat2() exists (for tests; it is what runs on
 * kernels before 5.6 and under valgrind). */
void rootfs_force_fallback(bool on);
