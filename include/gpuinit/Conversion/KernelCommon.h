//===- KernelCommon.h - lowering pieces both kernel lowerings use ---------===//
//
// Shared by convert-kernel-to-gpu and convert-kernel-to-cpu (atomics are in
// KernelAtomics.h): the source-lane arithmetic of kernel.shuffle (i32 lane
// ids and subgroups on Vulkan, index lane ids and 32-lane warps on the CPU)
// and the synchronous form of kernel.async_copy.
//
//===----------------------------------------------------------------------===//
#ifndef GPUINIT_CONVERSION_KERNELCOMMON_H
#define GPUINIT_CONVERSION_KERNELCOMMON_H

#include "gpuinit/Dialect/Kernel/IR/Kernel.h"

#include "mlir/IR/Builders.h"

namespace gpuinit::kernel {

struct ShuffleSource {
  /// The source lane within the group (meaningful when `valid`).
  mlir::Value lane;
  /// Whether that lane is inside the group of `width` lanes.
  mlir::Value valid;
};

/// For the lane `inGroup` of a group of `width` lanes (all three values and
/// `offset` of one integer type): `idx` reads lane `offset`, `up` lane
/// `inGroup - offset`, `down` `inGroup + offset`, `xor` `inGroup ^ offset`.
ShuffleSource shuffleSource(mlir::OpBuilder &b, mlir::Location loc,
                            ShuffleMode mode, mlir::Value inGroup,
                            mlir::Value offset, mlir::Value width);

/// Replaces `op` (and erases it) by a loop copying its `count` consecutive
/// elements along the last index at once, for targets without asynchronous
/// copies (a later commit or wait then has nothing to do).
void lowerAsyncCopyInline(mlir::OpBuilder &b, AsyncCopyOp op);

} // namespace gpuinit::kernel

#endif // GPUINIT_CONVERSION_KERNELCOMMON_H
