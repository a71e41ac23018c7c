#!/usr/bin/env python3
"""Benchmark: the kernel-dialect sample kernels against CUDA C and GLSL.

For each sample kernel (vecadd, saxpy, reduce_sum, matmul_tiled, softmax_row,
mma_matmul) this runs, side by side in one run:

  CUDA (sm_90)  nvcc -O3 -arch=sm_90 -cubin on bench/kernels/cuda/<k>.cu
                versus gpuinit-translate --kernel-to-cubin on the kernel-dialect
                version: registers, SASS instructions (.text.<k> size / 16)
                and compile time to cubin (median wall time of --runs
                processes, process start included);
  lavapipe      glslangValidator's SPIR-V of bench/kernels/glsl/<k>.comp versus
                gpuinit-translate --kernel-to-spirv, both run by gpuinit-run
                launch --device=vulkan --time --repeat=R with
                bench/kernels/launch/<k>.json (results checked); the kernel
                time is the median over --runs processes of each process's
                minimum over R dispatches;

and prints every figure and ratio as a table with its target (registers
ours/nvcc <= 1, instructions ours/nvcc <= 1.1, compile time nvcc/ours >= 3,
lavapipe time ours/glslang <= 1.1), met or not. Columns whose tools are
missing (no CUDA, no Vulkan device, a build without the kernel translations)
are skipped with a line saying why. The exit code is non-zero only when a
command that should work fails (a compiler error, a wrong result), never
for a missed target.

    bench/kernels/run.py [--build build] [--runs 5] [--repeat 3]
                         [--kernels vecadd,saxpy,...] [--skip cuda,ours,vulkan]
"""

import argparse
import os
import re
import shutil
import statistics
import struct
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SAMPLES = os.path.join(ROOT, "test", "Dialect", "Kernel", "Inputs")

# name, kernel-dialect sample in test/Dialect/Kernel/Inputs (None: only in
# bench/kernels/ours), has a GLSL version.
KERNELS = [
    ("vecadd", "vecadd.mlir", True),
    ("saxpy", None, True),
    ("reduce_sum", "reduce-sum.mlir", True),
    ("matmul_tiled", "matmul-tiled.mlir", True),
    ("softmax_row", None, True),
    ("mma_matmul", None, False),
]

TARGETS = {  # figure -> (comparison, bound)
    "regs": ("<=", 1.0),
    "sass": ("<=", 1.1),
    "compile": (">=", 3.0),
    "lavapipe": ("<=", 1.1),
}

failures = []
unsupported = []


def summary(proc):
    """The diagnostics of a failed command: its `error:` lines (the IR dumps
    after them left out), else the end of its output."""
    text = (proc.stderr or "") + (proc.stdout or "")
    errors = [l.strip() for l in text.splitlines() if "error:" in l]
    if errors:
        return "exit %d: %s" % (proc.returncode, "\n".join(errors[:4])[:1200])
    return "exit %d: %s" % (proc.returncode, text.strip()[-1200:])


def fail(what, proc_or_msg):
    """Records a broken command; the run goes on and exits 1 at the end."""
    if isinstance(proc_or_msg, subprocess.CompletedProcess):
        msg = summary(proc_or_msg)
    else:
        msg = str(proc_or_msg)
    failures.append(what)
    print("FAILED: %s\n  %s" % (what, msg.replace("\n", "\n  ")), flush=True)


def refused(proc):
    """True when our compiler refused a primitive its target cannot express
    (a diagnostic by design, reported but not a broken command)."""
    return "is not supported for target" in (proc.stderr or "")


def run(cmd):
    return subprocess.run(cmd, capture_output=True, text=True)


def timed(cmd):
    """Wall time in seconds of one process (start included) and its result."""
    start = time.perf_counter()
    proc = run(cmd)
    return time.perf_counter() - start, proc


def shell(cmd):
    return " ".join(c if re.fullmatch(r"[\w./=+,:-]+", c) else "'%s'" % c
                    for c in cmd)


