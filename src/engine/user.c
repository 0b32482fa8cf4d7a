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

int user_load_units(int rootfd, const char *unit_path, struct drs_unit ***ret, size_t *ret_n, struct drs_diag *diag) {
        _cleanup_free_ char *dir = xasprintf("%s.d", unit_path);
        _cleanup_strv_free_ char **names = NULL;
        struct drs_unit **units = NULL;
        size_t n = 0;
        char *text = NULL;
        int r;

        r = rootfs_read(rootfd, unit_path, &text);
        if (r < 0) {
                diag_set(diag, unit_path, 0, _("cannot be read: %s"), strerror(-r));
                return r;
        }
        (void) rootfs_list(rootfd, dir, &names);
        units = xcalloc(strv_length(names) + 1, sizeof(*units));
        r = unit_parse(unit_path, text, &units[n], diag);
        free(text);
        if (r >= 0)
                n++;
        for (size_t i = 0; r >= 0 && names && names[i]; i++) {
                _cleanup_free_ char *path = xasprintf("%s/%s", dir, names[i]);
                if (!endswith(names[i], ".conf") || streq(names[i], USER_DROPIN_NAME))
                        continue;
                r = rootfs_read(rootfd, path, &text);
                if (r < 0) {
                        diag_set(diag, path, 0, _("cannot be read: %s"), strerror(-r));
                        break;
                }
                r = unit_parse(path, text, &units[n], diag);
                free(text);
                if (r >= 0)
                        n++;
        }
        if (r < 0) {
                while (n > 0)
                        unit_free(units[--n]);
                free(units);
                return r;
        }
        *ret = units;
        *ret_n = n;
        return 0;
}

void user_units_free(struct drs_unit **units, size_t n) {
        for (size_t i = 0; i < n; i++)
                unit_free(units[i]);
        free(units);
}

/* The last DOCKERD_ROOTLESS_ROOTLESSKIT_FLAGS= of the [Service] Environment= lines (a reset clears
 * it), NULL when none. Each value is read with ExecStart='s quoting rules, which are the same. */
static char *existing_flags(struct drs_unit *const *units, size_t n) {
        _cleanup_free_ struct drs_setting *set = NULL;
        size_t k = unit_fold_setting(units, n, "Service", "Environment", &set);
        char *found = NULL;

        for (size_t i = 0; i < k; i++) {
                _cleanup_free_ char *line = xasprintf("/env %s", set[i].value);
                struct drs_cmdline c = {0};
                const char *why;
                if (cmdline_parse(line, &c, &why) < 0)
                        continue;
                for (size_t w = 1; w < c.n_words; w++)
                        if (startswith(c.words[w].value, ROOTLESS_FLAGS_VAR "=")) {
                                free(found);
                                found = xstrdup(c.words[w].value + strlen(ROOTLESS_FLAGS_VAR "="));
                        }
                cmdline_done(&c);
        }
        return found;
}

/* With the drop-in in place (its name sorts it among the user's drop-ins), whether the daemon
 * is restarted after every failed start: NULL, or why not (caller frees). */
static char *boot_why(struct drs_unit *const *units, size_t n, const char *path, const char *text) {
        _cleanup_(unit_freep) struct drs_unit *ours = NULL;
        _cleanup_free_ struct drs_unit **all = xcalloc(n + 1, sizeof(*all));
        const char *name = strrchr(path, '/') + 1;
        char *why = NULL;
        size_t k = 0;

        if (unit_parse(path, text, &ours, NULL) < 0)
                return NULL;
        for (size_t i = 0; i < n; i++) {
                if (k == i && i > 0 && strcmp(strrchr(units[i]->path, '/') + 1, name) > 0)
                        all[k++] = ours; /* before the first drop-in whose name sorts after it */
                all[k++] = units[i];
        }
        if (k == n)
                all[k++] = ours;
        (void) unitset_restarts_forever(&(struct drs_unitset) {.units = all, .n = k}, NULL, &why);
        return why;
}

static void plan_dropin(int rootfd, struct drs_user_plan *p, struct drs_rootless_listen *l, struct drs_diag *diag) {
        struct drs_unit **units = NULL;
        _cleanup_free_ struct drs_setting *exec = NULL;
        _cleanup_free_ char *flags = NULL, *why = NULL;
        struct drs_cmdline base = {0};
        struct drs_derive_notes notes = {0};
        const char *parse_why = NULL;
        bool restarts = false;
        size_t n = 0, k;

        if (user_load_units(rootfd, p->unit_path, &units, &n, diag) < 0) {
                problem(p, diag_format(diag));
                diag_done(diag);
                return;
        }
        k = unit_fold_setting(units, n, "Service", "ExecStart", &exec);
        if (k != 1 || cmdline_parse(exec[0].value, &base, &parse_why) < 0)
                problem(p, xasprintf(_("%s: the user's docker.service has no single ExecStart= this program can read (%s)"),
                                     p->unit_path, k == 1 && parse_why ? parse_why : _("none or several")));
        else {
                flags = existing_flags(units, n);
                (void) unitset_restarts_forever(&(struct drs_unitset) {.units = units, .n = n}, &restarts, NULL);
                l->add_restart = !restarts;
                p->new_text = rootless_dropin(&base, flags, l, &notes);
                why = boot_why(units, n, p->dropin_path, p->new_text);
                p->survives_late_address = !why;
                strv_consume(&p->describe, rootless_boot_text(l, why));
                user_json_plan(rootfd, p, &base);
                cmdline_done(&base);
                derive_notes_done(&notes);
        }
        (void) rootfs_read(rootfd, p->dropin_path, &p->old_text);
        user_units_free(units, n);
}

/* The material in tls_dir: kept when it serves the address; unreadable (run as the user, files
 * made by root?) blocks: replacing what cannot be read would lose it. */
static void check_tls(int rootfd, struct drs_user_plan *p) {
        struct drs_addr a;
        if (addr_parse(p->addr, &a) < 0)
                return;
        user_tls_check(rootfd, p, &a);
        if (p->tls.unreadable)
                problem(p, xasprintf(_("the TLS material in %s cannot be read as this user: run as root, or give the "
                                       "files to %s, then run again"),
                                     p->tls_dir, p->user));
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
        if (p->mode == MODE_TLS)
                check_tls(rootfd, p);
        p->describe = rootless_describe(&l);
        if (!p->problems) /* only for a user that has the setup */
                plan_dropin(rootfd, p, &l, diag);
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
        strv_free(p->describe);
        strv_free(p->problems);
        free(p);
}
