//===- Commands.h - the subcommands of gpuinit-run ------------------------===//
//
// Each subcommand is a function taking its arguments (after the command
// name) and returning the process exit code. gpuinit-run.cpp dispatches.
//
//===----------------------------------------------------------------------===//
#ifndef GPUINIT_TOOLS_GPUINIT_RUN_COMMANDS_H
#define GPUINIT_TOOLS_GPUINIT_RUN_COMMANDS_H

#include "gpuinit/Runtime/Device.h"

#include "absl/status/statusor.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>

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

/// Reads the value of option `flag` at args[i], given as "--flag=value" or
/// "--flag value" (then `i` moves past the value): nullopt when args[i] is
/// not that option, false when its value is missing, true with `out` set.
std::optional<bool> flagValue(llvm::ArrayRef<llvm::StringRef> args, size_t &i,
                              llvm::StringRef flag, std::string &out);

/// The backend of a `--device=backend[:device]` value; the part after the
/// colon (a device index or name, or empty) goes to `options.select`.
absl::StatusOr<gpuinit::runtime::DeviceKind>
parseDevice(llvm::StringRef spec, gpuinit::runtime::DeviceOptions &options);

/// `gpuinit-run simulate [options] a.mlir [b.mlir]`: replays initseq
/// sequences against a register model; prints the event stream of one file
/// or the first divergence between two.
int runSimulate(llvm::ArrayRef<llvm::StringRef> args);

/// `gpuinit-run launch --device=vulkan|cuda|cpu --launch=desc.json module`:
/// runs one kernel of a compiled module (.spv, .ptx, .cubin, .so) with a
/// JSON launch description; prints buffers, checks expectations, times it
/// (exit 1 when a buffer differs from its "expect").
int runLaunch(llvm::ArrayRef<llvm::StringRef> args);

/// `gpuinit-run run --device=vulkan|cuda|cpu [--arg i=spec ...] prog.mlir`:
/// compiles the kernel.modules of a kernel-dialect program for the device,
/// interprets its host function and prints the host memrefs it was given.
int runRun(llvm::ArrayRef<llvm::StringRef> args);

/// `gpuinit-run devices [--device=backend]`: lists the runtime devices, and
/// why a backend has none (exit 1 when the backend given has none).
int runDevices(llvm::ArrayRef<llvm::StringRef> args);

} // namespace gpuinit::run

#endif // GPUINIT_TOOLS_GPUINIT_RUN_COMMANDS_H
