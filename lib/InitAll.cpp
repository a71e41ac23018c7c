//===- InitAll.cpp - register everything gpuinit provides -----------------===//
//
// Registration entry points shared by gpuinit-opt, gpuinit-translate,
// gpuinit-lsp-server and gpuinit-run.
//
//===----------------------------------------------------------------------===//
#include "gpuinit/InitAll.h"
#include "gpuinit/Dialect/InitSeq/IR/InitSeq.h"
#include "gpuinit/Dialect/InitSeq/Transforms/Passes.h"
#include "gpuinit/Pipelines/Pipelines.h"
#include "gpuinit/Conversion/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"

void gpuinit::registerAllDialects(mlir::DialectRegistry &registry) {
  registry.insert<initseq::InitSeqDialect, mlir::LLVM::LLVMDialect,
                  mlir::func::FuncDialect>();
  mlir::registerBuiltinDialectTranslation(registry);
  mlir::registerLLVMDialectTranslation(registry);
}

void gpuinit::registerAllPasses() {
  initseq::registerInitSeqPasses();
  registerConversionPasses();
  registerPipelines();
}
