/* host.c: gathering what the host has (unit files, config files, dockerd, interfaces, manager). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include "engine-internal.h"
#include "i18n.h"
#include "ifenum.h"
#include "probe.h"
#include "rootfs.h"
#include "sdbus.h"
#include "store.h"
#include "util.h"

static const char *const dockerd_candidates[] = {"/usr/sbin/dockerd", "/usr/bin/dockerd", "/usr/local/bin/dockerd"};

/* Reads an optional file: absent is fine (*ret NULL), anything else unreadable is an error. */
static int read_optional(struct drs_engine *e, const char *path, char **ret, struct drs_diag *diag) {
        int r = rootfs_read(e->rootfd, path, ret);
        if (r == -ENOENT) {
                *ret = NULL;
                return 0;
        }
        if (r == -EBADMSG)
                diag_set(diag, path, 0, _("contains NUL bytes; this is not a text file"));
        else if (r == -EFBIG)
                diag_set(diag, path, 0, _("is larger than %u MiB; refusing to read it"), ROOTFS_MAX_FILE >> 20);
        else if (r == -EBADFD || r == -EISDIR || r == -ENXIO) /* ENXIO: a socket */
                diag_set(diag, path, 0, _("is not a regular file; refusing to read it"));
        else if (r == -ELOOP)
                diag_set(diag, path, 0, _("is a loop of symbolic links (or nests them too deep); make it a file or "
                                          "remove it"));
        else if (r < 0)
                diag_set(diag, path, 0, _("cannot be read: %s"), strerror(-r));
        return r;
}

static int load_fragment(struct drs_engine *e, struct drs_diag *diag) {
        struct stat st;

        for (size_t i = 0; drs_unit_dirs[i]; i++) {
                _cleanup_free_ char *path = xasprintf("%s/docker.service", drs_unit_dirs[i]);
                if (rootfs_lstat(e->rootfd, path, &st) < 0)
                        continue;
                e->host.fragment_path = TAKE_PTR(path);
                if (rootfs_is_masked(e->rootfd, e->host.fragment_path))
                        return 0;
                int r = read_optional(e, e->host.fragment_path, &e->host.fragment_text, diag);
                /* There (lstat), yet absent when read: a symbolic link to nothing. */
                e->host.fragment_dangling = r >= 0 && !e->host.fragment_text;
                return r;
        }
        return 0;
}

/* The drop-ins of unit NAME.TYPE (NAME.TYPE.d/ and TYPE.d/ of every unit directory). */
static int load_dropins(struct drs_engine *e, const char *unit, struct drs_dropin_source **dropins, size_t *n_dropins,
                        struct drs_diag *diag) {
        _cleanup_free_ char *own = xasprintf("%s.d", unit), *type = xasprintf("%s.d", strrchr(unit, '.') + 1);
        const char *const subdirs[] = {own, type};

        for (unsigned i = 0; drs_unit_dirs[i]; i++)
                for (size_t k = 0; k < ELEMENTSOF(subdirs); k++) {
                        _cleanup_free_ char *dir = xasprintf("%s/%s", drs_unit_dirs[i], subdirs[k]);
                        _cleanup_strv_free_ char **names = NULL;
                        if (rootfs_list(e->rootfd, dir, &names) < 0)
                                continue;
                        for (size_t j = 0; names[j]; j++) {
                                struct drs_dropin_source d = {.dir_rank = i, .type_level = k == 1};
                                int r;
                                if (!endswith(names[j], ".conf"))
                                        continue;
                                d.path = xasprintf("%s/%s", dir, names[j]);
                                if (!rootfs_is_masked(e->rootfd, d.path)) {
                                        r = read_optional(e, d.path, &d.text, diag);
                                        if (r < 0 || !d.text) {
                                                free(d.path);
                                                if (r < 0)
                                                        return r;
                                                continue;
                                        }
                                }
                                *dropins = xrealloc(*dropins, (*n_dropins + 1) * sizeof(**dropins));
                                (*dropins)[(*n_dropins)++] = d;
                        }
                }
        return 0;
}

