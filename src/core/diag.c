/* diag.c: what went wrong with an input, and where (file and line), for one clear message. */
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>

#include "util.h"

void diag_set(struct drs_diag *d, const char *file, unsigned line, const char *fmt, ...) {
        va_list ap;
        struct drs_buf b = {0};

        if (!d)
                return;
        diag_done(d);
        va_start(ap, fmt);
        buf_vappendf(&b, fmt, ap);
        va_end(ap);
        d->file = file ? xstrdup(file) : NULL;
        d->line = line;
        d->message = buf_steal(&b);
}

char *diag_format(const struct drs_diag *d) {
        const char *m = d->message ? d->message : "";
        if (d->file && d->line)
                return xasprintf("%s:%u: %s", d->file, d->line, m);
        if (d->file)
                return xasprintf("%s: %s", d->file, m);
        return xstrdup(m);
}

void diag_done(struct drs_diag *d) {
        if (!d)
                return;
        free(d->file);
        free(d->message);
        *d = (struct drs_diag) {0};
}
