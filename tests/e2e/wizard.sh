#!/bin/bash
# wizard.sh: the full interactive path on a real systemd: the wizard, driven through tmux inside the
# container, applies a plain listener; the Journal screen shows "API listen on"; Confirm keeps it.
# A second run whose countdown expires is reverted by the timer.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/lib.sh"
. "$here/drs.sh"
# The wizard suggests host0's own network as the only one allowed (--allow-from, issue 14), which
# systemd enforces with BPF: nspawn's seccomp filter denies bpf() to the container unless asked.
export E2E_NSPAWN_ARGS="--system-call-filter=bpf"
drs_setup wiz hooks
IP=$E2E_CT_IP
T() { e2e_run tmux -L wiz -f /dev/null "$@"; }
screen() { T capture-pane -p; } # for wait_screen and shot (drs.sh)

stock=$(drs_config_hash)
T new-session -d -x 80 -y 24 "TERM=xterm docker-remote-setup; echo EXIT=\$?; sleep 3600"
e2e_check "Status screen" wait_screen "1/9 Status"
e2e_check "root mode" wait_screen "root: changes apply"
T send-keys Enter
e2e_check "Interface: host0 preselected" wait_screen "^  > host0 +up +$IP +private"
T send-keys Enter
e2e_check "Port & security" wait_screen "3/9 Port & security"
T send-keys Down Tab Tab Tab
T send-keys -l plain
T send-keys Enter
e2e_check "Pre-flight" wait_screen "4/9 Pre-flight"
T send-keys Enter
e2e_check "Preview" wait_screen "5/9 Preview"
T send-keys Enter
e2e_check "Apply screen waits for Enter" wait_screen "Enter applies it"
T send-keys Enter
e2e_check "verified" wait_screen "Verified. Enter shows the journal" 60
shot apply
net=${IP%.*}.$(( ${IP##*.} & ~3 ))
e2e_check "only host0's network ($net/30) may connect" \
	e2e_run grep -qxF "IPAddressAllow=$net/30 localhost" /etc/systemd/system/docker.socket.d/override.conf
# The seven steps from the backup to the ping are done (the eighth, keep, waits for Confirm).
ticked=$(screen | grep -cE '^ +✔ +[a-z]')
e2e_check "the seven steps up to the ping ticked ($ticked)" test "$ticked" -ge 7
T send-keys Enter
e2e_check "Journal shows API listen on" wait_screen "API listen on $IP:2375"
shot journal
T send-keys Enter
e2e_check "Confirm counts down" wait_screen "Reverting in [0-9]:[0-9][0-9]"
shot confirm
e2e_check "listening while pending" e2e_ping_plain "$IP" 2375
T send-keys +
e2e_check "+ gives one more minute" wait_screen "One more minute"
e2e_check "the countdown moved past 2:00" wait_screen "Reverting in 2:[3-5][0-9]"
e2e_check "the new deadline timer runs, the old one is gone" \
	bash -c "[ \"\$(nsenter -t $E2E_LEADER -a systemctl list-units --no-legend --plain 'docker-remote-setup-deadline-*.timer' | cut -d' ' -f1)\" = docker-remote-setup-deadline-$(e2e_run sh -c 'ls /var/lib/docker-remote-setup/backups | tail -n1')-2.timer ]"
T send-keys +
e2e_check "and once more (a third timer name)" wait_screen "Reverting in 3:[3-5][0-9]"
T send-keys Enter
e2e_check "Done: kept" wait_screen "Kept: tcp://$IP:2375"
shot done
e2e_check "no timer left" test -z "$(e2e_run systemctl list-units --all --no-legend 'docker-remote-setup-*')"
e2e_check "confirm recorded" test -n "$(e2e_run journalctl -q MESSAGE_ID=039db95200024a59ab008626759e8ccd -o cat)"
e2e_check "Done: the hand-off to copy is announced" wait_screen "printed again when the wizard closes"
T send-keys Enter
e2e_check "the wizard exits 0" wait_screen "EXIT=0"
e2e_check "the hand-off is printed after the wizard closed" wait_screen "^  export DOCKER_HOST=tcp://$IP:2375\$"
T kill-server
kept=$(drs_config_hash)

# Second run: another port, and nobody confirms.
T new-session -d -x 80 -y 24 "TERM=xterm docker-remote-setup --confirm-timeout 15; echo EXIT=\$?; sleep 3600"
e2e_check "Status again" wait_screen "1/9 Status"
e2e_check "Status shows the listener" wait_screen "TCP listeners: +$IP:2375"
T send-keys Enter
wait_screen "2/9 Interface" >/dev/null
T send-keys Enter
wait_screen "3/9 Port" >/dev/null
T send-keys Down Tab BSpace BSpace BSpace BSpace
T send-keys -l 2380
T send-keys Tab Tab
T send-keys -l plain
T send-keys Enter
wait_screen "4/9 Pre-flight" >/dev/null
T send-keys Enter
wait_screen "5/9 Preview" >/dev/null
T send-keys Enter
wait_screen "Enter applies it" >/dev/null
T send-keys Enter
e2e_check "second change verified" wait_screen "Verified. Enter shows the journal" 60
T send-keys Enter
wait_screen "7/9 Journal" >/dev/null
T send-keys Enter
e2e_check "countdown from 0:1x" wait_screen "Reverting in 0:1[0-9]"
e2e_check "the countdown ends in a revert" wait_screen "Not confirmed in time" 60
shot expired
e2e_check "files as after the first run" test "$(drs_config_hash)" = "$kept"
e2e_check "2375 answers again" e2e_wait_for -t 20 e2e_ping_plain "$IP" 2375
e2e_check "2380 is gone" drs_not curl -s -m 2 "http://$IP:2380/_ping"
T send-keys Enter
e2e_check "exit code 5 (rolled back)" wait_screen "EXIT=5"
T kill-server
e2e_check "the stock files differ from the kept ones (sanity)" test "$stock" != "$kept"

# An apply killed after arming its timer: the wizard offers to complete or roll back.
drs DRS_TEST_FAULT=after-timer:kill apply --iface host0 --plain --port 2390 --yes
drs_expect 137 "an apply killed after arming the timer"
T new-session -d -x 80 -y 24 "TERM=xterm docker-remote-setup; echo EXIT=\$?; sleep 3600"
e2e_check "the dialog offers completion or rollback" wait_screen "An interrupted change was found"
shot interrupted
T send-keys c
e2e_check "completed and verified" wait_screen "The interrupted change was completed and verified" 60
e2e_check "the Status screen shows the new listener" wait_screen "TCP listeners: +$IP:2390"
e2e_check "2390 answers" e2e_ping_plain "$IP" 2390
e2e_check "no timer left after completing" test -z "$(e2e_run systemctl list-units --all --no-legend 'docker-remote-setup-*')"
T send-keys q
e2e_check "quit" wait_screen "EXIT=0"
T kill-server
e2e_finish
