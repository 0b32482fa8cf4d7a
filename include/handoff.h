/* handoff.h: what the admin runs on a workstation to use the new endpoint (pure). */
#pragma once

#include <stdbool.h>

#include "plan.h"

#define HANDOFF_CLIENT_NAME_MAX 64 /* the longest CN X.509 allows */

/* A docker context name from a host name: letters, digits, '.', '_', '-'; "docker-host" if empty. */
char *handoff_context_name(const char *hostname);

/* Whether NAME can name a client certificate (`client-cert NAME`): 1 to 64 of [A-Za-z0-9._-], not
 * starting with '.' (it becomes a directory name and the certificate's CN). */
bool handoff_client_name_valid(const char *name);

/* Where clients connect, from a listener as dockerd logs it ("10.0.0.2:2376", "[fd00::2]:2376",
 * "[::]:2376"): *ret_url "tcp://10.0.0.2:2376" and *ret_host "10.0.0.2" (for scp). An unspecified
 * address is replaced by hostname: it is in the server certificate's SAN. Caller frees both. */
void handoff_endpoint(const char *listen_text, const char *hostname, char **ret_url, char **ret_host);

/* Whether host (as handoff_endpoint() gives it: "127.0.0.1", "[::1]") is a loopback address: a
 * listener there is reachable from this host only. */
bool handoff_host_local(const char *host);

/* A TLS client bundle and where clients connect. */
struct drs_handoff {
        const char *context;   /* the docker context's name */
        const char *url;       /* tcp://ADDR:PORT */
        const char *host;      /* for scp */
        const char *dir;       /* ca.pem, cert.pem, key.pem */
        const char *tar;       /* the same as a docker context export (client.tar) */
        bool local;            /* the listener is on loopback: the commands are for this host */
};

/* The commands for a TLS client bundle: first `docker context import CONTEXT client.tar && docker
 * --context CONTEXT version` (after copying the tar from host, unless local), then the same by
 * hand: the PEM files to $HOME/.docker/CONTEXT, DOCKER_HOST=… DOCKER_TLS_VERIFY=1
 * DOCKER_CERT_PATH=…, or docker context create CONTEXT. Caller frees. */
char **handoff_tls_lines(const struct drs_handoff *o);

/* Fills p->client_lines (import the bundle, export DOCKER_HOST…, docker context create…),
 * p->client_context, p->client_url, p->client_local and p->client_dir for the plan's listener and
 * mode (after plan_tls(), which sets p->client_tar). */
void handoff_lines(struct drs_plan *p, const struct drs_host *h, const struct drs_settings *s);
