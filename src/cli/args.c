/* args.c: the command line: which command, which options, checked against what each command takes. */
#include "args.h"

#include <errno.h>
#include <getopt.h>
#include <sys/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "allowlist.h"
#include "i18n.h"
#include "userplan.h"
#include "util.h"

enum {
        ARG_IFACE = 0x100, ARG_ADDRESS, ARG_PORT, ARG_TLS, ARG_PLAIN, ARG_METHOD, ARG_ROOT, ARG_JSON, ARG_YES,
        ARG_CONFIRM_TIMEOUT, ARG_ALLOW_PUBLIC, ARG_DROPIN, ARG_TLS_DIR, ARG_PREVIEW, ARG_LIST, ARG_TO, ARG_AUTO,
        ARG_TIMEOUT, ARG_SKIP_PREFLIGHT, ARG_ALL, ARG_KEY_TYPE, ARG_CERT_DAYS, ARG_DISCARD, ARG_ALLOW_FROM, ARG_USER,
        ARG_HELP, ARG_VERSION,
};

static const struct option long_options[] = {
        {"iface", required_argument, NULL, ARG_IFACE},
        {"address", required_argument, NULL, ARG_ADDRESS},
        {"port", required_argument, NULL, ARG_PORT},
        {"tls", no_argument, NULL, ARG_TLS},
        {"plain", no_argument, NULL, ARG_PLAIN},
        {"method", required_argument, NULL, ARG_METHOD},
        {"root", required_argument, NULL, ARG_ROOT},
        {"json", no_argument, NULL, ARG_JSON},
        {"yes", no_argument, NULL, ARG_YES},
        {"confirm-timeout", required_argument, NULL, ARG_CONFIRM_TIMEOUT},
        {"allow-public", no_argument, NULL, ARG_ALLOW_PUBLIC},
        {"allow-from", required_argument, NULL, ARG_ALLOW_FROM},
        {"dropin", required_argument, NULL, ARG_DROPIN},
        {"tls-dir", required_argument, NULL, ARG_TLS_DIR},
        {"preview", no_argument, NULL, ARG_PREVIEW},
        {"list", no_argument, NULL, ARG_LIST},
        {"to", required_argument, NULL, ARG_TO},
        {"auto", required_argument, NULL, ARG_AUTO},
        {"timeout", required_argument, NULL, ARG_TIMEOUT},
        {"skip-preflight", no_argument, NULL, ARG_SKIP_PREFLIGHT},
        {"all", no_argument, NULL, ARG_ALL},
        {"key-type", required_argument, NULL, ARG_KEY_TYPE},
        {"cert-days", required_argument, NULL, ARG_CERT_DAYS},
        {"discard", no_argument, NULL, ARG_DISCARD},
        {"user", required_argument, NULL, ARG_USER},
        {"help", no_argument, NULL, ARG_HELP},
        {"version", no_argument, NULL, ARG_VERSION},
        {},
};

static const struct {
        int arg;
        unsigned bit;
} arg_bits[] = {
        {ARG_IFACE, OPT_IFACE}, {ARG_ADDRESS, OPT_ADDRESS}, {ARG_PORT, OPT_PORT}, {ARG_TLS, OPT_TLS},
        {ARG_PLAIN, OPT_TLS}, {ARG_METHOD, OPT_METHOD}, {ARG_ROOT, OPT_ROOT}, {ARG_JSON, OPT_JSON},
        {ARG_YES, OPT_YES}, {ARG_CONFIRM_TIMEOUT, OPT_CONFIRM_TIMEOUT}, {ARG_ALLOW_PUBLIC, OPT_ALLOW_PUBLIC},
        {ARG_DROPIN, OPT_DROPIN}, {ARG_TLS_DIR, OPT_TLS_DIR}, {ARG_PREVIEW, OPT_PREVIEW}, {ARG_LIST, OPT_LIST},
        {ARG_TO, OPT_TO}, {ARG_AUTO, OPT_AUTO}, {ARG_TIMEOUT, OPT_TIMEOUT}, {ARG_SKIP_PREFLIGHT, OPT_SKIP_PREFLIGHT},
        {ARG_ALL, OPT_ALL}, {ARG_KEY_TYPE, OPT_KEY_TYPE}, {ARG_CERT_DAYS, OPT_CERT_DAYS},
        {ARG_DISCARD, OPT_DISCARD}, {ARG_ALLOW_FROM, OPT_ALLOW_FROM},
        {ARG_USER, OPT_USER},
};

