# shellcheck shell=bash disable=SC2016,SC2015
# tests/e2e/lib.sh -- end-to-end test harness: a real systemd + dockerd in a
# systemd-nspawn container, driven from the host.
#
# Source it from a bash test script:
#
#     . "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
#     e2e_skip_unless_possible      # exit 77 when this machine cannot do it
#     e2e_rootfs                    # cached Debian rootfs of $E2E_SUITE (built once)
#     e2e_boot smoke                # boot, veth addresses, wait for docker.service
#     e2e_run systemctl is-active docker.service
#
# Sourcing has no side effect. Everything a test starts is stopped by the EXIT
# trap that e2e_init installs (e2e_boot calls e2e_init itself). Nothing is
# written to the source tree: per-test files go to a mktemp -d directory under
# $TMPDIR (default /tmp), the rootfs cache to $DRS_E2E_CACHE.
#
# Environment:
#   E2E_SUITE       the platform: bookworm (default) or trixie; read when sourced
#   DRS_E2E_CACHE   cache directory             (default /var/tmp/drs-e2e)
#   DRS_E2E_MIRROR  Debian mirror for the build (default: first URIs: of
#                   /etc/apt/sources.list.d/debian.sources, else deb.debian.org)
#   DRS_E2E_SKIP=1  skip every e2e test (exit 77)
#   E2E_PACKAGES    extra Debian packages the cached rootfs must carry; they are
#                   installed into the cache once (cumulative), not per test
#   E2E_NSPAWN_ARGS extra systemd-nspawn arguments (word-split); read at every
#                   boot and reboot. "--system-call-filter=bpf" lets the container's
#                   systemd load BPF programs (IPAddressAllow=; nspawn denies bpf()
#                   by default, and systemd then filters nothing)
#   E2E_UNIFIED_HIERARCHY  SYSTEMD_NSPAWN_UNIFIED_HIERARCHY of the boot (default 1;
#                   0: the legacy cgroup v1 hierarchy, no BPF firewall)
#   E2E_BOOT_TIMEOUT seconds for boot + docker.service (default 60)
#   E2E_KEEP=1      at the end of the test, do not stop the container: print how
#                   to enter it and wait until it is powered off or Ctrl-C
#   E2E_VERBOSE=1   trace e2e_run / e2e_sh commands

# ---------------------------------------------------------------- settings

# The platform: a Debian suite, one cached rootfs each.
#   bookworm  Debian 12: systemd 252, docker.io 20.10
#   trixie    Debian 13: systemd 257, docker.io 26.1
E2E_SUITE=${E2E_SUITE:-bookworm}
E2E_VARIANT=minbase
# Packages of the cached rootfs. Changing this list (or E2E_RECIPE) rebuilds
# the cache once; the stamp file inside the rootfs records what it was built with.
E2E_INCLUDE="systemd,systemd-sysv,dbus,docker.io,iproute2,curl,ca-certificates,procps,tmux,locales,iputils-ping"
# trixie: two libraries of the program built on the host, which its minbase lacks; and what
# rootless Docker needs (rootlesskit, newuidmap, slirp4netns, a user bus) for tests/e2e of issue 19.
[ "$E2E_SUITE" = trixie ] && E2E_INCLUDE="$E2E_INCLUDE,libjson-c5,libncursesw6,rootlesskit,uidmap,slirp4netns,dbus-user-session"
# Bump when the post-debootstrap steps in _e2e_rootfs_build change.
E2E_RECIPE=1
# Locales generated in the rootfs (the wizard is tested in English and zh_CN).
E2E_LOCALES="en_US.UTF-8 zh_CN.UTF-8"

E2E_CACHE=${DRS_E2E_CACHE:-/var/tmp/drs-e2e}
E2E_ROOTFS=$E2E_CACHE/rootfs-$E2E_SUITE
# The rootfs's locks (see e2e_rootfs): bookworm's keep the names they had when
# it was the only platform, so a harness of that time and this one share them.
if [ "$E2E_SUITE" = bookworm ]; then E2E_LOCK=$E2E_CACHE/rootfs; else E2E_LOCK=$E2E_CACHE/rootfs-$E2E_SUITE; fi
E2E_BUILD_LOG=$E2E_CACHE/debootstrap-$E2E_SUITE.log
# Slot locks live in one fixed place, whatever the cache directory, so two
# runs with different caches still get different subnets and names.
E2E_SLOTDIR=${E2E_SLOTDIR:-/run/lock/drs-e2e}
E2E_CT_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

E2E_TMP=${E2E_TMP:-}
E2E_NAME=${E2E_NAME:-}
E2E_LEADER=${E2E_LEADER:-}
E2E_NSPAWN_PID=${E2E_NSPAWN_PID:-}
E2E_SLOT=
E2E_HOST_IP=
E2E_CT_IP=
E2E_FAILURES=0
_e2e_inited=
_e2e_rootfs_fd=
_e2e_slot_fd=
_e2e_leader_start=
_e2e_t0=
_e2e_volatile=--volatile=overlay
_e2e_overlay=
_e2e_late_pid=
_e2e_sources=
_e2e_cgdirs=
_e2e_tun=

# ---------------------------------------------------------------- messages, time

e2e_log() { printf '[e2e %s] %s\n' "$(date +%T)" "$*"; }
e2e_fail() { e2e_log "FAIL: $*"; exit 1; }
e2e_skip() { e2e_log "SKIP: $*"; exit 77; }

# Monotonic enough for durations: microseconds since the epoch.
e2e_now_us() { local t=${EPOCHREALTIME:-}; [ -n "$t" ] && echo "${t/./}" || echo "$(($(date +%s%N) / 1000))"; }
# e2e_since START_US -> seconds with 3 decimals
e2e_since() { local d=$(($(e2e_now_us) - $1)); printf '%d.%03d' $((d / 1000000)) $((d % 1000000 / 1000)); }
# _e2e_us SECS -> microseconds (SECS may have decimals)
_e2e_us() {
	local s=${1%%.*} f=0
	case $1 in *.*) f=${1#*.}000000; f=${f:0:6} ;; esac
	echo $((10#${s:-0} * 1000000 + 10#$f))
}

# e2e_check DESC CMD...: run CMD, print ok/not ok, count failures, go on.
e2e_check() {
	local desc=$1; shift
	if "$@"; then e2e_log "ok - $desc"; return 0; fi
	e2e_log "not ok - $desc"
	E2E_FAILURES=$((E2E_FAILURES + 1))
	return 1
}
# e2e_assert DESC CMD...: like e2e_check, but a failure ends the test (exit 1).
e2e_assert() {
	local desc=$1; shift
	if "$@"; then e2e_log "ok - $desc"; return 0; fi
	e2e_fail "$desc"
}
# e2e_finish: exit 0 when no e2e_check failed, else 1.
e2e_finish() {
	if [ "$E2E_FAILURES" -gt 0 ]; then e2e_log "$E2E_FAILURES check(s) failed"; exit 1; fi
	e2e_log "all checks passed"
	exit 0
}

# e2e_wait_for [-t SECS] [-i SECS] CMD...: poll CMD until it succeeds, at most
# SECS (default 30, or $E2E_WAIT_TIMEOUT) every -i SECS (default 0.1). For
# states that have no event to wait on. Returns 1 (with a message) on timeout.
e2e_wait_for() {
	local timeout=${E2E_WAIT_TIMEOUT:-30} interval=0.1
	while [ $# -gt 0 ]; do
		case $1 in
		-t) timeout=$2; shift 2 ;;
		-i) interval=$2; shift 2 ;;
		--) shift; break ;;
		*) break ;;
		esac
	done
	local deadline=$(($(e2e_now_us) + $(_e2e_us "$timeout")))
	while :; do
		"$@" && return 0
		if [ "$(e2e_now_us)" -ge "$deadline" ]; then
			e2e_log "timed out after ${timeout}s waiting for: $*"
			return 1
		fi
		sleep "$interval"
	done
}

