/* udiff-cases.h: pairs of texts and what GNU diff prints for them (data for test-udiff.c). */

/* Generated once with GNU diff 3.8: diff -U<context> --label old --label new OLD NEW
 * (an absent file given as /dev/null). */
static const struct diff_case cases[] = {
        {
                .name = "insert_start",
                .context = 3,
                .old = "a\nb\nc\n",
                .new = "x\na\nb\nc\n",
                .expected = "--- old\n"
                            "+++ new\n"
                            "@@ -1,3 +1,4 @@\n"
                            "+x\n"
                            " a\n"
                            " b\n"
                            " c\n",
        },
        {
                .name = "insert_middle",
                .context = 3,
                .old = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n",
                .new = "1\n2\n3\n4\n5\ninserted\n6\n7\n8\n9\n10\n",
                .expected = "--- old\n"
                            "+++ new\n"
                            "@@ -3,6 +3,7 @@\n"
                            " 3\n"
                            " 4\n"
                            " 5\n"
                            "+inserted\n"
                            " 6\n"
                            " 7\n"
                            " 8\n",
        },
        {
                .name = "insert_end",
                .context = 3,
                .old = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n",
                .new = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n",
                .expected = "--- old\n"
                            "+++ new\n"
                            "@@ -8,3 +8,5 @@\n"
                            " 8\n"
                            " 9\n"
                            " 10\n"
                            "+11\n"
                            "+12\n",
        },
        {
                .name = "delete_middle",
                .context = 3,
                .old = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n",
                .new = "1\n2\n3\n4\n7\n8\n9\n10\n",
                .expected = "--- old\n"
                            "+++ new\n"
                            "@@ -2,8 +2,6 @@\n"
                            " 2\n"
                            " 3\n"
                            " 4\n"
                            "-5\n"
                            "-6\n"
                            " 7\n"
                            " 8\n"
                            " 9\n",
        },
        {
                .name = "delete_start",
                .context = 3,
                .old = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n",
                .new = "2\n3\n4\n5\n6\n7\n8\n9\n10\n",
                .expected = "--- old\n"
                            "+++ new\n"
                            "@@ -1,4 +1,3 @@\n"
                            "-1\n"
                            " 2\n"
                            " 3\n"
                            " 4\n",
        },
        {
                .name = "change_middle",
                .context = 3,
                .old = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n",
                .new = "1\n2\n3\n4\n5\nchanged 6\n7\n8\n9\n10\n",
                .expected = "--- old\n"
                            "+++ new\n"
                            "@@ -3,7 +3,7 @@\n"
                            " 3\n"
                            " 4\n"
                            " 5\n"
                            "-6\n"
                            "+changed 6\n"
                            " 7\n"
                            " 8\n"
                            " 9\n",
        },
        {
                .name = "change_one_line_file",
                .context = 3,
                .old = "a\n",
                .new = "b\n",
                .expected = "--- old\n"
                            "+++ new\n"
                            "@@ -1 +1 @@\n"
                            "-a\n"
                            "+b\n",
        },
        {
                .name = "two_hunks",
                .context = 3,
                .old = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\n17\n18\n19\n20\n",
                .new = "1\n2\nthree\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\nfifteen\n16\n17\n18\n19\n20\n",
                .expected = "--- old\n"
                            "+++ new\n"
                            "@@ -1,6 +1,6 @@\n"
                            " 1\n"
                            " 2\n"
                            "-3\n"
                            "+three\n"
                            " 4\n"
                            " 5\n"
                            " 6\n"
                            "@@ -12,7 +12,7 @@\n"
                            " 12\n"
                            " 13\n"
                            " 14\n"
                            "-15\n"
                            "+fifteen\n"
                            " 16\n"
                            " 17\n"
                            " 18\n",
        },
        {
                .name = "gap6_merges",
                .context = 3,
                .old = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\n17\n18\n19\n20\n",
                .new = "1\n2\nthree\n4\n5\n6\n7\n8\n9\nten\n11\n12\n13\n14\n15\n16\n17\n18\n19\n20\n",
                .expected = "--- old\n"
                            "+++ new\n"
                            "@@ -1,13 +1,13 @@\n"
                            " 1\n"
                            " 2\n"
                            "-3\n"
                            "+three\n"
                            " 4\n"
                            " 5\n"
                            " 6\n"
                            " 7\n"
                            " 8\n"
                            " 9\n"
                            "-10\n"
                            "+ten\n"
                            " 11\n"
                            " 12\n"
                            " 13\n",
        },
        {
                .name = "gap7_splits",
                .context = 3,
                .old = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\n17\n18\n19\n20\n",
                .new = "1\n2\nthree\n4\n5\n6\n7\n8\n9\n10\neleven\n12\n13\n14\n15\n16\n17\n18\n19\n20\n",
                .expected = "--- old\n"
                            "+++ new\n"
                            "@@ -1,6 +1,6 @@\n"
                            " 1\n"
                            " 2\n"
                            "-3\n"
                            "+three\n"
                            " 4\n"
                            " 5\n"
                            " 6\n"
                            "@@ -8,7 +8,7 @@\n"
                            " 8\n"
                            " 9\n"
                            " 10\n"
                            "-11\n"
                            "+eleven\n"
                            " 12\n"
                            " 13\n"
                            " 14\n",
        },
        {
                .name = "new_file",
                .context = 3,
                .old = NULL,
                .new = "a\nb\nc\n",
                .expected = "--- old\n"
                            "+++ new\n"
                            "@@ -0,0 +1,3 @@\n"
                            "+a\n"
                            "+b\n"
                            "+c\n",
        },
        {
                .name = "new_file_one_line",
                .context = 3,
                .old = NULL,
                .new = "only\n",
                .expected = "--- old\n"
                            "+++ new\n"
                            "@@ -0,0 +1 @@\n"
                            "+only\n",
        },
        {
                .name = "deleted_file",
                .context = 3,
                .old = "a\nb\n",
                .new = NULL,
                .expected = "--- old\n"
                            "+++ new\n"
                            "@@ -1,2 +0,0 @@\n"
                            "-a\n"
                            "-b\n",
        },
        {
                .name = "empty_to_one",
                .context = 3,
                .old = "",
                .new = "a\n",
                .expected = "--- old\n"
                            "+++ new\n"
                            "@@ -0,0 +1 @@\n"
                            "+a\n",
        },
        {
                .name = "one_to_empty",
                .context = 3,
                .old = "a\n",
                .new = "",
                .expected = "--- old\n"
                            "+++ new\n"
                            "@@ -1 +0,0 @@\n"
                            "-a\n",
        },
        {
                .name = "no_newline_old",
                .context = 3,
                .old = "a\nb\nc",
                .new = "a\nb\nc\n",
                .expected = "--- old\n"
                            "+++ new\n"
                            "@@ -1,3 +1,3 @@\n"
                            " a\n"
                            " b\n"
                            "-c\n"
                            "\\ No newline at end of file\n"
                            "+c\n",
        },
        {
                .name = "no_newline_new",
                .context = 3,
                .old = "a\nb\nc\n",
                .new = "a\nb\nc",
                .expected = "--- old\n"
                            "+++ new\n"
                            "@@ -1,3 +1,3 @@\n"
                            " a\n"
                            " b\n"
                            "-c\n"
                            "+c\n"
                            "\\ No newline at end of file\n",
        },
        {
                .name = "no_newline_both_changed",
                .context = 3,
                .old = "a\nb\nc",
                .new = "a\nb\nd",
                .expected = "--- old\n"
                            "+++ new\n"
                            "@@ -1,3 +1,3 @@\n"
                            " a\n"
                            " b\n"
                            "-c\n"
                            "\\ No newline at end of file\n"
                            "+d\n"
                            "\\ No newline at end of file\n",
        },
        {
                .name = "no_newline_context",
                .context = 3,
                .old = "a\nb\nc\nd",
                .new = "a\nX\nc\nd",
                .expected = "--- old\n"
                            "+++ new\n"
                            "@@ -1,4 +1,4 @@\n"
                            " a\n"
                            "-b\n"
                            "+X\n"
                            " c\n"
                            " d\n"
                            "\\ No newline at end of file\n",
        },
        {
                .name = "no_newline_new_file",
                .context = 3,
                .old = NULL,
                .new = "a\nb",
                .expected = "--- old\n"
                            "+++ new\n"
                            "@@ -0,0 +1,2 @@\n"
                            "+a\n"
                            "+b\n"
                            "\\ No newline at end of file\n",
        },
        {
                .name = "context0",
                .context = 0,
                .old = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\n17\n18\n19\n20\n",
                .new = "1\n2\nthree\n4\nfive\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\n17\n18\n19\n20\n",
                .expected = "--- old\n"
                            "+++ new\n"
                            "@@ -3 +3 @@\n"
                            "-3\n"
                            "+three\n"
                            "@@ -5 +5 @@\n"
                            "-5\n"
                            "+five\n",
        },
        {
                .name = "context0_insert",
                .context = 0,
                .old = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n",
                .new = "1\n2\n3\n4\nnew\n5\n6\n7\n8\n9\n10\n",
                .expected = "--- old\n"
                            "+++ new\n"
                            "@@ -4,0 +5 @@\n"
                            "+new\n",
        },
        {
                .name = "context0_delete",
                .context = 0,
                .old = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n",
                .new = "1\n2\n3\n5\n6\n7\n8\n9\n10\n",
                .expected = "--- old\n"
                            "+++ new\n"
                            "@@ -4 +3,0 @@\n"
                            "-4\n",
        },
        {
                .name = "context1",
                .context = 1,
                .old = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\n17\n18\n19\n20\n",
                .new = "1\n2\nthree\n4\n5\nsix\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\n17\n18\n19\n20\n",
                .expected = "--- old\n"
                            "+++ new\n"
                            "@@ -2,6 +2,6 @@\n"
                            " 2\n"
                            "-3\n"
                            "+three\n"
                            " 4\n"
                            " 5\n"
                            "-6\n"
                            "+six\n"
                            " 7\n",
        },
        {
                .name = "context10_whole_file",
                .context = 10,
                .old = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n",
                .new = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n10\n",
                .expected = "--- old\n"
                            "+++ new\n"
                            "@@ -1,10 +1,10 @@\n"
                            " 1\n"
                            " 2\n"
                            " 3\n"
                            " 4\n"
                            "-5\n"
                            "+five\n"
                            " 6\n"
                            " 7\n"
                            " 8\n"
                            " 9\n"
                            " 10\n",
        },
        {
                .name = "blank_line_run",
                .context = 3,
                .old = "a\n\n\nb\n",
                .new = "a\n\n\n\nb\n",
                .expected = "--- old\n"
                            "+++ new\n"
                            "@@ -1,4 +1,5 @@\n"
                            " a\n"
                            " \n"
                            " \n"
                            "+\n"
                            " b\n",
        },
        {
                .name = "function_between_braces",
                .context = 3,
                .old = "int f(void) {\n        return 1;\n}\n\nint g(void) {\n        return 2;\n}\n",
                .new = "int f(void) {\n"
                       "        return 1;\n"
                       "}\n"
                       "\n"
                       "int h(void) {\n"
                       "        return 3;\n"
                       "}\n"
                       "\n"
                       "int g(void) {\n"
                       "        return 2;\n"
                       "}\n",
                .expected = "--- old\n"
                            "+++ new\n"
                            "@@ -2,6 +2,10 @@\n"
                            "         return 1;\n"
                            " }\n"
                            " \n"
                            "+int h(void) {\n"
                            "+        return 3;\n"
                            "+}\n"
                            "+\n"
                            " int g(void) {\n"
                            "         return 2;\n"
                            " }\n",
        },
        {
                .name = "function_removed",
                .context = 3,
                .old = "int f(void) {\n"
                       "        return 1;\n"
                       "}\n"
                       "\n"
                       "int h(void) {\n"
                       "        return 3;\n"
                       "}\n"
                       "\n"
                       "int g(void) {\n"
                       "        return 2;\n"
                       "}\n",
                .new = "int f(void) {\n        return 1;\n}\n\nint g(void) {\n        return 2;\n}\n",
                .expected = "--- old\n"
                            "+++ new\n"
                            "@@ -2,10 +2,6 @@\n"
                            "         return 1;\n"
                            " }\n"
                            " \n"
                            "-int h(void) {\n"
                            "-        return 3;\n"
                            "-}\n"
                            "-\n"
                            " int g(void) {\n"
                            "         return 2;\n"
                            " }\n",
        },
        {
                .name = "deletions_merged",
                .context = 3,
                .old = "b\na\na\n",
                .new = "a\n",
                .expected = "--- old\n"
                            "+++ new\n"
                            "@@ -1,3 +1 @@\n"
                            "-b\n"
                            "-a\n"
                            " a\n",
        },
        {
                .name = "insertions_merged",
                .context = 3,
                .old = "a\n",
                .new = "b\na\na\n",
                .expected = "--- old\n"
                            "+++ new\n"
                            "@@ -1 +1,3 @@\n"
                            "+b\n"
                            "+a\n"
                            " a\n",
        },
        {
                .name = "shift_stops_at_common_tail",
                .context = 0,
                .old = "b\nb\n",
                .new = "c\nb\nb\nc\nb\n",
                .expected = "--- old\n"
                            "+++ new\n"
                            "@@ -0,0 +1 @@\n"
                            "+c\n"
                            "@@ -1,0 +3,2 @@\n"
                            "+b\n"
                            "+c\n",
        },
        {
                .name = "unmatched_lines_left_out",
                .context = 0,
                .old = "b\nd\nc\nd\nc\n",
                .new = "d\n",
                .expected = "--- old\n"
                            "+++ new\n"
                            "@@ -1 +0,0 @@\n"
                            "-b\n"
                            "@@ -3,3 +1,0 @@\n"
                            "-c\n"
                            "-d\n"
                            "-c\n",
        },
        {
                .name = "blank_line_removed",
                .context = 3,
                .old = "a\n\n\n\nb\n",
                .new = "a\n\n\nb\n",
                .expected = "--- old\n"
                            "+++ new\n"
                            "@@ -1,5 +1,4 @@\n"
                            " a\n"
                            " \n"
                            " \n"
                            "-\n"
                            " b\n",
        },
        {
                .name = "repeated_block_deleted",
                .context = 3,
                .old = "x\ny\nx\ny\nx\ny\nz\n",
                .new = "x\ny\nx\ny\nz\n",
                .expected = "--- old\n"
                            "+++ new\n"
                            "@@ -2,6 +2,4 @@\n"
                            " y\n"
                            " x\n"
                            " y\n"
                            "-x\n"
                            "-y\n"
                            " z\n",
        },
        {
                .name = "override_conf",
                .context = 3,
                .old = "[Service]\n"
                       "ExecStart=\n"
                       "ExecStart=/usr/bin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock\n",
                .new = "[Service]\n"
                       "ExecStart=\n"
                       "ExecStart=/usr/bin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock -H tcp://10.0.0.2:2376 --tlsverify --tlscacert=/etc/docker/remote-setup/ca.pem\n",
                .expected = "--- old\n"
                            "+++ new\n"
                            "@@ -1,3 +1,3 @@\n"
                            " [Service]\n"
                            " ExecStart=\n"
                            "-ExecStart=/usr/bin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock\n"
                            "+ExecStart=/usr/bin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock -H tcp://10.0.0.2:2376 --tlsverify --tlscacert=/etc/docker/remote-setup/ca.pem\n",
        },
        {
                .name = "default_docker",
                .context = 3,
                .old = "# Docker Upstart and SysVinit configuration file\n"
                       "\n"
                       "#DOCKER_OPTS=\"--dns 8.8.8.8 --dns 8.8.4.4\"\n"
                       "\n"
                       "# If you need Docker to use an HTTP proxy\n"
                       "#export http_proxy=\"http://127.0.0.1:3128/\"\n"
                       "\n"
                       "#export DOCKER_TMPDIR=\"/mnt/bigdrive/docker-tmp\"\n",
                .new = "# Docker Upstart and SysVinit configuration file\n"
                       "\n"
                       "#DOCKER_OPTS=\"--dns 8.8.8.8 --dns 8.8.4.4\"\n"
                       "DOCKER_OPTS=\"-H tcp://10.0.0.2:2375 -H unix:///var/run/docker.sock\"\n"
                       "\n"
                       "# If you need Docker to use an HTTP proxy\n"
                       "#export http_proxy=\"http://127.0.0.1:3128/\"\n"
                       "\n"
                       "#export DOCKER_TMPDIR=\"/mnt/bigdrive/docker-tmp\"\n",
                .expected = "--- old\n"
                            "+++ new\n"
                            "@@ -1,6 +1,7 @@\n"
                            " # Docker Upstart and SysVinit configuration file\n"
                            " \n"
                            " #DOCKER_OPTS=\"--dns 8.8.8.8 --dns 8.8.4.4\"\n"
                            "+DOCKER_OPTS=\"-H tcp://10.0.0.2:2375 -H unix:///var/run/docker.sock\"\n"
                            " \n"
                            " # If you need Docker to use an HTTP proxy\n"
                            " #export http_proxy=\"http://127.0.0.1:3128/\"\n",
        },
        {
                .name = "replace_everything",
                .context = 3,
                .old = "a\nb\nc\n",
                .new = "d\ne\n",
                .expected = "--- old\n"
                            "+++ new\n"
                            "@@ -1,3 +1,2 @@\n"
                            "-a\n"
                            "-b\n"
                            "-c\n"
                            "+d\n"
                            "+e\n",
        },
        {
                .name = "identical",
                .context = 3,
                .old = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n",
                .new = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n",
                .expected = "",
        },
        {
                .name = "identical_no_newline",
                .context = 3,
                .old = "a\nb",
                .new = "a\nb",
                .expected = "",
        },
        {
                .name = "absent_vs_empty",
                .context = 3,
                .old = NULL,
                .new = "",
                .expected = "",
        },
        {
                .name = "both_absent",
                .context = 3,
                .old = NULL,
                .new = NULL,
                .expected = "",
        },
};
