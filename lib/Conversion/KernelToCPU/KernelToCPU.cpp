//===- KernelToCPU.cpp - kernel dialect to host functions (CPU ABI) -------===//
//
// convert-kernel-to-cpu: every kernel.func becomes a func.func following the
// CPU kernel ABI (include/gpuinit/Runtime/CpuKernelABI.h): one call runs one
// workgroup by looping over its threads, and barriers split the body into
// phases. dialects/conversion/ConversionPasses.td states the conventions.
//
//===----------------------------------------------------------------------===//
#include "gpuinit/Conversion/KernelAtomics.h"
#include "gpuinit/Conversion/KernelCommon.h"
#include "gpuinit/Conversion/Passes.h"
#include "gpuinit/Dialect/Kernel/IR/Kernel.h"
#include "gpuinit/Support/PassStatistics.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/MathExtras.h"

namespace gpuinit {
#define GEN_PASS_DEF_CONVERTKERNELTOCPU
#include "conversion/ConversionPasses.h.inc"
} // namespace gpuinit

using namespace mlir;
using namespace gpuinit;
using namespace gpuinit::kernel;

namespace {

/// Marks the outermost loop of each phase (a loop nest over the threads).
constexpr StringLiteral kPhaseAttr = "kernel.cpu_phase";
/// Byte offsets of the fields of gpuinit_cpu_workgroup.
constexpr int32_t kGridOffset = 0, kBlockOffset = 12, kBlockIdOffset = 24,
                  kSharedBytesOffset = 36, kSharedOffset = 40;
/// The longest chain of ops recomputed in a later phase instead of stored.
constexpr unsigned kRematerializeBudget = 16;

/// What the pass reports in its statistics.
struct Counts {
  unsigned kernels = 0, deviceFunctions = 0, phases = 0, perThread = 0,
           rematerialized = 0, shuffles = 0;
};

/// `type` without its memory space (host memory has one kind).
Type stripMemorySpace(Type type) {
  if (auto m = dyn_cast<MemRefType>(type); m && m.getMemorySpace())
    return MemRefType::get(m.getShape(), m.getElementType(), m.getLayout());
  if (auto u = dyn_cast<UnrankedMemRefType>(type); u && u.getMemorySpace())
    return UnrankedMemRefType::get(u.getElementType(), Attribute());
  return type;
}

/// A value a per-thread array can hold.
bool isStorable(Type type) {
  return type.isIntOrIndexOrFloat() || isa<VectorType>(type);
}

/// True when `op` is or contains a kernel.barrier (after shuffle emulation,
/// shuffles are barriers too).
bool containsSync(Operation *op) {
  return op->walk([](BarrierOp) { return WalkResult::interrupt(); })
      .wasInterrupted();
}

/// The values of a kernel body that may differ between the threads of a
/// workgroup: thread ids, the results of atomics, warp ops and calls, loads
/// from private memory (`memref.alloca`: each thread has its own), and
/// everything computed from them (other loads from a uniform address count
/// as uniform).
DenseSet<Value> computeThreadDependence(Region &body) {
  DenseSet<Value> dep;
  bool changed = true;
  auto mark = [&](Value v) {
    if (dep.insert(v).second)
      changed = true;
  };
  auto isDep = [&](Value v) { return dep.contains(v); };
  while (changed) {
    changed = false;
    body.walk([&](Operation *op) {
      if (auto load = dyn_cast<memref::LoadOp>(op);
          load && load.getMemref().getDefiningOp<memref::AllocaOp>()) {
        mark(load.getResult());
        return;
      }
      if (isa<ThreadIdOp, LaneIdOp, AtomicOp, AtomicCASOp, ShuffleOp, VoteOp,
              MatchAnyOp,
              CallOp, MMALoadOp, MMAComputeOp, memref::AtomicRMWOp,
              memref::GenericAtomicRMWOp>(op)) {
        for (Value r : op->getResults())
          mark(r);
        return;
      }
      if (auto f = dyn_cast<scf::ForOp>(op)) {
        bool bounds = isDep(f.getLowerBound()) || isDep(f.getUpperBound()) ||
                      isDep(f.getStep());
        if (bounds)
          mark(f.getInductionVar());
        Operation *yield = f.getBody()->getTerminator();
        for (unsigned j = 0, e = f.getNumResults(); j < e; ++j)
          if (bounds || isDep(f.getInitArgs()[j]) ||
              isDep(yield->getOperand(j))) {
            mark(f.getRegionIterArgs()[j]);
            mark(f.getResult(j));
          }
        return;
      }
      if (auto i = dyn_cast<scf::IfOp>(op)) {
        for (unsigned j = 0, e = i.getNumResults(); j < e; ++j)
          if (isDep(i.getCondition()) || isDep(i.thenYield().getOperand(j)) ||
              (i.elseBlock() && isDep(i.elseYield().getOperand(j))))
            mark(i.getResult(j));
        return;
      }
      bool anyDep = llvm::any_of(op->getOperands(), isDep);
      if (op->getNumRegions() && !anyDep)
        anyDep =
            op->walk([&](Operation *inner) {
                if (inner != op && (llvm::any_of(inner->getOperands(), isDep) ||
                                    llvm::any_of(inner->getResults(), isDep)))
                  return WalkResult::interrupt();
                return WalkResult::advance();
              }).wasInterrupted();
      if (!anyDep)
        return;
      for (Value r : op->getResults())
        mark(r);
      for (Region &region : op->getRegions())
        for (Block &block : region)
          for (BlockArgument arg : block.getArguments())
            mark(arg);
    });
  }
  return dep;
}

/// One guard of a phase: the part of a split scf.if it runs.
struct Guard {
  Value condition;
  bool negated;
};

/// A phase: loops over the threads z, y, x.
struct ThreadLoop {
  scf::ForOp x, y, z;
  Value linear;
};

/// Lowers one kernel.func (a kernel or a device function) into a func.func.
class FunctionLowering {
public:
  FunctionLowering(KernelFuncOp kf, Block &into, Counts &counts)
      : kf(kf), into(into), counts(counts), ctx(kf.getContext()),
        loc(kf.getLoc()), b(kf.getContext()) {}

  /// `void @name(ptr args, ptr wg)` running one workgroup.
  LogicalResult lowerKernel();
  /// A private function taking the parameters, then wg and the thread ids.
  LogicalResult lowerDeviceFunction();

private:
  InFlightDiagnostic unsupported(Operation *op, StringRef why) {
    return op->emitOpError() << "is not supported for target cpu: " << why;
  }
  /// Errors for the primitives the host cannot run.
  LogicalResult checkSupported();
  /// Errors for barriers and shuffles where no phase can end.
  LogicalResult validateSyncs(const DenseSet<Value> &dep);

  // The prologue: values computed once per call, before the first phase.
  template <typename Fn> Value prologue(Fn &&build) {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(marker);
    Value v = build(b);
    serialOps.insert(v.getDefiningOp());
    return v;
  }
  /// A prologue index constant.
  Value index(int64_t v);
  /// The prologue value of a wg field (`offset`) element `dim`, as index.
  Value wgField(int32_t offset, unsigned dim);
  Value blockDim(unsigned dim) { return wgField(kBlockOffset, dim); }
  /// block[0] * block[1] * block[2], the length of per-thread arrays.
  Value numThreads();
  Value descriptor(OpBuilder &b, Value base, MemRefType type,
                   ArrayRef<Value> sizes);
  LogicalResult loadArguments(Block &entry);
  Value linearThreadId(OpBuilder &b);

