#!/bin/bash
# walk.sh: the wizard in preview-only mode at 80x24 on a --root tree, with the NICs of the test
# network namespace: every screen to Preview and back, help, the container toggle, refused
# choices, resize to 60x20 and back, q; nothing is written. Also: not a tty, NO_COLOR.
. "$top_srcdir/tests/cli/lib.sh"
. "$top_srcdir/tests/tui/lib.sh"
need_netns

root="$TMP/root"
make_root debian-plain "$root"
before=$(tree_hash "$root")
W=("${NETNS[@]}" env LANG=C.UTF-8 TERM=xterm NO_COLOR= "$DRS" --preview --root "$root")

tui_start "${W[@]}"
tui_step "Status first" -- "1/9 Status"
tui_compare status
tui_check "preview-only is said" "preview only: nothing is written"
tui_step "F1 opens the help" F1 -- "Any key closes this help"
tui_step "a key closes it" x -- "Enter Set up a listener"
tui_step "Interface" Enter -- "2/9 Interface"
tui_compare interface
tui_check "the private NIC without the default route is preselected" "^  > eth1 +up +10\.0\.0\.5 +private"
tui_check "the public NIC is marked with the default route" "eth0 +up +\* +203\.0\.113\.10 +public"
tui_step "container NICs shown" a -- "docker0 .*172\.17\.0\.1"
tui_step "and hidden again" a -- "container addresses hidden"
tui_step "public address: the reason is spelled out" Up Up -- "public: reachable from outside this network"
tui_step "Port & security for the public address" Enter -- "3/9 Port & security"
tui_check "plain TCP is not offered there" "plain TCP only on loopback, private, CGNAT or ULA addresses"
tui_check "TLS on a public address asks for a typed word" 'Type "public" to confirm'
tui_step "plain cannot be chosen" Down -- "^plain TCP only on loopback"
tui_step "Enter without the word is refused" Enter -- 'Type "public" to confirm, or choose differently'
tui_check "the whole warning is shown" "port is exposed\."
tui_keys BTab BTab
tui_type p
tui_step "a letter in the Port field is refused there, not moved elsewhere" -- "The port is a number; Tab moves to the next field"
tui_check "the port is unchanged" "\[2376  \]"
tui_check "the word field is still empty" 'Type "public" to confirm: \[ +\]'
tui_keys BTab
tui_type public
tui_step "the word typed on a choice goes into its own field" -- 'Type "public" to confirm: \[public'
tui_check "and the stale message is gone" "^F1 Help"
tui_screen | grep -q "The port is a number" && fail "the message about the port stayed" || echo "ok: the message went"
tui_step "and is accepted" Enter -- "4/9 Pre-flight"
tui_step "back to Port & security" Escape -- "3/9 Port & security"
tui_step "back to Interface" Escape -- "2/9 Interface"
tui_step "the private NIC again, then Port" Down Down Enter -- "3/9 Port & security"
tui_compare port
tui_step "plain TCP asks for its word" Down -- 'Type "plain" to confirm'
tui_check "the port follows the mode" "\[2375 +\]"
tui_step "a bad port is reported live" Tab BSpace BSpace BSpace BSpace 0 -- "the port must be from 1 to 65535"
tui_keys BSpace
tui_type 2375
tui_keys Tab Tab
tui_type plain
tui_step "Pre-flight" Enter -- "4/9 Pre-flight"
tui_compare preflight
tui_step "Preview" Enter -- "5/9 Preview"
tui_check "the method is shown" "^ Method: +docker.socket drop-in"
tui_check "and why it was picked" "docker.socket exists and ExecStart= takes its listeners from it"
tui_check "the option in the reason is not split from its value" "^ +\(-H fd://\)$"
tui_check "a long ExecStart is not wrapped: a mark says it goes on" "^   /usr/sbin/dockerd -H fd:// .*>$"
tui_compare preview
tui_step "Right scrolls it sideways, to its end" Right Right -- "containerd\.sock \\\$DOCKER_OPTS$"
tui_check "a mark says it goes on to the left" "^<.*containerd\.sock \\\$DOCKER_OPTS$"
tui_step "Left scrolls back" Left Left -- "^   /usr/sbin/dockerd -H fd://"
tui_step "the preview scrolls" PgDn -- "^ --- /dev/null"
tui_resize 60 20
tui_step "resized to 60x20: a clear notice" -- "Please enlarge the terminal to at least 80x24"
tui_check "it says the size it has" "60x20 now"
tui_resize 80 24
tui_step "back at 80x24 the preview returns" -- "5/9 Preview"
# The other method chosen on Port & security: its long ExecStart= after scrolls to its end.
tui_step "back to Port & security" Escape Escape -- "3/9 Port & security"
tui_step "the systemd drop-in chosen" Tab Tab Down -- "^ +\(\*\) systemd drop-in \(override\.conf\)"
tui_keys Tab
tui_type plain
tui_step "Preview with the systemd drop-in" Enter Enter -- "^ Method: +systemd drop-in /etc/systemd/system/docker\.service\.d/"
tui_check "why: the choice made on the screen, not a flag" "^ +chosen on the Port & security screen$"
tui_check "a long ExecStart after: a mark says it goes on" "^   /usr/sbin/dockerd -H fd:// .*>$"
tui_step "Right scrolls it sideways, to its end" Right Right -- "\\\$DOCKER_OPTS -H tcp://10\.0\.0\.5:2375 --tls=false$"
tui_check "a mark says it goes on to the left" "^<.*--tls=false$"
tui_step "and Left back" Left Left -- "^   /usr/sbin/dockerd -H fd://"
tui_step "Apply says nothing is written" Enter -- "Preview only: nothing is written"
tui_step "Journal" Enter -- "7/9 Journal"
tui_step "Confirm says what would happen, with no countdown" Enter -- "Preview only: nothing was started or contacted"
tui_check "it says what would happen" "After a real apply, once dockerd has logged \"API listen on"
tui_screen | grep -q "answers: dockerd reported" && fail "an answer is claimed in preview mode" || echo "ok: no answer claimed"
tui_screen | grep -q "Reverting in" && fail "a countdown in preview mode" || echo "ok: no countdown in preview mode"
tui_step "Done" Enter -- "9/9 Done"
tui_check "the hand-off is shown" "export DOCKER_HOST=tcp://10\.0\.0\.5:2375"
tui_step "Esc-free exit from Done" Enter -- "EXIT=0"

