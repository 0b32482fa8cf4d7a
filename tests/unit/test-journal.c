/* test-journal.c: tests of the journal watch on real journal files written by systemd-journal-remote. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <spawn.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "in-child.h"
#include "journal.h"
#include "util.h"

#define JOURNAL_REMOTE "/lib/systemd/systemd-journal-remote"
#define BOOT_ID "40a59e0750cb420bb2e2bba71e7b4de9"
#define INV_OLD "d8256332c45e43faa82774bf2e60ca68"
#define INV_NEW "290927bf93c440858349167f39809002"
#define UNIT "docker.service"

extern char **environ;

/* Per test: a temp dir with journal/ (what the watch reads) and export/ (the input files). */
struct fixture {
        char *top, *journal, *exports;
        unsigned n_exports;
        uint64_t realtime, monotonic;
};

static uint64_t mono_usec(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t) ts.tv_sec * 1000000u + (uint64_t) ts.tv_nsec / 1000u;
}

static int setup(_unused_ void **state) {
        struct fixture *f = xcalloc(1, sizeof(*f));
        const char *tmp = getenv("TMPDIR");
        struct timespec ts;

        if (access(JOURNAL_REMOTE, X_OK) < 0) {
                free(f);
                return -1;
        }
        f->top = xasprintf("%s/drs-test-journal.XXXXXX", tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp(f->top))
                return -1;
        f->journal = xasprintf("%s/journal", f->top);
        f->exports = xasprintf("%s/export", f->top);
        if (mkdir(f->journal, 0755) < 0 || mkdir(f->exports, 0755) < 0)
                return -1;
        clock_gettime(CLOCK_REALTIME, &ts);
        f->realtime = (uint64_t) ts.tv_sec * 1000000u - 3600u * 1000000u; /* an hour ago, then onwards */
        f->monotonic = 5000000;
        *state = f;
        return 0;
}

static int rm_rf(const char *path) {
        char *argv[] = {(char *) "rm", (char *) "-rf", (char *) "--one-file-system", (char *) path, NULL};
        pid_t pid;
        int status;

        if (posix_spawnp(&pid, "rm", NULL, NULL, argv, environ) != 0)
                return -1;
        if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
                return -1;
        return 0;
}

static int teardown(_unused_ void **state) {
        struct fixture *f = *state;
        int r = rm_rf(f->top);
        free(f->top);
        free(f->journal);
        free(f->exports);
        free(f);
        return r;
}

/* Appends one entry in export format; returns its realtime timestamp. */
static uint64_t add_entry(struct fixture *f, struct drs_buf *b, const char *fields, const char *message) {
        uint64_t t = f->realtime += 1000;
        f->monotonic += 1000;
        buf_appendf(b, "__REALTIME_TIMESTAMP=%llu\n__MONOTONIC_TIMESTAMP=%llu\n_BOOT_ID=" BOOT_ID "\n%sMESSAGE=%s\n\n",
                    (unsigned long long) t, (unsigned long long) f->monotonic, fields, message);
        return t;
}

static uint64_t dockerd(struct fixture *f, struct drs_buf *b, const char *inv, const char *message) {
        _cleanup_free_ char *fields = xasprintf("_TRANSPORT=stdout\nSYSLOG_IDENTIFIER=dockerd\n_PID=%s\n"
                                                "_SYSTEMD_UNIT=" UNIT "\n_SYSTEMD_INVOCATION_ID=%s\n",
                                                streq(inv, INV_OLD) ? "44" : "215", inv);
        return add_entry(f, b, fields, message);
}

static uint64_t pid1(struct fixture *f, struct drs_buf *b, const char *inv, const char *message) {
        _cleanup_free_ char *fields = xasprintf("_TRANSPORT=journal\nSYSLOG_IDENTIFIER=systemd\n_PID=1\n"
                                                "_SYSTEMD_UNIT=init.scope\nUNIT=" UNIT "\nINVOCATION_ID=%s\n",
                                                inv);
        return add_entry(f, b, fields, message);
}

static const char *logrus(const char *level, const char *msg) {
        static char line[512];
        snprintf(line, sizeof(line), "time=\"2026-11-29T05:23:28.339921098Z\" level=%s msg=\"%s\"", level, msg);
        return line;
}

/* Writes the text to a new export file and has systemd-journal-remote append it to the journal.
 * Returns 0 or -1 (no cmocka asserts: also used in a forked child). */
