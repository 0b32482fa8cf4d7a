#!/bin/bash
# tests/e2e/rootfs.sh -- not a test: build (or check) the cached rootfs of each platform given
# (default: bookworm trixie), side by side, with the extra packages the scenarios ask for
# (python3 for ansible.sh), so that make check's first tests do not each wait for a build.
# .ci/run calls it; exit 0 built or already there, 1 a build failed, 77 this machine cannot.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/lib.sh"
e2e_skip_unless_possible
suites=("$@")
[ $# -gt 0 ] || suites=(bookworm trixie)
rc=0 pids=()
for s in "${suites[@]}"; do
	# A fresh shell per platform: lib.sh reads E2E_SUITE when it is sourced.
	E2E_SUITE=$s E2E_PACKAGES="${E2E_PACKAGES:-} python3" \
		bash -c '. "$1" && e2e_rootfs && e2e_log "rootfs-$E2E_SUITE ready"' _ "$here/lib.sh" &
	pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || rc=1; done
exit "$rc"
