/* sysprobe.c: drives sdbus.c and journal.c against a real systemd + dockerd (run from the host by tests/e2e/sdbus.sh). */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"
#include "journal.h"
#include "listenmatch.h"
#include "probe.h"
#include "sdbus.h"
#include "util.h"

#define UNIT "docker.service"
#define DROPIN_DIR "/etc/systemd/system/docker.service.d"
#define DROPIN DROPIN_DIR "/50-sysprobe.conf"
#define TIMER "drs-sysprobe-fire"
#define SEC 1000000ull

#include "probe-check.h"

static const char *root; /* the container's root as seen from here: /proc/LEADER/root */

#define REQUIRE(cond, ...)                                        \
        do {                                                      \
                CHECK(cond, __VA_ARGS__);                         \
                if (!(cond))                                      \
                        exit(1);                                  \
        } while (0)

static uint64_t clock_usec(clockid_t c) {
        struct timespec ts;
        clock_gettime(c, &ts);
        return (uint64_t) ts.tv_sec * SEC + (uint64_t) ts.tv_nsec / 1000u;
}

static double secs(int64_t usec) {
        return (double) usec / 1e6;
}

static void print_line(const char *message, uint64_t realtime, void *userdata) {
        uint64_t t0 = *(uint64_t *) userdata;
        printf("#   [%+7.3f s] %s%s\n", secs((int64_t) (realtime - t0)), message,
               listen_line_is_error(message) ? "   <- error" : "");
}

static char *at_root(const char *path) {
        return xasprintf("%s%s", root, path);
}

static int write_dropin(char *const *argv, const char *extra) {
        _cleanup_free_ char *dir = at_root(DROPIN_DIR), *path = at_root(DROPIN);
        struct drs_buf b = {0};
        _cleanup_free_ char *text = NULL;
        int fd;
        ssize_t n;

        buf_append(&b, "[Service]\nExecStart=\nExecStart=");
        for (size_t i = 0; argv[i]; i++)
                buf_appendf(&b, "%s%s", i ? " " : "", argv[i]);
        buf_appendf(&b, " %s\n", extra);
        text = buf_steal(&b);

        if (mkdir(dir, 0755) < 0 && errno != EEXIST)
                return -errno;
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0)
                return -errno;
        n = write(fd, text, strlen(text));
        close(fd);
        return n == (ssize_t) strlen(text) ? 0 : -EIO;
}

static void print_state(const struct drs_unit_state *s) {
        printf("# %s: load=%s active=%s sub=%s fragment=%s need-reload=%d invocation=%s main-pid=%u\n", UNIT,
               s->load_state, s->active_state, s->sub_state, s->fragment_path, s->need_daemon_reload,
               s->invocation_id, s->main_pid);
        for (size_t i = 0; s->dropin_paths && s->dropin_paths[i]; i++)
                printf("#   drop-in %s\n", s->dropin_paths[i]);
        printf("#   ExecStart path=%s argv=", s->exec_path ? s->exec_path : "(none)");
        for (size_t i = 0; s->exec_argv && s->exec_argv[i]; i++)
                printf("[%s]", s->exec_argv[i]);
        printf(" flags=");
        for (size_t i = 0; s->exec_flags && s->exec_flags[i]; i++)
                printf("[%s]", s->exec_flags[i]);
        putchar('\n');
}

static bool argv_has_pair(char *const *argv, const char *a, const char *b) {
        for (size_t i = 0; argv && argv[i] && argv[i + 1]; i++)
                if (streq(argv[i], a) && streq(argv[i + 1], b))
                        return true;
        return false;
}

/* Reload, reset-failed, restart, then wait for the listeners in the journal. Returns the
 * wait's result; prints the timings. */
