//===- Passes.h - gpuinit conversion passes -------------------------------===//
//
// Declares the lowerings from gpuinit dialects to upstream dialects
// (generated from dialects/conversion/ConversionPasses.td).
//
//===----------------------------------------------------------------------===//
#ifndef GPUINIT_CONVERSION_PASSES_H
#define GPUINIT_CONVERSION_PASSES_H

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace gpuinit {

#define GEN_PASS_DECL
#include "conversion/ConversionPasses.h.inc"

#define GEN_PASS_REGISTRATION
#include "conversion/ConversionPasses.h.inc"

} // namespace gpuinit

#endif // GPUINIT_CONVERSION_PASSES_H
