//===- GPUToSPIRV.cpp - gpu.module to spirv.module for kernel code --------===//
//
// convert-kernel-gpu-to-spirv: upstream's GPU-to-SPIR-V conversion (the
// same pattern sets, one spirv.module per Vulkan gpu.module) plus the memref
// atomics upstream's MemRef patterns leave out, which the kernel dialect's
// atomics lower to:
//
//   memref.atomic_rmw addi/andi/ori/xori/maxs/mins/maxu/minu/assign
//       -> spirv.Atomic{IAdd,And,Or,Xor,SMax,SMin,UMax,UMin,Exchange}
//   memref.atomic_rmw addf (f32)
//       -> spirv.EXT.AtomicFAdd when the target environment allows
//          AtomicFloat32AddEXT and SPV_EXT_shader_atomic_float_add,
//          otherwise a compare-exchange loop
//   any other memref.atomic_rmw kind, memref.generic_atomic_rmw
//       -> a compare-exchange loop (spirv.AtomicCompareExchange in an
//          scf.while, lowered by the SCF patterns)
//
// SPIR-V's compare-exchange works on integers only, and Vulkan's logical
// addressing cannot reinterpret a float pointer: a float buffer (kernel
// parameter or workgroup allocation) that such a loop updates is retyped
// first to integers of the same width, its loads and stores bitcast, its
// atomics done on the bits. The binding's bytes are the same.
//
// Atomics on Workgroup storage use Workgroup scope, all others Device scope;
// memory semantics are relaxed (None), as GLSL's atomic functions and
// CUDA's atomicAdd are.
//
//===----------------------------------------------------------------------===//
#include "gpuinit/Conversion/Passes.h"

#include "mlir/Conversion/ArithToSPIRV/ArithToSPIRV.h"
#include "mlir/Conversion/FuncToSPIRV/FuncToSPIRV.h"
#include "mlir/Conversion/GPUToSPIRV/GPUToSPIRV.h"
#include "mlir/Conversion/MemRefToSPIRV/MemRefToSPIRV.h"
#include "mlir/Conversion/SCFToSPIRV/SCFToSPIRV.h"
#include "mlir/Conversion/VectorToSPIRV/VectorToSPIRV.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SPIRV/IR/SPIRVDialect.h"
#include "mlir/Dialect/SPIRV/IR/SPIRVOps.h"
#include "mlir/Dialect/SPIRV/IR/TargetAndABI.h"
#include "mlir/Dialect/SPIRV/Transforms/SPIRVConversion.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Transforms/DialectConversion.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/TypeSwitch.h"

namespace gpuinit {
#define GEN_PASS_DEF_CONVERTKERNELGPUTOSPIRV
#include "conversion/ConversionPasses.h.inc"
} // namespace gpuinit

using namespace mlir;