static int journal_append(struct fixture *f, const char *text) {
        _cleanup_free_ char *path = xasprintf("%s/%u.export", f->exports, f->n_exports++);
        _cleanup_free_ char *out = xasprintf("%s/x.journal", f->journal);
        char *argv[] = {(char *) JOURNAL_REMOTE, (char *) "-o", out, path, NULL};
        posix_spawn_file_actions_t fa;
        size_t len = strlen(text);
        pid_t pid;
        int fd, status, r;

        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (fd < 0)
                return -1;
        if (write(fd, text, len) != (ssize_t) len) {
                close(fd);
                return -1;
        }
        close(fd);

        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
        posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
        r = posix_spawn(&pid, JOURNAL_REMOTE, &fa, NULL, argv, environ);
        posix_spawn_file_actions_destroy(&fa);
        if (r != 0)
                return -1;
        if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
                return -1;
        return 0;
}

static void append(struct fixture *f, struct drs_buf *b) {
        _cleanup_free_ char *text = buf_steal(b);
        assert_int_equal(journal_append(f, text), 0);
}

/* Appends each text after its delay (µs, counted from the previous one), from a child process. */
static pid_t append_later(struct fixture *f, unsigned delay1, char *text1, unsigned delay2, char *text2) {
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
                usleep(delay1);
                if (journal_append(f, text1) < 0)
                        _exit(1);
                if (text2) {
                        usleep(delay2);
                        if (journal_append(f, text2) < 0)
                                _exit(1);
                }
                _exit(0);
        }
        f->n_exports += 2; /* the child's export file names */
        return pid;
}

