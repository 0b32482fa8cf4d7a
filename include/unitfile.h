/* unitfile.h: systemd unit files and drop-ins as text: parse, fold settings in order, edit (pure). */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

enum drs_entry_kind {
        ENTRY_BLANK,
        ENTRY_COMMENT,
        ENTRY_SECTION,
        ENTRY_ASSIGNMENT,
        ENTRY_IGNORED,   /* a line systemd ignores with a warning (no '=', outside a section) */
};

/* One logical line: a physical line, or several joined by trailing backslashes. */
struct drs_entry {
        enum drs_entry_kind kind;
        size_t start, end;    /* bytes [start, end) of the text, newline(s) included */
        unsigned line;        /* first physical line, from 1 */
        const char *section;  /* the section this entry is in (NULL before the first) */
        char *key;            /* ENTRY_ASSIGNMENT */
        char *value;          /* ENTRY_ASSIGNMENT, continuations joined with a space */
};

struct drs_unit {
        char *path;           /* as shown in messages, e.g. /lib/systemd/system/docker.service */
        char *text;
        struct drs_entry *entries;
        size_t n_entries;
        char **sections;      /* owns the section names the entries point to */
        bool continued_at_end; /* the text ends inside a continued line: what follows joins it */
};

/* Parses a unit file or drop-in. Like systemd, a malformed section header is an error
 * (-EBADMSG, file and line in *diag); lines systemd would ignore become ENTRY_IGNORED. */
int unit_parse(const char *path, const char *text, struct drs_unit **ret, struct drs_diag *diag);
void unit_free(struct drs_unit *u);
static inline void unit_freep(struct drs_unit **u) {
        if (*u)
                unit_free(*u);
}

/* One effective value of a list setting, and where it was set. */
struct drs_setting {
        const char *value;
        const struct drs_unit *unit;
        unsigned line;
};

/* Folds [section] key over the files in the order systemd applies them (fragment first, then
 * drop-ins): each assignment appends, an empty one resets. Returns the number of effective
 * values; *ret (caller frees the array only) is NULL when there are none. */
size_t unit_fold_setting(struct drs_unit *const *units, size_t n, const char *section, const char *key,
                         struct drs_setting **ret);

/* Whether the unit assigns [section] key anywhere (including resets). */
bool unit_sets(const struct drs_unit *u, const char *section, const char *key);

/* The drop-in text with every [Service] ExecStart= removed and "ExecStart=\nExecStart=LINE\n"
 * placed where the first one was (else at the end of the first [Service] section, else in a new
 * [Service] section at the end); every other byte kept. old_text NULL: a new file starting with
 * header (may be NULL). Caller frees. */
char *dropin_set_execstart(const char *old_text, const char *line, const char *header);
/* The same for any entries: every entry ours() accepts removed, block (NULL: nothing) placed
 * where the first was, else at the end of the first [section], else in a new one. */
char *dropin_set_entries(const char *old_text, const char *section, bool (*ours)(const struct drs_entry *e),
                         const char *block, const char *header);