# ---------------------------------------------------------------- preconditions

# e2e_skip_unless_possible: exit 77 (automake SKIP) with the reason when this
# machine cannot run the e2e tests: not root, or a needed tool is missing.
e2e_skip_unless_possible() {
	[ "${DRS_E2E_SKIP:-0}" = 1 ] && e2e_skip "DRS_E2E_SKIP=1"
	[ "$(id -u)" = 0 ] || e2e_skip "needs root (systemd-nspawn, veth, nsenter)"
	local t missing=
	for t in systemd-nspawn debootstrap nsenter setsid flock ip curl sha256sum; do
		command -v "$t" >/dev/null 2>&1 || missing="$missing $t"
	done
	[ -z "$missing" ] || e2e_skip "missing tools:$missing"
	[ -d /proc/self/ns ] || e2e_skip "no /proc/self/ns"
	return 0
}

# ---------------------------------------------------------------- per-test setup

# e2e_init: make the test's temp dir ($E2E_TMP, mktemp -d) and install the
# EXIT/INT/TERM traps that stop the container and remove it. Idempotent.
e2e_init() {
	[ -n "$_e2e_inited" ] && return 0
	_e2e_inited=1
	E2E_TMP=$(mktemp -d "${TMPDIR:-/tmp}/drs-e2e.XXXXXX") || e2e_fail "mktemp -d"
	export E2E_TMP
	trap '_e2e_cleanup' EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	trap 'exit 129' HUP
}

_e2e_cleanup() {
	local rc=$?
	trap - EXIT
	trap '' INT TERM HUP
	if [ -n "$E2E_NSPAWN_PID" ] && kill -0 "$E2E_NSPAWN_PID" 2>/dev/null; then
		if [ "$rc" != 0 ] && [ "$rc" != 77 ]; then _e2e_diagnostics; fi
		if [ "${E2E_KEEP:-0}" = 1 ]; then _e2e_keep_wait; fi
	fi
	e2e_stop
	if [ -n "$E2E_TMP" ] && [ -d "$E2E_TMP" ]; then rm -rf --one-file-system "$E2E_TMP"; fi
	exit "$rc"
}

# Printed into the test log when a test fails with the container still up.
_e2e_diagnostics() {
	e2e_log "---- diagnostics (test failed) ----"
	e2e_log "systemctl --failed:"
	e2e_run systemctl --failed --no-legend --no-pager 2>&1 | sed 's/^/    /'
	e2e_log "systemctl status docker.service:"
	e2e_run systemctl status --no-pager -n 0 docker.service 2>&1 | sed 's/^/    /'
	e2e_log "journal of docker.service (last 40):"
	e2e_run journalctl --no-pager -q -n 40 -u docker.service 2>&1 | sed 's/^/    /'
	e2e_log "journal of every unit but dockerd's own lines (last 30; systemd's errors from a process it could not start are not docker.service's):"
	e2e_run journalctl --no-pager -q -n 400 -o short-precise 2>&1 | grep -v ' dockerd\[' | tail -n 30 | sed 's/^/    /'
	# A process systemd could not start (e.g. status=219/CGROUP) is reported by the forked child
	# under its own PID with the errno: every such line of this boot, wherever it falls.
	e2e_log "systemd's lines about cgroups and failed spawns (this boot, last 20):"
	e2e_run journalctl --no-pager -q -b -o short-precise 2>&1 | grep -v ' dockerd\[' |
		grep -iE 'cgroup|status=2[0-9][0-9]/|Failed to (spawn|attach|execute)' | tail -n 20 | sed 's/^/    /'
	if [ -n "${E2E_CONSOLE_LOG:-}" ] && [ -f "$E2E_CONSOLE_LOG" ]; then
		e2e_log "nspawn console (last 20 lines):"
		tail -n 20 "$E2E_CONSOLE_LOG" | sed 's/^/    /'
	fi
	e2e_log "---- end of diagnostics ----"
}

_e2e_keep_wait() {
	# To the terminal if there is one (make check sends stdout/stderr to the
	# log), else to stderr (as a dup, not by reopening /dev/stderr, which
	# would truncate a log file).
	local fd
	if ! { exec {fd}>/dev/tty; } 2>/dev/null; then exec {fd}>&2; fi
	{
		echo "E2E_KEEP=1: container $E2E_NAME is kept running (nspawn PID $E2E_NSPAWN_PID, leader PID $E2E_LEADER)"
		echo "  shell:    nsenter -t $E2E_LEADER -a env -i PATH=$E2E_CT_PATH TERM=\${TERM:-xterm} bash"
		echo "  journal:  nsenter -t $E2E_LEADER -a journalctl -u docker.service"
		echo "  from host: DBUS_SYSTEM_BUS_ADDRESS=unix:path=/proc/$E2E_LEADER/root/run/dbus/system_bus_socket"
		echo "  network:  host $E2E_HOST_IP (ve-$E2E_NAME) <-> container $E2E_CT_IP (host0)"
		echo "  test dir: $E2E_TMP"
		echo "  stop:     Ctrl-C here, or kill $E2E_NSPAWN_PID, or 'poweroff' inside"
	} >&"$fd"
	exec {fd}>&-
	local stop=0
	trap 'stop=1' INT TERM HUP
	while [ "$stop" = 0 ] && kill -0 "$E2E_NSPAWN_PID" 2>/dev/null; do
		sleep 1 &
		wait $! 2>/dev/null
	done
	trap '' INT TERM HUP
}

# ---------------------------------------------------------------- rootfs cache