  // Kernel ops with a local lowering.
  LogicalResult lowerOps(Region &body, bool kernel);
  LogicalResult lowerAtomic(AtomicOp op);
  void emulateShuffle(ShuffleOp op);
  void emulateWarpScan(Operation *op, Value value);

  // Phases: restructure() builds them, replaceThreadIds() and
  // fixCrossPhaseValues() reconnect the values, removeDeadPhases() tidies.
  LogicalResult demoteCarried(Operation *op);
  LogicalResult restructure(Block &src, Operation *before,
                            SmallVectorImpl<Guard> &guards);
  void flush(SmallVectorImpl<Operation *> &segment, Operation *before,
             ArrayRef<Guard> guards);
  bool isSerial(Value v) const;
  bool isHoistable(Operation *op, bool unguarded) const;
  /// The outermost loop of the phase holding `op`, null at the serial level.
  Operation *threadLoopOf(Operation *op);
  /// The linear thread id in phase `z` (created on first use).
  Value linearOf(Operation *z);
  LogicalResult replaceThreadIds();
  LogicalResult fixCrossPhaseValues();
  void removeDeadPhases();
  LogicalResult keepPerThread(Value v, Operation *z,
                              ArrayRef<OpOperand *> foreign);
  bool collectRematerializable(Value v, SmallVectorImpl<Operation *> &chain,
                               DenseSet<Operation *> &seen, unsigned &budget);
  void stripMemorySpaces();

  KernelFuncOp kf;
  Block &into;
  Counts &counts;
  MLIRContext *ctx;
  Location loc;
  OpBuilder b;

  func::FuncOp fn;
  Value argsPtr, wg;
  /// Device functions: the caller's thread ids.
  Value tidArgs[3];
  /// Prologue values are inserted before it; erased at the end.
  Operation *marker = nullptr;
  DenseMap<int64_t, Value> constants;
  DenseMap<int32_t, Value> fields;
  Value threadCount;

