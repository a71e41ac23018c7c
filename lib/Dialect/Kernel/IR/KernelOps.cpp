//===- KernelOps.cpp - kernel.module, kernel.func, return and call --------===//
//
// The generated op definitions of the kernel dialect, and the container ops:
// modules, functions (custom header syntax, metadata, shared-memory budget),
// returns and device-function calls. Device, host and structured ops are
// verified in KernelDeviceOps.cpp, KernelHostOps.cpp and
// KernelStructuredOps.cpp.
//
//===----------------------------------------------------------------------===//
#include "gpuinit/Dialect/Kernel/IR/Kernel.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/FunctionImplementation.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace gpuinit::kernel;

#define GET_OP_CLASSES
#include "kernel/KernelOps.cpp.inc"

//===----------------------------------------------------------------------===//
// KernelModuleOp
//===----------------------------------------------------------------------===//

void KernelModuleOp::build(OpBuilder &builder, OperationState &state,
                           StringRef name) {
  state.addAttribute(getSymNameAttrName(state.name),
                     builder.getStringAttr(name));
  state.addRegion()->emplaceBlock();
}

TargetAttr KernelModuleOp::getTarget() {
  for (auto func : getBody()->getOps<KernelFuncOp>())
    if (MetadataAttr metadata = func.getMetadata())
      return metadata.getTarget();
  return {};
}

LogicalResult KernelModuleOp::verify() {
  for (Operation &op : *getBody()) {
    if (!isa<KernelFuncOp>(op))
      return op.emitOpError("cannot be in a kernel.module (it holds only "
                            "kernel.func ops)");
  }
  // Functions are verified after this op: only read metadata that is there.
  KernelFuncOp first;
  for (auto func : getBody()->getOps<KernelFuncOp>()) {
    MetadataAttr metadata = func.getMetadata();
    if (!metadata || !metadata.getTarget())
      continue;
    if (!first) {
      first = func;
      continue;
    }
    TargetAttr target = metadata.getTarget();
    if (target != first.getMetadata().getTarget())
      return func.emitOpError("targets ")
             << target << " but @" << first.getSymName()
             << " in the same kernel.module targets "
             << first.getMetadata().getTarget()
             << " (a kernel.module is compiled for one target)";
  }
  return success();
}

//===----------------------------------------------------------------------===//
// KernelFuncOp
//===----------------------------------------------------------------------===//

void KernelFuncOp::build(OpBuilder &builder, OperationState &state,
                         StringRef name, FunctionType type,
                         MetadataAttr metadata) {
  state.addAttribute(getSymNameAttrName(state.name),
                     builder.getStringAttr(name));
  state.addAttribute(getFunctionTypeAttrName(state.name), TypeAttr::get(type));
  state.addAttribute(getMetadataAttrName(state.name), metadata);
  Region *body = state.addRegion();
  Block *entry = new Block();
  body->push_back(entry);
  for (Type input : type.getInputs())
    entry->addArgument(input, state.location);
}

ParseResult KernelFuncOp::parse(OpAsmParser &parser, OperationState &result) {
  Builder &builder = parser.getBuilder();
  StringAttr name;
  if (parser.parseSymbolName(name, getSymNameAttrName(result.name),
                             result.attributes))
    return failure();

  SmallVector<OpAsmParser::Argument> arguments;
  SmallVector<Type> resultTypes;
  SmallVector<DictionaryAttr> resultAttrs;
  bool isVariadic = false;
  if (function_interface_impl::parseFunctionSignatureWithArguments(
          parser, /*allowVariadic=*/false, arguments, isVariadic, resultTypes,
          resultAttrs))
    return failure();
  SmallVector<Type> argTypes;
  for (OpAsmParser::Argument &arg : arguments)
    argTypes.push_back(arg.type);
  result.addAttribute(
      getFunctionTypeAttrName(result.name),
      TypeAttr::get(builder.getFunctionType(argTypes, resultTypes)));
  call_interface_impl::addArgAndResultAttrs(
      builder, result, arguments, resultAttrs, getArgAttrsAttrName(result.name),
      getResAttrsAttrName(result.name));

  MetadataAttr metadata = MetadataAttr::parseBody(parser);
  if (!metadata)
    return failure();
  result.addAttribute(getMetadataAttrName(result.name), metadata);

  if (parser.parseOptionalAttrDictWithKeyword(result.attributes))
    return failure();
  SMLoc bodyLoc = parser.getCurrentLocation();
  Region *body = result.addRegion();
  if (parser.parseRegion(*body, arguments, /*enableNameShadowing=*/false))
    return failure();
  if (body->empty())
    return parser.emitError(bodyLoc, "needs a body");
  return success();
}

void KernelFuncOp::print(OpAsmPrinter &p) {
  p << ' ';
  p.printSymbolName(getSymName());
  function_interface_impl::printFunctionSignature(
      p, *this, getArgumentTypes(), /*isVariadic=*/false, getResultTypes());
  p << ' ';
  getMetadata().printBody(p);
  function_interface_impl::printFunctionAttributes(
      p, *this,
      {getFunctionTypeAttrName(), getMetadataAttrName(), getArgAttrsAttrName(),
       getResAttrsAttrName()});
  p << ' ';
  p.printRegion(getBody(), /*printEntryBlockArgs=*/false,
                /*printBlockTerminators=*/true);
}

