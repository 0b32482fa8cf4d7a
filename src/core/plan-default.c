/* plan-default.c: /etc/default/docker: our DOCKER_OPTS with the docker-opts method; with the
 * others, only the TCP listeners and TLS flags of an older setup removed. */
#include <string.h>

#include "derive.h"
#include "dockerflags.h"
#include "envfile.h"
#include "i18n.h"
#include "plan-internal.h"
#include "util.h"

#define DEFAULT_COMMENT "# The Docker daemon's TCP listener (docker-remote-setup).\n"

static char *join_words(char *const *v) {
        struct drs_buf b = {0};
        for (size_t i = 0; v && v[i]; i++)
                buf_appendf(&b, "%s%s", i ? " " : "", v[i]);
        return buf_steal(&b);
}

/* DOCKER_OPTS with our listener: what is kept of it, the local sockets out of daemon.json, and
 * our flags (a local socket of ours only when nothing else gives one). */
static char **default_words(const struct plan_ctx *c, bool other) {
        /* The socket an earlier run added after its listener comes back after ours when
         * nothing else gives a local socket: running twice writes the same line. */
        _cleanup_strv_free_ char **moved = derive_words_without_added_socket(c->def.words),
                                 **moved_kept = derive_strip_words(moved, NULL);
        bool move = !other && !dockerflags_has_local_host(moved_kept);
        char *const *kept = move ? moved_kept : c->def.kept;
        /* Words from a "--" on are no options (dockerd would not read ours there): ours go before. */
        size_t n_opts = 0;
        while (kept && kept[n_opts] && !streq(kept[n_opts], "--"))
                n_opts++;
        char **all = NULL;
        for (size_t i = 0; i < n_opts; i++)
                strv_push(&all, kept[i]);

        /* The local sockets taken out of daemon.json: in the drop-in's ExecStart, and here
         * when DOCKER_OPTS is the method (no drop-in is written then). */
        for (size_t i = 0; c->extra_hosts && c->extra_hosts[i]; i++) {
                strv_push(&all, "-H");
                strv_push(&all, c->extra_hosts[i]);
        }
        bool local = other || dockerflags_has_local_host(all);
        _cleanup_strv_free_ char **ours = derive_listen_words(&c->lf, !local);
        for (size_t i = 0; ours[i]; i++)
                strv_push(&all, ours[i]);
        for (size_t i = n_opts; kept && kept[i]; i++)
                strv_push(&all, kept[i]);
        return all;
}

/* DOCKER_OPTS without our listener: stripped, the socket an earlier run added with its listener
 * goes with it when ExecStart= gives a local socket anyway (dockerd would listen on it twice). */
static char *default_value_without(const struct plan_ctx *c, bool other) {
        _cleanup_strv_free_ char **moved = derive_words_without_added_socket(c->def.words),
                                 **moved_kept = derive_strip_words(moved, NULL);
        return join_words(other ? moved_kept : c->def.kept);
}

void plan_default(struct drs_plan *p, struct plan_ctx *c) {
        const struct drs_host *h = c->h;
        const struct default_info *def = &c->def;
        bool use_default = p->method == METHOD_DOCKER_OPTS;
        /* A local socket in the ExecStart= that runs with DOCKER_OPTS (the one without our
         * listener, as the drop-in would have it): what a second run reads back. */
        bool other = h->systemd &&
                     derive_has_local_host(c->without.words, c->without.n_words, cmdline_first_arg(&c->without));
        _cleanup_strv_free_ char **all = default_words(c, other);
        _cleanup_free_ char *with_v = join_words(all), *without_v = default_value_without(c, other);
        bool strip_needed = !use_default && def->read_by_unit && def->notes.removed;

        if (use_default && h->systemd && (!def->read_by_unit || def->braced))
                plan_add_finding(p, LEVEL_BLOCK,
                                 xstrdup(def->braced ? _("ExecStart= passes ${DOCKER_OPTS} as one argument, so "
                                                         "it cannot carry flags")
                                                     : _("docker.service does not read DOCKER_OPTS from "
                                                         "/etc/default/docker (docker-ce's unit does not)")),
                                 xstrdup(_("use --method dropin")));
        if (use_default && !envfile_value_safe(with_v))
                plan_add_finding(p, LEVEL_BLOCK,
                                 xstrdup(_("DOCKER_OPTS would need quoting that dockerd's unit cannot pass on")),
                                 xstrdup(_("choose a TLS directory without spaces, quotes or '$'")));
        if (strip_needed)
                plan_add_finding(p, LEVEL_FIX,
                                 xasprintf(_("DOCKER_OPTS in /etc/default/docker sets \"%s\""), def->notes.removed[0]),
                                 xstrdup(_("removed there; the listener is set in the drop-in")));
        if (use_default)
                p->execstart_text = p->execstart_text ? p->execstart_text : xstrdup("dockerd $DOCKER_OPTS");
        plan_add_file(p, FILE_DEFAULT, DRS_DEFAULT_DOCKER, h->default_docker_text,
                      envfile_set(h->default_docker_text, &def->env, "DOCKER_OPTS",
                                  use_default || !strip_needed ? with_v : without_v, DEFAULT_COMMENT),
                      use_default || strip_needed);
}
