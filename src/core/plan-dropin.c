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

/* The effective ExecStart without the drop-in at path. */
static int execstart_without_dropin(const struct drs_host *h, const char *path, struct drs_cmdline *ret) {
        struct drs_host rest = *h;
        struct drs_unitset u = {0};
        _cleanup_free_ struct drs_dropin_source *d = xcalloc(h->n_dropins + 1, sizeof(*d));
        int r;

        rest.n_dropins = 0;
        for (size_t i = 0; i < h->n_dropins; i++)
                if (!streq(h->dropins[i].path, path))
                        d[rest.n_dropins++] = h->dropins[i];
        rest.dropins = d;
        r = unitset_load(&rest, &u, NULL);
        if (r >= 0)
                r = unitset_execstart(&u, ret, NULL, NULL);
        unitset_done(&u);
        return r;
}

/* Socket method on a host where our drop-in overrides ExecStart (an earlier version's listener):
 * when the ExecStart under it is what ours would be without our listener, our ExecStart= lines
 * go, and nothing freezes the package's command line any more. */
static bool plan_socket_unfreeze(struct drs_plan *p, const struct drs_host *h, const char *path,
                                 const struct drs_cmdline *without, const struct drs_derive_opts *o) {
        struct drs_cmdline rest = {0}, stripped = {0};
        struct drs_derive_opts none = {0};
        bool ok = false;

        if (o->dockerd_path || o->fd_without_socket || (o->extra_hosts && o->extra_hosts[0]) ||
            execstart_without_dropin(h, path, &rest) < 0)
                goto out;
        derive_execstart(&rest, &none, &stripped, NULL);
        ok = cmdline_equal(&stripped, &rest) && cmdline_equal(&stripped, without);
        if (ok) {
                plan_service_dropin_removal(p, path, find_dropin(h, path)->text, DROPIN_HEADER);
                free(p->execstart_text);
                p->execstart_text = cmdline_format(&rest);
        }
out:
        cmdline_done(&rest);
        cmdline_done(&stripped);
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

        p->execstart_text = cmdline_format(target);
        if (p->method == METHOD_SOCKET && old_text && unit_text_sets_execstart(old_text) &&
            plan_socket_unfreeze(p, h, c->dropin_path, &c->without, &c->o))
                ; /* our ExecStart= lines go: the vendor's ExecStart is in effect again */
        else if (p->method != METHOD_SOCKET || needed)
                plan_add_file(p, FILE_DROPIN, c->dropin_path, old_text,
                              dropin_set_execstart(old_text, line, DROPIN_HEADER), needed);
        if (needed)
                check_dropin_order(p, h, c->dropin_path);
        note_replaced(p, &notes);
        plan_socket_dropin(p, h, c->s, p->method == METHOD_SOCKET);
        if (p->method == METHOD_SOCKET) {
                plan_socket_clash(p, &c->units, h->daemon_json_path);
                plan_socket_json(p, h, c->ca, c->cert, c->key);
        }
        derive_notes_done(&notes);
        cmdline_done(&with);
}
