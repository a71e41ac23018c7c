//===- KernelDeviceOps.cpp - verifiers of the kernel device ops -----------===//
//
// Shared memory, atomics, warp primitives, tensor-core fragments and async
// copies: memory spaces, types, shapes and the CUDA architecture each needs.
//
//===----------------------------------------------------------------------===//
#include "gpuinit/Dialect/Kernel/IR/Kernel.h"

#include "mlir/IR/Matchers.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace gpuinit::kernel;

/// Fails unless there is one index per dimension of `type`.
static LogicalResult verifyIndices(Operation *op, MemRefType type,
                                   ValueRange indices, StringRef what = "") {
  if (int64_t(indices.size()) != type.getRank())
    return op->emitOpError("needs ")
           << type.getRank() << " indices" << what << " for " << type
           << ", got " << indices.size();
  return success();
}

/// Fails when the enclosing kernel targets CUDA below sm_<minSM>.
static LogicalResult verifySM(Operation *op, uint32_t minSM, StringRef what) {
  TargetAttr target = getEnclosingTarget(op);
  if (target && !target.hasSM(minSM))
    return op->emitOpError()
           << what << " needs sm_" << minSM << " or newer, but the kernel "
           << "targets " << target;
  return success();
}

/// Fails when the enclosing kernel targets a CUDA PTX ISA below `minPTX`
/// (62 for 6.2).
static LogicalResult verifyPTX(Operation *op, uint32_t minPTX,
                               StringRef what) {
  TargetAttr target = getEnclosingTarget(op);
  if (target && target.isCUDA() && target.getVersion() < minPTX)
    return op->emitOpError()
           << what << " needs PTX ISA " << minPTX / 10 << "." << minPTX % 10
           << " or newer, but the kernel targets " << target;
  return success();
}

/// Fails unless `type` is global or workgroup memory.
static LogicalResult verifyDeviceMemory(Operation *op, MemRefType type) {
  if (!isGlobalMemory(type) && !isWorkgroupMemory(type))
    return op->emitOpError("needs global or workgroup memory, got ") << type;
  return success();
}

//===----------------------------------------------------------------------===//
// Shared memory
//===----------------------------------------------------------------------===//

uint64_t SharedAllocOp::getSizeInBytes() {
  MemRefType type = getType();
  std::optional<uint64_t> elt = getElementByteSize(type.getElementType());
  if (!elt || !type.hasStaticShape())
    return 0;
  return *elt * type.getNumElements();
}

uint64_t SharedAllocOp::getAlignmentInBytes() {
  if (std::optional<uint64_t> align = getAlignment(); align && *align > 0)
    return *align;
  return getElementByteSize(getType().getElementType()).value_or(1);
}

LogicalResult SharedAllocOp::verify() {
  MemRefType type = getType();
  if (!isWorkgroupMemory(type))
    return emitOpError("allocates shared memory: its type must be in "
                       "#gpu.address_space<workgroup>, got ")
           << type;
  if (!type.hasStaticShape())
    return emitOpError("needs a static shape, got ")
           << type << " (kernel.dynamic_shared gives memory sized at launch)";
  if (!type.getLayout().isIdentity())
    return emitOpError("needs an identity layout, got ") << type;
  if (!getElementByteSize(type.getElementType()))
    return emitOpError("element type ")
           << type.getElementType() << " has no fixed size";
  if (type.getNumElements() == 0)
    return emitOpError("allocates no elements");
  if (getAlignmentAttr()) {
    int64_t value = getAlignmentAttr().getInt();
    if (value <= 0 || !llvm::isPowerOf2_64(value))
      return emitOpError("alignment ")
             << value << " is not a positive power of two";
  }
  KernelFuncOp func = getEnclosingKernelFunc(*this);
  if (func && func.isDeviceFunction())
    return emitOpError("is in device function @")
           << func.getSymName()
           << ": only kernels allocate shared memory (pass the buffer as an "
              "argument)";
  return success();
}

LogicalResult DynamicSharedOp::verify() {
  MemRefType type = getMemref().getType();
  if (!isWorkgroupMemory(type) || type.getRank() != 1 ||
      !type.isDynamicDim(0) || !type.getElementType().isInteger(8) ||
      !type.getLayout().isIdentity())
    return emitOpError(
               "returns memref<?xi8, #gpu.address_space<workgroup>>, got ")
           << type;
  return success();
}

