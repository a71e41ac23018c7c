//===- Expand.cpp - initseq-expand ----------------------------------------===//
//
// Expands block writes into the single writes they stand for.
//
//===----------------------------------------------------------------------===//
#include "gpuinit/Dialect/InitSeq/Transforms/Passes.h"

#include "gpuinit/Support/PassStatistics.h"
#include "mlir/IR/Builders.h"

namespace gpuinit::initseq {
#define GEN_PASS_DEF_INITSEQEXPAND
#include "initseq/InitSeqPasses.h.inc"
} // namespace gpuinit::initseq

using namespace mlir;
using namespace gpuinit::initseq;

namespace {

struct ExpandPass : gpuinit::initseq::impl::InitSeqExpandBase<ExpandPass> {
  using InitSeqExpandBase::InitSeqExpandBase;

  void runOnOperation() override {
    SmallVector<BlockWriteOp> blocks;
    getOperation().walk([&](BlockWriteOp op) { blocks.push_back(op); });
    for (BlockWriteOp op : blocks) {
      OpBuilder b(op);
      uint64_t base = op.getLocation().getOffset();
      uint64_t stride = uint64_t(op.getStride());
      for (auto [i, v] : llvm::enumerate(op.getValues()))
        WriteOp::create(b, op.getLoc(),
                        op.getLocation().withOffset(base + i * stride),
                        op.getWidth(), v, op.getSrcOffset(),
                        op.getScript(), op.getTs());
      op.erase();
      ++numExpanded;
    }
    gpuinit::recordStatistic(getName(), "block-writes-expanded",
                             "Block writes expanded", blocks.size());
  }
};

} // namespace
