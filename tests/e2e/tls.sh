#!/bin/bash
# tls.sh: TLS by default on a real dockerd (socket method: docker.socket drop-in, TLS keys in
# daemon.json): apply generates the material and dockerd listens with --tlsverify; from the host
# curl and the Docker CLI (client.tar imported as a docker context, and the printed export and
# docker context lines) get in with the client bundle and not without it; an identical apply does nothing; a new
# port keeps the material, a new address replaces it and rollback brings it back; client-cert
# issues a bundle dockerd accepts; 0.0.0.0 with --allow-public; rollback to the stock state.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/lib.sh"
. "$here/drs.sh"
DOCKER_CLI=${DOCKER_CLI:-/usr/local/bin/docker}
command -v openssl >/dev/null || e2e_skip "openssl is needed to inspect the certificates"
drs_setup tls

IP=$E2E_CT_IP
TLS=/etc/docker/remote-setup
CT_ROOT=/proc/$E2E_LEADER/root
NAME=$(e2e_run hostname)
# The Docker CLI and curl get a home of their own, and no proxy.
export HOME=$E2E_TMP/home DOCKER_CONFIG=$E2E_TMP/home/.docker
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy DOCKER_HOST DOCKER_TLS_VERIFY DOCKER_CERT_PATH
mkdir -p "$HOME"

# copy_bundle SRC DEST: the container's client bundle directory SRC to DEST on the host.
copy_bundle() { rm -rf "$2" && mkdir -p "$2" && cp "$CT_ROOT$1"/{ca,cert,key}.pem "$2"/; }
# tls_ping BUNDLE [HOST [PORT]]: GET https://HOST:PORT/_ping with BUNDLE's certificate -> "OK".
# BUNDLE "-" sends no client certificate. HOST may be a name that resolves to $IP.
tls_ping() {
	local b=$1 host=${2:-$IP} port=${3:-2376} out args=(--cacert "$TLS_CA")
	[ "$b" = - ] || args+=(--cert "$b/cert.pem" --key "$b/key.pem")
	[ "$host" = "$IP" ] || args+=(--resolve "$host:$port:$IP")
	out=$(curl -sS --noproxy '*' --connect-timeout 3 --max-time 5 "${args[@]}" "https://$host:$port/_ping" 2>&1)
	[ "$out" = OK ] && return 0
	e2e_log "GET https://$host:$port/_ping (${b}): ${out:-<empty>}"
	return 1
}
pem_hash() { e2e_sh 'cd "$1" && sha256sum ca.pem ca-key.pem server-cert.pem server-key.pem client/*.pem' "$TLS"; }
# client.tar is a docker context: it names the endpoint, so a new port rewrites it.
tar_hash() { e2e_sh 'sha256sum "$1/client.tar"' "$TLS"; }
tar_meta() { tar -xOf "$CT_ROOT$TLS/client.tar" meta.json; }
san() { openssl x509 -noout -ext subjectAltName -in "$CT_ROOT$TLS/server-cert.pem"; }

stock=$(drs_config_hash)
drs apply --iface host0 --yes --json
drs_expect 0 "apply --iface host0 (TLS by default)"
a1=$(drs_json backup_id)
e2e_check "outcome kept" test "$(drs_json outcome)" = kept
e2e_log "timing: restart -> API listen on $(drs_json timing restart_to_listen_ms) ms, restart -> verified $(drs_json timing restart_to_verified_ms) ms"
e2e_check "journal: API listen on $IP:2376 (this invocation)" e2e_journal_has_current "API listen on $IP:2376"
e2e_check "verify reports that dockerd refused a client without certificate" \
	grep -q 'client certificate' <<<"$(drs_json anonymous_refused)"
e2e_check "json: the bundle directory" test "$(drs_json plan client_dir)" = "$TLS/client"
e2e_check "json: the bundle tar" test "$(drs_json plan client_tar)" = "$TLS/client.tar"
import_line=$(drs_json plan client 1)
export_line=$(drs_json plan client 3)
context_line=$(drs_json plan client 4)
e2e_check "json: first the copy of client.tar, then its import" test "$(drs_json plan client 0) / $import_line" = \
	"scp 'root@$IP:$TLS/client.tar' . / docker context import $NAME client.tar && docker --context $NAME version"
e2e_check "json: the export line" test "$export_line" = \
	"export DOCKER_HOST=tcp://$IP:2376 DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH=\$HOME/.docker/$NAME"
e2e_check "json: the docker context line" test "$context_line" = \
	"docker context create $NAME --docker \"host=tcp://$IP:2376,ca=\$HOME/.docker/$NAME/ca.pem,cert=\$HOME/.docker/$NAME/cert.pem,key=\$HOME/.docker/$NAME/key.pem\""
