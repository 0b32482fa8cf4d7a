/* trace.c: timestamps of the steps of a restart and verify, on stderr when DRS_TRACE is set;
 * DRS_TRACE=mem adds the process's resident and peak resident memory (VmRSS, VmHWM);
 * DRS_TRACE=maps also the change of each mapping's resident size since the previous line
 * (/proc/self/smaps, summed per file and permissions): which library or file the growth is. */
#include "trace.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "timeutil.h"

/* Reads the "KEY_A N kB" and "KEY_B N kB" lines of a /proc file into *a and *b (-1 when
 * missing). */
static void proc_kib(const char *path, const char *key_a, long *a, const char *key_b, long *b) {
        char line[128];
        FILE *f = fopen(path, "re");

        *a = *b = -1;
        if (!f)
                return;
        while (fgets(line, sizeof(line), f))
                if (strncmp(line, key_a, strlen(key_a)) == 0)
                        *a = strtol(line + strlen(key_a), NULL, 10);
                else if (strncmp(line, key_b, strlen(key_b)) == 0)
                        *b = strtol(line + strlen(key_b), NULL, 10);
        fclose(f);
}

/* Appends " rss=KiB hwm=KiB" from /proc/self/status, and " pss=KiB dirty=KiB" from
 * /proc/self/smaps_rollup: the proportional share (a page mapped by N processes counts 1/N)
 * and the private dirty pages (written by this process: heap, stack, relocated library data),
 * which only this process holds and which cannot be dropped and read again from a file. */
static void trace_mem(void) {
        long rss, hwm, pss, dirty;

        proc_kib("/proc/self/status", "VmRSS:", &rss, "VmHWM:", &hwm);
        proc_kib("/proc/self/smaps_rollup", "Pss:", &pss, "Private_Dirty:", &dirty);
        fprintf(stderr, " rss=%ld hwm=%ld pss=%ld dirty=%ld", rss, hwm, pss, dirty);
}

/* Resident KiB per "PERMS PATH" (anonymous mappings as [anon]) at the previous call. */
#define MAX_MAPS 256
static struct {
        char name[160];
        long kib;
} maps[MAX_MAPS];
static size_t n_maps;

/* The index of name in maps[], added when new; MAX_MAPS when the table is full. */
static size_t map_index(const char *name) {
        size_t i;

        for (i = 0; i < n_maps; i++)
                if (strcmp(maps[i].name, name) == 0)
                        return i;
        if (n_maps == MAX_MAPS)
                return MAX_MAPS;
        snprintf(maps[n_maps].name, sizeof(maps[n_maps].name), "%s", name);
        maps[n_maps].kib = 0;
        return n_maps++;
}

/* Appends "\n  maps +KiB PERMS PATH" for every mapping whose resident size changed. */
static void trace_maps(void) {
        long now[MAX_MAPS] = {0}, kib;
        char line[512], cur[160] = "[anon]";
        FILE *f = fopen("/proc/self/smaps", "re");

        if (!f)
                return;
        while (fgets(line, sizeof(line), f)) {
                char perms[8], path[256] = "";
                int n = 0;
                /* A mapping's first line: "START-END PERMS OFFSET DEV INODE [PATH]". */
                if (sscanf(line, "%*x-%*x %7s %*x %*s %*u%n", perms, &n) == 1 && n > 0) {
                        (void) sscanf(line + n, " %255[^\n]", path);
                        snprintf(cur, sizeof(cur), "%s %s", perms, *path ? path : "[anon]");
                } else if (sscanf(line, "Rss: %ld", &kib) == 1) {
                        size_t i = map_index(cur);
                        if (i < MAX_MAPS)
                                now[i] += kib;
                }
        }
        fclose(f);
        for (size_t i = 0; i < n_maps; i++)
                if (now[i] != maps[i].kib) {
                        fprintf(stderr, "\n  maps %+ld %s", now[i] - maps[i].kib, maps[i].name);
                        maps[i].kib = now[i];
                }
}

void trace(const char *fmt, ...) {
        va_list ap;

        va_start(ap, fmt);
        vtrace(fmt, ap);
        va_end(ap);
}

void vtrace(const char *fmt, va_list ap) {
        static int enabled = -1;
        static bool mem, by_map;

        if (enabled < 0) {
                const char *e = getenv("DRS_TRACE");
                enabled = e && *e && !(e[0] == '0' && e[1] == '\0');
                by_map = enabled && strcmp(e, "maps") == 0;
                mem = by_map || (enabled && strcmp(e, "mem") == 0);
        }
        if (!enabled)
                return;
        fprintf(stderr, "drs-trace %llu %llu ", (unsigned long long) clock_usec(CLOCK_REALTIME),
                (unsigned long long) clock_usec(CLOCK_MONOTONIC));
        vfprintf(stderr, fmt, ap);
        if (mem)
                trace_mem();
        if (by_map)
                trace_maps();
        fputc('\n', stderr);
}
