/* plan-socket.c: which listener method a host gets and why, and the files of the socket method. */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "allowlist.h"
#include "daemonjson.h"
#include "derive.h"
#include "dockerflags.h"
#include "envfile.h"
#include "i18n.h"
#include "plan-internal.h"
#include "util.h"

/* The first line marks a file we wrote; the second says which lines are ours: with --allow-from
 * the allow-list too (a file of an earlier run gets that header when it gets an allow-list). */
#define SOCKET_HEADER_MARK "# Written by docker-remote-setup: the Docker daemon's TCP listener.\n"
#define SOCKET_HEADER_HISTORY "# History and earlier versions: docker-remote-setup rollback --list\n"
#define SOCKET_HEADER                                                                                   \
        SOCKET_HEADER_MARK "# Lines other than our ListenStream= and FreeBind= are yours and are kept.\n"   \
                SOCKET_HEADER_HISTORY
#define SOCKET_HEADER_ALLOW                                                                             \
        SOCKET_HEADER_MARK "# Lines other than our ListenStream=, FreeBind=, IPAccounting=, IPAddressDeny=\n" \
                           "# and IPAddressAllow= (--allow-from) are yours and are kept.\n" SOCKET_HEADER_HISTORY

const char *method_late_address_text(enum drs_method m, bool survives) {
        if (survives && m == METHOD_SOCKET)
                return _("survives (docker.socket binds with FreeBind=yes)");
        if (survives)
                return _("survives: systemd restarts dockerd every 2 s until the address exists (start "
                         "limit off); all of Docker, the local socket too, is down until then");
        return _("with this method dockerd binds the address itself: if the address is late at boot (a slow "
                 "DHCP lease or link), docker.service fails and all of Docker is down until someone restarts it");
}

/* --allow-from: only with the socket method; a warning when it shuts out the admin's own SSH client. */
static void check_allow_from(struct drs_plan *p, const struct drs_settings *s) {
        struct drs_addr client;

        if (!settings_allow_from_set(s))
                return;
        if (p->method != METHOD_SOCKET) {
                plan_add_finding(p, LEVEL_BLOCK,
                                 xasprintf(_("--allow-from is enforced by systemd on docker.socket, which only the "
                                             "socket method writes, and this plan uses --method %s"),
                                           method_to_string(p->method)),
                                 xstrdup(_("use --method socket (docker.socket with -H fd://), or leave out "
                                           "--allow-from")));
                return;
        }
        if (s->allow_from_any || !s->ssh_client || addr_parse(s->ssh_client, &client) < 0)
                return;
        if (!allowlist_contains(s->allow_from, &client)) {
                _cleanup_free_ char *list = allowlist_join(s->allow_from, ", ");
                plan_add_finding(p, LEVEL_WARN,
                                 xasprintf(_("you are connected over SSH from %s, which is not in the allow-list (%s): "
                                             "a Docker client there will not reach the daemon"),
                                           s->ssh_client, list),
                                 xasprintf(_("add --allow-from %s if this machine should connect"), s->ssh_client));
        }
}

