//===- KernelHostOps.cpp - verifiers of the kernel host ops ---------------===//
//
// Device buffers, copies and launches: memory spaces, copy directions, and a
// launch's callee, arguments and constant sizes against the kernel metadata
// and the target's limits.
//
//===----------------------------------------------------------------------===//
#include "gpuinit/Dialect/Kernel/IR/Kernel.h"

#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace gpuinit::kernel;

/// The value of an integer or index constant.
static std::optional<int64_t> getConstantInt(Value value) {
  APInt constant;
  if (value && matchPattern(value, m_ConstantInt(&constant)))
    return constant.getSExtValue();
  return std::nullopt;
}

static const char *const kDimNames[] = {"x", "y", "z"};

//===----------------------------------------------------------------------===//
// Buffers and copies
//===----------------------------------------------------------------------===//

LogicalResult AllocOp::verify() {
  MemRefType type = getMemref().getType();
  if (!isDeviceBuffer(type))
    return emitOpError("allocates a device buffer: its type must be in "
                       "#gpu.address_space<global>, got ")
           << type;
  if (!type.getLayout().isIdentity())
    return emitOpError("needs an identity layout, got ") << type;
  if (!getElementByteSize(type.getElementType()))
    return emitOpError("element type ")
           << type.getElementType() << " has no fixed size";
  if (getDynamicSizes().size() != size_t(type.getNumDynamicDims()))
    return emitOpError("needs ")
           << type.getNumDynamicDims() << " dynamic sizes for " << type
           << ", got " << getDynamicSizes().size();
  return success();
}

LogicalResult FreeOp::verify() {
  if (!isDeviceBuffer(getMemref().getType()))
    return emitOpError("frees device buffers (#gpu.address_space<global>), "
                       "got ")
           << getMemref().getType();
  return success();
}

CopyDirection CopyOp::getDirection() {
  bool fromDevice = isDeviceBuffer(getSource().getType());
  bool toDevice = isDeviceBuffer(getTarget().getType());
  if (fromDevice && toDevice)
    return CopyDirection::device_to_device;
  return fromDevice ? CopyDirection::device_to_host
                    : CopyDirection::host_to_device;
}

LogicalResult CopyOp::verify() {
  MemRefType source = getSource().getType(), target = getTarget().getType();
  for (MemRefType type : {source, target}) {
    if (!isDefaultMemory(type) && !isDeviceBuffer(type))
      return emitOpError("copies between host memory (no memory space) and "
                         "device buffers (#gpu.address_space<global>), got ")
             << type;
    if (!type.getLayout().isIdentity())
      return emitOpError("needs contiguous memrefs (identity layout), got ")
             << type;
  }
  if (isDefaultMemory(source) && isDefaultMemory(target))
    return emitOpError("copies host memory to host memory; use memref.copy");
  if (source.getElementType() != target.getElementType())
    return emitOpError("copies ")
           << source.getElementType() << " into " << target.getElementType()
           << ": element types must match";
  bool sameShape = source.getRank() == target.getRank();
  for (int64_t d = 0; sameShape && d < source.getRank(); ++d)
    sameShape = source.isDynamicDim(d) || target.isDynamicDim(d) ||
                source.getDimSize(d) == target.getDimSize(d);
  if (!sameShape)
    return emitOpError("copies ")
           << source << " into " << target << ": shapes must match";
  return success();
}

//===----------------------------------------------------------------------===//
// LaunchOp
//===----------------------------------------------------------------------===//

KernelFuncOp LaunchOp::getKernelFunc() {
  return SymbolTable::lookupNearestSymbolFrom<KernelFuncOp>(*this,
                                                            getKernelAttr());
}

