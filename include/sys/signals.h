/* signals.h: a change is never cut short by a signal: SIGPIPE ignored, HUP/INT/TERM deferred. */
#pragma once

#include <signal.h>
#include <stdbool.h>

/* At start: SIGPIPE ignored (a closed pipe on stdout makes writes fail with EPIPE; the command
 * goes on and main() reports the lost output at the end). With raise_after (the wizard, which
 * would otherwise go on running), a signal deferred by a critical section is raised again with
 * its usual action as the section ends; else it is only noted (signals_deferred()). */
void signals_setup(bool raise_after);

/* Blocks SIGHUP, SIGINT and SIGTERM for a critical section (a transaction: from the backup to
 * kept, pending or reverted); returns the mask to give back to signals_resume(). Nests. */
sigset_t signals_defer(void);
/* Ends the section: the deferred signals are taken (noted for signals_deferred()), the mask
 * restored. The change has completed or reverted: nothing is left half-way. */
void signals_resume(const sigset_t *old);
/* The first signal deferred by a critical section so far, or 0. */
int signals_deferred(void);

/* The rest of the enclosing block is a critical section (ends when the block is left). */
#define SIGNALS_DEFERRED_HERE __attribute__((cleanup(signals_resume))) sigset_t signals_old_ = signals_defer()
