//===- Pipelines.h - named pass pipelines ---------------------------------===//
//
// Pass pipelines registered with gpuinit-opt (`*-pipeline`).
//
//===----------------------------------------------------------------------===//
#ifndef GPUINIT_PIPELINES_PIPELINES_H
#define GPUINIT_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"

namespace gpuinit {

/// Options of `initseq-optimize-pipeline`.
struct InitSeqOptimizeOptions
    : public mlir::PassPipelineOptions<InitSeqOptimizeOptions> {
  Option<std::string> regmap{*this, "regmap",
                             llvm::cl::desc("JSON register map for initseq-reduce"),
                             llvm::cl::init("")};
  Option<bool> dropPureReads{
      *this, "drop-pure-reads",
      llvm::cl::desc("Remove reads of read-pure registers (see initseq-reduce)"),
      llvm::cl::init(false)};
  Option<int64_t> delayThreshold{
      *this, "delay-threshold",
      llvm::cl::desc("Smallest timestamp gap (ns) that becomes a delay"),
      llvm::cl::init(1000000)};
  Option<bool> coalesce{*this, "coalesce",
                        llvm::cl::desc("Merge consecutive writes into block writes"),
                        llvm::cl::init(true)};
};

/// detect-polls, detect-delays, reduce, simplify, coalesce on every
/// initseq.sequence of a module.
void buildInitSeqOptimizePipeline(mlir::OpPassManager &pm,
                                  const InitSeqOptimizeOptions &options);

/// Registers every gpuinit pipeline.
void registerPipelines();

} // namespace gpuinit

#endif // GPUINIT_PIPELINES_PIPELINES_H
