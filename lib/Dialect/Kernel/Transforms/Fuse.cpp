//===- Fuse.cpp - kernel-fuse ---------------------------------------------===//
//
// Fuses a launch that writes an intermediate device buffer with the next
// launch that reads it: element-wise chains, and element-wise epilogues into
// matmul and reduce kernels. Every legality rule is checked structurally on
// the kernels and the host code; a refused pair is left unchanged and
// counted under its reason.
//
//===----------------------------------------------------------------------===//
#include "gpuinit/Dialect/Kernel/Transforms/Passes.h"

#include "gpuinit/Support/PassStatistics.h"
#include "mlir/IR/Dominance.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/OperationSupport.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/CSE.h"
#include "llvm/ADT/SetVector.h"

namespace gpuinit::kernel {
#define GEN_PASS_DEF_KERNELFUSE
#include "kernel/KernelPasses.h.inc"
} // namespace gpuinit::kernel

using namespace mlir;
using namespace gpuinit::kernel;

namespace {

/// Why a pair of launches was not fused (one statistic each).
enum class Refusal {
  Target,
  OtherUse,
  Intervening,
  LaunchShape,
  MaxRegisters,
  SharedMemory,
  Kernel,
  Index,
  Domain,
  Hazard,
};
constexpr unsigned kNumRefusals = unsigned(Refusal::Hazard) + 1;

/// Statistic name and description of each refusal.
struct RefusalInfo {
  const char *name, *description;
};
constexpr RefusalInfo kRefusals[kNumRefusals] = {
    {"refused-target", "Refused: the kernels have different targets"},
    {"refused-other-use", "Refused: the intermediate buffer has another use"},
    {"refused-intervening-op",
     "Refused: a host op between the launches touches their buffers"},
    {"refused-launch-shape", "Refused: different grid or block"},
    {"refused-max-registers", "Refused: conflicting max_registers"},
    {"refused-shared-memory", "Refused: combined shared memory over the limit"},
    {"refused-kernel", "Refused: a kernel is not in a fusible form"},
    {"refused-index", "Refused: the intermediate is read at another index"},
    {"refused-domain", "Refused: the kernels do not cover the same elements"},
    {"refused-hazard",
     "Refused: the epilogue touches a buffer the producer uses"},
};

//===----------------------------------------------------------------------===//
// Host values
//===----------------------------------------------------------------------===//

/// The value of an integer or index constant.
std::optional<int64_t> constantInt(Value value) {
  APInt constant;
  if (value && matchPattern(value, m_ConstantInt(&constant)))
    return constant.getSExtValue();
  return std::nullopt;
}

/// True when two host values are the same SSA value or equal constants.
bool sameHostValue(Value a, Value b) {
  if (a == b)
    return true;
  std::optional<int64_t> ca = constantInt(a), cb = constantInt(b);
  return ca && cb && *ca == *cb;
}

/// True for a parameter of a host function: a whole buffer (the caller
/// passes allocations, not views).
bool isFunctionArgument(Value v) {
  auto arg = dyn_cast<BlockArgument>(v);
  return arg && arg.getOwner()->isEntryBlock() &&
         isa<FunctionOpInterface>(arg.getOwner()->getParentOp());
}

/// True when two memref types could describe one whole buffer: the same
/// element type and rank, and no static dimension that differs.
bool compatibleTypes(MemRefType a, MemRefType b) {
  if (a.getElementType() != b.getElementType() || a.getRank() != b.getRank())
    return false;
  for (auto [x, y] : llvm::zip(a.getShape(), b.getShape()))
    if (!ShapedType::isDynamic(x) && !ShapedType::isDynamic(y) && x != y)
      return false;
  return true;
}

/// True unless two buffers are provably distinct: different memory
/// (host/device), different values one of which is a fresh allocation, or
/// two function arguments (whole buffers) of types no one buffer has.
bool mayAlias(Value a, Value b) {
  if (a == b)
    return true;
  auto ma = dyn_cast<MemRefType>(a.getType());
  auto mb = dyn_cast<MemRefType>(b.getType());
  if (!ma || !mb)
    return false;
  if (isDeviceBuffer(ma) != isDeviceBuffer(mb))
    return false;
  auto fresh = [](Value v) {
    return v.getDefiningOp<AllocOp>() || v.getDefiningOp<memref::AllocOp>();
  };
  if (fresh(a) || fresh(b))
    return false;
  if (isFunctionArgument(a) && isFunctionArgument(b) &&
      !compatibleTypes(ma, mb))
    return false;
  return true;
}

/// True when `op`, a host op between the two launches, may read, write or
/// free one of `buffers` (or has effects the pass cannot see).
bool touches(Operation *op, ArrayRef<Value> buffers) {
  if (isa<WaitOp, AllocOp>(op) || isMemoryEffectFree(op))
    return false;
  auto touchesValue = [&](Value v) {
    return llvm::any_of(buffers, [&](Value b) { return mayAlias(v, b); });
  };
  if (auto launch = dyn_cast<LaunchOp>(op))
    return llvm::any_of(launch.getArgs(), touchesValue);
  auto iface = dyn_cast<MemoryEffectOpInterface>(op);
  if (!iface)
    return true;
  SmallVector<MemoryEffects::EffectInstance> effects;
  iface.getEffects(effects);
  for (MemoryEffects::EffectInstance &effect : effects) {
    if (isa<MemoryEffects::Allocate>(effect.getEffect()))
      continue;
    Value value = effect.getValue();
    if (!value || touchesValue(value))
      return true;
  }
  return false;
}

//===----------------------------------------------------------------------===//
// Kernels as launched
//===----------------------------------------------------------------------===//

/// A kernel together with one launch of it: device values that are
/// parameters have the launch's host values.
struct Launched {
  LaunchOp launch;
  KernelFuncOp func;

