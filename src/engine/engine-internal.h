/* engine-internal.h: what an engine holds; only src/engine sees it (the front ends get accessors). */
#pragma once

#include <stdbool.h>

#include "engine.h"

struct drs_bus;

struct drs_engine {
        char *root;              /* "/" or the --root directory */
        int rootfd;
        bool host_root;          /* root is "/": the live system */
        struct drs_bus *bus;     /* the running systemd manager, or NULL */
        int lockfd;              /* the one-instance lock, -1 when not held */
        struct drs_host host;
        /* A user's own daemon (rootless Docker, engine_open_user): its manager is e->bus, its
         * store HOME/.local/state/docker-remote-setup (store_use), and what the transaction
         * writes is its. NULL: root's daemon. */
        char *user;
        unsigned uid, gid;
};

/* The "API listen on" addresses of the user's daemon now (its current run, read from the user's
 * journal), NULL when unknown (no manager, not running) (src/engine/user-apply.c). */
char **engine_user_listeners(struct drs_engine *e);

struct drs_change;
struct drs_user_plan;
/* PLAN's tls_dir/NAME (src/engine/user-tls.c). */
char *user_tls_path(const struct drs_user_plan *p, const char *name);
/* The TLS material of a user's daemon to write (appended to *c, *n): nothing when every file is
 * there (kept), else a new CA, server certificate for addr, client bundle in client/, keys 0600,
 * all the user's. */
int user_tls_changes(struct drs_engine *e, const struct drs_user_plan *p, const struct drs_settings *s,
                     const struct drs_addr *addr, struct drs_change **c, size_t *n, struct drs_diag *diag);
