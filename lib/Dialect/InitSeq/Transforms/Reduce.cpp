//===- Reduce.cpp - initseq-reduce: remove accesses the device can't see --===//
//
// Removes duplicate and overwritten writes and simplifies read-modify-writes,
// only on registers a register map declares plain storage (or, for the read
// of a read-modify-write, read-pure). The rules are in
// docs/InitSeqReduction.md.
//
//===----------------------------------------------------------------------===//
#include "gpuinit/Dialect/InitSeq/Transforms/Passes.h"
#include "gpuinit/Runtime/RegMap.h"

#include "gpuinit/Support/PassStatistics.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/DenseMap.h"

#include <set>
#include <tuple>

namespace gpuinit::initseq {
#define GEN_PASS_DEF_INITSEQREDUCE
#include "initseq/InitSeqPasses.h.inc"
} // namespace gpuinit::initseq

using namespace mlir;
using namespace gpuinit::initseq;
namespace rt = gpuinit::runtime;

namespace {

/// One register as the reduction sees it: a location and an access width.
struct RegKey {
  RegAttr location;
  unsigned bits;
  bool operator==(const RegKey &o) const {
    return location == o.location && bits == o.bits;
  }
};

AccessInfo toInfo(const RegKey &k) {
  AccessInfo info;
  info.location = k.location;
  info.bits = k.bits;
  info.span = k.bits / 8;
  return info;
}

} // namespace

namespace llvm {
template <> struct DenseMapInfo<RegKey> {
  static RegKey getEmptyKey() {
    return {DenseMapInfo<RegAttr>::getEmptyKey(), 0};
  }
  static RegKey getTombstoneKey() {
    return {DenseMapInfo<RegAttr>::getTombstoneKey(), 0};
  }
  static unsigned getHashValue(const RegKey &k) {
    return hash_combine(k.location, k.bits);
  }
  static bool isEqual(const RegKey &a, const RegKey &b) { return a == b; }
};
} // namespace llvm

namespace {

/// A map from registers to T that also answers "which entries overlap this
/// access" in logarithmic time (a sequence can hold a million accesses and
/// thousands of known registers).
template <typename T> class RegTable {
public:
  T *lookup(const RegKey &k) {
    auto it = map.find(k);
    return it == map.end() ? nullptr : &it->second;
  }
  void set(const RegKey &k, T value) {
    auto [it, inserted] = map.try_emplace(k, value);
    if (!inserted)
      it->second = value;
    else
      index.insert(indexKey(k));
  }
  void erase(const RegKey &k) {
    if (map.erase(k))
      index.erase(indexKey(k));
  }
  void clear() {
    map.clear();
    index.clear();
  }
  /// The keys of entries that may overlap `a`.
  SmallVector<RegKey> overlapping(const AccessInfo &a) const {
    SmallVector<RegKey> result;
    auto [group, addr] = linear(a.location);
    // No access is wider than 8 bytes: an entry starting more than 7 bytes
    // below `addr` cannot reach it.
    uint64_t lo = addr >= 7 ? addr - 7 : 0;
    for (auto it = index.lower_bound({group, lo, nullptr, 0});
         it != index.end() && std::get<0>(*it) == group &&
         std::get<1>(*it) < addr + std::max<uint64_t>(a.span, 1);
         ++it) {
      RegKey k{RegAttr::getFromOpaquePointer(std::get<2>(*it)),
               std::get<3>(*it)};
      if (mayOverlap(toInfo(k), a))
        result.push_back(k);
    }
    return result;
  }
  /// A copy of the plain map (for condition bodies).
  RegTable copy() const { return *this; }

private:
  using IndexKey = std::tuple<uint64_t, uint64_t, const void *, unsigned>;

  /// (address group, address) of a location: indexed I/O registers are
  /// grouped per port pair and addressed by index, the others per space and
  /// BAR and addressed by byte offset.
  static std::pair<uint64_t, uint64_t> linear(RegAttr loc) {
    uint64_t space = uint64_t(loc.getSpace());
    if (loc.getSpace() == AddressSpace::idxio)
      return {space | loc.getOffset() << 8 | uint64_t(loc.getDataPort()) << 24,
              loc.getIndex()};
    return {space | uint64_t(loc.getBar()) << 8, loc.getOffset()};
  }
  static IndexKey indexKey(const RegKey &k) {
    auto [group, addr] = linear(k.location);
    return {group, addr, k.location.getAsOpaquePointer(), k.bits};
  }

  llvm::DenseMap<RegKey, T> map;
  std::set<IndexKey> index;
};

/// What the reduction knows at a point of a block.
struct State {
  /// Plain registers whose current value is known.
  RegTable<uint64_t> known;
  /// The last write to each plain register since the last observation point:
  /// deleting it is invisible if the register is overwritten before anything
  /// can observe it.
  RegTable<WriteOp> pending;
};

class Reducer {
public:
  Reducer(const rt::RegMap &map, bool dropPureReads)
      : map(map), dropPureReads(dropPureReads) {}

