/* frontend.c: what the wizard and the commands may know and use of an engine and its process. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <unistd.h>

#include "apply.h"
#include "engine-internal.h"
#include "i18n.h"
#include "ifenum.h"
#include "journal.h"
#include "localedir.h"
#include "signals.h"
#include "store.h"
#include "trace.h"
#include "util.h"

const char *engine_root(const struct drs_engine *e) {
        return e->root;
}

bool engine_is_live(const struct drs_engine *e) {
        return e->host_root;
}

bool engine_has_systemd(const struct drs_engine *e) {
        return e->bus != NULL;
}

const struct drs_iface_list *engine_ifaces(const struct drs_engine *e) {
        return &e->host.ifaces;
}

struct drs_follow {
        struct drs_journal_watch *watch;
};

int engine_follow_open(struct drs_engine *e, struct drs_follow **ret) {
        struct drs_journal_watch *w = NULL;
        int r;

        if (!e->bus)
                return -ENOTCONN;
        /* A user's engine: that user's own journal (readable by the user, or root). */
        r = e->user ? journal_watch_open_user(e->uid, "docker.service", &w) : journal_watch_open(NULL, "docker.service", &w);
        if (r < 0)
                return r;
        *ret = xcalloc(1, sizeof(struct drs_follow));
        (*ret)->watch = w;
        return 0;
}

int engine_follow_poll(struct drs_follow *f, drs_follow_fn fn, void *userdata) {
        return journal_watch_poll(f->watch, fn, userdata);
}

void engine_follow_close(struct drs_follow *f) {
        if (!f)
                return;
        journal_watch_close(f->watch);
        free(f);
}

int engine_interfaces(struct drs_iface_list *ret) {
        return ifenum_list(ret);
}

const char *engine_interfaces_strerror(int r) {
        return ifenum_strerror(r);
}

void engine_unlock(struct drs_engine *e) {
        if (e->lockfd >= 0)
                close(e->lockfd);
        e->lockfd = -1;
}

const char *engine_lock_strerror(int r) {
        return store_strerror(r);
}

char *engine_lock_failure(int r) {
        if (r == -EBADFD || r == -ELOOP)
                return xasprintf(_("%s/lock is not a regular file; remove it (no other %s is running if it is not a "
                                   "file)"),
                                 store_dir(), PACKAGE);
        _cleanup_free_ char *lock = xasprintf("%s/lock", store_dir());
        return xasprintf(_("cannot take the lock in %s: %s"), lock, store_strerror(r));
}

void engine_process_setup(bool raise_after) {
        signals_setup(raise_after);
}

int engine_deferred_signal(void) {
        return signals_deferred();
}

const char *engine_locale_dir(void) {
        return drs_locale_dir();
}

void engine_trace(const char *fmt, ...) {
        va_list ap;

        va_start(ap, fmt);
        vtrace(fmt, ap);
        va_end(ap);
}
