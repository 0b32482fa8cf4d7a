/* journal.c: follows a unit's journal (sd-journal) from a point taken before a restart. */
#include "journal.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>
#include <systemd/sd-id128.h>
#include <systemd/sd-journal.h>

#include "journal-internal.h"
#include "listenmatch.h"
#include "timeutil.h"
#include "trace.h"
#include "util.h"

/* The watch reads only the journal files new entries can go to: the active ones (no "@" in the
 * name), and the ones journald archives while we watch. Opening the whole journal as
 * sd_journal_open() does costs a header read and a match lookup in every archived file: with
 * years of journal on a busy host (dozens of files, not in the page cache) that took seconds
 * before each restart. Rotation is followed with inotify on the journal directories.
 * The watch sets no sd-journal matches: it stands on the file's last entry and picks the unit's
 * entries out of what follows itself. With matches, standing on the unit's last entry meant
 * bisecting the entry arrays of _SYSTEMD_UNIT=, UNIT= and _PID=1 (systemd's every line), whose
 * pages the process then maps: 0.45 MiB in a fresh container, 1.2 MiB with 10^6 older lines in
 * the file, against 0.25 and 0.7 MiB for the file's own entry array. What follows the last entry
 * is a restart's worth of lines. */
struct drs_journal_watch {
        sd_journal *j;
        char *unit;
        /* Between systemd's "Stopping …" and "Stopped …"/"Starting …": a failure logged there
         * (the old daemon's stop timing out) is not a failure of the start we wait for. */
        bool in_stop;
        bool system;       /* the local system journal: system.journal and its archives only */
        bool user;         /* a user's unit (rootless Docker): _SYSTEMD_USER_UNIT=, USER_UNIT= from the
                            * user's manager; system.journal and user-UID.journal */
        char *uid;         /* that user's uid, as the journal writes it */
        char *manager;     /* "user@UID.service": the unit of the user's manager and its units */
        char **dirs;       /* the journal directories */
        int *wds;          /* their inotify watch descriptors (-1: not watched) */
        char **archived;   /* files archived (renamed) by journald since we attached */
        int inotify_fd;
        char *cursor;      /* the last entry read (or stood on when attaching); NULL: none */
        bool skip_cursor;  /* after a reopen: the entry at cursor was read already */
        bool reopen;       /* a journal file appeared that j does not have yet */
        bool sync;         /* before waiting next, have journald write out what it has */
};

/* Whether data ("FIELD=value", len bytes) is field=value; value NULL: any value. */
static bool data_is(const void *data, size_t len, const char *field, const char *value) {
        size_t flen = strlen(field);

        if (len <= flen || memcmp(data, field, flen) != 0 || ((const char *) data)[flen] != '=')
                return false;
        return !value || (len - flen - 1 == strlen(value) && memcmp((const char *) data + flen + 1, value, len - flen - 1) == 0);
}

/* The value of field in the current entry, as a string (caller frees). */
int journal_entry_field(sd_journal *j, const char *field, char **ret) {
        const void *data;
        size_t len, flen = strlen(field);
        int r;

        r = sd_journal_get_data(j, field, &data, &len);
        if (r < 0)
                return r;
        if (!data_is(data, len, field, NULL))
                return -EBADMSG;
        *ret = xstrndup((const char *) data + flen + 1, len - flen - 1);
        return 0;
}

/* Whether the current entry is one of the unit's own lines (_SYSTEMD_UNIT=unit) or systemd's
 * line about it (UNIT=unit from _PID=1: any client may log UNIT=, and _PID is added by journald),
 * and its message. One pass over the entry's fields: sd_journal_get_data() walks them from the
 * first for every field asked. 1: wanted, 0: not (or no MESSAGE), negative: unreadable. */