//===----------------------------------------------------------------------===//
// Atomics
//===----------------------------------------------------------------------===//

/// Fails for the scope a memory operation among threads cannot have.
static LogicalResult verifyAtomicScope(Operation *op, Scope scope) {
  if (scope == Scope::thread)
    return op->emitOpError("an atomic needs block, device or system scope, "
                           "not thread");
  return success();
}

LogicalResult AtomicOp::verify() {
  MemRefType type = getMemref().getType();
  if (failed(verifyDeviceMemory(*this, type)) ||
      failed(verifyIndices(*this, type, getIndices())) ||
      failed(verifyAtomicScope(*this, getScope())))
    return failure();
  Type elt = type.getElementType();
  bool isInt = elt.isInteger(32) || elt.isInteger(64);
  bool ok = false;
  StringRef allowed;
  switch (getKind()) {
  case AtomicKind::add:
    ok = isInt || elt.isF16() || elt.isBF16() || elt.isF32() || elt.isF64();
    allowed = "i32, i64, f16, bf16, f32 or f64";
    break;
  case AtomicKind::exchange:
  case AtomicKind::min:
  case AtomicKind::max:
    ok = isInt || elt.isF32() || elt.isF64();
    allowed = "i32, i64, f32 or f64";
    break;
  case AtomicKind::sub:
  case AtomicKind::umin:
  case AtomicKind::umax:
  case AtomicKind::And:
  case AtomicKind::Or:
  case AtomicKind::Xor:
    ok = isInt;
    allowed = "i32 or i64";
    break;
  case AtomicKind::inc:
  case AtomicKind::dec:
    ok = elt.isInteger(32);
    allowed = "i32";
    break;
  }
  if (!ok)
    return emitOpError("'") << stringifyAtomicKind(getKind()) << "' needs "
                            << allowed << ", got " << elt;
  if (getKind() == AtomicKind::add) {
    if (elt.isF64())
      return verifySM(*this, 60, "an f64 atomic add");
    if (elt.isF16())
      return verifySM(*this, 70, "an f16 atomic add");
    if (elt.isBF16())
      return verifySM(*this, 90, "a bf16 atomic add");
  }
  return success();
}

LogicalResult AtomicCASOp::verify() {
  MemRefType type = getMemref().getType();
  if (failed(verifyDeviceMemory(*this, type)) ||
      failed(verifyIndices(*this, type, getIndices())) ||
      failed(verifyAtomicScope(*this, getScope())))
    return failure();
  Type elt = type.getElementType();
  if (!elt.isInteger(32) && !elt.isInteger(64))
    return emitOpError("compare-and-swap needs i32 or i64, got ")
           << elt << " (bitcast floats)";
  return success();
}

//===----------------------------------------------------------------------===//
// Warp primitives
//===----------------------------------------------------------------------===//

LogicalResult ShuffleOp::verify() {
  std::optional<uint32_t> width = getWidth();
  if (width && (*width == 0 || *width > 32 || !llvm::isPowerOf2_32(*width)))
    return emitOpError("width must be a power of two from 1 to 32, got ")
           << getWidthAttr().getInt();
  APInt offset;
  if (matchPattern(getOffset(), m_ConstantInt(&offset))) {
    int64_t value = offset.getSExtValue();
    if (value < 0)
      return emitOpError("offset ") << value << " is negative";
    if (width && value >= int64_t(*width))
      return emitOpError("offset ")
             << value << " is outside a group of " << *width << " lanes";
  }
  return success();
}

LogicalResult VoteOp::inferReturnTypes(MLIRContext *ctx,
                                       std::optional<Location>,
                                       VoteOp::Adaptor adaptor,
                                       SmallVectorImpl<Type> &types) {
  unsigned bits = adaptor.getKind() == VoteKind::ballot ? 32 : 1;
  types.push_back(IntegerType::get(ctx, bits));
  return success();
}

// Votes and match combine the active lanes: PTX `activemask` (ISA 6.2).
LogicalResult VoteOp::verify() {
  return verifyPTX(*this, 62, "a vote (over the active lanes, activemask)");
}

LogicalResult MatchAnyOp::verify() {
  if (failed(verifySM(*this, 70, "match_any")))
    return failure();
  return verifyPTX(*this, 62, "match_any (over the active lanes, activemask)");
}

//===----------------------------------------------------------------------===//
// Tensor cores
//===----------------------------------------------------------------------===//

