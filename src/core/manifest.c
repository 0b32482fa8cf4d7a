/* manifest.c: backup sets and the in-flight transaction, as JSON texts. */
#include "manifest.h"

#include <errno.h>
#include <json-c/json.h>
#include <string.h>

#include "i18n.h"
#include "util.h"

static const char *const phases[_PHASE_MAX] = {"writing", "restarting", "pending", "reverting"};

const char *phase_to_string(enum drs_phase p) {
        return p < _PHASE_MAX ? phases[p] : "?";
}

static void add_str(struct json_object *o, const char *k, const char *v) {
        json_object_object_add(o, k, v ? json_object_new_string(v) : NULL);
}

static struct json_object *strv_json(char *const *v) {
        struct json_object *a = json_object_new_array();
        for (size_t i = 0; v && v[i]; i++)
                json_object_array_add(a, json_object_new_string(v[i]));
        return a;
}

static char *finish(struct json_object *o) {
        char *s = xasprintf("%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
                                                                               JSON_C_TO_STRING_NOSLASHESCAPE));
        json_object_put(o);
        return s;
}

char *manifest_to_json(const struct drs_manifest *m) {
        struct json_object *o = json_object_new_object(), *files = json_object_new_array();

        json_object_object_add(o, "format", json_object_new_int(1));
        add_str(o, "id", m->id);
        add_str(o, "created", m->created);
        add_str(o, "kind", m->kind);
        add_str(o, "summary", m->summary);
        json_object_object_add(o, "listen_before", strv_json(m->listen_before));
        add_str(o, "listen_after", m->listen_after);
        add_str(o, "result", m->result);
        json_object_object_add(o, "dirs_created", strv_json(m->dirs_created));
        for (size_t i = 0; i < m->n_files; i++) {
                const struct drs_backup_file *f = &m->files[i];
                struct json_object *j = json_object_new_object();
                add_str(j, "path", f->path);
                json_object_object_add(j, "existed", json_object_new_boolean(f->existed));
                if (f->existed) {
                        json_object_object_add(j, "mode", json_object_new_int((int) f->mode));
                        json_object_object_add(j, "uid", json_object_new_int64(f->uid));
                        json_object_object_add(j, "gid", json_object_new_int64(f->gid));
                        add_str(j, "sha256", f->sha256);
                        add_str(j, "blob", f->blob);
                }
                json_object_array_add(files, j);
        }
        json_object_object_add(o, "files", files);
        return finish(o);
}

/* Reading: every field checked; anything off is a corrupted store. */
struct reader {
        const char *path;
        struct drs_diag *diag;
        int r;
};

static struct json_object *get(struct reader *rd, struct json_object *o, const char *k, enum json_type t, bool optional) {
        struct json_object *v = NULL;
        if (json_object_object_get_ex(o, k, &v) && (json_object_is_type(v, t) || (optional && !v)))
                return v;
        if (optional && !json_object_object_get_ex(o, k, NULL))
                return NULL;
        if (rd->r >= 0)
                diag_set(rd->diag, rd->path, 0, _("\"%s\" is missing or has the wrong type"), k);
        rd->r = -EBADMSG;
        return NULL;
}

static char *get_str(struct reader *rd, struct json_object *o, const char *k, bool optional) {
        struct json_object *v = get(rd, o, k, json_type_string, optional);
        return v ? xstrdup(json_object_get_string(v)) : NULL;
}

static char **get_strv(struct reader *rd, struct json_object *o, const char *k) {
        struct json_object *a = get(rd, o, k, json_type_array, false);
        char **v = xcalloc(1, sizeof(char *));
        for (size_t i = 0; a && i < json_object_array_length(a); i++) {
                struct json_object *e = json_object_array_get_idx(a, i);
                if (!json_object_is_type(e, json_type_string)) {
                        diag_set(rd->diag, rd->path, 0, _("\"%s\" must hold strings"), k);
                        rd->r = -EBADMSG;
                        break;
                }
                strv_push(&v, json_object_get_string(e));
        }
        return v;
}

/* Blobs are named after their index ("0", "1", …). */
static bool safe_blob_name(const char *s) {
        return s && *s && strlen(s) < 8 && strspn(s, "0123456789") == strlen(s);
}

static bool sha256_hex_valid(const char *s) {
        return s && strlen(s) == 64 && strspn(s, "0123456789abcdef") == 64;
}

bool manifest_id_valid(const char *id) {
        size_t n = id ? strlen(id) : 0;
        if (n < 15 || n > 20 || id[8] != '-')
                return false;
        for (size_t i = 0; i < n; i++)
                if (!((id[i] >= '0' && id[i] <= '9') || ((i == 8 || i == 15) && id[i] == '-')))
                        return false;
        return n == 15 || (n > 16 && id[15] == '-');
}

