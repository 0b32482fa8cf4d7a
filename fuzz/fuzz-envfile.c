/* fuzz-envfile.c: libFuzzer target for /etc/default/docker: parse, set DOCKER_OPTS, parse again, same value. */
#include <errno.h>

#include "envfile.h"
#include "fuzz.h"
#include "util.h"

#define VALUE "-H tcp://10.0.0.2:2375 --tls=false -H unix:///var/run/docker.sock"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        struct drs_envfile e = {0}, f = {0};
        struct drs_diag diag = {0};
        const struct drs_env_assignment *got;
        _cleanup_free_ char *text = fuzz_text(data, size), *out = NULL;
        int r;

        if (!text)
                return 0;
        r = envfile_parse("/etc/default/docker", text, &e, &diag);
        if (r < 0) {
                FUZZ_CHECK(r == -EBADMSG && diag.file && diag.line > 0 && diag.message);
                diag_done(&diag);
                return 0;
        }
        for (size_t i = 0; i < e.n; i++) {
                FUZZ_CHECK(e.items[i].start < e.items[i].end && e.items[i].end <= strlen(text));
                FUZZ_CHECK(e.items[i].key[0]);
                char **w = envfile_split_words(e.items[i].value);
                strv_free(w);
        }
        FUZZ_CHECK(envfile_value_safe(VALUE));

        out = envfile_set(text, &e, "DOCKER_OPTS", VALUE, size % 2 ? "# set by docker-remote-setup\n" : NULL);
        r = envfile_parse("/etc/default/docker", out, &f, &diag);
        if (r < 0)
                fprintf(stderr, "---- the new file does not parse:\n%s----\n", out);
        FUZZ_CHECK(r == 0);
        got = envfile_get(&f, "DOCKER_OPTS");
        if (!got || !streq(got->value, VALUE))
                fprintf(stderr, "---- DOCKER_OPTS is <%s> in:\n%s----\n", got ? got->value : "(none)", out);
        FUZZ_CHECK(got && streq(got->value, VALUE));
        /* Every other variable keeps its value. */
        for (size_t i = 0; i < e.n; i++) {
                const struct drs_env_assignment *before = &e.items[i], *after;
                if (before->exported || streq(before->key, "DOCKER_OPTS") || envfile_get(&e, before->key) != before)
                        continue;
                after = envfile_get(&f, before->key);
                if (!after || !streq(after->value, before->value))
                        fprintf(stderr, "---- %s changed from <%s> to <%s> in:\n%s----\n", before->key, before->value,
                                after ? after->value : "(none)", out);
                FUZZ_CHECK(after && streq(after->value, before->value));
        }
        /* Any value writes back as itself: the one found, with whatever quotes, backslashes, '$'
         * or newlines it has (the plan writes it back with only the TCP listeners removed). */
        const struct drs_env_assignment *found = envfile_get(&e, "DOCKER_OPTS");
        if (found) {
                struct drs_envfile g = {0};
                _cleanup_free_ char *again = envfile_set(text, &e, "DOCKER_OPTS", found->value, NULL);
                r = envfile_parse("/etc/default/docker", again, &g, &diag);
                if (r < 0)
                        fprintf(stderr, "---- the file with <%s> written back does not parse:\n%s----\n", found->value, again);
                FUZZ_CHECK(r == 0);
                got = envfile_get(&g, "DOCKER_OPTS");
                if (!got || !streq(got->value, found->value))
                        fprintf(stderr, "---- <%s> reads back as <%s> in:\n%s----\n", found->value,
                                got ? got->value : "(none)", again);
                FUZZ_CHECK(got && streq(got->value, found->value));
                envfile_done(&g);
        }
        envfile_done(&e);
        envfile_done(&f);
        diag_done(&diag);
        return 0;
}
