/* bench-tlsgen.c: times tlsgen_create (CA + server + client) for one key type, N times. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "tlsgen.h"

static double now_ms(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double) ts.tv_sec * 1000.0 + (double) ts.tv_nsec / 1e6;
}

/* Usage: bench-tlsgen ecdsa|rsa N. Prints one wall time in ms per generation. */
int main(int argc, char **argv) {
        struct drs_tls_params p = {.server_ip = {.family = AF_INET, .bytes = {10, 0, 0, 5}}};
        int n;

        if (argc != 3 || (!strcmp(argv[1], "ecdsa") == !strcmp(argv[1], "rsa"))) {
                fprintf(stderr, "usage: %s ecdsa|rsa N\n", argv[0]);
                return 2;
        }
        p.key_type = strcmp(argv[1], "rsa") == 0 ? KEY_RSA_3072 : KEY_ECDSA_P256;
        n = atoi(argv[2]);
        for (int i = 0; i < n; i++) {
                struct drs_tls_material m = {0};
                double t0 = now_ms();
                int r = tlsgen_create(&p, &m);
                double t1 = now_ms();

                if (r < 0) {
                        fprintf(stderr, "tlsgen_create: %s\n", strerror(-r));
                        return 1;
                }
                tls_material_done(&m);
                printf("%.3f\n", t1 - t0);
        }
        return 0;
}