static int usage_error(const char *fmt, ...) _printf_(1, 2);
static int usage_error(const char *fmt, ...) {
        va_list ap;
        fprintf(stderr, "%s: ", PACKAGE);
        va_start(ap, fmt);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
        fprintf(stderr, "\n%s\n", _("Try 'docker-remote-setup --help'."));
        return -EINVAL;
}

/* A decimal number from 1 to max, or -EINVAL. */
static int parse_count(const char *s, unsigned max, unsigned *ret) {
        unsigned long v = 0;
        if (!*s || strlen(s) > 9 || strspn(s, "0123456789") != strlen(s) || (v = strtoul(s, NULL, 10)) < 1 || v > max)
                return -EINVAL;
        *ret = (unsigned) v;
        return 0;
}

static int parse_seconds(const char *opt, const char *s, unsigned max, unsigned *ret) {
        if (parse_count(s, max, ret) < 0)
                return usage_error(_("%s: \"%s\" is not a number of seconds from 1 to %u"), opt, s, max);
        return 0;
}

static void set_string(char **p, const char *v) {
        free(*p);
        *p = xstrdup(v);
}

/* --address: an IP literal, not link-local; a zone only on an IPv6 one (and then refused). */
static int parse_address(const char *arg, char **ret) {
        struct drs_addr addr;
        /* A scoped address (ADDR%ZONE): the class is the address's, whatever the zone. */
        const char *zone = strchr(arg, '%');
        _cleanup_free_ char *bare = xstrndup(arg, zone ? (size_t) (zone - arg) : strlen(arg));
        if (addr_parse(bare, &addr) < 0 || (zone && addr.family != AF_INET6))
                return usage_error(_("--address: \"%s\" is not an IPv4 or IPv6 address"), arg);
        if (addr_classify(&addr) == ADDR_CLASS_LINK_LOCAL)
                return usage_error(_("--address: %s is link-local; link-local addresses are not offered "
                                     "(they are not routable and change with the interface)"), arg);
        if (zone)
                return usage_error(_("--address: %s: a zone (\"%s\") is for link-local addresses only; give "
                                     "%s and choose the interface with --iface"),
                                   arg, zone, bare);
        set_string(ret, arg);
        return 0;
}

/* The options whose value names a file, a user or networks. */
static int parse_named(int c, struct drs_args *a) {
        struct drs_settings *s = &a->settings;
        int r;

        switch (c) {
        case ARG_ALLOW_FROM: {
                struct drs_diag d = {0};
                r = allowlist_add(&s->allow_from, &s->allow_from_any, optarg, &d);
                if (r < 0)
                        r = usage_error("--allow-from: %s", d.message);
                diag_done(&d);
                return r;
        }
        case ARG_DROPIN:
                if (!settings_dropin_name_valid(optarg))
                        return usage_error(_("--dropin: \"%s\" must be a plain file name ending in \".conf\""), optarg);
                set_string(&s->dropin_name, optarg);
                return 0;
        case ARG_TLS_DIR:
                if (optarg[0] != '/' || strstr(optarg, "/../") || endswith(optarg, "/.."))
                        return usage_error(_("--tls-dir: \"%s\" must be an absolute path without \"..\""), optarg);
                set_string(&s->tls_dir, optarg);
                return 0;
        case ARG_USER:
                if (!user_name_valid(optarg))
                        return usage_error(_("--user: \"%s\" is not a user name (letters a-z, digits, '_' and '-', "
                                             "starting with a letter or '_')"),
                                           optarg);
                set_string(&a->user, optarg);
                return 0;
        }
        return -EINVAL;
}

