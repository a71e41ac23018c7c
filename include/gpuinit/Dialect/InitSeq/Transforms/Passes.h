//===- Passes.h - initseq passes ------------------------------------------===//
//
// Declares the initseq rewrite passes (generated from
// dialects/initseq/InitSeqPasses.td) and their registration.
//
//===----------------------------------------------------------------------===//
#ifndef GPUINIT_DIALECT_INITSEQ_TRANSFORMS_PASSES_H
#define GPUINIT_DIALECT_INITSEQ_TRANSFORMS_PASSES_H

#include "gpuinit/Dialect/InitSeq/IR/InitSeq.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace gpuinit::initseq {

#define GEN_PASS_DECL
#include "initseq/InitSeqPasses.h.inc"

#define GEN_PASS_REGISTRATION
#include "initseq/InitSeqPasses.h.inc"

} // namespace gpuinit::initseq

#endif // GPUINIT_DIALECT_INITSEQ_TRANSFORMS_PASSES_H