namespace {

spirv::Scope scopeOf(Value ptr) {
  auto type = cast<spirv::PointerType>(ptr.getType());
  return type.getStorageClass() == spirv::StorageClass::Workgroup
             ? spirv::Scope::Workgroup
             : spirv::Scope::Device;
}

/// The pointer to the element of a converted memref, or a match failure.
FailureOr<Value> elementPointer(const SPIRVTypeConverter &converter,
                                MemRefType type, Value base,
                                ValueRange indices, Location loc,
                                ConversionPatternRewriter &rewriter,
                                Operation *op) {
  Value ptr =
      spirv::getElementPtr(converter, type, base, indices, loc, rewriter);
  if (!ptr)
    return rewriter.notifyMatchFailure(op, "cannot address the element");
  return ptr;
}

/// Builds `old = *ptr; do { new = compute(old); } while (CAS(ptr, old, new)
/// did not see old)` and returns the value the successful exchange
/// replaced. Floats are compared and exchanged as their bits.
FailureOr<Value>
compareExchangeLoop(ConversionPatternRewriter &rewriter, Location loc,
                    Value ptr, Type elementType, Operation *op,
                    function_ref<Value(OpBuilder &, Value)> compute) {
  if (!elementType.isInteger(32) && !elementType.isInteger(64))
    return rewriter.notifyMatchFailure(
        op, "compare-exchange loops handle i32 and i64 elements (float "
            "buffers are retyped to integers before)");
  spirv::Scope scope = scopeOf(ptr);
  Value first = spirv::LoadOp::create(rewriter, loc, ptr);
  auto loop = scf::WhileOp::create(rewriter, loc, TypeRange{elementType},
                                   ValueRange{first});
  {
    OpBuilder::InsertionGuard guard(rewriter);
    Block *before = rewriter.createBlock(&loop.getBefore(), {},
                                         {elementType}, {loc});
    Value expected = before->getArgument(0);
    Value next = compute(rewriter, expected);
    Value seen = spirv::AtomicCompareExchangeOp::create(
        rewriter, loc, elementType, ptr, scope, spirv::MemorySemantics::None,
        spirv::MemorySemantics::None, next, expected);
    Value retry = spirv::INotEqualOp::create(rewriter, loc, seen, expected);
    scf::ConditionOp::create(rewriter, loc, retry, ValueRange{seen});
    Block *after =
        rewriter.createBlock(&loop.getAfter(), {}, {elementType}, {loc});
    scf::YieldOp::create(rewriter, loc, after->getArgument(0));
  }
  return loop.getResult(0);
}

/// memref.atomic_rmw of every kind.
struct AtomicRMWPattern final : OpConversionPattern<memref::AtomicRMWOp> {
  AtomicRMWPattern(const SPIRVTypeConverter &converter, MLIRContext *ctx)
      : OpConversionPattern(converter, ctx, /*benefit=*/2) {}

