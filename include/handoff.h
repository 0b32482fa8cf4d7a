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

/* The commands for a TLS client bundle in dir (ca.pem, cert.pem, key.pem) on host: copy it to
 * $HOME/.docker/CONTEXT, then DOCKER_HOST=… DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH=…, or docker
 * context create CONTEXT. Caller frees. */
char **handoff_tls_lines(const char *context, const char *url, const char *host, const char *dir);

/* Fills p->client_lines (export DOCKER_HOST…, docker context create…, where to copy the client
 * bundle from) and p->client_dir for the plan's listener and mode. */
void handoff_lines(struct drs_plan *p, const struct drs_host *h, const struct drs_settings *s);
