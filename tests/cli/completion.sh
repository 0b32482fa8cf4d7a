#!/bin/bash
# completion.sh: the bash completion in a real bash: commands of the command table, for each command
# exactly the options the parser accepts, values of --method/--key-type, backup IDs (directory and
# "rollback --list --json"), interfaces and addresses in a private network namespace.
. "$top_srcdir/tests/cli/lib.sh"

completion="$top_srcdir/completion/docker-remote-setup"
[ -f "$completion" ] || { echo "FAIL: $completion is missing"; exit 1; }

# comp WORD...: what the completion offers for the command line WORD... (the last word is the one
# being completed), sorted, one line. COMP_WORDS[0] is the program ($DRS unless PROG is set).
comp() {
        bash -c 'source "$1" || exit 9; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _docker_remote_setup || exit 8
                 printf "%s\n" "${COMPREPLY[@]}"' _ "$completion" "${PROG:-$DRS}" "$@" | sed '/^$/d' | sort | paste -sd' ' -
}

# expect NAME "EXPECTED" WORD...: the completion of WORD... is exactly EXPECTED (any order).
expect() {
        local name=$1 want got
        want=$(tr ' ' '\n' <<<"$2" | sed '/^$/d' | sort | paste -sd' ' -)
        shift 2
        got=$(comp "$@")
        if [ "$got" = "$want" ]; then
                echo "ok: $name"
        else
                fail "$name: completing [$*] gave [$got], expected [$want]"
        fi
}

# The command table and the option table, from the source.
src_cmds=$(cat "$top_srcdir"/src/cli/*.c | sed -n '/drs_commands\[\] = {/,/^};/p' |
        sed -n 's/^[[:space:]]*{"\([a-z][a-z-]*\)",.*/\1/p')
src_opts=$(sed -n '/long_options\[\] = {/,/^};/p' "$top_srcdir/src/cli/args.c" |
        sed -n 's/^[[:space:]]*{"\([a-z][a-z-]*\)", *\([a-z_]*\),.*/\1 \2/p')
[ -n "$src_cmds" ] && [ -n "$src_opts" ] || { echo "FAIL: cannot read the tables in src/cli"; exit 1; }

expect "commands" "$src_cmds" ""
expect "commands by prefix" "$(grep '^r' <<<"$src_cmds")" r
expect "a command after an option and its value" "status" --root /nonexistent st

# A value that the parser accepts for each option that takes one; "1" for any other.
sample() {
        case $1 in
        iface) echo lo ;; address) echo 127.0.0.1 ;; port) echo 2375 ;; method) echo dropin ;;
        root | tls-dir) echo /nonexistent ;; dropin) echo x.conf ;; key-type) echo ecdsa ;;
        cert-days) echo 825 ;; to | auto) echo 20250101-000000 ;; allow-from) echo 10.0.0.0/8 ;; user) echo alice ;; *) echo 1 ;;
        esac
}

# accepted COMMAND: the options the parser takes with COMMAND. Surplus arguments make it stop with
# "unexpected argument" (accepted) or "does not apply" (not) before the command would run.
accepted() {
        local cmd=$1 name arg out
        while read -r name arg; do
                case $name in help | version) continue ;; esac
                if [ "$arg" = required_argument ]; then
                        out=$("$DRS" "$cmd" "--$name" "$(sample "$name")" x1 x2 x3 x4 2>&1)
                else
                        out=$("$DRS" "$cmd" "--$name" x1 x2 x3 x4 2>&1)
                fi
                case $out in
                *"does not apply to"*) ;;
                *"unexpected argument"*) echo "--$name" ;;
                *) fail "cannot tell whether $cmd takes --$name (add a value for it to sample()): $out" ;;
                esac
        done <<<"$src_opts"
}

for c in $src_cmds; do
        want=$(accepted "$c")
        [ -n "$want" ] || fail "$c: the parser accepts no option at all? (probe broken)"
        expect "options of $c" "$want --help" "$c" --
done
expect "options without a command (the wizard)" "$(accepted wizard) --help --version" --
# Every option that takes a value is known as one: the word after it is its value, not a command.
while read -r name arg; do
        [ "$arg" = required_argument ] &&
                expect "the word after --$name is its value" "$(accepted wizard) --help --version" "--$name" status --
done <<<"$src_opts"
expect "options after an option value" "$(accepted apply) --help" --port 2375 apply --
expect "option prefix" "--confirm-timeout" apply --conf

