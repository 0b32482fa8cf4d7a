/* tlsgen-bench.c: measures tlsgen_create for each key type (not part of the build; see the build line below). */
/* cc -O2 -include config.h -Iinclude -I. bench/tlsgen-bench.c src/sys/tlsgen.c src/sys/tlscheck.c src/core/addr.c src/core/util.c \
 *    $(pkg-config --cflags --libs gnutls) -o /tmp/tlsgen-bench && /tmp/tlsgen-bench [rounds] */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "tlsgen.h"

static double now_ms(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b) {
        double x = *(const double *) a, y = *(const double *) b;
        return (x > y) - (x < y);
}

int main(int argc, char **argv) {
        const struct {
                enum drs_key_type type;
                const char *name;
                int rounds;
        } kinds[] = {{KEY_ECDSA_P256, "ECDSA P-256", 50}, {KEY_RSA_3072, "RSA 3072", 10}};
        int scale = argc > 1 ? atoi(argv[1]) : 1;

        for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
                struct drs_tls_params p = {.key_type = kinds[k].type};
                int n = kinds[k].rounds * (scale > 0 ? scale : 1);
                double *t = calloc((size_t) n, sizeof(double)), sum = 0;

                addr_parse("10.213.0.2", &p.server_ip);
                for (int i = 0; i < n; i++) {
                        struct drs_tls_material m = {0};
                        double a = now_ms();
                        if (tlsgen_create(&p, &m) < 0)
                                return 1;
                        t[i] = now_ms() - a;
                        sum += t[i];
                        tls_material_done(&m);
                }
                qsort(t, (size_t) n, sizeof(double), cmp);
                printf("%-12s n=%-4d mean %8.1f ms  median %8.1f ms  min %8.1f ms  max %8.1f ms\n", kinds[k].name, n,
                       sum / n, t[n / 2], t[0], t[n - 1]);
                free(t);
        }
        return 0;
}
