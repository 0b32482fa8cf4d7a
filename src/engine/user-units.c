/* user-units.c: rootless Docker (issue 19): a user's docker.service as the user's own manager
 * reads it: the unit file, then the drop-ins of every directory of the user search path
 * (docker.service.d/ and service.d/), ordered, hidden and masked as systemd does (unitset_load). */
#include "userplan.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "execline.h"
#include "engine-internal.h"
#include "i18n.h"
#include "plan.h"
#include "rootfs.h"
#include "rootless.h"
#include "unitfile.h"
#include "util.h"

/* systemd's user search path, highest precedence first (lookup_paths_init for the user scope,
 * without XDG_* variables set), each under HOME, under the user's runtime directory
 * /run/user/UID, or absolute. */
enum { IN_HOME, IN_RUNTIME, ABSOLUTE };
static const struct {
        int where;
        const char *path;
} user_dirs[] = {
        {IN_HOME, "/.config/systemd/user.control"},
        {IN_RUNTIME, "/systemd/user.control"},
        {IN_RUNTIME, "/systemd/transient"},
        {IN_RUNTIME, "/systemd/generator.early"},
        {IN_HOME, "/.config/systemd/user"},
        {ABSOLUTE, "/etc/xdg/systemd/user"},
        {ABSOLUTE, "/etc/systemd/user"},
        {IN_RUNTIME, "/systemd/user"},
        {ABSOLUTE, "/run/systemd/user"},
        {IN_RUNTIME, "/systemd/generator"},
        {IN_HOME, "/.local/share/systemd/user"},
        {ABSOLUTE, "/usr/local/share/systemd/user"},
        {ABSOLUTE, "/usr/share/systemd/user"},
        {ABSOLUTE, "/usr/local/lib/systemd/user"},
        {ABSOLUTE, "/usr/lib/systemd/user"},
        {IN_RUNTIME, "/systemd/generator.late"},
};
#define USER_DIR_CONFIG 4 /* ~/.config/systemd/user: the unit file and our drop-in */

static char *user_dir(const struct drs_user_units *u, size_t i) {
        switch (user_dirs[i].where) {
        case IN_HOME:
                return xasprintf("%s%s", u->home, user_dirs[i].path);
        case IN_RUNTIME:
                return xasprintf("/run/user/%u%s", u->uid, user_dirs[i].path);
        default:
                return xstrdup(user_dirs[i].path);
        }
}

static int add_dir(int rootfd, struct drs_user_units *u, unsigned rank, const char *dir, bool type_level,
                   struct drs_diag *diag) {
        _cleanup_strv_free_ char **names = NULL;

        if (rootfs_list(rootfd, dir, &names) < 0)
                return 0;
        for (size_t j = 0; names[j]; j++) {
                struct drs_dropin_source d = {.dir_rank = rank, .type_level = type_level};
                if (!endswith(names[j], ".conf"))
                        continue;
                d.path = xasprintf("%s/%s", dir, names[j]);
                if (u->skip && streq(d.path, u->skip)) {
                        free(d.path);
                        continue;
                }
                if (!rootfs_is_masked(rootfd, d.path)) {
                        int r = rootfs_read(rootfd, d.path, &d.text);
                        if (r < 0) {
                                diag_set(diag, d.path, 0, _("cannot be read: %s"), strerror(-r));
                                free(d.path);
                                return r;
                        }
                }
                u->dropins = xrealloc(u->dropins, (u->n_dropins + 1) * sizeof(*u->dropins));
                u->dropins[u->n_dropins++] = d;
        }
        return 0;
}

