#!/bin/bash
# tls.sh: TLS material on a --root tree: what apply generates (names, modes, SAN, EKU, key type,
# validity, the client.tar bundle), reuse and replacement with backup, rollback, and client-cert.
. "$top_srcdir/tests/cli/lib.sh"
need_netns
command -v openssl >/dev/null || { echo "SKIP: openssl is needed to inspect the certificates"; exit 77; }

root="$TMP/root"
make_root debian-plain "$root"
D="$root/etc/docker/remote-setup"
A=(in_netns "$DRS" apply --root "$root" --yes)
C=(in_netns "$DRS" client-cert --root "$root")

# json FILE KEY...: a value from a JSON document.
json() {
        python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
for k in sys.argv[2:]:
    d = d[int(k)] if isinstance(d, list) else d[k]
print("" if d is None else d if isinstance(d, str) else json.dumps(d))' "$@"
}
check() { local desc=$1; shift; if "$@"; then echo "ok: $desc"; else fail "$desc"; fi; }
quiet() { "$@" > /dev/null; }
mode_of() { stat -c '%a %U:%G' "$1"; }
x509() { openssl x509 -noout "$@"; }
days_valid() { # notAfter - notBefore in whole days
        local b a
        b=$(date -d "$(x509 -in "$1" -startdate | cut -d= -f2)" +%s)
        a=$(date -d "$(x509 -in "$1" -enddate | cut -d= -f2)" +%s)
        echo $(((a - b) / 86400))
}
pem_hash() { (cd "$D" && sha256sum ca.pem ca-key.pem server-cert.pem server-key.pem client/*.pem); }

expect_exit "client-cert before any CA" 4 'there is no CA in /etc/docker/remote-setup' "${C[@]}" alice

# ---- the first apply: everything generated
"${A[@]}" --iface eth1 --json > "$TMP/a1.json" 2>&1
check "apply --root on eth1 exits 0" test "$(json "$TMP/a1.json" exit_code)" = 0
check "outcome written" test "$(json "$TMP/a1.json" outcome)" = written
id1=$(json "$TMP/a1.json" backup_id)
check "json: client_dir" test "$(json "$TMP/a1.json" plan client_dir)" = /etc/docker/remote-setup/client
check "json: client_tar" test "$(json "$TMP/a1.json" plan client_tar)" = /etc/docker/remote-setup/client.tar
check "json: the bundle imported first" test "$(json "$TMP/a1.json" plan client 1)" = \
        'docker context import testhost client.tar && docker --context testhost version'
check "json: the export line" test "$(json "$TMP/a1.json" plan client 3)" = \
        'export DOCKER_HOST=tcp://10.0.0.5:2376 DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH=$HOME/.docker/testhost'
check "json: the docker context line" test "$(json "$TMP/a1.json" plan client 4)" = \
        'docker context create testhost --docker "host=tcp://10.0.0.5:2376,ca=$HOME/.docker/testhost/ca.pem,cert=$HOME/.docker/testhost/cert.pem,key=$HOME/.docker/testhost/key.pem"'
check "json: keys are not printed" bash -c "! grep -q 'PRIVATE KEY' '$TMP/a1.json'"
for f in ca-key.pem server-key.pem client/key.pem client.tar; do
        check "$f is 600 root:root" test "$(mode_of "$D/$f")" = "600 root:root"
done
for f in ca.pem server-cert.pem client/ca.pem client/cert.pem; do
        check "$f is 644 root:root" test "$(mode_of "$D/$f")" = "644 root:root"
done
check "client/ca.pem is the CA" cmp -s "$D/ca.pem" "$D/client/ca.pem"
check "the server certificate verifies against the CA" quiet openssl verify -CAfile "$D/ca.pem" -purpose sslserver "$D/server-cert.pem"
check "the client certificate verifies against the CA" quiet openssl verify -CAfile "$D/ca.pem" -purpose sslclient "$D/client/cert.pem"
san=$(x509 -in "$D/server-cert.pem" -ext subjectAltName)
check "server SAN: the chosen IP, 127.0.0.1 and the host name" \
        grep -q 'IP Address:10.0.0.5, IP Address:127.0.0.1, DNS:testhost' <<<"$san"
check "server EKU serverAuth" grep -q 'TLS Web Server Authentication' <<<"$(x509 -in "$D/server-cert.pem" -ext extendedKeyUsage)"
check "client EKU clientAuth" grep -q 'TLS Web Client Authentication' <<<"$(x509 -in "$D/client/cert.pem" -ext extendedKeyUsage)"
check "ECDSA P-256 by default" grep -q 'ASN1 OID: prime256v1' <<<"$(x509 -in "$D/server-cert.pem" -text)"
check "server certificate: 825 days" test "$(days_valid "$D/server-cert.pem")" = 825
check "CA: 3650 days" test "$(days_valid "$D/ca.pem")" = 3650
check "CA key belongs to the CA" test "$(openssl pkey -in "$D/ca-key.pem" -pubout)" = "$(x509 -in "$D/ca.pem" -pubkey)"
s1=$(x509 -in "$D/server-cert.pem" -serial) s2=$(x509 -in "$D/client/cert.pem" -serial)
check "serials are random 128-bit numbers, all different" \
        bash -c '[[ $1 =~ ^serial=[0-9A-F]{32}$ && $2 =~ ^serial=[0-9A-F]{32}$ && $1 != "$2" ]]' _ "$s1" "$s2"
mkdir "$TMP/x" && tar -xf "$D/client.tar" -C "$TMP/x"
check "client.tar is a docker context export: meta.json and tls/docker/{ca,cert,key}.pem" \
        test "$(tar -tf "$D/client.tar" | sort | paste -sd' ')" = "meta.json tls/docker/ca.pem tls/docker/cert.pem tls/docker/key.pem"
check "client.tar: meta.json names the endpoint" test "$(cat "$TMP/x/meta.json")" = \
        '{"Name":"testhost","Metadata":{},"Endpoints":{"docker":{"Host":"tcp://10.0.0.5:2376","SkipTLSVerify":false}}}'
check "client.tar's files are the bundle's" bash -c "cd '$TMP/x/tls/docker' && for f in ca.pem cert.pem key.pem; do cmp -s \$f '$D/client/'\$f || exit 1; done"
check "client.tar: key.pem 0600" grep -q '^-rw------- root/root .* tls/docker/key.pem$' <<<"$(tar -tvf "$D/client.tar")"

# ---- the same again: nothing to do, nothing written
h=$(tree_hash "$root/etc")  # not the lock file in var/lib: it holds the last PID
expect_exit "identical apply" 6 'Nothing to do' "${A[@]}" --iface eth1
check "under --root nothing is contacted, so it does not say \"answering\"" \
        bash -c "grep -q 'is already configured\.\$' '$TMP/out' && ! grep -q answering '$TMP/out'"
check "identical apply wrote nothing" test "$(tree_hash "$root/etc")" = "$h"
expect_exit "preview says it is kept" 0 'ok +TLS material in /etc/docker/remote-setup is valid for this address until' \
        in_netns "$DRS" preview --root "$root" --iface eth1

# ---- another port, same address: the material is kept, only the drop-in changes
pems=$(pem_hash)
"${A[@]}" --iface eth1 --port 2380 --json > "$TMP/a2.json" 2>&1
check "port 2380 applied" test "$(json "$TMP/a2.json" exit_code)" = 0
check "port change kept the material" test "$(pem_hash)" = "$pems"
check "port change: the socket drop-in names 2380" grep -qx 'ListenStream=10.0.0.5:2380' "$root/etc/systemd/system/docker.socket.d/override.conf"
check "daemon.json has the TLS keys" grep -q '"tlsverify": true' "$root/etc/docker/daemon.json"
check "port change: TLS files are kept in the plan" test "$(json "$TMP/a2.json" plan files 3 state)" = kept

# ---- client.tar gone: only it is made again
rm "$D/client.tar"
expect_exit "missing client.tar is noticed" 0 'client.tar is written again' in_netns "$DRS" preview --root "$root" --iface eth1 --port 2380
expect_exit "apply rewrites client.tar" 0 'write the new files' "${A[@]}" --iface eth1 --port 2380
check "... and nothing else of the material" test "$(pem_hash)" = "$pems"
check "client.tar is back, 0600" test "$(mode_of "$D/client.tar")" = "600 root:root"

# ---- another address: new material; the old one is in the backup
"${A[@]}" --iface eth2 --key-type rsa --cert-days 90 --json > "$TMP/a3.json" 2>&1
check "apply on eth2 (RSA, 90 days)" test "$(json "$TMP/a3.json" exit_code)" = 0
id3=$(json "$TMP/a3.json" backup_id)
check "the material was replaced" test "$(pem_hash)" != "$pems"
check "SAN names the new address" grep -q 'IP Address:100.64.1.5, IP Address:127.0.0.1' <<<"$(x509 -in "$D/server-cert.pem" -ext subjectAltName)"
check "RSA 3072 on request" grep -q 'Public-Key: (3072 bit)' <<<"$(x509 -in "$D/client/cert.pem" -text)"
check "--cert-days 90" test "$(days_valid "$D/server-cert.pem")" = 90
check "the CA still lives 3650 days" test "$(days_valid "$D/ca.pem")" = 3650
expect_exit "rollback to before the address change" 0 'write the new files' \
        in_netns "$DRS" rollback --root "$root" --to "$id3" --yes
check "rollback restored the old material byte for byte" test "$(pem_hash)" = "$pems"
check "rollback restored client.tar" quiet tar -tf "$D/client.tar"
expect_exit "key type asked for differs: regenerated" 0 'cannot be kept: its keys are not of the type asked for' \
        in_netns "$DRS" preview --root "$root" --iface eth1 --port 2380 --key-type rsa

# ---- client-cert
"${C[@]}" alice > "$TMP/c1" 2>&1
check "client-cert alice exits 0" test $? = 0
sed 's/^/    /' "$TMP/c1"
B="$D/clients/alice"
check "alice: key 600, certs 644, tar 600" test "$(mode_of "$B/key.pem") $(mode_of "$B/cert.pem") $(mode_of "$B/ca.pem") $(mode_of "$D/clients/alice.tar")" = \
        "600 root:root 644 root:root 644 root:root 600 root:root"
check "alice's certificate: CN alice, signed by the CA" bash -c "openssl verify -CAfile '$D/ca.pem' -purpose sslclient '$B/cert.pem' >/dev/null &&
        openssl x509 -noout -subject -in '$B/cert.pem' | grep -qx 'subject=CN = alice'"
check "alice's key belongs to it" test "$(openssl pkey -in "$B/key.pem" -pubout)" = "$(x509 -in "$B/cert.pem" -pubkey)"
check "alice.tar holds her bundle" bash -c "tar -xOf '$D/clients/alice.tar' tls/docker/key.pem | cmp -s - '$B/key.pem'"
check "client-cert prints the hand-off for the configured listener" \
        grep -q "export DOCKER_HOST=tcp://10.0.0.5:2380 DOCKER_TLS_VERIFY=1" "$TMP/c1"
check "client-cert: the copy line names alice's directory" grep -q "scp 'root@10.0.0.5:/etc/docker/remote-setup/clients/alice/\*.pem'" "$TMP/c1"
check "client-cert: alice.tar is imported first" bash -c "grep -A2 'On the workstation:' '$TMP/c1' |
        grep -q 'docker context import testhost alice.tar && docker --context testhost version'"
old=$(sha256sum < "$B/cert.pem")
expect_exit "client-cert alice again" 4 'a client "alice" exists already' "${C[@]}" alice
check "the refused one changed nothing" test "$(sha256sum < "$B/cert.pem")" = "$old"
expect_exit "client-cert alice --yes replaces" 0 'Issued the client certificate "alice"' "${C[@]}" alice --yes
check "replaced" test "$(sha256sum < "$B/cert.pem")" != "$old"
"${C[@]}" ci.runner-1 --key-type rsa --cert-days 30 --json > "$TMP/c2.json" 2>&1
check "client-cert --json --key-type rsa --cert-days 30" test "$(json "$TMP/c2.json" dir)" = /etc/docker/remote-setup/clients/ci.runner-1
check "json: tar" test "$(json "$TMP/c2.json" tar)" = /etc/docker/remote-setup/clients/ci.runner-1.tar
# expiry = the moment of issue + 30 days: 0 to 10 minutes less than 30 days from now (the same
# second on a fast machine gives exactly 30 days, so compare seconds, not whole days)
left=$(( $(json "$TMP/c2.json" expiry) - $(date +%s) ))
check "json: expiry 30 days ahead ($left s)" test "$left" -le $((30 * 86400)) -a "$left" -gt $((30 * 86400 - 600))
check "RSA client" grep -q 'Public-Key: (3072 bit)' <<<"$(x509 -in "$D/clients/ci.runner-1/cert.pem" -text)"
h=$(tree_hash "$root/etc")  # not the lock file in var/lib: it holds the last PID
long=$(printf 'n%.0s' {1..65})
for bad in .hidden a/b "$long" '' 'sp ace' 'ü'; do
        expect_exit "client-cert refuses \"$bad\"" 2 'cannot name a client' "${C[@]}" "$bad"
done
expect_exit "client-cert without a name" 2 'needs a NAME' "${C[@]}"
expect_exit "client-cert with another TLS dir" 4 'there is no CA in /srv/tls' "${C[@]}" bob --tls-dir /srv/tls
check "refused client-certs changed nothing" test "$(tree_hash "$root/etc")" = "$h"

# ---- rollback to the state before the first apply: the TLS files that did not exist are gone
expect_exit "rollback to the stock state" 0 'write the new files' in_netns "$DRS" rollback --root "$root" --to "$id1" --yes
check "no file of the first apply's material is left" \
        test -z "$(cd "$D" && find ca.pem ca-key.pem server-cert.pem server-key.pem client client.tar -type f 2>/dev/null)"
check "the drop-in is gone" test ! -e "$root/etc/systemd/system/docker.socket.d/override.conf"
check "daemon.json is gone" test ! -e "$root/etc/docker/daemon.json"
# ---- a short validity: status warns, and the next apply replaces the material
root2="$TMP/short"
make_root debian-plain "$root2"
expect_exit "apply --cert-days 10 warns" 0 'warn +certificates valid for 10 days are within 30 days' \
        in_netns "$DRS" apply --root "$root2" --yes --iface eth1 --cert-days 10
expect_exit "status warns 30 days ahead" 0 'TLS: +/etc/docker/remote-setup: the server certificate expires on [0-9-]+, in (9|10) days: renew it' \
        "$DRS" status --root "$root2"
"$DRS" status --root "$root2" --json > "$TMP/s.json"
check "status --json: tls_expiry in 10 days" test $(( ($(json "$TMP/s.json" tls_expiry) - $(date +%s) + 3600) / 86400 )) = 10
expect_exit "an apply replaces material about to expire" 0 'cannot be kept: the server certificate expires within 30 days' \
        in_netns "$DRS" apply --root "$root2" --yes --iface eth1
expect_exit "status: valid again for 825 days" 0 'server certificate valid until [0-9-]+ \(82[45] days\)' \
        "$DRS" status --root "$root2"
finish
