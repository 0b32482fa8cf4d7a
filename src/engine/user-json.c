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
#include "util.h"

/* --config-file's when the user's ExecStart gives one (dockerd-rootless.sh passes its arguments
 * to dockerd; NULL for a relative one, which depends on dockerd's working directory), else
 * rootless dockerd's default, $XDG_CONFIG_HOME/docker/daemon.json (xdg: the unit's
 * XDG_CONFIG_HOME=, when absolute; else HOME/.config). */
static char *json_path(const char *home, const char *xdg, const struct drs_cmdline *base) {
        const char *cfg = derive_config_file(base);
        if (cfg)
                return *cfg == '/' ? xstrdup(cfg) : NULL;
        if (xdg && *xdg == '/')
                return xasprintf("%s/docker/daemon.json", xdg);
        return xasprintf("%s/.config/docker/daemon.json", home);
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
        p->json_hosts = strv_copy(j->hosts);
        p->json_new = daemonjson_without_listener_keys(p->json_old);
        strv_consume(&p->describe, xasprintf(_("%s sets %s, which the listener's flags set now (dockerd refuses to "
                                               "start with a setting both a flag and in the file): those keys leave "
                                               "the file (it is backed up first)"),
                                             p->json_path, keys.data));
        buf_free(&keys);
}

void user_json_plan(int rootfd, struct drs_user_plan *p, const struct drs_unitset *u, const struct drs_cmdline *base) {
        _cleanup_strv_free_ char **args = exec_args(base);
        _cleanup_free_ char *xdg = user_units_env(u, "XDG_CONFIG_HOME");
        struct drs_daemon_json j = {0};
        struct drs_diag d = {0};
        struct stat st;
        int r;

        p->json_path = json_path(p->home, xdg, base);
        if (!p->json_path) {
                strv_consume(&p->problems, xasprintf(_("the user's docker.service gives dockerd --config-file %s, a "
                                                       "relative path this program cannot place; make it absolute, "
                                                       "then run again"),
                                                     derive_config_file(base)));
                return;
        }
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
        _cleanup_free_ char *home = NULL, *path = NULL, *text = NULL;
        struct drs_user_units uu = {0};
        struct drs_unitset u = {0};
        struct drs_cmdline base = {0};
        struct drs_diag d = {0};
        unsigned uid, gid;
        bool logs = true;

        if (user_find(rootfd, user, &uid, &gid, &home, &d) >= 0 && user_units_read(rootfd, home, uid, NULL, &uu, &d) >= 0 &&
            user_units_load(&uu, NULL, NULL, &u, &d) >= 0 && unitset_execstart(&u, &base, NULL, &d) >= 0) {
                _cleanup_strv_free_ char **args = exec_args(&base);
                _cleanup_free_ char *xdg = user_units_env(&u, "XDG_CONFIG_HOME");
                path = json_path(home, xdg, &base);
                if (path)
                        (void) rootfs_read(rootfd, path, &text);
                logs = dockerd_logs_info(args, path, text);
        }
        cmdline_done(&base);
        unitset_done(&u);
        user_units_done(&uu);
        diag_done(&d);
        return logs;
}
