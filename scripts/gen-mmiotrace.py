#!/usr/bin/env python3
"""Generates synthetic Linux mmiotrace logs (format 20070824).

The logs follow shared/specs/mmiotrace.md: a VERSION line, PCIDEV lines for an
NVIDIA GPU (01:00.0, 10de:0fc6) and a host bridge (00:00.0, 8086:1237), MAP and
UNMAP records, MARKs, and R/W records on the GPU's BAR0 register aperture and a
BAR1 VRAM window. A fixed bring-up prologue comes first, so that even a short
log has every feature the importer and the initseq passes look for: a polling
loop (the same status register read until a bit flips), gaps of several
milliseconds, duplicate writes, 8/16/32-bit accesses and a run of writes to
consecutive registers. Random but deterministic (--seed) blocks of the same
kinds fill the log up to --accesses R/W records.

Nothing here comes from real hardware.

    scripts/gen-mmiotrace.py --accesses 1000000 -o /tmp/big.mmiotrace
    scripts/gen-mmiotrace.py --demo -o examples/traces/demo.mmiotrace
"""

import argparse
import random
import sys

VERSION = "20070824"

# GPU 01:00.0: BAR0 registers (16 MiB), BAR1 VRAM (128 MiB, 64-bit
# prefetchable), BAR3 (32 MiB, 64-bit prefetchable), BAR5 I/O ports, ROM.
GPU_BAR0 = 0xF6000000
GPU_BAR1 = 0xE0000000
GPU_PCIDEV = ("PCIDEV 0100 10de0fc6 10 f6000000 e000000c 0 f000000c 0 e001 "
              "f7000000 1000000 8000000 0 2000000 0 80 80000 nouveau")
# Host bridge 00:00.0: no resources, no driver (the line ends with a space).
BRIDGE_PCIDEV = "PCIDEV 0000 80861237 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 "

VIRT_BAR0 = 0xFFFFC90000800000
VIRT_VRAM = 0xFFFFC90008000000
VRAM_WINDOW = 0x100000


class Trace:
    """Accumulates records with a monotonic clock in microseconds."""

    def __init__(self, start_us, limit):
        self.us = start_us
        self.lines = []
        self.accesses = 0
        self.limit = limit
        self.pc = 0xFFFFFFFFA0123400

    def full(self):
        return self.accesses >= self.limit

    def ts(self):
        return "%d.%06d" % divmod(self.us, 1000000)

    def tick(self, us):
        self.us += us

    def raw(self, line):
        self.lines.append(line)

    def mark(self, text):
        self.lines.append("MARK %s %s" % (self.ts(), text))

    def map(self, map_id, phys, virt, length):
        self.lines.append("MAP %s %d 0x%x 0x%x 0x%x 0x0 0" %
                          (self.ts(), map_id, phys, virt, length))

    def unmap(self, map_id):
        self.lines.append("UNMAP %s %d 0x0 0" % (self.ts(), map_id))

    def access(self, kind, width, map_id, phys, value):
        if self.full():
            return
        self.pc = (self.pc + 0x13) & 0xFFFFFFFFFFFFFFFF
        self.lines.append("%s %d %s %d 0x%x 0x%x 0x%x 0" %
                          (kind, width, self.ts(), map_id, phys, value,
                           self.pc))
        self.accesses += 1
        self.tick(1 + (self.accesses % 5))

    def w(self, width, reg, value, map_id=1, base=GPU_BAR0):
        self.access("W", width, map_id, base + reg, value)

    def r(self, width, reg, value, map_id=1, base=GPU_BAR0):
        self.access("R", width, map_id, base + reg, value)


def prologue(t):
    """A short, fixed bring-up with every feature in it."""
    t.mark("nouveau: loading driver")
    t.tick(412)
    t.map(1, GPU_BAR0, VIRT_BAR0, 0x1000000)
    t.r(4, 0x000000, 0x0E63A0A1)                  # boot0
    t.w(4, 0x000200, 0xFFFFFFFF)                  # enable all engines
    t.r(4, 0x000200, 0xFFFFFFFF)
    t.tick(5000)                                  # 5 ms settle
    t.mark("devinit: PLLs")
    for i in range(8):                            # consecutive registers
        t.w(4, 0x001540 + 4 * i, 0x00010000 + i)
    t.w(4, 0x001700, 0x0000F000)                  # duplicate writes
    t.w(4, 0x001700, 0x0000F000)
    t.w(4, 0x001704, 0x00000001)
    t.w(4, 0x001704, 0x00000001)
    t.w(1, 0x610000, 0x3F)                        # 8-bit
    t.r(1, 0x610001, 0x80)
    t.w(2, 0x610002, 0x1234)                      # 16-bit
    t.r(2, 0x610002, 0x1234)
    t.w(4, 0x00E100, 0x00000001)                  # start, then poll bit 1
    for _ in range(5):
        t.r(4, 0x00E100, 0x00000001)
        t.tick(100)
    t.r(4, 0x00E100, 0x00000003)
    t.tick(10000)                                 # 10 ms
    t.mark("devinit: VRAM")
    t.map(2, GPU_BAR1, VIRT_VRAM, VRAM_WINDOW)
    for i in range(4):
        t.w(4, 4 * i, 0xCAFE0000 + i, map_id=2, base=GPU_BAR1)
    t.r(4, 0, 0xCAFE0000, map_id=2, base=GPU_BAR1)
    t.tick(200)
    t.unmap(2)
    t.tick(3000)                                  # 3 ms


