//===- Devices.cpp - gpuinit-run devices ----------------------------------===//
//
// Lists the devices each runtime backend can open, and for a backend that
// has none, why (driver library missing, initialization failed). lit's
// `vulkan` and `cuda-device` features come from this command's exit code.
//
//===----------------------------------------------------------------------===//
#include "Commands.h"

#include "gpuinit/Runtime/Device.h"

#include "llvm/Support/raw_ostream.h"

#include <vector>

using namespace gpuinit::run;
namespace rt = gpuinit::runtime;

namespace {

const char *const kDevicesUsage =
    R"(usage: gpuinit-run devices [--device=vulkan|cuda|cpu]

Lists the devices of every runtime backend (or of one), each with its index
and name (what --device=<backend>:<index or name> selects) and a summary of
its capabilities. A backend without devices is listed with the reason.

Exit codes: 0 listed (with --device: the backend has a device), 1 the backend
given with --device has no device, 2 bad usage.
)";

llvm::StringRef ref(absl::string_view s) { return {s.data(), s.size()}; }

} // namespace

int gpuinit::run::runDevices(llvm::ArrayRef<llvm::StringRef> args) {
  std::vector<rt::DeviceKind> kinds = {
      rt::DeviceKind::Vulkan, rt::DeviceKind::Cuda, rt::DeviceKind::Cpu};
  bool one = false;
  for (llvm::StringRef arg : args) {
    if (arg == "--help" || arg == "-h") {
      llvm::outs() << kDevicesUsage;
      return kExitOk;
    }
    if (arg.consume_front("--device=")) {
      absl::StatusOr<rt::DeviceKind> kind =
          rt::parseDeviceKind(absl::string_view(arg.data(), arg.size()));
      if (!kind.ok()) {
        llvm::errs() << "gpuinit-run devices: " << ref(kind.status().message())
                     << "\n";
        return kExitError;
      }
      kinds = {*kind};
      one = true;
      continue;
    }
    llvm::errs() << "gpuinit-run devices: unknown argument '" << arg
                 << "'\nRun 'gpuinit-run devices --help' for usage.\n";
    return kExitError;
  }
  bool found = false;
  for (rt::DeviceKind kind : kinds) {
    absl::StatusOr<std::vector<rt::DeviceInfo>> devices =
        rt::Device::enumerate(kind);
    if (!devices.ok()) {
      // The message names the backend ("cuda: libcuda.so.1 not found ...").
      llvm::outs() << ref(devices.status().message()) << "\n";
      continue;
    }
    found = true;
    llvm::outs() << ref(rt::deviceKindName(kind)) << ": " << devices->size()
                 << (devices->size() == 1 ? " device\n" : " devices\n");
    for (const rt::DeviceInfo &d : *devices)
      llvm::outs() << "  [" << d.index << "] " << d.name << ": " << d.details
                   << "\n";
  }
  return one && !found ? kExitDiverged : kExitOk;
}