def rel(path):
    return os.path.relpath(path, ROOT)


# ---------------------------------------------------------------- cubin ----

def elf_sections(path):
    """name -> (offset, size) of every section of an ELF64 file."""
    data = open(path, "rb").read()
    if data[:4] != b"\x7fELF" or data[4] != 2:
        raise ValueError("%s is not an ELF64 file" % path)
    shoff = struct.unpack_from("<Q", data, 0x28)[0]
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
    heads = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize)
             for i in range(shnum)]
    strtab = heads[shstrndx][4]
    out = {}
    for h in heads:
        name = data[strtab + h[0]:data.index(b"\0", strtab + h[0])].decode()
        out[name] = (h[4], h[5])
    return data, out


def text_size(cubin, kernel):
    """Size in bytes of .text.<kernel>, from llvm-readelf-22 -S (or, without
    it, from the section headers read here)."""
    readelf = shutil.which("llvm-readelf-22")
    if readelf:
        proc = run([readelf, "-S", "--wide", cubin])
        if proc.returncode == 0:
            for line in proc.stdout.splitlines():
                m = re.search(r"\]\s+(\S+)\s+\S+\s+[0-9a-f]+\s+[0-9a-f]+\s+([0-9a-f]+)",
                              line)
                if m and m.group(1) == ".text." + kernel:
                    return int(m.group(2), 16)
            return None
    _, secs = elf_sections(cubin)
    sec = secs.get(".text." + kernel)
    return sec[1] if sec else None


