#!/bin/bash
# usage.sh: bad command lines and refused requests: a clear message, the documented exit code,
# and nothing written.
. "$top_srcdir/tests/cli/lib.sh"

root="$TMP/root"
make_root debian-plain "$root"
before=$(tree_hash "$root")
P=("$DRS" preview --root "$root")

expect_exit "port 0"        2 '--port: "0" is not a port number from 1 to 65535' "${P[@]}" --iface lo --port 0
expect_exit "port 65536"    2 '--port: "65536" is not a port number'  "${P[@]}" --iface lo --port 65536
expect_exit "port abc"      2 '--port: "abc" is not a port number'    "${P[@]}" --iface lo --port abc
expect_exit "port missing"  2 'option "--port" needs a value'        "${P[@]}" --iface lo --port
expect_exit "unknown iface" 4 'there is no network interface "nosuch0"' "${P[@]}" --iface nosuch0
expect_exit "bad iface"     2 '--iface: "a/b" is not a valid interface name' "${P[@]}" --iface a/b
expect_exit "link-local"    2 'fe80::1 is link-local'                "${P[@]}" --iface lo --address fe80::1
expect_exit "zone id"       2 'link-local'                           "${P[@]}" --iface lo --address 'fe80::1%lo'
expect_exit "not an IP"     2 '"10.0.0" is not an IPv4 or IPv6 address' "${P[@]}" --address 10.0.0
expect_exit "addr not on iface" 4 'address 10.99.99.99 is not on interface "lo"' "${P[@]}" --iface lo --address 10.99.99.99
expect_exit "addr nowhere"  4 'not configured on any interface'      "${P[@]}" --address 10.99.99.99
expect_exit "nothing chosen" 2 'choose an interface \(--iface\) or an address' "${P[@]}"
expect_exit "0.0.0.0 plain" 4 'plain TCP is refused on 0.0.0.0'      "${P[@]}" --address 0.0.0.0 --plain
expect_exit "0.0.0.0 tls"   4 'add --allow-public'                   "${P[@]}" --address 0.0.0.0
expect_exit "0.0.0.0 allowed" 0 'tcp://0.0.0.0:2376'                 "${P[@]}" --address 0.0.0.0 --allow-public
expect_exit "tls+plain"     2 '--tls and --plain cannot be used together' "${P[@]}" --iface lo --tls --plain
expect_exit "method"        2 '--method: "foo" is neither'           "${P[@]}" --iface lo --method foo
expect_exit "relative root" 2 '--root: "rel" is not an absolute path' "$DRS" preview --root rel --iface lo
expect_exit "missing root"  2 'cannot open the root directory'       "$DRS" preview --root "$TMP/none" --iface lo
expect_exit "dropin name"   2 '--dropin: "../x.conf" must be a plain file name' "${P[@]}" --iface lo --dropin ../x.conf
expect_exit "tls dir"       2 '--tls-dir: "etc" must be an absolute path' "${P[@]}" --iface lo --tls-dir etc
expect_exit "key type"      2 '--key-type: "dsa" is neither "ecdsa" nor "rsa"' "${P[@]}" --iface lo --key-type dsa
expect_exit "cert days 0"   2 '--cert-days: "0" is not a number of days from 1 to 3650' "${P[@]}" --iface lo --cert-days 0
expect_exit "cert days big" 2 '--cert-days: "3651" is not a number of days' "${P[@]}" --iface lo --cert-days 3651
expect_exit "cert days abc" 2 '--cert-days: "9x" is not a number of days' "${P[@]}" --iface lo --cert-days 9x
expect_exit "key type for status" 2 'option --key-type does not apply to "status"' "$DRS" status --root "$root" --key-type rsa
expect_exit "iface for client-cert" 2 'option --iface does not apply to "client-cert"' \
        "$DRS" client-cert alice --root "$root" --iface lo
expect_exit "two client names" 2 'unexpected argument "bob"' "$DRS" client-cert alice bob --root "$root"
expect_exit "rsa preview"   0 'generated \(RSA 3072, valid 90 days; the CA 3650 days\)' "${P[@]}" --iface lo --key-type rsa --cert-days 90
expect_exit "long validity" 0 'valid 3000 days; the CA 6000 days' "${P[@]}" --iface lo --cert-days 3000
expect_exit "option for other command" 2 'option --yes does not apply to "preview"' "${P[@]}" --iface lo --yes
expect_exit "unknown option" 2 'unknown option "--bogus"'            "${P[@]}" --bogus
expect_exit "unknown command" 2 'unknown command "frobnicate"'       "$DRS" frobnicate
expect_exit "extra argument" 2 'unexpected argument "extra"'         "${P[@]}" --iface lo extra
expect_exit "confirm timeout" 2 '--confirm-timeout: "0" is not a number of seconds' "$DRS" apply --confirm-timeout 0
expect_exit "help"          0 'Usage: docker-remote-setup'           "$DRS" --help
expect_exit "version"       0 "^docker-remote-setup [0-9]+\.[0-9]+"  "$DRS" --version

[ "$(tree_hash "$root")" = "$before" ] || fail "a refused command changed the tree"
finish
