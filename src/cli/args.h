/* args.h: the command line: which command, which options, checked against what each command takes. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "settings.h"

enum drs_opt {
        OPT_IFACE = 1u << 0,
        OPT_ADDRESS = 1u << 1,
        OPT_PORT = 1u << 2,
        OPT_TLS = 1u << 3,        /* --tls / --plain */
        OPT_METHOD = 1u << 4,
        OPT_ROOT = 1u << 5,
        OPT_JSON = 1u << 6,
        OPT_YES = 1u << 7,
        OPT_CONFIRM_TIMEOUT = 1u << 8,
        OPT_ALLOW_PUBLIC = 1u << 9,
        OPT_DROPIN = 1u << 10,
        OPT_TLS_DIR = 1u << 11,
        OPT_PREVIEW = 1u << 12,
        OPT_LIST = 1u << 13,
        OPT_TO = 1u << 14,
        OPT_AUTO = 1u << 15,
        OPT_TIMEOUT = 1u << 16,
        OPT_SKIP_PREFLIGHT = 1u << 17,
        OPT_ALL = 1u << 18,
        OPT_KEY_TYPE = 1u << 19,
        OPT_CERT_DAYS = 1u << 20,
        OPT_DISCARD = 1u << 21,
        OPT_ALLOW_FROM = 1u << 22,
        OPT_USER = 1u << 23,      /* rootless Docker: that user's own daemon (issue 19) */
};

#define OPT_LAST OPT_USER
/* What shapes newly generated TLS material. */
#define OPTS_TLSGEN (OPT_TLS_DIR | OPT_KEY_TYPE | OPT_CERT_DAYS)
/* What --user (rootless Docker) does not take: the root daemon's methods, allow-list and TLS directory
 * (a user's material is in ~/.config/docker-remote-setup/tls). */
#define OPTS_NOT_USER (OPT_ALLOW_FROM | OPT_METHOD | OPT_DROPIN | OPT_TLS_DIR)

#define OPTS_LISTENER \
        (OPT_IFACE | OPT_ADDRESS | OPT_PORT | OPT_TLS | OPT_METHOD | OPT_ALLOW_PUBLIC | OPT_DROPIN | OPTS_TLSGEN | OPT_ALLOW_FROM)

struct drs_args {
        const struct drs_command *command;
        unsigned seen;                 /* enum drs_opt bits given */
        struct drs_settings settings;
        char *root;                    /* NULL: "/" */
        bool json;
        bool yes;
        bool preview;
        bool list;
        bool all;
        char *to;                      /* rollback --to ID */
        char *auto_id;                 /* rollback --auto ID (the revert timer) */
        unsigned confirm_timeout;      /* seconds; 0: keep at once */
        unsigned timeout;              /* verify timeout, seconds */
        bool skip_preflight;
        bool discard;
        char *user;                    /* --user NAME: that user's rootless daemon; NULL: root's */
        char **positional;             /* arguments after the command */
};

struct drs_command {
        const char *name;
        int (*run)(struct drs_args *a);
        unsigned options;              /* enum drs_opt bits accepted */
        unsigned max_positional;       /* arguments after the command name */
        const char *usage;             /* marked for translation where defined */
        const char *summary;           /* marked for translation where defined */
};

extern const struct drs_command drs_commands[];

/* Parses argv. Returns 0, 1 when --help/--version was printed, or -EINVAL after printing
 * a usage error to stderr. */
int args_parse(int argc, char **argv, struct drs_args *ret);
void args_done(struct drs_args *a);
void args_print_help(void);
/* The usage, summary and accepted options of one command (for "COMMAND --help"). */
void args_print_command_help(const struct drs_command *cmd);