static void child_done(pid_t pid) {
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* What the callback saw. */
struct seen {
        char **lines;
        uint64_t last_realtime;
};

static void on_line(const char *message, uint64_t realtime, void *userdata) {
        struct seen *s = userdata;
        strv_push(&s->lines, message);
        s->last_realtime = realtime;
}

/* The journal of the previous run: listening on 10.0.0.1:2375 already. */
static void old_run(struct fixture *f) {
        struct drs_buf b = {0};
        pid1(f, &b, INV_OLD, "Starting docker.service - Docker Application Container Engine...");
        dockerd(f, &b, INV_OLD, logrus("info", "Starting up"));
        pid1(f, &b, INV_OLD, "Started docker.service - Docker Application Container Engine.");
        dockerd(f, &b, INV_OLD, logrus("info", "API listen on /run/docker.sock"));
        dockerd(f, &b, INV_OLD, logrus("info", "API listen on 10.0.0.1:2375"));
        append(f, &b);
}

/* The restart's stop half and start up to "Started": no listener yet. */
static void restart_until_started(struct fixture *f, struct drs_buf *b) {
        pid1(f, b, INV_OLD, "Stopping docker.service - Docker Application Container Engine...");
        dockerd(f, b, INV_OLD, logrus("info", "Processing signal 'terminated'"));
        pid1(f, b, INV_OLD, "docker.service: Deactivated successfully.");
        pid1(f, b, INV_OLD, "Stopped docker.service - Docker Application Container Engine.");
        pid1(f, b, INV_NEW, "Starting docker.service - Docker Application Container Engine...");
        dockerd(f, b, INV_NEW, logrus("info", "Starting up"));
        dockerd(f, b, INV_NEW,
                "time=\"2026-11-29T05:21:37.571195912Z\" level=error msg=\"exec: \\\"fuse-overlayfs\\\": executable "
                "file not found in $PATH\" storage-driver=fuse-overlayfs");
        pid1(f, b, INV_NEW, "Started docker.service - Docker Application Container Engine.");
}

static void test_wait_new_line(_unused_ void **state) {
        struct fixture *f = *state;
        struct drs_journal_watch *w = NULL;
        struct drs_buf b1 = {0}, b2 = {0};
        struct seen s = {0};
        char *expect[] = {(char *) "10.0.0.1:2375", NULL};
        uint64_t t_listen, realtime = 0, t0;
        pid_t pid;

        old_run(f);
        assert_int_equal(journal_watch_open(f->journal, UNIT, &w), 0);

        restart_until_started(f, &b1);
        dockerd(f, &b1, INV_NEW, logrus("info", "API listen on /run/docker.sock"));
        t_listen = dockerd(f, &b2, INV_NEW, logrus("info", "API listen on 10.0.0.1:2375"));
        dockerd(f, &b2, INV_NEW, logrus("info", "API listen on [::]:2376"));

        t0 = mono_usec();
        pid = append_later(f, 200000, b1.data, 400000, b2.data);
        assert_int_equal(journal_watch_wait_listen(w, expect, 10000000, on_line, &s, &realtime), 0);
        assert_true(mono_usec() - t0 >= 550000); /* not before the second batch */
        child_done(pid);

        assert_int_equal(realtime, t_listen);
        assert_int_equal(s.last_realtime, t_listen);
        /* every new line of the unit, in order, and none of the old run */
        assert_int_equal(strv_length(s.lines), 10);
        assert_string_equal(s.lines[0], "Stopping docker.service - Docker Application Container Engine...");
        assert_string_equal(s.lines[9], logrus("info", "API listen on 10.0.0.1:2375"));

        /* the watch goes on from there: the next line is the [::] one */
        char *expect2[] = {(char *) "[::]:2376", NULL};
        assert_int_equal(journal_watch_wait_listen(w, expect2, 2000000, NULL, NULL, NULL), 0);

        buf_free(&b1);
        buf_free(&b2);
        strv_free(s.lines);
        journal_watch_close(w);
}

/* journald rotates while we wait: the lines before the rotation are in the archived file, the
 * rest in a new active file. The watch follows only the active files, so it must pick up both. */
static void test_rotation(_unused_ void **state) {
        struct fixture *f = *state;
        struct drs_journal_watch *w = NULL;
        struct drs_buf b1 = {0}, b2 = {0};
        struct seen s = {0};
        char *expect[] = {(char *) "10.0.0.1:2375", NULL};
        _cleanup_free_ char *active = xasprintf("%s/x.journal", f->journal);
        _cleanup_free_ char *archived =
                xasprintf("%s/x@8b1e0ed4a5b44e9c9a0ec8d0fa4a35a1-0000000000000001-0005f0aa00000000.journal", f->journal);
        uint64_t t_listen, realtime = 0;
        pid_t pid;

        old_run(f);
        assert_int_equal(journal_watch_open(f->journal, UNIT, &w), 0);

        restart_until_started(f, &b1);
        append(f, &b1);
        assert_int_equal(rename(active, archived), 0);
        dockerd(f, &b2, INV_NEW, logrus("info", "API listen on /run/docker.sock"));
        t_listen = dockerd(f, &b2, INV_NEW, logrus("info", "API listen on 10.0.0.1:2375"));
        pid = append_later(f, 200000, b2.data, 0, NULL);
        assert_int_equal(journal_watch_wait_listen(w, expect, 10000000, on_line, &s, &realtime), 0);
        child_done(pid);

        assert_int_equal(realtime, t_listen);
        /* every new line once, in order: 8 before the rotation, 2 after */
        assert_int_equal(strv_length(s.lines), 10);
        assert_string_equal(s.lines[0], "Stopping docker.service - Docker Application Container Engine...");
        assert_string_equal(s.lines[7], "Started docker.service - Docker Application Container Engine.");
        assert_string_equal(s.lines[9], logrus("info", "API listen on 10.0.0.1:2375"));

        buf_free(&b2);
        strv_free(s.lines);
        journal_watch_close(w);
}

static void test_timeout(_unused_ void **state) {
        struct fixture *f = *state;
        struct drs_journal_watch *w = NULL;
        struct drs_buf b = {0};
        char *expect[] = {(char *) "10.0.0.1:2375", NULL};
        uint64_t realtime = 42, t0;
        pid_t pid;

        old_run(f);
        assert_int_equal(journal_watch_open(f->journal, UNIT, &w), 0);

        /* the address only in lines that are not dockerd's: another unit, and a client forging UNIT= */
        restart_until_started(f, &b);
        add_entry(f, &b, "_PID=777\n_SYSTEMD_UNIT=evil.service\n", "API listen on 10.0.0.1:2375");
        add_entry(f, &b, "_PID=778\n_SYSTEMD_UNIT=evil.service\nUNIT=" UNIT "\n", "API listen on 10.0.0.1:2375");
        add_entry(f, &b, "_PID=779\n_SYSTEMD_UNIT=evil.service\nUNIT=" UNIT "\n",
                  "docker.service: Failed with result 'exit-code'.");
        dockerd(f, &b, INV_NEW, logrus("info", "API listen on 10.0.0.2:2375"));

        t0 = mono_usec();
        pid = append_later(f, 100000, b.data, 0, NULL);
        assert_int_equal(journal_watch_wait_listen(w, expect, 800000, NULL, NULL, &realtime), -ETIMEDOUT);
        assert_true(mono_usec() - t0 >= 800000);
        assert_true(mono_usec() - t0 < 3000000);
        assert_int_equal(realtime, 42); /* untouched */
        child_done(pid);

        buf_free(&b);
        journal_watch_close(w);
}

static void test_canceled(_unused_ void **state) {
        struct fixture *f = *state;
        struct drs_journal_watch *w = NULL;
        struct drs_buf b = {0};
        struct seen s = {0};
        char *expect[] = {(char *) "10.0.0.1:2375", NULL};

        old_run(f);
        assert_int_equal(journal_watch_open(f->journal, UNIT, &w), 0);

        /* a failure while the old daemon stops is not the new start failing */
        pid1(f, &b, INV_OLD, "Stopping docker.service - Docker Application Container Engine...");
        pid1(f, &b, INV_OLD, "docker.service: State 'stop-sigterm' timed out. Killing.");
        pid1(f, &b, INV_OLD, "docker.service: Main process exited, code=killed, status=9/KILL");
        pid1(f, &b, INV_OLD, "docker.service: Failed with result 'timeout'.");
        pid1(f, &b, INV_OLD, "Stopped docker.service - Docker Application Container Engine.");
        pid1(f, &b, INV_NEW, "docker.service: Failed to locate executable /usr/bin/dockerd: No such file or directory");
        pid1(f, &b, INV_NEW, "Starting docker.service - Docker Application Container Engine...");
        pid1(f, &b, INV_NEW, "docker.service: Failed at step EXEC spawning /usr/bin/dockerd: No such file or directory");
        pid1(f, &b, INV_NEW, "docker.service: Main process exited, code=exited, status=203/EXEC");
        pid1(f, &b, INV_NEW, "docker.service: Failed with result 'exit-code'.");
        pid1(f, &b, INV_NEW, "Failed to start docker.service - Docker Application Container Engine.");
        append(f, &b);

        assert_int_equal(journal_watch_wait_listen(w, expect, 5000000, on_line, &s, NULL), -ECANCELED);
        assert_int_equal(strv_length(s.lines), 9);
        assert_string_equal(s.lines[8], "docker.service: Main process exited, code=exited, status=203/EXEC");

        strv_free(s.lines);
        journal_watch_close(w);
}

static void test_canceled_fatal(_unused_ void **state) {
        struct fixture *f = *state;
        struct drs_journal_watch *w = NULL;
        struct drs_buf b = {0};
        char *expect[] = {(char *) "10.0.0.9:2375", NULL};

        assert_int_equal(journal_watch_open(f->journal, UNIT, &w), 0);
        restart_until_started(f, &b);
        dockerd(f, &b, INV_NEW,
                "{\"level\":\"fatal\",\"msg\":\"failed to load listeners: listen tcp 10.0.0.9:2375: bind: cannot "
                "assign requested address\",\"time\":\"2026-11-29T05:21:37.571195912Z\"}");
        append(f, &b);
        assert_int_equal(journal_watch_wait_listen(w, expect, 5000000, NULL, NULL, NULL), -ECANCELED);
        journal_watch_close(w);
}

/* JSON log format, the unspecified address, several expected at once, and a journal that had
 * no line of the unit (and no file at all) when the watch was opened. */
static void test_json_unspecified_empty(_unused_ void **state) {
        struct fixture *f = *state;
        struct drs_journal_watch *w = NULL;
        struct drs_buf b = {0};
        char *expect[] = {(char *) "[::]:2376", (char *) "/run/docker.sock", NULL};
        uint64_t realtime = 0, t_last;
        pid_t pid;

        assert_int_equal(journal_watch_open(f->journal, UNIT, &w), 0);

        pid1(f, &b, INV_NEW, "Starting docker.service - Docker Application Container Engine...");
        pid1(f, &b, INV_NEW, "Started docker.service - Docker Application Container Engine.");
        dockerd(f, &b, INV_NEW, "{\"level\":\"info\",\"msg\":\"API listen on /run/docker.sock\",\"time\":\"2026-11-29T05:23:28Z\"}");
        t_last = dockerd(f, &b, INV_NEW, "{\"level\":\"info\",\"msg\":\"API listen on [::]:2376\",\"time\":\"2026-11-29T05:23:28Z\"}");
        pid = append_later(f, 150000, b.data, 0, NULL);
        assert_int_equal(journal_watch_wait_listen(w, expect, 10000000, NULL, NULL, &realtime), 0);
        assert_int_equal(realtime, t_last);
        child_done(pid);
        buf_free(&b);
        journal_watch_close(w);
}

/* Lines of other units only at open: the watch starts from the head, and two listen lines
 * appended in one batch are both seen. */
static void test_no_unit_lines_at_open(_unused_ void **state) {
        struct fixture *f = *state;
        struct drs_journal_watch *w = NULL;
        struct drs_buf b = {0};
        char *expect[] = {(char *) "/run/docker.sock", (char *) "10.0.0.1:2375", NULL};

        add_entry(f, &b, "_PID=300\n_SYSTEMD_UNIT=cron.service\n", "API listen on /run/docker.sock");
        append(f, &b);
        assert_int_equal(journal_watch_open(f->journal, UNIT, &w), 0);
        dockerd(f, &b, INV_NEW, logrus("info", "API listen on /run/docker.sock"));
        dockerd(f, &b, INV_NEW, logrus("info", "API listen on 10.0.0.1:2375"));
        append(f, &b);
        assert_int_equal(journal_watch_wait_listen(w, expect, 5000000, NULL, NULL, NULL), 0);
        journal_watch_close(w);
}

/* journal_last_listeners() on the fixture's journal finds exactly the n addresses given. */
static void expect_listeners(struct fixture *f, size_t n, ...) {
        char **v = NULL;
        va_list ap;

        assert_int_equal(journal_last_listeners(f->journal, UNIT, &v), 0);
        assert_non_null(v);
        assert_int_equal(strv_length(v), n);
        va_start(ap, n);
        for (size_t i = 0; i < n; i++)
                assert_string_equal(v[i], va_arg(ap, const char *));
        va_end(ap);
        strv_free(v);
}

static void test_last_listeners(_unused_ void **state) {
        struct fixture *f = *state;
        struct drs_buf b = {0};
        char **v = NULL;

        expect_listeners(f, 0);

        old_run(f);
        expect_listeners(f, 2, "/run/docker.sock", "10.0.0.1:2375");

        restart_until_started(f, &b);
        dockerd(f, &b, INV_NEW, logrus("info", "API listen on /run/docker.sock"));
        dockerd(f, &b, INV_NEW, "{\"level\":\"info\",\"msg\":\"API listen on [::]:2376\"}");
        dockerd(f, &b, INV_NEW, logrus("info", "Loading containers: done."));
        pid1(f, &b, INV_NEW, "docker.service: some later line of systemd");
        append(f, &b);
        expect_listeners(f, 2, "/run/docker.sock", "[::]:2376");

        assert_int_equal(journal_last_listeners(f->journal, "other.service", &v), 0);
        assert_int_equal(strv_length(v), 0);
        strv_free(v);
}

/* A daemon that has run long: its listeners come from its start, whatever it logged since; a
 * later line that looks like one is not a listener of that start; a run started without a
 * listener yet has none (not the previous run's). */
static void test_last_listeners_long_run(_unused_ void **state) {
        struct fixture *f = *state;
        struct drs_buf b = {0};

        old_run(f);
        restart_until_started(f, &b);
        append(f, &b);
        expect_listeners(f, 0);

        dockerd(f, &b, INV_NEW, logrus("info", "API listen on /run/docker.sock"));
        dockerd(f, &b, INV_NEW, logrus("info", "API listen on 10.0.0.5:2376"));
        for (unsigned i = 0; i < 3000; i++) {
                char msg[128];
                snprintf(msg, sizeof(msg), "ignoring event container=%08x module=libcontainerd topic=/tasks/delete", i);
                dockerd(f, &b, INV_NEW, logrus("info", msg));
        }
        f->realtime += 3600ULL * 1000000ULL;
        dockerd(f, &b, INV_NEW, logrus("info", "API listen on 10.9.9.9:1"));
        dockerd(f, &b, INV_NEW, logrus("info", "ignoring event, the last line"));
        append(f, &b);
        expect_listeners(f, 2, "/run/docker.sock", "10.0.0.5:2376");
}

/* Without invocation IDs (systemd before 232) the run is told by its PID, read back from the end. */
static void test_last_listeners_pid_only(_unused_ void **state) {
        struct fixture *f = *state;
        struct drs_buf b = {0};
        const char *old = "_PID=44\n_SYSTEMD_UNIT=" UNIT "\n", *cur = "_PID=215\n_SYSTEMD_UNIT=" UNIT "\n";

        add_entry(f, &b, old, logrus("info", "API listen on 10.0.0.1:2375"));
        add_entry(f, &b, cur, logrus("info", "Starting up"));
        add_entry(f, &b, cur, logrus("info", "API listen on /run/docker.sock"));
        add_entry(f, &b, cur, logrus("info", "API listen on 10.0.0.5:2376"));
        add_entry(f, &b, cur, logrus("info", "Loading containers: done."));
        append(f, &b);
        expect_listeners(f, 2, "/run/docker.sock", "10.0.0.5:2376");
}

/* journald's Varlink answer to Synchronize, as journal_sync() reads it: in a mount namespace of
 * its own with a tmpfs on /run, a server at journald's socket answers reply (NUL included). */
static int sync_against(const char *reply, size_t len) {
        struct sockaddr_un sa = {.sun_family = AF_UNIX, .sun_path = "/run/systemd/journal/io.systemd.journal"};
        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), c, r;
        char req[512];
        pid_t pid;

        (void) unlink(sa.sun_path); /* the previous call's */
        if (fd < 0 || bind(fd, (struct sockaddr *) &sa, sizeof(sa)) < 0 || listen(fd, 1) < 0)
                return 100;
        pid = fork();
        if (pid == 0) {
                c = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
                if (c >= 0 && recv(c, req, sizeof(req), 0) > 0)
                        (void) send(c, reply, len, MSG_NOSIGNAL);
                _exit(0);
        }
        r = journal_sync();
        (void) waitpid(pid, NULL, 0);
        close(fd);
        return r;
}

