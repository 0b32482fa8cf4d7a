#!/bin/bash
# seed-corpus.sh: (re)writes fuzz/corpus/TARGET/ from real files: the test fixtures, the unit files
# of the e2e container's rootfs (when it is cached), dockerd journal lines and state files that the
# program itself writes. Run by hand from the source tree after building: fuzz/seed-corpus.sh
set -eu
cd "$(dirname "$0")/.."
out=fuzz/corpus
drs=${DRS:-./docker-remote-setup}
rootfs=${DRS_E2E_CACHE:-/var/tmp/drs-e2e}/rootfs-bookworm
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# seed TARGET NAME < content
seed() { mkdir -p "$out/$1"; cat > "$out/$1/$2"; }
# seed_file TARGET FILE...: each file as a seed named after its content's hash.
seed_file() {
        local t=$1 f
        shift
        for f in "$@"; do [ -f "$f" ] && seed "$t" "$(sha1sum < "$f" | cut -c1-16)" < "$f"; done
        return 0
}

rm -rf "$out"
units=$(find tests/fixtures -type f \( -name '*.service' -o -name '*.conf' -o -name '*.socket' \))
units="$units $(find "$rootfs"/lib/systemd/system -maxdepth 1 -name '*.service' -size -4k 2>/dev/null || true)"
defaults=$(find tests/fixtures -type f -path '*default/docker*'; ls "$rootfs"/etc/default/* 2>/dev/null || true)
jsons=$(find tests/fixtures -type f -name '*.json')

# shellcheck disable=SC2086
seed_file unitfile $units
# shellcheck disable=SC2086
seed_file envfile $defaults
# shellcheck disable=SC2086
seed_file daemonjson $jsons
printf '{\n  "hosts": ["unix:///var/run/docker.sock", "tcp://0.0.0.0:2375"],\n  "tls": true\n}\n' | seed daemonjson hosts
printf '{"log-level": "debug", "hosts": "fd://"}' | seed daemonjson hosts-string
printf '' | seed daemonjson empty

# Every ExecStart= value of those units.
# shellcheck disable=SC2086
grep -h '^ExecStart=.' $units 2>/dev/null | sed 's/^ExecStart=//' | sort -u | while IFS= read -r l; do
        printf '%s' "$l" | seed execline "$(printf '%s' "$l" | sha1sum | cut -c1-16)"
done
printf '%s' '/usr/bin/dockerd --label "env=prod west" '"'"'${X}'"'"' \x41\u00e9 \;' | seed execline quoting

# The plan: docker.service, override.conf, /etc/default/docker, daemon.json (NUL-separated).
for c in tests/fixtures/cases/*/; do
        b=$(cat "$c/base")
        [ "$b" = none ] && continue
        frag=$(ls tests/fixtures/base/"$b"/{usr/,}lib/systemd/system/docker.service 2>/dev/null | head -n1)
        [ -f "$c/root/lib/systemd/system/docker.service" ] && frag="$c/root/lib/systemd/system/docker.service"
        ov=$(ls "$c"/root/etc/systemd/system/docker.service.d/*.conf 2>/dev/null | head -n1 || true)
        def="tests/fixtures/base/$b/etc/default/docker"
        js="$c/root/etc/docker/daemon.json"
        { cat "$frag" 2>/dev/null; printf '\0'; [ -n "$ov" ] && cat "$ov"; printf '\0'
          cat "$def" 2>/dev/null; [ -f "$c/root/etc/default/docker.append" ] && cat "$c/root/etc/default/docker.append"
          printf '\0'; cat "$js" 2>/dev/null; } | seed plan "$(basename "$c")"
done
# udiff: pairs of related files (old NUL new).
{ cat tests/fixtures/units/debian-docker.service; printf '\0'; cat tests/fixtures/base/docker-ce/usr/lib/systemd/system/docker.service; } | seed udiff units
{ cat tests/fixtures/units/debian-default-docker; printf '\0'; sed 's/^#DOCKER_OPTS/DOCKER_OPTS/' tests/fixtures/units/debian-default-docker; } | seed udiff default
printf 'a\nb\nc' | seed udiff no-newline

# Journal lines of dockerd and systemd, as the e2e tests saw them (apply --json in tests/e2e/*.log,
# or JOURNAL_LOGS="FILE…").
# shellcheck disable=SC2086
python3 - "$out/listenmatch" ${JOURNAL_LOGS:-tests/e2e/*.log} <<'PY' || true
import json, os, sys, hashlib
out = sys.argv[1]; lines = []
for f in sys.argv[2:]:
    if not os.path.exists(f):
        continue
    for l in open(f, errors="replace"):
        l = l.strip().lstrip("|").strip().rstrip(",")
        if l.startswith('"') and l.endswith('"'):
            try: lines.append(json.loads(l))
            except ValueError: pass
os.makedirs(out, exist_ok=True)
seen = sorted(set(lines))
for i in range(0, len(seen), 8):
    chunk = "\n".join(seen[i:i + 8]) + "\n"
    open(os.path.join(out, hashlib.sha1(chunk.encode()).hexdigest()[:16]), "w").write(chunk)
PY
{
        echo 'time="2024-05-01T10:00:00.000000000Z" level=info msg="API listen on 10.213.0.2:2375"'
        echo 'time="2024-05-01T10:00:00.000000000Z" level=info msg="API listen on [::]:2376"'
        echo '{"level":"info","msg":"API listen on /run/docker.sock","time":"2024-05-01T10:00:00Z"}'
        echo 'failed to load listeners: listen tcp 10.213.0.2:2375: bind: address already in use'
        echo 'docker.service: Main process exited, code=exited, status=1/FAILURE'
        echo 'docker.service: Failed with result '"'"'exit-code'"'"'.'
        echo 'time="2024-05-01T10:00:00Z" level=fatal msg="unable to configure the Docker daemon with file /etc/docker/daemon.json: the following directives are specified both as a flag and in the configuration file: hosts: (from flag: [fd://], from file: [tcp://0.0.0.0:2375])"'
} | seed listenmatch handwritten

# State files as the program writes them: apply on a copy of the Debian fixture.
cp -a tests/fixtures/base/debian "$tmp/root"
if "$drs" apply --root "$tmp/root" --iface lo --plain --yes >/dev/null 2>&1; then
        for m in "$tmp"/root/var/lib/docker-remote-setup/backups/*/manifest.json; do seed_file manifest "$m"; done
fi
# The client bundle as apply writes it (TLS on the Debian fixture).
cp -a tests/fixtures/base/debian "$tmp/tls"
if "$drs" apply --root "$tmp/tls" --iface lo --yes >/dev/null 2>&1; then
        seed_file ustar "$tmp/tls/etc/docker/remote-setup/client.tar"
fi
printf 'ca\0cert\0key' | seed ustar three-files
printf '{\n  "id": "20261129-053012",\n  "phase": "pending",\n  "deadline": 1796000000000000,\n  "timers": [ "docker-remote-setup-deadline-20261129-053012" ],\n  "dirs_created": [ "/etc/systemd/system/docker.service.d" ],\n  "pid": 4242\n}\n' | seed manifest txn

# The /_ping answer (first byte: how many bytes each read returns, minus one).
printf '\377HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nContent-Length: 2\r\nContent-Type: text/plain; charset=utf-8\r\nDocker-Experimental: false\r\nOstype: linux\r\nServer: Docker/20.10.24+dfsg1 (linux)\r\n\r\nOK' | seed http plain
printf '\003HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nOK\r\n0\r\n\r\n' | seed http chunked
printf '\000HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n' | seed http plain-to-tls

for a in 10.0.0.2 0.0.0.0 :: ::1 fe80::1 fd00::5 100.64.1.1 169.254.0.1 224.0.0.1 8.8.8.8 ::ffff:10.0.0.1 2001:db8::1 \
        1.2.3.4 2375 65535 eth0 br-1234 lo; do
        i=$((${i:-0} + 1))
        printf '%s' "$a" | seed addr "seed-$i"
done
find "$out" -type f | wc -l