void plan_choose_method(struct drs_plan *p, const struct drs_host *h, const struct drs_settings *s, bool uses_fd) {
        bool activated = h->socket_unit && uses_fd;

        if (!h->systemd) {
                p->method = METHOD_DOCKER_OPTS;
                p->method_reason = xstrdup(_("systemd does not manage services on this host"));
        } else if (s->method_set) {
                p->method = s->method;
                p->method_reason = s->method_chosen ? xstrdup(_("chosen on the Port & security screen"))
                                                    : xasprintf(_("asked for with --method %s"), method_to_string(s->method));
        } else if (activated) {
                p->method = METHOD_SOCKET;
                p->method_reason = xstrdup(_("docker.socket exists and ExecStart= takes its listeners from it "
                                             "(-H fd://)"));
        } else {
                p->method = METHOD_DROPIN;
                p->method_reason = xstrdup(!h->socket_unit ? _("no socket activation: docker.socket is missing")
                                                           : _("no socket activation: ExecStart= has no -H fd://"));
        }
        if (p->method == METHOD_SOCKET && !h->socket_unit)
                plan_add_finding(p, LEVEL_BLOCK, xstrdup(_("--method socket needs docker.socket, which is missing or "
                                                           "masked here")),
                                 xstrdup(_("use --method dropin")));
        else if (p->method == METHOD_SOCKET && !uses_fd)
                plan_add_finding(p, LEVEL_BLOCK,
                                 xstrdup(_("--method socket needs an ExecStart= that takes its listeners from "
                                           "docker.socket (-H fd://), and docker.service's has none")),
                                 xstrdup(_("use --method dropin")));
        check_allow_from(p, s);
        /* Without systemd nothing restarts dockerd; with it, our drop-in does (check_boot_after in plan-dropin.c says
         * when a drop-in after ours undoes that). */
        p->survives_late_address = h->systemd;
        if (p->method != METHOD_SOCKET)
                plan_add_finding(p, LEVEL_WARN,
                                 xstrdup(h->systemd ? _("dockerd binds the address itself: while the address is missing at "
                                                        "boot (a slow DHCP lease or link) it fails, and systemd restarts "
                                                        "it every 2 s until the address exists (start limit "
                                                        "off); all of Docker, the local socket too, is down until "
                                                        "then")
                                                    : method_late_address_text(p->method, false)),
                                 activated ? xstrdup(_("--method socket does not have this problem")) : NULL);
}

/* Whether a ListenStream= value is an IP socket (not a path, an abstract socket or vsock). */
static bool socket_value_is_tcp(const char *value) {
        return *value && *value != '/' && *value != '@' && !strstr(value, "vsock:");
}

/* Our entries of a docker.socket drop-in: FreeBind= and TCP ListenStream= of [Socket]. */
static bool is_our_socket_entry(const struct drs_entry *e) {
        if (e->kind != ENTRY_ASSIGNMENT || !streq_ptr(e->section, "Socket"))
                return false;
        if (streq(e->key, "FreeBind"))
                return true;
        return streq(e->key, "ListenStream") && socket_value_is_tcp(e->value);
}

static bool is_allow_entry(const struct drs_entry *e) {
        return e->kind == ENTRY_ASSIGNMENT && streq_ptr(e->section, "Socket") &&
               (streq(e->key, "IPAddressDeny") || streq(e->key, "IPAddressAllow"));
}

static bool is_accounting_entry(const struct drs_entry *e) {
        return e->kind == ENTRY_ASSIGNMENT && streq_ptr(e->section, "Socket") && streq(e->key, "IPAccounting");
}

/* With --allow-from (or when the listener goes): the allow-list (and its IPAccounting=) is ours too. */
static bool is_our_socket_entry_with_allow(const struct drs_entry *e) {
        return is_our_socket_entry(e) || is_allow_entry(e) || is_accounting_entry(e);
}

/* "NETWORK… ADDR/32 localhost": the listener's own address too, so that this host's probe and
 * local clients reach it; NULL without --allow-from networks. */
static char *socket_allow_value(const struct drs_plan *p, const struct drs_settings *s) {
        _cleanup_free_ char *list = NULL;
        _cleanup_strv_free_ char **v = strv_copy(s->allow_from);
        struct drs_cidr own = {.addr = p->listener.addr, .prefix = p->listener.addr.family == AF_INET ? 32 : 128};

        if (strv_length(v) == 0)
                return NULL;
        if (p->listener.cls != ADDR_CLASS_UNSPECIFIED && p->listener.cls != ADDR_CLASS_LOOPBACK &&
            !allowlist_contains(v, &p->listener.addr))
                strv_consume(&v, cidr_to_string(&own));
        list = allowlist_join(v, " ");
        return xasprintf("%s localhost", list);
}

/* Adds the words of the values to *v (once each). */
static void push_words(char ***v, const struct drs_setting *s, size_t n) {
        for (size_t i = 0; i < n; i++)
                for (const char *w = s[i].value + strspn(s[i].value, " \t"); *w;
                     w += strcspn(w, " \t"), w += strspn(w, " \t")) {
                        _cleanup_free_ char *word = xstrndup(w, strcspn(w, " \t"));
                        if (!strv_contains(*v, word))
                                strv_push(v, word);
                }
}

