/* fuzz-addr.c: libFuzzer target for IP literals, ports and interface names: parse, print, parse again. */
#include <errno.h>
#include <netinet/in.h>

#include "addr.h"
#include "fuzz.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        struct drs_addr a, b;
        char buf[46], buf2[46];
        uint16_t port;
        char *text = fuzz_text(data, size);

        if (!text)
                return 0;
        if (addr_parse(text, &a) >= 0) {
                enum drs_addr_class c = addr_classify(&a);
                FUZZ_CHECK(a.family == AF_INET || a.family == AF_INET6);
                FUZZ_CHECK(c < _ADDR_CLASS_MAX);
                addr_to_string(&a, buf);
                FUZZ_CHECK(addr_parse(buf, &b) >= 0);
                FUZZ_CHECK(addr_equal(&a, &b));
                FUZZ_CHECK(addr_classify(&b) == c);
                addr_to_string(&b, buf2);
                FUZZ_CHECK(streq(buf, buf2));
                /* The policy never lets plain TCP on an address that needs --allow-public. */
                FUZZ_CHECK(!(addr_class_allows_plain(c) && addr_class_needs_allow_public(c)));
                FUZZ_CHECK(!(addr_class_allows_plain(c) && !addr_class_usable(c)));
                free(addr_hostport(&a, 2376));
                free(addr_listen_text(&a, 2376, false));
                free(addr_listen_text(&a, 2376, true));
                (void) addr_class_label(c);
                (void) addr_class_to_string(c);
        }
        if (port_parse(text, &port) >= 0)
                FUZZ_CHECK(port >= 1);
        if (ifname_valid(text)) {
                FUZZ_CHECK(strlen(text) >= 1 && strlen(text) <= 15);
                FUZZ_CHECK(!strpbrk(text, "/: \t\n") && !streq(text, ".") && !streq(text, ".."));
        }
        free(text);
        return 0;
}