sockdropin=$(e2e_run cat /etc/systemd/system/docker.socket.d/override.conf)
e2e_check "socket drop-in: the listener" grep -qxF "ListenStream=$IP:2376" <<<"$sockdropin"
e2e_check "no ExecStart= override" drs_not e2e_run test -e /etc/systemd/system/docker.service.d/override.conf
json=$(e2e_run cat /etc/docker/daemon.json)
e2e_check "daemon.json: the TLS keys" test "$(python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["tlsverify"], d["tlscacert"], d["tlscert"], d["tlskey"])' <<<"$json")" = \
	"True $TLS/ca.pem $TLS/server-cert.pem $TLS/server-key.pem"
e2e_check "keys and the tar are 0600 root" test "$(e2e_sh 'cd "$1" && stat -c "%a %U" ca-key.pem server-key.pem client/key.pem client.tar | sort -u' "$TLS")" = "600 root"
e2e_check "server SAN: $IP, 127.0.0.1, $NAME" grep -q "IP Address:$IP, IP Address:127.0.0.1, DNS:$NAME" <<<"$(san)"

copy_bundle "$TLS/client" "$E2E_TMP/b1"
TLS_CA=$E2E_TMP/b1/ca.pem
e2e_check "curl from the host with the client bundle: OK" tls_ping "$E2E_TMP/b1"
e2e_check "curl without a client certificate is refused" drs_not tls_ping -
e2e_check "plain HTTP gets no answer from the TLS port" drs_not e2e_ping_plain "$IP" 2376

# The printed lines, as an admin would use them. First the whole hand-off: client.tar (copied, as
# the scp line does) imported as a docker context, and docker version through it.
if [ -x "$DOCKER_CLI" ]; then
	mkdir -p "$E2E_TMP/ws" && cp "$CT_ROOT$TLS/client.tar" "$E2E_TMP/ws/client.tar"
	out=$(cd "$E2E_TMP/ws" && PATH="$(dirname "$DOCKER_CLI"):$PATH" bash -c "$import_line" 2>&1)
	e2e_log "the import line ($DOCKER_CLI):"$'\n'"$out"
	e2e_check "docker context import $NAME client.tar succeeded" grep -q "Successfully imported context \"$NAME\"" <<<"$out"
	e2e_check "docker --context $NAME version shows the server's engine over TLS" \
		grep -qE '^ Engine:' <<<"$(sed -n '/^Server:/,$p' <<<"$out")"
	e2e_check "the imported context names the endpoint" test \
		"$("$DOCKER_CLI" context inspect "$NAME" --format '{{.Endpoints.docker.Host}} {{.Endpoints.docker.SkipTLSVerify}}')" = \
		"tcp://$IP:2376 false"
	"$DOCKER_CLI" context rm -f "$NAME" >/dev/null # the context create line below makes it again
else
	e2e_log "SKIP part: no Docker CLI at $DOCKER_CLI (set DOCKER_CLI): the bundle's import is not tried"
fi
# Then by hand: the PEM files of client.tar into ~/.docker/NAME.
mkdir -p "$HOME/.docker/$NAME" && tar -xf "$CT_ROOT$TLS/client.tar" -C "$HOME/.docker/$NAME" --strip-components=2 tls/docker
e2e_check "client.tar holds meta.json and tls/docker/{ca,cert,key}.pem" \
	test "$(tar -tf "$CT_ROOT$TLS/client.tar" | sort | paste -sd' ')" = "meta.json tls/docker/ca.pem tls/docker/cert.pem tls/docker/key.pem"
server=$(bash -c "$export_line && exec \"\$1\" version --format '{{.Server.Version}}'" _ "$DOCKER_CLI" 2>&1)
e2e_log "docker version (Server.Version) with the export line: $server"
e2e_check "the Docker CLI with the printed export line reaches the daemon" \
	grep -qE '^[0-9]+\.[0-9]+\.[0-9]+' <<<"$server"
out=$(bash -c "$context_line" 2>&1)
e2e_log "docker context create: $out"
server=$("$DOCKER_CLI" --context "$NAME" version --format '{{.Server.Version}}' 2>&1)
e2e_check "docker --context $NAME version shows the server ($server)" grep -qE '^[0-9]+\.[0-9]+\.[0-9]+' <<<"$server"
e2e_check "the Docker CLI without certificates is refused" \
	drs_not env DOCKER_HOST="tcp://$IP:2376" "$DOCKER_CLI" version --format '{{.Server.Version}}'

drs status
drs_out_has "TLS: +$TLS: server certificate valid until [0-9-]+ \(82[45] days\)"