expect "--method values" "socket dropin docker-opts" apply --method ""
expect "--method=, split at '='" "socket dropin docker-opts" apply --method = ""
expect "--method=d, split at '='" "dropin docker-opts" apply --method = d
expect "--method=docker-, one word" "docker-opts" apply --method=docker-
expect "--method s" "socket" apply --method s
expect "--key-type values" "ecdsa rsa" apply --key-type ""
expect "--port values" "2375" apply --plain --port 2375
expect "no value for --timeout" "" apply --timeout ""
expect "--allow-from a" "any" apply --allow-from a

# Backup IDs made by the program itself: apply on a fixture root writes files and a backup set.
root="$TMP/root"
make_root debian-plain "$root"
for port in 2375 2380; do
        "$DRS" apply --root "$root" --iface lo --plain --port $port --yes > "$TMP/apply.out" 2>&1 ||
                { fail "apply --root (port $port) exited $?"; cat "$TMP/apply.out"; }
done
mkdir -p "$root/var/lib/docker-remote-setup/backups/not-an-id"
"$DRS" rollback --list --json --root "$root" > "$TMP/list.json" || fail "rollback --list --json exited $?"
ids=$(sed -n 's/^ *"id" *: *"\([0-9-]*\)".*/\1/p' "$TMP/list.json")
[ "$(wc -w <<<"$ids")" = 2 ] || fail "rollback --list --json listed [$ids], expected two backup sets"
expect "--to: backup IDs from the state directory" "$ids" rollback --root "$root" --to ""
expect "--auto: backup IDs, --root=DIR" "$ids" rollback --root="$root" --auto ""
first=$(head -n1 <<<"$ids")
expect "--to ID prefix" "$(grep "^${first:0:13}" <<<"$ids")" rollback --root "$root" --to "${first:0:13}"
# Without a readable state directory: from "rollback --list --json" (a wrapper that answers it).
cat > "$TMP/fake-drs" <<EOF
#!/bin/bash
if [ "\$1 \$2 \$3" = "rollback --list --json" ]; then cat "$TMP/list.json"; exit 0; fi
exec "$DRS" "\$@"
EOF
chmod +x "$TMP/fake-drs"
PROG="$TMP/fake-drs" expect "--to: backup IDs from rollback --list --json" "$ids" rollback --root "$TMP/nothing" --to ""

# Interfaces and addresses: a network namespace with its own /sys (the completion reads /sys/class/net).
if unshare --net --mount true 2>/dev/null && command -v ip >/dev/null; then
        ns() {
                # More plumbing than netns-setup.sh makes: an nspawn host end and a CNI bridge.
                unshare --net --mount bash -c 'mount -t sysfs sysfs /sys && exec bash "$@"' _ \
                        "$top_srcdir/tests/cli/netns-setup.sh" bash -c "ip link add vb-test type bridge && ip link add cni0 type bridge &&
                                $(declare -f comp expect fail); failures=0; \"\$@\"; exit \$failures" _ "$@"
        }
        export completion DRS
        ns expect "--iface: interfaces, container plumbing (as the program has it) hidden" "eth0 eth1 eth2 eth3 eth4 eth5 lo" apply --iface "" ||
                failures=$((failures + 1))
        ns expect "--iface: plumbing when asked for" "veth1a2b3c4 veth9f8e7d6 veth-eth0 veth-eth1 veth-eth2 veth-eth3 veth-eth4 veth-eth5" \
                apply --iface veth || failures=$((failures + 1))
        # When the program cannot list them: every name in /sys/class/net.
        printf '#!/bin/sh\n[ "$1" = interfaces ] && exit 1\nexec "%s" "$@"\n' "$DRS" > "$TMP/no-interfaces"
        chmod +x "$TMP/no-interfaces"
        PROG="$TMP/no-interfaces" ns expect "--iface: from /sys/class/net" "vb-test veth-eth0 veth-eth1 veth-eth2 veth-eth3 veth-eth4 veth-eth5 veth1a2b3c4 veth9f8e7d6" \
                apply --iface v || failures=$((failures + 1))
        ns expect "--address: addresses of --iface, 0.0.0.0" "172.16.1.5 172.16.1.6 0.0.0.0" apply --iface eth5 --address "" ||
                failures=$((failures + 1))
        ns expect "--address: link-local left out" "10.0.0.5 0.0.0.0" apply --iface=eth1 --address "" ||
                failures=$((failures + 1))
else
        echo "skipped: interface completion (needs root, unshare and ip)"
fi
finish
