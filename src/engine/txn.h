/* txn.h: the engine's transaction internals, shared by apply, rollback and recovery. */
#pragma once

#include "apply.h"
#include "engine-internal.h"
#include "probe.h"

/* One file to put in place (content NULL: remove it). */
struct drs_change {
        char *path;
        char *content;   /* any bytes (a tar file has NULs): len says how many */
        size_t len;
        unsigned mode, uid, gid;
};

/* What proves the daemon took the change. */
struct drs_verify {
        char **expect;                 /* "API listen on" addresses to wait for; empty: none */
        bool probe;                    /* also GET /_ping on the listener below */
        struct drs_addr addr;
        uint16_t port;
        struct drs_probe_tls tls;      /* ca_file NULL: plain */
        bool tls_refuses_anonymous;    /* check that a client without certificate is refused */
        bool stop_first;               /* stop the unit first (a failed start may still be retrying) */
        bool socket;                   /* docker.socket's listeners change: stop docker.service, restart
                                        * docker.socket, then start docker.service */
        bool allow_list;               /* docker.socket has IPAddressAllow= (and IPAccounting=): prove that
                                        * systemd enforces it */
        unsigned timeout;              /* seconds */
};

/* Reload, reset-failed, restart docker.service, then wait for v. Journal lines go to pr and into
 * res->journal. Returns 0, or a negative errno with a translated reason in *ret_reason. */
/* Whether systemd filters docker.socket's connections by its allow-list (its IP accounting has
 * data: the BPF programs are attached); *ret_reason says why not. */
int txn_check_enforced(struct drs_engine *e, char **ret_reason);
int txn_restart_and_verify(struct drs_engine *e, const struct drs_verify *v, const struct drs_progress *pr,
                       struct drs_apply_result *res, char **ret_reason);

/* One transaction: what changes and how the change is proven. */
struct drs_txn_request {
        const char *kind;              /* "apply", "rollback": the backup set's kind */
        const char *summary;           /* for the set and the event log */
        struct drs_change *changes;
        size_t n_changes;
        char *const *empty_dirs;       /* removed once empty (deepest last); may be NULL */
        char *const *listen_before;    /* the listeners now */
        const char *listen_after;      /* the listener the change adds; may be NULL */
        const struct drs_verify *verify;
        unsigned confirm_timeout;      /* > 0: the change is left pending with a revert timer */
};

/* Backs up the paths of the changes as a new set (kind, summary, listeners before/after),
 * writes them, removes q->empty_dirs while the record still exists, restarts and verifies;
 * reverts at once on failure. */
int txn_execute(struct drs_engine *e, const struct drs_txn_request *q, const struct drs_progress *pr,
                struct drs_apply_result *res, struct drs_diag *diag);

/* Arms a transient revert timer running `rollback --auto id` after delay seconds; its name is
 * added to t->timers. */
int txn_arm_timer(struct drs_engine *e, const char *prefix, const char *id, unsigned delay, struct drs_txn *t);
/* Stops the timers of t (their services, if running, finish). */
void txn_stop_timers(struct drs_engine *e, struct drs_txn *t);
/* Saves the manifest with its result once the change is done. A failure does not undo the change:
 * *diag gets a warning (the set then reads as "in flight" in rollback --list). */
void txn_note_result(struct drs_engine *e, const struct drs_manifest *m, struct drs_diag *diag);
/* Puts the files of backup set m back byte for byte; removes directories the change created. */
int txn_restore_files(struct drs_engine *e, const struct drs_manifest *m, char *const *dirs_created, struct drs_diag *diag);
/* Restores set id and, with systemd, restarts and waits for the listeners it had; records why. */
int txn_revert_to(struct drs_engine *e, const char *id, struct drs_txn *t, const char *why, unsigned timeout,
              const struct drs_progress *pr, struct drs_diag *diag);

/* Adds a BLOCK finding to p for each write of the plan that could not, or must not, be made:
 * symlinks, files or long names in the way, hard links, other owners, a file over the size the
 * tool reads back, TLS material others could read or swap, a state directory not root's. */
void engine_check_targets(struct drs_engine *e, const struct drs_settings *s, struct drs_plan *p);

/* Whether a changed path is a docker.socket drop-in (the change needs docker.socket restarted). */
bool txn_path_is_socket_dropin(const char *path);
/* Whether a backup set holds a docker.socket drop-in (its restore or completion restarts both units). */
bool txn_has_socket_dropin(const struct drs_manifest *m);

void txn_progress_step(const struct drs_progress *pr, enum drs_step s, enum drs_step_state st, const char *detail);
void txn_changes_free(struct drs_change *c, size_t n);
