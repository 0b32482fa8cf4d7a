#!/bin/bash
# valgrind.sh: the preview-only wizard under valgrind (memcheck) at 80x24, walked through every
# screen, with the help, the container toggle, a refused port, a resize below 80x24 and back;
# no invalid read or write, no use of uninitialised memory, nothing definitely lost.
. "$top_srcdir/tests/cli/lib.sh"
. "$top_srcdir/tests/tui/lib.sh"
command -v valgrind >/dev/null || { echo "SKIP: valgrind is not installed"; exit 77; }
need_netns

root="$TMP/root"
make_root debian-plain "$root"
vlog="$TMP/valgrind.log"
# Under valgrind every step is ~20x slower: a longer wait per screen.
T=60

tui_start "${NETNS[@]}" env LANG=C.UTF-8 TERM=xterm \
        valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
        --show-leak-kinds=definite --track-origins=yes --log-file="$vlog" \
        "$DRS" --preview --root "$root"
step() {
        local desc=$1 keys=()
        shift
        while [ "$1" != -- ]; do keys+=("$1"); shift; done
        shift
        [ ${#keys[@]} -eq 0 ] || tui_keys "${keys[@]}"
        if tui_wait "$1" $T; then echo "ok: $desc"; else fail "$desc"; fi
}
step "Status" -- "1/9 Status"
step "help" F1 -- "Any key closes this help"
step "help closed" x -- "Enter Set up a listener"
step "Interface" Enter -- "2/9 Interface"
step "container NICs shown" a -- "docker0 .*172\.17\.0\.1"
step "and hidden" a -- "container addresses hidden"
step "Port & security" Enter -- "3/9 Port & security"
step "a bad port" Tab BSpace BSpace BSpace BSpace 0 -- "the port must be from 1 to 65535"
tui_keys BSpace
tui_type 2376
step "Pre-flight" Enter -- "4/9 Pre-flight"
step "Preview" Enter -- "5/9 Preview"
step "scrolls" PgDn -- "5/9 Preview"
tui_resize 60 20
step "too small" -- "Please enlarge the terminal"
tui_resize 80 24
step "back" -- "5/9 Preview"
step "Apply (preview only)" Enter -- "Preview only: nothing is written"
step "Journal" Enter -- "7/9 Journal"
step "Confirm (as it would look)" Enter -- "Preview only: nothing was started or contacted"
step "Done" Enter -- "9/9 Done"
step "exit" Enter -- "EXIT=[0-9]+"
tui_check "the wizard exited 0 under valgrind (99: errors found)" "EXIT=0"

# Valgrind 3.19 does not know openat2 (rootfs.c falls back when it gets ENOSYS): its notice
# about that is not a finding.
grep -v -e 'WARNING: unhandled amd64-linux syscall: 437' -e 'You may be able to write your own handler' \
        -e 'README_MISSING_SYSCALL_OR_IOCTL' -e 'Nevertheless we consider this a bug' \
        -e 'it at http://valgrind.org/support/bug_reports.html' "$vlog" >"$TMP/findings"
if [ -s "$TMP/findings" ]; then
        fail "valgrind reported:"
        sed 's/^/    /' "$TMP/findings" | head -n 80
else
        echo "ok: valgrind reported nothing ($(wc -l <"$vlog") lines of notices about openat2)"
fi
finish