_e2e_mirror() {
	if [ -n "${DRS_E2E_MIRROR:-}" ]; then echo "$DRS_E2E_MIRROR"; return; fi
	local m=
	if [ -r /etc/apt/sources.list.d/debian.sources ]; then
		m=$(awk 'tolower($1) == "uris:" { print $2; exit }' /etc/apt/sources.list.d/debian.sources)
	fi
	if [ -z "$m" ] && [ -r /etc/apt/sources.list ]; then
		m=$(awk '$1 == "deb" && $2 !~ /^\[/ { print $2; exit }' /etc/apt/sources.list)
	fi
	echo "${m:-http://deb.debian.org/debian}"
}

# shellcheck disable=SC2020
_e2e_sorted_list() { tr ', ' '\n\n' <<<"$1" | sed '/^$/d' | sort -u | paste -sd, -; }

# The stamp: what the rootfs was built from. Extras are a separate line.
_e2e_stamp_base() {
	printf 'recipe=%s\nsuite=%s\nvariant=%s\ninclude=%s\nlocales=%s\n' \
		"$E2E_RECIPE" "$E2E_SUITE" "$E2E_VARIANT" "$(_e2e_sorted_list "$E2E_INCLUDE")" "$E2E_LOCALES"
}

# _e2e_rootfs_state: "ok", "extras" (base fine, E2E_PACKAGES missing) or "rebuild".
_e2e_rootfs_state() {
	local stamp=$E2E_ROOTFS/.drs-e2e-stamp
	if [ ! -f "$stamp" ] || [ ! -x "$E2E_ROOTFS/lib/systemd/systemd" ]; then echo rebuild; return; fi
	if [ "$(grep -v '^extra=' "$stamp")" != "$(_e2e_stamp_base)" ]; then echo rebuild; return; fi
	local have want p
	have=,$(sed -n 's/^extra=//p' "$stamp"),
	want=$(_e2e_sorted_list "${E2E_PACKAGES:-}")
	for p in ${want//,/ }; do
		case $have in *,"$p",*) ;; *) echo extras; return ;; esac
	done
	echo ok
}

# Remove a directory tree of ours without ever crossing into a mount point
# (an interrupted debootstrap may leave proc/sys mounted in its target).
_e2e_rmtree() {
	local d=$1 m
	[ -e "$d" ] || return 0
	while read -r m; do umount -l "$m" 2>/dev/null; done < <(awk -v d="$d/" 'index($5, d) == 1 { print $5 }' /proc/self/mountinfo | sort -r)
	rm -rf --one-file-system "$d"
}

