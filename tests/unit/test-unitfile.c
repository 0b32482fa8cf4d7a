/* test-unitfile.c: unit tests of unit-file parsing, setting folding and the drop-in editor. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "unitfile.h"
#include "util.h"

static struct drs_unit *parse(const char *path, const char *text) {
        struct drs_unit *u = NULL;
        assert_int_equal(unit_parse(path, text, &u, NULL), 0);
        return u;
}

static void test_parse(_unused_ void **state) {
        struct drs_unit *u = parse("x.service", "# c\n[Unit]\nDescription = A  \n\n[Service]\n"
                                                 "ExecStart=/bin/a \\\n  b \\\n# skipped\n  c\nnoequals\n; semi\n");
        const struct drs_entry *e = u->entries;

        assert_int_equal(u->n_entries, 8);
        assert_int_equal(e[0].kind, ENTRY_COMMENT);
        assert_int_equal(e[1].kind, ENTRY_SECTION);
        assert_int_equal(e[2].kind, ENTRY_ASSIGNMENT);
        assert_string_equal(e[2].key, "Description");
        assert_string_equal(e[2].value, "A");
        assert_string_equal(e[2].section, "Unit");
        assert_int_equal(e[3].kind, ENTRY_BLANK);
        assert_int_equal(e[5].kind, ENTRY_ASSIGNMENT);
        assert_string_equal(e[5].value, "/bin/a    b    c");
        assert_int_equal(e[5].line, 6);
        /* The continuation (with the skipped comment) is one entry over four lines. */
        assert_int_equal(e[6].line, 10);
        assert_int_equal(e[6].kind, ENTRY_IGNORED);
        assert_int_equal(e[7].kind, ENTRY_COMMENT);
        unit_free(u);
}

/* The line rules of systemd's config_parse() that a shell or an editor would read otherwise. */
static void test_systemd_lines(_unused_ void **state) {
        _cleanup_free_ struct drs_setting *v = NULL;
        /* A comment ending in a backslash does not continue; a lone CR ends a line; a backslash at
         * the end of the file is read as a space. */
        struct drs_unit *u = parse("o.conf", "[Service]\n# see \\\nExecStart=\nExecStart=/bin/a\rUser=x\r\n"
                                             "Environment=A=1 \\");
        assert_int_equal(unit_fold_setting(&u, 1, "Service", "ExecStart", &v), 1);
        assert_string_equal(v[0].value, "/bin/a");
        assert_true(unit_sets(u, "Service", "User"));
        assert_string_equal(u->entries[u->n_entries - 1].value, "A=1");
        unit_free(u);
}

/* Ours after a last line that ends in a backslash: that line must not continue into ours. */
static void test_edit_after_continuation(_unused_ void **state) {
        static const char *const texts[] = {"[Service]\nEnvironment=A=1 \\", "[Service]\nEnvironment=A=1 \\\n",
                                            "[Unit]\nDescription=x \\",
                                            /* comments inside a continuation are skipped: it goes on */
                                            "[Service]\nEnvironment=A=1 \\\n# note\n; note"};
        for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
                _cleanup_free_ struct drs_setting *v = NULL;
                char *t = dropin_set_execstart(texts[i], "/usr/bin/dockerd -H tcp://1.2.3.4:5", NULL);
                struct drs_unit *u[2] = {parse("docker.service", "[Service]\nExecStart=/usr/sbin/dockerd\n"),
                                         parse("o.conf", t)};
                /* Our reset is there: the fragment's ExecStart does not count. */
                assert_int_equal(unit_fold_setting(u, 2, "Service", "ExecStart", &v), 1);
                assert_string_equal(v[0].value, "/usr/bin/dockerd -H tcp://1.2.3.4:5");
                unit_free(u[0]);
                unit_free(u[1]);
                free(t);
        }
}