# The same again: nothing to do, nothing written.
hash=$(drs_config_hash)
drs apply --iface host0 --yes
drs_expect 6 "identical second apply"
drs_out_has "Nothing to do"
e2e_check "nothing was written" test "$(drs_config_hash)" = "$hash"

# Another client, from the kept CA.
drs client-cert alice
drs_expect 0 "client-cert alice"
drs_out_has "export DOCKER_HOST=tcp://$IP:2376 DOCKER_TLS_VERIFY=1"
copy_bundle "$TLS/clients/alice" "$E2E_TMP/alice"
e2e_check "dockerd accepts alice's certificate" tls_ping "$E2E_TMP/alice"
e2e_check "alice.tar is there, 0600" test "$(e2e_run stat -c %a "$TLS/clients/alice.tar")" = 600

# Another port, same address: the material is kept.
pems=$(pem_hash)
drs apply --iface host0 --port 2380 --yes --json
drs_expect 0 "apply on port 2380"
e2e_check "journal: API listen on $IP:2380 (this invocation)" e2e_journal_has_current "API listen on $IP:2380"
e2e_check "the material was kept" test "$(pem_hash)" = "$pems"
e2e_check "client.tar names the new endpoint" grep -qF "\"Host\":\"tcp://$IP:2380\"" <<<"$(tar_meta)"
tars=$(tar_hash)
e2e_check "the first bundle still gets in, on 2380" tls_ping "$E2E_TMP/b1" "$IP" 2380

# Another address: the material is replaced (the old one backed up), and rollback brings it back.
e2e_run ip addr add 192.168.213.2/24 dev host0
drs apply --iface host0 --address 192.168.213.2 --yes --json
drs_expect 0 "apply on a second address of host0"
a3=$(drs_json backup_id)
e2e_check "journal: API listen on 192.168.213.2:2376 (this invocation)" e2e_journal_has_current "API listen on 192.168.213.2:2376"
e2e_check "new material for the new address" test "$(pem_hash)" != "$pems"
e2e_check "SAN names 192.168.213.2" grep -q "IP Address:192.168.213.2, IP Address:127.0.0.1" <<<"$(san)"
drs rollback --to "$a3" --yes
drs_expect 0 "rollback to before the address change"
e2e_check "the old material is back byte for byte" test "$(pem_hash) $(tar_hash)" = "$pems $tars"
e2e_check "journal: API listen on $IP:2380 again (this invocation)" e2e_journal_has_current "API listen on $IP:2380"
e2e_check "the first bundle gets in again" tls_ping "$E2E_TMP/b1" "$IP" 2380

# All addresses: only with --allow-public; clients use the host name, which is in the SAN.
drs apply --address 0.0.0.0 --yes
drs_expect 4 "0.0.0.0 without --allow-public"
drs_out_has "add --allow-public"
drs apply --allow-public --address 0.0.0.0 --yes --json
drs_expect 0 "apply --allow-public --address 0.0.0.0"
e2e_check "journal: API listen on [::]:2376 (this invocation)" e2e_journal_has_current 'API listen on \[::\]:2376'
e2e_check "verified (the probe over 127.0.0.1 passed)" test "$(drs_json outcome)" = kept
e2e_check "hand-off uses the host name" test "$(drs_json plan client 3)" = \
	"export DOCKER_HOST=tcp://$NAME:2376 DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH=\$HOME/.docker/$NAME"
copy_bundle "$TLS/client" "$E2E_TMP/b4"
TLS_CA=$E2E_TMP/b4/ca.pem
e2e_check "curl https://$NAME:2376 (resolved to $IP) with the new bundle: OK" tls_ping "$E2E_TMP/b4" "$NAME"

# Back to the stock state: no listener, and the TLS files that did not exist before are gone.
drs rollback --to "$a1" --yes
drs_expect 0 "rollback to the state before the first apply"
# client-cert bundles belong to no apply: alice's is all that is left, and without it the files are stock.
e2e_check "only alice's bundle is left in $TLS" test "$(e2e_sh 'cd "$1" && find . -type f | sort | paste -sd" "' "$TLS")" = \
	"./clients/alice.tar ./clients/alice/ca.pem ./clients/alice/cert.pem ./clients/alice/key.pem"
e2e_run rm -r "$TLS/clients"
e2e_check "otherwise the stock files again" test "$(drs_config_hash)" = "$stock"
e2e_check "no TCP listener after the rollback" drs_not drs_tcp_listening 2376
e2e_check "no TLS listener answers" drs_not tls_ping "$E2E_TMP/b4" "$NAME"
e2e_finish