static int entry_read(struct drs_journal_watch *w, char **ret_message, bool *ret_from_unit) {
        _cleanup_free_ char *message = NULL;
        bool own = false, about = false, pid1 = false, uid = false;
        const char *own_field = w->user ? "_SYSTEMD_USER_UNIT" : "_SYSTEMD_UNIT",
                   *about_field = w->user ? "USER_UNIT" : "UNIT";
        const void *data;
        size_t len;
        int r;

        sd_journal_restart_data(w->j);
        while ((r = sd_journal_enumerate_data(w->j, &data, &len)) > 0) {
                if (!message && data_is(data, len, "MESSAGE", NULL))
                        message = xstrndup((const char *) data + strlen("MESSAGE="), len - strlen("MESSAGE="));
                else if (data_is(data, len, own_field, w->unit))
                        own = true;
                else if (data_is(data, len, about_field, w->unit))
                        about = true;
                else if (w->user ? data_is(data, len, "_SYSTEMD_UNIT", w->manager) : data_is(data, len, "_PID", "1"))
                        pid1 = true; /* the manager (or, for a user's unit, that user's manager) */
                else if (w->user && data_is(data, len, "_UID", w->uid))
                        uid = true;
        }
        if (r < 0)
                return r;
        if (w->user) /* only that user's processes in its own manager */
                own = own && pid1 && uid;
        if (!message || !(own || (about && pid1)))
                return 0;
        *ret_message = TAKE_PTR(message);
        *ret_from_unit = own;
        return 1;
}

/* Journal file names: active ("system.journal", or in a directory of our own "x.journal") or
 * archived by journald ("system@….journal"). User journals are not the system's. */
static bool journal_name(const struct drs_journal_watch *w, const char *name, bool archived) {
        if (!endswith(name, ".journal"))
                return false;
        if (w->user) {
                _cleanup_free_ char *u = xasprintf("user-%s", w->uid);
                const char *rest = startswith(name, "system") ? name + strlen("system")
                                   : startswith(name, u)       ? name + strlen(u)
                                                               : NULL;
                return rest && (archived ? rest[0] == '@' : streq(rest, ".journal"));
        }
        if (w->system)
                return archived ? startswith(name, "system@") : streq(name, "system.journal");
        return !strchr(name, '@') == !archived;
}

static char **active_files(const struct drs_journal_watch *w) {
        char **v = xcalloc(1, sizeof(char *));

        for (size_t i = 0; w->dirs[i]; i++) {
                DIR *d = opendir(w->dirs[i]);
                struct dirent *de;

                if (!d)
                        continue;
                while ((de = readdir(d)))
                        if (journal_name(w, de->d_name, false)) {
                                char *path = xasprintf("%s/%s", w->dirs[i], de->d_name);
                                /* Run by the user itself, system.journal may not be its to read. */
                                if (w->user && access(path, R_OK) < 0)
                                        free(path);
                                else
                                        strv_consume(&v, path);
                        }
                closedir(d);
        }
        return v;
}

/* (Re)opens j on the active files and those archived meanwhile, positioned after w->cursor.
 * On failure the previous j is kept: a file journald has only just created may have no
 * header yet (-ENODATA); the next inotify event tries again. */
static int watch_reopen(struct drs_journal_watch *w) {
        _cleanup_(sd_journal_closep) sd_journal *j = NULL;
        _cleanup_strv_free_ char **files = active_files(w);
        int r;

        for (size_t i = 0; w->archived && w->archived[i]; i++)
                strv_push(&files, w->archived[i]);
        if (!files[0])
                return 0; /* no file yet: inotify tells when one appears */
        r = sd_journal_open_files(&j, (const char **) files, 0);
        if (r < 0)
                return r;
        /* Set up inotify now, so that nothing appended between here and the first wait is missed. */
        r = sd_journal_get_fd(j);
        if (r < 0)
                return r;
        r = w->cursor ? sd_journal_seek_cursor(j, w->cursor) : sd_journal_seek_head(j);
        if (r < 0)
                return r;
        w->skip_cursor = !!w->cursor;
        sd_journal_close(w->j);
        w->j = TAKE_PTR(j);
        w->reopen = false;
        return 0;
}

