//===- PassStatistics.h - pass statistics that work with release MLIR -----===//
//
// Debian's MLIR is built with NDEBUG and without LLVM_FORCE_ENABLE_STATS, so
// mlir::Pass::Statistic is a no-op there and -mlir-pass-statistics prints an
// empty report. gpuinit passes therefore also record their statistics here,
// and gpuinit-opt prints them (in MLIR's report format) when
// -mlir-pass-statistics is given.
//
//===----------------------------------------------------------------------===//
#ifndef GPUINIT_SUPPORT_PASSSTATISTICS_H
#define GPUINIT_SUPPORT_PASSSTATISTICS_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>

namespace gpuinit {

/// Adds `value` to the statistic `name` of pass `pass` (thread-safe).
void recordStatistic(llvm::StringRef pass, llvm::StringRef name,
                     llvm::StringRef description, uint64_t value);

/// Prints every recorded statistic, grouped by pass in the order passes first
/// recorded one, in the format of MLIR's pass statistics report.
void printStatistics(llvm::raw_ostream &os);

/// True if any statistic was recorded.
bool haveStatistics();

} // namespace gpuinit

#endif // GPUINIT_SUPPORT_PASSSTATISTICS_H
