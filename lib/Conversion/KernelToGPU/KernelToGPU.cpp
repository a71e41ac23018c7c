//===- KernelToGPU.cpp - kernel dialect to upstream gpu -------------------===//
//
// convert-kernel-to-gpu: kernel.module/kernel.func become gpu.module/gpu.func
// and the kernel ops their upstream gpu, memref, nvvm, nvgpu or spirv
// equivalents (the table is in dialects/conversion/ConversionPasses.td). The
// target in each kernel's metadata decides target-specific lowerings; a
// primitive the target cannot express is an error naming op and target.
//
//===----------------------------------------------------------------------===//
#include "gpuinit/Conversion/KernelAtomics.h"
#include "gpuinit/Conversion/KernelCommon.h"
#include "gpuinit/Conversion/Passes.h"
#include "gpuinit/Dialect/Kernel/IR/Kernel.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMAttrs.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Interfaces/LoopLikeInterface.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/SPIRV/IR/SPIRVDialect.h"
#include "mlir/Dialect/SPIRV/IR/SPIRVOps.h"
#include "mlir/Dialect/SPIRV/IR/TargetAndABI.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/StringMap.h"

#include <functional>
#include "llvm/ADT/TypeSwitch.h"

namespace gpuinit {
#define GEN_PASS_DEF_CONVERTKERNELTOGPU
#include "conversion/ConversionPasses.h.inc"
} // namespace gpuinit

using namespace mlir;
using namespace gpuinit;
using namespace gpuinit::kernel;

namespace {

gpu::Dimension toGpu(Dim d) {
  switch (d) {
  case Dim::x:
    return gpu::Dimension::x;
  case Dim::y:
    return gpu::Dimension::y;
  case Dim::z:
    return gpu::Dimension::z;
  }
  llvm_unreachable("unknown dimension");
}

/// "cuda sm_90", "vulkan 1.1" or "cpu", for messages.
std::string describe(TargetAttr target) {
  if (target.isCUDA())
    return "cuda " + target.getChipName();
  if (target.isVulkan())
    return "vulkan " + std::to_string(target.getVersion() / 10) + "." +
           std::to_string(target.getVersion() % 10);
  return "cpu";
}

gpu::MMAMatrixType mmaType(FragmentType type);

/// The subgroup sizes the warp ops of a Vulkan kernel can run with: at
/// least the widest `shuffle ... width W`, at most 32 with a vote (its
/// ballot is 32 bits wide), over the kernel and the device functions it
/// calls. Recorded on the kernel's gpu.func as
/// `gpuinit.subgroup_size = array<i32: min, max>` (max 0: no bound); the
/// SPIR-V emission carries it to the runtime.
struct SubgroupNeeds {
  uint32_t min = 1;
  uint32_t max = 0;
  bool any() const { return min > 1 || max != 0; }
  void merge(const SubgroupNeeds &o) {
    min = std::max(min, o.min);
    if (o.max)
      max = max ? std::min(max, o.max) : o.max;
  }
};

/// Lowers the ops of one function body (a gpu.func or func.func in a
/// gpu.module) for `target`.
class BodyLowering {
public:
  BodyLowering(TargetAttr target, OpBuilder &b, SubgroupNeeds &needs)
      : target(target), b(b), needs(needs) {}

  LogicalResult run(Region &body);

private:
  InFlightDiagnostic unsupported(Operation *op, StringRef why = {}) {
    InFlightDiagnostic diag = op->emitOpError()
                              << "is not supported for target "
                              << describe(target);
    if (!why.empty())
      diag << ": " << why;
    return diag;
  }
  LogicalResult lower(Operation *op);
  LogicalResult lowerAtomic(AtomicOp op);
  LogicalResult lowerVote(VoteOp op);
  /// The lanes of the warp executing here (PTX activemask): votes and match
  /// combine the active lanes, as on Vulkan, rather than requiring all 32.
  Value activeMask(Location loc) {
    return LLVM::CallIntrinsicOp::create(b, loc, b.getI32Type(),
                                         b.getStringAttr("llvm.nvvm.activemask"),
                                         ValueRange())
        .getResult(0);
  }
  LogicalResult lowerShuffle(ShuffleOp op);
  LogicalResult lowerFence(FenceOp op);
  LogicalResult lowerAsyncCopy(AsyncCopyOp op);