/// Checks the memref side of an MMA load or store.
static LogicalResult verifyFragmentAccess(Operation *op, FragmentType fragment,
                                          MemRefType type, ValueRange indices,
                                          int64_t stride) {
  if (failed(verifyDeviceMemory(op, type)) ||
      failed(verifyIndices(op, type, indices)))
    return failure();
  if (type.getElementType() != fragment.getElementType())
    return op->emitOpError("memref element type ")
           << type.getElementType() << " does not match the fragment's "
           << fragment.getElementType();
  bool row = fragment.getLayout() == MMALayout::row;
  int64_t contiguous = row ? fragment.getCols() : fragment.getRows();
  if (stride < contiguous)
    return op->emitOpError("stride ")
           << stride << " is less than the " << contiguous
           << (row ? " columns of a row-major " : " rows of a column-major ")
           << fragment;
  if (fragment.getElementType().isBF16())
    return verifySM(op, 80, "a bf16 MMA");
  return verifySM(op, 70, "MMA");
}

LogicalResult MMALoadOp::verify() {
  return verifyFragmentAccess(
      *this, cast<FragmentType>(getFragment().getType()), getMemref().getType(),
      getIndices(), getStrideAttr().getInt());
}

LogicalResult MMAStoreOp::verify() {
  auto fragment = cast<FragmentType>(getFragment().getType());
  if (fragment.getOperand() != MMAOperand::c)
    return emitOpError("stores accumulator (c) fragments, got ") << fragment;
  return verifyFragmentAccess(*this, fragment, getMemref().getType(),
                              getIndices(), getStrideAttr().getInt());
}

LogicalResult MMAComputeOp::verify() {
  auto a = cast<FragmentType>(getA().getType());
  auto b = cast<FragmentType>(getB().getType());
  auto c = cast<FragmentType>(getC().getType());
  std::pair<FragmentType, MMAOperand> roles[] = {
      {a, MMAOperand::a}, {b, MMAOperand::b}, {c, MMAOperand::c}};
  for (auto [i, role] : llvm::enumerate(roles))
    if (role.first.getOperand() != role.second)
      return emitOpError("operand #")
             << i << " must be an " << stringifyMMAOperand(role.second)
             << " fragment, got " << role.first;
  if (!a.sameShape(b) || !a.sameShape(c))
    return emitOpError("fragments of different shapes: ")
           << a << ", " << b << ", " << c;
  if (a.getElementType() != b.getElementType())
    return emitOpError("a and b fragments hold ")
           << a.getElementType() << " and " << b.getElementType()
           << ": they must hold one type";
  if (a.getElementType().isBF16() && !c.getElementType().isF32())
    return emitOpError("bf16 inputs need an f32 accumulator, got ")
           << c.getElementType();
  if (a.getElementType().isBF16())
    return verifySM(*this, 80, "a bf16 MMA");
  return verifySM(*this, 70, "MMA");
}

//===----------------------------------------------------------------------===//
// Async copies
//===----------------------------------------------------------------------===//

LogicalResult AsyncCopyOp::verify() {
  MemRefType src = getSrc().getType(), dst = getDst().getType();
  if (!isGlobalMemory(src))
    return emitOpError("source must be in global memory, got ") << src;
  if (!isWorkgroupMemory(dst))
    return emitOpError("destination must be in workgroup memory "
                       "(#gpu.address_space<workgroup>), got ")
           << dst;
  if (failed(verifyIndices(*this, src, getSrcIndices(), " (source)")) ||
      failed(verifyIndices(*this, dst, getDstIndices(), " (destination)")))
    return failure();
  if (src.getElementType() != dst.getElementType())
    return emitOpError("copies ")
           << src.getElementType() << " into " << dst.getElementType()
           << ": element types must match";
  std::optional<uint64_t> elt = getElementByteSize(src.getElementType());
  int64_t count = getCountAttr().getInt();
  int64_t bytes = elt ? int64_t(*elt) * count : 0;
  if (count <= 0 || !llvm::is_contained({4, 8, 16}, bytes))
    return emitOpError("copies ")
           << count << " x " << src.getElementType() << " = " << bytes
           << " bytes; an async copy moves 4, 8 or 16 bytes";
  return verifySM(*this, 80, "async_copy");
}

LogicalResult AsyncWaitOp::verify() {
  if (getPendingAttr().getInt() < 0)
    return emitOpError("cannot leave a negative number (")
           << getPendingAttr().getInt() << ") of groups pending";
  return success();
}
