//===- Simplify.cpp - initseq-simplify ------------------------------------===//
//
// The initseq canonicalization patterns applied in one walk.
//
//===----------------------------------------------------------------------===//
#include "gpuinit/Dialect/InitSeq/Transforms/Passes.h"
#include "gpuinit/Support/PassStatistics.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Rewrite/FrozenRewritePatternSet.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"

namespace gpuinit::initseq {
#define GEN_PASS_DEF_INITSEQSIMPLIFY
#include "initseq/InitSeqPasses.h.inc"
} // namespace gpuinit::initseq

using namespace mlir;
using namespace gpuinit::initseq;

namespace {

/// Counts the rewrites the walk driver performs.
struct CountingListener : RewriterBase::Listener {
  uint64_t count = 0;
  void notifyOperationModified(Operation *) override { ++count; }
  void notifyOperationErased(Operation *) override { ++count; }
  void notifyOperationReplaced(Operation *, Operation *) override { ++count; }
};

struct SimplifyPass
    : gpuinit::initseq::impl::InitSeqSimplifyBase<SimplifyPass> {
  using InitSeqSimplifyBase::InitSeqSimplifyBase;

  LogicalResult initialize(MLIRContext *ctx) override {
    RewritePatternSet set(ctx);
    DelayOp::getCanonicalizationPatterns(set, ctx);
    BlockWriteOp::getCanonicalizationPatterns(set, ctx);
    RmwOp::getCanonicalizationPatterns(set, ctx);
    ConditionOp::getCanonicalizationPatterns(set, ctx);
    patterns = FrozenRewritePatternSet(std::move(set));
    return success();
  }

  void runOnOperation() override {
    CountingListener listener;
    walkAndApplyPatterns(getOperation(), patterns, &listener);
    numRewrites += listener.count;
    gpuinit::recordStatistic(getName(), "rewrites", "Ops rewritten or erased",
                             listener.count);
  }

  FrozenRewritePatternSet patterns;
};

} // namespace
