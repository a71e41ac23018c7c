//===- Pipelines.cpp - named pass pipelines -------------------------------===//
//
// initseq-optimize-pipeline and its registration.
//
//===----------------------------------------------------------------------===//
#include "gpuinit/Pipelines/Pipelines.h"
#include "gpuinit/Dialect/InitSeq/Transforms/Passes.h"

#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

void gpuinit::buildInitSeqOptimizePipeline(
    OpPassManager &pm, const InitSeqOptimizeOptions &options) {
  OpPassManager &seq = pm.nest<initseq::SequenceOp>();
  seq.addPass(initseq::createInitSeqDetectPolls());
  initseq::InitSeqDetectDelaysOptions delays;
  delays.thresholdNs = options.delayThreshold;
  seq.addPass(initseq::createInitSeqDetectDelays(delays));
  initseq::InitSeqReduceOptions reduce;
  reduce.regmapPath = options.regmap;
  reduce.dropPureReads = options.dropPureReads;
  seq.addPass(initseq::createInitSeqReduce(reduce));
  seq.addPass(initseq::createInitSeqSimplify());
  if (options.coalesce)
    seq.addPass(initseq::createInitSeqCoalesce());
}

void gpuinit::registerPipelines() {
  PassPipelineRegistration<InitSeqOptimizeOptions>(
      "initseq-optimize-pipeline",
      "Detect polls and delays, reduce with a register map, simplify and "
      "coalesce every init sequence",
      buildInitSeqOptimizePipeline);
}