  /// Ops and blocks at the serial level (outside the thread loops).
  DenseSet<Operation *> serialOps;
  DenseSet<Block *> serialBlocks;
  /// Phases in creation order, keyed by their outermost loop.
  SmallVector<Operation *> phaseOrder;
  DenseMap<Operation *, ThreadLoop> phases;
  /// The thread-loop induction variables: (outermost loop, dimension).
  DenseMap<Value, std::pair<Operation *, unsigned>> threadIVs;
  /// The stores of emulated shuffles into their per-thread arrays.
  DenseSet<Operation *> laneStores;
};

Value FunctionLowering::index(int64_t v) {
  Value &c = constants[v];
  if (!c)
    c = prologue([&](OpBuilder &b) {
      return arith::ConstantIndexOp::create(b, loc, v).getResult();
    });
  return c;
}

/// A 32-bit field of *wg as an index.
Value FunctionLowering::wgField(int32_t offset, unsigned dim) {
  int32_t at = offset + 4 * int32_t(dim);
  Value &v = fields[at];
  if (!v)
    v = prologue([&](OpBuilder &b) -> Value {
      auto ptrType = LLVM::LLVMPointerType::get(ctx);
      Value p = LLVM::GEPOp::create(b, loc, ptrType, b.getI8Type(), wg,
                                    ArrayRef<LLVM::GEPArg>{at});
      Value x = LLVM::LoadOp::create(b, loc, b.getI32Type(), p);
      return arith::IndexCastUIOp::create(b, loc, b.getIndexType(), x);
    });
  return v;
}

Value FunctionLowering::numThreads() {
  if (!threadCount) {
    Value x = blockDim(0), y = blockDim(1), z = blockDim(2);
    threadCount = prologue([&](OpBuilder &b) -> Value {
      Value xy = arith::MulIOp::create(b, loc, x, y);
      return arith::MulIOp::create(b, loc, xy, z);
    });
  }
  return threadCount;
}

/// A memref of `type` over the memory at `base` (offset 0), with `sizes`
/// (index values) for its dynamic dimensions in order: the LLVM descriptor
/// built field by field and cast to the memref type (the LLVM lowering's own
/// layout, which reconcile-unrealized-casts then matches).
Value FunctionLowering::descriptor(OpBuilder &b, Value base, MemRefType type,
                                   ArrayRef<Value> sizes) {
  auto ptrType = LLVM::LLVMPointerType::get(ctx);
  Type i64 = b.getI64Type();
  int64_t rank = type.getRank();
  SmallVector<Type> members = {ptrType, ptrType, i64};
  if (rank) {
    members.push_back(LLVM::LLVMArrayType::get(i64, rank));
    members.push_back(LLVM::LLVMArrayType::get(i64, rank));
  }
  auto constant = [&](int64_t v) -> Value {
    return LLVM::ConstantOp::create(b, loc, i64, v);
  };
  SmallVector<Value> dims;
  unsigned next = 0;
  for (int64_t d = 0; d < rank; ++d)
    dims.push_back(type.isDynamicDim(d) ? Value(arith::IndexCastOp::create(
                                              b, loc, i64, sizes[next++]))
                                        : constant(type.getDimSize(d)));
  SmallVector<Value> strides(rank);
  int64_t offset = 0;
  if (type.getLayout().isIdentity()) {
    // Row-major: the innermost stride is 1, each outer one the product of
    // the sizes inside it.
    int64_t known = 1;
    Value stride;
    for (int64_t d = rank - 1; d >= 0; --d) {
      strides[d] = stride ? stride : constant(known);
      if (d == 0)
        break;
      if (!type.isDynamicDim(d) && !stride) {
        known *= type.getDimSize(d);
        continue;
      }
      stride = arith::MulIOp::create(b, loc, strides[d], dims[d]);
    }
  } else {
    SmallVector<int64_t> staticStrides;
    (void)type.getStridesAndOffset(staticStrides, offset);
    for (int64_t d = 0; d < rank; ++d)
      strides[d] = constant(staticStrides[d]);
  }
  auto structType = LLVM::LLVMStructType::getLiteral(ctx, members);
  Value desc = LLVM::PoisonOp::create(b, loc, structType);
  desc = LLVM::InsertValueOp::create(b, loc, desc, base, ArrayRef<int64_t>{0});
  desc = LLVM::InsertValueOp::create(b, loc, desc, base, ArrayRef<int64_t>{1});
  desc = LLVM::InsertValueOp::create(b, loc, desc, constant(offset),
                                     ArrayRef<int64_t>{2});
  for (int64_t d = 0; d < rank; ++d) {
    desc = LLVM::InsertValueOp::create(b, loc, desc, dims[d],
                                       ArrayRef<int64_t>{3, d});
    desc = LLVM::InsertValueOp::create(b, loc, desc, strides[d],
                                       ArrayRef<int64_t>{4, d});
  }
  return UnrealizedConversionCastOp::create(b, loc, TypeRange{type}, desc)
      .getResult(0);
}

/// Reads the kernel's parameters from `args` (see the pass description) and
/// replaces the entry block's arguments with them.
LogicalResult FunctionLowering::loadArguments(Block &entry) {
  auto ptrType = LLVM::LLVMPointerType::get(ctx);
  unsigned hidden = entry.getNumArguments();
  bool ok = true;
  for (BlockArgument arg : entry.getArguments()) {
    Type type = arg.getType();
    unsigned i = arg.getArgNumber();
    auto slot = [&](OpBuilder &b, unsigned n) -> Value {
      Value p = LLVM::GEPOp::create(b, loc, ptrType, ptrType, argsPtr,
                                    ArrayRef<LLVM::GEPArg>{int32_t(n)});
      return LLVM::LoadOp::create(b, loc, ptrType, p);
    };
    if (auto memref = dyn_cast<MemRefType>(type)) {
      SmallVector<int64_t> strides;
      int64_t offset;
      if (!memref.getLayout().isIdentity() &&
          (failed(memref.getStridesAndOffset(strides, offset)) ||
           ShapedType::isDynamic(offset) ||
           llvm::any_of(strides, ShapedType::isDynamic))) {
        kf.emitOpError() << "parameter #" << i << " has type " << type
                         << ": target cpu needs an identity or static strided "
                            "layout (the runtime passes a base pointer)";
        ok = false;
        continue;
      }
      Value v = prologue([&](OpBuilder &b) {
        Value base = LLVM::LoadOp::create(b, loc, ptrType, slot(b, i));
        SmallVector<Value> sizes;
        for (int64_t d = 0; d < memref.getRank(); ++d)
          if (memref.isDynamicDim(d)) {
            Value size =
                LLVM::LoadOp::create(b, loc, b.getI64Type(), slot(b, hidden++));
            sizes.push_back(
                arith::IndexCastOp::create(b, loc, b.getIndexType(), size));
          }
        return descriptor(b, base, memref, sizes);
      });
      arg.replaceAllUsesWith(v);
      continue;
    }
    unsigned width = type.isIndex()        ? 64
                     : type.isIntOrFloat() ? type.getIntOrFloatBitWidth()
                                           : 0;
    if (width == 0 || width > 64) {
      kf.emitOpError() << "parameter #" << i << " has type " << type
                       << ", which the CPU kernel ABI cannot pass";
      ok = false;
      continue;
    }
    Value v = prologue([&](OpBuilder &b) -> Value {
      Value p = slot(b, i);
      if (type.isIndex()) {
        Value x = LLVM::LoadOp::create(b, loc, b.getI64Type(), p);
        return arith::IndexCastOp::create(b, loc, type, x);
      }
      if (type.isInteger() && width < 32) {
        Value x = LLVM::LoadOp::create(b, loc, b.getI32Type(), p);
        return arith::TruncIOp::create(b, loc, type, x);
      }
      return LLVM::LoadOp::create(b, loc, type, p);
    });
    arg.replaceAllUsesWith(v);
  }
  return success(ok);
}

/// (tz * by + ty) * bx + tx, with fresh thread_id ops (replaced by the
/// enclosing phase's loop indices later).
Value FunctionLowering::linearThreadId(OpBuilder &b) {
  Value t[3];
  for (unsigned d = 0; d < 3; ++d)
    t[d] = ThreadIdOp::create(b, loc, DimAttr::get(ctx, Dim(d)));
  Value zy = arith::MulIOp::create(b, loc, t[2], blockDim(1));
  zy = arith::AddIOp::create(b, loc, zy, t[1]);
  Value lin = arith::MulIOp::create(b, loc, zy, blockDim(0));
  return arith::AddIOp::create(b, loc, lin, t[0]);
}

LogicalResult FunctionLowering::checkSupported() {
  bool ok = true;
  kf.walk([&](Operation *op) {
    if (isa<MMALoadOp, MMAComputeOp, MMAStoreOp>(op)) {
      unsupported(op, "tensor-core MMA is an NVVM-only primitive");
      ok = false;
    } else if (kf.isDeviceFunction() &&
               isa<BarrierOp, ShuffleOp, VoteOp, MatchAnyOp>(op)) {
      unsupported(op, "a device function cannot be split into phases (only a "
                      "kernel's own body can hold barriers and warp "
                      "operations)");
      ok = false;
    }
  });
  return success(ok);
}

/// Barriers and shuffles must be where the body can be split into phases.
LogicalResult FunctionLowering::validateSyncs(const DenseSet<Value> &dep) {
  bool ok = true;
  bool oneBlock = kf.getBody().hasOneBlock();
  kf.walk([&](Operation *op) {
    bool warp = isa<ShuffleOp, VoteOp, MatchAnyOp>(op);
    if (!warp && !isa<BarrierOp>(op))
      return;
    StringRef rule =
        warp ? "target cpu emulates a warp operation by splitting the kernel into "
               "phases there, which it can do at the top level of the kernel "
               "and inside scf.if and inside scf.for loops whose bounds do not "
               "depend on the thread id"
             : "target cpu splits a kernel into phases at barriers at the top "
               "level of the kernel, inside scf.if whose condition does not "
               "depend on the thread id and inside scf.for loops whose bounds "
               "do not depend on the thread id";
    if (!oneBlock) {
      op->emitOpError() << "is in a kernel with several blocks; " << rule;
      ok = false;
      return;
    }
    for (Operation *p = op->getParentOp(); p != kf.getOperation();
         p = p->getParentOp()) {
      if (auto f = dyn_cast<scf::ForOp>(p)) {
        if (!dep.contains(f.getLowerBound()) &&
            !dep.contains(f.getUpperBound()) && !dep.contains(f.getStep()))
          continue;
        InFlightDiagnostic diag =
            op->emitOpError()
            << "is inside an scf.for whose bounds depend on the thread id; "
            << rule;
        diag.attachNote(f.getLoc()) << "the loop";
        ok = false;
        return;
      }
      // A barrier under a condition every thread evaluates alike is reached
      // by all threads or none: the phase split handles it as it handles a
      // shuffle's barrier under any condition.
      if (auto i = dyn_cast<scf::IfOp>(p);
          i && (warp || !dep.contains(i.getCondition()))) {
        // A vote or match combines the active lanes; the emulation reads
        // every lane's slot, so only lanes that all execute it are right.
        if (isa<VoteOp, MatchAnyOp>(op) && dep.contains(i.getCondition())) {
          InFlightDiagnostic diag =
              op->emitOpError()
              << "is under a condition that depends on the thread id; target "
                 "cpu emulates votes and warp match over all 32 lanes of a "
                 "warp, so every lane must execute them";
          diag.attachNote(i.getLoc()) << "the condition";
          ok = false;
          return;
        }
        continue;
      }
      InFlightDiagnostic diag =
          op->emitOpError() << "is inside '" << p->getName() << "'; " << rule;
      diag.attachNote(p->getLoc()) << "the enclosing op";
      ok = false;
      return;
    }
  });
  return success(ok);
}

LogicalResult FunctionLowering::lowerAtomic(AtomicOp op) {
  lowerAtomicToMemRef(b, op);
  return success();
}

/// A shuffle on 32-lane warps: this phase stores the value in a per-thread
/// array, a barrier ends the phase, and the next phase reads the source
/// lane's slot (its own when the source is outside the group).
void FunctionLowering::emulateShuffle(ShuffleOp op) {
  Type type = op.getValue().getType();
  Value n = numThreads();
  Value lanes = prologue([&](OpBuilder &b) {
    return memref::AllocaOp::create(
               b, loc, MemRefType::get({ShapedType::kDynamic}, type),
               ValueRange{n})
        .getResult();
  });
  b.setInsertionPoint(op);
  Value lin = linearThreadId(b);
  laneStores.insert(memref::StoreOp::create(b, loc, op.getValue(), lanes, lin));
  BarrierOp::create(b, loc);
  Value self = linearThreadId(b);
  Value width = arith::ConstantIndexOp::create(b, loc, op.getWidth().value_or(32));
  // Groups of `width` lanes never straddle a warp: width divides 32.
  Value lane = arith::RemUIOp::create(b, loc, self, width);
  Value base = arith::SubIOp::create(b, loc, self, lane);
  Value offset =
      arith::IndexCastUIOp::create(b, loc, b.getIndexType(), op.getOffset());
  auto [src, valid] = shuffleSource(b, loc, op.getMode(), lane, offset, width);
  using P = arith::CmpIPredicate;
  Value srcLin = arith::AddIOp::create(b, loc, base, src);
  Value exists = arith::CmpIOp::create(b, loc, P::ult, srcLin, n);
  valid = arith::AndIOp::create(b, loc, valid, exists);
  Value at = arith::SelectOp::create(b, loc, valid, srcLin, self);
  Value result = memref::LoadOp::create(b, loc, lanes, at);
  op.getResult().replaceAllUsesWith(result);
  op.getValid().replaceAllUsesWith(valid);
  op.erase();
  ++counts.shuffles;
}

/// A vote or warp match on 32-lane warps: this phase stores the value in a
/// per-thread array, a barrier ends the phase, and the next phase combines
/// the slots of the thread's warp (the lanes that exist: the last warp of a
/// workgroup may be partial). As with the CUDA lowering's full lane mask,
/// every lane of the warp must execute the op.
void FunctionLowering::emulateWarpScan(Operation *op, Value value) {
  Type type = value.getType();
  Value n = numThreads();
  Value slots = prologue([&](OpBuilder &b) {
    return memref::AllocaOp::create(
               b, loc, MemRefType::get({ShapedType::kDynamic}, type),
               ValueRange{n})
        .getResult();
  });
  b.setInsertionPoint(op);
  laneStores.insert(
      memref::StoreOp::create(b, loc, value, slots, linearThreadId(b)));
  BarrierOp::create(b, loc);
  Value self = linearThreadId(b);
  Value c32 = arith::ConstantIndexOp::create(b, loc, 32);
  Value c1 = arith::ConstantIndexOp::create(b, loc, 1);
  Value base = arith::SubIOp::create(
      b, loc, self, arith::RemUIOp::create(b, loc, self, c32));
  Value end = arith::MinUIOp::create(
      b, loc, arith::AddIOp::create(b, loc, base, c32), n);
  Type i32 = b.getI32Type();
  // ballot/match: bit k for lane k; any: OR; all: AND (as i32 0/1).
  auto vote = dyn_cast<VoteOp>(op);
  bool isAll = vote && vote.getKind() == VoteKind::all;
  Value init = arith::ConstantOp::create(b, loc, b.getI32IntegerAttr(isAll));
  auto loop = scf::ForOp::create(b, loc, base, end, c1, ValueRange{init});
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    Value k = loop.getInductionVar();
    Value acc = loop.getRegionIterArgs()[0];
    Value other = memref::LoadOp::create(b, loc, slots, k);
    Value hit;
    if (vote) {
      hit = other;
    } else if (isa<FloatType>(type)) {
      // Bit patterns, as match.sync compares.
      Type bits = b.getIntegerType(type.getIntOrFloatBitWidth());
      hit = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                  arith::BitcastOp::create(b, loc, bits, other),
                                  arith::BitcastOp::create(b, loc, bits, value));
    } else {
      hit = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, other,
                                  value);
    }
    Value hit32 = arith::ExtUIOp::create(b, loc, i32, hit);
    Value next;
    if (vote && vote.getKind() == VoteKind::any)
      next = arith::OrIOp::create(b, loc, acc, hit32);
    else if (isAll)
      next = arith::AndIOp::create(b, loc, acc, hit32);
    else {
      Value lane = arith::IndexCastUIOp::create(
          b, loc, i32, arith::SubIOp::create(b, loc, k, base));
      next = arith::OrIOp::create(b, loc, acc,
                                  arith::ShLIOp::create(b, loc, hit32, lane));
    }
    scf::YieldOp::create(b, loc, next);
  }
  Value result = loop.getResult(0);
  if (vote && vote.getKind() != VoteKind::ballot)
    result = arith::TruncIOp::create(b, loc, b.getI1Type(), result);
  op->getResult(0).replaceAllUsesWith(result);
  op->erase();
}

