/* fuzz-execline.c: libFuzzer target for the ExecStart= parser: parse, write back, parse again, same words. */
#include <errno.h>
#include <stdbool.h>

#include "derive.h"
#include "dockerflags.h"
#include "execline.h"
#include "fuzz.h"
#include "util.h"

/* Parses text, which must succeed, and checks the words equal a's. */
static void expect_same(const char *text, const struct drs_cmdline *a) {
        struct drs_cmdline b = {0};
        const char *reason = NULL;
        int r = cmdline_parse(text, &b, &reason);
        if (r < 0)
                fprintf(stderr, "written back as <%s>, which does not parse: %s\n", text, reason ? reason : "?");
        FUZZ_CHECK(r == 0);
        FUZZ_CHECK(cmdline_equal(a, &b));
        cmdline_done(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        struct drs_cmdline a = {0}, requoted = {0}, derived = {0};
        struct drs_derive_notes notes = {0};
        const char *reason = NULL;
        char *text = fuzz_text(data, size), *s;
        int r;

        if (!text)
                return 0;
        r = cmdline_parse(text, &a, &reason);
        if (r < 0) {
                /* Every refusal but the empty value (a reset) says why. */
                FUZZ_CHECK(r == -ENODATA || r == -EINVAL || r == -E2BIG);
                FUZZ_CHECK(r == -ENODATA || reason);
                free(text);
                return 0;
        }
        FUZZ_CHECK(a.n_words >= 1 && a.prefix);
        FUZZ_CHECK(cmdline_first_arg(&a) <= a.n_words);

        /* As written: kept words keep their spelling. */
        s = cmdline_format(&a);
        expect_same(s, &a);
        free(s);

        /* Every word quoted by us (as for words we add). */
        cmdline_copy(&a, &requoted);
        for (size_t i = 0; i < requoted.n_words; i++) {
                free(requoted.words[i].raw);
                requoted.words[i].raw = NULL;
        }
        s = cmdline_format(&requoted);
        expect_same(s, &a);
        free(s);

        /* Our listener swapped in: the result parses back to what derive built. */
        struct drs_listen_flags l = {.host_url = "tcp://10.0.0.2:2376", .mode = size % 2 ? MODE_PLAIN : MODE_TLS,
                                     .tls_ca = "/etc/docker/remote-setup/ca.pem",
                                     .tls_cert = "/etc/docker/remote-setup/server-cert.pem",
                                     .tls_key = "/etc/docker/remote-setup/server-key.pem"};
        struct drs_derive_opts o = {.listen = &l, .fd_without_socket = size % 3 == 0};
        derive_execstart(&a, &o, &derived, &notes);
        s = cmdline_format(&derived);
        expect_same(s, &derived);
        FUZZ_CHECK(strstr(s, "tcp://10.0.0.2:2376"));
        /* Never a "--tlsverify=…" flag (--tlsverify=false turns TLS on), only our bare one: the
         * options as dockerd (pflag) reads them; a word that is another option's value ("-H x",
         * "--label x") or comes after "--" is no flag, whatever it says. */
        {
                size_t first = cmdline_first_arg(&derived), n = derived.n_words - first;
                char **values = xcalloc(n + 1, sizeof(char *));
                for (size_t i = 0; i < n; i++)
                        values[i] = derived.words[first + i].value;
                for (size_t i = 0; i < n;) {
                        struct dflag f = dockerflags_next(values + i, n - i);
                        if (f.kind == DFLAG_END)
                                break;
                        FUZZ_CHECK(f.kind != DFLAG_TLS || !startswith(values[i], "--tlsverify="));
                        i += f.n_words;
                }
                free(values);
        }
        free(s);
        (void) derive_config_file(&a);
        (void) derive_uses_variable(&a, "DOCKER_OPTS", &(bool) {false});

        derive_notes_done(&notes);
        cmdline_done(&derived);
        cmdline_done(&requoted);
        cmdline_done(&a);
        free(text);
        return 0;
}
