//===- DetectPolls.cpp - initseq-detect-polls -----------------------------===//
//
// Collapses a run of reads of one register that waits for bits to change
// into one poll.
//
//===----------------------------------------------------------------------===//
#include "gpuinit/Dialect/InitSeq/Transforms/Passes.h"

#include "gpuinit/Support/PassStatistics.h"
#include "mlir/IR/Builders.h"

namespace gpuinit::initseq {
#define GEN_PASS_DEF_INITSEQDETECTPOLLS
#include "initseq/InitSeqPasses.h.inc"
} // namespace gpuinit::initseq

using namespace mlir;
using namespace gpuinit::initseq;

namespace {

struct DetectPollsPass
    : gpuinit::initseq::impl::InitSeqDetectPollsBase<DetectPollsPass> {
  using InitSeqDetectPollsBase::InitSeqDetectPollsBase;

  /// True when `b` reads the same register as `a` and saw a value.
  static bool sameRegister(ReadOp a, ReadOp b) {
    return b.getObserved() && a.getLocation() == b.getLocation() &&
           a.getWidth() == b.getWidth();
  }

  /// Replaces reads[0..n] (the last one saw the new value) by a poll.
  void makePoll(ArrayRef<ReadOp> reads) {
    ReadOp first = reads.front(), last = reads.back();
    unsigned bits = first.getWidth().getIntOrFloatBitWidth();
    uint64_t before = uint64_t(*first.getObserved());
    uint64_t after = uint64_t(*last.getObserved());
    uint64_t mask = (before ^ after) & widthMask(bits);
    int64_t timeout = maxTimeoutNs;
    IntegerAttr took;
    OpBuilder b(first);
    if (first.getTs() && last.getTs() && *last.getTs() >= *first.getTs()) {
      int64_t observed = *last.getTs() - *first.getTs();
      took = b.getI64IntegerAttr(observed);
      // Saturating observed * factor, then clamped to the bounds.
      int64_t scaled = observed > INT64_MAX / int64_t(safetyFactor)
                           ? INT64_MAX
                           : observed * int64_t(safetyFactor);
      timeout = std::clamp<int64_t>(scaled, minTimeoutNs, maxTimeoutNs);
    }
    PollOp::create(b, first.getLoc(), first.getLocation(), first.getWidth(),
                   int64_t(mask), Compare::eq,
                   int64_t(after & mask), timeout, took,
                   first.getSrcOffset(), first.getScript(),
                   first.getTs());
    for (ReadOp r : reads)
      r.erase();
    ++polls;
    readsFolded += reads.size();
  }

  void runOnBlock(Block &block) {
    SmallVector<ReadOp> run;
    auto flush = [&] {
      // Split the run into segments of equal values; a segment long enough
      // and followed by a different value is a poll.
      size_t i = 0;
      while (i < run.size()) {
        size_t j = i + 1;
        while (j < run.size() &&
               *run[j].getObserved() == *run[i].getObserved())
          ++j;
        if (j < run.size() && j - i + 1 >= minReads) {
          makePoll(ArrayRef<ReadOp>(run).slice(i, j - i + 1));
          i = j + 1;
        } else {
          i = j;
        }
      }
      run.clear();
    };
    for (Operation &op : llvm::make_early_inc_range(block)) {
      if (auto cond = dyn_cast<ConditionOp>(op)) {
        // A run never crosses a condition; each body is scanned on its own.
        flush();
        runOnBlock(cond.getThenBlock());
        if (Block *elseBlock = cond.getElseBlock())
          runOnBlock(*elseBlock);
        continue;
      }
      auto read = dyn_cast<ReadOp>(op);
      if (read && read.getObserved() &&
          (run.empty() || sameRegister(run.front(), read))) {
        run.push_back(read);
        continue;
      }
      flush();
      if (read && read.getObserved())
        run.push_back(read);
    }
    flush();
  }

  void runOnOperation() override {
    if (minReads < 2 || safetyFactor < 1 || minTimeoutNs <= 0 ||
        maxTimeoutNs < minTimeoutNs) {
      getOperation().emitError(
          "initseq-detect-polls: need min-reads >= 2, safety-factor >= 1 and "
          "0 < min-timeout <= max-timeout");
      return signalPassFailure();
    }
    polls = readsFolded = 0;
    runOnBlock(getOperation().getBodyBlock());
    numPolls += polls;
    numReads += readsFolded;
    gpuinit::recordStatistic(getName(), "polls-detected", "Polls detected",
                             polls);
    gpuinit::recordStatistic(getName(), "reads-folded",
                             "Reads folded into polls", readsFolded);
  }

  uint64_t polls = 0, readsFolded = 0;
};

} // namespace
