/* handoff.c: what the admin runs on a workstation to use the new endpoint. */
#include "handoff.h"

#include <string.h>
#include <sys/socket.h>

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

void handoff_lines(struct drs_plan *p, const struct drs_host *h, const struct drs_settings *s) {
        _cleanup_free_ char *name = handoff_context_name(h->hostname), *url = NULL, *ssh = NULL;
        char **v = xcalloc(1, sizeof(char *));
        char a[46];

        /* 0.0.0.0 is no address to connect to: clients use the host's name (it is in the SAN). */
        if (p->listener.cls == ADDR_CLASS_UNSPECIFIED) {
                ssh = xstrdup(h->hostname ? h->hostname : "HOST");
                url = xasprintf("tcp://%s:%u", ssh, p->listener.port);
        } else {
                ssh = xstrdup(addr_to_string(&p->listener.addr, a));
                if (p->listener.addr.family == AF_INET6) {
                        free(ssh);
                        ssh = xasprintf("[%s]", a);
                }
                url = xstrdup(p->host_url);
        }

        if (s->mode == MODE_PLAIN) {
                strv_consume(&v, xasprintf("export DOCKER_HOST=%s", url));
                strv_consume(&v, xasprintf("docker context create %s --docker \"host=%s\"", name, url));
        } else {
                _cleanup_free_ char *local = xasprintf("$HOME/.docker/%s", name);
                p->client_dir = xasprintf("%s/client", settings_tls_dir(s));
                strv_consume(&v, xasprintf("mkdir -p %s && scp 'root@%s:%s/*.pem' %s/", local, ssh,
                                           p->client_dir, local));
                strv_consume(&v, xasprintf("export DOCKER_HOST=%s DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH=%s", url, local));
                strv_consume(&v, xasprintf("docker context create %s --docker \"host=%s,ca=%s/ca.pem,cert=%s/cert.pem,"
                                           "key=%s/key.pem\"",
                                           name, url, local, local, local));
        }
        p->client_lines = v;
}
