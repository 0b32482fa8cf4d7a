/* session.h: what the changing commands share: root check, engine with lock, recovery, progress output. */
#pragma once

#include <stdbool.h>

#include "apply.h"
#include "args.h"
#include "engine.h"

/* Opens the engine for a command that changes the system: needs root when working on "/",
 * takes the lock, and reverts a transaction a dead process left behind (then looks again).
 * Returns 0 or an exit code (> 0) after printing why. */
int session_open(struct drs_args *a, struct drs_engine **ret);
/* The engine alone (no lock, no recovery): with --user the user's (engine_open_user), else
 * root's, lenient: engine_open_for_state (what works from our own state alone, also not as root),
 * else engine_open (needs root on "/"). Returns 0 or an exit code (> 0) after printing why. */
int session_open_state(struct drs_args *a, bool lenient, struct drs_engine **ret);
/* Says why the lock could not be taken (not for -EBUSY); returns the exit code. */
int session_lock_failed(int r);
/* Says that another instance holds the lock: its PID, or that it is not known yet (0). */
void session_say_busy(unsigned holder);

/* When a change awaits confirmation: prints so and returns DRS_EXIT_BUSY; else 0. */
int session_refuse_pending(struct drs_engine *e);
/* session_open, then session_refuse_pending: an engine for a new change. */
int session_open_idle(struct drs_args *a, struct drs_engine **ret);

/* Progress printed as lines ("  ok    restart docker.service"), journal lines indented. */
struct drs_progress session_progress(bool json, bool show_journal);

/* Prints the outcome of an apply, rollback or revert (text or JSON). Returns the exit code. */
int session_report(struct drs_args *a, const struct drs_plan *p, const struct drs_apply_result *res,
                   const char *what);
/* After a change: the warning in *d, if any (then *d is cleared), and session_report. */
int session_finish(struct drs_args *a, const struct drs_plan *p, const struct drs_apply_result *res,
                   struct drs_diag *d, const char *what);
