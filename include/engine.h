/* engine.h: the one engine behind the wizard and the commands: look at the host, plan, apply. */
#pragma once

#include <stdbool.h>

#include "diag.h"
#include "plan.h"
#include "settings.h"

struct drs_bus;

struct drs_engine {
        char *root;              /* "/" or the --root directory */
        int rootfd;
        bool host_root;          /* root is "/": the live system */
        struct drs_bus *bus;     /* the running systemd manager, or NULL */
        int lockfd;              /* the one-instance lock, -1 when not held */
        struct drs_host host;
};

/* Looks at the host under root: docker.service and its drop-ins, /etc/default/docker,
 * daemon.json, dockerd, interfaces, and (root "/" with systemd running) the manager's view.
 * Returns 0, or a negative errno with *diag naming the file that could not be read. */
int engine_open(const char *root, struct drs_engine **ret, struct drs_diag *diag);
/* Like engine_open(), for what works from our own state alone (recover, the revert timer,
 * rollback --list): a configuration file that cannot be read (over 4 MiB, malformed, …) does not
 * stop it; the host then holds only the manager's view. A bad root is still an error. */
int engine_open_for_state(const char *root, struct drs_engine **ret, struct drs_diag *diag);
/* Whether dockerd, as the files now on disk start it, logs "API listen on" (see
 * host_logs_info); e->host is left as it was. */
bool engine_logs_info(struct drs_engine *e);
/* Looks at the host again (after something changed it); the bus and the lock are kept. Pointers
 * into the old e->host (a plan's listener interface) are no longer valid. */
int engine_reload(struct drs_engine *e, struct drs_diag *diag);
/* The listener method the host gets when none is asked for (see plan_choose_method). */
enum drs_method engine_default_method(struct drs_engine *e);
void engine_free(struct drs_engine *e);
static inline void engine_freep(struct drs_engine **e) {
        if (*e)
                engine_free(*e);
}

/* Resolves the settings, looks at the TLS directory, builds the plan and adds the checks that
 * need the system (test-bind of the address and port, symlinks where files would be written).
 * Returns 0; -EINVAL/-ENOENT/-EADDRNOTAVAIL/-EPERM from settings_resolve(); -EBADMSG for a
 * malformed file; *diag says why. */
int engine_plan(struct drs_engine *e, const struct drs_settings *s, struct drs_plan **ret, struct drs_diag *diag);
