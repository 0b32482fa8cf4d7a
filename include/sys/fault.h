/* fault.h: the test-only fault switch: die or fail at a named step (DRS_TEST_FAULT). */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* DRS_TEST_FAULT holds comma-separated "POINT[@N]:ACTION" entries. POINT is a step name
 * ("after-backup", "after-file", "after-timer", "after-reload", "after-restart",
 * "during-verify", "during-revert", "during-confirm", "after-confirm"), "write" (every atomic
 * write of a configuration file, or
 * the Nth with @N), "mid-write" (the Nth such write stops half-way), and "state-write" /
 * "state-mid-write" for the writes of our own state (backups, the transaction record). ACTION is "kill" (SIGKILL to ourselves), "stop" (at
 * a step: SIGSTOP to ourselves, so that a test can change the system before it sends SIGCONT) or,
 * for writes, "enospc", "eio" or "eacces". Read only by the test build (compiled with
 * DRS_TEST_HOOKS: docker-remote-setup-test, built by `make check`); in the installed program
 * every call is a no-op and the environment is not looked at. */

/* At a named step: SIGKILLs (or SIGSTOPs) the process when the step is armed with "kill" ("stop"). */
void fault_step(const char *name);
/* Whether the Nth call for this point (counted per point) is armed with "kill". */
bool fault_point(const char *name);
/* For an atomic write: the negative errno armed for this (counted) write, else 0. */
int fault_write(const char *what, const char *content, size_t len);
void fault_kill_now(void) __attribute__((noreturn));