static void _noreturn_ child_sync(void) {
        static const char ok[] = "{\"parameters\":{}}", err[] = "{\"error\":\"io.systemd.Journal.Busy\",\"parameters\":{}}",
                          field[] = "{\"parameters\":{\"error\":false}}", bad[] = "not json";

        if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
            mount("tmpfs", "/run", "tmpfs", 0, NULL) < 0 || mkdir("/run/systemd", 0755) < 0 ||
            mkdir("/run/systemd/journal", 0755) < 0)
                _exit(77);
        if (sync_against(ok, sizeof(ok)) != 0)
                _exit(1);
        if (sync_against(err, sizeof(err)) != -EIO)
                _exit(2);
        /* A parameter named "error" is no error (a text search said it was). */
        if (sync_against(field, sizeof(field)) != 0)
                _exit(3);
        if (sync_against(bad, sizeof(bad)) != -EBADMSG)
                _exit(4);
        _exit(0);
}

static void test_sync_reply(_unused_ void **state) {
        in_child(child_sync); /* skipped without CAP_SYS_ADMIN for a mount namespace */
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test_setup_teardown(test_wait_new_line, setup, teardown),
                cmocka_unit_test_setup_teardown(test_timeout, setup, teardown),
                cmocka_unit_test_setup_teardown(test_canceled, setup, teardown),
                cmocka_unit_test_setup_teardown(test_canceled_fatal, setup, teardown),
                cmocka_unit_test_setup_teardown(test_json_unspecified_empty, setup, teardown),
                cmocka_unit_test_setup_teardown(test_rotation, setup, teardown),
                cmocka_unit_test_setup_teardown(test_no_unit_lines_at_open, setup, teardown),
                cmocka_unit_test_setup_teardown(test_last_listeners, setup, teardown),
                cmocka_unit_test_setup_teardown(test_last_listeners_long_run, setup, teardown),
                cmocka_unit_test_setup_teardown(test_last_listeners_pid_only, setup, teardown),
                cmocka_unit_test(test_sync_reply),
        };

        if (access(JOURNAL_REMOTE, X_OK) < 0) {
                printf("# SKIP: %s not installed (package systemd-journal-remote)\n", JOURNAL_REMOTE);
                return 77;
        }
        return cmocka_run_group_tests(tests, NULL, NULL);
}