LogicalResult FunctionLowering::lowerOps(Region &body, bool kernel) {
  // Warps are 32 lanes of consecutive linear thread ids, as emulateShuffle
  // has them; the thread_id ops this creates are lowered with the others.
  SmallVector<LaneIdOp> laneIds;
  body.walk([&](LaneIdOp op) { laneIds.push_back(op); });
  for (LaneIdOp op : laneIds) {
    b.setInsertionPoint(op);
    Value warp = arith::ConstantIndexOp::create(b, loc, 32);
    op.getResult().replaceAllUsesWith(
        arith::RemUIOp::create(b, loc, linearThreadId(b), warp).getResult());
    op.erase();
  }
  SmallVector<Operation *> ops;
  body.walk([&](Operation *op) {
    if (isa_and_nonnull<KernelDialect>(op->getDialect()))
      ops.push_back(op);
  });
  auto ptrType = LLVM::LLVMPointerType::get(ctx);
  bool ok = true;
  for (Operation *op : ops) {
    b.setInsertionPoint(op);
    auto replace = [&](Value v) {
      op->getResult(0).replaceAllUsesWith(v);
      op->erase();
    };
    llvm::TypeSwitch<Operation *>(op)
        .Case<ThreadIdOp>([&](ThreadIdOp o) {
          if (!kernel)
            replace(tidArgs[unsigned(o.getDimension())]);
        })
        .Case<BlockIdOp>([&](BlockIdOp o) {
          replace(wgField(kBlockIdOffset, unsigned(o.getDimension())));
        })
        .Case<BlockDimOp>([&](BlockDimOp o) {
          replace(wgField(kBlockOffset, unsigned(o.getDimension())));
        })
        .Case<GridDimOp>([&](GridDimOp o) {
          replace(wgField(kGridOffset, unsigned(o.getDimension())));
        })
        .Case<SharedAllocOp>([&](SharedAllocOp o) {
          replace(prologue([&](OpBuilder &b) {
            return memref::AllocaOp::create(
                       b, loc, cast<MemRefType>(o.getMemref().getType()),
                       b.getI64IntegerAttr(o.getAlignmentInBytes()))
                .getResult();
          }));
        })
        .Case<DynamicSharedOp>([&](DynamicSharedOp o) {
          auto type = cast<MemRefType>(o.getMemref().getType());
          Value bytes = wgField(kSharedBytesOffset, 0);
          replace(prologue([&](OpBuilder &b) {
            Value p =
                LLVM::GEPOp::create(b, loc, ptrType, b.getI8Type(), wg,
                                    ArrayRef<LLVM::GEPArg>{kSharedOffset});
            Value base = LLVM::LoadOp::create(b, loc, ptrType, p);
            return descriptor(b, base, type, {bytes});
          }));
        })
        .Case<FenceOp>([&](FenceOp o) {
          // Within a workgroup the threads run in order on one host thread:
          // only the compiler may reorder; other workgroups run on other
          // host threads.
          bool local =
              o.getScope() == Scope::thread || o.getScope() == Scope::block;
          LLVM::FenceOp::create(b, loc, LLVM::AtomicOrdering::acq_rel,
                                local ? "singlethread" : "");
          o.erase();
        })
        .Case<AtomicOp>([&](AtomicOp o) { ok &= succeeded(lowerAtomic(o)); })
        .Case<AtomicCASOp>(
            [&](AtomicCASOp o) { lowerAtomicCASToMemRef(b, o); })
        .Case<ShuffleOp>([&](ShuffleOp o) { emulateShuffle(o); })
        .Case<VoteOp>([&](VoteOp o) { emulateWarpScan(o, o.getPredicate()); })
        .Case<MatchAnyOp>(
            [&](MatchAnyOp o) { emulateWarpScan(o, o.getValue()); })
        .Case<AsyncCopyOp>(
            [&](AsyncCopyOp o) { lowerAsyncCopyInline(b, o); })
        .Case<AsyncCommitOp, AsyncWaitOp>([&](Operation *o) { o->erase(); })
        .Case<CallOp>([&](CallOp o) {
          SmallVector<Value> operands(o->getOperands());
          operands.push_back(wg);
          for (unsigned d = 0; d < 3; ++d)
            operands.push_back(kernel ? Value(ThreadIdOp::create(
                                            b, loc, DimAttr::get(ctx, Dim(d))))
                                      : tidArgs[d]);
          auto call = func::CallOp::create(b, loc, o.getCalleeAttr(),
                                           o->getResultTypes(), operands);
          o->replaceAllUsesWith(call);
          o.erase();
        })
        .Case<BarrierOp, ReturnOp>([&](Operation *) {})
        .Default([&](Operation *o) {
          o->emitOpError("has no lowering in convert-kernel-to-cpu");
          ok = false;
        });
  }
  return success(ok);
}

