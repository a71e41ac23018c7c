//===- Passes.h - kernel passes -------------------------------------------===//
//
// Declares the kernel rewrite passes (generated from
// dialects/kernel/KernelPasses.td) and their registration.
//
//===----------------------------------------------------------------------===//
#ifndef GPUINIT_DIALECT_KERNEL_TRANSFORMS_PASSES_H
#define GPUINIT_DIALECT_KERNEL_TRANSFORMS_PASSES_H

#include "gpuinit/Dialect/Kernel/IR/Kernel.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace gpuinit::kernel {

#define GEN_PASS_DECL
#include "kernel/KernelPasses.h.inc"

#define GEN_PASS_REGISTRATION
#include "kernel/KernelPasses.h.inc"

} // namespace gpuinit::kernel

#endif // GPUINIT_DIALECT_KERNEL_TRANSFORMS_PASSES_H
