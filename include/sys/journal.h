/* journal.h: following docker.service in the journal from a point taken before a restart. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct drs_journal_watch;

/* Opens the local system journal (or the journal files in dir and its machine-ID
 * subdirectories, when not NULL), restricted to the unit's own lines (_SYSTEMD_UNIT=unit) and
 * systemd's lines about it (UNIT=unit), and remembers the current end: only entries added
 * after this call are reported. Only the active files are opened (system.journal, or in dir
 * every file without "@" in its name), not the archives: new entries go to the active files,
 * and the files journald rotates while we watch are followed. So the cost does not grow with
 * the journal's history. -ENOENT when there is no journal directory. */
int journal_watch_open(const char *dir, const char *unit, struct drs_journal_watch **ret);
/* The same for unit in the manager of user uid (rootless Docker): its own lines
 * (_SYSTEMD_USER_UNIT=unit, _UID=uid, in user@UID.service) and its manager's lines about it
 * (USER_UNIT=unit), read from system.journal and user-UID.journal (those readable). */
int journal_watch_open_user(unsigned uid, const char *unit, struct drs_journal_watch **ret);
void journal_watch_close(struct drs_journal_watch *w);

/* Called for every new entry, in order; realtime in µs since the epoch. */
typedef void (*drs_journal_line_fn)(const char *message, uint64_t realtime_usec, void *userdata);

/* Waits, event-driven (poll on sd_journal_get_fd() as sd_journal_wait() does, and on an
 * inotify watch of the journal directories for rotation; no sleeping loops), until every text
 * in expect (addresses as listen_match() returns them, e.g. "10.0.0.2:2375") has appeared in
 * an "API listen on" line, or until timeout_usec has passed. Every new entry is passed to fn (may be NULL).
 * *ret_realtime (may be NULL) gets the journal timestamp of the last expected line.
 * Returns 0 when all appeared, -ETIMEDOUT, or -ECANCELED when the unit failed
 * (systemd logged "Failed with result" / dockerd a fatal error) before they appeared. */
int journal_watch_wait_listen(struct drs_journal_watch *w, char *const *expect, uint64_t timeout_usec,
                              drs_journal_line_fn fn, void *userdata, uint64_t *ret_realtime);

/* Passes every entry added since the last call to fn without waiting. Returns how many. */
int journal_watch_poll(struct drs_journal_watch *w, drs_journal_line_fn fn, void *userdata);

/* Asks journald to write out every message it has received (varlink
 * io.systemd.Journal.Synchronize, what `journalctl --sync` does; root only) and returns when it
 * has, or after 2 s. Returns 0 or a negative errno. */
int journal_sync(void);

/* The next time journal_watch_wait_listen() finds no new entry, it first calls journal_sync()
 * and looks again, before it waits. For a line known to have been logged already (its daemon
 * answered after logging it): journald notifies readers of new entries only when its
 * post-change timer fires, 250–500 ms after it writes them. Once. */
void journal_watch_sync_when_idle(struct drs_journal_watch *w);

/* The "API listen on" addresses of the unit's most recent start in the journal: that run (the
 * invocation ID of the unit's last entry) read forward from its first entry until shortly after
 * its listeners were logged; without invocation IDs, the run (same PID) read back from the end.
 * Returns 0 (an empty vector when none). */
int journal_last_listeners(const char *dir, const char *unit, char ***ret);
/* The same for one run of a user's unit (_SYSTEMD_USER_UNIT=unit, _SYSTEMD_INVOCATION_ID, as the
 * user's manager reports it), read from every journal file (a user's units log to
 * user-UID.journal). Returns 0 (an empty vector when none). */
int journal_user_listeners(const char *dir, const char *unit, const char *invocation, char ***ret);
