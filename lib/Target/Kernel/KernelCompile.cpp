//===- KernelCompile.cpp - kernel pipelines and device-code emission ------===//
//
// kernel-to-nvvm-pipeline and kernel-to-spirv-pipeline, and the functions
// that run them on a module and collect the PTX text or SPIR-V binary of
// every kernel.module (include/gpuinit/Target/Kernel.h).
//
//===----------------------------------------------------------------------===//
#include "gpuinit/Target/Kernel.h"

#include "gpuinit/Conversion/Passes.h"
#include "gpuinit/Dialect/Kernel/IR/Kernel.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Conversion/GPUToSPIRV/GPUToSPIRVPass.h"
#include "mlir/Conversion/VectorToSCF/VectorToSCF.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Pipelines/Passes.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SPIRV/IR/SPIRVDialect.h"
#include "mlir/Dialect/SPIRV/IR/SPIRVOps.h"
#include "mlir/Dialect/SPIRV/IR/TargetAndABI.h"
#include "mlir/Dialect/SPIRV/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Target/LLVM/NVVM/Target.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/GPU/GPUToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/NVVM/NVVMToLLVMIRTranslation.h"
#include "mlir/Target/SPIRV/Serialization.h"
#include "mlir/Target/SPIRV/Target.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace gpuinit;
using namespace gpuinit::kernel;

/// The CUDA toolkit directory holding nvvm/libdevice (for math functions),
/// or "" when there is none.
static std::string cudaToolkitPath() {
  for (const char *env : {"CUDA_ROOT", "CUDA_HOME", "CUDA_PATH"})
    if (const char *dir = std::getenv(env))
      if (llvm::sys::fs::exists(std::string(dir) + "/nvvm/libdevice"))
        return dir;
  if (llvm::sys::fs::exists("/usr/local/cuda/nvvm/libdevice"))
    return "/usr/local/cuda";
  return "";
}

