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
};
