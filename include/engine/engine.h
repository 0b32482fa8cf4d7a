/* engine.h: the one engine behind the wizard and the commands: look at the host, plan, apply. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "diag.h"
#include "plan.h"
#include "settings.h"

/* One engine per run; opaque outside src/engine (src/engine/engine-internal.h). */
struct drs_engine;
struct drs_iface_list;

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

/* What the front ends may know of an engine. */
const char *engine_root(const struct drs_engine *e);        /* "/" or the --root directory */
bool engine_is_live(const struct drs_engine *e);            /* root is "/": the live system */
bool engine_has_systemd(const struct drs_engine *e);        /* connected to a running manager */
const struct drs_iface_list *engine_ifaces(const struct drs_engine *e); /* as last looked at */

/* Whether port on a (a listener address) is free, as the wizard's port field and the plan's
 * pre-flight check it: a test-bind, and for a port in use, whether dockerd itself listens there
 * now (it is then replaced). Not checked (PORT_NOT_CHECKED) for another root than "/". */
enum drs_port_verdict {
        PORT_FREE,
        PORT_OWN,          /* in use by dockerd's own listener now */
        PORT_IN_USE,
        PORT_ADDR_GONE,    /* the address is not on the host */
        PORT_PRIVILEGED,   /* we may not bind it; dockerd (root) can */
        PORT_FAILED,       /* the test-bind failed otherwise: *ret_errno says why */
        PORT_NOT_CHECKED,
};
struct drs_addr;
enum drs_port_verdict engine_check_port(const struct drs_engine *e, const struct drs_addr *a, uint16_t port,
                                        int *ret_errno);

/* docker.service's journal from now on, as it grows (the wizard's Journal screen). */
struct drs_follow;
typedef void (*drs_follow_fn)(const char *message, uint64_t realtime_usec, void *userdata);
/* Returns 0, or -ENOTCONN without systemd (another root), or a negative errno. */
int engine_follow_open(struct drs_engine *e, struct drs_follow **ret);
/* Calls fn for each new line; returns how many, or a negative errno. */
int engine_follow_poll(struct drs_follow *f, drs_follow_fn fn, void *userdata);
void engine_follow_close(struct drs_follow *f);

/* The host's network interfaces now, with their addresses and default routes (without a
 * --root: the `interfaces` command). Returns 0 or a negative errno; engine_interfaces_strerror()
 * says what it means. */
int engine_interfaces(struct drs_iface_list *ret);
const char *engine_interfaces_strerror(int r);

/* The process around the engine: signals deferred while a change runs (raise_after: a deferred
 * signal acts when the change is done), the signal that arrived meanwhile (0: none), where the
 * message catalogues are, and a DRS_TRACE line. */
void engine_process_setup(bool raise_after);
int engine_deferred_signal(void);
const char *engine_locale_dir(void);
void engine_trace(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
