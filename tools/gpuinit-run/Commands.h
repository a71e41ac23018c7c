//===- Commands.h - the subcommands of gpuinit-run ------------------------===//
//
// Each subcommand is a function taking its arguments (after the command
// name) and returning the process exit code. gpuinit-run.cpp dispatches.
//
//===----------------------------------------------------------------------===//
#ifndef GPUINIT_TOOLS_GPUINIT_RUN_COMMANDS_H
#define GPUINIT_TOOLS_GPUINIT_RUN_COMMANDS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

namespace gpuinit::run {

/// Exit codes shared by every subcommand.
enum ExitCode : int {
  /// Success (for `simulate`: every pair equivalent).
  kExitOk = 0,
  /// The programs ran but the answer is "no" (for `simulate`: divergent).
  kExitDiverged = 1,
  /// Bad usage or bad input: parse error, missing sequence, bad register map,
  /// a simulation that cannot proceed.
  kExitError = 2,
};

/// `gpuinit-run simulate [options] a.mlir [b.mlir]`: replays initseq
/// sequences against a register model; prints the event stream of one file
/// or the first divergence between two.
int runSimulate(llvm::ArrayRef<llvm::StringRef> args);

} // namespace gpuinit::run

#endif // GPUINIT_TOOLS_GPUINIT_RUN_COMMANDS_H
