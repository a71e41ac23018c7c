//===- DeviceBackends.h - what Device.cpp needs from each backend ---------===//
//
// Private to lib/Runtime: the entry points of the Vulkan, CUDA and CPU
// backends, and helpers they share (run-time loaded libraries, device
// selection).
//
//===----------------------------------------------------------------------===//
#ifndef GPUINIT_LIB_RUNTIME_DEVICEBACKENDS_H
#define GPUINIT_LIB_RUNTIME_DEVICEBACKENDS_H

#include "gpuinit/Runtime/Device.h"

#include <string>
#include <vector>

namespace gpuinit::runtime::detail {

absl::StatusOr<std::vector<DeviceInfo>> enumerateVulkanDevices();
absl::StatusOr<std::unique_ptr<Device>>
openVulkanDevice(const DeviceOptions &options);
absl::StatusOr<std::vector<DeviceInfo>> enumerateCudaDevices();
absl::StatusOr<std::unique_ptr<Device>>
openCudaDevice(const DeviceOptions &options);
absl::StatusOr<std::vector<DeviceInfo>> enumerateCpuDevices();
absl::StatusOr<std::unique_ptr<Device>>
openCpuDevice(const DeviceOptions &options);

/// A shared library opened with dlopen, closed on destruction.
class DynamicLibrary {
public:
  DynamicLibrary() = default;
  ~DynamicLibrary();
  DynamicLibrary(DynamicLibrary &&other) noexcept : handle_(other.handle_) {
    other.handle_ = nullptr;
  }
  DynamicLibrary &operator=(DynamicLibrary &&other) noexcept;

  /// dlopen(name, RTLD_NOW | RTLD_LOCAL); the error is dlerror()'s text.
  static absl::StatusOr<DynamicLibrary> open(const std::string &name);
  /// dlsym, or null.
  void *symbol(const char *name) const;
  bool isOpen() const { return handle_ != nullptr; }

private:
  void *handle_ = nullptr;
};

/// Resolves DeviceOptions::select (or, when it is empty, the environment
/// variable `envVar`) against device names: a number is an index, anything
/// else a case-insensitive substring. Returns -1 when nothing was asked for
/// (the backend picks its default) or an error naming the choices.
absl::StatusOr<int> selectDevice(absl::string_view backend,
                                 const std::string &select, const char *envVar,
                                 const std::vector<std::string> &names);

/// Reads a whole file.
absl::StatusOr<std::vector<uint8_t>> readFileBytes(const std::string &path);

} // namespace gpuinit::runtime::detail

#endif // GPUINIT_LIB_RUNTIME_DEVICEBACKENDS_H
