/* handoff.h: what the admin runs on a workstation to use the new endpoint (pure). */
#pragma once

#include "plan.h"

/* A docker context name from a host name: letters, digits, '.', '_', '-'; "docker-host" if empty. */
char *handoff_context_name(const char *hostname);

/* Fills p->client_lines (export DOCKER_HOST…, docker context create…, where to copy the client
 * bundle from) and p->client_dir for the plan's listener and mode. */
void handoff_lines(struct drs_plan *p, const struct drs_host *h, const struct drs_settings *s);
