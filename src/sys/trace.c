/* trace.c: timestamps of the steps of a restart and verify, on stderr when DRS_TRACE is set;
 * DRS_TRACE=mem adds the process's resident and peak resident memory (VmRSS, VmHWM). */
#include "trace.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static uint64_t clock_usec(clockid_t c) {
        struct timespec ts;
        clock_gettime(c, &ts);
        return (uint64_t) ts.tv_sec * 1000000u + (uint64_t) ts.tv_nsec / 1000u;
}

/* Appends " rss=KiB hwm=KiB" from /proc/self/status. */
static void trace_mem(void) {
        char line[128];
        long rss = -1, hwm = -1;
        FILE *f = fopen("/proc/self/status", "re");

        if (!f)
                return;
        while (fgets(line, sizeof(line), f))
                if (sscanf(line, "VmRSS: %ld", &rss) != 1)
                        (void) sscanf(line, "VmHWM: %ld", &hwm);
        fclose(f);
        fprintf(stderr, " rss=%ld hwm=%ld", rss, hwm);
}

void trace(const char *fmt, ...) {
        static int enabled = -1;
        static bool mem;
        va_list ap;

        if (enabled < 0) {
                const char *e = getenv("DRS_TRACE");
                enabled = e && *e && !(e[0] == '0' && e[1] == '\0');
                mem = enabled && strcmp(e, "mem") == 0;
        }
        if (!enabled)
                return;
        fprintf(stderr, "drs-trace %llu %llu ", (unsigned long long) clock_usec(CLOCK_REALTIME),
                (unsigned long long) clock_usec(CLOCK_MONOTONIC));
        va_start(ap, fmt);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
        if (mem)
                trace_mem();
        fputc('\n', stderr);
}
