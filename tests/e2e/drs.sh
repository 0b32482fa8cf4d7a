# drs.sh: helpers for end-to-end tests of docker-remote-setup itself (sourced after lib.sh).

# drs_setup NAME: a booted container with the freshly built program in /usr/local/bin.
drs_setup() {
	e2e_skip_unless_possible
	[ -x "${DRS:-}" ] || e2e_skip "the program is not built (DRS=${DRS:-unset})"
	e2e_init
	e2e_rootfs
	e2e_boot "$1"
	e2e_install_binary "$DRS"
	DRS_OUT=$E2E_TMP/drs.out
}

# drs ARGS...: runs the program inside the container; output in $DRS_OUT (and the log), exit code
# in $DRS_RC. Environment variables for the program can be given as VAR=value before the args.
# The testbed's systemd (252 in nspawn on a cgroup v1 host) now and then fails to put a new
# dockerd into its cgroup (status=219/CGROUP: in about 1 full `make check` in 3 on these machines, once).
# dockerd never ran, so the step proves nothing about the program, which reports it and
# reverts (exit 5) as it should. Then what systemd logged is shown and the step runs once more;
# every other outcome stands.
drs() {
	local envs=()
	while [[ ${1:-} == *=* && ${1:-} != -* ]]; do envs+=("$1"); shift; done
	_drs_run "${envs[@]}" "$@"
	if [ "$DRS_RC" = 5 ] && grep -q 'status=219/CGROUP' "$DRS_OUT"; then
		e2e_log "testbed: systemd could not put dockerd into its cgroup (219/CGROUP); the program reverted. systemd said:"
		e2e_run journalctl --no-pager -q -o short-precise --since=-20s 2>&1 | grep -v ' dockerd\[' | tail -n 30 | sed 's/^/    /'
		e2e_log "testbed: the same step once more"
		_drs_run "${envs[@]}" "$@"
	fi
	return 0
}

_drs_run() {
	local envs=()
	while [[ ${1:-} == *=* && ${1:-} != -* ]]; do envs+=("$1"); shift; done
	e2e_log "run: ${envs[*]} docker-remote-setup $*"
	e2e_run env "${envs[@]}" docker-remote-setup "$@" > "$DRS_OUT" 2>&1
	DRS_RC=$?
	sed 's/^/    | /' "$DRS_OUT"
	e2e_log "exit $DRS_RC"
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
