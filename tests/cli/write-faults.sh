#!/bin/bash
# write-faults.sh: apply and rollback --to on --root trees, with each write failing in turn (ENOSPC,
# EIO, EACCES; configuration files and our own state) and with the tool killed at each step and
# half-way through each write: a clear message and exit 1 (137 for a kill), every configuration
# file byte-identical to its old or its new version, no temporary file left, and the next run
# repairing whatever an interrupted run left. Prints the number of fault points at the end.
. "$top_srcdir/tests/cli/lib.sh"
need_test_build

STATE=var/lib/docker-remote-setup
points=0

# conf_hash DIR: one hash over the files and symlinks of DIR (path, mode, content), our state
# directory aside. Directories do not count: rollback --to leaves the empty drop-in directory an
# apply created (it has no record of it).
conf_hash() {
        (cd "$1" && find . -path "./$STATE" -prune -o ! -type d -printf '%p %y %m %l\n' | sort &&
                find . -path "./$STATE" -prune -o -type f -print0 | sort -z | xargs -0r sha256sum) |
                sha256sum | cut -d' ' -f1
}

# version DIR PATH: "absent", or the mode and hash of the file.
version() {
        if [ -e "$1/$2" ] || [ -L "$1/$2" ]; then
                printf '%s %s' "$(stat -c %a "$1/$2")" "$(sha256sum < "$1/$2" | cut -d' ' -f1)"
        else
                echo absent
        fi
}

# old_or_new NAME DIR OLD NEW: each file of the three trees (state directory aside) is in DIR as it
# is in OLD or as it is in NEW, never anything else (half-written, a mix of both). The temporary
# file of a write cut short does not count: the next run removes it.
old_or_new() {
        local name=$1 dir=$2 old=$3 new=$4 p bad=0
        while read -r p; do
                local v
                v=$(version "$dir" "$p")
                if [ "$v" != "$(version "$old" "$p")" ] && [ "$v" != "$(version "$new" "$p")" ]; then
                        fail "$name: $p is neither the old nor the new version"
                        bad=1
                fi
        done < <(for t in "$dir" "$old" "$new"; do
                (cd "$t" && find . -path "./$STATE" -prune -o -type f ! -name '.#*' -print)
        done | sort -u)
        return $bad
}

no_temp_files() {
        local left
        left=$(find "$2" -name '.#*')
        [ -z "$left" ] || { fail "$1: temporary files left: $left"; return 1; }
}

# run DIR FAULT ARGS...: the test build on DIR with DRS_TEST_FAULT=FAULT; output in $TMP/out, exit in $rc.
run() {
        local dir=$1 fault=$2
        shift 2
        DRS_TEST_FAULT=$fault "$DRS_TEST" "$@" --root "$dir" > "$TMP/out" 2>&1
        rc=$?
}

# ----------------------------------------------------------------------------- the trees
# plain: stock Debian, plain TCP on lo (deterministic: "new" is known byte for byte).
# hosts: daemon.json with "hosts": an existing file is rewritten, then a new one written.
# tls: stock Debian with TLS: seven key and certificate files, then the drop-in.
APPLY_plain="apply --iface lo --plain --yes"
APPLY_hosts="apply --iface lo --plain --yes --method dropin"
APPLY_tls="apply --iface lo --yes"
make_root debian-plain "$TMP/plain.old"
make_root daemon-json-hosts "$TMP/hosts.old"
make_root debian-tls "$TMP/tls.old"
for t in plain hosts; do
        cp -a "$TMP/$t.old" "$TMP/$t.new"
        # shellcheck disable=SC2046
        "$DRS" $(eval echo "\$APPLY_$t") --root "$TMP/$t.new" > "$TMP/out" 2>&1 || { cat "$TMP/out"; fail "$t: reference apply"; }
done

# fresh T NAME: a copy of tree T's old state in $TMP/NAME.
fresh() { rm -rf "${TMP:?}/$2"; cp -a "$TMP/$1.old" "$TMP/$2"; }

