//===- KernelAtomics.h - kernel atomics as memref atomics -----------------===//
//
// The target-independent part of lowering kernel.atomic and
// kernel.atomic_cas, shared by convert-kernel-to-gpu and
// convert-kernel-to-cpu: memref.atomic_rmw where arith has the kind (sub as
// an add of the negation), memref.generic_atomic_rmw for inc, dec and
// compare-and-swap. Scope and target checks stay with the callers.
//
//===----------------------------------------------------------------------===//
#ifndef GPUINIT_CONVERSION_KERNELATOMICS_H
#define GPUINIT_CONVERSION_KERNELATOMICS_H

#include "gpuinit/Dialect/Kernel/IR/Kernel.h"

#include "mlir/IR/Builders.h"

namespace gpuinit::kernel {

/// Replaces `op` (and erases it) by memref atomics, with CUDA's semantics
/// for inc (old >= v ? 0 : old + 1) and dec ((old == 0 || old > v) ? v :
/// old - 1).
void lowerAtomicToMemRef(mlir::OpBuilder &b, AtomicOp op);

/// Replaces `op` (and erases it) by a memref.generic_atomic_rmw that stores
/// the new value when the old one equals the compare value (bit patterns for
/// floats, as a hardware CAS compares) and returns the old value.
void lowerAtomicCASToMemRef(mlir::OpBuilder &b, AtomicCASOp op);

} // namespace gpuinit::kernel

#endif // GPUINIT_CONVERSION_KERNELATOMICS_H