  /// The host value passed for `v` if it is a parameter, else null.
  Value hostValue(Value v) {
    auto arg = dyn_cast<BlockArgument>(v);
    if (!arg || arg.getOwner() != &func.getEntryBlock())
      return {};
    return launch.getArgs()[arg.getArgNumber()];
  }

  /// The integer a device value has in this launch, if known: a constant,
  /// a block dimension the workgroup metadata fixes, or a parameter bound
  /// to a host constant.
  std::optional<int64_t> constant(Value v) {
    if (std::optional<int64_t> c = constantInt(v))
      return c;
    if (auto dim = v.getDefiningOp<BlockDimOp>())
      if (std::optional<std::array<int32_t, 3>> size = func.getWorkgroupSize())
        return (*size)[unsigned(dim.getDimension())];
    if (Value host = hostValue(v))
      return constantInt(host);
    return std::nullopt;
  }
};

/// Structural equality of device values of two launched kernels: equal
/// known constants, parameters bound to the same host value, or results of
/// equivalent pure ops without regions on equal operands.
class Equivalence {
public:
  Equivalence(Launched &a, Launched &b) : a(a), b(b) {}

  bool operator()(Value x, Value y) {
    if (a.launch == b.launch && x == y)
      return true;
    auto key = std::make_pair(x, y);
    auto it = memo.find(key);
    if (it != memo.end())
      return it->second;
    memo[key] = false;
    bool result = compute(x, y);
    memo[key] = result;
    return result;
  }

  bool all(ValueRange xs, ValueRange ys) {
    return xs.size() == ys.size() &&
           llvm::all_of(llvm::zip(xs, ys), [&](auto pair) {
             return (*this)(std::get<0>(pair), std::get<1>(pair));
           });
  }

private:
  bool compute(Value x, Value y) {
    std::optional<int64_t> cx = a.constant(x), cy = b.constant(y);
    if (cx || cy)
      return cx && cy && *cx == *cy && x.getType() == y.getType();
    Value hx = a.hostValue(x), hy = b.hostValue(y);
    if (hx || hy)
      return hx && hy && hx == hy && x.getType() == y.getType();
    Operation *ox = x.getDefiningOp(), *oy = y.getDefiningOp();
    if (!ox || !oy ||
        cast<OpResult>(x).getResultNumber() !=
            cast<OpResult>(y).getResultNumber())
      return false;
    if (ox->getNumRegions() || oy->getNumRegions() || !isMemoryEffectFree(ox))
      return false;
    // One op of a kernel launched twice: only its operands can differ
    // (OperationEquivalence would take an op as equal to itself).
    if (ox == oy)
      return all(ox->getOperands(), oy->getOperands());
    // Operands of commutative ops (addi, muli, ...) match in either order.
    auto commutative = [&](ValueRange l, ValueRange r) {
      if (l.size() == 2 && r.size() == 2 && (*this)(l[0], r[1]) &&
          (*this)(l[1], r[0]))
        return success();
      return success(all(l, r));
    };
    return OperationEquivalence::isEquivalentTo(
        ox, oy, [&](Value l, Value r) { return success((*this)(l, r)); },
        /*markEquivalent=*/nullptr, OperationEquivalence::IgnoreLocations,
        commutative);
  }