/* Adds the words of the IPAddressAllow= of one drop-in text to *v (an empty assignment resets). */
static void allow_words(const char *path, const char *text, char ***v) {
        _cleanup_(unit_freep) struct drs_unit *u = NULL;

        if (!text || unit_parse(path, text, &u, NULL) < 0)
                return;
        for (size_t j = 0; j < u->n_entries; j++) {
                const struct drs_entry *e = &u->entries[j];
                if (!is_allow_entry(e) || !streq(e->key, "IPAddressAllow"))
                        continue;
                if (!*e->value) {
                        strv_free(*v);
                        *v = xcalloc(1, sizeof(char *));
                        continue;
                }
                push_words(v, &(struct drs_setting) {.value = e->value}, 1);
        }
}

char **socket_allow_list(const struct drs_host *h) {
        char **v = xcalloc(1, sizeof(char *));
        _cleanup_strv_free_ char **deny = xcalloc(1, sizeof(char *));
        _cleanup_free_ struct drs_setting *allow_s = NULL, *deny_s = NULL;
        struct drs_unitset u = {0};

        /* As systemd reads them (masked or hidden drop-ins are nothing, an empty value resets);
         * IPAddressAllow= restricts nothing without IPAddressDeny=any. */
        if (unitset_load_socket_dropins(h, &u) >= 0) {
                size_t n_deny = unit_fold_setting(u.units, u.n, "Socket", "IPAddressDeny", &deny_s);
                size_t n_allow = unit_fold_setting(u.units, u.n, "Socket", "IPAddressAllow", &allow_s);
                push_words(&deny, deny_s, n_deny);
                if (strv_contains(deny, "any"))
                        push_words(&v, allow_s, n_allow);
        }
        unitset_done(&u);
        return v;
}

/* Whether IPAccounting= is on over these files: the last assignment wins, with systemd's booleans. */
static bool units_account(struct drs_unit *const *units, size_t n) {
        _cleanup_free_ struct drs_setting *s = NULL;
        size_t k = unit_fold_setting(units, n, "Socket", "IPAccounting", &s);
        const char *v = k > 0 ? s[k - 1].value : "";

        return streq(v, "yes") || streq(v, "y") || streq(v, "true") || streq(v, "t") || streq(v, "on") ||
               streq(v, "1");
}

bool socket_allow_accounted(const struct drs_host *h) {
        _cleanup_strv_free_ char **allow = socket_allow_list(h);
        struct drs_unitset u = {0};
        bool on = false;

        if (strv_length(allow) > 0 && unitset_load_socket_dropins(h, &u) >= 0)
                on = units_account(u.units, u.n);
        unitset_done(&u);
        return on;
}

char *socket_listen_text(const char *value, bool single_stack) {
        if (!socket_value_is_tcp(value))
                return NULL;
        if (!strchr(value, ':')) /* a port alone: dual-stack where the kernel has IPv6 */
                return xasprintf(single_stack ? "0.0.0.0:%s" : "[::]:%s", value);
        return xstrdup(value);
}

char **socket_listen_texts(const struct drs_host *h) {
        char **v = xcalloc(1, sizeof(char *));
        struct drs_unitset u = {0};
        _cleanup_free_ struct drs_setting *s = NULL;
        size_t n = 0;

        if (unitset_load_socket_dropins(h, &u) >= 0)
                n = unit_fold_setting(u.units, u.n, "Socket", "ListenStream", &s);
        for (size_t i = 0; i < n; i++) {
                char *t = socket_listen_text(s[i].value, h->single_stack);
                if (t && !strv_contains(v, t))
                        strv_push(&v, t);
                free(t);
        }
        unitset_done(&u);
        return v;
}

char *socket_dropin_path(const struct drs_settings *s) {
        return xasprintf("%s/docker.socket.d/%s", drs_unit_dirs[DRS_UNIT_DIR_ETC], settings_dropin_name(s));
}

static const char *socket_dropin_text(const struct drs_host *h, const char *path) {
        for (size_t i = 0; i < h->n_socket_dropins; i++)
                if (streq(h->socket_dropins[i].path, path))
                        return h->socket_dropins[i].text;
        return NULL;
}