  LogicalResult
  matchAndRewrite(memref::AtomicRMWOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    const auto &converter = *getTypeConverter<SPIRVTypeConverter>();
    Location loc = op.getLoc();
    Type type = converter.convertType(op.getType());
    if (!type)
      return rewriter.notifyMatchFailure(op, "unconvertible element type");
    FailureOr<Value> ptr =
        elementPointer(converter, op.getMemRefType(), adaptor.getMemref(),
                       adaptor.getIndices(), loc, rewriter, op);
    if (failed(ptr))
      return failure();
    spirv::Scope scope = scopeOf(*ptr);
    auto none = spirv::MemorySemantics::None;
    Value v = adaptor.getValue();
    Value result;
    switch (op.getKind()) {
    case arith::AtomicRMWKind::addi:
      result = spirv::AtomicIAddOp::create(rewriter, loc, type, *ptr, scope,
                                           none, v);
      break;
    case arith::AtomicRMWKind::andi:
      result = spirv::AtomicAndOp::create(rewriter, loc, type, *ptr, scope,
                                          none, v);
      break;
    case arith::AtomicRMWKind::ori:
      result = spirv::AtomicOrOp::create(rewriter, loc, type, *ptr, scope,
                                         none, v);
      break;
    case arith::AtomicRMWKind::xori:
      result = spirv::AtomicXorOp::create(rewriter, loc, type, *ptr, scope,
                                          none, v);
      break;
    case arith::AtomicRMWKind::maxs:
      result = spirv::AtomicSMaxOp::create(rewriter, loc, type, *ptr, scope,
                                           none, v);
      break;
    case arith::AtomicRMWKind::mins:
      result = spirv::AtomicSMinOp::create(rewriter, loc, type, *ptr, scope,
                                           none, v);
      break;
    case arith::AtomicRMWKind::maxu:
      result = spirv::AtomicUMaxOp::create(rewriter, loc, type, *ptr, scope,
                                           none, v);
      break;
    case arith::AtomicRMWKind::minu:
      result = spirv::AtomicUMinOp::create(rewriter, loc, type, *ptr, scope,
                                           none, v);
      break;
    case arith::AtomicRMWKind::assign:
      result = spirv::AtomicExchangeOp::create(rewriter, loc, type, *ptr,
                                               scope, none, v);
      break;
    case arith::AtomicRMWKind::addf:
      if (type.isF32() &&
          converter.allows(spirv::Capability::AtomicFloat32AddEXT) &&
          converter.getTargetEnv().allows(
              spirv::Extension::SPV_EXT_shader_atomic_float_add)) {
        result = spirv::EXTAtomicFAddOp::create(rewriter, loc, type, *ptr,
                                                scope, none, v);
        break;
      }
      [[fallthrough]];
    default: {
      arith::AtomicRMWKind kind = op.getKind();
      FailureOr<Value> loop = compareExchangeLoop(
          rewriter, loc, *ptr, type, op, [&](OpBuilder &b, Value old) {
            return arith::getReductionOp(kind, b, loc, old, v);
          });
      if (failed(loop))
        return failure();
      result = *loop;
    }
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// memref.generic_atomic_rmw: its body inside a compare-exchange loop.
struct GenericAtomicRMWPattern final
    : OpConversionPattern<memref::GenericAtomicRMWOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(memref::GenericAtomicRMWOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    const auto &converter = *getTypeConverter<SPIRVTypeConverter>();
    Location loc = op.getLoc();
    Type type = converter.convertType(op.getResult().getType());
    if (!type)
      return rewriter.notifyMatchFailure(op, "unconvertible element type");
    FailureOr<Value> ptr = elementPointer(
        converter, cast<MemRefType>(op.getMemref().getType()),
        adaptor.getMemref(), adaptor.getIndices(), loc, rewriter, op);
    if (failed(ptr))
      return failure();
    Block *body = op.getBody();
    FailureOr<Value> loop = compareExchangeLoop(
        rewriter, loc, *ptr, type, op, [&](OpBuilder &b, Value old) {
          IRMapping map;
          map.map(op.getCurrentValue(), old);
          for (Operation &inner : body->without_terminator())
            rewriter.clone(inner, map);
          return map.lookupOrDefault(
              body->getTerminator()->getOperand(0));
        });
    if (failed(loop))
      return failure();
    rewriter.replaceOp(op, *loop);
    return success();
  }
};

/// Whether `op` (a float memref.atomic_rmw) has a native SPIR-V
/// instruction under `env`.
bool nativeFloatAtomic(memref::AtomicRMWOp op, const spirv::TargetEnv &env) {
  // (A float OpAtomicExchange needs Vulkan's shaderBufferFloat32Atomics,
  // which the runtime does not enable: exchange goes through the bits too.)
  return op.getKind() == arith::AtomicRMWKind::addf && op.getType().isF32() &&
         env.allows(spirv::Capability::AtomicFloat32AddEXT) &&
         env.allows(spirv::Extension::SPV_EXT_shader_atomic_float_add);
}

/// Retypes `root` (a float memref) to integers of the same width and
/// rewrites its users: loads and stores through bitcasts, atomics as
/// generic atomics on the bits.
LogicalResult retypeToBits(Value root) {
  auto type = cast<MemRefType>(root.getType());
  auto floatType = cast<FloatType>(type.getElementType());
  Type bitsType = IntegerType::get(root.getContext(), floatType.getWidth());
  auto newType = MemRefType::get(type.getShape(), bitsType, type.getLayout(),
                                 type.getMemorySpace());
  for (Operation *user : root.getUsers()) {
    bool ok = llvm::TypeSwitch<Operation *, bool>(user)
                  .Case<memref::LoadOp, memref::DimOp,
                        memref::GenericAtomicRMWOp>(
                      [&](auto) { return true; })
                  .Case<memref::StoreOp>([&](memref::StoreOp st) {
                    return st.getMemref() == root && st.getValue() != root;
                  })
                  .Case<memref::AtomicRMWOp>([&](auto) { return true; })
                  .Default([](Operation *) { return false; });
    if (!ok)
      return user->emitOpError()
             << "uses a float buffer that a compare-exchange loop updates; "
                "SPIR-V's compare-exchange is integer-only, so the buffer is "
                "retyped to " << newType
             << ", which only loads, stores and atomics can follow";
  }
  if (auto arg = dyn_cast<BlockArgument>(root);
      arg && !isa<gpu::GPUFuncOp>(arg.getOwner()->getParentOp()))
    return arg.getOwner()->getParentOp()->emitOpError()
           << "has a float buffer parameter that a compare-exchange loop "
              "updates; SPIR-V's compare-exchange is integer-only and the "
              "buffer would be retyped to "
           << newType
           << " under its callers: do the float atomic in the kernel";
  root.setType(newType);
  if (auto arg = dyn_cast<BlockArgument>(root)) {
    auto fn = cast<FunctionOpInterface>(arg.getOwner()->getParentOp());
    SmallVector<Type> inputs(fn.getArgumentTypes());
    inputs[arg.getArgNumber()] = newType;
    fn.setType(FunctionType::get(root.getContext(), inputs,
                                 fn.getResultTypes()));
  }
  for (Operation *user : llvm::make_early_inc_range(root.getUsers())) {
    OpBuilder b(user);
    Location loc = user->getLoc();
    llvm::TypeSwitch<Operation *>(user)
        .Case<memref::LoadOp>([&](memref::LoadOp load) {
          b.setInsertionPointAfter(load);
          load.getResult().setType(bitsType);
          auto cast = arith::BitcastOp::create(b, loc, floatType, load);
          load.getResult().replaceAllUsesExcept(cast, cast);
        })
        .Case<memref::StoreOp>([&](memref::StoreOp store) {
          store->setOperand(0, arith::BitcastOp::create(b, loc, bitsType,
                                                        store.getValue()));
        })
        .Case<memref::AtomicRMWOp>([&](memref::AtomicRMWOp rmw) {
          Value v = rmw.getValue();
          if (rmw.getKind() == arith::AtomicRMWKind::assign) {
            Value bits = arith::BitcastOp::create(b, loc, bitsType, v);
            auto x = memref::AtomicRMWOp::create(
                b, loc, arith::AtomicRMWKind::assign, bits, root,
                rmw.getIndices());
            rmw.replaceAllUsesWith(
                arith::BitcastOp::create(b, loc, floatType, x).getResult());
            rmw.erase();
            return;
          }
          auto generic = memref::GenericAtomicRMWOp::create(
              b, loc, root, rmw.getIndices());
          OpBuilder::InsertionGuard guard(b);
          b.setInsertionPointToEnd(generic.getBody());
          Value old = arith::BitcastOp::create(b, loc, floatType,
                                               generic.getCurrentValue());
          Value next =
              arith::getReductionOp(rmw.getKind(), b, loc, old, v);
          memref::AtomicYieldOp::create(
              b, loc, arith::BitcastOp::create(b, loc, bitsType, next));
          b.setInsertionPointAfter(generic);
          rmw.replaceAllUsesWith(
              arith::BitcastOp::create(b, loc, floatType, generic.getResult())
                  .getResult());
          rmw.erase();
        })
        .Case<memref::GenericAtomicRMWOp>([&](memref::GenericAtomicRMWOp g) {
          // The body's current value becomes the bits; the result too.
          Block *body = g.getBody();
          Value current = g.getCurrentValue();
          current.setType(bitsType);
          b.setInsertionPointToStart(body);
          auto asFloat = arith::BitcastOp::create(b, loc, floatType, current);
          current.replaceAllUsesExcept(asFloat, asFloat);
          Operation *yield = body->getTerminator();
          b.setInsertionPoint(yield);
          yield->setOperand(0, arith::BitcastOp::create(b, loc, bitsType,
                                                        yield->getOperand(0)));
          b.setInsertionPointAfter(g);
          g.getResult().setType(bitsType);
          auto result = arith::BitcastOp::create(b, loc, floatType, g);
          g.getResult().replaceAllUsesExcept(result, result);
        });
  }
  return success();
}

/// Retypes every float buffer that needs a compare-exchange loop; reports
/// 64-bit atomics the target environment cannot express.
LogicalResult retypeFloatAtomicBuffers(gpu::GPUModuleOp module,
                                       const spirv::TargetEnv &env) {
  SetVector<Value> roots;
  bool ok = true;
  module.walk([&](Operation *op) {
    Type element;
    if (auto rmw = dyn_cast<memref::AtomicRMWOp>(op))
      element = rmw.getType();
    else if (auto g = dyn_cast<memref::GenericAtomicRMWOp>(op))
      element = g.getResult().getType();
    else
      return;
    if (element.getIntOrFloatBitWidth() == 64 &&
        !env.allows(spirv::Capability::Int64Atomics)) {
      op->emitOpError()
          << "is a 64-bit atomic; SPIR-V needs the Int64Atomics capability "
             "for it, which this target environment does not list (add it "
             "to the caps, e.g. --kernel-spirv-caps, when the device has "
             "shaderBufferInt64Atomics)";
      ok = false;
    }
  });
  if (!ok)
    return failure();
  auto addRoot = [&](Operation *op, Value memref) {
    if (!isa<FloatType>(cast<MemRefType>(memref.getType()).getElementType()))
      return;
    auto arg = dyn_cast<BlockArgument>(memref);
    bool isParam =
        arg && arg.getOwner()->isEntryBlock() &&
        isa<FunctionOpInterface>(arg.getOwner()->getParentOp());
    if (!isParam && !memref.getDefiningOp<memref::AllocOp>()) {
      op->emitOpError("is a float atomic that needs a compare-exchange loop "
                      "on SPIR-V; its buffer must be a kernel parameter or a "
                      "shared allocation (to be retyped to integers)");
      ok = false;
      return;
    }
    roots.insert(memref);
  };
  module.walk([&](Operation *op) {
    if (auto rmw = dyn_cast<memref::AtomicRMWOp>(op)) {
      if (isa<FloatType>(rmw.getType()) && !nativeFloatAtomic(rmw, env))
        addRoot(op, rmw.getMemref());
    } else if (auto g = dyn_cast<memref::GenericAtomicRMWOp>(op)) {
      addRoot(op, g.getMemref());
    }
  });
  for (Value root : roots)
    ok &= succeeded(retypeToBits(root));
  return success(ok);
}

struct ConvertKernelGPUToSPIRV
    : public gpuinit::impl::ConvertKernelGPUToSPIRVBase<
          ConvertKernelGPUToSPIRV> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    ModuleOp module = getOperation();
    OpBuilder builder(ctx);
    // Each gpu.module is cloned right before itself (the launches still
    // refer to the original) and the clone is converted into a
    // spirv.module, as upstream's convert-gpu-to-spirv does for Vulkan.
    SmallVector<gpu::GPUModuleOp> clones;
    module.walk([&](gpu::GPUModuleOp gpuModule) {
      spirv::TargetEnv env(spirv::lookupTargetEnvOrDefault(gpuModule));
      if (env.allows(spirv::Capability::Kernel)) {
        gpuModule.emitError("convert-kernel-gpu-to-spirv converts Vulkan "
                            "(Shader) modules; this one targets OpenCL "
                            "(Kernel capability)");
        return signalPassFailure();
      }
      builder.setInsertionPoint(gpuModule);
      clones.push_back(cast<gpu::GPUModuleOp>(builder.clone(*gpuModule)));
    });
    for (gpu::GPUModuleOp clone : clones) {
      spirv::TargetEnvAttr envAttr = spirv::lookupTargetEnvOrDefault(clone);
      spirv::MemorySpaceToStorageClassConverter storage(
          spirv::mapMemorySpaceToVulkanStorageClass);
      spirv::convertMemRefTypesAndAttrs(clone, storage);
      if (failed(retypeFloatAtomicBuffers(clone, spirv::TargetEnv(envAttr))))
        return signalPassFailure();
      std::unique_ptr<ConversionTarget> target =
          SPIRVConversionTarget::get(envAttr);
      SPIRVConversionOptions options;
      SPIRVTypeConverter converter(envAttr, options);
      RewritePatternSet patterns(ctx);
      populateGPUToSPIRVPatterns(converter, patterns);
      ScfToSPIRVContext scfContext;
      populateSCFToSPIRVPatterns(converter, scfContext, patterns);
      arith::populateArithToSPIRVPatterns(converter, patterns);
      populateMemRefToSPIRVPatterns(converter, patterns);
      populateFuncToSPIRVPatterns(converter, patterns);
      // func.func (device functions) to spirv.func.
      populateBuiltinFuncToSPIRVPatterns(converter, patterns);
      populateVectorToSPIRVPatterns(converter, patterns);
      patterns.add<AtomicRMWPattern, GenericAtomicRMWPattern>(converter, ctx);
      if (failed(applyFullConversion(clone, *target, std::move(patterns))))
        return signalPassFailure();
    }
  }
};

} // namespace
