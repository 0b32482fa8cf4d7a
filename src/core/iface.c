/* iface.c: choices made from the host's interface list (which to preselect, which address to use). */
#include "iface.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "macro.h"
#include "util.h"

void iface_list_done(struct drs_iface_list *l) {
        for (size_t i = 0; i < l->n; i++) {
                free(l->items[i].name);
                free(l->items[i].addrs);
        }
        free(l->items);
        *l = (struct drs_iface_list) {0};
}

const struct drs_iface *iface_list_find(const struct drs_iface_list *l, const char *name) {
        for (size_t i = 0; i < l->n; i++)
                if (streq(l->items[i].name, name))
                        return &l->items[i];
        return NULL;
}

bool iface_is_container_plumbing(const char *name) {
        /* Docker (veth pairs, the default bridge, user-defined bridges, swarm's gateway bridge),
         * the usual Kubernetes CNI plugins (bridge/CNI, flannel, Calico, Cilium, VXLAN overlays)
         * and systemd-nspawn's host ends (ve-NAME, vb-NAME). None is a management interface. */
        static const char *const prefixes[] = {
                "veth", "br-", "cni", "flannel", "cali", "vxlan", "cilium_", "ve-", "vb-",
        };
        static const char *const names[] = {"docker0", "docker_gwbridge"};

        for (size_t i = 0; i < ELEMENTSOF(names); i++)
                if (streq(name, names[i]))
                        return true;
        for (size_t i = 0; i < ELEMENTSOF(prefixes); i++)
                if (startswith(name, prefixes[i]))
                        return true;
        return false;
}

static bool iface_candidate(const struct drs_iface *i) {
        return i->up && !i->loopback && !iface_is_container_plumbing(i->name);
}

static bool iface_has_class(const struct drs_iface *i, bool (*want)(enum drs_addr_class c)) {
        for (size_t k = 0; k < i->n_addrs; k++)
                if (want(addr_classify(&i->addrs[k].addr)))
                        return true;
        return false;
}

static bool class_is_internal(enum drs_addr_class c) {
        /* Addresses plain TCP may use, except loopback: RFC 1918, CGNAT, ULA. */
        return addr_class_allows_plain(c) && c != ADDR_CLASS_LOOPBACK;
}

int iface_preselect(const struct drs_iface_list *l) {
        for (size_t i = 0; i < l->n; i++)
                if (iface_candidate(&l->items[i]) && !l->items[i].default_route &&
                    iface_has_class(&l->items[i], class_is_internal))
                        return (int) i;
        for (size_t i = 0; i < l->n; i++)
                if (iface_candidate(&l->items[i]) && iface_has_class(&l->items[i], addr_class_usable))
                        return (int) i;
        return -1;
}

/* Counts the distinct usable addresses of one family; *ret_first gets the first of them. */
static size_t count_usable(const struct drs_iface *i, int family, const struct drs_addr **ret_first) {
        size_t n = 0;

        *ret_first = NULL;
        for (size_t k = 0; k < i->n_addrs; k++) {
                const struct drs_addr *a = &i->addrs[k].addr;
                bool seen = false;

                if (a->family != family || !addr_class_usable(addr_classify(a)))
                        continue;
                for (size_t m = 0; m < k && !seen; m++)
                        seen = addr_equal(&i->addrs[m].addr, a);
                if (seen)
                        continue;
                if (n++ == 0)
                        *ret_first = a;
        }
        return n;
}

int iface_pick_address(const struct drs_iface *i, struct drs_addr *ret) {
        const struct drs_addr *a;
        size_t n;

        n = count_usable(i, AF_INET, &a);
        if (n == 0)
                n = count_usable(i, AF_INET6, &a);
        if (n == 0)
                return -ENOENT;
        if (n > 1)
                return -EEXIST;
        *ret = *a;
        return 0;
}

bool iface_has_address(const struct drs_iface *i, const struct drs_addr *a) {
        for (size_t k = 0; k < i->n_addrs; k++)
                if (addr_equal(&i->addrs[k].addr, a))
                        return true;
        return false;
}
