/* signals.c: a change is never cut short by a signal: SIGPIPE ignored, HUP/INT/TERM deferred. */
#include "signals.h"

#include <time.h>

static volatile sig_atomic_t deferred;
static bool raise_after;

static void deferred_set(sigset_t *s) {
        sigemptyset(s);
        sigaddset(s, SIGHUP);
        sigaddset(s, SIGINT);
        sigaddset(s, SIGTERM);
}

void signals_setup(bool raise_deferred) {
        raise_after = raise_deferred;
        (void) signal(SIGPIPE, SIG_IGN);
}

sigset_t signals_defer(void) {
        sigset_t s, old;
        deferred_set(&s);
        (void) sigprocmask(SIG_BLOCK, &s, &old);
        return old;
}

void signals_resume(const sigset_t *old) {
        sigset_t s;
        const struct timespec now = {0, 0};
        int sig;

        /* Nested: the outer section takes them. */
        deferred_set(&s);
        if (sigismember(old, SIGTERM) && sigismember(old, SIGINT) && sigismember(old, SIGHUP))
                return;
        /* Taken here, so that restoring the mask does not kill us before the outcome is said. */
        while ((sig = sigtimedwait(&s, NULL, &now)) > 0)
                if (!deferred)
                        deferred = sig;
        (void) sigprocmask(SIG_SETMASK, old, NULL);
        if (raise_after && deferred)
                (void) raise(deferred);
}

int signals_deferred(void) {
        return deferred;
}
