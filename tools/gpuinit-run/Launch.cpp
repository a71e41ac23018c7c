//===- Launch.cpp - gpuinit-run launch ------------------------------------===//
//
// Runs one kernel of a compiled module (.spv, .ptx, .cubin, .so) on a runtime
// device with a JSON launch description (docs/Runtime.md): creates and fills
// the buffers, dispatches, waits, then prints the buffers asked for, checks
// the expected ones and reports the kernel time.
//
//===----------------------------------------------------------------------===//
#include "Commands.h"

#include "gpuinit/Runtime/Device.h"
#include "gpuinit/Runtime/LaunchDesc.h"

#include "llvm/ADT/Twine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <vector>

using namespace gpuinit::run;
namespace rt = gpuinit::runtime;

namespace {

const char *const kLaunchUsage =
    R"(usage: gpuinit-run launch --device=<backend>[:<device>] --launch=<desc.json> [options] <module>

Runs one kernel of a compiled module on a runtime device. The module is SPIR-V
(.spv, for vulkan), PTX or cubin/fatbin (.ptx, .cubin, .fatbin, for cuda) or a
shared object following the CPU kernel ABI (.so, for cpu). The JSON launch
description gives the kernel, grid, block, dynamic shared memory and the
arguments (docs/Runtime.md). After the run, the buffers marked "print" are
printed and the buffers with "expect" are checked.

options:
  --device=<backend>[:<device>]  vulkan, cuda or cpu; <device> is an index or a
                                 name substring from 'gpuinit-run devices'
  --launch=<desc.json>           the launch description
  --kernel=<name>                run this kernel instead of the description's
  --time                         print the kernel time and where it comes from
  --repeat=<n>                   run n times, re-uploading the buffers first
                                 each time; --time gives the min and the mean
  --format=text|lines|json       text: 'name = [v0, v1, ...]' per buffer;
                                 lines: 'name[i] = v' per element; json: one
                                 object mapping names to lists
  --print-all                    print every buffer
  --vulkan-staging               keep Vulkan buffers in device-local memory and
                                 copy through staging buffers
  --threads=<n>                  cpu: worker threads running workgroups
  --help                         this text

Exit codes: 0 success, 1 a buffer differs from its "expect", 2 bad usage or
input, or a device error (the message names the device and the failing call).
)";

struct Options {
  std::string device;
  std::string launch;
  std::string kernel;
  std::string module;
  std::string format = "text";
  bool time = false;
  bool printAll = false;
  bool staging = false;
  unsigned repeat = 1;
  unsigned threads = 0;
};

llvm::StringRef ref(absl::string_view s) { return {s.data(), s.size()}; }

int usageError(const llvm::Twine &msg) {
  llvm::errs() << "gpuinit-run launch: " << msg << "\n"
               << "Run 'gpuinit-run launch --help' for usage.\n";
  return kExitError;
}

