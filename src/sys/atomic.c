/* atomic.c: writing files under a root so that each is either the old or the new version, never half. */
#include "atomic.h"

#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fault.h"
#include "rootfs.h"
#include "util.h"

static int split(const char *path, char **ret_dir, const char **ret_name) {
        const char *slash = strrchr(path, '/');
        if (!slash || !slash[1])
                return -EINVAL;
        *ret_dir = slash == path ? xstrdup("/") : xstrndup(path, (size_t) (slash - path));
        *ret_name = slash + 1;
        return 0;
}

/* An O_PATH descriptor cannot be synced (EBADF): the directory is opened for reading. */
int atomic_fsync_dir(int rootfd, const char *dir) {
        int fd = rootfs_open_at(rootfd, dir, O_RDONLY | O_DIRECTORY, true), r;

        if (fd < 0)
                return fd;
        r = fsync(fd) < 0 ? -errno : 0;
        close(fd);
        return r;
}

/* Walks the components of dir: those missing are appended to *missing (may be NULL) and, with
 * create, made (their parent fsynced after each). */
static int walk_dirs(int rootfd, const char *dir, mode_t dir_mode, bool create, char ***missing) {
        _cleanup_free_ char *p = xstrdup(dir);
        size_t n = strlen(p);
        bool absent = false;

        for (size_t i = 1; i <= n; i++) {
                if (p[i] != '/' && p[i] != '\0')
                        continue;
                char c = p[i];
                p[i] = '\0';
                int fd = absent ? -ENOENT : rootfs_open_at(rootfd, p, O_PATH | O_DIRECTORY, true);
                if (fd >= 0)
                        close(fd);
                else if (fd == -ENOENT && !create) {
                        absent = true; /* and so is everything below it */
                        if (missing)
                                strv_push(missing, p);
                } else if (fd == -ENOENT) {
                        const char *name;
                        _cleanup_free_ char *parent = NULL;
                        int r = split(p, &parent, &name), pfd;
                        if (r < 0)
                                return r;
                        pfd = rootfs_open_at(rootfd, parent, O_RDONLY | O_DIRECTORY, true);
                        if (pfd < 0)
                                return pfd;
                        r = mkdirat(pfd, name, c ? 0755 : dir_mode) < 0 ? -errno : 0;
                        if (r >= 0 && fsync(pfd) < 0)
                                r = -errno;
                        close(pfd);
                        if (r < 0 && r != -EEXIST)
                                return r;
                        if (r >= 0 && missing)
                                strv_push(missing, p);
                } else
                        return fd; /* -ELOOP for a symlink, -ENOTDIR, … */
                p[i] = c;
        }
        return 0;
}

int atomic_mkdirs(int rootfd, const char *dir, mode_t dir_mode, char ***created) {
        return walk_dirs(rootfd, dir, dir_mode, true, created);
}

int atomic_mkdirs_owned(int rootfd, const char *dir, mode_t dir_mode, uid_t uid, gid_t gid, char ***created) {
        _cleanup_strv_free_ char **made = NULL;
        int r = walk_dirs(rootfd, dir, dir_mode, true, &made);

        for (size_t i = 0; uid != 0 && made && made[i]; i++) {
                int fd = rootfs_open_at(rootfd, made[i], O_RDONLY | O_DIRECTORY, true);
                if (fd < 0)
                        return fd;
                if (fchown(fd, uid, gid) < 0 && errno != EPERM)
                        r = -errno;
                close(fd);
        }
        for (size_t i = 0; created && made && made[i]; i++)
                strv_push(created, made[i]);
        return r;
}

int atomic_missing_dirs(int rootfd, const char *dir, char ***ret) {
        return walk_dirs(rootfd, dir, 0, false, ret);
}

static int write_all(int fd, const char *p, size_t len) {
        while (len > 0) {
                ssize_t n = write(fd, p, len);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return -errno;
                p += n;
                len -= (size_t) n;
        }
        return 0;
}