  Launched &a, &b;
  DenseMap<std::pair<Value, Value>, bool> memo;
};

/// Appends the terms of a conjunction (a tree of arith.andi).
void conjuncts(Value cond, SmallVectorImpl<Value> &terms) {
  if (auto andOp = cond.getDefiningOp<arith::AndIOp>()) {
    conjuncts(andOp.getLhs(), terms);
    conjuncts(andOp.getRhs(), terms);
    return;
  }
  terms.push_back(cond);
}

/// The bytes of static shared memory a kernel may use: its `shared` budget,
/// or what it allocates.
uint64_t sharedBudget(KernelFuncOp func) {
  if (std::optional<uint64_t> shared = func.getMetadata().getSharedMemory())
    return *shared;
  return func.getStaticSharedMemoryUsage();
}

//===----------------------------------------------------------------------===//
// The canonical element-wise form
//===----------------------------------------------------------------------===//

/// A kernel whose body is pure ops, one guard `scf.if` holding every memory
/// access, and kernel.return; the guard holds loads from parameters, pure
/// ops and one store to a parameter, the loads at the store's index except
/// those of intermediate parameters, and uses thread and block ids only as
/// that index.
struct ElementwiseForm {
  scf::IfOp guard;
  memref::StoreOp store;
  /// Loads of an intermediate parameter (their index is checked against the
  /// producer's).
  SmallVector<memref::LoadOp> intermediateLoads;
};

/// The parameter `memref` is, or -1.
int paramNumber(KernelFuncOp func, Value memref) {
  auto arg = dyn_cast<BlockArgument>(memref);
  if (!arg || arg.getOwner() != &func.getEntryBlock())
    return -1;
  return int(arg.getArgNumber());
}

/// Matches the canonical form; `intermediate[i]` marks the parameters bound
/// to the intermediate buffer.
FailureOr<ElementwiseForm> matchElementwise(KernelFuncOp func,
                                            ArrayRef<bool> intermediate) {
  if (!func.getBody().hasOneBlock())
    return failure();
  Block &entry = func.getEntryBlock();
  ElementwiseForm form;
  for (Operation &op : entry) {
    if (isa<ReturnOp>(op))
      continue;
    auto ifOp = dyn_cast<scf::IfOp>(op);
    if (ifOp && !form.guard && ifOp.getNumResults() == 0 &&
        ifOp.getElseRegion().empty()) {
      form.guard = ifOp;
      continue;
    }
    if (!isMemoryEffectFree(&op))
      return failure();
  }
  if (!form.guard)
    return failure();

  // Values that differ between threads: ids and what is computed from them.
  DenseSet<Value> perThread;
  for (Operation &op : entry) {
    bool depends = isa<ThreadIdOp, BlockIdOp>(op);
    op.walk([&](Operation *inner) {
      for (Value operand : inner->getOperands())
        depends |= perThread.contains(operand);
    });
    if (depends)
      perThread.insert(op.getResults().begin(), op.getResults().end());
  }

  Block *body = form.guard.thenBlock();
  SmallVector<memref::LoadOp> loads;
  for (Operation &op : body->without_terminator()) {
    if (auto load = dyn_cast<memref::LoadOp>(op)) {
      int param = paramNumber(func, load.getMemRef());
      if (param < 0)
        return failure();
      if (intermediate[param])
        form.intermediateLoads.push_back(load);
      else
        loads.push_back(load);
      continue;
    }
    if (auto store = dyn_cast<memref::StoreOp>(op)) {
      int param = paramNumber(func, store.getMemRef());
      if (form.store || param < 0 || intermediate[param])
        return failure();
      form.store = store;
      continue;
    }
    if (!isMemoryEffectFree(&op))
      return failure();
  }
  if (!form.store)
    return failure();
  for (memref::LoadOp load : loads)
    if (!llvm::equal(load.getIndices(), form.store.getIndices()))
      return failure();

  // Per-thread values only as the index of a load or store.
  WalkResult walk = body->walk([&](Operation *op) {
    for (OpOperand &use : op->getOpOperands()) {
      if (!perThread.contains(use.get()))
        continue;
      bool isIndex =
          op->getBlock() == body &&
          ((isa<memref::LoadOp>(op) && use.getOperandNumber() >= 1) ||
           (isa<memref::StoreOp>(op) && use.getOperandNumber() >= 2));
      if (!isIndex)
        return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  if (walk.wasInterrupted())
    return failure();

  // Intermediate parameters are only loaded.
  for (auto [i, isIntermediate] : llvm::enumerate(intermediate)) {
    if (!isIntermediate)
      continue;
    for (Operation *user : func.getArgument(i).getUsers())
      if (!isa<memref::LoadOp>(user) || user->getBlock() != body)
        return failure();
  }
  return form;
}

//===----------------------------------------------------------------------===//
// The element set a store covers
//===----------------------------------------------------------------------===//

/// The size of one dimension of an element set: a host value or a constant.
struct Extent {
  Value value;
  std::optional<int64_t> constant;

  std::optional<int64_t> getConstant() const {
    return constant ? constant : constantInt(value);
  }
};

/// The extent a device value has in a launch.
std::optional<Extent> toExtent(Launched &kernel, Value v) {
  if (std::optional<int64_t> c = kernel.constant(v))
    return Extent{Value(), c};
  if (Value host = kernel.hostValue(v))
    return Extent{host, std::nullopt};
  return std::nullopt;
}

/// True when `extent` is provably dimension `dim` of the host buffer.
bool isDimOf(const Extent &extent, Value buffer, unsigned dim) {
  auto type = cast<MemRefType>(buffer.getType());
  if (!type.isDynamicDim(dim))
    return extent.getConstant() == type.getDimSize(dim);
  if (!extent.value)
    return false;
  if (auto alloc = buffer.getDefiningOp<AllocOp>())
    if (alloc.getDynamicSizes()[type.getDynamicDimIndex(dim)] == extent.value)
      return true;
  if (auto dimOp = extent.value.getDefiningOp<memref::DimOp>())
    return dimOp.getSource() == buffer &&
           constantInt(dimOp.getIndex()) == int64_t(dim);
  return false;
}

/// True when `grid` workgroups of `width` threads provably reach `extent`:
/// constants, the extent itself (width 1), or ceil(extent / width) computed
/// as `(extent + width - 1) / width` or `arith.ceildivui`.
bool covers(Value grid, int64_t width, const Extent &extent) {
  std::optional<int64_t> g = constantInt(grid), e = extent.getConstant();
  if (g && e)
    return *g * width >= *e;
  if (!extent.value)
    return false;
  if (width == 1 && sameHostValue(grid, extent.value))
    return true;
  if (auto div = grid.getDefiningOp<arith::CeilDivUIOp>())
    return sameHostValue(div.getLhs(), extent.value) &&
           constantInt(div.getRhs()) == width;
  auto div = grid.getDefiningOp<arith::DivUIOp>();
  if (!div || constantInt(div.getRhs()) != width)
    return false;
  auto add = div.getLhs().getDefiningOp<arith::AddIOp>();
  if (!add)
    return false;
  return (sameHostValue(add.getLhs(), extent.value) &&
          constantInt(add.getRhs()) == width - 1) ||
         (sameHostValue(add.getRhs(), extent.value) &&
          constantInt(add.getLhs()) == width - 1);
}

/// The box [0, e0) x [0, e1) x ... that the threads of `kernel` passing
/// `guards` address with `index`, each element by exactly one thread; fails
/// when that cannot be shown. Each index term is `block_id d * W +
/// thread_id d` (W the workgroup size in d) or `block_id d`, one dimension
/// per term; guards bound terms by sizes (`<`) or fix `thread_id d == 0`;
/// dimensions without a term have one workgroup and one thread (or thread
/// 0); the grid reaches each bound.
FailureOr<SmallVector<Extent>>
analyzeElements(Launched &kernel, ValueRange index, ArrayRef<Value> guards) {
  std::optional<std::array<int32_t, 3>> workgroup =
      kernel.func.getWorkgroupSize();
  if (!workgroup)
    return failure();
  SmallVector<Value, 3> grid = kernel.launch.getGridSize();

  struct Term {
    bool linear;
    unsigned dim;
  };
  SmallVector<Term> terms;
  bool used[3] = {false, false, false};
  for (Value v : index) {
    std::optional<Term> term;
    if (auto bid = v.getDefiningOp<BlockIdOp>()) {
      term = Term{false, unsigned(bid.getDimension())};
    } else if (auto add = v.getDefiningOp<arith::AddIOp>()) {
      for (auto [m, t] : {std::pair(add.getLhs(), add.getRhs()),
                          std::pair(add.getRhs(), add.getLhs())}) {
        auto tid = t.getDefiningOp<ThreadIdOp>();
        auto mul = m.getDefiningOp<arith::MulIOp>();
        if (!tid || !mul)
          continue;
        unsigned d = unsigned(tid.getDimension());
        for (auto [blk, w] : {std::pair(mul.getLhs(), mul.getRhs()),
                              std::pair(mul.getRhs(), mul.getLhs())}) {
          auto bid = blk.getDefiningOp<BlockIdOp>();
          if (bid && unsigned(bid.getDimension()) == d &&
              kernel.constant(w) == int64_t((*workgroup)[d]))
            term = Term{true, d};
        }
      }
    }
    if (!term || used[term->dim])
      return failure();
    used[term->dim] = true;
    terms.push_back(*term);
  }

  SmallVector<std::optional<Extent>> bounds(index.size());
  bool fixed[3] = {false, false, false};
  for (Value guard : guards) {
    auto cmp = guard.getDefiningOp<arith::CmpIOp>();
    if (!cmp)
      return failure();
    Value lhs = cmp.getLhs(), rhs = cmp.getRhs();
    arith::CmpIPredicate pred = cmp.getPredicate();
    if (pred == arith::CmpIPredicate::ugt ||
        pred == arith::CmpIPredicate::sgt) {
      std::swap(lhs, rhs);
      pred = pred == arith::CmpIPredicate::ugt ? arith::CmpIPredicate::ult
                                               : arith::CmpIPredicate::slt;
    }
    if (pred == arith::CmpIPredicate::ult ||
        pred == arith::CmpIPredicate::slt) {
      auto it = llvm::find(index, lhs);
      if (it == index.end())
        return failure();
      unsigned j = it - index.begin();
      std::optional<Extent> extent = toExtent(kernel, rhs);
      if (bounds[j] || !extent)
        return failure();
      bounds[j] = extent;
      continue;
    }
    if (pred != arith::CmpIPredicate::eq)
      return failure();
    bool matched = false;
    for (auto [x, y] : {std::pair(lhs, rhs), std::pair(rhs, lhs)}) {
      auto tid = x.getDefiningOp<ThreadIdOp>();
      if (tid && kernel.constant(y) == 0) {
        fixed[unsigned(tid.getDimension())] = true;
        matched = true;
        break;
      }
    }
    if (!matched)
      return failure();
  }

  for (unsigned d = 0; d < 3; ++d)
    if (!used[d] &&
        (constantInt(grid[d]) != 1 || ((*workgroup)[d] != 1 && !fixed[d])))
      return failure();
  SmallVector<Extent> extents;
  for (auto [j, term] : llvm::enumerate(terms)) {
    unsigned d = term.dim;
    if (!term.linear) {
      if ((*workgroup)[d] != 1 && !fixed[d])
        return failure();
      if (!bounds[j]) {
        extents.push_back(Extent{grid[d], std::nullopt});
        continue;
      }
      if (!covers(grid[d], 1, *bounds[j]))
        return failure();
      extents.push_back(*bounds[j]);
      continue;
    }
    if (fixed[d] || !bounds[j] || !covers(grid[d], (*workgroup)[d], *bounds[j]))
      return failure();
    extents.push_back(*bounds[j]);
  }
  return extents;
}

/// The one store of a producer to its intermediate parameter, not in a
/// loop, with the conditions of the scf.if ops around it.
struct FinalStore {
  memref::StoreOp store;
  SmallVector<Value> guards;
};

FailureOr<FinalStore> matchFinalStore(KernelFuncOp func, unsigned param,
                                      Refusal &why) {
  FinalStore result;
  for (OpOperand &use : func.getArgument(param).getUses()) {
    Operation *user = use.getOwner();
    if (isa<memref::LoadOp>(user)) {
      why = Refusal::OtherUse;
      return failure();
    }
    auto store = dyn_cast<memref::StoreOp>(user);
    if (!store || use.getOperandNumber() != 1 || result.store) {
      why = Refusal::Kernel;
      return failure();
    }
    result.store = store;
  }
  why = Refusal::Kernel;
  if (!result.store || !func.getBody().hasOneBlock())
    return failure();
  Operation *op = result.store;
  while (op->getParentOp() != func) {
    auto ifOp = dyn_cast<scf::IfOp>(op->getParentOp());
    if (!ifOp || op->getParentRegion() != &ifOp.getThenRegion())
      return failure();
    conjuncts(ifOp.getCondition(), result.guards);
    op = ifOp;
  }
  return result;
}

/// True when the kernel only loads parameter `param`, at the index of
/// `store` and before it in its block: each element is read by the thread
/// that stores that element, before it stores (so an epilogue may write the
/// same buffer there).
bool readOnlyAt(KernelFuncOp func, unsigned param, memref::StoreOp store) {
  return llvm::all_of(func.getArgument(param).getUsers(), [&](Operation *user) {
    auto load = dyn_cast<memref::LoadOp>(user);
    return load && load->getBlock() == store->getBlock() &&
           load->isBeforeInBlock(store) &&
           llvm::equal(load.getIndices(), store.getIndices());
  });
}

/// True when the kernel may write parameter `param` (a use other than a
/// load or a size query).
bool writesParam(KernelFuncOp func, unsigned param) {
  return llvm::any_of(func.getArgument(param).getUsers(), [](Operation *user) {
    return !isa<memref::LoadOp, memref::DimOp>(user);
  });
}

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

/// A launch writing `buffer` and the next launch using it.
struct Candidate {
  LaunchOp producer;
  Value buffer;
  LaunchOp consumer;
};

/// What a legal fusion needs to rewrite.
struct Plan {
  Launched producer, consumer;
  Value buffer;
  unsigned producerParam;
  bool epilogue;
  /// The producer's store to the intermediate.
  memref::StoreOp producerStore;
  /// The producer's guard (element-wise producers).
  scf::IfOp producerGuard;
  ElementwiseForm consumerForm;
};

struct FusePass : gpuinit::kernel::impl::KernelFuseBase<FusePass> {
  using KernelFuseBase::KernelFuseBase;

  SmallVector<Candidate> findCandidates();
  /// Checks a candidate; on success fills `plan`.
  std::optional<Refusal> check(const Candidate &candidate, Plan &plan);
  KernelFuncOp buildFusedKernel(Plan &plan, SmallVectorImpl<Value> &hostArgs);

  void runOnOperation() override {
    uint64_t fused = 0, removed = 0;
    SmallVector<uint64_t> refused(kNumRefusals, 0);
    while (true) {
      SmallVector<Refusal> refusals;
      bool changed = false;
      for (const Candidate &candidate : findCandidates()) {
        Plan plan;
        if (std::optional<Refusal> why = check(candidate, plan)) {
          refusals.push_back(*why);
          continue;
        }
        removed += fuseAndClean(plan);
        ++fused;
        changed = true;
        break;
      }
      // Candidates refused once nothing fuses any more stay refused.
      if (!changed) {
        for (Refusal why : refusals)
          ++refused[unsigned(why)];
        break;
      }
    }

    numFused += fused;
    numBuffersRemoved += removed;
    numRefusedTarget += refused[unsigned(Refusal::Target)];
    numRefusedOtherUse += refused[unsigned(Refusal::OtherUse)];
    numRefusedIntervening += refused[unsigned(Refusal::Intervening)];
    numRefusedLaunchShape += refused[unsigned(Refusal::LaunchShape)];
    numRefusedMaxRegisters += refused[unsigned(Refusal::MaxRegisters)];
    numRefusedSharedMemory += refused[unsigned(Refusal::SharedMemory)];
    numRefusedKernel += refused[unsigned(Refusal::Kernel)];
    numRefusedIndex += refused[unsigned(Refusal::Index)];
    numRefusedDomain += refused[unsigned(Refusal::Domain)];
    numRefusedHazard += refused[unsigned(Refusal::Hazard)];
    gpuinit::recordStatistic(getName(), "launches-fused",
                             "Launches fused into their producer", fused);
    gpuinit::recordStatistic(getName(), "buffers-removed",
                             "Intermediate device buffers removed", removed);
    for (unsigned i = 0; i < kNumRefusals; ++i)
      gpuinit::recordStatistic(getName(), kRefusals[i].name,
                               kRefusals[i].description, refused[i]);
  }

  /// Fuses, removes the intermediate buffer and the kernels no longer
  /// launched; returns the number of buffers removed.
  uint64_t fuseAndClean(Plan &plan);
};

SmallVector<Candidate> FusePass::findCandidates() {
  SmallVector<LaunchOp> launches;
  getOperation().walk([&](LaunchOp launch) { launches.push_back(launch); });
  SmallVector<Candidate> candidates;
  for (LaunchOp producer : launches) {
    KernelFuncOp pf = producer.getKernelFunc();
    if (!pf || !llvm::is_contained({KernelKind::elementwise, KernelKind::matmul,
                                    KernelKind::reduce},
                                   pf.getKind()))
      continue;
    SmallPtrSet<Value, 4> seen;
    for (auto [i, arg] : llvm::enumerate(producer.getArgs())) {
      if (!isa<MemRefType>(arg.getType()) || !seen.insert(arg).second ||
          !writesParam(pf, i))
        continue;
      // The next op of the block that uses the buffer.
      Operation *next = producer->getNextNode();
      for (; next; next = next->getNextNode())
        if (llvm::any_of(arg.getUsers(), [&](Operation *user) {
              return next->isAncestor(user);
            }))
          break;
      auto consumer = dyn_cast_or_null<LaunchOp>(next);
      if (!consumer)
        continue;
      KernelFuncOp cf = consumer.getKernelFunc();
      if (!cf || cf.getKind() != KernelKind::elementwise)
        continue;
      candidates.push_back({producer, arg, consumer});
    }
  }
  return candidates;
}

std::optional<Refusal> FusePass::check(const Candidate &candidate, Plan &plan) {
  LaunchOp P = candidate.producer, C = candidate.consumer;
  Value buffer = candidate.buffer;
  plan.producer = {P, P.getKernelFunc()};
  plan.consumer = {C, C.getKernelFunc()};
  plan.buffer = buffer;
  KernelFuncOp pf = plan.producer.func, cf = plan.consumer.func;
  MetadataAttr pm = pf.getMetadata(), cm = cf.getMetadata();
  plan.epilogue = pf.getKind() != KernelKind::elementwise;

  if (pm.getTarget() != cm.getTarget())
    return Refusal::Target;

  // The intermediate: a buffer of this block, used by the two launches and
  // freed after them.
  auto alloc = buffer.getDefiningOp<AllocOp>();
  if (!alloc || alloc->getBlock() != P->getBlock())
    return Refusal::OtherUse;
  for (Operation *user : buffer.getUsers()) {
    if (user == P || user == C)
      continue;
    if (isa<FreeOp>(user) && user->getBlock() == C->getBlock() &&
        C->isBeforeInBlock(user))
      continue;
    return Refusal::OtherUse;
  }
  if (llvm::count(P.getArgs(), buffer) != 1)
    return Refusal::Kernel;
  plan.producerParam = llvm::find(P.getArgs(), buffer) - P.getArgs().begin();

  SmallVector<Value> buffers;
  for (LaunchOp launch : {P, C})
    for (Value arg : launch.getArgs())
      if (isa<MemRefType>(arg.getType()))
        buffers.push_back(arg);
  for (Operation *op = P->getNextNode(); op != C; op = op->getNextNode())
    if (touches(op, buffers))
      return Refusal::Intervening;

  if (!plan.epilogue) {
    for (auto [x, y] : llvm::zip(P.getGridSize(), C.getGridSize()))
      if (!sameHostValue(x, y))
        return Refusal::LaunchShape;
    for (auto [x, y] : llvm::zip(P.getBlockSize(), C.getBlockSize()))
      if (!sameHostValue(x, y))
        return Refusal::LaunchShape;
  }

  if (pm.getMaxRegisters() && cm.getMaxRegisters() &&
      *pm.getMaxRegisters() != *cm.getMaxRegisters())
    return Refusal::MaxRegisters;

  if (sharedBudget(pf) + sharedBudget(cf) >
      pm.getTarget().getMaxStaticSharedMemory())
    return Refusal::SharedMemory;
  if (Value dynamic = C.getDynamicSharedMemorySize();
      dynamic && constantInt(dynamic) != 0)
    return Refusal::SharedMemory;

  SmallVector<bool> intermediate;
  for (Value arg : C.getArgs())
    intermediate.push_back(arg == buffer);
  FailureOr<ElementwiseForm> consumerForm = matchElementwise(cf, intermediate);
  if (failed(consumerForm) || consumerForm->intermediateLoads.empty())
    return Refusal::Kernel;
  plan.consumerForm = *consumerForm;
  memref::StoreOp consumerStore = consumerForm->store;

  if (!plan.epilogue) {
    SmallVector<bool> none(pf.getNumArguments(), false);
    FailureOr<ElementwiseForm> producerForm = matchElementwise(pf, none);
    if (failed(producerForm))
      return Refusal::Kernel;
    BlockArgument param = pf.getArgument(plan.producerParam);
    if (producerForm->store.getMemRef() != param)
      return Refusal::Kernel;
    if (!param.hasOneUse())
      return llvm::any_of(param.getUsers(),
                          [](Operation *u) { return isa<memref::LoadOp>(u); })
                 ? Refusal::OtherUse
                 : Refusal::Kernel;
    plan.producerStore = producerForm->store;
    plan.producerGuard = producerForm->guard;

    Equivalence same(plan.producer, plan.consumer);
    ValueRange stored = plan.producerStore.getIndices();
    for (memref::LoadOp load : consumerForm->intermediateLoads)
      if (!same.all(stored, load.getIndices()))
        return Refusal::Index;
    if (!same.all(stored, consumerStore.getIndices()))
      return Refusal::Index;
    if (!same(plan.producerGuard.getCondition(),
              consumerForm->guard.getCondition()))
      return Refusal::Domain;
    return std::nullopt;
  }

  Refusal why;
  FailureOr<FinalStore> finalStore =
      matchFinalStore(pf, plan.producerParam, why);
  if (failed(finalStore))
    return why;
  plan.producerStore = finalStore->store;
  for (memref::LoadOp load : consumerForm->intermediateLoads)
    if (!llvm::equal(load.getIndices(), consumerStore.getIndices()))
      return Refusal::Index;

  // Both must address every element of the intermediate exactly once.
  auto rank = unsigned(cast<MemRefType>(buffer.getType()).getRank());
  FailureOr<SmallVector<Extent>> produced = analyzeElements(
      plan.producer, finalStore->store.getIndices(), finalStore->guards);
  SmallVector<Value> consumerGuards;
  conjuncts(consumerForm->guard.getCondition(), consumerGuards);
  FailureOr<SmallVector<Extent>> consumed = analyzeElements(
      plan.consumer, consumerStore.getIndices(), consumerGuards);
  if (failed(produced) || failed(consumed) || produced->size() != rank ||
      consumed->size() != rank)
    return Refusal::Domain;
  for (unsigned d = 0; d < rank; ++d)
    if (!isDimOf((*produced)[d], buffer, d) ||
        !isDimOf((*consumed)[d], buffer, d))
      return Refusal::Domain;

  // The epilogue now runs while other threads of the producer still read
  // and write: it must not write what the producer accesses nor read what
  // it writes.
  Value output = C.getArgs()[paramNumber(cf, consumerStore.getMemRef())];
  for (auto [i, arg] : llvm::enumerate(P.getArgs())) {
    if (i == plan.producerParam || !isa<MemRefType>(arg.getType()))
      continue;
    if (mayAlias(output, arg) && !readOnlyAt(pf, i, finalStore->store))
      return Refusal::Hazard;
    if (!writesParam(pf, i))
      continue;
    for (Operation &op : consumerForm->guard.thenBlock()->without_terminator())
      if (auto load = dyn_cast<memref::LoadOp>(op))
        if (mayAlias(C.getArgs()[paramNumber(cf, load.getMemRef())], arg))
          return Refusal::Hazard;
  }
  return std::nullopt;
}

/// Removes ops of `func` whose results are unused and that have no effects.
void removeDeadOps(KernelFuncOp func) {
  SmallVector<Operation *> dead;
  do {
    dead.clear();
    func.walk([&](Operation *op) {
      if (op != func && isOpTriviallyDead(op))
        dead.push_back(op);
    });
    for (Operation *op : dead)
      op->erase();
  } while (!dead.empty());
}

/// The name of a fused kernel: the producer's (without an earlier `_fused`
/// suffix) + `_fused`, uniqued in `module`.
std::string fusedName(KernelModuleOp module, StringRef producer) {
  StringRef base = producer;
  size_t at = base.rfind("_fused");
  if (at != StringRef::npos) {
    StringRef rest = base.drop_front(at + 6);
    if (rest.empty() || (rest.consume_front("_") && !rest.empty() &&
                         llvm::all_of(rest, llvm::isDigit)))
      base = base.take_front(at);
  }
  std::string name = (base + "_fused").str();
  SymbolTable symbols(module);
  std::string unique = name;
  for (unsigned i = 1; symbols.lookup(unique); ++i)
    unique = name + "_" + std::to_string(i);
  return unique;
}

KernelFuncOp FusePass::buildFusedKernel(Plan &plan,
                                        SmallVectorImpl<Value> &hostArgs) {
  KernelFuncOp pf = plan.producer.func, cf = plan.consumer.func;
  LaunchOp P = plan.producer.launch, C = plan.consumer.launch;
  MetadataAttr pm = pf.getMetadata(), cm = cf.getMetadata();
  MLIRContext *ctx = pf.getContext();

  // Parameters: the producer's without the intermediate, then the
  // consumer's without it and without those already passed.
  SmallVector<Type> types;
  // (parameter number, slot) of the producer and of the consumer.
  SmallVector<std::pair<unsigned, unsigned>> producerSlots, consumerSlots;
  for (auto [i, arg] : llvm::enumerate(P.getArgs())) {
    if (i == plan.producerParam)
      continue;
    producerSlots.push_back({unsigned(i), unsigned(hostArgs.size())});
    hostArgs.push_back(arg);
    types.push_back(pf.getArgumentTypes()[i]);
  }
  for (auto [i, arg] : llvm::enumerate(C.getArgs())) {
    if (arg == plan.buffer)
      continue;
    Type type = cf.getArgumentTypes()[i];
    unsigned slot = hostArgs.size();
    for (unsigned j = 0; j < hostArgs.size(); ++j)
      if (hostArgs[j] == arg && types[j] == type)
        slot = j;
    if (slot == hostArgs.size()) {
      hostArgs.push_back(arg);
      types.push_back(type);
    }
    consumerSlots.push_back({unsigned(i), slot});
  }

  // Metadata: the producer's, with both kernels' limits.
  auto minOf = [](auto a, auto b) -> decltype(a) {
    if (a && b)
      return std::min(*a, *b);
    return a ? a : b;
  };
  auto maxOf = [](auto a, auto b) -> decltype(a) {
    if (a && b)
      return std::max(*a, *b);
    return a ? a : b;
  };
  std::optional<uint64_t> shared;
  if (pm.getSharedMemory() || cm.getSharedMemory())
    shared = sharedBudget(pf) + sharedBudget(cf);
  ArrayRef<int32_t> workgroup = pm.getWorkgroupSize();
  if (workgroup.empty())
    workgroup = cm.getWorkgroupSize();
  auto metadata = MetadataAttr::get(
      ctx, pm.getKind(), pm.getTarget(), workgroup,
      minOf(pm.getMaxThreads(), cm.getMaxThreads()),
      maxOf(pm.getMinBlocks(), cm.getMinBlocks()), shared,
      pm.getMaxRegisters() ? pm.getMaxRegisters() : cm.getMaxRegisters(),
      /*device=*/false, pm.getHints());

  // A kernel launched twice is both producer and consumer: take the
  // consumer's body from a detached copy, so that the two sets of
  // parameters are different values.
  ElementwiseForm form = plan.consumerForm;
  Operation *copy = nullptr;
  if (cf == pf) {
    IRMapping copied;
    copy = cf->clone(copied);
    cf = cast<KernelFuncOp>(copy);
    form.guard = cast<scf::IfOp>(copied.lookup(form.guard.getOperation()));
    form.store =
        cast<memref::StoreOp>(copied.lookup(form.store.getOperation()));
    for (memref::LoadOp &load : form.intermediateLoads)
      load = cast<memref::LoadOp>(copied.lookup(load.getOperation()));
  }

  auto module = cast<KernelModuleOp>(pf->getParentOp());
  OpBuilder b(ctx);
  b.setInsertionPointAfter(pf);
  Location loc = FusedLoc::get(ctx, {pf.getLoc(), cf.getLoc()});
  // Named once the kernels it replaces are gone (see fuseAndClean).
  auto fused = KernelFuncOp::create(b, loc, fusedName(module, "fusing"),
                                    b.getFunctionType(types, {}), metadata);
  Block &entry = fused.getEntryBlock();
  IRMapping map;
  for (auto [param, slot] : producerSlots)
    map.map(pf.getArgument(param), entry.getArgument(slot));
  for (auto [param, slot] : consumerSlots)
    map.map(cf.getArgument(param), entry.getArgument(slot));

  b.setInsertionPointToStart(&entry);
  Block &pEntry = pf.getEntryBlock(), &cEntry = cf.getEntryBlock();
  Block *consumerBody = form.guard.thenBlock();
  auto isIntermediateLoad = [&](Operation *op) {
    return llvm::any_of(form.intermediateLoads, [&](memref::LoadOp load) {
      return load.getOperation() == op;
    });
  };
  if (!plan.epilogue) {
    // Producer ops before its guard, the consumer's pure ops, then the
    // producer's guard.
    auto guardIt = plan.producerGuard->getIterator();
    for (Operation &op : llvm::make_range(pEntry.begin(), guardIt))
      b.clone(op, map);
    for (Operation &op : cEntry)
      if (&op != form.guard && !isa<ReturnOp>(op))
        b.clone(op, map);
    for (Operation &op : llvm::make_range(guardIt, pEntry.end()))
      if (!isa<ReturnOp>(op))
        b.clone(op, map);
  } else {
    for (Operation &op : pEntry)
      if (!isa<ReturnOp>(op))
        b.clone(op, map);
  }
  ReturnOp::create(b, loc);

  // The consumer's body goes where the producer stored the intermediate,
  // with the stored value in place of its loads.
  auto store =
      cast<memref::StoreOp>(map.lookup(plan.producerStore.getOperation()));
  Value stored = store.getValue();
  b.setInsertionPoint(store);
  for (memref::LoadOp load : form.intermediateLoads)
    map.map(load.getResult(), stored);
  if (!plan.epilogue) {
    for (Operation &op : consumerBody->without_terminator())
      if (!isIntermediateLoad(&op))
        b.clone(op, map);
  } else {
    // The epilogue at the producer's index: loads and the store use it; the
    // consumer's other values are thread-independent and cloned on demand.
    ValueRange at = store.getIndices();
    std::function<void(Value)> materialize = [&](Value v) {
      if (map.contains(v))
        return;
      Operation *def = v.getDefiningOp();
      def->walk([&](Operation *inner) {
        for (Value operand : inner->getOperands())
          if (operand.getParentBlock() == &cEntry)
            materialize(operand);
      });
      b.clone(*def, map);
    };
    for (Operation &op : consumerBody->without_terminator()) {
      if (isIntermediateLoad(&op))
        continue;
      if (auto load = dyn_cast<memref::LoadOp>(op)) {
        map.map(load.getResult(),
                memref::LoadOp::create(b, load.getLoc(),
                                       map.lookup(load.getMemRef()), at));
        continue;
      }
      if (auto consumerStore = dyn_cast<memref::StoreOp>(op)) {
        materialize(consumerStore.getValue());
        memref::StoreOp::create(b, consumerStore.getLoc(),
                                map.lookup(consumerStore.getValue()),
                                map.lookup(consumerStore.getMemRef()), at);
        continue;
      }
      op.walk([&](Operation *inner) {
        for (Value operand : inner->getOperands())
          if (operand.getParentBlock() == &cEntry)
            materialize(operand);
      });
      b.clone(op, map);
    }
  }
  store.erase();
  if (copy)
    copy->erase();

  IRRewriter rewriter(ctx);
  DominanceInfo dominance(fused);
  eliminateCommonSubExpressions(rewriter, dominance, fused);
  removeDeadOps(fused);

  // Parameters only the consumer had and the fused body no longer uses
  // (its bounds, when the producer's guard took over) are dropped.
  unsigned producerParams = P.getArgs().size() - 1;
  llvm::BitVector unused(hostArgs.size());
  for (unsigned i = producerParams; i < hostArgs.size(); ++i)
    unused[i] = entry.getArgument(i).use_empty();
  if (unused.any()) {
    (void)fused.eraseArguments(unused);
    for (int i = int(hostArgs.size()) - 1; i >= 0; --i)
      if (unused[i])
        hostArgs.erase(hostArgs.begin() + i);
  }
  return fused;
}

uint64_t FusePass::fuseAndClean(Plan &plan) {
  LaunchOp P = plan.producer.launch, C = plan.consumer.launch;
  KernelFuncOp pf = plan.producer.func, cf = plan.consumer.func;
  std::string producerName = pf.getSymName().str();
  SmallVector<Value> hostArgs;
  KernelFuncOp fused = buildFusedKernel(plan, hostArgs);
  auto module = cast<KernelModuleOp>(fused->getParentOp());
  SmallVector<Value, 3> grid = P.getGridSize(), block = P.getBlockSize();
  // Host values only the replaced launches used (sizes, grids) go too.
  SetVector<Operation *> hostDefs;
  for (Operation *op :
       {P.getOperation(), C.getOperation(), plan.buffer.getDefiningOp()})
    for (Value operand : op->getOperands())
      if (Operation *def = operand.getDefiningOp())
        hostDefs.insert(def);
  OpBuilder b(C);
  auto launch = LaunchOp::create(
      b, C.getLoc(), SymbolRefAttr::get(fused.getSymNameAttr()), grid[0],
      grid[1], grid[2], block[0], block[1], block[2],
      P.getDynamicSharedMemorySize(), hostArgs);
  C.erase();
  P.erase();

  uint64_t removed = 0;
  Value buffer = plan.buffer;
  if (llvm::all_of(buffer.getUsers(),
                   [](Operation *user) { return isa<FreeOp>(user); })) {
    for (Operation *user : llvm::make_early_inc_range(buffer.getUsers()))
      user->erase();
    buffer.getDefiningOp()->erase();
    removed = 1;
  }

  // (An op is erased only once nothing uses it, so it is never visited
  // again: a later entry for it would be a use.)
  DenseSet<Operation *> erased;
  for (unsigned i = 0; i < hostDefs.size(); ++i) {
    Operation *def = hostDefs[i];
    if (erased.contains(def) || !isOpTriviallyDead(def))
      continue;
    for (Value operand : def->getOperands())
      if (Operation *producer = operand.getDefiningOp())
        hostDefs.insert(producer);
    erased.insert(def);
    def->erase();
  }

  // Kernels no longer launched go; the fused one is named once they have.
  ModuleOp top = getOperation();
  for (KernelFuncOp func : {pf, cf}) {
    if (!SymbolTable::symbolKnownUseEmpty(func, top))
      continue;
    auto parent = cast<KernelModuleOp>(func->getParentOp());
    func.erase();
    if (parent.getBody()->empty())
      parent.erase();
    if (cf == pf)
      break;
  }
  fused.setSymName(fusedName(module, producerName));
  launch.setKernelAttr(
      SymbolRefAttr::get(module.getSymNameAttr(),
                         {FlatSymbolRefAttr::get(fused.getSymNameAttr())}));
  return removed;
}

} // namespace
