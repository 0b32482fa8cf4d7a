/* settings.c: what the administrator asked for, checked against the interfaces and the policy. */
#include "settings.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "i18n.h"
#include "util.h"

void settings_done(struct drs_settings *s) {
        free(s->iface);
        free(s->address);
        free(s->dropin_name);
        free(s->tls_dir);
        strv_free(s->allow_from);
        free(s->ssh_client);
        *s = (struct drs_settings) {0};
}

const char *settings_dropin_name(const struct drs_settings *s) {
        return s->dropin_name ? s->dropin_name : DRS_DEFAULT_DROPIN;
}

const char *settings_tls_dir(const struct drs_settings *s) {
        return s->tls_dir ? s->tls_dir : DRS_DEFAULT_TLS_DIR;
}

uint16_t settings_port(const struct drs_settings *s) {
        return s->port ? s->port : s->mode == MODE_TLS ? DRS_PORT_TLS : DRS_PORT_PLAIN;
}

const char *mode_to_string(enum drs_mode m) {
        return m == MODE_TLS ? "tls" : "plain";
}

const char *method_to_string(enum drs_method m) {
        return m == METHOD_DROPIN ? "dropin" : m == METHOD_SOCKET ? "socket" : "docker-opts";
}

static const char *const key_type_names[_KEY_TYPE_MAX] = {[KEY_ECDSA_P256] = "ecdsa", [KEY_RSA_3072] = "rsa"};
static const char *const key_type_labels[_KEY_TYPE_MAX] = {[KEY_ECDSA_P256] = "ECDSA P-256",
                                                           [KEY_RSA_3072] = "RSA 3072"};

const char *key_type_label(enum drs_key_type t) {
        return t < _KEY_TYPE_MAX ? key_type_labels[t] : "?";
}

int key_type_from_string(const char *s, enum drs_key_type *ret) {
        for (size_t i = 0; i < _KEY_TYPE_MAX; i++)
                if (streq(s, key_type_names[i])) {
                        *ret = (enum drs_key_type) i;
                        return 0;
                }
        return -EINVAL;
}

unsigned settings_cert_days(const struct drs_settings *s) {
        return s->cert_days ? s->cert_days : DRS_DEFAULT_CERT_DAYS;
}

unsigned settings_ca_days(const struct drs_settings *s) {
        unsigned twice = 2 * settings_cert_days(s);
        return twice > DRS_MIN_CA_DAYS ? twice : DRS_MIN_CA_DAYS;
}

int method_from_string(const char *s, enum drs_method *ret) {
        if (streq(s, "dropin"))
                *ret = METHOD_DROPIN;
        else if (streq(s, "docker-opts"))
                *ret = METHOD_DOCKER_OPTS;
        else if (streq(s, "socket"))
                *ret = METHOD_SOCKET;
        else
                return -EINVAL;
        return 0;
}

bool settings_allow_from_set(const struct drs_settings *s) {
        return s->allow_from_any || strv_length(s->allow_from) > 0;
}

char *settings_ssh_client(const char *ssh_connection) {
        struct drs_addr a;
        _cleanup_free_ char *first = NULL;

        if (!ssh_connection)
                return NULL;
        first = xstrndup(ssh_connection, strcspn(ssh_connection, " "));
        return addr_parse(first, &a) < 0 ? NULL : TAKE_PTR(first);
}

bool settings_dropin_name_valid(const char *name) {
        return name && *name != '.' && !strchr(name, '/') && strlen(name) > 5 && strlen(name) < 128 &&
               endswith(name, ".conf") && !strpbrk(name, " \t\n\\\"'");
}

static void list_addresses(const struct drs_iface *i, struct drs_buf *b) {
        char s[46];
        for (size_t k = 0; k < i->n_addrs; k++) {
                if (!addr_class_usable(addr_classify(&i->addrs[k].addr)))
                        continue;
                buf_appendf(b, "%s%s", b->len ? ", " : "", addr_to_string(&i->addrs[k].addr, s));
        }
}

