/* daemonjson.c: the parts of dockerd's daemon.json that clash with command-line flags. */
#include "daemonjson.h"

#include <errno.h>
#include <json-c/json.h>
#include <string.h>

#include "i18n.h"
#include "util.h"

static const char *const tls_keys[] = {"tls", "tlsverify", "tlscacert", "tlscert", "tlskey"};

static bool blank(const char *s) {
        return s[strspn(s, " \t\r\n")] == '\0';
}

static void line_of(const char *text, size_t offset, unsigned *ret_line, unsigned *ret_col) {
        unsigned line = 1, col = 1;
        for (size_t i = 0; i < offset && text[i]; i++) {
                if (text[i] == '\n') {
                        line++;
                        col = 1;
                } else
                        col++;
        }
        *ret_line = line;
        *ret_col = col;
}

static int parse_object(const char *path, const char *text, struct json_object **ret, struct drs_diag *diag) {
        struct json_tokener *tok = json_tokener_new();
        struct json_object *o;
        size_t len = strlen(text);
        unsigned line, col;

        json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
        o = json_tokener_parse_ex(tok, text, (int) len);
        enum json_tokener_error err = json_tokener_get_error(tok);
        size_t off = json_tokener_get_parse_end(tok);
        json_tokener_free(tok);

        if (err != json_tokener_success || !o) {
                line_of(text, off, &line, &col);
                diag_set(diag, path, line, _("not valid JSON (column %u: %s)"), col,
                         err == json_tokener_continue ? _("unexpected end of file")
                                                      : json_tokener_error_desc(err));
                json_object_put(o);
                return -EBADMSG;
        }
        if (!blank(text + off)) {
                line_of(text, off, &line, &col);
                diag_set(diag, path, line, _("not valid JSON (column %u: text after the end of the object)"), col);
                json_object_put(o);
                return -EBADMSG;
        }
        if (!json_object_is_type(o, json_type_object)) {
                diag_set(diag, path, 1, _("the top level must be a JSON object"));
                json_object_put(o);
                return -EBADMSG;
        }
        *ret = o;
        return 0;
}

int daemonjson_parse(const char *path, const char *text, struct drs_daemon_json *ret, struct drs_diag *diag) {
        struct drs_daemon_json j = {0};
        struct json_object *o = NULL, *hosts;
        int r;

        if (blank(text)) {
                *ret = j;
                return 0;
        }
        r = parse_object(path, text, &o, diag);
        if (r < 0)
                return r;
        if (json_object_object_get_ex(o, "hosts", &hosts)) {
                j.has_hosts = true;
                j.hosts = xcalloc(1, sizeof(char *));
                if (json_object_is_type(hosts, json_type_string))
                        strv_push(&j.hosts, json_object_get_string(hosts));
                else if (json_object_is_type(hosts, json_type_array)) {
                        for (size_t i = 0; i < json_object_array_length(hosts); i++) {
                                struct json_object *h = json_object_array_get_idx(hosts, i);
                                if (!json_object_is_type(h, json_type_string)) {
                                        diag_set(diag, path, 0, _("\"hosts\" must be a list of strings"));
                                        daemonjson_done(&j);
                                        json_object_put(o);
                                        return -EBADMSG;
                                }
                                strv_push(&j.hosts, json_object_get_string(h));
                        }
                } else {
                        diag_set(diag, path, 0, _("\"hosts\" must be a list of strings"));
                        daemonjson_done(&j);
                        json_object_put(o);
                        return -EBADMSG;
                }
        }
        for (size_t i = 0; i < ELEMENTSOF(tls_keys); i++)
                if (json_object_object_get_ex(o, tls_keys[i], NULL))
                        strv_push(&j.tls_keys, tls_keys[i]);
        {
                struct json_object *v;
                if (json_object_object_get_ex(o, "log-level", &v) && json_object_is_type(v, json_type_string))
                        j.log_level = xstrdup(json_object_get_string(v));
                j.debug = json_object_object_get_ex(o, "debug", &v) && json_object_is_type(v, json_type_boolean) &&
                          json_object_get_boolean(v);
        }
        json_object_put(o);
        *ret = j;
        return 0;
}

void daemonjson_done(struct drs_daemon_json *j) {
        strv_free(j->hosts);
        strv_free(j->tls_keys);
        free(j->log_level);
        *j = (struct drs_daemon_json) {0};
}

static const char *skip_ws(const char *p) {
        return p + strspn(p, " \t\r\n");
}

static const char *skip_string(const char *p) {
        for (p++; *p && *p != '"'; p++)
                if (*p == '\\' && p[1])
                        p++;
        return *p ? p + 1 : p;
}

static bool is_number(struct json_object *o) {
        return o && (json_object_is_type(o, json_type_int) || json_object_is_type(o, json_type_double));
}

