/* plan-tls.c: the TLS part of the plan: which files of the TLS directory are generated or kept. */
#include "plan.h"

#include <string.h>
#include <time.h>

#include "i18n.h"
#include "ustar.h"
#include "util.h"

static const char *const tls_file_names[_TLS_FILE_MAX] = {
        [TLS_CA_CERT] = "ca.pem",
        [TLS_CA_KEY] = "ca-key.pem",
        [TLS_SERVER_CERT] = "server-cert.pem",
        [TLS_SERVER_KEY] = "server-key.pem",
        [TLS_CLIENT_CA] = "client/ca.pem",
        [TLS_CLIENT_CERT] = "client/cert.pem",
        [TLS_CLIENT_KEY] = "client/key.pem",
        [TLS_CLIENT_TAR] = "client.tar",
};

char *tls_file_path(const struct drs_settings *s, enum drs_tls_file f) {
        return xasprintf("%s/%s", settings_tls_dir(s), tls_file_names[f]);
}

bool tls_file_secret(enum drs_tls_file f) {
        /* The tar holds the client key. */
        return f == TLS_CA_KEY || f == TLS_SERVER_KEY || f == TLS_CLIENT_KEY || f == TLS_CLIENT_TAR;
}

/* A JSON string: the name and URL are plain ASCII, but a host name is the admin's text. */
static void json_string(struct drs_buf *b, const char *s) {
        buf_append_c(b, '"');
        for (; *s; s++)
                if (*s == '"' || *s == '\\')
                        buf_appendf(b, "\\%c", *s);
                else if ((unsigned char) *s < 0x20)
                        buf_appendf(b, "\\u%04x", (unsigned) *s);
                else
                        buf_append_c(b, *s);
        buf_append_c(b, '"');
}

char *tls_bundle_meta(const char *context, const char *url) {
        struct drs_buf b = {0};
        buf_append(&b, "{\"Name\":");
        json_string(&b, context);
        buf_append(&b, ",\"Metadata\":{},\"Endpoints\":{\"docker\":{\"Host\":");
        json_string(&b, url);
        buf_append(&b, ",\"SkipTLSVerify\":false}}}");
        return buf_steal(&b);
}

int tls_bundle_tar(const struct drs_bundle_texts *t, int64_t mtime, char **ret, size_t *ret_len) {
        _cleanup_free_ char *meta = tls_bundle_meta(t->context, t->url);
        const struct drs_tar_member m[] = {
                {"meta.json", meta, strlen(meta), 0644},
                {"tls/docker/ca.pem", t->ca, strlen(t->ca), 0644},
                {"tls/docker/cert.pem", t->cert, strlen(t->cert), 0644},
                {"tls/docker/key.pem", t->key, strlen(t->key), 0600},
        };
        return ustar_build(m, ELEMENTSOF(m), mtime, ret, ret_len);
}

static bool member_is(const char *tar, size_t len, const char *name, const char *text, unsigned mode) {
        const char *data;
        size_t n;
        unsigned m;

        return ustar_find(tar, len, name, &data, &n, &m) >= 0 && n == strlen(text) && memcmp(data, text, n) == 0 &&
               m == mode;
}

bool tls_bundle_tar_matches(const char *tar, size_t len, const struct drs_bundle_texts *t) {
        _cleanup_free_ char *meta = tls_bundle_meta(t->context, t->url);
        return member_is(tar, len, "meta.json", meta, 0644) && member_is(tar, len, "tls/docker/ca.pem", t->ca, 0644) &&
               member_is(tar, len, "tls/docker/cert.pem", t->cert, 0644) &&
               member_is(tar, len, "tls/docker/key.pem", t->key, 0600);
}

void plan_tls(struct drs_plan *p, const struct drs_host *h, const struct drs_settings *s) {
        const char *dir = settings_tls_dir(s);
        char until[16] = "?";
        struct tm tm;

        for (enum drs_tls_file i = 0; i < _TLS_FILE_MAX; i++) {
                _cleanup_free_ char *path = tls_file_path(s, i);
                struct drs_file_change *f = plan_add_file(p, FILE_TLS, path, NULL, NULL, true);
                f->tls = i;
                f->secret = tls_file_secret(i);
                f->mode = f->secret ? 0600 : 0644;
                /* Kept material whose tar is missing or stale: only the tar is made again. */
                f->kept = h->tls.reusable && (i != TLS_CLIENT_TAR || h->tls.tar_current);
                f->unknown = h->tls.unreadable;
                if (!f->kept)
                        p->changes = true;
        }
        p->client_tar = tls_file_path(s, TLS_CLIENT_TAR);
        if (h->tls.reusable) {
                if (gmtime_r(&h->tls.expiry, &tm))
                        strftime(until, sizeof(until), "%Y-%m-%d", &tm);
                plan_add_finding(p, LEVEL_OK,
                                 xasprintf(_("TLS material in %s is valid for this address until %s; it is kept"), dir,
                                           until),
                                 h->tls.tar_current ? NULL
                                                    : xasprintf(_("%s is written again from the client bundle"),
                                                                p->client_tar));
                return;
        }
        if (settings_cert_days(s) <= DRS_RENEW_DAYS)
                plan_add_finding(p, LEVEL_WARN,
                                 xasprintf(_("certificates valid for %u days are within %u days of expiring from the "
                                             "start: every apply replaces them, and status warns about them"),
                                           settings_cert_days(s), DRS_RENEW_DAYS),
                                 NULL);
        if (h->tls.unreadable) {
                /* Not a wrong answer: root may be told "kept" where this user cannot look. */
                plan_add_finding(p, LEVEL_NOTE, xasprintf(_("TLS material in %s cannot be read as this user"), dir),
                                 xstrdup(_("run the preview as root to see whether it is kept or generated again")));
                return;
        }
        plan_add_finding(p, LEVEL_NOTE,
                         h->tls.present ? xasprintf(_("TLS material in %s cannot be kept: %s"), dir, h->tls.reason)
                                        : xasprintf(_("no TLS material in %s yet"), dir),
                         xasprintf(_("a new CA, server and client certificate will be generated (%s, valid %u days; "
                                     "the CA %u days)"),
                                   key_type_label(s->key_type), settings_cert_days(s), settings_ca_days(s)));
}