_e2e_rootfs_build() {
	local mirror extra tmp t0
	mirror=$(_e2e_mirror)
	extra=$(_e2e_sorted_list "${E2E_PACKAGES:-}")
	for tmp in "$E2E_CACHE/rootfs-$E2E_SUITE".tmp.* "$E2E_CACHE/rootfs-$E2E_SUITE".old.*; do
		[ -e "$tmp" ] && _e2e_rmtree "$tmp"
	done
	tmp=$(mktemp -d "$E2E_CACHE/rootfs-$E2E_SUITE.tmp.XXXXXX") || return 1
	e2e_log "building the rootfs cache (first time: ~2-4 min): debootstrap $E2E_SUITE from $mirror"
	t0=$(e2e_now_us)
	local include=$E2E_INCLUDE
	[ -n "$extra" ] && include=$include,$extra
	if ! debootstrap --variant="$E2E_VARIANT" --include="$include" "$E2E_SUITE" "$tmp" "$mirror" \
		>"$E2E_BUILD_LOG" 2>&1; then
		e2e_log "debootstrap failed; last lines of $E2E_BUILD_LOG:"
		tail -n 25 "$E2E_BUILD_LOG" | sed 's/^/    /'
		_e2e_rmtree "$tmp"
		return 1
	fi
	rm -f "$tmp"/var/cache/apt/archives/*.deb
	local loc
	for loc in $E2E_LOCALES; do
		if ! chroot "$tmp" localedef -i "${loc%%.*}" -f "${loc#*.}" "$loc" >>"$E2E_BUILD_LOG" 2>&1; then
			e2e_log "localedef $loc failed in the rootfs"
			_e2e_rmtree "$tmp"
			return 1
		fi
	done
	{ _e2e_stamp_base; echo "extra=$extra"; } >"$tmp/.drs-e2e-stamp"
	_e2e_rootfs_swap "$tmp" || return 1
	e2e_log "rootfs built in $(e2e_since "$t0") s: $E2E_ROOTFS ($(du -sh "$E2E_ROOTFS" | cut -f1))"
}

# Install E2E_PACKAGES into a copy of the cached rootfs, then swap it in.
_e2e_rootfs_add_extras() {
	local have want tmp t0
	have=$(sed -n 's/^extra=//p' "$E2E_ROOTFS/.drs-e2e-stamp")
	want=$(_e2e_sorted_list "$have,${E2E_PACKAGES:-}")
	e2e_log "adding packages to the rootfs cache: ${E2E_PACKAGES:-}"
	t0=$(e2e_now_us)
	tmp=$(mktemp -d "$E2E_CACHE/rootfs-$E2E_SUITE.tmp.XXXXXX") || return 1
	cp -a --reflink=auto "$E2E_ROOTFS/." "$tmp/" || { _e2e_rmtree "$tmp"; return 1; }
	# Not booted: apt runs as the only process, with the host's network.
	# shellcheck disable=SC2086  # one word per package
	if ! systemd-nspawn -q -D "$tmp" --register=no --keep-unit --console=pipe \
		--setenv=DEBIAN_FRONTEND=noninteractive \
		sh -c 'apt-get -q update && apt-get -q -y --no-install-recommends install "$@" && apt-get clean' \
		sh ${want//,/ } </dev/null >>"$E2E_BUILD_LOG" 2>&1; then
		e2e_log "apt-get install failed; see $E2E_BUILD_LOG"
		tail -n 25 "$E2E_BUILD_LOG" | sed 's/^/    /'
		_e2e_rmtree "$tmp"
		return 1
	fi
	rm -rf "$tmp"/var/lib/apt/lists/*_Packages "$tmp"/var/cache/apt/*.bin
	{ _e2e_stamp_base; echo "extra=$want"; } >"$tmp/.drs-e2e-stamp"
	_e2e_rootfs_swap "$tmp" || return 1
	e2e_log "packages added in $(e2e_since "$t0") s"
}

# Replace the cached rootfs by DIR: two renames under the exclusive lock.
_e2e_rootfs_swap() {
	local new=$1 old=
	if [ -e "$E2E_ROOTFS" ]; then
		old=$(mktemp -u "$E2E_CACHE/rootfs-$E2E_SUITE.old.XXXXXX")
		mv -T "$E2E_ROOTFS" "$old" || return 1
	fi
	mv -T "$new" "$E2E_ROOTFS" || return 1
	[ -n "$old" ] && _e2e_rmtree "$old"
	return 0
}

# e2e_rootfs: make sure the cached rootfs exists and matches E2E_INCLUDE /
# E2E_RECIPE / E2E_PACKAGES; build or extend it if not. Two locks in the cache:
# rootfs.lock is held shared by every user of the rootfs for as long as its
# container runs (the fd is inherited by nspawn), exclusive only to replace the
# tree; rootfs.build.lock serialises builders, so a test that waited for
# another's build finds the cache ready and does not wait for its container.
e2e_rootfs() {
	case $E2E_SUITE in bookworm | trixie) ;; *) e2e_fail "E2E_SUITE=$E2E_SUITE: not a platform of these tests (bookworm, trixie)" ;; esac
	mkdir -p "$E2E_CACHE" || e2e_fail "cannot create $E2E_CACHE"
	if [ -z "$_e2e_rootfs_fd" ]; then
		exec {_e2e_rootfs_fd}>>"$E2E_LOCK.lock" || e2e_fail "cannot open $E2E_LOCK.lock"
	fi
	flock -s -w 1800 "$_e2e_rootfs_fd" || e2e_fail "timed out waiting for a shared lock on the rootfs cache"
	[ "$(_e2e_rootfs_state)" = ok ] && return 0
	flock -u "$_e2e_rootfs_fd"
	local bfd
	exec {bfd}>>"$E2E_LOCK.build.lock" || e2e_fail "cannot open $E2E_LOCK.build.lock"
	e2e_log "rootfs cache needs work; waiting for the build lock"
	flock -x -w 1800 "$bfd" || e2e_fail "timed out waiting for the rootfs build lock"
	local state
	state=$(_e2e_rootfs_state)
	if [ "$state" != ok ]; then
		# Replacing the tree: wait until no container runs from it.
		flock -x -w 1800 "$_e2e_rootfs_fd" || e2e_fail "timed out waiting for containers using the rootfs cache"
		state=$(_e2e_rootfs_state)
		case $state in
		ok) ;;
		extras) _e2e_rootfs_add_extras || e2e_fail "could not add E2E_PACKAGES to the rootfs" ;;
		*) _e2e_rootfs_build || e2e_fail "could not build the rootfs" ;;
		esac
	fi
	# Only builders (who hold the build lock) change the tree, so the
	# state checked above still holds once the shared lock is ours.
	flock -s "$_e2e_rootfs_fd" || e2e_fail "cannot lock the rootfs cache"
	exec {bfd}>&-
	[ "$(_e2e_rootfs_state)" = ok ] || e2e_fail "rootfs cache still not as wanted after the build"
}

# ---------------------------------------------------------------- slots (names, subnets)

# Take the first free slot 1..250 (flock -n on a per-slot lock file, held by
# this process and the nspawn it starts). Slot X gives 10.213.X.0/30.
_e2e_take_slot() {
	mkdir -p "$E2E_SLOTDIR" || return 1
	local x fd
	for x in $(seq 1 250); do
		exec {fd}>>"$E2E_SLOTDIR/$x.lock" || return 1
		if flock -n "$fd"; then
			# Somebody else's addresses on that subnet: skip it.
			if [ -z "$(ip -o -4 addr show to "10.213.$x.0/30" 2>/dev/null)" ]; then
				E2E_SLOT=$x
				_e2e_slot_fd=$fd
				return 0
			fi
			flock -u "$fd"
		fi
		exec {fd}>&-
	done
	return 1
}

# ---------------------------------------------------------------- boot / stop

_e2e_leader_of() {
	local c
	c=$(cat "/proc/$1/task/$1/children" 2>/dev/null) || return 1
	# shellcheck disable=SC2086
	set -- $c
	[ $# -ge 1 ] || return 1
	echo "$1"
}

_e2e_in_new_ns() {
	local ns a b
	for ns in pid net mnt; do
		a=$(readlink "/proc/$1/ns/$ns" 2>/dev/null) || return 1
		b=$(readlink "/proc/self/ns/$ns") || return 1
		[ "$a" != "$b" ] || return 1
	done
}

_e2e_system_state() {
	timeout 10 nsenter -t "$E2E_LEADER" -a env -i PATH="$E2E_CT_PATH" \
		systemctl is-system-running --wait 2>/dev/null
}

_e2e_nspawn_alive() { [ -n "$E2E_NSPAWN_PID" ] && kill -0 "$E2E_NSPAWN_PID" 2>/dev/null; }

_e2e_boot_fail() {
	e2e_log "FAIL: $*"
	if [ -f "${E2E_CONSOLE_LOG:-}" ]; then
		e2e_log "nspawn console log ($E2E_CONSOLE_LOG), last 30 lines:"
		tail -n 30 "$E2E_CONSOLE_LOG" | sed 's/^/    /'
	fi
	exit 1
}

# e2e_boot [--persistent] NAME: boot the cached rootfs as machine
# "NAME-SLOT", give the veth addresses, wait for the system to be up and
# docker.service active. By default the boot is volatile (nspawn
# --volatile=overlay: writes go to a tmpfs and vanish at poweroff). With
# --persistent the container runs on an overlayfs mounted in the test's temp
# dir (lower: the cached rootfs; upper, work: $E2E_TMP), so what it writes
# survives e2e_reboot; the EXIT trap unmounts it. Either way the cache is
# never written. NAME: letters, digits, '-'; the machine name must fit in 12
# characters (ve-NAME-SLOT <= 15). Exports E2E_NAME E2E_NSPAWN_PID E2E_LEADER
# E2E_HOST_IP E2E_CT_IP E2E_SLOT E2E_CONSOLE_LOG E2E_ROOT_DIR.
e2e_boot() {
	local persistent=0
	while :; do
		case ${1:-} in
		--persistent) persistent=1; shift ;;
		--tun) _e2e_tun=1; shift ;;
		*) break ;;
		esac
	done
	local base=${1:-drs}
	e2e_init
	[ -n "$_e2e_rootfs_fd" ] || e2e_rootfs
	[ -z "$E2E_NSPAWN_PID" ] || e2e_fail "e2e_boot: a container is already running ($E2E_NAME)"
	case $base in *[!A-Za-z0-9-]* | '' | -*) e2e_fail "e2e_boot: bad name '$base'" ;; esac
	_e2e_take_slot || e2e_fail "e2e_boot: no free slot in $E2E_SLOTDIR (250 containers?)"
	E2E_NAME=$base-$E2E_SLOT
	[ ${#E2E_NAME} -le 12 ] || e2e_fail "e2e_boot: machine name '$E2E_NAME' too long (interface ve-$E2E_NAME > 15 chars); use a shorter NAME"
	ip link show "ve-$E2E_NAME" >/dev/null 2>&1 && e2e_fail "e2e_boot: interface ve-$E2E_NAME already exists"
	E2E_HOST_IP=10.213.$E2E_SLOT.1
	E2E_CT_IP=10.213.$E2E_SLOT.2
	E2E_CONSOLE_LOG=$E2E_TMP/nspawn-$E2E_NAME.log
	E2E_ROOT_DIR=$E2E_ROOTFS
	_e2e_volatile=--volatile=overlay
	if [ "$persistent" = 1 ]; then
		_e2e_mount_overlay || e2e_fail "e2e_boot: could not mount the overlay on $E2E_TMP/root"
		_e2e_volatile=
	fi
	export E2E_NAME E2E_HOST_IP E2E_CT_IP E2E_SLOT E2E_CONSOLE_LOG E2E_ROOT_DIR
	_e2e_start 0
	_e2e_wait_up
	_e2e_wait_docker
}

# The persistent root: an overlayfs on $E2E_TMP/root over the cached rootfs.
_e2e_mount_overlay() {
	mkdir -p "$E2E_TMP/upper" "$E2E_TMP/work" "$E2E_TMP/root" || return 1
	mount -t overlay overlay -o "lowerdir=$E2E_ROOTFS,upperdir=$E2E_TMP/upper,workdir=$E2E_TMP/work" "$E2E_TMP/root" || return 1
	_e2e_overlay=$E2E_TMP/root
	E2E_ROOT_DIR=$_e2e_overlay
}

# ---------------------------------------------------------------- the container's own cgroup

# nspawn --keep-unit --register=no puts the container in "payload" below the
# cgroup nspawn itself runs in, and the container's cgroup namespace is rooted
# there. Started from one cgroup (here the root: PID 1 is not systemd), every
# container got the same one, /payload: their systemds shared init.scope,
# system.slice/docker.service and the rest. One container pruning its stopped
# docker.service cgroup while another was starting dockerd made the other's
# attach fail: status=219/CGROUP. So nspawn starts in a cgroup of the
# container's own, drs-e2e/NAME-SLOT, in each hierarchy where nspawn looks it
# up (cgroup2; name=systemd on a v1 or hybrid host).
_e2e_cgroup_dirs() {
	local d
	for d in /sys/fs/cgroup /sys/fs/cgroup/unified /sys/fs/cgroup/systemd; do
		case $(stat -f -c %T "$d" 2>/dev/null) in
		cgroup2fs) echo "$d/drs-e2e/$E2E_NAME" ;;
		cgroupfs) [ "$d" = /sys/fs/cgroup/systemd ] && echo "$d/drs-e2e/$E2E_NAME" ;;
		esac
	done
}

# Remove the container's cgroups, leaves first. A cleanup: a cgroup that still
# has a process (rmdir: EBUSY) stays, and e2e_boot reuses it for the slot.
_e2e_cgroup_release() {
	local d
	for d in $_e2e_cgdirs; do
		[ -d "$d" ] && find "$d" -depth -type d -exec rmdir {} + 2>/dev/null
	done
	return 0
}

# After boot: the container's PID 1 is in its own cgroup (see above).
_e2e_cgroup_check() {
	local cg
	cg=$(sed -n 's/^0:://p' "/proc/$E2E_LEADER/cgroup")
	e2e_log "container cgroup on the host: $cg"
	case $cg in
	/drs-e2e/"$E2E_NAME"/*) ;;
	*) _e2e_boot_fail "the container's PID 1 is in cgroup '$cg', not below /drs-e2e/$E2E_NAME (a cgroup shared with other containers: 219/CGROUP)" ;;
	esac
}

# _e2e_start LATE: start nspawn on $E2E_ROOT_DIR, find the container's PID 1,
# configure the veth; host0's address now (LATE=0) or LATE seconds after PID 1
# was seen, by a background job of ours ($_e2e_late_pid).
_e2e_start() {
	local late=$1 deadline pidfile=$E2E_TMP/nspawn.pid
	rm -f "$pidfile"
	_e2e_t0=$(e2e_now_us)
	# The unified cgroup hierarchy (cgroup v2 inside, whatever the host has):
	# systemd 257 needs it, IPAddressAllow= (BPF) needs it. nspawn starts in
	# the container's own cgroup (_e2e_cgroup_dirs): the shell moves itself
	# there before it becomes nspawn.
	_e2e_cgdirs=$(_e2e_cgroup_dirs)
	_e2e_cgroup_release
	local d
	for d in $_e2e_cgdirs; do mkdir -p "$d" || _e2e_boot_fail "cannot create cgroup $d"; done
	# --tun (e2e_boot, rootless Docker's slirp4netns): nspawn is asked to allow /dev/net/tun.
	# With --register=no it says the property has no effect (no scope of its own); the container
	# runs in the caller's cgroup, which has no device policy here, so what makes tun usable is
	# e2e_rootless_setup's chmod of the container's own node. Kept so that a harness with a
	# scope of its own gets the rule.
	local tun=()
	[ -n "$_e2e_tun" ] && tun=(--property="DeviceAllow=/dev/net/tun rwm")
	# shellcheck disable=SC2086
	SYSTEMD_NSPAWN_UNIFIED_HIERARCHY=${E2E_UNIFIED_HIERARCHY:-1} E2E_CGDIRS=$_e2e_cgdirs setsid sh -c \
		'echo $$ >"$0"; for d in $E2E_CGDIRS; do echo $$ >"$d/cgroup.procs" || exit 1; done; unset E2E_CGDIRS; exec "$@"' "$pidfile" \
		systemd-nspawn -b -D "$E2E_ROOT_DIR" -M "$E2E_NAME" --register=no --keep-unit \
		--network-veth --console=pipe $_e2e_volatile "${tun[@]}" ${E2E_NSPAWN_ARGS:-} \
		</dev/null >>"$E2E_CONSOLE_LOG" 2>&1 &
	local bg=$!
	e2e_wait_for -t 5 -i 0.02 test -s "$pidfile" || _e2e_boot_fail "nspawn did not start"
	E2E_NSPAWN_PID=$(cat "$pidfile")
	[ "$E2E_NSPAWN_PID" = "$bg" ] || e2e_log "note: setsid forked (nspawn PID $E2E_NSPAWN_PID, job $bg)"
	export E2E_NSPAWN_PID
	e2e_log "nspawn PID $E2E_NSPAWN_PID: machine $E2E_NAME ($E2E_SUITE) from $E2E_ROOT_DIR"

	# The container's PID 1 is the only child of nspawn.
	deadline=$(($(e2e_now_us) + 10000000))
	while :; do
		# Early on the child is nspawn's short-lived "outer child" (still in our
		# namespaces); the container's PID 1 is in a new PID and net namespace.
		E2E_LEADER=$(_e2e_leader_of "$E2E_NSPAWN_PID") && _e2e_in_new_ns "$E2E_LEADER" && break
		_e2e_nspawn_alive || _e2e_boot_fail "systemd-nspawn exited during start"
		[ "$(e2e_now_us)" -lt "$deadline" ] || _e2e_boot_fail "no container PID 1 under nspawn PID $E2E_NSPAWN_PID after 10 s"
		sleep 0.02
	done
	_e2e_leader_start=$(awk '{ print $22 }' "/proc/$E2E_LEADER/stat" 2>/dev/null)
	export E2E_LEADER
	e2e_log "container PID 1 = host PID $E2E_LEADER"

	# Network: the veth pair exists before the container's init runs.
	e2e_wait_for -t 5 -i 0.02 ip link show "ve-$E2E_NAME" >/dev/null 2>&1 ||
		_e2e_boot_fail "no interface ve-$E2E_NAME on the host"
	ip addr add "$E2E_HOST_IP/30" dev "ve-$E2E_NAME" &&
		ip link set "ve-$E2E_NAME" up &&
		nsenter -t "$E2E_LEADER" -n ip link set host0 up ||
		_e2e_boot_fail "could not configure ve-$E2E_NAME / host0"
	if [ "$late" = 0 ]; then
		_e2e_ct_address || _e2e_boot_fail "could not give host0 its address"
	else
		( sleep "$late" && _e2e_ct_address && e2e_log "host0: $E2E_CT_IP added ${late} s after PID 1" ) &
		_e2e_late_pid=$!
	fi
}

# host0's address, and the routes to the extra sources (e2e_add_source).
_e2e_ct_address() {
	local a
	nsenter -t "$E2E_LEADER" -n ip addr add "$E2E_CT_IP/30" dev host0 || return 1
	for a in $_e2e_sources; do
		ip addr add "$a/32" dev "ve-$E2E_NAME" &&
			nsenter -t "$E2E_LEADER" -n ip route add "$a/32" dev host0 || return 1
	done
}

# Boot: systemctl is-system-running --wait, bounded by E2E_BOOT_TIMEOUT.
_e2e_wait_up() {
	local limit=${E2E_BOOT_TIMEOUT:-60} state
	local deadline=$((_e2e_t0 + limit * 1000000))
	while :; do
		state=$(_e2e_system_state)
		case $state in running | degraded) break ;; esac
		_e2e_nspawn_alive || _e2e_boot_fail "systemd-nspawn exited during boot"
		[ "$(e2e_now_us)" -lt "$deadline" ] ||
			_e2e_boot_fail "system not up after ${limit}s (is-system-running: '${state:-no answer}')"
		sleep 0.1
	done
	if [ "$state" = degraded ]; then
		e2e_log "system is degraded; failed units:"
		e2e_run systemctl --failed --no-legend --no-pager | sed 's/^/    /'
	fi
	_e2e_cgroup_check
	E2E_BOOT_TIME=$(e2e_since "$_e2e_t0")
	export E2E_BOOT_TIME
	e2e_log "system $state after $E2E_BOOT_TIME s"
}

# docker.service: active (it is normally up by the time the system is).
_e2e_wait_docker() {
	local left=$(((_e2e_t0 - $(e2e_now_us)) / 1000000 + ${E2E_BOOT_TIMEOUT:-60}))
	[ "$left" -ge 5 ] || left=5
	if ! e2e_wait_for -t "$left" -i 0.2 e2e_unit_active docker.service; then
		_e2e_diagnostics
		_e2e_boot_fail "docker.service is not active after boot ($(e2e_run systemctl is-active docker.service))"
	fi
	E2E_DOCKER_TIME=$(e2e_since "$_e2e_t0")
	export E2E_DOCKER_TIME
	e2e_log "docker.service active after $E2E_DOCKER_TIME s; host $E2E_HOST_IP (ve-$E2E_NAME) <-> container $E2E_CT_IP (host0)"
}

# e2e_reboot [--late-address SECS]: power the container off cleanly (SIGTERM
# to nspawn) and boot it again on the same files (needs e2e_boot --persistent)
# in the same slot. Without --late-address it waits as e2e_boot does (system
# up, docker.service active). With --late-address, host0 gets its address only
# SECS seconds after the container's PID 1 started (the host's ve-NAME has its
# own at once), as with a late DHCP lease, and e2e_reboot returns as soon as
# systemd answers, so the test can watch the gap (e2e_unit_active,
# e2e_unit_restarts); e2e_wait_address waits for the end of the gap.
e2e_reboot() {
	local late=0
	[ "${1:-}" = --late-address ] && { late=$2; shift 2; }
	[ -n "$_e2e_overlay" ] || e2e_fail "e2e_reboot: the container was not booted with e2e_boot --persistent"
	[ -n "$E2E_NSPAWN_PID" ] || e2e_fail "e2e_reboot: no container running"
	_e2e_poweroff
	_e2e_start "$late"
	if [ "$late" = 0 ]; then
		_e2e_wait_up
		_e2e_wait_docker
		return 0
	fi
	e2e_wait_for -t "${E2E_BOOT_TIMEOUT:-60}" -i 0.1 _e2e_manager_answers ||
		_e2e_boot_fail "systemd in the container does not answer after the reboot"
	e2e_log "rebooted: systemd answers after $(e2e_since "$_e2e_t0") s; host0 gets $E2E_CT_IP ${late} s after PID 1"
}

_e2e_manager_answers() {
	case $(e2e_run systemctl is-system-running 2>/dev/null) in starting | running | degraded) return 0 ;; esac
	return 1
}

# e2e_wait_address: wait until the late address of e2e_reboot --late-address
# is in place (the background job ended; its status is the result).
e2e_wait_address() {
	[ -n "$_e2e_late_pid" ] || return 0
	local pid=$_e2e_late_pid
	_e2e_late_pid=
	wait "$pid"
}

# Stop nspawn (SIGTERM to its PID only; up to 15 s, then SIGKILL to it and to
# the container's PID 1 if that is still the same process). Keeps the slot.
_e2e_poweroff() {
	local pid=$E2E_NSPAWN_PID t0
	[ -n "$pid" ] || return 0
	if [ -n "$_e2e_late_pid" ]; then kill "$_e2e_late_pid" 2>/dev/null; wait "$_e2e_late_pid" 2>/dev/null; _e2e_late_pid=; fi
	if kill -0 "$pid" 2>/dev/null; then
		t0=$(e2e_now_us)
		kill -TERM "$pid" 2>/dev/null
		if ! e2e_wait_for -t 15 -i 0.1 _e2e_gone "$pid" >/dev/null; then
			e2e_log "nspawn PID $pid still alive after 15 s: SIGKILL"
			kill -KILL "$pid" 2>/dev/null
			if [ -n "$E2E_LEADER" ] && [ -n "$_e2e_leader_start" ] &&
				[ "$(awk '{ print $22 }' "/proc/$E2E_LEADER/stat" 2>/dev/null)" = "$_e2e_leader_start" ]; then
				kill -KILL "$E2E_LEADER" 2>/dev/null
			fi
			e2e_wait_for -t 5 -i 0.1 _e2e_gone "$pid" >/dev/null
		fi
		e2e_log "container $E2E_NAME stopped in $(e2e_since "$t0") s"
	fi
	wait "$pid" 2>/dev/null
	_e2e_cgroup_release
	E2E_NSPAWN_PID='' E2E_LEADER='' _e2e_leader_start=''
}

# e2e_stop: power the container off (as e2e_reboot does), release the slot
# and unmount the persistent overlay. Safe to call twice.
e2e_stop() {
	_e2e_poweroff
	if [ -n "$_e2e_overlay" ]; then
		umount "$_e2e_overlay" || umount -l "$_e2e_overlay"
		_e2e_overlay=
	fi
	if [ -n "$_e2e_slot_fd" ]; then exec {_e2e_slot_fd}>&-; _e2e_slot_fd=; fi
	return 0
}

# Gone, or a zombie of ours (not yet reaped).
_e2e_gone() {
	local s
	s=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null) || return 0
	[ -z "$s" ] || [ "$s" = Z ]
}

# ---------------------------------------------------------------- inside the container

# e2e_run CMD...: run CMD inside the container (all its namespaces), with a
# clean environment (PATH, TERM, LANG=C.UTF-8). stdin/stdout/stderr and the exit
# status pass through. Use "e2e_run env VAR=value CMD" for more variables.
e2e_run() {
	[ -n "$E2E_LEADER" ] || { e2e_log "e2e_run: no container"; return 125; }
	[ "${E2E_VERBOSE:-0}" = 1 ] && e2e_log "+ [$E2E_NAME] $*" >&2
	nsenter -t "$E2E_LEADER" -a env -i PATH="$E2E_CT_PATH" TERM="${TERM:-dumb}" LANG=C.UTF-8 HOME=/root "$@"
}

# e2e_sh 'SCRIPT' [ARGS...]: run a shell script inside the container
# (sh -c SCRIPT sh ARGS...; pass values as arguments, not by splicing).
e2e_sh() { local s=$1; shift; e2e_run sh -c "$s" sh "$@"; }

# e2e_write PATH [MODE]: write stdin to PATH inside the container (parents
# created; mode default 0644).
e2e_write() {
	e2e_sh 'mkdir -p "$(dirname "$1")" && cat >"$1" && chmod "$2" "$1"' "$1" "${2:-0644}"
}

# e2e_file_hash PATH: sha256 of the file inside the container, or "absent".
e2e_file_hash() {
	e2e_sh 'if [ -e "$1" ] || [ -L "$1" ]; then sha256sum <"$1" | cut -d" " -f1; else echo absent; fi' "$1"
}

# e2e_unit_active UNIT: true when systemctl is-active says active.
e2e_unit_active() { [ "$(e2e_run systemctl is-active "$1" 2>/dev/null)" = active ]; }

# e2e_install_binary PATH: copy a host-built program into the container as
# /usr/local/bin/docker-remote-setup (through /proc/LEADER/root), and check
# with ldd inside that all its libraries resolve.
e2e_install_binary() {
	local src=$1 dst=${2:-/usr/local/bin/docker-remote-setup} out
	[ -f "$src" ] || { e2e_log "e2e_install_binary: $src not found"; return 1; }
	[ -n "$E2E_LEADER" ] || { e2e_log "e2e_install_binary: no container"; return 1; }
	mkdir -p "/proc/$E2E_LEADER/root$(dirname "$dst")" &&
		install -m 0755 "$src" "/proc/$E2E_LEADER/root$dst" || return 1
	if ! out=$(e2e_run ldd "$dst" 2>&1); then
		e2e_log "ldd $dst failed inside the container:"; printf '%s\n' "$out" | sed 's/^/    /'
		return 1
	fi
	if grep -q 'not found' <<<"$out"; then
		e2e_log "missing libraries for $dst inside the container:"
		grep 'not found' <<<"$out" | sed 's/^/    /'
		return 1
	fi
	return 0
}

# ---------------------------------------------------------------- journal, network

# e2e_journal_cursor: the cursor of the newest journal entry inside the
# container (to look only at what comes after it).
e2e_journal_cursor() {
	e2e_run journalctl -q -n 1 -o json --output-fields=__CURSOR --no-pager 2>/dev/null |
		sed -n 's/.*"__CURSOR" *: *"\([^"]*\)".*/\1/p'
}

