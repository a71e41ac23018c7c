//===- TranslateRegistration.cpp - --kernel-to-ptx/-cubin/-spirv ----------===//
//
// The kernel-dialect translations of gpuinit-translate: PTX text, a cubin
// assembled by ptxas, or a SPIR-V binary, from a module holding
// kernel.module ops (and optionally host code, which is lowered and
// dropped).
//
//===----------------------------------------------------------------------===//
#include "gpuinit/InitAll.h"
#include "gpuinit/Dialect/Kernel/IR/Kernel.h"
#include "gpuinit/Target/Kernel.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/CommandLine.h"

using namespace mlir;
using namespace gpuinit::kernel;

namespace {
struct KernelCLOptions {
  llvm::cl::OptionCategory category{"kernel translation options"};
  llvm::cl::opt<std::string> module{
      "kernel-module",
      llvm::cl::desc("The kernel.module to emit (@name) when the input has "
                     "several (--kernel-to-cubin, --kernel-to-spirv)"),
      llvm::cl::cat(category)};
  llvm::cl::opt<std::string> chip{
      "kernel-chip",
      llvm::cl::desc("CUDA SM to compile for (default: the kernels' target)"),
      llvm::cl::cat(category)};
  llvm::cl::opt<std::string> features{
      "kernel-features",
      llvm::cl::desc("PTX features, e.g. +ptx80 (default: the kernels' "
                     "target)"),
      llvm::cl::cat(category)};
  llvm::cl::opt<int> optLevel{"kernel-opt-level",
                              llvm::cl::desc("Optimization level (0..3)"),
                              llvm::cl::init(3), llvm::cl::cat(category)};
  llvm::cl::opt<std::string> spirvVersion{
      "kernel-spirv-version",
      llvm::cl::desc("SPIR-V version for --kernel-to-spirv (default v1.3)"),
      llvm::cl::cat(category)};
  llvm::cl::list<std::string> spirvCaps{
      "kernel-spirv-caps",
      llvm::cl::desc("SPIR-V capabilities the device has, replacing the "
                     "default set (kernel-to-spirv-pipeline's caps)"),
      llvm::cl::CommaSeparated, llvm::cl::cat(category)};
  llvm::cl::list<std::string> spirvExts{
      "kernel-spirv-exts",
      llvm::cl::desc("SPIR-V extensions the device has, replacing the "
                     "default set (kernel-to-spirv-pipeline's exts)"),
      llvm::cl::CommaSeparated, llvm::cl::cat(category)};
};

KernelCLOptions &options() {
  static KernelCLOptions opts;
  return opts;
}

void registerDialects(DialectRegistry &registry) {
  gpuinit::registerAllDialects(registry);
  registerKernelTargetDependencies(registry);
  // The to-LLVM conversion interfaces the NVVM lowering relies on.
  registerAllExtensions(registry);
}

/// The one module to emit: the one named by --kernel-module, or the only
/// one.
FailureOr<const CompiledModule *> pick(Operation *op,
                                       const std::vector<CompiledModule> &all) {
  StringRef wanted = options().module;
  wanted.consume_front("@");
  if (wanted.empty()) {
    if (all.size() == 1)
      return &all.front();
    InFlightDiagnostic diag = op->emitError()
                              << all.size()
                              << " kernel modules; choose one with "
                                 "--kernel-module=@name:";
    for (const CompiledModule &m : all)
      diag << " @" << m.name;
    return failure();
  }
  for (const CompiledModule &m : all)
    if (m.name == wanted)
      return &m;
  return op->emitError() << "no kernel.module @" << wanted;
}

LogicalResult toPTX(Operation *op, raw_ostream &os) {
  std::vector<CompiledModule> modules;
  if (failed(compileKernelsToPTX(cast<ModuleOp>(op), options().chip,
                                 options().features, options().optLevel,
                                 modules)))
    return failure();
  if (!options().module.empty()) {
    FailureOr<const CompiledModule *> one = pick(op, modules);
    if (failed(one))
      return failure();
    os << (*one)->data;
    return success();
  }
  for (const CompiledModule &m : modules) {
    if (modules.size() > 1)
      os << "// kernel.module @" << m.name << "\n";
    os << m.data;
  }
  return success();
}

LogicalResult toCubin(Operation *op, raw_ostream &os) {
  auto module = cast<ModuleOp>(op);
  std::string chip = options().chip;
  if (chip.empty()) {
    for (gpuinit::kernel::KernelModuleOp km :
         module.getOps<gpuinit::kernel::KernelModuleOp>())
      if (TargetAttr target = km.getTarget(); target && target.isCUDA())
        chip = target.getChipName();
  }
  std::vector<CompiledModule> modules;
  if (failed(compileKernelsToPTX(module, options().chip, options().features,
                                 options().optLevel, modules)))
    return failure();
  FailureOr<const CompiledModule *> one = pick(op, modules);
  if (failed(one))
    return failure();
  std::string error;
  FailureOr<std::string> cubin =
      assemblePTX((*one)->data, chip, options().optLevel, error);
  if (failed(cubin))
    return op->emitError() << "--kernel-to-cubin: " << error;
  os << *cubin;
  return success();
}

LogicalResult toSPIRV(Operation *op, raw_ostream &os) {
  std::vector<CompiledModule> modules;
  KernelSPIRVOptions spirv;
  if (!options().spirvVersion.empty())
    spirv.version = options().spirvVersion;
  for (const std::string &cap : options().spirvCaps)
    spirv.caps.push_back(cap);
  for (const std::string &ext : options().spirvExts)
    spirv.exts.push_back(ext);
  if (failed(compileKernelsToSPIRV(cast<ModuleOp>(op), spirv, modules)))
    return failure();
  FailureOr<const CompiledModule *> one = pick(op, modules);
  if (failed(one))
    return failure();
  os << (*one)->data;
  return success();
}
} // namespace

void gpuinit::kernel::registerKernelTranslations() {
  options();
  registerKernelCPUTranslations();
  static TranslateFromMLIRRegistration ptx(
      "kernel-to-ptx", "Compile kernel modules to PTX (one per module)",
      toPTX, registerDialects);
  static TranslateFromMLIRRegistration cubin(
      "kernel-to-cubin",
      "Compile a kernel module to a cubin (PTX assembled by ptxas)", toCubin,
      registerDialects);
  static TranslateFromMLIRRegistration spirv(
      "kernel-to-spirv", "Compile a kernel module to a SPIR-V binary",
      toSPIRV, registerDialects);
}
