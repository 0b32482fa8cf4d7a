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
/* Whether the TLS material in PLAN's tls_dir can be kept for addr (and --key-type, when given)
 * (p->tls: present, reusable, or the reason it is not), as root's is looked at (user-tls.c). */
void user_tls_check(int rootfd, struct drs_user_plan *p, const struct drs_settings *s, const struct drs_addr *addr);
struct drs_tls_material;
struct drs_tls_state;
/* Whether TLS material whose files are all there (client_ca: the bundle's ca.pem) serves addr:
 * signed by its CA, for the address, 30 more days, keys their certificates', the key type of
 * --key-type when given; t->reusable, or t->reason why not (src/engine/plan-checks.c). */
void engine_tls_judge(const struct drs_tls_material *m, const char *client_ca, const struct drs_addr *addr,
                      const struct drs_settings *s, struct drs_tls_state *t);
/* The names of the material's files, relative to tls_dir (user-tls.c). */
size_t user_tls_n_files(void);
const char *user_tls_file(size_t i);
/* What stands in the way of writing path (plan-targets.c): a symbolic link or a file of other
 * hard links there, a symbolic link or a file where a directory should be on the way, and, with
 * owner_root, a file another user owns. The hint, with *ret_what (caller frees); NULL: nothing. */
const char *engine_target_problem(int rootfd, const char *path, bool owner_root, char **ret_what);
/* The places apply would write (the drop-in, the backups, daemon.json when rewritten, the TLS
 * files when made): a symbolic link, a file where a directory should be, or a file with hard
 * links on the way is a problem of the plan (src/engine/user-targets.c). */
void user_check_targets(int rootfd, struct drs_user_plan *p);
/* The TLS material of a user's daemon to write (appended to *c, *n): nothing when p->tls says it
 * is kept, else a new CA, server certificate for addr, client bundle in client/, keys 0600, all
 * the user's (the old files, if any, are backed up by the transaction as every file it writes). */
int user_tls_changes(const struct drs_user_plan *p, const struct drs_settings *s, const struct drs_addr *addr,
                     struct drs_change **c, size_t *n, struct drs_diag *diag);

struct drs_cmdline;
struct drs_unitset;
struct drs_dropin_source;
/* A user's docker.service as read under a root (src/engine/user-units.c): the unit file
 * HOME/.config/systemd/user/docker.service and the drop-ins of the user search path's every
 * directory (docker.service.d/ and service.d/), skip (our drop-in's path) left out. */
struct drs_user_units {
        char *home, *skip;
        unsigned uid;
        char *fragment_path, *fragment_text;
        struct drs_dropin_source *dropins;
        size_t n_dropins;
};
int user_units_read(int rootfd, const char *home, unsigned uid, const char *skip, struct drs_user_units *ret,
                    struct drs_diag *diag);
/* Parsed in systemd's order (unitset_load), with the drop-in path/text (ours; NULL: none) added. */
int user_units_load(const struct drs_user_units *u, const char *path, const char *text, struct drs_unitset *ret,
                    struct drs_diag *diag);
void user_units_done(struct drs_user_units *u);
/* The last NAME= of the [Service] Environment= lines (a reset clears it), NULL when none; each
 * value read with ExecStart='s quoting rules, which are the same. Caller frees. */
char *user_units_env(const struct drs_unitset *u, const char *name);
/* Whether the last section/key assignment is not empty (a value in effect). */
bool user_units_sets(const struct drs_unitset *u, const char *section, const char *key);
/* The user's daemon.json next to p's drop-in, u the user's units, base their ExecStart (user-json.c):
 * sets p->json_*, p->logs_info, and a problem for a file dockerd cannot start with. */
void user_json_plan(int rootfd, struct drs_user_plan *p, const struct drs_unitset *u, const struct drs_cmdline *base);
/* Whether the user's daemon, as its files start it now, logs "API listen on" (its log level). */
bool user_logs_info(int rootfd, const char *user);
