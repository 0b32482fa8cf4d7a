/* userplan.h: rootless Docker (issue 19): what `preview --user NAME` finds for that user's own
 * daemon and what it would write (engine, src/engine/user.c). */
#pragma once

#include <stdbool.h>

#include "apply.h"
#include "engine.h"
#include "settings.h"

#define USER_DROPIN_NAME "docker-remote-setup.conf"
/* A user's own state directory under its home (apply --user's lock, record and backups). */
#define USER_STATE_DIR "/.local/state/docker-remote-setup"

struct drs_user_plan {
        char *user;
        unsigned uid, gid;
        char *home;
        char *unit_path;   /* HOME/.config/systemd/user/docker.service (as under the root) */
        char *dropin_path; /* HOME/.config/systemd/user/docker.service.d/docker-remote-setup.conf */
        char *old_text;    /* that drop-in now, NULL when absent */
        char *new_text;    /* NULL when a problem stops the plan before it */
        char *tls_dir;     /* HOME/.config/docker-remote-setup/tls (TLS mode) */
        struct drs_tls_state tls; /* TLS mode: what is in tls_dir now, and whether it is kept */
        char addr[46];
        unsigned port;
        char *listen_text; /* dockerd's "API listen on" TEXT for it: "[::]:PORT" (rootless_listen_text) */
        enum drs_mode mode;
        char *json_path;   /* the daemon.json the user's dockerd reads (HOME/.config/docker/daemon.json) */
        char *json_old;    /* its text now, NULL when absent */
        char *json_new;    /* its text without "hosts" and the TLS keys, NULL when it keeps its text */
        char **json_hosts; /* its "hosts", when they leave it */
        unsigned json_mode, json_uid, json_gid; /* its permission bits and owner, kept when it is rewritten */
        bool logs_info;    /* dockerd logs "API listen on" (its log level is info or below) */
        bool survives_late_address; /* with the drop-in, systemd restarts the daemon until its address is there */
        char **describe;   /* what rootlesskit and dockerd will do (translated) */
        char **problems;   /* each one blocks an apply (translated); NULL when none */
};

/* Reads, under root (NULL: "/"), the user (ROOT/etc/passwd), its rootless unit and drop-ins, its
 * linger file, /etc/subuid and /etc/subgid, net.ipv4.ip_unprivileged_port_start, and resolves the
 * listener as the root path does (interfaces, safety rules). Writes nothing. Returns 0 (problems in
 * the plan), -ENOENT for an unknown user, -EINVAL for a bad --root, other errors of the listener's
 * resolution (settings_resolve); the reason in *diag. */
int engine_user_plan(const char *root, const char *user, const struct drs_settings *s, struct drs_user_plan **ret,
                     struct drs_diag *diag);
void user_plan_free(struct drs_user_plan *p);
static inline void user_plan_freep(struct drs_user_plan **p) {
        user_plan_free(*p);
}
/* A user name as useradd accepts it by default: [a-z_][a-z0-9_-]*[$]?, at most 32 characters. */
bool user_name_valid(const char *name);
/* rootfs_open of root (NULL: "/"), or -EINVAL with the reason. */
int user_root_open(const char *root, struct drs_diag *diag);
/* NAME's uid, gid and home in ROOT/etc/passwd (rootfd: rootfs_open); -ENOENT with the reason. */
int user_find(int rootfd, const char *name, unsigned *uid, unsigned *gid, char **home, struct drs_diag *diag);

/* status --user NAME (src/engine/user-status.c): the user's docker.service as its own manager
 * holds it (on "/" only, as root or that user) and the listeners its current run logged. */
struct drs_user_status {
        char *user;
        unsigned uid;
        char *unit_path;      /* HOME/.config/systemd/user/docker.service */
        bool live;            /* the user's manager answered */
        char *bus_error;      /* why it did not (not live, on "/"), NULL otherwise */
        char *active_state, *sub_state, *invocation, *execstart;
        char **dropins;
        char **listeners;     /* "API listen on" of the current run */
        char *state_dir;      /* HOME/.local/state/docker-remote-setup (apply --user's backups) */
        char *pending;        /* the backup ID of a change in flight or awaiting confirmation, else NULL */
        bool pending_confirm; /* that change awaits confirmation (else it was interrupted: recover) */
        long n_backups;       /* backup sets there; -1: the directory cannot be read */
};
int engine_user_status(const char *root, const char *user, struct drs_user_status **ret, struct drs_diag *diag);
void user_status_free(struct drs_user_status *s);
static inline void user_status_freep(struct drs_user_status **s) {
        user_status_free(*s);
}

/* apply --user NAME (src/engine/user-apply.c). An engine aimed at the user's own manager: its bus
 * (/run/user/UID/bus, on "/" with systemd), its store HOME/.local/state/docker-remote-setup (lock,
 * backups, transaction record; owned by the user), and the user as the owner of what it writes.
 * The changing commands (apply, confirm, rollback, recover) use it as they use engine_open()'s.
 * -EACCES when run neither as root nor as that user, -ENOENT for an unknown user, the bus's error
 * when the user's manager does not answer (lenient: then no bus, as under another root: files
 * only; for rollback --list and recover); the reason in *diag. */
int engine_open_user(const char *root, const char *user, bool lenient, struct drs_engine **ret,
                     struct drs_diag *diag);
/* Writes p's drop-in (0644, the user's) in the engine's transaction: backup, write, reload and
 * restart of the user's docker.service, the user journal's "API listen on [::]:PORT" of this run
 * and /_ping at p's published address (in TLS mode with the client bundle, and a client
 * without a certificate refused), revert on failure. TLS mode writes the material too, in p's
 * tls_dir (ca.pem, ca-key.pem, server-cert.pem, server-key.pem, client/{ca,cert,key}.pem; keys
 * 0600; the user's), unless all of it is there already (kept); the revert timer (o->confirm_timeout)
 * is a transient timer in the user's manager running "rollback --auto ID --user NAME".
 * -EINVAL for a plan with problems or without a drop-in; -EPERM, changing nothing, when p's TLS
 * material cannot be read as this user (whether it is kept cannot be told). */
int engine_user_apply(struct drs_engine *e, const struct drs_user_plan *p, const struct drs_settings *s,
                      const struct drs_apply_opts *o, const struct drs_progress *pr, struct drs_apply_result *ret,
                      struct drs_diag *diag);

/* The preview's line about p's TLS material (TLS mode; NULL otherwise): kept, and until when;
 * replaced, and why; or new. Translated, caller frees (src/engine/user-tls.c). */
char *user_plan_tls_text(const struct drs_user_plan *p);

/* The wizard's choice of daemon (src/engine/user-daemon.c): the user who started the front end --
 * SUDO_USER (sudo_user: its value) when run as root (or under another --root), else the real user
 * on "/" -- when that user has a rootless docker.service (HOME/.config/systemd/user/docker.service
 * under root); NULL otherwise. Reads ROOT/etc/passwd and that one path. */
char *engine_rootless_candidate(const char *root, const char *sudo_user);
/* Whether root's docker.service is there (a unit file under root, NULL: "/"). */
bool engine_system_daemon(const char *root);

/* Whether the user's files (an engine_open_user engine) have rootlesskit publish a:port on the host
 * now: the port is then the user's daemon's own (src/engine/user-units.c). */
bool engine_user_publishes(struct drs_engine *e, const struct drs_addr *a, uint16_t port);
