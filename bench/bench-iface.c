/* bench-iface.c: what the Interface screen computes before its first draw: enumerate the NICs,
 * classify every address, preselect, and format the rows; times it N times. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ifenum.h"
#include "util.h"

static double now_ms(clockid_t c) {
        struct timespec ts;
        clock_gettime(c, &ts);
        return (double) ts.tv_sec * 1000.0 + (double) ts.tv_nsec / 1e6;
}

/* The rows of the list: one per interface (name, state, default-route marker, class of each
 * address), container plumbing only when shown. Returns the number of rows. */
static size_t build_rows(const struct drs_iface_list *l, bool show_all, char ***ret) {
        char **rows = xcalloc(l->n + 1, sizeof(char *));
        size_t n = 0;

        for (size_t i = 0; i < l->n; i++) {
                const struct drs_iface *f = &l->items[i];
                struct drs_buf b = {0};

                if (!show_all && iface_is_container_plumbing(f->name))
                        continue;
                buf_append_padded(&b, f->name, 16);
                buf_append(&b, f->up ? "up  " : "down");
                buf_append(&b, f->default_route ? " *" : "  ");
                for (size_t k = 0; k < f->n_addrs; k++) {
                        char s[46];
                        buf_appendf(&b, " %s/%u %s", addr_to_string(&f->addrs[k].addr, s), f->addrs[k].prefixlen,
                                    addr_class_to_string(addr_classify(&f->addrs[k].addr)));
                }
                rows[n++] = buf_steal(&b);
        }
        *ret = rows;
        return n;
}

/* Usage: bench-iface N [--all]. Prints "wall_ms cpu_ms" per pass (cpu: user + system time of
 * the process, which includes the kernel's work for the netlink dumps), then "# ifaces rows". */
int main(int argc, char **argv) {
        bool all = argc > 2 && strcmp(argv[2], "--all") == 0;
        int n = argc > 1 ? atoi(argv[1]) : 1;
        size_t n_ifaces = 0, n_rows = 0;

        for (int i = 0; i < n; i++) {
                struct drs_iface_list l = {0};
                char **rows = NULL;
                double t0 = now_ms(CLOCK_MONOTONIC), c0 = now_ms(CLOCK_PROCESS_CPUTIME_ID);
                int r = ifenum_list(&l);

                if (r < 0) {
                        fprintf(stderr, "ifenum_list: %s\n", strerror(-r));
                        return 1;
                }
                (void) iface_preselect(&l);
                n_rows = build_rows(&l, all, &rows);
                printf("%.3f %.3f\n", now_ms(CLOCK_MONOTONIC) - t0, now_ms(CLOCK_PROCESS_CPUTIME_ID) - c0);
                n_ifaces = l.n;
                strv_free(rows);
                iface_list_done(&l);
        }
        printf("# %zu %zu\n", n_ifaces, n_rows);
        return 0;
}
