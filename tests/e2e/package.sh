#!/bin/bash
# package.sh: the Debian package built from the release tarball (make dist, dpkg-buildpackage), installed
# with dpkg -i in the container, and its /usr/bin/docker-remote-setup applying, verified by the
# journal and /_ping from the host, with a revert timer that runs the packaged program.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/lib.sh"
. "$here/drs.sh"

e2e_skip_unless_possible
for t in dpkg-buildpackage dh dpkg-deb; do
        command -v "$t" >/dev/null || e2e_skip "missing $t (packages dpkg-dev and debhelper)"
done
: "${top_builddir:?}" "${DRS:?}"
e2e_init

# ---- build: the release tarball, unpacked in the temp dir, built there without its own tests.
version=$("$DRS" --version | awk '{ print $2 }')
t0=$(e2e_now_us)
# Not the jobserver or the variables of the make that runs this test.
clean_env=(env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS -u top_srcdir -u top_builddir -u DRS)
# One make dist at a time in the build tree (this test runs once per platform, maybe at once):
# they share the dist directory and the tarball's name. (The lock is machine-wide, in $TMPDIR.)
exec {distlock}>>"${TMPDIR:-/tmp}/drs-e2e-dist.lock" && flock -w 600 "$distlock" || e2e_fail "cannot lock make dist"
"${clean_env[@]}" make -s -C "$top_builddir" dist >"$E2E_TMP/dist.log" 2>&1 ||
        { tail -n 30 "$E2E_TMP/dist.log"; e2e_fail "make dist"; }
tarball=$top_builddir/docker-remote-setup-$version.tar.gz
[ -f "$tarball" ] || e2e_fail "make dist made no $tarball"
mkdir -p "$E2E_TMP/pkg" && tar -C "$E2E_TMP/pkg" -xzf "$tarball" || e2e_fail "cannot unpack $tarball"
rm -f "$tarball"
exec {distlock}>&-
src=$E2E_TMP/pkg/docker-remote-setup-$version
if ! (cd "$src" && "${clean_env[@]}" DEB_BUILD_OPTIONS=nocheck dpkg-buildpackage -us -uc -b) >"$E2E_TMP/build.log" 2>&1; then
        tail -n 40 "$E2E_TMP/build.log" | sed 's/^/    /'
        e2e_fail "dpkg-buildpackage"
fi
deb=$(ls "$E2E_TMP"/pkg/docker-remote-setup_"$version"_*.deb 2>/dev/null | head -n1)
[ -n "$deb" ] || e2e_fail "no .deb in $E2E_TMP/pkg"
e2e_log "built $(basename "$deb") in $(e2e_since "$t0") s (make dist + dpkg-buildpackage, nocheck)"

if command -v lintian >/dev/null; then
        lintian --fail-on error "${deb%.deb}.changes" >"$E2E_TMP/lintian.out" 2>&1
        rc=$?
        grep -v 'running with root privileges' "$E2E_TMP/lintian.out" | sed 's/^/    lintian: /'
        e2e_check "lintian reports no errors (exit $rc)" test "$rc" = 0
else
        e2e_log "lintian is not installed: not checked"
fi
e2e_check "package version = program version ($version)" test "$(dpkg-deb -f "$deb" Version)" = "$version"
contents=$(dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's|^\./|/|')
for f in /usr/bin/docker-remote-setup /usr/share/man/man8/docker-remote-setup.8.gz \
        /usr/share/bash-completion/completions/docker-remote-setup \
        /usr/share/locale/zh_CN/LC_MESSAGES/docker-remote-setup.mo \
        /usr/share/doc/docker-remote-setup/examples/ansible/docker-remote-setup.yml; do
        e2e_check "the package has $f" grep -qxF "$f" <<<"$contents"
done