bool manifest_path_valid(const char *p) {
        size_t n = p ? strlen(p) : 0;
        if (n < 2 || n >= 4096 || p[0] != '/' || p[n - 1] == '/' || strstr(p, "//") || strstr(p, "/./") ||
            strstr(p, "/../") || endswith(p, "/.") || endswith(p, "/..") || strpbrk(p, "\n\r"))
                return false;
        /* Our own state is never a target: a manifest cannot restore over another one. */
        return !startswith(p, MANIFEST_STATE_DIR "/") && !streq(p, MANIFEST_STATE_DIR);
}

/* A number of the manifest in [0, max], or rd->r set. */
static unsigned get_uint(struct reader *rd, struct json_object *o, const char *k, int64_t max) {
        struct json_object *v = get(rd, o, k, json_type_int, false);
        int64_t n = v ? json_object_get_int64(v) : 0;
        if (v && (n < 0 || n > max)) {
                if (rd->r >= 0)
                        diag_set(rd->diag, rd->path, 0, _("\"%s\" is out of range (%lld)"), k, (long long) n);
                rd->r = -EBADMSG;
        }
        return (unsigned) n;
}

static void bad(struct reader *rd, const char *what, const char *value) {
        if (rd->r >= 0)
                diag_set(rd->diag, rd->path, 0, _("%s is not valid: \"%s\" (a tampered or damaged backup set)"), what,
                         value ? value : "");
        rd->r = -EBADMSG;
}

static struct json_object *parse_root(struct reader *rd, const char *text) {
        enum json_tokener_error err;
        struct json_object *o = json_tokener_parse_verbose(text, &err);
        if (!o || !json_object_is_type(o, json_type_object)) {
                diag_set(rd->diag, rd->path, 0, _("not a valid state file (%s)"),
                         o ? _("not an object") : json_tokener_error_desc(err));
                json_object_put(o);
                rd->r = -EBADMSG;
                return NULL;
        }
        return o;
}

/* What is not a field of one file: the ID, the kind, the directories, how many files. */
static void check_manifest_fields(struct reader *rd, const struct drs_manifest *m, struct json_object *files) {
        if (rd->r < 0)
                return;
        if (!manifest_id_valid(m->id))
                bad(rd, "id", m->id);
        else if (!streq(m->kind, "apply") && !streq(m->kind, "rollback"))
                bad(rd, "kind", m->kind);
        else if (files && json_object_array_length(files) > MANIFEST_MAX_FILES)
                bad(rd, "files", "…");
        for (size_t i = 0; rd->r >= 0 && m->dirs_created && m->dirs_created[i]; i++)
                if (!manifest_path_valid(m->dirs_created[i]))
                        bad(rd, "dirs_created", m->dirs_created[i]);
}

int manifest_parse(const char *path, const char *text, struct drs_manifest *ret, struct drs_diag *diag) {
        struct reader rd = {.path = path, .diag = diag};
        struct drs_manifest m = {0};
        struct json_object *o = parse_root(&rd, text), *files;

        if (!o)
                return rd.r;
        m.id = get_str(&rd, o, "id", false);
        m.created = get_str(&rd, o, "created", false);
        m.kind = get_str(&rd, o, "kind", false);
        m.summary = get_str(&rd, o, "summary", false);
        m.listen_before = get_strv(&rd, o, "listen_before");
        m.listen_after = get_str(&rd, o, "listen_after", true);
        m.result = get_str(&rd, o, "result", true);
        /* Older manifests have no "dirs_created". */
        m.dirs_created = json_object_object_get_ex(o, "dirs_created", NULL) ? get_strv(&rd, o, "dirs_created")
                                                                            : xcalloc(1, sizeof(char *));
        files = get(&rd, o, "files", json_type_array, false);
        check_manifest_fields(&rd, &m, files);
        for (size_t i = 0; files && rd.r >= 0 && i < json_object_array_length(files); i++) {
                struct json_object *j = json_object_array_get_idx(files, i), *v;
                struct drs_backup_file f = {0};
                if (!json_object_is_type(j, json_type_object)) {
                        diag_set(diag, path, 0, _("\"files\" must hold objects"));
                        rd.r = -EBADMSG;
                        break;
                }
                f.path = get_str(&rd, j, "path", false);
                v = get(&rd, j, "existed", json_type_boolean, false);
                f.existed = v && json_object_get_boolean(v);
                if (f.existed) {
                        f.mode = get_uint(&rd, j, "mode", 07777);
                        f.uid = get_uint(&rd, j, "uid", (int64_t) UINT32_MAX - 1);
                        f.gid = get_uint(&rd, j, "gid", (int64_t) UINT32_MAX - 1);
                        f.sha256 = get_str(&rd, j, "sha256", false);
                        f.blob = get_str(&rd, j, "blob", false);
                        if (rd.r >= 0 && !safe_blob_name(f.blob)) {
                                diag_set(diag, path, 0, _("a backup file name is not safe: \"%s\""), f.blob);
                                rd.r = -EBADMSG;
                        }
                        if (rd.r >= 0 && !sha256_hex_valid(f.sha256))
                                bad(&rd, "sha256", f.sha256);
                }
                if (rd.r >= 0 && (!f.path || f.path[0] != '/')) {
                        diag_set(diag, path, 0, _("a backed-up path is not absolute"));
                        rd.r = -EBADMSG;
                }
                if (rd.r >= 0 && !manifest_path_valid(f.path))
                        bad(&rd, "path", f.path);
                for (size_t k = 0; rd.r >= 0 && k < m.n_files; k++)
                        if (streq(m.files[k].path, f.path))
                                bad(&rd, "path", f.path); /* twice */
                m.files = xrealloc(m.files, (m.n_files + 1) * sizeof(*m.files));
                m.files[m.n_files++] = f;
        }
        json_object_put(o);
        if (rd.r < 0) {
                manifest_done(&m);
                return rd.r;
        }
        *ret = m;
        return 0;
}

