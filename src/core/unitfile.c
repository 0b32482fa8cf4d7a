/* unitfile.c: systemd unit files and drop-ins as text: parse, fold settings in order, edit.
 *
 * The rules of systemd's config_parse() (src/shared/conf-parser.c, v252 as Debian 12 ships it)
 * that matter here, each followed below:
 * - a UTF-8 byte order mark is skipped at the start of the file (only there);
 * - lines end at "\n", "\r\n" or a lone "\r" (read_line());
 * - leading whitespace is skipped; a line whose first other character is '#' or ';' is a
 *   comment, also inside a continued line (left out of it), and never continues;
 * - a line ending in an odd number of backslashes continues on the next one, the backslash
 *   replaced by a space; at the end of the file the line is parsed as it is;
 * - "[Section]" (after trimming) starts a section; a header not ending in ']', or whose name has
 *   a control character, a quote or a backslash, is an error; "[]" is a section nobody reads;
 * - "Key=Value": key and value trimmed of whitespace; a line without '=' or with nothing
 *   before it, or an assignment before any section, is ignored (systemd warns);
 * - an empty value resets the list settings (ExecStart=, Environment=, EnvironmentFile=);
 * - ".include" is no longer supported (removed in v248): such a line has no '=' and is ignored. */
#include "unitfile.h"

#include <errno.h>
#include <string.h>

#include "i18n.h"
#include "util.h"

#define WHITESPACE " \t\n\r"
#define UTF8_BOM "\xef\xbb\xbf"

static char *strip(const char *s, size_t n) {
        while (n > 0 && strchr(WHITESPACE, *s)) {
                s++;
                n--;
        }
        while (n > 0 && strchr(WHITESPACE, s[n - 1]))
                n--;
        return xstrndup(s, n);
}

/* A physical line continues when it ends in an odd number of backslashes (systemd's rule). */
static bool continues(const char *line, size_t n) {
        size_t k = 0;
        while (k < n && line[n - 1 - k] == '\\')
                k++;
        return k % 2 == 1;
}

static const char *intern_section(struct drs_unit *u, const char *name) {
        for (size_t i = 0; u->sections && u->sections[i]; i++)
                if (streq(u->sections[i], name))
                        return u->sections[i];
        strv_push(&u->sections, name);
        return u->sections[strv_length(u->sections) - 1];
}

static struct drs_entry *add_entry(struct drs_unit *u, enum drs_entry_kind kind, size_t start, size_t end,
                                   unsigned line, const char *section) {
        /* Doubling at each power of two: a 4 MiB file has some 40,000 lines (one realloc each was
         * quadratic where realloc cannot grow in place, e.g. under AddressSanitizer). */
        size_t n = u->n_entries;
        if (n == 0 || (n >= 8 && (n & (n - 1)) == 0))
                u->entries = xrealloc(u->entries, (n == 0 ? 8 : 2 * n) * sizeof(struct drs_entry));
        u->entries[u->n_entries] = (struct drs_entry) {
                .kind = kind, .start = start, .end = end, .line = line, .section = section};
        return &u->entries[u->n_entries++];
}

/* systemd's string_is_safe(): no control character, quote or backslash (a section name). */
static bool section_name_safe(const char *s, size_t n) {
        for (size_t i = 0; i < n; i++)
                if ((unsigned char) s[i] < ' ' || strchr("\"'\\\x7f", s[i]))
                        return false;
        return true;
}

