/* dockerflags.h: dockerd's command-line options read as its flag library (spf13/pflag) reads them (pure). */
#pragma once

#include <stdbool.h>
#include <stddef.h>

enum dflag_kind {
        DFLAG_OTHER,   /* any other option or word */
        DFLAG_HOST,    /* -H/--host with its value */
        DFLAG_TLS,     /* --tls, --tlsverify, --tlscacert, --tlscert, --tlskey */
        DFLAG_END,     /* "--": pflag reads no option after it */
};

/* One option as pflag reads it, starting at words[0]. */
struct dflag {
        enum dflag_kind kind;
        size_t n_words;        /* words it takes: 1, or 2 when its value is the next word */
        const char *value;     /* DFLAG_HOST: the listener ("" when -H ends the line) */
        size_t value_word;     /* DFLAG_HOST: which of its words holds the value (0 or 1) */
        size_t value_offset;   /* DFLAG_HOST: where in that word the value starts */
        size_t keep_len;       /* DFLAG_HOST in a group of shorthands ("-DH"): the length of the
                                * group's part before 'H' ("-D"), which stays when the listener
                                * goes; 0 when there is nothing else in the word */
        bool missing_value;    /* an option that takes a value ends the words without one */
};

/* Reads the option at words[0] (n >= 1 words left) the way pflag does: "-H v", "-H=v", "-Hv",
 * "--host v", "--host=v", shorthands grouped ("-DH v", "-DHv": -D takes no value, -H the
 * rest or the next word), options taking a value swallowing the next word ("--label -H" is a
 * label), "--" ending the options. */
struct dflag dockerflags_next(char *const *words, size_t n);

/* The -H values of a word list (NULL-terminated), in order; pointers into the words. Caller
 * frees the array only. */
const char **dockerflags_hosts(char *const *words);
/* Whether a -H value is a local socket (fd:// or unix://). */
bool dockerflags_host_is_local(const char *host);
/* Whether the words give dockerd a local listener (fd:// or unix://) in any spelling. */
bool dockerflags_has_local_host(char *const *words);
/* Whether the words make dockerd take its listeners from systemd (-H fd://, in any spelling:
 * "-H fd://", "-Hfd://", "-H=fd://", "--host=fd://", "-DH fd://", "fd://NAME"). */
bool dockerflags_has_fd_host(char *const *words);
/* The last word when it is an option that needs a value and has none ("--log-level", "-Ds"):
 * dockerd refuses such a line, and words appended after it would become its value. NULL if none. */
const char *dockerflags_dangling(char *const *words);
/* Index of the "--" that ends dockerd's options, or n when there is none. */
size_t dockerflags_end(char *const *words, size_t n);
