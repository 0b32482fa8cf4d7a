#!/bin/bash
# restart-failure.sh: the port is taken inside the container after pre-flight (--skip-preflight):
# with --method dropin dockerd cannot start, with the socket method docker.socket cannot bind; the
# change is rolled back at once, the old state is back (both units), and the message quotes the
# error from the journal (dockerd's own, or systemd's about docker.socket).
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/lib.sh"
. "$here/drs.sh"
drs_setup rfail

IP=$E2E_CT_IP
drs apply --iface host0 --plain --yes --method dropin
drs_expect 0 "a first, working listener on 2375"
before=$(drs_config_hash)

e2e_run systemd-run --unit=squatter /usr/bin/systemd-socket-activate -l "$IP:2390" /bin/cat >/dev/null 2>&1
e2e_check "something else listens on 2390" e2e_wait_for -t 10 drs_tcp_listening 2390
drs apply --iface host0 --plain --port 2390 --yes
drs_expect 4 "pre-flight refuses the taken port"
drs_out_has "port 2390 on $IP is already in use"

drs apply --iface host0 --plain --port 2390 --yes --skip-preflight --method dropin
drs_expect 5 "verification failed and rolled back"
drs_out_has "Verification failed: docker.service did not start: failed to load listeners: listen tcp $IP:2390: bind: address already in use"
drs_out_has "previous configuration was restored and verified"
e2e_check "files byte-identical to before" test "$(drs_config_hash)" = "$before"
e2e_check "docker.service active again" e2e_unit_active docker.service
e2e_check "the old listener answers" e2e_ping_plain "$IP" 2375
e2e_check "no timer left" test -z "$(e2e_run systemctl list-units --all --no-legend 'docker-remote-setup-*')"

drs apply --iface host0 --plain --port 2390 --yes --skip-preflight --json --method dropin
drs_expect 5 "the same with --json"
e2e_check "json outcome rolled-back" test "$(drs_json outcome)" = rolled-back
e2e_check "json reason quotes dockerd" bash -c "grep -q 'address already in use' <<<\"\$1\"" _ "$(drs_json reason)"
e2e_check "json has the journal lines" test "$(drs_json journal | head -c 1)" = "["

# The socket method: docker.socket cannot bind 2390; both units come back with the old listener.
drs apply --iface host0 --plain --yes
drs_expect 0 "socket method on 2375 (moved from the drop-in)"
before=$(drs_config_hash)
drs apply --iface host0 --plain --port 2390 --yes --skip-preflight
drs_expect 5 "socket method: verification failed and rolled back"
drs_out_has "Verification failed: docker.socket did not start: docker.socket: Failed to create listening socket \\($IP:2390\\): Address already in use"
e2e_check "socket method: files byte-identical to before" test "$(drs_config_hash)" = "$before"
e2e_check "docker.socket active again" e2e_unit_active docker.socket
e2e_check "docker.service active again" e2e_unit_active docker.service
e2e_check "the old listener answers" e2e_wait_for -t 10 e2e_ping_plain "$IP" 2375
e2e_check "no timer left" test -z "$(e2e_run systemctl list-units --all --no-legend 'docker-remote-setup-*')"
e2e_finish
