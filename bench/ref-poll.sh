#!/bin/sh
# bench/ref-poll.sh: the reference for part 1, run inside the container: restart docker.service
# as a simple admin script would and poll every INTERVAL s until the new listener shows.
#
# Usage: ref-poll.sh journal|ss INTERVAL ADDR PORT
#   journal: journalctl -u docker.service (after a cursor taken before the restart) has
#            "API listen on ADDR:PORT";  ss: ss -ltn shows a listener on PORT.
# The restart is requested without waiting for the job (systemctl restart --no-block) and the
# loop sleeps first: checks happen INTERVAL, 2*INTERVAL, ... after the request.
# Prints "RESTART_US DETECTED_US ENTRY_US" (CLOCK_REALTIME, µs); ENTRY_US is the journal
# timestamp of dockerd's "API listen on ADDR:PORT" line of this restart.
set -u
mode=$1 interval=$2 addr=$3 port=$4
cursor=$(journalctl -q -n 1 -o json --output-fields=__CURSOR --no-pager | sed -n 's/.*"__CURSOR" *: *"\([^"]*\)".*/\1/p')
listen_lines() { journalctl -q --no-pager -u docker.service --after-cursor="$cursor" -o json | grep -F "API listen on $addr:$port"; }
check() {
	case $mode in
	journal) listen_lines >/dev/null ;;
	ss) [ -n "$(ss -Hltn "( sport = :$port )")" ] ;;
	esac
}
# docker.service allows 3 starts a minute (StartLimitBurst): reset the counter as the tool does.
systemctl reset-failed docker.service
t0=$(date +%s%6N)
systemctl restart --no-block docker.service
while sleep "$interval"; do
	check && break
done
t1=$(date +%s%6N)
# The line itself may come a little after a listener shows in ss.
i=0
while ! listen_lines >/dev/null && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
entry=$(listen_lines | head -n 1 | sed -n 's/.*"__REALTIME_TIMESTAMP" *: *"\([0-9]*\)".*/\1/p')
echo "$t0 $t1 ${entry:-0}"
