//===- KernelDialect.cpp - the kernel dialect -----------------------------===//
//
// Registers the kernel dialect's attributes, types and ops, and implements
// the memory-space and type helpers its verifiers and lowerings share.
//
//===----------------------------------------------------------------------===//
#include "gpuinit/Dialect/Kernel/IR/Kernel.h"

#include "mlir/IR/DialectImplementation.h"

using namespace mlir;
using namespace gpuinit::kernel;

#include "kernel/KernelDialect.cpp.inc"
#include "kernel/KernelEnums.cpp.inc"

void KernelDialect::initialize() {
  registerAttributes();
  registerTypes();
  addOperations<
#define GET_OP_LIST
#include "kernel/KernelOps.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// Shared helpers
//===----------------------------------------------------------------------===//

/// The gpu address space of a memref type, if it has one.
static std::optional<gpu::AddressSpace> getGPUAddressSpace(MemRefType type) {
  if (auto space =
          dyn_cast_or_null<gpu::AddressSpaceAttr>(type.getMemorySpace()))
    return space.getValue();
  return std::nullopt;
}

bool gpuinit::kernel::isDeviceBuffer(Type type) {
  auto memref = dyn_cast<MemRefType>(type);
  return memref && getGPUAddressSpace(memref) == gpu::AddressSpace::Global;
}

bool gpuinit::kernel::isDefaultMemory(Type type) {
  auto memref = dyn_cast<MemRefType>(type);
  return memref && !memref.getMemorySpace();
}

bool gpuinit::kernel::isGlobalMemory(Type type) {
  return isDefaultMemory(type) || isDeviceBuffer(type);
}

bool gpuinit::kernel::isWorkgroupMemory(Type type) {
  auto memref = dyn_cast<MemRefType>(type);
  return memref && getGPUAddressSpace(memref) == gpu::AddressSpace::Workgroup;
}

std::optional<uint64_t> gpuinit::kernel::getElementByteSize(Type type) {
  if (auto vector = dyn_cast<VectorType>(type)) {
    if (vector.isScalable())
      return std::nullopt;
    std::optional<uint64_t> elt = getElementByteSize(vector.getElementType());
    if (!elt)
      return std::nullopt;
    return *elt * vector.getNumElements();
  }
  if (isa<IntegerType, FloatType>(type))
    return (type.getIntOrFloatBitWidth() + 7) / 8;
  return std::nullopt;
}

bool gpuinit::kernel::isLaunchCompatible(Type arg, Type param) {
  auto argMemref = dyn_cast<MemRefType>(arg);
  if (!argMemref)
    return arg == param;
  // Memory crosses to a kernel only as a device buffer.
  auto paramMemref = dyn_cast<MemRefType>(param);
  if (!paramMemref || !isDeviceBuffer(argMemref) ||
      !isGlobalMemory(paramMemref))
    return false;
  return argMemref.getShape() == paramMemref.getShape() &&
         argMemref.getElementType() == paramMemref.getElementType() &&
         argMemref.getLayout() == paramMemref.getLayout();
}

KernelFuncOp gpuinit::kernel::getEnclosingKernelFunc(Operation *op) {
  return op->getParentOfType<KernelFuncOp>();
}

TargetAttr gpuinit::kernel::getEnclosingTarget(Operation *op) {
  KernelFuncOp func = getEnclosingKernelFunc(op);
  if (!func || !func.getMetadata())
    return {};
  return func.getMetadata().getTarget();
}

LogicalResult gpuinit::kernel::detail::verifyDeviceOnly(Operation *op) {
  if (!getEnclosingKernelFunc(op))
    return op->emitOpError("is a device op: it must be inside a kernel.func");
  return success();
}

LogicalResult gpuinit::kernel::detail::verifyHostOnly(Operation *op) {
  if (op->getParentOfType<KernelModuleOp>())
    return op->emitOpError(
        "is a host op: it must not be inside a kernel.module");
  return success();
}
