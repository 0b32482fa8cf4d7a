/* rootless.h: rootless Docker's listener (issue 19): rootlesskit publishes ADDR:PORT on the host,
 * dockerd listens inside rootlesskit's network namespace; the user drop-in that says so (pure). */
#pragma once

#include <stdbool.h>

#include "derive.h"
#include "execline.h"

/* The variable dockerd-rootless.sh passes, word-split, to rootlesskit. */
#define ROOTLESS_FLAGS_VAR "DOCKERD_ROOTLESS_ROOTLESSKIT_FLAGS"

struct drs_rootless_listen {
        const char *publish_addr; /* the host-side address rootlesskit binds ("10.0.0.2") */
        unsigned port;            /* the same port on the host and inside the namespace */
        unsigned uid;             /* the user's local socket: unix:///run/user/UID/docker.sock */
        enum drs_mode mode;
        bool dual_stack;          /* the kernel gives dual-stack sockets (probe_dual_stack) */
        char *const *json_hosts;  /* daemon.json's "hosts", which leave the file: its TCP listeners are
                                   * replaced as -H ones are (noted in removed, their publishes go) */
        bool add_restart;         /* the user's units do not restart dockerd after a failed start: the
                                   * drop-in says Restart=on-failure */
        bool add_restart_sec;     /* and RestartSec=2s, where they set none */
        const char *tls_ca, *tls_cert, *tls_key; /* TLS mode */
};

/* The rootlesskit flags: the existing value's words (the user's own Environment=, may be NULL)
 * without a publish (-p/--publish SPEC, -p=SPEC, --publish=SPEC) to the same port or to the port
 * of a dockerd listener in removed (derive's notes: "-H tcp://…:PORT"), then
 * "-p ADDR:PORT:PORT/tcp" ("[ADDR]" for IPv6). Caller frees. */
char *rootless_flags(const char *existing, const struct drs_rootless_listen *l, char *const *removed);

/* Whether the rootlesskit flags (the variable's value) publish addr:port on the host: a -p/--publish
 * with that address, or with none or the wildcard. */
bool rootless_flags_publish(const char *flags, const char *addr, unsigned port);

/* The user's new ExecStart: derive_execstart's rules with "-H tcp://0.0.0.0:PORT" (the namespace's
 * every address: rootlesskit forwards to it) and, when the base gives no local listener, the
 * user's socket unix:///run/user/UID/docker.sock (not root's /var/run/docker.sock). */
void rootless_execstart(const struct drs_cmdline *base, const struct drs_rootless_listen *l, struct drs_cmdline *ret,
                        struct drs_derive_notes *notes);

/* The whole drop-in for ~/.config/systemd/user/docker.service.d/: [Unit] StartLimitIntervalSec=0
 * (measured: with the address late at boot rootlesskit cannot bind it and exits; with the setup
 * tool's StartLimitBurst=3 the daemon then stays failed), [Service] Environment= with the flags,
 * Restart=on-failure (l->add_restart), RestartSec=2s (l->add_restart_sec), ExecStart= reset and the
 * derived one.
 * Caller frees. */
char *rootless_dropin(const struct drs_cmdline *base, const char *existing_flags, const struct drs_rootless_listen *l,
                      struct drs_derive_notes *notes);

/* What dockerd's journal says for its listener inside the namespace, "API listen on" TEXT:
 * "[::]:PORT" with dual-stack sockets (Go binds 0.0.0.0 as one IPv6 socket), else
 * "0.0.0.0:PORT". Caller frees. */
char *rootless_listen_text(const struct drs_rootless_listen *l);

/* What rootlesskit and dockerd will do, for the preview: translated lines, caller frees. */
char **rootless_describe(const struct drs_rootless_listen *l);
/* The preview's line about a late address at boot: why (from unitset_restarts_forever, with the
 * drop-in in place) NULL: systemd keeps restarting the daemon until the address is there; else
 * why it does not (which line, when one is to blame). Translated, caller frees. */
char *rootless_boot_text(const struct drs_rootless_listen *l, const char *why);

/* NULL when an unprivileged process may bind the port (port >= net.ipv4.ip_unprivileged_port_start,
 * given as unpriv_start), else the reason, translated, caller frees. */
char *rootless_port_refusal(unsigned port, unsigned unpriv_start);

/* Whether /etc/subuid or /etc/subgid text gives the user (by name or uid) a range of at least
 * one id ("NAME:START:COUNT" lines). */
bool rootless_has_subid(const char *text, const char *user, unsigned uid);