LogicalResult LaunchOp::verify() {
  for (auto [what, values] : {std::make_pair("grid", getGridSize()),
                              std::make_pair("block", getBlockSize())})
    for (auto [d, value] : llvm::enumerate(values))
      if (std::optional<int64_t> size = getConstantInt(value);
          size && *size <= 0)
        return emitOpError() << what << " size " << kDimNames[d]
                             << " must be positive, got " << *size;
  if (std::optional<int64_t> bytes =
          getConstantInt(getDynamicSharedMemorySize());
      bytes && *bytes < 0)
    return emitOpError("dynamic shared memory must not be negative, got ")
           << *bytes;
  return success();
}

LogicalResult LaunchOp::verifySymbolUses(SymbolTableCollection &symbolTable) {
  auto func = dyn_cast_or_null<KernelFuncOp>(
      symbolTable.lookupNearestSymbolFrom(*this, getKernelAttr()));
  if (!func) {
    InFlightDiagnostic diag =
        emitOpError("'") << getKernelAttr() << "' does not name a kernel.func";
    if (getKernelAttr().getNestedReferences().empty())
      diag << " (name it @module::@kernel)";
    return diag;
  }
  StringRef name = func.getSymName();
  if (func.isDeviceFunction())
    return emitOpError("launches device function @")
           << name << ": only kernels are launched (kernel.call calls device "
           << "functions)";

  ArrayRef<Type> params = func.getArgumentTypes();
  if (getArgs().size() != params.size())
    return emitOpError("passes ") << getArgs().size() << " arguments but @"
                                  << name << " takes " << params.size();
  for (auto [i, arg, param] : llvm::enumerate(getArgs(), params)) {
    if (isLaunchCompatible(arg.getType(), param))
      continue;
    InFlightDiagnostic diag = emitOpError("argument #")
                              << i << " has type " << arg.getType() << " but @"
                              << name << " takes " << param;
    if (isDefaultMemory(arg.getType()))
      diag << " (host memory: kernel.alloc a device buffer and kernel.copy "
              "into it)";
    return diag;
  }

  MetadataAttr metadata = func.getMetadata();
  TargetAttr target = metadata.getTarget();
  std::optional<std::array<int32_t, 3>> workgroup = metadata.getWorkgroup();
  std::optional<int64_t> threads = 1;
  for (auto [d, value] : llvm::enumerate(getBlockSize())) {
    std::optional<int64_t> size = getConstantInt(value);
    if (!size) {
      threads.reset();
      continue;
    }
    if (workgroup && *size != (*workgroup)[d])
      return emitOpError("block size ")
             << kDimNames[d] << " of " << *size
             << " does not match the workgroup size (" << (*workgroup)[0]
             << ", " << (*workgroup)[1] << ", " << (*workgroup)[2] << ") of @"
             << name;
    if (*size > target.getMaxWorkgroupSize(d))
      return emitOpError("block size ")
             << kDimNames[d] << " of " << *size << " exceeds the limit of "
             << target.getMaxWorkgroupSize(d) << " of " << target;
    if (threads)
      *threads *= *size;
  }
  if (threads) {
    if (std::optional<uint32_t> maxThreads = metadata.getMaxThreads();
        maxThreads && *threads > *maxThreads)
      return emitOpError("block of ")
             << *threads << " threads exceeds launch_bounds(" << *maxThreads
             << ") of @" << name;
    if (*threads > target.getMaxThreadsPerBlock())
      return emitOpError("block of ")
             << *threads << " threads exceeds the limit of "
             << target.getMaxThreadsPerBlock() << " threads of " << target;
  }
  if (std::optional<int64_t> dynamic =
          getConstantInt(getDynamicSharedMemorySize())) {
    uint64_t used = func.getStaticSharedMemoryUsage();
    if (used + uint64_t(*dynamic) > target.getMaxSharedMemory())
      return emitOpError("needs ")
             << used << " bytes of static and " << *dynamic
             << " bytes of dynamic shared memory, more than the "
             << target.getMaxSharedMemory() << " bytes of " << target;
  }
  return success();
}