static int watch_dirs(const char *dir, char ***ret) {
        char **v = xcalloc(1, sizeof(char *));
        sd_id128_t machine;
        int r;

        if (dir) {
                /* Like sd_journal_open_directory(): the files in dir and in its machine-ID
                 * subdirectories (dir may be a /var/log/journal). */
                DIR *d = opendir(dir);
                struct dirent *de;

                strv_push(&v, dir);
                while (d && (de = readdir(d)))
                        if (de->d_type == DT_DIR && sd_id128_from_string(de->d_name, &machine) >= 0)
                                strv_consume(&v, xasprintf("%s/%s", dir, de->d_name));
                if (d)
                        closedir(d);
                *ret = v;
                return 0;
        }
        /* Where sd_journal_open(SD_JOURNAL_LOCAL_ONLY) looks: the runtime journal, then the
         * persistent one (journald writes to one of them at a time). */
        r = sd_id128_get_machine(&machine);
        if (r < 0) {
                strv_free(v);
                return r;
        }
        strv_consume(&v, xasprintf("/run/log/journal/" SD_ID128_FORMAT_STR, SD_ID128_FORMAT_VAL(machine)));
        strv_consume(&v, xasprintf("/var/log/journal/" SD_ID128_FORMAT_STR, SD_ID128_FORMAT_VAL(machine)));
        *ret = v;
        return 0;
}

static int watch_open(const char *dir, const char *unit, const unsigned *uid, struct drs_journal_watch **ret) {
        struct drs_journal_watch *w = xcalloc(1, sizeof(*w));
        size_t watched = 0;
        int r;

        w->unit = xstrdup(unit);
        w->system = !dir && !uid;
        w->user = !!uid;
        if (uid) {
                w->uid = xasprintf("%u", *uid);
                w->manager = xasprintf("user@%u.service", *uid);
        }
        w->inotify_fd = -1;
        r = watch_dirs(dir, &w->dirs);
        if (r < 0)
                goto fail;
        /* inotify before listing the files: a file created in between is not missed. */
        w->inotify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
        if (w->inotify_fd < 0) {
                r = -errno;
                goto fail;
        }
        w->wds = xcalloc(strv_length(w->dirs) + 1, sizeof(int));
        for (size_t i = 0; w->dirs[i]; i++) {
                w->wds[i] = inotify_add_watch(w->inotify_fd, w->dirs[i],
                                              IN_CREATE | IN_MOVED_TO | IN_MODIFY | IN_ONLYDIR);
                watched += w->wds[i] >= 0;
        }
        if (watched == 0) {
                r = -ENOENT; /* no journal directory: the lines could never be seen */
                goto fail;
        }
        r = watch_reopen(w);
        if (r < 0)
                goto fail;

        /* Stand on the last entry, so that sd_journal_next() yields only later ones. When there
         * is none, start from the head: whatever comes later is new. Not
         * seek_tail alone: a next() from the tail location returns the last entry, skipping
         * everything appended before it in the same batch. */
        if (w->j) {
                r = sd_journal_seek_tail(w->j);
                if (r >= 0)
                        r = sd_journal_previous(w->j);
                if (r > 0)
                        r = sd_journal_get_cursor(w->j, &w->cursor);
                else if (r == 0)
                        r = sd_journal_seek_head(w->j);
                if (r < 0)
                        goto fail;
        }
        *ret = w;
        return 0;
fail:
        journal_watch_close(w);
        return r;
}

int journal_watch_open(const char *dir, const char *unit, struct drs_journal_watch **ret) {
        return watch_open(dir, unit, NULL, ret);
}

int journal_watch_open_user(unsigned uid, const char *unit, struct drs_journal_watch **ret) {
        return watch_open(NULL, unit, &uid, ret);
}

void journal_watch_close(struct drs_journal_watch *w) {
        if (!w)
                return;
        free(w->uid);
        free(w->manager);
        sd_journal_close(w->j);
        if (w->inotify_fd >= 0)
                close(w->inotify_fd);
        strv_free(w->dirs);
        free(w->wds);
        strv_free(w->archived);
        free(w->cursor);
        free(w->unit);
        free(w);
}

