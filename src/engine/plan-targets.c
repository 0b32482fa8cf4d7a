/* plan-targets.c: what would stop or betray the writes of a plan, found before anything is written. */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine-internal.h"
#include "i18n.h"
#include "rootfs.h"
#include "store.h"
#include "txn.h"
#include "util.h"

/* A BLOCK finding, once (the files of one directory would repeat it). */
static void block(struct drs_plan *p, char *text, const char *action) {
        for (size_t i = 0; i < p->n_findings; i++)
                if (streq(p->findings[i].text, text)) {
                        free(text);
                        return;
                }
        plan_add_finding(p, LEVEL_BLOCK, text, action ? xstrdup(action) : NULL);
}

/* Owned by another user than root or us: whoever owns it can change what we write or read. */
static bool foreign(const struct stat *st) {
        return st->st_uid != 0 && st->st_uid != geteuid();
}

/* A path the kernel would refuse: too long as a whole (PATH_MAX) or in one of its names (NAME_MAX). */
static bool path_too_long(const char *path) {
        if (strlen(path) >= PATH_MAX)
                return true;
        for (const char *c = path; *c;) {
                size_t n;
                c += strspn(c, "/");
                n = strcspn(c, "/");
                if (n > NAME_MAX)
                        return true;
                c += n;
        }
        return false;
}

/* The file itself: a regular file of its own (one link), root's (or ours) when owner_root, or
 * absent. The hint when not, with *what (caller frees). */
static const char *file_problem(int rootfd, const char *path, bool owner_root, char **what) {
        struct stat st;

        if (rootfs_lstat(rootfd, path, &st) < 0)
                return NULL; /* absent: made at apply time (a parent in the way is found below) */
        if (S_ISLNK(st.st_mode)) {
                *what = xasprintf(_("%s is a symbolic link"), path);
                return _("docker-remote-setup never writes through a symbolic link; replace it with a regular file");
        }
        if (!S_ISREG(st.st_mode)) {
                *what = xasprintf(_("%s is not a regular file"), path);
                return _("docker-remote-setup writes a file there; move what is there away");
        }
        if (st.st_nlink > 1) {
                *what = xasprintf(_("%s has %lu hard links"), path, (unsigned long) st.st_nlink);
                return _("docker-remote-setup refuses to change a file that is also elsewhere; make it a file of its "
                         "own (cp it, then mv the copy over it)");
        }
        if (owner_root && foreign(&st)) {
                *what = xasprintf(_("%s belongs to user %u, not root"), path, (unsigned) st.st_uid);
                return _("docker-remote-setup refuses to change a file another user controls; chown root it, or "
                         "remove it");
        }
        return NULL;
}

/* Symlinks or files where the directories on the way should be: refused, we never write through
 * them and could not make a directory there. */
static const char *parents_problem(int rootfd, const char *path, char **what) {
        _cleanup_free_ char *dir = xstrdup(path);
        struct stat st;

        for (char *slash = strrchr(dir, '/'); slash && slash != dir; slash = strrchr(dir, '/')) {
                *slash = '\0';
                if (rootfs_lstat(rootfd, dir, &st) < 0)
                        continue; /* created at apply time */
                if (S_ISLNK(st.st_mode)) {
                        *what = xasprintf(_("%s is a symbolic link"), dir);
                        return _("docker-remote-setup never writes through a symbolic link; replace it with a real "
                                 "directory");
                }
                if (!S_ISDIR(st.st_mode)) {
                        *what = xasprintf(_("%s is not a directory"), dir);
                        return _("files are to be written in it: move what is there away, or choose another place "
                                 "(--tls-dir)");
                }
        }
        return NULL;
}

const char *engine_target_problem(int rootfd, const char *path, bool owner_root, char **ret_what) {
        const char *hint = file_problem(rootfd, path, owner_root, ret_what);
        return hint ? hint : parents_problem(rootfd, path, ret_what);
}