int atomic_write(int rootfd, const char *path, const char *content, size_t len, mode_t mode, uid_t uid, gid_t gid) {
        _cleanup_free_ char *dir = NULL, *tmp = NULL;
        const char *name;
        uint64_t rnd = 0;
        int dfd, fd, r;

        r = split(path, &dir, &name);
        if (r < 0)
                return r;
        dfd = rootfs_open_at(rootfd, dir, O_RDONLY | O_DIRECTORY, true);
        if (dfd < 0)
                return dfd;
        if (getrandom(&rnd, sizeof(rnd), 0) < 0)
                rnd = (uint64_t) getpid() ^ (uint64_t) time(NULL);
        tmp = xasprintf(".#%s.%016llx", name, (unsigned long long) rnd);
        fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode & 07777);
        if (fd < 0) {
                r = -errno;
                close(dfd);
                return r;
        }
        /* Fault points: "write"/"mid-write" count the configuration files, "state-write"/
         * "state-mid-write" our own state (backups, transaction record). */
        bool state = startswith(path, "/var/lib/docker-remote-setup/");
        r = fault_write(state ? "state-write" : "write", content, len);
        if (r >= 0) {
                /* A fault "kill" in the middle of the write leaves only the temporary file. */
                size_t half = fault_point(state ? "state-mid-write" : "mid-write") ? len / 2 : len;
                r = write_all(fd, content, half);
                if (r >= 0 && half < len)
                        fault_kill_now();
        }
        if (r >= 0 && fchmod(fd, mode & 07777) < 0)
                r = -errno;
        if (r >= 0 && fchown(fd, uid, gid) < 0 && errno != EPERM)
                r = -errno;
        if (r >= 0 && fsync(fd) < 0)
                r = -errno;
        if (close(fd) < 0 && r >= 0)
                r = -errno;
        if (r >= 0 && renameat(dfd, tmp, dfd, name) < 0)
                r = -errno;
        if (r < 0)
                (void) unlinkat(dfd, tmp, 0);
        else if (fsync(dfd) < 0)
                r = -errno;
        close(dfd);
        return r;
}

/* unlinkat() in the parent directory, then fsync it; absent (and, for directories, not empty) is fine. */
static int remove_entry(int rootfd, const char *path, int flags) {
        _cleanup_free_ char *dir = NULL;
        const char *name;
        int dfd, r = split(path, &dir, &name);

        if (r < 0)
                return r;
        dfd = rootfs_open_at(rootfd, dir, O_RDONLY | O_DIRECTORY, true);
        if (dfd == -ENOENT)
                return 0;
        if (dfd < 0)
                return dfd;
        r = 0;
        if (unlinkat(dfd, name, flags) < 0 && errno != ENOENT &&
            !((flags & AT_REMOVEDIR) && (errno == ENOTEMPTY || errno == EEXIST)))
                r = -errno;
        if (r >= 0 && fsync(dfd) < 0)
                r = -errno;
        close(dfd);
        return r;
}

int atomic_remove(int rootfd, const char *path) {
        return remove_entry(rootfd, path, 0);
}

int atomic_rmdir_if_empty(int rootfd, const char *dir) {
        return remove_entry(rootfd, dir, AT_REMOVEDIR);
}

int atomic_clean_temp(int rootfd, const char *path) {
        _cleanup_free_ char *dir = NULL, *prefix = NULL;
        const char *name;
        struct dirent *de;
        int dfd, fd, r = split(path, &dir, &name);
        DIR *d;

        if (r < 0)
                return r;
        prefix = xasprintf(".#%s.", name);
        dfd = rootfs_open_at(rootfd, dir, O_RDONLY | O_DIRECTORY, true);
        if (dfd < 0)
                return dfd == -ENOENT ? 0 : dfd;
        fd = fcntl(dfd, F_DUPFD_CLOEXEC, 3);
        d = fd >= 0 ? fdopendir(fd) : NULL;
        if (!d) {
                if (fd >= 0)
                        close(fd);
                close(dfd);
                return -errno;
        }
        while ((de = readdir(d)))
                if (startswith(de->d_name, prefix) && strlen(de->d_name) == strlen(prefix) + 16)
                        (void) unlinkat(dfd, de->d_name, 0);
        closedir(d);
        (void) fsync(dfd);
        close(dfd);
        return 0;
}
