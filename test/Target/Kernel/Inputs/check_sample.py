#!/usr/bin/env python3
"""Checks the output of `gpuinit-run launch --format=lines --print-all`
against a CPU reference computed here in double precision.

Usage: check_sample.py SAMPLE < output
SAMPLE is saxpy, softmax, reduce or reduce-atomic. The inputs are read back from the same
output (the launch descriptions print them), so random fills are checked too.
Prints one line "ok SAMPLE: N values, max relative error E" or exits 1 with
the first mismatch.
"""
import math
import re
import sys

LINE = re.compile(r"^(\w+)\[(\d+)\] = (\S+)$")


def read():
    buffers = {}
    for line in sys.stdin:
        m = LINE.match(line.strip())
        if m:
            buffers.setdefault(m.group(1), {})[int(m.group(2))] = float(m.group(3))
    return {k: [v[i] for i in range(len(v))] for k, v in buffers.items()}


def compare(name, got, want, rel):
    worst = 0.0
    for i, (g, w) in enumerate(zip(got, want)):
        err = abs(g - w) / max(abs(w), 1e-30)
        if err > rel and abs(g - w) > 1e-30:
            sys.exit("%s: element %d is %r, the reference is %r (relative "
                     "error %.3g > %.3g)" % (name, i, g, w, err, rel))
        worst = max(worst, err)
    if len(got) != len(want):
        sys.exit("%s: %d values, the reference has %d" % (name, len(got), len(want)))
    print("ok %s: %d values, max relative error %.3g" % (name, len(got), worst))


def main():
    sample = sys.argv[1]
    b = read()
    if sample == "saxpy":
        # Inputs as the launch description fills them (y is printed after).
        n = len(b["y"])
        x = [0.25 * i for i in range(n)]
        y0 = [1 + 0.5 * i for i in range(n)]
        # alpha * x + y with f32 operands: exact in double, one f32 rounding.
        compare("saxpy", b["y"], [1.5 * xi + yi for xi, yi in zip(x, y0)], 1e-6)
    elif sample == "softmax":
        x, y, cols = b["x"], b["y"], 1000
        want = []
        for r in range(len(x) // cols):
            row = x[r * cols:(r + 1) * cols]
            m = max(row)
            e = [math.exp(v - m) for v in row]
            s = sum(e)
            want += [v / s for v in e]
        compare("softmax", y, want, 1e-4)
    elif sample in ("reduce", "reduce-atomic"):
        total = sum(b["out"])
        want = math.fsum(b["in"])
        # Each value passes through at most 16 f32 additions (grid-stride
        # sums, then the 8-level tree): at most 16 roundings of magnitudes.
        # reduce-atomic: plus one atomic f32 addition per workgroup (64).
        steps = 16 + (64 if sample == "reduce-atomic" else 0)
        bound = steps * 2.0 ** -24 * math.fsum(abs(v) for v in b["in"])
        if abs(total - want) > bound:
            sys.exit("reduce: sum %r, the reference is %r (bound %g)" % (total, want, bound))
        print("ok reduce: %d partial sums, |error| %.3g <= %.3g" % (len(b["out"]), abs(total - want), bound))
    else:
        sys.exit("unknown sample " + sample)


if __name__ == "__main__":
    main()