HintsAttr KernelFuncOp::getHints() {
  if (HintsAttr hints = getMetadata().getHints())
    return hints;
  return HintsAttr::get(getContext(), false, std::nullopt, std::nullopt, false,
                        false);
}

uint64_t KernelFuncOp::getStaticSharedMemoryUsage() {
  uint64_t offset = 0;
  getBody().walk([&](SharedAllocOp alloc) {
    offset = llvm::alignTo(offset, alloc.getAlignmentInBytes()) +
             alloc.getSizeInBytes();
  });
  return offset;
}

/// True for the scalar types a launch can pass by value.
static bool isKernelScalar(Type type) {
  return isa<IntegerType, IndexType, FloatType>(type);
}

LogicalResult KernelFuncOp::verify() {
  MetadataAttr md = getMetadata();
  // Metadata built with MetadataAttr::get skipped the attribute's checks.
  if (failed(MetadataAttr::verify([&] { return emitOpError(); }, md.getKind(),
                                  md.getTarget(), md.getWorkgroupSize(),
                                  md.getMaxThreads(), md.getMinBlocks(),
                                  md.getSharedMemory(), md.getMaxRegisters(),
                                  md.getDevice(), md.getHints())))
    return failure();
  if (getBody().empty())
    return emitOpError("needs a body");
  if (isDeviceFunction())
    return success();

  if (!getResultTypes().empty())
    return emitOpError("is a kernel and returns nothing (only device "
                       "functions return values)");
  for (auto [i, type] : llvm::enumerate(getArgumentTypes())) {
    if (isKernelScalar(type))
      continue;
    if (isGlobalMemory(type))
      continue;
    return emitOpError("parameter #")
           << i << " has type " << type
           << ": a kernel takes memrefs in global memory and integer, index "
              "or float scalars";
  }
  return success();
}

LogicalResult KernelFuncOp::verifyRegions() {
  if (isDeviceFunction())
    return success();
  uint64_t used = getStaticSharedMemoryUsage();
  if (used == 0)
    return success();
  TargetAttr target = getTarget();
  if (std::optional<uint64_t> budget = getMetadata().getSharedMemory()) {
    if (used > *budget)
      return emitOpError("allocates ")
             << used << " bytes of shared memory (kernel.shared_alloc, "
             << "aligned) but its metadata allows shared " << *budget;
    return success();
  }
  if (used > target.getMaxStaticSharedMemory())
    return emitOpError("allocates ")
           << used << " bytes of shared memory, more than the "
           << target.getMaxStaticSharedMemory() << " bytes " << target
           << " allows statically";
  return success();
}

//===----------------------------------------------------------------------===//
// ReturnOp
//===----------------------------------------------------------------------===//

LogicalResult ReturnOp::verify() {
  auto func = cast<KernelFuncOp>((*this)->getParentOp());
  ArrayRef<Type> results = func.getResultTypes();
  if (getNumOperands() != results.size())
    return emitOpError("returns ")
           << getNumOperands() << " values but @" << func.getSymName()
           << " returns " << results.size();
  for (auto [i, value, type] : llvm::enumerate(getOperands(), results))
    if (value.getType() != type)
      return emitOpError("value #")
             << i << " has type " << value.getType() << " but @"
             << func.getSymName() << " returns " << type;
  return success();
}

//===----------------------------------------------------------------------===//
// CallOp
//===----------------------------------------------------------------------===//

void CallOp::build(OpBuilder &builder, OperationState &state,
                   KernelFuncOp callee, ValueRange operands) {
  build(builder, state, callee.getResultTypes(),
        SymbolRefAttr::get(callee.getSymNameAttr()), operands,
        /*arg_attrs=*/nullptr, /*res_attrs=*/nullptr);
}

FunctionType CallOp::getCalleeType() {
  return FunctionType::get(getContext(), getOperandTypes(), getResultTypes());
}

LogicalResult CallOp::verifySymbolUses(SymbolTableCollection &symbolTable) {
  auto callee =
      symbolTable.lookupNearestSymbolFrom<KernelFuncOp>(*this, getCalleeAttr());
  if (!callee)
    return emitOpError("'@")
           << getCallee()
           << "' is not a kernel.func of the enclosing kernel.module";
  if (!callee.isDeviceFunction())
    return emitOpError("'@")
           << getCallee()
           << "' is a kernel, not a device function: kernels are launched "
              "from host code with kernel.launch";
  FunctionType type = callee.getFunctionType();
  if (type.getNumInputs() != getNumOperands())
    return emitOpError("passes ")
           << getNumOperands() << " arguments but @" << getCallee() << " takes "
           << type.getNumInputs();
  for (auto [i, value, expected] :
       llvm::enumerate(getOperands(), type.getInputs()))
    if (value.getType() != expected)
      return emitOpError("argument #")
             << i << " has type " << value.getType() << " but @" << getCallee()
             << " takes " << expected;
  if (TypeRange(type.getResults()) != TypeRange(getResultTypes()))
    return emitOpError("result types do not match @")
           << getCallee() << " (" << type << ")";
  return success();
}
