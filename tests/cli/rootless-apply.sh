#!/bin/bash
# rootless-apply.sh: `apply --user NAME` (issue 19) under a root (no systemd: the files are the
# change): the drop-in preview --user shows, written as the user's (0644, its owner, the
# directory made for it too), the backup set in the user's state directory
# (HOME/.local/state/docker-remote-setup, 0700, the user's), nothing in root's; a second apply
# does nothing; rollback --list/--to --user put the user's files back byte for byte; the
# refusals (no setup, a port < 1024) change nothing; --tls: the material in the user's tls_dir.
. "$top_srcdir/tests/cli/lib.sh"

R=$TMP/root
H=$R/home/alice/.config/systemd/user
rootless_tree "$R"
me=$(id -u)
[ "$me" = 0 ] && chown -R 1000:1000 "$R/home/alice"
hash() { (cd "$R" && find . -path ./home/alice/.local -prune -o -printf '%p %u %m %s\n' -type f -exec sha256sum {} \; | sort | sha256sum); }
before=$(hash)

expect_exit "status --user alice before any apply" 0 'backups: 0 in /home/alice/.local/state/docker-remote-setup' \
        "$DRS" status --root "$R" --user alice
expect_exit "no rootless setup" 4 'user bob has no rootless Docker' \
        "$DRS" apply --root "$R" --user bob --iface lo --plain --yes
grep -qF 'nothing was changed' "$TMP/out" || fail "bob: nothing was changed"
expect_exit "a port < 1024" 4 'port 80 is below 1024' "$DRS" apply --root "$R" --user alice --iface lo --plain --port 80 --yes
expect_exit "without --yes" 2 'add --yes' "$DRS" apply --root "$R" --user alice --iface lo --plain
[ "$(hash)" = "$before" ] || fail "a refusal changed the tree"
[ -e "$R/home/alice/.local" ] && fail "a refusal made the user's state directory"

expect_exit "preview --user --json" 0 '"dropin_new"' "$DRS" preview --root "$R" --user alice --iface lo --plain --json
python3 -c 'import json,sys; sys.stdout.write(json.load(open(sys.argv[1]))["dropin_new"])' "$TMP/out" >"$TMP/want"
expect_exit "apply --user alice" 0 'Files written \(backup [0-9-]+\)' \
        "$DRS" apply --root "$R" --user alice --iface lo --plain --yes
id=$(sed -n 's/.*Files written (backup \([0-9-]*\)).*/\1/p' "$TMP/out")
D=$H/docker.service.d/docker-remote-setup.conf
cmp -s "$D" "$TMP/want" || fail "the drop-in written is not the one preview --user shows"
S=$R/home/alice/.local/state/docker-remote-setup
[ -f "$S/backups/$id/manifest.json" ] || fail "the backup set $id is not in the user's state directory"
[ -e "$R/var/lib/docker-remote-setup" ] && fail "root's state directory was used"
[ "$(stat -c %a "$D")" = 644 ] || fail "the drop-in's mode: $(stat -c %a "$D")"
[ "$(stat -c %a "$S" "$S/backups" | tr '\n' ' ')" = "700 700 " ] || fail "the state directories are not 0700"
if [ "$me" = 0 ]; then
        for f in "$D" "$H/docker.service.d" "$R/home/alice/.local" "$R/home/alice/.local/state" "$S" "$S/backups" \
                "$S/backups/$id" "$S/backups/$id/manifest.json" "$S/lock"; do
                [ "$(stat -c %u:%g "$f")" = 1000:1000 ] || fail "$f is not alice's: $(stat -c %u:%g "$f")"
        done
fi
expect_exit "status --user alice: its backups" 0 'backups: 1 in /home/alice/.local/state/docker-remote-setup' \
        "$DRS" status --root "$R" --user alice
grep -q 'pending:' "$TMP/out" && fail "status --user: nothing is pending"
expect_exit "apply --user alice again" 6 'Nothing to do' "$DRS" apply --root "$R" --user alice --iface lo --plain --yes
expect_exit "rollback --list --user alice" 0 "$id .*written" "$DRS" rollback --root "$R" --user alice --list
expect_exit "rollback --to --user alice" 0 'backup' "$DRS" rollback --root "$R" --user alice --to "$id" --yes
[ "$(hash)" = "$before" ] || fail "rollback --to did not put the user's files back byte for byte"
[ -e "$H/docker.service.d" ] && fail "the directory apply made is still there"

