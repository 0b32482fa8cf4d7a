/* fuzz-manifest.c: libFuzzer target for backup manifests and the transaction record: parse, write, parse, equal. */
#include <errno.h>

#include "fuzz.h"
#include "manifest.h"
#include "util.h"

static void manifest_round_trip(const char *text) {
        struct drs_manifest m = {0}, n = {0};
        struct drs_diag diag = {0};
        _cleanup_free_ char *j1 = NULL, *j2 = NULL;
        int r = manifest_parse("manifest.json", text, &m, &diag);

        if (r < 0) {
                FUZZ_CHECK(r == -EBADMSG && diag.message);
                diag_done(&diag);
                return;
        }
        for (size_t i = 0; i < m.n_files; i++) {
                /* What restore_files relies on: absolute paths, blob names that stay in the set. */
                FUZZ_CHECK(m.files[i].path && m.files[i].path[0] == '/');
                FUZZ_CHECK(!m.files[i].existed || (m.files[i].blob && !strchr(m.files[i].blob, '/') &&
                                                   !streq(m.files[i].blob, "..") && !streq(m.files[i].blob, ".")));
        }
        j1 = manifest_to_json(&m);
        r = manifest_parse("manifest.json", j1, &n, &diag);
        if (r < 0)
                fprintf(stderr, "---- written back, does not parse: %s\n%s----\n", diag.message, j1);
        FUZZ_CHECK(r == 0);
        FUZZ_CHECK(streq_ptr(m.id, n.id) && streq_ptr(m.created, n.created) && streq_ptr(m.kind, n.kind) &&
                   streq_ptr(m.summary, n.summary) && streq_ptr(m.listen_after, n.listen_after) &&
                   streq_ptr(m.result, n.result) && strv_equal(m.listen_before, n.listen_before) &&
                   strv_equal(m.dirs_created, n.dirs_created));
        FUZZ_CHECK(m.n_files == n.n_files);
        for (size_t i = 0; i < m.n_files; i++) {
                const struct drs_backup_file *a = &m.files[i], *b = &n.files[i];
                FUZZ_CHECK(streq_ptr(a->path, b->path) && a->existed == b->existed);
                FUZZ_CHECK(!a->existed || (a->mode == b->mode && a->uid == b->uid && a->gid == b->gid &&
                                           streq_ptr(a->sha256, b->sha256) && streq_ptr(a->blob, b->blob)));
        }
        j2 = manifest_to_json(&n);
        FUZZ_CHECK(streq(j1, j2));
        manifest_done(&m);
        manifest_done(&n);
        diag_done(&diag);
}

static void txn_round_trip(const char *text) {
        struct drs_txn t = {0}, u = {0};
        _cleanup_free_ char *j1 = NULL, *j2 = NULL;
        int r = txn_parse("current.json", text, &t, NULL);

        if (r < 0) {
                FUZZ_CHECK(r == -EBADMSG);
                return;
        }
        FUZZ_CHECK(t.phase < _PHASE_MAX && t.id);
        j1 = txn_to_json(&t);
        FUZZ_CHECK(txn_parse("current.json", j1, &u, NULL) == 0);
        FUZZ_CHECK(streq(t.id, u.id) && t.phase == u.phase && t.deadline == u.deadline && t.pid == u.pid &&
                   strv_equal(t.timers, u.timers) && strv_equal(t.dirs_created, u.dirs_created));
        j2 = txn_to_json(&u);
        FUZZ_CHECK(streq(j1, j2));
        txn_done(&t);
        txn_done(&u);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        _cleanup_free_ char *text = fuzz_text(data, size);

        if (!text)
                return 0;
        manifest_round_trip(text);
        txn_round_trip(text);
        return 0;
}
