#!/bin/bash
# signal.sh: SIGTERM to the wizard while it applies (issue 16 item 16): the test build stops
# itself after the backup, SIGTERM then SIGCONT: the change is written to its end (no transaction
# record left), then the wizard quits with the terminal given back (canonical mode again).
. "$top_srcdir/tests/cli/lib.sh"
. "$top_srcdir/tests/tui/lib.sh"
need_netns
need_test_build
STATE=var/lib/docker-remote-setup

root="$TMP/root"
make_root debian-plain "$root"
tui_start "${NETNS[@]}" env LANG=C.UTF-8 TERM=xterm NO_COLOR= DRS_TEST_FAULT=after-backup:stop \
        sh -c '"$0" --root "$1"; echo "EXIT=$?"; stty -a | grep -o " -\?icanon"' "$DRS_TEST" "$root"
tui_step "Status" -- "1/9 Status"
tui_step "Interface" Enter -- "2/9 Interface"
tui_check "eth1 preselected" "^  > eth1 +up +10\.0\.0\.5"
tui_step "Port & security" Enter -- "3/9 Port & security"
tui_keys Down Tab Tab Tab
tui_type plain
tui_step "Pre-flight" Enter -- "4/9 Pre-flight"
tui_step "Preview" Enter -- "5/9 Preview"
tui_step "Apply waits for Enter" Enter -- "Enter applies it"
tui_keys Enter
pid=
for _ in $(seq 100); do
        for p in $(pgrep -x docker-remote-s); do [ "$(awk '{ print $3 }' "/proc/$p/stat")" = T ] && pid=$p; done
        [ -n "$pid" ] && break
        sleep 0.1
done
if [ -z "$pid" ]; then
        fail "the wizard did not stop after the backup"; tui_screen | sed 's/^/    |/'
else
        kill -TERM "$pid"
        kill -CONT "$pid"
        tui_step "the wizard quits after the change" -- "EXIT=[0-9]+"
        tui_check "the terminal is given back (icanon)" "^ icanon"
        # The default method here (docker.socket activates dockerd): the socket drop-in.
        grep -qx 'ListenStream=10.0.0.5:2375' "$root/etc/systemd/system/docker.socket.d/override.conf" &&
                echo "ok: the socket drop-in was written" || fail "the socket drop-in was not written"
        [ ! -e "$root/$STATE/current.json" ] && echo "ok: no transaction record left" ||
                fail "the transaction record is left: the change stopped half-way"
fi
finish
