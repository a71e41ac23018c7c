//===- DetectDelays.cpp - initseq-detect-delays ---------------------------===//
//
// Inserts the delays that gaps between trace timestamps show.
//
//===----------------------------------------------------------------------===//
#include "gpuinit/Dialect/InitSeq/Transforms/Passes.h"

#include "gpuinit/Support/PassStatistics.h"
#include "mlir/IR/Builders.h"

namespace gpuinit::initseq {
#define GEN_PASS_DEF_INITSEQDETECTDELAYS
#include "initseq/InitSeqPasses.h.inc"
} // namespace gpuinit::initseq

using namespace mlir;
using namespace gpuinit::initseq;

namespace {

struct DetectDelaysPass
    : gpuinit::initseq::impl::InitSeqDetectDelaysBase<DetectDelaysPass> {
  using InitSeqDetectDelaysBase::InitSeqDetectDelaysBase;

  void runOnBlock(Block &block) {
    std::optional<int64_t> prevEnd;
    bool delaySeen = false;
    for (Operation &op : llvm::make_early_inc_range(block)) {
      if (auto cond = dyn_cast<ConditionOp>(op)) {
        runOnBlock(cond.getThenBlock());
        if (Block *elseBlock = cond.getElseBlock())
          runOnBlock(*elseBlock);
        continue;
      }
      if (isa<DelayOp>(op)) {
        delaySeen = true;
        continue;
      }
      std::optional<int64_t> ts = getTimestamp(&op);
      if (!ts)
        continue;
      if (prevEnd && !delaySeen && *ts > *prevEnd &&
          *ts - *prevEnd > thresholdNs) {
        OpBuilder b(&op);
        int64_t gap = *ts - *prevEnd;
        DelayOp::create(b, op.getLoc(), gap, /*src_offset=*/std::nullopt,
                        /*script=*/std::nullopt, /*ts=*/*prevEnd);
        ++delays;
        delayNs += uint64_t(gap);
      }
      int64_t end = *ts;
      if (auto poll = dyn_cast<PollOp>(op))
        if (auto took = poll.getTookNs())
          end += *took;
      prevEnd = end;
      delaySeen = false;
    }
  }

  void runOnOperation() override {
    if (thresholdNs < 0) {
      getOperation().emitError("initseq-detect-delays: threshold must not be "
                               "negative");
      return signalPassFailure();
    }
    delays = delayNs = 0;
    runOnBlock(getOperation().getBodyBlock());
    numDelays += delays;
    totalNs += delayNs;
    gpuinit::recordStatistic(getName(), "delays-inserted", "Delays inserted",
                             delays);
    gpuinit::recordStatistic(getName(), "delay-ns",
                             "Total nanoseconds of inserted delays", delayNs);
  }

  uint64_t delays = 0, delayNs = 0;
};

} // namespace
