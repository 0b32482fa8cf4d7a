#!/bin/bash
# migrate.sh: a host configured by the previous version (our ExecStart= lines in override.conf,
# then our DOCKER_OPTS) is moved to the socket method by the next apply: our lines removed, the
# user's kept, one listener in effect, a second run exits 6. Then --method dropin on the same
# host: after a vendor ExecStart change on disk, status reports the frozen command line.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/lib.sh"
. "$here/drs.sh"
drs_setup migrate

IP=$E2E_CT_IP
SVC=/etc/systemd/system/docker.service.d/override.conf
SOCK=/etc/systemd/system/docker.socket.d/override.conf
listen_count() { e2e_run ss -Hltn "( sport = :$1 )" | wc -l; }

# ---------------------------------------------------------------- previous version's drop-in
e2e_write $SVC <<EOF2
# Written by docker-remote-setup: the Docker daemon's TCP listener.
# Lines other than ExecStart= are yours and are kept as they are.
# History and earlier versions: docker-remote-setup rollback --list
[Service]
LimitNOFILE=1048576
ExecStart=
ExecStart=/usr/sbin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock \$DOCKER_OPTS -H tcp://$IP:2375 --tls=false
Environment=MINE=1
EOF2
e2e_sh 'systemctl daemon-reload && systemctl restart docker.service'
e2e_check "previous version's listener up" e2e_wait_for -t 30 e2e_ping_plain "$IP" 2375

drs preview --iface host0 --plain --json
e2e_check "preview: socket method chosen" test "$(drs_json method)" = socket
cursor=$(e2e_journal_cursor)
drs apply --iface host0 --plain --yes
drs_expect 0 "apply on the previous version's host"
svc=$(e2e_run cat $SVC)
printf '%s\n' "$svc" | sed 's/^/    override.conf: /'
e2e_check "our ExecStart= lines removed" drs_not grep -q '^ExecStart' <<<"$svc"
e2e_check "user's LimitNOFILE kept" grep -qxF "LimitNOFILE=1048576" <<<"$svc"
e2e_check "user's Environment kept" grep -qxF "Environment=MINE=1" <<<"$svc"
e2e_check "socket drop-in has the listener" e2e_run grep -qxF "ListenStream=$IP:2375" $SOCK
e2e_check "one listener on 2375" test "$(listen_count 2375)" = 1
e2e_check "journal: API listen on $IP:2375 once" test "$(e2e_run journalctl -q -o cat -u docker.service --after-cursor="$cursor" | grep -c "API listen on $IP:2375")" = 1
e2e_check "the running ExecStart is the package's" drs_not grep -q tcp:// <<<"$(e2e_run systemctl show -p ExecStart --value docker.service)"
e2e_check "/_ping" e2e_ping_plain "$IP" 2375
hash=$(drs_config_hash)
drs apply --iface host0 --plain --yes
drs_expect 6 "second run after the migration"
e2e_check "nothing written" test "$(drs_config_hash)" = "$hash"

# ---------------------------------------------------------------- previous version's DOCKER_OPTS
e2e_sh "rm -f $SOCK && printf 'DOCKER_OPTS=\"-H tcp://$IP:2375 -H unix:///var/run/docker.sock --tls=false --log-level=info\"\n' >> /etc/default/docker && systemctl daemon-reload && systemctl restart docker.socket docker.service"
e2e_check "DOCKER_OPTS listener up" e2e_wait_for -t 30 e2e_ping_plain "$IP" 2375
drs apply --iface host0 --plain --yes
drs_expect 0 "apply on a DOCKER_OPTS host"
opts=$(e2e_run grep '^DOCKER_OPTS' /etc/default/docker)
e2e_log "after: $opts"
e2e_check "DOCKER_OPTS: our listener removed" drs_not grep -q 'tcp://' <<<"$opts"
e2e_check "DOCKER_OPTS: the user's --log-level kept" grep -q -- '--log-level=info' <<<"$opts"
e2e_check "one listener on 2375" test "$(listen_count 2375)" = 1
e2e_check "/_ping" e2e_ping_plain "$IP" 2375
drs apply --iface host0 --plain --yes
drs_expect 6 "second run after the DOCKER_OPTS migration"

# ---------------------------------------------------------------- --method dropin freezes ExecStart
drs apply --iface host0 --plain --port 2378 --method dropin --yes
drs_expect 0 "apply --method dropin"
e2e_check "socket drop-in: our ListenStream gone" drs_not e2e_run grep -q '^ListenStream' $SOCK
e2e_check "/_ping on 2378" e2e_ping_plain "$IP" 2378
e2e_check "2375 gone" drs_not e2e_ping_plain "$IP" 2375
drs status --json
e2e_check "status: method dropin" test "$(drs_json method)" = dropin
e2e_check "status: survives a late address (the drop-in's restart lines)" test "$(drs_json survives_late_address)" = True
e2e_check "status: not frozen yet" test "$(drs_json execstart_frozen)" = False
e2e_sh 'sed -i "s|^ExecStart=.*|& --default-ulimit nofile=65536:65536|" /lib/systemd/system/docker.service && systemctl daemon-reload'
drs status --json
e2e_check "status: the override freezes an older ExecStart" test "$(drs_json execstart_frozen)" = True
e2e_check "status: shows the package's new ExecStart" grep -q -- '--default-ulimit' <<<"$(drs_json vendor_execstart)"
e2e_check "status: names the override" test "$(drs_json execstart_override)" = "$SVC"
drs status
drs_out_has "freezes an older command line"
e2e_finish
