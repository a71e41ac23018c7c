//===- Simulate.cpp - gpuinit-run simulate --------------------------------===//
//
// Replays initseq sequences against a register model: with one file, prints
// each sequence's device-visible events; with two, compares the sequences
// pairwise by name and reports the first divergence of each pair.
//
//===----------------------------------------------------------------------===//
#include "Commands.h"

#include "gpuinit/Dialect/InitSeq/IR/InitSeq.h"
#include "gpuinit/InitAll.h"
#include "gpuinit/Runtime/InitSeqSim.h"
#include "gpuinit/Runtime/RegMap.h"
#include "gpuinit/Target/InitSeqSim.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <optional>
#include <thread>
#include <vector>

using namespace mlir;
using namespace gpuinit;
using namespace gpuinit::run;
namespace rt = gpuinit::runtime;

namespace {

const char *const kSimulateUsage =
    R"(usage: gpuinit-run simulate [options] a.mlir [b.mlir]

Replays initseq sequences against a register model (docs/InitSeqSimulation.md).
With one file, prints the device-visible events of each sequence. With two,
compares the sequences of the two files pairwise by name (a file holding a
single sequence is compared with the other file's single sequence whatever
their names) and prints, for each pair,
  @name: equivalent: N device-visible events
or the first divergence: the event index, what each side does there and the
op it comes from.

options:
  --regmap=<file.json>  register map; without one, no register is plain
  --sequence=@<name>    only the sequence(s) of that name
  --timing              print the time spent parsing, converting, simulating
  --help                this text

Exit codes: 0 equivalent (or events printed), 1 divergent, 2 bad input (parse
error, missing sequence, bad register map, a poll that can never succeed).
)";

struct Options {
  std::string regmap;
  std::string sequence;
  bool timing = false;
  llvm::SmallVector<std::string, 2> files;
};

using Clock = std::chrono::steady_clock;

double msSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start)
      .count();
}

/// Abseil's string_view as LLVM's (abseil may not alias std::string_view).
llvm::StringRef ref(absl::string_view s) { return {s.data(), s.size()}; }

/// One input file, loaded: the simulator programs of its selected sequences
/// (the MLIR is gone by then), or the diagnostics that stopped the loading.
struct Loaded {
  std::string path;
  std::vector<rt::SimProgram> programs;
  std::string diagnostics;
  bool ok = false;
  double parseMs = 0, convertMs = 0;
};

int usageError(const llvm::Twine &msg) {
  llvm::errs() << "gpuinit-run simulate: " << msg << "\n"
               << "Run 'gpuinit-run simulate --help' for usage.\n";
  return kExitError;
}

/// Parses the command line; returns an exit code when done (help, error).
std::optional<int> parseOptions(llvm::ArrayRef<llvm::StringRef> args,
                                Options &opts) {
  for (size_t i = 0; i < args.size(); ++i) {
    llvm::StringRef arg = args[i];
    auto value = [&](llvm::StringRef flag, std::string &out) {
      return flagValue(args, i, flag, out);
    };
    if (arg == "--help" || arg == "-h") {
      llvm::outs() << kSimulateUsage;
      return kExitOk;
    }
    if (arg == "--timing") {
      opts.timing = true;
      continue;
    }
    if (std::optional<bool> r = value("--regmap", opts.regmap)) {
      if (!*r)
        return usageError("--regmap needs a file");
      continue;
    }
    if (std::optional<bool> r = value("--sequence", opts.sequence)) {
      if (!*r)
        return usageError("--sequence needs a name");
      llvm::StringRef name = opts.sequence;
      name.consume_front("@");
      if (name.empty())
        return usageError("--sequence needs a name");
      opts.sequence = name.str();
      continue;
    }
    if (arg.starts_with("-") && arg != "-")
      return usageError("unknown option '" + arg + "'");
    opts.files.push_back(arg.str());
  }
  if (opts.files.empty())
    return usageError("no input file");
  if (opts.files.size() > 2)
    return usageError("at most two input files");
  return std::nullopt;
}

/// Parses `out.path` in a context of its own (so that two files load in
/// parallel) and converts its top-level sequences (all, or the one named
/// `only`) into simulator programs. Diagnostics go to `out.diagnostics`.
void load(llvm::StringRef only, Loaded &out) {
  llvm::raw_string_ostream diag(out.diagnostics);
  std::string error;
  std::unique_ptr<llvm::MemoryBuffer> buffer = openInputFile(out.path, &error);
  if (!buffer) {
    diag << "gpuinit-run: error: " << error << "\n";
    return;
  }
  DialectRegistry registry;
  registerAllDialects(registry);
  MLIRContext ctx(registry, MLIRContext::Threading::DISABLED);
  ctx.printOpOnDiagnostic(false);
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(std::move(buffer), llvm::SMLoc());
  SourceMgrDiagnosticHandler handler(sourceMgr, &ctx, diag);

  Clock::time_point start = Clock::now();
  OwningOpRef<ModuleOp> module =
      parseSourceFile<ModuleOp>(sourceMgr, ParserConfig(&ctx));
  out.parseMs = msSince(start);
  if (!module)
    return;
  start = Clock::now();
  for (auto seq : module->getBody()->getOps<initseq::SequenceOp>()) {
    if (!only.empty() && seq.getSymName() != only)
      continue;
    FailureOr<rt::SimProgram> prog = initseq::toSimProgram(seq);
    if (failed(prog))
      return;
    out.programs.push_back(std::move(*prog));
  }
  if (out.programs.empty()) {
    diag << out.path << ": error: no initseq.sequence"
         << (only.empty() ? "" : " @") << only << " to simulate\n";
    return;
  }
  // Free the IR now rather than after the simulation.
  module = nullptr;
  out.convertMs = msSince(start);
  out.ok = true;
}

