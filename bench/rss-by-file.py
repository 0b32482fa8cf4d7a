#!/usr/bin/env python3
"""rss-by-file.py: reads the stderr of a run with DRS_TRACE=maps and prints where the resident
memory is at the highest traced point: KiB per file (its code, read-only and written pages
together; [heap], [anon], [stack] as such), largest first, then how much each traced step
added. Usage: rss-by-file.py TRACE-FILE [N] (N: how many files to list, default 15)."""
import collections
import re
import sys

steps = []  # (message, rss KiB, {mapping: KiB})
pss = dirty = -1  # the highest of the traced points
current = collections.Counter()
with open(sys.argv[1], encoding="utf-8", errors="replace") as f:
    for line in f:
        m = re.match(r"drs-trace \d+ \d+ (.*) rss=(\d+) hwm=\d+(?: pss=(-?\d+) dirty=(-?\d+))?$", line.rstrip("\n"))
        if m:
            steps.append((m.group(1), int(m.group(2)), None))
            if m.group(3):
                pss = max(pss, int(m.group(3)))
                dirty = max(dirty, int(m.group(4)))
            continue
        m = re.match(r"  maps ([+-]\d+) \S+ (.*)$", line.rstrip("\n"))
        if m and steps:
            current[m.group(2)] += int(m.group(1))
            steps[-1] = (steps[-1][0], steps[-1][1], dict(current))
if not steps:
    sys.exit("no drs-trace lines with maps (run with DRS_TRACE=maps)")
limit = int(sys.argv[2]) if len(sys.argv) > 2 else 15
peak = max(steps, key=lambda s: s[1])
by_file = collections.Counter()
for path, kib in (peak[2] or {}).items():
    by_file[path.rsplit("/", 1)[-1]] += kib
print(f"at \"{peak[0]}\": {peak[1]} KiB resident")
for name, kib in by_file.most_common(limit):
    print(f"  {kib:6d} KiB  {name}")
rest = sum(by_file.values()) - sum(k for _, k in by_file.most_common(limit))
print(f"  {rest:6d} KiB  {len(by_file) - limit if len(by_file) > limit else 0} more")
if pss >= 0:
    print(f"highest proportional set size (Pss) {pss} KiB; private dirty (written by this process) {dirty} KiB")
print("growth per step:")
prev = None
for msg, rss, _ in steps:
    print(f"  {rss - prev if prev is not None else rss:+6d} KiB  {msg}" if prev is not None else f"  {rss:6d} KiB  {msg}")
    prev = rss