static void check_target(struct drs_engine *e, struct drs_plan *p, const struct drs_file_change *f) {
        if (path_too_long(f->path)) {
                _cleanup_free_ char *dir = xstrndup(f->path, (size_t) (strrchr(f->path, '/') - f->path));
                block(p, xasprintf(_("the paths of the files in %s are too long for the file system"), dir),
                      _("choose a shorter --tls-dir (each name at most 255 bytes, the path under 4096)"));
                return;
        }
        if (f->new_text && strlen(f->new_text) > ROOTFS_MAX_FILE) {
                block(p, xasprintf(_("%s would grow to %zu bytes, over the %u MiB docker-remote-setup reads"), f->path,
                                   strlen(f->new_text), ROOTFS_MAX_FILE >> 20),
                      _("shorten the file first: the tool would then refuse to read it, and to roll it back"));
                return;
        }
        char *what = NULL;
        const char *hint = engine_target_problem(e->rootfd, f->path, true, &what);
        if (hint)
                block(p, what, hint);
}

/* A directory holding keys must be root's (or ours) and writable by its owner only. */
static void check_key_dir(struct drs_engine *e, struct drs_plan *p, const char *dir) {
        struct stat st;

        if (rootfs_lstat(e->rootfd, dir, &st) < 0 || !S_ISDIR(st.st_mode))
                return;
        if (foreign(&st))
                block(p, xasprintf(_("%s belongs to user %u, not root"), dir, (unsigned) st.st_uid),
                      _("it holds private keys: chown root it (then check what is in it), or remove it to have new "
                        "keys made"));
        else if (st.st_mode & 022)
                block(p, xasprintf(_("%s is writable by others (mode %04o)"), dir, (unsigned) (st.st_mode & 07777)),
                      _("it holds private keys: chmod 755 it (then check what is in it), or remove it to have new "
                        "keys made"));
}

/* Existing TLS material is refused, not repaired, when others could have read or swapped it. */
static void check_tls_material(struct drs_engine *e, const struct drs_settings *s, struct drs_plan *p) {
        _cleanup_free_ char *client = xasprintf("%s/client", settings_tls_dir(s));

        check_key_dir(e, p, settings_tls_dir(s));
        check_key_dir(e, p, client);
        for (enum drs_tls_file f = 0; f < _TLS_FILE_MAX; f++) {
                _cleanup_free_ char *path = tls_file_path(s, f);
                struct stat st;
                if (!tls_file_secret(f) || rootfs_lstat(e->rootfd, path, &st) < 0 || !S_ISREG(st.st_mode))
                        continue;
                if (st.st_mode & 077)
                        block(p, xasprintf(_("%s is a private key readable by others (mode %04o)"), path,
                                           (unsigned) (st.st_mode & 07777)),
                              _("chmod 600 it if nobody else could have read it; otherwise remove the TLS directory "
                                "to have new keys made"));
        }
}

/* Our state directory and lock: root's (or ours), and the lock a file of its own. */
static void check_state(struct drs_engine *e, struct drs_plan *p) {
        static const char *const paths[] = {DRS_STATE_DIR, DRS_BACKUP_DIR, DRS_STATE_DIR "/lock"};
        struct stat st;

        for (size_t i = 0; i < ELEMENTSOF(paths); i++) {
                if (rootfs_lstat(e->rootfd, paths[i], &st) < 0)
                        continue;
                if (foreign(&st) || (S_ISREG(st.st_mode) && st.st_nlink > 1))
                        block(p, xasprintf("%s: %s", paths[i], store_strerror(foreign(&st) ? -EUSERS : -EMLINK)),
                              NULL);
        }
}

void engine_check_targets(struct drs_engine *e, const struct drs_settings *s, struct drs_plan *p) {
        for (size_t i = 0; i < p->n_files; i++)
                if (p->files[i].applied)
                        check_target(e, p, &p->files[i]);
        if (s->mode == MODE_TLS)
                check_tls_material(e, s, p);
        check_state(e, p);
}