static int restart_and_verify(struct drs_bus *bus, const char *jdir, char *const *expect, char **ret_job) {
        struct drs_journal_watch *w = NULL;
        uint64_t t0, t_job, t_seen, t_listen = 0;
        char *result = NULL;
        int r;

        r = journal_watch_open(jdir, UNIT, &w);
        REQUIRE(r >= 0, "journal_watch_open(%s): %s", jdir, strerror(-r));
        r = sdbus_reload(bus);
        REQUIRE(r >= 0, "Reload: %s", r < 0 ? strerror(-r) : "ok");
        r = sdbus_reset_failed(bus, UNIT);
        CHECK(r >= 0, "ResetFailedUnit(%s): %s", UNIT, r < 0 ? strerror(-r) : "ok");

        t0 = clock_usec(CLOCK_REALTIME);
        r = sdbus_restart_unit(bus, UNIT, 90 * SEC, &result);
        t_job = clock_usec(CLOCK_REALTIME);
        REQUIRE(r >= 0, "RestartUnit(%s) job finished: %s (%s)", UNIT, r < 0 ? strerror(-r) : result,
                r < 0 ? sdbus_last_error(bus) : "");

        r = journal_watch_wait_listen(w, expect, 60 * SEC, print_line, &t0, &t_listen);
        t_seen = clock_usec(CLOCK_REALTIME);
        printf("# TIMING restart requested -> job %s: %.3f s; -> verified in the journal: %.3f s", result,
               secs((int64_t) (t_job - t0)), secs((int64_t) (t_seen - t0)));
        if (r >= 0)
                printf("; dockerd logged 'API listen on' at %+.3f s (journal timestamp), seen %.3f s later",
                       secs((int64_t) (t_listen - t0)), secs((int64_t) (t_seen - t_listen)));
        printf(" (wait: %s)\n", r < 0 ? strerror(-r) : "ok");
        journal_watch_close(w);
        *ret_job = result;
        return r;
}

static bool file_exists(const char *path) {
        return access(path, F_OK) == 0;
}

/* Polls cond every 100 ms for at most timeout_usec (states without an event to wait on). */
static bool poll_until(bool (*cond)(void *), void *userdata, uint64_t timeout_usec) {
        uint64_t end = clock_usec(CLOCK_MONOTONIC) + timeout_usec;
        for (;;) {
                if (cond(userdata))
                        return true;
                if (clock_usec(CLOCK_MONOTONIC) >= end)
                        return false;
                usleep(100000);
        }
}

static bool fired(void *userdata) {
        return file_exists(userdata);
}

static bool timer_gone(void *userdata) {
        return sdbus_timer_active(userdata, TIMER) == 0;
}

