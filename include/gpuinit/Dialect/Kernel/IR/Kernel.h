//===- Kernel.h - the kernel dialect --------------------------------------===//
//
// Declares the kernel dialect, its attributes, types and ops (generated from
// dialects/kernel/*.td), the traits that keep device ops in kernels and host
// ops out of them, and helpers shared by its lowerings and passes.
//
//===----------------------------------------------------------------------===//
#ifndef GPUINIT_DIALECT_KERNEL_IR_KERNEL_H
#define GPUINIT_DIALECT_KERNEL_IR_KERNEL_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/CallInterfaces.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include <array>
#include <optional>

#include "kernel/KernelDialect.h.inc"
#include "kernel/KernelEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "kernel/KernelAttrs.h.inc"

#define GET_TYPEDEF_CLASSES
#include "kernel/KernelTypes.h.inc"

namespace gpuinit::kernel {
namespace detail {
/// Fails unless `op` is nested in a kernel.func.
mlir::LogicalResult verifyDeviceOnly(mlir::Operation *op);
/// Fails if `op` is nested in a kernel.module.
mlir::LogicalResult verifyHostOnly(mlir::Operation *op);
} // namespace detail

namespace OpTrait {
/// A device op: it runs on the GPU and must be nested in a kernel.func.
template <typename ConcreteType>
class DeviceOnly : public mlir::OpTrait::TraitBase<ConcreteType, DeviceOnly> {
public:
  static mlir::LogicalResult verifyTrait(mlir::Operation *op) {
    return detail::verifyDeviceOnly(op);
  }
};

/// A host op: it drives the GPU and must not be inside a kernel.module.
template <typename ConcreteType>
class HostOnly : public mlir::OpTrait::TraitBase<ConcreteType, HostOnly> {
public:
  static mlir::LogicalResult verifyTrait(mlir::Operation *op) {
    return detail::verifyHostOnly(op);
  }
};
} // namespace OpTrait
} // namespace gpuinit::kernel

#define GET_OP_CLASSES
#include "kernel/KernelOps.h.inc"

namespace gpuinit::kernel {

/// True when `type` is a memref in `#gpu.address_space<global>`: a device
/// buffer in host code.
bool isDeviceBuffer(mlir::Type type);

/// True when `type` is a memref without a memory space: host memory in host
/// code, global memory inside a kernel.
bool isDefaultMemory(mlir::Type type);

/// True when `type` is a memref a kernel reads as global memory (no memory
/// space or `#gpu.address_space<global>`).
bool isGlobalMemory(mlir::Type type);

/// True when `type` is a memref in `#gpu.address_space<workgroup>`.
bool isWorkgroupMemory(mlir::Type type);

/// Bytes of one element of an integer, float or vector-of-those type;
/// std::nullopt for index and other types without a fixed size.
std::optional<uint64_t> getElementByteSize(mlir::Type type);

/// True when a launch may pass a value of type `arg` to a kernel parameter
/// of type `param`: equal types, or a device buffer passed to a memref
/// parameter in global memory of the same shape, element type and layout.
bool isLaunchCompatible(mlir::Type arg, mlir::Type param);

/// The kernel.func `op` is nested in, or null.
KernelFuncOp getEnclosingKernelFunc(mlir::Operation *op);

/// The target of the kernel.func `op` is nested in, or null.
TargetAttr getEnclosingTarget(mlir::Operation *op);

/// The minimum PTX ISA version (times ten) that knows `sm`, or std::nullopt
/// for an SM number gpuinit does not know.
std::optional<uint32_t> getMinPTXVersion(uint32_t sm);

} // namespace gpuinit::kernel

#endif // GPUINIT_DIALECT_KERNEL_IR_KERNEL_H
