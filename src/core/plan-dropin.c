/* plan-dropin.c: our docker.service drop-in (the ExecStart= with our listener, or our lines taken
 * out), and the files of the socket method after it. */
#include <errno.h>
#include <string.h>

#include "derive.h"
#include "i18n.h"
#include "plan-internal.h"
#include "util.h"

/* Pre-flight findings about docker.service and its drop-ins. */
static void check_dropin_order(struct drs_plan *p, const struct drs_host *h, const char *ours) {
        const char *name = strrchr(ours, '/') + 1;

        for (size_t i = 0; i < h->n_dropins; i++) {
                const struct drs_dropin_source *d = &h->dropins[i];
                const char *dn = strrchr(d->path, '/') + 1;
                int c = strcmp(dn, name);
                bool masks_ours = c == 0 && !d->type_level && d->dir_rank < DRS_UNIT_DIR_ETC;
                _cleanup_(unit_freep) struct drs_unit *u = NULL;

                if (masks_ours) {
                        plan_add_finding(p, LEVEL_BLOCK,
                                         xasprintf(_("%s takes precedence over %s, so our drop-in would be ignored"),
                                                   d->path, ours),
                                         xstrdup(_("remove it, or choose another drop-in name with --dropin")));
                        continue;
                }
                /* Masked (/dev/null) or hidden by a masked one of its name: systemd reads nothing. */
                if (c <= 0 || !d->text || unitset_dropin_hidden(h, d) || unit_parse(d->path, d->text, &u, NULL) < 0)
                        continue;
                if (unit_sets(u, "Service", "ExecStart"))
                        plan_add_finding(p, LEVEL_BLOCK,
                                         xasprintf(_("%s is applied after %s and sets ExecStart=, so our listener "
                                                     "would be overridden"),
                                                   d->path, ours),
                                         xasprintf(_("remove its ExecStart= lines, or use --dropin with a name that "
                                                     "sorts after \"%s\""),
                                                   dn));
        }
}

static const struct drs_dropin_source *find_dropin(const struct drs_host *h, const char *path) {
        for (size_t i = 0; i < h->n_dropins; i++)
                if (streq(h->dropins[i].path, path))
                        return &h->dropins[i];
        return NULL;
}

static bool unit_text_sets_execstart(const char *text) {
        _cleanup_(unit_freep) struct drs_unit *u = NULL;
        return unit_parse("drop-in", text, &u, NULL) >= 0 && unit_sets(u, "Service", "ExecStart");
}

/* docker.service's unit set with the drop-in at path left out (text NULL) or given this text. */
static int unitset_with_dropin(const struct drs_host *h, const char *path, const char *text, struct drs_unitset *ret) {
        struct drs_host rest = *h;
        _cleanup_free_ struct drs_dropin_source *d = xcalloc(h->n_dropins + 1, sizeof(*d));

        rest.n_dropins = 0;
        for (size_t i = 0; i < h->n_dropins; i++)
                if (!streq(h->dropins[i].path, path))
                        d[rest.n_dropins++] = h->dropins[i];
        if (text)
                d[rest.n_dropins++] = (struct drs_dropin_source) {
                        .path = (char *) path, .text = (char *) text, .dir_rank = DRS_UNIT_DIR_ETC};
        rest.dropins = d;
        return unitset_load(&rest, ret, NULL);
}

/* The effective ExecStart without the drop-in at path. */
static int execstart_without_dropin(const struct drs_host *h, const char *path, struct drs_cmdline *ret) {
        struct drs_unitset u = {0};
        int r = unitset_with_dropin(h, path, NULL, &u);

        if (r >= 0)
                r = unitset_execstart(&u, ret, NULL, NULL);
        unitset_done(&u);
        return r;
}

/* Our boot lines: dockerd fails while its address is missing (a late DHCP lease); systemd then
 * restarts it every RESTART_SEC_TEXT for as long as that lasts, instead of giving up after the
 * start limit's few tries. Ours are known by their values: an admin's own Restart=,
 * RestartSec= or StartLimitIntervalSec= in the same file (`systemctl edit docker`) is theirs,
 * kept byte for byte, and ours does not join it for that key (check_boot_after says what
 * their value means for a late address). */
static bool is_boot_unit_entry(const struct drs_entry *e) {
        return e->kind == ENTRY_ASSIGNMENT && streq_ptr(e->section, "Unit") && streq(e->key, "StartLimitIntervalSec") &&
               streq(e->value, "0");
}

