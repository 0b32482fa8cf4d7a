/* fuzz-ustar.c: libFuzzer target for the client bundle's tar: finding members in any bytes, and build → find. */
#include <errno.h>

#include "fuzz.h"
#include "ustar.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        static const char *const names[] = {"ca.pem", "cert.pem", "key.pem"};
        const char *t[3];
        _cleanup_free_ char *copy = xmalloc(size + 1), *tar = NULL;
        _cleanup_free_ _unused_ char *mem = NULL;
        struct drs_tar_member m[3];
        size_t tar_len = 0;

        /* Any bytes as an archive (client.tar as found on disk): found members stay inside it. */
        memcpy(copy, data, size);
        for (size_t i = 0; i < ELEMENTSOF(names); i++) {
                const char *d = NULL;
                size_t n = 0;
                unsigned mode = 0;
                int r = ustar_find(copy, size, names[i], &d, &n, &mode);
                FUZZ_CHECK(r == 0 || r == -ENOENT || r == -EBADMSG);
                if (r == 0)
                        FUZZ_CHECK(d >= copy && n <= size && d + n <= copy + size && mode <= 07777);
        }

        /* The input as three files: what ustar_build writes, ustar_find reads back. */
        mem = fuzz_split(data, size, t, 3);
        for (size_t i = 0; i < 3; i++)
                m[i] = (struct drs_tar_member) {.name = names[i], .data = t[i], .len = strlen(t[i]),
                                                .mode = i == 2 ? 0600 : 0644};
        FUZZ_CHECK(ustar_build(m, 3, (int64_t) size, &tar, &tar_len) == 0);
        FUZZ_CHECK(tar_len % USTAR_BLOCK == 0);
        for (size_t i = 0; i < 3; i++) {
                const char *d = NULL;
                size_t n = 0;
                unsigned mode = 0;
                FUZZ_CHECK(ustar_find(tar, tar_len, names[i], &d, &n, &mode) == 0);
                FUZZ_CHECK(n == m[i].len && memcmp(d, m[i].data, n) == 0 && mode == m[i].mode);
        }
        return 0;
}
