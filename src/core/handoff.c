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

bool handoff_host_local(const char *host) {
        _cleanup_free_ char *bare = xstrdup(host ? host : "");
        struct drs_addr a;
        size_t n = strlen(bare);

        if (n > 1 && bare[0] == '[' && bare[n - 1] == ']') {
                memmove(bare, bare + 1, n - 2);
                bare[n - 2] = '\0';
        }
        return addr_parse(bare, &a) >= 0 && addr_classify(&a) == ADDR_CLASS_LOOPBACK;
}

char **handoff_tls_lines(const struct drs_handoff *o) {
        _cleanup_free_ char *local = o->local ? xstrdup(o->dir) : xasprintf("$HOME/.docker/%s", o->context);
        const char *tar_name = strrchr(o->tar, '/') ? strrchr(o->tar, '/') + 1 : o->tar;
        char **v = xcalloc(1, sizeof(char *));

        /* The whole hand-off first: the bundle is a docker context to import. */
        if (o->local)
                strv_consume(&v, xasprintf("docker context import %s %s && docker --context %s version", o->context,
                                           o->tar, o->context));
        else {
                strv_consume(&v, xasprintf("scp 'root@%s:%s' .", o->host, o->tar));
                strv_consume(&v, xasprintf("docker context import %s %s && docker --context %s version", o->context,
                                           tar_name, o->context));
                strv_consume(&v, xasprintf("mkdir -p %s && scp 'root@%s:%s/*.pem' %s/", local, o->host, o->dir, local));
        }
        strv_consume(&v, xasprintf("export DOCKER_HOST=%s DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH=%s", o->url, local));
        strv_consume(&v, xasprintf("docker context create %s --docker \"host=%s,ca=%s/ca.pem,cert=%s/cert.pem,"
                                   "key=%s/key.pem\"",
                                   o->context, o->url, local, local, local));
        return v;
}

void handoff_lines(struct drs_plan *p, const struct drs_host *h, const struct drs_settings *s) {
        _cleanup_free_ char *host = NULL;

        p->client_context = handoff_context_name(h->hostname);
        handoff_endpoint(p->listen_text, h->hostname, &p->client_url, &host);
        p->client_local = handoff_host_local(host);
        if (s->mode == MODE_PLAIN) {
                char **v = xcalloc(1, sizeof(char *));
                strv_consume(&v, xasprintf("export DOCKER_HOST=%s", p->client_url));
                strv_consume(&v, xasprintf("docker context create %s --docker \"host=%s\"", p->client_context,
                                           p->client_url));
                p->client_lines = v;
                return;
        }
        p->client_dir = xasprintf("%s/client", settings_tls_dir(s));
        p->client_lines = handoff_tls_lines(&(struct drs_handoff) {.context = p->client_context, .url = p->client_url,
                                                                  .host = host, .dir = p->client_dir,
                                                                  .tar = p->client_tar, .local = p->client_local});
}
