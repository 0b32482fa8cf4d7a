#!/bin/bash
# wizard-rootless.sh: the wizard and a user's rootless Docker (issue 19) on Debian 13. The user
# alice runs the wizard herself, without sudo: Status shows the system's daemon (preview only for
# her) and offers hers (u); on hers the wizard applies a plain listener through tmux: the Apply
# screen's ticks up to the ping, /_ping from the host at the published address, the Journal
# screen's "API listen on" from her own journal, Confirm keeps it, the hand-off names DOCKER_HOST;
# then TLS, the hand-off naming her client bundle, /_ping with it; root's docker.service is
# untouched (same invocation). Then root, through sudo (SUDO_USER=alice),
# sees both daemons on Status and switches between them (u, d).
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/lib.sh"
. "$here/drs.sh"
e2e_rootless_only
drs_setup --tun wizrl
e2e_assert "rootless Docker set up for user alice" e2e_rootless_setup alice

U=alice IP=$E2E_CT_IP
DROPIN=/home/$U/.config/systemd/user/docker.service.d/docker-remote-setup.conf
TU() { e2e_user_run $U tmux -L wizu -f /dev/null "$@"; }
T() { e2e_run tmux -L wizr -f /dev/null "$@"; }
# The pane of the tmux of $PANE (TU: alice's, T: root's).
PANE=TU
screen() { $PANE capture-pane -p; } # for wait_screen and shot (drs.sh)
root_inv() { e2e_run systemctl show -p InvocationID --value docker.service; }

inv0=$(root_inv)
root0=$(drs_config_hash)

# 1. alice, without sudo: the system's daemon first (preview only), hers offered.
TU new-session -d -x 80 -y 24 "TERM=xterm LANG=C.UTF-8 docker-remote-setup; echo EXIT=\$?; sleep 3600"
e2e_check "Status: the system's daemon" wait_screen "Daemon: +system docker\.service"
e2e_check "preview only on it for alice" wait_screen "preview only: nothing is written"
e2e_check "her rootless daemon offered" wait_screen "u switches to the rootless Docker of $U"
e2e_check "the key bar names the choice" wait_screen "u/d Daemon"
shot status-system
TU send-keys u
e2e_check "u: her daemon" wait_screen "Daemon: +rootless Docker of $U"
e2e_check "changes apply there" wait_screen "rootless: changes apply"
e2e_check "its state read from her manager" wait_screen "docker\.service: +active \(running\)"
shot status-user
TU send-keys Enter
e2e_check "Interface: host0 preselected" wait_screen "^  > host0 +up +$IP +private"
TU send-keys Enter
e2e_check "Port & security: mode and port only" wait_screen "rootlesskit's port driver"
TU send-keys Down
TU send-keys -l plain
e2e_check "plain: the word typed" wait_screen "\[plain +\]"
shot port
TU send-keys Enter
e2e_check "Pre-flight: nothing blocks" wait_screen "Enter shows the files that will be written"
TU send-keys Enter
e2e_check "Preview: her drop-in" wait_screen "docker-remote-setup\.conf \(ne"
TU send-keys Enter
e2e_check "Apply waits for Enter" wait_screen "Enter applies it"
TU send-keys Enter
e2e_check "verified" wait_screen "Verified. Enter shows the journal" 90
shot apply
ticked=$(screen | grep -cE '^ +✔ +[a-z]')
e2e_check "the seven steps up to the ping ticked ($ticked)" test "$ticked" -ge 7
e2e_check "/_ping from the host at $IP:2375 (pending)" e2e_ping_plain "$IP" 2375
e2e_check "the drop-in is hers" test "$(e2e_run stat -c %U "$DROPIN")" = "$U"
TU send-keys Enter
e2e_check "Journal: her daemon's API listen on" wait_screen "API listen on \[::\]:2375"
shot journal
TU send-keys Enter
e2e_check "Confirm counts down" wait_screen "Reverting in [0-9]:[0-9][0-9]"
TU send-keys Enter
e2e_check "Done: kept" wait_screen "Kept: tcp://$IP:2375"
e2e_check "Done: DOCKER_HOST at the published address" wait_screen "DOCKER_HOST=tcp://$IP:2375 docker version"
e2e_check "Done: undo without sudo" wait_screen "Undo later with: docker-remote-setup rollback --user $U"
shot done
TU send-keys Enter
e2e_check "the wizard exits 0" wait_screen "EXIT=0"
e2e_check "the hand-off printed after it closed" wait_screen "^  DOCKER_HOST=tcp://$IP:2375 docker version\$"
TU kill-server
drs status --user $U --json
e2e_check "status --user: nothing pending (kept)" test -z "$(drs_json pending)"
e2e_check "no timer of ours left in her manager" \
	test -z "$(e2e_user_run $U systemctl --user list-units --all --no-legend --plain 'docker-remote-setup-*')"
