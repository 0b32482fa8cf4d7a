/* sdbus.c: the systemd manager over D-Bus (sd-bus): unit state, reload, restart with job tracking, transient timers. */
#include "sdbus.h"

#include <errno.h>
#include <string.h>
#include <time.h>

#include <systemd/sd-bus.h>

#include "timeutil.h"
#include "util.h"

#define SD_DEST "org.freedesktop.systemd1"
#define SD_PATH "/org/freedesktop/systemd1"
#define SD_MANAGER "org.freedesktop.systemd1.Manager"
#define SD_UNIT "org.freedesktop.systemd1.Unit"
#define SD_SERVICE "org.freedesktop.systemd1.Service"
#define SD_SOCKET "org.freedesktop.systemd1.Socket"

/* Calls that may take long on a busy manager (daemon-reload of many units). */
#define SLOW_CALL_USEC (120u * 1000000u)

struct drs_bus {
        sd_bus *bus;
        bool subscribed;
        char *error; /* message of the last D-Bus error, NULL after a call without one */
};

/* The job we wait for, filled by the JobRemoved handler. */
struct job_wait {
        const char *path;
        char *result;
};

/* systemd's own error names: libsystemd knows only the org.freedesktop.DBus ones and maps the
 * rest to EIO. These are the errno values systemd itself uses for them. */
static const sd_bus_error_map manager_errors[] = {
        SD_BUS_ERROR_MAP("org.freedesktop.systemd1.NoSuchUnit", ENOENT),
        SD_BUS_ERROR_MAP("org.freedesktop.systemd1.NoUnitForPID", ESRCH),
        SD_BUS_ERROR_MAP("org.freedesktop.systemd1.UnitExists", EEXIST),
        SD_BUS_ERROR_MAP("org.freedesktop.systemd1.LoadFailed", EIO),
        SD_BUS_ERROR_MAP("org.freedesktop.systemd1.BadUnitSetting", ENOEXEC),
        SD_BUS_ERROR_MAP("org.freedesktop.systemd1.JobFailed", EREMOTEIO),
        SD_BUS_ERROR_MAP("org.freedesktop.systemd1.NoSuchJob", ENOENT),
        SD_BUS_ERROR_MAP("org.freedesktop.systemd1.NotSubscribed", EINVAL),
        SD_BUS_ERROR_MAP("org.freedesktop.systemd1.AlreadySubscribed", EINVAL),
        SD_BUS_ERROR_MAP("org.freedesktop.systemd1.OnlyByDependency", EINVAL),
        SD_BUS_ERROR_MAP("org.freedesktop.systemd1.TransactionJobsConflicting", EDEADLK),
        SD_BUS_ERROR_MAP("org.freedesktop.systemd1.TransactionOrderIsCyclic", EDEADLK),
        SD_BUS_ERROR_MAP("org.freedesktop.systemd1.TransactionIsDestructive", EDEADLK),
        SD_BUS_ERROR_MAP("org.freedesktop.systemd1.UnitMasked", ERFKILL),
        SD_BUS_ERROR_MAP("org.freedesktop.systemd1.UnitGenerated", EADDRNOTAVAIL),
        SD_BUS_ERROR_MAP("org.freedesktop.systemd1.UnitLinked", ELOOP),
        SD_BUS_ERROR_MAP("org.freedesktop.systemd1.JobTypeNotApplicable", EBADR),
        SD_BUS_ERROR_MAP("org.freedesktop.systemd1.NoIsolation", EPERM),
        SD_BUS_ERROR_MAP("org.freedesktop.systemd1.ShuttingDown", ECANCELED),
        SD_BUS_ERROR_MAP("org.freedesktop.systemd1.ScopeNotRunning", EHOSTDOWN),
        SD_BUS_ERROR_MAP("org.freedesktop.systemd1.UnitBusy", EBUSY),
        SD_BUS_ERROR_MAP("org.freedesktop.systemd1.UnitInactive", ENOLINK),
        SD_BUS_ERROR_MAP_END,
};

/* Remembers the message of a failed call's D-Bus error (or forgets the previous one). The
 * errno is the one sd_bus_error_get_errno() gives for the error name; r is passed through
 * otherwise. */