/* Whether a drop-in holds nothing but our header, section headers and blank lines. */
bool dropin_empty(const char *text, const char *header) {
        _cleanup_(unit_freep) struct drs_unit *u = NULL;
        const char *rest = startswith(text, header) ? text + strlen(header) : text;

        if (unit_parse("drop-in", rest, &u, NULL) < 0)
                return false;
        for (size_t i = 0; i < u->n_entries; i++)
                if (u->entries[i].kind != ENTRY_BLANK && u->entries[i].kind != ENTRY_SECTION)
                        return false;
        return true;
}

/* TCP ListenStream= in docker.socket drop-ins other than ours: they stay, and dockerd serves them. */
static void check_other_socket_listeners(struct drs_plan *p, const struct drs_host *h, const char *ours) {
        for (size_t i = 0; i < h->n_socket_dropins; i++) {
                _cleanup_(unit_freep) struct drs_unit *u = NULL;
                const struct drs_dropin_source *d = &h->socket_dropins[i];
                if (streq(d->path, ours) || !d->text || unit_parse(d->path, d->text, &u, NULL) < 0)
                        continue;
                for (size_t j = 0; j < u->n_entries; j++)
                        if (u->entries[j].kind == ENTRY_ASSIGNMENT && streq_ptr(u->entries[j].section, "Socket") &&
                            streq(u->entries[j].key, "ListenStream") && socket_value_is_tcp(u->entries[j].value))
                                plan_add_finding(p, LEVEL_WARN,
                                                 xasprintf(_("%s:%u: docker.socket also listens on %s, which stays "
                                                             "open"),
                                                           d->path, u->entries[j].line, u->entries[j].value),
                                                 xstrdup(_("remove that line if the listener is not wanted")));
        }
}

/* A TCP listener in the drop-in we edit that we did not write (no header of ours: the admin's
 * `systemctl edit docker.socket`) is replaced or removed like any earlier TCP listener: said. */
static void check_replaced_socket_listeners(struct drs_plan *p, const char *path, const char *old) {
        _cleanup_(unit_freep) struct drs_unit *u = NULL;

        if (!old || startswith(old, SOCKET_HEADER_MARK) || unit_parse(path, old, &u, NULL) < 0)
                return;
        for (size_t j = 0; j < u->n_entries; j++)
                if (is_our_socket_entry(&u->entries[j]) && streq(u->entries[j].key, "ListenStream"))
                        plan_add_finding(p, LEVEL_WARN,
                                         xasprintf(_("%s:%u: ListenStream=%s was not written by docker-remote-setup; "
                                                     "it is replaced (one TCP listener is kept)"),
                                                   path, u->entries[j].line, u->entries[j].value),
                                         xstrdup(_("to keep it as well, move that line to another file in "
                                                   "docker.socket.d/ before applying")));
}

/* Our allow-list goes with our socket listener (another method): said, since what listens then
 * is open to every address that can reach it. */
static void warn_allow_list_goes(struct drs_plan *p, const char *path, const char *old) {
        _cleanup_strv_free_ char **words = xcalloc(1, sizeof(char *));

        allow_words(path, old, &words);
        if (strv_length(words) == 0)
                return;
        _cleanup_free_ char *list = allowlist_join(words, ", ");
        plan_add_finding(p, LEVEL_WARN,
                         xasprintf(_("the allow-list of docker.socket (%s) goes with its listener: with --method %s "
                                     "every address that can reach the port may connect"),
                                   list, method_to_string(p->method)),
                         xstrdup(_("keep --method socket to keep the allow-list")));
}

/* An allow-list kept without --allow-from (from an earlier run) that leaves out the listener's
 * address: this host's own check of the listener (from that address) would be refused. */
static void check_kept_allow_list(struct drs_plan *p, const char *path) {
        char as[46];

        if (strv_length(p->allow_from) == 0 || p->listener.cls == ADDR_CLASS_UNSPECIFIED ||
            p->listener.cls == ADDR_CLASS_LOOPBACK || allowlist_contains(p->allow_from, &p->listener.addr))
                return;
        _cleanup_free_ char *list = allowlist_join(p->allow_from, ", ");
        plan_add_finding(p, LEVEL_BLOCK,
                         xasprintf(_("the allow-list in %s (%s) does not include the new address %s, so this host's "
                                     "own check of the listener would be refused"),
                                   path, list, addr_to_string(&p->listener.addr, as)),
                         xstrdup(_("give --allow-from again with the networks to allow, or --allow-from any")));
}