int main(int argc, char *argv[]) {
        _cleanup_free_ char *fired_path = NULL, *job = NULL, *job2 = NULL, *result = NULL;
        _cleanup_strv_free_ char **base_argv = NULL, **listeners = NULL;
        struct drs_unit_state st = {0};
        struct drs_bus *bus = NULL;
        const char *jdir, *fragment;
        int r;

        if (argc != 5) {
                fprintf(stderr,
                        "usage: %s JOURNAL_DIR CONTAINER_ROOT CONTAINER_NETNS UNIT_FILE (DBUS_SYSTEM_BUS_ADDRESS set)\n",
                        argv[0]);
                return 2;
        }
        jdir = argv[1];
        root = argv[2];
        fragment = argv[4];
        setvbuf(stdout, NULL, _IOLBF, 0);

        /* Into the container's network namespace, for GET /_ping on its loopback. The bus socket
         * and the journal are reached by path, which the namespace does not change. */
        int nsfd = open(argv[3], O_RDONLY | O_CLOEXEC);
        REQUIRE(nsfd >= 0 && setns(nsfd, CLONE_NEWNET) == 0, "entered the network namespace %s", argv[3]);
        close(nsfd);

        r = sdbus_open(&bus);
        REQUIRE(r >= 0, "sdbus_open: %s", r < 0 ? strerror(-r) : "ok");

        /* 1. the stock unit as the manager holds it */
        r = sdbus_unit_state(bus, UNIT, &st);
        REQUIRE(r >= 0, "sdbus_unit_state(%s): %s", UNIT, r < 0 ? strerror(-r) : "ok");
        print_state(&st);
        CHECK(streq(st.load_state, "loaded") && streq(st.active_state, "active"), "docker.service loaded and active");
        CHECK(streq_ptr(st.exec_path, "/usr/sbin/dockerd"), "ExecStart path is /usr/sbin/dockerd");
        CHECK(argv_has_pair(st.exec_argv, "-H", "fd://"), "ExecStart argv has -H fd://");
        CHECK(strv_contains(st.exec_argv, "$DOCKER_OPTS"), "ExecStart argv keeps $DOCKER_OPTS unexpanded");
        CHECK(strlen(st.invocation_id) == 32 && st.main_pid > 1, "InvocationID (%s) and MainPID (%u) of a running unit",
              st.invocation_id, st.main_pid);
        CHECK(streq(st.fragment_path, fragment), "FragmentPath %s (expected %s)", st.fragment_path, fragment);
        base_argv = strv_copy(st.exec_argv);
        unit_state_done(&st);

        /* 2. D-Bus errors arrive as errno + the manager's message */
        r = sdbus_restart_unit(bus, "drs-no-such-unit.service", 10 * SEC, &result);
        CHECK(r == -ENOENT && sdbus_last_error(bus) &&
                      streq(sdbus_last_error(bus), "Unit drs-no-such-unit.service not found."),
              "RestartUnit of a missing unit: %s, \"%s\"", strerror(-r), sdbus_last_error(bus));
        r = sdbus_unit_state(bus, "drs-no-such-unit.service", &st);
        CHECK(r >= 0 && streq(st.load_state, "not-found") && !st.exec_argv,
              "state of a missing unit: load=%s", r >= 0 ? st.load_state : strerror(-r));
        unit_state_done(&st);

        /* 3. a tcp listener: drop-in, reload, restart, journal */
        r = write_dropin(base_argv, "-H tcp://127.0.0.1:2375 --tls=false");
        REQUIRE(r >= 0, "drop-in written: %s", r < 0 ? strerror(-r) : DROPIN);
        /* Informational: systemd 252 does not notice a drop-in in a directory that did not exist
         * at the last reload (its unit path cache), so NeedDaemonReload cannot be relied on. */
        r = sdbus_unit_state(bus, UNIT, &st);
        CHECK(r >= 0, "state after writing the drop-in: NeedDaemonReload=%d", r >= 0 && st.need_daemon_reload);
        unit_state_done(&st);

        char *expect[] = {(char *) "127.0.0.1:2375", NULL};
        r = restart_and_verify(bus, jdir, expect, &job);
        CHECK(streq(job, "done"), "restart job result: %s", job);
        CHECK(r == 0, "journal shows 'API listen on 127.0.0.1:2375' for the new run: %s", r < 0 ? strerror(-r) : "ok");

        struct drs_addr lo;
        _cleanup_free_ char *detail = NULL;
        REQUIRE(addr_parse("127.0.0.1", &lo) == 0, "127.0.0.1 parsed");
        r = probe_ping(&lo, 2375, NULL, 3000, &detail);
        CHECK(r == 0, "GET http://127.0.0.1:2375/_ping in the container: %s", detail ? detail : strerror(-r));

        r = sdbus_unit_state(bus, UNIT, &st);
        CHECK(r >= 0 && !st.need_daemon_reload && argv_has_pair(st.exec_argv, "-H", "tcp://127.0.0.1:2375") &&
                      strv_length(st.dropin_paths) == 1 && streq(st.dropin_paths[0], DROPIN),
              "after reload: ExecStart has the listener, DropInPaths = %s", DROPIN);
        unit_state_done(&st);

        r = journal_last_listeners(jdir, UNIT, &listeners);
        CHECK(r >= 0 && strv_contains(listeners, "127.0.0.1:2375") && strv_contains(listeners, "/run/docker.sock"),
              "journal_last_listeners: %zu (%s, %s)", strv_length(listeners), listeners && listeners[0] ? listeners[0] : "",
              listeners && listeners[0] && listeners[1] ? listeners[1] : "");

        /* 4. a transient timer that fires once */
        char *cmd[] = {(char *) "/bin/touch", (char *) "/tmp/fired", NULL};
        fired_path = at_root("/tmp/fired");
        (void) unlink(fired_path);
        uint64_t t_arm = clock_usec(CLOCK_MONOTONIC);
        r = sdbus_start_timer(bus, TIMER, 3 * SEC, cmd);
        REQUIRE(r >= 0, "StartTransientUnit(%s.timer, 3 s): %s %s", TIMER, r < 0 ? strerror(-r) : "ok",
                r < 0 && sdbus_last_error(bus) ? sdbus_last_error(bus) : "");
        CHECK(sdbus_timer_active(bus, TIMER) == 1, "timer is active");
        r = sdbus_start_timer(bus, TIMER, 3 * SEC, cmd);
        CHECK(r == -EEXIST, "a second timer of that name: %s, \"%s\"", strerror(-r), sdbus_last_error(bus));
        CHECK(!file_exists(fired_path), "not fired yet");
        CHECK(poll_until(fired, fired_path, 15 * SEC), "/tmp/fired exists in the container after %.3f s",
              secs((int64_t) (clock_usec(CLOCK_MONOTONIC) - t_arm)));
        CHECK(clock_usec(CLOCK_MONOTONIC) - t_arm >= 3 * SEC - 200000, "not before its time");
        CHECK(poll_until(timer_gone, bus, 10 * SEC), "timer gone after %.3f s",
              secs((int64_t) (clock_usec(CLOCK_MONOTONIC) - t_arm)));
        r = sdbus_unit_state(bus, TIMER ".service", &st);
        CHECK(r >= 0 && !streq(st.load_state, "loaded"), "its service is gone too (load=%s active=%s)",
              r >= 0 ? st.load_state : strerror(-r), r >= 0 ? st.active_state : "");
        unit_state_done(&st);

        /* 5. a start that fails: the watch stops at systemd's failure lines */
        r = write_dropin((char *[]) {(char *) "/usr/bin/dockerd", (char *) "-H", (char *) "fd://", NULL}, "");
        REQUIRE(r >= 0, "broken drop-in (/usr/bin/dockerd) written");
        r = restart_and_verify(bus, jdir, expect, &job2);
        CHECK(r == -ECANCELED, "failing start: wait returns ECANCELED (%s), job %s", strerror(-r), job2);
        /* Stop the restart loop (Restart=on-failure) before the next watch is opened: its
         * failures would otherwise be reported by that watch. */
        r = sdbus_stop_unit(bus, UNIT, 60 * SEC);
        CHECK(r == 0, "StopUnit of the failing unit: %s", r < 0 ? strerror(-r) : "ok");

        /* 6. back to the stock unit, then stop */
        _cleanup_free_ char *dropin = at_root(DROPIN), *job3 = NULL;
        CHECK(unlink(dropin) == 0, "drop-in removed");
        char *expect_stock[] = {(char *) "/run/docker.sock", NULL};
        r = restart_and_verify(bus, jdir, expect_stock, &job3);
        CHECK(r == 0 && streq(job3, "done"), "stock unit back: listens on /run/docker.sock");
        r = sdbus_stop_unit(bus, UNIT, 60 * SEC);
        CHECK(r == 0, "StopUnit: %s", r < 0 ? strerror(-r) : "ok");
        r = sdbus_unit_state(bus, UNIT, &st);
        CHECK(r >= 0 && streq(st.active_state, "inactive") && st.main_pid == 0,
              "stopped: active=%s main-pid=%u (invocation of the last run kept: '%s')", r >= 0 ? st.active_state : "?",
              r >= 0 ? st.main_pid : 0, r >= 0 ? st.invocation_id : "?");
        unit_state_done(&st);

        sdbus_close(bus);
        printf("# %u failure(s)\n", failures);
        return failures ? 1 : 0;
}
