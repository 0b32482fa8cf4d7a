/* manifest.h: backup sets and the in-flight transaction, as JSON texts (pure). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"

/* One file as it was before a change. */
struct drs_backup_file {
        char *path;        /* on the target */
        bool existed;
        unsigned mode, uid, gid;
        char *sha256;      /* of the saved content (hex), when it existed */
        char *blob;        /* file name of the saved content inside the backup set */
};

/* A backup set: everything an apply (or rollback) changes, saved before it changes it. */
struct drs_manifest {
        char *id;              /* "20261129-053012" (+ "-2", … when taken in the same second) */
        char *created;         /* ISO 8601, UTC */
        char *kind;            /* "apply" or "rollback" */
        char *summary;         /* "tcp://10.0.0.5:2376 TLS (drop-in)" */
        char **listen_before;  /* TCP listeners in effect before, as dockerd logs them */
        char *listen_after;    /* the listener the change adds; NULL for a rollback */
        char *result;          /* how it ended: "kept", "reverted: …"; NULL while in flight */
        char **dirs_created;   /* directories the change created (removed again by a rollback) */
        struct drs_backup_file *files;
        size_t n_files;
};

#define MANIFEST_STATE_DIR "/var/lib/docker-remote-setup"
#define MANIFEST_MAX_FILES 64 /* an apply changes a dozen files at most */

/* Whether id is a backup ID: "20261129-053012", or with "-2", "-3", … */
bool manifest_id_valid(const char *id);
/* Whether p may be a path of a manifest or transaction record: absolute, normalized (no "//",
 * ".", ".." or trailing "/"), under PATH_MAX, no newline, not in our state directory. */
bool manifest_path_valid(const char *p);
char *manifest_to_json(const struct drs_manifest *m);
/* Parses a manifest; -EBADMSG with *diag on anything malformed (a corrupted backup store): every
 * field is checked (types; mode within 07777; uid and gid within 0..2^32-2; SHA-256 as 64 hex
 * digits; blob names digits; paths as manifest_path_valid(); the ID; at most MANIFEST_MAX_FILES
 * files, each once). */
int manifest_parse(const char *path, const char *text, struct drs_manifest *ret, struct drs_diag *diag);
void manifest_add_file(struct drs_manifest *m, const char *path);
void manifest_done(struct drs_manifest *m);

enum drs_phase {
        PHASE_WRITING,     /* backup taken, files being written */
        PHASE_RESTARTING,  /* files written, revert timer armed, restart under way */
        PHASE_PENDING,     /* verified, waiting for `confirm` until the deadline */
        PHASE_REVERTING,   /* restoring the backup set */
        _PHASE_MAX,
};

/* The transaction in flight (state dir "current.json"); absent when none. */
struct drs_txn {
        char *id;                /* the backup set */
        enum drs_phase phase;
        uint64_t deadline;       /* realtime µs: pending until then */
        char **timers;           /* revert timers armed (unit names without ".timer") */
        char **dirs_created;     /* directories the apply created (removed again on revert if empty) */
        unsigned pid;
};

const char *phase_to_string(enum drs_phase p);
char *txn_to_json(const struct drs_txn *t);
int txn_parse(const char *path, const char *text, struct drs_txn *ret, struct drs_diag *diag);
void txn_done(struct drs_txn *t);