# Esc walks back to Status; q quits from there.
tui_keys C-c 2>/dev/null; TUI kill-server 2>/dev/null; sleep 0.2
tui_start "${W[@]}"
tui_step "again" -- "1/9 Status"
tui_step "to Pre-flight" Enter Enter Enter -- "4/9 Pre-flight"
tui_step "Esc" Escape -- "3/9 Port & security"
tui_step "Esc" Escape -- "2/9 Interface"
tui_step "Esc" Escape -- "1/9 Status"
tui_step "q quits" q -- "EXIT=0"
TUI kill-server 2>/dev/null; sleep 0.2

# The chosen NIC vanishes between screens: Pre-flight names it; back on Interface it is gone.
tui_start "${W[@]}"
tui_step "once more" -- "1/9 Status"
tui_step "to Port & security on eth1" Enter Enter -- "Listener on 10\.0\.0\.5 \(eth1"
wizard_pid=$(pgrep -P "$(TUI display-message -p '#{pane_pid}')" | head -n 1)
if [ -n "$wizard_pid" ] && [ "$(readlink "/proc/$wizard_pid/ns/net")" != "$(readlink /proc/self/ns/net)" ]; then
        nsenter -t "$wizard_pid" -n ip link del eth1
        tui_step "Pre-flight names the NIC that is gone" Enter -- 'BLOCK +there is no network interface "eth1" on this host'
        tui_step "Esc" Escape -- "3/9 Port & security"
        tui_step "Interface again" Escape -- "2/9 Interface"
        tui_screen | grep -q "eth1 " && fail "eth1 is still listed after it vanished" || echo "ok: eth1 is no longer listed"