/* Classifies one logical line (continuations already joined into l). */
static int parse_logical(struct drs_unit *u, const char *l, size_t start, size_t end, unsigned line,
                         const char **section, struct drs_diag *diag) {
        _cleanup_free_ char *s = strip(l, strlen(l));
        struct drs_entry *e;
        const char *eq;

        if (!*s)
                return add_entry(u, ENTRY_BLANK, start, end, line, *section), 0;
        if (*s == '#' || *s == ';')
                return add_entry(u, ENTRY_COMMENT, start, end, line, *section), 0;
        if (*s == '[') {
                size_t k = strlen(s);
                /* "[]" is an (unknown, ignored) section to systemd, "[a\"b]" an error. */
                if (s[k - 1] != ']' || k < 2 || !section_name_safe(s + 1, k - 2)) {
                        diag_set(diag, u->path, line, _("invalid section header \"%s\""), s);
                        return -EBADMSG;
                }
                s[k - 1] = '\0';
                *section = intern_section(u, s + 1);
                add_entry(u, ENTRY_SECTION, start, end, line, *section);
                return 0;
        }
        eq = strchr(s, '=');
        if (!*section || !eq || eq == s)
                return add_entry(u, ENTRY_IGNORED, start, end, line, *section), 0;
        e = add_entry(u, ENTRY_ASSIGNMENT, start, end, line, *section);
        e->key = strip(s, (size_t) (eq - s));
        e->value = strip(eq + 1, strlen(eq + 1));
        return 0;
}

int unit_parse(const char *path, const char *text, struct drs_unit **ret, struct drs_diag *diag) {
        struct drs_unit *u = xcalloc(1, sizeof(*u));
        struct drs_buf logical = {0};
        const char *section = NULL;
        /* systemd skips a byte order mark at the start of the file; it stays in the text (and in
         * what we write back), before the first entry. */
        size_t pos = startswith(text, UTF8_BOM) ? strlen(UTF8_BOM) : 0, start = 0, len = strlen(text);
        unsigned line = 0, first_line = 0;
        bool joining = false;
        int r = 0;

        u->path = xstrdup(path);
        u->text = xstrdup(text);
        while (pos < len) {
                /* Lines end as systemd's read_line() ends them: at "\n", "\r\n" or a lone "\r". */
                const char *l = text + pos, *t = l + strspn(l, " \t");
                size_t n = strcspn(l, "\r\n"), next = pos + n;
                bool comment;

                if (next < len)
                        next += text[next] == '\r' && text[next + 1] == '\n' ? 2 : 1;
                line++;
                /* systemd skips comment lines before looking for continuations: a comment never
                 * continues, and is left out of a continued line. */
                comment = t < l + n && (*t == '#' || *t == ';');
                if (joining && comment) {
                        pos = next;
                        continue;
                }
                if (!joining) {
                        start = pos;
                        first_line = line;
                        buf_free(&logical);
                        buf_append(&logical, "");
                }
                /* A continuation at the end of the file is parsed as it is (the backslash a space). */
                if (!comment && continues(l, n)) {
                        buf_append_n(&logical, l, n - 1);
                        buf_append_c(&logical, ' ');
                        joining = true;
                        pos = next;
                        continue;
                }
                buf_append_n(&logical, l, n);
                joining = false;
                r = parse_logical(u, logical.data, start, next, first_line, &section, diag);
                if (r < 0)
                        break;
                pos = next;
        }
        if (r >= 0 && joining) {
                r = parse_logical(u, logical.data, start, len, first_line, &section, diag);
                u->continued_at_end = true;
        }
        buf_free(&logical);
        if (r < 0) {
                unit_free(u);
                return r;
        }
        *ret = u;
        return 0;
}

void unit_free(struct drs_unit *u) {
        for (size_t i = 0; i < u->n_entries; i++) {
                free(u->entries[i].key);
                free(u->entries[i].value);
        }
        free(u->entries);
        strv_free(u->sections);
        free(u->path);
        free(u->text);
        free(u);
}

static bool is_setting(const struct drs_entry *e, const char *section, const char *key) {
        return e->kind == ENTRY_ASSIGNMENT && streq_ptr(e->section, section) && streq(e->key, key);
}

size_t unit_fold_setting(struct drs_unit *const *units, size_t n, const char *section, const char *key,
                         struct drs_setting **ret) {
        struct drs_setting *v = NULL;
        size_t count = 0;

        for (size_t i = 0; i < n; i++)
                for (size_t j = 0; j < units[i]->n_entries; j++) {
                        const struct drs_entry *e = &units[i]->entries[j];
                        if (!is_setting(e, section, key))
                                continue;
                        if (!*e->value) {
                                count = 0;
                                continue;
                        }
                        v = xrealloc(v, (count + 1) * sizeof(*v));
                        v[count++] = (struct drs_setting) {.value = e->value, .unit = units[i], .line = e->line};
                }
        if (count == 0) {
                free(v);
                v = NULL;
        }
        *ret = v;
        return count;
}

