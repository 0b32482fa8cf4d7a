/* bench-journal.c: attaches the journal watch to a directory, appends a new "API listen on"
 * entry (systemd-journal-remote) and times how long attaching and finding it take. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "journal.h"
#include "util.h"

static double now_ms(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double) ts.tv_sec * 1000.0 + (double) ts.tv_nsec / 1e6;
}

static int run(char *const *argv) {
        int status;
        pid_t pid = fork();

        if (pid < 0)
                return -errno;
        if (pid == 0) {
                execv(argv[0], argv);
                _exit(127);
        }
        if (waitpid(pid, &status, 0) < 0)
                return -errno;
        return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -EIO;
}

/* Usage: bench-journal DIR JOURNAL_REMOTE NEW_ENTRY.export ADDRESS
 * Prints "attach_ms find_ms realtime": journal_watch_open(DIR, docker.service); then (not timed) the
 * export file is appended to DIR/x.journal by JOURNAL_REMOTE; then the time until
 * journal_watch_wait_listen reports "API listen on ADDRESS"; realtime is the found entry's
 * timestamp (so that a match on an older line shows).
 * bench-journal --listeners DIR: prints "ms ADDRESS...": the time journal_last_listeners (what
 * status and the wizard's Status screen ask) takes on DIR, and what it found. */
static int listeners(const char *dir) {
        char **v = NULL;
        double t0 = now_ms();
        int r = journal_last_listeners(dir, "docker.service", &v);
        double t1 = now_ms();

        if (r < 0) {
                fprintf(stderr, "journal_last_listeners: %s\n", strerror(-r));
                return 1;
        }
        printf("%.3f", t1 - t0);
        for (char **p = v; *p; p++)
                printf(" %s", *p);
        printf("\n");
        strv_free(v);
        return 0;
}

int main(int argc, char **argv) {
        struct drs_journal_watch *w = NULL;
        _cleanup_free_ char *out = NULL;
        double t0, t1, t2, t3;
        uint64_t found = 0;
        int r;

        if (argc == 3 && strcmp(argv[1], "--listeners") == 0)
                return listeners(argv[2]);
        if (argc != 5) {
                fprintf(stderr, "usage: %s DIR JOURNAL_REMOTE NEW_ENTRY.export ADDRESS | --listeners DIR\n", argv[0]);
                return 2;
        }
        out = xasprintf("--output=%s/x.journal", argv[1]);

        t0 = now_ms();
        r = journal_watch_open(argv[1], "docker.service", &w);
        t1 = now_ms();
        if (r < 0) {
                fprintf(stderr, "journal_watch_open: %s\n", strerror(-r));
                return 1;
        }
        r = run((char *[]) {argv[2], out, argv[3], NULL});
        if (r < 0) {
                fprintf(stderr, "%s failed\n", argv[2]);
                return 1;
        }
        t2 = now_ms();
        r = journal_watch_wait_listen(w, (char *[]) {argv[4], NULL}, 10 * 1000000u, NULL, NULL, &found);
        t3 = now_ms();
        if (r < 0) {
                fprintf(stderr, "journal_watch_wait_listen: %s\n", strerror(-r));
                return 1;
        }
        journal_watch_close(w);
        printf("%.3f %.3f %llu\n", t1 - t0, t3 - t2, (unsigned long long) found);
        return 0;
}