static int keep_error(struct drs_bus *b, const sd_bus_error *e, int r) {
        free(b->error);
        b->error = NULL;
        if (r < 0 && e && sd_bus_error_is_set(e)) {
                b->error = xstrdup(e->message ? e->message : e->name);
                r = -sd_bus_error_get_errno(e);
        }
        return r;
}

int sdbus_open(struct drs_bus **ret) {
        sd_bus *bus = NULL;
        int r;

        r = sd_bus_error_add_map(manager_errors);
        if (r < 0)
                return r;
        r = sd_bus_open_system(&bus);
        if (r < 0)
                return r;
        return sdbus_adopt(bus, ret);
}

int sdbus_adopt(void *sd_bus_connection, struct drs_bus **ret) {
        int r = sd_bus_error_add_map(manager_errors);
        if (r < 0) {
                sd_bus_flush_close_unref(sd_bus_connection);
                return r;
        }
        *ret = xcalloc(1, sizeof(struct drs_bus));
        (*ret)->bus = sd_bus_connection;
        return 0;
}

void sdbus_close(struct drs_bus *b) {
        if (!b)
                return;
        sd_bus_flush_close_unref(b->bus);
        free(b->error);
        free(b);
}

const char *sdbus_last_error(struct drs_bus *b) {
        return b ? b->error : NULL;
}

static void unit_state_reset(struct drs_unit_state *s) {
        free(s->load_state);
        free(s->active_state);
        free(s->sub_state);
        free(s->fragment_path);
        strv_free(s->dropin_paths);
        free(s->invocation_id);
        free(s->exec_path);
        strv_free(s->exec_argv);
        strv_free(s->exec_flags);
        *s = (struct drs_unit_state) {0};
}

void unit_state_done(struct drs_unit_state *s) {
        if (s)
                unit_state_reset(s);
}

static char *hex_string(const uint8_t *p, size_t n) {
        static const char hex[] = "0123456789abcdef";
        char *s = xmalloc(2 * n + 1);
        for (size_t i = 0; i < n; i++) {
                s[2 * i] = hex[p[i] >> 4];
                s[2 * i + 1] = hex[p[i] & 15];
        }
        s[2 * n] = '\0';
        return s;
}

static int get_string(sd_bus *bus, const char *path, const char *iface, const char *name, sd_bus_error *e,
                      char **ret) {
        return sd_bus_get_property_string(bus, SD_DEST, path, iface, name, e, ret);
}

/* Reads the first entry of ExecStartEx a(sasasttttuii), or of ExecStart a(sasbttttuii) on a
 * manager that predates ExecStartEx (systemd < 243). */
static int get_exec_start(sd_bus *bus, const char *path, sd_bus_error *e, struct drs_unit_state *s) {
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        bool ex = true;
        int r;

        r = sd_bus_get_property(bus, SD_DEST, path, SD_SERVICE, "ExecStartEx", e, &reply, "a(sasasttttuii)");
        if (r < 0 && sd_bus_error_has_name(e, SD_BUS_ERROR_UNKNOWN_PROPERTY)) {
                sd_bus_error_free(e);
                ex = false;
                r = sd_bus_get_property(bus, SD_DEST, path, SD_SERVICE, "ExecStart", e, &reply, "a(sasbttttuii)");
        }
        if (r < 0)
                return r;

        r = sd_bus_message_enter_container(reply, 'a', ex ? "(sasasttttuii)" : "(sasbttttuii)");
        if (r < 0)
                return r;
        r = sd_bus_message_enter_container(reply, 'r', ex ? "sasasttttuii" : "sasbttttuii");
        if (r <= 0)
                return r; /* 0: no ExecStart at all */

        const char *p;
        r = sd_bus_message_read(reply, "s", &p);
        if (r < 0)
                return r;
        s->exec_path = xstrdup(p);
        r = sd_bus_message_read_strv(reply, &s->exec_argv);
        if (r < 0)
                return r;
        if (ex) {
                r = sd_bus_message_read_strv(reply, &s->exec_flags);
                if (r < 0)
                        return r;
        } else {
                int ignore;
                r = sd_bus_message_read(reply, "b", &ignore);
                if (r < 0)
                        return r;
                s->exec_flags = xcalloc(1, sizeof(char *));
                if (ignore)
                        strv_push(&s->exec_flags, "ignore-failure");
        }
        if (!s->exec_argv)
                s->exec_argv = xcalloc(1, sizeof(char *));
        if (!s->exec_flags)
                s->exec_flags = xcalloc(1, sizeof(char *));
        return 0;
}

