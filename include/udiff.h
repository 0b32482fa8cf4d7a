/* udiff.h: unified diff of two texts, as `diff -u` prints it. */
#pragma once

/* Returns the unified diff (3 lines of context unless told) of old_text against new_text,
 * with "--- old_label" / "+++ new_label" headers; a NULL text is an absent file (labelled
 * /dev/null by the caller if it wishes). Missing final newlines are marked with
 * "\ No newline at end of file". Returns "" when the texts are equal. Caller frees. */
char *udiff(const char *old_label, const char *old_text, const char *new_label, const char *new_text,
            unsigned context);
