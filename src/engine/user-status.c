/* user-status.c: status --user: a user's rootless docker.service as its own manager holds it. */
#include "userplan.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include "diag.h"
#include "engine-internal.h"
#include "plan.h"
#include "execline.h"
#include "i18n.h"
#include "journal.h"
#include "rootfs.h"
#include "sdbus.h"
#include "store.h"
#include "util.h"

/* The manager's view over the user's bus: state, ExecStart, drop-ins, the current run's listeners. */
static void load_live(struct drs_user_status *s, unsigned gid) {
        struct drs_unit_state st = {0};
        struct drs_bus *bus = NULL;
        int r = sdbus_open_user(s->uid, gid, &bus);

        if (r >= 0)
                r = sdbus_unit_state(bus, "docker.service", &st);
        if (r < 0) {
                s->bus_error = xasprintf(_("the user's manager does not answer on /run/user/%u/bus: %s"), s->uid,
                                         strerror(-r));
                sdbus_close(bus);
                return;
        }
        s->live = true;
        s->active_state = xstrdup(st.active_state);
        s->sub_state = xstrdup(st.sub_state);
        s->invocation = xstrdup(st.invocation_id);
        s->dropins = strv_copy(st.dropin_paths);
        if (st.exec_path) {
                struct drs_cmdline c = {0};
                cmdline_from_argv(st.exec_path, st.exec_argv, st.exec_flags, &c);
                s->execstart = cmdline_format(&c);
                cmdline_done(&c);
        }
        if (s->invocation[0] && journal_user_listeners(NULL, "docker.service", s->invocation, &s->listeners) < 0)
                s->listeners = NULL;
        unit_state_done(&st);
        sdbus_close(bus);
}

/* Without the user's manager (another root, no systemd): the ExecStart and drop-ins the files give,
 * read as systemd reads them (user-units.c). */
static void load_files(const char *root, const char *home, struct drs_user_status *s) {
        struct drs_user_units uu = {0};
        struct drs_unitset u = {0};
        struct drs_cmdline base = {0};
        int rootfd = rootfs_open(root ? root : "/");

        if (rootfd < 0)
                return;
        if (user_units_read(rootfd, home, s->uid, NULL, &uu, NULL) >= 0 && user_units_load(&uu, NULL, NULL, &u, NULL) >= 0) {
                if (unitset_execstart(&u, &base, NULL, NULL) >= 0)
                        s->execstart = cmdline_format(&base);
                for (size_t i = 1; i < u.n; i++)
                        strv_push(&s->dropins, u.units[i]->path);
        }
        cmdline_done(&base);
        unitset_done(&u);
        user_units_done(&uu);
        close(rootfd);
}

/* What apply --user left in the user's store: a change in flight or pending, the backup sets.
 * The store is read where engine_open_user puts it, then the one in use before again (root's,
 * or the user's of an engine that is open: the wizard's). */
static void load_store(const char *root, struct drs_user_status *s) {
        _cleanup_strv_free_ char **ids = NULL;
        _cleanup_free_ char *before = xstrdup(store_dir());
        struct drs_txn t = {0};
        int rootfd = rootfs_open(root ? root : "/");
        uid_t uid;
        gid_t gid;

        s->n_backups = -1;
        if (rootfd < 0)
                return;
        store_owner(&uid, &gid);
        store_use(s->state_dir, 0, 0);
        if (store_txn_load(rootfd, &t, NULL) >= 0 && t.id) {
                s->pending = xstrdup(t.id);
                s->pending_confirm = t.phase == PHASE_PENDING;
        }
        if (store_backup_list(rootfd, &ids) >= 0)
                s->n_backups = (long) strv_length(ids);
        else {
                int fd = rootfs_open_at(rootfd, store_backup_dir(), O_PATH, true);
                if (fd == -ENOENT)
                        s->n_backups = 0; /* no apply --user yet */
                else if (fd >= 0)
                        close(fd);
        }
        store_use(before, uid, gid);
        txn_done(&t);
        close(rootfd);
}

int engine_user_status(const char *root, const char *user, struct drs_user_status **ret, struct drs_diag *diag) {
        _cleanup_(user_status_freep) struct drs_user_status *s = xcalloc(1, sizeof(*s));
        _cleanup_free_ char *home = NULL;
        unsigned gid = 0;
        int rootfd, r;

        rootfd = user_root_open(root, diag);
        if (rootfd < 0)
                return rootfd;
        s->user = xstrdup(user);
        r = user_find(rootfd, user, &s->uid, &gid, &home, diag);
        close(rootfd);
        if (r < 0)
                return r;
        s->unit_path = xasprintf("%s/.config/systemd/user/docker.service", home);
        s->state_dir = xasprintf("%s" USER_STATE_DIR, home);
        load_store(root, s);
        /* With another root no systemd call is made, as for root's daemon. */
        if ((!root || streq(root, "/")) && sd_booted() > 0)
                load_live(s, gid);
        if (!s->live)
                load_files(root, home, s);
        *ret = TAKE_PTR(s);
        return 0;
}

void user_status_free(struct drs_user_status *s) {
        if (!s)
                return;
        free(s->user);
        free(s->unit_path);
        free(s->state_dir);
        free(s->pending);
        free(s->bus_error);
        free(s->active_state);
        free(s->sub_state);
        free(s->invocation);
        free(s->execstart);
        strv_free(s->dropins);
        strv_free(s->listeners);
        free(s);
}