int sdbus_unit_state(struct drs_bus *b, const char *unit, struct drs_unit_state *ret) {
        _cleanup_(sd_bus_error_free) sd_bus_error e = SD_BUS_ERROR_NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL, *inv = NULL;
        struct drs_unit_state s = {0};
        const char *p;
        const void *id;
        size_t idlen = 0;
        int r, need_reload = 0;

        r = sd_bus_call_method(b->bus, SD_DEST, SD_PATH, SD_MANAGER, "LoadUnit", &e, &reply, "s", unit);
        if (r >= 0)
                r = sd_bus_message_read(reply, "o", &p);
        if (r < 0)
                return keep_error(b, &e, r);
        _cleanup_free_ char *path = xstrdup(p);

        r = get_string(b->bus, path, SD_UNIT, "LoadState", &e, &s.load_state);
        if (r >= 0)
                r = get_string(b->bus, path, SD_UNIT, "ActiveState", &e, &s.active_state);
        if (r >= 0)
                r = get_string(b->bus, path, SD_UNIT, "SubState", &e, &s.sub_state);
        if (r >= 0)
                r = get_string(b->bus, path, SD_UNIT, "FragmentPath", &e, &s.fragment_path);
        if (r >= 0)
                r = sd_bus_get_property_strv(b->bus, SD_DEST, path, SD_UNIT, "DropInPaths", &e, &s.dropin_paths);
        if (r >= 0)
                r = sd_bus_get_property_trivial(b->bus, SD_DEST, path, SD_UNIT, "NeedDaemonReload", &e, 'b',
                                                &need_reload);
        if (r >= 0)
                r = sd_bus_get_property(b->bus, SD_DEST, path, SD_UNIT, "InvocationID", &e, &inv, "ay");
        if (r >= 0)
                r = sd_bus_message_read_array(inv, 'y', &id, &idlen);
        if (r >= 0 && endswith(unit, ".service"))
                r = sd_bus_get_property_trivial(b->bus, SD_DEST, path, SD_SERVICE, "MainPID", &e, 'u',
                                                &s.main_pid);
        if (r >= 0 && endswith(unit, ".service"))
                r = get_exec_start(b->bus, path, &e, &s);
        if (r < 0) {
                unit_state_reset(&s);
                return keep_error(b, &e, r);
        }

        s.need_daemon_reload = need_reload;
        s.invocation_id = hex_string(id, idlen);
        if (!s.dropin_paths)
                s.dropin_paths = xcalloc(1, sizeof(char *));
        *ret = s;
        return keep_error(b, NULL, 0);
}

/* Sends a prepared method call, waiting up to timeout_usec for the reply. */
static int call(struct drs_bus *b, sd_bus_message *m, uint64_t timeout_usec, sd_bus_message **ret_reply) {
        _cleanup_(sd_bus_error_free) sd_bus_error e = SD_BUS_ERROR_NULL;
        int r = sd_bus_call(b->bus, m, timeout_usec, &e, ret_reply);
        return keep_error(b, &e, r);
}

static int call_simple(struct drs_bus *b, const char *method, uint64_t timeout_usec, const char *unit) {
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
        int r;

        r = sd_bus_message_new_method_call(b->bus, &m, SD_DEST, SD_PATH, SD_MANAGER, method);
        if (r >= 0 && unit)
                r = sd_bus_message_append(m, "s", unit);
        if (r < 0)
                return r;
        return call(b, m, timeout_usec, NULL);
}

int sdbus_reload(struct drs_bus *b) {
        /* The manager replies only once the reload is complete. */
        return call_simple(b, "Reload", SLOW_CALL_USEC, NULL);
}

int sdbus_reset_failed(struct drs_bus *b, const char *unit) {
        return call_simple(b, "ResetFailedUnit", 0, unit);
}

static int on_job_removed(sd_bus_message *m, void *userdata, _unused_ sd_bus_error *error) {
        struct job_wait *w = userdata;
        const char *path, *unit, *result;
        uint32_t id;

        if (sd_bus_message_read(m, "uoss", &id, &path, &unit, &result) < 0)
                return 0;
        if (w->path && !w->result && streq(path, w->path))
                w->result = xstrdup(result);
        return 0;
}

