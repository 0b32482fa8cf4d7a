/* render.c: the plan as styled text lines, shown the same way by the command line and the wizard. */
#include "render.h"

#include <string.h>

#include "i18n.h"
#include "udiff.h"
#include "util.h"

static const char *const level_keys[] = {"ok", "note", "fix", "warn", "block"};
/* TRANSLATORS: pre-flight levels, shown in a column; keep each under 7 columns. */
static const char *const level_labels[] = {N_("ok"), N_("note"), N_("fix"), N_("warn"), N_("BLOCK")};

const char *level_key(enum drs_level l) {
        return level_keys[l];
}

const char *level_label(enum drs_level l) {
        return _(level_labels[l]);
}

enum drs_style level_style(enum drs_level l) {
        return l == LEVEL_BLOCK ? STYLE_BLOCK : l == LEVEL_WARN ? STYLE_WARN : l == LEVEL_OK ? STYLE_OK : STYLE_PLAIN;
}

const char *file_state_key(const struct drs_file_change *f) {
        if (f->remove)
                return "removed";
        if (!f->new_text)
                return f->kept ? "kept" : f->unknown ? "unreadable" : "generated";
        if (!f->applied)
                return "not-applied";
        if (!f->old_text)
                return "new";
        return streq(f->old_text, f->new_text) ? "unchanged" : "changed";
}

const char *file_state_label(const struct drs_file_change *f) {
        const char *k = file_state_key(f);
        return streq(k, "kept")          ? _("kept")
               : streq(k, "generated")   ? _("generated at apply")
               : streq(k, "unreadable")  ? _("cannot read as this user")
               : streq(k, "not-applied") ? _("not applied")
               : streq(k, "new")         ? _("new file")
               : streq(k, "unchanged")   ? _("unchanged")
               : streq(k, "removed")     ? _("removed")
                                         : _("changed");
}

const char *file_kind_key(enum drs_file_kind k) {
        return k == FILE_DROPIN ? "dropin" : k == FILE_SOCKET_DROPIN ? "socket-dropin" : k == FILE_DEFAULT ? "default" : k == FILE_DAEMON_JSON ? "daemon-json" : "tls";
}

void rendered_add(struct drs_rendered *r, enum drs_style s, char *text) {
        r->lines = xrealloc(r->lines, (r->n + 1) * sizeof(*r->lines));
        r->lines[r->n++] = (struct drs_rline) {.text = text, .style = s};
}

void rendered_add_verbatim(struct drs_rendered *r, enum drs_style s, char *text) {
        rendered_add(r, s, text);
        r->lines[r->n - 1].verbatim = true;
}

void rendered_done(struct drs_rendered *r) {
        for (size_t i = 0; i < r->n; i++)
                free(r->lines[i].text);
        free(r->lines);
        *r = (struct drs_rendered) {0};
}

static void add_padded(struct drs_rendered *r, enum drs_style s, const char *indent, const char *label, size_t width,
                       const char *value) {
        struct drs_buf b = {0};
        buf_append(&b, indent);
        buf_append_padded(&b, label, width);
        buf_appendf(&b, " %s", value);
        rendered_add(r, s, buf_steal(&b));
        if (*label)
                r->lines[r->n - 1].hang = utf8_width(indent) + width + 1;
}

static size_t widest(const char *const *labels, size_t n) {
        size_t w = 0;
        for (size_t i = 0; i < n; i++)
                if (utf8_width(labels[i]) > w)
                        w = utf8_width(labels[i]);
        return w;
}

