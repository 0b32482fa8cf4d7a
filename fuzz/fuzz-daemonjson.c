/* fuzz-daemonjson.c: libFuzzer target for daemon.json: parse, drop the listener keys, parse again. */
#include <errno.h>

#include "daemonjson.h"
#include "fuzz.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        struct drs_daemon_json j = {0}, k = {0};
        struct drs_diag diag = {0};
        _cleanup_free_ char *text = fuzz_text(data, size), *stripped = NULL, *again = NULL;
        int r;

        if (!text)
                return 0;
        r = daemonjson_parse("/etc/docker/daemon.json", text, &j, &diag);
        stripped = daemonjson_without_listener_keys(text);
        if (r < 0) {
                FUZZ_CHECK(r == -EBADMSG && diag.file && diag.message);
                diag_done(&diag);
                return 0;
        }
        FUZZ_CHECK(!j.has_hosts || j.hosts);
        FUZZ_CHECK(!j.log_level || strlen(j.log_level) < size + 1);
        /* What the plan writes back parses, without "hosts" or TLS keys, and is stable. */
        FUZZ_CHECK(stripped);
        r = daemonjson_parse("/etc/docker/daemon.json", stripped, &k, &diag);
        if (r < 0)
                fprintf(stderr, "---- does not parse: %s\n%s----\n", diag.message, stripped);
        FUZZ_CHECK(r == 0);
        FUZZ_CHECK(!k.has_hosts && !k.tls_keys);
        again = daemonjson_without_listener_keys(stripped);
        FUZZ_CHECK(again && streq(again, stripped));
        daemonjson_done(&j);
        daemonjson_done(&k);
        diag_done(&diag);
        return 0;
}
