//===- KernelWarp.cpp - the lane a kernel.shuffle reads -------------------===//
//
// See include/gpuinit/Conversion/KernelWarp.h.
//
//===----------------------------------------------------------------------===//
#include "gpuinit/Conversion/KernelWarp.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;
using namespace gpuinit::kernel;

ShuffleSource gpuinit::kernel::shuffleSource(OpBuilder &b, Location loc,
                                             ShuffleMode mode, Value inGroup,
                                             Value offset, Value width) {
  using P = arith::CmpIPredicate;
  Value src;
  switch (mode) {
  case ShuffleMode::idx:
    return {offset, arith::CmpIOp::create(b, loc, P::ult, offset, width)};
  case ShuffleMode::up:
    return {arith::SubIOp::create(b, loc, inGroup, offset),
            arith::CmpIOp::create(b, loc, P::uge, inGroup, offset)};
  case ShuffleMode::down:
    src = arith::AddIOp::create(b, loc, inGroup, offset);
    break;
  case ShuffleMode::Xor:
    src = arith::XOrIOp::create(b, loc, inGroup, offset);
    break;
  }
  return {src, arith::CmpIOp::create(b, loc, P::ult, src, width)};
}