static int parse_one(int c, struct drs_args *a) {
        struct drs_settings *s = &a->settings;
        int r;

        switch (c) {
        case ARG_IFACE:
                if (!ifname_valid(optarg))
                        return usage_error(_("--iface: \"%s\" is not a valid interface name"), optarg);
                set_string(&s->iface, optarg);
                return 0;
        case ARG_ADDRESS:
                return parse_address(optarg, &s->address);
        case ARG_PORT:
                r = port_parse(optarg, &s->port);
                if (r < 0)
                        return usage_error(_("--port: \"%s\" is not a port number from 1 to 65535"), optarg);
                return 0;
        case ARG_TLS:
        case ARG_PLAIN:
                if ((a->seen & OPT_TLS) && s->mode != (c == ARG_TLS ? MODE_TLS : MODE_PLAIN))
                        return usage_error(_("--tls and --plain cannot be used together"));
                s->mode = c == ARG_TLS ? MODE_TLS : MODE_PLAIN;
                return 0;
        case ARG_METHOD:
                if (method_from_string(optarg, &s->method) < 0)
                        return usage_error(_("--method: \"%s\" is not \"socket\", \"dropin\" or \"docker-opts\""),
                                           optarg);
                s->method_set = true;
                return 0;
        case ARG_ROOT:
                if (optarg[0] != '/')
                        return usage_error(_("--root: \"%s\" is not an absolute path"), optarg);
                set_string(&a->root, optarg);
                return 0;
        case ARG_JSON:
                a->json = true;
                return 0;
        case ARG_YES:
                a->yes = true;
                return 0;
        case ARG_CONFIRM_TIMEOUT:
                return parse_seconds("--confirm-timeout", optarg, 86400, &a->confirm_timeout);
        case ARG_TIMEOUT:
                return parse_seconds("--timeout", optarg, 3600, &a->timeout);
        case ARG_ALLOW_PUBLIC:
                s->allow_public = true;
                return 0;
        case ARG_PREVIEW:
                a->preview = true;
                return 0;
        case ARG_LIST:
                a->list = true;
                return 0;
        case ARG_ALL:
                a->all = true;
                return 0;
        case ARG_TO:
                set_string(&a->to, optarg);
                return 0;
        case ARG_AUTO:
                set_string(&a->auto_id, optarg);
                return 0;
        case ARG_SKIP_PREFLIGHT:
                a->skip_preflight = true;
                return 0;
        case ARG_DISCARD:
                a->discard = true;
                return 0;
        case ARG_KEY_TYPE:
                if (key_type_from_string(optarg, &s->key_type) < 0)
                        return usage_error(_("--key-type: \"%s\" is neither \"ecdsa\" nor \"rsa\""), optarg);
                s->key_type_set = true;
                return 0;
        case ARG_CERT_DAYS:
                if (parse_count(optarg, DRS_MAX_CERT_DAYS, &s->cert_days) < 0)
                        return usage_error(_("--cert-days: \"%s\" is not a number of days from 1 to %u"), optarg,
                                           DRS_MAX_CERT_DAYS);
                return 0;
        case ARG_ALLOW_FROM:
        case ARG_DROPIN:
        case ARG_TLS_DIR:
        case ARG_USER:
                return parse_named(c, a);
        }
        return -EINVAL;
}

static const struct drs_command *find_command(const char *name) {
        for (size_t i = 0; drs_commands[i].name; i++)
                if (streq(drs_commands[i].name, name))
                        return &drs_commands[i];
        return NULL;
}

static const char *option_name(unsigned bit) {
        for (size_t i = 0; i < ELEMENTSOF(arg_bits); i++)
                if (arg_bits[i].bit == bit)
                        for (size_t j = 0; long_options[j].name; j++)
                                if (long_options[j].val == arg_bits[i].arg)
                                        return long_options[j].name;
        return "?";
}

