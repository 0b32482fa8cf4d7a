/* fuzz-plan.c: libFuzzer target for the whole plan: unit, drop-in, /etc/default/docker and daemon.json as
 * found on a host → the files to write; what it writes parses, and planning again changes nothing. */
#include <arpa/inet.h>
#include <errno.h>

#include "daemonjson.h"
#include "envfile.h"
#include "fuzz.h"
#include "plan.h"
#include "util.h"
#include "../tests/unit/host-files.h"

#define FRAGMENT "/lib/systemd/system/docker.service"

static void add_iface(struct drs_iface_list *l, const char *name, const char *ip, unsigned prefix, bool loopback) {
        struct drs_iface *i;
        l->items = xrealloc(l->items, (l->n + 1) * sizeof(*l->items));
        i = &l->items[l->n++];
        *i = (struct drs_iface) {.name = xstrdup(name), .up = true, .loopback = loopback};
        i->addrs = xcalloc(1, sizeof(*i->addrs));
        i->n_addrs = 1;
        FUZZ_CHECK(addr_parse(ip, &i->addrs[0].addr) == 0);
        i->addrs[0].prefixlen = prefix;
}

/* A host with these files (NULL: absent). */
static void host_make(struct drs_host *h, const char *fragment, const char *override, const char *def,
                      const char *json, const char *sock_override, bool systemd, bool socket) {
        *h = (struct drs_host) {.root = xstrdup("/"), .systemd = systemd, .socket_unit = socket,
                                .hostname = xstrdup("fuzz")};
        if (fragment) {
                h->fragment_path = xstrdup(FRAGMENT);
                h->fragment_text = xstrdup(fragment);
        }
        host_add_files(h, override, sock_override, def, json);
        strv_push(&h->executables, "/usr/sbin/dockerd");
        strv_push(&h->executables, "/usr/bin/dockerd");
        add_iface(&h->ifaces, "lo", "127.0.0.1", 8, true);
        add_iface(&h->ifaces, "eth1", "10.0.0.2", 24, false);
}

static const struct drs_file_change *find_file(const struct drs_plan *p, enum drs_file_kind k) {
        for (size_t i = 0; i < p->n_files; i++)
                if (p->files[i].kind == k)
                        return &p->files[i];
        return NULL;
}

/* The text a file has after the plan: the new one when applied, else the old. */
static const char *after(const struct drs_plan *p, enum drs_file_kind k, const char *old) {
        const struct drs_file_change *f = find_file(p, k);
        if (f && f->remove)
                return NULL;
        return f && f->applied && f->new_text ? f->new_text : old;
}

/* What the plan writes must read back: the drop-in gives one ExecStart with our listener. */
static void check_written(const struct drs_plan *p) {
        for (size_t i = 0; i < p->n_files; i++) {
                const struct drs_file_change *f = &p->files[i];
                struct drs_diag diag = {0};
                if (!f->new_text)
                        continue;
                if (f->kind == FILE_DROPIN || f->kind == FILE_SOCKET_DROPIN) {
                        _cleanup_(unit_freep) struct drs_unit *u = NULL;
                        FUZZ_CHECK(unit_parse(f->path, f->new_text, &u, &diag) == 0);
                } else if (f->kind == FILE_DEFAULT) {
                        struct drs_envfile e = {0};
                        FUZZ_CHECK(envfile_parse(f->path, f->new_text, &e, &diag) == 0);
                        envfile_done(&e);
                } else if (f->kind == FILE_DAEMON_JSON) {
                        struct drs_daemon_json j = {0};
                        FUZZ_CHECK(daemonjson_parse(f->path, f->new_text, &j, &diag) == 0);
                        FUZZ_CHECK(!j.has_hosts);
                        daemonjson_done(&j);
                }
                diag_done(&diag);
        }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        const char *t[4];
        _cleanup_free_ _unused_ char *mem = fuzz_split(data, size, t, 4);
        _cleanup_(plan_freep) struct drs_plan *p = NULL, *q = NULL;
        struct drs_host h, h2;
        struct drs_settings s = {.iface = xstrdup("eth1"), .mode = size & 1 ? MODE_PLAIN : MODE_TLS,
                                 .method = size & 2 ? METHOD_DOCKER_OPTS : METHOD_DROPIN, .method_set = size & 2};
        /* size & 2 clear: the host decides (socket with docker.socket and -H fd://, else dropin). */
        struct drs_listener l;
        struct drs_diag diag = {0};
        bool systemd = !(size & 4), socket = !(size & 8);
        int r;

        host_make(&h, *t[0] ? t[0] : NULL, *t[1] ? t[1] : NULL, *t[2] ? t[2] : NULL, *t[3] ? t[3] : NULL, NULL,
                  systemd, socket);
        FUZZ_CHECK(settings_resolve(&s, &h.ifaces, &l, &diag) == 0);
        r = plan_build(&h, &s, &l, &p, &diag);
        if (r < 0) {
                FUZZ_CHECK(r == -EBADMSG && diag.file && diag.message);
                goto out;
        }
        FUZZ_CHECK(p->host_url && p->listen_text);
        (void) host_logs_info(&h);
        strv_free(host_listen_texts(&h));
        check_written(p);
        if (p->blocked)
                goto out;

        /* A second run on the result changes nothing ("nothing to do"). */
        host_make(&h2, *t[0] ? t[0] : NULL, after(p, FILE_DROPIN, *t[1] ? t[1] : NULL),
                  after(p, FILE_DEFAULT, *t[2] ? t[2] : NULL), after(p, FILE_DAEMON_JSON, *t[3] ? t[3] : NULL),
                  after(p, FILE_SOCKET_DROPIN, NULL), systemd, socket);
        h2.tls.present = h2.tls.reusable = h2.tls.tar_current = true;
        r = plan_build(&h2, &s, &l, &q, &diag);
        if (r < 0)
                fprintf(stderr, "second plan failed: %s:%u: %s\n", diag.file, diag.line, diag.message);
        FUZZ_CHECK(r == 0);
        if (q->changes)
                for (size_t i = 0; i < q->n_files; i++)
                        if (q->files[i].applied && q->files[i].new_text &&
                            !streq_ptr(q->files[i].old_text, q->files[i].new_text))
                                fprintf(stderr, "---- second run changes %s:\n<%s>\n->\n<%s>\n", q->files[i].path,
                                        q->files[i].old_text, q->files[i].new_text);
        FUZZ_CHECK(!q->changes);
        host_done(&h2);
out:
        host_done(&h);
        settings_done(&s);
        diag_done(&diag);
        return 0;
}
