/* addr.c: IP literals, ports and interface names: parsing, validation and classification. */
#include "addr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "macro.h"
#include "util.h"

int addr_parse(const char *s, struct drs_addr *ret) {
        struct drs_addr a = {0};

        if (!s || !*s)
                return -EINVAL;
        if (inet_pton(AF_INET, s, a.bytes) == 1)
                a.family = AF_INET;
        else if (inet_pton(AF_INET6, s, a.bytes) == 1)
                a.family = AF_INET6;
        else
                return -EINVAL;
        *ret = a;
        return 0;
}

static bool in4(const uint8_t *b, uint8_t a0, uint8_t a1, unsigned prefix) {
        uint32_t addr = (uint32_t) b[0] << 24 | (uint32_t) b[1] << 16 | (uint32_t) b[2] << 8 | b[3];
        uint32_t net = (uint32_t) a0 << 24 | (uint32_t) a1 << 16;
        uint32_t mask = prefix ? ~0u << (32 - prefix) : 0;
        return (addr & mask) == (net & mask);
}

static enum drs_addr_class classify4(const uint8_t *b) {
        if (in4(b, 0, 0, 32) && b[2] == 0 && b[3] == 0)
                return ADDR_CLASS_UNSPECIFIED;
        if (in4(b, 127, 0, 8))
                return ADDR_CLASS_LOOPBACK;
        if (in4(b, 10, 0, 8) || in4(b, 172, 16, 12) || in4(b, 192, 168, 16))
                return ADDR_CLASS_PRIVATE;
        if (in4(b, 100, 64, 10))
                return ADDR_CLASS_CGNAT;
        if (in4(b, 169, 254, 16))
                return ADDR_CLASS_LINK_LOCAL;
        if (in4(b, 224, 0, 4))
                return ADDR_CLASS_MULTICAST;
        return ADDR_CLASS_PUBLIC;
}

enum drs_addr_class addr_classify(const struct drs_addr *a) {
        static const uint8_t zero[16], v4mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
        const uint8_t *b = a->bytes;

        if (a->family == AF_INET)
                return classify4(b);
        if (memcmp(b, v4mapped, 12) == 0)
                return classify4(b + 12);
        if (memcmp(b, zero, 16) == 0)
                return ADDR_CLASS_UNSPECIFIED;
        if (memcmp(b, zero, 15) == 0 && b[15] == 1)
                return ADDR_CLASS_LOOPBACK;
        if ((b[0] & 0xfe) == 0xfc)
                return ADDR_CLASS_ULA;
        if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80)
                return ADDR_CLASS_LINK_LOCAL;
        if (b[0] == 0xff)
                return ADDR_CLASS_MULTICAST;
        return ADDR_CLASS_PUBLIC;
}

bool addr_equal(const struct drs_addr *a, const struct drs_addr *b) {
        return a->family == b->family &&
               memcmp(a->bytes, b->bytes, a->family == AF_INET ? 4 : 16) == 0;
}

char *addr_to_string(const struct drs_addr *a, char buf[static 46]) {
        if (!inet_ntop(a->family == AF_INET6 ? AF_INET6 : AF_INET, a->bytes, buf, 46))
                strcpy(buf, "?");
        return buf;
}

char *addr_hostport(const struct drs_addr *a, uint16_t port) {
        char s[46];
        addr_to_string(a, s);
        return a->family == AF_INET6 ? xasprintf("[%s]:%u", s, port) : xasprintf("%s:%u", s, port);
}

char *addr_listen_text(const struct drs_addr *a, uint16_t port, bool single_stack) {
        /* dockerd binds 0.0.0.0 as a dual-stack socket and logs it as "[::]:PORT". */
        if (addr_classify(a) == ADDR_CLASS_UNSPECIFIED)
                return xasprintf(single_stack ? "0.0.0.0:%u" : "[::]:%u", port);
        return addr_hostport(a, port);
}

static const char *const class_keys[_ADDR_CLASS_MAX] = {
        [ADDR_CLASS_LOOPBACK] = "loopback",
        [ADDR_CLASS_PRIVATE] = "private",
        [ADDR_CLASS_CGNAT] = "cgnat",
        [ADDR_CLASS_ULA] = "ula",
        [ADDR_CLASS_LINK_LOCAL] = "link-local",
        [ADDR_CLASS_UNSPECIFIED] = "unspecified",
        [ADDR_CLASS_MULTICAST] = "multicast",
        [ADDR_CLASS_PUBLIC] = "public",
};

static const char *const class_labels[_ADDR_CLASS_MAX] = {
        /* TRANSLATORS: address classes; keep each under 24 columns. */
        [ADDR_CLASS_LOOPBACK] = N_("loopback"),
        [ADDR_CLASS_PRIVATE] = N_("private (RFC 1918)"),
        [ADDR_CLASS_CGNAT] = N_("CGNAT (RFC 6598)"),
        [ADDR_CLASS_ULA] = N_("ULA (RFC 4193)"),
        [ADDR_CLASS_LINK_LOCAL] = N_("link-local"),
        [ADDR_CLASS_UNSPECIFIED] = N_("all addresses"),
        [ADDR_CLASS_MULTICAST] = N_("multicast"),
        [ADDR_CLASS_PUBLIC] = N_("public"),
};

const char *addr_class_to_string(enum drs_addr_class c) {
        return c < _ADDR_CLASS_MAX ? class_keys[c] : "?";
}

const char *addr_class_label(enum drs_addr_class c) {
        return c < _ADDR_CLASS_MAX ? _(class_labels[c]) : "?";
}

bool addr_class_allows_plain(enum drs_addr_class c) {
        return c == ADDR_CLASS_LOOPBACK || c == ADDR_CLASS_PRIVATE || c == ADDR_CLASS_CGNAT ||
               c == ADDR_CLASS_ULA;
}

bool addr_class_needs_allow_public(enum drs_addr_class c) {
        return c == ADDR_CLASS_PUBLIC || c == ADDR_CLASS_UNSPECIFIED;
}

bool addr_class_usable(enum drs_addr_class c) {
        return c != ADDR_CLASS_LINK_LOCAL && c != ADDR_CLASS_MULTICAST;
}

int port_parse(const char *s, uint16_t *ret) {
        unsigned long v = 0;

        if (!s || !*s || strlen(s) > 10)
                return -EINVAL;
        for (const char *p = s; *p; p++) {
                if (*p < '0' || *p > '9')
                        return -EINVAL;
                v = v * 10 + (unsigned long) (*p - '0');
        }
        if (v < 1 || v > 65535)
                return -ERANGE;
        *ret = (uint16_t) v;
        return 0;
}

bool ifname_valid(const char *s) {
        size_t n = s ? strlen(s) : 0;

        if (n == 0 || n > 15 || streq(s, ".") || streq(s, ".."))
                return false;
        for (const char *p = s; *p; p++)
                if (*p == '/' || *p == ':' || (unsigned char) *p <= ' ' || *p == 0x7f)
                        return false;
        return true;
}
