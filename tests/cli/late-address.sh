#!/bin/bash
# late-address.sh: the boot lines of --method dropin and docker-opts (issue 13 item 4) on --root
# trees: written with the listener, kept on a second run (exit 6), added to an earlier version's
# drop-in, taken out by the socket method, and what status says, also when a drop-in after ours
# turns the start limit on again.
. "$top_srcdir/tests/cli/lib.sh"

DI=etc/systemd/system/docker.service.d/override.conf
json_field() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1" < "$TMP/out"; }
has_boot() {
        grep -qx 'StartLimitIntervalSec=0' "$1" && grep -qx 'RestartSec=2s' "$1" && grep -qx '\[Unit\]' "$1"
}
# apply_m DESC CODE PATTERN METHOD: a plain apply on lo with that method in $root.
apply_m() { expect_exit "$1" "$2" "$3" "$DRS" apply --root "$root" --iface lo --plain --method "$4" --yes; }
# boot_ok DESC: our drop-in in $root has the boot lines.
boot_ok() { has_boot "$root/$DI" && echo "ok: $1" || fail "$1: $(cat "$root/$DI")"; }

# dropin: the listener and the boot lines; Debian 12's unit restarts on failure already.
root="$TMP/dropin"
make_root debian-plain "$root"
apply_m "dropin apply" 0 "Files written" dropin
boot_ok "dropin: boot lines written"
grep -q '^Restart=' "$root/$DI" && fail "dropin: Restart= written though the unit has Restart=on-failure" ||
        echo "ok: dropin: no Restart= where the unit restarts on failure"
apply_m "dropin again" 6 "Nothing to do" dropin
expect_exit "status: survives" 0 "Late address at boot: +survives: systemd restarts dockerd every 2 s" \
        "$DRS" status --root "$root"
"$DRS" status --root "$root" --json > "$TMP/out" 2>&1
[ "$(json_field survives_late_address)" = True ] && echo "ok: status --json survives" || fail "status --json: $(cat "$TMP/out")"

# A drop-in after ours turns the start limit on again: status and preview say so.
printf '[Unit]\nStartLimitIntervalSec=30s\n' > "$root/etc/systemd/system/docker.service.d/zz-limit.conf"
expect_exit "status: limit on again" 0 "zz-limit.conf:2: StartLimitIntervalSec=30s turns systemd's start limit on again" \
        "$DRS" status --root "$root"
"$DRS" status --root "$root" --json > "$TMP/out" 2>&1
[ "$(json_field survives_late_address)" = False ] && echo "ok: status --json does not survive" || fail "status --json: $(cat "$TMP/out")"
expect_exit "preview: limit on again" 0 "warn +/etc/systemd/system/docker.service.d/zz-limit.conf:2: StartLimit" \
        "$DRS" preview --root "$root" --iface lo --plain --method dropin
rm "$root/etc/systemd/system/docker.service.d/zz-limit.conf"

# The socket method takes our boot lines out (the drop-in had nothing else: it goes).
apply_m "socket apply" 0 "Files written" socket
[ ! -e "$root/$DI" ] && echo "ok: socket: our service drop-in removed" || fail "socket: $(cat "$root/$DI")"
apply_m "socket again" 6 "Nothing to do" socket

# docker-opts: DOCKER_OPTS, and a drop-in with the boot lines only.
root="$TMP/opts"
make_root debian-plain "$root"
apply_m "docker-opts apply" 0 "Files written" docker-opts
boot_ok "docker-opts: boot lines written"
grep -q '^ExecStart' "$root/$DI" && fail "docker-opts: an ExecStart= override" || echo "ok: docker-opts: no ExecStart="
apply_m "docker-opts again" 6 "Nothing to do" docker-opts

# From dropin to docker-opts: our ExecStart= goes (it would freeze the command line), the boot lines stay.
root="$TMP/opts2"
make_root debian-plain "$root"
apply_m "dropin first" 0 "Files written" dropin
apply_m "then docker-opts" 0 "Files written" docker-opts
grep -q '^ExecStart' "$root/$DI" && fail "dropin -> docker-opts: ExecStart= left: $(cat "$root/$DI")" ||
        echo "ok: dropin -> docker-opts: our ExecStart= removed"
boot_ok "dropin -> docker-opts: boot lines kept"
apply_m "docker-opts again" 6 "Nothing to do" docker-opts

# An earlier version's drop-in (ExecStart= only): the next apply adds the boot lines, then exit 6.
root="$TMP/old"
make_root same-again "$root"
apply_m "migration" 0 "Files written" dropin
boot_ok "migration: boot lines added"
grep -q "Lines other than ExecStart= are yours" "$root/$DI" && fail "migration: the old header stays" ||
        echo "ok: migration: the header names our lines"
apply_m "migration again" 6 "Nothing to do" dropin

# The admin's own lines in override.conf (`systemctl edit docker`): Restart=always, RestartSec=10
# and a start limit of theirs stay byte for byte, ours do not join them for those keys; the
# socket method later takes out only ours (the file stays, with their lines).
root="$TMP/admin"
make_root debian-plain "$root"
mkdir -p "$root/$(dirname "$DI")"
printf '[Unit]\nStartLimitIntervalSec=120\n\n[Service]\nRestart=always\nRestartSec=10\n' > "$root/$DI"
cp "$root/$DI" "$TMP/admin.conf"
apply_m "admin lines: dropin apply" 0 "Files written" dropin
for l in 'StartLimitIntervalSec=120' 'Restart=always' 'RestartSec=10'; do
        grep -qx "$l" "$root/$DI" && echo "ok: admin lines: $l kept" || fail "admin lines: $l lost: $(cat "$root/$DI")"
done
grep -qx 'RestartSec=2s\|Restart=on-failure\|StartLimitIntervalSec=0' "$root/$DI" &&
        fail "admin lines: ours joined theirs: $(cat "$root/$DI")" || echo "ok: admin lines: none of ours for their keys"
expect_exit "admin lines: status says their limit is on" 0 "Late address at boot: .*StartLimitIntervalSec=120" \
        "$DRS" status --root "$root"
apply_m "admin lines: again" 6 "Nothing to do" dropin
apply_m "admin lines: socket apply" 0 "Files written" socket
cmp -s "$root/$DI" "$TMP/admin.conf" && echo "ok: admin lines: the socket method leaves their file as it was" ||
        fail "admin lines: socket: $(diff "$TMP/admin.conf" "$root/$DI")"
finish
