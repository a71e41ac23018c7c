#!/usr/bin/env python3
"""Random-sequence check of initseq-reduce with the simulator.

Generates random initseq sequences (conditions with and without else bodies
included) over the registers of
test/Runtime/Inputs/regmap.json (plain storage of several widths, FIFO,
write-1-to-clear, read-pure, read-clears and unmapped registers, config
space, indexed and plain I/O), reduces them with gpuinit-opt and checks with
`gpuinit-run simulate` that every reduction is equivalent to its input. It
also deletes one side-effecting write from each sequence and checks that the
simulator reports that "reduction" as divergent. Prints one summary line; the
exit status is 1 if any check failed.
"""
import argparse
import os
import random
import re
import subprocess
import sys

# (location, width in bits, kind). Kinds: plain, partial (straddles the end
# of the plain range), sidefx (FIFO, w1c, read-clears, unmapped), readpure.
REGS = [
    ("mmio[bar0 + 0x1000]", 32, "plain"),
    ("mmio[bar0 + 0x1004]", 32, "plain"),
    ("mmio[bar0 + 0x1000]", 16, "plain"),
    ("mmio[bar0 + 0x1002]", 16, "plain"),
    ("mmio[bar0 + 0x1001]", 8, "plain"),
    ("mmio[bar0 + 0x1000]", 64, "plain"),
    ("mmio[bar0 + 0x1006]", 32, "plain"),
    ("mmio[bar0 + 0x1008]", 32, "plain"),
    ("mmio[bar0 + 0x10fe]", 32, "partial"),
    ("mmio[bar0 + 0x2000]", 32, "sidefx"),
    ("mmio[bar0 + 0x2004]", 32, "sidefx"),
    ("mmio[bar0 + 0x3000]", 32, "readpure"),
    ("mmio[bar0 + 0x3004]", 32, "sidefx"),
    ("mmio[bar0 + 0x200]", 32, "sidefx"),
    ("cfg[0x40]", 32, "plain"),
    ("cfg[0x44]", 8, "plain"),
    ("cfg[0x4]", 16, "sidefx"),
    ("idxio[0x3d4:0x3d5][0x11]", 8, "plain"),
    ("idxio[0x3d4:0x3d5][0x12]", 8, "plain"),
    ("idxio[0x3c4:0x3c5][0x1]", 8, "sidefx"),
    ("io[0x3da]", 8, "sidefx"),
]
PLAIN = [r for r in REGS if r[2] == "plain"]
OTHER = [r for r in REGS if r[2] != "plain"]
POLLABLE = [r for r in REGS if r[2] in ("sidefx", "readpure") and r[1] == 32]
KINDS = ["strap", "ramcfg", "condition", "io_condition", "io_flag_condition"]
OPS = re.compile(r"^\s*initseq\.(write|rmw|read|block_write|poll|delay|"
                 r"condition|opaque|note)\b")


class Gen:
    def __init__(self, rng, plain_bias):
        self.rng = rng
        self.plain_bias = plain_bias

    def reg(self):
        return self.rng.choice(PLAIN if self.rng.random() < self.plain_bias
                               else OTHER)

    def value(self, bits):
        full = (1 << bits) - 1
        v = self.rng.choice([0, 1, 2, 0x5a, full, self.rng.getrandbits(bits)])
        return v & full

    def op(self, depth, indent):
        """Returns (lines, side_effecting_write_line_offsets)."""
        r = self.rng.random()
        pad = " " * indent
        if r < 0.40:
            loc, bits, kind = self.reg()
            line = f"{pad}initseq.write {loc} : i{bits} = {hex(self.value(bits))}"
            return [line], [0] if kind == "sidefx" else []
        if r < 0.55:
            loc, bits, _ = self.reg()
            full = (1 << bits) - 1
            and_mask = self.rng.choice([0, full, full ^ 0xff, self.value(bits)])
            or_mask = self.value(bits) & ~and_mask & full
            return [f"{pad}initseq.rmw {loc} : i{bits} and {hex(and_mask)} "
                    f"or {hex(or_mask)}"], []
        if r < 0.62:
            loc, bits, _ = self.reg()
            obs = f" -> {hex(self.value(bits))}" if self.rng.random() < 0.5 else ""
            return [f"{pad}initseq.read {loc} : i{bits}{obs}"], []
        if r < 0.67:
            base, kind = self.rng.choice([(0x1000, "plain"), (0x1004, "plain"),
                                          (0x400, "sidefx")])
            n = self.rng.randint(1, 4)
            vals = ", ".join(hex(self.value(32)) for _ in range(n))
            line = (f"{pad}initseq.block_write mmio[bar0 + {hex(base)}] : i32 "
                    f"stride 0x4 = [{vals}]")
            return [line], [0] if kind == "sidefx" else []
        if r < 0.77:
            d = self.rng.choice(["0 ns", "1 us", "10 us", "1 ms"])
            return [f"{pad}initseq.delay {d}"], []
        if r < 0.81:
            loc, bits, _ = self.rng.choice(POLLABLE)
            mask = self.rng.choice([1, 2, 0x80000000, 0xff])
            expected = mask & self.rng.getrandbits(32)
            cmp = self.rng.choice(["eq", "ne"])
            return [f"{pad}initseq.poll {loc} : i{bits} mask {hex(mask)} {cmp} "
                    f"{hex(expected)} timeout 1 ms"], []
        if r < 0.89 and depth < 2:
            neg = "not " if self.rng.random() < 0.3 else ""
            kind = self.rng.choice(KINDS)
            lines = [f"{pad}initseq.condition {neg}{kind} "
                     f"{hex(self.rng.randint(0, 7))} {{"]
            sidefx = []
            for _ in range(self.rng.randint(0, 5)):
                body, fx = self.op(depth + 1, indent + 2)
                sidefx += [len(lines) + i for i in fx]
                lines += body
            if self.rng.random() < 0.4:
                lines.append(f"{pad}}} else {{")
                for _ in range(self.rng.randint(0, 5)):
                    body, fx = self.op(depth + 1, indent + 2)
                    sidefx += [len(lines) + i for i in fx]
                    lines += body
            lines.append(f"{pad}}}")
            return lines, sidefx
        if r < 0.91:
            return [f'{pad}initseq.opaque "INIT_PLL" '
                    f'({hex(self.rng.randint(0, 0xffff))})'], []
        return [f'{pad}initseq.note "n{self.rng.randint(0, 99)}"'], []

    def sequence(self, name):
        lines = [f"initseq.sequence @{name} {{"]
        sidefx = []
        for _ in range(self.rng.randint(5, 40)):
            body, fx = self.op(0, 2)
            sidefx += [len(lines) + i for i in fx]
            lines += body
        lines.append("}")
        return lines, sidefx


