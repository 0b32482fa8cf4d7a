/* plan-json.c: daemon.json next to the listener flags: "hosts" and TLS keys stop dockerd from
 * starting when the same setting is also a flag, so they leave the file (the socket method sets
 * the TLS keys itself: plan_socket_json). */
#include <errno.h>
#include <string.h>

#include "daemonjson.h"
#include "i18n.h"
#include "plan-internal.h"
#include "util.h"

/* A listener address as one word without blanks, control characters or quotes: what dockerd
 * accepts, and what a -H flag in DOCKER_OPTS can carry. */
static bool host_is_one_word(const char *host) {
        if (!*host)
                return false;
        for (const unsigned char *c = (const unsigned char *) host; *c; c++)
                if (*c <= ' ' || *c == 0x7f || strchr("\"'\\`$", *c))
                        return false;
        return true;
}

/* Local sockets of "hosts" move to -H flags, unless -H fd:// serves the default one. */
static void move_local_hosts(struct drs_plan *p, struct plan_ctx *c, const struct drs_daemon_json *json) {
        const struct drs_host *h = c->h;
        bool fd = h->systemd && base_uses_fd(&c->base);

        for (size_t i = 0; json->hosts && json->hosts[i]; i++)
                if (!host_is_one_word(json->hosts[i]))
                        plan_add_finding(p, LEVEL_BLOCK,
                                         xasprintf(_("%s: \"hosts\" has \"%s\", which is not an address "
                                                     "dockerd can listen on"),
                                                   h->daemon_json_path, json->hosts[i]),
                                         xstrdup(_("correct or remove it in the file, then run again")));
                else if (!derive_host_is_tcp(json->hosts[i]) &&
                         !(fd && (streq(json->hosts[i], "unix:///var/run/docker.sock") ||
                                  streq(json->hosts[i], "unix:///run/docker.sock") ||
                                  startswith(json->hosts[i], "fd://")))) {
                        /* fd:// needs docker.socket: without it, the default socket
                         * itself, as for -H fd:// in ExecStart= (derive). Else the
                         * next run would make that change (not idempotent). */
                        const char *host = startswith(json->hosts[i], "fd://") && !h->socket_unit
                                                   ? "unix:///var/run/docker.sock"
                                                   : json->hosts[i];
                        if (!strv_contains(c->extra_hosts, host))
                                strv_push(&c->extra_hosts, host);
                }
}

int plan_json(struct drs_plan *p, struct plan_ctx *c) {
        const struct drs_host *h = c->h;
        struct drs_daemon_json json = {0};
        struct drs_buf keys = {0};
        int r;

        if (!h->daemon_json_text)
                return 0;
        r = daemonjson_parse(h->daemon_json_path, h->daemon_json_text, &json, c->diag);
        if (r < 0) {
                daemonjson_done(&json);
                return r;
        }
        /* The socket method sets the TLS keys itself (plan_socket_json). */
        if (json.has_hosts || (json.tls_keys && p->method != METHOD_SOCKET)) {
                if (json.has_hosts)
                        buf_append(&keys, "\"hosts\"");
                for (size_t i = 0; json.tls_keys && json.tls_keys[i]; i++)
                        buf_appendf(&keys, "%s\"%s\"", keys.len ? ", " : "", json.tls_keys[i]);
                move_local_hosts(p, c, &json);
                plan_add_finding(p, LEVEL_FIX,
                                 xasprintf(_("%s sets %s: dockerd refuses to start when a setting is both "
                                             "a flag and in the file"),
                                           h->daemon_json_path, keys.data),
                                 xstrdup(_("those keys are removed from the file; its local sockets move to "
                                           "-H flags, its TCP listeners are replaced")));
                buf_free(&keys);
                if (p->method != METHOD_SOCKET)
                        plan_add_file(p, FILE_DAEMON_JSON, h->daemon_json_path, h->daemon_json_text,
                                      daemonjson_without_listener_keys(h->daemon_json_text), true);
        }
        daemonjson_done(&json);
        return 0;
}
