# lib.sh: driving the wizard through a private tmux server at a fixed size (sourced by tests/tui/*.sh).
# Needs tests/cli/lib.sh first (TMP, FIXTURES, compare, fail, finish).

command -v tmux >/dev/null || { echo "SKIP: tmux is not installed"; exit 77; }
TUI_SOCKET=drs-tui-$$
TUI() { tmux -L "$TUI_SOCKET" -f /dev/null "$@"; }
trap 'TUI kill-server 2>/dev/null; rm -rf "$TMP"' EXIT

# tui_start CMD...: runs CMD in an 80x24 pane; the pane stays after it exits and shows "EXIT=n".
tui_start() {
        local cmd
        printf -v cmd '%q ' "$@"
        TUI new-session -d -x 80 -y 24 "$cmd; echo EXIT=\$?; sleep 3600"
}

tui_screen() { TUI capture-pane -p; }
tui_keys() { TUI send-keys "$@"; }
tui_type() { TUI send-keys -l "$1"; }
tui_resize() { TUI resize-window -x "$1" -y "$2"; }

# tui_wait REGEX [SECONDS]: polls the screen until REGEX (grep -E) shows; fails with the screen.
tui_wait() {
        local re=$1 t=${2:-10} i
        for ((i = 0; i < t * 20; i++)); do
                tui_screen | grep -Eq -- "$re" && return 0
                sleep 0.05
        done
        echo "timed out waiting for /$re/ on:"
        tui_screen | sed 's/^/    |/'
        return 1
}

# tui_check DESC REGEX: the screen shows REGEX now (after the marker waited for).
tui_check() {
        if tui_screen | grep -Eq -- "$2"; then echo "ok: $1"; else
                fail "$1: /$2/ not on the screen"
                tui_screen | sed 's/^/    |/'
        fi
}

# tui_step DESC KEYS... -- REGEX: sends keys, waits for the marker.
tui_step() {
        local desc=$1 keys=()
        shift
        while [ "$1" != -- ]; do keys+=("$1"); shift; done
        shift
        [ ${#keys[@]} -eq 0 ] || tui_keys "${keys[@]}"
        if tui_wait "$1"; then echo "ok: $desc"; else fail "$desc"; fi
}

# tui_compare NAME: the screen against tests/tui/expected/NAME.txt (DRS_REGENERATE=1 rewrites).
tui_compare() {
        tui_screen > "$TMP/screen-$1.txt"
        compare "screen $1" "$top_srcdir/tests/tui/expected/$1.txt" "$TMP/screen-$1.txt"
}
