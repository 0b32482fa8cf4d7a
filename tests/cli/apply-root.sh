#!/bin/bash
# apply-root.sh: apply on a --root tree (no systemd involved): three changes in a row, then a
# rollback to before the first leaves the tree exactly as it was (our state directory aside).
. "$top_srcdir/tests/cli/lib.sh"

root="$TMP/root"
make_root debian-plain "$root"
config_hash() { (cd "$root" && find . -path ./var -prune -o -printf '%p %y %m %l\n' | sort &&
                 find . -path ./var -prune -o -type f -print0 | sort -z | xargs -0r sha256sum) | sha256sum; }
before=$(config_hash)

id_of() { python3 -c 'import json,sys; print(json.load(sys.stdin)["backup_id"])'; }
expect_exit "TLS apply" 0 '"outcome": "written"' "$DRS" apply --root "$root" --iface lo --yes --json
first=$(id_of < "$TMP/out")
expect_exit "same again: nothing to do" 6 '"outcome": "nothing"' "$DRS" apply --root "$root" --iface lo --yes --json
expect_exit "plain on 2380" 0 "Files written" "$DRS" apply --root "$root" --iface lo --plain --port 2380 --yes
expect_exit "DOCKER_OPTS method" 0 "Files written" "$DRS" apply --root "$root" --iface lo --plain --method docker-opts --yes
grep -q 'DOCKER_OPTS="-H tcp://127.0.0.1:2375 --tls=false"' "$root/etc/default/docker" && echo "ok: DOCKER_OPTS written" ||
        fail "DOCKER_OPTS not written"
expect_exit "history" 0 "$first .*kept|$first .*written" "$DRS" rollback --root "$root" --list
expect_exit "rollback to before the first" 0 "Files written" "$DRS" rollback --root "$root" --to "$first" --yes
[ "$(config_hash)" = "$before" ] && echo "ok: the tree is as it was" || {
        fail "the tree differs from before the first apply"
        (cd "$root" && find . -path ./var/lib -prune -o -newer "$top_srcdir/configure.ac" -print) | head
}
[ "$(stat -c %a "$root/var/lib/docker-remote-setup")" = 700 ] && echo "ok: state directory 0700" || fail "state dir mode"
bad=$(find "$root/var/lib/docker-remote-setup/backups" -type f ! -perm 600)
[ -z "$bad" ] && echo "ok: every backup file 0600" || fail "backup files not 0600: $bad"

# DRS_TRACE=maps (bench/README.md): memory figures on each trace line, which file grew after
# the TLS generation (GnuTLS), and bench/rss-by-file.py reads it.
rm -rf "$root/etc/docker/remote-setup"
DRS_TRACE=maps "$DRS" apply --root "$root" --iface lo --port 2381 --yes > /dev/null 2> "$TMP/trace" || fail "apply with DRS_TRACE=maps"
grep -Eq '^drs-trace [0-9]+ [0-9]+ apply: TLS material generated rss=[1-9][0-9]* hwm=[1-9][0-9]* pss=[1-9][0-9]* dirty=[1-9][0-9]*$' "$TMP/trace" &&
        echo "ok: DRS_TRACE=maps: rss, hwm, pss, dirty" || { fail "DRS_TRACE=maps: no memory figures"; head -n 5 "$TMP/trace"; }
sed -n '/TLS material generated/,/^drs-trace/p' "$TMP/trace" | grep -Eq '^  maps \+[1-9][0-9]* r-xp .*/libgnutls\.so' &&
        echo "ok: DRS_TRACE=maps: the key generation grew GnuTLS's code" || fail "DRS_TRACE=maps: no growth of libgnutls after the TLS generation"
python3 "$top_srcdir/bench/rss-by-file.py" "$TMP/trace" 3 > "$TMP/byfile" 2>&1 &&
        grep -q '^at "apply: TLS material generated": [0-9]* KiB resident' "$TMP/byfile" && grep -q 'libgnutls' "$TMP/byfile" &&
        echo "ok: rss-by-file.py sums it up" || { fail "rss-by-file.py"; cat "$TMP/byfile"; }
finish