# ----------------------------------------------------------------------------- write failures
# write_failures TREE KIND: KIND "write" (configuration files) or "state-write" (backups, record),
# @1, @2, … until the apply no longer meets the Nth write. Each: exit 1 with the errno's text and
# nothing changed; or, for the last state writes (the result noted in the manifest), exit 0 with
# every file new; no temporary file; the next run works.
write_failures() {
        local tree=$1 kind=$2 n action want
        local -a apply
        read -r -a apply <<< "$(eval echo "\$APPLY_$tree")"
        for action in enospc eio eacces; do
                case $action in
                enospc) want="No space left on device" ;;
                eio) want="Input/output error" ;;
                eacces) want="Permission denied" ;;
                esac
                for n in $(seq 1 30); do
                        fresh "$tree" f
                        run "$TMP/f" "$kind@$n:$action" "${apply[@]}"
                        if [ "$rc" -eq 0 ] && ! grep -q "$want" "$TMP/out"; then
                                break # fewer than n writes of this kind
                        fi
                        points=$((points + 1))
                        local name="$tree $kind@$n:$action"
                        if [ "$rc" -eq 1 ]; then
                                grep -q "$want" "$TMP/out" || fail "$name: message lacks \"$want\": $(cat "$TMP/out")"
                                grep -qE '^docker-remote-setup: /' "$TMP/out" ||
                                        fail "$name: the message names no file: $(cat "$TMP/out")"
                                [ "$(conf_hash "$TMP/f")" = "$(conf_hash "$TMP/$tree.old")" ] ||
                                        fail "$name: a configuration file changed"
                        elif [ "$rc" -eq 0 ] && [ "$kind" = state-write ]; then
                                # Only noting the result failed: the change itself is complete.
                                [ "$tree" = tls ] || [ "$(conf_hash "$TMP/f")" = "$(conf_hash "$TMP/$tree.new")" ] ||
                                        fail "$name: exit 0 but not the new files"
                        else
                                fail "$name: exit $rc"
                                sed 's/^/    /' "$TMP/out"
                        fi
                        no_temp_files "$name" "$TMP/f"
                        [ -e "$TMP/f/$STATE/current.json" ] && fail "$name: the transaction record is left"
                        run "$TMP/f" "" "${apply[@]}"
                        [ "$rc" -eq 0 ] || [ "$rc" -eq 6 ] || fail "$name: the next apply: exit $rc"
                        grep -q "interrupted change" "$TMP/out" && fail "$name: the next apply found an interrupted change"
                        [ "$tree" = tls ] || [ "$(conf_hash "$TMP/f")" = "$(conf_hash "$TMP/$tree.new")" ] ||
                                fail "$name: the next apply did not give the new files"
                done
                echo "ok: $tree: $kind failures ($action) at each of $((n - 1)) writes"
        done
}
for t in plain hosts tls; do
        write_failures "$t" write
        write_failures "$t" state-write
done

# A file cannot be put back either (the disk stays full): the message says so, the record stays,
# and the next run puts it back. In "hosts", write 1 rewrites daemon.json, write 2 (the drop-in)
# fails, write 3 would put daemon.json back.
fresh hosts f
run "$TMP/f" "write@2:enospc,write@3:enospc" $APPLY_hosts
points=$((points + 1))
[ "$rc" -eq 1 ] || fail "restore fails too: exit $rc"
grep -q "putting the files back failed as well" "$TMP/out" || fail "restore fails too: message: $(cat "$TMP/out")"
old_or_new "restore fails too" "$TMP/f" "$TMP/hosts.old" "$TMP/hosts.new"
no_temp_files "restore fails too" "$TMP/f"
run "$TMP/f" "" status
grep -qE "Pending: +backup .*interrupted" "$TMP/out" || fail "restore fails too: status shows no interrupted change: $(cat "$TMP/out")"
run "$TMP/f" "" $APPLY_hosts
[ "$rc" -eq 0 ] && grep -q "An interrupted change .* was found and reverted first" "$TMP/out" ||
        fail "restore fails too: the next apply: exit $rc: $(cat "$TMP/out")"
[ "$(conf_hash "$TMP/f")" = "$(conf_hash "$TMP/hosts.new")" ] || fail "restore fails too: not the new files at the end"
echo "ok: a failed restore is finished by the next run"