static void test_bad_section(_unused_ void **state) {
        struct drs_unit *u = NULL;
        struct drs_diag d = {0};
        assert_int_equal(unit_parse("/etc/x.conf", "[Service]\nA=1\n[Service\n", &u, &d), -EBADMSG);
        assert_null(u);
        assert_string_equal(d.file, "/etc/x.conf");
        assert_int_equal(d.line, 3);
        diag_done(&d);
        /* systemd's string_is_safe() on the name: no quote, backslash or control character. */
        assert_int_equal(unit_parse("/etc/x.conf", "[Ser\"vice]\n", &u, &d), -EBADMSG);
        diag_done(&d);
        assert_int_equal(unit_parse("/etc/x.conf", "[Serv\\ice]\n", &u, &d), -EBADMSG);
        diag_done(&d);
        /* "[]": a section of no name, read by nobody (its ExecStart= is not the service's). */
        u = NULL;
        assert_int_equal(unit_parse("/etc/x.conf", "[]\nExecStart=/x\n", &u, &d), 0);
        assert_false(unit_sets(u, "Service", "ExecStart"));
        unit_free(u);
}

static void test_fold(_unused_ void **state) {
        struct drs_unit *u[3] = {
                parse("a", "[Service]\nExecStart=/usr/sbin/dockerd -H fd://\nEnvironmentFile=-/etc/default/docker\n"),
                parse("b", "[Service]\nExecStart=\nExecStart=/usr/bin/dockerd\n"),
                parse("c", "[Unit]\nExecStart=/not/service\n[Service]\nEnvironment=A=1\n"),
        };
        struct drs_setting *v = NULL;

        assert_int_equal(unit_fold_setting(u, 3, "Service", "ExecStart", &v), 1);
        assert_string_equal(v[0].value, "/usr/bin/dockerd");
        assert_ptr_equal(v[0].unit, u[1]);
        assert_int_equal(v[0].line, 3);
        free(v);
        assert_int_equal(unit_fold_setting(u, 1, "Service", "ExecStart", &v), 1);
        free(v);
        assert_int_equal(unit_fold_setting(u, 3, "Service", "EnvironmentFile", &v), 1);
        free(v);
        assert_int_equal(unit_fold_setting(u, 3, "Service", "Nope", &v), 0);
        assert_null(v);
        assert_true(unit_sets(u[1], "Service", "ExecStart"));
        assert_false(unit_sets(u[2], "Service", "ExecStart"));
        for (int i = 0; i < 3; i++)
                unit_free(u[i]);
}

static void expect_edit(const char *old, const char *expected) {
        char *t = dropin_set_execstart(old, "/usr/sbin/dockerd -H fd://", "# H\n");
        assert_string_equal(t, expected);
        free(t);
}

static void test_edit(_unused_ void **state) {
        /* New file. */
        expect_edit(NULL, "# H\n[Service]\nExecStart=\nExecStart=/usr/sbin/dockerd -H fd://\n");
        /* systemctl edit with proxies: everything kept, ours appended to [Service]. */
        expect_edit("[Service]\nEnvironment=\"HTTP_PROXY=http://p:3128\"\n\n# mine\n",
                    "[Service]\nEnvironment=\"HTTP_PROXY=http://p:3128\"\nExecStart=\nExecStart=/usr/sbin/dockerd -H fd://\n\n# mine\n");
        /* Existing ExecStart lines (with a continuation) replaced in place. */
        expect_edit("[Unit]\nA=1\n[Service]\nX=1\nExecStart=\nExecStart=/usr/bin/dockerd \\\n -H tcp://0.0.0.0:2375\nY=2\n",
                    "[Unit]\nA=1\n[Service]\nX=1\nExecStart=\nExecStart=/usr/sbin/dockerd -H fd://\nY=2\n");
        /* Only [Unit]: a new [Service] section at the end; missing final newline added. */
        expect_edit("[Unit]\nDescription=x", "[Unit]\nDescription=x\n\n[Service]\nExecStart=\nExecStart=/usr/sbin/dockerd -H fd://\n");
        /* Bytes outside ExecStart kept exactly: CRLF-free odd spacing, comments, other sections. */
        expect_edit("  [Service]  \n\tExecStart = /x\n[Install]\nWantedBy=multi-user.target\n",
                    "  [Service]  \nExecStart=\nExecStart=/usr/sbin/dockerd -H fd://\n[Install]\nWantedBy=multi-user.target\n");
        /* Empty file. */
        expect_edit("", "[Service]\nExecStart=\nExecStart=/usr/sbin/dockerd -H fd://\n");
}