# e2e_journal_has PATTERN [CURSOR]: grep -E PATTERN in the MESSAGEs of
# docker.service in the container's journal (after CURSOR if given).
e2e_journal_has() {
	local after=()
	[ -n "${2:-}" ] && after=(--after-cursor="$2")
	e2e_run journalctl -q --no-pager -o cat -u docker.service "${after[@]}" 2>/dev/null |
		grep -Eq -- "$1"
}

# e2e_journal_has_current PATTERN: grep -E PATTERN in what docker.service's current
# invocation logged (_SYSTEMD_INVOCATION_ID, as the program's own verification reads it). No
# cursor: once on Debian 13 a line written after `journalctl -n 1`'s cursor was not found
# --after-cursor, while the program and plain journalctl -u saw it.
e2e_journal_has_current() {
	local inv
	inv=$(e2e_run systemctl show -p InvocationID --value docker.service 2>/dev/null)
	[ -n "$inv" ] || { e2e_log "docker.service has no invocation ID"; return 1; }
	e2e_run journalctl -q --no-pager -o cat "_SYSTEMD_INVOCATION_ID=$inv" 2>/dev/null | grep -Eq -- "$1"
}

# e2e_ping_plain IP PORT: GET http://IP:PORT/_ping from the host, answer "OK".
e2e_ping_plain() {
	local out
	out=$(curl -sS --noproxy '*' --connect-timeout 3 --max-time 5 "http://$1:$2/_ping" 2>&1)
	[ "$out" = OK ] && return 0
	e2e_log "GET http://$1:$2/_ping: ${out:-<empty>}"
	return 1
}