static int check_policy(const struct drs_settings *s, const struct drs_listener *l, struct drs_diag *diag) {
        char a[46];
        addr_to_string(&l->addr, a);

        if (!addr_class_usable(l->cls)) {
                diag_set(diag, NULL, 0, _("%s (%s) cannot carry the Docker API; choose another address"),
                         a, addr_class_label(l->cls));
                return -EPERM;
        }
        if (s->mode == MODE_PLAIN && !addr_class_allows_plain(l->cls)) {
                diag_set(diag, NULL, 0,
                         _("plain TCP is refused on %s (%s): without TLS, anyone who can reach the port controls "
                           "the host as root. Use TLS (the default), or a loopback, private, CGNAT or ULA address"),
                         a, addr_class_label(l->cls));
                return -EPERM;
        }
        if (addr_class_needs_allow_public(l->cls) && !s->allow_public) {
                diag_set(diag, NULL, 0,
                         _("%s (%s): the Docker API would be reachable from outside this network; "
                           "add --allow-public if that is really meant"),
                         a, addr_class_label(l->cls));
                return -EPERM;
        }
        return 0;
}

int settings_resolve(const struct drs_settings *s, const struct drs_iface_list *ifs, struct drs_listener *ret,
                     struct drs_diag *diag) {
        struct drs_listener l = {.port = settings_port(s)};
        const struct drs_iface *i = NULL;
        int r;

        if (s->address) {
                if (addr_parse(s->address, &l.addr) < 0) {
                        diag_set(diag, NULL, 0, _("\"%s\" is not an IPv4 or IPv6 address"), s->address);
                        return -EINVAL;
                }
        }
        if (s->iface) {
                if (!ifname_valid(s->iface)) {
                        diag_set(diag, NULL, 0, _("\"%s\" is not a valid interface name"), s->iface);
                        return -EINVAL;
                }
                i = iface_list_find(ifs, s->iface);
                if (!i) {
                        diag_set(diag, NULL, 0, _("there is no network interface \"%s\" on this host"), s->iface);
                        return -ENOENT;
                }
        }
        if (!s->address && !i) {
                diag_set(diag, NULL, 0, _("choose an interface (--iface) or an address (--address)"));
                return -EINVAL;
        }
        if (!s->address) {
                r = iface_pick_address(i, &l.addr);
                if (r == -ENOENT) {
                        diag_set(diag, NULL, 0, _("interface \"%s\" has no address that can carry the Docker API"),
                                 i->name);
                        return -EADDRNOTAVAIL;
                }
                if (r < 0) {
                        struct drs_buf b = {0};
                        list_addresses(i, &b);
                        diag_set(diag, NULL, 0, _("interface \"%s\" has several addresses (%s); choose one with --address"),
                                 i->name, b.data ? b.data : "");
                        buf_free(&b);
                        return -EADDRNOTAVAIL;
                }
        }
        l.cls = addr_classify(&l.addr);
        if (l.cls != ADDR_CLASS_UNSPECIFIED) {
                if (i && !iface_has_address(i, &l.addr)) {
                        char a[46];
                        struct drs_buf b = {0};
                        list_addresses(i, &b);
                        diag_set(diag, NULL, 0, _("address %s is not on interface \"%s\" (it has: %s)"),
                                 addr_to_string(&l.addr, a), i->name, b.data ? b.data : _("no usable address"));
                        buf_free(&b);
                        return -ENOENT;
                }
                for (size_t k = 0; !i && k < ifs->n; k++)
                        if (iface_has_address(&ifs->items[k], &l.addr))
                                i = &ifs->items[k];
                if (!i) {
                        char a[46];
                        diag_set(diag, NULL, 0, _("address %s is not configured on any interface of this host"),
                                 addr_to_string(&l.addr, a));
                        return -ENOENT;
                }
                l.iface = i->name;
        }
        r = check_policy(s, &l, diag);
        if (r < 0)
                return r;
        *ret = l;
        return 0;
}