def cubin_registers(cubin, kernel):
    """The register count ptxas recorded in the cubin (EIATTR_REGCOUNT of
    .nv.info for the kernel's symbol), or None."""
    data, secs = elf_sections(cubin)
    if ".symtab" not in secs or ".strtab" not in secs or ".nv.info" not in secs:
        return None
    symoff, symsize = secs[".symtab"]
    stroff = secs[".strtab"][0]
    index = None
    for i in range(symsize // 24):
        name_off = struct.unpack_from("<I", data, symoff + 24 * i)[0]
        name = data[stroff + name_off:data.index(b"\0", stroff + name_off)]
        if name.decode() == kernel:
            index = i
    off, size = secs[".nv.info"]
    p, end = off, off + size
    while p + 4 <= end:
        fmt, attr = data[p], data[p + 1]
        if fmt == 4:  # EIFMT_SVAL: u16 size, payload
            n = struct.unpack_from("<H", data, p + 2)[0]
            if attr == 0x2F and n == 8:  # EIATTR_REGCOUNT: symbol, count
                sym, regs = struct.unpack_from("<II", data, p + 4)
                if sym == index:
                    return regs
            p += 4 + n
        else:
            p += 4
    return None


def ptxas_registers(text):
    """function -> registers from ptxas -v output."""
    regs, current = {}, None
    for line in text.splitlines():
        m = re.search(r"(?:Compiling entry function|Function properties for) '?(\w+)'?",
                      line)
        if m:
            current = m.group(1)
        m = re.search(r"Used (\d+) registers", line)
        if m:
            regs[current] = int(m.group(1))
    return regs


class Cubin:
    """What one compiler made of one kernel."""

    def __init__(self):
        self.regs = None
        self.sass = None
        self.compile_s = None
        self.compile_range = None
        self.note = None


def measure_cubin(kernel, compile_cmd, cubin, runs, ptxas_check=None):
    """Compiles `runs` times (the first also yields the cubin), then reads
    registers and instruction count from the cubin."""
    res = Cubin()
    times = []
    for _ in range(runs):
        if os.path.exists(cubin):
            os.remove(cubin)
        t, proc = timed(compile_cmd)
        if proc.returncode != 0 or not os.path.exists(cubin):
            fail("%s: %s" % (kernel, shell(compile_cmd)), proc)
            return None
        times.append(t)
    res.compile_s = statistics.median(times)
    res.compile_range = (min(times), max(times))
    size = text_size(cubin, kernel)
    if size is None:
        fail("%s: no .text.%s section in %s" % (kernel, kernel, rel(cubin)),
             "sections: " + ", ".join(sorted(elf_sections(cubin)[1])))
        return None
    res.sass = size // 16
    res.regs = cubin_registers(cubin, kernel)
    if ptxas_check is not None and ptxas_check != res.regs:
        res.note = "ptxas -v says %s registers, the cubin %s" % (ptxas_check, res.regs)
        if res.regs is None:
            res.regs = ptxas_check
    return res


# ------------------------------------------------------------- lavapipe ----

def lavapipe_time(run_tool, spv, launch, repeat, what):
    """One gpuinit-run process: the minimum kernel time in ms over `repeat`
    dispatches, or None after recording the failure."""
    cmd = [run_tool, "launch", "--device=vulkan", "--time", "--repeat=%d" % repeat,
           "--launch=" + launch, spv]
    proc = run(cmd)
    if proc.returncode != 0:
        fail("%s: %s" % (what, shell(cmd)), proc)
        return None
    m = re.search(r"kernel time: (?:min )?([0-9.]+) ms", proc.stdout)
    if not m:
        fail("%s: no kernel time in the output of %s" % (what, shell(cmd)), proc.stdout)
        return None
    return float(m.group(1))


# ---------------------------------------------------------------- table ----

def ratio_cell(ratio, figure):
    if ratio is None:
        return "—"
    op, bound = TARGETS[figure]
    met = ratio <= bound if op == "<=" else ratio >= bound
    return "%.2f %s" % (ratio, "met" if met else "MISSED")


def num(v, fmt="%d"):
    return "—" if v is None else fmt % v


def print_table(header, rows):
    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    line = lambda cells: "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths)) + " |"
    print(line(header))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in rows:
        print(line(r))


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default=os.path.join(ROOT, "build"),
                    help="build directory with bin/gpuinit-translate, gpuinit-run")
    ap.add_argument("--runs", type=int, default=5,
                    help="processes per compile-time and lavapipe figure (median)")
    ap.add_argument("--repeat", type=int, default=3,
                    help="dispatches per gpuinit-run process (its minimum counts)")
    ap.add_argument("--kernels", default=",".join(k[0] for k in KERNELS))
    ap.add_argument("--skip", default="",
                    help="comma list: cuda (the nvcc columns), ours (our compiler's "
                    "columns), vulkan (the lavapipe table)")
    ap.add_argument("--cuda", default=os.environ.get("CUDA_HOME", "/usr/local/cuda"),
                    help="CUDA toolkit root (nvcc, ptxas); else found on PATH")
    ap.add_argument("--arch", default="sm_90")
    ap.add_argument("--out", default=os.path.join(ROOT, "bench", "out", "kernels"))
    args = ap.parse_args()
    if args.runs < 1 or args.repeat < 1:
        ap.error("--runs and --repeat must be at least 1")
    skip = set(s for s in args.skip.split(",") if s)
    if skip - {"cuda", "ours", "vulkan"}:
        ap.error("--skip takes cuda, ours, vulkan")
    chosen = args.kernels.split(",")
    unknown = set(chosen) - {k[0] for k in KERNELS}
    if unknown:
        ap.error("unknown kernels: " + ", ".join(sorted(unknown)))
    kernels = [k for k in KERNELS if k[0] in chosen]
    os.makedirs(args.out, exist_ok=True)

    # ---- what this machine and build have
    def tool(name):
        path = os.path.join(args.cuda, "bin", name)
        return path if os.access(path, os.X_OK) else shutil.which(name)

    notes = []
    nvcc, ptxas = tool("nvcc"), tool("ptxas")
    if "cuda" in skip:
        nvcc = None
        notes.append("nvcc: skipped (--skip cuda)")
    elif not nvcc:
        notes.append("nvcc: not found (no CUDA toolkit in %s or on PATH): nvcc columns skipped"
                     % args.cuda)
    translate = os.path.join(args.build, "bin", "gpuinit-translate")
    run_tool = os.path.join(args.build, "bin", "gpuinit-run")
    translations = set()
    if "ours" in skip:
        notes.append("ours: skipped (--skip ours)")
    elif not os.access(translate, os.X_OK):
        notes.append("ours: %s not found: ours columns skipped" % rel(translate))
    else:
        helptext = run([translate, "--help"]).stdout
        translations = {t for t in ("kernel-to-cubin", "kernel-to-ptx", "kernel-to-spirv")
                        if re.search(r"--%s\b" % t, helptext)}
    if "ours" not in skip and os.access(translate, os.X_OK):
        if "kernel-to-cubin" not in translations:
            notes.append("ours: --kernel-to-cubin not available in this build "
                         "(ours registers, SASS and compile time not measured)")
        elif not ptxas:
            notes.append("ours: --kernel-to-cubin needs ptxas, which is not installed")
        if "kernel-to-spirv" not in translations:
            notes.append("ours: --kernel-to-spirv not available in this build "
                         "(ours lavapipe time not measured)")
    glslang = shutil.which("glslangValidator")
    spirv_val = shutil.which("spirv-val")
    vulkan = False
    if "vulkan" in skip:
        notes.append("lavapipe: skipped (--skip vulkan)")
    elif not os.access(run_tool, os.X_OK):
        notes.append("lavapipe: %s not found: lavapipe columns skipped" % rel(run_tool))
    else:
        devices = run([run_tool, "devices", "--device=vulkan"])
        if devices.returncode != 0:
            notes.append("lavapipe: no Vulkan device (%s): lavapipe columns skipped"
                         % (devices.stdout + devices.stderr).strip().replace("\n", "; "))
        else:
            vulkan = True
            dev = re.search(r"\[0\] ([^:]+)", devices.stdout)
            notes.append("lavapipe: vulkan device %s" % (dev.group(1) if dev else "?"))
            if not glslang:
                notes.append("lavapipe: glslangValidator not found: GLSL versions not run")
    if nvcc:
        ver = re.search(r"release [\d.]+, V[\d.]+", run([nvcc, "--version"]).stdout)
        notes.append("nvcc: %s (%s)" % (nvcc, ver.group(0) if ver else "?"))
    for n in notes:
        print(n, flush=True)

    results = {}
    commands = {}
    for name, sample, has_glsl in kernels:
        print("== %s" % name, flush=True)
        r = results[name] = {}
        cu = os.path.join(HERE, "cuda", name + ".cu")
        ours_src = os.path.join(HERE, "ours", name + ".mlir")
        if not os.path.exists(ours_src) and sample:
            ours_src = os.path.join(SAMPLES, sample)
        r["ours_src"] = ours_src
        out = lambda suffix: os.path.join(args.out, name + suffix)

        # ---- nvcc
        if nvcc:
            base = [nvcc, "-O3", "-arch=" + args.arch]
            ptx_cmd = base + ["-ptx", cu, "-o", out(".nvcc.ptx")]
            proc = run(ptx_cmd)
            if proc.returncode != 0:
                fail("%s: %s" % (name, shell(ptx_cmd)), proc)
            verbose = run(base + ["-cubin", "-Xptxas", "-v", cu, "-o", out(".nvcc.cubin")])
            regs_v = ptxas_registers(verbose.stdout + verbose.stderr).get(name)
            if verbose.returncode != 0:
                fail("%s: nvcc -Xptxas -v" % name, verbose)
            else:
                cmd = base + ["-cubin", cu, "-o", out(".nvcc.cubin")]
                commands.setdefault("nvcc", shell(cmd))
                r["nvcc"] = measure_cubin(name, cmd, out(".nvcc.cubin"), args.runs, regs_v)

        # ---- ours, CUDA
        if "kernel-to-cubin" in translations and ptxas and os.path.exists(ours_src):
            ptx_regs, ptx_ok = None, True
            if "kernel-to-ptx" in translations:
                cmd = [translate, "--kernel-to-ptx", ours_src, "-o", out(".ours.ptx")]
                commands.setdefault("ours-ptx", shell(cmd))
                proc = run(cmd)
                if proc.returncode != 0:
                    fail("%s: %s" % (name, shell(cmd)), proc)
                    ptx_ok = False
                else:
                    v = run([ptxas, "-v", "-arch=" + args.arch, out(".ours.ptx"),
                             "-o", os.devnull])
                    ptx_regs = ptxas_registers(v.stdout + v.stderr).get(name)
            if ptx_ok:  # else --kernel-to-cubin fails the same way
                cmd = [translate, "--kernel-to-cubin", ours_src, "-o", out(".ours.cubin")]
                commands.setdefault("ours-cubin", shell(cmd))
                r["ours"] = measure_cubin(name, cmd, out(".ours.cubin"), args.runs,
                                          ptx_regs)

        # ---- lavapipe
        if not (vulkan and has_glsl):
            continue
        launch = os.path.join(HERE, "launch", name + ".json")
        spvs = {}
        if glslang:
            comp = os.path.join(HERE, "glsl", name + ".comp")
            cmd = [glslang, "-V", "--target-env", "vulkan1.1", "-e", name,
                   "--source-entrypoint", "main", comp, "-o", out(".glslang.spv")]
            commands.setdefault("glslang", shell(cmd))
            proc = run(cmd)
            if proc.returncode != 0:
                fail("%s: %s" % (name, shell(cmd)), proc)
            else:
                spvs["glslang"] = (out(".glslang.spv"), launch)
        if "kernel-to-spirv" in translations and os.path.exists(ours_src):
            cmd = [translate, "--kernel-to-spirv", ours_src, "-o", out(".ours.spv")]
            commands.setdefault("ours-spirv", shell(cmd))
            proc = run(cmd)
            if proc.returncode != 0:
                # The samples target cuda; try the same kernel retargeted.
                text = open(ours_src).read()
                retargeted = re.sub(r"target cuda sm_\d+ ptx \d+", "target vulkan 1.1", text)
                if retargeted != text:
                    with open(out(".vulkan.mlir"), "w") as f:
                        f.write(retargeted)
                    cmd2 = [translate, "--kernel-to-spirv", out(".vulkan.mlir"),
                            "-o", out(".ours.spv")]
                    proc2 = run(cmd2)
                    if proc2.returncode == 0:
                        r["retargeted"] = True
                        proc = proc2
                    else:
                        proc2.stderr = "(retargeted to vulkan 1.1, %s) %s" % (
                            rel(out(".vulkan.mlir")), proc2.stderr)
                        cmd, proc = cmd2, proc2
            if proc.returncode != 0 and refused(proc):
                unsupported.append("%s (ours SPIR-V): %s" % (name, summary(proc)))
                r["spirv_refused"] = True
            elif proc.returncode != 0:
                fail("%s: %s" % (name, shell(cmd)), proc)
            else:
                ours_launch = os.path.join(HERE, "launch", name + ".ours.json")
                spvs["ours"] = (out(".ours.spv"),
                                ours_launch if os.path.exists(ours_launch) else launch)
        if spirv_val:
            for who, (spv, _) in list(spvs.items()):
                proc = run([spirv_val, "--target-env", "vulkan1.1", spv])
                if proc.returncode != 0:
                    fail("%s: spirv-val of %s SPIR-V" % (name, who), proc)
                    del spvs[who]
        times = {who: [] for who in spvs}
        for _ in range(args.runs):  # interleaved, so both see the same load
            for who, (spv, desc) in list(spvs.items()):
                t = lavapipe_time(run_tool, spv, desc, args.repeat,
                                  "%s (%s SPIR-V)" % (name, who))
                if t is None:
                    del spvs[who]
                    times.pop(who)
                else:
                    times[who].append(t)
        for who, ts in times.items():
            r["vk_" + who] = (statistics.median(ts), min(ts), max(ts))
        commands.setdefault(
            "lavapipe", "%s launch --device=vulkan --time --repeat=%d --launch=%s <spv>"
            % (rel(run_tool), args.repeat, rel(os.path.join(HERE, "launch", "<kernel>.json"))))

    # ---- tables
    print()
    print("CUDA %s (nvcc -O3 vs gpuinit-translate --kernel-to-cubin; compile time = "
          "median wall time of %d process(es))" % (args.arch, args.runs))
    print()
    rows = []
    for name, _, _ in kernels:
        r = results[name]
        nv, ours = r.get("nvcc"), r.get("ours")
        ratio = lambda a, b: (a / b) if a is not None and b else None
        rows.append([
            name,
            num(nv and nv.regs), num(ours and ours.regs),
            ratio_cell(ratio(ours and ours.regs, nv and nv.regs), "regs"),
            num(nv and nv.sass), num(ours and ours.sass),
            ratio_cell(ratio(ours and ours.sass, nv and nv.sass), "sass"),
            num(nv and nv.compile_s * 1000, "%.0f ms"),
            num(ours and ours.compile_s * 1000, "%.0f ms"),
            ratio_cell(ratio(nv and nv.compile_s, ours and ours.compile_s), "compile"),
        ])
    print_table(["kernel", "regs nvcc", "regs ours", "ours/nvcc (<=1)",
                 "SASS nvcc", "SASS ours", "ours/nvcc (<=1.1)",
                 "compile nvcc", "compile ours", "nvcc/ours (>=3)"], rows)
    print()
    print("lavapipe (glslang SPIR-V vs gpuinit-translate --kernel-to-spirv; kernel time = "
          "median over %d process(es) of each one's minimum over %d dispatch(es))" % (args.runs, args.repeat))
    print()
    rows = []
    for name, _, has_glsl in kernels:
        r = results[name]
        g, o = r.get("vk_glslang"), r.get("vk_ours")
        rows.append([
            name,
            "%.2f ms (%.2f..%.2f)" % g if g else ("no GLSL (CUDA only)" if not has_glsl else "—"),
            "%.2f ms (%.2f..%.2f)" % o if o else ("refused" if r.get("spirv_refused") else "—"),
            ratio_cell(o[0] / g[0] if o and g else None, "lavapipe"),
        ])
    print_table(["kernel", "glslang", "ours", "ours/glslang (<=1.1)"], rows)
    print()
    for n in notes:
        if n.startswith(("ours:", "nvcc: not", "nvcc: skipped", "lavapipe: no",
                         "lavapipe: skipped", "lavapipe: glslang", "lavapipe: build")):
            print(n)
    for name, _, _ in kernels:
        r = results[name]
        for key in ("nvcc", "ours"):
            if r.get(key) is not None and r[key].note:
                print("%s (%s): %s" % (name, key, r[key].note))
    retargeted = [n for n, _, _ in kernels if results[n].get("retargeted")]
    if retargeted:
        print("ours SPIR-V: %s target cuda, which --kernel-to-spirv refuses; compiled with "
              "`target vulkan 1.1` instead (copies in %s/<kernel>.vulkan.mlir)"
              % (", ".join(retargeted), rel(args.out)))
    for u in unsupported:
        print(u.replace("\n", "\n  "))
    print()
    print("sources: bench/kernels/cuda/<kernel>.cu, bench/kernels/glsl/<kernel>.comp, ours: " +
          ", ".join("%s=%s" % (n, rel(results[n]["ours_src"])) for n, _, _ in kernels))
    print("SASS instructions = size of .text.<kernel> (llvm-readelf-22 -S) / 16; registers = "
          "the cubin's register count (nvcc's cross-checked with -Xptxas -v)")
    print("commands (shown for the first kernel that ran them):")
    for key, cmd in commands.items():
        print("  %-10s %s" % (key, cmd.replace(ROOT + "/", "")))
    print("outputs in %s" % rel(args.out))
    if failures:
        print("\n%d command(s) failed:" % len(failures))
        for f in failures:
            print("  " + f)
        sys.exit(1)


if __name__ == "__main__":
    main()
