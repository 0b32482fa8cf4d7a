/* store.c: the state directory: the one-instance lock, backup sets and the transaction in flight. */
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <gnutls/crypto.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic.h"
#include "i18n.h"
#include "rootfs.h"
#include "util.h"

/* Where the store is and whose it is: root's state directory, or a user's (store_use). */
static char state_dir[PATH_MAX] = DRS_STATE_DIR, backup_dir[PATH_MAX] = DRS_BACKUP_DIR;
static char lock_path[PATH_MAX] = DRS_STATE_DIR "/lock", txn_path[PATH_MAX] = DRS_STATE_DIR "/current.json";
static uid_t owner_uid;
static gid_t owner_gid;

#define LOCK_PATH lock_path
#define TXN_PATH txn_path
#define STATE_DIR state_dir
#define BACKUP_DIR backup_dir

void store_use(const char *dir, uid_t uid, gid_t gid) {
        snprintf(state_dir, sizeof(state_dir), "%s", dir);
        snprintf(backup_dir, sizeof(backup_dir), "%s/backups", dir);
        snprintf(lock_path, sizeof(lock_path), "%s/lock", dir);
        snprintf(txn_path, sizeof(txn_path), "%s/current.json", dir);
        owner_uid = uid;
        owner_gid = gid;
}

const char *store_dir(void) {
        return state_dir;
}

void store_owner(uid_t *uid, gid_t *gid) {
        *uid = owner_uid;
        *gid = owner_gid;
}

const char *store_backup_dir(void) {
        return backup_dir;
}

/* Whether st belongs to someone else than root, us or the store's owner: such a file or
 * directory is not ours to write through (another user could swap what it holds). */
static bool foreign_owner(const struct stat *st) {
        return st->st_uid != 0 && st->st_uid != geteuid() && st->st_uid != owner_uid;
}

int store_check_writable(int fd) {
        struct stat st;

        if (fstat(fd, &st) < 0)
                return -errno;
        if (foreign_owner(&st))
                return -EUSERS;
        if (!S_ISDIR(st.st_mode) && st.st_nlink > 1)
                return -EMLINK;
        return 0;
}

/* Makes the directory (never through a symlink) and sets it to 0700, also when it was there;
 * one owned by another user is refused (-EUSERS). */
static int private_dir(int rootfd, const char *path) {
        int r = atomic_mkdirs_owned(rootfd, path, 0700, owner_uid, owner_gid, NULL), fd;

        if (r < 0)
                return r;
        fd = rootfs_open_at(rootfd, path, O_RDONLY | O_DIRECTORY, true);
        if (fd < 0)
                return fd;
        r = store_check_writable(fd);
        if (r >= 0 && fchmod(fd, 0700) < 0)
                r = -errno;
        close(fd);
        return r;
}

static int ensure_dirs(int rootfd) {
        int r = private_dir(rootfd, STATE_DIR);
        return r < 0 ? r : private_dir(rootfd, BACKUP_DIR);
}

const char *store_strerror(int r) {
        if (r == -EMLINK)
                return _("it has other hard links: writing it would change a file elsewhere as well; remove it "
                         "(or make it a file of its own) and try again");
        if (r == -EUSERS)
                return _("it (or its directory) belongs to another user than root, who could change what we "
                         "write; give it to root (chown root) or remove it, and try again");
        return strerror(-r);
}

int store_lock(int rootfd, unsigned wait_sec, unsigned *ret_holder) {
        char buf[32] = "";
        int fd, r;

        r = ensure_dirs(rootfd);
        if (r < 0)
                return r;
        fd = rootfs_open_at(rootfd, LOCK_PATH, O_RDWR | O_CREAT | O_NOFOLLOW, true);
        if (fd < 0)
                return fd;
        /* A FIFO, socket or device put there cannot be locked: said as such, not as EINVAL. */
        struct stat st;
        if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
                close(fd);
                return -EBADFD;
        }
        /* Nothing is written before this: a hard link would carry our PID and mode elsewhere. */
        r = store_check_writable(fd);
        if (r < 0) {
                close(fd);
                return r;
        }
        (void) fchmod(fd, 0600);
        if (owner_uid != 0 && st.st_uid != owner_uid && fchown(fd, owner_uid, owner_gid) < 0) {
                r = -errno; /* a user's store: its revert timer runs as that user and takes this lock */
                close(fd);
                return r;
        }
        for (unsigned waited = 0;; waited++) {
                if (flock(fd, LOCK_EX | LOCK_NB) >= 0)
                        break;
                if (errno != EWOULDBLOCK || waited >= wait_sec * 10) {
                        r = errno == EWOULDBLOCK ? -EBUSY : -errno;
                        if (r == -EBUSY && ret_holder) {
                                ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
                                *ret_holder = n > 0 ? (unsigned) strtoul(buf, NULL, 10) : 0;
                        }
                        close(fd);
                        return r;
                }
                /* flock has no timeout: wait in 100 ms steps (only the revert timer waits). */
                (void) poll(NULL, 0, 100);
        }
        snprintf(buf, sizeof(buf), "%u\n", (unsigned) getpid());
        /* The PID over the old one, then the rest cut: a reader never sees the file empty. */
        if (pwrite(fd, buf, strlen(buf), 0) < 0 || ftruncate(fd, (off_t) strlen(buf)) < 0) {
                r = -errno;
                close(fd);
                return r;
        }
        return fd;
}

