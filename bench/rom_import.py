#!/usr/bin/env python3
"""Benchmark: --import-rom and the whole ROM chain, per corpus ROM.

For every ROM in ../shared/corpus/roms (third-party data, never committed;
the benchmark says so and stops when the folder is absent) it times, as
shell command lines with process start included:

  import  gpuinit-translate --import-rom ROM -o /dev/null
  chain   gpuinit-translate --import-rom ROM
            | gpuinit-opt --initseq-optimize-pipeline
            | gpuinit-translate --export-initseq-json --initseq-json-version=1.1

NVIDIA ROMs are imported with --devinit-post (one sequence to export). Plain
x86 ROMs have nothing to import statically; they are measured with
--x86-emulate when this gpuinit has it and skipped otherwise. Each command
runs --runs times after one warm-up run; the median, minimum and maximum
wall times are printed with the targets of issue #3 (import < 50 ms, chain
< 150 ms) and the ratio median/target.

    bench/rom_import.py [--build build] [--runs 21] [--corpus ../shared/corpus/roms]
"""

import argparse
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
IMPORT_TARGET_MS = 50.0
CHAIN_TARGET_MS = 150.0


def time_once(cmd):
    start = time.perf_counter()
    proc = subprocess.run(["bash", "-o", "pipefail", "-c", cmd],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = (time.perf_counter() - start) * 1000.0
    if proc.returncode != 0:
        sys.exit("benchmark command failed (%d): %s\n%s" %
                 (proc.returncode, cmd, proc.stderr.decode()[-2000:]))
    return elapsed


def measure(cmd, runs):
    time_once(cmd)  # warm-up (page cache, dynamic loader)
    times = [time_once(cmd) for _ in range(runs)]
    return statistics.median(times), min(times), max(times)


def import_flags(translate, rom):
    """The --import-rom flags for `rom`, or None when it has nothing to
    import on this build."""
    probe = subprocess.run([translate, "--import-rom", rom, "-o", os.devnull],
                           capture_output=True, text=True)
    if probe.returncode == 0:
        return "--devinit-post" if "NVIDIA devinit" in probe.stderr else ""
    emulated = subprocess.run(
        [translate, "--import-rom", "--x86-emulate", rom, "-o", os.devnull],
        capture_output=True, text=True)
    if emulated.returncode == 0:
        return "--x86-emulate"
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--runs", type=int, default=21)
    ap.add_argument("--corpus",
                    default=os.path.join(ROOT, "..", "shared", "corpus", "roms"))
    args = ap.parse_args()
    if not os.path.isdir(args.corpus):
        sys.exit("no ROM corpus at %s (third-party data, not part of the "
                 "project); nothing to measure" % args.corpus)
    bindir = os.path.join(args.build, "bin")
    translate = os.path.join(bindir, "gpuinit-translate")
    opt = os.path.join(bindir, "gpuinit-opt")
    roms = sorted(f for f in os.listdir(args.corpus)
                  if f.endswith((".rom", ".bin")))
    print("%-48s %-16s %28s %28s" % ("rom", "flags", "import ms (med/min/max)",
                                     "chain ms (med/min/max)"))
    for name in roms:
        rom = os.path.join(args.corpus, name)
        flags = import_flags(translate, rom)
        if flags is None:
            print("%-48s %-16s %s" % (name, "-", "skipped: nothing importable "
                                      "on this build"))
            continue
        imp = measure("%s --import-rom %s %s -o /dev/null" %
                      (translate, flags, rom), args.runs)
        chain = measure(
            "%s --import-rom %s %s | %s --initseq-optimize-pipeline | "
            "%s --export-initseq-json --initseq-json-version=1.1" %
            (translate, flags, rom, opt, translate), args.runs)
        print("%-48s %-16s %9.1f/%6.1f/%6.1f (%.2fx) %9.1f/%6.1f/%6.1f (%.2fx)" % (
            name, flags or "(none)", imp[0], imp[1], imp[2],
            imp[0] / IMPORT_TARGET_MS, chain[0], chain[1], chain[2],
            chain[0] / CHAIN_TARGET_MS))
    print("ratios are median / target (import %g ms, chain %g ms); below 1 "
          "meets the target" % (IMPORT_TARGET_MS, CHAIN_TARGET_MS))


if __name__ == "__main__":
    main()
