#!/bin/bash
# signals.sh: a change is never cut short by a signal (issue 16 item 16). The test build stops
# itself at each step of apply and rollback on --root trees (DRS_TEST_FAULT=STEP:stop); SIGHUP,
# SIGINT or SIGTERM is sent while it is stopped, then SIGCONT: the transaction runs to its end
# (exit 0, files those of an undisturbed run, no transaction record left) and the signal is said
# on stderr. Then the program with a closed pipe as stdout (`apply | head -1`): exit 0, files
# written, the lost output said at the end.
. "$top_srcdir/tests/cli/lib.sh"
need_test_build
STATE=var/lib/docker-remote-setup
DROPIN=etc/systemd/system/docker.socket.d/override.conf  # the default method here: socket
runs=0

# stopped_pid PID: waits (up to 10 s) until PID is stopped; fails when it ended instead.
wait_stopped() {
        for _ in $(seq 200); do
                [ "$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)" = T ] && return 0
                kill -0 "$1" 2>/dev/null || return 1
                sleep 0.05
        done
        return 1
}

# signalled NAME SIG FAULT DIR ARGS...: the test build on DIR stopped at FAULT, sent SIG, resumed.
# Background jobs of a script ignore SIGINT: env gives them the default actions back.
signalled() {
        local name=$1 sig=$2 fault=$3 dir=$4 pid rc
        shift 4
        env --default-signal=HUP,INT,TERM DRS_TEST_FAULT="$fault:stop" "$DRS_TEST" "$@" --root "$dir" \
                > "$TMP/out" 2> "$TMP/err" &
        pid=$!
        if ! wait_stopped "$pid"; then
                wait "$pid"
                fail "$name: never stopped at $fault (exit $?)"; cat "$TMP/err"
                return 1
        fi
        kill "-$sig" "$pid"
        kill -CONT "$pid"
        wait "$pid"
        rc=$?
        runs=$((runs + 1))
        [ "$rc" -eq 0 ] || { fail "$name: exit $rc, expected 0"; sed 's/^/    /' "$TMP/err"; return 1; }
        grep -q "SIG$sig arrived during the change; it was finished first" "$TMP/err" ||
                { fail "$name: stderr does not say SIG$sig"; sed 's/^/    /' "$TMP/err"; }
        [ ! -e "$dir/$STATE/current.json" ] || fail "$name: the transaction record is left"
        [ -z "$(find "$dir" -name '.#*')" ] || fail "$name: temporary files left"
        return 0
}

# The reference: an undisturbed TLS apply (9 files: the TLS material, then the drop-in), then a
# rollback to the stock state.
make_root debian-plain "$TMP/stock"
cp -a "$TMP/stock" "$TMP/ref"
"$DRS" apply --iface lo --yes --root "$TMP/ref" > /dev/null 2>&1 || fail "reference apply"
[ -f "$TMP/ref/$DROPIN" ] || fail "reference apply wrote no drop-in"
tls_files() { (cd "$1/etc/docker/remote-setup" && find . -type f | sort); }

for sig in HUP INT TERM; do
        steps=(after-backup)
        for n in $(seq 1 9); do steps+=("after-file@$n"); done
        for step in "${steps[@]}"; do
                name="apply, SIG$sig at $step"
                rm -rf "$TMP/t" && cp -a "$TMP/stock" "$TMP/t"
                signalled "$name" "$sig" "$step" "$TMP/t" apply --iface lo --yes || continue
                cmp -s "$TMP/t/$DROPIN" "$TMP/ref/$DROPIN" || fail "$name: the drop-in is not the one of an undisturbed run"
                [ "$(tls_files "$TMP/t")" = "$(tls_files "$TMP/ref")" ] || fail "$name: the TLS files differ"
                echo "ok: $name: completed"
        done
        for step in after-backup after-file@1; do
                name="rollback, SIG$sig at $step"
                rm -rf "$TMP/t" && cp -a "$TMP/stock" "$TMP/t"
                "$DRS" apply --iface lo --plain --yes --root "$TMP/t" > /dev/null 2>&1 || { fail "$name: apply"; continue; }
                id=$(ls "$TMP/t/$STATE/backups" | head -n1)
                signalled "$name" "$sig" "$step" "$TMP/t" rollback --to "$id" --yes || continue
                [ ! -e "$TMP/t/$DROPIN" ] || fail "$name: the drop-in is still there after the rollback"
                echo "ok: $name: completed"
        done
done

# A closed pipe as stdout (what `apply … | head -1` gives once head has gone): SIGPIPE is not
# the default action any more; the change completes and the lost output is said.
rm -rf "$TMP/t" && cp -a "$TMP/stock" "$TMP/t"
python3 -c 'import os, signal, sys
signal.signal(signal.SIGPIPE, signal.SIG_DFL)
r, w = os.pipe(); os.close(r); os.dup2(w, 1)
os.execv(sys.argv[1], sys.argv[1:])' "$DRS" apply --iface lo --plain --yes --root "$TMP/t" 2> "$TMP/err"
rc=$?
runs=$((runs + 1))
if [ "$rc" -ne 0 ]; then fail "apply with a closed pipe as stdout: exit $rc, expected 0"
elif ! grep -q 'the output could not be written (Broken pipe); the command ran to its end' "$TMP/err"; then
        fail "apply with a closed pipe: the lost output is not said"; cat "$TMP/err"
elif ! grep -qx 'ListenStream=127.0.0.1:2375' "$TMP/t/$DROPIN" || [ -e "$TMP/t/$STATE/current.json" ]; then
        fail "apply with a closed pipe: the change is not complete"
else
        echo "ok: apply with a closed pipe as stdout: completed, the lost output said"
fi
echo "signal runs: $runs"
finish