/// An scf.for or scf.if split into phases keeps the values it carries in
/// per-thread variables (memref<1xT> allocas, one copy per thread later):
/// stored before the loop and at the end of each iteration (before trailing
/// barriers), loaded where they are used and after the op.
LogicalResult FunctionLowering::demoteCarried(Operation *op) {
  b.setInsertionPoint(op);
  Value c0 = index(0);
  SmallVector<Value> vars;
  for (Value r : op->getResults()) {
    if (!isStorable(r.getType()))
      return op->emitOpError()
             << "carries a value of type " << r.getType()
             << " across a barrier; target cpu keeps only scalars and vectors "
                "per thread";
    vars.push_back(
        memref::AllocaOp::create(b, loc, MemRefType::get({1}, r.getType())));
  }
  // Stores `values` into the variables at the end of `block` (before its
  // trailing barriers); values that are region arguments (`carried`) are
  // read first.
  auto storeAtEnd = [&](Operation *terminator, ValueRange values,
                        ValueRange carried) {
    Operation *at = terminator;
    while (at->getPrevNode() && isa<BarrierOp>(at->getPrevNode()))
      at = at->getPrevNode();
    OpBuilder sb(at);
    SmallVector<Value> toStore(values);
    for (unsigned j = 0; j < toStore.size(); ++j) {
      auto it = llvm::find(carried, toStore[j]);
      if (it == carried.end())
        continue;
      unsigned k = it - carried.begin();
      toStore[j] = k == j ? Value()
                          : Value(memref::LoadOp::create(sb, loc, vars[k], c0));
    }
    for (auto [v, var] : llvm::zip(toStore, vars))
      if (v)
        memref::StoreOp::create(sb, loc, v, var, c0);
  };

  Operation *replacement;
  if (auto f = dyn_cast<scf::ForOp>(op)) {
    for (auto [init, var] : llvm::zip(f.getInitArgs(), vars))
      memref::StoreOp::create(b, loc, init, var, c0);
    auto nf = scf::ForOp::create(b, loc, f.getLowerBound(), f.getUpperBound(),
                                 f.getStep());
    Block *ob = f.getBody();
    auto yield = cast<scf::YieldOp>(ob->getTerminator());
    SmallVector<Value> carried(f.getRegionIterArgs());
    storeAtEnd(yield, yield.getOperands(), carried);
    for (auto [arg, var] : llvm::zip(carried, vars))
      for (OpOperand &use : llvm::make_early_inc_range(arg.getUses())) {
        if (use.getOwner() == yield.getOperation())
          continue;
        OpBuilder lb(use.getOwner());
        use.set(memref::LoadOp::create(lb, loc, var, c0));
      }
    f.getInductionVar().replaceAllUsesWith(nf.getInductionVar());
    Block *nb = nf.getBody();
    nb->getOperations().splice(Block::iterator(nb->getTerminator()),
                               ob->getOperations(), ob->begin(),
                               Block::iterator(yield));
    replacement = nf;
  } else {
    auto i = cast<scf::IfOp>(op);
    storeAtEnd(i.thenYield(), i.thenYield().getOperands(), {});
    storeAtEnd(i.elseYield(), i.elseYield().getOperands(), {});
    auto ni = scf::IfOp::create(b, loc, i.getCondition(),
                                /*withElseRegion=*/true);
    for (auto [from, to] : {std::pair(i.thenBlock(), ni.thenBlock()),
                            std::pair(i.elseBlock(), ni.elseBlock())})
      to->getOperations().splice(Block::iterator(to->getTerminator()),
                                 from->getOperations(), from->begin(),
                                 Block::iterator(from->getTerminator()));
    replacement = ni;
  }
  b.setInsertionPointAfter(replacement);
  for (auto [r, var] : llvm::zip(op->getResults(), vars))
    r.replaceAllUsesWith(memref::LoadOp::create(b, loc, var, c0));
  op->erase();
  return success();
}

bool FunctionLowering::isSerial(Value v) const {
  if (auto arg = dyn_cast<BlockArgument>(v))
    return serialBlocks.contains(arg.getOwner());
  return serialOps.contains(v.getDefiningOp());
}

/// Runs once at the serial level instead of in every thread: no regions, no
/// side effects (and speculatable when taken out of a guarded part), every
/// operand serial.
bool FunctionLowering::isHoistable(Operation *op, bool unguarded) const {
  if (op->getNumRegions() || op->getNumResults() == 0 || isa<ThreadIdOp>(op))
    return false;
  if (unguarded ? !isMemoryEffectFree(op) : !isPure(op))
    return false;
  return llvm::all_of(op->getOperands(), [&](Value v) { return isSerial(v); });
}

