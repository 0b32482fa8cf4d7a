/* sdbus.h: what we ask of the systemd manager over D-Bus: unit state, reload, restart, timers. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct drs_bus;

/* Connects to the system bus (sd_bus_open_system: honours DBUS_SYSTEM_BUS_ADDRESS). */
int sdbus_open(struct drs_bus **ret);
void sdbus_close(struct drs_bus *b);
/* Connects to the bus of user UID's own manager (systemctl --user), /run/user/UID/bus (userbus.c),
 * as that user: when root, with its uid/gid as the effective ones while connecting; -EPERM when
 * neither root nor UID. -ENOENT/-ECONNREFUSED when the user's manager is not running (no linger,
 * no session). */
int sdbus_open_user(uid_t uid, gid_t gid, struct drs_bus **ret);
/* Takes an sd_bus connection (sd_bus *, started) as a struct drs_bus. */
int sdbus_adopt(void *sd_bus_connection, struct drs_bus **ret);

/* The message of the D-Bus error that made the last call fail ("Unit docker.service not
 * found."), or NULL when it failed without one (timeout, local error) or succeeded. Owned by b,
 * valid until the next call. */
const char *sdbus_last_error(struct drs_bus *b);

struct drs_unit_state {
        char *load_state;        /* "loaded", "not-found", "masked", … */
        char *active_state;      /* "active", "failed", … */
        char *sub_state;
        char *fragment_path;     /* "" when none */
        char **dropin_paths;     /* in the order systemd applies them */
        bool need_daemon_reload;
        char *invocation_id;     /* 32 hex digits of the current or last run (kept after a stop), "" when none */
        uint32_t main_pid;
        /* ExecStart as the manager holds it (ExecStartEx): path, argv, flags such as
         * "ignore-failure"; NULL argv when the unit has no ExecStart. */
        char *exec_path;
        char **exec_argv;
        char **exec_flags;
};

/* Loads the unit (LoadUnit) and reads the properties above. */
int sdbus_unit_state(struct drs_bus *b, const char *unit, struct drs_unit_state *ret);
void unit_state_done(struct drs_unit_state *s);

/* Manager.Reload (daemon-reload); returns when the manager has finished reloading. */
int sdbus_reload(struct drs_bus *b);
int sdbus_reset_failed(struct drs_bus *b, const char *unit);

/* RestartUnit(unit, "replace") and waits for the job's JobRemoved signal (or timeout).
 * *ret_result gets the job result ("done", "failed", "timeout", …), caller frees.
 * Returns -ETIMEDOUT when the job did not finish in time. */
int sdbus_restart_unit(struct drs_bus *b, const char *unit, uint64_t timeout_usec, char **ret_result);
/* StopUnit(unit, "replace"), waited for like a restart; -EIO when the job's result is not "done". */
int sdbus_stop_unit(struct drs_bus *b, const char *unit, uint64_t timeout_usec);

/* Starts transient NAME.timer firing once after delay_usec (accuracy 100 ms), with a transient
 * NAME.service (Type=oneshot) running argv (argv[0] an absolute path). The pair disappears after
 * it ran. -EEXIST when NAME.timer exists already; returns once the timer is active. */
int sdbus_start_timer(struct drs_bus *b, const char *name, uint64_t delay_usec, char *const *argv);
/* Whether NAME.timer is loaded and active. Returns 1, 0 or negative errno. */
int sdbus_timer_active(struct drs_bus *b, const char *name);

/* The IPIngressBytes of a socket unit: UINT64_MAX ("no data") when systemd has no BPF program for
 * it, which with IPAccounting=yes means the host cannot filter the unit's traffic either.
 * -ENODATA when the unit has IPAccounting=no (the counters then say nothing). */
int sdbus_socket_ip_ingress(struct drs_bus *b, const char *unit, uint64_t *ret);
