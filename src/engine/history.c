/* history.c: the backup sets as a history of changes, and what restoring one would change. */
#include "history.h"
#include "engine-internal.h"

#include <errno.h>
#include <string.h>

#include "i18n.h"
#include "rootfs.h"
#include "store.h"
#include "udiff.h"
#include "util.h"

int engine_history(struct drs_engine *e, struct drs_manifest **ret, size_t *ret_n) {
        _cleanup_strv_free_ char **ids = NULL;
        struct drs_manifest *sets;
        size_t n = 0, k;
        int r = store_backup_list(e->rootfd, &ids);

        if (r < 0)
                return r;
        k = strv_length(ids);
        sets = xcalloc(k + 1, sizeof(*sets));
        for (size_t i = k; i > 0; i--)
                if (store_backup_load(e->rootfd, ids[i - 1], &sets[n], NULL) >= 0)
                        n++;
        *ret = sets;
        *ret_n = n;
        return 0;
}

void history_free(struct drs_manifest *sets, size_t n) {
        for (size_t i = 0; i < n; i++)
                manifest_done(&sets[i]);
        free(sets);
}

int engine_backup_diff(struct drs_engine *e, const struct drs_manifest *m, struct drs_rendered *out,
                       struct drs_diag *diag) {
        for (size_t i = 0; i < m->n_files; i++) {
                const struct drs_backup_file *f = &m->files[i];
                _cleanup_free_ char *now = NULL, *then = NULL, *diff = NULL, *label = NULL;
                bool secret = endswith(f->path, "key.pem") || endswith(f->path, ".tar");
                int r = rootfs_read(e->rootfd, f->path, &now);

                if (r < 0 && r != -ENOENT)
                        now = NULL;
                if (f->existed) {
                        size_t len;
                        r = store_backup_blob(e->rootfd, m, f, &then, &len, diag);
                        if (r < 0)
                                return r;
                }
                if (streq_ptr(now, then) || (!now && !then)) {
                        rendered_add(out, STYLE_DIM, xasprintf(_("%s: as in the backup"), f->path));
                        continue;
                }
                if (secret) {
                        rendered_add(out, STYLE_HEADING,
                                     xasprintf(_("%s: differs (key material, not shown)"), f->path));
                        continue;
                }
                label = xasprintf("%s (%s)", f->path, _("restored"));
                diff = udiff(now ? f->path : "/dev/null", now, then ? label : "/dev/null", then, 3);
                rendered_add(out, STYLE_HEADING, xasprintf("=== %s ===", f->path));
                render_diff(diff, out);
        }
        return 0;
}

const char *engine_backup_dir(void) {
        return store_backup_dir();
}

bool engine_backup_id_valid(const char *id) {
        return store_id_valid(id);
}

int engine_backup_ids(struct drs_engine *e, char ***ret_ids) {
        return store_backup_list(e->rootfd, ret_ids);
}

int engine_backup_load(struct drs_engine *e, const char *id, struct drs_manifest *ret, struct drs_diag *diag) {
        return store_backup_load(e->rootfd, id, ret, diag);
}