int fail(const absl::Status &status) {
  llvm::errs() << "gpuinit-run: error: " << ref(status.message()) << "\n";
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
    auto number = [&](llvm::StringRef flag,
                      unsigned &out) -> std::optional<int> {
      std::string text;
      std::optional<bool> r = value(flag, text);
      if (!r)
        return std::nullopt;
      if (!*r || llvm::StringRef(text).getAsInteger(10, out) || out == 0)
        return usageError(llvm::Twine(flag) + " needs a positive number");
      return -1;
    };
    if (arg == "--help" || arg == "-h") {
      llvm::outs() << kLaunchUsage;
      return kExitOk;
    }
    if (arg == "--time") {
      opts.time = true;
      continue;
    }
    if (arg == "--print-all") {
      opts.printAll = true;
      continue;
    }
    if (arg == "--vulkan-staging") {
      opts.staging = true;
      continue;
    }
    bool matched = false;
    for (auto [flag, out] :
         {std::pair<llvm::StringRef, std::string *>{"--device", &opts.device},
          {"--launch", &opts.launch},
          {"--kernel", &opts.kernel},
          {"--format", &opts.format}}) {
      if (std::optional<bool> r = value(flag, *out)) {
        if (!*r || out->empty())
          return usageError(llvm::Twine(flag) + " needs a value");
        matched = true;
        break;
      }
    }
    if (matched)
      continue;
    if (std::optional<int> r = number("--repeat", opts.repeat)) {
      if (*r >= 0)
        return *r;
      continue;
    }
    if (std::optional<int> r = number("--threads", opts.threads)) {
      if (*r >= 0)
        return *r;
      continue;
    }
    if (arg.starts_with("-"))
      return usageError(llvm::Twine("unknown option '") + arg + "'");
    if (!opts.module.empty())
      return usageError(llvm::Twine("more than one module ('") + opts.module +
                        "', '" + arg + "')");
    opts.module = arg.str();
  }
  if (opts.device.empty())
    return usageError("--device=vulkan|cuda|cpu is required");
  if (opts.launch.empty())
    return usageError("--launch=<desc.json> is required");
  if (opts.module.empty())
    return usageError("no module");
  if (opts.format != "text" && opts.format != "lines" && opts.format != "json")
    return usageError("--format must be text, lines or json");
  return std::nullopt;
}

/// JSON has no NaN or infinity: those become strings.
std::string jsonValue(rt::ElementType type, const uint8_t *bytes) {
  std::string s = rt::formatElement(type, bytes);
  if (s == "nan" || s == "inf" || s == "-inf")
    return "\"" + s + "\"";
  return s;
}

void printBuffers(const Options &opts, const rt::LaunchDesc &desc,
                  const std::vector<std::vector<uint8_t>> &results) {
  llvm::raw_ostream &os = llvm::outs();
  bool first = true;
  if (opts.format == "json")
    os << "{";
  for (size_t i = 0; i < desc.args.size(); ++i) {
    const rt::LaunchArg &a = desc.args[i];
    if (a.kind != rt::LaunchArg::Kind::Buffer || !(a.print || opts.printAll))
      continue;
    uint32_t size = rt::elementSize(a.type);
    const std::vector<uint8_t> &bytes = results[i];
    uint64_t n = bytes.size() / size;
    if (opts.format == "lines") {
      for (uint64_t k = 0; k < n; ++k)
        os << a.name << "[" << k
           << "] = " << rt::formatElement(a.type, &bytes[k * size]) << "\n";
      continue;
    }
    if (opts.format == "json") {
      os << (first ? "" : ",") << "\n  \"" << a.name << "\": [";
      for (uint64_t k = 0; k < n; ++k)
        os << (k ? ", " : "") << jsonValue(a.type, &bytes[k * size]);
      os << "]";
      first = false;
      continue;
    }
    os << a.name << " = [";
    for (uint64_t k = 0; k < n; ++k)
      os << (k ? ", " : "") << rt::formatElement(a.type, &bytes[k * size]);
    os << "]\n";
  }
  if (opts.format == "json")
    os << "\n}\n";
}

} // namespace

