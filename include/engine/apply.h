/* apply.h: changing the live daemon as one transaction: backup, write, restart, verify, keep or revert. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "diag.h"
#include "engine.h"
#include "manifest.h"

enum drs_step {
        STEP_BACKUP,
        STEP_WRITE,
        STEP_TIMER,
        STEP_RELOAD,
        STEP_RESTART,
        STEP_JOURNAL,
        STEP_PING,
        STEP_KEEP,
        STEP_REVERT,
        _STEP_MAX,
};

enum drs_step_state {
        STEP_RUNNING,
        STEP_DONE,
        STEP_FAILED,
        STEP_SKIPPED,
};

/* Live progress for a front end; every member may be NULL. */
struct drs_progress {
        void (*step)(void *userdata, enum drs_step s, enum drs_step_state st, const char *detail);
        void (*line)(void *userdata, const char *message, uint64_t realtime_usec);
        void *userdata;
};

const char *step_label(enum drs_step s);

struct drs_apply_opts {
        unsigned verify_timeout;   /* seconds to wait for "API listen on" (default 60) */
        unsigned confirm_timeout;  /* seconds to wait for `confirm`; 0 keeps the change at once */
};

enum drs_outcome {
        OUTCOME_KEPT,          /* verified and kept */
        OUTCOME_PENDING,       /* verified; reverted at the deadline unless confirmed */
        OUTCOME_NOTHING,       /* already in place (and answering, when .answered) */
        OUTCOME_WRITTEN,       /* files written; no systemd to restart (other root, or no systemd) */
        OUTCOME_ROLLED_BACK,   /* verification failed; the old state is back and verified */
        OUTCOME_REVERT_FAILED, /* verification failed; restoring did not verify either */
        OUTCOME_BLOCKED,       /* pre-flight refused: nothing was done (set by front ends) */
};

struct drs_apply_result {
        enum drs_outcome outcome;
        char *id;                /* the backup set */
        uint64_t deadline;       /* realtime µs (pending) */
        char *reason;            /* why verification failed (translated) */
        char **journal;          /* the journal lines of the restart(s), for the failure report */
        uint64_t restart_usec;   /* when the restart was requested (realtime µs) */
        uint64_t listen_usec;    /* dockerd's own journal timestamp of "API listen on" */
        uint64_t verified_usec;  /* when /_ping answered */
        bool answered;           /* OUTCOME_NOTHING: /_ping answered on the listener (no probe: false) */
        char *anonymous_refused; /* TLS: how dockerd refused a client without certificate (English) */
};

void apply_result_done(struct drs_apply_result *r);

/* Takes the one-instance lock for this engine's root (kept until engine_free). -EBUSY: another
 * instance runs (*ret_holder its PID). */
int engine_lock(struct drs_engine *e, unsigned wait_sec, unsigned *ret_holder);
/* Gives the lock up before engine_free() (a pending change: its revert timer must be able to
 * take it at the deadline). */
void engine_unlock(struct drs_engine *e);
/* The text for a failure of engine_lock() (and of the state directory): why a file there is
 * refused (another hard link, another owner), or strerror(). */
const char *engine_lock_strerror(int r);
/* The whole sentence for a failure of engine_lock() other than -EBUSY, naming the lock file;
 * caller frees. */
char *engine_lock_failure(int r);

/* Carries out the plan. The lock must be held and no transaction may be in flight. Returns 0
 * with the outcome in *ret (a failed verification is an outcome, not an error), or a negative
 * errno when it could not start or write (then nothing was changed: files were restored). */
int engine_apply(struct drs_engine *e, const struct drs_plan *p, const struct drs_settings *s,
                 const struct drs_apply_opts *o,
                 const struct drs_progress *pr, struct drs_apply_result *ret, struct drs_diag *diag);

/* Restores backup set id (the state before it) byte for byte, then reload, reset-failed,
 * restart and wait for the listeners it had. kind is recorded in the new set's result. */
int engine_revert(struct drs_engine *e, const char *id, const char *why, unsigned verify_timeout,
                  const struct drs_progress *pr, struct drs_apply_result *ret, struct drs_diag *diag);

/* Restores backup set id as a new transaction (itself backed up first) and verifies the
 * listeners that set had. */
int engine_rollback_to(struct drs_engine *e, const char *id, unsigned verify_timeout, const struct drs_progress *pr,
                       struct drs_apply_result *ret, struct drs_diag *diag);

/* The transaction in flight, if any: -ENOENT when none. */
int engine_pending(struct drs_engine *e, struct drs_txn *ret, struct drs_diag *diag);
/* Whether t is a pending change whose revert timer still runs (1), or one left behind (0). */
int engine_txn_alive(struct drs_engine *e, const struct drs_txn *t);
/* Keeps a pending change: stops its revert timers and records it. -ENOENT when none is pending. */
int engine_confirm(struct drs_engine *e, char **ret_id, struct drs_diag *diag);
/* Moves the deadline of a pending change seconds later (a new timer first, then the old ones
 * stop). -ENOENT when nothing is pending. */
int engine_extend(struct drs_engine *e, unsigned seconds, uint64_t *ret_deadline, struct drs_diag *diag);
/* Finishes an interrupted change the other way: restart and verify the listener it was adding;
 * reverts when that fails or too little is known. */
int engine_complete(struct drs_engine *e, const struct drs_progress *pr, struct drs_apply_result *res,
                    struct drs_diag *diag);
/* Finishes a transaction a dead process left behind by reverting it. Returns 1 when one was
 * repaired, 0 when there was none (or it is pending with its timer alive), negative on error. */
/* Sets the transaction record aside (renamed, not deleted) without reverting anything: the way
 * out when it cannot be read or names a backup set that is gone. *ret_path: where it went. */
int engine_discard(struct drs_engine *e, char **ret_path, struct drs_diag *diag);
int engine_recover(struct drs_engine *e, const struct drs_progress *pr, struct drs_apply_result *ret,
                   struct drs_diag *diag);
