#!/bin/bash
# walk-zh.sh: the wizard in Simplified Chinese (zh_CN.UTF-8) at 80x24: Chinese on every screen to
# Preview, columns aligned by display width (CJK characters take two columns), help, back and quit.
. "$top_srcdir/tests/cli/lib.sh"
. "$top_srcdir/tests/tui/lib.sh"
need_netns
command -v localedef >/dev/null || { echo "SKIP: localedef (package locales) is missing"; exit 77; }
# The program of the build tree finds the catalogue `make` put in the build tree (issue 18 item 7):
# no variable points it there.
mo="$top_builddir/locale/zh_CN/LC_MESSAGES/docker-remote-setup.mo"
[ -f "$mo" ] || { echo "SKIP: $mo not built (NLS disabled?)"; exit 77; }

# The locale in a temporary place: nothing on the system is changed.
mkdir -p "$TMP/locales"
localedef -i zh_CN -f UTF-8 "$TMP/locales/zh_CN.UTF-8" 2>/dev/null || { echo "SKIP: localedef failed"; exit 77; }
ZH=(env -u DOCKER_REMOTE_SETUP_LOCALEDIR LOCPATH="$TMP/locales" LANG=zh_CN.UTF-8 LC_ALL= TERM=xterm NO_COLOR=)

# The display column at which TEXT starts on the screen line matching LINE.
column_of() {
        tui_screen | python3 -c 'import sys, unicodedata
line, text = sys.argv[1], sys.argv[2]
for l in sys.stdin:
    if line in l and text in l:
        pre = l[:l.index(text)]
        print(sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in pre)); break' "$1" "$2"
}

root="$TMP/root"
make_root debian-plain "$root"
tui_start "${NETNS[@]}" "${ZH[@]}" "$DRS" --preview --root "$root"
tui_step "状态 (Status) in Chinese" -- "1/9 状态"
tui_compare zh-status
tui_check "preview-only said in Chinese" "仅预览"
tui_step "帮助 (F1 help) in Chinese" F1 -- "帮助"
tui_keys x
tui_step "网卡 (Interface)" Enter -- "2/9 网卡"
tui_compare zh-interface
a=$(column_of "eth1" "10.0.0.5") b=$(column_of "eth2" "100.64.1.5") c=$(column_of "0.0.0.0" "0.0.0.0")
[ -n "$a" ] && [ "$a" = "$b" ] && [ "$a" = "$c" ] && echo "ok: addresses aligned at column $a" ||
        fail "addresses not aligned: eth1 at $a, eth2 at $b, all at $c"
a=$(column_of "eth1" "私有") b=$(column_of "eth0" "公网")
[ -n "$a" ] && [ "$a" = "$b" ] && echo "ok: classes aligned at column $a" || fail "classes not aligned: $a vs $b"
tui_step "端口与安全 (Port & security)" Enter -- "3/9 端口与安全"
tui_step "plain asks for its word" Down -- '"plain"'
tui_keys Tab Tab Tab
tui_type plain
tui_step "预检 (Pre-flight)" Enter -- "4/9 预检"
tui_compare zh-preflight
tui_step "预览 (Preview) with the method" Enter -- "5/9 预览"
tui_check "the method and why are shown" "docker.socket 存在，且 ExecStart= 从它获取监听器"
tui_check "the ExecStart is not wrapped: a mark says it goes on" "^   /usr/sbin/dockerd -H fd:// .*>$"
tui_check "the path of the drop-in under the method, aligned with the values" "^            /etc/systemd/system/docker\.socket\.d/override\.conf$"
tui_step "and scrolls sideways to its end" Right Right -- "^<.*containerd\.sock \\\$DOCKER_OPTS$"
tui_step "Esc back" Escape -- "4/9 预检"
tui_step "q quits" q -- "EXIT=0"
finish