static bool socket_unit_present(struct drs_engine *e) {
        struct stat st;
        for (size_t i = 0; drs_unit_dirs[i]; i++) {
                _cleanup_free_ char *path = xasprintf("%s/docker.socket", drs_unit_dirs[i]);
                if (rootfs_lstat(e->rootfd, path, &st) >= 0)
                        return !rootfs_is_masked(e->rootfd, path);
        }
        return false;
}

static void load_live(struct drs_engine *e) {
        struct drs_unit_state st = {0};

        if (!e->bus && sdbus_open(&e->bus) < 0) {
                e->bus = NULL;
                return;
        }
        if (sdbus_unit_state(e->bus, "docker.service", &st) < 0)
                return;
        e->host.live = true;
        e->host.need_daemon_reload = st.need_daemon_reload;
        if (st.exec_argv) {
                e->host.live_exec_path = TAKE_PTR(st.exec_path);
                e->host.live_exec_argv = TAKE_PTR(st.exec_argv);
                e->host.live_exec_flags = TAKE_PTR(st.exec_flags);
        }
        unit_state_done(&st);
}

static char *read_hostname(struct drs_engine *e) {
        char buf[256] = "";
        _cleanup_free_ char *text = NULL;

        if (!e->host_root && rootfs_read(e->rootfd, "/etc/hostname", &text) >= 0) {
                text[strcspn(text, " \t\r\n")] = '\0';
                if (*text)
                        return TAKE_PTR(text);
        }
        if (gethostname(buf, sizeof(buf) - 1) < 0 || !*buf)
                return NULL;
        return xstrdup(buf);
}

/* The files EnvironmentFile= names, other than /etc/default/docker (read for DOCKER_OPTS): what
 * their variables give dockerd is checked against daemon.json. One that cannot be read is left
 * out (systemd would refuse to start the unit with it; that is not ours to judge here). */
static void load_env_files(struct drs_engine *e) {
        struct drs_unitset u = {0};
        _cleanup_free_ struct drs_setting *v = NULL;
        size_t n;

        if (unitset_load(&e->host, &u, NULL) < 0)
                return;
        n = unit_fold_setting(u.units, u.n, "Service", "EnvironmentFile", &v);
        for (size_t i = 0; i < n; i++) {
                const char *path = v[i].value + (v[i].value[0] == '-');
                char *text = NULL;
                if (*path != '/' || streq(path, DRS_DEFAULT_DOCKER) || read_optional(e, path, &text, NULL) < 0 || !text)
                        continue;
                e->host.env_files = xrealloc(e->host.env_files, (e->host.n_env_files + 1) * sizeof(*e->host.env_files));
                e->host.env_files[e->host.n_env_files++] = (struct drs_env_source) {.path = xstrdup(path), .text = text};
        }
        unitset_done(&u);
}

static int load_config_files(struct drs_engine *e, struct drs_diag *diag) {
        struct drs_cmdline base = {0};
        const char *cfg = NULL;
        int r;

        r = read_optional(e, DRS_DEFAULT_DOCKER, &e->host.default_docker_text, diag);
        if (r < 0)
                return r;
        load_env_files(e);
        /* Where dockerd reads daemon.json, and which dockerd exists, depend on ExecStart; when it
         * cannot be read, the plan reports that, and the defaults are looked at. */
        if (host_base_execstart(&e->host, &base, NULL) >= 0) {
                cfg = derive_config_file(&base);
                if (strv_length(e->host.executables) == 0 && rootfs_is_executable(e->rootfd, base.words[0].value))
                        strv_push(&e->host.executables, base.words[0].value);
        }
        for (size_t i = 0; i < ELEMENTSOF(dockerd_candidates); i++)
                if (!strv_contains(e->host.executables, dockerd_candidates[i]) &&
                    rootfs_is_executable(e->rootfd, dockerd_candidates[i]))
                        strv_push(&e->host.executables, dockerd_candidates[i]);
        e->host.daemon_json_path = xstrdup(cfg && *cfg == '/' ? cfg : DRS_DAEMON_JSON);
        cmdline_done(&base);
        return read_optional(e, e->host.daemon_json_path, &e->host.daemon_json_text, diag);
}

