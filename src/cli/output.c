/* output.c: printing plans, findings and diffs for the command line (text with optional colour, JSON). */
#include "output.h"

#include <json-c/json.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "udiff.h"
#include "util.h"

#define RED "\033[31m"
#define GREEN "\033[32m"
#define YELLOW "\033[33m"
#define CYAN "\033[36m"
#define BOLD "\033[1m"
#define RESET "\033[0m"

bool output_color(void) {
        const char *term = getenv("TERM");
        return isatty(STDOUT_FILENO) && !getenv("NO_COLOR") && term && !streq(term, "dumb");
}

void print_error(const char *fmt, ...) {
        va_list ap;
        fprintf(stderr, "%s: ", PACKAGE);
        va_start(ap, fmt);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
        fputc('\n', stderr);
}

static const char *const level_keys[] = {"ok", "note", "fix", "warn", "block"};
static const char *const level_labels[] = {N_("ok"), N_("note"), N_("fix"), N_("warn"), N_("BLOCK")};

const char *level_key(enum drs_level l) {
        return level_keys[l];
}

const char *level_label(enum drs_level l) {
        return _(level_labels[l]);
}

const char *file_state_key(const struct drs_file_change *f) {
        if (!f->new_text)
                return f->kept ? "kept" : "generated";
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
               : streq(k, "not-applied") ? _("not applied")
               : streq(k, "new")         ? _("new file")
               : streq(k, "unchanged")   ? _("unchanged")
                                         : _("changed");
}

const char *file_kind_key(enum drs_file_kind k) {
        return k == FILE_DROPIN ? "dropin" : k == FILE_DEFAULT ? "default" : k == FILE_DAEMON_JSON ? "daemon-json" : "tls";
}

static void print_diff(FILE *f, const char *diff, bool color) {
        _cleanup_strv_free_ char **lines = strv_split_lines(diff);
        for (size_t i = 0; lines[i]; i++) {
                const char *c = !color                            ? ""
                                : startswith(lines[i], "@@")       ? CYAN
                                : startswith(lines[i], "+")        ? GREEN
                                : startswith(lines[i], "-")        ? RED
                                                                   : "";
                fprintf(f, "%s%s%s\n", c, lines[i], *c ? RESET : "");
        }
}

static void print_labelled(FILE *f, const char *label, size_t width, const char *value) {
        struct drs_buf b = {0};
        buf_append_padded(&b, label, width);
        fprintf(f, "%s %s\n", b.data, value);
        buf_free(&b);
}

static void print_summary(FILE *f, const struct drs_plan *p) {
        const char *labels[] = {_("Listener:"), _("Security:"), _("Method:")};
        size_t w = 0;
        char a[46];
        _cleanup_free_ char *listener = NULL, *method = NULL;

        for (size_t i = 0; i < ELEMENTSOF(labels); i++)
                if (utf8_width(labels[i]) > w)
                        w = utf8_width(labels[i]);
        addr_to_string(&p->listener.addr, a);
        listener = p->listener.iface ? xasprintf(_("%s on %s, %s"), p->host_url, p->listener.iface,
                                                 addr_class_label(p->listener.cls))
                                     : xasprintf(_("%s, %s"), p->host_url, addr_class_label(p->listener.cls));
        print_labelled(f, labels[0], w, listener);
        print_labelled(f, labels[1], w,
                       p->mode == MODE_TLS ? _("TLS, client certificates required")
                                           : _("plain TCP, no authentication"));
        for (size_t i = 0; i < p->n_files; i++)
                if (p->files[i].kind == (p->method == METHOD_DROPIN ? FILE_DROPIN : FILE_DEFAULT))
                        method = p->method == METHOD_DROPIN
                                         ? xasprintf(_("systemd drop-in %s"), p->files[i].path)
                                         : xasprintf(_("DOCKER_OPTS in %s"), p->files[i].path);
        print_labelled(f, labels[2], w, method ? method : "-");
        if (p->base_text)
                fprintf(f, "%s\n  %s\n", _("ExecStart now:"), p->base_text);
        if (p->execstart_text)
                fprintf(f, "%s\n  %s\n", _("ExecStart after:"), p->execstart_text);
}

void print_findings(FILE *f, const struct drs_plan *p, enum drs_level min_level, bool color) {
        size_t w = 0;

        for (int l = LEVEL_OK; l <= LEVEL_BLOCK; l++)
                if (utf8_width(level_label(l)) > w)
                        w = utf8_width(level_label(l));
        for (size_t i = 0; i < p->n_findings; i++) {
                const struct drs_finding *d = &p->findings[i];
                if (d->level < min_level)
                        continue;
                const char *c = !color                       ? ""
                                : d->level == LEVEL_BLOCK    ? RED BOLD
                                : d->level == LEVEL_WARN     ? YELLOW
                                : d->level == LEVEL_OK       ? GREEN
                                                             : "";
                struct drs_buf b = {0};
                buf_append_padded(&b, level_label(d->level), w);
                fprintf(f, "  %s%s%s  %s\n", c, b.data, *c ? RESET : "", d->text);
                if (d->action) {
                        b.len = 0;
                        buf_append_padded(&b, "", w);
                        fprintf(f, "  %s  -> %s\n", b.data, d->action);
                }
                buf_free(&b);
        }
}