int args_parse(int argc, char **argv, struct drs_args *ret) {
        struct drs_args a = {.timeout = 60};
        int c, r;

        a.positional = xcalloc(1, sizeof(char *));
        opterr = 0;
        /* "+": options may come before and after the command; parse them all. */
        while ((c = getopt_long(argc, argv, "-hV", long_options, NULL)) != -1) {
                c = c == 'h' ? ARG_HELP : c == 'V' ? ARG_VERSION : c; /* the two short options */
                if (c == 1) {
                        if (a.command)
                                strv_push(&a.positional, optarg);
                        else if (!(a.command = find_command(optarg))) {
                                r = usage_error(_("unknown command \"%s\""), optarg);
                                goto fail;
                        }
                        continue;
                }
                if (c == ARG_HELP) {
                        /* After a command: that command's options (the bash completion reads them). */
                        if (a.command)
                                args_print_command_help(a.command);
                        else
                                args_print_help();
                        args_done(&a);
                        return 1;
                }
                if (c == ARG_VERSION) {
                        printf("%s %s\n", PACKAGE, VERSION);
                        args_done(&a);
                        return 1;
                }
                if (c == '?' || c == ':') {
                        /* A short option getopt does not know also sets optopt (to its letter). */
                        r = optopt >= ARG_IFACE ? usage_error(_("option \"%s\" needs a value"), argv[optind - 1])
                                   : usage_error(_("unknown option \"%s\""), argv[optind - 1]);
                        goto fail;
                }
                for (size_t i = 0; i < ELEMENTSOF(arg_bits); i++)
                        if (arg_bits[i].arg == c) {
                                r = parse_one(c, &a);
                                if (r < 0)
                                        goto fail;
                                a.seen |= arg_bits[i].bit;
                        }
        }
        /* getopt stops at "--": what follows would be silently ignored. */
        if (optind < argc) {
                r = usage_error(_("arguments after \"--\" are not read (\"%s\"): remove the \"--\""), argv[optind]);
                goto fail;
        }
        if (!a.command)
                a.command = find_command("wizard");
        for (unsigned bit = 1; bit <= OPT_LAST; bit <<= 1)
                if ((a.seen & bit) && !(a.command->options & bit)) {
                        r = usage_error(_("option --%s does not apply to \"%s\""), option_name(bit), a.command->name);
                        goto fail;
                }
        if ((a.seen & OPT_ALLOW_FROM) && a.settings.method_set && a.settings.method != METHOD_SOCKET) {
                r = usage_error(_("--allow-from is enforced by systemd on docker.socket, which only the socket "
                                  "method writes; use --method socket (not --method %s)"),
                                method_to_string(a.settings.method));
                goto fail;
        }
        /* Rootless Docker (--user) has one listener method (rootlesskit's port driver) and its own
         * TLS directory: these options would be ignored there, so they are refused. */
        unsigned not_user = a.user ? a.seen & OPTS_NOT_USER : 0;
        if (not_user) {
                r = usage_error(_("option --%s does not apply to --user (rootless Docker)"),
                                option_name(not_user & -not_user)); /* the first of them */
                goto fail;
        }
        a.settings.ssh_client = settings_ssh_client(getenv("SSH_CONNECTION"));
        if (strv_length(a.positional) > a.command->max_positional) {
                r = usage_error(_("unexpected argument \"%s\""), a.positional[a.command->max_positional]);
                goto fail;
        }
        *ret = a;
        return 0;
fail:
        args_done(&a);
        return r;
}

void args_done(struct drs_args *a) {
        settings_done(&a->settings);
        free(a->root);
        free(a->to);
        free(a->user);
        free(a->auto_id);
        strv_free(a->positional);
        *a = (struct drs_args) {0};
}

