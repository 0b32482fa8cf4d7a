/* maxrss.c: runs a command and reports its peak resident set size (the kernel's ru_maxrss). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

/* Usage: maxrss OUTFILE CMD [ARGS...]. CMD's output passes through; OUTFILE gets the peak RSS
 * of CMD in KiB (one line). The exit status is CMD's. Works where /usr/bin/time is missing. */
int main(int argc, char **argv) {
        struct rusage ru;
        FILE *f;
        pid_t pid;
        int status;

        if (argc < 3) {
                fprintf(stderr, "usage: %s OUTFILE CMD [ARGS...]\n", argv[0]);
                return 2;
        }
        pid = fork();
        if (pid < 0) {
                perror("fork");
                return 1;
        }
        if (pid == 0) {
                execvp(argv[2], argv + 2);
                fprintf(stderr, "%s: %s\n", argv[2], strerror(errno));
                _exit(127);
        }
        if (wait4(pid, &status, 0, &ru) < 0) {
                perror("wait4");
                return 1;
        }
        f = fopen(argv[1], "we");
        if (!f) {
                perror(argv[1]);
                return 1;
        }
        fprintf(f, "%ld\n", ru.ru_maxrss);
        fclose(f);
        if (WIFSIGNALED(status))
                return 128 + WTERMSIG(status);
        return WEXITSTATUS(status);
}
