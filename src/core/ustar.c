/* ustar.c: a POSIX ustar archive of a few small files, built and read in memory. */
#include "ustar.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "util.h"

/* Offsets and sizes of the header fields (POSIX.1-2001, "ustar Interchange Format"). */
#define F_NAME 0
#define F_MODE 100
#define F_UID 108
#define F_GID 116
#define F_SIZE 124
#define F_MTIME 136
#define F_CHKSUM 148
#define F_TYPEFLAG 156
#define F_MAGIC 257
#define F_VERSION 263
#define F_UNAME 265
#define F_GNAME 297
#define F_PREFIX 345
#define SIZE_MAX_OCTAL 077777777777ULL /* 11 octal digits */

static size_t padded(size_t n) {
        return (n + USTAR_BLOCK - 1) / USTAR_BLOCK * USTAR_BLOCK;
}

/* A numeric field: zero-padded octal digits filling all but the last byte, then NUL. */
static void put_octal(unsigned char *h, size_t off, size_t width, uint64_t v) {
        char buf[24];
        snprintf(buf, sizeof(buf), "%0*llo", (int) (width - 1), (unsigned long long) v);
        memcpy(h + off, buf, width - 1);
        h[off + width - 1] = '\0';
}

static unsigned checksum(const unsigned char *h) {
        unsigned sum = 0;
        for (size_t i = 0; i < USTAR_BLOCK; i++)
                sum += i >= F_CHKSUM && i < F_CHKSUM + 8 ? ' ' : h[i];
        return sum;
}

static void header_fill(unsigned char *h, const struct drs_tar_member *m, int64_t mtime) {
        memset(h, 0, USTAR_BLOCK);
        memcpy(h + F_NAME, m->name, strlen(m->name));
        put_octal(h, F_MODE, 8, m->mode);
        put_octal(h, F_UID, 8, 0);
        put_octal(h, F_GID, 8, 0);
        put_octal(h, F_SIZE, 12, m->len);
        put_octal(h, F_MTIME, 12, (uint64_t) mtime);
        h[F_TYPEFLAG] = '0';
        memcpy(h + F_MAGIC, "ustar", 6);
        memcpy(h + F_VERSION, "00", 2);
        memcpy(h + F_UNAME, "root", 4);
        memcpy(h + F_GNAME, "root", 4);
        /* Six digits, NUL, space: what GNU tar and bsdtar write. */
        snprintf((char *) h + F_CHKSUM, 8, "%06o", checksum(h));
        h[F_CHKSUM + 7] = ' ';
}

int ustar_build(const struct drs_tar_member *m, size_t n, int64_t mtime, char **ret, size_t *ret_len) {
        size_t total = 2 * USTAR_BLOCK, off = 0;
        char *tar;

        if (mtime < 0 || (uint64_t) mtime > SIZE_MAX_OCTAL)
                return -EINVAL;
        for (size_t i = 0; i < n; i++) {
                size_t nl = m[i].name ? strlen(m[i].name) : 0;
                if (nl == 0 || nl > USTAR_NAME_MAX || m[i].mode > 07777 || m[i].len > SIZE_MAX_OCTAL)
                        return -EINVAL;
                total += USTAR_BLOCK + padded(m[i].len);
        }
        tar = xcalloc(1, total);
        for (size_t i = 0; i < n; i++) {
                header_fill((unsigned char *) tar + off, &m[i], mtime);
                off += USTAR_BLOCK;
                if (m[i].len)
                        memcpy(tar + off, m[i].data, m[i].len);
                off += padded(m[i].len);
        }
        *ret = tar;
        *ret_len = total;
        return 0;
}

/* The value of an octal field (digits, then NUL or spaces), or -1. */
static int64_t get_octal(const unsigned char *h, size_t off, size_t width) {
        uint64_t v = 0;
        size_t i = off, end = off + width;

        while (i < end && h[i] == ' ')
                i++;
        if (i == end || h[i] < '0' || h[i] > '7')
                return -1;
        for (; i < end && h[i] >= '0' && h[i] <= '7'; i++)
                v = v * 8 + (uint64_t) (h[i] - '0');
        for (; i < end; i++)
                if (h[i] != '\0' && h[i] != ' ')
                        return -1;
        return v > SIZE_MAX_OCTAL ? -1 : (int64_t) v;
}

static bool block_is_zero(const unsigned char *h) {
        for (size_t i = 0; i < USTAR_BLOCK; i++)
                if (h[i])
                        return false;
        return true;
}

int ustar_find(const char *tar, size_t len, const char *name, const char **ret_data, size_t *ret_len,
               unsigned *ret_mode) {
        size_t off = 0;

        for (;;) {
                const unsigned char *h = (const unsigned char *) tar + off;
                int64_t size, mode, sum;
                size_t data;

                if (len - off < USTAR_BLOCK)
                        return -EBADMSG; /* no end-of-archive blocks */
                if (block_is_zero(h))
                        return -ENOENT;
                sum = get_octal(h, F_CHKSUM, 8);
                size = get_octal(h, F_SIZE, 12);
                mode = get_octal(h, F_MODE, 8);
                if (sum < 0 || (unsigned) sum != checksum(h) || memcmp(h + F_MAGIC, "ustar", 5) != 0 || size < 0 ||
                    mode < 0)
                        return -EBADMSG;
                data = off + USTAR_BLOCK;
                if ((uint64_t) size > len - data || padded((size_t) size) > len - data)
                        return -EBADMSG;
                if ((h[F_TYPEFLAG] == '0' || h[F_TYPEFLAG] == '\0') && h[F_PREFIX] == '\0' &&
                    strnlen((const char *) h + F_NAME, USTAR_NAME_MAX) == strlen(name) &&
                    memcmp(h + F_NAME, name, strlen(name)) == 0) {
                        if (ret_data)
                                *ret_data = tar + data;
                        if (ret_len)
                                *ret_len = (size_t) size;
                        if (ret_mode)
                                *ret_mode = (unsigned) mode & 07777;
                        return 0;
                }
                off = data + padded((size_t) size);
        }
}
