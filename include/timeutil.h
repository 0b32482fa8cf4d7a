/* timeutil.h: the time now in microseconds, one helper per clock the program uses (every layer). */
#pragma once

#include <stdint.h>
#include <time.h>

static inline uint64_t clock_usec(clockid_t c) {
        struct timespec ts;
        clock_gettime(c, &ts);
        return (uint64_t) ts.tv_sec * 1000000u + (uint64_t) ts.tv_nsec / 1000u;
}

/* Wall-clock time: what is stored on disk or shown (a change's deadline), journal timestamps. */
static inline uint64_t now_realtime_usec(void) {
        return clock_usec(CLOCK_REALTIME);
}

/* For timeouts inside one process: it does not jump when the clock is set. */
static inline uint64_t now_monotonic_usec(void) {
        return clock_usec(CLOCK_MONOTONIC);
}
