/* output.c: printing plans, findings and diffs for the command line (text with optional colour, JSON). */
#include "output.h"

#include <json-c/json.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "udiff.h"
#include "render.h"
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

static const char *style_color(enum drs_style s) {
        switch (s) {
        case STYLE_HEADING:
                return BOLD;
        case STYLE_ADD:
        case STYLE_OK:
                return GREEN;
        case STYLE_DEL:
                return RED;
        case STYLE_BLOCK:
                return RED BOLD;
        case STYLE_HUNK:
                return CYAN;
        case STYLE_WARN:
                return YELLOW;
        default:
                return "";
        }
}

void print_rendered(FILE *f, const struct drs_rendered *r, bool color) {
        for (size_t i = 0; i < r->n; i++) {
                const char *c = color ? style_color(r->lines[i].style) : "";
                fprintf(f, "%s%s%s\n", c, r->lines[i].text, *c ? RESET : "");
        }
}

void print_plan(FILE *f, const struct drs_plan *p, bool color) {
        struct drs_rendered r;
        render_plan(p, true, &r);
        print_rendered(f, &r, color);
        rendered_done(&r);
}

void print_findings(FILE *f, const struct drs_plan *p, enum drs_level min_level, bool color) {
        struct drs_rendered r = {0};
        render_findings(p, min_level, &r);
        print_rendered(f, &r, color);
        rendered_done(&r);
}

void print_handoff(FILE *f, const struct drs_plan *p) {
        struct drs_rendered r = {0};
        render_handoff(p, &r);
        print_rendered(f, &r, false);
        rendered_done(&r);
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
        json_object_object_add(o, "method_reason", str_or_null(p->method_reason));
        a = json_object_new_array();
        for (size_t i = 0; p->allow_from && p->allow_from[i]; i++)
                json_object_array_add(a, json_object_new_string(p->allow_from[i]));
        json_object_object_add(o, "allow_from", a);
        json_object_object_add(o, "survives_late_address",
                               json_object_new_boolean(p->survives_late_address));
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
                                                    : fc->remove ? udiff(fc->path, fc->old_text, "/dev/null", NULL, 3)
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

struct json_object *strv_json(char *const *v) {
        struct json_object *a = json_object_new_array();
        for (size_t i = 0; v && v[i]; i++)
                json_object_array_add(a, json_object_new_string(v[i]));
        return a;
}

struct json_object *str_json(const char *s) {
        return s ? json_object_new_string(s) : NULL;
}
