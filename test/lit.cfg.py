# lit configuration of the gpuinit regression suite.
import ctypes
import os
import re
import shutil
import subprocess

import lit.formats
from lit.llvm import llvm_config

config.name = "gpuinit"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test", ".c"]
config.excludes = ["Inputs", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py", "Unit", "Fuzz"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.gpuinit_obj_root, "test")

# Only llvm-22's tools: the unversioned ones on this system are LLVM 14.
llvm_config.with_system_environment(["HOME", "TMPDIR"])
llvm_config.use_default_substitutions()
config.environment["PATH"] = os.pathsep.join(
    [config.gpuinit_tools_dir, config.llvm_tools_dir, config.environment.get("PATH", "")])

tools = ["gpuinit-opt", "gpuinit-translate", "gpuinit-run", "gpuinit-lsp-server"]
llvm_config.add_tool_substitutions(tools, [config.gpuinit_tools_dir])
config.substitutions.append(("%clang", os.path.join(config.llvm_tools_dir, "clang")))
config.substitutions.append(("%mlir-translate", os.path.join(config.llvm_tools_dir, "mlir-translate")))
config.substitutions.append(("%python", shutil.which("python3") or "python3"))
config.substitutions.append(("%corpus", config.corpus_dir))
config.substitutions.append(("%srcroot", config.gpuinit_src_root))
config.substitutions.append(("%objroot", config.gpuinit_obj_root))

# Features.
if os.path.isdir(config.corpus_dir):
    config.available_features.add("corpus")
if os.path.isdir(os.path.join(config.corpus_dir, "roms")):
    config.available_features.add("corpus-roms")
if config.ptxas and os.path.exists(config.ptxas):
    config.available_features.add("ptxas")
    config.substitutions.append(("%ptxas", config.ptxas))
try:
    import jsonschema  # noqa: F401
    config.available_features.add("jsonschema")
except ImportError:
    pass

# Runtime devices, found by the runtime itself (`gpuinit-run devices` exits 0
# when the backend has a device): `vulkan` (lavapipe counts), `cuda-device`
# (libcuda loads, cuInit succeeds, a device exists); `libcuda` when the driver
# library merely loads. %cuda_arch is the first CUDA device's sm_XX.
def probe_devices(backend):
    tool = os.path.join(config.gpuinit_tools_dir, "gpuinit-run")
    try:
        r = subprocess.run([tool, "devices", "--device=" + backend],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                           timeout=120, universal_newlines=True)
    except (OSError, subprocess.SubprocessError):
        return None
    return r.stdout if r.returncode == 0 else None

vulkan_devices = probe_devices("vulkan")
if vulkan_devices is not None:
    config.available_features.add("vulkan")
    # `vulkan-narrow-subgroups`: the default Vulkan device cannot run
    # 32-lane warp operations (lavapipe: 8-lane subgroups, fixed).
    m = re.search(r"\[0\].*subgroup size ([0-9]+) \((?:([0-9]+) to ([0-9]+) requirable|fixed)\)",
                  vulkan_devices)
    if m and max(int(m.group(1)), int(m.group(3) or 0)) < 32:
        config.available_features.add("vulkan-narrow-subgroups")
cuda_devices = probe_devices("cuda")
if cuda_devices is not None:
    config.available_features.add("cuda-device")
    arch = re.search(r": (sm_[0-9]+),", cuda_devices)
    config.substitutions.append(("%cuda_arch", arch.group(1) if arch else "sm_90"))
try:
    ctypes.CDLL("libcuda.so.1")
    config.available_features.add("libcuda")
except OSError:
    pass
if shutil.which("glslangValidator"):
    config.available_features.add("glslang")
