/* host-files.h: the files of a test host besides docker.service's unit (test-plan and fuzz-plan). */
#pragma once

#include "plan.h"
#include "util.h"

#define OVERRIDE "/etc/systemd/system/docker.service.d/override.conf"
#define SOCKET_OVERRIDE "/etc/systemd/system/docker.socket.d/override.conf"

/* Our docker.service and docker.socket drop-ins, /etc/default/docker and daemon.json, as given
 * (NULL: absent). */
static inline void host_add_files(struct drs_host *h, const char *override, const char *sock_override,
                                  const char *def, const char *json) {
        if (override) {
                h->dropins = xcalloc(1, sizeof(*h->dropins));
                h->dropins[0] = (struct drs_dropin_source) {.path = xstrdup(OVERRIDE), .text = xstrdup(override),
                                                            .dir_rank = DRS_UNIT_DIR_ETC};
                h->n_dropins = 1;
        }
        if (sock_override) {
                h->socket_dropins = xcalloc(1, sizeof(*h->socket_dropins));
                h->socket_dropins[0] = (struct drs_dropin_source) {
                        .path = xstrdup(SOCKET_OVERRIDE), .text = xstrdup(sock_override), .dir_rank = DRS_UNIT_DIR_ETC};
                h->n_socket_dropins = 1;
        }
        h->default_docker_text = def ? xstrdup(def) : NULL;
        h->daemon_json_path = xstrdup(DRS_DAEMON_JSON);
        h->daemon_json_text = json ? xstrdup(json) : NULL;
}