# e2e_add_source [ADDR]: a second client source on the host: ADDR/32 on
# ve-NAME, routed in the container (ip route add ADDR/32 dev host0). ADDR
# defaults to 10.213.SLOT.5 and must be in the slot's own 10.213.SLOT.0/24
# outside its /30 (other slots use their own /24). Kept across e2e_reboot.
# Sets E2E_SOURCE=ADDR (call it in the test's shell, not in $(...)).
e2e_add_source() {
	local a=${1:-10.213.$E2E_SLOT.5}
	case $a in
	10.213.$E2E_SLOT.[0-3]) e2e_log "e2e_add_source: $a is in the slot's /30"; return 1 ;;
	10.213.$E2E_SLOT.*) ;;
	*) e2e_log "e2e_add_source: $a is not in 10.213.$E2E_SLOT.0/24"; return 1 ;;
	esac
	ip addr add "$a/32" dev "ve-$E2E_NAME" &&
		nsenter -t "$E2E_LEADER" -n ip route add "$a/32" dev host0 || return 1
	_e2e_sources="$_e2e_sources $a"
	export E2E_SOURCE=$a
}

# e2e_curl_from ADDR CURL-ARGS...: curl from the host with source address
# ADDR (curl --interface), no proxy, 3 s to connect, 5 s in all.
e2e_curl_from() {
	local a=$1; shift
	curl -sS --noproxy '*' --interface "$a" --connect-timeout 3 --max-time 5 "$@"
}

