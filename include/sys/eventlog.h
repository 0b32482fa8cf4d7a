/* eventlog.h: what the tool did, written to the system journal with a MESSAGE_ID per kind. */
#pragma once

/* MESSAGE_IDs (journalctl MESSAGE_ID=…) of the events. */
#define DRS_MESSAGE_APPLY "63292f83c5a84cfaa7dca16457aadb40"
#define DRS_MESSAGE_CONFIRM "039db95200024a59ab008626759e8ccd"
#define DRS_MESSAGE_ROLLBACK "332220b9f7d043a6a0fedeb5a971e518"
#define DRS_MESSAGE_REVERT "41a056bcf4804073a11ff1f577ca344e"

enum drs_event {
        EVENT_APPLY,     /* a change was verified (kept or pending) */
        EVENT_CONFIRM,   /* a pending change was kept */
        EVENT_ROLLBACK,  /* an earlier state was restored on request */
        EVENT_REVERT,    /* a change was undone: verification failed or it was not confirmed */
};

/* Sends MESSAGE (English, for logs) with MESSAGE_ID, SYSLOG_IDENTIFIER=docker-remote-setup and
 * DRS_BACKUP_ID=id. Failures are ignored: the journal is a record, not a dependency. */
void eventlog(enum drs_event ev, const char *id, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
