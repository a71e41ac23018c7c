//===- KernelCPU.cpp - kernels compiled for the host (CPU kernel ABI) -----===//
//
// compileKernelsToCPU and `gpuinit-translate --kernel-to-cpu`: kernel modules
// lowered by convert-kernel-to-cpu, then to LLVM IR, then built by clang
// into a shared object the CPU runtime device loads (docs/Runtime.md).
//
//===----------------------------------------------------------------------===//
#include "gpuinit/Target/Kernel.h"

#include "gpuinit/Conversion/Passes.h"
#include "gpuinit/Dialect/Kernel/IR/Kernel.h"
#include "gpuinit/InitAll.h"
#include "gpuinit/Runtime/CpuKernelABI.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace gpuinit;
using namespace gpuinit::kernel;

void gpuinit::kernel::buildKernelToCPUPipeline(OpPassManager &pm,
                                               bool anyTarget) {
  ConvertKernelToCPUOptions options;
  options.anyTarget = anyTarget;
  pm.addPass(createConvertKernelToCPU(options));
  // Each converted kernel.module is a nested builtin.module.
  OpPassManager &cpu = pm.nest<ModuleOp>();
  cpu.addPass(createCanonicalizerPass());
  cpu.addPass(createCSEPass());
  cpu.addPass(createSCFToControlFlowPass());
  cpu.addPass(memref::createExpandStridedMetadataPass());
  cpu.addPass(createLowerAffinePass());
  cpu.addPass(createConvertVectorToLLVMPass());
  cpu.addPass(createConvertMathToLLVMPass());
  cpu.addPass(createConvertMathToLibmPass());
  // Arithmetic first: memref.generic_atomic_rmw is lowered only once its
  // body is LLVM.
  cpu.addPass(createArithToLLVMConversionPass());
  cpu.addPass(createConvertIndexToLLVMPass());
  cpu.addPass(createFinalizeMemRefToLLVMConversionPass());
  cpu.addPass(createConvertFuncToLLVMPass());
  cpu.addPass(createConvertControlFlowToLLVMPass());
  cpu.addPass(createUBToLLVMConversionPass());
  cpu.addPass(createReconcileUnrealizedCastsPass());
  cpu.addPass(createCanonicalizerPass());
}

LogicalResult
gpuinit::kernel::translateKernelsToCPULLVMIR(ModuleOp module,
                                             std::string &llvmIR) {
  MLIRContext *ctx = module.getContext();
  // Only the kernel modules: host code is run by gpuinit-run.
  bool any = false;
  for (Operation &op : llvm::make_early_inc_range(module.getOps())) {
    if (isa<KernelModuleOp>(op))
      any = true;
    else
      op.erase();
  }
  if (!any)
    return module.emitError() << "no kernel.module with a kernel to compile";

  PassManager pm(ctx);
  buildKernelToCPUPipeline(pm, /*anyTarget=*/true);
  if (failed(pm.run(module)))
    return failure();

  // One LLVM module: the nested modules' functions move to the top, where
  // the kernels' C symbols must be unique.
  SymbolTable top(module);
  for (ModuleOp nested :
       llvm::make_early_inc_range(module.getOps<ModuleOp>())) {
    top.remove(nested);
    for (Operation &op :
         llvm::make_early_inc_range(nested.getBody()->getOperations())) {
      auto symbol = dyn_cast<SymbolOpInterface>(op);
      if (symbol) {
        if (Operation *other = top.lookup(symbol.getNameAttr())) {
          // Declarations (e.g. of libm functions) may repeat.
          auto fn = dyn_cast<LLVM::LLVMFuncOp>(op);
          if (fn && fn.isExternal() && isa<LLVM::LLVMFuncOp>(other)) {
            op.erase();
            continue;
          }
          InFlightDiagnostic diag = op.emitError()
                                    << "kernel symbol @" << symbol.getName()
                                    << " of kernel.module @"
                                    << nested.getSymName().value_or("")
                                    << " is defined twice in the CPU module";
          diag.attachNote(other->getLoc()) << "the other definition";
          return failure();
        }
      }
      op.moveBefore(nested);
      if (symbol)
        top.insert(&op);
    }
    nested.erase();
  }
  OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
  LLVM::GlobalOp::create(b, module.getLoc(), b.getI32Type(),
                         /*isConstant=*/true, LLVM::Linkage::External,
                         "gpuinit_cpu_abi_version",
                         b.getI32IntegerAttr(GPUINIT_CPU_ABI_VERSION));

  registerBuiltinDialectTranslation(*ctx);
  registerLLVMDialectTranslation(*ctx);
  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, llvmContext, "gpuinit-cpu-kernels");
  if (!llvmModule)
    return module.emitError() << "translation of the CPU kernels to LLVM IR "
                                 "failed";
  llvm::raw_string_ostream os(llvmIR);
  llvmModule->print(os, nullptr);
  return success();
}