/* Whether the drop-in turns IP accounting on for docker.socket (the last IPAccounting= wins). */
static bool socket_text_accounts(const char *path, const char *text) {
        _cleanup_(unit_freep) struct drs_unit *u = NULL;

        return text && unit_parse(path, text, &u, NULL) >= 0 && units_account(&u, 1);
}

void plan_socket_dropin(struct drs_plan *p, const struct drs_host *h, const struct drs_settings *s, bool ours) {
        _cleanup_free_ char *path = socket_dropin_path(s), *block = NULL, *listen = NULL;
        const char *old = socket_dropin_text(h, path);
        char *text;

        check_other_socket_listeners(p, h, path);
        if (!ours && !old)
                return;
        check_replaced_socket_listeners(p, path, old);
        if (ours) {
                _cleanup_free_ char *allow = socket_allow_value(p, s);
                listen = p->listener.cls == ADDR_CLASS_UNSPECIFIED ? xasprintf("%u", p->listener.port)
                                                                    : addr_hostport(&p->listener.addr, p->listener.port);
                /* IPAccounting=yes: its counters prove after the restart that systemd attached the
                 * BPF programs (without them IPAddressAllow= is silently not enforced). */
                block = allow ? xasprintf("ListenStream=%s\nFreeBind=yes\nIPAccounting=yes\nIPAddressDeny=any\n"
                                          "IPAddressAllow=%s\n", listen, allow)
                              : xasprintf("ListenStream=%s\nFreeBind=yes\n", listen);
        }
        /* Without --allow-from an allow-list already there stays; with it, or when our listener goes
         * from a file we wrote, it is ours. */
        bool allow_ours = settings_allow_from_set(s) || (!ours && old && startswith(old, SOCKET_HEADER_MARK));
        const char *header = settings_allow_from_set(s) ? SOCKET_HEADER_ALLOW : SOCKET_HEADER;
        _cleanup_free_ char *cur = NULL;
        if (old && settings_allow_from_set(s) && startswith(old, SOCKET_HEADER))
                cur = xasprintf("%s%s", header, old + strlen(SOCKET_HEADER));
        text = dropin_set_entries(cur ? cur : old, "Socket",
                                  allow_ours ? is_our_socket_entry_with_allow : is_our_socket_entry, block, header);
        if (!ours && allow_ours)
                warn_allow_list_goes(p, path, old);
        if (!ours && text && (dropin_empty(text, SOCKET_HEADER) || dropin_empty(text, SOCKET_HEADER_ALLOW))) {
                free(text);
                plan_remove_file(p, FILE_SOCKET_DROPIN, path, old);
                return;
        }
        if (!ours && streq_ptr(text, old)) {
                free(text);
                return;
        }
        if (ours) {
                strv_free(p->allow_from);
                p->allow_from = xcalloc(1, sizeof(char *));
                allow_words(path, text, &p->allow_from);
                p->allow_accounted = strv_length(p->allow_from) > 0 && socket_text_accounts(path, text);
                if (!settings_allow_from_set(s))
                        check_kept_allow_list(p, path);
        }
        plan_add_file(p, FILE_SOCKET_DROPIN, path, old, text, true);
}

void plan_service_dropin_removal(struct drs_plan *p, const char *path, const char *old, const char *header) {
        _cleanup_free_ char *exec = dropin_set_execstart(old, NULL, NULL);
        _cleanup_free_ char *text = exec ? dropin_set_boot(exec, NULL, NULL) : NULL;

        if (!text || dropin_empty(text, header) || dropin_empty(text, DROPIN_HEADER_V1))
                plan_remove_file(p, FILE_DROPIN, path, old);
        else
                plan_add_file(p, FILE_DROPIN, path, old, TAKE_PTR(text), true);
}

void plan_socket_json(struct drs_plan *p, const struct drs_host *h, const char *ca, const char *cert, const char *key) {
        bool tls = p->mode == MODE_TLS;
        char *text = daemonjson_set_tls(h->daemon_json_text, tls ? ca : NULL, cert, key);

        if (!text)
                return; /* absent and nothing to set (a malformed file was refused before) */
        plan_add_file(p, FILE_DAEMON_JSON, h->daemon_json_path, h->daemon_json_text, text, true);
}

