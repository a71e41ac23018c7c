//===- KernelStructuredOps.cpp - elementwise, reduce and matmul -----------===//
//
// Builders, memory effects and verifiers of the structured ops frontends
// emit: operand shapes and types, and bodies that are pure scalar code.
//
//===----------------------------------------------------------------------===//
#include "gpuinit/Dialect/Kernel/IR/Kernel.h"

#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace gpuinit::kernel;

/// Fails unless `type` is a device buffer (what a launch can read).
static LogicalResult verifyDeviceBuffer(Operation *op, Type type,
                                        StringRef what) {
  if (!isDeviceBuffer(type))
    return op->emitOpError() << what << " must be a device buffer (memref in "
                             << "#gpu.address_space<global>), got " << type;
  return success();
}

/// True when two shapes can be equal at run time.
static bool compatibleShapes(ArrayRef<int64_t> a, ArrayRef<int64_t> b) {
  if (a.size() != b.size())
    return false;
  for (auto [x, y] : llvm::zip(a, b))
    if (!ShapedType::isDynamic(x) && !ShapedType::isDynamic(y) && x != y)
      return false;
  return true;
}

/// Checks a structured op's body: argument types, one yielded value of
/// `resultType`, and no op with memory effects.
static LogicalResult verifyScalarBody(Operation *op, Region &region,
                                      TypeRange argTypes, Type resultType,
                                      StringRef what) {
  Block &block = region.front();
  if (block.getNumArguments() != argTypes.size())
    return op->emitOpError() << what << " takes " << argTypes.size()
                             << " arguments, got " << block.getNumArguments();
  for (auto [i, arg, type] : llvm::enumerate(block.getArguments(), argTypes))
    if (arg.getType() != type)
      return op->emitOpError() << what << " argument #" << i << " has type "
                               << arg.getType() << ", expected " << type;
  auto yield = dyn_cast<YieldOp>(block.getTerminator());
  if (!yield)
    return op->emitOpError() << what << " must end in kernel.yield";
  if (yield.getValues().size() != 1 ||
      yield.getValues().front().getType() != resultType)
    return yield.emitOpError("must yield one ") << resultType;
  for (Operation &inner : block.without_terminator())
    if (!isMemoryEffectFree(&inner))
      return inner.emitOpError("has memory effects, which ")
             << what << " of " << op->getName() << " must not have";
  return success();
}

//===----------------------------------------------------------------------===//
// ElementwiseOp
//===----------------------------------------------------------------------===//

void ElementwiseOp::build(
    OpBuilder &builder, OperationState &state, ValueRange inputs, Value output,
    function_ref<void(OpBuilder &, Location, ValueRange)> bodyBuilder) {
  state.addOperands(inputs);
  state.addOperands(output);
  Region *body = state.addRegion();
  Block *block = new Block();
  body->push_back(block);
  for (Value input : inputs) {
    Type type = input.getType();
    if (auto memref = dyn_cast<MemRefType>(type))
      type = memref.getElementType();
    block->addArgument(type, state.location);
  }
  if (bodyBuilder) {
    OpBuilder::InsertionGuard guard(builder);
    builder.setInsertionPointToStart(block);
    bodyBuilder(builder, state.location, block->getArguments());
  }
}

void ElementwiseOp::getEffects(
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>
        &effects) {
  for (OpOperand &input : getInputsMutable())
    if (isa<MemRefType>(input.get().getType()))
      effects.emplace_back(MemoryEffects::Read::get(), &input,
                           SideEffects::DefaultResource::get());
  effects.emplace_back(MemoryEffects::Write::get(), &getOutputMutable(),
                       SideEffects::DefaultResource::get());
}

LogicalResult ElementwiseOp::verify() {
  MemRefType output = getOutput().getType();
  if (failed(verifyDeviceBuffer(*this, output, "the output")))
    return failure();
  for (auto [i, input] : llvm::enumerate(getInputs())) {
    Type type = input.getType();
    if (auto memref = dyn_cast<MemRefType>(type)) {
      if (failed(
              verifyDeviceBuffer(*this, memref, "input #" + std::to_string(i))))
        return failure();
      if (!compatibleShapes(memref.getShape(), output.getShape()))
        return emitOpError("input #")
               << i << " of type " << memref << " does not have the shape of "
               << "the output " << output;
      continue;
    }
    if (!isa<IntegerType, IndexType, FloatType>(type))
      return emitOpError("input #")
             << i << " has type " << type
             << ": inputs are device buffers or integer, index or float "
                "scalars";
  }
  return success();
}

LogicalResult ElementwiseOp::verifyRegions() {
  SmallVector<Type> argTypes;
  for (Value input : getInputs()) {
    Type type = input.getType();
    if (auto memref = dyn_cast<MemRefType>(type))
      type = memref.getElementType();
    argTypes.push_back(type);
  }
  return verifyScalarBody(*this, getBody(), argTypes,
                          getOutput().getType().getElementType(), "the body");
}