static bool is_boot_service_entry(const struct drs_entry *e) {
        return e->kind == ENTRY_ASSIGNMENT && streq_ptr(e->section, "Service") &&
               ((streq(e->key, "Restart") && streq(e->value, "on-failure")) ||
                (streq(e->key, "RestartSec") && streq(e->value, RESTART_SEC_TEXT)));
}

/* The text with our boot lines set to these blocks (NULL: ours taken out). */
char *dropin_set_boot(const char *text, const char *service_block, const char *unit_block) {
        _cleanup_free_ char *s =
                dropin_set_entries(text, "Service", is_boot_service_entry, service_block, DROPIN_HEADER);
        return dropin_set_entries(s, "Unit", is_boot_unit_entry, unit_block, DROPIN_HEADER);
}

/* The boot lines the drop-in at path needs, given its lines other than ours (rest). */
static void boot_blocks(const struct drs_host *h, const char *path, const char *rest, char **ret_service,
                        char **ret_unit) {
        _cleanup_(unit_freep) struct drs_unit *f = NULL;
        struct drs_unitset u = {0};
        struct drs_buf b = {0};
        bool restarts = false, own_sec = false, own_limit = false;

        if (unitset_with_dropin(h, path, rest, &u) >= 0 && u.n)
                (void) unitset_restarts_forever(&u, &restarts, NULL);
        unitset_done(&u);
        if (rest && unit_parse(path, rest, &f, NULL) >= 0) {
                own_sec = unit_sets(f, "Service", "RestartSec");
                own_limit = unit_sets(f, "Unit", "StartLimitIntervalSec") || unit_sets(f, "Service", "StartLimitInterval");
        }
        if (!restarts)
                buf_append(&b, "Restart=on-failure\n");
        if (!own_sec)
                buf_append(&b, "RestartSec=" RESTART_SEC_TEXT "\n");
        *ret_service = b.len ? buf_steal(&b) : NULL;
        *ret_unit = own_limit ? NULL : xstrdup("StartLimitIntervalSec=0\n");
        if (!*ret_service)
                buf_free(&b);
}

/* With our drop-in as planned, whether a drop-in after it (or a reset) undoes the restarts. */
static void check_boot_after(struct drs_plan *p, const struct drs_host *h, const char *path, const char *text) {
        struct drs_unitset u = {0};
        _cleanup_free_ char *why = NULL;

        if (unitset_with_dropin(h, path, text, &u) >= 0 && u.n && !unitset_restarts_forever(&u, NULL, &why)) {
                p->survives_late_address = false;
                plan_add_finding(p, LEVEL_WARN, TAKE_PTR(why),
                                 xstrdup(_("a late address at boot then leaves docker.service failed: remove that "
                                           "line, or use --method socket where docker.socket exists")));
        }
        unitset_done(&u);
}

/* The socket method: our boot lines of an earlier method go (the rest of the file stays). */
static void boot_removal(struct drs_plan *p, const char *path, const char *old) {
        _cleanup_free_ char *text = old ? dropin_set_boot(old, NULL, NULL) : NULL;

        if (!text || streq(text, old))
                return;
        if (dropin_empty(text, DROPIN_HEADER) || dropin_empty(text, DROPIN_HEADER_V1))
                plan_remove_file(p, FILE_DROPIN, path, old);
        else
                plan_add_file(p, FILE_DROPIN, path, old, TAKE_PTR(text), true);
}

/* The drop-in of the dropin and docker-opts methods: text (with ExecStart= when our listener
 * needs it) with our boot lines. */
static void boot_dropin(struct drs_plan *p, const struct plan_ctx *c, const char *old, const char *text) {
        _cleanup_free_ char *rest = text ? dropin_set_boot(text, NULL, NULL) : NULL, *service = NULL, *unit = NULL;
        boot_blocks(c->h, c->dropin_path, rest, &service, &unit);
        char *new_text = dropin_set_boot(text, service, unit);

        plan_add_file(p, FILE_DROPIN, c->dropin_path, old, new_text, true);
        check_boot_after(p, c->h, c->dropin_path, new_text);
}

/* On a host where our drop-in overrides ExecStart (an earlier version's listener, or the dropin
 * method): whether the ExecStart under it is what ours would be without our listener. Our
 * ExecStart= lines can go then, and nothing freezes the package's command line any more;
 * *ret_rest is that ExecStart. */
