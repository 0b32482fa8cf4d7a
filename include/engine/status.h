/* status.h: what is configured and running now, for `status` and the wizard's Status screen. */
#pragma once

#include <stdbool.h>
#include <time.h>

#include "engine.h"
#include "manifest.h"

struct drs_status {
        bool live;                 /* asked the running manager */
        char *active_state;        /* "active (running)", … ; NULL when not live */
        char *execstart;           /* effective ExecStart (files), NULL when none */
        char **dropins;            /* drop-in paths in the order applied */
        char **listeners;          /* TCP listeners configured (as dockerd logs them) */
        char **journal_listeners;  /* "API listen on" of the last start (live only) */
        char *docker_opts;         /* DOCKER_OPTS of /etc/default/docker, NULL when unset */
        char **json_hosts;         /* daemon.json "hosts", NULL when unset */
        bool socket_unit;
        char *method;              /* "socket", "dropin", "docker-opts"; NULL: no TCP listener */
        bool survives_late_address; /* the listener comes up when the address appears after boot */
        char *late_address_text;   /* what a late address does (translated): how it survives, or why not */
        char **allow_from;         /* IPAddressAllow= of docker.socket's drop-ins (socket method); empty: open */
        int allow_enforced;        /* 1 systemd filters (BPF), 0 it cannot, -1 not known (not live, no accounting) */
        char *override_path;       /* the drop-in that overrides ExecStart=, NULL when none */
        char *vendor_execstart;    /* docker.service's own ExecStart= on disk (with override_path) */
        bool override_frozen;      /* the override keeps an older command line than vendor_execstart */
        char **dynamic;            /* listeners on an address with a finite lifetime: "ADDR (N s left)" */
        char *dockerd;             /* the dockerd that exists, NULL when none */
        char *tls_dir;
        bool tls_present;
        time_t tls_expiry;
        struct drs_txn pending;    /* id NULL when nothing is in flight */
        char *pending_error;       /* the transaction record exists but cannot be read: why; else NULL */
        bool pending_eacces;       /* it cannot be read as this user */
        char **backups;            /* IDs, oldest first */
        char **backups_damaged;    /* sets put aside ("ID.unreadable") or whose manifest cannot be read */
        bool backups_eacces;       /* the backups cannot be listed as this user */
        struct drs_manifest last;  /* the newest backup set (id NULL when none) */
};

/* Fills the status; never fails for a missing piece (it is just absent). */
void engine_status(struct drs_engine *e, const char *tls_dir, struct drs_status *ret);
void status_done(struct drs_status *s);
