//===- DetectDelays.cpp - initseq-detect-delays ---------------------------===//
//
// Inserts the delays that gaps between trace timestamps show.
//
//===----------------------------------------------------------------------===//
#include "gpuinit/Dialect/InitSeq/Transforms/Passes.h"

#include "mlir/IR/Builders.h"

namespace gpuinit::initseq {
#define GEN_PASS_DEF_INITSEQDETECTDELAYS
#include "initseq/InitSeqPasses.h.inc"
} // namespace gpuinit::initseq

using namespace mlir;
using namespace gpuinit::initseq;

namespace {

/// The timestamp of an op, if it has one.
std::optional<int64_t> timestampOf(Operation *op) {
  if (auto ts = op->getAttrOfType<IntegerAttr>("ts"))
    return ts.getInt();
  return std::nullopt;
}

struct DetectDelaysPass
    : gpuinit::initseq::impl::InitSeqDetectDelaysBase<DetectDelaysPass> {
  using InitSeqDetectDelaysBase::InitSeqDetectDelaysBase;

  void runOnBlock(Block &block) {
    std::optional<int64_t> prevEnd;
    bool delaySeen = false;
    for (Operation &op : llvm::make_early_inc_range(block)) {
      if (auto cond = dyn_cast<ConditionOp>(op)) {
        runOnBlock(cond.getBody().front());
        continue;
      }
      if (isa<DelayOp>(op)) {
        delaySeen = true;
        continue;
      }
      std::optional<int64_t> ts = timestampOf(&op);
      if (!ts)
        continue;
      if (prevEnd && !delaySeen && *ts > *prevEnd &&
          *ts - *prevEnd > thresholdNs) {
        OpBuilder b(&op);
        int64_t gap = *ts - *prevEnd;
        DelayOp::create(b, op.getLoc(), gap, /*src_offset=*/nullptr,
                        /*script=*/nullptr, b.getI64IntegerAttr(*prevEnd));
        ++numDelays;
        totalNs += gap;
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
    runOnBlock(getOperation().getBodyBlock());
  }
};

} // namespace