  uint64_t readsRemoved = 0, duplicateWrites = 0, deadWrites = 0, rmwToWrite = 0,
           rmwRemoved = 0;

  void reduceBlock(Block &block, State &state);

private:
  const rt::RegMap &map;
  bool dropPureReads;

  uint32_t props(const AccessInfo &a) const {
    RegAttr l = a.location;
    return map.lookup(static_cast<rt::Space>(l.getSpace()), l.getBar(),
                      l.getOffset(), a.span, l.getIndex());
  }

  /// Forgets known values and pending writes of registers overlapping `a`.
  static void clobber(State &s, const AccessInfo &a, bool keepExact = false,
                      RegKey exact = {}) {
    for (RegKey k : s.known.overlapping(a))
      if (!(keepExact && k == exact))
        s.known.erase(k);
    for (RegKey k : s.pending.overlapping(a))
      if (!(keepExact && k == exact))
        s.pending.erase(k);
  }

  /// Drops pending writes whose value `a` observes.
  static void observe(State &s, const AccessInfo &a) {
    for (RegKey k : s.pending.overlapping(a))
      s.pending.erase(k);
  }

  /// A plain write of `value` to `key` by `op` (null for part of a block
  /// write). Returns true if the write itself is redundant.
  bool plainWrite(State &s, RegKey key, uint64_t value, WriteOp op) {
    uint64_t *known = s.known.lookup(key);
    if (known && *known == value)
      return true;
    AccessInfo info = toInfo(key);
    clobber(s, info, /*keepExact=*/true, key);
    if (WriteOp *pend = s.pending.lookup(key)) {
      pend->erase();
      ++deadWrites;
      s.pending.erase(key);
    }
    s.known.set(key, value);
    if (op)
      s.pending.set(key, op);
    return false;
  }

