/* macro.h: small language helpers shared by every layer (cleanup attributes, array sizes). */
#pragma once

#include <stdlib.h>
#include <string.h>

#define ELEMENTSOF(a) (sizeof(a) / sizeof((a)[0]))
#define _cleanup_(f) __attribute__((cleanup(f)))
#define _unused_ __attribute__((unused))
#define _printf_(a, b) __attribute__((format(printf, a, b)))
#define _noreturn_ __attribute__((noreturn))

static inline void freep(void *p) {
        free(*(void **) p);
}
#define _cleanup_free_ _cleanup_(freep)

/* Takes ownership out of a cleanup-managed pointer. */
#define TAKE_PTR(p)                         \
        ({                                  \
                __typeof__(p) _tp_ = (p);   \
                (p) = NULL;                 \
                _tp_;                       \
        })

static inline int streq_ptr(const char *a, const char *b) {
        if (!a || !b)
                return a == b;
        for (; *a && *a == *b; a++, b++)
                ;
        return *a == *b;
}
#define streq(a, b) (strcmp((a), (b)) == 0)