static void print_file(FILE *f, const struct drs_file_change *fc, const struct drs_plan *p, bool color) {
        _cleanup_free_ char *old_label = NULL, *new_label = NULL, *diff = NULL;

        if (!fc->new_text || (fc->applied && fc->old_text && streq(fc->old_text, fc->new_text)))
                return;
        fprintf(f, "\n%s=== %s (%s) ===%s\n", color ? BOLD : "", fc->path, file_state_label(fc), color ? RESET : "");
        if (!fc->applied)
                fprintf(f, "%s\n", fc->kind == FILE_DROPIN ? _("Shown for comparison: what --method dropin would write.")
                                                           : _("Shown for comparison: what --method docker-opts would write."));
        fputs(fc->new_text, f);
        if (*fc->new_text && fc->new_text[strlen(fc->new_text) - 1] != '\n')
                fputc('\n', f);
        old_label = xstrdup(fc->old_text ? fc->path : "/dev/null");
        new_label = xasprintf("%s (%s)", fc->path, fc->applied ? _("after") : _("if applied"));
        diff = udiff(old_label, fc->old_text, new_label, fc->new_text, 3);
        if (*diff) {
                fprintf(f, "%s\n", _("Diff:"));
                print_diff(f, diff, color);
        }
}

void print_plan(FILE *f, const struct drs_plan *p, bool color) {
        print_summary(f, p);
        fprintf(f, "\n%s\n", _("Pre-flight:"));
        print_findings(f, p, LEVEL_OK, color);
        fprintf(f, "\n%s\n", _("Files:"));
        for (size_t i = 0; i < p->n_files; i++) {
                struct drs_buf b = {0};
                buf_append_padded(&b, file_state_label(&p->files[i]), 20);
                fprintf(f, "  %s %s\n", b.data, p->files[i].path);
                buf_free(&b);
        }
        for (size_t i = 0; i < p->n_files; i++)
                print_file(f, &p->files[i], p, color);
        print_handoff(f, p);
}

void print_handoff(FILE *f, const struct drs_plan *p) {
        if (!p->client_lines)
                return;
        if (p->client_dir)
                fprintf(f, _("\nThe client bundle (ca.pem, cert.pem, key.pem): %s, also as one file: %s\n"),
                        p->client_dir, p->client_tar ? p->client_tar : "-");
        fprintf(f, "\n%s\n", _("On your workstation:"));
        for (size_t i = 0; p->client_lines[i]; i++)
                fprintf(f, "  %s\n", p->client_lines[i]);
}

static struct json_object *str_or_null(const char *s) {
        return s ? json_object_new_string(s) : NULL;
}

struct json_object *plan_to_json(const struct drs_plan *p) {
        struct json_object *o = json_object_new_object(), *l = json_object_new_object(), *a;
        char addr[46];

        json_object_object_add(l, "interface", str_or_null(p->listener.iface));
        json_object_object_add(l, "address", json_object_new_string(addr_to_string(&p->listener.addr, addr)));
        json_object_object_add(l, "port", json_object_new_int(p->listener.port));
        json_object_object_add(l, "class", json_object_new_string(addr_class_to_string(p->listener.cls)));
        json_object_object_add(l, "url", json_object_new_string(p->host_url));
        json_object_object_add(l, "listen", json_object_new_string(p->listen_text));
        json_object_object_add(o, "listener", l);
        json_object_object_add(o, "mode", json_object_new_string(mode_to_string(p->mode)));
        json_object_object_add(o, "method", json_object_new_string(method_to_string(p->method)));
        json_object_object_add(o, "execstart_now", str_or_null(p->base_text));
        json_object_object_add(o, "execstart_after", str_or_null(p->execstart_text));
        a = json_object_new_array();
        for (size_t i = 0; i < p->n_findings; i++) {
                struct json_object *d = json_object_new_object();
                json_object_object_add(d, "level", json_object_new_string(level_key(p->findings[i].level)));
                json_object_object_add(d, "text", json_object_new_string(p->findings[i].text));
                json_object_object_add(d, "action", str_or_null(p->findings[i].action));
                json_object_array_add(a, d);
        }
        json_object_object_add(o, "preflight", a);
        json_object_object_add(o, "blocked", json_object_new_boolean(p->blocked));
        json_object_object_add(o, "changes", json_object_new_boolean(p->changes));
        a = json_object_new_array();
        for (size_t i = 0; i < p->n_files; i++) {
                const struct drs_file_change *fc = &p->files[i];
                struct json_object *d = json_object_new_object();
                json_object_object_add(d, "path", json_object_new_string(fc->path));
                json_object_object_add(d, "kind", json_object_new_string(file_kind_key(fc->kind)));
                json_object_object_add(d, "applied", json_object_new_boolean(fc->applied));
                json_object_object_add(d, "state", json_object_new_string(file_state_key(fc)));
                json_object_object_add(d, "mode", json_object_new_int((int) fc->mode));
                if (!fc->secret) {
                        _cleanup_free_ char *diff = fc->new_text ? udiff(fc->old_text ? fc->path : "/dev/null", fc->old_text,
                                                                         fc->path, fc->new_text, 3)
                                                                 : NULL;
                        json_object_object_add(d, "content", str_or_null(fc->new_text));
                        json_object_object_add(d, "diff", str_or_null(diff));
                }
                json_object_array_add(a, d);
        }
        json_object_object_add(o, "files", a);
        a = json_object_new_array();
        for (size_t i = 0; p->client_lines && p->client_lines[i]; i++)
                json_object_array_add(a, json_object_new_string(p->client_lines[i]));
        json_object_object_add(o, "client", a);
        json_object_object_add(o, "client_dir", str_or_null(p->client_dir));
        json_object_object_add(o, "client_tar", str_or_null(p->client_tar));
        return o;
}
