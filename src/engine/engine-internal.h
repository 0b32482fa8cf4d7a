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
/* Whether the TLS material in PLAN's tls_dir can be kept for addr (p->tls: present, reusable,
 * or the reason it is not), as root's is looked at (src/engine/user-tls.c). */
void user_tls_check(int rootfd, struct drs_user_plan *p, const struct drs_addr *addr);
/* The TLS material of a user's daemon to write (appended to *c, *n): nothing when p->tls says it
 * is kept, else a new CA, server certificate for addr, client bundle in client/, keys 0600, all
 * the user's (the old files, if any, are backed up by the transaction as every file it writes). */
int user_tls_changes(const struct drs_user_plan *p, const struct drs_settings *s, const struct drs_addr *addr,
                     struct drs_change **c, size_t *n, struct drs_diag *diag);

struct drs_unit;
struct drs_cmdline;
/* The user's unit file (HOME/.config/systemd/user/docker.service) and its drop-ins but ours, in
 * the order systemd applies them (src/engine/user.c); free with user_units_free. */
int user_load_units(int rootfd, const char *unit_path, struct drs_unit ***ret, size_t *ret_n, struct drs_diag *diag);
void user_units_free(struct drs_unit **units, size_t n);
/* The user's daemon.json next to p's drop-in, base the user's ExecStart (src/engine/user-json.c):
 * sets p->json_*, p->logs_info, and a problem for a file dockerd cannot start with. */
void user_json_plan(int rootfd, struct drs_user_plan *p, const struct drs_cmdline *base);
/* Whether the user's daemon, as its files start it now, logs "API listen on" (its log level). */
bool user_logs_info(int rootfd, const char *user);
