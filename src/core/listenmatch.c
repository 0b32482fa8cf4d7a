/* listenmatch.c: recognizes dockerd's "API listen on" and failure lines in logrus text, JSON or bare form. */
#include "listenmatch.h"

#include <ctype.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "util.h"

/* One line split into its level and its human text; both NULL when the form is not known. */
struct parsed_line {
        char *level;
        char *msg;
};

static void parsed_line_done(struct parsed_line *p) {
        free(p->level);
        free(p->msg);
        *p = (struct parsed_line) {0};
}

/* Reads a Go-quoted string (strconv.Quote, what logrus writes) starting at the opening quote.
 * Returns the unescaped value and moves *p past the closing quote; NULL when unterminated. */
static char *unquote_go(const char **p) {
        const char *s = *p + 1;
        struct drs_buf b = {0};

        for (;;) {
                char c = *s;
                if (c == '\0') {
                        buf_free(&b);
                        return NULL;
                }
                s++;
                if (c == '"')
                        break;
                if (c != '\\') {
                        buf_append_c(&b, c);
                        continue;
                }
                c = *s;
                if (c == '\0') {
                        buf_free(&b);
                        return NULL;
                }
                s++;
                switch (c) {
                case 'n': buf_append_c(&b, '\n'); break;
                case 't': buf_append_c(&b, '\t'); break;
                case 'r': buf_append_c(&b, '\r'); break;
                case 'a': buf_append_c(&b, '\a'); break;
                case 'b': buf_append_c(&b, '\b'); break;
                case 'f': buf_append_c(&b, '\f'); break;
                case 'v': buf_append_c(&b, '\v'); break;
                case 'x':
                case 'u':
                case 'U': {
                        int n = c == 'x' ? 2 : c == 'u' ? 4 : 8, i;
                        uint32_t v = 0;
                        for (i = 0; i < n && unhexchar(s[i]) >= 0; i++)
                                v = v * 16 + (uint32_t) unhexchar(s[i]);
                        if (i < n) { /* not a valid escape: keep it as written */
                                buf_append_c(&b, '\\');
                                buf_append_c(&b, c);
                                break;
                        }
                        s += n;
                        if (c == 'x')
                                buf_append_c(&b, (char) v);
                        else
                                buf_append_utf8(&b, v);
                        break;
                }
                default: /* \" \\ and anything unknown */
                        buf_append_c(&b, c);
                }
        }
        *p = s;
        return buf_steal(&b);
}

/* logrus text format: `key=value key="quoted value" …`. Succeeds only when the whole line is
 * such pairs and one of them is msg, so that a bare message is never mistaken for it. */
static bool parse_logfmt(const char *line, struct parsed_line *ret) {
        struct parsed_line r = {0};
        const char *p = line;

        while (*p) {
                while (*p == ' ')
                        p++;
                if (!*p)
                        break;
                const char *key = p;
                while (*p && *p != '=' && *p != ' ' && *p != '"')
                        p++;
                if (*p != '=' || p == key)
                        goto fail;
                size_t keylen = (size_t) (p - key);
                p++;
                char *value;
                if (*p == '"') {
                        value = unquote_go(&p);
                        if (!value)
                                goto fail;
                        if (*p && *p != ' ') {
                                free(value);
                                goto fail;
                        }
                } else {
                        const char *v = p;
                        while (*p && *p != ' ')
                                p++;
                        value = xstrndup(v, (size_t) (p - v));
                }
                if (keylen == 3 && memcmp(key, "msg", 3) == 0 && !r.msg)
                        r.msg = value;
                else if (keylen == 5 && memcmp(key, "level", 5) == 0 && !r.level)
                        r.level = value;
                else
                        free(value);
        }
        if (!r.msg)
                goto fail;
        *ret = r;
        return true;
fail:
        parsed_line_done(&r);
        return false;
}

static bool parse_json(const char *line, struct parsed_line *ret) {
        struct parsed_line r = {0};
        json_object *o, *v;

        if (line[0] != '{')
                return false;
        o = json_tokener_parse(line);
        if (!o)
                return false;
        if (!json_object_is_type(o, json_type_object) || !json_object_object_get_ex(o, "msg", &v) ||
            !json_object_is_type(v, json_type_string)) {
                json_object_put(o);
                return false;
        }
        r.msg = xstrdup(json_object_get_string(v));
        if (json_object_object_get_ex(o, "level", &v) && json_object_is_type(v, json_type_string))
                r.level = xstrdup(json_object_get_string(v));
        json_object_put(o);
        *ret = r;
        return true;
}

static char *strip_trailing_space(char *s) {
        size_t n = strlen(s);
        while (n > 0 && isspace((unsigned char) s[n - 1]))
                s[--n] = '\0';
        return s;
}