/* A UTF-8 byte order mark at the start is skipped, as systemd does (issue 16 item 2); kept in
 * what the editor writes back. Elsewhere it is part of the line. */
static void test_bom(_unused_ void **state) {
        _cleanup_free_ struct drs_setting *v = NULL;
        struct drs_unit *u = parse("override.conf", "\xef\xbb\xbf[Service]\nExecStart=\n"
                                                    "ExecStart=/usr/sbin/dockerd --data-root=/srv/docker-data\n");
        assert_int_equal(u->entries[0].kind, ENTRY_SECTION);
        assert_string_equal(u->entries[0].section, "Service");
        assert_int_equal(unit_fold_setting(&u, 1, "Service", "ExecStart", &v), 1);
        assert_string_equal(v[0].value, "/usr/sbin/dockerd --data-root=/srv/docker-data");
        unit_free(u);
        expect_edit("\xef\xbb\xbf[Service]\nUser=x\nExecStart=\nExecStart=/x --data-root=/srv/docker-data\n",
                    "\xef\xbb\xbf[Service]\nUser=x\nExecStart=\nExecStart=/usr/sbin/dockerd -H fd://\n");
        /* Only at the start of the file. */
        u = parse("o.conf", "[Service]\n\xef\xbb\xbf[Unit]\n");
        assert_int_equal(u->entries[1].kind, ENTRY_IGNORED);
        unit_free(u);
}

/* The socket method's entries: FreeBind= and TCP ListenStream= of [Socket]. */
static bool socket_entry(const struct drs_entry *e) {
        return e->kind == ENTRY_ASSIGNMENT && streq_ptr(e->section, "Socket") &&
               (streq(e->key, "FreeBind") || (streq(e->key, "ListenStream") && e->value[0] != '/'));
}

static void test_edit_entries(_unused_ void **state) {
        const char *ours = "ListenStream=10.0.0.2:2375\nFreeBind=yes\n";
        char *t;

        t = dropin_set_entries(NULL, "Socket", socket_entry, ours, "# H\n");
        assert_string_equal(t, "# H\n[Socket]\nListenStream=10.0.0.2:2375\nFreeBind=yes\n");
        free(t);
        /* Ours replaced in place, a unix ListenStream= and the user's lines kept byte for byte. */
        t = dropin_set_entries("[Socket]\n# mine\nListenStream=/run/x.sock\nListenStream=[fd00::2]:2376\nBacklog=9\n"
                               "FreeBind=yes\n",
                               "Socket", socket_entry, ours, NULL);
        assert_string_equal(t, "[Socket]\n# mine\nListenStream=/run/x.sock\nListenStream=10.0.0.2:2375\nFreeBind=yes\n"
                               "Backlog=9\n");
        free(t);
        /* block NULL: ours removed, nothing added; an absent file stays absent. */
        t = dropin_set_entries("[Socket]\nListenStream=10.0.0.2:2375\nBacklog=9\nFreeBind=yes\n", "Socket", socket_entry,
                               NULL, NULL);
        assert_string_equal(t, "[Socket]\nBacklog=9\n");
        free(t);
        assert_null(dropin_set_entries(NULL, "Socket", socket_entry, NULL, NULL));
        /* dropin_set_execstart without a line: ExecStart= lines go, the rest stays. */
        t = dropin_set_execstart("[Service]\nLimitNOFILE=1\nExecStart=\nExecStart=/x -H tcp://1.2.3.4:5\nEnvironment=A=1\n",
                                 NULL, NULL);
        assert_string_equal(t, "[Service]\nLimitNOFILE=1\nEnvironment=A=1\n");
        free(t);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_parse), cmocka_unit_test(test_bad_section), cmocka_unit_test(test_fold),
                cmocka_unit_test(test_edit), cmocka_unit_test(test_systemd_lines),
                cmocka_unit_test(test_edit_after_continuation), cmocka_unit_test(test_bom),
                cmocka_unit_test(test_edit_entries),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
