/* fuzz-unitfile.c: libFuzzer target for unit files and drop-ins: parse, set our ExecStart=, parse again. */
#include <errno.h>

#include "derive.h"
#include "execline.h"
#include "fuzz.h"
#include "unitfile.h"
#include "util.h"

/* The text without its [Service] ExecStart= entries and without newlines (dropin_set_execstart
 * may add a newline where the old file lacked one). */
static char *without_execstart(const struct drs_unit *u, bool drop_last_service_header) {
        struct drs_buf b = {0};
        size_t copied = 0, last_header = (size_t) -1;

        for (size_t i = 0; i < u->n_entries; i++)
                if (u->entries[i].kind == ENTRY_SECTION && streq(u->entries[i].section, "Service"))
                        last_header = i;
        buf_append(&b, "");
        for (size_t i = 0; i < u->n_entries; i++) {
                const struct drs_entry *e = &u->entries[i];
                bool ours = (e->kind == ENTRY_ASSIGNMENT && streq_ptr(e->section, "Service") &&
                             streq(e->key, "ExecStart")) ||
                            (drop_last_service_header && i == last_header);
                if (!ours)
                        continue;
                buf_append_n(&b, u->text + copied, e->start - copied);
                copied = e->end;
        }
        buf_append(&b, u->text + copied);
        for (size_t i = 0, j = 0;; i++) {
                if (b.data[i] != '\n')
                        b.data[j++] = b.data[i];
                if (!b.data[i])
                        break;
        }
        return buf_steal(&b);
}

static bool has_service_section(const struct drs_unit *u) {
        for (size_t i = 0; i < u->n_entries; i++)
                if (u->entries[i].kind == ENTRY_SECTION && streq(u->entries[i].section, "Service"))
                        return true;
        return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        _cleanup_(unit_freep) struct drs_unit *u = NULL, *v = NULL;
        struct drs_setting *vals = NULL;
        struct drs_cmdline c = {0}, d = {0};
        struct drs_derive_notes notes = {0};
        struct drs_diag diag = {0};
        _cleanup_free_ char *text = fuzz_text(data, size), *line = NULL, *out = NULL, *a = NULL, *b = NULL;
        size_t n;
        int r;

        if (!text)
                return 0;
        r = unit_parse("/etc/systemd/system/docker.service.d/override.conf", text, &u, &diag);
        if (r < 0) {
                /* A refusal names the file and line. */
                FUZZ_CHECK(r == -EBADMSG && diag.file && diag.line > 0 && diag.message);
                diag_done(&diag);
                return 0;
        }
        for (size_t i = 0; i < u->n_entries; i++) {
                const struct drs_entry *e = &u->entries[i];
                FUZZ_CHECK(e->start < e->end && e->end <= strlen(text));
                FUZZ_CHECK(i == 0 || e->start == u->entries[i - 1].end);
                FUZZ_CHECK(e->kind != ENTRY_ASSIGNMENT || (e->key && *e->key && e->value));
        }

        /* The line the plan would write: the effective ExecStart (or a stock one) with our listener. */
        n = unit_fold_setting(&u, 1, "Service", "ExecStart", &vals);
        if (n != 1 || cmdline_parse(vals[0].value, &c, NULL) < 0) {
                cmdline_done(&c);
                FUZZ_CHECK(cmdline_parse("/usr/sbin/dockerd -H fd:// $DOCKER_OPTS", &c, NULL) == 0);
        }
        free(vals);
        derive_execstart(&c, &(struct drs_derive_opts) {.listen = &(struct drs_listen_flags) {
                                                                .host_url = "tcp://127.0.0.1:2375", .mode = MODE_PLAIN}},
                         &d, &notes);
        line = cmdline_format(&d);

        /* Ours parses, has exactly that ExecStart, and keeps every other byte. */
        out = dropin_set_execstart(text, line, NULL);
        r = unit_parse("override.conf", out, &v, &diag);
        if (r < 0)
                fprintf(stderr, "---- the new drop-in does not parse:\n%s----\n", out);
        FUZZ_CHECK(r == 0);
        vals = NULL;
        n = unit_fold_setting(&v, 1, "Service", "ExecStart", &vals);
        if (n != 1 || !streq(vals[0].value, line))
                fprintf(stderr, "---- expected one ExecStart=%s in:\n%s----\n", line, out);
        FUZZ_CHECK(n == 1 && streq(vals[0].value, line));
        free(vals);
        a = without_execstart(u, false);
        b = without_execstart(v, !has_service_section(u));
        if (!streq(a, b))
                fprintf(stderr, "---- bytes other than ExecStart= changed:\n<%s>\n<%s>\n", a, b);
        FUZZ_CHECK(streq(a, b));

        derive_notes_done(&notes);
        cmdline_done(&c);
        cmdline_done(&d);
        diag_done(&diag);
        return 0;
}
