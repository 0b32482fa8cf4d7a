/* rootfs.c: reading files of a root directory ("/" or --root DIR), symlinks resolved inside it. */
#include "rootfs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util.h"

static const char *relative(const char *path) {
        while (*path == '/')
                path++;
        return *path ? path : ".";
}

#define MAX_SYMLINKS 40

static bool no_openat2 = false;

void rootfs_force_fallback(bool on) {
        no_openat2 = on;
}

static bool same_inode(int a, int b) {
        struct stat sa, sb;
        return fstat(a, &sa) >= 0 && fstat(b, &sb) >= 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* Prepends the components of s to the queue *rest ("a/b" + "c/d" → "a/b/c/d"). */
static void prepend(char **rest, const char *s) {
        char *n = *rest && **rest ? xasprintf("%s/%s", s, *rest) : xstrdup(s);
        free(*rest);
        *rest = n;
}

/* What openat2(RESOLVE_IN_ROOT) does, in userspace, for kernels (and valgrind) without it:
 * one component at a time with O_NOFOLLOW, symlinks read and resolved against the root, ".."
 * never above the root. */
static int open_in_root_fallback(int rootfd, const char *path, int flags, bool no_symlinks) {
        _cleanup_free_ char *rest = xstrdup(path);
        int cur = fcntl(rootfd, F_DUPFD_CLOEXEC, 3), links = 0, r;

        if (cur < 0)
                return -errno;
        for (;;) {
                char *p = rest, *slash, *comp;
                struct stat st;
                bool last;
                int next;

                p += strspn(p, "/");
                if (!*p) {
                        /* The path named a directory we are in: open it as asked. */
                        next = openat(cur, ".", (flags & ~(O_CREAT | O_EXCL | O_NOFOLLOW)) | O_CLOEXEC);
                        r = next < 0 ? -errno : next;
                        close(cur);
                        return r;
                }
                slash = strchr(p, '/');
                comp = slash ? xstrndup(p, (size_t) (slash - p)) : xstrdup(p);
                memmove(rest, slash ? slash : p + strlen(p), strlen(slash ? slash : p + strlen(p)) + 1);
                last = rest[strspn(rest, "/")] == '\0';

                if (streq(comp, ".")) {
                        free(comp);
                        continue;
                }
                if (streq(comp, "..")) {
                        free(comp);
                        if (same_inode(cur, rootfd))
                                continue;
                        next = openat(cur, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
                        if (next < 0) {
                                r = -errno;
                                close(cur);
                                return r;
                        }
                        close(cur);
                        cur = next;
                        continue;
                }
                if (fstatat(cur, comp, &st, AT_SYMLINK_NOFOLLOW) < 0) {
                        if (errno == ENOENT && last && (flags & O_CREAT)) {
                                next = openat(cur, comp, flags | O_NOFOLLOW | O_CLOEXEC, 0600);
                                r = next < 0 ? -errno : next;
                        } else
                                r = -errno;
                        free(comp);
                        close(cur);
                        return r;
                }
                if (S_ISLNK(st.st_mode)) {
                        char target[4096];
                        ssize_t n = readlinkat(cur, comp, target, sizeof(target) - 1);
                        free(comp);
                        if (n < 0 || no_symlinks || ++links > MAX_SYMLINKS) {
                                r = n < 0 ? -errno : -ELOOP;
                                close(cur);
                                return r;
                        }
                        target[n] = '\0';
                        if (target[0] == '/') {
                                close(cur);
                                cur = fcntl(rootfd, F_DUPFD_CLOEXEC, 3);
                                if (cur < 0)
                                        return -errno;
                        }
                        prepend(&rest, target);
                        continue;
                }
                next = openat(cur, comp, (last ? flags : O_PATH | O_DIRECTORY) | O_NOFOLLOW | O_CLOEXEC, 0600);
                r = next < 0 ? -errno : next;
                free(comp);
                close(cur);
                if (r < 0 || last)
                        return r;
                cur = next;
        }
}

int rootfs_open_at(int rootfd, const char *path, int flags, bool no_symlinks) {
        struct open_how how = {
                .flags = (uint64_t) (flags | O_CLOEXEC | ((flags & O_PATH) ? 0 : O_NOCTTY)),
                .mode = (flags & O_CREAT) ? 0600 : 0,
                .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS | (no_symlinks ? RESOLVE_NO_SYMLINKS : 0),
        };
        long fd;

        if (!no_openat2) {
                fd = syscall(SYS_openat2, rootfd, relative(path), &how, sizeof(how));
                if (fd >= 0 || errno != ENOSYS)
                        return fd < 0 ? -errno : (int) fd;
                no_openat2 = true;
        }
        return open_in_root_fallback(rootfd, relative(path), flags | ((flags & O_PATH) ? 0 : O_NOCTTY), no_symlinks);
}

int rootfs_open(const char *root) {
        int fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
        return fd < 0 ? -errno : fd;
}

int rootfs_read_data(int rootfd, const char *path, char **ret_data, size_t *ret_len) {
        struct stat st;
        char *text;
        size_t len = 0;
        /* O_NONBLOCK: opening a FIFO put where a config file belongs must not hang; it is refused
         * below, as is anything but a regular file. */
        int fd = rootfs_open_at(rootfd, path, O_RDONLY | O_NONBLOCK, false), r = 0;

        if (fd < 0)
                return fd;
        if (fstat(fd, &st) < 0) {
                r = -errno;
                goto out;
        }
        if (S_ISDIR(st.st_mode)) {
                r = -EISDIR;
                goto out;
        }
        if (!S_ISREG(st.st_mode)) {
                r = -EBADFD;
                goto out;
        }
        if ((uint64_t) st.st_size > ROOTFS_MAX_FILE) {
                r = -EFBIG;
                goto out;
        }
        text = xmalloc((size_t) st.st_size + 1);
        for (;;) {
                ssize_t n = read(fd, text + len, (size_t) st.st_size - len);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0) {
                        r = -errno;
                        free(text);
                        goto out;
                }
                if (n == 0)
                        break;
                len += (size_t) n;
                if (len == (size_t) st.st_size)
                        break;
        }
        text[len] = '\0';
        *ret_data = text;
        *ret_len = len;
out:
        close(fd);
        return r;
}

int rootfs_read(int rootfd, const char *path, char **ret_text) {
        char *text = NULL;
        size_t len = 0;
        int r = rootfs_read_data(rootfd, path, &text, &len);

        if (r < 0)
                return r;
        if (memchr(text, '\0', len)) {
                free(text);
                return -EBADMSG;
        }
        *ret_text = text;
        return 0;
}

/* Opens the parent directory of path inside the root; *ret_name points into path. */
static int open_parent(int rootfd, const char *path, const char **ret_name) {
        const char *rel = relative(path), *slash = strrchr(rel, '/');
        _cleanup_free_ char *dir = slash ? xstrndup(rel, (size_t) (slash - rel)) : xstrdup(".");
        int fd = rootfs_open_at(rootfd, dir, O_PATH | O_DIRECTORY, false);
        if (fd >= 0)
                *ret_name = slash ? slash + 1 : rel;
        return fd;
}

int rootfs_lstat(int rootfd, const char *path, struct stat *ret) {
        const char *name;
        int dfd = open_parent(rootfd, path, &name), r = 0;

        if (dfd < 0)
                return dfd;
        if (fstatat(dfd, name, ret, AT_SYMLINK_NOFOLLOW) < 0)
                r = -errno;
        close(dfd);
        return r;
}

int rootfs_readlink(int rootfd, const char *path, char **ret) {
        char buf[4096];
        const char *name;
        ssize_t n;
        int dfd = open_parent(rootfd, path, &name);

        if (dfd < 0)
                return dfd;
        n = readlinkat(dfd, name, buf, sizeof(buf) - 1);
        close(dfd);
        if (n < 0)
                return -errno;
        buf[n] = '\0';
        *ret = xstrdup(buf);
        return 0;
}

bool rootfs_is_masked(int rootfd, const char *path) {
        _cleanup_free_ char *target = NULL;
        return rootfs_readlink(rootfd, path, &target) >= 0 && streq(target, "/dev/null");
}

bool rootfs_is_executable(int rootfd, const char *path) {
        struct stat st;
        int fd = rootfs_open_at(rootfd, path, O_PATH, false);
        bool ok;

        if (fd < 0)
                return false;
        ok = fstat(fd, &st) >= 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111);
        close(fd);
        return ok;
}

static int cmp_names(const void *a, const void *b) {
        return strcmp(*(char *const *) a, *(char *const *) b);
}

int rootfs_list(int rootfd, const char *path, char ***ret_names) {
        int fd = rootfs_open_at(rootfd, path, O_RDONLY | O_DIRECTORY, false);
        char **names = xcalloc(1, sizeof(char *));
        struct dirent *de;
        DIR *d;

        if (fd < 0) {
                free(names);
                return fd;
        }
        d = fdopendir(fd);
        if (!d) {
                int r = -errno;
                close(fd);
                free(names);
                return r;
        }
        while ((de = readdir(d)))
                if (!streq(de->d_name, ".") && !streq(de->d_name, ".."))
                        strv_push(&names, de->d_name);
        closedir(d);
        qsort(names, strv_length(names), sizeof(char *), cmp_names);
        *ret_names = names;
        return 0;
}