/// Creates a phase before `before` running `segment` under `guards`.
void FunctionLowering::flush(SmallVectorImpl<Operation *> &segment,
                             Operation *before, ArrayRef<Guard> guards) {
  if (segment.empty())
    return;
  Value c0 = index(0), c1 = index(1);
  Value bz = blockDim(2), by = blockDim(1), bx = blockDim(0);
  OpBuilder lb(before);
  ThreadLoop tl;
  tl.z = scf::ForOp::create(lb, loc, c0, bz, c1);
  tl.z->setAttr(kPhaseAttr, lb.getI64IntegerAttr(phaseOrder.size()));
  lb.setInsertionPoint(tl.z.getBody()->getTerminator());
  tl.y = scf::ForOp::create(lb, loc, c0, by, c1);
  lb.setInsertionPoint(tl.y.getBody()->getTerminator());
  tl.x = scf::ForOp::create(lb, loc, c0, bx, c1);
  Operation *at = tl.x.getBody()->getTerminator();
  lb.setInsertionPoint(at);
  for (const Guard &g : guards) {
    Value c = g.condition;
    if (g.negated) {
      Value t = arith::ConstantOp::create(lb, loc, lb.getBoolAttr(true));
      c = arith::XOrIOp::create(lb, loc, c, t);
    }
    auto ifOp = scf::IfOp::create(lb, loc, c, /*withElseRegion=*/false);
    at = ifOp.thenBlock()->getTerminator();
    lb.setInsertionPoint(at);
  }
  for (Operation *op : segment)
    op->moveBefore(at);
  segment.clear();
  Operation *key = tl.z.getOperation();
  threadIVs[tl.x.getInductionVar()] = {key, 0};
  threadIVs[tl.y.getInductionVar()] = {key, 1};
  threadIVs[tl.z.getInductionVar()] = {key, 2};
  phases[key] = tl;
  phaseOrder.push_back(key);
}

/// Moves the ops of `src` into phases created before `before` (at the
/// serial level): barriers end phases, loops holding barriers run at the
/// serial level around their own phases, ifs holding barriers run there too
/// when their condition is serial and are split into guarded parts
/// otherwise, and uniform side-effect-free ops stay serial.
LogicalResult FunctionLowering::restructure(Block &src, Operation *before,
                                            SmallVectorImpl<Guard> &guards) {
  SmallVector<Operation *> ops;
  for (Operation &op : src.without_terminator())
    ops.push_back(&op);
  SmallVector<Operation *> segment;
  for (Operation *op : ops) {
    if (isa<BarrierOp>(op)) {
      flush(segment, before, guards);
      op->erase();
      continue;
    }
    if (isa<ThreadIdOp>(op)) {
      // Replaced use by use with the loop index of the using phase.
      op->moveBefore(marker);
      continue;
    }
    if (auto f = dyn_cast<scf::ForOp>(op); f && containsSync(f)) {
      flush(segment, before, guards);
      if (!guards.empty())
        for (Value bound : {f.getLowerBound(), f.getUpperBound(), f.getStep()})
          if (!isSerial(bound))
            return f.emitOpError()
                   << "holds a shuffle inside a thread-dependent scf.if and "
                      "has bounds computed in a phase; target cpu needs the "
                      "bounds of such a loop computed from constants, "
                      "arguments and workgroup ids only";
      f->moveBefore(before);
      serialOps.insert(f);
      serialBlocks.insert(f.getBody());
      if (failed(
              restructure(*f.getBody(), f.getBody()->getTerminator(), guards)))
        return failure();
      continue;
    }
    if (auto i = dyn_cast<scf::IfOp>(op); i && containsSync(i)) {
      flush(segment, before, guards);
      // A condition computed at the serial level (the same for every
      // thread): the if runs there around its own phases, as a loop with
      // uniform bounds does.
      if (isSerial(i.getCondition()) && i.getNumResults() == 0) {
        i->moveBefore(before);
        serialOps.insert(i);
        for (Block *block : {i.thenBlock(), i.elseBlock()}) {
          if (!block)
            continue;
          serialBlocks.insert(block);
          if (failed(restructure(*block, block->getTerminator(), guards)))
            return failure();
        }
        continue;
      }
      guards.push_back({i.getCondition(), false});
      if (failed(restructure(*i.thenBlock(), before, guards)))
        return failure();
      guards.back().negated = true;
      if (i.elseBlock() && failed(restructure(*i.elseBlock(), before, guards)))
        return failure();
      guards.pop_back();
      i.erase();
      continue;
    }
    if (isHoistable(op, guards.empty())) {
      op->moveBefore(before);
      serialOps.insert(op);
      continue;
    }
    segment.push_back(op);
  }
  flush(segment, before, guards);
  return success();
}

Operation *FunctionLowering::threadLoopOf(Operation *op) {
  for (Operation *p = op; p && p != fn.getOperation(); p = p->getParentOp())
    if (phases.count(p))
      return p;
  return nullptr;
}

Value FunctionLowering::linearOf(Operation *z) {
  ThreadLoop &tl = phases[z];
  if (!tl.linear) {
    OpBuilder lb = OpBuilder::atBlockBegin(tl.x.getBody());
    Value zy =
        arith::MulIOp::create(lb, loc, tl.z.getInductionVar(), blockDim(1));
    zy = arith::AddIOp::create(lb, loc, zy, tl.y.getInductionVar());
    Value lin = arith::MulIOp::create(lb, loc, zy, blockDim(0));
    tl.linear = arith::AddIOp::create(lb, loc, lin, tl.x.getInductionVar());
  }
  return tl.linear;
}

LogicalResult FunctionLowering::replaceThreadIds() {
  SmallVector<ThreadIdOp> ids;
  fn.walk([&](ThreadIdOp op) { ids.push_back(op); });
  for (ThreadIdOp op : ids) {
    unsigned dim = unsigned(op.getDimension());
    for (OpOperand &use : llvm::make_early_inc_range(op->getUses())) {
      Operation *z = threadLoopOf(use.getOwner());
      if (!z)
        return op.emitOpError()
               << "is used outside the loops over the threads (by '"
               << use.getOwner()->getName() << "')";
      ThreadLoop &tl = phases[z];
      use.set(dim == 0   ? tl.x.getInductionVar()
              : dim == 1 ? tl.y.getInductionVar()
                         : tl.z.getInductionVar());
    }
    op.erase();
  }
  return success();
}

/// The side-effect-free ops computing `v` from serial values and thread
/// ids, in def-before-use order; false when there is none within budget.
bool FunctionLowering::collectRematerializable(
    Value v, SmallVectorImpl<Operation *> &chain, DenseSet<Operation *> &seen,
    unsigned &budget) {
  if (isSerial(v) || threadIVs.count(v))
    return true;
  Operation *op = v.getDefiningOp();
  if (!op)
    return false;
  if (seen.contains(op))
    return true;
  if (op->getNumRegions() || !isMemoryEffectFree(op) || budget == 0)
    return false;
  --budget;
  for (Value operand : op->getOperands())
    if (!collectRematerializable(operand, chain, seen, budget))
      return false;
  seen.insert(op);
  chain.push_back(op);
  return true;
}

