/* rollback.c: back to the state before an earlier change, as one more verified transaction. */
#include <errno.h>
#include <string.h>

#include "eventlog.h"
#include "i18n.h"
#include "store.h"
#include "txn.h"
#include "util.h"

static bool has_path(const struct drs_change *c, size_t n, const char *path) {
        for (size_t i = 0; i < n; i++)
                if (streq(c[i].path, path))
                        return true;
        return false;
}

int engine_rollback_to(struct drs_engine *e, const char *id, unsigned timeout, const struct drs_progress *pr,
                       struct drs_apply_result *res, struct drs_diag *diag) {
        struct drs_manifest target = {0}, *sets = NULL;
        struct drs_change *c = NULL;
        _cleanup_strv_free_ char **ids = NULL, **now = NULL, **dirs = xcalloc(1, sizeof(char *));
        _cleanup_free_ char *summary = NULL;
        size_t n = 0, n_sets = 0;
        int r = store_backup_load(e->rootfd, id, &target, diag);

        if (r < 0)
                return r;
        r = store_backup_list(e->rootfd, &ids);
        if (r < 0)
                goto out;
        /* The state before `id`: for every file changed since then, the copy saved by the first
         * change at or after `id` that touched it. */
        sets = xcalloc(strv_length(ids) + 1, sizeof(*sets));
        for (size_t i = 0; ids[i]; i++) {
                if (store_id_compare(ids[i], id) < 0)
                        continue;
                r = store_backup_load(e->rootfd, ids[i], &sets[n_sets], diag);
                if (r < 0)
                        goto out; /* a damaged set later than `id`: its files cannot be put back */
                n_sets++;
        }
        for (size_t s = 0; s < n_sets; s++) {
                const struct drs_manifest *m = &sets[s];
                for (size_t i = 0; i < m->n_files; i++) {
                        const struct drs_backup_file *f = &m->files[i];
                        if (has_path(c, n, f->path))
                                continue;
                        c = xrealloc(c, (n + 1) * sizeof(*c));
                        c[n] = (struct drs_change) {.path = xstrdup(f->path), .mode = f->mode, .uid = f->uid, .gid = f->gid};
                        n++;
                        if (f->existed) {
                                r = store_backup_blob(e->rootfd, m, f, &c[n - 1].content, &c[n - 1].len, diag);
                                if (r < 0)
                                        goto out;
                        }
                }
                for (size_t i = 0; m->dirs_created && m->dirs_created[i]; i++)
                        if (!strv_contains(dirs, m->dirs_created[i]))
                                strv_push(&dirs, m->dirs_created[i]);
        }
        now = e->user ? engine_user_listeners(e) : host_listen_texts(&e->host);
        summary = xasprintf("rollback to %s", id);
        {
                struct drs_verify v = {.expect = target.listen_before, .stop_first = true, .timeout = timeout ? timeout : 60};
                /* Directories those changes created go too, once empty. */
                for (size_t i = 0; i < n; i++)
                        v.socket = v.socket || txn_path_is_socket_dropin(c[i].path);
                r = txn_execute(e,
                                &(struct drs_txn_request) {.kind = "rollback", .summary = summary, .changes = c,
                                                           .n_changes = n, .empty_dirs = dirs, .listen_before = now,
                                                           .verify = &v},
                                pr, res, diag);
        }
        if (r >= 0 && res->outcome == OUTCOME_KEPT && e->host_root)
                eventlog(EVENT_ROLLBACK, id, "Rolled docker.service back to the state before %s", id);
out:
        txn_changes_free(c, n);
        for (size_t s = 0; s < n_sets; s++)
                manifest_done(&sets[s]);
        free(sets);
        manifest_done(&target);
        return r;
}
