/* allowlist.c: the networks allowed to connect (--allow-from CIDR): parsing and validation. */
#include "allowlist.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "i18n.h"
#include "util.h"

static unsigned family_bits(int family) {
        return family == AF_INET ? 32 : 128;
}

/* Clears the bits after the prefix; returns whether any was set. */
static bool clear_host_bits(struct drs_addr *a, unsigned prefix) {
        bool set = false;
        unsigned bytes = family_bits(a->family) / 8;

        for (unsigned i = 0; i < bytes; i++) {
                unsigned keep = prefix >= 8 * (i + 1) ? 8 : prefix > 8 * i ? prefix - 8 * i : 0;
                uint8_t mask = (uint8_t) (keep ? 0xff << (8 - keep) : 0);
                if (a->bytes[i] & ~mask)
                        set = true;
                a->bytes[i] &= mask;
        }
        return set;
}

static int parse_prefix(const char *s, unsigned max, unsigned *ret) {
        unsigned long v;

        if (!*s || strlen(s) > 3 || strspn(s, "0123456789") != strlen(s) || (s[0] == '0' && s[1]))
                return -EINVAL;
        v = strtoul(s, NULL, 10);
        if (v > max)
                return -EINVAL;
        *ret = (unsigned) v;
        return 0;
}

int cidr_parse(const char *s, struct drs_cidr *ret, struct drs_diag *diag) {
        const char *slash = strchr(s, '/');
        _cleanup_free_ char *host = xstrndup(s, slash ? (size_t) (slash - s) : strlen(s));
        struct drs_cidr c = {0};

        if (addr_parse(host, &c.addr) < 0) {
                diag_set(diag, NULL, 0, _("\"%s\" is not a network: give an IPv4 or IPv6 address, optionally with "
                                          "/PREFIX (for example 10.0.0.0/24 or fd00::/64)"), s);
                return -EINVAL;
        }
        c.prefix = family_bits(c.addr.family);
        if (slash && parse_prefix(slash + 1, family_bits(c.addr.family), &c.prefix) < 0) {
                diag_set(diag, NULL, 0, _("\"%s\": the prefix length must be a number from 0 to %u"), s,
                         family_bits(c.addr.family));
                return -EINVAL;
        }
        if (c.prefix == 0) {
                diag_set(diag, NULL, 0, _("\"%s\" is every address: that is no restriction; use --allow-from any "
                                          "to allow every address that can reach the port"), s);
                return -ERANGE;
        }
        if (clear_host_bits(&c.addr, c.prefix)) {
                _cleanup_free_ char *net = cidr_to_string(&c);
                *ret = c;
                diag_set(diag, NULL, 0, _("\"%s\" has host bits set after the /%u prefix: the network is %s (or give "
                                          "the address alone for that one host)"), s, c.prefix, net);
                return -EDOM;
        }
        *ret = c;
        return 0;
}

char *cidr_to_string(const struct drs_cidr *c) {
        char a[46];
        return xasprintf("%s/%u", addr_to_string(&c->addr, a), c->prefix);
}

bool cidr_contains(const struct drs_cidr *c, const struct drs_addr *a) {
        struct drs_addr x = *a;

        if (a->family != c->addr.family)
                return false;
        clear_host_bits(&x, c->prefix);
        return addr_equal(&x, &c->addr);
}

int allowlist_add(char ***list, bool *any, const char *value, struct drs_diag *diag) {
        struct drs_cidr c;
        char *s;
        int r;

        if (streq(value, ALLOWLIST_ANY)) {
                if (strv_length(*list) > 0) {
                        diag_set(diag, NULL, 0, _("\"any\" removes the restriction and cannot be given together with "
                                                  "networks (%s)"), (*list)[0]);
                        return -EINVAL;
                }
                *any = true;
                return 0;
        }
        r = cidr_parse(value, &c, diag);
        if (r < 0)
                return r;
        if (*any) {
                diag_set(diag, NULL, 0, _("\"any\" removes the restriction and cannot be given together with "
                                          "networks (%s)"), value);
                return -EINVAL;
        }
        s = cidr_to_string(&c);
        if (strv_contains(*list, s)) {
                diag_set(diag, NULL, 0, _("the network %s is given twice (as \"%s\")"), s, value);
                free(s);
                return -EEXIST;
        }
        strv_consume(list, s);
        return 0;
}

bool allowlist_contains(char *const *list, const struct drs_addr *a) {
        for (size_t i = 0; list && list[i]; i++) {
                struct drs_cidr c;
                if (cidr_parse(list[i], &c, NULL) == 0 && cidr_contains(&c, a))
                        return true;
        }
        return false;
}

char *allowlist_join(char *const *list, const char *sep) {
        struct drs_buf b = {0};

        for (size_t i = 0; list && list[i]; i++)
                buf_appendf(&b, "%s%s", i ? sep : "", list[i]);
        return b.data ? buf_steal(&b) : xstrdup("");
}
