//===- Coalesce.cpp - initseq-coalesce ------------------------------------===//
//
// Merges adjacent writes to consecutive registers into block writes.
//
//===----------------------------------------------------------------------===//
#include "gpuinit/Dialect/InitSeq/Transforms/Passes.h"

#include "gpuinit/Support/PassStatistics.h"
#include "mlir/IR/Builders.h"

namespace gpuinit::initseq {
#define GEN_PASS_DEF_INITSEQCOALESCE
#include "initseq/InitSeqPasses.h.inc"
} // namespace gpuinit::initseq

using namespace mlir;
using namespace gpuinit::initseq;

namespace {

struct CoalescePass
    : gpuinit::initseq::impl::InitSeqCoalesceBase<CoalescePass> {
  using InitSeqCoalesceBase::InitSeqCoalesceBase;

  /// True when `next` writes the register right after `prev`'s.
  static bool continues(WriteOp prev, WriteOp next) {
    RegAttr a = prev.getLocation(), b = next.getLocation();
    if (a.getSpace() != b.getSpace() || a.getBar() != b.getBar() ||
        prev.getWidth() != next.getWidth() ||
        a.getSpace() == AddressSpace::idxio)
      return false;
    uint64_t bytes = prev.getWidth().getIntOrFloatBitWidth() / 8;
    return b.getOffset() == a.getOffset() + bytes;
  }

  void flush(SmallVectorImpl<WriteOp> &run) {
    if (run.size() >= std::max(2u, unsigned(minRun))) {
      WriteOp first = run.front();
      SmallVector<int64_t> values;
      for (WriteOp w : run)
        values.push_back(w.getValue());
      OpBuilder b(first);
      BlockWriteOp::create(
          b, first.getLoc(), first.getLocation(), first.getWidth(),
          int64_t(first.getWidth().getIntOrFloatBitWidth() / 8),
          b.getDenseI64ArrayAttr(values), first.getSrcOffset(),
          first.getScript(), first.getTs());
      for (WriteOp w : run)
        w.erase();
      ++blocks;
      merged += values.size();
    }
    run.clear();
  }

  void runOnBlock(Block &block) {
    SmallVector<WriteOp> run;
    for (Operation &op : llvm::make_early_inc_range(block)) {
      if (auto cond = dyn_cast<ConditionOp>(op)) {
        // A run never crosses a condition; each body is a run of its own.
        flush(run);
        runOnBlock(cond.getThenBlock());
        if (Block *elseBlock = cond.getElseBlock())
          runOnBlock(*elseBlock);
        continue;
      }
      auto w = dyn_cast<WriteOp>(op);
      if (w && !run.empty() && continues(run.back(), w)) {
        run.push_back(w);
        continue;
      }
      flush(run);
      if (w && w.getLocation().getSpace() != AddressSpace::idxio)
        run.push_back(w);
    }
    flush(run);
  }

  void runOnOperation() override {
    blocks = merged = 0;
    runOnBlock(getOperation().getBodyBlock());
    numBlocks += blocks;
    numWrites += merged;
    gpuinit::recordStatistic(getName(), "block-writes", "Block writes formed",
                             blocks);
    gpuinit::recordStatistic(getName(), "writes-merged",
                             "Writes merged into block writes", merged);
  }

  uint64_t blocks = 0, merged = 0;
};

} // namespace
