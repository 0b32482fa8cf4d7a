/* user.c: rootless Docker (issue 19): a user's own daemon, read under a root; what preview --user shows. */
#include "userplan.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "engine-internal.h"
#include "execline.h"
#include "i18n.h"
#include "ifenum.h"
#include "plan.h"
#include "probe.h"
#include "rootfs.h"
#include "rootless.h"
#include "unitfile.h"
#include "util.h"

bool user_name_valid(const char *n) {
        size_t len = strlen(n);
        if (len == 0 || len > 32 || !(n[0] == '_' || (n[0] >= 'a' && n[0] <= 'z')))
                return false;
        for (size_t i = 1; i < len; i++)
                if (!((n[i] >= 'a' && n[i] <= 'z') || (n[i] >= '0' && n[i] <= '9') || n[i] == '_' || n[i] == '-' ||
                      (n[i] == '$' && i == len - 1)))
                        return false;
        return true;
}

static void problem(struct drs_user_plan *p, char *msg) {
        strv_consume(&p->problems, msg);
}

int user_root_open(const char *root, struct drs_diag *diag) {
        int fd = rootfs_open(root ? root : "/");
        if (fd < 0) {
                diag_set(diag, root, 0, _("cannot open the root directory: %s"), strerror(-fd));
                return -EINVAL; /* a bad --root is a bad argument */
        }
        return fd;
}

/* NAME:x:UID:GID:GECOS:HOME:SHELL in ROOT/etc/passwd. */
int user_find(int rootfd, const char *name, unsigned *uid, unsigned *gid, char **home, struct drs_diag *diag) {
        _cleanup_free_ char *text = NULL;
        int r = rootfs_read(rootfd, "/etc/passwd", &text);
        if (r < 0) {
                diag_set(diag, "/etc/passwd", 0, _("cannot be read: %s"), strerror(-r));
                return r;
        }
        _cleanup_strv_free_ char **lines = strv_split_lines(text);
        for (size_t i = 0; lines[i]; i++) {
                char *f[7] = {0}, *s = lines[i];
                size_t k = 0;
                for (; k < 7 && s; k++) {
                        f[k] = s;
                        s = strchr(s, ':');
                        if (s)
                                *s++ = '\0';
                }
                if (k < 7 || !streq(f[0], name) || f[5][0] != '/')
                        continue;
                *uid = (unsigned) strtoul(f[2], NULL, 10);
                *gid = (unsigned) strtoul(f[3], NULL, 10);
                *home = xstrdup(f[5]);
                return 0;
        }
        diag_set(diag, NULL, 0, _("user \"%s\" not found in /etc/passwd: give the name of the user whose rootless Docker "
                                  "daemon should listen"),
                 name);
        return -ENOENT;
}

static void check_setup(int rootfd, struct drs_user_plan *p) {
        _cleanup_free_ char *linger = xasprintf("/var/lib/systemd/linger/%s", p->user);
        struct stat st;

        if (rootfs_lstat(rootfd, p->unit_path, &st) < 0)
                problem(p, xasprintf(_("user %s has no rootless Docker: %s not found; set it up as that user with "
                                       "dockerd-rootless-setuptool.sh install, then run again"),
                                     p->user, p->unit_path));
        if (rootfs_lstat(rootfd, linger, &st) < 0)
                problem(p, xasprintf(_("user %s has no linger (%s): its manager and daemon run only while it is logged "
                                       "in, and not at boot; run loginctl enable-linger %s, then run again"),
                                     p->user, linger, p->user));
        const char *files[] = {"/etc/subuid", "/etc/subgid"};
        for (size_t i = 0; i < ELEMENTSOF(files); i++) {
                _cleanup_free_ char *text = NULL;
                if (rootfs_read(rootfd, files[i], &text) < 0 || !rootless_has_subid(text, p->user, p->uid))
                        problem(p, xasprintf(_("user %s has no subordinate id range in %s, which rootless Docker "
                                               "needs; add one (usermod --add-subuids/--add-subgids), then run again"),
                                             p->user, files[i]));
        }
}

/* The lowest port an unprivileged process may bind: the live value on "/", else the file under
 * the root, else the kernel's default. */
static unsigned unprivileged_port_start(int rootfd) {
        _cleanup_free_ char *text = NULL;
        if (rootfs_read(rootfd, "/proc/sys/net/ipv4/ip_unprivileged_port_start", &text) < 0 || !text[0])
                return 1024;
        return (unsigned) strtoul(text, NULL, 10);
}

/* With the drop-in in place (sorted among the user's drop-ins as systemd sorts them), whether the
 * daemon is restarted after every failed start: NULL, or why not (caller frees). */
static char *boot_why(const struct drs_user_units *uu, const char *path, const char *text) {
        struct drs_unitset u = {0};
        char *why = NULL;

        if (user_units_load(uu, path, text, &u, NULL) >= 0 && u.n)
                (void) unitset_restarts_forever(&u, NULL, &why);
        unitset_done(&u);
        return why;
}

