/* eventlog.c: what the tool did, written to the system journal with a MESSAGE_ID per kind. */
#include "eventlog.h"

#include <stdarg.h>
#include <syslog.h>
#include <systemd/sd-journal.h>

#include "util.h"

static const char *const ids[] = {DRS_MESSAGE_APPLY, DRS_MESSAGE_CONFIRM, DRS_MESSAGE_ROLLBACK, DRS_MESSAGE_REVERT};

void eventlog(enum drs_event ev, const char *id, const char *fmt, ...) {
        struct drs_buf b = {0};
        va_list ap;

        va_start(ap, fmt);
        buf_vappendf(&b, fmt, ap);
        va_end(ap);
        (void) sd_journal_send("MESSAGE=%s", b.data ? b.data : "", "MESSAGE_ID=%s", ids[ev], "PRIORITY=%i",
                               ev == EVENT_REVERT ? LOG_WARNING : LOG_NOTICE, "SYSLOG_IDENTIFIER=docker-remote-setup",
                               "DRS_BACKUP_ID=%s", id ? id : "", NULL);
        buf_free(&b);
}
