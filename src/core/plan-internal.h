/* plan-internal.h: what the planners of plan_build share (core only; not for the engine or front ends). */
#pragma once

#include <stdbool.h>

#include "derive.h"
#include "envfile.h"
#include "plan.h"

/* The header of our docker.service drop-in, and the one earlier versions wrote (only ExecStart=). */
#define DROPIN_HEADER                                                                       \
        "# Written by docker-remote-setup: the Docker daemon's TCP listener and\n"          \
        "# restarts until its address exists at boot. Lines other than ExecStart=,\n"     \
        "# Restart=, RestartSec= and StartLimitIntervalSec= are yours and are kept.\n"    \
        "# History and earlier versions: docker-remote-setup rollback --list\n"
#define DROPIN_HEADER_V1                                                                    \
        "# Written by docker-remote-setup: the Docker daemon's TCP listener.\n"            \
        "# Lines other than ExecStart= are yours and are kept as they are.\n"               \
        "# History and earlier versions: docker-remote-setup rollback --list\n"

/* plan-dropin.c: the drop-in text with our boot lines set ([Service] service_block, then [Unit]
 * StartLimitIntervalSec=0), or taken out (service_block NULL). Caller frees; NULL: no text. */
char *dropin_set_boot(const char *text, const char *service_block, const char *unit_block);
/* plan-socket.c: whether a drop-in holds nothing but a header of ours, sections and blank lines. */
bool dropin_empty(const char *text, const char *header);

/* plan-host.c: what the state of /etc/default/docker means for dockerd. */
struct default_info {
        struct drs_envfile env;
        bool read_by_unit;      /* EnvironmentFile= names it and ExecStart uses $DOCKER_OPTS */
        bool braced;            /* ${DOCKER_OPTS}: one argument, cannot carry flags */
        char **words;           /* DOCKER_OPTS split */
        char **kept;            /* DOCKER_OPTS without TCP listeners and TLS flags */
        struct drs_derive_notes notes;
};
void default_info_done(struct default_info *d);
int read_default(const struct drs_host *h, const struct drs_unitset *u, const struct drs_cmdline *base,
                 struct default_info *d, struct drs_diag *diag);
/* The words of a command line after the executable (NULL-terminated); caller frees. */
char **cmdline_values(const struct drs_cmdline *c);
/* Whether ExecStart= takes its listeners from systemd (-H fd:// in any spelling). */
bool base_uses_fd(const struct drs_cmdline *c);
/* Whether daemon.json's "hosts" has an fd:// listener. */
bool json_uses_fd(const struct drs_host *h);

/* What plan_build has found so far, handed from one planner to the next. */
struct plan_ctx {
        const struct drs_host *h;
        const struct drs_settings *s;
        struct drs_diag *diag;
        struct drs_unitset units;
        struct drs_cmdline base;        /* the effective ExecStart now */
        struct drs_cmdline without;     /* it as our drop-in would have it without our listener */
        struct default_info def;
        struct drs_derive_opts o;
        struct drs_listen_flags lf;
        char **extra_hosts;             /* local sockets taken out of daemon.json */
        char *dropin_path;              /* our docker.service drop-in */
        char *ca, *cert, *key;          /* the TLS files' paths */
};

/* plan-json.c: daemon.json's "hosts" and TLS keys next to our flags. Returns 0 or -EBADMSG. */
int plan_json(struct drs_plan *p, struct plan_ctx *c);
/* plan-dropin.c: our docker.service drop-in (ExecStart=), and the socket method's files. */
void plan_dropin(struct drs_plan *p, struct plan_ctx *c);
/* plan-default.c: /etc/default/docker (DOCKER_OPTS). */
void plan_default(struct drs_plan *p, struct plan_ctx *c);