//===----------------------------------------------------------------------===//
// ReduceOp
//===----------------------------------------------------------------------===//

void ReduceOp::build(
    OpBuilder &builder, OperationState &state, Value input, Value output,
    Value init,
    function_ref<void(OpBuilder &, Location, Value, Value)> combinerBuilder) {
  state.addOperands({input, output, init});
  Region *combiner = state.addRegion();
  Block *block = new Block();
  combiner->push_back(block);
  Type type = init.getType();
  block->addArgument(type, state.location);
  block->addArgument(type, state.location);
  if (combinerBuilder) {
    OpBuilder::InsertionGuard guard(builder);
    builder.setInsertionPointToStart(block);
    combinerBuilder(builder, state.location, block->getArgument(0),
                    block->getArgument(1));
  }
}

void ReduceOp::getEffects(
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>
        &effects) {
  effects.emplace_back(MemoryEffects::Read::get(), &getInputMutable(),
                       SideEffects::DefaultResource::get());
  effects.emplace_back(MemoryEffects::Write::get(), &getOutputMutable(),
                       SideEffects::DefaultResource::get());
}

LogicalResult ReduceOp::verify() {
  MemRefType input = getInput().getType(), output = getOutput().getType();
  if (failed(verifyDeviceBuffer(*this, input, "the input")) ||
      failed(verifyDeviceBuffer(*this, output, "the output")))
    return failure();
  if (input.getRank() == 0)
    return emitOpError("reduces the last dimension: the input needs rank 1 "
                       "or more");
  if (input.getElementType() != output.getElementType())
    return emitOpError("reduces ")
           << input.getElementType() << " into " << output.getElementType()
           << ": element types must match";
  if (getInit().getType() != input.getElementType())
    return emitOpError("init has type ")
           << getInit().getType() << " but the elements are "
           << input.getElementType();
  ArrayRef<int64_t> kept = input.getShape().drop_back();
  bool ok = compatibleShapes(kept, output.getShape());
  if (!ok && input.getRank() == 1)
    ok = compatibleShapes({1}, output.getShape());
  if (!ok)
    return emitOpError("reduces ")
           << input << " over its last dimension into " << output
           << ": the output must have the input's shape without the last "
              "dimension";
  return success();
}

LogicalResult ReduceOp::verifyRegions() {
  Type type = getInit().getType();
  return verifyScalarBody(*this, getCombiner(), {type, type}, type,
                          "the combiner");
}

//===----------------------------------------------------------------------===//
// MatmulOp
//===----------------------------------------------------------------------===//

LogicalResult MatmulOp::verify() {
  MemRefType a = getA().getType(), b = getB().getType(), c = getC().getType();
  if (failed(verifyDeviceBuffer(*this, a, "A")) ||
      failed(verifyDeviceBuffer(*this, b, "B")) ||
      failed(verifyDeviceBuffer(*this, c, "C")))
    return failure();
  if (a.getRank() != 2 || b.getRank() != 2 || c.getRank() != 2)
    return emitOpError("multiplies matrices: A, B and C must be 2-D");
  auto mismatch = [](int64_t x, int64_t y) {
    return !ShapedType::isDynamic(x) && !ShapedType::isDynamic(y) && x != y;
  };
  if (mismatch(a.getDimSize(1), b.getDimSize(0)))
    return emitOpError("A is ")
           << a.getDimSize(0) << "x" << a.getDimSize(1) << " but B is "
           << b.getDimSize(0) << "x" << b.getDimSize(1)
           << ": A's columns must equal B's rows";
  if (mismatch(a.getDimSize(0), c.getDimSize(0)) ||
      mismatch(b.getDimSize(1), c.getDimSize(1)))
    return emitOpError("C must be ")
           << a.getDimSize(0) << "x" << b.getDimSize(1) << " (rows of A x "
           << "columns of B), got " << c;
  Type in = a.getElementType(), out = c.getElementType();
  if (in != b.getElementType())
    return emitOpError("A and B hold ") << in << " and " << b.getElementType()
                                        << ": they must hold one type";
  bool ok = false;
  if (isa<FloatType>(in))
    ok = isa<FloatType>(out) &&
         out.getIntOrFloatBitWidth() >= in.getIntOrFloatBitWidth();
  else if (in.isInteger(8))
    ok = out.isInteger(32);
  else if (in.isInteger(32) || in.isInteger(64))
    ok = out == in;
  if (!ok)
    return emitOpError("cannot accumulate ")
           << in << " products into " << out
           << " (floats into a float at least as wide, i8 into i32, i32/i64 "
              "into the same type)";
  return success();
}