/* Reads the inotify events: whether a journal file appeared (journald rotated, or started
 * writing a file) or one that could not be opened yet changed. Archived files are remembered:
 * they may hold entries not read yet. */
static int watch_read_inotify(struct drs_journal_watch *w) {
        char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));

        for (;;) {
                ssize_t n = read(w->inotify_fd, buf, sizeof(buf));
                if (n < 0) {
                        if (errno == EAGAIN)
                                break;
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                for (char *p = buf; p < buf + n;) {
                        const struct inotify_event *ev = (const struct inotify_event *) p;
                        bool archived;

                        p += sizeof(*ev) + ev->len;
                        if (ev->len == 0)
                                continue;
                        archived = journal_name(w, ev->name, true);
                        if (!archived && !journal_name(w, ev->name, false))
                                continue;
                        if (ev->mask & IN_MODIFY)
                                continue; /* only a reason to try a pending reopen again */
                        w->reopen = true;
                        for (size_t i = 0; archived && w->dirs[i]; i++)
                                if (w->wds[i] == ev->wd) {
                                        _cleanup_free_ char *path = xasprintf("%s/%s", w->dirs[i], ev->name);
                                        if (!strv_contains(w->archived, path))
                                                strv_push(&w->archived, path);
                                }
                }
        }
        if (w->reopen) {
                int r = watch_reopen(w);
                trace("journal: reopening with a new journal file: %d", r);
        }
        return 0;
}

/* Waits for new entries (journald's inotify notification through sd_journal_get_fd(), as
 * sd_journal_wait() does) or new files (ours), at most usec. */
static int watch_wait(struct drs_journal_watch *w, uint64_t usec) {
        struct pollfd p[2] = {{.fd = w->inotify_fd, .events = POLLIN}, {.fd = -1}};
        uint64_t t = UINT64_MAX;
        int r, n;

        if (w->j) {
                p[1].fd = sd_journal_get_fd(w->j);
                if (p[1].fd < 0)
                        return p[1].fd;
                r = sd_journal_get_events(w->j);
                if (r < 0)
                        return r;
                p[1].events = (short) r;
                r = sd_journal_get_timeout(w->j, &t);
                if (r < 0)
                        return r;
                if (t != UINT64_MAX) {
                        uint64_t mono = now_monotonic_usec();
                        t = t > mono ? t - mono : 0;
                }
        }
        if (t > usec)
                t = usec;
        n = poll(p, 2, (int) ((t + 999) / 1000 > INT_MAX ? INT_MAX : (t + 999) / 1000));
        if (n < 0)
                return errno == EINTR ? 0 : -errno;
        if (p[0].revents) {
                r = watch_read_inotify(w);
                if (r < 0)
                        return r;
        }
        if (w->j) {
                r = sd_journal_process(w->j);
                if (r < 0)
                        return r;
        }
        return 0;
}

#define JOURNALD_VARLINK "/run/systemd/journal/io.systemd.journal"
#define SYNC_TIMEOUT_MSEC 2000

/* A Varlink reply (NUL-terminated): 0 for {"parameters": …}, -EIO for {"error": "…"}, -EBADMSG
 * when it is no JSON object. */
static int sync_reply(const char *reply) {
        struct json_object *o = json_tokener_parse(reply);
        int r = !json_object_is_type(o, json_type_object) ? -EBADMSG
                : json_object_object_get_ex(o, "error", NULL) ? -EIO
                                                             : 0;
        json_object_put(o);
        return r;
}

