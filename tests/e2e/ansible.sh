#!/bin/bash
# ansible.sh: examples/ansible/docker-remote-setup.yml run by ansible-playbook against the container:
# changed, then unchanged (exit 6), a port in use fails (exit 4, nothing changed), an endpoint the
# controller cannot reach is rolled back, and TLS is confirmed with the fetched client certificate.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/lib.sh"
. "$here/drs.sh"

e2e_skip_unless_possible
command -v ansible-playbook >/dev/null || e2e_skip "ansible-playbook is not installed (package ansible)"
ansible-doc -t connection community.docker.nsenter >/dev/null 2>&1 ||
        e2e_skip "no community.docker.nsenter connection plugin (collection community.docker)"
# Ansible modules run in the managed host's python3: the rootfs cache gets it once.
E2E_PACKAGES="${E2E_PACKAGES:-} python3"
drs_setup ansible

playbook=$top_srcdir/examples/ansible/docker-remote-setup.yml
IP=$E2E_CT_IP
# The managed host is the container, entered with nsenter (no sshd in it); every file Ansible
# writes on the controller goes to the test's temp dir.
cat >"$E2E_TMP/inventory" <<EOF
[docker_hosts]
ct ansible_connection=community.docker.nsenter ansible_nsenter_pid=$E2E_LEADER ansible_python_interpreter=/usr/bin/python3
EOF
: >"$E2E_TMP/ansible.cfg"
export ANSIBLE_CONFIG=$E2E_TMP/ansible.cfg ANSIBLE_HOME=$E2E_TMP/ansible-home ANSIBLE_LOCAL_TEMP=$E2E_TMP/ansible-tmp \
        ANSIBLE_REMOTE_TMP=/tmp/.ansible-remote ANSIBLE_NOCOLOR=1 ANSIBLE_RETRY_FILES_ENABLED=0 \
        ANSIBLE_HOST_KEY_CHECKING=0 ANSIBLE_STDOUT_CALLBACK=default
# Time per task in the log (where the minutes go).
ansible-doc -t callback ansible.posix.profile_tasks >/dev/null 2>&1 &&
        export ANSIBLE_CALLBACKS_ENABLED=ansible.posix.profile_tasks
clients=$E2E_TMP/clients

# play NAME ARGS...: ansible-playbook with extra vars; output in $PLAY_OUT, exit code in $PLAY_RC.
PLAY_OUT=$E2E_TMP/play.out
play() {
        local name=$1 t0
        shift
        e2e_log "ansible-playbook ($name): $*"
        t0=$(e2e_now_us)
        ansible-playbook -i "$E2E_TMP/inventory" "$playbook" -e drs_client_dir="$clients" "$@" >"$PLAY_OUT" 2>&1
        PLAY_RC=$?
        sed 's/^/    | /' "$PLAY_OUT"
        e2e_log "ansible-playbook ($name): exit $PLAY_RC in $(e2e_since "$t0") s"
}
# recap KEY: the number after KEY= in the PLAY RECAP line of the host.
recap() { sed -n "s/^ct *: .*[^a-z]$1=\([0-9]*\).*/\1/p" "$PLAY_OUT" | tail -n1; }
expect_recap() {
        e2e_check "$1: exit $PLAY_RC, expected $2" test "$PLAY_RC" = "$2"
        e2e_check "$1: recap changed=$(recap changed), expected $3" test "$(recap changed)" = "$3"
        e2e_check "$1: recap failed=$(recap failed), expected $4" test "$(recap failed)" = "$4"
}
no_timers() { test -z "$(e2e_run systemctl list-units --all --no-legend 'docker-remote-setup-*')"; }
journal_id_count() { e2e_run journalctl -q -o cat "MESSAGE_ID=$1" | wc -l; }

# ---- 1: a new plain listener: apply pending, /_ping from the controller, confirm.
play "first run" -e drs_iface=host0 -e drs_mode=plain -e drs_confirm_timeout=60
expect_recap "first run" 0 2 0
e2e_check "first run: the apply task changed" grep -q '^changed: \[ct\]' "$PLAY_OUT"
e2e_check "first run: confirmed" grep -q 'TASK \[Confirm' "$PLAY_OUT"
e2e_check "journal: API listen on $IP:2375 (this invocation)" e2e_journal_has_current "API listen on $IP:2375"
e2e_check "/_ping from the host" e2e_ping_plain "$IP" 2375
e2e_check "confirm is in the journal (MESSAGE_ID)" test "$(journal_id_count 039db95200024a59ab008626759e8ccd)" = 1
e2e_check "no timer left" no_timers
hash=$(drs_config_hash)

