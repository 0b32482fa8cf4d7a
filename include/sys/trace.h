/* trace.h: timestamps of the steps of a restart and verify, on stderr when DRS_TRACE is set. */
#pragma once

#include <stdarg.h>

#include "macro.h"

/* When the environment variable DRS_TRACE is set (to anything but "" or "0"), prints
 * "drs-trace REALTIME_US MONOTONIC_US message" to stderr, one line per call; else does
 * nothing. For measuring where the time between a restart and "verified" goes. */
void trace(const char *fmt, ...) _printf_(1, 2);
void vtrace(const char *fmt, va_list ap) _printf_(1, 0);
