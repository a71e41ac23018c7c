//===- gpuinit-run.cpp - the gpuinit execution driver ---------------------===//
//
// `gpuinit-run <command> [args]`: one binary for everything that executes
// gpuinit programs. Each command lives in its own file (Commands.h); this
// file only dispatches.
//
//===----------------------------------------------------------------------===//
#include "Commands.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/raw_ostream.h"

using namespace gpuinit::run;

std::optional<bool> gpuinit::run::flagValue(llvm::ArrayRef<llvm::StringRef> args,
                                            size_t &i, llvm::StringRef flag,
                                            std::string &out) {
  llvm::StringRef arg = args[i];
  if (arg == flag) {
    if (i + 1 == args.size())
      return false;
    out = args[++i].str();
    return true;
  }
  if (arg.consume_front(flag) && arg.consume_front("=")) {
    out = arg.str();
    return true;
  }
  return std::nullopt;
}

absl::StatusOr<gpuinit::runtime::DeviceKind>
gpuinit::run::parseDevice(llvm::StringRef spec,
                          gpuinit::runtime::DeviceOptions &options) {
  auto [backend, which] = spec.split(':');
  options.select = which.str();
  return gpuinit::runtime::parseDeviceKind(
      absl::string_view(backend.data(), backend.size()));
}

namespace {

/// A subcommand: its name, argument synopsis, one-line summary and entry.
struct Command {
  const char *name;
  const char *synopsis;
  const char *summary;
  int (*run)(llvm::ArrayRef<llvm::StringRef> args);
};

const Command kCommands[] = {
    {"simulate", "[--regmap=file.json] [--sequence=@name] a.mlir [b.mlir]",
     "replay initseq sequences against a register model; with two files, "
     "report the first divergence in device-visible behaviour",
     runSimulate},
    {"launch",
     "--device=vulkan|cuda|cpu --launch=desc.json [--time] module."
     "{spv,ptx,cubin,so}",
     "run one kernel of a compiled module with a JSON launch description; "
     "print and check buffers, report the kernel time",
     runLaunch},
    {"run",
     "--device=vulkan|cuda|cpu [--entry=@name] [--arg <i>=<spec> ...] "
     "[--print=<i>,...] [--time] program.mlir",
     "compile a kernel-dialect program's kernels for the device, interpret "
     "its host function and print the host memrefs it was given",
     runRun},
    {"devices", "[--device=vulkan|cuda|cpu]",
     "list the runtime devices, and why a backend has none", runDevices},
};

void printUsage(llvm::raw_ostream &os) {
  os << "usage: gpuinit-run <command> [options] [files]\n\ncommands:\n";
  for (const Command &c : kCommands)
    os << "  " << c.name << " " << c.synopsis << "\n      " << c.summary
       << "\n";
  os << "\n'gpuinit-run <command> --help' describes a command.\n"
        "Exit codes: 0 success, 1 the programs differ, 2 bad usage or "
        "input.\n";
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  if (argc < 2) {
    llvm::errs() << "gpuinit-run: missing command\n";
    printUsage(llvm::errs());
    return kExitError;
  }
  llvm::StringRef name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    printUsage(llvm::outs());
    return kExitOk;
  }
  llvm::SmallVector<llvm::StringRef> args(argv + 2, argv + argc);
  for (const Command &c : kCommands)
    if (name == c.name)
      return c.run(args);
  llvm::errs() << "gpuinit-run: unknown command '" << name << "'\n";
  printUsage(llvm::errs());
  return kExitError;
}
