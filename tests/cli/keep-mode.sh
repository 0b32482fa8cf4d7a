#!/bin/bash
# keep-mode.sh: a file apply rewrites keeps its mode, less write for others (review finding of
# issue 13: a 0600 daemon.json became 0644), and a rollback gives the old mode back; a new file
# is 0644.
. "$top_srcdir/tests/cli/lib.sh"

root="$TMP/root"
make_root debian-plain "$root"
mkdir -p "$root/etc/docker"
printf '{\n  "log-level": "info"\n}\n' > "$root/etc/docker/daemon.json"
chmod 0600 "$root/etc/docker/daemon.json"
chmod 0640 "$root/etc/default/docker"
mode() { stat -c %a "$root/$1"; }
is_mode() { # DESC FILE MODE
        [ "$(mode "$2")" = "$3" ] && echo "ok: $1" || fail "$1: $2 is $(mode "$2"), expected $3"
}

expect_exit "TLS apply (socket method: daemon.json gets the TLS keys)" 0 "\"outcome\": \"written\"" \
        "$DRS" apply --root "$root" --iface lo --yes --json
first=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["backup_id"])' < "$TMP/out")
grep -q '"tlsverify"' "$root/etc/docker/daemon.json" && echo "ok: daemon.json rewritten" || fail "daemon.json not rewritten"
is_mode "daemon.json stays 0600" etc/docker/daemon.json 600
is_mode "a new socket drop-in is 0644" etc/systemd/system/docker.socket.d/override.conf 644
expect_exit "docker-opts apply" 0 "Files written" \
        "$DRS" apply --root "$root" --iface lo --plain --method docker-opts --yes
grep -q 'tcp://' "$root/etc/default/docker" && echo "ok: /etc/default/docker rewritten" || fail "not rewritten"
is_mode "/etc/default/docker stays 0640" etc/default/docker 640
is_mode "daemon.json (TLS keys out) stays 0600" etc/docker/daemon.json 600
expect_exit "rollback to before the first" 0 "Files written" "$DRS" rollback --root "$root" --to "$first" --yes
is_mode "rollback: daemon.json 0600" etc/docker/daemon.json 600
is_mode "rollback: /etc/default/docker 0640" etc/default/docker 640

# A world-writable file loses that: nothing we write is world-writable.
root="$TMP/root2"
make_root debian-plain "$root"
chmod 0666 "$root/etc/default/docker"
expect_exit "docker-opts apply on a 0666 file" 0 "Files written" \
        "$DRS" apply --root "$root" --iface lo --plain --method docker-opts --yes
is_mode "/etc/default/docker 0664 (write for others dropped)" etc/default/docker 664
finish