# ---- install into the container (its rootfs has the runtime libraries).
e2e_boot pkg
DRS_OUT=$E2E_TMP/drs.out
e2e_check "no docker-remote-setup in the container before" drs_not e2e_run sh -c 'command -v docker-remote-setup'
cp "$deb" "/proc/$E2E_LEADER/root/tmp/drs.deb" || e2e_fail "cannot copy the .deb into the container"
e2e_run dpkg -i /tmp/drs.deb >"$E2E_TMP/dpkg.out" 2>&1
rc=$?
sed 's/^/    dpkg -i: /' "$E2E_TMP/dpkg.out"
e2e_assert "dpkg -i installs it (exit $rc)" test "$rc" = 0
listed=$(e2e_run dpkg -L docker-remote-setup)
for f in /usr/bin/docker-remote-setup /usr/share/man/man8/docker-remote-setup.8.gz \
        /usr/share/bash-completion/completions/docker-remote-setup \
        /usr/share/locale/zh_CN/LC_MESSAGES/docker-remote-setup.mo; do
        e2e_check "dpkg -L lists $f" grep -qxF "$f" <<<"$listed"
        e2e_check "$f exists in the container" e2e_run test -s "$f"
done
e2e_check "the man page has the exit codes" \
        e2e_sh 'zcat /usr/share/man/man8/docker-remote-setup.8.gz | grep -q "^\.SH EXIT STATUS"'
e2e_check "the translation catalog is a .mo file" \
        test "$(e2e_run od -An -tx4 -N4 /usr/share/locale/zh_CN/LC_MESSAGES/docker-remote-setup.mo | tr -d ' ')" = 950412de
comp=$(e2e_run bash -c '. /usr/share/bash-completion/completions/docker-remote-setup
        COMP_WORDS=(docker-remote-setup ""); COMP_CWORD=1; _docker_remote_setup; echo "${COMPREPLY[*]}"')
e2e_check "the installed completion offers the commands ($comp)" grep -qw apply <<<"$comp"
e2e_check "docker-remote-setup on PATH is the packaged one" \
        test "$(e2e_run sh -c 'command -v docker-remote-setup')" = /usr/bin/docker-remote-setup

# ---- the packaged program applies; the revert timer runs /usr/bin/docker-remote-setup.
IP=$E2E_CT_IP
e2e_log "run: /usr/bin/docker-remote-setup apply --iface host0 --plain --yes --confirm-timeout 120 --json"
e2e_run /usr/bin/docker-remote-setup apply --iface host0 --plain --yes --confirm-timeout 120 --json >"$DRS_OUT" 2>&1
DRS_RC=$?
sed 's/^/    | /' "$DRS_OUT" | head -n 20
drs_expect 0 "packaged apply"
e2e_check "outcome pending" test "$(drs_json outcome)" = pending
id=$(drs_json backup_id)
e2e_check "journal: API listen on $IP:2375 (this invocation)" e2e_journal_has_current "API listen on $IP:2375"
e2e_check "/_ping from the host answers OK" e2e_ping_plain "$IP" 2375
timer=$(e2e_run systemctl list-units --all --no-legend --plain "docker-remote-setup-deadline-$id*.timer" | awk '{ print $1 }')
service=$(e2e_run systemctl show -p Triggers --value "${timer:-none}")
execstart=$(e2e_run systemctl show -p ExecStart "${service:-none}")
e2e_log "deadline timer ${timer:-(none)} triggers ${service:-(none)}: $execstart"
e2e_check "the deadline timer runs /usr/bin/docker-remote-setup rollback --auto $id" \
        grep -q "path=/usr/bin/docker-remote-setup ; argv\[\]=/usr/bin/docker-remote-setup rollback --auto $id " <<<"$execstart"
e2e_run /usr/bin/docker-remote-setup confirm >"$DRS_OUT" 2>&1
DRS_RC=$?
drs_expect 0 "packaged confirm"
e2e_check "no timer left after confirm" test -z "$(e2e_run systemctl list-units --all --no-legend 'docker-remote-setup-*.timer')"
e2e_check "the boot-time recovery unit is installed and enabled" \
	e2e_run systemctl is-enabled -q docker-remote-setup-recover.service

# ---- purge: the program goes, the listener and the state stay (see README, Uninstall).
e2e_run dpkg --purge docker-remote-setup >"$E2E_TMP/dpkg.out" 2>&1
e2e_check "dpkg --purge" test $? = 0
e2e_check "the program is gone" drs_not e2e_run test -e /usr/bin/docker-remote-setup
e2e_check "the drop-in stays" e2e_run test -s /etc/systemd/system/docker.socket.d/override.conf
e2e_check "the backups stay" e2e_run test -s "/var/lib/docker-remote-setup/backups/$id/manifest.json"
e2e_check "the listener still answers" e2e_ping_plain "$IP" 2375
e2e_finish
