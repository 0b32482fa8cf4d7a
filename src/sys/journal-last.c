/* journal-last.c: what the journal says about a unit's most recent run (for status): the
 * "API listen on" addresses dockerd logged when that run started. */
#include "journal.h"

#include <systemd/sd-journal.h>

#include "journal-internal.h"
#include "listenmatch.h"
#include "util.h"

/* Adds the match FIELD=VALUE. */
static int journal_add_match_field(sd_journal *j, const char *field, const char *value) {
        _cleanup_free_ char *m = xasprintf("%s=%s", field, value);
        return sd_journal_add_match(j, m, 0);
}

static int open_journal(const char *dir, sd_journal **ret) {
        if (dir)
                return sd_journal_open_directory(ret, dir, 0);
        return sd_journal_open(ret, SD_JOURNAL_LOCAL_ONLY | SD_JOURNAL_SYSTEM);
}

/* The key telling one run of the unit from the next: the invocation ID, else the PID. */
static char *entry_run_key(sd_journal *j) {
        char *v = NULL;
        if (journal_entry_field(j, "_SYSTEMD_INVOCATION_ID", &v) >= 0)
                return v;
        if (journal_entry_field(j, "_PID", &v) >= 0)
                return v;
        return xstrdup("");
}

/* Appends the address of an "API listen on" entry to *v, once. */
static void collect_listener(sd_journal *j, char ***v) {
        _cleanup_free_ char *message = NULL, *addr = NULL;

        if (journal_entry_field(j, "MESSAGE", &message) >= 0 && listen_match(message, &addr) && !strv_contains(*v, addr))
                strv_consume(v, TAKE_PTR(addr));
}

/* dockerd logs its listeners together at the end of its start: once one is seen, the others
 * follow within LISTEN_WINDOW_USEC. Before the first, reading stops STARTUP_WINDOW_USEC after the
 * run's first entry (a daemon still starting, or one that logs none). */
#define LISTEN_WINDOW_USEC (10 * 1000000ULL)
#define STARTUP_WINDOW_USEC (30 * 60 * 1000000ULL)

/* Reads the run forward from its first entry (journald indexes each invocation ID), so the cost
 * is that of the start, not of everything the daemon logged since. */
static int listeners_of_invocation(sd_journal *j, const char *unit_field, const char *unit, const char *invocation,
                                   char ***v) {
        uint64_t start = 0, first_listen = 0, t;
        int r;

        sd_journal_flush_matches(j);
        r = journal_add_match_field(j, unit_field, unit);
        if (r >= 0)
                r = journal_add_match_field(j, "_SYSTEMD_INVOCATION_ID", invocation);
        if (r >= 0)
                r = sd_journal_seek_head(j);
        while (r >= 0 && (r = sd_journal_next(j)) > 0) {
                size_t before = strv_length(*v);
                r = sd_journal_get_realtime_usec(j, &t);
                if (r < 0)
                        break;
                if (start == 0)
                        start = t;
                if (first_listen ? t > first_listen + LISTEN_WINDOW_USEC : t > start + STARTUP_WINDOW_USEC)
                        break;
                collect_listener(j, v);
                if (!first_listen && strv_length(*v) > before)
                        first_listen = t;
        }
        return r < 0 ? r : 0;
}

int journal_last_listeners(const char *dir, const char *unit, char ***ret) {
        _cleanup_(sd_journal_closep) sd_journal *j = NULL;
        _cleanup_strv_free_ char **rev = NULL;
        _cleanup_free_ char *run = NULL, *invocation = NULL;
        char **v = NULL;
        size_t n;
        int r;

        r = open_journal(dir, &j);
        if (r < 0)
                return r;
        r = journal_add_match_field(j, "_SYSTEMD_UNIT", unit);
        if (r < 0)
                return r;
        r = sd_journal_seek_tail(j);
        if (r < 0)
                return r;
        r = sd_journal_previous(j);
        if (r < 0)
                return r;
        if (r > 0 && journal_entry_field(j, "_SYSTEMD_INVOCATION_ID", &invocation) >= 0) {
                v = xcalloc(1, sizeof(char *));
                r = listeners_of_invocation(j, "_SYSTEMD_UNIT", unit, invocation, &v);
                if (r < 0) {
                        strv_free(v);
                        return r;
                }
                *ret = v;
                return 0;
        }

        /* No invocation ID (systemd before 232): walk back through the most recent run, stopping
         * at the first entry of an older one (another PID). */
        for (; r > 0; r = sd_journal_previous(j)) {
                _cleanup_free_ char *key = entry_run_key(j);
                if (!run)
                        run = TAKE_PTR(key);
                else if (!streq(run, key))
                        break;
                collect_listener(j, &rev);
        }
        if (r < 0)
                return r;

        n = strv_length(rev);
        v = xcalloc(n + 1, sizeof(char *));
        for (size_t i = 0; i < n; i++)
                v[i] = TAKE_PTR(rev[n - 1 - i]);
        *ret = v;
        return 0;
}

int journal_user_listeners(const char *dir, const char *unit, const char *invocation, char ***ret) {
        _cleanup_(sd_journal_closep) sd_journal *j = NULL;
        char **v = xcalloc(1, sizeof(char *));
        /* A user's units log to user-UID.journal, which SD_JOURNAL_SYSTEM leaves out. */
        int r = dir ? sd_journal_open_directory(&j, dir, 0) : sd_journal_open(&j, SD_JOURNAL_LOCAL_ONLY);
        if (r >= 0)
                r = listeners_of_invocation(j, "_SYSTEMD_USER_UNIT", unit, invocation, &v);
        if (r < 0) {
                strv_free(v);
                return r;
        }
        *ret = v;
        return 0;
}