/* Walks text (JSON that json-c accepted) alongside the tree made of it and has each number
 * written back as it was written: json-c would write 123456789012345678901234567890 as
 * 18446744073709551615 (and 1.0 as 1.0 only by luck). With a key given twice, the last value
 * is json-c's and is walked last. Returns the position after the value at p. */
static const char *keep_numbers(const char *p, struct json_object *o) {
        p = skip_ws(p);
        if (*p == '{' || *p == '[') {
                char close = *p == '{' ? '}' : ']';
                size_t i = 0;
                for (p = skip_ws(p + 1); *p && *p != close; p = skip_ws(p)) {
                        struct json_object *child = NULL;
                        const char *start = p;
                        if (close == '}') {
                                const char *k = p;
                                p = skip_string(p);
                                _cleanup_free_ char *raw = xstrndup(k, (size_t) (p - k));
                                struct json_object *key = json_tokener_parse(raw);
                                if (key && o && json_object_is_type(o, json_type_object))
                                        json_object_object_get_ex(o, json_object_get_string(key), &child);
                                json_object_put(key);
                                p = skip_ws(p);
                                if (*p != ':')
                                        return p + strlen(p); /* not JSON as we know it: stop here */
                                p++;
                        } else /* a key given twice: this text's value may not be the tree's (an array) */
                                child = o && json_object_is_type(o, json_type_array) ? json_object_array_get_idx(o, i++)
                                                                                      : NULL;
                        p = skip_ws(keep_numbers(p, child));
                        if (*p == ',')
                                p++;
                        if (p == start)
                                return p + strlen(p); /* not JSON as we know it: stop here */
                }
                return *p ? p + 1 : p;
        }
        if (*p == '"')
                return skip_string(p);
        if (*p == '-' || (*p >= '0' && *p <= '9')) {
                size_t n = strspn(p, "+-0123456789.eE");
                if (is_number(o))
                        json_object_set_serializer(o, json_object_userdata_to_json_string, xstrndup(p, n),
                                                   json_object_free_userdata);
                return p + n;
        }
        return p + strspn(p, "truefalsn"); /* true, false, null */
}

char *daemonjson_without_listener_keys(const char *text) {
        struct json_object *o = NULL;
        char *s;

        if (blank(text))
                return xstrdup(text);
        if (parse_object("daemon.json", text, &o, NULL) < 0)
                return NULL;
        keep_numbers(text, o);
        json_object_object_del(o, "hosts");
        for (size_t i = 0; i < ELEMENTSOF(tls_keys); i++)
                json_object_object_del(o, tls_keys[i]);
        s = xasprintf("%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
                                                                        JSON_C_TO_STRING_SPACED |
                                                                        JSON_C_TO_STRING_NOSLASHESCAPE));
        json_object_put(o);
        return s;
}

/* Whether o holds exactly the TLS keys wanted (none when ca is NULL) and no "hosts". */
static bool tls_keys_are(struct json_object *o, const char *ca, const char *cert, const char *key) {
        const char *want[] = {NULL, NULL, ca, cert, key};
        struct json_object *v;

        if (json_object_object_get_ex(o, "hosts", NULL))
                return false;
        for (size_t i = 0; i < ELEMENTSOF(tls_keys); i++) {
                bool has = json_object_object_get_ex(o, tls_keys[i], &v);
                if (!ca) {
                        if (has)
                                return false;
                } else if (i == 0) {
                        if (has)
                                return false; /* "tls": tlsverify implies it */
                } else if (i == 1) {
                        if (!has || !json_object_is_type(v, json_type_boolean) || !json_object_get_boolean(v))
                                return false;
                } else if (!has || !json_object_is_type(v, json_type_string) ||
                           !streq(json_object_get_string(v), want[i]))
                        return false;
        }
        return true;
}

char *daemonjson_set_tls(const char *text, const char *ca, const char *cert, const char *key) {
        struct json_object *o = NULL;
        char *s;

        if (!text || blank(text)) {
                if (!ca)
                        return text ? xstrdup(text) : NULL;
                o = json_object_new_object();
        } else if (parse_object("daemon.json", text, &o, NULL) < 0)
                return NULL;
        else
                keep_numbers(text, o); /* 123456789012345678901234567890 stays as written */
        if (text && tls_keys_are(o, ca, cert, key)) {
                json_object_put(o);
                return xstrdup(text);
        }
        json_object_object_del(o, "hosts");
        for (size_t i = 0; i < ELEMENTSOF(tls_keys); i++)
                json_object_object_del(o, tls_keys[i]);
        if (ca) {
                json_object_object_add(o, "tlsverify", json_object_new_boolean(true));
                json_object_object_add(o, "tlscacert", json_object_new_string(ca));
                json_object_object_add(o, "tlscert", json_object_new_string(cert));
                json_object_object_add(o, "tlskey", json_object_new_string(key));
        }
        s = xasprintf("%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
                                                                        JSON_C_TO_STRING_NOSLASHESCAPE));
        json_object_put(o);
        return s;
}