void manifest_add_file(struct drs_manifest *m, const char *path) {
        for (size_t i = 0; i < m->n_files; i++)
                if (streq(m->files[i].path, path))
                        return;
        m->files = xrealloc(m->files, (m->n_files + 1) * sizeof(*m->files));
        m->files[m->n_files++] = (struct drs_backup_file) {.path = xstrdup(path)};
}

void manifest_done(struct drs_manifest *m) {
        free(m->id);
        free(m->created);
        free(m->kind);
        free(m->summary);
        strv_free(m->listen_before);
        free(m->listen_after);
        strv_free(m->dirs_created);
        free(m->result);
        for (size_t i = 0; i < m->n_files; i++) {
                free(m->files[i].path);
                free(m->files[i].sha256);
                free(m->files[i].blob);
        }
        free(m->files);
        *m = (struct drs_manifest) {0};
}

char *txn_to_json(const struct drs_txn *t) {
        struct json_object *o = json_object_new_object();
        add_str(o, "id", t->id);
        add_str(o, "phase", phase_to_string(t->phase));
        json_object_object_add(o, "deadline", json_object_new_int64((int64_t) t->deadline));
        json_object_object_add(o, "timers", strv_json(t->timers));
        json_object_object_add(o, "dirs_created", strv_json(t->dirs_created));
        json_object_object_add(o, "pid", json_object_new_int64(t->pid));
        return finish(o);
}

int txn_parse(const char *path, const char *text, struct drs_txn *ret, struct drs_diag *diag) {
        struct reader rd = {.path = path, .diag = diag};
        struct drs_txn t = {0};
        struct json_object *o = parse_root(&rd, text);
        _cleanup_free_ char *phase = NULL;

        if (!o)
                return rd.r;
        t.id = get_str(&rd, o, "id", false);
        phase = get_str(&rd, o, "phase", false);
        t.phase = _PHASE_MAX;
        for (int i = 0; phase && i < _PHASE_MAX; i++)
                if (streq(phase, phases[i]))
                        t.phase = i;
        if (rd.r >= 0 && t.phase == _PHASE_MAX) {
                diag_set(diag, path, 0, _("unknown phase \"%s\""), phase);
                rd.r = -EBADMSG;
        }
        t.deadline = (uint64_t) json_object_get_int64(get(&rd, o, "deadline", json_type_int, false));
        t.timers = get_strv(&rd, o, "timers");
        t.dirs_created = get_strv(&rd, o, "dirs_created");
        t.pid = get_uint(&rd, o, "pid", INT32_MAX);
        if (rd.r >= 0 && !manifest_id_valid(t.id))
                bad(&rd, "id", t.id);
        for (size_t i = 0; rd.r >= 0 && t.dirs_created[i]; i++)
                if (!manifest_path_valid(t.dirs_created[i]))
                        bad(&rd, "dirs_created", t.dirs_created[i]);
        for (size_t i = 0; rd.r >= 0 && t.timers[i]; i++)
                if (!startswith(t.timers[i], "docker-remote-setup-") || strpbrk(t.timers[i], "/ \n"))
                        bad(&rd, "timers", t.timers[i]);
        json_object_put(o);
        if (rd.r < 0) {
                txn_done(&t);
                return rd.r;
        }
        *ret = t;
        return 0;
}

void txn_done(struct drs_txn *t) {
        free(t->id);
        strv_free(t->timers);
        strv_free(t->dirs_created);
        *t = (struct drs_txn) {0};
}