bool store_id_valid(const char *id) {
        return manifest_id_valid(id);
}

static char *sha256_hex(const char *data, size_t len) {
        unsigned char d[32];
        struct drs_buf b = {0};
        if (gnutls_hash_fast(GNUTLS_DIG_SHA256, data, len, d) < 0)
                return xstrdup("");
        for (size_t i = 0; i < sizeof(d); i++)
                buf_appendf(&b, "%02x", d[i]);
        return buf_steal(&b);
}

static char *backup_path(const char *id, const char *name) {
        return name ? xasprintf("%s/%s/%s", BACKUP_DIR, id, name) : xasprintf("%s/%s", BACKUP_DIR, id);
}

#define STAGING_SUFFIX ".new"
#define ASIDE_SUFFIX ".unreadable"

/* Whether id is taken: a set, a set being saved, or one put aside (an ID is never used twice). */
static bool id_taken(int rootfd, const char *id) {
        static const char *const suffixes[] = {"", STAGING_SUFFIX, ASIDE_SUFFIX};
        struct stat st;

        for (size_t i = 0; i < ELEMENTSOF(suffixes); i++) {
                _cleanup_free_ char *dir = xasprintf("%s/%s%s", BACKUP_DIR, id, suffixes[i]);
                if (rootfs_lstat(rootfd, dir, &st) != -ENOENT)
                        return true;
        }
        return false;
}

/* A new directory "ID.new" for the set, the ID named after the time; "-2", "-3", … when taken. */
static int make_set_dir(int rootfd, time_t now, char **ret_id) {
        char stamp[32];
        struct tm tm;

        gmtime_r(&now, &tm);
        strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
        for (unsigned k = 1; k < 100; k++) {
                _cleanup_free_ char *id = k == 1 ? xstrdup(stamp) : xasprintf("%s-%u", stamp, k);
                _cleanup_free_ char *dir = xasprintf("%s/%s%s", BACKUP_DIR, id, STAGING_SUFFIX);
                if (id_taken(rootfd, id))
                        continue;
                int r = atomic_mkdirs_owned(rootfd, dir, 0700, owner_uid, owner_gid, NULL);
                if (r < 0)
                        return r;
                *ret_id = TAKE_PTR(id);
                return 0;
        }
        return -EEXIST;
}

/* Removes a directory of ours and the files in it (a set being saved that did not finish). */
static void remove_set_dir(int rootfd, const char *name) {
        _cleanup_strv_free_ char **names = NULL;
        _cleanup_free_ char *dir = backup_path(name, NULL);

        if (rootfs_list(rootfd, dir, &names) >= 0)
                for (size_t k = 0; names[k]; k++) {
                        _cleanup_free_ char *f = backup_path(name, names[k]);
                        (void) atomic_remove(rootfd, f);
                }
        (void) atomic_rmdir_if_empty(rootfd, dir);
}

/* Saves the file f into the set being made (staged as "ID.new") as blob number i. */
static int save_one(int rootfd, const char *staged, struct drs_backup_file *f, size_t i, struct drs_diag *diag) {
        _cleanup_free_ char *text = NULL, *blob_path = NULL;
        size_t len = 0;
        struct stat st;
        int fd = rootfs_open_at(rootfd, f->path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK, true), r;

        if (fd == -ENOENT) {
                f->existed = false;
                return 0;
        }
        if (fd < 0) {
                /* A file where a directory should be, a name too long, …: the file is named. */
                diag_set(diag, f->path, 0, _("cannot be backed up: %s"), strerror(-fd));
                return fd;
        }
        r = fstat(fd, &st) < 0 ? -errno : store_check_writable(fd);
        close(fd);
        if (r == -EMLINK || r == -EUSERS)
                diag_set(diag, f->path, 0, "%s", store_strerror(r));
        if (r < 0)
                return r;
        r = rootfs_read_data(rootfd, f->path, &text, &len);
        if (r == -EFBIG)
                diag_set(diag, f->path, 0, _("is larger than %u MiB; refusing to read it"), ROOTFS_MAX_FILE >> 20);
        if (r < 0)
                return r;
        f->existed = true;
        f->mode = st.st_mode & 07777;
        f->uid = st.st_uid;
        f->gid = st.st_gid;
        free(f->blob);
        free(f->sha256);
        f->blob = xasprintf("%zu", i);
        f->sha256 = sha256_hex(text, len);
        blob_path = backup_path(staged, f->blob);
        return atomic_write(rootfd, blob_path, text, len, 0600, owner_uid, owner_gid);
}