  void reduceWrite(WriteOp op, State &s);
  void reduceRmw(RmwOp op, State &s);
  void reduceBlockWrite(BlockWriteOp op, State &s);
};

void Reducer::reduceWrite(WriteOp op, State &s) {
  AccessInfo info = *getAccessInfo(op);
  RegKey key{op.getLocation(), info.bits};
  if (!(props(info) & rt::kPlain)) {
    // A side-effecting write is an observation point for every register.
    clobber(s, info);
    s.pending.clear();
    return;
  }
  if (plainWrite(s, key, uint64_t(op.getValue()), op)) {
    op.erase();
    ++duplicateWrites;
  }
}

void Reducer::reduceRmw(RmwOp op, State &s) {
  AccessInfo info = *getAccessInfo(op);
  RegKey key{op.getLocation(), info.bits};
  uint32_t p = props(info);
  uint64_t andMask = uint64_t(op.getAndMask()) & widthMask(info.bits);
  uint64_t orMask = uint64_t(op.getOrMask());
  if (p & rt::kPlain) {
    if (uint64_t *known = s.known.lookup(key)) {
      uint64_t old = *known;
      uint64_t next = (old & andMask) | orMask;
      if (next == old) {
        op.erase();
        ++rmwRemoved;
        return;
      }
      OpBuilder b(op);
      auto w = WriteOp::create(b, op.getLoc(), op.getLocation(), op.getWidth(),
                               int64_t(next), op.getSrcOffset(),
                               op.getScript(), op.getTs());
      op.erase();
      ++rmwToWrite;
      plainWrite(s, key, next, w);
      return;
    }
  }
  if ((p & rt::kReadPure) && andMask == 0) {
    // The read cannot be seen and its value does not matter.
    OpBuilder b(op);
    auto w = WriteOp::create(b, op.getLoc(), op.getLocation(), op.getWidth(),
                             int64_t(orMask), op.getSrcOffset(),
                             op.getScript(), op.getTs());
    op.erase();
    ++rmwToWrite;
    reduceWrite(w, s);
    return;
  }
  // The read observes the register; the write changes it.
  if (p & rt::kPlain) {
    observe(s, info);
    clobber(s, info);
    // The result is unknown but later writes may still overwrite it.
    return;
  }
  clobber(s, info);
  s.pending.clear();
}

void Reducer::reduceBlockWrite(BlockWriteOp op, State &s) {
  AccessInfo info = *getAccessInfo(op);
  if (!(props(info) & rt::kPlain)) {
    clobber(s, info);
    s.pending.clear();
    return;
  }
  uint64_t stride = uint64_t(op.getStride());
  for (auto [i, v] : llvm::enumerate(op.getValues())) {
    RegKey key{op.getLocation().withOffset(op.getLocation().getOffset() +
                                           i * stride),
               info.bits};
    plainWrite(s, key, uint64_t(v), nullptr);
  }
}

void Reducer::reduceBlock(Block &block, State &s) {
  for (Operation &opRef : llvm::make_early_inc_range(block)) {
    Operation *op = &opRef;
    if (auto w = dyn_cast<WriteOp>(op)) {
      reduceWrite(w, s);
    } else if (auto r = dyn_cast<RmwOp>(op)) {
      reduceRmw(r, s);
    } else if (auto bw = dyn_cast<BlockWriteOp>(op)) {
      reduceBlockWrite(bw, s);
    } else if (isa<ReadOp, PollOp>(op)) {
      AccessInfo info = *getAccessInfo(op);
      if (dropPureReads && isa<ReadOp>(op) && (props(info) & rt::kReadPure)) {
        op->erase();
        ++readsRemoved;
        continue;
      }
      observe(s, info);
      if (!(props(info) & rt::kReadPure))
        clobber(s, info);
      // Time passes while polling, and a side-effecting read is seen.
      if (isa<PollOp>(op) || !(props(info) & rt::kReadPure))
        s.pending.clear();
    } else if (isa<DelayOp>(op)) {
      // Hardware may act on register values while time passes.
      s.pending.clear();
    } else if (auto cond = dyn_cast<ConditionOp>(op)) {
      // Testing the condition is an observation point. Each body starts from
      // what is known before the op (exactly one of them runs), and nothing
      // is pending across the op in either direction.
      s.pending.clear();
      for (Region &body : cond->getRegions()) {
        if (body.empty())
          continue;
        State inner;
        inner.known = s.known.copy();
        reduceBlock(body.front(), inner);
      }
      // After the op, a register either body may write may hold any of the
      // values the bodies leave (or the one before): it is unknown.
      bool opaque = false;
      cond->walk([&](Operation *nested) {
        if (isa<OpaqueOp>(nested))
          opaque = true;
        else if (isa<WriteOp, RmwOp, BlockWriteOp>(nested))
          clobber(s, *getAccessInfo(nested));
        else if (isa<ReadOp, PollOp>(nested)) {
          AccessInfo info = *getAccessInfo(nested);
          if (!(props(info) & rt::kReadPure))
            clobber(s, info);
        }
      });
      if (opaque)
        s.known.clear();
    } else if (isa<OpaqueOp>(op)) {
      // Anything may have happened to any register.
      s.known.clear();
      s.pending.clear();
    }
  }
}

struct ReducePass
    : gpuinit::initseq::impl::InitSeqReduceBase<ReducePass> {
  using InitSeqReduceBase::InitSeqReduceBase;

  LogicalResult initialize(MLIRContext *ctx) override {
    absl::StatusOr<rt::RegMap> loaded = rt::RegMap::load(regmapPath);
    if (!loaded.ok())
      return emitError(UnknownLoc::get(ctx))
             << "initseq-reduce: " << std::string(loaded.status().message());
    map = std::move(*loaded);
    return success();
  }

  void runOnOperation() override {
    Reducer reducer(map, dropPureReads);
    State state;
    reducer.reduceBlock(getOperation().getBodyBlock(), state);
    numReadsRemoved += reducer.readsRemoved;
    numDuplicateWrites += reducer.duplicateWrites;
    numDeadWrites += reducer.deadWrites;
    numRmwToWrite += reducer.rmwToWrite;
    numRmwRemoved += reducer.rmwRemoved;
    gpuinit::recordStatistic(getName(), "reads-removed",
                             "Reads of read-pure registers removed",
                             reducer.readsRemoved);
    gpuinit::recordStatistic(getName(), "duplicate-writes",
                             "Duplicate writes removed",
                             reducer.duplicateWrites);
    gpuinit::recordStatistic(getName(), "dead-writes",
                             "Overwritten writes removed", reducer.deadWrites);
    gpuinit::recordStatistic(getName(), "rmw-to-write",
                             "Read-modify-writes turned into writes",
                             reducer.rmwToWrite);
    gpuinit::recordStatistic(getName(), "rmw-removed",
                             "Read-modify-writes that change nothing removed",
                             reducer.rmwRemoved);
  }

  rt::RegMap map;
};

} // namespace
