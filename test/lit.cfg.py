# lit configuration of the gpuinit regression suite.
import os
import shutil

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
try:
    import jsonschema  # noqa: F401
    config.available_features.add("jsonschema")
except ImportError:
    pass
