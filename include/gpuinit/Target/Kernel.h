//===- Kernel.h - compiling kernel-dialect modules to device code ---------===//
//
// The kernel pipelines (kernel-to-nvvm-pipeline, kernel-to-spirv-pipeline)
// and the functions behind `gpuinit-translate --kernel-to-ptx`,
// `--kernel-to-cubin`, `--kernel-to-spirv` and `--kernel-to-cpu`, shared
// with gpuinit-run.
//
//===----------------------------------------------------------------------===//
#ifndef GPUINIT_TARGET_KERNEL_H
#define GPUINIT_TARGET_KERNEL_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"

#include <string>
#include <vector>

namespace gpuinit::kernel {

/// Options of kernel-to-nvvm-pipeline.
struct KernelNVVMOptions : public mlir::PassPipelineOptions<KernelNVVMOptions> {
  Option<std::string> chip{*this, "chip",
                           llvm::cl::desc("The SM to compile for (sm_90)"),
                           llvm::cl::init("sm_90")};
  Option<std::string> features{
      *this, "features",
      llvm::cl::desc("PTX features, e.g. +ptx80 (the PTX ISA version)"),
      llvm::cl::init("+ptx80")};
  Option<int> optLevel{*this, "opt-level",
                       llvm::cl::desc("LLVM optimization level for NVPTX"),
                       llvm::cl::init(3)};
};

/// Options of kernel-to-spirv-pipeline.
struct KernelSPIRVOptions : public mlir::PassPipelineOptions<KernelSPIRVOptions> {
  Option<std::string> version{
      *this, "version",
      llvm::cl::desc("SPIR-V version (v1.3 for Vulkan 1.1)"),
      llvm::cl::init("v1.3")};
  ListOption<std::string> caps{
      *this, "caps",
      llvm::cl::desc("SPIR-V capabilities the device has (default: Shader, "
                     "the subgroup ones, Int64, Float64)")};
  ListOption<std::string> exts{
      *this, "exts",
      llvm::cl::desc("SPIR-V extensions the device has (default: "
                     "SPV_KHR_storage_buffer_storage_class; with "
                     "SPV_EXT_shader_atomic_float_add and the "
                     "AtomicFloat32AddEXT capability, f32 atomic adds are "
                     "native instead of compare-exchange loops)")};
};

/// Builds convert-kernel-to-gpu followed by upstream's GPU-to-NVVM
/// lowering; kernels end up as PTX in `gpu.binary` objects (format isa).
void buildKernelToNVVMPipeline(mlir::OpPassManager &pm,
                               const KernelNVVMOptions &options);
/// Builds convert-kernel-to-gpu, the SPIR-V target attachment, GPU-to-SPIR-V
/// and the spirv.module ABI lowering; kernels end up in `spirv.module`s.
void buildKernelToSPIRVPipeline(mlir::OpPassManager &pm,
                                const KernelSPIRVOptions &options);
/// Registers both pipelines with the pass registry.
void registerKernelPipelines();
/// Registers what lowering kernels needs in a context: the target
/// attributes' interfaces and the LLVM IR translations of the LLVM, NVVM and
/// GPU dialects.
void registerKernelTargetDependencies(mlir::DialectRegistry &registry);

/// One compiled device module.
struct CompiledModule {
  /// The kernel.module's name.
  std::string name;
  /// PTX text, or SPIR-V words as bytes.
  std::string data;
};

/// Compiles every kernel.module of `module` (which is consumed) to PTX. The
/// chip and PTX version default to the kernels' target metadata; non-empty
/// `chip`/`features` override them.
mlir::LogicalResult compileKernelsToPTX(mlir::ModuleOp module,
                                        llvm::StringRef chip,
                                        llvm::StringRef features, int optLevel,
                                        std::vector<CompiledModule> &out);
/// Compiles every kernel.module of `module` (consumed) to a SPIR-V binary.
mlir::LogicalResult compileKernelsToSPIRV(mlir::ModuleOp module,
                                          const KernelSPIRVOptions &options,
                                          std::vector<CompiledModule> &out);
/// Assembles PTX into a cubin with ptxas (from PATH or /usr/local/cuda/bin);
/// fails with a message (`error`) when ptxas is missing or rejects it.
mlir::FailureOr<std::string> assemblePTX(llvm::StringRef ptx,
                                         llvm::StringRef chip, int optLevel,
                                         std::string &error);

/// --kernel-to-ptx, --kernel-to-cubin, --kernel-to-spirv.
void registerKernelTranslations();

/// Options of the CPU compilation (`--kernel-to-cpu`).
struct KernelCPUOptions {
  /// The clang that builds the shared object; empty: `clang-22` from PATH,
  /// else /usr/lib/llvm-22/bin/clang.
  std::string clang;
  /// clang's optimization level (0..3).
  int optLevel = 2;
  /// Extra clang arguments (e.g. -march=native).
  std::vector<std::string> extraFlags;
};

/// Builds convert-kernel-to-cpu (every target when `anyTarget`) and the
/// lowering of the resulting nested modules to the LLVM dialect.
void buildKernelToCPUPipeline(mlir::OpPassManager &pm, bool anyTarget);
/// Lowers every kernel.module of `module` (consumed; host code is dropped),
/// whatever its target, to one LLVM IR module for the host: the kernels
/// follow the CPU kernel ABI (include/gpuinit/Runtime/CpuKernelABI.h) and
/// `gpuinit_cpu_abi_version` is defined. Kernel names must be unique across
/// the kernel modules.
mlir::LogicalResult translateKernelsToCPULLVMIR(mlir::ModuleOp module,
                                                std::string &llvmIR);
/// As translateKernelsToCPULLVMIR, then builds a shared object with clang
/// (`-shared -fPIC`) at `sharedObjectPath`, or at a new temporary file
/// whose path is stored there when it is empty.
mlir::LogicalResult compileKernelsToCPU(mlir::ModuleOp module,
                                        std::string &sharedObjectPath,
                                        const KernelCPUOptions &options = {});
/// --kernel-to-cpu (a shared object) and --kernel-to-cpu-llvmir (its LLVM
/// IR); called by registerKernelTranslations.
void registerKernelCPUTranslations();

} // namespace gpuinit::kernel

#endif // GPUINIT_TARGET_KERNEL_H
