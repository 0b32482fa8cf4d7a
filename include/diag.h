/* diag.h: what went wrong with an input, and where (file and line), for one clear message. */
#pragma once

#include "macro.h"

struct drs_diag {
        char *file;     /* may be NULL */
        unsigned line;  /* 0 when not tied to a line */
        char *message;  /* translated, without file or line */
};

/* Records a problem; does nothing when d is NULL. Replaces an earlier one. */
void diag_set(struct drs_diag *d, const char *file, unsigned line, const char *fmt, ...) _printf_(4, 5);
/* "FILE:LINE: MESSAGE", "FILE: MESSAGE" or "MESSAGE"; caller frees. */
char *diag_format(const struct drs_diag *d);
void diag_done(struct drs_diag *d);