/// Prints every event of `prog`.
int printEvents(const rt::SimProgram &prog, const rt::RegMap &map) {
  if (absl::Status s = prog.verify(); !s.ok()) {
    llvm::errs() << ref(s.message()) << "\n";
    return kExitError;
  }
  llvm::raw_ostream &os = llvm::outs();
  rt::SimEventStream stream(prog, map);
  rt::SimEvent ev;
  uint64_t count = 0;
  os << "@" << prog.name << ":\n";
  while (stream.next(ev)) {
    os << "  #" << count++ << " " << stream.describe(ev) << " ("
       << stream.origin(ev) << ")\n";
    for (const rt::SimPlainChange &c : ev.changes)
      for (const std::string &reg : stream.describe(c))
        os << "      sees " << reg << "\n";
  }
  if (!stream.status().ok()) {
    os.flush();
    llvm::errs() << ref(stream.status().message()) << "\n";
    return kExitError;
  }
  os << "@" << prog.name << ": " << count << " device-visible events\n";
  return kExitOk;
}

/// Compares one pair and prints the verdict.
int comparePair(const rt::SimProgram &a, const rt::SimProgram &b,
                const rt::RegMap &map, llvm::StringRef labelA,
                llvm::StringRef labelB) {
  absl::StatusOr<rt::SimComparison> r = rt::compareSimPrograms(a, b, map);
  if (!r.ok()) {
    llvm::outs().flush();
    llvm::errs() << ref(r.status().message()) << "\n";
    return kExitError;
  }
  std::string title = "@" + a.name;
  if (a.name != b.name)
    title += " vs @" + b.name;
  if (r->equivalent()) {
    llvm::outs() << title << ": equivalent: " << r->events
                 << " device-visible events\n";
    return kExitOk;
  }
  llvm::outs() << title << ": "
               << rt::formatSimDivergence(*r->divergence, labelA.str(),
                                          labelB.str());
  return kExitDiverged;
}

} // namespace

int gpuinit::run::runSimulate(llvm::ArrayRef<llvm::StringRef> args) {
  Options opts;
  if (std::optional<int> done = parseOptions(args, opts))
    return *done;

  absl::StatusOr<rt::RegMap> map = rt::RegMap::load(opts.regmap);
  if (!map.ok()) {
    llvm::errs() << "gpuinit-run: error: " << ref(map.status().message())
                 << "\n";
    return kExitError;
  }

  // Parsing dominates the run time: the second file loads on a thread of
  // its own.
  Clock::time_point start = Clock::now();
  std::vector<Loaded> inputs(opts.files.size());
  for (size_t i = 0; i < inputs.size(); ++i)
    inputs[i].path = opts.files[i];
  if (inputs.size() == 2) {
    std::thread second([&] { load(opts.sequence, inputs[1]); });
    load(opts.sequence, inputs[0]);
    second.join();
  } else {
    load(opts.sequence, inputs[0]);
  }
  double loadMs = msSince(start);
  bool loaded = true;
  for (Loaded &input : inputs) {
    llvm::errs() << input.diagnostics;
    loaded &= input.ok;
  }
  if (!loaded)
    return kExitError;

  int code = kExitOk;
  double simulateMs = 0;
  auto finish = [&] {
    llvm::outs().flush();
    if (opts.timing) {
      llvm::errs() << llvm::format("gpuinit-run: timing: load %.1f ms (",
                                   loadMs);
      for (size_t i = 0; i < inputs.size(); ++i)
        llvm::errs() << (i ? "; " : "")
                     << llvm::format("%s: parse %.1f ms, convert %.1f ms",
                                     inputs[i].path.c_str(), inputs[i].parseMs,
                                     inputs[i].convertMs);
      llvm::errs() << llvm::format("), simulate %.1f ms\n", simulateMs);
    }
    return code;
  };

  if (inputs.size() == 1) {
    start = Clock::now();
    for (const rt::SimProgram &prog : inputs[0].programs)
      code = std::max(code, printEvents(prog, *map));
    simulateMs = msSince(start);
    return finish();
  }

  // Pair sequences by name; a single sequence on each side pairs whatever
  // the names.
  Loaded &a = inputs[0], &b = inputs[1];
  std::vector<std::pair<const rt::SimProgram *, const rt::SimProgram *>> pairs;
  if (a.programs.size() == 1 && b.programs.size() == 1) {
    pairs.push_back({&a.programs[0], &b.programs[0]});
  } else {
    auto unpaired = [](const rt::SimProgram &p, const Loaded &other) {
      llvm::errs() << p.formatLoc(p.loc) << ": error: sequence @" << p.name
                   << " has no counterpart in " << other.path << "\n";
      return kExitError;
    };
    llvm::StringMap<const rt::SimProgram *> byName;
    for (const rt::SimProgram &p : b.programs)
      byName[p.name] = &p;
    for (const rt::SimProgram &p : a.programs) {
      auto it = byName.find(p.name);
      if (it == byName.end())
        return unpaired(p, b);
      pairs.push_back({&p, it->second});
      byName.erase(it);
    }
    for (const rt::SimProgram &p : b.programs)
      if (byName.count(p.name))
        return unpaired(p, a);
  }

  start = Clock::now();
  for (auto [progA, progB] : pairs)
    code = std::max(code, comparePair(*progA, *progB, *map, a.path, b.path));
  simulateMs = msSince(start);
  return finish();
}