# ---- 2: the same again: exit 6 is ok/unchanged, nothing written, no confirm.
play "second run" -e drs_iface=host0 -e drs_mode=plain -e drs_confirm_timeout=60
expect_recap "second run" 0 0 0
e2e_check "second run: no confirm" grep -q 'skipping: \[ct\]' "$PLAY_OUT"
e2e_check "second run: nothing written" test "$(drs_config_hash)" = "$hash"
e2e_check "second run: still one confirm in the journal" test "$(journal_id_count 039db95200024a59ab008626759e8ccd)" = 1

# ---- 3: a port in use: apply refuses (exit 4), the play fails, nothing changes.
e2e_run systemd-run --unit drs-occupy python3 -m http.server --bind "$IP" 2390 >/dev/null 2>&1
e2e_check "something listens on $IP:2390" e2e_wait_for -t 10 drs_tcp_listening 2390
play "port in use" -e drs_iface=host0 -e drs_mode=plain -e drs_port=2390
expect_recap "port in use" 2 0 1
e2e_check "port in use: the failure names exit 4 and the port" \
        grep -q 'exit 4 (precondition failed, nothing changed): port 2390 on 10\.213\.[0-9]*\.2 is already in use' "$PLAY_OUT"
e2e_check "port in use: nothing written" test "$(drs_config_hash)" = "$hash"
e2e_check "port in use: /_ping on 2375 still OK" e2e_ping_plain "$IP" 2375

# ---- 4: the controller cannot reach the endpoint (wrong address): rolled back, the play fails.
reverts=$(journal_id_count 41a056bcf4804073a11ff1f577ca344e)
play "unreachable" -e drs_iface=host0 -e drs_mode=plain -e drs_port=2377 -e drs_endpoint_host="$E2E_HOST_IP"
expect_recap "unreachable" 2 2 1
e2e_check "unreachable: the failure says it was rolled back" grep -q 'could not reach .*was rolled back' "$PLAY_OUT"
e2e_check "unreachable: the files are as before" test "$(drs_config_hash)" = "$hash"
e2e_check "unreachable: the revert is in the journal" \
        test "$(journal_id_count 41a056bcf4804073a11ff1f577ca344e)" = $((reverts + 1))
e2e_check "unreachable: no listener on 2377" drs_not drs_tcp_listening 2377
e2e_check "unreachable: /_ping on 2375 OK again" e2e_ping_plain "$IP" 2375
e2e_check "unreachable: no timer left" no_timers

# ---- 5: TLS: the client bundle is fetched and /_ping goes with its certificate; then unchanged.
play "tls" -e drs_iface=host0 -e drs_confirm_timeout=60
expect_recap "tls" 0 4 0
e2e_check "tls: key.pem fetched, mode 0600" test "$(stat -c %a "$clients/key.pem" 2>/dev/null)" = 600
tls_ping() {
        [ "$(curl -sS --noproxy '*' -m 5 --cacert "$clients/ca.pem" --cert "$clients/cert.pem" --key "$clients/key.pem" \
                "https://$IP:2376/_ping")" = OK ]
}
e2e_check "tls: /_ping from the host with the fetched certificate" tls_ping
e2e_check "tls: refused without a certificate" drs_not curl -sS --noproxy '*' -m 5 --cacert "$clients/ca.pem" "https://$IP:2376/_ping"
e2e_check "tls: the plain listener was replaced" drs_not drs_tcp_listening 2375
e2e_check "tls: no timer left" no_timers
play "tls again" -e drs_iface=host0 -e drs_confirm_timeout=60
expect_recap "tls again" 0 0 0

# ---- the README's uninstall: rollback to the state before the first change removes the listener
# and what later changes added.
drs rollback --list --json
first=$(drs_json 0 id)
drs rollback --to "$first" --yes
drs_expect 0 "rollback --to the first change ($first)"
e2e_check "uninstall: the drop-in is gone" drs_not e2e_run test -e /etc/systemd/system/docker.socket.d/override.conf
e2e_check "uninstall: no listener on 2376" drs_not drs_tcp_listening 2376
e2e_check "uninstall: docker.service active" e2e_unit_active docker.service
e2e_check "uninstall: the TLS material of the later change went too, its directory with it (README)" \
        drs_not e2e_run test -e /etc/docker/remote-setup
e2e_finish
