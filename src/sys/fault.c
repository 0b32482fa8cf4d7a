/* fault.c: the test-only fault switch: die or fail at a named step (DRS_TEST_FAULT, test build only). */
#include "fault.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

void fault_kill_now(void) {
        (void) kill(getpid(), SIGKILL);
        abort();
}

#ifdef DRS_TEST_HOOKS
/* The test build (docker-remote-setup-test, `make check` only): DRS_TEST_FAULT is read. */

struct counter {
        char name[32];
        unsigned n;
};

static struct counter counters[16];

static unsigned count(const char *name) {
        for (size_t i = 0; i < ELEMENTSOF(counters); i++) {
                if (!counters[i].name[0])
                        snprintf(counters[i].name, sizeof(counters[i].name), "%s", name);
                if (streq(counters[i].name, name))
                        return ++counters[i].n;
        }
        return 0;
}

/* The action armed for the n-th hit of point, or NULL. */
static const char *armed(const char *point, unsigned n) {
        const char *spec = getenv("DRS_TEST_FAULT");
        size_t plen = strlen(point);

        for (const char *p = spec; p && *p;) {
                size_t len = strcspn(p, ",");
                if (len > plen && strncmp(p, point, plen) == 0 && (p[plen] == ':' || p[plen] == '@')) {
                        const char *q = p + plen;
                        unsigned want = 0;
                        if (*q == '@')
                                want = (unsigned) strtoul(q + 1, (char **) &q, 10);
                        if (*q == ':' && (want == 0 || want == n)) {
                                static char action[16];
                                size_t alen = len - (size_t) (q + 1 - p);
                                snprintf(action, sizeof(action), "%.*s", (int) alen, q + 1);
                                return action;
                        }
                }
                p += len + (p[len] == ',');
        }
        return NULL;
}

bool fault_point(const char *name) {
        if (!getenv("DRS_TEST_FAULT"))
                return false;
        const char *a = armed(name, count(name));
        return a && streq(a, "kill");
}

void fault_step(const char *name) {
        const char *a;

        if (!getenv("DRS_TEST_FAULT"))
                return;
        a = armed(name, count(name));
        if (a && streq(a, "kill"))
                fault_kill_now();
        /* "stop": the test changes the system meanwhile, then sends SIGCONT. */
        if (a && streq(a, "stop"))
                (void) raise(SIGSTOP);
}

int fault_write(const char *what, _unused_ const char *content, _unused_ size_t len) {
        if (!getenv("DRS_TEST_FAULT"))
                return 0;
        const char *a = armed(what, count(what));
        if (!a)
                return 0;
        if (streq(a, "kill"))
                fault_kill_now();
        return streq(a, "enospc") ? -ENOSPC : streq(a, "eio") ? -EIO : streq(a, "eacces") ? -EACCES : 0;
}

#else
/* The installed program: no switch, nothing read from the environment. */

bool fault_point(_unused_ const char *name) {
        return false;
}

void fault_step(_unused_ const char *name) {
}

int fault_write(_unused_ const char *what, _unused_ const char *content, _unused_ size_t len) {
        return 0;
}
#endif
