/* journal-internal.h: sd-journal helpers shared by journal.c (the watch) and journal-last.c
 * (the last run, for status). */
#pragma once

#include <systemd/sd-journal.h>

/* The value of field in the current entry, as a string (caller frees). */
int journal_entry_field(sd_journal *j, const char *field, char **ret);