static void render_summary(const struct drs_plan *p, struct drs_rendered *r) {
        const char *labels[] = {_("Listener:"), _("Security:"), _("Method:"), _("Allowed from:")};
        bool allow = strv_length(p->allow_from) > 0;
        size_t w = widest(labels, ELEMENTSOF(labels) - !allow);
        _cleanup_free_ char *listener = NULL, *method = NULL;

        listener = p->listener.iface ? xasprintf(_("%s on %s, %s"), p->host_url, p->listener.iface,
                                                 addr_class_label(p->listener.cls))
                                     : xasprintf(_("%s, %s"), p->host_url, addr_class_label(p->listener.cls));
        add_padded(r, STYLE_PLAIN, "", labels[0], w, listener);
        add_padded(r, STYLE_PLAIN, "", labels[1], w,
                   p->mode == MODE_TLS ? _("TLS, client certificates required") : _("plain TCP, no authentication"));
        for (size_t i = 0; i < p->n_files; i++)
                if (p->files[i].kind == (p->method == METHOD_DROPIN   ? FILE_DROPIN
                                         : p->method == METHOD_SOCKET ? FILE_SOCKET_DROPIN
                                                                      : FILE_DEFAULT))
                        method = p->method == METHOD_DROPIN   ? xasprintf(_("systemd drop-in %s"), p->files[i].path)
                                 : p->method == METHOD_SOCKET ? xasprintf(_("docker.socket drop-in %s"), p->files[i].path)
                                                              : xasprintf(_("DOCKER_OPTS in %s"), p->files[i].path);
        add_padded(r, STYLE_PLAIN, "", labels[2], w, method ? method : "-");
        if (p->method_reason)
                add_padded(r, STYLE_DIM, "", "", w, p->method_reason);
        if (allow) {
                _cleanup_free_ char *list = render_allow_list(p);
                add_padded(r, STYLE_PLAIN, "", labels[3], w, list);
        }
        if (p->base_text) {
                rendered_add(r, STYLE_HEADING, xstrdup(_("ExecStart now:")));
                rendered_add_verbatim(r, STYLE_PLAIN, xasprintf("  %s", p->base_text));
        }
        if (p->execstart_text) {
                rendered_add(r, STYLE_HEADING, xstrdup(_("ExecStart after:")));
                rendered_add_verbatim(r, STYLE_PLAIN, xasprintf("  %s", p->execstart_text));
        }
}

void render_findings(const struct drs_plan *p, enum drs_level min_level, struct drs_rendered *r) {
        const char *labels[LEVEL_BLOCK + 1];
        size_t w;

        for (int l = LEVEL_OK; l <= LEVEL_BLOCK; l++)
                labels[l] = level_label(l);
        w = widest(labels, ELEMENTSOF(labels)) + 1; /* two spaces before the text */
        for (size_t i = 0; i < p->n_findings; i++) {
                const struct drs_finding *d = &p->findings[i];
                if (d->level < min_level)
                        continue;
                add_padded(r, level_style(d->level), "  ", level_label(d->level), w, d->text);
                if (d->action) {
                        _cleanup_free_ char *a = xasprintf("-> %s", d->action);
                        add_padded(r, STYLE_DIM, "  ", "", w, a);
                }
        }
}

void render_diff(const char *diff, struct drs_rendered *out) {
        _cleanup_strv_free_ char **lines = strv_split_lines(diff);
        for (size_t i = 0; lines[i]; i++) {
                const char *l = lines[i];
                enum drs_style s = startswith(l, "@@") || startswith(l, "--- ") || startswith(l, "+++ ") ? STYLE_HUNK
                                   : l[0] == '+'                                                         ? STYLE_ADD
                                   : l[0] == '-'                                                         ? STYLE_DEL
                                                                                                         : STYLE_PLAIN;
                rendered_add_verbatim(out, s, xstrdup(l));
        }
}