int gpuinit::run::runLaunch(llvm::ArrayRef<llvm::StringRef> args) {
  Options opts;
  if (std::optional<int> code = parseOptions(args, opts))
    return *code;

  rt::DeviceOptions devOpts;
  absl::StatusOr<rt::DeviceKind> kind = parseDevice(opts.device, devOpts);
  if (!kind.ok())
    return usageError(ref(kind.status().message()));

  absl::StatusOr<rt::LaunchDesc> desc = rt::loadLaunchDesc(opts.launch);
  if (!desc.ok())
    return fail(desc.status());
  if (!opts.kernel.empty())
    desc->kernel = opts.kernel;

  devOpts.vulkanStaging = opts.staging;
  devOpts.cpuThreads = opts.threads;
  absl::StatusOr<std::unique_ptr<rt::Device>> device =
      rt::Device::open(*kind, devOpts);
  if (!device.ok())
    return fail(device.status());
  rt::Device &dev = **device;

  absl::StatusOr<std::unique_ptr<rt::Module>> module =
      dev.loadModuleFile(opts.module);
  if (!module.ok())
    return fail(module.status());

  std::vector<std::unique_ptr<rt::Buffer>> buffers(desc->args.size());
  rt::Dispatch dispatch;
  dispatch.kernel = desc->kernel;
  dispatch.grid = desc->grid;
  dispatch.block = desc->block;
  dispatch.sharedBytes = desc->sharedBytes;
  for (size_t i = 0; i < desc->args.size(); ++i) {
    const rt::LaunchArg &a = desc->args[i];
    if (a.kind == rt::LaunchArg::Kind::Scalar) {
      rt::KernelArg k =
          a.bytes.size() == 4 ? rt::KernelArg::u32(0) : rt::KernelArg::u64(0);
      for (size_t b = 0; b < a.bytes.size(); ++b)
        k.bits |= uint64_t(a.bytes[b]) << (8 * b);
      dispatch.args.push_back(k);
      continue;
    }
    absl::StatusOr<std::unique_ptr<rt::Buffer>> buffer =
        dev.createBuffer(a.bytes.size());
    if (!buffer.ok())
      return fail(buffer.status());
    buffers[i] = std::move(*buffer);
    dispatch.args.push_back(rt::KernelArg::of(*buffers[i]));
  }

  std::vector<rt::KernelTime> times;
  for (unsigned r = 0; r < opts.repeat; ++r) {
    for (size_t i = 0; i < desc->args.size(); ++i)
      if (buffers[i])
        if (absl::Status s = dev.upload(*buffers[i], desc->args[i].bytes);
            !s.ok())
          return fail(s);
    if (absl::Status s = dev.dispatch(**module, dispatch); !s.ok())
      return fail(s);
    absl::StatusOr<std::vector<rt::KernelTime>> t = dev.wait();
    if (!t.ok())
      return fail(t.status());
    times.insert(times.end(), t->begin(), t->end());
  }

  std::vector<std::vector<uint8_t>> results(desc->args.size());
  for (size_t i = 0; i < desc->args.size(); ++i) {
    const rt::LaunchArg &a = desc->args[i];
    if (!buffers[i] || !(a.print || a.expect || opts.printAll))
      continue;
    results[i].resize(a.bytes.size());
    if (absl::Status s = dev.download(*buffers[i], absl::MakeSpan(results[i]));
        !s.ok())
      return fail(s);
  }
  printBuffers(opts, *desc, results);

  if (opts.time && !times.empty()) {
    double min = times[0].milliseconds, sum = 0;
    for (const rt::KernelTime &t : times) {
      min = std::min(min, t.milliseconds);
      sum += t.milliseconds;
    }
    std::string source(rt::timingSourceName(times[0].source));
    if (times.size() == 1)
      llvm::outs() << llvm::format("kernel time: %.6f ms (%s)\n", min,
                                   source.c_str());
    else
      llvm::outs() << llvm::format(
          "kernel time: min %.6f ms, mean %.6f ms over %zu runs (%s)\n", min,
          sum / double(times.size()), times.size(), source.c_str());
  }

  int code = kExitOk;
  for (size_t i = 0; i < desc->args.size(); ++i) {
    const rt::LaunchArg &a = desc->args[i];
    if (!a.expect)
      continue;
    uint64_t total = 0;
    std::vector<rt::Mismatch> bad = rt::compareBuffer(a, results[i], total);
    if (total == 0) {
      llvm::outs() << "expect " << a.name << ": ok (" << a.count()
                   << (a.count() == 1 ? " element)\n" : " elements)\n");
      continue;
    }
    code = kExitDiverged;
    llvm::errs() << "gpuinit-run: " << a.name << ": " << total << " of "
                 << a.count() << " elements differ from \"expect\":";
    for (const rt::Mismatch &m : bad)
      llvm::errs() << " [" << m.index << "] = " << m.got << " (expected "
                   << m.want << ")" << (&m == &bad.back() ? "" : ",");
    llvm::errs() << (total > bad.size() ? ", ...\n" : "\n");
  }
  return code;
}