void args_print_help(void) {
        printf(_("Usage: %s [COMMAND] [OPTIONS]\n\n"
                 "Expose the Docker daemon over TCP safely: on a chosen interface, with TLS by default,\n"
                 "previewed first, verified against the live daemon, reverted when it does not work.\n\n"),
               PACKAGE);
        printf("%s\n", _("Commands:"));
        for (size_t i = 0; drs_commands[i].name; i++) {
                struct drs_buf b = {0};
                buf_append(&b, "  ");
                buf_append_padded(&b, _(drs_commands[i].usage), 44);
                printf("%s %s\n", b.data, _(drs_commands[i].summary));
                buf_free(&b);
        }
        printf("\n%s\n", _("Options:"));
        printf("%s", _("  --iface IF              the interface to listen on\n"
                       "  --address IP            one of its addresses, or 0.0.0.0 (all; needs --allow-public)\n"
                       "  --port N                the TCP port (default 2376 with TLS, 2375 plain)\n"
                       "  --tls                   TLS with client certificates (the default)\n"
                       "  --plain                 plain TCP: loopback, private, CGNAT or ULA addresses only\n"
                       "  --allow-public          allow a public address or 0.0.0.0 (TLS only)\n"
                       "  --allow-from CIDR       only these networks (and localhost) may connect; repeatable;\n"
                       "                          \"any\" removes the restriction (socket method only)\n"
                       "  --method M              socket (docker.socket drop-in), dropin or docker-opts\n"
                       "                          (default: socket with socket activation, else dropin)\n"
                       "  --dropin NAME           the drop-in's file name (default override.conf)\n"
                       "  --tls-dir DIR           where TLS material goes (default /etc/docker/remote-setup)\n"
                       "  --key-type T            keys of new TLS material: ecdsa (P-256, default) or rsa (3072)\n"
                       "  --cert-days N           validity of new server and client certificates (default 825;\n"
                       "                          the CA: twice that, 10 years at least)\n"
                       "  --root DIR              operate on the files under DIR; no systemd call is made\n"
                       "  --json                  machine-readable output\n"
                       "  --yes                   do it without asking\n"
                       "  --confirm-timeout N     keep the change only if confirmed within N seconds\n"
                       "  --timeout N             how long to wait for the daemon to verify (default 60)\n"
                       "  --skip-preflight        (expert) apply even when pre-flight checks fail\n"
                       "  --list, --to ID, --all  rollback: list backups, restore one, show all\n"
                       "  --auto ID               rollback: what the revert timer runs at the deadline\n"
                       "  --discard               recover: set an unreadable transaction record aside\n"
                       "  --preview               wizard: preview only, write nothing\n"
                       "  -h, --help, -V, --version\n"));
        printf("%s", _("  --user NAME             wizard, preview, apply, confirm, rollback, recover,\n"
                       "                          status: that user's rootless Docker daemon (its own\n"
                       "                          systemd manager, ~/.config/systemd/user/docker.service)\n"));
        printf("\n%s\n", _("Run \"docker-remote-setup COMMAND --help\" for the options of one command."));
        printf("\n%s\n", _("Exit codes: 0 done, 1 failure, 2 usage error, 3 not root, 4 precondition failed,\n"
                           "5 verification failed and rolled back, 6 nothing to do, 7 rollback failed,\n"
                           "8 busy. See docker-remote-setup(8)."));
}

void args_print_command_help(const struct drs_command *cmd) {
        struct drs_buf b = {0};
        size_t col = 2;

        printf(_("Usage: %s %s\n"), PACKAGE, _(cmd->usage));
        printf("%s\n\n%s\n ", _(cmd->summary), _("Options:"));
        for (size_t j = 0; long_options[j].name; j++) {
                unsigned bit = 0;
                for (size_t i = 0; i < ELEMENTSOF(arg_bits); i++)
                        if (arg_bits[i].arg == long_options[j].val)
                                bit = arg_bits[i].bit;
                if (bit && !(cmd->options & bit))
                        continue;
                if (!bit && long_options[j].val != ARG_HELP)
                        continue; /* --version: not an option of a command */
                b.len = 0;
                buf_appendf(&b, " --%s%s", long_options[j].name, long_options[j].has_arg ? " …" : "");
                if (col + utf8_width(b.data) > 78) {
                        fputs("\n ", stdout);
                        col = 2;
                }
                fputs(b.data, stdout);
                col += utf8_width(b.data);
        }
        printf("\n\n%s\n", _("What each option does: docker-remote-setup --help, and docker-remote-setup(8)."));
        buf_free(&b);
}
