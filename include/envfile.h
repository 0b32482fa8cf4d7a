/* envfile.h: environment files such as /etc/default/docker, read as systemd reads them (pure). */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

/* One KEY=VALUE assignment. */
struct drs_env_assignment {
        char *key;
        char *value;          /* unquoted, escapes resolved */
        size_t start, end;    /* bytes of the line(s) in the text, newline included */
        unsigned line;        /* from 1 */
        bool exported;        /* written as "export KEY=…" (shell only; systemd ignores it) */
};

struct drs_envfile {
        struct drs_env_assignment *items;
        size_t n;
};

/* Parses the text. An unterminated quote is an error (-EBADMSG, path and line in *diag). */
int envfile_parse(const char *path, const char *text, struct drs_envfile *ret, struct drs_diag *diag);
void envfile_done(struct drs_envfile *e);
/* The last assignment systemd would use for key (export lines do not count), or NULL. */
const struct drs_env_assignment *envfile_get(const struct drs_envfile *e, const char *key);

/* The text with the last assignment of key replaced by KEY="value" (", \\, ` and $ escaped with a
 * backslash, so that it reads back as value), or — when there is none — the assignment appended
 * after comment.
 * Every other line is kept byte for byte. text NULL: a new file. Caller frees. */
char *envfile_set(const char *text, const struct drs_envfile *parsed, const char *key, const char *value,
                  const char *comment);

/* Whether value can be written between double quotes without escapes (no ", \, $, `, newline). */
bool envfile_value_safe(const char *value);

/* Splits an unbraced $VAR expansion the way systemd does: at whitespace. */
char **envfile_split_words(const char *value);
