/* daemonjson.h: the parts of dockerd's daemon.json that clash with command-line flags (pure). */
#pragma once

#include <stdbool.h>

#include "diag.h"

struct drs_daemon_json {
        bool has_hosts;
        char **hosts;       /* the "hosts" entries, when has_hosts */
        char **tls_keys;    /* which of "tls", "tlsverify", "tlscacert", "tlscert", "tlskey" are set */
        char *log_level;    /* "log-level" when it is a string, else NULL */
        bool debug;         /* "debug": true */
};

/* Parses daemon.json strictly (as dockerd's Go decoder does): the top level must be an object;
 * an empty or blank file counts as {}. Malformed JSON → -EBADMSG with path, line and the
 * reason in *diag. */
int daemonjson_parse(const char *path, const char *text, struct drs_daemon_json *ret, struct drs_diag *diag);
void daemonjson_done(struct drs_daemon_json *j);

/* The text without "hosts" and the TLS keys, pretty-printed (2 spaces, key order kept), ending in
 * a newline. Returns NULL when the text does not parse. Caller frees. */
char *daemonjson_without_listener_keys(const char *text);

/* The text with dockerd's TLS settings for an activated TCP socket: "tlsverify": true, "tlscacert",
 * "tlscert", "tlskey" (ca NULL: none of the TLS keys), "hosts" removed. The text itself when it
 * already says exactly that (no reformatting); pretty-printed otherwise, key order kept. NULL when
 * the text does not parse, or when it is NULL and nothing is to be set. Caller frees. */
char *daemonjson_set_tls(const char *text, const char *ca, const char *cert, const char *key);