/// clang-22 from PATH, else Debian's LLVM 22 directory.
static std::string findClang(const KernelCPUOptions &options) {
  if (!options.clang.empty())
    return options.clang;
  if (llvm::ErrorOr<std::string> clang =
          llvm::sys::findProgramByName("clang-22"))
    return *clang;
  if (llvm::sys::fs::can_execute("/usr/lib/llvm-22/bin/clang"))
    return "/usr/lib/llvm-22/bin/clang";
  return "";
}

LogicalResult
gpuinit::kernel::compileKernelsToCPU(ModuleOp module,
                                     std::string &sharedObjectPath,
                                     const KernelCPUOptions &options) {
  Location loc = module.getLoc();
  std::string ir;
  if (failed(translateKernelsToCPULLVMIR(module, ir)))
    return failure();
  std::string clang = findClang(options);
  if (clang.empty())
    return emitError(loc) << "clang-22 not found in PATH or "
                             "/usr/lib/llvm-22/bin: it builds the CPU kernels' "
                             "shared object";
  SmallString<128> in, log;
  if (llvm::sys::fs::createTemporaryFile("gpuinit-cpu-kernels", "ll", in) ||
      llvm::sys::fs::createTemporaryFile("gpuinit-cpu-kernels", "log", log))
    return emitError(loc) << "cannot create temporary files for clang";
  llvm::scope_exit cleanup([&] {
    llvm::sys::fs::remove(in);
    llvm::sys::fs::remove(log);
  });
  if (sharedObjectPath.empty()) {
    SmallString<128> out;
    if (llvm::sys::fs::createTemporaryFile("gpuinit-cpu-kernels", "so", out))
      return emitError(loc) << "cannot create a temporary shared object";
    sharedObjectPath = out.str().str();
  }
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(in, ec);
    if (ec)
      return emitError(loc) << "cannot write " << in << ": " << ec.message();
    os << ir;
  }
  std::string opt = "-O" + std::to_string(std::clamp(options.optLevel, 0, 3));
  SmallVector<StringRef> args = {
      clang, opt,  "-shared", "-fPIC", "-Wno-override-module",
      "-x",  "ir", in,        "-o",    sharedObjectPath};
  for (const std::string &flag : options.extraFlags)
    args.push_back(flag);
  // Math functions the kernels call (expf, fma without FMA hardware, ...).
  args.push_back("-lm");
  std::optional<StringRef> redirects[] = {std::nullopt, StringRef(log),
                                          StringRef(log)};
  std::string execError;
  int rc = llvm::sys::ExecuteAndWait(clang, args, std::nullopt, redirects, 0, 0,
                                     &execError);
  if (rc != 0) {
    auto text = llvm::MemoryBuffer::getFile(log);
    return emitError(loc) << clang << " failed to build the CPU kernels"
                          << (execError.empty() ? "" : " (" + execError + ")")
                          << ": "
                          << (text ? (*text)->getBuffer().trim().str()
                                   : std::string());
  }
  return success();
}

namespace {
struct CPUCLOptions {
  llvm::cl::OptionCategory category{"CPU kernel translation options"};
  llvm::cl::opt<std::string> clang{
      "kernel-cpu-clang",
      llvm::cl::desc("The clang building --kernel-to-cpu's shared object "
                     "(default: clang-22 from PATH)"),
      llvm::cl::cat(category)};
  llvm::cl::opt<int> optLevel{
      "kernel-cpu-opt-level",
      llvm::cl::desc("clang optimization level for --kernel-to-cpu (0..3)"),
      llvm::cl::init(2), llvm::cl::cat(category)};
};

CPUCLOptions &cpuOptions() {
  static CPUCLOptions opts;
  return opts;
}

void registerCPUDialects(DialectRegistry &registry) {
  gpuinit::registerAllDialects(registry);
  registerAllExtensions(registry);
}

LogicalResult toSharedObject(Operation *op, raw_ostream &os) {
  KernelCPUOptions options;
  options.clang = cpuOptions().clang;
  options.optLevel = cpuOptions().optLevel;
  std::string path;
  llvm::scope_exit cleanup([&] {
    if (!path.empty())
      llvm::sys::fs::remove(path);
  });
  if (failed(compileKernelsToCPU(cast<ModuleOp>(op), path, options)))
    return failure();
  auto so = llvm::MemoryBuffer::getFile(path, /*IsText=*/false);
  if (!so)
    return op->emitError() << "cannot read the shared object " << path << ": "
                           << so.getError().message();
  os << (*so)->getBuffer();
  return success();
}

LogicalResult toLLVMIR(Operation *op, raw_ostream &os) {
  std::string ir;
  if (failed(translateKernelsToCPULLVMIR(cast<ModuleOp>(op), ir)))
    return failure();
  os << ir;
  return success();
}
} // namespace

void gpuinit::kernel::registerKernelCPUTranslations() {
  cpuOptions();
  static TranslateFromMLIRRegistration so(
      "kernel-to-cpu",
      "Compile the kernel modules (any target) to a host shared object "
      "following the CPU kernel ABI",
      toSharedObject, registerCPUDialects);
  static TranslateFromMLIRRegistration ll(
      "kernel-to-cpu-llvmir",
      "Compile the kernel modules (any target) to host LLVM IR following the "
      "CPU kernel ABI",
      toLLVMIR, registerCPUDialects);
}