static bool can_unfreeze(const struct drs_host *h, const char *path, const struct drs_cmdline *without,
                         const struct drs_derive_opts *o, struct drs_cmdline *ret_rest) {
        struct drs_cmdline stripped = {0};
        struct drs_derive_opts none = {0};
        bool ok = false;

        if (execstart_without_dropin(h, path, ret_rest) < 0)
                goto out;
        /* Ours would only repeat it (say a path we corrected that the package has right). */
        if (cmdline_equal(ret_rest, without)) {
                ok = true;
                goto out;
        }
        if (o->dockerd_path || o->fd_without_socket || (o->extra_hosts && o->extra_hosts[0]))
                goto out;
        derive_execstart(ret_rest, &none, &stripped, NULL);
        ok = cmdline_equal(&stripped, ret_rest) && cmdline_equal(&stripped, without);
out:
        cmdline_done(&stripped);
        return ok;
}

/* Our ExecStart= lines go (the socket method: our boot lines too; docker-opts keeps them). */
static bool plan_unfreeze(struct drs_plan *p, const struct plan_ctx *c, const char *old, const char *cur) {
        struct drs_cmdline rest = {0};
        bool ok = old && unit_text_sets_execstart(old) && can_unfreeze(c->h, c->dropin_path, &c->without, &c->o, &rest);

        if (ok && p->method == METHOD_SOCKET)
                plan_service_dropin_removal(p, c->dropin_path, old, DROPIN_HEADER);
        else if (ok) {
                _cleanup_free_ char *exec = dropin_set_execstart(cur, NULL, NULL);
                boot_dropin(p, c, old, exec);
        }
        if (ok) {
                free(p->execstart_text);
                p->execstart_text = cmdline_format(&rest);
        }
        cmdline_done(&rest);
        return ok;
}

/* The findings about what the new ExecStart= replaces. */
static void note_replaced(struct drs_plan *p, const struct drs_derive_notes *notes) {
        for (size_t i = 0; notes->removed && i < strv_length(notes->removed); i++)
                if (!strv_contains(notes->added, notes->removed[i]))
                        plan_add_finding(p, LEVEL_NOTE,
                                         xasprintf(_("ExecStart= has \"%s\"; it is replaced"), notes->removed[i]),
                                         NULL);
}

/* The drop-in: both variants, the one with our listener and the one without. */
void plan_dropin(struct drs_plan *p, struct plan_ctx *c) {
        const struct drs_host *h = c->h;
        const struct drs_dropin_source *old = find_dropin(h, c->dropin_path);
        const char *old_text = old ? old->text : NULL;
        struct drs_cmdline with = {0};
        struct drs_derive_notes notes = {0};

        c->o.listen = &c->lf;
        derive_execstart(&c->base, &c->o, &with, &notes);
        c->o.listen = NULL;
        derive_execstart(&c->base, &c->o, &c->without, NULL);
        bool use_dropin = p->method == METHOD_DROPIN;
        const struct drs_cmdline *target = use_dropin ? &with : &c->without;
        bool needed = !cmdline_equal(target, &c->base);
        _cleanup_free_ char *line = cmdline_format(needed || !use_dropin ? target : &with);
        /* An earlier version's header says only ExecStart= is ours: now ours is more. */
        _cleanup_free_ char *cur = old_text && startswith(old_text, DROPIN_HEADER_V1)
                                           ? xasprintf("%s%s", DROPIN_HEADER, old_text + strlen(DROPIN_HEADER_V1))
                                           : NULL;

        p->execstart_text = cmdline_format(target);
        if (p->method != METHOD_DROPIN && plan_unfreeze(p, c, old_text, cur ? cur : old_text))
                ; /* our ExecStart= lines go: the vendor's ExecStart is in effect again */
        else if (p->method == METHOD_SOCKET && needed) {
                _cleanup_free_ char *exec = dropin_set_execstart(old_text, line, DROPIN_HEADER);
                plan_add_file(p, FILE_DROPIN, c->dropin_path, old_text, dropin_set_boot(exec, NULL, NULL), true);
        } else if (p->method == METHOD_SOCKET)
                boot_removal(p, c->dropin_path, old_text);
        else {
                _cleanup_free_ char *exec =
                        needed ? dropin_set_execstart(cur ? cur : old_text, line, DROPIN_HEADER) : NULL;
                boot_dropin(p, c, old_text, exec ? exec : cur ? cur : old_text);
        }
        if (needed)
                check_dropin_order(p, h, c->dropin_path);
        note_replaced(p, &notes);
        plan_socket_dropin(p, h, c->s, p->method == METHOD_SOCKET);
        if (p->method == METHOD_SOCKET) {
                plan_socket_clash(p, h, &c->units, &c->base);
                plan_socket_json(p, h, c->ca, c->cert, c->key);
        }
        derive_notes_done(&notes);
        cmdline_done(&with);
}