# TLS: the material in the user's tls_dir, keys 0600, all the user's; the drop-in names it; kept
# by a second apply; rollback --to removes all of it.
T=$R/home/alice/.config/docker-remote-setup/tls
expect_exit "apply --user alice --tls" 0 'DOCKER_CERT_PATH=/home/alice/.config/docker-remote-setup/tls/client' \
        "$DRS" apply --root "$R" --user alice --iface lo --tls --yes
tid=$(sed -n 's/.*Files written (backup \([0-9-]*\)).*/\1/p' "$TMP/out")
for f in ca.pem:644 ca-key.pem:600 server-cert.pem:644 server-key.pem:600 client/ca.pem:644 client/cert.pem:644 client/key.pem:600; do
        [ "$(stat -c %a "$T/${f%:*}" 2>/dev/null)" = "${f#*:}" ] || fail "$T/${f%:*}: mode $(stat -c %a "$T/${f%:*}" 2>&1), expected ${f#*:}"
        [ "$me" = 0 ] && { [ "$(stat -c %u:%g "$T/${f%:*}")" = 1000:1000 ] || fail "$T/${f%:*} is not alice's"; }
done
cmp -s "$T/ca.pem" "$T/client/ca.pem" || fail "the client's CA is not the server's"
grep -qF -- "--tlsverify --tlscacert=/home/alice/.config/docker-remote-setup/tls/ca.pem" "$D" || fail "the TLS drop-in"
grep -q 'BEGIN CERTIFICATE' "$T/server-cert.pem" || fail "no server certificate"
sum=$(cat "$T"/*.pem "$T"/client/*.pem | sha256sum)
expect_exit "apply --user alice --tls again: the material kept" 6 'Nothing to do' \
        "$DRS" apply --root "$R" --user alice --iface lo --tls --yes
[ "$(cat "$T"/*.pem "$T"/client/*.pem | sha256sum)" = "$sum" ] || fail "a second apply replaced the material"
# Material that is not whole is not kept: new material replaces all of it, the old backed up.
expect_exit "preview --user alice --tls: kept" 0 "TLS material in /home/alice/.config/docker-remote-setup/tls is valid for this address until [0-9-]+; it is kept" \
        "$DRS" preview --root "$R" --user alice --iface lo --tls
rm "$T/client/key.pem"
sum1=$(cat "$T"/*.pem "$T"/client/*.pem | sha256sum)
expect_exit "preview --user alice --tls, a key missing" 0 'cannot be kept: some of its files are missing; new material replaces it' \
        "$DRS" preview --root "$R" --user alice --iface lo --tls
expect_exit "apply --user alice --tls, a key missing: new material" 0 'Files written' \
        "$DRS" apply --root "$R" --user alice --iface lo --tls --yes
rid=$(sed -n 's/.*Files written (backup \([0-9-]*\)).*/\1/p' "$TMP/out")
[ -f "$T/client/key.pem" ] || fail "the missing key was not made again"
cmp -s "$T/ca.pem" "$T/client/ca.pem" || fail "the new client bundle's CA is not the new CA"
expect_exit "rollback --to the replacement" 0 'backup' "$DRS" rollback --root "$R" --user alice --to "$rid" --yes
[ "$(cat "$T"/*.pem "$T"/client/*.pem | sha256sum)" = "$sum1" ] || fail "rollback --to did not put the old material back"
[ -e "$T/client/key.pem" ] && fail "rollback --to made a key that was not there"
expect_exit "rollback --to the TLS apply" 0 'backup' "$DRS" rollback --root "$R" --user alice --to "$tid" --yes
[ "$(hash)" = "$before" ] || fail "rollback --to did not remove the TLS material and drop-in byte for byte"
[ -e "$R/home/alice/.config/docker-remote-setup" ] && fail "the directories made for the material are still there"
expect_exit "confirm --user alice: nothing pending" 4 '' "$DRS" confirm --root "$R" --user alice
expect_exit "--user on client-cert" 2 'option --user does not apply to "client-cert"' \
        "$DRS" client-cert alice --root "$R" --user alice
finish