/* The new drop-in, with what it replaces and what a late address at boot does then. */
static void plan_text(int rootfd, struct drs_user_plan *p, struct drs_rootless_listen *l,
                      const struct drs_user_units *uu, const struct drs_unitset *u, const struct drs_cmdline *base) {
        _cleanup_free_ char *flags = user_units_env(u, ROOTLESS_FLAGS_VAR), *why = NULL;
        struct drs_derive_notes notes = {0};
        bool restarts = false;

        (void) unitset_restarts_forever(u, &restarts, NULL);
        l->add_restart = !restarts;
        l->add_restart_sec = !restarts && !user_units_sets(u, "Service", "RestartSec");
        user_json_plan(rootfd, p, u, base);
        l->json_hosts = p->json_hosts;
        p->new_text = rootless_dropin(base, flags, l, &notes);
        for (size_t i = 0; notes.removed && notes.removed[i]; i++)
                if (strstr(notes.removed[i], "tcp://"))
                        strv_consume(&p->describe, xasprintf(_("an earlier listener goes, replaced by this one (its "
                                                               "rootlesskit publish too): %s"),
                                                             notes.removed[i]));
        derive_notes_done(&notes);
        why = boot_why(uu, p->dropin_path, p->new_text);
        p->survives_late_address = !why;
        strv_consume(&p->describe, rootless_boot_text(l, why));
}

static void plan_dropin(int rootfd, struct drs_user_plan *p, struct drs_rootless_listen *l, struct drs_diag *diag) {
        struct drs_user_units uu = {0};
        struct drs_unitset u = {0};
        struct drs_cmdline base = {0};

        if (user_units_read(rootfd, p->home, p->uid, p->dropin_path, &uu, diag) < 0 ||
            user_units_load(&uu, NULL, NULL, &u, diag) < 0 || unitset_execstart(&u, &base, NULL, diag) < 0) {
                problem(p, diag_format(diag));
                diag_done(diag);
        } else
                plan_text(rootfd, p, l, &uu, &u, &base);
        cmdline_done(&base);
        (void) rootfs_read(rootfd, p->dropin_path, &p->old_text);
        unitset_done(&u);
        user_units_done(&uu);
}

static int resolve(const struct drs_settings *s, struct drs_user_plan *p, struct drs_diag *diag) {
        struct drs_iface_list ifs = {0};
        struct drs_listener l;
        int r = ifenum_list(&ifs);
        if (r < 0) {
                diag_set(diag, NULL, 0, _("cannot list the network interfaces: %s"), ifenum_strerror(r));
                return r;
        }
        r = settings_resolve(s, &ifs, &l, diag);
        if (r >= 0) {
                addr_to_string(&l.addr, p->addr);
                p->port = l.port;
        }
        iface_list_done(&ifs);
        return r;
}

int engine_user_plan(const char *root, const char *user, const struct drs_settings *s, struct drs_user_plan **ret,
                     struct drs_diag *diag) {
        _cleanup_(user_plan_freep) struct drs_user_plan *p = xcalloc(1, sizeof(*p));
        int rootfd, r;

        rootfd = user_root_open(root, diag);
        if (rootfd < 0)
                return rootfd;
        p->user = xstrdup(user);
        p->mode = s->mode;
        p->logs_info = p->survives_late_address = true; /* until the files say otherwise */
        r = user_find(rootfd, p->user, &p->uid, &p->gid, &p->home, diag);
        if (r >= 0)
                r = resolve(s, p, diag);
        if (r < 0) {
                close(rootfd);
                return r;
        }
        p->unit_path = xasprintf("%s/.config/systemd/user/docker.service", p->home);
        p->dropin_path = xasprintf("%s.d/%s", p->unit_path, USER_DROPIN_NAME);
        p->tls_dir = xasprintf("%s/.config/docker-remote-setup/tls", p->home);
        check_setup(rootfd, p);
        _cleanup_free_ char *ca = xasprintf("%s/ca.pem", p->tls_dir), *cert = xasprintf("%s/server-cert.pem", p->tls_dir),
                            *key = xasprintf("%s/server-key.pem", p->tls_dir);
        struct drs_rootless_listen l = {.publish_addr = p->addr, .port = p->port, .uid = p->uid, .mode = p->mode,
                                        .dual_stack = probe_dual_stack(), .tls_ca = ca, .tls_cert = cert,
                                        .tls_key = key};
        p->listen_text = rootless_listen_text(&l);
        char *refusal = rootless_port_refusal(p->port, unprivileged_port_start(rootfd));
        if (refusal)
                problem(p, refusal);
        struct drs_addr a;
        if (p->mode == MODE_TLS && addr_parse(p->addr, &a) >= 0)
                user_tls_check(rootfd, p, s, &a);
        p->describe = rootless_describe(&l);
        if (!p->problems) /* only for a user that has the setup */
                plan_dropin(rootfd, p, &l, diag);
        if (p->new_text)
                user_check_targets(rootfd, p);
        close(rootfd);
        *ret = TAKE_PTR(p);
        return 0;
}

void user_plan_free(struct drs_user_plan *p) {
        if (!p)
                return;
        free(p->user);
        free(p->home);
        free(p->unit_path);
        free(p->dropin_path);
        free(p->old_text);
        free(p->new_text);
        free(p->tls_dir);
        free(p->listen_text);
        free(p->json_path);
        free(p->json_old);
        free(p->json_new);
        strv_free(p->json_hosts);
        strv_free(p->describe);
        strv_free(p->problems);
        free(p);
}
