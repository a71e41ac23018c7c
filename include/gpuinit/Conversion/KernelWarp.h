//===- KernelWarp.h - the lane a kernel.shuffle reads ---------------------===//
//
// The source-lane arithmetic of kernel.shuffle, shared by the Vulkan lowering
// in convert-kernel-to-gpu (i32 lane ids, subgroups) and the warp emulation
// of convert-kernel-to-cpu (index lane ids, 32-lane warps).
//
//===----------------------------------------------------------------------===//
#ifndef GPUINIT_CONVERSION_KERNELWARP_H
#define GPUINIT_CONVERSION_KERNELWARP_H

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

} // namespace gpuinit::kernel

#endif // GPUINIT_CONVERSION_KERNELWARP_H
