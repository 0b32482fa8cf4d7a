/* exitcode.h: the documented exit codes of docker-remote-setup (see the man page). */
#pragma once

enum drs_exit {
        DRS_EXIT_OK = 0,             /* done (or printed) */
        DRS_EXIT_FAILURE = 1,        /* an unexpected failure: I/O, D-Bus, … */
        DRS_EXIT_USAGE = 2,          /* bad command line */
        DRS_EXIT_NOT_ROOT = 3,       /* the command changes the system and needs root */
        DRS_EXIT_PRECONDITION = 4,   /* the system or the request does not allow it; nothing changed */
        DRS_EXIT_ROLLED_BACK = 5,    /* verification failed; the old state was restored */
        DRS_EXIT_NOTHING = 6,        /* nothing to do: this configuration is already live */
        DRS_EXIT_REVERT_FAILED = 7,  /* verification failed and the old state could not be verified */
        DRS_EXIT_BUSY = 8,           /* another instance runs, or a change awaits confirmation */
};
