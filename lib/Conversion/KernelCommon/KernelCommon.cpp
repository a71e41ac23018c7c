//===- KernelCommon.cpp - lowering pieces both kernel lowerings use -------===//
//
// See include/gpuinit/Conversion/KernelCommon.h.
//
//===----------------------------------------------------------------------===//
#include "gpuinit/Conversion/KernelCommon.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

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

void gpuinit::kernel::lowerAsyncCopyInline(OpBuilder &b, AsyncCopyOp op) {
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(op);
  Location loc = op.getLoc();
  Value count = arith::ConstantIndexOp::create(b, loc, op.getCount());
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  auto loop = scf::ForOp::create(b, loc, zero, count, one);
  b.setInsertionPointToStart(loop.getBody());
  Value i = loop.getInductionVar();
  SmallVector<Value> src(op.getSrcIndices()), dst(op.getDstIndices());
  src.back() = arith::AddIOp::create(b, loc, src.back(), i);
  dst.back() = arith::AddIOp::create(b, loc, dst.back(), i);
  Value v = memref::LoadOp::create(b, loc, op.getSrc(), src);
  memref::StoreOp::create(b, loc, v, op.getDst(), dst);
  op.erase();
}
