/* handoff.c: what the admin runs on a workstation to use the new endpoint. */
#include "handoff.h"

#include <string.h>

#include "util.h"

char *handoff_context_name(const char *hostname) {
        struct drs_buf b = {0};

        for (const char *c = hostname ? hostname : ""; *c; c++)
                if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
                    (b.len > 0 && strchr("._-", *c)))
                        buf_append_c(&b, *c);
        if (b.len == 0)
                buf_append(&b, "docker-host");
        return buf_steal(&b);
}

bool handoff_client_name_valid(const char *name) {
        size_t n = name ? strlen(name) : 0;

        if (n == 0 || n > HANDOFF_CLIENT_NAME_MAX || name[0] == '.')
                return false;
        for (const char *c = name; *c; c++)
                if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
                      strchr("._-", *c)))
                        return false;
        return true;
}

void handoff_endpoint(const char *listen_text, const char *hostname, char **ret_url, char **ret_host) {
        const char *colon = strrchr(listen_text, ':');
        _cleanup_free_ char *host = xstrndup(listen_text, colon ? (size_t) (colon - listen_text) : strlen(listen_text));

        /* 0.0.0.0 is no address to connect to: clients use the host's name (it is in the SAN). */
        if (streq(host, "[::]") || streq(host, "0.0.0.0") || streq(host, "")) {
                free(host);
                host = xstrdup(hostname && *hostname ? hostname : "HOST");
        }
        *ret_url = xasprintf("tcp://%s%s", host, colon ? colon : "");
        *ret_host = TAKE_PTR(host);
}

char **handoff_tls_lines(const char *context, const char *url, const char *host, const char *dir) {
        _cleanup_free_ char *local = xasprintf("$HOME/.docker/%s", context);
        char **v = xcalloc(1, sizeof(char *));

        strv_consume(&v, xasprintf("mkdir -p %s && scp 'root@%s:%s/*.pem' %s/", local, host, dir, local));
        strv_consume(&v, xasprintf("export DOCKER_HOST=%s DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH=%s", url, local));
        strv_consume(&v, xasprintf("docker context create %s --docker \"host=%s,ca=%s/ca.pem,cert=%s/cert.pem,"
                                   "key=%s/key.pem\"",
                                   context, url, local, local, local));
        return v;
}

void handoff_lines(struct drs_plan *p, const struct drs_host *h, const struct drs_settings *s) {
        _cleanup_free_ char *name = handoff_context_name(h->hostname), *url = NULL, *host = NULL;

        handoff_endpoint(p->listen_text, h->hostname, &url, &host);
        if (s->mode == MODE_PLAIN) {
                char **v = xcalloc(1, sizeof(char *));
                strv_consume(&v, xasprintf("export DOCKER_HOST=%s", url));
                strv_consume(&v, xasprintf("docker context create %s --docker \"host=%s\"", name, url));
                p->client_lines = v;
                return;
        }
        p->client_dir = xasprintf("%s/client", settings_tls_dir(s));
        p->client_lines = handoff_tls_lines(name, url, host, p->client_dir);
}
