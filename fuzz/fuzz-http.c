/* fuzz-http.c: libFuzzer target for the parser of the /_ping answer (untrusted bytes from the network). */
/* The parser is static in probe.c: the target includes the file, so it fuzzes exactly that code. */
#include "../src/sys/probe.c"

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        _cleanup_free_ char *buf = xmalloc(RESPONSE_MAX + 1);
        size_t len = 0, pos = 1, step;
        int r = 0;

        if (size < 1)
                return 0;
        /* The first byte says how the bytes arrive: in reads of 1 to 256 bytes, as ping_exchange reads. */
        step = (size_t) data[0] + 1;
        buf[0] = '\0';
        for (;;) {
                size_t k = size - pos < step ? size - pos : step;
                if (k > RESPONSE_MAX - len)
                        k = RESPONSE_MAX - len;
                memcpy(buf + len, data + pos, k);
                pos += k;
                len += k;
                buf[len] = '\0';
                int status = 0;
                char *body = NULL, *api = NULL;
                r = http_parse(buf, len, k == 0 || len == RESPONSE_MAX, &status, &body, &api);
                FUZZ_CHECK(r == 0 || r == 1 || r == -EPROTO);
                if (r == 1) {
                        FUZZ_CHECK(status >= 100 && status <= 999 && body);
                        FUZZ_CHECK(strlen(body) <= len);
                        free(excerpt(body));
                }
                free(body);
                free(api);
                if (r != 0)
                        break;
                FUZZ_CHECK(k > 0); /* at the end of the bytes the answer is complete or refused */
        }
        if (r < 0)
                free(excerpt(buf));
        return 0;
}