/// `v`, defined in phase `z`, is used in other phases (or at the serial
/// level): recompute it there, or keep it per thread.
LogicalResult FunctionLowering::keepPerThread(Value v, Operation *z,
                                              ArrayRef<OpOperand *> foreign) {
  Operation *def = v.getDefiningOp();
  bool serialUse = llvm::any_of(
      foreign, [&](OpOperand *use) { return !threadLoopOf(use->getOwner()); });

  // A private buffer: one copy per thread, each a view of a prologue buffer.
  if (auto alloca = dyn_cast<memref::AllocaOp>(def)) {
    auto type = cast<MemRefType>(stripMemorySpace(alloca.getType()));
    Type elt = type.getElementType();
    std::optional<uint64_t> eltBytes =
        elt.isIndex() ? std::optional<uint64_t>(8) : getElementByteSize(elt);
    if (!type.hasStaticShape() || !type.getLayout().isIdentity() || !eltBytes ||
        serialUse)
      return alloca.emitOpError()
             << "is a private buffer used across a barrier; target cpu keeps "
                "only statically shaped buffers with an identity layout per "
                "thread";
    uint64_t align = std::max<uint64_t>(
        {alloca.getAlignment().value_or(1), llvm::PowerOf2Ceil(*eltBytes)});
    uint64_t slot = llvm::alignTo(*eltBytes * type.getNumElements(), align);
    Value n = numThreads();
    Value buffer = prologue([&](OpBuilder &b) -> Value {
      Value bytes = arith::MulIOp::create(
          b, loc, n, arith::ConstantIndexOp::create(b, loc, slot));
      return memref::AllocaOp::create(
          b, loc, MemRefType::get({ShapedType::kDynamic}, b.getI8Type()),
          ValueRange{bytes}, b.getI64IntegerAttr(align));
    });
    auto viewIn = [&](Operation *phase, Operation *at) -> Value {
      OpBuilder vb(at);
      Value shift =
          arith::MulIOp::create(vb, loc, linearOf(phase),
                                arith::ConstantIndexOp::create(vb, loc, slot));
      return memref::ViewOp::create(vb, loc, type, buffer, shift, ValueRange{});
    };
    for (OpOperand *use : foreign)
      use->set(viewIn(threadLoopOf(use->getOwner()), use->getOwner()));
    alloca.getResult().replaceAllUsesWith(viewIn(z, alloca));
    alloca.erase();
    ++counts.perThread;
    return success();
  }

  // Recompute a cheap side-effect-free chain in the using phase.
  SmallVector<Operation *> chain;
  DenseSet<Operation *> seen;
  unsigned budget = kRematerializeBudget;
  if (!serialUse && collectRematerializable(v, chain, seen, budget)) {
    for (OpOperand *use : foreign) {
      Operation *phase = threadLoopOf(use->getOwner());
      IRMapping map;
      for (auto &[iv, where] : threadIVs) {
        ThreadLoop &tl = phases[phase];
        map.map(iv, where.second == 0   ? tl.x.getInductionVar()
                    : where.second == 1 ? tl.y.getInductionVar()
                                        : tl.z.getInductionVar());
      }
      OpBuilder cb(use->getOwner());
      for (Operation *op : chain)
        cb.clone(*op, map);
      use->set(map.lookup(v));
    }
    ++counts.rematerialized;
    return success();
  }

  if (!isStorable(v.getType()))
    return def->emitOpError()
           << "result of type " << v.getType()
           << " is used across a barrier; target cpu keeps only scalars, "
              "vectors and private buffers per thread";
  // A shuffled value is in its shuffle's array already (stored in the same
  // block, so whenever it is defined).
  Value array;
  for (Operation *user : v.getUsers())
    if (laneStores.contains(user) && user->getBlock() == def->getBlock() &&
        cast<memref::StoreOp>(user).getValueToStore() == v)
      array = cast<memref::StoreOp>(user).getMemRef();
  if (!array) {
    Value n = numThreads();
    array = prologue([&](OpBuilder &b) {
      return memref::AllocaOp::create(
                 b, loc, MemRefType::get({ShapedType::kDynamic}, v.getType()),
                 ValueRange{n})
          .getResult();
    });
    OpBuilder sb(def->getBlock(), std::next(Block::iterator(def)));
    memref::StoreOp::create(sb, loc, v, array, linearOf(z));
  }
  for (OpOperand *use : foreign) {
    Operation *phase = threadLoopOf(use->getOwner());
    // At the serial level only uniform values are used (loop bounds):
    // thread 0's copy.
    Value at = phase ? linearOf(phase) : index(0);
    OpBuilder lb(use->getOwner());
    use->set(memref::LoadOp::create(lb, loc, array, at));
  }
  ++counts.perThread;
  return success();
}

LogicalResult FunctionLowering::fixCrossPhaseValues() {
  SmallVector<std::pair<Value, Operation *>> values;
  for (Operation *z : phaseOrder)
    z->walk([&](Operation *op) {
      for (Value r : op->getResults())
        values.push_back({r, z});
    });
  bool ok = true;
  for (auto [v, z] : values) {
    SmallVector<OpOperand *> foreign;
    for (OpOperand &use : v.getUses())
      if (threadLoopOf(use.getOwner()) != z)
        foreign.push_back(&use);
    if (!foreign.empty())
      ok &= succeeded(keepPerThread(v, z, foreign));
  }
  return success(ok);
}

/// Drops what became dead in the phases (ops whose values other phases
/// recompute) and the phases left empty, then numbers the phases.
void FunctionLowering::removeDeadPhases() {
  SmallVector<Operation *> live;
  for (Operation *z : phaseOrder) {
    Block *body = phases[z].x.getBody();
    bool changed = true;
    while (changed) {
      changed = false;
      SmallVector<Operation *> ops;
      body->walk([&](Operation *op) { ops.push_back(op); });
      for (Operation *op : llvm::reverse(ops))
        if (isOpTriviallyDead(op)) {
          op->erase();
          changed = true;
        }
    }
    if (body->getOperations().size() == 1)
      z->erase();
    else
      live.push_back(z);
  }
  for (auto [i, z] : llvm::enumerate(live))
    z->setAttr(kPhaseAttr, b.getI64IntegerAttr(i));
  phaseOrder = std::move(live);
}

void FunctionLowering::stripMemorySpaces() {
  SmallVector<memref::MemorySpaceCastOp> casts;
  fn.walk([&](Operation *op) {
    for (Value r : op->getResults())
      r.setType(stripMemorySpace(r.getType()));
    for (Region &region : op->getRegions())
      for (Block &block : region)
        for (BlockArgument arg : block.getArguments())
          arg.setType(stripMemorySpace(arg.getType()));
    if (auto cast = dyn_cast<memref::MemorySpaceCastOp>(op))
      casts.push_back(cast);
  });
  for (memref::MemorySpaceCastOp cast : casts) {
    cast.getResult().replaceAllUsesWith(cast.getSource());
    cast.erase();
  }
  SmallVector<Type> results;
  for (Type t : fn.getFunctionType().getResults())
    results.push_back(stripMemorySpace(t));
  fn.setFunctionType(
      FunctionType::get(ctx, fn.getBody().front().getArgumentTypes(), results));
}

/// kernel.warp_size is 32 here: replace it, and fold the conditions that
/// become constant, so that steps guarded by the warp size (which may hold
/// barriers and shuffles) do not become phases of their own.
void foldWarpSize(KernelFuncOp kf) {
  SmallVector<WarpSizeOp> sizes;
  kf.walk([&](WarpSizeOp op) { sizes.push_back(op); });
  if (sizes.empty())
    return;
  for (WarpSizeOp op : sizes) {
    OpBuilder b(op);
    op.getResult().replaceAllUsesWith(
        arith::ConstantIndexOp::create(b, op.getLoc(), 32));
    op.erase();
  }
  MLIRContext *ctx = kf.getContext();
  RewritePatternSet patterns(ctx);
  scf::IfOp::getCanonicalizationPatterns(patterns, ctx);
  (void)applyPatternsGreedily(kf.getBody(), std::move(patterns));
}

