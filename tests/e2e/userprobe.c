/* userprobe.c: drives sdbus.c over a user's own bus (userbus.c) against a rootless dockerd in the
 * user's manager; run as root inside the container by tests/e2e/rootless.sh. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sdbus.h"
#include "util.h"

#define UNIT "docker.service"
#define TIMER "drs-userprobe-fire"
#define SEC 1000000ull

static const char *orq(const char *s) {
        return s ? s : "?";
}

#include "probe-check.h"

static int state(struct drs_bus *bus, struct drs_unit_state *st) {
        int r = sdbus_unit_state(bus, UNIT, st);
        if (r < 0)
                printf("# sdbus_unit_state: %s (%s)\n", strerror(-r), orq(sdbus_last_error(bus)));
        else
                printf("# %s: load=%s active=%s fragment=%s exec=%s invocation=%s\n", UNIT, st->load_state,
                       st->active_state, st->fragment_path, orq(st->exec_path), st->invocation_id);
        return r;
}

static void wait_timer_gone(struct drs_bus *bus) {
        for (int i = 0; i < 100; i++) {
                if (sdbus_timer_active(bus, TIMER) == 0)
                        break;
                nanosleep(&(struct timespec){0, 100000000}, NULL);
        }
}

int main(int argc, char *argv[]) {
        struct drs_unit_state st = {0};
        struct drs_bus *bus = NULL;
        _cleanup_free_ char *result = NULL, *inv = NULL;
        int r;

        if (argc != 4) {
                fprintf(stderr, "usage: %s UID GID HOME (as root)\n", argv[0]);
                return 2;
        }
        uid_t uid = (uid_t) strtoul(argv[1], NULL, 10);
        gid_t gid = (gid_t) strtoul(argv[2], NULL, 10);
        _cleanup_free_ char *fragment = xasprintf("%s/.config/systemd/user/docker.service", argv[3]);
        setvbuf(stdout, NULL, _IOLBF, 0);

        r = sdbus_open_user(uid, gid, &bus);
        CHECK(r >= 0, "sdbus_open_user(%u): %s", (unsigned) uid, r < 0 ? strerror(-r) : "connected");
        if (r < 0)
                return 1;
        CHECK(geteuid() == 0 && getegid() == 0, "root again after connecting (euid %u egid %u)", (unsigned) geteuid(),
              (unsigned) getegid());

        r = state(bus, &st);
        CHECK(r >= 0 && streq(st.load_state, "loaded") && streq(st.active_state, "active"),
              "the user's docker.service loaded and active");
        CHECK(r >= 0 && streq(st.fragment_path, fragment), "FragmentPath is the user's unit %s", fragment);
        CHECK(r >= 0 && endswith(orq(st.exec_path), "/dockerd-rootless.sh"), "ExecStart runs dockerd-rootless.sh");
        inv = r >= 0 ? xstrdup(st.invocation_id) : xstrdup("");
        unit_state_done(&st);

        r = sdbus_reload(bus);
        CHECK(r >= 0, "daemon-reload of the user's manager: %s", r < 0 ? strerror(-r) : "done");
        r = sdbus_restart_unit(bus, UNIT, 60 * SEC, &result);
        CHECK(r >= 0 && streq_ptr(result, "done"), "restart of the user's docker.service: job %s",
              r < 0 ? strerror(-r) : result);
        r = state(bus, &st);
        CHECK(r >= 0 && streq(st.active_state, "active") && !streq(st.invocation_id, inv),
              "active again with a new invocation (%s, was %s)", r >= 0 ? st.invocation_id : "?", inv);
        unit_state_done(&st);

        /* The revert timer's primitive: a transient timer + service in the user's manager. */
        r = sdbus_start_timer(bus, TIMER, 1 * SEC, (char *const[]){(char *) "/bin/true", NULL});
        CHECK(r >= 0, "transient %s.timer in the user's manager: %s", TIMER, r < 0 ? strerror(-r) : "active");
        CHECK(sdbus_timer_active(bus, TIMER) == 1, "the timer is active");
        wait_timer_gone(bus);
        CHECK(sdbus_timer_active(bus, TIMER) == 0, "the timer fired and is gone");

        sdbus_close(bus);
        r = sdbus_open_user(uid + 1, gid, &bus);
        CHECK(r < 0, "a user without a running manager (uid %u): %s", (unsigned) uid + 1, strerror(-r));
        if (r >= 0)
                sdbus_close(bus);
        printf("# %u failure(s)\n", failures);
        return failures ? 1 : 0;
}