# Engine register ranges of BAR0 the filler draws its registers from, like a
# driver that programs a few thousand registers over and over.
ENGINES = [(0x000000, 0x1000), (0x001000, 0x1000), (0x002000, 0x2000),
           (0x009000, 0x1000), (0x00E000, 0x1000), (0x100000, 0x2000),
           (0x400000, 0x4000), (0x610000, 0x4000)]


def register_pool(rng, count):
    regs = set()
    while len(regs) < count:
        base, size = rng.choice(ENGINES)
        regs.add(base + rng.randrange(0, size, 4))
    return sorted(regs)


def value(rng):
    """Register values are mostly zero, small numbers and bit masks."""
    kind = rng.randrange(8)
    if kind < 2:
        return 0
    if kind < 4:
        return rng.randrange(256)
    if kind < 6:
        return 1 << rng.randrange(32)
    return rng.getrandbits(32)


def filler(t, rng, pool_size):
    """Blocks of the same kinds as the prologue on a pool of registers."""
    pool = register_pool(rng, pool_size)
    block = 0
    while not t.full():
        block += 1
        kind = rng.randrange(10)
        reg = rng.choice(pool)
        if kind < 4:                              # plain 32-bit writes
            for _ in range(rng.randint(1, 6)):
                t.w(4, reg, value(rng))
                reg = rng.choice(pool)
        elif kind == 4:                           # run of consecutive registers
            for i in range(rng.randint(4, 16)):
                t.w(4, reg + 4 * i, value(rng))
        elif kind == 5:                           # duplicate write
            v = value(rng)
            t.w(4, reg, v)
            t.w(4, reg, v)
        elif kind == 6:                           # read-modify-write
            old = value(rng)
            t.r(4, reg, old)
            t.w(4, reg, (old & 0xFFFFFF00) | rng.getrandbits(8))
        elif kind == 7:                           # polling loop
            mask = 1 << rng.randrange(32)
            t.w(4, reg, mask)
            for _ in range(rng.randint(2, 8)):
                t.r(4, reg, 0)
                t.tick(rng.randint(10, 200))
            t.r(4, reg, mask)
        elif kind == 8:                           # 8- and 16-bit accesses
            t.w(1, reg + 1, rng.getrandbits(8))
            t.w(2, reg + 2, rng.getrandbits(16))
            t.r(1, reg + 1, rng.getrandbits(8))
        else:                                     # a delay of a few ms
            t.tick(rng.randint(2, 20) * 1000)
            t.r(4, reg, value(rng))
        if block % 5000 == 0:
            t.mark("block %d" % block)


def generate(accesses, seed, demo, registers):
    rng = random.Random(seed)
    t = Trace(12 * 1000000 + 100, accesses)
    t.raw("VERSION " + VERSION)
    t.raw(GPU_PCIDEV)
    t.raw(BRIDGE_PCIDEV)
    prologue(t)
    filler(t, rng, registers)
    t.tick(1000)
    t.mark("nouveau: driver loaded" if demo else "done")
    t.unmap(1)
    return t.lines


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--accesses", type=int, default=None,
                    help="R/W records to generate (default 1000, --demo 80)")
    ap.add_argument("--seed", type=int, default=1, help="random seed")
    ap.add_argument("--registers", type=int, default=4096,
                    help="distinct BAR0 registers the filler uses")
    ap.add_argument("--demo", action="store_true",
                    help="the small example of examples/traces")
    ap.add_argument("-o", "--output", default="-", help="output file")
    args = ap.parse_args()
    accesses = args.accesses
    if accesses is None:
        accesses = 80 if args.demo else 1000
    if accesses < 0:
        ap.error("--accesses must not be negative")
    if not 1 <= args.registers <= 16384:
        ap.error("--registers must be in 1..16384")
    text = "\n".join(generate(accesses, args.seed, args.demo,
                              args.registers)) + "\n"
    if args.output == "-":
        sys.stdout.write(text)
    else:
        with open(args.output, "w", newline="\n") as f:
            f.write(text)


if __name__ == "__main__":
    main()