LogicalResult FunctionLowering::lowerKernel() {
  foldWarpSize(kf);
  if (failed(checkSupported()))
    return failure();
  DenseSet<Value> dep = computeThreadDependence(kf.getBody());
  if (failed(validateSyncs(dep)))
    return failure();

  auto ptrType = LLVM::LLVMPointerType::get(ctx);
  b.setInsertionPointToEnd(&into);
  fn = func::FuncOp::create(b, loc, kf.getSymName(),
                            b.getFunctionType({ptrType, ptrType}, {}));
  Block *entry = fn.addEntryBlock();
  argsPtr = entry->getArgument(0);
  wg = entry->getArgument(1);
  serialBlocks.insert(entry);
  b.setInsertionPointToEnd(entry);
  marker =
      UnrealizedConversionCastOp::create(b, loc, TypeRange{}, ValueRange{});
  Operation *ret = func::ReturnOp::create(b, loc);

  Region &body = fn.getBody();
  body.getBlocks().splice(body.end(), kf.getBody().getBlocks());
  Block *kentry = &*std::next(body.begin());
  if (failed(loadArguments(*kentry)) || failed(lowerOps(body, true)))
    return failure();
  kentry->eraseArguments(0, kentry->getNumArguments());

  if (std::next(body.begin(), 2) != body.end()) {
    // Several blocks (no barriers): one phase running them as a region.
    b.setInsertionPoint(ret);
    auto region = scf::ExecuteRegionOp::create(b, loc, TypeRange{});
    region.getRegion().getBlocks().splice(region.getRegion().end(),
                                          body.getBlocks(),
                                          std::next(body.begin()), body.end());
    region.walk([&](ReturnOp r) {
      OpBuilder rb(r);
      scf::YieldOp::create(rb, r.getLoc());
      r.erase();
    });
    SmallVector<Operation *> wrapper = {region};
    flush(wrapper, ret, {});
  } else {
    SmallVector<Operation *> carried;
    kentry->walk([&](Operation *op) {
      if (isa<scf::ForOp, scf::IfOp>(op) && op->getNumResults() &&
          containsSync(op))
        carried.push_back(op);
    });
    for (Operation *op : carried)
      if (failed(demoteCarried(op)))
        return failure();
    SmallVector<Guard> guards;
    if (failed(restructure(*kentry, ret, guards)))
      return failure();
    kentry->erase();
  }
  if (failed(replaceThreadIds()) || failed(fixCrossPhaseValues()))
    return failure();
  removeDeadPhases();
  marker->erase();
  stripMemorySpaces();
  ++counts.kernels;
  counts.phases += phaseOrder.size();
  return success();
}

LogicalResult FunctionLowering::lowerDeviceFunction() {
  foldWarpSize(kf);
  if (failed(checkSupported()))
    return failure();
  auto ptrType = LLVM::LLVMPointerType::get(ctx);
  FunctionType type = kf.getFunctionType();
  SmallVector<Type> inputs(type.getInputs());
  inputs.push_back(ptrType);
  inputs.append(3, b.getIndexType());
  b.setInsertionPointToEnd(&into);
  fn = func::FuncOp::create(b, loc, kf.getSymName(),
                            b.getFunctionType(inputs, type.getResults()));
  fn.setPrivate();
  // Not exported from the shared object: only kernels are entry points.
  fn->setAttr("llvm.linkage",
              LLVM::LinkageAttr::get(ctx, LLVM::Linkage::Internal));
  fn.getBody().takeBody(kf.getBody());
  Block &entry = fn.getBody().front();
  wg = entry.addArgument(ptrType, loc);
  for (unsigned d = 0; d < 3; ++d)
    tidArgs[d] = entry.addArgument(b.getIndexType(), loc);
  b.setInsertionPointToStart(&entry);
  marker =
      UnrealizedConversionCastOp::create(b, loc, TypeRange{}, ValueRange{});
  if (failed(lowerOps(fn.getBody(), false)))
    return failure();
  fn.walk([&](ReturnOp r) {
    OpBuilder rb(r);
    func::ReturnOp::create(rb, r.getLoc(), r->getOperands());
    r.erase();
  });
  marker->erase();
  stripMemorySpaces();
  ++counts.deviceFunctions;
  return success();
}

struct ConvertKernelToCPU
    : public gpuinit::impl::ConvertKernelToCPUBase<ConvertKernelToCPU> {
  using Base::Base;
  void runOnOperation() override;
};

void ConvertKernelToCPU::runOnOperation() {
  ModuleOp module = getOperation();
  Counts counts;
  bool ok = true;
  for (KernelModuleOp km :
       llvm::make_early_inc_range(module.getOps<KernelModuleOp>())) {
    TargetAttr target = km.getTarget();
    if (!anyTarget && !(target && target.isCPU()))
      continue;
    bool launched = false;
    module.walk([&](LaunchOp launch) {
      if (launch.getKernel().getRootReference() != km.getSymNameAttr())
        return;
      launch.emitOpError()
          << "launches " << launch.getKernel()
          << ", which convert-kernel-to-cpu lowers to the CPU kernel ABI; host "
             "code has no CPU lowering (gpuinit-run runs host programs, "
             "gpuinit-translate --kernel-to-cpu drops host code)";
      launched = true;
    });
    if (launched) {
      ok = false;
      continue;
    }
    OpBuilder b(km);
    auto cpuModule = ModuleOp::create(b, km.getLoc(), km.getSymName());
    for (KernelFuncOp kf :
         llvm::make_early_inc_range(km.getOps<KernelFuncOp>())) {
      FunctionLowering lowering(kf, *cpuModule.getBody(), counts);
      ok &= succeeded(kf.isDeviceFunction() ? lowering.lowerDeviceFunction()
                                            : lowering.lowerKernel());
    }
    km.erase();
  }
  numKernels += counts.kernels;
  numDeviceFunctions += counts.deviceFunctions;
  numPhases += counts.phases;
  numPerThreadArrays += counts.perThread;
  numRematerialized += counts.rematerialized;
  numShuffles += counts.shuffles;
  // Release MLIR drops Pass::Statistic; gpuinit-opt prints these instead.
  struct {
    StringRef name, description;
    unsigned value;
  } stats[] = {
      {"kernels", "Kernels lowered", counts.kernels},
      {"device-functions", "Device functions lowered", counts.deviceFunctions},
      {"phases", "Loops over the threads emitted", counts.phases},
      {"per-thread-arrays",
       "Values and private buffers kept per thread across phases",
       counts.perThread},
      {"rematerialized", "Values recomputed in a later phase instead of stored",
       counts.rematerialized},
      {"shuffles", "Warp shuffles emulated", counts.shuffles}};
  for (const auto &s : stats)
    gpuinit::recordStatistic(getName(), s.name, s.description, s.value);
  if (!ok)
    signalPassFailure();
}

} // namespace