# ----------------------------------------------------------------------------- kills
# kill_at TREE FAULT: SIGKILL at that point; every file old or new, status shows the interrupted
# change (when the record was written), the next apply reverts it first and ends with the new files.
kill_at() {
        local tree=$1 fault=$2 name="$1 $2:kill"
        local -a apply
        read -r -a apply <<< "$(eval echo "\$APPLY_$tree")"
        fresh "$tree" k
        run "$TMP/k" "$fault:kill" "${apply[@]}"
        if [ "$rc" -eq 0 ]; then
                return 1 # the point was not reached
        fi
        points=$((points + 1))
        [ "$rc" -eq 137 ] || { fail "$name: exit $rc, expected 137"; sed 's/^/    /' "$TMP/out"; }
        old_or_new "$name" "$TMP/k" "$TMP/$tree.old" "$TMP/$tree.new"
        local record=no
        [ -e "$TMP/k/$STATE/current.json" ] && record=yes
        run "$TMP/k" "" status
        if [ "$record" = yes ]; then
                grep -qE "Pending: +backup .*interrupted" "$TMP/out" || fail "$name: status: $(cat "$TMP/out")"
        fi
        run "$TMP/k" "" "${apply[@]}"
        [ "$rc" -eq 0 ] || fail "$name: the next apply: exit $rc: $(cat "$TMP/out")"
        if [ "$record" = yes ]; then
                grep -q "An interrupted change .* was found and reverted first" "$TMP/out" ||
                        fail "$name: the next apply did not repair first: $(cat "$TMP/out")"
        fi
        [ "$(conf_hash "$TMP/k")" = "$(conf_hash "$TMP/$tree.new")" ] || fail "$name: not the new files at the end"
        no_temp_files "$name" "$TMP/k"
        [ -z "$(find "$TMP/k/$STATE/backups" -mindepth 1 -maxdepth 1 -type d '!' -exec test -e '{}/manifest.json' ';' -print)" ] ||
                fail "$name: a backup set without its manifest is left"
        return 0
}
for t in plain hosts; do
        kill_at "$t" after-backup
        for kind in mid-write after-file state-mid-write; do
                for n in $(seq 1 10); do kill_at "$t" "$kind@$n" || break; done
        done
        echo "ok: $t: killed at each step of apply"
done

# ----------------------------------------------------------------------------- rollback --to
# From the applied "hosts" tree back to before it: each write failing, and killed at each step.
rollback_faults() {
        local id n action fault
        id=$(ls "$TMP/hosts.new/$STATE/backups" | head -n1)
        for action in enospc eio eacces kill; do
                for kind in write state-write mid-write after-file; do
                        [ "$action" = kill ] || [ "$kind" = write ] || [ "$kind" = state-write ] || continue
                        [ "$action" != kill ] || [ "$kind" = mid-write ] || [ "$kind" = after-file ] || continue
                        for n in $(seq 1 10); do
                                rm -rf "$TMP/r"
                                cp -a "$TMP/hosts.new" "$TMP/r"
                                fault="$kind@$n:$action"
                                run "$TMP/r" "$fault" rollback --to "$id" --yes
                                [ "$rc" -eq 0 ] && break
                                points=$((points + 1))
                                local name="rollback --to, $fault"
                                if [ "$action" = kill ]; then
                                        [ "$rc" -eq 137 ] || fail "$name: exit $rc"
                                        old_or_new "$name" "$TMP/r" "$TMP/hosts.new" "$TMP/hosts.old"
                                else
                                        [ "$rc" -eq 1 ] || { fail "$name: exit $rc"; sed 's/^/    /' "$TMP/out"; }
                                        [ "$(conf_hash "$TMP/r")" = "$(conf_hash "$TMP/hosts.new")" ] ||
                                                fail "$name: a configuration file changed"
                                fi
                                [ "$action" = kill ] || no_temp_files "$name" "$TMP/r"
                                run "$TMP/r" "" rollback --to "$id" --yes
                                [ "$rc" -eq 0 ] || fail "$name: the next rollback: exit $rc: $(cat "$TMP/out")"
                                no_temp_files "$name" "$TMP/r"
                                [ "$(conf_hash "$TMP/r")" = "$(conf_hash "$TMP/hosts.old")" ] ||
                                        fail "$name: the next rollback did not give the old files"
                        done
                done
        done
        # Killed after the backup of the rollback: the next run reverts the rollback, then rolls back.
        rm -rf "$TMP/r"
        cp -a "$TMP/hosts.new" "$TMP/r"
        run "$TMP/r" after-backup:kill rollback --to "$id" --yes
        points=$((points + 1))
        [ "$rc" -eq 137 ] || fail "rollback after-backup: exit $rc"
        run "$TMP/r" "" rollback --to "$id" --yes
        { [ "$rc" -eq 0 ] && grep -q "An interrupted change .* was found and reverted first" "$TMP/out"; } ||
                fail "rollback after-backup: the next rollback: exit $rc: $(cat "$TMP/out")"
        [ "$(conf_hash "$TMP/r")" = "$(conf_hash "$TMP/hosts.old")" ] || fail "rollback after-backup: not the old files"
        echo "ok: rollback --to: each write failing, killed at each step"
}
rollback_faults