bool unit_sets(const struct drs_unit *u, const char *section, const char *key) {
        for (size_t j = 0; j < u->n_entries; j++)
                if (is_setting(&u->entries[j], section, key))
                        return true;
        return false;
}

/* Appends s, then a newline if it lacks one; and a blank line when s ends inside a continued
 * line (its last line, or the last before trailing comments, ends in a backslash), which would
 * otherwise go on into ours. */
static void append_ensuring_newline(struct drs_buf *b, const char *s, size_t n, bool continued) {
        buf_append_n(b, s, n);
        if (b->len > 0 && b->data[b->len - 1] != '\n')
                buf_append_c(b, '\n');
        if (continued)
                buf_append_c(b, '\n');
}

char *dropin_set_entries(const char *old_text, const char *section, bool (*ours)(const struct drs_entry *e),
                         const char *block, const char *header) {
        _cleanup_(unit_freep) struct drs_unit *u = NULL;
        struct drs_buf b = {0};
        size_t insert_at = (size_t) -1, copied = 0;
        bool placed = !block;

        if (!old_text || unit_parse("drop-in", old_text, &u, NULL) < 0) {
                /* A new file (an unparsable old one never reaches here: the plan refuses it). */
                if (!block)
                        return old_text ? xstrdup(old_text) : NULL;
                if (header)
                        buf_append(&b, header);
                buf_appendf(&b, "[%s]\n", section);
                buf_append(&b, block);
                return buf_steal(&b);
        }

        /* Where ours goes: at the first of our entries, else after the last assignment (or the
         * header) of the first section of that name. */
        for (size_t i = 0; i < u->n_entries && insert_at == (size_t) -1; i++)
                if (ours(&u->entries[i]))
                        insert_at = u->entries[i].start;
        for (size_t i = 0; i < u->n_entries && insert_at == (size_t) -1; i++) {
                const struct drs_entry *e = &u->entries[i];
                if (e->kind != ENTRY_SECTION || !streq(e->section, section))
                        continue;
                insert_at = e->end;
                for (size_t j = i + 1; j < u->n_entries && u->entries[j].section == e->section &&
                                       u->entries[j].kind != ENTRY_SECTION; j++)
                        if (u->entries[j].kind == ENTRY_ASSIGNMENT)
                                insert_at = u->entries[j].end;
        }

        for (size_t i = 0; i <= u->n_entries; i++) {
                size_t at = i < u->n_entries ? u->entries[i].start : strlen(old_text);
                if (!placed && insert_at != (size_t) -1 && insert_at <= at) {
                        append_ensuring_newline(&b, old_text + copied, insert_at - copied,
                                                u->continued_at_end && insert_at == strlen(old_text));
                        buf_append(&b, block);
                        copied = insert_at;
                        placed = true;
                }
                if (i == u->n_entries)
                        break;
                if (ours(&u->entries[i])) {
                        buf_append_n(&b, old_text + copied, u->entries[i].start - copied);
                        copied = u->entries[i].end;
                }
        }
        buf_append(&b, old_text + copied);
        if (!placed) {
                append_ensuring_newline(&b, "", 0, false); /* the blank line below ends a continuation */
                if (b.len > 0)
                        buf_append(&b, "\n");
                buf_appendf(&b, "[%s]\n", section);
                buf_append(&b, block);
        }
        return b.data ? buf_steal(&b) : xstrdup("");
}

static bool is_execstart(const struct drs_entry *e) {
        return is_setting(e, "Service", "ExecStart");
}

char *dropin_set_execstart(const char *old_text, const char *line, const char *header) {
        _cleanup_free_ char *ours = line ? xasprintf("ExecStart=\nExecStart=%s\n", line) : NULL;
        return dropin_set_entries(old_text, "Service", is_execstart, ours, header);
}
