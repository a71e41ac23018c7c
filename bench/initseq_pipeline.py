#!/usr/bin/env python3
"""Benchmark: mmiotrace import -> initseq-optimize-pipeline -> v1.1 JSON export.

Generates synthetic traces of 1,000,000 and 4,000,000 accesses (with polling
loops and delays, scripts/gen-mmiotrace.py), then times the whole chain as one
command line, several runs per size, and reports the median wall time, the
peak resident memory of the largest process, and the 4M:1M time ratio.

Two forms of the chain are measured side by side:
  pipe   gpuinit-translate --import-mmiotrace | gpuinit-opt (pipeline, bytecode)
         | gpuinit-translate --export-initseq-json   (three processes)
  fused  gpuinit-translate --mmiotrace-to-initseq-json with the pipeline run
         in-process (one process, no IR serialization)

    bench/initseq_pipeline.py [--build build] [--runs 5] [--sizes 1000000,4000000]
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_once(cmd):
    """Runs a shell command line; returns (seconds, peak RSS in MiB of the
    largest process it started)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    proc = subprocess.run(["bash", "-o", "pipefail", "-c", cmd],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit("benchmark command failed (%d): %s\n%s" %
                 (proc.returncode, cmd, proc.stderr.decode()[-2000:]))
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of children is the max over all waited-for descendants so
    # far; a fresh interpreter per run keeps it per-run (see main).
    return elapsed, max(before, after) / 1024.0


def measure(cmd, runs):
    times = []
    peak = 0.0
    for _ in range(runs):
        # Measure RSS in a child interpreter so that the maximum is per run.
        out = subprocess.run(
            [sys.executable, __file__, "--one", cmd], check=True,
            capture_output=True, text=True).stdout.split()
        times.append(float(out[0]))
        peak = max(peak, float(out[1]))
    return statistics.median(times), min(times), max(times), peak


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--sizes", default="1000000,4000000")
    ap.add_argument("--out", default=os.path.join(ROOT, "bench", "out"))
    ap.add_argument("--one", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        t, rss = run_once(args.one)
        print(t, rss)
        return

    bindir = os.path.join(args.build, "bin")
    translate = os.path.join(bindir, "gpuinit-translate")
    opt = os.path.join(bindir, "gpuinit-opt")
    os.makedirs(args.out, exist_ok=True)
    sizes = [int(s) for s in args.sizes.split(",")]
    results = {}
    for n in sizes:
        trace = os.path.join(args.out, "trace-%d.mmiotrace" % n)
        if not os.path.exists(trace):
            subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "gen-mmiotrace.py"),
                            "--accesses", str(n), "-o", trace], check=True)
        json_out = os.path.join(args.out, "out-%d.json" % n)
        chains = {
            "pipe": (f"{translate} --import-mmiotrace {trace} | "
                     f"{opt} --initseq-optimize-pipeline --emit-bytecode | "
                     f"{translate} --export-initseq-json --initseq-json-version=1.1 -o {json_out}"),
            "fused": (f"{translate} --mmiotrace-to-initseq-json {trace} "
                      f"--initseq-json-version=1.1 -o {json_out}"),
        }
        for name, cmd in chains.items():
            runs = args.runs if n <= 1000000 else max(3, args.runs // 2)
            med, lo, hi, peak = measure(cmd, runs)
            results[(name, n)] = med
            print(f"{name:5s} {n:>9,d} accesses: median {med:6.2f} s "
                  f"(min {lo:.2f}, max {hi:.2f}, {runs} runs), "
                  f"peak RSS {peak:7.1f} MiB", flush=True)
            print(f"      command: {cmd}", flush=True)
    if len(sizes) == 2:
        small, big = sizes
        for name in ("pipe", "fused"):
            ratio = results[(name, big)] / results[(name, small)]
            print(f"{name:5s} time ratio {big:,d} : {small:,d} = {ratio:.2f}")


if __name__ == "__main__":
    main()
