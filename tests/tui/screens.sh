#!/bin/bash
# screens.sh: the screens an admin reads before and after a change, at 80x24 in English and
# Simplified Chinese, compared with expected files: Preview (a long ExecStart, not wrapped),
# preview-mode Confirm (what would happen, no countdown), Done (TLS on a 15-character NIC and an
# IPv6 address), Rollback (a backup's diff) and a user's rootless daemon (issue 19: Status with
# the choice of daemon, Port & security, Pre-flight with a problem, Preview of the drop-in).
# Nothing is cut: the wizard traces every text it cuts at the edge (DRS_TRACE), and no captured
# line ends mid-word at the last column without the ">" that says it goes on. Preview mode prints the hand-off on exit. TERM unset or dumb: a
# message naming what is needed, exit 2.
. "$top_srcdir/tests/cli/lib.sh"
. "$top_srcdir/tests/tui/lib.sh"
need_netns

# The test network plus a NIC with a name of IFNAMSIZ-1 = 15 characters and only a ULA address.
NIC=enp0s31f6longup
NETNS15=("${NETNS[@]}" bash -c 'ip link add "$1" type veth peer name veth-long && ip link set veth-long up &&
        ip link set "$1" up && ip -6 addr add fd00:77::2/64 dev "$1" nodad && shift && exec "$@"' _ "$NIC")

EN=(env LANG=C.UTF-8 TERM=xterm NO_COLOR=)
ZH=()
mo="$top_builddir/po/zh_CN.gmo"
[ -f "$mo" ] || mo="$top_srcdir/po/zh_CN.gmo"
if command -v localedef >/dev/null && [ -f "$mo" ]; then
        mkdir -p "$TMP/locales" "$TMP/locale/zh_CN/LC_MESSAGES"
        if localedef -i zh_CN -f UTF-8 "$TMP/locales/zh_CN.UTF-8" 2>/dev/null; then
                cp "$mo" "$TMP/locale/zh_CN/LC_MESSAGES/docker-remote-setup.mo"
                ZH=(env LOCPATH="$TMP/locales" LANG=zh_CN.UTF-8 LC_ALL= DOCKER_REMOTE_SETUP_LOCALEDIR="$TMP/locale"
                    TERM=xterm NO_COLOR=)
        fi
fi

# screen NAME: the screen against expected/NAME.txt, backup ids and times masked; kept for the
# mid-word check below.
screen() {
        tui_screen | sed -E 's/[0-9]{8}-[0-9]{6}(-[0-9]+)?/YYYYMMDD-HHMMSS/g; s/[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9:]{8}/DATE/g' \
                > "$TMP/screen-$1.txt"
        compare "screen $1" "$top_srcdir/tests/tui/expected/$1.txt" "$TMP/screen-$1.txt"
}

# traced CMD...: CMD with DRS_TRACE on, its stderr (the trace) appended to $TMP/trace.
traced() { bash -c 'exec "$@" 2>>"$0"' "$TMP/trace" env DRS_TRACE=1 "$@"; }

# walk PREFIX ENV...: Status to Done in preview mode on the 15-character NIC, TLS.
walk() {
        local p=$1
        shift
        tui_start "${NETNS15[@]}" "$@" bash -c 'exec "$@" 2>>"$0"' "$TMP/trace" env DRS_TRACE=1 \
                "$DRS" --preview --root "$root" --iface "$NIC"
        tui_step "$p: Status" -- "1/9 "
        tui_step "$p: Interface, the 15-character NIC preselected (--iface)" Enter -- "^  > $NIC +[^ ]+ +fd00:77::2 "
        tui_step "$p: Port & security" Enter -- "3/9 "
        tui_step "$p: Pre-flight" Enter -- "4/9 "
        tui_step "$p: Preview" Enter -- "5/9 "
        screen "${p}preview"
        tui_step "$p: Apply" Enter -- "6/9 "
        tui_step "$p: Journal" Enter -- "7/9 "
        tui_step "$p: Confirm" Enter -- "8/9 "
        screen "${p}confirm"
        tui_screen | grep -qE "Reverting in|[0-9]:[0-9]{2}$" && fail "$p: a countdown on the preview-mode Confirm" ||
                echo "ok: $p: no countdown in preview mode"
        tui_step "$p: Done" Enter -- "9/9 "
        screen "${p}done"
        tui_step "$p: Right shows the rest of the commands" Right -- "testhost version$"
        tui_step "$p: Enter quits" Enter -- "EXIT=0"
        tui_screen > "$TMP/exit-$p.txt"
        TUI kill-server 2>/dev/null
        sleep 0.2
}

# help_here DESC: F1 opens the help (its frame shows), a key closes it (the frame goes).
help_here() {
        local i
        tui_keys F1
        tui_wait "│  " >/dev/null || fail "$1: the help did not open"
        tui_keys x
        for ((i = 0; i < 100; i++)); do tui_screen | grep -q "│" || return 0; sleep 0.05; done
        fail "$1: the help did not close"
}

# every_screen PREFIX ENV...: for the cut check, each screen with its help, the longest notes
# (0.0.0.0) and the other method's file unfolded.
every_screen() {
        local p=$1
        shift
        tui_start "${NETNS15[@]}" "$@" bash -c 'exec "$@" 2>>"$0"' "$TMP/trace" env DRS_TRACE=1 \
                "$DRS" --preview --root "$root"
        tui_step "$p: Status" -- "1/9 "
        help_here "$p: Status"
        # (Down to the last row: tmux's End is not xterm's.)
        tui_step "$p: Interface, all addresses" Enter Down Down Down Down Down Down Down Down Down Down Down Down Down \
                Down Down Down -- "^  > .*0\.0\.0\.0"
        help_here "$p: Interface"
        tui_step "$p: Port & security for 0.0.0.0" Enter -- "3/9 "
        help_here "$p: Port & security"
        tui_type public
        tui_step "$p: Pre-flight" Enter -- "4/9 "
        help_here "$p: Pre-flight"
        tui_step "$p: Preview" Enter -- "5/9 "
        help_here "$p: Preview"
        tui_step "$p: the other method unfolded" d PgDn PgDn PgDn PgDn -- "5/9 "
        for s in 6 7 8 9; do
                tui_step "$p: screen $s/9" Enter -- "$s/9 "
                help_here "$p: screen $s/9"
        done
        tui_step "$p: quit" Enter -- "EXIT=0"
        TUI kill-server 2>/dev/null
        sleep 0.2
}

root="$TMP/root"
make_root debian-plain "$root"
before=$(tree_hash "$root")
every_screen "every screen" "${EN[@]}"
[ ${#ZH[@]} -eq 0 ] || every_screen "every screen, zh" "${ZH[@]}"
walk screens- "${EN[@]}"
grep -q "docker context import testhost client.tar && docker --context testhost version" "$TMP/exit-screens-.txt" &&
        echo "ok: the hand-off is printed on exit in preview mode" || { fail "no hand-off printed on exit"; cat "$TMP/exit-screens-.txt"; }
grep -q "export DOCKER_HOST=tcp://\[fd00:77::2\]:2376 DOCKER_TLS_VERIFY=1" "$TMP/exit-screens-.txt" &&
        echo "ok: the IPv6 endpoint in brackets" || fail "the IPv6 endpoint is not tcp://[fd00:77::2]:2376"
if [ ${#ZH[@]} -gt 0 ]; then walk zh-screens- "${ZH[@]}"; else echo "skip: no zh_CN locale or catalogue: the Chinese screens"; fi
[ "$(tree_hash "$root")" = "$before" ] && echo "ok: nothing written" || fail "the preview-only wizard changed the tree"

# Rollback: two changes with a long ExecStart (the systemd drop-in method, asked for: the default
# socket method writes no ExecStart; written under --root; plain, so that no generated certificate
# makes the diff differ from run to run); the older one's diff.
hist="$TMP/hist"
make_root debian-plain "$hist"
"$DRS" apply --root "$hist" --iface lo --plain --method dropin --yes >/dev/null 2>&1 ||
        fail "apply --root --method dropin for the history"
"$DRS" apply --root "$hist" --iface lo --plain --method dropin --port 2380 --yes >/dev/null 2>&1 ||
        fail "apply --root --method dropin --port 2380"
for lang in EN ZH; do
        declare -n L=$lang
        [ ${#L[@]} -gt 0 ] || continue
        p=$([ $lang = ZH ] && echo zh-)screens-
        tui_start "${L[@]}" bash -c 'exec "$@" 2>>"$0"' "$TMP/trace" env DRS_TRACE=1 "$DRS" rollback --preview --root "$hist"
        tui_step "$p: Rollback history" -- "docker-remote-setup  [^ ]"
        tui_step "$p: the older change's diff" Down Enter -- "^ -ExecStart=/usr/sbin/dockerd"
        screen "${p}rollback"
        tui_keys q
        TUI kill-server 2>/dev/null
        sleep 0.2
done

# Options given to the wizard are preselected: --address, --port, --plain.
tui_start "${NETNS[@]}" "${EN[@]}" "$DRS" --preview --root "$root" --address 10.0.0.5 --port 2390 --plain
tui_step "--address preselects its row" Enter -- "^  > eth1 +up +10\.0\.0\.5 "
tui_step "--port and --plain preselect the Port screen" Enter -- "Port +\[2390 +\]"
tui_check "plain TCP is chosen" "\(\*\) plain TCP, no authentication"
TUI kill-server 2>/dev/null
sleep 0.2

# Rootless Docker (issue 19): the tree has root's docker.service and alice's rootless one, and
# alice started the wizard (SUDO_USER, read under --root too): Status names the daemon and offers
# the other (u/d); hers takes mode and port only (no method, no clients), Pre-flight shows her
# plan's problems (port 80 < ip_unprivileged_port_start), Preview her drop-in, Done DOCKER_HOST.
rl="$TMP/rootless"
make_root debian-plain "$rl"
rootless_tree "$rl"
rl_before=$(tree_hash "$rl")
rootless_walk() {
        local p=$1
        shift
        tui_start "${NETNS[@]}" "$@" bash -c 'exec "$@" 2>>"$0"' "$TMP/trace" env DRS_TRACE=1 SUDO_USER=alice \
                "$DRS" --preview --root "$rl" --iface eth1 --port 80 --plain
        tui_step "$p: Status, the system's daemon and the choice" -- "^F1 .* u/d "
        screen "${p}-status"
        help_here "$p: Status with the choice"
        tui_step "$p: u switches to alice's" u -- "/home/alice/\.config/systemd/user/docker\.service"
        screen "${p}-status-user"
        tui_step "$p: Interface" Enter -- "2/9 "
        tui_step "$p: Port & security, mode and port only" Enter -- "3/9 "
        tui_type plain
        tui_step "$p: the word typed" -- "\[plain +\]"
        screen "${p}-port"
        tui_step "$p: Pre-flight, port 80 blocks" Enter -- "4/9 "
        screen "${p}-preflight"
        tui_check "$p: the problem names the port" " 80[^0-9]"
        tui_step "$p: Enter refused there" Enter -- "Pre-flight found problems|预检发现问题"
        tui_check "$p: still on Pre-flight" "4/9 "
        tui_step "$p: back to the port" Escape -- "3/9 "
        tui_keys Tab BSpace BSpace
        tui_type 2375
        tui_keys Tab
        tui_type plain
        tui_step "$p: Pre-flight, nothing blocks" Enter -- "4/9 "
        tui_step "$p: Preview, her drop-in" Enter -- "docker-remote-setup\.conf"
        screen "${p}-preview"
        tui_step "$p: Done" Enter Enter Enter Enter -- "9/9 "
        tui_check "$p: DOCKER_HOST at the published address" "DOCKER_HOST=tcp://10\.0\.0\.5:2375 docker version"
        tui_step "$p: Enter quits" Enter -- "EXIT=0"
        tui_screen | grep -q "^  DOCKER_HOST=tcp://10\.0\.0\.5:2375 docker version" &&
                echo "ok: $p: the hand-off printed on exit" || fail "$p: no hand-off printed on exit"
        TUI kill-server 2>/dev/null
        sleep 0.2
}
rootless_walk "rootless" "${EN[@]}"
[ ${#ZH[@]} -eq 0 ] || rootless_walk "zh-rootless" "${ZH[@]}"
[ "$(tree_hash "$rl")" = "$rl_before" ] && echo "ok: rootless: nothing written" || fail "the preview-only wizard changed the tree"

# --user alice starts on hers, d switches to the system's; options it does not take are refused.
tui_start "${NETNS[@]}" "${EN[@]}" "$DRS" --preview --root "$rl" --user alice
tui_step "--user alice: her daemon first" -- "Daemon: +rootless Docker of alice"
tui_step "d: the system's" d -- "Daemon: +system docker\.service"
tui_check "and u offered back" "u switches to the rootless Docker of alice"
TUI kill-server 2>/dev/null
sleep 0.2
expect_exit "the wizard with --user refuses --method" 2 "option --method does not apply to --user" \
        "$DRS" --preview --root "$rl" --user alice --method dropin
# Without SUDO_USER (and not run by alice) there is no choice: the system's daemon only.
tui_start "${NETNS[@]}" "${EN[@]}" env -u SUDO_USER "$DRS" --preview --root "$rl"
tui_step "no rootless daemon of the starter: no choice" -- "1/9 Status"
tui_screen | grep -q "u/d\|Other daemon" && fail "a choice offered without a rootless daemon of the starter" ||
        echo "ok: no choice without the starter's rootless daemon"
TUI kill-server 2>/dev/null
sleep 0.2

# A host with only alice's rootless Docker: the wizard started by her works on it (no choice).
ro="$TMP/rootless-only"
rootless_tree "$ro"
tui_start "${NETNS[@]}" "${EN[@]}" env SUDO_USER=alice "$DRS" --preview --root "$ro"
tui_step "only a rootless daemon: the wizard works on it" -- "Daemon: +rootless Docker of alice"
tui_screen | grep -q "u/d\|Other daemon" && fail "a choice offered without a system daemon" ||
        echo "ok: no choice without a system daemon"
TUI kill-server 2>/dev/null
sleep 0.2
# An interrupted apply --user (killed after the backup): Status says interrupted, not pending, and
# offers no Confirm; the dialog offers to complete or roll back.
need_test_build
ri="$TMP/rootless-interrupted"
rootless_tree "$ri"
[ "$(id -u)" = 0 ] && chown -R 1000:1000 "$ri/home/alice"
DRS_TEST_FAULT=after-backup:kill "$DRS_TEST" apply --root "$ri" --user alice --iface lo --plain --yes >/dev/null 2>&1
tui_start "${NETNS[@]}" "${EN[@]}" "$DRS" --preview --root "$ri" --user alice
tui_step "interrupted rootless change: the dialog" -- "An interrupted change was found"
tui_keys Escape
tui_step "interrupted rootless change: Status says so" -- "Pending: +an interrupted change \(see the dialog\)"
tui_screen | grep -q "c Confirm" && fail "Confirm offered for an interrupted change" ||
        echo "ok: no Confirm for an interrupted change"
TUI kill-server 2>/dev/null
sleep 0.2

# Not preview: under --root the wizard writes her drop-in through engine_user_apply (the files are
# the change: no systemd there, so no hand-off, as for root's daemon), as root names the commands
# with sudo; then the rollback screen
# of her daemon (rollback --user) lists that backup set.
rw="$TMP/rootless-write"
rootless_tree "$rw"
[ "$(id -u)" = 0 ] && chown -R 1000:1000 "$rw/home/alice"
tui_start "${NETNS[@]}" "${EN[@]}" "$DRS" --root "$rw" --user alice --iface lo --plain
tui_step "--root --user alice: changes apply" -- "rootless: changes apply"
tui_step "to Port & security" Enter Enter -- "3/9 "
tui_type plain
tui_step "to Apply" Enter Enter Enter -- "Enter applies it"
tui_step "applied, then Done" Enter Enter -- "Kept: tcp://127\.0\.0\.1:2375 \(backup "
grep -qF -- '-p 127.0.0.1:2375:2375/tcp' "$rw/home/alice/.config/systemd/user/docker.service.d/docker-remote-setup.conf" &&
        echo "ok: her drop-in written" || fail "her drop-in was not written"
[ "$(stat -c %u "$rw/home/alice/.config/systemd/user/docker.service.d/docker-remote-setup.conf")" = 1000 ] &&
        echo "ok: and hers" || fail "the drop-in is not alice's"
tui_check "Done: undo names --user" "Undo later with: sudo docker-remote-setup rollback --user alice"
tui_step "quit" Enter -- "EXIT=0"
TUI kill-server
sleep 0.2
tui_start "${EN[@]}" "$DRS" rollback --preview --root "$rw" --user alice
tui_step "rollback --user: her backup set" -- "rootless Docker of alice"
TUI kill-server 2>/dev/null
sleep 0.2

# TERM unset or dumb: no drawing, a message naming what is needed, exit 2.
for t in unset dumb; do
        if [ $t = unset ]; then tui_start env -u TERM LANG=C.UTF-8 "$DRS" --preview --root "$root"
        else tui_start env TERM=dumb LANG=C.UTF-8 "$DRS" --preview --root "$root"; fi
        tui_step "TERM $t: exit 2" -- "EXIT=2"
        tui_check "TERM $t: it names what is needed" "needs a terminal with cursor addressing"
        tui_check "TERM $t: and an example" "TERM=xterm-256color"
        TUI kill-server 2>/dev/null
        sleep 0.2
done

# Nothing cut: every text the wizard cut at the edge is in the trace (it cuts only what does not
# fit, and scrolled lines are cut by the view with a mark instead).
cuts=$(grep -a "term: cut" "$TMP/trace" | sed 's/^drs-trace [0-9]* [0-9]* //' | sort -u)
[ -z "$cuts" ] && echo "ok: no text was cut at the edge ($(grep -ac 'wizard: drawn' "$TMP/trace") screens drawn)" ||
        fail "text cut at the edge of the screen:"$'\n'"$cuts"
# And on the captured screens: a line that reaches the last column (78) with a letter or digit
# goes on past it; that needs the ">" mark in the margin.
python3 - "$TMP"/screen-*.txt <<'EOF' || fail "a captured line ends mid-word at the edge"
import sys, unicodedata
bad = 0
for path in sys.argv[1:]:
    for n, line in enumerate(open(path, encoding='utf-8').read().split('\n')[1:-2], 2):
        text = line.rstrip()
        width = sum(2 if unicodedata.east_asian_width(c) in 'WF' else 1 for c in text)
        if width == 79 and text[-1].isascii() and text[-1].isalnum():
            print(f"{path}:{n}: ends at the edge mid-word: {text!r}")
            bad += 1
print(f"ok: {len(sys.argv) - 1} captured screens, no line ends mid-word at the edge" if not bad else "")
sys.exit(1 if bad else 0)
EOF
finish