def count_ops(text):
    return sum(1 for line in text.splitlines() if OPS.match(line))


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--opt", required=True)
    ap.add_argument("--run", required=True)
    ap.add_argument("--regmap", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--files", type=int, default=4)
    ap.add_argument("--sequences", type=int, default=50)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--reduce-options", default="",
                    help="more initseq-reduce options, e.g. drop-pure-reads=true")
    ap.add_argument("--plain-bias", type=float, default=0.65,
                    help="probability that an access goes to plain storage")
    args = ap.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    rng = random.Random(args.seed)
    gen = Gen(rng, args.plain_bias)
    total = equivalent = ops_in = ops_out = mutants = caught = 0
    failed = False
    for f in range(args.files):
        seqs = [gen.sequence(f"s{f}_{i}") for i in range(args.sequences)]
        text = "\n".join("\n".join(lines) for lines, _ in seqs) + "\n"
        inp = os.path.join(args.workdir, f"in{f}.mlir")
        out = os.path.join(args.workdir, f"out{f}.mlir")
        with open(inp, "w") as fh:
            fh.write(text)
        options = f"regmap={args.regmap} {args.reduce_options}".strip()
        subprocess.run([args.opt, inp, f"--initseq-reduce={options}", "-o", out],
                       check=True)
        with open(out) as fh:
            reduced = fh.read()
        ops_in += count_ops(text)
        ops_out += count_ops(reduced)
        res = subprocess.run([args.run, "simulate", f"--regmap={args.regmap}",
                              inp, out], capture_output=True, text=True)
        total += len(seqs)
        equivalent += len(re.findall(r"^@\S+: equivalent: ", res.stdout, re.M))
        if res.returncode != 0:
            failed = True
            sys.stdout.write(f"FAIL: reduction of {inp} -> {out}:\n"
                             f"{res.stdout}{res.stderr}")

        # Wrong "reductions": one side-effecting write removed per sequence.
        mutated = []
        for lines, sidefx in seqs:
            lines = list(lines)
            if sidefx:
                del lines[rng.choice(sidefx)]
                mutants += 1
            mutated.append("\n".join(lines))
        bad = os.path.join(args.workdir, f"wrong{f}.mlir")
        with open(bad, "w") as fh:
            fh.write("\n".join(mutated) + "\n")
        res = subprocess.run([args.run, "simulate", f"--regmap={args.regmap}",
                              inp, bad], capture_output=True, text=True)
        caught += len(re.findall(r"^@\S+: divergent at ", res.stdout, re.M))
        if res.returncode not in (0, 1):
            failed = True
            sys.stdout.write(f"FAIL: simulating {inp} against {bad}:\n"
                             f"{res.stdout}{res.stderr}")
    print(f"reduce-fuzz: {total} sequences, {equivalent} reductions equivalent, "
          f"removed {ops_in - ops_out} of {ops_in} ops; "
          f"{caught} of {mutants} wrong reductions caught")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
