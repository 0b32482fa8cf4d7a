#!/bin/bash
# rootless-preview.sh: `preview --user NAME` (issue 19) on a tree with a rootless user: the drop-in
# for the user's docker.service (rootlesskit's publish, dockerd inside the namespace, the user's
# socket, the start limit lifted), --json; and the bad-input rows, each a clear message and exit 4
# (an unknown user, no rootless setup, no linger, no subuid/subgid ranges, a port < 1024), 2 for a
# malformed name or --user on a command that does not take it; status --user under a root
# (files only); nothing written.
. "$top_srcdir/tests/cli/lib.sh"

R=$TMP/root
H=$R/home/alice/.config/systemd/user
rootless_tree "$R"
before=$(cd "$R" && find . -printf '%p %m %s\n' | sort | sha256sum)

expect_exit "plain preview for alice" 0 'Rootless Docker of user alice \(uid 1000\)' \
        "$DRS" preview --root "$R" --user alice --iface lo --plain
dropin=/home/alice/.config/systemd/user/docker.service.d/docker-remote-setup.conf
grep -qF "$dropin (new):" "$TMP/out" || fail "the drop-in's path and state"
grep -qxF 'Environment=DOCKERD_ROOTLESS_ROOTLESSKIT_FLAGS="-p 127.0.0.1:2375:2375/tcp"' "$TMP/out" || fail "rootlesskit's publish"
grep -qxF 'ExecStart=/usr/share/docker.io/contrib/dockerd-rootless.sh --iptables=false -H tcp://0.0.0.0:2375 -H unix:///run/user/1000/docker.sock --tls=false' \
        "$TMP/out" || fail "the user's ExecStart: the listener inside the namespace and the user's own socket"
grep -qxF 'StartLimitIntervalSec=0' "$TMP/out" || fail "the start limit lifted"
grep -qF 'API listen on [::]:2375' "$TMP/out" || fail "the preview says what dockerd will log"

# A listener made by hand (Docker's documented recipe) is replaced: its publish and -H go, the
# user's other rootlesskit flags stay.
mkdir -p "$H/docker.service.d"
printf '[Service]\nEnvironment="DOCKERD_ROOTLESS_ROOTLESSKIT_FLAGS=--port-driver=builtin -p 0.0.0.0:2375:2375/tcp"\nExecStart=\nExecStart=/usr/share/docker.io/contrib/dockerd-rootless.sh --iptables=false -H unix:///run/user/1000/docker.sock -H tcp://0.0.0.0:2375 --tls=false\n' >"$H/docker.service.d/10-mine.conf"
expect_exit "TLS preview, --json" 0 '"blocked": false' "$DRS" preview --root "$R" --user alice --iface lo --tls --json
python3 - "$TMP/out" <<'X' || fail "the JSON preview"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["user"] == "alice" and d["uid"] == 1000 and d["port"] == 2376 and d["mode"] == "tls", d
assert d["tls_dir"] == "/home/alice/.config/docker-remote-setup/tls"
assert 'DOCKERD_ROOTLESS_ROOTLESSKIT_FLAGS="--port-driver=builtin -p 127.0.0.1:2376:2376/tcp"' in d["dropin_new"], d["dropin_new"]
assert "2375" not in d["dropin_new"] and "--tls=false" not in d["dropin_new"], d["dropin_new"]
assert "-H unix:///run/user/1000/docker.sock -H tcp://0.0.0.0:2376 --tlsverify" in d["dropin_new"], d["dropin_new"]
assert "--tlsverify --tlscacert=/home/alice/.config/docker-remote-setup/tls/ca.pem" in d["dropin_new"]
assert d["problems"] == [] and len(d["will"]) == 3
X
rm -r "$H/docker.service.d"

# A late address at boot: the setup tool's unit restarts the daemon (Restart=always), the drop-in
# lifts the start limit; a unit without Restart= gets Restart=on-failure from the drop-in; a user's
# drop-in after ours that turns the limit on again is named.
expect_exit "the setup tool's unit: restarted until the address is there" 0 'so systemd keeps restarting it until it is' \
        "$DRS" preview --root "$R" --user alice --iface lo --plain
grep -q '^Restart=' "$TMP/out" && fail "Restart= added although the unit restarts dockerd already"
sed -i '/^Restart=always$/d' "$H/docker.service"
expect_exit "a unit without Restart=: the drop-in restarts it" 0 'Restart=on-failure' \
        "$DRS" preview --root "$R" --user alice --iface lo --plain
grep -qxF 'RestartSec=2s' "$TMP/out" || fail "RestartSec=2s not with Restart=on-failure"
mkdir -p "$H/docker.service.d"
printf '[Unit]\nStartLimitIntervalSec=60s\n' >"$H/docker.service.d/zz-limit.conf"
expect_exit "a drop-in after ours turns the start limit on again" 0 \
        'stays failed: /home/alice/.config/systemd/user/docker.service.d/zz-limit.conf:2: StartLimitIntervalSec=60s turns' \
        "$DRS" preview --root "$R" --user alice --iface lo --plain --json
