//===- KernelAtomics.cpp - kernel atomics as memref atomics ---------------===//
//
// See include/gpuinit/Conversion/KernelAtomics.h.
//
//===----------------------------------------------------------------------===//
#include "gpuinit/Conversion/KernelAtomics.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

using namespace mlir;
using namespace gpuinit::kernel;

void gpuinit::kernel::lowerAtomicToMemRef(OpBuilder &b, AtomicOp op) {
  Type type = op.getValue().getType();
  bool isFloat = isa<FloatType>(type);
  b.setInsertionPoint(op);
  Location loc = op.getLoc();
  Value value = op.getValue();
  std::optional<arith::AtomicRMWKind> kind;
  switch (op.getKind()) {
  case AtomicKind::add:
    kind = isFloat ? arith::AtomicRMWKind::addf : arith::AtomicRMWKind::addi;
    break;
  case AtomicKind::sub:
    // old - v == old + (-v), exactly, in two's complement and in IEEE.
    if (isFloat) {
      value = arith::NegFOp::create(b, loc, value);
      kind = arith::AtomicRMWKind::addf;
    } else {
      Value zero = arith::ConstantOp::create(b, loc, b.getZeroAttr(type));
      value = arith::SubIOp::create(b, loc, zero, value);
      kind = arith::AtomicRMWKind::addi;
    }
    break;
  case AtomicKind::min:
    kind = isFloat ? arith::AtomicRMWKind::minimumf : arith::AtomicRMWKind::mins;
    break;
  case AtomicKind::max:
    kind = isFloat ? arith::AtomicRMWKind::maximumf : arith::AtomicRMWKind::maxs;
    break;
  case AtomicKind::umin:
    kind = arith::AtomicRMWKind::minu;
    break;
  case AtomicKind::umax:
    kind = arith::AtomicRMWKind::maxu;
    break;
  case AtomicKind::And:
    kind = arith::AtomicRMWKind::andi;
    break;
  case AtomicKind::Or:
    kind = arith::AtomicRMWKind::ori;
    break;
  case AtomicKind::Xor:
    kind = arith::AtomicRMWKind::xori;
    break;
  case AtomicKind::exchange:
    kind = arith::AtomicRMWKind::assign;
    break;
  case AtomicKind::inc:
  case AtomicKind::dec:
    break;
  }
  if (kind) {
    auto rmw = memref::AtomicRMWOp::create(b, loc, *kind, value, op.getMemref(),
                                           op.getIndices());
    op.getResult().replaceAllUsesWith(rmw.getResult());
    op.erase();
    return;
  }
  // CUDA's atomicInc/atomicDec (unsigned): inc: old >= v ? 0 : old + 1;
  // dec: (old == 0 || old > v) ? v : old - 1.
  bool inc = op.getKind() == AtomicKind::inc;
  auto generic = memref::GenericAtomicRMWOp::create(b, loc, op.getMemref(),
                                                    op.getIndices());
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToEnd(generic.getBody());
  Value old = generic.getCurrentValue();
  Value one = arith::ConstantOp::create(b, loc, b.getIntegerAttr(type, 1));
  Value zero = arith::ConstantOp::create(b, loc, b.getZeroAttr(type));
  Value result;
  if (inc) {
    Value wrap =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::uge, old, value);
    Value next = arith::AddIOp::create(b, loc, old, one);
    result = arith::SelectOp::create(b, loc, wrap, zero, next);
  } else {
    Value isZero =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, old, zero);
    Value above =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ugt, old, value);
    Value reset = arith::OrIOp::create(b, loc, isZero, above);
    Value next = arith::SubIOp::create(b, loc, old, one);
    result = arith::SelectOp::create(b, loc, reset, value, next);
  }
  memref::AtomicYieldOp::create(b, loc, result);
  op.getResult().replaceAllUsesWith(generic.getResult());
  op.erase();
}

void gpuinit::kernel::lowerAtomicCASToMemRef(OpBuilder &b, AtomicCASOp o) {
  b.setInsertionPoint(o);
  Location loc = o.getLoc();
  auto generic = memref::GenericAtomicRMWOp::create(
      b, loc, o.getMemref(), o.getIndices());
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToEnd(generic.getBody());
    Value old = generic.getCurrentValue();
    Value equal;
    if (isa<FloatType>(old.getType())) {
      // Compare bit patterns, as a hardware CAS does.
      Type intType = b.getIntegerType(
          old.getType().getIntOrFloatBitWidth());
      Value a = arith::BitcastOp::create(b, loc, intType, old);
      Value c = arith::BitcastOp::create(b, loc, intType, o.getCompare());
      equal = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, a, c);
    } else {
      equal = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, old,
                                    o.getCompare());
    }
    Value next =
        arith::SelectOp::create(b, loc, equal, o.getValue(), old);
    memref::AtomicYieldOp::create(b, loc, next);
  }
  o.getResult().replaceAllUsesWith(generic.getResult());
  o.erase();
}
