/* fuzz-listenmatch.c: libFuzzer target for dockerd's journal lines (logrus text, JSON, bare) and failure reasons. */
#include <ctype.h>
#include <json-c/json.h>

#include "fuzz.h"
#include "listenmatch.h"
#include "util.h"

/* s as logrus writes a value (Go's strconv.Quote, close enough: \" \\ and \xNN for control bytes). */
static char *go_quote(const char *s) {
        struct drs_buf b = {0};
        buf_append_c(&b, '"');
        for (; *s; s++) {
                unsigned char c = (unsigned char) *s;
                if (c == '"' || c == '\\')
                        buf_appendf(&b, "\\%c", c);
                else if (c < 0x20 || c == 0x7f)
                        buf_appendf(&b, "\\x%02x", c);
                else
                        buf_append_c(&b, *s);
        }
        buf_append_c(&b, '"');
        return buf_steal(&b);
}

static char *stripped(const char *s) {
        char *t = xstrdup(s);
        size_t n = strlen(t);
        while (n > 0 && isspace((unsigned char) t[n - 1]))
                t[--n] = '\0';
        return t;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        _cleanup_strv_free_ char **lines = NULL;
        _cleanup_free_ char *text = fuzz_text(data, size), *reason = NULL;

        if (!text)
                return 0;
        lines = strv_split_lines(text);
        for (size_t i = 0; lines[i]; i++) {
                _cleanup_free_ char *addr = NULL, *human = NULL, *level = NULL, *q = NULL, *logfmt = NULL,
                                    *want = NULL, *got = NULL, *got_json = NULL;
                struct json_object *o;

                if (listen_match(lines[i], &addr))
                        FUZZ_CHECK(addr && *addr && !strpbrk(addr, " \t\r\n"));
                human = listen_line_text(lines[i]);
                level = listen_line_level(lines[i]);
                FUZZ_CHECK(human);
                /* Narrower, as documented. */
                FUZZ_CHECK(!listen_line_is_fatal(lines[i]) || listen_line_is_error(lines[i]));

                /* The line as the message of a logrus text line and of a JSON line: read back. */
                want = stripped(lines[i]);
                q = go_quote(lines[i]);
                logfmt = xasprintf("time=\"2024-01-01T00:00:00Z\" level=warning msg=%s", q);
                got = listen_line_text(logfmt);
                if (!streq(got, want))
                        fprintf(stderr, "<%s> read back as <%s>, expected <%s>\n", logfmt, got, want);
                FUZZ_CHECK(streq(got, want));
                o = json_object_new_object();
                json_object_object_add(o, "level", json_object_new_string("warning"));
                json_object_object_add(o, "msg", json_object_new_string(lines[i]));
                got_json = listen_line_text(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
                FUZZ_CHECK(streq(got_json, want));
                json_object_put(o);
        }
        reason = listen_failure_reason(lines);
        return 0;
}