int store_backup_take(int rootfd, struct drs_manifest *m, time_t now, struct drs_diag *diag) {
        _cleanup_free_ char *id = NULL, *staged = NULL, *json = NULL, *path = NULL, *from = NULL;
        char created[32];
        struct tm tm;
        int r, bfd;

        r = ensure_dirs(rootfd);
        if (r < 0)
                return r;
        r = make_set_dir(rootfd, now, &id);
        if (r < 0)
                return r;
        staged = xasprintf("%s%s", id, STAGING_SUFFIX);
        for (size_t i = 0; i < m->n_files && r >= 0; i++)
                r = save_one(rootfd, staged, &m->files[i], i, diag);
        gmtime_r(&now, &tm);
        strftime(created, sizeof(created), "%Y-%m-%dT%H:%M:%SZ", &tm);
        free(m->id);
        free(m->created);
        m->id = xstrdup(id);
        m->created = xstrdup(created);
        json = manifest_to_json(m);
        path = backup_path(staged, "manifest.json");
        if (r >= 0)
                r = atomic_write(rootfd, path, json, strlen(json), 0600, owner_uid, owner_gid);
        /* Complete: the set appears under its ID in one rename. */
        bfd = r < 0 ? -1 : rootfs_open_at(rootfd, BACKUP_DIR, O_RDONLY | O_DIRECTORY, true);
        if (r >= 0 && bfd < 0)
                r = bfd;
        if (r >= 0 && renameat(bfd, staged, bfd, id) < 0)
                r = -errno;
        if (r >= 0 && fsync(bfd) < 0)
                r = -errno;
        if (bfd >= 0)
                close(bfd);
        if (r < 0)
                remove_set_dir(rootfd, staged);
        return r;
}

int store_backup_save(int rootfd, const struct drs_manifest *m) {
        _cleanup_free_ char *json = manifest_to_json(m), *path = backup_path(m->id, "manifest.json");
        return atomic_write(rootfd, path, json, strlen(json), 0600, owner_uid, owner_gid);
}

int store_backup_load(int rootfd, const char *id, struct drs_manifest *ret, struct drs_diag *diag) {
        _cleanup_free_ char *path = NULL, *text = NULL;
        int r;

        if (!store_id_valid(id)) {
                diag_set(diag, NULL, 0, _("\"%s\" is not a backup ID (see rollback --list)"), id);
                return -EINVAL;
        }
        path = backup_path(id, "manifest.json");
        r = rootfs_read(rootfd, path, &text);
        if (r == -ENOENT) {
                diag_set(diag, NULL, 0, _("there is no backup \"%s\" (see rollback --list)"), id);
                return r;
        }
        if (r < 0) {
                diag_set(diag, path, 0, _("cannot be read: %s"), strerror(-r));
                return r;
        }
        r = manifest_parse(path, text, ret, diag);
        if (r >= 0 && !streq_ptr(ret->id, id)) {
                diag_set(diag, path, 0, _("belongs to backup \"%s\", not \"%s\""), ret->id, id);
                manifest_done(ret);
                return -EBADMSG;
        }
        return r;
}

int store_backup_blob(int rootfd, const struct drs_manifest *m, const struct drs_backup_file *f, char **ret,
                      size_t *ret_len, struct drs_diag *diag) {
        _cleanup_free_ char *path = backup_path(m->id, f->blob), *text = NULL, *sum = NULL;
        size_t len = 0;
        int r = rootfs_read_data(rootfd, path, &text, &len);

        if (r < 0) {
                diag_set(diag, path, 0, _("the saved copy of %s cannot be read: %s"), f->path, strerror(-r));
                return r == -ENOENT ? -EBADMSG : r;
        }
        sum = sha256_hex(text, len);
        if (!streq_ptr(sum, f->sha256)) {
                diag_set(diag, path, 0, _("the saved copy of %s is damaged (its SHA-256 does not match the manifest)"),
                         f->path);
                return -EBADMSG;
        }
        *ret = TAKE_PTR(text);
        *ret_len = len;
        return 0;
}

int store_id_compare(const char *a, const char *b) {
        int c = strncmp(a, b, 15);
        if (c != 0)
                return c;
        /* Same second: no suffix first, then "-2", "-3", … numerically. */
        unsigned long x = strlen(a) > 16 ? strtoul(a + 16, NULL, 10) : 1, y = strlen(b) > 16 ? strtoul(b + 16, NULL, 10) : 1;
        return x < y ? -1 : x > y;
}

