//===- InitAll.h - register everything gpuinit provides -------------------===//
//
// One place that registers gpuinit's dialects, passes, pipelines and
// translations next to the upstream ones, for every tool.
//
//===----------------------------------------------------------------------===//
#ifndef GPUINIT_INITALL_H
#define GPUINIT_INITALL_H

#include "mlir/IR/DialectRegistry.h"

namespace gpuinit {

/// Adds gpuinit's dialects (and the upstream ones they lower to).
void registerAllDialects(mlir::DialectRegistry &registry);

/// Registers gpuinit's passes and pipelines.
void registerAllPasses();

} // namespace gpuinit

#endif // GPUINIT_INITALL_H
