/* ustar.h: a POSIX ustar archive of a few small files, built and read in memory (pure). */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define USTAR_BLOCK 512
#define USTAR_NAME_MAX 100

struct drs_tar_member {
        const char *name;   /* a plain name (no prefix field is written): 1 to 100 bytes */
        const char *data;
        size_t len;
        unsigned mode;      /* permission bits, e.g. 0600 */
};

/* Builds the archive: per member a header (regular file, owner root:root uid/gid 0, the given
 * mtime, ustar magic "ustar\0" "00", checksum) and the data padded to 512 bytes; two zero blocks
 * end it. Returns 0 with the archive in *ret (caller frees) and its length in *ret_len, or
 * -EINVAL for an empty or too long name, a mode above 07777 or a negative mtime. */
int ustar_build(const struct drs_tar_member *m, size_t n, int64_t mtime, char **ret, size_t *ret_len);

/* Finds the regular file name in an archive, checking the magic and checksum of every header up
 * to it. Returns 0 with *ret_data pointing into tar, its length and mode (each ret_ may be NULL),
 * -ENOENT when the archive ends without it, -EBADMSG when the archive is malformed. */
int ustar_find(const char *tar, size_t len, const char *name, const char **ret_data, size_t *ret_len,
               unsigned *ret_mode);
