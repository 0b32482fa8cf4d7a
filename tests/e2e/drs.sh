# drs.sh: helpers for end-to-end tests of docker-remote-setup itself (sourced after lib.sh).

# drs_setup [--persistent] [--tun] NAME [hooks]: a booted container (e2e_boot's options) with the freshly
# built program in /usr/local/bin; with "hooks", the test build instead (DRS_TEST, default
# docker-remote-setup-test next to DRS: it reads DRS_TEST_FAULT, which the program ignores).
drs_setup() {
	local bin=${DRS:-} boot=()
	while :; do
		case ${1:-} in
		--persistent | --tun) boot+=("$1"); shift ;;
		*) break ;;
		esac
	done
	boot+=("$1")
	e2e_skip_unless_possible
	[ -x "${DRS:-}" ] || e2e_skip "the program is not built (DRS=${DRS:-unset})"
	if [ "${2:-}" = hooks ]; then
		bin=${DRS_TEST:-$(dirname "$DRS")/docker-remote-setup-test}
		[ -x "$bin" ] || e2e_fail "the test build $bin is missing: make docker-remote-setup-test"
	fi
	e2e_init
	e2e_rootfs
	e2e_boot "${boot[@]}"
	e2e_install_binary "$bin"
	DRS_OUT=$E2E_TMP/drs.out
}

# drs ARGS...: runs the program inside the container; output in $DRS_OUT (and the log), exit code
# in $DRS_RC. Environment variables for the program can be given as VAR=value before the args.
# Runs once: an outcome stands (the container's journal is printed if the test then fails).
drs() {
	local envs=()
	while [[ ${1:-} == *=* && ${1:-} != -* ]]; do envs+=("$1"); shift; done
	e2e_log "run: ${envs[*]} docker-remote-setup $*"
	e2e_run env "${envs[@]}" docker-remote-setup "$@" > "$DRS_OUT" 2>&1
	DRS_RC=$?
	sed 's/^/    | /' "$DRS_OUT"
	e2e_log "exit $DRS_RC"
	return 0
}

# drs_expect CODE DESC: the last run's exit code.
drs_expect() { e2e_check "$2 (exit $DRS_RC, expected $1)" test "$DRS_RC" = "$1"; }
drs_out_has() { e2e_check "output has: $1" grep -qE -- "$1" "$DRS_OUT"; }

# drs_json KEY...: a value from the last run's JSON output (python3 on the host).
drs_json() {
	python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
for k in sys.argv[2:]:
    d = d[int(k)] if isinstance(d, list) else d[k]
sys.stdout.write("" if d is None else (json.dumps(d) if isinstance(d, (dict, list)) else str(d)))' "$DRS_OUT" "$@"
}

# drs_config_hash: one hash over every file the tool may change (drop-ins, /etc/default/docker,
# /etc/docker), paths, modes and contents.
drs_config_hash() {
	e2e_sh 'cd / && for p in etc/systemd/system/docker.service.d etc/systemd/system/docker.socket.d etc/default/docker etc/docker; do
		[ -e "$p" ] && find "$p" \( -type f -o -type l \) -printf "%p %m\n" -exec sha256sum {} \;
	done | sort | sha256sum | cut -d" " -f1'
}

# drs_tcp_listening PORT: whether something listens on TCP PORT inside the container.
drs_tcp_listening() { [ -n "$(e2e_run ss -Hltn "( sport = :$1 )")" ]; }

# drs_no_half_files: no temporary file of an atomic write is left anywhere we write.
drs_no_temp_files() {
	[ -z "$(e2e_sh 'find /etc/systemd/system /etc/default /etc/docker /var/lib/docker-remote-setup -name ".#*" 2>/dev/null')" ]
}

# drs_not CMD...: succeeds when CMD fails (for e2e_check, which runs CMD in this shell).
drs_not() { ! "$@"; }

# drs_stopped COMM: the PID (in the container) of the process named COMM once it has stopped
# itself (DRS_TEST_FAULT=…:stop), waiting up to 20 s; empty if it did not.
drs_stopped() {
	local pid
	for _ in $(seq 100); do
		pid=$(e2e_sh 'for p in $(pgrep -x "$1"); do [ "$(cut -d" " -f3 /proc/$p/stat)" = T ] && echo $p; done' "$1" | head -n1)
		[ -n "$pid" ] && break
		sleep 0.2
	done
	echo "$pid"
}
# drs_cont_job PID: SIGCONT to a background job of ours and its children: nsenter stops itself
# when the program it runs stops, and does not go on by itself.
drs_cont_job() {
	local c
	for c in $(cat "/proc/$1/task/$1/children" 2>/dev/null); do
		kill -CONT $(cat "/proc/$c/task/$c/children" 2>/dev/null) "$c" 2>/dev/null
	done
	kill -CONT "$1" 2>/dev/null
}

# drs_watch_gap IP DESC CHECK: while host0 has no address IP (a late address after e2e_reboot),
# runs CHECK every 0.5 s, at most 100 times. DRS_GAP_SEEN: how many looks; DRS_GAP_BAD: 1 when
# CHECK failed at least once (CHECK logs why).
drs_addr_present() { e2e_sh 'ip -o addr show dev host0 | grep -q "inet $1/"' "$1"; }
drs_watch_gap() {
	local ip=$1 desc=$2 check=$3
	DRS_GAP_SEEN=0 DRS_GAP_BAD=0
	while ! drs_addr_present "$ip"; do
		"$check" "$desc" || DRS_GAP_BAD=1
		DRS_GAP_SEEN=$((DRS_GAP_SEEN + 1))
		[ "$DRS_GAP_SEEN" -lt 100 ] || break
		sleep 0.5
	done
	e2e_log "$desc: $DRS_GAP_SEEN observations while host0 had no address"
}

# wait_screen REGEX [SECONDS]: polls the tmux pane that the test's screen() captures until REGEX
# shows (20 s by default); logs the pane when it does not. shot NAME: logs the pane.
wait_screen() {
	local i
	for ((i = 0; i < ${2:-20} * 10; i++)); do
		screen | grep -Eq -- "$1" && return 0
		sleep 0.1
	done
	e2e_log "timed out waiting for /$1/:"
	screen | sed 's/^/    |/'
	return 1
}
shot() { e2e_log "screen $1:"; screen | sed 's/^/    |/'; }
