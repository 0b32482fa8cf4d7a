/* trace.c: timestamps of the steps of a restart and verify, on stderr when DRS_TRACE is set. */
#include "trace.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static uint64_t clock_usec(clockid_t c) {
        struct timespec ts;
        clock_gettime(c, &ts);
        return (uint64_t) ts.tv_sec * 1000000u + (uint64_t) ts.tv_nsec / 1000u;
}

void trace(const char *fmt, ...) {
        static int enabled = -1;
        va_list ap;

        if (enabled < 0) {
                const char *e = getenv("DRS_TRACE");
                enabled = e && *e && !(e[0] == '0' && e[1] == '\0');
        }
        if (!enabled)
                return;
        fprintf(stderr, "drs-trace %llu %llu ", (unsigned long long) clock_usec(CLOCK_REALTIME),
                (unsigned long long) clock_usec(CLOCK_MONOTONIC));
        va_start(ap, fmt);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
        fputc('\n', stderr);
}