grep -qF '"survives_late_address": false' "$TMP/out" || fail "--json: survives_late_address not false"
mv "$H/docker.service.d/zz-limit.conf" "$H/docker.service.d/00-limit.conf"
expect_exit "the same drop-in before ours: ours wins" 0 '"survives_late_address": true' \
        "$DRS" preview --root "$R" --user alice --iface lo --plain --json
rm -r "$H/docker.service.d"
rootless_tree "$R"

# The user's daemon.json: "hosts" and the TLS keys leave it (dockerd refuses them next to flags),
# the rest stays; a quiet log level is said; a local listener in "hosts" other than the user's
# socket, a file that does not parse, and a symbolic link each block.
J=$R/home/alice/.config/docker/daemon.json
mkdir -p "${J%/*}"
printf '{\n  "hosts": ["unix:///run/user/1000/docker.sock", "tcp://0.0.0.0:2375"],\n  "tls": true,\n  "log-level": "warn",\n  "features": {"buildkit": true}\n}\n' >"$J"
expect_exit "daemon.json with hosts and tls" 0 '/home/alice/.config/docker/daemon.json sets "hosts", "tls": dockerd refuses' \
        "$DRS" preview --root "$R" --user alice --iface lo --plain
grep -qF 'log level hides "API listen on"' "$TMP/out" || fail "the quiet log level is not said"
expect_exit "daemon.json, --json" 0 '"daemon_json_new"' "$DRS" preview --root "$R" --user alice --iface lo --plain --json
python3 - "$TMP/out" <<'X' || fail "the JSON preview of daemon.json"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["daemon_json"] == "/home/alice/.config/docker/daemon.json", d
assert json.loads(d["daemon_json_new"]) == {"log-level": "warn", "features": {"buildkit": True}}, d["daemon_json_new"]
assert d["logs_listen"] is False and d["problems"] == [], d
X
printf '{"hosts": ["unix:///tmp/other.sock"]}\n' >"$J"
expect_exit "daemon.json with another local socket" 4 '"hosts" has "unix:///tmp/other.sock", which would be lost' \
        "$DRS" preview --root "$R" --user alice --iface lo --plain
printf '{"hosts": [' >"$J"
expect_exit "daemon.json that does not parse" 4 'daemon.json:1: .*dockerd cannot start with it: correct it' \
        "$DRS" preview --root "$R" --user alice --iface lo --plain
rm "$J" && ln -s /etc/hostname "$J"
expect_exit "daemon.json a symbolic link" 4 'daemon.json is not a regular file' \
        "$DRS" preview --root "$R" --user alice --iface lo --plain
rm -r "${J%/*/*}/docker"

expect_exit "an unknown user" 4 'user "carol" not found in /etc/passwd' "$DRS" preview --root "$R" --user carol --iface lo --plain
expect_exit "a user without the rootless setup" 4 'user bob has no rootless Docker: /home/bob/.config/systemd/user/docker.service not found' \
        "$DRS" preview --root "$R" --user bob --iface lo --plain
for p in 'no linger \(/var/lib/systemd/linger/bob\).*loginctl enable-linger bob' 'no subordinate id range in /etc/subuid' \
        'no subordinate id range in /etc/subgid' 'Problems \(apply would refuse; nothing was changed\)'; do
        grep -qE -- "$p" "$TMP/out" || fail "bob: output lacks /$p/"
done
grep -q 'docker-remote-setup.conf' "$TMP/out" && fail "bob: a drop-in was offered although the setup is missing"
expect_exit "a port below ip_unprivileged_port_start" 4 'port 80 is below 1024 \(net.ipv4.ip_unprivileged_port_start\).*does not change that setting' \
        "$DRS" preview --root "$R" --user alice --iface lo --plain --port 80
expect_exit "a malformed user name" 2 '--user: "Alice;x" is not a user name' "$DRS" preview --root "$R" --user 'Alice;x' --iface lo
for o in "--allow-from 10.0.0.0/8" "--method socket" "--dropin x.conf" "--tls-dir /etc/x"; do
        # shellcheck disable=SC2086
        expect_exit "preview --user $o: refused, not ignored" 2 "option ${o%% *} does not apply to --user" \
                "$DRS" preview --root "$R" --user alice --iface lo $o
done
expect_exit "--user on a command that does not take it" 2 'option --user does not apply to "interfaces"' "$DRS" interfaces --user alice
expect_exit "status --user under --root: files only" 0 'not live \(--root' "$DRS" status --root "$R" --user alice
grep -qF 'Rootless Docker of user alice (uid 1000): /home/alice/.config/systemd/user/docker.service' "$TMP/out" || fail "status --user: the unit"
expect_exit "status --user --json" 0 '"live": false' "$DRS" status --root "$R" --user alice --json
expect_exit "status --user, an unknown user" 4 'user "carol" not found' "$DRS" status --root "$R" --user carol

after=$(cd "$R" && find . -printf '%p %m %s\n' | sort | sha256sum)
[ "$before" = "$after" ] || fail "preview --user wrote under the root"
echo "ok: nothing written"
finish