e2e_check "/_ping still answers after Confirm" e2e_ping_plain "$IP" 2375
e2e_check "root's docker.service untouched (same invocation)" test "$(root_inv)" = "$inv0"
e2e_check "root's files untouched" test "$(drs_config_hash)" = "$root0"

# 2. alice again, TLS (the default) on 2376: the material made for her, the hand-off names her
# client bundle, /_ping with it from the host.
TLSD=/home/$U/.config/docker-remote-setup/tls
K=/proc/$E2E_LEADER/root$TLSD/client
tls_ping() {
	[ "$(curl -sS --noproxy '*' --connect-timeout 3 --max-time 5 --cacert "$K/ca.pem" --cert "$K/cert.pem" \
		--key "$K/key.pem" "https://$IP:2376/_ping" 2>&1)" = OK ]
}
TU new-session -d -x 80 -y 24 "TERM=xterm LANG=C.UTF-8 docker-remote-setup; echo EXIT=\$?; sleep 3600"
e2e_check "TLS: Status" wait_screen "u switches to the rootless Docker of $U"
TU send-keys u
e2e_check "TLS: her daemon, its listener" wait_screen "API listen on \(log\): .*\[::\]:2375"
TU send-keys Enter
e2e_check "TLS: Interface" wait_screen "^  > host0 "
TU send-keys Enter
e2e_check "TLS: Port & security, TLS on 2376" wait_screen "Port +\[2376 +\]"
TU send-keys Enter
e2e_check "TLS: Pre-flight" wait_screen "Enter shows the files that will be written"
TU send-keys Enter
e2e_check "TLS: Preview, the material" wait_screen "TLS material"
TU send-keys Enter
e2e_check "TLS: Apply waits" wait_screen "Enter applies it"
TU send-keys Enter
e2e_check "TLS: verified" wait_screen "Verified. Enter shows the journal" 90
TU send-keys Enter
e2e_check "TLS: Journal" wait_screen "API listen on \[::\]:2376"
TU send-keys Enter
e2e_check "TLS: Confirm" wait_screen "Reverting in [0-9]:[0-9][0-9]"
TU send-keys Enter
e2e_check "TLS: Done: kept" wait_screen "Kept: tcp://$IP:2376"
e2e_check "TLS: Done: DOCKER_TLS_VERIFY and DOCKER_CERT_PATH" \
	wait_screen "DOCKER_HOST=tcp://$IP:2376 DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH="
shot done-tls
TU send-keys Enter
e2e_check "TLS: the wizard exits 0" wait_screen "EXIT=0"
# Printed whole after the wizard closed (the pane wraps it: joined).
handoff_whole() { TU capture-pane -pJ | grep -qF "DOCKER_HOST=tcp://$IP:2376 DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH=$TLSD/client docker version"; }
e2e_check "TLS: the hand-off names her client bundle" handoff_whole
TU kill-server
e2e_check "TLS: /_ping from the host at $IP:2376 with her client bundle" tls_ping
e2e_check "TLS: root's docker.service untouched (same invocation)" test "$(root_inv)" = "$inv0"

# 3. root, through sudo from alice: both daemons, u and d switch.
PANE=T
T new-session -d -x 80 -y 24 "SUDO_USER=$U TERM=xterm LANG=C.UTF-8 docker-remote-setup; echo EXIT=\$?; sleep 3600"
e2e_check "root: the system's daemon first" wait_screen "Daemon: +system docker\.service"
e2e_check "root: changes apply" wait_screen "root: changes apply"
e2e_check "root: alice's offered" wait_screen "u switches to the rootless Docker of $U"
T send-keys u
e2e_check "root, u: alice's daemon" wait_screen "Daemon: +rootless Docker of $U"
e2e_check "root, u: its listener from her journal" wait_screen "API listen on \(log\): .*\[::\]:2376"
shot root-user
T send-keys d
e2e_check "root, d: the system's again" wait_screen "Daemon: +system docker\.service"
T send-keys q
e2e_check "root: quit" wait_screen "EXIT=0"
T kill-server
e2e_check "root's docker.service still untouched" test "$(root_inv)" = "$inv0"
e2e_finish
