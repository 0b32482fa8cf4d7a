/* user-json.c: rootless Docker (issue 19): the user's daemon.json next to the drop-in. dockerd
 * refuses to start when "hosts" or a TLS key is both in the file and a flag, so they leave the
 * file, as they leave root's (plan-json.c); and its log level says whether "API listen on" is
 * logged at all. */
#include "userplan.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemonjson.h"
#include "derive.h"
#include "diag.h"
#include "engine-internal.h"
#include "execline.h"
#include "i18n.h"
#include "plan.h"
#include "rootfs.h"
#include "unitfile.h"
#include "util.h"

/* --config-file's when the user's ExecStart gives one (dockerd-rootless.sh passes its arguments
 * to dockerd), else rootless dockerd's default, $XDG_CONFIG_HOME/docker/daemon.json. */
static char *json_path(const char *home, const struct drs_cmdline *base) {
        const char *cfg = derive_config_file(base);
        return cfg && *cfg == '/' ? xstrdup(cfg) : xasprintf("%s/.config/docker/daemon.json", home);
}

static char **exec_args(const struct drs_cmdline *base) {
        char **words = xcalloc(1, sizeof(char *));
        for (size_t i = cmdline_first_arg(base); i < base->n_words; i++)
                strv_push(&words, base->words[i].value);
        return words;
}

/* "hosts": its TCP listeners are replaced by ours and the user's own socket is in our ExecStart;
 * any other listener would be lost, so it blocks. */
static void check_hosts(struct drs_user_plan *p, char *const *hosts) {
        _cleanup_free_ char *own = xasprintf("unix:///run/user/%u/docker.sock", p->uid);

        for (size_t i = 0; hosts && hosts[i]; i++)
                if (!derive_host_is_tcp(hosts[i]) && !streq(hosts[i], own))
                        strv_consume(&p->problems,
                                     xasprintf(_("%s: \"hosts\" has \"%s\", which would be lost when \"hosts\" leaves "
                                                 "the file (dockerd refuses it next to -H flags); move it to the "
                                                 "user's docker.service ExecStart= as -H, or remove it, then run "
                                                 "again"),
                                               p->json_path, hosts[i]));
}

static void plan_rewrite(struct drs_user_plan *p, const struct drs_daemon_json *j) {
        struct drs_buf keys = {0};

        if (j->has_hosts)
                buf_append(&keys, "\"hosts\"");
        for (size_t i = 0; j->tls_keys && j->tls_keys[i]; i++)
                buf_appendf(&keys, "%s\"%s\"", keys.len ? ", " : "", j->tls_keys[i]);
        check_hosts(p, j->hosts);
        p->json_new = daemonjson_without_listener_keys(p->json_old);
        strv_consume(&p->describe, xasprintf(_("%s sets %s: dockerd refuses to start when a setting is both a flag and "
                                               "in the file; those keys leave the file (it is backed up first)"),
                                             p->json_path, keys.data));
        buf_free(&keys);
}

void user_json_plan(int rootfd, struct drs_user_plan *p, const struct drs_cmdline *base) {
        _cleanup_strv_free_ char **args = exec_args(base);
        struct drs_daemon_json j = {0};
        struct drs_diag d = {0};
        struct stat st;
        int r;

        p->json_path = json_path(p->home, base);
        r = rootfs_lstat(rootfd, p->json_path, &st);
        if (r >= 0 && !S_ISREG(st.st_mode)) {
                strv_consume(&p->problems, xasprintf(_("%s is not a regular file (a symbolic link?): this program does "
                                                       "not write through it; make it a file, then run again"),
                                                     p->json_path));
                return;
        }
        if (r >= 0) {
                p->json_mode = st.st_mode & 0777;
                p->json_uid = st.st_uid;
                p->json_gid = st.st_gid;
                r = rootfs_read(rootfd, p->json_path, &p->json_old);
        }
        if (r < 0 && r != -ENOENT) {
                strv_consume(&p->problems, xasprintf(_("%s cannot be read: %s"), p->json_path, strerror(-r)));
                return;
        }
        p->logs_info = dockerd_logs_info(args, p->json_path, p->json_old);
        if (!p->logs_info)
                strv_consume(&p->describe, xstrdup(_("dockerd's log level hides \"API listen on\": the check after the "
                                                     "restart relies on /_ping alone")));
        if (!p->json_old)
                return;
        if (daemonjson_parse(p->json_path, p->json_old, &j, &d) < 0) {
                _cleanup_free_ char *why = diag_format(&d);
                strv_consume(&p->problems,
                             xasprintf(_("%s; dockerd cannot start with it: correct it, then run again"), why));
        } else if (j.has_hosts || j.tls_keys)
                plan_rewrite(p, &j);
        daemonjson_done(&j);
        diag_done(&d);
}

bool user_logs_info(int rootfd, const char *user) {
        _cleanup_free_ char *home = NULL, *unit_path = NULL, *path = NULL, *text = NULL;
        _cleanup_free_ struct drs_setting *exec = NULL;
        struct drs_unit **units = NULL;
        struct drs_cmdline base = {0};
        struct drs_diag d = {0};
        const char *why;
        unsigned uid, gid;
        size_t n = 0;
        bool logs = true;

        if (user_find(rootfd, user, &uid, &gid, &home, &d) < 0)
                goto out;
        unit_path = xasprintf("%s/.config/systemd/user/docker.service", home);
        if (user_load_units(rootfd, unit_path, &units, &n, &d) < 0)
                goto out;
        if (unit_fold_setting(units, n, "Service", "ExecStart", &exec) == 1 &&
            cmdline_parse(exec[0].value, &base, &why) >= 0) {
                _cleanup_strv_free_ char **args = exec_args(&base);
                path = json_path(home, &base);
                (void) rootfs_read(rootfd, path, &text);
                logs = dockerd_logs_info(args, path, text);
        }
        cmdline_done(&base);
        user_units_free(units, n);
out:
        diag_done(&d);
        return logs;
}
