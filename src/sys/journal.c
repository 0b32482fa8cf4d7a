/* journal.c: follows a unit's journal (sd-journal) from a point taken before a restart. */
#include "journal.h"

#include <errno.h>
#include <string.h>
#include <time.h>

#include <systemd/sd-journal.h>

#include "listenmatch.h"
#include "trace.h"
#include "util.h"

struct drs_journal_watch {
        sd_journal *j;
        char *unit;
        /* Between systemd's "Stopping …" and "Stopped …"/"Starting …": a failure logged there
         * (the old daemon's stop timing out) is not a failure of the start we wait for. */
        bool in_stop;
};

static uint64_t now_usec(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t) ts.tv_sec * 1000000u + (uint64_t) ts.tv_nsec / 1000u;
}

/* The value of field in the current entry, as a string (caller frees). */
static int entry_field(sd_journal *j, const char *field, char **ret) {
        const void *data;
        size_t len, flen = strlen(field);
        int r;

        r = sd_journal_get_data(j, field, &data, &len);
        if (r < 0)
                return r;
        if (len <= flen || memcmp(data, field, flen) != 0 || ((const char *) data)[flen] != '=')
                return -EBADMSG;
        *ret = xstrndup((const char *) data + flen + 1, len - flen - 1);
        return 0;
}

static bool entry_field_is(sd_journal *j, const char *field, const char *value) {
        _cleanup_free_ char *v = NULL;
        return entry_field(j, field, &v) >= 0 && streq(v, value);
}

static int open_journal(const char *dir, sd_journal **ret) {
        if (dir)
                return sd_journal_open_directory(ret, dir, 0);
        return sd_journal_open(ret, SD_JOURNAL_LOCAL_ONLY | SD_JOURNAL_SYSTEM);
}

static int add_match_field(sd_journal *j, const char *field, const char *value) {
        _cleanup_free_ char *m = xasprintf("%s=%s", field, value);
        return sd_journal_add_match(j, m, 0);
}

int journal_watch_open(const char *dir, const char *unit, struct drs_journal_watch **ret) {
        _cleanup_(sd_journal_closep) sd_journal *j = NULL;
        struct drs_journal_watch *w;
        int r;

        r = open_journal(dir, &j);
        if (r < 0)
                return r;

        /* The unit's own lines, or systemd's lines about it. UNIT= alone is not enough: any
         * client may log that field; _PID=1 is added by journald and cannot be forged. */
        r = add_match_field(j, "_SYSTEMD_UNIT", unit);
        if (r >= 0)
                r = sd_journal_add_disjunction(j);
        if (r >= 0)
                r = add_match_field(j, "UNIT", unit);
        if (r >= 0)
                r = sd_journal_add_match(j, "_PID=1", 0);
        if (r < 0)
                return r;

        /* Set up inotify now, so that nothing appended between here and the first wait is missed. */
        r = sd_journal_get_fd(j);
        if (r < 0)
                return r;

        /* Stand on the last matching entry, so that sd_journal_next() yields only later ones.
         * When there is none, start from the head: whatever matches later is new. Not
         * seek_tail alone: a next() from the tail location returns the last entry, skipping
         * everything appended before it in the same batch. */
        r = sd_journal_seek_tail(j);
        if (r < 0)
                return r;
        r = sd_journal_previous(j);
        if (r < 0)
                return r;
        if (r == 0) {
                r = sd_journal_seek_head(j);
                if (r < 0)
                        return r;
        }

        w = xcalloc(1, sizeof(*w));
        w->j = TAKE_PTR(j);
        w->unit = xstrdup(unit);
        *ret = w;
        return 0;
}

void journal_watch_close(struct drs_journal_watch *w) {
        if (!w)
                return;
        sd_journal_close(w->j);
        free(w->unit);
        free(w);
}

/* Whether the current entry ends the wait with a failure. */
static bool watch_entry_failed(struct drs_journal_watch *w, bool from_unit, const char *message) {
        if (!from_unit) {
                if (startswith(message, "Stopping "))
                        w->in_stop = true;
                else if (startswith(message, "Stopped ") || startswith(message, "Starting "))
                        w->in_stop = false;
        }
        return !w->in_stop && listen_line_is_fatal(message);
}

