//===- InitAll.cpp - register everything gpuinit provides -----------------===//
//
// Registration entry points shared by gpuinit-opt, gpuinit-translate,
// gpuinit-lsp-server and gpuinit-run.
//
//===----------------------------------------------------------------------===//
#include "gpuinit/InitAll.h"
#include "gpuinit/Dialect/InitSeq/IR/InitSeq.h"
#include "gpuinit/Dialect/InitSeq/Transforms/Passes.h"
#include "gpuinit/Dialect/Kernel/IR/Kernel.h"
#include "gpuinit/Dialect/Kernel/Transforms/Passes.h"
#include "gpuinit/Pipelines/Pipelines.h"
#include "gpuinit/Conversion/Passes.h"
#include "gpuinit/Target/Kernel.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"

void gpuinit::registerAllDialects(mlir::DialectRegistry &registry) {
  registry.insert<initseq::InitSeqDialect, mlir::LLVM::LLVMDialect,
                  mlir::func::FuncDialect>();
  // kernel bodies are written with these upstream dialects.
  registry.insert<kernel::KernelDialect, mlir::arith::ArithDialect,
                  mlir::cf::ControlFlowDialect, mlir::gpu::GPUDialect,
                  mlir::math::MathDialect, mlir::memref::MemRefDialect,
                  mlir::scf::SCFDialect, mlir::vector::VectorDialect>();
  mlir::registerBuiltinDialectTranslation(registry);
  mlir::registerLLVMDialectTranslation(registry);
  // Lowering kernels: NVVM/SPIR-V targets and the LLVM IR translations.
  kernel::registerKernelTargetDependencies(registry);
}

void gpuinit::registerAllPasses() {
  initseq::registerInitSeqPasses();
  kernel::registerKernelPasses();
  registerConversionPasses();
  registerPipelines();
  kernel::registerKernelPipelines();
}
