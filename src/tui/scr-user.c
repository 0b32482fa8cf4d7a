/* scr-user.c: the screens after Port & security for a user's rootless daemon (issue 19): the user
 * plan's problems (Pre-flight), its drop-in (Preview) and the hand-off (Done), as the commands
 * with --user say them. */
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "util.h"
#include "wizard.h"

/* A translated line of the commands' output, without its newline. */
static char *line_of(char *text) {
        size_t n = strlen(text);
        if (n && text[n - 1] == '\n')
                text[n - 1] = '\0';
        return text;
}

static void user_findings(struct wizard *w, struct drs_rendered *f) {
        const struct drs_user_plan *p = w->uplan;
        bool same = p->old_text && p->new_text && streq(p->old_text, p->new_text) && !p->json_new &&
                    (p->mode == MODE_PLAIN || p->tls.reusable);

        for (size_t i = 0; p->problems && p->problems[i]; i++)
                rendered_add(f, STYLE_BLOCK, xasprintf("  %s  %s", level_label(LEVEL_BLOCK), p->problems[i]));
        if (!p->problems)
                rendered_add(f, STYLE_OK, xstrdup(_("  Nothing to report.")));
        rendered_add(f, STYLE_PLAIN, xstrdup(""));
        rendered_add(f, p->problems ? STYLE_BLOCK : STYLE_OK,
                     xstrdup(p->problems ? _("Resolve the BLOCK items first; nothing can be applied as it is.")
                             : same      ? _("This configuration is already in place: nothing to do.")
                                         : _("Enter shows the files that will be written.")));
}

/* A file to be written: its path, whether it is new, its lines (verbatim: scrolled, not wrapped). */
static void file_lines(struct drs_rendered *v, const char *path, const char *how, const char *text) {
        _cleanup_strv_free_ char **lines = strv_split_lines(text);

        rendered_add(v, STYLE_PLAIN, xstrdup(""));
        rendered_add_verbatim(v, STYLE_HEADING, xasprintf("%s %s:", path, how));
        for (size_t i = 0; lines[i]; i++)
                rendered_add_verbatim(v, STYLE_PLAIN, xasprintf("  %s", lines[i]));
}

/* As preview --user prints it: the daemon, what rootlesskit and dockerd will do, the drop-in. */
static void user_preview(const struct drs_user_plan *p, struct drs_rendered *v) {
        rendered_add(v, STYLE_HEADING,
                     line_of(xasprintf(_("Rootless Docker of user %s (uid %u): %s\n"), p->user, p->uid, p->unit_path)));
        for (size_t i = 0; p->describe && p->describe[i]; i++)
                rendered_add(v, STYLE_PLAIN, xasprintf("  - %s", p->describe[i]));
        char *tls = user_plan_tls_text(p);
        if (tls)
                rendered_add(v, STYLE_PLAIN, xasprintf("  - %s", tls));
        free(tls);
        if (p->new_text)
                file_lines(v, p->dropin_path, p->old_text ? _("(replaced)") : _("(new)"), p->new_text);
        if (p->json_new)
                file_lines(v, p->json_path, _("(replaced)"), p->json_new);
}

void user_preflight_enter(struct wizard *w) {
        struct drs_rendered f = {0}, v = {0};
        struct drs_diag d = {0};

        user_plan_free(w->uplan);
        w->uplan = NULL;
        if (engine_user_plan(w->root, w->user, &w->s, &w->uplan, &d) < 0) {
                preflight_failed(w, &d);
                return;
        }
        user_findings(w, &f);
        textview_set(&w->findings, &f);
        user_preview(w->uplan, &v);
        textview_set(&w->preview, &v);
        free(w->host_url);
        free(w->listen_text);
        w->host_url = strchr(w->uplan->addr, ':') ? xasprintf("tcp://[%s]:%u", w->uplan->addr, w->uplan->port)
                                                  : xasprintf("tcp://%s:%u", w->uplan->addr, w->uplan->port);
        /* dockerd listens inside rootlesskit's namespace, on every address: so it says */
        w->listen_text = xstrdup(w->uplan->listen_text);
}

bool user_blocked(const struct wizard *w) {
        return !w->uplan || w->uplan->problems || !w->uplan->new_text;
}

/* DOCKER_HOST (and for TLS the client bundle the apply wrote), as apply --user prints it. */
static char *client_line(const struct wizard *w) {
        const struct drs_user_plan *p = w->uplan;
        if (p->mode == MODE_TLS)
                return xasprintf("DOCKER_HOST=%s DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH=%s/client docker version",
                                 w->host_url, p->tls_dir);
        return xasprintf("DOCKER_HOST=%s docker version", w->host_url);
}

bool user_handoff(const struct wizard *w) {
        return w->uplan && w->host_url &&
               (w->preview_only || w->res.outcome == OUTCOME_KEPT || w->res.outcome == OUTCOME_PENDING ||
                w->res.outcome == OUTCOME_NOTHING);
}

void user_done_lines(const struct wizard *w, struct drs_rendered *r) {
        _cleanup_free_ char *line = NULL;
        if (!user_handoff(w))
                return;
        line = client_line(w);
        rendered_add(r, STYLE_PLAIN, xstrdup(""));
        rendered_add(r, STYLE_HEADING, xstrdup(_("Docker clients use it with:")));
        rendered_add_verbatim(r, STYLE_PLAIN, xasprintf("  %s", line));
        if (w->uplan->mode == MODE_TLS) {
                rendered_add(r, STYLE_PLAIN, xstrdup(""));
                rendered_add(r, STYLE_PLAIN,
                             xasprintf(_("The client bundle (ca.pem, cert.pem, key.pem) is in %s/client, readable by %s "
                                         "only: copy it to your workstation."),
                                       w->uplan->tls_dir, w->uplan->user));
        }
        rendered_add(r, STYLE_PLAIN, xstrdup(""));
        rendered_add(r, STYLE_DIM, xstrdup(_("These lines are printed again when the wizard closes, to copy them whole.")));
}

void user_done_print(const struct wizard *w, FILE *f) {
        _cleanup_free_ char *line = NULL;
        if (!user_handoff(w))
                return;
        line = client_line(w);
        if (w->preview_only)
                fprintf(f, "%s\n", _("Preview only: nothing was written. After a real apply, this is how to use the new "
                                     "endpoint:"));
        fprintf(f, "%s\n  %s\n", _("Docker clients use it with:"), line);
}