int journal_watch_wait_listen(struct drs_journal_watch *w, char *const *expect, uint64_t timeout_usec,
                              drs_journal_line_fn fn, void *userdata, uint64_t *ret_realtime) {
        size_t n = strv_length(expect), missing = n;
        _cleanup_free_ bool *seen = xcalloc(n + 1, sizeof(bool));
        uint64_t deadline = now_usec() + timeout_usec, last_realtime = 0;
        int r;

        for (;;) {
                _cleanup_free_ char *message = NULL, *addr = NULL;
                uint64_t now, realtime = 0;
                bool from_unit;

                if (missing == 0)
                        break;
                now = now_usec();
                if (now >= deadline)
                        return -ETIMEDOUT;

                r = sd_journal_next(w->j);
                if (r < 0)
                        return r;
                if (r == 0) {
                        trace("journal: no new entry, sd_journal_wait");
                        r = sd_journal_wait(w->j, deadline - now);
                        trace("journal: sd_journal_wait returned %d", r);
                        if (r < 0)
                                return r;
                        continue;
                }

                r = entry_field(w->j, "MESSAGE", &message);
                if (r == -ENOENT)
                        continue;
                if (r < 0)
                        return r;
                (void) sd_journal_get_realtime_usec(w->j, &realtime);
                from_unit = entry_field_is(w->j, "_SYSTEMD_UNIT", w->unit);

                if (fn)
                        fn(message, realtime, userdata);

                if (from_unit && listen_match(message, &addr))
                        for (size_t i = 0; i < n; i++)
                                if (!seen[i] && streq(expect[i], addr)) {
                                        seen[i] = true;
                                        missing--;
                                        last_realtime = realtime;
                                        trace("journal: API listen on %s, entry realtime %llu", addr,
                                              (unsigned long long) realtime);
                                }
                if (missing > 0 && watch_entry_failed(w, from_unit, message))
                        return -ECANCELED;
        }

        if (ret_realtime)
                *ret_realtime = last_realtime;
        return 0;
}

/* The key telling one run of the unit from the next: the invocation ID, else the PID. */
static char *entry_run_key(sd_journal *j) {
        char *v = NULL;
        if (entry_field(j, "_SYSTEMD_INVOCATION_ID", &v) >= 0)
                return v;
        if (entry_field(j, "_PID", &v) >= 0)
                return v;
        return xstrdup("");
}

int journal_last_listeners(const char *dir, const char *unit, char ***ret) {
        _cleanup_(sd_journal_closep) sd_journal *j = NULL;
        _cleanup_strv_free_ char **rev = NULL;
        _cleanup_free_ char *run = NULL;
        char **v = NULL;
        size_t n;
        int r;

        r = open_journal(dir, &j);
        if (r < 0)
                return r;
        r = add_match_field(j, "_SYSTEMD_UNIT", unit);
        if (r < 0)
                return r;
        r = sd_journal_seek_tail(j);
        if (r < 0)
                return r;

        /* Walk back through the most recent run, stopping at the first entry of an older one. */
        for (;;) {
                _cleanup_free_ char *key = NULL, *message = NULL, *addr = NULL;

                r = sd_journal_previous(j);
                if (r < 0)
                        return r;
                if (r == 0)
                        break;
                key = entry_run_key(j);
                if (!run)
                        run = TAKE_PTR(key);
                else if (!streq(run, key))
                        break;
                if (entry_field(j, "MESSAGE", &message) < 0)
                        continue;
                if (listen_match(message, &addr) && !strv_contains(rev, addr))
                        strv_consume(&rev, TAKE_PTR(addr));
        }

        n = strv_length(rev);
        v = xcalloc(n + 1, sizeof(char *));
        for (size_t i = 0; i < n; i++)
                v[i] = TAKE_PTR(rev[n - 1 - i]);
        *ret = v;
        return 0;
}
