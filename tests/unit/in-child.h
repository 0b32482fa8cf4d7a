/* in-child.h: running part of a unit test in a child process (namespaces of its own). Include
 * after <cmocka.h>. */
#pragma once

#include <sys/wait.h>
#include <unistd.h>

/* Runs child in a process of its own: it must exit 0; 77 skips the test (no CAP_SYS_ADMIN,
 * namespaces not permitted here, or what the child needs is missing). */
static inline void in_child(void (*child)(void)) {
        int status;
        pid_t pid = fork();

        assert_true(pid >= 0);
        if (pid == 0)
                child();
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFEXITED(status));
        if (WEXITSTATUS(status) == 77)
                skip();
        assert_int_equal(WEXITSTATUS(status), 0);
}