/* Fills ret from the structured forms; leaves it empty for a bare message. */
static void parse_line(const char *message, struct parsed_line *ret) {
        _cleanup_free_ char *line = NULL;

        *ret = (struct parsed_line) {0};
        while (*message == ' ' || *message == '\t')
                message++;
        line = strip_trailing_space(xstrdup(message));
        if (!parse_json(line, ret))
                (void) parse_logfmt(line, ret);
}

char *listen_line_text(const char *message) {
        struct parsed_line p;

        parse_line(message, &p);
        if (p.msg) {
                free(p.level);
                return strip_trailing_space(p.msg);
        }
        return xstrdup(message);
}

bool listen_match(const char *message, char **ret_addr) {
        static const char prefix[] = "API listen on ";
        _cleanup_free_ char *text = NULL;
        const char *a;

        text = strip_trailing_space(listen_line_text(message));
        if (!startswith(text, prefix))
                return false;
        a = text + strlen(prefix);
        if (!*a || strpbrk(a, " \t\r\n"))
                return false;
        if (ret_addr)
                *ret_addr = xstrdup(a);
        return true;
}

static bool level_at_least(const char *level, bool include_error) {
        if (!level)
                return false;
        if (include_error && (strcasecmp(level, "error") == 0 || strcasecmp(level, "err") == 0))
                return true;
        return strcasecmp(level, "fatal") == 0 || strcasecmp(level, "panic") == 0;
}

/* "docker.service: Main process exited, code=…, status=…" is logged at notice level only for a
 * failing exit; with debug logging the clean exits appear as well and must not count. */
static bool main_process_failed(const char *message) {
        const char *p = strstr(message, "Main process exited, code=");
        if (!p)
                return false;
        p += strlen("Main process exited, code=");
        if (startswith(p, "exited, status="))
                return !startswith(p + strlen("exited, status="), "0/") &&
                       !streq(p + strlen("exited, status="), "0");
        if (startswith(p, "killed, status=")) {
                const char *sig = p + strlen("killed, status=");
                return !startswith(sig, "15/") && !startswith(sig, "1/") && !startswith(sig, "2/") &&
                       !startswith(sig, "13/");
        }
        return true; /* dumped */
}

/* systemd's own lines saying the unit's start or run failed. */
static bool systemd_unit_failed(const char *message) {
        return strstr(message, ": Failed with result '") || startswith(message, "Failed to start ") ||
               strstr(message, ": Start request repeated too quickly") || main_process_failed(message);
}

bool listen_line_is_fatal(const char *message) {
        struct parsed_line p;
        bool r;

        if (systemd_unit_failed(message))
                return true;
        parse_line(message, &p);
        r = level_at_least(p.level, false);
        parsed_line_done(&p);
        return r;
}

bool listen_line_is_error(const char *message) {
        struct parsed_line p;
        bool r;

        if (systemd_unit_failed(message) || strstr(message, ": Failed at step ") ||
            strstr(message, ": Failed to locate executable "))
                return true;
        parse_line(message, &p);
        r = level_at_least(p.level, true);
        parsed_line_done(&p);
        return r;
}

char *listen_line_level(const char *message) {
        struct parsed_line p;
        parse_line(message, &p);
        free(p.msg);
        return p.level;
}

/* systemd's own lines about a unit, as opposed to what the daemon wrote. */
static bool systemd_line(const char *m) {
        static const char *const prefixes[] = {"Starting ", "Started ", "Stopping ", "Stopped ", "Failed to start ",
                                               "Reloading ", "Reloaded ", "Finished "};
        for (size_t i = 0; i < ELEMENTSOF(prefixes); i++)
                if (startswith(m, prefixes[i]))
                        return true;
        return strstr(m, ".service: ") != NULL;
}

char *listen_failure_reason(char *const *lines) {
        size_t n = strv_length(lines);

        /* A fatal line of the daemon says it best. */
        for (size_t i = n; i > 0; i--) {
                struct parsed_line p;
                bool fatal;
                parse_line(lines[i - 1], &p);
                fatal = p.msg && level_at_least(p.level, false);
                if (fatal) {
                        free(p.level);
                        return p.msg;
                }
                parsed_line_done(&p);
        }
        /* Else what dockerd printed bare to stderr before exiting ("failed to load listeners: …"). */
        for (size_t i = n; i > 0; i--) {
                struct parsed_line p;
                const char *m = lines[i - 1];
                parse_line(m, &p);
                bool bare = !p.level && !p.msg;
                parsed_line_done(&p);
                if (bare && *m && !systemd_line(m))
                        return strip_trailing_space(xstrdup(m));
        }
        /* Else systemd's account: what it could not execute, else how the process ended. */
        for (size_t i = 0; i < n; i++)
                if (strstr(lines[i], ": Failed to locate executable ") || strstr(lines[i], ": Failed at step "))
                        return xstrdup(lines[i]);
        for (size_t i = n; i > 0; i--)
                if (main_process_failed(lines[i - 1]) || strstr(lines[i - 1], ": Start request repeated too quickly"))
                        return xstrdup(lines[i - 1]);
        return NULL;
}
