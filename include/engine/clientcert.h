/* clientcert.h: more client certificates from the CA that apply generated (`client-cert NAME`). */
#pragma once

#include <stdbool.h>
#include <time.h>

#include "diag.h"
#include "engine.h"

/* A client bundle issued by engine_issue_client(); every member owned. */
struct drs_client_bundle {
        char *name;
        char *dir;          /* TLS_DIR/clients/NAME: ca.pem, cert.pem, key.pem */
        char *tar;          /* TLS_DIR/clients/NAME.tar: the same as one file */
        time_t expiry;      /* the new certificate's notAfter */
        char *url;          /* where clients connect: the TCP listener configured now */
        bool listener_known; /* false: none is configured yet, url names HOST:2376 */
        char **lines;       /* the commands for the workstation */
};

/* 0 when name can name a client (handoff_client_name_valid()), else -EINVAL with *diag saying
 * what a name may hold: checked before anything is locked or written. */
int engine_client_name_check(const char *name, struct drs_diag *diag);

/* Issues a client certificate with CN name from the CA in the settings' TLS directory (key type
 * and validity from the settings) and writes its bundle, each file atomically (keys and the tar
 * 0600). The lock should be held. Returns 0; -EINVAL for a bad name (see
 * handoff_client_name_valid()); -ENOENT when there is no CA there; -EEXIST when the bundle exists
 * and replace is false; -EBADMSG when the CA cannot issue (unreadable, key not matching); another
 * negative errno when writing failed (then no file of the new bundle is left). *diag says why. */
int engine_issue_client(struct drs_engine *e, const struct drs_settings *s, const char *name, bool replace,
                        struct drs_client_bundle *ret, struct drs_diag *diag);
void client_bundle_done(struct drs_client_bundle *b);