bool host_execstart_override(const struct drs_host *h, char **ret_path, char **ret_vendor, bool *ret_differs) {
        struct drs_unitset u = {0}, vendor_only = {0};
        struct drs_cmdline eff = {0}, vendor = {0}, a = {0}, b = {0};
        struct drs_derive_opts none = {0};
        const char *path = NULL;
        bool found = false;

        if (unitset_load(h, &u, NULL) < 0)
                return false;
        for (size_t i = 1; i < u.n; i++)
                if (unit_sets(u.units[i], "Service", "ExecStart"))
                        path = u.units[i]->path;
        if (path && unitset_execstart(&u, &eff, NULL, NULL) >= 0) {
                vendor_only = (struct drs_unitset) {.units = u.units, .n = 1};
                if (unitset_execstart(&vendor_only, &vendor, NULL, NULL) >= 0) {
                        derive_execstart(&eff, &none, &a, NULL);
                        derive_execstart(&vendor, &none, &b, NULL);
                        *ret_path = xstrdup(path);
                        *ret_vendor = cmdline_format(&vendor);
                        *ret_differs = !cmdline_equal(&a, &b);
                        found = true;
                }
        }
        cmdline_done(&eff);
        cmdline_done(&vendor);
        cmdline_done(&a);
        cmdline_done(&b);
        unitset_done(&u);
        return found;
}

/* The --tls flags in the words of a variable that a file EnvironmentFile= names gives ExecStart=. */
static void check_env_file_clash(struct drs_plan *p, const struct drs_env_source *f, const struct drs_cmdline *base,
                                 const char *json_path) {
        struct drs_envfile env = {0};

        if (envfile_parse(f->path, f->text, &env, NULL) < 0)
                return;
        for (size_t i = 0; i < env.n; i++) {
                const struct drs_env_assignment *a = &env.items[i];
                bool braced = false;
                if (a->exported || envfile_get(&env, a->key) != a || !derive_uses_variable(base, a->key, &braced))
                        continue;
                /* ${VAR}: the value is one argument. */
                _cleanup_strv_free_ char **w = braced ? xcalloc(2, sizeof(char *)) : envfile_split_words(a->value);
                if (braced)
                        w[0] = xstrdup(a->value);
                size_t n = strv_length(w);
                for (size_t j = 0; j < n;) {
                        struct dflag d = dockerflags_next(w + j, n - j);
                        if (d.kind == DFLAG_END)
                                break;
                        _cleanup_free_ char *flag = xstrndup(w[j], strcspn(w[j], "="));
                        if (d.kind == DFLAG_TLS)
                                plan_add_finding(p, LEVEL_BLOCK,
                                                 xasprintf(_("%s:%u: %s gives dockerd %s, and the socket method sets "
                                                             "the TLS keys in %s: dockerd refuses to start when a "
                                                             "setting is both a flag and in the file"),
                                                           f->path, a->line, a->key, flag, json_path),
                                                 xstrdup(_("remove the flag there, or use --method dropin")));
                        j += d.n_words;
                }
        }
        envfile_done(&env);
}

void plan_socket_clash(struct drs_plan *p, const struct drs_host *h, const struct drs_unitset *u,
                       const struct drs_cmdline *base) {
        _cleanup_free_ struct drs_setting *v = NULL;
        const char *json_path = h->daemon_json_path;
        size_t n;

        if (p->mode != MODE_TLS)
                return;
        for (size_t i = 0; i < h->n_env_files; i++)
                check_env_file_clash(p, &h->env_files[i], base, json_path);
        n = unit_fold_setting(u->units, u->n, "Service", "Environment", &v);
        for (size_t i = 0; i < n; i++) {
                const char *t = strstr(v[i].value, "--tls");
                if (!t)
                        continue;
                _cleanup_free_ char *flag = xstrndup(t, strcspn(t, " \t\"'="));
                plan_add_finding(p, LEVEL_BLOCK,
                                 xasprintf(_("%s:%u: Environment= gives dockerd %s, and the socket method sets the TLS "
                                             "keys in %s: dockerd refuses to start when a setting is both a flag and "
                                             "in the file"),
                                           v[i].unit->path, v[i].line, flag, json_path),
                                 xstrdup(_("remove the flag there, or use --method dropin")));
        }
}