void gpuinit::kernel::buildKernelToNVVMPipeline(OpPassManager &pm,
                                                const KernelNVVMOptions &options) {
  pm.addPass(createConvertKernelToGPU());
  // The device half of upstream's GPU-to-NVVM lowering, with libdevice
  // linked from the CUDA toolkit when there is one (math functions such as
  // expf and fmaf lower to libdevice calls).
  // scf first: the nvgpu lowering's structural scf patterns cannot convert
  // loops carrying MMA fragments (!gpu.mma_matrix).
  pm.addPass(createConvertVectorToSCFPass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(createConvertNVGPUToNVVMPass());
  pm.addPass(createConvertNVVMToLLVMPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  GpuNVVMAttachTargetOptions target;
  target.chip = options.chip;
  target.features = options.features;
  target.optLevel = unsigned(std::max(0, int(options.optLevel)));
  std::string toolkit = cudaToolkitPath();
  if (!toolkit.empty())
    target.linkLibs.push_back(toolkit + "/nvvm/libdevice/libdevice.10.bc");
  pm.addPass(createGpuNVVMAttachTarget(target));
  pm.addPass(createLowerAffinePass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  OpPassManager &device = pm.nest<gpu::GPUModuleOp>();
  device.addPass(createConvertGpuOpsToNVVMOps());
  device.addPass(createCanonicalizerPass());
  device.addPass(createCSEPass());
  device.addPass(createReconcileUnrealizedCastsPass());
  GpuModuleToBinaryPassOptions binary;
  binary.compilationTarget = "isa";
  binary.toolkitPath = toolkit;
  pm.addPass(createGpuModuleToBinaryPass(binary));
}

namespace {
/// Copies each gpu.module's SPIR-V target environment (from its `targets`)
/// into its `spirv.target_env` attribute: convert-gpu-to-spirv reads the
/// targets, but the other SPIR-V conversions (math-to-spirv) only look up the
/// attribute and would otherwise assume a SPIR-V 1.0 Shader-only device,
/// rejecting subgroup ops the kernel lowering already emitted.
struct CopySPIRVTargetEnv
    : public PassWrapper<CopySPIRVTargetEnv, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(CopySPIRVTargetEnv)
  StringRef getArgument() const override {
    return "gpuinit-copy-spirv-target-env";
  }
  void runOnOperation() override {
    getOperation().walk([](gpu::GPUModuleOp module) {
      if (ArrayAttr targets = module.getTargetsAttr())
        for (Attribute target : targets)
          if (auto env = dyn_cast<spirv::TargetEnvAttr>(target))
            module->setAttr(spirv::getTargetEnvAttrName(), env);
    });
  }
};
} // namespace

namespace {
/// Finishes a spirv.module after spirv-update-vce, for what the upstream
/// passes leave out:
/// - capabilities spirv-update-vce does not deduce: Int64Atomics for 64-bit
///   atomics, GroupNonUniform for the subgroup built-ins (SubgroupSize,
///   SubgroupLocalInvocationId) when no group operation needs it already;
///   an error when the target environment does not list one;
/// - entry point interfaces: the Input/Output variables the functions an
///   entry point calls use (spirv-lower-abi-attrs lists only the entry
///   function's), and, from SPIR-V 1.4 on, every module-scope variable they
///   use; before 1.4 only Input/Output ones (spirv-lower-abi-attrs lists
///   buffers too when the target environment is 1.4 or newer, although the
///   module's deduced version may be lower).
struct FinishSPIRVModule
    : public PassWrapper<FinishSPIRVModule, OperationPass<spirv::ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(FinishSPIRVModule)
  StringRef getArgument() const override {
    return "gpuinit-spirv-finish-module";
  }
  void runOnOperation() override {
    spirv::ModuleOp module = getOperation();
    std::optional<spirv::VerCapExtAttr> vce = module.getVceTriple();
    if (!vce)
      return;
    if (failed(addCapabilities(module, *vce)))
      return signalPassFailure();
    vce = module.getVceTriple();
    bool allVariables = vce->getVersion() >= spirv::Version::V_1_4;
    SymbolTable symbols(module);
    auto isInOut = [](spirv::GlobalVariableOp var) {
      auto sc = cast<spirv::PointerType>(var.getType()).getStorageClass();
      return sc == spirv::StorageClass::Input ||
             sc == spirv::StorageClass::Output;
    };
    for (auto entry : module.getOps<spirv::EntryPointOp>()) {
      SetVector<Attribute> interface;
      if (ArrayAttr old = entry.getInterfaceAttr())
        for (Attribute a : old) {
          auto var = symbols.lookup<spirv::GlobalVariableOp>(
              cast<FlatSymbolRefAttr>(a).getValue());
          if (allVariables || (var && isInOut(var)))
            interface.insert(a);
        }
      SmallVector<spirv::FuncOp> work;
      DenseSet<Operation *> seen;
      if (auto fn = symbols.lookup<spirv::FuncOp>(entry.getFn()))
        work.push_back(fn);
      while (!work.empty()) {
        spirv::FuncOp fn = work.pop_back_val();
        if (!seen.insert(fn).second)
          continue;
        fn.walk([&](Operation *op) {
          if (auto call = dyn_cast<spirv::FunctionCallOp>(op)) {
            if (auto callee = symbols.lookup<spirv::FuncOp>(call.getCallee()))
              work.push_back(callee);
          } else if (auto addr = dyn_cast<spirv::AddressOfOp>(op)) {
            auto var =
                symbols.lookup<spirv::GlobalVariableOp>(addr.getVariable());
            if (var && (allVariables || isInOut(var)))
              interface.insert(SymbolRefAttr::get(var));
          }
        });
      }
      entry.setInterfaceAttr(
          ArrayAttr::get(&getContext(), interface.getArrayRef()));
    }
  }

  LogicalResult addCapabilities(spirv::ModuleOp module,
                                spirv::VerCapExtAttr vce) {
    SmallVector<spirv::Capability> caps(vce.getCapabilities());
    SmallVector<spirv::Capability> needed;
    module.walk([&](Operation *op) {
      StringRef name = op->getName().getStringRef();
      if ((name.starts_with("spirv.Atomic") ||
           name.starts_with("spirv.EXT.Atomic")) &&
          op->getNumResults() == 1 &&
          op->getResult(0).getType().isInteger(64))
        needed.push_back(spirv::Capability::Int64Atomics);
      if (auto var = dyn_cast<spirv::GlobalVariableOp>(op))
        if (std::optional<StringRef> builtIn = var.getBuiltIn();
            builtIn && (*builtIn == "SubgroupSize" ||
                        *builtIn == "SubgroupLocalInvocationId"))
          needed.push_back(spirv::Capability::GroupNonUniform);
    });
    spirv::TargetEnv env(spirv::lookupTargetEnvOrDefault(module));
    bool changed = false;
    spirv::Version version = vce.getVersion();
    for (spirv::Capability cap : needed) {
      if (llvm::is_contained(caps, cap))
        continue;
      std::optional<spirv::Version> min = spirv::getMinVersion(cap);
      if (!env.allows(cap) || (min && *min > env.getVersion()))
        return module.emitError()
               << "the module needs the " << spirv::stringifyCapability(cap)
               << " capability, which the target environment does not allow";
      caps.push_back(cap);
      if (min && *min > version)
        version = *min;
      changed = true;
    }
    if (changed) {
      SmallVector<spirv::Extension> exts(vce.getExtensions());
      module.setVceTripleAttr(
          spirv::VerCapExtAttr::get(version, caps, exts, &getContext()));
    }
    return success();
  }
};
} // namespace

void gpuinit::kernel::buildKernelToSPIRVPipeline(
    OpPassManager &pm, const KernelSPIRVOptions &options) {
  pm.addPass(createConvertKernelToGPU());
  GpuSPIRVAttachTargetOptions attach;
  attach.spirvVersion = options.version;
  if (options.caps.empty())
    attach.spirvCapabilities = {
        "Shader",          "GroupNonUniform",          "GroupNonUniformVote",
        "GroupNonUniformBallot", "GroupNonUniformShuffle",
        "GroupNonUniformShuffleRelative", "GroupNonUniformArithmetic",
        "Int64",           "Float64"};
  else
    attach.spirvCapabilities.assign(options.caps.begin(), options.caps.end());
  if (options.exts.empty())
    attach.spirvExtensions = {"SPV_KHR_storage_buffer_storage_class"};
  else
    attach.spirvExtensions.assign(options.exts.begin(), options.exts.end());
  pm.addPass(createGpuSPIRVAttachTarget(attach));
  pm.addPass(std::make_unique<CopySPIRVTargetEnv>());
  pm.addPass(createCanonicalizerPass());
  // math ops (fma, exp, ...) are not part of convert-gpu-to-spirv's patterns.
  pm.nest<gpu::GPUModuleOp>().addPass(createConvertMathToSPIRVPass());
  // upstream's convert-gpu-to-spirv plus the memref atomics it leaves out.
  pm.addPass(createConvertKernelGPUToSPIRV());
  OpPassManager &spv = pm.nest<spirv::ModuleOp>();
  spv.addPass(spirv::createSPIRVLowerABIAttributesPass());
  spv.addPass(spirv::createSPIRVUpdateVCEPass());
  spv.addPass(std::make_unique<FinishSPIRVModule>());
}

void gpuinit::kernel::registerKernelPipelines() {
  PassPipelineRegistration<KernelNVVMOptions>(
      "kernel-to-nvvm-pipeline",
      "Lower kernel modules to PTX: convert-kernel-to-gpu, then upstream's "
      "GPU-to-NVVM lowering with the PTX in gpu.binary objects",
      buildKernelToNVVMPipeline);
  PassPipelineRegistration<KernelSPIRVOptions>(
      "kernel-to-spirv-pipeline",
      "Lower kernel modules to spirv.module: convert-kernel-to-gpu, SPIR-V "
      "target attachment, convert-gpu-to-spirv, ABI lowering, VCE update",
      buildKernelToSPIRVPipeline);
}

void gpuinit::kernel::registerKernelTargetDependencies(
    DialectRegistry &registry) {
  registry.insert<NVVM::NVVMDialect, nvgpu::NVGPUDialect,
                  spirv::SPIRVDialect, gpu::GPUDialect>();
  NVVM::registerNVVMTargetInterfaceExternalModels(registry);
  spirv::registerSPIRVTargetInterfaceExternalModels(registry);
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  registerNVVMDialectTranslation(registry);
  registerGPUDialectTranslation(registry);
}

namespace {
/// The kernel.module ops of `module` and their common target; fails with
/// an error naming a module whose target has the wrong backend.
FailureOr<TargetAttr> commonTarget(ModuleOp module, Backend backend,
                                   StringRef what) {
  TargetAttr common;
  for (KernelModuleOp km : module.getOps<KernelModuleOp>()) {
    TargetAttr target = km.getTarget();
    if (!target)
      continue;
    if (target.getBackend() != backend)
      return km.emitError() << "kernel.module @" << km.getSymName()
                            << " targets " << stringifyBackend(target.getBackend())
                            << "; " << what << " needs "
                            << stringifyBackend(backend) << " kernels";
    if (common && common != target)
      return km.emitError()
             << "kernel modules with different targets (" << common << " and "
             << target << "): compile them separately";
    common = target;
  }
  if (!common)
    return module.emitError() << "no kernel.module with a kernel to compile";
  return common;
}

/// Keeps only the kernel modules: the host code of the input is not part of
/// the device code (gpuinit-run interprets it; see docs/KernelFrontend.md).
void dropHostCode(ModuleOp module) {
  for (Operation &op : llvm::make_early_inc_range(module.getOps()))
    if (!isa<KernelModuleOp>(op))
      op.erase();
}

LogicalResult runPipeline(ModuleOp module,
                          llvm::function_ref<void(OpPassManager &)> build) {
  dropHostCode(module);
  PassManager pm(module.getContext());
  build(pm);
  return pm.run(module);
}
} // namespace

namespace {
/// Turns LLVM's loop strength reduction off while it lives. In grid-stride
/// loops the NVPTX back end's LSR adds a second 64-bit induction pointer next
/// to the index the exit test still needs (16 registers instead of 12 for
/// the reduction sample; nvcc recomputes the address from one index).
/// LLVM has no per-module switch, only the global `-disable-lsr` option,
/// which is restored afterwards so that other code generation in the
/// process (the CPU backend) keeps LSR.
class DisableLSR {
public:
  DisableLSR() {
    auto &options = llvm::cl::getRegisteredOptions();
    auto it = options.find("disable-lsr");
    if (it == options.end())
      return;
    // Registered by LLVM's CodeGen as cl::opt<bool>.
    option = static_cast<llvm::cl::opt<bool> *>(it->second);
    saved = *option;
    option->setValue(true);
  }
  ~DisableLSR() {
    if (option)
      option->setValue(saved);
  }

private:
  llvm::cl::opt<bool> *option = nullptr;
  bool saved = false;
};
} // namespace

LogicalResult gpuinit::kernel::compileKernelsToPTX(
    ModuleOp module, StringRef chip, StringRef features, int optLevel,
    std::vector<CompiledModule> &out) {
  FailureOr<TargetAttr> target = commonTarget(module, Backend::cuda, "PTX");
  if (failed(target))
    return failure();
  KernelNVVMOptions options;
  options.chip = chip.empty() ? target->getChipName() : chip.str();
  options.features =
      features.empty() ? target->getPTXFeatures() : features.str();
  options.optLevel = optLevel;
  DisableLSR noLSR;
  if (failed(runPipeline(module, [&](OpPassManager &pm) {
        buildKernelToNVVMPipeline(pm, options);
      })))
    return failure();
  for (gpu::BinaryOp binary : module.getOps<gpu::BinaryOp>()) {
    for (Attribute attr : binary.getObjects()) {
      auto object = cast<gpu::ObjectAttr>(attr);
      out.push_back({binary.getSymName().str(), object.getObject().str()});
    }
  }
  if (out.empty())
    return module.emitError() << "the NVVM pipeline produced no PTX";
  return success();
}

namespace {
/// Inserts `OpSourceExtension "<text>"` into a SPIR-V binary, after the
/// entry points and execution modes (the first place debug instructions
/// may go).
void insertSourceExtension(SmallVectorImpl<uint32_t> &words, StringRef text) {
  constexpr uint32_t kOpEntryPoint = 15, kOpExecutionMode = 16,
                     kOpCapability = 17, kOpExtension = 10,
                     kOpExtInstImport = 11, kOpMemoryModel = 14,
                     kOpExecutionModeId = 331, kOpSourceExtension = 4;
  size_t at = 5;
  while (at < words.size()) {
    uint32_t opcode = words[at] & 0xffff, count = words[at] >> 16;
    if (count == 0 ||
        !llvm::is_contained({kOpCapability, kOpExtension, kOpExtInstImport,
                             kOpMemoryModel, kOpEntryPoint, kOpExecutionMode,
                             kOpExecutionModeId},
                            opcode))
      break;
    at += count;
  }
  SmallVector<uint32_t> inst(1 + text.size() / 4 + 1, 0);
  for (size_t i = 0; i < text.size(); ++i)
    inst[1 + i / 4] |= uint32_t(uint8_t(text[i])) << (8 * (i % 4));
  inst[0] = (uint32_t(inst.size()) << 16) | kOpSourceExtension;
  words.insert(words.begin() + std::min(at, words.size()), inst.begin(),
               inst.end());
}
} // namespace

LogicalResult gpuinit::kernel::compileKernelsToSPIRV(
    ModuleOp module, const KernelSPIRVOptions &options,
    std::vector<CompiledModule> &out) {
  if (failed(commonTarget(module, Backend::vulkan, "SPIR-V")))
    return failure();
  if (failed(runPipeline(module, [&](OpPassManager &pm) {
        buildKernelToSPIRVPipeline(pm, options);
      })))
    return failure();
  bool ok = true;
  module.walk([&](spirv::ModuleOp spv) {
    SmallVector<uint32_t> words;
    if (failed(spirv::serialize(spv, words))) {
      ok = false;
      return;
    }
    std::string name = spv.getSymName() ? spv.getSymName()->str() : "";
    if (StringRef(name).starts_with("__spv__"))
      name = name.substr(7);
    // The subgroup sizes each kernel's warp ops are right for
    // (convert-kernel-to-gpu), for the runtime to check: a debug
    // instruction, so every consumer may ignore it.
    if (auto gpuModule = dyn_cast_or_null<gpu::GPUModuleOp>(
            SymbolTable::lookupSymbolIn(module, name)))
      for (auto kernel : gpuModule.getOps<gpu::GPUFuncOp>())
        if (auto range = kernel->getAttrOfType<DenseI32ArrayAttr>(
                "gpuinit.subgroup_size");
            range && range.size() == 2)
          insertSourceExtension(
              words, ("gpuinit.subgroup-size min " + Twine(range[0]) +
                      " max " + Twine(range[1]) + " entry " +
                      kernel.getName())
                         .str());
    out.push_back({name, std::string(reinterpret_cast<const char *>(
                                         words.data()),
                                     words.size() * sizeof(uint32_t))});
  });
  if (!ok)
    return failure();
  if (out.empty())
    return module.emitError() << "the SPIR-V pipeline produced no module";
  return success();
}

FailureOr<std::string> gpuinit::kernel::assemblePTX(StringRef ptx,
                                                     StringRef chip,
                                                     int optLevel,
                                                     std::string &error) {
  llvm::ErrorOr<std::string> ptxas = llvm::sys::findProgramByName("ptxas");
  if (!ptxas)
    ptxas = llvm::sys::findProgramByName("ptxas", {"/usr/local/cuda/bin"});
  if (!ptxas) {
    error = "ptxas (CUDA toolkit) not found in PATH or /usr/local/cuda/bin";
    return failure();
  }
  SmallString<128> in, outPath, log;
  if (llvm::sys::fs::createTemporaryFile("gpuinit-kernel", "ptx", in) ||
      llvm::sys::fs::createTemporaryFile("gpuinit-kernel", "cubin", outPath) ||
      llvm::sys::fs::createTemporaryFile("gpuinit-kernel", "log", log)) {
    error = "cannot create temporary files for ptxas";
    return failure();
  }
  llvm::scope_exit cleanup([&] {
    llvm::sys::fs::remove(in);
    llvm::sys::fs::remove(outPath);
    llvm::sys::fs::remove(log);
  });
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(in, ec);
    if (ec) {
      error = "cannot write " + std::string(in) + ": " + ec.message();
      return failure();
    }
    os << ptx;
  }
  std::string arch = ("-arch=" + chip).str();
  std::string opt = "-O" + std::to_string(std::clamp(optLevel, 0, 3));
  SmallVector<StringRef> args = {*ptxas, arch, opt, in, "-o", outPath};
  std::optional<StringRef> redirects[] = {std::nullopt, StringRef(log),
                                          StringRef(log)};
  std::string execError;
  int rc = llvm::sys::ExecuteAndWait(*ptxas, args, std::nullopt, redirects, 0,
                                     0, &execError);
  if (rc != 0) {
    auto text = llvm::MemoryBuffer::getFile(log);
    error = "ptxas " + arch + " failed" +
            (execError.empty() ? "" : " (" + execError + ")") + ": " +
            (text ? (*text)->getBuffer().trim().str() : std::string());
    return failure();
  }
  auto cubin = llvm::MemoryBuffer::getFile(outPath, /*IsText=*/false);
  if (!cubin) {
    error = "ptxas wrote no cubin";
    return failure();
  }
  return (*cubin)->getBuffer().str();
}
