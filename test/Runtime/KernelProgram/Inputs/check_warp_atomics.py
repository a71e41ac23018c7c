#!/usr/bin/env python3
"""Checks `gpuinit-run run ... warp-atomics.mlir --print=0,1,2` output against
the values derived in Inputs/warp-atomics.mlir's header. Prints
"ok: 8 f32, 8 i32, 640 shuffle results" or exits 1 at the first mismatch."""
import re
import sys

vals = {}
for line in sys.stdin:
    m = re.match(r"^arg(\d)\[(\d+)\] = (\S+)$", line.strip())
    if m:
        vals.setdefault(int(m.group(1)), {})[int(m.group(2))] = float(m.group(3))

def want(arg, idx, expected):
    got = vals.get(arg, {}).get(idx)
    if got != expected:
        sys.exit("arg%d[%d] is %r, expected %r" % (arg, idx, got, expected))

for idx, v in enumerate([128, -64, 127, 0, 7.5, 0, 0, 0]):
    want(0, idx, v)
for idx, v in enumerate([65535, 8, 2, 127, 0, -640]):
    want(1, idx, v)
winner = vals.get(1, {}).get(6)
if winner is None or not 1 <= winner <= 128:
    sys.exit("arg1[6] is %r, expected one thread's g + 1 (1..128)" % winner)
want(1, 7, 1)
for g in range(128):
    lane8, lane4 = g % 8, g % 4
    expected = [g ^ 1, g - lane4 + 3, g - 1 if lane8 >= 1 else g,
                g + 2 if lane8 + 2 < 8 else g, g ^ 1]
    for k, v in enumerate(expected):
        want(2, 5 * g + k, v)
print("ok: 8 f32, 8 i32, 640 shuffle results")