int journal_sync(void) {
        static const char req[] = "{\"method\":\"io.systemd.Journal.Synchronize\",\"parameters\":{}}";
        struct sockaddr_un sa = {.sun_family = AF_UNIX, .sun_path = JOURNALD_VARLINK};
        char reply[512];
        size_t got = 0;
        int fd, r;

        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return -errno;
        /* Varlink: a JSON object ended by a NUL byte each way; the reply comes when journald has
         * processed every message queued before the call and synced its files. */
        if (connect(fd, (struct sockaddr *) &sa, sizeof(sa)) < 0 || send(fd, req, sizeof(req), MSG_NOSIGNAL) < 0) {
                r = -errno;
                goto out;
        }
        for (;;) {
                struct pollfd p = {.fd = fd, .events = POLLIN};
                ssize_t k;
                int n = poll(&p, 1, SYNC_TIMEOUT_MSEC);

                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0) {
                        r = n == 0 ? -ETIMEDOUT : -errno;
                        break;
                }
                k = recv(fd, reply + got, sizeof(reply) - got, 0);
                if (k < 0 && errno == EINTR)
                        continue;
                if (k <= 0) {
                        r = k == 0 ? -ECONNRESET : -errno;
                        break;
                }
                got += (size_t) k;
                if (memchr(reply, '\0', got)) {
                        r = sync_reply(reply);
                        break;
                }
                if (got == sizeof(reply)) {
                        r = -EBADMSG;
                        break;
                }
        }
out:
        close(fd);
        return r;
}

void journal_watch_sync_when_idle(struct drs_journal_watch *w) {
        w->sync = true;
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

/* The next entry added since attaching, without waiting: 1 with its message, 0 when there is
 * none yet. Keeps the cursor for a reopen after rotation. */
static int watch_next(struct drs_journal_watch *w, char **ret_message, uint64_t *ret_realtime, bool *ret_from_unit) {
        for (;;) {
                _cleanup_free_ char *message = NULL;
                int r = w->j ? sd_journal_next(w->j) : 0;

                if (r <= 0)
                        return r;
                if (w->skip_cursor) {
                        w->skip_cursor = false;
                        if (sd_journal_test_cursor(w->j, w->cursor) > 0)
                                continue;
                }
                free(w->cursor);
                w->cursor = NULL;
                r = sd_journal_get_cursor(w->j, &w->cursor);
                if (r < 0)
                        return r;
                r = entry_read(w, &message, ret_from_unit);
                if (r < 0)
                        trace("journal: an entry that cannot be read: %d", r);
                if (r <= 0)
                        continue;
                *ret_realtime = 0;
                (void) sd_journal_get_realtime_usec(w->j, ret_realtime);
                *ret_message = TAKE_PTR(message);
                return 1;
        }
}

int journal_watch_wait_listen(struct drs_journal_watch *w, char *const *expect, uint64_t timeout_usec,
                              drs_journal_line_fn fn, void *userdata, uint64_t *ret_realtime) {
        size_t n = strv_length(expect), missing = n;
        _cleanup_free_ bool *seen = xcalloc(n + 1, sizeof(bool));
        uint64_t deadline = now_monotonic_usec() + timeout_usec, last_realtime = 0;
        int r;

        for (;;) {
                _cleanup_free_ char *message = NULL, *addr = NULL;
                uint64_t now, realtime = 0;
                bool from_unit;

                if (missing == 0)
                        break;
                now = now_monotonic_usec();
                if (now >= deadline)
                        return -ETIMEDOUT;

                r = watch_next(w, &message, &realtime, &from_unit);
                if (r < 0)
                        return r;
                if (r == 0 && w->sync) {
                        w->sync = false;
                        r = journal_sync();
                        trace("journal: no new entry, journald synchronized: %d", r);
                        if (r >= 0)
                                continue;
                        r = 0;
                }
                if (r == 0) {
                        trace("journal: no new entry, waiting");
                        r = watch_wait(w, deadline - now);
                        trace("journal: woken: %d", r);
                        if (r < 0)
                                return r;
                        continue;
                }

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

int journal_watch_poll(struct drs_journal_watch *w, drs_journal_line_fn fn, void *userdata) {
        int r, n = 0;

        r = watch_wait(w, 0); /* take in what journald and inotify have to say, without blocking */
        if (r < 0)
                return r;
        for (;;) {
                _cleanup_free_ char *message = NULL;
                uint64_t realtime;
                bool from_unit;

                r = watch_next(w, &message, &realtime, &from_unit);
                if (r <= 0)
                        return r < 0 ? r : n;
                if (fn)
                        fn(message, realtime, userdata);
                n++;
        }
}
