"""Helpers of test/Dialect/Kernel/fuse-run-vulkan.mlir.

  raw <out.json> <buffer> <file.bin>
      writes a buffer that `gpuinit-run launch --format=json` printed as raw
      little-endian f32 (the input of the next launch of the unfused program)
  check <scenario> <output>
      compares the printed result (`gpuinit-run launch --format=json`, or
      `gpuinit-run run` lines 'argN[i] = v') with a float64 reference
      computed from the inputs' fills (|got - want| <= 1e-3 + 1e-5 |want|)
      and prints one summary line
"""
import json
import struct
import sys


def floats(value):
    if isinstance(value, str):
        return float(value)
    return float(value)


def linear(start, step, count):
    return [start + i * step for i in range(count)]


def reference(scenario):
    if scenario == "chain":
        # y = relu(alpha * x + x), x[i] = -4 + i / 128, alpha = 1.5
        x = linear(-4.0, 1.0 / 128, 1000)
        return [max(1.5 * v + v, 0.0) for v in x]
    if scenario == "matmul":
        # C = relu(A * B + bias), A 64x32, B 32x48, bias 64x48
        a = linear(-16.0, 1.0 / 64, 64 * 32)
        b = linear(-6.0, 1.0 / 128, 32 * 48)
        bias = linear(-48.0, 1.0 / 32, 64 * 48)
        out = []
        for i in range(64):
            for j in range(48):
                s = sum(a[i * 32 + k] * b[k * 48 + j] for k in range(32))
                out.append(max(s + bias[i * 48 + j], 0.0))
        return out
    if scenario == "rows":
        # out = 0.5 * rowsum(m) + 1, m 64x1000, m[i] = -2 + i / 4096
        m = linear(-2.0, 1.0 / 4096, 64 * 1000)
        return [0.5 * sum(m[r * 1000:(r + 1) * 1000]) + 1.0 for r in range(64)]
    raise SystemExit("unknown scenario " + scenario)


def main(argv):
    if argv[1] == "raw":
        values = json.load(open(argv[2]))[argv[3]]
        with open(argv[4], "wb") as f:
            f.write(struct.pack("<%df" % len(values), *map(floats, values)))
        return 0
    if argv[1] == "check":
        text = open(argv[3]).read()
        if text.lstrip().startswith("{"):
            got = list(json.loads(text).values())[0]
        else:
            got = [line.split(" = ", 1)[1] for line in text.splitlines()
                   if " = " in line]
        want = reference(argv[2])
        if len(got) != len(want):
            print("check %s: %d elements, expected %d" % (argv[2], len(got), len(want)))
            return 1
        bad = [i for i, (g, w) in enumerate(zip(map(floats, got), want))
               if not abs(g - w) <= 1e-3 + 1e-5 * abs(w)]
        positive = sum(1 for w in want if w > 0)
        if bad:
            i = bad[0]
            print("check %s: %d elements differ, first [%d] = %r, expected %r"
                  % (argv[2], len(bad), i, got[i], want[i]))
            return 1
        print("check %s: ok (%d elements, %d positive)" % (argv[2], len(got), positive))
        return 0
    raise SystemExit(__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
