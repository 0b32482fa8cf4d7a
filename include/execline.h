/* execline.h: systemd's ExecStart= command line syntax: parse, edit as words, write back (pure). */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* One word of a command line. value: quotes and backslash escapes removed; "$VAR", "${VAR}"
 * and "%" specifiers kept as written (systemd expands them later). raw: the word exactly as
 * written in the file, or NULL for a word we made (then it is quoted as needed). */
struct drs_word {
        char *value;
        char *raw;
};

struct drs_cmdline {
        char *prefix;            /* the leading "-@:+!" characters, "" when none */
        struct drs_word *words;  /* words[0]: executable path (prefix not included); with '@',
                                  * words[1] is argv[0] */
        size_t n_words;
};

/* Parses one ExecStart= value. Returns 0; -ENODATA for an empty value (a reset);
 * -EINVAL with a translated reason in *ret_reason (static) for unterminated quotes, bad escapes
 * in the path, a trailing backslash, an empty path; -E2BIG when the line holds several commands
 * separated by ";". ret untouched on failure. */
int cmdline_parse(const char *text, struct drs_cmdline *ret, const char **ret_reason);

/* Builds a command line from the manager's view (ExecStartEx): path, argv, flags such as
 * "ignore-failure", "privileged", "no-setuid", "ambient", "no-env-expand". Specifier characters
 * ('%') in the manager's strings are already resolved, so they are escaped as "%%". */
void cmdline_from_argv(const char *path, char *const *argv, char *const *flags, struct drs_cmdline *ret);

/* Writes the command line: kept words as they were written, new words quoted. Caller frees. */
char *cmdline_format(const struct drs_cmdline *c);
/* Quotes one value so that systemd reads it back as that value. Caller frees. */
char *cmdline_quote(const char *value);

/* Index of the first argument after the executable (and after argv[0] with '@'). */
size_t cmdline_first_arg(const struct drs_cmdline *c);
/* Whether both have the same prefix and word values (raw spelling ignored). */
bool cmdline_equal(const struct drs_cmdline *a, const struct drs_cmdline *b);
/* Appends a word given as a value (specifiers and variables as systemd will expand them). */
void cmdline_append(struct drs_cmdline *c, const char *value);
/* Appends a word that dockerd must receive exactly: '%' written "%%" and '$' "$$" (systemd
 * expands specifiers and $VAR in ExecStart= words), quoted as needed when formatted. */
void cmdline_append_literal(struct drs_cmdline *c, const char *literal);
/* The value (as struct drs_word holds it) that systemd turns into the literal. Caller frees. */
char *cmdline_value_from_literal(const char *literal);
/* Takes a copy of word w (value and raw). */
void cmdline_append_word(struct drs_cmdline *c, const struct drs_word *w);
void cmdline_copy(const struct drs_cmdline *src, struct drs_cmdline *ret);
void cmdline_done(struct drs_cmdline *c);