static void render_file(const struct drs_file_change *fc, bool show_compared, struct drs_rendered *r) {
        _cleanup_free_ char *new_label = NULL, *diff = NULL;
        _cleanup_strv_free_ char **lines = NULL;

        if (fc->remove) {
                rendered_add(r, STYLE_PLAIN, xstrdup(""));
                rendered_add(r, STYLE_HEADING, xasprintf("=== %s (%s) ===", fc->path, file_state_label(fc)));
                diff = udiff(fc->path, fc->old_text, "/dev/null", NULL, 3);
                render_diff(diff, r);
                return;
        }
        if (!fc->new_text || (fc->applied && fc->old_text && streq(fc->old_text, fc->new_text)))
                return;
        rendered_add(r, STYLE_PLAIN, xstrdup(""));
        rendered_add(r, STYLE_HEADING, xasprintf("=== %s (%s) ===", fc->path, file_state_label(fc)));
        if (!fc->applied && !show_compared) {
                /* The other method, for comparison only: one line unless asked for (the wizard's d). */
                rendered_add(r, STYLE_DIM,
                             xstrdup(fc->kind == FILE_DROPIN
                                             ? _("Not used: the systemd drop-in that --method dropin would write instead "
                                                 "(d shows it).")
                                             : _("Not used: the DOCKER_OPTS line that --method docker-opts would write "
                                                 "instead (d shows it).")));
                return;
        }
        if (!fc->applied)
                rendered_add(r, STYLE_DIM,
                             xstrdup(fc->kind == FILE_DROPIN ? _("Shown for comparison: what --method dropin would write.")
                                                             : _("Shown for comparison: what --method docker-opts would write.")));
        lines = strv_split_lines(fc->new_text);
        for (size_t i = 0; lines[i]; i++)
                rendered_add_verbatim(r, fc->applied ? STYLE_PLAIN : STYLE_DIM, xstrdup(lines[i]));
        new_label = xasprintf("%s (%s)", fc->path, fc->applied ? _("after") : _("if applied"));
        diff = udiff(fc->old_text ? fc->path : "/dev/null", fc->old_text, new_label, fc->new_text, 3);
        if (*diff) {
                rendered_add(r, STYLE_HEADING, xstrdup(_("Diff:")));
                render_diff(diff, r);
        }
}

void render_plan(const struct drs_plan *p, bool show_compared, struct drs_rendered *r) {
        *r = (struct drs_rendered) {0};
        render_summary(p, r);
        rendered_add(r, STYLE_PLAIN, xstrdup(""));
        rendered_add(r, STYLE_HEADING, xstrdup(_("Pre-flight:")));
        render_findings(p, LEVEL_OK, r);
        rendered_add(r, STYLE_PLAIN, xstrdup(""));
        rendered_add(r, STYLE_HEADING, xstrdup(_("Files:")));
        for (size_t i = 0; i < p->n_files; i++) {
                struct drs_buf b = {0};
                buf_append(&b, "  ");
                buf_append_padded(&b, file_state_label(&p->files[i]), 20);
                buf_appendf(&b, " %s", p->files[i].path);
                rendered_add(r, p->files[i].applied ? STYLE_PLAIN : STYLE_DIM, buf_steal(&b));
        }
        for (size_t i = 0; i < p->n_files; i++)
                render_file(&p->files[i], show_compared, r);
        render_handoff(p, r);
}

const char *render_handoff_heading(const struct drs_plan *p) {
        return p->client_local ? _("On this host (the listener is on loopback: other machines cannot reach it):")
                               : _("On your workstation:");
}

char *render_allow_list(const struct drs_plan *p) {
        struct drs_buf b = {0};
        for (size_t i = 0; p->allow_from && p->allow_from[i]; i++)
                buf_appendf(&b, "%s%s", i ? ", " : "", p->allow_from[i]);
        return b.data ? buf_steal(&b) : xstrdup("");
}

void render_handoff(const struct drs_plan *p, struct drs_rendered *r) {
        if (!p->client_lines)
                return;
        if (strv_length(p->allow_from) > 0) {
                _cleanup_free_ char *list = render_allow_list(p);
                rendered_add(r, STYLE_PLAIN, xstrdup(""));
                rendered_add(r, STYLE_PLAIN, xasprintf(_("Only these may connect (systemd filters docker.socket): %s"), list));
        }
        if (p->client_dir) {
                rendered_add(r, STYLE_PLAIN, xstrdup(""));
                rendered_add(r, STYLE_PLAIN,
                             xasprintf(_("The client bundle (ca.pem, cert.pem, key.pem): %s, also as one file: %s"),
                                       p->client_dir, p->client_tar ? p->client_tar : "-"));
        }
        rendered_add(r, STYLE_PLAIN, xstrdup(""));
        rendered_add(r, STYLE_HEADING, xstrdup(render_handoff_heading(p)));
        for (size_t i = 0; p->client_lines[i]; i++)
                rendered_add_verbatim(r, STYLE_PLAIN, xasprintf("  %s", p->client_lines[i]));
}
