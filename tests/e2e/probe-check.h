/* probe-check.h: the TAP-like checks of the e2e probes (sysprobe.c, userprobe.c). */
#pragma once

#include <stdio.h>

static unsigned failures;

#define CHECK(cond, ...)                                          \
        do {                                                      \
                if (cond)                                         \
                        printf("ok - ");                          \
                else {                                            \
                        printf("not ok - ");                      \
                        failures++;                               \
                }                                                 \
                printf(__VA_ARGS__);                              \
                putchar('\n');                                    \
                fflush(stdout);                                   \
        } while (0)
