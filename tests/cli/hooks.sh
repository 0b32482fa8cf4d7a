#!/bin/bash
# hooks.sh: the test hooks exist only in the test build (issue 16 item 10): the installed program
# ignores DRS_TEST_FAULT and DOCKER_REMOTE_SETUP_LOCALEDIR (so a catalogue with "%s %s" for a
# message cannot be slipped in); the program of the build tree speaks Chinese from the catalogue
# `make` put there (issue 18 item 7), a copy of it elsewhere does not look there.
. "$top_srcdir/tests/cli/lib.sh"
need_test_build
command -v localedef >/dev/null || { echo "SKIP: localedef (package locales) is missing"; exit 77; }
mkdir -p "$TMP/locales"
localedef -i zh_CN -f UTF-8 "$TMP/locales/zh_CN.UTF-8" 2>/dev/null || { echo "SKIP: localedef failed"; exit 77; }
ZH=(env LOCPATH="$TMP/locales" LANG=zh_CN.UTF-8 LC_ALL=)

# 1. Neither variable's name is in the program (nothing reads them), both are in the test build.
for v in DRS_TEST_FAULT DOCKER_REMOTE_SETUP_LOCALEDIR; do
        if grep -aq "$v" "$DRS"; then fail "$DRS contains \"$v\""; else echo "ok: $v is not in the program"; fi
        grep -aq "$v" "$DRS_TEST" || fail "$DRS_TEST lacks \"$v\" (the test build has no hooks?)"
done

# 2. DRS_TEST_FAULT: the program applies as if it were unset; the test build is killed.
make_root debian-plain "$TMP/a"
make_root debian-plain "$TMP/b"
expect_exit "the program ignores DRS_TEST_FAULT" 0 'Files written' \
        env DRS_TEST_FAULT=after-backup:kill "$DRS" apply --root "$TMP/a" --iface lo --plain --yes
DRS_TEST_FAULT=after-backup:kill "$DRS_TEST" apply --root "$TMP/b" --iface lo --plain --yes > "$TMP/out" 2>&1
rc=$?
[ "$rc" -eq 137 ] && echo "ok: the test build stops at the fault point (SIGKILL)" || fail "test build: exit $rc, expected 137"

# 3. A malformed catalogue (msgfmt without --check): "%s %s %s %s" for a one-argument message.
mkdir -p "$TMP/bad/zh_CN/LC_MESSAGES"
cat > "$TMP/bad.po" <<'PO'
msgid ""
msgstr "Content-Type: text/plain; charset=UTF-8\n"

#, c-format
msgid "unknown option \"%s\""
msgstr "MALFORMED %s %s %s %s %s %s %s %s"
PO
if msgfmt --check -o /dev/null "$TMP/bad.po" 2>/dev/null; then fail "msgfmt --check accepts the malformed catalogue"
else echo "ok: msgfmt --check (po-check.sh) refuses the malformed catalogue"; fi
msgfmt -o "$TMP/bad/zh_CN/LC_MESSAGES/docker-remote-setup.mo" "$TMP/bad.po" || fail "msgfmt"
expect_exit "the program ignores DOCKER_REMOTE_SETUP_LOCALEDIR" 2 '"--bogus"' \
        env DOCKER_REMOTE_SETUP_LOCALEDIR="$TMP/bad" "${ZH[@]}" "$DRS" --bogus
grep -q MALFORMED "$TMP/out" && fail "the program loaded the catalogue named by the variable"
# The variable works in the test build (a well-formed catalogue of one message).
mkdir -p "$TMP/good/zh_CN/LC_MESSAGES"
sed 's/MALFORMED.*"/HOOKED %s"/' "$TMP/bad.po" > "$TMP/good.po"
msgfmt --check -o "$TMP/good/zh_CN/LC_MESSAGES/docker-remote-setup.mo" "$TMP/good.po" 2>/dev/null || fail "msgfmt good.po"
expect_exit "the test build reads DOCKER_REMOTE_SETUP_LOCALEDIR" 2 'HOOKED --bogus' \
        env DOCKER_REMOTE_SETUP_LOCALEDIR="$TMP/good" "${ZH[@]}" "$DRS_TEST" --bogus

# 4. The README's first command from the build tree under zh_CN: Chinese, from
# BUILDDIR/locale; a copy of the binary outside the build tree looks only in LOCALEDIR.
if [ -f "$top_builddir/locale/zh_CN/LC_MESSAGES/docker-remote-setup.mo" ]; then
        expect_exit "the build tree's program speaks Chinese" 0 '^用法：docker-remote-setup' "${ZH[@]}" "$DRS" --help
        localedir=$(grep -aoE '/[[:alnum:]/._-]*/share/locale' "$DRS" | grep -v "^$top_builddir" | head -n1)
        cp "$DRS" "$TMP/copy"
        if [ -n "$localedir" ] && [ ! -e "$localedir/zh_CN/LC_MESSAGES/docker-remote-setup.mo" ]; then
                expect_exit "a copy elsewhere does not use the build tree's catalogue" 0 '^Usage: docker-remote-setup' \
                        "${ZH[@]}" "$TMP/copy" --help
        else
                echo "note: $localedir has a zh_CN catalogue installed: the copy's language proves nothing"
        fi
else
        fail "make did not put the catalogue in $top_builddir/locale"
fi
finish