# e2e_unit_restarts UNIT: how many times systemd restarted UNIT by its
# Restart= since it was last started by hand (systemctl show -p NRestarts).
e2e_unit_restarts() { e2e_run systemctl show -p NRestarts --value "$1"; }

# e2e_icmp_ping FROM IP: one ICMP echo from "host" or "container" to IP. Uses
# the container's ping (iputils-ping is in the rootfs), in the host's network
# namespace for FROM=host, so the host needs no ping of its own.
e2e_icmp_ping() {
	case $1 in
	host) nsenter -t "$E2E_LEADER" -m -r -w ping -n -q -c 1 -W 2 "$2" >/dev/null ;;
	container) e2e_run ping -n -q -c 1 -W 2 "$2" >/dev/null ;;
	*) return 2 ;;
	esac
}

# ---------------------------------------------------------------- rootless Docker (Debian 13)

# e2e_user_run USER CMD...: run CMD inside the container as USER (runuser), with that user's
# XDG_RUNTIME_DIR (so systemctl --user / journalctl --user reach the user's manager) and
# Debian's rootless scripts (/usr/share/docker.io/contrib) on PATH.
e2e_user_run() {
	local u=$1 uid; shift
	uid=$(e2e_run id -u "$u") || return 1
	e2e_run runuser -u "$u" -- env XDG_RUNTIME_DIR="/run/user/$uid" HOME="/home/$u" \
		PATH="/usr/share/docker.io/contrib:$E2E_CT_PATH" "$@"
}