/* Sends a call that returns a job path, and waits for that job's JobRemoved signal. The match
 * is installed synchronously before the call, so the signal cannot be missed. */
static int call_job(struct drs_bus *b, sd_bus_message *m, uint64_t timeout_usec, char **ret_result) {
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        _cleanup_(sd_bus_slot_unrefp) sd_bus_slot *slot = NULL;
        _cleanup_free_ char *path = NULL;
        struct job_wait w = {0};
        uint64_t deadline = now_monotonic_usec() + timeout_usec;
        const char *p;
        int r;

        if (!b->subscribed) {
                /* Without a subscriber the manager may not send job signals at all. */
                r = call_simple(b, "Subscribe", 0, NULL);
                if (r < 0)
                        return r;
                b->subscribed = true;
        }
        r = sd_bus_match_signal(b->bus, &slot, SD_DEST, SD_PATH, SD_MANAGER, "JobRemoved", on_job_removed, &w);
        if (r < 0)
                return keep_error(b, NULL, r);

        r = call(b, m, SLOW_CALL_USEC, &reply);
        if (r < 0)
                return r;
        r = sd_bus_message_read(reply, "o", &p);
        if (r < 0)
                return r;
        path = xstrdup(p);
        w.path = path;

        while (!w.result) {
                uint64_t now;

                r = sd_bus_process(b->bus, NULL);
                if (r < 0)
                        return r;
                if (r > 0)
                        continue;
                now = now_monotonic_usec();
                if (now >= deadline)
                        return -ETIMEDOUT;
                r = sd_bus_wait(b->bus, deadline - now);
                if (r < 0)
                        return r;
        }
        *ret_result = w.result;
        return 0;
}

static int unit_job(struct drs_bus *b, const char *method, const char *unit, uint64_t timeout_usec,
                    char **ret_result) {
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
        int r;

        r = sd_bus_message_new_method_call(b->bus, &m, SD_DEST, SD_PATH, SD_MANAGER, method);
        if (r >= 0)
                r = sd_bus_message_append(m, "ss", unit, "replace");
        if (r < 0)
                return r;
        return call_job(b, m, timeout_usec, ret_result);
}

int sdbus_restart_unit(struct drs_bus *b, const char *unit, uint64_t timeout_usec, char **ret_result) {
        return unit_job(b, "RestartUnit", unit, timeout_usec, ret_result);
}

int sdbus_stop_unit(struct drs_bus *b, const char *unit, uint64_t timeout_usec) {
        _cleanup_free_ char *result = NULL;
        int r;

        r = unit_job(b, "StopUnit", unit, timeout_usec, &result);
        if (r < 0)
                return r;
        return streq(result, "done") ? 0 : -EIO;
}

/* Appends the properties of the transient NAME.service: a oneshot running argv. */
static int append_service_properties(sd_bus_message *m, char *const *argv) {
        _cleanup_free_ char *description = NULL;
        struct drs_buf d = {0};
        int r;

        for (size_t i = 0; argv[i]; i++) {
                if (i > 0)
                        buf_append_c(&d, ' ');
                buf_append(&d, argv[i]);
        }
        description = buf_steal(&d);

        r = sd_bus_message_append(m, "(sv)(sv)(sv)", "Description", "s", description, "Type", "s", "oneshot",
                                  "CollectMode", "s", "inactive-or-failed");
        if (r >= 0)
                r = sd_bus_message_open_container(m, 'r', "sv");
        if (r >= 0)
                r = sd_bus_message_append(m, "s", "ExecStart");
        if (r >= 0)
                r = sd_bus_message_open_container(m, 'v', "a(sasb)");
        if (r >= 0)
                r = sd_bus_message_open_container(m, 'a', "(sasb)");
        if (r >= 0)
                r = sd_bus_message_open_container(m, 'r', "sasb");
        if (r >= 0)
                r = sd_bus_message_append(m, "s", argv[0]);
        if (r >= 0)
                r = sd_bus_message_append_strv(m, (char **) argv);
        if (r >= 0)
                r = sd_bus_message_append(m, "b", 0);
        for (int i = 0; i < 4 && r >= 0; i++)
                r = sd_bus_message_close_container(m);
        return r;
}