static int cmp_ids(const void *a, const void *b) {
        return store_id_compare(*(char *const *) a, *(char *const *) b);
}

int store_backup_list(int rootfd, char ***ret_ids) {
        char **names = NULL, **ids = xcalloc(1, sizeof(char *));
        int r = rootfs_list(rootfd, BACKUP_DIR, &names);

        if (r == -ENOENT) {
                *ret_ids = ids;
                return 0;
        }
        if (r < 0) {
                free(ids);
                return r;
        }
        for (size_t i = 0; names[i]; i++)
                if (store_id_valid(names[i]))
                        strv_push(&ids, names[i]);
        strv_free(names);
        qsort(ids, strv_length(ids), sizeof(char *), cmp_ids);
        *ret_ids = ids;
        return 0;
}

int store_txn_load(int rootfd, struct drs_txn *ret, struct drs_diag *diag) {
        _cleanup_free_ char *text = NULL;
        int r = rootfs_read(rootfd, TXN_PATH, &text);
        if (r < 0) {
                if (r != -ENOENT)
                        diag_set(diag, TXN_PATH, 0, _("cannot be read: %s"), strerror(-r));
                return r;
        }
        return txn_parse(TXN_PATH, text, ret, diag);
}

int store_txn_save(int rootfd, const struct drs_txn *t) {
        _cleanup_free_ char *json = txn_to_json(t);
        int r = ensure_dirs(rootfd);
        return r < 0 ? r : atomic_write(rootfd, TXN_PATH, json, strlen(json), 0600, owner_uid, owner_gid);
}

int store_txn_clear(int rootfd) {
        return atomic_remove(rootfd, TXN_PATH);
}

int store_txn_discard(int rootfd, time_t now, char **ret_path) {
        char stamp[32];
        struct tm tm;
        _cleanup_free_ char *name = NULL;
        int dfd, r = 0;

        gmtime_r(&now, &tm);
        strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
        name = xasprintf("current.json.discarded-%s", stamp);
        dfd = rootfs_open_at(rootfd, STATE_DIR, O_RDONLY | O_DIRECTORY, true);
        if (dfd < 0)
                return dfd;
        if (renameat2(dfd, "current.json", dfd, name, RENAME_NOREPLACE) < 0 || fsync(dfd) < 0)
                r = -errno;
        close(dfd);
        if (r >= 0 && ret_path)
                *ret_path = xasprintf("%s/%s", STATE_DIR, name);
        return r;
}

int store_cleanup(int rootfd) {
        _cleanup_strv_free_ char **ids = NULL, **names = NULL;
        int r = store_backup_list(rootfd, &ids);

        if (r < 0)
                return r;
        for (size_t i = 0; ids[i]; i++) {
                _cleanup_free_ char *manifest = backup_path(ids[i], "manifest.json");
                struct stat st;
                if (rootfs_lstat(rootfd, manifest, &st) >= 0) {
                        /* Complete; a rewrite of its manifest (the result) may have been cut short. */
                        (void) atomic_clean_temp(rootfd, manifest);
                        continue;
                }
                /* A set is renamed to its ID once its manifest is written: this one lost it. What
                 * cannot be read is never deleted: it is put aside, its ID stays taken. */
                _cleanup_free_ char *aside = xasprintf("%s%s", ids[i], ASIDE_SUFFIX);
                int bfd = rootfs_open_at(rootfd, BACKUP_DIR, O_RDONLY | O_DIRECTORY, true);
                if (bfd < 0)
                        continue;
                if (renameat(bfd, ids[i], bfd, aside) >= 0)
                        (void) fsync(bfd);
                close(bfd);
        }
        /* "ID.new": a set being saved when its process died; nothing was changed on its behalf
         * (the set is complete before any change). */
        if (rootfs_list(rootfd, BACKUP_DIR, &names) >= 0)
                for (size_t i = 0; names[i]; i++)
                        if (endswith(names[i], STAGING_SUFFIX))
                                remove_set_dir(rootfd, names[i]);
        (void) atomic_clean_temp(rootfd, TXN_PATH);
        return 0;
}

int store_backup_list_aside(int rootfd, char ***ret_names) {
        char **names = NULL, **aside = xcalloc(1, sizeof(char *));
        int r = rootfs_list(rootfd, BACKUP_DIR, &names);

        if (r < 0 && r != -ENOENT) {
                free(aside);
                return r;
        }
        for (size_t i = 0; names && names[i]; i++)
                if (endswith(names[i], ASIDE_SUFFIX))
                        strv_push(&aside, names[i]);
        strv_free(names);
        *ret_names = aside;
        return 0;
}