  TargetAttr target;
  OpBuilder &b;
  SubgroupNeeds &needs;
};

LogicalResult BodyLowering::run(Region &body) {
  // Fragments also flow through block arguments and the results of
  // structured ops (an accumulator carried by scf.for): those values take
  // the upstream MMA matrix type in place; the kernel ops that produce and
  // consume fragments are rewritten below.
  if (target.isCUDA()) {
    auto retype = [](Value v) {
      if (auto fragment = dyn_cast<FragmentType>(v.getType()))
        v.setType(mmaType(fragment));
    };
    body.walk([&](Operation *op) {
      for (Region &region : op->getRegions())
        for (Block &block : region)
          for (BlockArgument arg : block.getArguments())
            retype(arg);
      if (!isa<MMALoadOp, MMAComputeOp>(op))
        for (Value result : op->getResults())
          retype(result);
    });
  }
  SmallVector<Operation *> ops;
  body.walk([&](Operation *op) {
    if (op->getDialect() &&
        op->getDialect()->getNamespace() == KernelDialect::getDialectNamespace())
      ops.push_back(op);
  });
  bool ok = true;
  for (Operation *op : ops)
    ok &= succeeded(lower(op));
  return success(ok);
}

LogicalResult BodyLowering::lowerFence(FenceOp op) {
  b.setInsertionPoint(op);
  if (target.isCUDA()) {
    NVVM::MemScopeKind scope;
    switch (op.getScope()) {
    case Scope::thread:
    case Scope::block:
      scope = NVVM::MemScopeKind::CTA;
      break;
    case Scope::device:
      scope = NVVM::MemScopeKind::GPU;
      break;
    case Scope::system:
      scope = NVVM::MemScopeKind::SYS;
      break;
    }
    NVVM::MembarOp::create(b, op.getLoc(), scope);
    op.erase();
    return success();
  }
  if (target.isVulkan()) {
    if (op.getScope() == Scope::system)
      return unsupported(op, "Vulkan has no system-scope memory barrier");
    spirv::Scope scope = op.getScope() == Scope::device
                             ? spirv::Scope::Device
                             : spirv::Scope::Workgroup;
    auto semantics = spirv::MemorySemantics::AcquireRelease |
                     spirv::MemorySemantics::UniformMemory |
                     spirv::MemorySemantics::WorkgroupMemory;
    spirv::MemoryBarrierOp::create(b, op.getLoc(), scope, semantics);
    op.erase();
    return success();
  }
  return unsupported(op);
}

LogicalResult BodyLowering::lowerAtomic(AtomicOp op) {
  Type type = op.getValue().getType();
  bool isFloat = isa<FloatType>(type);
  if (op.getScope() == Scope::system)
    return unsupported(op, "system-scope atomics have no upstream lowering");
  if (target.isVulkan() && isFloat && !type.isF32())
    return unsupported(op, "floating-point atomics on Vulkan are f32 only "
                           "(compare-exchange on 32-bit words, or "
                           "SPV_EXT_shader_atomic_float_add)");
  lowerAtomicToMemRef(b, op);
  return success();
}

LogicalResult BodyLowering::lowerVote(VoteOp op) {
  b.setInsertionPoint(op);
  Location loc = op.getLoc();
  if (target.isCUDA()) {
    Value all = activeMask(loc);
    NVVM::VoteSyncKind kind = op.getKind() == VoteKind::ballot
                                  ? NVVM::VoteSyncKind::ballot
                              : op.getKind() == VoteKind::any
                                  ? NVVM::VoteSyncKind::any
                                  : NVVM::VoteSyncKind::all;
    auto vote = NVVM::VoteSyncOp::create(b, loc, op.getResult().getType(), all,
                                         op.getPredicate(), kind);
    op.getResult().replaceAllUsesWith(vote.getResult());
    op.erase();
    return success();
  }
  if (target.isVulkan()) {
    // The dialect's ballot is 32 bits wide: lanes past 32 would be lost.
    needs.max = needs.max ? std::min(needs.max, 32u) : 32u;
    Value result;
    switch (op.getKind()) {
    case VoteKind::ballot: {
      auto vec = VectorType::get({4}, b.getI32Type());
      Value ballot = spirv::GroupNonUniformBallotOp::create(
          b, loc, vec, spirv::Scope::Subgroup, op.getPredicate());
      // Lanes 0..31: the first word (the dialect's ballot is 32 bits wide).
      result = vector::ExtractOp::create(b, loc, ballot, ArrayRef<int64_t>{0});
      break;
    }
    case VoteKind::any:
      result = spirv::GroupNonUniformAnyOp::create(
          b, loc, b.getI1Type(), spirv::Scope::Subgroup, op.getPredicate());
      break;
    case VoteKind::all:
      result = spirv::GroupNonUniformAllOp::create(
          b, loc, b.getI1Type(), spirv::Scope::Subgroup, op.getPredicate());
      break;
    }
    op.getResult().replaceAllUsesWith(result);
    op.erase();
    return success();
  }
  return unsupported(op);
}

LogicalResult BodyLowering::lowerShuffle(ShuffleOp op) {
  b.setInsertionPoint(op);
  Location loc = op.getLoc();
  std::optional<uint32_t> width = op.getWidth();
  if (!target.isVulkan()) {
    // CUDA: a warp is 32 lanes.
    gpu::ShuffleMode mode = op.getMode() == ShuffleMode::idx ? gpu::ShuffleMode::IDX
                            : op.getMode() == ShuffleMode::up ? gpu::ShuffleMode::UP
                            : op.getMode() == ShuffleMode::down
                                ? gpu::ShuffleMode::DOWN
                                : gpu::ShuffleMode::XOR;
    Value w = arith::ConstantOp::create(
        b, loc, b.getI32IntegerAttr(int32_t(width.value_or(32))));
    auto shuffle =
        gpu::ShuffleOp::create(b, loc, op.getValue(), op.getOffset(), w, mode);
    op.getResult().replaceAllUsesWith(shuffle.getShuffleResult());
    op.getValid().replaceAllUsesWith(shuffle.getValid());
    op.erase();
    return success();
  }
  // Vulkan: a warp is a subgroup of the device's size. Upstream's gpu.shuffle
  // lowering needs the width to equal a subgroup size fixed at compile time;
  // here the source lane is computed from the lane id and the group width
  // (the subgroup size without `width`) and read with a plain subgroup
  // shuffle, so the code is right for every subgroup of at least `width`
  // lanes (recorded for the runtime to check).
  if (width)
    needs.min = std::max(needs.min, *width);
  Type i32 = b.getI32Type();
  Value lane = arith::IndexCastUIOp::create(b, loc, i32,
                                            gpu::LaneIdOp::create(b, loc, IntegerAttr()));
  Value w = width ? arith::ConstantOp::create(b, loc,
                                              b.getI32IntegerAttr(*width))
                        .getResult()
                  : arith::IndexCastUIOp::create(
                        b, loc, i32, gpu::SubgroupSizeOp::create(b, loc, IntegerAttr()))
                        .getResult();
  Value inGroup = lane, base;
  if (width) {
    Value mask =
        arith::ConstantOp::create(b, loc, b.getI32IntegerAttr(*width - 1));
    inGroup = arith::AndIOp::create(b, loc, lane, mask);
    base = arith::SubIOp::create(b, loc, lane, inGroup);
  }
  auto [src, valid] =
      shuffleSource(b, loc, op.getMode(), inGroup, op.getOffset(), w);
  if (base)
    src = arith::AddIOp::create(b, loc, base, src);
  // An invalid source reads the lane's own value, as on CUDA.
  Value from = arith::SelectOp::create(b, loc, valid, src, lane);
  Value result = spirv::GroupNonUniformShuffleOp::create(
      b, loc, spirv::Scope::Subgroup, op.getValue(), from);
  op.getResult().replaceAllUsesWith(result);
  op.getValid().replaceAllUsesWith(valid);
  op.erase();
  return success();
}

LogicalResult BodyLowering::lowerAsyncCopy(AsyncCopyOp op) {
  b.setInsertionPoint(op);
  Location loc = op.getLoc();
  if (target.isCUDA()) {
    nvgpu::DeviceAsyncCopyOp::create(
        b, loc, op.getDst(), op.getDstIndices(), op.getSrc(),
        op.getSrcIndices(), b.getIndexAttr(op.getCount()), Value(),
        UnitAttr());
    op.erase();
    return success();
  }
  lowerAsyncCopyInline(b, op);
  return success();
}

gpu::MMAMatrixType mmaType(FragmentType type) {
  StringRef role = type.getOperand() == MMAOperand::a   ? "AOp"
                   : type.getOperand() == MMAOperand::b ? "BOp"
                                                        : "COp";
  return gpu::MMAMatrixType::get({type.getRows(), type.getCols()},
                                 type.getElementType(), role);
}

LogicalResult BodyLowering::lower(Operation *op) {
  Location loc = op->getLoc();
  b.setInsertionPoint(op);
  auto replace = [&](Value v) {
    op->getResult(0).replaceAllUsesWith(v);
    op->erase();
    return success();
  };
  return llvm::TypeSwitch<Operation *, LogicalResult>(op)
      .Case<ThreadIdOp>([&](auto o) {
        return replace(gpu::ThreadIdOp::create(b, loc, toGpu(o.getDimension())));
      })
      .Case<BlockIdOp>([&](auto o) {
        return replace(gpu::BlockIdOp::create(b, loc, toGpu(o.getDimension())));
      })
      .Case<BlockDimOp>([&](auto o) {
        return replace(gpu::BlockDimOp::create(b, loc, toGpu(o.getDimension())));
      })
      .Case<GridDimOp>([&](auto o) {
        return replace(gpu::GridDimOp::create(b, loc, toGpu(o.getDimension())));
      })
      .Case<BarrierOp>([&](auto o) {
        gpu::BarrierOp::create(b, loc);
        o.erase();
        return success();
      })
      .Case<FenceOp>([&](auto o) { return lowerFence(o); })
      .Case<DynamicSharedOp>([&](DynamicSharedOp o) {
        return replace(gpu::DynamicSharedMemoryOp::create(
            b, loc, cast<MemRefType>(o.getMemref().getType())));
      })
      .Case<AtomicOp>([&](auto o) { return lowerAtomic(o); })
      .Case<AtomicCASOp>([&](AtomicCASOp o) -> LogicalResult {
        lowerAtomicCASToMemRef(b, o);
        return success();
      })
      .Case<ShuffleOp>([&](ShuffleOp o) { return lowerShuffle(o); })
      .Case<WarpSizeOp>([&](WarpSizeOp o) {
        if (target.isVulkan())
          return replace(gpu::SubgroupSizeOp::create(b, loc, IntegerAttr()));
        return replace(arith::ConstantIndexOp::create(b, loc, 32));
      })
      .Case<LaneIdOp>([&](LaneIdOp o) {
        return replace(gpu::LaneIdOp::create(b, loc, IntegerAttr()));
      })
      .Case<VoteOp>([&](auto o) { return lowerVote(o); })
      .Case<MatchAnyOp>([&](MatchAnyOp o) -> LogicalResult {
        if (!target.isCUDA())
          return unsupported(o, "warp match is an NVVM-only primitive");
        Type type = o.getValue().getType();
        Value v = o.getValue();
        if (type.isF32())
          v = arith::BitcastOp::create(b, loc, b.getI32Type(), v);
        else if (type.isF64())
          v = arith::BitcastOp::create(b, loc, b.getI64Type(), v);
        Value all = activeMask(loc);
        auto match = NVVM::MatchSyncOp::create(b, loc, b.getI32Type(), all, v,
                                               NVVM::MatchSyncKind::any);
        return replace(match.getRes());
      })
      .Case<MMALoadOp>([&](MMALoadOp o) -> LogicalResult {
        if (!target.isCUDA())
          return unsupported(o, "tensor-core MMA is an NVVM-only primitive");
        auto type = cast<FragmentType>(o.getFragment().getType());
        auto load = gpu::SubgroupMmaLoadMatrixOp::create(
            b, loc, mmaType(type), o.getMemref(), o.getIndices(),
            b.getIndexAttr(o.getStride()),
            type.getLayout() == MMALayout::col ? b.getUnitAttr() : UnitAttr());
        return replace(load.getRes());
      })
      .Case<MMAComputeOp>([&](MMAComputeOp o) -> LogicalResult {
        if (!target.isCUDA())
          return unsupported(o, "tensor-core MMA is an NVVM-only primitive");
        auto compute = gpu::SubgroupMmaComputeOp::create(
            b, loc, mmaType(cast<FragmentType>(o.getResult().getType())),
            o.getA(), o.getB(), o.getC(), UnitAttr(), UnitAttr());
        return replace(compute.getRes());
      })
      .Case<MMAStoreOp>([&](MMAStoreOp o) -> LogicalResult {
        if (!target.isCUDA())
          return unsupported(o, "tensor-core MMA is an NVVM-only primitive");
        auto type = cast<FragmentType>(o.getFragment().getType());
        gpu::SubgroupMmaStoreMatrixOp::create(
            b, loc, o.getFragment(), o.getMemref(), o.getIndices(),
            b.getIndexAttr(o.getStride()),
            type.getLayout() == MMALayout::col ? b.getUnitAttr() : UnitAttr());
        o.erase();
        return success();
      })
      .Case<AsyncCopyOp>([&](auto o) { return lowerAsyncCopy(o); })
      .Case<AsyncCommitOp>([&](AsyncCommitOp o) {
        if (target.isCUDA())
          nvgpu::DeviceAsyncCreateGroupOp::create(
              b, loc, nvgpu::DeviceAsyncTokenType::get(b.getContext()),
              ValueRange());
        o.erase();
        return success();
      })
      .Case<AsyncWaitOp>([&](AsyncWaitOp o) {
        if (target.isCUDA()) {
          // Waits until at most `pending` groups are still in flight.
          auto group = nvgpu::DeviceAsyncCreateGroupOp::create(
              b, loc, nvgpu::DeviceAsyncTokenType::get(b.getContext()),
              ValueRange());
          nvgpu::DeviceAsyncWaitOp::create(
              b, loc, group, b.getI32IntegerAttr(int32_t(o.getPending())));
        }
        o.erase();
        return success();
      })
      .Case<CallOp>([&](CallOp o) {
        auto call = func::CallOp::create(b, loc, o.getCalleeAttr(),
                                         o->getResultTypes(), o->getOperands());
        o->replaceAllUsesWith(call);
        o.erase();
        return success();
      })
      .Default([&](Operation *o) {
        return o->emitOpError("has no lowering in convert-kernel-to-gpu");
      });
}

/// Vulkan: SPIR-V addresses a multi-dimensional buffer through strides fixed
/// in the module, so a dynamically shaped memref parameter of rank > 1
/// becomes a 1-D buffer (`memref<?xT>`, row-major) plus one hidden `index`
/// parameter per dynamic size, appended after the declared parameters in
/// order; loads, stores and atomics index it linearly and memref.dim reads
/// the sizes. Any other use is an error naming it.
LogicalResult flattenDynamicParams(gpu::GPUFuncOp fn) {
  Block &entry = fn.getBody().front();
  unsigned declared = fn.getNumArguments();
  Location loc = fn.getLoc();
  for (unsigned i = 0; i < declared; ++i) {
    Value param = entry.getArgument(i);
    auto type = dyn_cast<MemRefType>(param.getType());
    if (!type || type.getRank() < 2 || type.hasStaticShape())
      continue;
    if (!type.getLayout().isIdentity())
      return fn.emitOpError()
             << "has the dynamically shaped parameter #" << i << " of type "
             << type
             << " with a non-identity layout; the Vulkan lowering flattens "
                "such parameters row-major and needs the identity layout";
    for (Operation *user : param.getUsers())
      if (!isa<memref::LoadOp, memref::StoreOp, memref::AtomicRMWOp,
               memref::GenericAtomicRMWOp, memref::DimOp>(user) ||
          (isa<memref::StoreOp>(user) &&
           cast<memref::StoreOp>(user).getValue() == param))
        return user->emitOpError()
               << "uses the dynamically shaped parameter #" << i << " of type "
               << type
               << ", which the Vulkan lowering flattens to a 1-D buffer with "
                  "hidden sizes; only loads, stores, atomics and memref.dim "
                  "can follow it";
    // The sizes: constants, or new trailing parameters.
    OpBuilder b = OpBuilder::atBlockBegin(&entry);
    SmallVector<Value> sizes;
    for (int64_t d = 0; d < type.getRank(); ++d) {
      if (!type.isDynamicDim(d)) {
        sizes.push_back(
            arith::ConstantIndexOp::create(b, loc, type.getDimSize(d)));
        continue;
      }
      unsigned at = fn.getNumArguments();
      if (failed(fn.insertArgument(at, b.getIndexType(), {}, loc)))
        return fn.emitOpError("cannot add a hidden size parameter");
      sizes.push_back(entry.getArgument(at));
    }
    auto flat = MemRefType::get({ShapedType::kDynamic}, type.getElementType(),
                                MemRefLayoutAttrInterface(),
                                type.getMemorySpace());
    param.setType(flat);
    SmallVector<Type> inputs(fn.getArgumentTypes());
    inputs[i] = flat;
    fn.setType(FunctionType::get(fn.getContext(), inputs, {}));
    auto linear = [&](OpBuilder &ub, Location l, ValueRange indices) {
      Value at = indices.front();
      for (auto [index, size] : llvm::zip(indices.drop_front(),
                                          ArrayRef(sizes).drop_front())) {
        at = arith::MulIOp::create(ub, l, at, size);
        at = arith::AddIOp::create(ub, l, at, index);
      }
      return SmallVector<Value>{at};
    };
    for (Operation *user : llvm::make_early_inc_range(param.getUsers())) {
      OpBuilder ub(user);
      Location l = user->getLoc();
      llvm::TypeSwitch<Operation *>(user)
          .Case<memref::LoadOp>([&](memref::LoadOp op) {
            op.getIndicesMutable().assign(linear(ub, l, op.getIndices()));
          })
          .Case<memref::StoreOp>([&](memref::StoreOp op) {
            op.getIndicesMutable().assign(linear(ub, l, op.getIndices()));
          })
          .Case<memref::AtomicRMWOp>([&](memref::AtomicRMWOp op) {
            op.getIndicesMutable().assign(linear(ub, l, op.getIndices()));
          })
          .Case<memref::GenericAtomicRMWOp>([&](memref::GenericAtomicRMWOp op) {
            op.getIndicesMutable().assign(linear(ub, l, op.getIndices()));
          })
          .Case<memref::DimOp>([&](memref::DimOp op) {
            std::optional<int64_t> d = op.getConstantIndex();
            if (d && *d >= 0 && *d < int64_t(sizes.size())) {
              op.getResult().replaceAllUsesWith(sizes[*d]);
              op.erase();
              return;
            }
            // A dynamic dimension index: select among the sizes.
            Value v = sizes.back();
            for (int64_t k = int64_t(sizes.size()) - 2; k >= 0; --k) {
              Value is = arith::CmpIOp::create(
                  ub, l, arith::CmpIPredicate::eq, op.getIndex(),
                  arith::ConstantIndexOp::create(ub, l, k));
              v = arith::SelectOp::create(ub, l, is, sizes[k], v);
            }
            op.getResult().replaceAllUsesWith(v);
            op.erase();
          });
    }
  }
  return success();
}

struct ConvertKernelToGPU
    : public gpuinit::impl::ConvertKernelToGPUBase<ConvertKernelToGPU> {
  void runOnOperation() override;
  LogicalResult lowerModule(KernelModuleOp module);
  LogicalResult lowerFunc(KernelFuncOp func, gpu::GPUModuleOp into,
                          SubgroupNeeds &needs);
  LogicalResult lowerHost(ModuleOp module);
};

LogicalResult ConvertKernelToGPU::lowerFunc(KernelFuncOp func,
                                           gpu::GPUModuleOp into,
                                           SubgroupNeeds &needs) {
  MLIRContext *ctx = &getContext();
  OpBuilder b(ctx);
  b.setInsertionPointToEnd(into.getBody());
  TargetAttr target = func.getTarget();
  MetadataAttr md = func.getMetadata();
  Location loc = func.getLoc();

  if (func.isDeviceFunction()) {
    auto fn = func::FuncOp::create(b, loc, func.getSymName(),
                                   func.getFunctionType());
    fn.getBody().takeBody(func.getBody());
    fn.walk([&](ReturnOp ret) {
      OpBuilder rb(ret);
      func::ReturnOp::create(rb, ret.getLoc(), ret->getOperands());
      ret.erase();
    });
    BodyLowering lowering(target, b, needs);
    return lowering.run(fn.getBody());
  }

  // Shared allocations become workgroup attributions, in program order. On
  // Vulkan they become memref.alloc in memory space 3 instead, which the
  // SPIR-V lowering turns into Workgroup variables (it cannot lower
  // attributions in #gpu.address_space<workgroup>).
  SmallVector<SharedAllocOp> shared;
  func.walk([&](SharedAllocOp op) { shared.push_back(op); });
  if (target.isVulkan()) {
    for (SharedAllocOp op : shared) {
      auto type = cast<MemRefType>(op.getMemref().getType());
      auto spirvType =
          MemRefType::get(type.getShape(), type.getElementType(),
                          type.getLayout(), b.getI64IntegerAttr(3));
      OpBuilder ab(op);
      auto alloc = memref::AllocOp::create(ab, op.getLoc(), spirvType,
                                           op.getAlignmentAttr());
      op.getMemref().replaceAllUsesWith(alloc.getResult());
      op.erase();
    }
    shared.clear();
  }
  SmallVector<Type> attributions;
  for (SharedAllocOp op : shared)
    attributions.push_back(op.getMemref().getType());

  auto gpuFunc = gpu::GPUFuncOp::create(b, loc, func.getSymName(),
                                        func.getFunctionType(), attributions);
  gpuFunc->setAttr(gpu::GPUDialect::getKernelFuncAttrName(), b.getUnitAttr());
  // CUDA: a fixed workgroup size is PTX .reqntid. The NVVM lowering would
  // turn known_block_size into .maxntid, which ptxas refuses next to
  // .reqntid, so CUDA kernels carry only nvvm.reqntid.
  if (std::optional<std::array<int32_t, 3>> wg = md.getWorkgroup();
      wg && !target.isCUDA())
    gpuFunc.setKnownBlockSizeAttr(b.getDenseI32ArrayAttr(*wg));

  if (target.isCUDA()) {
    if (std::optional<std::array<int32_t, 3>> wg = md.getWorkgroup())
      gpuFunc->setAttr(NVVM::NVVMDialect::getReqntidAttrName(),
                       b.getDenseI32ArrayAttr(*wg));
    // .maxntid and .reqntid exclude each other in PTX; with a fixed
    // workgroup size (which the verifier keeps within the launch bound) the
    // exact .reqntid is emitted.
    if (md.getMaxThreads() && !md.getWorkgroup())
      gpuFunc->setAttr(NVVM::NVVMDialect::getMaxntidAttrName(),
                       b.getDenseI32ArrayAttr({int32_t(*md.getMaxThreads())}));
    if (md.getMinBlocks())
      gpuFunc->setAttr(NVVM::NVVMDialect::getMinctasmAttrName(),
                       b.getI32IntegerAttr(int32_t(*md.getMinBlocks())));
    if (md.getMaxRegisters())
      gpuFunc->setAttr(NVVM::NVVMDialect::getMaxnregAttrName(),
                       b.getI32IntegerAttr(int32_t(*md.getMaxRegisters())));
  } else if (target.isVulkan()) {
    std::optional<std::array<int32_t, 3>> wg = md.getWorkgroup();
    if (!wg)
      return func.emitOpError()
             << "needs a workgroup size for target " << describe(target)
             << " (SPIR-V fixes the LocalSize in the module)";
    gpuFunc->setAttr(spirv::getEntryPointABIAttrName(),
                     spirv::getEntryPointABIAttr(ctx, *wg));
  }

  // Move the body: the entry block's arguments become the gpu.func's; the
  // shared allocations its attributions.
  Block &dst = gpuFunc.getBody().front();
  Block &src = func.getEntryBlock();
  for (auto [i, arg] : llvm::enumerate(src.getArguments()))
    arg.replaceAllUsesWith(dst.getArgument(i));
  for (auto [i, op] : llvm::enumerate(shared)) {
    op.getMemref().replaceAllUsesWith(gpuFunc.getWorkgroupAttributions()[i]);
    op.erase();
  }
  dst.getOperations().splice(dst.end(), src.getOperations());
  Region &region = gpuFunc.getBody();
  region.getBlocks().splice(region.end(), func.getBody().getBlocks(),
                            std::next(func.getBody().begin()),
                            func.getBody().end());
  gpuFunc.walk([&](ReturnOp ret) {
    OpBuilder rb(ret);
    gpu::ReturnOp::create(rb, ret.getLoc());
    ret.erase();
  });
  // hints(unroll = N): LLVM's unroll count on the innermost loops (the
  // annotation travels through scf-to-cf to the loop's back edge). SPIR-V
  // and the CPU backend leave unrolling to the driver / LLVM.
  if (HintsAttr hints = md.getHints();
      hints && hints.getUnroll() && target.isCUDA()) {
    auto annotation = LLVM::LoopAnnotationAttr::get(
        ctx, /*disableNonforced=*/nullptr, /*vectorize=*/nullptr,
        /*interleave=*/nullptr,
        LLVM::LoopUnrollAttr::get(ctx, /*disable=*/nullptr,
                                  b.getI32IntegerAttr(int32_t(*hints.getUnroll())),
                                  /*runtimeDisable=*/nullptr, /*full=*/nullptr,
                                  nullptr, nullptr, nullptr),
        /*unrollAndJam=*/nullptr, /*licm=*/nullptr, /*distribute=*/nullptr,
        /*pipeline=*/nullptr, /*peeled=*/nullptr, /*unswitch=*/nullptr,
        /*mustProgress=*/nullptr, /*isVectorized=*/nullptr,
        /*startLoc=*/nullptr, /*endLoc=*/nullptr, /*parallelAccesses=*/{});
    gpuFunc.walk([&](scf::ForOp loop) {
      bool innermost = !loop.getBody()
                            ->walk([](LoopLikeOpInterface) {
                              return WalkResult::interrupt();
                            })
                            .wasInterrupted();
      if (innermost)
        loop->setAttr("loop_annotation", annotation);
    });
  }
  BodyLowering lowering(target, b, needs);
  if (failed(lowering.run(gpuFunc.getBody())))
    return failure();
  if (target.isVulkan())
    return flattenDynamicParams(gpuFunc);
  return success();
}

LogicalResult ConvertKernelToGPU::lowerModule(KernelModuleOp module) {
  OpBuilder b(module);
  auto gpuModule = gpu::GPUModuleOp::create(b, module.getLoc(),
                                            module.getSymName());
  bool ok = true;
  llvm::StringMap<SubgroupNeeds> needs;
  for (KernelFuncOp func :
       llvm::make_early_inc_range(module.getOps<KernelFuncOp>())) {
    std::string name = func.getSymName().str();
    ok &= succeeded(lowerFunc(func, gpuModule, needs[name]));
  }
  // Each kernel needs what it and the device functions it reaches need.
  // (width <= 32, so min <= max whenever both are set.)
  SymbolTable symbols(gpuModule);
  // SPIR-V for Vulkan forbids cycles in an entry point's call graph.
  if (module.getTarget() && module.getTarget().isVulkan()) {
    DenseMap<Operation *, int> state; // 1: on the path, 2: done
    std::function<bool(Operation *)> acyclic = [&](Operation *fn) {
      int &s = state[fn];
      if (s == 2)
        return true;
      if (s == 1)
        return false;
      s = 1;
      bool ok = true;
      fn->walk([&](func::CallOp call) {
        Operation *callee = symbols.lookup(call.getCallee());
        if (!ok || !callee)
          return;
        if (state[callee] == 1) {
          // This call closes the cycle.
          call.emitOpError()
              << "calls @" << call.getCallee()
              << " recursively; the target " << describe(module.getTarget())
              << " forbids cycles in a kernel's call graph";
          ok = false;
          return;
        }
        ok = acyclic(callee);
      });
      state[fn] = 2;
      return ok;
    };
    for (Operation &fn : gpuModule.getBody()->getOperations())
      if (isa<gpu::GPUFuncOp, func::FuncOp>(fn) && !acyclic(&fn)) {
        ok = false;
        break;
      }
  }
  for (auto kernel : gpuModule.getOps<gpu::GPUFuncOp>()) {
    SubgroupNeeds total;
    SmallVector<Operation *> work = {kernel};
    DenseSet<Operation *> seen;
    while (!work.empty()) {
      Operation *fn = work.pop_back_val();
      if (!seen.insert(fn).second)
        continue;
      total.merge(needs[SymbolTable::getSymbolName(fn).getValue()]);
      fn->walk([&](func::CallOp call) {
        if (Operation *callee = symbols.lookup(call.getCallee()))
          work.push_back(callee);
      });
    }
    if (total.any())
      kernel->setAttr("gpuinit.subgroup_size",
                      b.getDenseI32ArrayAttr({int32_t(total.min),
                                              int32_t(total.max)}));
  }
  module.erase();
  return success(ok);
}

LogicalResult ConvertKernelToGPU::lowerHost(ModuleOp module) {
  bool ok = true;
  SmallVector<Operation *> hostOps;
  module.walk([&](Operation *op) {
    if (isa<AllocOp, FreeOp, CopyOp, LaunchOp, WaitOp>(op))
      hostOps.push_back(op);
    else if (isa<ElementwiseOp, ReduceOp, MatmulOp>(op))
      ok = !(op->emitOpError("is a structured op; run kernel-lower-structured "
                             "before convert-kernel-to-gpu"),
             true);
  });
  for (Operation *op : hostOps) {
    OpBuilder b(op);
    Location loc = op->getLoc();
    llvm::TypeSwitch<Operation *>(op)
        .Case<AllocOp>([&](AllocOp o) {
          auto alloc = gpu::AllocOp::create(
              b, loc, o.getMemref().getType(), Type(), ValueRange(),
              o.getDynamicSizes(), ValueRange(), false);
          o.getMemref().replaceAllUsesWith(alloc.getMemref());
          o.erase();
        })
        .Case<FreeOp>([&](FreeOp o) {
          gpu::DeallocOp::create(b, loc, Type(), ValueRange(), o.getMemref());
          o.erase();
        })
        .Case<CopyOp>([&](CopyOp o) {
          gpu::MemcpyOp::create(b, loc, Type(), ValueRange(), o.getTarget(),
                                o.getSource());
          o.erase();
        })
        .Case<WaitOp>([&](WaitOp o) {
          gpu::WaitOp::create(b, loc, Type(), ValueRange());
          o.erase();
        })
        .Case<LaunchOp>([&](LaunchOp o) {
          SymbolRefAttr ref = o.getKernel();
          gpu::KernelDim3 grid{o.getGridSizeX(), o.getGridSizeY(),
                               o.getGridSizeZ()};
          gpu::KernelDim3 block{o.getBlockSizeX(), o.getBlockSizeY(),
                                o.getBlockSizeZ()};
          // A device buffer in #gpu.address_space<global> matches a kernel
          // parameter without a memory space: cast it to the parameter type.
          SmallVector<Value> args(o.getArgs());
          if (KernelFuncOp callee = o.getKernelFunc()) {
            for (auto [arg, type] :
                 llvm::zip(args, callee.getFunctionType().getInputs()))
              if (arg.getType() != type && isa<MemRefType>(type))
                arg = memref::MemorySpaceCastOp::create(b, loc, type, arg);
            // Vulkan flattens dynamically shaped multi-dimensional
            // parameters and appends their sizes (flattenDynamicParams).
            if (callee.getTarget().isVulkan()) {
              SmallVector<Value> hidden;
              for (Value &arg : args) {
                auto type = dyn_cast<MemRefType>(arg.getType());
                if (!type || type.getRank() < 2 || type.hasStaticShape())
                  continue;
                for (int64_t d = 0; d < type.getRank(); ++d)
                  if (type.isDynamicDim(d))
                    hidden.push_back(memref::DimOp::create(b, loc, arg, d));
                SmallVector<ReassociationIndices> all(1);
                for (int64_t d = 0; d < type.getRank(); ++d)
                  all[0].push_back(d);
                arg = memref::CollapseShapeOp::create(b, loc, arg, all);
              }
              args.append(hidden);
            }
          }
          gpu::LaunchFuncOp::create(b, loc, ref, grid, block,
                                    o.getDynamicSharedMemorySize(), args);
          o.erase();
        });
  }
  return success(ok);
}

void ConvertKernelToGPU::runOnOperation() {
  ModuleOp module = getOperation();
  SmallVector<KernelModuleOp> kernelModules(module.getOps<KernelModuleOp>());
  if (kernelModules.empty() &&
      !module.walk([](Operation *op) {
               return isa<LaunchOp, AllocOp, CopyOp>(op) ? WalkResult::interrupt()
                                                          : WalkResult::advance();
             })
           .wasInterrupted())
    return;
  module->setAttr(gpu::GPUDialect::getContainerModuleAttrName(),
                  UnitAttr::get(&getContext()));
  bool ok = true;
  // Host ops first: the launch verifier looks the kernels up.
  ok &= succeeded(lowerHost(module));
  for (KernelModuleOp km : kernelModules)
    ok &= succeeded(lowerModule(km));
  if (!ok)
    signalPassFailure();
}

} // namespace