static int load_host(struct drs_engine *e, struct drs_diag *diag) {
        struct stat st;
        int r;

        e->host.root = xstrdup(e->root);
        r = load_fragment(e, diag);
        if (r >= 0)
                r = load_dropins(e, "docker.service", &e->host.dropins, &e->host.n_dropins, diag);
        if (r >= 0)
                r = load_dropins(e, "docker.socket", &e->host.socket_dropins, &e->host.n_socket_dropins, diag);
        if (r < 0)
                return r;
        e->host.socket_unit = socket_unit_present(e);
        /* With another root no systemd call is made; on "/" only when systemd runs (PID 1). */
        if (e->host_root && sd_booted() > 0)
                load_live(e);
        e->host.systemd = e->host.live || e->host.fragment_path ||
                          rootfs_lstat(e->rootfd, "/etc/init.d/docker", &st) < 0;
        r = load_config_files(e, diag);
        if (r < 0)
                return r;
        e->host.hostname = read_hostname(e);
        e->host.single_stack = !probe_dual_stack();
        r = ifenum_list(&e->host.ifaces);
        if (r < 0) {
                diag_set(diag, NULL, 0, _("cannot list the network interfaces: %s"), ifenum_strerror(r));
                return r;
        }
        return 0;
}

static int open_engine(const char *root, bool lenient, struct drs_engine **ret, struct drs_diag *diag) {
        _cleanup_(engine_freep) struct drs_engine *e = xcalloc(1, sizeof(*e));
        int r;

        e->lockfd = -1;
        e->root = xstrdup(root ? root : "/");
        e->host_root = streq(e->root, "/");
        e->rootfd = rootfs_open(e->root);
        if (e->rootfd < 0) {
                diag_set(diag, e->root, 0, _("cannot open the root directory: %s"), strerror(-e->rootfd));
                return -EINVAL; /* a bad --root is a bad argument */
        }
        r = load_host(e, diag);
        if (r < 0 && !lenient)
                return r;
        if (r < 0) {
                /* Our backups are enough to revert: the files that could not be read are left out. */
                host_done(&e->host);
                e->host.root = xstrdup(e->root);
                if (e->host_root && sd_booted() > 0)
                        load_live(e);
                diag_done(diag);
        }
        *ret = TAKE_PTR(e);
        return 0;
}

int engine_open(const char *root, struct drs_engine **ret, struct drs_diag *diag) {
        return open_engine(root, false, ret, diag);
}

int engine_open_for_state(const char *root, struct drs_engine **ret, struct drs_diag *diag) {
        return open_engine(root, true, ret, diag);
}

bool engine_logs_info(struct drs_engine *e) {
        /* A fresh look at the files, in a host of its own: e->host stays as it is (the plan
         * points into it). */
        struct drs_host saved = e->host;
        struct drs_diag ignore = {0};
        bool logs;

        if (e->user)
                return user_logs_info(e->rootfd, e->user);
        e->host = (struct drs_host) {0};
        logs = load_host(e, &ignore) < 0 || host_logs_info(&e->host);
        host_done(&e->host);
        e->host = saved;
        diag_done(&ignore);
        return logs;
}

int engine_reload(struct drs_engine *e, struct drs_diag *diag) {
        if (e->user)
                return 0; /* a user's engine holds no view of root's daemon */
        host_done(&e->host);
        return load_host(e, diag);
}

enum drs_method engine_default_method(struct drs_engine *e) {
        return host_default_method(&e->host);
}

void engine_free(struct drs_engine *e) {
        if (e->rootfd >= 0)
                close(e->rootfd);
        if (e->lockfd >= 0)
                close(e->lockfd);
        if (e->bus)
                sdbus_close(e->bus);
        host_done(&e->host);
        if (e->user)
                store_use(DRS_STATE_DIR, 0, 0); /* root's store again for an engine opened after this one */
        free(e->root);
        free(e->user);
        free(e);
}