int sdbus_start_timer(struct drs_bus *b, const char *name, uint64_t delay_usec, char *const *argv) {
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
        _cleanup_free_ char *timer = xasprintf("%s.timer", name), *service = xasprintf("%s.service", name);
        _cleanup_free_ char *description = xasprintf("Deadline of %s", service);
        _cleanup_free_ char *result = NULL;
        int r;

        if (!argv || !argv[0] || argv[0][0] != '/')
                return -EINVAL;

        r = sd_bus_message_new_method_call(b->bus, &m, SD_DEST, SD_PATH, SD_MANAGER, "StartTransientUnit");
        if (r >= 0)
                r = sd_bus_message_append(m, "ss", timer, "fail");
        if (r >= 0)
                r = sd_bus_message_open_container(m, 'a', "(sv)");
        /* OnActiveSec= goes in TimersMonotonic a(st), under the unit-file name of the base (there
         * is no transient "OnActiveUSec"). AccuracyUSec: the default of one minute would let the
         * deadline slip by up to that much. */
        if (r >= 0)
                r = sd_bus_message_append(m, "(sv)(sv)(sv)(sv)", "Description", "s", description,
                                          "TimersMonotonic", "a(st)", 1, "OnActiveSec", delay_usec,
                                          "AccuracyUSec", "t", (uint64_t) 100000, "RemainAfterElapse", "b", 0);
        if (r >= 0)
                r = sd_bus_message_close_container(m);
        if (r >= 0)
                r = sd_bus_message_open_container(m, 'a', "(sa(sv))");
        if (r >= 0)
                r = sd_bus_message_open_container(m, 'r', "sa(sv)");
        if (r >= 0)
                r = sd_bus_message_append(m, "s", service);
        if (r >= 0)
                r = sd_bus_message_open_container(m, 'a', "(sv)");
        if (r >= 0)
                r = append_service_properties(m, argv);
        for (int i = 0; i < 3 && r >= 0; i++)
                r = sd_bus_message_close_container(m);
        if (r < 0)
                return r;

        r = call_job(b, m, SLOW_CALL_USEC, &result);
        if (r < 0)
                return r;
        return streq(result, "done") ? 0 : -EIO;
}

int sdbus_timer_active(struct drs_bus *b, const char *name) {
        _cleanup_(sd_bus_error_free) sd_bus_error e = SD_BUS_ERROR_NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        _cleanup_free_ char *timer = xasprintf("%s.timer", name), *state = NULL;
        const char *path;
        int r;

        r = sd_bus_call_method(b->bus, SD_DEST, SD_PATH, SD_MANAGER, "GetUnit", &e, &reply, "s", timer);
        if (r < 0 && sd_bus_error_has_name(&e, "org.freedesktop.systemd1.NoSuchUnit"))
                return keep_error(b, NULL, 0);
        if (r >= 0)
                r = sd_bus_message_read(reply, "o", &path);
        if (r >= 0)
                r = get_string(b->bus, path, SD_UNIT, "ActiveState", &e, &state);
        if (r < 0)
                return keep_error(b, &e, r);
        keep_error(b, NULL, 0);
        return streq(state, "active");
}

int sdbus_socket_ip_ingress(struct drs_bus *b, const char *unit, uint64_t *ret) {
        _cleanup_(sd_bus_error_free) sd_bus_error e = SD_BUS_ERROR_NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        const char *path;
        int r, accounting = 0;

        r = sd_bus_call_method(b->bus, SD_DEST, SD_PATH, SD_MANAGER, "LoadUnit", &e, &reply, "s", unit);
        if (r >= 0)
                r = sd_bus_message_read(reply, "o", &path);
        if (r >= 0)
                r = sd_bus_get_property_trivial(b->bus, SD_DEST, path, SD_SOCKET, "IPAccounting", &e, 'b', &accounting);
        if (r >= 0 && !accounting)
                return keep_error(b, NULL, -ENODATA);
        if (r >= 0)
                r = sd_bus_get_property_trivial(b->bus, SD_DEST, path, SD_SOCKET, "IPIngressBytes", &e, 't', ret);
        return keep_error(b, r < 0 ? &e : NULL, r < 0 ? r : 0);
}