# ----------------------------------------------------------------------------- directories
# dirs DIR: the directories of DIR (conf_hash does not see them), our state directory and the
# directories above it aside (made for it, and kept).
dirs() { (cd "$1" && find . -path "./$STATE" -prune -o -type d -print | grep -vx -e ./var -e ./var/lib | sort); }

# Killed while the TLS apply makes its directories (remote-setup, client, docker.service.d) and
# writes into them, then `recover`: the directories are those of before, none left empty. Each
# is in the transaction record before it is made.
dir_kills=0
for kind in mid-write after-file state-mid-write; do
        for n in $(seq 1 20); do
                fresh tls k
                run "$TMP/k" "$kind@$n:kill" $APPLY_tls
                [ "$rc" -eq 0 ] && break
                dir_kills=$((dir_kills + 1))
                name="tls $kind@$n:kill, then recover"
                [ "$rc" -eq 137 ] || fail "$name: exit $rc"
                run "$TMP/k" "" recover
                [ "$rc" -eq 0 ] || [ "$rc" -eq 6 ] || fail "$name: recover: exit $rc: $(cat "$TMP/out")"
                [ "$(dirs "$TMP/k")" = "$(dirs "$TMP/tls.old")" ] ||
                        fail "$name: directories left: $(diff <(dirs "$TMP/tls.old") <(dirs "$TMP/k") | grep '^>' | tr '\n' ' ')"
                [ "$(conf_hash "$TMP/k")" = "$(conf_hash "$TMP/tls.old")" ] || fail "$name: not the old files"
        done
done
points=$((points + dir_kills))
echo "ok: TLS apply killed at $dir_kills points, then recover: no directory left behind"

# rollback --to killed while it removes the directories the apply made: the record still exists,
# so recover puts the applied state back (files and their directories), nothing half-removed.
cp -a "$TMP/tls.old" "$TMP/tls.new"
"$DRS" $APPLY_tls --root "$TMP/tls.new" > "$TMP/out" 2>&1 || fail "tls: reference apply: $(cat "$TMP/out")"
id=$(ls "$TMP/tls.new/$STATE/backups" | head -n1)
rmdir_kills=0
for n in $(seq 1 10); do
        rm -rf "$TMP/r"
        cp -a "$TMP/tls.new" "$TMP/r"
        run "$TMP/r" "during-rmdir@$n:kill" rollback --to "$id" --yes
        [ "$rc" -eq 0 ] && break
        rmdir_kills=$((rmdir_kills + 1))
        name="rollback --to, during-rmdir@$n:kill, then recover"
        [ "$rc" -eq 137 ] || fail "$name: exit $rc"
        [ -e "$TMP/r/$STATE/current.json" ] || fail "$name: no transaction record while directories are removed"
        run "$TMP/r" "" recover
        [ "$rc" -eq 0 ] || fail "$name: recover: exit $rc: $(cat "$TMP/out")"
        [ "$(dirs "$TMP/r")" = "$(dirs "$TMP/tls.new")" ] && [ "$(conf_hash "$TMP/r")" = "$(conf_hash "$TMP/tls.new")" ] ||
                fail "$name: not the applied state"
        run "$TMP/r" "" rollback --to "$id" --yes
        [ "$rc" -eq 0 ] && [ "$(dirs "$TMP/r")" = "$(dirs "$TMP/tls.old")" ] ||
                fail "$name: the next rollback: exit $rc, directories: $(dirs "$TMP/r" | tr '\n' ' ')"
done
[ "$rmdir_kills" -gt 0 ] || fail "rollback --to: the during-rmdir point was never reached"
points=$((points + rmdir_kills))
echo "ok: rollback --to killed at each of $rmdir_kills directory removals, then recover"

echo "fault points exercised on --root trees: $points"
finish