int user_units_read(int rootfd, const char *home, unsigned uid, const char *skip, struct drs_user_units *ret,
                    struct drs_diag *diag) {
        struct drs_user_units u = {.home = xstrdup(home), .uid = uid, .skip = skip ? xstrdup(skip) : NULL};
        int r;

        u.fragment_path = xasprintf("%s/.config/systemd/user/docker.service", home);
        r = rootfs_read(rootfd, u.fragment_path, &u.fragment_text);
        if (r < 0)
                diag_set(diag, u.fragment_path, 0, _("cannot be read: %s"), strerror(-r));
        for (unsigned i = 0; r >= 0 && i < ELEMENTSOF(user_dirs); i++)
                for (int type_level = 0; r >= 0 && type_level < 2; type_level++) {
                        _cleanup_free_ char *base = user_dir(&u, i);
                        _cleanup_free_ char *dir = xasprintf("%s/%s", base, type_level ? "service.d" : "docker.service.d");
                        r = add_dir(rootfd, &u, i, dir, type_level, diag);
                }
        if (r < 0) {
                user_units_done(&u);
                return r;
        }
        *ret = u;
        return 0;
}

int user_units_load(const struct drs_user_units *u, const char *path, const char *text, struct drs_unitset *ret,
                    struct drs_diag *diag) {
        _cleanup_free_ struct drs_dropin_source *d = xcalloc(u->n_dropins + 1, sizeof(*d));
        struct drs_host h = {.fragment_path = u->fragment_path, .fragment_text = u->fragment_text, .dropins = d,
                             .n_dropins = u->n_dropins};

        if (u->n_dropins)
                memcpy(d, u->dropins, u->n_dropins * sizeof(*d));
        if (path) /* ours, in ~/.config/systemd/user/docker.service.d/ */
                d[h.n_dropins++] = (struct drs_dropin_source) {.path = (char *) path, .text = (char *) text,
                                                               .dir_rank = USER_DIR_CONFIG};
        return unitset_load(&h, ret, diag);
}

void user_units_done(struct drs_user_units *u) {
        for (size_t i = 0; i < u->n_dropins; i++) {
                free(u->dropins[i].path);
                free(u->dropins[i].text);
        }
        free(u->dropins);
        free(u->fragment_path);
        free(u->fragment_text);
        free(u->home);
        free(u->skip);
        *u = (struct drs_user_units) {0};
}

char *user_units_env(const struct drs_unitset *u, const char *name) {
        _cleanup_free_ struct drs_setting *set = NULL;
        _cleanup_free_ char *prefix = xasprintf("%s=", name);
        size_t k = unit_fold_setting(u->units, u->n, "Service", "Environment", &set);
        char *found = NULL;

        for (size_t i = 0; i < k; i++) {
                _cleanup_free_ char *line = xasprintf("/env %s", set[i].value);
                struct drs_cmdline c = {0};
                const char *why;
                if (cmdline_parse(line, &c, &why) < 0)
                        continue;
                for (size_t w = 1; w < c.n_words; w++)
                        if (startswith(c.words[w].value, prefix)) {
                                free(found);
                                found = xstrdup(c.words[w].value + strlen(prefix));
                        }
                cmdline_done(&c);
        }
        return found;
}

bool user_units_sets(const struct drs_unitset *u, const char *section, const char *key) {
        _cleanup_free_ struct drs_setting *set = NULL;
        size_t k = unit_fold_setting(u->units, u->n, section, key, &set);
        return k > 0 && set[k - 1].value[0];
}

bool engine_user_publishes(struct drs_engine *e, const struct drs_addr *a, uint16_t port) {
        _cleanup_free_ char *home = NULL, *flags = NULL;
        struct drs_user_units uu = {0};
        struct drs_unitset u = {0};
        struct drs_diag d = {0};
        unsigned uid, gid;
        char addr[46];

        if (!e->user)
                return false;
        addr_to_string(a, addr);
        if (user_find(e->rootfd, e->user, &uid, &gid, &home, &d) >= 0 &&
            user_units_read(e->rootfd, home, uid, NULL, &uu, &d) >= 0 && user_units_load(&uu, NULL, NULL, &u, &d) >= 0)
                flags = user_units_env(&u, ROOTLESS_FLAGS_VAR);
        unitset_done(&u);
        user_units_done(&uu);
        diag_done(&d);
        return flags && rootless_flags_publish(flags, addr, port);
}