else
        fail "cannot find the wizard's process in its network namespace (pid '$wizard_pid')"
fi
TUI kill-server 2>/dev/null; sleep 0.2

[ "$(tree_hash "$root")" = "$before" ] && echo "ok: nothing written" || fail "the preview-only wizard changed the tree"

# Colours: none with NO_COLOR, some without.
tui_start "${NETNS[@]}" env LANG=C.UTF-8 TERM=xterm-256color NO_COLOR=1 "$DRS" --preview --root "$root"
tui_wait "1/9 Status" >/dev/null
TUI capture-pane -p -e | grep -q $'\e\\[3[0-7]m\|\e\\[4[0-7]m' && fail "colours with NO_COLOR" || echo "ok: no colour with NO_COLOR"
TUI kill-server 2>/dev/null; sleep 0.2
tui_start "${NETNS[@]}" env -u NO_COLOR LANG=C.UTF-8 TERM=xterm-256color "$DRS" --preview --root "$root"
tui_wait "1/9 Status" >/dev/null
TUI capture-pane -p -e | grep -q $'\e\\[[0-9;]*4[0-7]m\|\e\\[[0-9;]*3[0-7]m\|\e\\[[0-9;]*48;5;' && echo "ok: colours by default" ||
        fail "no colours without NO_COLOR"
TUI kill-server 2>/dev/null

# The Rollback screen: history of two changes on the tree, the diff of one against now.
hist="$TMP/hist"
make_root debian-plain "$hist"
"$DRS" apply --root "$hist" --iface lo --plain --yes >/dev/null 2>&1
"$DRS" apply --root "$hist" --iface lo --plain --port 2380 --yes >/dev/null 2>&1
tui_start env LANG=C.UTF-8 TERM=xterm "$DRS" rollback --preview --root "$hist"
tui_step "Rollback history, newest first" -- "Changes made by docker-remote-setup, newest first"
tui_check "the newest change is selected" "^  > [0-9-]+ +tcp://127\.0\.0\.1:2380 plain \(docker\.socket\)$"
tui_check "how it ended, on its own row" "^ {24}written \(no restart\)$"
tui_check "the older one is listed" "^    [0-9-]+ +tcp://127\.0\.0\.1:2375 plain"
tui_step "the older one's diff against now" Down Enter -- "Restoring it puts these files back"
tui_check "it would remove the socket drop-in" "^ -ListenStream=127\.0\.0\.1:2380"
tui_step "restoring needs root in preview" Enter -- "Preview only: restoring needs root"
tui_step "Esc back to the list" Escape -- "newest first"
tui_step "Esc to Status" Escape -- "1/9 Status"
tui_step "q" q -- "EXIT=0"
TUI kill-server 2>/dev/null

# Not a terminal: a clear message and the usage exit code.
"$DRS" --preview --root "$root" </dev/null >"$TMP/out" 2>&1
rc=$?
[ $rc -eq 2 ] && grep -q "the wizard needs a terminal" "$TMP/out" && echo "ok: not a tty" ||
        fail "not a tty: exit $rc, $(cat "$TMP/out")"
# A terminal the terminal database does not know: a clear message and exit 2 (as for TERM=dumb) before anything is
# drawn (initscr() would print its own message and exit() from inside curses).
TUI kill-server 2>/dev/null; sleep 0.2
tui_start env LANG=C.UTF-8 TERM=drs-no-such-terminal "$DRS" --preview --root "$root"
tui_step "unknown TERM: message and exit 2" -- "EXIT=2"
tui_check "it names the terminal type" 'cannot draw on this terminal: TERM="drs-no-such-'
tui_check "and says what to do (wrapped at 80 columns)" 'is not in the terminal database; set TERM to a known type'
TUI kill-server 2>/dev/null
finish