# e2e_user_unit_active USER UNIT: the user's manager says UNIT is active.
e2e_user_unit_active() { [ "$(e2e_user_run "$1" systemctl --user is-active "$2" 2>/dev/null)" = active ]; }

# e2e_rootless_only: skips (77) the test but on Debian 13, where rootless Docker is tested.
e2e_rootless_only() {
	[ "$E2E_SUITE" = trixie ] ||
		e2e_skip "rootless Docker is tested on Debian 13 only: Debian 12's docker.io ships no dockerd-rootless-setuptool.sh"
}

# e2e_rootless_setup USER: rootless Docker for a new USER (tests/e2e of issue 19; trixie
# only, needs e2e_boot --tun): the user with subordinate uid/gid ranges and linger (so its
# manager runs without a login, and at boot), the container's own /dev/net/tun usable by
# everyone (made inside if absent; the host's node is not touched; nspawn makes it 0600 again
# at each boot, so a tmpfiles.d line makes it 0666 again for e2e_reboot), then as the user
# `dockerd-rootless-setuptool.sh install --skip-iptables`. Its last step runs a `docker`
# next to the script, which Debian does not ship there, and fails before the script's
# `systemctl --user enable docker.service`, done here instead: what counts is the user's
# docker.service, waited for until active. Exports E2E_USER, E2E_USER_UID.
e2e_rootless_setup() {
	local u=$1 uid out t0
	t0=$(e2e_now_us)
	[ "$E2E_SUITE" = trixie ] || { e2e_log "e2e_rootless_setup: only on trixie (Debian 13 ships the rootless scripts)"; return 1; }
	e2e_run useradd -m -s /bin/bash "$u" || return 1
	uid=$(e2e_run id -u "$u") || return 1
	e2e_sh 'grep -q "^$1:" /etc/subuid || echo "$1:100000:65536" >>/etc/subuid
		grep -q "^$1:" /etc/subgid || echo "$1:100000:65536" >>/etc/subgid
		[ -c /dev/net/tun ] || { mkdir -p /dev/net && mknod /dev/net/tun c 10 200; } || exit 1
		chmod 666 /dev/net/tun
		printf "z /dev/net/tun 0666 - - -\n" >/etc/tmpfiles.d/drs-e2e-tun.conf' "$u" || { e2e_log "e2e_rootless_setup: subuid/subgid or /dev/net/tun failed"; return 1; }
	# loginctl from a unit of the container's own manager: logind refuses a caller whose cgroup
	# is outside the container's cgroup namespace, as e2e_run's is since the container has a
	# cgroup of its own ("Could not enable linger: Protocol driver not attached", EUNATCH).
	e2e_run systemd-run --wait --pipe --quiet loginctl enable-linger "$u" || return 1
	e2e_wait_for -t 30 e2e_run test -S "/run/user/$uid/bus" ||
		{ e2e_log "e2e_rootless_setup: no user bus /run/user/$uid/bus"; return 1; }
	out=$(e2e_user_run "$u" dockerd-rootless-setuptool.sh install --skip-iptables 2>&1)
	e2e_log "dockerd-rootless-setuptool.sh install --skip-iptables (exit $?; the last step fails on Debian), last lines:"
	tail -n 5 <<<"$out" | sed 's/^/    /'
	# The step after the failing one, `systemctl --user enable docker.service`: without it the
	# user's daemon does not start at boot (linger starts the manager, default.target).
	e2e_user_run "$u" systemctl --user enable docker.service 2>&1 | sed 's/^/    /'
	if ! e2e_wait_for -t 60 -i 0.2 e2e_user_unit_active "$u" docker.service; then
		e2e_log "e2e_rootless_setup: the user's docker.service is not active:"
		e2e_user_run "$u" systemctl --user status --no-pager docker.service 2>&1 | sed 's/^/    /'
		e2e_user_run "$u" journalctl --user --no-pager -q -n 30 -u docker.service 2>&1 | sed 's/^/    /'
		printf '%s\n' "$out" | tail -n 30 | sed 's/^/    setuptool: /'
		return 1
	fi
	E2E_USER=$u E2E_USER_UID=$uid
	export E2E_USER E2E_USER_UID
	e2e_log "rootless Docker of $u (uid $uid) active after $(e2e_since "$t0") s"
}
