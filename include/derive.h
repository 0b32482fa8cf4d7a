/* derive.h: the new dockerd command line from the effective one: our listener swapped in (pure). */
#pragma once

#include <stdbool.h>

#include "execline.h"

enum drs_mode {
        MODE_TLS,
        MODE_PLAIN,
};

/* The listener to add; NULL in derive_opts means "remove ours and add nothing". */
struct drs_listen_flags {
        const char *host_url;    /* "tcp://10.0.0.2:2376" */
        enum drs_mode mode;
        const char *tls_ca, *tls_cert, *tls_key;   /* TLS mode */
};

struct drs_derive_opts {
        const struct drs_listen_flags *listen;
        const char *dockerd_path;          /* non-NULL: use this executable instead */
        bool fd_without_socket;            /* docker.socket missing: -H fd:// becomes unix:// */
        bool local_socket_elsewhere;       /* a unix/fd listener comes from $DOCKER_OPTS */
        char *const *extra_hosts;          /* local hosts moved here from daemon.json */
};

/* The listener words derive_execstart removed and added, as written (for the pre-flight list);
 * the executable and fd:// fixes are reported by the plan itself. */
struct drs_derive_notes {
        char **removed;   /* e.g. "-H tcp://0.0.0.0:2375", "--tlsverify=false" */
        char **added;
};

/* The base command line with every TCP listener (-H/--host tcp://… or a bare HOST:PORT) and
 * every --tls* flag removed, then the listener's flags appended: "-H tcp://…" and "--tls=false"
 * (plain; never --tlsverify=false, which turns TLS on) or "--tlsverify --tlscacert=…
 * --tlscert=… --tlskey=…". Adds "-H unix:///var/run/docker.sock" when no local listener is
 * left, because any -H replaces dockerd's default socket. Words not touched keep their spelling. */
void derive_execstart(const struct drs_cmdline *base, const struct drs_derive_opts *o, struct drs_cmdline *ret,
                      struct drs_derive_notes *notes);
void derive_notes_done(struct drs_derive_notes *n);

/* The same rules on a plain word list (for DOCKER_OPTS); returns the kept words. */
char **derive_strip_words(char *const *words, struct drs_derive_notes *notes);
/* The words without each "-H unix:///var/run/docker.sock" that directly follows a TCP listener
 * (the socket derive_listen_words adds along with a listener); for DOCKER_OPTS, where it comes
 * back after the new listener when nothing else gives a local socket. */
char **derive_words_without_added_socket(char *const *words);
/* The words a listener adds (for DOCKER_OPTS). */
char **derive_listen_words(const struct drs_listen_flags *l, bool add_unix_socket);

/* Whether a -H value is a TCP listener (tcp://…, or no scheme at all, as dockerd reads it). */
bool derive_host_is_tcp(const char *host);
/* Whether the words (from index first) give dockerd a local listener (fd:// or unix://). */
bool derive_has_local_host(const struct drs_word *words, size_t n, size_t first);
/* Whether the words (from index first) take a listener from systemd: -H fd://, -Hfd://, -H=fd://,
 * --host fd://, --host=fd:// (the classifier's reading of -H). */
bool derive_uses_fd(const struct drs_word *words, size_t n, size_t first);
/* The --config-file value if given, else NULL (pointer into the command line). */
const char *derive_config_file(const struct drs_cmdline *c);
/* Whether a word references the variable (as $NAME or ${NAME}); *ret_braced tells which. */
bool derive_uses_variable(const struct drs_cmdline *c, const char *name, bool *ret_braced);
